//! The JSON TMDB answers with, field for field as its API reference shows it (including fields
//! the client ignores, so the client is tested against the real shape, not its own types).

use serde_json::{Value, json};

use crate::films_file::Kind;
use crate::seed::{hash, unit};
use crate::tables::{MOVIE_GENRES, PROVIDER_COUNTRIES, STORES, Service, country_name};
use crate::world::{SimFilm, round3};

/// A title's figures at a revision: each change moves popularity and votes.
pub(crate) struct Current<'a> {
    pub film: &'a SimFilm,
    pub revision: u32,
}

impl Current<'_> {
    pub fn popularity(&self) -> f64 {
        round3(self.film.popularity * 1.1f64.powi(self.revision as i32))
    }

    pub fn vote_count(&self) -> u64 {
        self.film.vote_count + 25 * u64::from(self.revision)
    }

    pub fn vote_average(&self) -> f64 {
        let nudge = if self.revision % 2 == 1 { 0.1 } else { 0.0 };
        round3((self.film.vote_average + nudge).min(10.0))
    }

    fn date(&self) -> String {
        self.film
            .release_date
            .map(|date| date.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }

    fn genres(&self) -> Value {
        Value::Array(
            self.film
                .genres
                .iter()
                .map(|(id, name)| json!({"id": id, "name": name}))
                .collect(),
        )
    }

    fn production_countries(&self) -> Value {
        Value::Array(
            self.film
                .countries
                .iter()
                .map(|code| json!({"iso_3166_1": code, "name": country_name(code)}))
                .collect(),
        )
    }

    /// `/movie/{id}` or `/tv/{id}`, with the parts `append` asks for.
    pub fn details(&self, append: &[&str], seed: u64) -> Value {
        let film = self.film;
        let mut body = match film.kind {
            Kind::Movie => json!({
                "adult": false,
                "backdrop_path": null,
                "belongs_to_collection": null,
                "budget": 0,
                "genres": self.genres(),
                "homepage": "",
                "id": film.id,
                "imdb_id": film.imdb_id,
                "origin_country": film.countries.first().map(|c| vec![*c]).unwrap_or_default(),
                "original_language": film.original_language,
                "original_title": film.original_title,
                "overview": "",
                "popularity": self.popularity(),
                "poster_path": film.poster_path,
                "production_companies": [],
                "production_countries": self.production_countries(),
                "release_date": self.date(),
                "revenue": 0,
                "runtime": film.runtime,
                "spoken_languages": [],
                "status": "Released",
                "tagline": "",
                "title": film.title,
                "video": false,
                "vote_average": self.vote_average(),
                "vote_count": self.vote_count(),
            }),
            Kind::Tv => json!({
                "adult": false,
                "backdrop_path": null,
                "created_by": [],
                "episode_run_time": [film.runtime],
                "first_air_date": self.date(),
                "genres": self.genres(),
                "homepage": "",
                "id": film.id,
                "in_production": false,
                "languages": [film.original_language],
                "name": film.title,
                "number_of_episodes": film.episodes,
                "number_of_seasons": film.episodes.div_ceil(10),
                "origin_country": film.countries.first().map(|c| vec![*c]).unwrap_or_default(),
                "original_language": film.original_language,
                "original_name": film.original_title,
                "overview": "",
                "popularity": self.popularity(),
                "poster_path": film.poster_path,
                "production_countries": self.production_countries(),
                "status": "Ended",
                "type": "Scripted",
                "vote_average": self.vote_average(),
                "vote_count": self.vote_count(),
            }),
        };
        if let Some(object) = body.as_object_mut() {
            if append.contains(&"external_ids") {
                object.insert("external_ids".into(), self.external_ids());
            }
            if append.contains(&"watch/providers") {
                object.insert("watch/providers".into(), self.providers(seed, false));
            }
        }
        body
    }

    fn external_ids(&self) -> Value {
        let film = self.film;
        match film.kind {
            Kind::Movie => json!({
                "imdb_id": film.imdb_id,
                "wikidata_id": null,
                "facebook_id": null,
                "instagram_id": null,
                "twitter_id": null,
            }),
            Kind::Tv => json!({
                "imdb_id": film.imdb_id,
                "tvdb_id": null,
                "wikidata_id": null,
                "facebook_id": null,
            }),
        }
    }

    /// Offers per country, drawn from the seed, the title and its revision. `with_id` for the
    /// standalone endpoint, which names the title.
    pub fn providers(&self, seed: u64, with_id: bool) -> Value {
        let film = self.film;
        let key = |what: &str, country: &str, service: u32| {
            let text = format!(
                "{what}\0{:?}\0{}\0{}\0{country}\0{service}",
                film.kind, film.id, self.revision
            );
            unit(hash(seed, text.as_bytes()))
        };
        // Popular titles stream more widely.
        let reach = (0.15 + film.popularity.ln_1p() / 25.0).min(0.45);
        let mut results = serde_json::Map::new();
        for (country, services) in PROVIDER_COUNTRIES {
            if key("offered", country, 0) < 0.2 {
                continue;
            }
            let pick = |what: &str, list: &[Service], share: f64| -> Vec<Value> {
                list.iter()
                    .enumerate()
                    .filter(|(_, (id, _, _))| key(what, country, *id) < share)
                    .map(|(priority, (id, name, logo))| {
                        json!({
                            "logo_path": logo,
                            "provider_id": id,
                            "provider_name": name,
                            "display_priority": priority,
                        })
                    })
                    .collect()
            };
            let link = format!(
                "https://www.themoviedb.org/{}/{}/watch?locale={country}",
                match film.kind {
                    Kind::Movie => "movie",
                    Kind::Tv => "tv",
                },
                film.id
            );
            let mut offers = serde_json::Map::new();
            offers.insert("link".into(), link.into());
            for (what, list, share) in [
                ("flatrate", services, reach),
                ("rent", &STORES[..], 0.6),
                ("buy", &STORES[..], 0.7),
            ] {
                let picked = pick(what, list, share);
                if !picked.is_empty() {
                    offers.insert(what.into(), picked.into());
                }
            }
            results.insert(country.into(), offers.into());
        }
        if with_id {
            json!({"id": film.id, "results": results})
        } else {
            json!({"results": results})
        }
    }

    /// A search hit.
    pub fn hit(&self) -> Value {
        let film = self.film;
        let genre_ids: Vec<u32> = film.genres.iter().map(|(id, _)| *id).collect();
        match film.kind {
            Kind::Movie => json!({
                "adult": false,
                "backdrop_path": null,
                "genre_ids": genre_ids,
                "id": film.id,
                "original_language": film.original_language,
                "original_title": film.original_title,
                "overview": "",
                "popularity": self.popularity(),
                "poster_path": film.poster_path,
                "release_date": self.date(),
                "title": film.title,
                "video": false,
                "vote_average": self.vote_average(),
                "vote_count": self.vote_count(),
            }),
            Kind::Tv => json!({
                "adult": false,
                "backdrop_path": null,
                "genre_ids": genre_ids,
                "id": film.id,
                "origin_country": film.countries.first().map(|c| vec![*c]).unwrap_or_default(),
                "original_language": film.original_language,
                "original_name": film.original_title,
                "overview": "",
                "popularity": self.popularity(),
                "poster_path": film.poster_path,
                "first_air_date": self.date(),
                "name": film.title,
                "vote_average": self.vote_average(),
                "vote_count": self.vote_count(),
            }),
        }
    }

    /// One line of a daily id export.
    pub fn export_line(&self) -> Value {
        let film = self.film;
        match film.kind {
            Kind::Movie => json!({
                "adult": false,
                "id": film.id,
                "original_title": film.original_title,
                "popularity": self.popularity(),
                "video": false,
            }),
            Kind::Tv => json!({
                "id": film.id,
                "original_name": film.original_title,
                "popularity": self.popularity(),
            }),
        }
    }
}

/// `/genre/movie/list`.
pub(crate) fn genre_list() -> Value {
    let genres: Vec<Value> = MOVIE_GENRES
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name}))
        .collect();
    json!({ "genres": genres })
}

/// `/configuration`, with images served by the simulator itself at `image_root`.
pub(crate) fn configuration(image_root: &str) -> Value {
    json!({
        "images": {
            "base_url": image_root,
            "secure_base_url": image_root,
            "backdrop_sizes": ["w300", "w780", "w1280", "original"],
            "logo_sizes": ["w45", "w92", "w154", "w185", "w300", "w500", "original"],
            "poster_sizes": ["w92", "w154", "w185", "w342", "w500", "w780", "original"],
            "profile_sizes": ["w45", "w185", "h632", "original"],
            "still_sizes": ["w92", "w185", "w300", "original"],
        },
        "change_keys": ["genres", "images", "imdb_id", "original_title", "release_dates", "runtime", "title"],
    })
}

/// TMDB's error body (`status_code` is TMDB's own numbering).
pub(crate) fn error(status_code: u32, message: &str) -> Value {
    json!({"success": false, "status_code": status_code, "status_message": message})
}
