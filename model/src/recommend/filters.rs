//! The filters a member can put on recommendations, with the original service's meaning.

use serde::{Deserialize, Serialize};

use super::RecommendError;
use crate::domain::{ContentType, Film, Genre, GenreSet};

/// Genres the original never recommended unless the member asked for them by name: many members
/// who rate dramas highly still do not want a horror film or a documentary in their list.
pub const OPT_IN_GENRES: [Genre; 3] = [Genre::Animation, Genre::Horror, Genre::Documentary];

/// Letterboxd average from which a film counts as highly rated (inclusive).
pub const HIGHLY_RATED_FROM: f32 = 3.5;

/// Popularity by Letterboxd rating count: low <= 25,000 < medium <= 100,000 < high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PopularityBand {
    Low,
    Medium,
    High,
}

impl PopularityBand {
    /// Upper bound (inclusive) of the low band.
    pub const LOW_MAX: u32 = 25_000;
    /// Upper bound (inclusive) of the medium band.
    pub const MEDIUM_MAX: u32 = 100_000;

    /// The band of a film. A film without a rating count has no community ratings on Letterboxd
    /// yet (its page carries no aggregate), so it is the least popular there is: low.
    pub fn of(rating_count: Option<u32>) -> Self {
        match rating_count.unwrap_or(0) {
            n if n <= Self::LOW_MAX => PopularityBand::Low,
            n if n <= Self::MEDIUM_MAX => PopularityBand::Medium,
            _ => PopularityBand::High,
        }
    }
}

/// What a member asks of the films recommended. Every field is optional in JSON; the default
/// narrows nothing (all genres, both content types, any year, runtime and popularity).
///
/// - `genres`: empty means no genre filter, and then every film qualifies, Animation, Horror and
///   Documentary included: an absent filter never narrows. With at least one genre selected, a film
///   qualifies when it has any selected genre *and* none of [`OPT_IN_GENRES`] that is not selected
///   (selecting Drama leaves out an animated drama; selecting Drama and Animation keeps it). A film
///   with no known genre qualifies only when no genre is selected.
/// - `content_types`: empty means both.
/// - `year_min..=year_max`, `runtime_min..=runtime_max` (minutes): inclusive. A film whose year
///   (runtime) is unknown passes only when neither year (runtime) bound is set, since it cannot be
///   shown to lie inside the range.
/// - `popularity`: the bands are OR-ed; empty means any. See [`PopularityBand::of`].
/// - `highly_rated`: Letterboxd average >= 3.5; a film without an average fails it.
/// - `include_watchlist`, `allow_rewatches`: candidate rules, see `candidates`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Filters {
    pub genres: GenreSet,
    pub content_types: Vec<ContentType>,
    pub year_min: Option<u16>,
    pub year_max: Option<u16>,
    pub runtime_min: Option<u16>,
    pub runtime_max: Option<u16>,
    pub popularity: Vec<PopularityBand>,
    pub highly_rated: bool,
    pub include_watchlist: bool,
    pub allow_rewatches: bool,
}

impl Filters {
    /// Rejects ranges that no film could satisfy, so a client's mistake is reported as such
    /// rather than as "no candidates".
    pub fn validate(&self) -> Result<(), RecommendError> {
        check_range("year", self.year_min, self.year_max)?;
        check_range("runtime", self.runtime_min, self.runtime_max)
    }

    /// The filters in a form cheap to test a film against (bit masks instead of lists).
    pub(crate) fn compile(&self) -> FilmFilter {
        let opt_in: GenreSet = OPT_IN_GENRES.into_iter().collect();
        FilmFilter {
            genres: self.genres,
            excluded_genres: if self.genres.is_empty() {
                GenreSet::EMPTY
            } else {
                GenreSet::from_bits(opt_in.bits() & !self.genres.bits())
            },
            movie: self.content_types.is_empty()
                || self.content_types.contains(&ContentType::Movie),
            tv: self.content_types.is_empty() || self.content_types.contains(&ContentType::Tv),
            years: Bounds::new(self.year_min, self.year_max),
            runtimes: Bounds::new(self.runtime_min, self.runtime_max),
            popularity: self.popularity.clone(),
            highly_rated: self.highly_rated,
        }
    }

    /// Whether `film` passes the film filters (everything but the candidate rules).
    pub fn matches(&self, film: &Film) -> bool {
        self.compile().matches(film)
    }
}

fn check_range(
    field: &'static str,
    min: Option<u16>,
    max: Option<u16>,
) -> Result<(), RecommendError> {
    match (min, max) {
        (Some(min), Some(max)) if min > max => {
            Err(RecommendError::InvalidRange { field, min, max })
        }
        _ => Ok(()),
    }
}

/// An inclusive range on an optional film field; `None` when no bound is set.
#[derive(Debug, Clone, Copy)]
struct Bounds(Option<(u16, u16)>);

impl Bounds {
    fn new(min: Option<u16>, max: Option<u16>) -> Self {
        if min.is_none() && max.is_none() {
            Bounds(None)
        } else {
            Bounds(Some((min.unwrap_or(u16::MIN), max.unwrap_or(u16::MAX))))
        }
    }

    fn admits(self, value: Option<u16>) -> bool {
        match (self.0, value) {
            (None, _) => true,
            (Some((min, max)), Some(value)) => (min..=max).contains(&value),
            (Some(_), None) => false,
        }
    }
}

/// [`Filters`] compiled for the hot loop over the catalog.
#[derive(Debug, Clone)]
pub(crate) struct FilmFilter {
    genres: GenreSet,
    excluded_genres: GenreSet,
    movie: bool,
    tv: bool,
    years: Bounds,
    runtimes: Bounds,
    popularity: Vec<PopularityBand>,
    highly_rated: bool,
}

impl FilmFilter {
    pub(crate) fn matches(&self, film: &Film) -> bool {
        let genre_ok = self.genres.is_empty()
            || (film.genres.intersects(self.genres)
                && !film.genres.intersects(self.excluded_genres));
        let type_ok = match film.content_type {
            ContentType::Movie => self.movie,
            ContentType::Tv => self.tv,
        };
        genre_ok
            && type_ok
            && self.years.admits(film.year)
            && self.runtimes.admits(film.runtime_minutes)
            && (self.popularity.is_empty()
                || self
                    .popularity
                    .contains(&PopularityBand::of(film.lb_rating_count)))
            && (!self.highly_rated || film.lb_average.is_some_and(|avg| avg >= HIGHLY_RATED_FROM))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recommend::testkit::film;

    fn with_genres(genres: &[Genre]) -> Film {
        let mut f = film("f");
        f.genres = genres.iter().copied().collect();
        f
    }

    fn selecting(genres: &[Genre]) -> Filters {
        Filters {
            genres: genres.iter().copied().collect(),
            ..Filters::default()
        }
    }

    #[test]
    fn default_filters_admit_every_film_including_opt_in_genres_and_unknowns() {
        let filters = Filters::default();
        for genre in Genre::ALL {
            assert!(filters.matches(&with_genres(&[genre])), "{genre}");
        }
        let mut bare = film("bare");
        bare.year = None;
        bare.runtime_minutes = None;
        bare.lb_average = None;
        bare.lb_rating_count = None;
        bare.content_type = ContentType::Tv;
        assert!(filters.matches(&bare));
    }

    #[test]
    fn a_film_qualifies_with_any_selected_genre() {
        let filters = selecting(&[Genre::Drama, Genre::War]);
        assert!(filters.matches(&with_genres(&[Genre::War])));
        assert!(filters.matches(&with_genres(&[Genre::Drama, Genre::Romance])));
        assert!(!filters.matches(&with_genres(&[Genre::Comedy, Genre::Romance])));
        assert!(
            !filters.matches(&with_genres(&[])),
            "no genre, none selected"
        );
    }

    #[test]
    fn each_opt_in_genre_needs_to_be_selected_by_name() {
        for special in OPT_IN_GENRES {
            let film = with_genres(&[Genre::Drama, special]);
            assert!(
                !selecting(&[Genre::Drama]).matches(&film),
                "{special} leaked in"
            );
            assert!(
                selecting(&[Genre::Drama, special]).matches(&film),
                "{special}"
            );
            assert!(selecting(&[special]).matches(&film), "{special} alone");
        }
    }

    #[test]
    fn every_unselected_opt_in_genre_excludes_even_if_another_is_selected() {
        let animated_horror = with_genres(&[Genre::Animation, Genre::Horror]);
        assert!(!selecting(&[Genre::Animation]).matches(&animated_horror));
        assert!(!selecting(&[Genre::Horror]).matches(&animated_horror));
        assert!(selecting(&[Genre::Animation, Genre::Horror]).matches(&animated_horror));
    }

    #[test]
    fn content_types_are_or_ed_and_empty_means_both() {
        let mut tv = film("tv");
        tv.content_type = ContentType::Tv;
        let movie = film("movie");
        let only_movies = Filters {
            content_types: vec![ContentType::Movie],
            ..Filters::default()
        };
        assert!(only_movies.matches(&movie));
        assert!(!only_movies.matches(&tv));
        let both = Filters {
            content_types: vec![ContentType::Tv, ContentType::Movie],
            ..Filters::default()
        };
        assert!(both.matches(&tv) && both.matches(&movie));
    }

    #[test]
    fn year_bounds_are_inclusive_and_unknown_years_fail_a_set_bound() {
        let filters = Filters {
            year_min: Some(1990),
            year_max: Some(1999),
            ..Filters::default()
        };
        let at = |year| {
            let mut f = film("y");
            f.year = year;
            filters.matches(&f)
        };
        assert!(at(Some(1990)));
        assert!(at(Some(1999)));
        assert!(!at(Some(1989)));
        assert!(!at(Some(2000)));
        assert!(!at(None));
        let open_ended = Filters {
            year_min: Some(2000),
            ..Filters::default()
        };
        let mut recent = film("r");
        recent.year = Some(u16::MAX);
        assert!(open_ended.matches(&recent));
    }

    #[test]
    fn runtime_bounds_are_inclusive_and_unknown_runtimes_fail_a_set_bound() {
        let filters = Filters {
            runtime_min: Some(80),
            runtime_max: Some(120),
            ..Filters::default()
        };
        let at = |runtime| {
            let mut f = film("r");
            f.runtime_minutes = runtime;
            filters.matches(&f)
        };
        assert!(at(Some(80)));
        assert!(at(Some(120)));
        assert!(!at(Some(79)));
        assert!(!at(Some(121)));
        assert!(!at(None));
        let only_max = Filters {
            runtime_max: Some(90),
            ..Filters::default()
        };
        let mut short = film("s");
        short.runtime_minutes = Some(0);
        assert!(only_max.matches(&short));
    }

    #[test]
    fn popularity_band_boundaries_sit_exactly_at_25k_and_100k() {
        assert_eq!(PopularityBand::of(Some(0)), PopularityBand::Low);
        assert_eq!(PopularityBand::of(None), PopularityBand::Low);
        assert_eq!(PopularityBand::of(Some(25_000)), PopularityBand::Low);
        assert_eq!(PopularityBand::of(Some(25_001)), PopularityBand::Medium);
        assert_eq!(PopularityBand::of(Some(100_000)), PopularityBand::Medium);
        assert_eq!(PopularityBand::of(Some(100_001)), PopularityBand::High);
    }

    #[test]
    fn popularity_bands_are_or_ed() {
        let filters = Filters {
            popularity: vec![PopularityBand::Low, PopularityBand::High],
            ..Filters::default()
        };
        let with_count = |count| {
            let mut f = film("p");
            f.lb_rating_count = Some(count);
            filters.matches(&f)
        };
        assert!(with_count(25_000));
        assert!(!with_count(25_001));
        assert!(!with_count(100_000));
        assert!(with_count(100_001));
    }

    #[test]
    fn highly_rated_starts_at_exactly_three_and_a_half() {
        let filters = Filters {
            highly_rated: true,
            ..Filters::default()
        };
        let with_average = |avg| {
            let mut f = film("h");
            f.lb_average = avg;
            filters.matches(&f)
        };
        assert!(with_average(Some(3.5)));
        assert!(with_average(Some(4.9)));
        assert!(!with_average(Some(3.49)));
        assert!(!with_average(None));
    }

    #[test]
    fn inverted_ranges_are_rejected() {
        let filters = Filters {
            year_min: Some(2001),
            year_max: Some(2000),
            ..Filters::default()
        };
        assert!(matches!(
            filters.validate(),
            Err(RecommendError::InvalidRange { field: "year", .. })
        ));
        let runtime = Filters {
            runtime_min: Some(100),
            runtime_max: Some(99),
            ..Filters::default()
        };
        assert!(runtime.validate().is_err());
        let equal = Filters {
            year_min: Some(2000),
            year_max: Some(2000),
            ..Filters::default()
        };
        assert!(equal.validate().is_ok());
    }

    #[test]
    fn filters_read_the_api_json_and_reject_unknown_fields() {
        let filters: Filters = serde_json::from_str(
            r#"{"genres":["Drama","science_fiction"],"content_types":["movie"],
                "year_min":1990,"popularity":["low","high"],"highly_rated":true}"#,
        )
        .unwrap();
        assert!(filters.genres.contains(Genre::ScienceFiction));
        assert_eq!(filters.content_types, vec![ContentType::Movie]);
        assert_eq!(filters.year_min, Some(1990));
        assert_eq!(filters.year_max, None);
        assert!(filters.highly_rated && !filters.allow_rewatches);
        assert_eq!(
            serde_json::from_str::<Filters>("{}").unwrap(),
            Filters::default()
        );
        assert!(serde_json::from_str::<Filters>(r#"{"genre":["Drama"]}"#).is_err());
    }
}
