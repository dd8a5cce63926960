//! Round trip: what the simulator renders, our parsers and client read back exactly, for every
//! film of the shared dataset (render + parse, no HTTP: fast) and a sample of its members (over
//! HTTP, through the client).

use std::collections::HashMap;

use crate::support::*;
use letterboxd::parse::parse_film;
use letterboxd_sim::render::film::film_page;
use letterboxd_sim::{FaultPlan, SyntheticSpec, World};

#[test]
fn every_dataset_film_parses_back_from_its_page() {
    let world = dataset_world();
    assert!(world.film_count() > 7_000);
    let mut mismatches = Vec::new();
    for film in world.films() {
        match parse_film(&film_page(&film)) {
            Ok(parsed) if parsed == *film => {}
            Ok(parsed) => mismatches.push(format!("{film:?}\n  read back as {parsed:?}")),
            Err(err) => mismatches.push(format!("{}: {err}", film.key)),
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} films differ, first: {}",
        mismatches.len(),
        mismatches[0]
    );
}

#[test]
fn every_synthetic_film_parses_back_from_its_page() {
    let world = World::synthetic(SyntheticSpec {
        films: 3_000,
        members: 1,
        seed: 99,
    });
    for film in world.films() {
        assert_eq!(parse_film(&film_page(&film)).unwrap(), *film);
    }
}

#[test]
fn the_dataset_world_holds_every_rating_of_every_split() {
    let world = dataset_world();
    // Read independently of the world's loader: every row whose film the world has.
    let file = std::fs::File::open(dataset_dir().join("ratings.csv.gz")).unwrap();
    let mut rows = csv::Reader::from_reader(flate2::read::MultiGzDecoder::new(file));
    let mut expected: HashMap<(String, String), f32> = HashMap::new();
    let mut rows_read = 0;
    for row in rows.records() {
        let row = row.unwrap();
        rows_read += 1;
        let known = model::FilmKey::parse(&row[1])
            .ok()
            .is_some_and(|slug| world.film_by_slug(&slug).is_some());
        if known {
            expected.insert(
                (row[0].to_lowercase(), row[1].to_owned()),
                row[2].parse().unwrap(),
            );
        }
    }
    // Every row's film is in the world, `film:151796` (a film known only by its id) included.
    assert_eq!(expected.len(), rows_read);
    let mut found = 0;
    for rank in 0..world.member_count() {
        let name = world.member_at(rank).unwrap();
        let profile = world.profile(&name).unwrap();
        for (slug, rating) in &profile.ratings {
            let key = (name.to_string(), slug.to_string());
            assert_eq!(expected.get(&key), Some(&rating.stars()), "{key:?}");
            found += 1;
        }
        for slug in profile.watchlist.iter().chain(&profile.watched) {
            assert!(!expected.contains_key(&(name.to_string(), slug.to_string())));
        }
    }
    assert_eq!(found, expected.len());
}

#[tokio::test]
async fn a_sample_of_dataset_members_scrapes_back_exactly() {
    let sim = Sim::start_shared(dataset_world(), FaultPlan::default()).await;
    let client = sim.client();
    let members = sim.world.member_count();
    // Every 97th member by popularity: the largest and a spread of smaller profiles.
    for rank in (0..members).step_by(97) {
        let name = sim.world.member_at(rank).unwrap();
        let scraped = client.scrape_profile(&name, &has_all).await.unwrap();
        let truth = sim.world.profile(&name).unwrap();
        assert_same_profile(&scraped.profile, &truth, name.as_str());
        let diary = sim.world.diary(&name).unwrap();
        let pages = diary.entries.len().div_ceil(72).max(1)
            + diary.watchlist.len().div_ceil(72).max(1)
            + diary_pages(&sim.world, &name);
        assert_eq!(scraped.requests as usize, pages, "{name}");
    }
    sim.handle.stop().await;
}

/// Field by field, so a failure names the list and the first entry that differs.
fn assert_same_profile(got: &model::Profile, want: &model::Profile, name: &str) {
    fn first_difference<T: PartialEq + std::fmt::Debug>(got: &[T], want: &[T]) -> String {
        let at = got.iter().zip(want).position(|(g, w)| g != w);
        match at {
            Some(i) => format!("at {i}: {:?} != {:?}", got[i], want[i]),
            None => format!("lengths {} != {}", got.len(), want.len()),
        }
    }
    assert_eq!(got.username, want.username);
    for (list, same, diff) in [
        (
            "ratings",
            got.ratings == want.ratings,
            first_difference(&got.ratings, &want.ratings),
        ),
        (
            "watched",
            got.watched == want.watched,
            first_difference(&got.watched, &want.watched),
        ),
        (
            "likes",
            got.likes == want.likes,
            first_difference(&got.likes, &want.likes),
        ),
        (
            "watchlist",
            got.watchlist == want.watchlist,
            first_difference(&got.watchlist, &want.watchlist),
        ),
        (
            "films_seen",
            got.films_seen == want.films_seen,
            first_difference(&got.films_seen, &want.films_seen),
        ),
        (
            "diary",
            got.diary == want.diary,
            first_difference(&got.diary, &want.diary),
        ),
    ] {
        assert!(same, "{name}: {list} differ {diff}");
    }
}
