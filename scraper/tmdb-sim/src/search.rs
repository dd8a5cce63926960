//! Search as TMDB behaves: case, punctuation and diacritics do not matter, a query matches
//! within a title or original title, exact titles rank first, then popularity; an optional year
//! filter; 20 hits a page.

use crate::films_file::Kind;
use crate::world::{SimFilm, World};

pub(crate) const PAGE_SIZE: usize = 20;
/// TMDB serves no page past 500.
pub(crate) const MAX_PAGE: u32 = 500;

/// Every match of `query` among titles of `kind`, best first.
pub(crate) fn search<'w>(
    world: &'w World,
    kind: Kind,
    query: &str,
    year: Option<u16>,
) -> Vec<&'w SimFilm> {
    let wanted = tmdb::normalize_title(query);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u8, &SimFilm)> = world
        .films()
        .iter()
        .filter(|film| film.kind == kind)
        .filter(|film| year.is_none() || film.year() == year)
        .filter_map(|film| {
            let rank = film
                .search_keys
                .iter()
                .filter_map(|key| {
                    if *key == wanted {
                        Some(0)
                    } else if key.starts_with(&wanted) {
                        Some(1)
                    } else {
                        key.contains(&wanted).then_some(2)
                    }
                })
                .min()?;
            Some((rank, film))
        })
        .collect();
    hits.sort_by(|(ra, a), (rb, b)| {
        ra.cmp(rb)
            .then(b.popularity.total_cmp(&a.popularity))
            .then(a.id.cmp(&b.id))
    });
    hits.into_iter().map(|(_, film)| film).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::films_file::SourceFilm;

    #[test]
    fn matches_ignore_case_accents_and_punctuation_and_rank_exact_first() {
        let film = |slug: &str, title: &str, popularity: f64| SourceFilm {
            slug: slug.into(),
            title: title.into(),
            year: Some(2001),
            popularity: Some(popularity),
            ..SourceFilm::default()
        };
        let world = World::build(
            vec![
                film("a", "Amélie", 5.0),
                film("b", "Amelie's Return", 50.0),
                film("c", "Heat", 10.0),
            ],
            1,
        );
        let titles = |query: &str| -> Vec<String> {
            search(&world, Kind::Movie, query, None)
                .iter()
                .map(|f| f.title.clone())
                .collect()
        };
        assert_eq!(titles("AMELIE"), ["Amélie", "Amelie's Return"]);
        assert_eq!(titles("amelies return!"), ["Amelie's Return"]);
        assert!(titles("...").is_empty());
        assert!(search(&world, Kind::Tv, "heat", None).is_empty());
        let heat_year = world.by_slug("c").unwrap().year();
        assert_eq!(search(&world, Kind::Movie, "heat", heat_year).len(), 1);
        assert!(search(&world, Kind::Movie, "heat", Some(1990)).is_empty());
    }
}
