//! A generated film list of any size, for worlds larger than a dataset (a 100,000-film sync).

use rand::Rng;
use rand::seq::IndexedRandom;

use crate::films_file::{Kind, SourceFilm};
use crate::seed::rng_for;
use crate::tables::MOVIE_GENRES;

// Some words carry diacritics so generated titles exercise accent-insensitive search.
const FIRST: &[&str] = &[
    "Silent", "Crimson", "Last", "Broken", "Golden", "Hidden", "Endless", "Wild", "Quiet",
    "Burning", "Lonely", "Electric", "Frozen", "Secret", "Distant", "Velvet", "Été", "Señor",
    "Mañana", "Noël", "Café", "Über", "Forêt", "Sœur",
];
const SECOND: &[&str] = &[
    "Harbor", "Summer", "River", "City", "Garden", "Mirror", "Station", "Kingdom", "Witness",
    "Orchard", "Horizon", "Lantern", "Shadow", "Island", "Carnival", "Frontier", "Letter",
    "Machine", "Storm", "Memory", "House", "Road", "Dream", "Tide",
];
const LANGUAGES: &[&str] = &[
    "en", "en", "en", "fr", "ja", "ko", "de", "it", "es", "hi", "sv",
];

/// `count` films from `seed`: titles from word lists (numbered past the first few thousand, so
/// every title is distinct), years 1920-2026, 3% series; about a third lack community figures
/// and one in twenty a runtime, as newer and obscurer titles do.
pub fn films(count: usize, seed: u64) -> Vec<SourceFilm> {
    (0..count)
        .map(|index| {
            let mut rng = rng_for(seed, "synthetic", index as u64);
            let first = FIRST[index % FIRST.len()];
            let second = SECOND[(index / FIRST.len()) % SECOND.len()];
            let round = index / (FIRST.len() * SECOND.len());
            let title = if round == 0 {
                format!("The {first} {second}")
            } else {
                format!("{first} {second} {}", round + 1)
            };
            let genres = (0..rng.random_range(1..=3))
                .filter_map(|_| MOVIE_GENRES.choose(&mut rng))
                .map(|(_, name)| (*name).to_owned())
                .collect();
            let known = rng.random::<f64>() >= 0.33;
            SourceFilm {
                slug: format!("synthetic-{index}"),
                title,
                original_title: None,
                year: Some(rng.random_range(1920..=2026)),
                runtime: (rng.random::<f64>() >= 0.05).then(|| rng.random_range(70..=180)),
                genres,
                language: LANGUAGES.choose(&mut rng).map(|l| (*l).to_owned()),
                popularity: known.then(|| 10f64.powf(rng.random_range(-0.3..2.5))),
                kind: Some(if rng.random::<f64>() < 0.03 {
                    Kind::Tv
                } else {
                    Kind::Movie
                }),
                lb_rating: known.then(|| rng.random_range(1.5..4.6)),
                lb_rating_count: known.then(|| 10f64.powf(rng.random_range(1.0..5.5)) as u64),
                tmdb_id: None,
                imdb_id: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_lists_repeat_for_a_seed_and_have_distinct_titles() {
        let films = films(2_000, 9);
        assert_eq!(films, super::films(2_000, 9));
        let titles: std::collections::HashSet<_> = films.iter().map(|f| &f.title).collect();
        assert_eq!(titles.len(), 2_000);
        assert!(films.iter().any(|f| f.lb_rating.is_none()));
    }
}
