//! A member's statistics from their ratings, the catalog, the community's histograms and every
//! other member's snapshot.

use serde::{Deserialize, Serialize};

use super::breakdown::{Era, EraStats, GenreStats, GroupSums};
use super::distribution::{CommunityHistograms, HalfStarDistribution, RatingDistributions};
use super::labels::{Labelled, Obscurity, RatingStyle};
use super::snapshot::{Percentiles, StatsSnapshot};
use super::summary::Spread;
use crate::catalog::Catalog;
use crate::domain::{FilmKey, Genre, Rating};
use crate::recommend::MIN_RATINGS;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatsError {
    #[error("the member has {have} ratings; at least {MIN_RATINGS} are needed")]
    NotEnoughRatings { have: usize },
}

/// Everything `GET /statistics` shows about a member.
///
/// Films missing from the catalog count toward `member_rating` and the member's distribution (the
/// rating is theirs either way) and are skipped for everything that needs the film: Letterboxd
/// average, differential, rating count, genres, eras and the community distribution. Films with an
/// unknown average, rating count or year are likewise skipped for that value only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberStatistics {
    pub ratings: u32,
    /// How many of the rated films the catalog knows.
    pub films_in_catalog: u32,
    pub member_rating: Spread,
    /// The Letterboxd averages of the films the member rated.
    pub letterboxd_average: Option<Spread>,
    /// Member rating minus Letterboxd average, per film.
    pub differential: Option<Spread>,
    /// Letterboxd rating counts of the films the member rated.
    pub rating_count: Option<Spread>,
    pub percentiles: Percentiles,
    /// From the differential percentile; `None` with nobody to compare with.
    pub rating_style: Option<Labelled<RatingStyle>>,
    /// From the rating-count percentile; `None` with nobody to compare with.
    pub obscurity: Option<Labelled<Obscurity>>,
    /// All 19 genres in [`Genre::ALL`] order.
    pub genres: Vec<GenreStats>,
    /// All four eras, oldest first.
    pub eras: Vec<EraStats>,
    pub distribution: RatingDistributions,
}

impl MemberStatistics {
    /// What to store for comparing later members with this one.
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            ratings: self.ratings,
            mean_rating: self.member_rating.mean,
            mean_letterboxd_average: self.letterboxd_average.map(|s| s.mean),
            mean_differential: self.differential.map(|s| s.mean),
            mean_rating_count: self.rating_count.map(|s| s.mean),
        }
    }
}

/// Computes a member's statistics. `others` are the stored snapshots of every *other* member (the
/// caller leaves out this member's own earlier one). Needs at least [`MIN_RATINGS`] ratings, as
/// recommendations do, so stored snapshots are not skewed by nearly empty diaries.
pub fn member_statistics(
    ratings: &[(FilmKey, Rating)],
    catalog: &Catalog,
    community: &dyn CommunityHistograms,
    others: &[StatsSnapshot],
) -> Result<MemberStatistics, StatsError> {
    if ratings.len() < MIN_RATINGS {
        return Err(StatsError::NotEnoughRatings {
            have: ratings.len(),
        });
    }
    let mut own = Vec::with_capacity(ratings.len());
    let mut averages = Vec::new();
    let mut differentials = Vec::new();
    let mut counts = Vec::new();
    let mut genres = [GroupSums::default(); Genre::ALL.len()];
    let mut eras = [GroupSums::default(); Era::ALL.len()];
    let mut member_counts = [0_u64; 10];
    let mut community_counts = [0_u64; 10];
    let mut films_in_catalog = 0_u32;
    let mut community_films = 0_u32;

    for (slug, rating) in ratings {
        let stars = f64::from(rating.stars());
        own.push(stars);
        member_counts[usize::from(rating.half_stars() - 1)] += 1;
        let Some(at) = catalog.index_of(slug) else {
            continue;
        };
        films_in_catalog += 1;
        let film = catalog.film(at);
        let average = film.lb_average.map(f64::from);
        if let Some(average) = average {
            averages.push(average);
            differentials.push(stars - average);
        }
        if let Some(count) = film.lb_rating_count {
            counts.push(f64::from(count));
        }
        for genre in film.genres.iter() {
            genres[genre.index()].add(stars, average);
        }
        if let Some(year) = film.year {
            eras[Era::of(year) as usize].add(stars, average);
        }
        if let Some(histogram) = community.histogram(at) {
            community_films += 1;
            for (total, count) in community_counts.iter_mut().zip(histogram) {
                *total += u64::from(count);
            }
        }
    }

    let member_rating = Spread::of(&own).ok_or(StatsError::NotEnoughRatings { have: 0 })?;
    let letterboxd_average = Spread::of(&averages);
    let differential = Spread::of(&differentials);
    let rating_count = Spread::of(&counts);
    let snapshot = StatsSnapshot {
        ratings: u32::try_from(ratings.len()).unwrap_or(u32::MAX),
        mean_rating: member_rating.mean,
        mean_letterboxd_average: letterboxd_average.map(|s| s.mean),
        mean_differential: differential.map(|s| s.mean),
        mean_rating_count: rating_count.map(|s| s.mean),
    };
    let percentiles = Percentiles::against(&snapshot, others);
    let stats = MemberStatistics {
        ratings: snapshot.ratings,
        films_in_catalog,
        member_rating,
        letterboxd_average,
        differential,
        rating_count,
        percentiles,
        rating_style: percentiles
            .differential
            .map(|p| RatingStyle::from_percentile(p).labelled()),
        obscurity: percentiles
            .rating_count
            .map(|p| Obscurity::from_percentile(p).labelled()),
        genres: Genre::ALL
            .into_iter()
            .map(|genre| GenreStats {
                genre,
                means: genres[genre.index()].means(),
            })
            .collect(),
        eras: Era::ALL
            .into_iter()
            .map(|era| EraStats {
                era,
                means: eras[era as usize].means(),
            })
            .collect(),
        distribution: RatingDistributions {
            member: HalfStarDistribution::from_counts(member_counts),
            community: HalfStarDistribution::from_counts(community_counts),
            community_films,
        },
    };
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FilmIndex;
    use crate::domain::GenreSet;
    use crate::recommend::testkit::{film, slug};
    use crate::{Catalog, Film};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn rated(raw: &[(&str, f32)]) -> Vec<(FilmKey, Rating)> {
        raw.iter()
            .map(|(s, stars)| (slug(s), Rating::from_stars(*stars).unwrap()))
            .collect()
    }

    fn described(
        name: &str,
        year: u16,
        genres: &[Genre],
        average: Option<f32>,
        count: Option<u32>,
    ) -> Film {
        let mut f = film(name);
        f.year = Some(year);
        f.genres = genres.iter().copied().collect::<GenreSet>();
        f.lb_average = average;
        f.lb_rating_count = count;
        f
    }

    /// a..d in the catalog (one per era), e missing from it.
    fn example() -> (Catalog, Vec<(FilmKey, Rating)>) {
        let catalog = Catalog::from_films([
            described("a", 1920, &[Genre::Drama], Some(3.0), Some(10_000)),
            described(
                "b",
                1950,
                &[Genre::Drama, Genre::Horror],
                Some(4.0),
                Some(200_000),
            ),
            described("c", 1999, &[Genre::Comedy], Some(2.5), None),
            described("d", 2000, &[Genre::Comedy], None, Some(50_000)),
        ]);
        let ratings = rated(&[("a", 4.0), ("b", 3.0), ("c", 5.0), ("d", 2.0), ("e", 1.0)]);
        (catalog, ratings)
    }

    fn histograms(film: FilmIndex) -> Option<[u32; 10]> {
        match u32::from(film) {
            0 => Some([0, 0, 0, 0, 0, 1, 1, 0, 0, 0]),
            1 => Some([0, 0, 0, 0, 0, 0, 1, 1, 0, 0]),
            _ => None,
        }
    }

    #[test]
    fn spreads_are_computed_over_the_right_films() {
        let (catalog, ratings) = example();
        let stats = member_statistics(&ratings, &catalog, &histograms, &[]).unwrap();
        assert_eq!((stats.ratings, stats.films_in_catalog), (5, 4));
        // Own ratings 4, 3, 5, 2, 1: mean 3, sample variance 10 / 4.
        assert!(close(stats.member_rating.mean, 3.0));
        assert!(close(stats.member_rating.std_dev.unwrap(), 2.5_f64.sqrt()));
        // Averages of a, b, c: 3, 4, 2.5 (d has none, e is not in the catalog).
        let averages = stats.letterboxd_average.unwrap();
        assert_eq!(averages.count, 3);
        assert!(close(averages.mean, 9.5 / 3.0));
        assert!(close(averages.std_dev.unwrap(), (3.5_f64 / 6.0).sqrt()));
        // Differentials 1, -1, 2.5: mean 2.5 / 3, squared deviations sum to 37 / 6.
        let differential = stats.differential.unwrap();
        assert!(close(differential.mean, 2.5 / 3.0));
        assert!(close(
            differential.std_dev.unwrap(),
            (37.0_f64 / 12.0).sqrt()
        ));
        // Counts of a, b, d.
        let counts = stats.rating_count.unwrap();
        assert_eq!(counts.count, 3);
        assert!(close(counts.mean, 260_000.0 / 3.0));
    }

    #[test]
    fn genres_cover_all_nineteen_with_none_where_nothing_was_rated() {
        let (catalog, ratings) = example();
        let stats = member_statistics(&ratings, &catalog, &histograms, &[]).unwrap();
        assert_eq!(stats.genres.len(), 19);
        let of = |genre: Genre| stats.genres[genre.index()];
        assert_eq!(of(Genre::Drama).genre, Genre::Drama);
        assert_eq!(of(Genre::Drama).means.films, 2);
        assert_eq!(of(Genre::Drama).means.mean_rating, Some(3.5));
        assert_eq!(of(Genre::Drama).means.mean_differential, Some(0.0));
        assert_eq!(of(Genre::Horror).means.mean_differential, Some(-1.0));
        // Comedy: c (5.0, average 2.5) and d (2.0, no average).
        assert_eq!(of(Genre::Comedy).means.mean_rating, Some(3.5));
        assert_eq!(of(Genre::Comedy).means.mean_differential, Some(2.5));
        assert_eq!(of(Genre::Western).means.films, 0);
        assert_eq!(of(Genre::Western).means.mean_rating, None);
    }

    #[test]
    fn eras_follow_release_year() {
        let (catalog, ratings) = example();
        let stats = member_statistics(&ratings, &catalog, &histograms, &[]).unwrap();
        let eras: Vec<(Era, u32, Option<f64>)> = stats
            .eras
            .iter()
            .map(|e| (e.era, e.means.films, e.means.mean_rating))
            .collect();
        assert_eq!(
            eras,
            [
                (Era::Silent, 1, Some(4.0)),
                (Era::Sound, 1, Some(3.0)),
                (Era::Colour, 1, Some(5.0)),
                (Era::Modern, 1, Some(2.0)),
            ]
        );
        assert_eq!(stats.eras[3].means.mean_differential, None);
    }

    #[test]
    fn distributions_are_normalised_by_their_own_counts() {
        let (catalog, ratings) = example();
        let stats = member_statistics(&ratings, &catalog, &histograms, &[]).unwrap();
        let member = &stats.distribution.member;
        assert_eq!(
            member.total, 5,
            "the uncatalogued film counts for the member"
        );
        assert_eq!(member.counts, [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
        assert!((member.density.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let community = &stats.distribution.community;
        assert_eq!(stats.distribution.community_films, 2);
        assert_eq!(community.counts, [0, 0, 0, 0, 0, 1, 2, 1, 0, 0]);
        assert_eq!(community.density[6], 0.5);
    }

    #[test]
    fn percentiles_and_labels_come_from_the_other_members() {
        let (catalog, ratings) = example();
        let me = member_statistics(&ratings, &catalog, &histograms, &[]).unwrap();
        assert_eq!(me.percentiles.compared_with, 0);
        assert_eq!(me.rating_style, None);
        assert_eq!(me.obscurity, None);
        let mine = me.snapshot();
        let other = |differential: f64, count: f64| StatsSnapshot {
            mean_differential: Some(differential),
            mean_rating_count: Some(count),
            ..mine
        };
        // Differential 0.83: 4 of 5 others strictly below = 80, not above 80: Enthusiast.
        // Rating count 86,667: 1 of 5 strictly below = 20: Cult.
        let others = [
            other(-1.0, 90_000.0),
            other(0.0, 100_000.0),
            other(0.5, 86_666.0),
            other(0.8, 1_000_000.0),
            other(2.0, 87_000.0),
        ];
        let stats = member_statistics(&ratings, &catalog, &histograms, &others).unwrap();
        assert_eq!(stats.percentiles.differential, Some(80.0));
        assert_eq!(stats.percentiles.rating_count, Some(20.0));
        assert_eq!(
            stats.percentiles.mean_rating,
            Some(0.0),
            "all tie on mean rating"
        );
        assert_eq!(stats.rating_style.unwrap().label, RatingStyle::Enthusiast);
        assert_eq!(stats.obscurity.unwrap().label, Obscurity::Cult);
    }

    #[test]
    fn fewer_than_five_ratings_is_an_error() {
        let (catalog, ratings) = example();
        assert_eq!(
            member_statistics(&ratings[..4], &catalog, &histograms, &[]),
            Err(StatsError::NotEnoughRatings { have: 4 })
        );
    }

    #[test]
    fn statistics_serialise_to_the_documented_json_and_back() {
        let (catalog, ratings) = example();
        let stats = member_statistics(&ratings, &catalog, &histograms, &[]).unwrap();
        let json = serde_json::to_value(&stats).unwrap();
        assert_eq!(json["member_rating"]["count"], 5);
        assert!(json["rating_style"].is_null());
        assert!(json["percentiles"]["differential"].is_null());
        assert_eq!(json["genres"][0]["genre"], "Action");
        assert!(json["genres"][0]["mean_rating"].is_null());
        assert_eq!(json["eras"][0]["era"], "silent");
        assert_eq!(json["eras"][0]["mean_rating"], 4.0);
        assert_eq!(json["distribution"]["member"]["total"], 5);
        // serde_json's default float parsing may differ in the last bit, so compare the rest.
        let back: MemberStatistics = serde_json::from_value(json).unwrap();
        assert_eq!(back.genres, stats.genres);
        assert_eq!(back.eras, stats.eras);
        assert_eq!(back.distribution, stats.distribution);
        assert!(close(back.member_rating.mean, stats.member_rating.mean));
        let snapshot: StatsSnapshot =
            serde_json::from_value(serde_json::to_value(stats.snapshot()).unwrap()).unwrap();
        assert_eq!(snapshot.ratings, 5);
        assert!(close(snapshot.mean_differential.unwrap(), 2.5 / 3.0));
    }
}
