//! A description's filters under a request's own: the request wins wherever it says something,
//! and each filter that narrows anything says where it came from.

use super::Described;
use crate::recommend::{Filters, RangeFilter};

/// Where an applied filter came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterSource {
    Description,
    Request,
}

/// The filters a request can set, named as the API names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FilterField {
    Genres,
    ExcludeGenres,
    ContentTypes,
    Years,
    Runtimes,
    Popularity,
    HighlyRated,
    Languages,
    ExcludeLanguages,
    Countries,
    ExcludeCountries,
    IncludeWatchlist,
    AllowRewatches,
    /// The request's top-level `available_on` (outside [`Filters`]: the API applies it).
    AvailableOn,
}

impl FilterField {
    pub fn name(self) -> &'static str {
        match self {
            FilterField::Genres => "genres",
            FilterField::ExcludeGenres => "exclude_genres",
            FilterField::ContentTypes => "content_types",
            FilterField::Years => "years",
            FilterField::Runtimes => "runtimes",
            FilterField::Popularity => "popularity",
            FilterField::HighlyRated => "highly_rated",
            FilterField::Languages => "languages",
            FilterField::ExcludeLanguages => "exclude_languages",
            FilterField::Countries => "countries",
            FilterField::ExcludeCountries => "exclude_countries",
            FilterField::IncludeWatchlist => "include_watchlist",
            FilterField::AllowRewatches => "allow_rewatches",
            FilterField::AvailableOn => "available_on",
        }
    }
}

/// The filters to apply and, for each one that narrows anything, its source, in field order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppliedFilters {
    pub filters: Filters,
    pub sources: Vec<(FilterField, FilterSource)>,
}

/// `request`'s filters with `described`'s filled in where the request leaves a field unset
/// (empty, unbounded or false).
pub fn apply(request: &Filters, described: Option<&Described>) -> AppliedFilters {
    let empty = Described::default();
    let d = described.unwrap_or(&empty);
    let mut sources = Vec::new();
    let mut pick = |field, requested: bool, said: bool| {
        if requested {
            sources.push((field, FilterSource::Request));
        } else if said {
            sources.push((field, FilterSource::Description));
        }
        requested || !said
    };
    let mut f = request.clone();
    if !pick(
        FilterField::Genres,
        !f.genres.is_empty(),
        !d.genres.is_empty(),
    ) {
        f.genres = d.genres;
    }
    if !pick(
        FilterField::ExcludeGenres,
        !f.excluded_genres.is_empty(),
        !d.excluded_genres.is_empty(),
    ) {
        f.excluded_genres = d.excluded_genres;
    }
    if !pick(
        FilterField::ContentTypes,
        !f.content_types.is_empty(),
        !d.content_types.is_empty(),
    ) {
        f.content_types = d.content_types.clone();
    }
    if !pick(FilterField::Years, is_set(f.years), d.years.is_some()) {
        f.years = d.years.unwrap_or_default();
    }
    if !pick(
        FilterField::Runtimes,
        is_set(f.runtimes),
        d.runtimes.is_some(),
    ) {
        f.runtimes = d.runtimes.unwrap_or_default();
    }
    if !pick(
        FilterField::Popularity,
        !f.popularity.is_empty(),
        !d.popularity.is_empty(),
    ) {
        f.popularity = d.popularity.clone();
    }
    if !pick(FilterField::HighlyRated, f.highly_rated, d.highly_rated) {
        f.highly_rated = true;
    }
    let lists = [
        (FilterField::Languages, &mut f.languages, &d.languages),
        (
            FilterField::ExcludeLanguages,
            &mut f.excluded_languages,
            &d.excluded_languages,
        ),
        (FilterField::Countries, &mut f.countries, &d.countries),
        (
            FilterField::ExcludeCountries,
            &mut f.excluded_countries,
            &d.excluded_countries,
        ),
    ];
    for (field, mine, said) in lists {
        if !pick(field, !mine.is_empty(), !said.is_empty()) {
            mine.clone_from(said);
        }
    }
    pick(FilterField::IncludeWatchlist, f.include_watchlist, false);
    pick(FilterField::AllowRewatches, f.allow_rewatches, false);
    AppliedFilters {
        filters: f,
        sources,
    }
}

fn is_set(range: RangeFilter) -> bool {
    range.min().is_some() || range.max().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Genre;
    use crate::recommend::describe::describe;

    #[test]
    fn the_request_wins_where_both_say_something() {
        let request = Filters {
            genres: [Genre::Comedy].into_iter().collect(),
            ..Filters::default()
        };
        let described = describe("a 90s french horror film", 2026);
        let applied = apply(&request, Some(&described));
        assert_eq!(applied.filters.genres, request.genres);
        assert_eq!(
            applied.filters.years,
            RangeFilter::new(Some(1990), Some(1999)).unwrap()
        );
        assert_eq!(applied.filters.languages, ["fr"]);
        assert_eq!(
            applied.sources,
            [
                (FilterField::Genres, FilterSource::Request),
                (FilterField::ContentTypes, FilterSource::Description),
                (FilterField::Years, FilterSource::Description),
                (FilterField::Languages, FilterSource::Description),
            ]
        );
    }

    #[test]
    fn without_a_description_the_request_is_kept_as_is() {
        let request = Filters {
            highly_rated: true,
            allow_rewatches: true,
            ..Filters::default()
        };
        let applied = apply(&request, None);
        assert_eq!(applied.filters, request);
        assert_eq!(
            applied.sources,
            [
                (FilterField::HighlyRated, FilterSource::Request),
                (FilterField::AllowRewatches, FilterSource::Request),
            ]
        );
        assert_eq!(apply(&Filters::default(), None).sources, []);
    }
}
