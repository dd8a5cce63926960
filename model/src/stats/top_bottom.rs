//! A member's top and bottom rated films, as the stats tools list them: by rating, then by how
//! far the rating sits above (top) or below (bottom) the community's average of the film.

use crate::catalog::{Catalog, FilmIndex};
use crate::domain::{FilmKey, Rating};

/// Films per list.
pub const TOP_BOTTOM_FILMS: usize = 10;

/// One of the member's rated films with the community's view of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatedAgainstCommunity {
    pub film: FilmIndex,
    /// The member's rating, in stars.
    pub rating: f32,
    /// The community's average of the film, when known.
    pub community_average: Option<f64>,
    /// `rating - community_average`.
    pub difference: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TopAndBottom {
    /// Highest rating first; among equal ratings, furthest above the community first.
    pub top: Vec<RatedAgainstCommunity>,
    /// Lowest rating first; among equal ratings, furthest below the community first.
    pub bottom: Vec<RatedAgainstCommunity>,
}

/// Up to `limit` films each way, among the rated films the catalog knows (a card needs the
/// film). A film without a community average comes after those with one at the same rating. A
/// small diary can list a film in both.
pub fn top_and_bottom(
    ratings: &[(FilmKey, Rating)],
    catalog: &Catalog,
    community_average: &dyn Fn(FilmIndex) -> Option<f64>,
    limit: usize,
) -> TopAndBottom {
    let mut films: Vec<RatedAgainstCommunity> = ratings
        .iter()
        .filter_map(|(key, rating)| {
            let film = catalog.index_of(key)?;
            let stars = rating.stars();
            let average = community_average(film);
            Some(RatedAgainstCommunity {
                film,
                rating: stars,
                community_average: average,
                difference: average.map(|a| f64::from(stars) - a),
            })
        })
        .collect();
    films.sort_by_key(|f| f.film);
    films.dedup_by_key(|f| f.film);
    // Unknown differences sort last either way.
    let above = |f: &RatedAgainstCommunity| f.difference.unwrap_or(f64::NEG_INFINITY);
    let below = |f: &RatedAgainstCommunity| f.difference.unwrap_or(f64::INFINITY);
    let mut top = films.clone();
    top.sort_by(|a, b| {
        b.rating
            .total_cmp(&a.rating)
            .then(above(b).total_cmp(&above(a)))
            .then(a.film.cmp(&b.film))
    });
    top.truncate(limit);
    let mut bottom = films;
    bottom.sort_by(|a, b| {
        a.rating
            .total_cmp(&b.rating)
            .then(below(a).total_cmp(&below(b)))
            .then(a.film.cmp(&b.film))
    });
    bottom.truncate(limit);
    TopAndBottom { top, bottom }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Film;

    fn catalog(n: usize) -> Catalog {
        Catalog::from_films((0..n).map(|i| {
            let key = FilmKey::parse(&format!("f{i}")).unwrap();
            let mut film = Film::stub(key, "f");
            film.lb_average = Some(i as f32 / 10.0 + 2.0);
            film
        }))
    }

    fn rated(i: usize, half: u8) -> (FilmKey, Rating) {
        (
            FilmKey::parse(&format!("f{i}")).unwrap(),
            Rating::from_half_stars(half).unwrap(),
        )
    }

    #[test]
    fn by_rating_then_by_distance_from_the_community() {
        let catalog = catalog(10);
        let average =
            |at: FilmIndex| (usize::from(at) != 9).then(|| f64::from(u32::from(at)) / 10.0 + 2.0);
        let ratings = [
            rated(0, 10), // 5 stars, 3.0 above 2.0
            rated(5, 10), // 5 stars, 2.5 above 2.5
            rated(9, 10), // 5 stars, no average: after the others
            rated(3, 8),
            rated(1, 2), // 1 star, 1.1 below 2.1
            rated(8, 2), // 1 star, 1.8 below 2.8
            rated(4, 4),
        ];
        let lists = top_and_bottom(&ratings, &catalog, &average, 3);
        let films = |list: &[RatedAgainstCommunity]| -> Vec<usize> {
            list.iter().map(|f| usize::from(f.film)).collect()
        };
        assert_eq!(films(&lists.top), [0, 5, 9]);
        assert_eq!(films(&lists.bottom), [8, 1, 4]);
        assert_eq!(lists.top[0].difference, Some(3.0));
        assert_eq!(lists.top[2].community_average, None);
        let none = top_and_bottom(&[rated(42, 10)], &catalog, &average, 3);
        assert_eq!(
            none,
            TopAndBottom::default(),
            "a film the catalog lacks has no card"
        );
    }
}
