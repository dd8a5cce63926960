//! TMDB's details as a catalog [`Film`]: its genre names onto our 19, its countries named as
//! Letterboxd names them, its own figures kept for the calibration.

use model::{ContentType, CountryCode, Film, FilmKey, Genre, GenreSet, Offer, OfferKind, TmdbRef};
use tmdb::{Country, ImageConfig, MovieDetails, TvDetails, WatchProviders};

/// A card's poster width; the URL of a larger size is the same path at another size.
const POSTER_WIDTH: u32 = 230;

/// Our genres for TMDB's genre names. Movie genres are Letterboxd's 19 names; series genres
/// combine two (`Sci-Fi & Fantasy`) or have no counterpart (`News`, `Reality`, `Talk`), which
/// are left out.
pub fn genres_of(names: impl IntoIterator<Item = impl AsRef<str>>) -> GenreSet {
    names
        .into_iter()
        .flat_map(|name| match name.as_ref() {
            "Sci-Fi & Fantasy" => vec![Genre::ScienceFiction, Genre::Fantasy],
            "Action & Adventure" => vec![Genre::Action, Genre::Adventure],
            "War & Politics" => vec![Genre::War],
            "Kids" => vec![Genre::Family],
            other => Genre::parse(other).into_iter().collect(),
        })
        .collect()
}

/// A country as Letterboxd names it, from TMDB's ISO 3166-1 code and English name: the
/// features encode Letterboxd's names ("USA", "UK").
pub fn country_name(country: &Country) -> String {
    match country.iso_3166_1.as_str() {
        "US" => "USA".to_owned(),
        "GB" => "UK".to_owned(),
        "SU" => "USSR".to_owned(),
        "KR" => "South Korea".to_owned(),
        _ if !country.name.is_empty() => country.name.clone(),
        code => code.to_owned(),
    }
}

fn countries(production: &[Country], origin: &[String]) -> Vec<String> {
    if production.is_empty() {
        return origin
            .iter()
            .map(|code| {
                country_name(&Country {
                    iso_3166_1: code.clone(),
                    name: String::new(),
                })
            })
            .collect();
    }
    production.iter().map(country_name).collect()
}

fn language(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_lowercase();
    (code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())).then_some(code)
}

fn figures(film: &mut Film, popularity: f64, vote_average: f64, vote_count: u64) {
    film.tmdb_popularity = Some(popularity as f32).filter(|p| p.is_finite() && *p >= 0.0);
    // TMDB shows 0.0 for a film nobody voted on: that is no figure, not the worst one.
    film.tmdb_vote_count = Some(u32::try_from(vote_count).unwrap_or(u32::MAX));
    film.tmdb_vote_average =
        Some(vote_average as f32).filter(|avg| vote_count > 0 && (0.0..=10.0).contains(avg));
}

/// A logo's width in a film card.
const LOGO_WIDTH: u32 = 92;

/// Every offer of every country, as the catalog stores them (`ads` counts as free). `None` when
/// the details came without watch providers (not asked for), `Some(empty)` when nothing streams.
fn offers(providers: Option<&WatchProviders>, images: &ImageConfig) -> Option<Vec<Offer>> {
    let providers = providers?;
    let mut offers = Vec::new();
    for (country, offered) in &providers.results {
        let Ok(country) = CountryCode::parse(country) else {
            continue;
        };
        let kinds = [
            (OfferKind::Flatrate, &offered.flatrate),
            (OfferKind::Free, &offered.free),
            (OfferKind::Free, &offered.ads),
            (OfferKind::Rent, &offered.rent),
            (OfferKind::Buy, &offered.buy),
        ];
        for (kind, list) in kinds {
            for provider in list {
                offers.push(Offer {
                    country,
                    provider_id: provider.provider_id,
                    provider_name: provider.provider_name.clone(),
                    logo_url: provider
                        .logo_path
                        .as_deref()
                        .and_then(|path| images.logo_url(path, LOGO_WIDTH)),
                    kind,
                });
            }
        }
    }
    offers.sort_by(|a, b| {
        (a.country, a.provider_id, a.kind).cmp(&(b.country, b.provider_id, b.kind))
    });
    offers
        .dedup_by(|a, b| (a.country, a.provider_id, a.kind) == (b.country, b.provider_id, b.kind));
    Some(offers)
}

/// What movie and series details both carry, borrowed from either.
struct Common<'a> {
    tmdb: TmdbRef,
    title: &'a str,
    year: Option<u16>,
    runtime_minutes: Option<u32>,
    genres: &'a [tmdb::Genre],
    production_countries: &'a [Country],
    origin_country: &'a [String],
    original_language: &'a str,
    poster_path: Option<&'a str>,
    imdb_id: Option<&'a str>,
    popularity: f64,
    vote_average: f64,
    vote_count: u64,
    watch_providers: Option<&'a WatchProviders>,
}

/// The film keyed by the details' TMDB record, with everything the catalog keeps of them.
fn film_of(details: Common<'_>, images: &ImageConfig) -> Film {
    let mut film = Film::stub(FilmKey::tmdb(details.tmdb), details.title);
    film.year = details.year;
    film.runtime_minutes = details.runtime_minutes.and_then(|m| u16::try_from(m).ok());
    film.genres = genres_of(details.genres.iter().map(|g| &g.name));
    film.countries = countries(details.production_countries, details.origin_country);
    film.language = language(details.original_language);
    film.content_type = details.tmdb.kind;
    film.poster_url = details
        .poster_path
        .and_then(|path| images.poster_url(path, POSTER_WIDTH));
    film.imdb_id = details.imdb_id.map(str::to_owned);
    figures(
        &mut film,
        details.popularity,
        details.vote_average,
        details.vote_count,
    );
    film.availability = offers(details.watch_providers, images);
    film
}

/// A movie's details as a film keyed `tmdb:movie:<id>`. When the catalog already holds the film
/// (by its TMDB record), the store merges this into it and keeps the stored key.
pub fn movie_film(details: &MovieDetails, images: &ImageConfig) -> Film {
    film_of(
        Common {
            tmdb: TmdbRef {
                kind: ContentType::Movie,
                id: details.id,
            },
            title: &details.title,
            year: details.year(),
            runtime_minutes: details.runtime_minutes(),
            genres: &details.genres,
            production_countries: &details.production_countries,
            origin_country: &details.origin_country,
            original_language: &details.original_language,
            poster_path: details.poster_path.as_deref(),
            imdb_id: details.imdb_id(),
            popularity: details.popularity,
            vote_average: details.vote_average,
            vote_count: details.vote_count,
            watch_providers: details.watch_providers.as_ref(),
        },
        images,
    )
}

/// A series' details as a film keyed `tmdb:tv:<id>` (Letterboxd lists mini-series as films); its
/// runtime is an episode's length times the episodes.
pub fn tv_film(details: &TvDetails, images: &ImageConfig) -> Film {
    film_of(
        Common {
            tmdb: TmdbRef {
                kind: ContentType::Tv,
                id: details.id,
            },
            title: &details.name,
            year: details.year(),
            runtime_minutes: details
                .episode_minutes()
                .zip(details.number_of_episodes)
                .map(|(minutes, episodes)| minutes * episodes.max(1)),
            genres: &details.genres,
            production_countries: &details.production_countries,
            origin_country: &details.origin_country,
            original_language: &details.original_language,
            poster_path: details.poster_path.as_deref(),
            imdb_id: details.imdb_id(),
            popularity: details.popularity,
            vote_average: details.vote_average,
            vote_count: details.vote_count,
            watch_providers: details.watch_providers.as_ref(),
        },
        images,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tmdb_genre_names_map_onto_ours() {
        let genres = genres_of(["Science Fiction", "TV Movie", "Sci-Fi & Fantasy", "News"]);
        let names: Vec<&str> = genres.iter().map(Genre::name).collect();
        assert_eq!(names, ["Fantasy", "Science Fiction", "TV Movie"]);
    }

    #[test]
    fn countries_are_named_as_letterboxd_names_them() {
        let country = |code: &str, name: &str| Country {
            iso_3166_1: code.into(),
            name: name.into(),
        };
        assert_eq!(
            country_name(&country("US", "United States of America")),
            "USA"
        );
        assert_eq!(country_name(&country("GB", "United Kingdom")), "UK");
        assert_eq!(country_name(&country("FR", "France")), "France");
        assert_eq!(country_name(&country("XX", "")), "XX");
    }

    #[test]
    fn a_movie_becomes_a_tmdb_keyed_film_with_its_figures() {
        let details: MovieDetails = serde_json::from_value(serde_json::json!({
            "id": 603, "title": "The Matrix", "original_language": "en",
            "release_date": "1999-03-31", "runtime": 136,
            "genres": [{"id": 28, "name": "Action"}, {"id": 878, "name": "Science Fiction"}],
            "production_countries": [{"iso_3166_1": "US", "name": "United States of America"}],
            "poster_path": "/matrix.jpg", "popularity": 80.5, "vote_average": 8.2,
            "vote_count": 25000, "external_ids": {"imdb_id": "tt0133093"}
        }))
        .unwrap();
        let images = ImageConfig {
            secure_base_url: "https://image.tmdb.org/t/p/".into(),
            poster_sizes: vec!["w185".into(), "w342".into(), "original".into()],
            logo_sizes: vec![],
        };
        let film = movie_film(&details, &images);
        assert_eq!(film.key.as_str(), "tmdb:movie:603");
        assert_eq!(film.slug, None);
        assert_eq!((film.year, film.runtime_minutes), (Some(1999), Some(136)));
        assert_eq!(film.countries, ["USA"]);
        assert_eq!(film.language.as_deref(), Some("en"));
        assert_eq!(film.imdb_id.as_deref(), Some("tt0133093"));
        assert_eq!(
            film.poster_url.as_deref(),
            Some("https://image.tmdb.org/t/p/w342/matrix.jpg")
        );
        assert_eq!(
            (film.tmdb_vote_average, film.tmdb_vote_count),
            (Some(8.2), Some(25000))
        );
        assert_eq!((film.lb_average, film.lb_rating_count), (None, None));
        assert_eq!(
            film.availability, None,
            "no providers asked for, none known"
        );
    }

    #[test]
    fn watch_providers_become_offers_per_country() {
        let details: MovieDetails = serde_json::from_value(serde_json::json!({
            "id": 7, "title": "Streams",
            "watch/providers": {"results": {
                "US": {"flatrate": [{"provider_id": 8, "provider_name": "Netflix", "logo_path": "/n.jpg"}],
                       "ads": [{"provider_id": 73, "provider_name": "Tubi TV"}]},
                "GB": {"rent": [{"provider_id": 2, "provider_name": "Apple TV"}]},
                "XYZ": {"buy": [{"provider_id": 3, "provider_name": "Bad country"}]}
            }}
        }))
        .unwrap();
        let film = movie_film(&details, &ImageConfig::default());
        let offers: Vec<(&str, u32, OfferKind)> = film
            .availability
            .as_ref()
            .unwrap()
            .iter()
            .map(|o| (o.country.as_str(), o.provider_id, o.kind))
            .collect();
        assert_eq!(
            offers,
            [
                ("GB", 2, OfferKind::Rent),
                ("US", 8, OfferKind::Flatrate),
                ("US", 73, OfferKind::Free)
            ]
        );
    }

    #[test]
    fn no_votes_is_no_average() {
        let details: MovieDetails = serde_json::from_value(serde_json::json!({
            "id": 1, "title": "Unseen", "vote_average": 0.0, "vote_count": 0
        }))
        .unwrap();
        let film = movie_film(&details, &ImageConfig::default());
        assert_eq!(
            (film.tmdb_vote_average, film.tmdb_vote_count),
            (None, Some(0))
        );
    }
}
