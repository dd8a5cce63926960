//! The filters a member can put on recommendations, with the original service's meaning.

use crate::domain::{ContentType, Film, FilmKey, Genre, GenreSet, PopularityBand, PopularityScale};

/// Genres the original never recommended unless the member asked for them by name: many members
/// who rate dramas highly still do not want a horror film or a documentary in their list.
pub const OPT_IN_GENRES: [Genre; 3] = [Genre::Animation, Genre::Horror, Genre::Documentary];

/// Letterboxd average from which a film counts as highly rated (inclusive).
pub const HIGHLY_RATED_FROM: f32 = 3.5;

/// What a member asks of the films recommended (the API's `FiltersBody` is its one JSON shape);
/// the default narrows nothing (all genres, both content types, any year, runtime and popularity).
///
/// - `genres`: empty means no genre filter, and then every film qualifies, Animation, Horror and
///   Documentary included: an absent filter never narrows. With at least one genre selected, a film
///   qualifies when it has any selected genre *and* none of [`OPT_IN_GENRES`] that is not selected
///   (selecting Drama leaves out an animated drama; selecting Drama and Animation keeps it). A film
///   with no known genre qualifies only when no genre is selected.
/// - `excluded_genres`: "none of these": a film with any excluded genre is out, whatever the include
///   list says (an excluded genre beats the same genre selected).
/// - `languages`, `excluded_languages`: original languages (ISO 639-1, compared without case); a
///   film qualifies with its language in a non-empty include list and not in the exclude list. A
///   film of unknown language passes only when the include list is empty.
/// - `countries`, `excluded_countries`: countries of origin as Letterboxd names them ("USA",
///   "France"), compared without case; a film qualifies with any of its countries in a non-empty
///   include list and none in the exclude list.
/// - `content_types`: empty means both.
/// - `years`, `runtimes` (minutes): inclusive [`RangeFilter`]s. A film whose year (runtime) is
///   unknown passes only when neither year (runtime) bound is set, since it cannot be shown to
///   lie inside the range.
/// - `popularity`: the bands are OR-ed; empty means any. The bands are the catalog's own
///   ([`PopularityScale`]).
/// - `highly_rated`: Letterboxd average >= 3.5; a film without an average fails it.
/// - `include_watchlist`, `allow_rewatches`: candidate rules, see `candidates`.
/// - `available`: when set, only these films (the ones streaming where the member asked, which the
///   service reads from the store); `None` narrows nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub available: Option<std::sync::Arc<std::collections::HashSet<FilmKey>>>,
    pub genres: GenreSet,
    pub excluded_genres: GenreSet,
    pub languages: Vec<String>,
    pub excluded_languages: Vec<String>,
    pub countries: Vec<String>,
    pub excluded_countries: Vec<String>,
    pub content_types: Vec<ContentType>,
    pub years: RangeFilter,
    pub runtimes: RangeFilter,
    pub popularity: Vec<PopularityBand>,
    pub highly_rated: bool,
    pub include_watchlist: bool,
    pub allow_rewatches: bool,
}

/// An inclusive range on an optional film field, either bound open. It cannot be inverted:
/// [`RangeFilter::new`] is the one way to set bounds, so a range no film could satisfy is refused
/// where the request is parsed rather than reported later as "no candidates".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RangeFilter {
    min: Option<u16>,
    max: Option<u16>,
}

impl RangeFilter {
    pub fn new(min: Option<u16>, max: Option<u16>) -> Result<Self, InvertedRange> {
        match (min, max) {
            (Some(min), Some(max)) if min > max => Err(InvertedRange { min, max }),
            _ => Ok(Self { min, max }),
        }
    }

    pub fn min(self) -> Option<u16> {
        self.min
    }

    pub fn max(self) -> Option<u16> {
        self.max
    }
}

/// A range whose minimum is above its maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the range is empty: the minimum {min} is above the maximum {max}")]
pub struct InvertedRange {
    pub min: u16,
    pub max: u16,
}

impl Filters {
    /// The filters in a form cheap to test a film against (bit masks instead of lists), with
    /// popularity bands on `popularity`'s scale (the catalog's).
    pub(crate) fn compile(&self, popularity: PopularityScale) -> FilmFilter {
        let opt_in: GenreSet = OPT_IN_GENRES.into_iter().collect();
        let opt_out = if self.genres.is_empty() {
            GenreSet::EMPTY
        } else {
            GenreSet::from_bits(opt_in.bits() & !self.genres.bits())
        };
        let lower = |names: &[String]| -> Vec<String> {
            names.iter().map(|n| n.to_ascii_lowercase()).collect()
        };
        FilmFilter {
            genres: self.genres,
            opt_out_genres: opt_out,
            excluded_genres: self.excluded_genres,
            languages: lower(&self.languages),
            excluded_languages: lower(&self.excluded_languages),
            countries: lower(&self.countries),
            excluded_countries: lower(&self.excluded_countries),
            movie: self.content_types.is_empty()
                || self.content_types.contains(&ContentType::Movie),
            tv: self.content_types.is_empty() || self.content_types.contains(&ContentType::Tv),
            years: Bounds::new(self.years),
            runtimes: Bounds::new(self.runtimes),
            popularity: self.popularity.clone(),
            scale: popularity,
            highly_rated: self.highly_rated,
            available: self.available.clone(),
        }
    }

    /// Whether any film filter is set (the candidate rules aside): a film the catalog does not
    /// know can pass only filters that narrow nothing.
    pub fn narrows_films(&self) -> bool {
        let films_only = Filters {
            include_watchlist: false,
            allow_rewatches: false,
            ..self.clone()
        };
        films_only != Filters::default()
    }

    /// Whether `film` passes the film filters (everything but the candidate rules), with
    /// popularity bands on `popularity`'s scale (its catalog's: [`crate::Catalog::popularity`]).
    pub fn matches(&self, film: &Film, popularity: PopularityScale) -> bool {
        self.compile(popularity).matches(film)
    }
}

/// A [`RangeFilter`] with its open bounds closed; `None` when no bound is set.
#[derive(Debug, Clone, Copy)]
struct Bounds(Option<(u16, u16)>);

impl Bounds {
    fn new(range: RangeFilter) -> Self {
        if range.min.is_none() && range.max.is_none() {
            Bounds(None)
        } else {
            Bounds(Some((
                range.min.unwrap_or(u16::MIN),
                range.max.unwrap_or(u16::MAX),
            )))
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
    /// The opt-in genres the include list leaves out.
    opt_out_genres: GenreSet,
    excluded_genres: GenreSet,
    languages: Vec<String>,
    excluded_languages: Vec<String>,
    countries: Vec<String>,
    excluded_countries: Vec<String>,
    movie: bool,
    tv: bool,
    years: Bounds,
    runtimes: Bounds,
    popularity: Vec<PopularityBand>,
    scale: PopularityScale,
    highly_rated: bool,
    available: Option<std::sync::Arc<std::collections::HashSet<FilmKey>>>,
}

impl FilmFilter {
    pub(crate) fn matches(&self, film: &Film) -> bool {
        let genre_ok = (self.genres.is_empty()
            || (film.genres.intersects(self.genres)
                && !film.genres.intersects(self.opt_out_genres)))
            && !film.genres.intersects(self.excluded_genres);
        let type_ok = match film.content_type {
            ContentType::Movie => self.movie,
            ContentType::Tv => self.tv,
        };
        genre_ok
            && type_ok
            && self.language_ok(film.language.as_deref())
            && self.countries_ok(&film.countries)
            && self.years.admits(film.year)
            && self.runtimes.admits(film.runtime_minutes)
            && (self.popularity.is_empty()
                || self
                    .popularity
                    .contains(&self.scale.band(film.lb_rating_count)))
            && (!self.highly_rated || film.lb_average.is_some_and(|avg| avg >= HIGHLY_RATED_FROM))
            && self
                .available
                .as_ref()
                .is_none_or(|available| available.contains(&film.key))
    }

    fn language_ok(&self, language: Option<&str>) -> bool {
        let is = |list: &[String], code: &str| list.iter().any(|l| l.eq_ignore_ascii_case(code));
        match language {
            Some(code) => {
                (self.languages.is_empty() || is(&self.languages, code))
                    && !is(&self.excluded_languages, code)
            }
            None => self.languages.is_empty(),
        }
    }

    fn countries_ok(&self, countries: &[String]) -> bool {
        let any_in = |list: &[String]| {
            countries
                .iter()
                .any(|c| list.iter().any(|l| l.eq_ignore_ascii_case(c)))
        };
        (self.countries.is_empty() || any_in(&self.countries)) && !any_in(&self.excluded_countries)
    }
}

#[cfg(test)]
mod tests {
    /// The original's edges: 25,000 and 100,000 ratings.
    const SCALE: PopularityScale = PopularityScale::LETTERBOXD;

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
            assert!(filters.matches(&with_genres(&[genre]), SCALE), "{genre}");
        }
        let mut bare = film("bare");
        bare.year = None;
        bare.runtime_minutes = None;
        bare.lb_average = None;
        bare.lb_rating_count = None;
        bare.content_type = ContentType::Tv;
        assert!(filters.matches(&bare, SCALE));
    }

    #[test]
    fn a_film_qualifies_with_any_selected_genre() {
        let filters = selecting(&[Genre::Drama, Genre::War]);
        assert!(filters.matches(&with_genres(&[Genre::War]), SCALE));
        assert!(filters.matches(&with_genres(&[Genre::Drama, Genre::Romance]), SCALE));
        assert!(!filters.matches(&with_genres(&[Genre::Comedy, Genre::Romance]), SCALE));
        assert!(
            !filters.matches(&with_genres(&[]), SCALE),
            "no genre, none selected"
        );
    }

    #[test]
    fn each_opt_in_genre_needs_to_be_selected_by_name() {
        for special in OPT_IN_GENRES {
            let film = with_genres(&[Genre::Drama, special]);
            assert!(
                !selecting(&[Genre::Drama]).matches(&film, SCALE),
                "{special} leaked in"
            );
            assert!(
                selecting(&[Genre::Drama, special]).matches(&film, SCALE),
                "{special}"
            );
            assert!(
                selecting(&[special]).matches(&film, SCALE),
                "{special} alone"
            );
        }
    }

    #[test]
    fn every_unselected_opt_in_genre_excludes_even_if_another_is_selected() {
        let animated_horror = with_genres(&[Genre::Animation, Genre::Horror]);
        assert!(!selecting(&[Genre::Animation]).matches(&animated_horror, SCALE));
        assert!(!selecting(&[Genre::Horror]).matches(&animated_horror, SCALE));
        assert!(selecting(&[Genre::Animation, Genre::Horror]).matches(&animated_horror, SCALE));
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
        assert!(only_movies.matches(&movie, SCALE));
        assert!(!only_movies.matches(&tv, SCALE));
        let both = Filters {
            content_types: vec![ContentType::Tv, ContentType::Movie],
            ..Filters::default()
        };
        assert!(both.matches(&tv, SCALE) && both.matches(&movie, SCALE));
    }

    #[test]
    fn year_bounds_are_inclusive_and_unknown_years_fail_a_set_bound() {
        let filters = Filters {
            years: RangeFilter::new(Some(1990), Some(1999)).unwrap(),
            ..Filters::default()
        };
        let at = |year| {
            let mut f = film("y");
            f.year = year;
            filters.matches(&f, SCALE)
        };
        assert!(at(Some(1990)));
        assert!(at(Some(1999)));
        assert!(!at(Some(1989)));
        assert!(!at(Some(2000)));
        assert!(!at(None));
        let open_ended = Filters {
            years: RangeFilter::new(Some(2000), None).unwrap(),
            ..Filters::default()
        };
        let mut recent = film("r");
        recent.year = Some(u16::MAX);
        assert!(open_ended.matches(&recent, SCALE));
    }

    #[test]
    fn runtime_bounds_are_inclusive_and_unknown_runtimes_fail_a_set_bound() {
        let filters = Filters {
            runtimes: RangeFilter::new(Some(80), Some(120)).unwrap(),
            ..Filters::default()
        };
        let at = |runtime| {
            let mut f = film("r");
            f.runtime_minutes = runtime;
            filters.matches(&f, SCALE)
        };
        assert!(at(Some(80)));
        assert!(at(Some(120)));
        assert!(!at(Some(79)));
        assert!(!at(Some(121)));
        assert!(!at(None));
        let only_max = Filters {
            runtimes: RangeFilter::new(None, Some(90)).unwrap(),
            ..Filters::default()
        };
        let mut short = film("s");
        short.runtime_minutes = Some(0);
        assert!(only_max.matches(&short, SCALE));
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
            filters.matches(&f, SCALE)
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
            filters.matches(&f, SCALE)
        };
        assert!(with_average(Some(3.5)));
        assert!(with_average(Some(4.9)));
        assert!(!with_average(Some(3.49)));
        assert!(!with_average(None));
    }

    #[test]
    fn an_excluded_genre_removes_a_film_whatever_the_include_list_says() {
        let filters = Filters {
            excluded_genres: [Genre::Horror, Genre::War].into_iter().collect(),
            ..Filters::default()
        };
        assert!(filters.matches(&with_genres(&[Genre::Drama]), SCALE));
        assert!(!filters.matches(&with_genres(&[Genre::Drama, Genre::War]), SCALE));
        assert!(!filters.matches(&with_genres(&[Genre::Horror]), SCALE));
        assert!(
            filters.matches(&with_genres(&[]), SCALE),
            "no genre, none excluded"
        );
        let both = Filters {
            genres: [Genre::Horror, Genre::Comedy].into_iter().collect(),
            excluded_genres: [Genre::Horror].into_iter().collect(),
            ..Filters::default()
        };
        assert!(!both.matches(&with_genres(&[Genre::Horror, Genre::Comedy]), SCALE));
        assert!(both.matches(&with_genres(&[Genre::Comedy]), SCALE));
    }

    #[test]
    fn languages_include_and_exclude_without_case() {
        let film_in = |language: Option<&str>| {
            let mut f = film("l");
            f.language = language.map(str::to_string);
            f
        };
        let french = Filters {
            languages: vec!["FR".into(), "ko".into()],
            ..Filters::default()
        };
        assert!(french.matches(&film_in(Some("fr")), SCALE));
        assert!(french.matches(&film_in(Some("ko")), SCALE));
        assert!(!french.matches(&film_in(Some("en")), SCALE));
        assert!(!french.matches(&film_in(None), SCALE));
        let not_english = Filters {
            excluded_languages: vec!["en".into()],
            ..Filters::default()
        };
        assert!(!not_english.matches(&film_in(Some("en")), SCALE));
        assert!(not_english.matches(&film_in(Some("ja")), SCALE));
        assert!(not_english.matches(&film_in(None), SCALE));
    }

    #[test]
    fn countries_match_any_of_a_films_countries() {
        let made_in = |countries: &[&str]| {
            let mut f = film("c");
            f.countries = countries.iter().map(|c| c.to_string()).collect();
            f
        };
        let french = Filters {
            countries: vec!["france".into()],
            ..Filters::default()
        };
        assert!(french.matches(&made_in(&["Belgium", "France"]), SCALE));
        assert!(!french.matches(&made_in(&["USA"]), SCALE));
        assert!(!french.matches(&made_in(&[]), SCALE));
        let not_usa = Filters {
            excluded_countries: vec!["USA".into()],
            ..Filters::default()
        };
        assert!(!not_usa.matches(&made_in(&["UK", "USA"]), SCALE));
        assert!(not_usa.matches(&made_in(&["UK"]), SCALE));
        assert!(not_usa.matches(&made_in(&[]), SCALE));
    }

    #[test]
    fn a_range_cannot_be_inverted() {
        assert_eq!(
            RangeFilter::new(Some(2001), Some(2000)),
            Err(InvertedRange {
                min: 2001,
                max: 2000
            })
        );
        let equal = RangeFilter::new(Some(2000), Some(2000)).unwrap();
        assert_eq!((equal.min(), equal.max()), (Some(2000), Some(2000)));
        assert_eq!(RangeFilter::new(None, None), Ok(RangeFilter::default()));
    }

    #[test]
    fn availability_keeps_only_the_films_streaming_where_asked() {
        let streaming = film("streaming");
        let elsewhere = film("elsewhere");
        let filters = Filters {
            available: Some(std::sync::Arc::new(
                [streaming.key.clone()].into_iter().collect(),
            )),
            ..Filters::default()
        };
        assert!(filters.matches(&streaming, SCALE));
        assert!(!filters.matches(&elsewhere, SCALE));
        assert!(
            Filters::default().matches(&elsewhere, SCALE),
            "no country narrows nothing"
        );
    }
}
