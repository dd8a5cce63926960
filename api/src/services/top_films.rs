//! The top and bottom rated films of `GET /statistics`: ranked by `model::stats::top_and_bottom`
//! against the community's average of each film (Letterboxd's, else the one of the ratings the
//! service holds), turned into film cards.

use model::stats::{RatedAgainstCommunity, TOP_BOTTOM_FILMS, top_and_bottom};
use model::{Catalog, FilmIndex, FilmKey, Rating};

use super::ports::Histogram;
use crate::domain::{RatedFilmCard, TopFilms};

pub(super) fn top_films(
    ratings: &[(FilmKey, Rating)],
    catalog: &Catalog,
    community: &dyn Fn(FilmIndex) -> Option<Histogram>,
) -> TopFilms {
    let average = |at: FilmIndex| {
        catalog
            .film(at)
            .lb_average
            .map(f64::from)
            .or_else(|| community(at).and_then(|h| histogram_mean(&h)))
    };
    let lists = top_and_bottom(ratings, catalog, &average, TOP_BOTTOM_FILMS);
    let cards = |films: Vec<RatedAgainstCommunity>| {
        films
            .into_iter()
            .map(|f| RatedFilmCard {
                film: catalog.film(f.film).clone(),
                rating: f.rating,
                community_average: f.community_average,
                difference: f.difference,
            })
            .collect()
    };
    TopFilms {
        top: cards(lists.top),
        bottom: cards(lists.bottom),
    }
}

/// Mean stars of counts of 0.5, 1.0, ... 5.0 stars; `None` without any.
fn histogram_mean(histogram: &Histogram) -> Option<f64> {
    let count: u64 = histogram.iter().map(|&c| u64::from(c)).sum();
    let stars: f64 = histogram
        .iter()
        .enumerate()
        .map(|(i, &c)| (i as f64 + 1.0) * 0.5 * f64::from(c))
        .sum();
    (count > 0).then(|| stars / count as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_means_in_stars() {
        let mut h = [0; 10];
        h[9] = 1; // 5 stars
        h[1] = 1; // 1 star
        assert_eq!(histogram_mean(&h), Some(3.0));
        assert_eq!(histogram_mean(&[0; 10]), None);
    }
}
