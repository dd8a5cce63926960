//! The world of a dataset in the `letterboxd-1m` format: its films, and every member's ratings
//! of every split. What the dataset lacks is drawn deterministically per member: likes,
//! watched-but-unrated films and a watchlist of films the member has not rated. Ids the dataset
//! does not carry (boxd.it, TMDB, IMDb) are derived from the slug so the pages carry them.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use model::{Film, Rating, Username};
use rand::Rng;
use rand::seq::SliceRandom;

use crate::render::film::language_name;
use crate::seed::{base62, hash, rng_for};
use crate::synthetic::draw_unseen;
use crate::world::{Diary, DiaryEntry, Films, Members, World};
use letterboxd::dataset::DatasetError;

/// Fixed, so every run of the simulator serves the same world for the same dataset.
const WORLD_SEED: u64 = 0x5eed_1e77_e7b0_0c5d;

pub(crate) fn load(dir: &Path) -> Result<World, DatasetError> {
    let films_path = existing(dir, "films.csv");
    let ratings_path = existing(dir, "ratings.csv");
    let mut films = letterboxd::dataset::read_films(&films_path)?;
    for film in &mut films {
        complete_ids(film);
        // A language the film page cannot name would not survive a round trip.
        film.language = film
            .language
            .take()
            .filter(|code| language_name(code).is_some());
    }
    let by_slug: HashMap<_, _> = films
        .iter()
        .enumerate()
        .map(|(index, film)| (film.key.clone(), index as u32))
        .collect();

    let mut rated: HashMap<Username, Vec<(u32, Rating)>> = HashMap::new();
    let mut unknown_films = 0usize;
    letterboxd::dataset::for_each_rating(&ratings_path, |row| match by_slug.get(&row.key) {
        Some(&film) => rated.entry(row.user).or_default().push((film, row.rating)),
        None => unknown_films += 1,
    })?;
    if unknown_films > 0 {
        tracing::warn!(
            ratings = unknown_films,
            "ratings of films missing from films.csv were skipped"
        );
    }

    let film_count = films.len();
    let diaries: HashMap<Username, Diary> = rated
        .into_iter()
        .map(|(name, ratings)| {
            let diary = draw_diary(&name, ratings, film_count);
            (name, diary)
        })
        .collect();
    let mut names: Vec<Username> = diaries.keys().cloned().collect();
    names.sort_by(|a, b| {
        let size = |name: &Username| diaries.get(name).map_or(0, |d| d.entries.len());
        size(b).cmp(&size(a)).then_with(|| a.cmp(b))
    });
    Ok(World::from_parts(
        Films::Listed { films, by_slug },
        Members::Listed { names, diaries },
    ))
}

/// `films.csv.gz` when present, else `films.csv`.
fn existing(dir: &Path, name: &str) -> std::path::PathBuf {
    let gz = dir.join(format!("{name}.gz"));
    if gz.exists() { gz } else { dir.join(name) }
}

fn complete_ids(film: &mut Film) {
    let h = hash(WORLD_SEED, film.key.as_str().as_bytes());
    film.boxd_id = Some(match film.letterboxd_id {
        Some(id) => base62(id * 7 + 11),
        None => base62(h % 1_000_000_000),
    });
    let tmdb = 1_000 + (h >> 8) % 1_500_000;
    film.tmdb = Some(model::TmdbRef {
        kind: film.content_type,
        id: tmdb,
    });
    film.imdb_id = Some(format!("tt{:07}", 1_000_000 + (h >> 32) % 8_999_999));
}

/// A member's diary around their real ratings. Rated films keep their ratings; about one film in
/// ten more is watched without a rating; favourites are liked; the watchlist holds unrated films.
fn draw_diary(name: &Username, ratings: Vec<(u32, Rating)>, film_count: usize) -> Diary {
    let mut rng = rng_for(WORLD_SEED, name.as_str(), 0);
    let mut seen: HashSet<u32> = HashSet::with_capacity(ratings.len() * 2);
    let mut entries: Vec<DiaryEntry> = Vec::with_capacity(ratings.len() * 11 / 10);
    for (film, rating) in ratings {
        // A film rated twice in the data (should not happen) keeps its first rating.
        if seen.insert(film) {
            let like_chance = match rating.half_stars() {
                9..=10 => 0.5,
                7..=8 => 0.15,
                _ => 0.02,
            };
            entries.push(DiaryEntry {
                film,
                rating: Some(rating),
                liked: rng.random_bool(like_chance),
            });
        }
    }
    let free = film_count.saturating_sub(seen.len());
    let unrated = (entries.len() / 10).min(free);
    for film in draw_unseen(&mut rng, film_count, &seen, unrated) {
        seen.insert(film);
        entries.push(DiaryEntry {
            film,
            rating: None,
            liked: rng.random_bool(0.1),
        });
    }
    entries.shuffle(&mut rng);
    let free = film_count.saturating_sub(seen.len());
    let watchlist_len = rng.random_range(0..=80usize).min(free);
    let watchlist = draw_unseen(&mut rng, film_count, &seen, watchlist_len);
    Diary { entries, watchlist }
}
