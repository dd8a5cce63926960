//! The simulated TMDB's titles: every film of a list given TMDB's figures, deterministically
//! from the list and the seed, so the same flags serve the same world on every machine.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rand::Rng;

use crate::films_file::{Kind, SourceFilm};
use crate::seed::{hash, normal, rng_for};
use crate::tables::{country_of_language, movie_genre, tv_genre};

/// One title as TMDB would hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct SimFilm {
    pub id: u64,
    pub kind: Kind,
    pub slug: String,
    pub title: String,
    pub original_title: String,
    pub original_language: String,
    /// The year the list gave (Letterboxd's premiere year); TMDB's release may be a year later.
    pub list_year: Option<u16>,
    pub release_date: Option<NaiveDate>,
    /// Minutes: a movie's length, a series' episode length.
    pub runtime: u32,
    /// Series only.
    pub episodes: u32,
    pub genres: Vec<(u32, &'static str)>,
    pub countries: Vec<&'static str>,
    pub popularity: f64,
    pub vote_average: f64,
    pub vote_count: u64,
    pub imdb_id: Option<String>,
    pub poster_path: Option<String>,
    /// Titles as search compares them.
    pub(crate) search_keys: [String; 2],
}

impl SimFilm {
    pub fn year(&self) -> Option<u16> {
        use chrono::Datelike;
        self.release_date
            .and_then(|date| u16::try_from(date.year()).ok())
    }
}

/// Every title, with lookups by id and the search keys.
#[derive(Debug, Clone)]
pub struct World {
    films: Vec<SimFilm>,
    by_id: HashMap<(Kind, u64), usize>,
    seed: u64,
}

/// Ids drawn for films the list gives none: the range of TMDB's movie ids today.
const ID_RANGE: u64 = 1_500_000;

impl World {
    /// The world of `films`: TMDB ids as given or drawn (unique per kind), figures from each
    /// film's community figures with noise, and plausible draws for what the list lacks.
    pub fn build(films: Vec<SourceFilm>, seed: u64) -> World {
        let mut taken: HashSet<(Kind, u64)> = films
            .iter()
            .filter_map(|film| Some((film.kind.unwrap_or(Kind::Movie), film.tmdb_id?)))
            .collect();
        let mut world = World {
            films: Vec::with_capacity(films.len()),
            by_id: HashMap::with_capacity(films.len()),
            seed,
        };
        for source in films {
            let kind = source.kind.unwrap_or(Kind::Movie);
            let id = match source.tmdb_id {
                Some(id) if !world.by_id.contains_key(&(kind, id)) => id,
                _ => {
                    let mut id =
                        hash(seed, format!("id\0{}", source.slug).as_bytes()) % ID_RANGE + 1;
                    while taken.contains(&(kind, id)) {
                        id = id % ID_RANGE + 1;
                    }
                    taken.insert((kind, id));
                    id
                }
            };
            let film = figures(source, kind, id, seed);
            world.by_id.insert((kind, id), world.films.len());
            world.films.push(film);
        }
        world
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn films(&self) -> &[SimFilm] {
        &self.films
    }

    pub fn len(&self) -> usize {
        self.films.len()
    }

    pub fn is_empty(&self) -> bool {
        self.films.is_empty()
    }

    pub fn get(&self, kind: Kind, id: u64) -> Option<&SimFilm> {
        self.by_id.get(&(kind, id)).map(|&at| &self.films[at])
    }

    pub fn by_slug(&self, slug: &str) -> Option<&SimFilm> {
        self.films.iter().find(|film| film.slug == slug)
    }

    /// Every title's vote figures as CSV, one row a title in world order:
    /// `slug,tmdb_id,vote_average,vote_count,popularity`. What `reel eval --tmdb-figures` reads
    /// to fit and measure the calibration of TMDB's figures onto Letterboxd's.
    pub fn write_figures(&self, out: impl std::io::Write) -> csv::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record(FIGURES_HEADER)?;
        for film in &self.films {
            writer.write_record([
                film.slug.clone(),
                film.id.to_string(),
                film.vote_average.to_string(),
                film.vote_count.to_string(),
                film.popularity.to_string(),
            ])?;
        }
        writer.flush()?;
        Ok(())
    }
}

/// The columns of [`World::write_figures`].
pub const FIGURES_HEADER: [&str; 5] = [
    "slug",
    "tmdb_id",
    "vote_average",
    "vote_count",
    "popularity",
];

fn figures(source: SourceFilm, kind: Kind, id: u64, seed: u64) -> SimFilm {
    let mut rng = rng_for(
        seed,
        "film",
        id ^ if kind == Kind::Tv { 1 << 40 } else { 0 },
    );
    let language = source.language.clone().unwrap_or_else(|| "en".to_owned());
    // About one film in ten reaches TMDB's primary release the year after its premiere.
    let shift = u16::from(rng.random::<f64>() < 0.1);
    let release_date = source.year.and_then(|year| {
        let month = if shift == 1 {
            rng.random_range(1..=3)
        } else {
            rng.random_range(1..=12)
        };
        NaiveDate::from_ymd_opt(i32::from(year + shift), month, rng.random_range(1..=28))
    });
    let runtime = source.runtime.unwrap_or_else(|| match kind {
        Kind::Movie => rng.random_range(80..=150),
        Kind::Tv => [22, 25, 30, 45, 50, 60][rng.random_range(0..6)],
    });
    let episodes = match kind {
        Kind::Movie => 0,
        Kind::Tv => rng.random_range(6..=80),
    };
    let mut genres: Vec<(u32, &'static str)> = source
        .genres
        .iter()
        .filter_map(|name| match kind {
            Kind::Movie => movie_genre(name),
            Kind::Tv => tv_genre(name),
        })
        .collect();
    genres.dedup();
    let home = country_of_language(&language);
    let mut countries = vec![home];
    if rng.random::<f64>() < 0.2 {
        let partner = ["GB", "FR", "DE", "US", "CA"][rng.random_range(0..5)];
        if partner != home {
            countries.push(partner);
        }
    }
    // Letterboxd's mean (0.5-5) onto TMDB's 0-10 scale, which crowds more near the middle.
    let lb = source
        .lb_rating
        .unwrap_or_else(|| 2.0 + 1.25 * (rng.random::<f64>() + rng.random::<f64>()));
    let vote_average = (2.0 + 1.3 * lb + 0.3 * normal(&mut rng)).clamp(1.0, 10.0);
    let lb_count = source
        .lb_rating_count
        .or_else(|| source.popularity.map(|p| (p * 400.0) as u64))
        .unwrap_or_else(|| 10f64.powf(rng.random_range(1.5..4.5)) as u64);
    let vote_count = ((lb_count as f64) * 0.4 * (0.4 * normal(&mut rng)).exp())
        .round()
        .max(1.0) as u64;
    let popularity = source.popularity.unwrap_or_else(|| {
        (0.6 + lb_count as f64 / 2_000.0 * (0.5 * normal(&mut rng)).exp()).min(500.0)
    });
    let imdb_id = source.imdb_id.clone().or_else(|| {
        (rng.random::<f64>() >= 0.05)
            .then(|| format!("tt{:07}", rng.random_range(100_000..9_999_999)))
    });
    let poster_path = (rng.random::<f64>() >= 0.04).then(|| {
        format!(
            "/{:016x}{:011x}.jpg",
            rng.random::<u64>(),
            rng.random::<u64>() >> 20
        )
    });
    let original_title = source
        .original_title
        .clone()
        .unwrap_or_else(|| source.title.clone());
    let search_keys = [
        tmdb::normalize_title(&source.title),
        tmdb::normalize_title(&original_title),
    ];
    SimFilm {
        id,
        kind,
        slug: source.slug,
        title: source.title,
        original_title,
        original_language: language,
        list_year: source.year,
        release_date,
        runtime,
        episodes,
        genres,
        countries,
        popularity: round3(popularity),
        vote_average: round3(vote_average),
        vote_count,
        imdb_id,
        poster_path,
        search_keys,
    }
}

pub(crate) fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(slug: &str, title: &str) -> SourceFilm {
        SourceFilm {
            slug: slug.into(),
            title: title.into(),
            year: Some(2001),
            ..SourceFilm::default()
        }
    }

    #[test]
    fn ids_are_kept_drawn_unique_and_the_same_for_the_same_seed() {
        let films = vec![
            SourceFilm {
                tmdb_id: Some(194),
                lb_rating: Some(4.1),
                lb_rating_count: Some(16_000),
                ..source("amelie", "Amélie")
            },
            source("heat", "Heat"),
            SourceFilm {
                kind: Some(Kind::Tv),
                ..source("show", "Show")
            },
        ];
        let world = World::build(films.clone(), 3);
        assert_eq!(world.get(Kind::Movie, 194).unwrap().slug, "amelie");
        let heat = world.by_slug("heat").unwrap();
        assert_ne!(heat.id, 194);
        assert_eq!(
            world
                .get(Kind::Tv, world.by_slug("show").unwrap().id)
                .unwrap()
                .kind,
            Kind::Tv
        );
        let again = World::build(films.clone(), 3);
        assert_eq!(again.films(), world.films());
        assert_ne!(World::build(films, 4).by_slug("heat").unwrap(), heat);
    }

    #[test]
    fn figures_are_written_as_csv_one_row_a_title() {
        let world = World::build(
            vec![
                SourceFilm {
                    tmdb_id: Some(194),
                    lb_rating: Some(4.1),
                    lb_rating_count: Some(16_000),
                    popularity: Some(12.5),
                    ..source("amelie", "Amélie")
                },
                source("heat", "Heat"),
            ],
            3,
        );
        let mut out = Vec::new();
        world.write_figures(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "slug,tmdb_id,vote_average,vote_count,popularity");
        assert_eq!(lines.len(), 3);
        let amelie = world.by_slug("amelie").unwrap();
        assert_eq!(
            lines[1],
            format!(
                "amelie,194,{},{},12.5",
                amelie.vote_average, amelie.vote_count
            )
        );
        assert!(lines[2].starts_with(&format!("heat,{},", world.by_slug("heat").unwrap().id)));
    }

    #[test]
    fn figures_follow_the_community_ones_and_missing_ones_are_plausible() {
        let good = World::build(
            (0..200)
                .map(|i| SourceFilm {
                    lb_rating: Some(4.5),
                    lb_rating_count: Some(50_000),
                    ..source(&format!("g{i}"), "Good")
                })
                .collect(),
            1,
        );
        let poor = World::build(
            (0..200)
                .map(|i| SourceFilm {
                    lb_rating: Some(1.5),
                    ..source(&format!("p{i}"), "Poor")
                })
                .collect(),
            1,
        );
        let mean = |world: &World| {
            world.films().iter().map(|f| f.vote_average).sum::<f64>() / world.len() as f64
        };
        assert!(mean(&good) > mean(&poor) + 3.0);
        for film in good.films().iter().chain(poor.films()) {
            assert!((1.0..=10.0).contains(&film.vote_average));
            assert!((80..=150).contains(&film.runtime));
            assert!(film.vote_count >= 1);
            let year = film.year().unwrap();
            assert!(year == 2001 || year == 2002);
        }
    }
}
