//! Generated worlds read back through the dataset reader that `reel import` and `--data` use,
//! and hold the dataset's protocol and shape.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failure is a failed test"
)]

use std::collections::{HashMap, HashSet};
use std::path::Path;

use letterboxd::dataset::{self, DatasetRating, Split};
use letterboxd_sim::World;
use letterboxd_sim::generate::{WorldCounts, WorldParams, write_world};
use model::{Film, FilmKey, Genre, Username};

const FILMS: usize = 2_000;
const MEMBERS: usize = 300;

fn small_world(seed: u64) -> (tempfile::TempDir, WorldCounts) {
    let dir = tempfile::tempdir().unwrap();
    let spec = WorldParams::new(FILMS, MEMBERS, seed).check().unwrap();
    let counts = write_world(&spec, dir.path()).unwrap();
    (dir, counts)
}

fn read_back(dir: &Path) -> (Vec<Film>, Vec<DatasetRating>) {
    let films = dataset::read_films(&dir.join("films.csv.gz")).unwrap();
    let mut ratings = Vec::new();
    dataset::for_each_rating(&dir.join("ratings.csv.gz"), |row| ratings.push(row)).unwrap();
    (films, ratings)
}

fn per_member(ratings: &[DatasetRating]) -> HashMap<&Username, Vec<&DatasetRating>> {
    let mut members: HashMap<&Username, Vec<&DatasetRating>> = HashMap::new();
    for row in ratings {
        members.entry(&row.user).or_default().push(row);
    }
    members
}

#[test]
fn a_small_world_reads_back_without_errors() {
    let (dir, counts) = small_world(7);
    let (films, ratings) = read_back(dir.path());
    assert_eq!(films.len(), FILMS);
    let slugs: HashSet<&FilmKey> = films.iter().map(|film| &film.key).collect();
    assert_eq!(slugs.len(), FILMS, "slugs are not unique");
    assert!(ratings.iter().all(|row| slugs.contains(&row.key)));
    assert!(films.iter().all(|film| film.letterboxd_id.is_some()));
    assert!(films.iter().any(|film| film.title.contains(',')));
    assert!(films.iter().any(|film| film.title.contains('"')));

    assert_eq!(per_member(&ratings).len(), MEMBERS);
    assert_eq!(ratings.len() as u64, counts.ratings());
    let mean = ratings.len() as f64 / MEMBERS as f64;
    assert!((165.0..275.0).contains(&mean), "{mean} ratings per member");

    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("world.json")).unwrap()).unwrap();
    assert_eq!(json["spec"]["films"], FILMS);
    assert_eq!(json["counts"]["test_ratings"], counts.test_ratings);

    let world = World::from_dataset(dir.path()).unwrap();
    assert_eq!(world.film_count(), FILMS);
    assert_eq!(world.member_count(), MEMBERS);
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let (first, _) = small_world(3);
    let (again, _) = small_world(3);
    let (other, _) = small_world(4);
    for name in ["films.csv.gz", "ratings.csv.gz", "world.json"] {
        let read = |dir: &tempfile::TempDir| std::fs::read(dir.path().join(name)).unwrap();
        assert_eq!(read(&first), read(&again), "{name} differs for one seed");
        if name != "world.json" {
            assert_ne!(read(&first), read(&other), "{name} ignores the seed");
        }
    }
}

#[test]
fn splits_follow_the_protocol() {
    let (dir, counts) = small_world(11);
    let (_, ratings) = read_back(dir.path());
    let members = per_member(&ratings);
    let mut community = 0;
    let (mut train, mut test) = (0usize, 0usize);
    for rows in members.values() {
        let splits: HashSet<Split> = rows.iter().map(|row| row.split).collect();
        if splits.contains(&Split::Community) {
            assert_eq!(splits.len(), 1, "a community member with scored rows");
            community += 1;
        } else {
            assert_eq!(
                splits.len(),
                2,
                "a scored member without train or test rows"
            );
            let tests = rows.iter().filter(|row| row.split == Split::Test).count();
            let share = tests as f64 / rows.len() as f64;
            assert!((0.1..=0.3).contains(&share), "test share {share}");
            train += rows.len() - tests;
            test += tests;
        }
    }
    assert_eq!(community, counts.community_members);
    let share = community as f64 / MEMBERS as f64;
    assert!((0.3..0.5).contains(&share), "community share {share}");
    let test_share = test as f64 / (train + test) as f64;
    assert!(
        (0.18..0.22).contains(&test_share),
        "test share {test_share}"
    );
    assert_eq!(
        (train as u64, test as u64),
        (counts.train_ratings, counts.test_ratings)
    );
}

#[test]
fn no_member_rates_a_film_twice() {
    let (dir, _) = small_world(5);
    let (_, ratings) = read_back(dir.path());
    let pairs: HashSet<(&Username, &FilmKey)> =
        ratings.iter().map(|row| (&row.user, &row.key)).collect();
    assert_eq!(pairs.len(), ratings.len());
}

#[test]
fn popularity_and_activity_are_long_tailed() {
    let (dir, _) = small_world(13);
    let (_, ratings) = read_back(dir.path());
    let mut by_film: HashMap<&FilmKey, usize> = HashMap::new();
    for row in &ratings {
        *by_film.entry(&row.key).or_default() += 1;
    }
    let mut film_counts: Vec<usize> = by_film.into_values().collect();
    film_counts.sort_unstable_by(|a, b| b.cmp(a));
    let top: usize = film_counts[..FILMS / 100].iter().sum();
    let top_share = top as f64 / ratings.len() as f64;
    assert!(top_share > 0.05, "the top 1% of films hold {top_share}");
    let top_tenth: usize = film_counts[..FILMS / 10].iter().sum();
    let tenth_share = top_tenth as f64 / ratings.len() as f64;
    assert!(tenth_share > 0.3, "the top 10% of films hold {tenth_share}");

    let mut activity: Vec<usize> = per_member(&ratings).values().map(Vec::len).collect();
    activity.sort_unstable();
    let (median, most) = (activity[activity.len() / 2], activity[activity.len() - 1]);
    assert!(most > 8 * median, "most active {most}, median {median}");
    assert!(activity[0] >= 5, "a member with {} ratings", activity[0]);
}

#[test]
fn lb_rating_is_the_community_mean() {
    let (dir, _) = small_world(17);
    let (films, ratings) = read_back(dir.path());
    let mut community: HashMap<&FilmKey, (f64, u32)> = HashMap::new();
    let mut rated: HashMap<&FilmKey, u32> = HashMap::new();
    for row in &ratings {
        *rated.entry(&row.key).or_default() += 1;
        if row.split == Split::Community {
            let entry = community.entry(&row.key).or_default();
            entry.0 += f64::from(row.rating.stars());
            entry.1 += 1;
        }
    }
    let mut checked = 0;
    for film in &films {
        match (community.get(&film.key), film.lb_average) {
            (Some(&(sum, n)), Some(average)) => {
                let mean = sum / f64::from(n);
                assert!(
                    (f64::from(average) - mean).abs() < 0.001,
                    "{}: {average} against {mean}",
                    film.key
                );
                checked += 1;
            }
            (None, None) => {}
            (want, got) => panic!("{}: community {want:?}, lb_rating {got:?}", film.key),
        }
        let in_file = rated.get(&film.key).copied().unwrap_or(0);
        assert!(film.lb_rating_count.unwrap() > in_file, "{}", film.key);
    }
    assert!(
        checked > FILMS / 4,
        "only {checked} films with a community mean"
    );
}

#[test]
fn stars_peak_between_three_and_four() {
    let (dir, _) = small_world(19);
    let (_, ratings) = read_back(dir.path());
    let mut histogram = [0usize; 11];
    for row in &ratings {
        histogram[usize::from(row.rating.half_stars())] += 1;
    }
    let mode = (0..11).max_by_key(|&half| histogram[half]).unwrap();
    assert!(
        (6..=8).contains(&mode),
        "mode {mode} half stars: {histogram:?}"
    );
    assert!(histogram[1] > 0 && histogram[10] > 0, "{histogram:?}");
    let low = histogram[1..=4].iter().sum::<usize>() as f64 / ratings.len() as f64;
    assert!(
        (0.03..0.25).contains(&low),
        "{low} of ratings at 2 stars or less"
    );
}

#[test]
fn films_look_like_the_dataset() {
    let (dir, _) = small_world(23);
    let (films, _) = read_back(dir.path());
    let n = films.len() as f64;
    let missing_years = films.iter().filter(|f| f.year.is_none()).count() as f64 / n;
    assert!((0.015..0.06).contains(&missing_years), "{missing_years}");
    let recent = films.iter().filter(|f| f.year >= Some(1990)).count() as f64 / n;
    assert!(recent > 0.7, "{recent} since 1990");
    assert!(films.iter().all(|f| f.year.is_none_or(|y| y >= 1920)));
    assert!(
        films
            .iter()
            .filter_map(|f| f.runtime_minutes)
            .all(|m| (60..=240).contains(&m))
    );
    let with = |genre: Genre| films.iter().filter(|f| f.genres.contains(genre)).count();
    assert!(with(Genre::Drama) > with(Genre::Horror));
    assert!(with(Genre::Comedy) > 5 * with(Genre::Western));
    let english = films
        .iter()
        .filter(|f| f.language.as_deref() == Some("en"))
        .count() as f64
        / n;
    assert!((0.7..0.9).contains(&english), "{english} in English");
}

#[test]
fn bad_specs_are_refused() {
    let good = WorldParams::new(1_000, 10, 1);
    assert!(good.check().is_ok());
    let bad = [
        WorldParams { films: 0, ..good },
        WorldParams { members: 0, ..good },
        WorldParams {
            community_share: 0.0,
            ..good
        },
        WorldParams {
            community_share: 1.0,
            ..good
        },
        WorldParams {
            community_share: f64::NAN,
            ..good
        },
        WorldParams {
            ratings_per_member: 0.0,
            ..good
        },
        // More than any member could rate among 1,000 films.
        WorldParams {
            ratings_per_member: 1_000.0,
            ..good
        },
    ];
    for params in bad {
        let err = params.check().unwrap_err();
        assert!(!err.to_string().is_empty(), "{params:?}");
    }
}
