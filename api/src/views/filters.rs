//! The filters a request body sets (shared by recommendations and watchlist picks), and the
//! filters a response says it applied.

use model::recommend::describe::{FilterField, FilterSource};
use model::recommend::{Filters, PopularityBand, RangeFilter};
use model::{ContentType, GenreSet};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{
    ChosenFilters, Description, Fallback, FilterRequest, ParsedBy, RequestError, WhereToWatch,
    countries, genres, languages,
};

/// What a catalog entry is: `movie` (a film) or `tv` (a TV series or miniseries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ContentTypeBody {
    Movie,
    Tv,
}

/// Popularity by community rating count (`community_ratings` on film cards), relative to the
/// catalog in use: `high` is its 5% most rated films, `medium` the next 20%, `low` the rest (a
/// film without a count is low). Fixed edges cannot fit every catalog: Letterboxd's own counts
/// reach millions where a sampled catalog's stop at thousands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PopularityBody {
    Low,
    Medium,
    High,
}

/// Every field is optional; the default narrows nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct FiltersBody {
    /// Letterboxd genre names (`Drama`, `Science Fiction`, `TV Movie`), case-insensitive. A film
    /// qualifies with any selected genre, with one exception kept from the original service:
    /// Animation, Horror and Documentary films qualify only when that genre is selected too
    /// (selecting Drama leaves out an animated drama; selecting Drama and Animation keeps it).
    /// Empty selects every genre, those three included.
    #[schema(example = json!(["Drama", "Science Fiction"]))]
    pub genres: Vec<String>,
    /// "None of these": a film with any of these genres is left out, whatever `genres` says.
    #[schema(example = json!(["Horror"]))]
    pub exclude_genres: Vec<String>,
    /// Original languages, ISO 639-1 (`fr`, `ko`), case-insensitive; empty means any. A film
    /// whose language is unknown qualifies only when this is empty.
    #[schema(example = json!(["fr"]))]
    pub languages: Vec<String>,
    /// Original languages to leave out, ISO 639-1.
    pub exclude_languages: Vec<String>,
    /// Countries of origin as Letterboxd names them (`USA`, `UK`, `France`, `South Korea`),
    /// case-insensitive; a film qualifies with any of its countries listed. Empty means any.
    pub countries: Vec<String>,
    /// A film with any of these countries of origin is left out.
    pub exclude_countries: Vec<String>,
    /// Empty means both.
    pub content_types: Vec<ContentTypeBody>,
    /// Inclusive release-year range.
    pub year_min: Option<u16>,
    pub year_max: Option<u16>,
    /// Inclusive runtime range in minutes.
    pub runtime_min: Option<u16>,
    pub runtime_max: Option<u16>,
    /// Bands are OR-ed; empty means any popularity.
    pub popularity: Vec<PopularityBody>,
    /// Only films with a Letterboxd average of at least 3.5.
    pub highly_rated: bool,
    /// Recommendations only: also recommend films on the members' watchlists.
    pub include_watchlist: bool,
    /// Recommendations only: also recommend films a member has already seen but not rated.
    pub allow_rewatches: bool,
}

/// Parses the body's filters, where to watch and its description (read later, by the service).
pub(super) fn filter_request(
    body: FiltersBody,
    description: Option<String>,
    country: Option<&str>,
    available_on: &[u32],
) -> Result<FilterRequest, RequestError> {
    Ok(FilterRequest {
        filters: Filters::try_from(body)?,
        where_to_watch: WhereToWatch::parse(country, available_on)?,
        description: description.map(Description::parse).transpose()?,
    })
}

impl TryFrom<FiltersBody> for Filters {
    type Error = RequestError;

    fn try_from(body: FiltersBody) -> Result<Self, Self::Error> {
        let range = |field, min, max| {
            RangeFilter::new(min, max).map_err(|err| RequestError::inverted(field, err))
        };
        Ok(Filters {
            // Set by the service from the request's `country` and `available_on`.
            available: None,
            genres: genres(&body.genres)?,
            excluded_genres: genres(&body.exclude_genres)?,
            languages: languages(body.languages)?,
            excluded_languages: languages(body.exclude_languages)?,
            countries: countries(body.countries),
            excluded_countries: countries(body.exclude_countries),
            content_types: body
                .content_types
                .into_iter()
                .map(|c| match c {
                    ContentTypeBody::Movie => ContentType::Movie,
                    ContentTypeBody::Tv => ContentType::Tv,
                })
                .collect(),
            years: range("year", body.year_min, body.year_max)?,
            runtimes: range("runtime", body.runtime_min, body.runtime_max)?,
            popularity: body
                .popularity
                .into_iter()
                .map(|p| match p {
                    PopularityBody::Low => PopularityBand::Low,
                    PopularityBody::Medium => PopularityBand::Medium,
                    PopularityBody::High => PopularityBand::High,
                })
                .collect(),
            highly_rated: body.highly_rated,
            include_watchlist: body.include_watchlist,
            allow_rewatches: body.allow_rewatches,
        })
    }
}

impl From<&Filters> for FiltersBody {
    fn from(f: &Filters) -> Self {
        let names = |set: GenreSet| set.iter().map(|g| g.name().to_string()).collect();
        Self {
            genres: names(f.genres),
            exclude_genres: names(f.excluded_genres),
            languages: f.languages.clone(),
            exclude_languages: f.excluded_languages.clone(),
            countries: f.countries.clone(),
            exclude_countries: f.excluded_countries.clone(),
            content_types: f
                .content_types
                .iter()
                .map(|c| match c {
                    ContentType::Movie => ContentTypeBody::Movie,
                    ContentType::Tv => ContentTypeBody::Tv,
                })
                .collect(),
            year_min: f.years.min(),
            year_max: f.years.max(),
            runtime_min: f.runtimes.min(),
            runtime_max: f.runtimes.max(),
            popularity: f
                .popularity
                .iter()
                .map(|p| match p {
                    PopularityBand::Low => PopularityBody::Low,
                    PopularityBand::Medium => PopularityBody::Medium,
                    PopularityBand::High => PopularityBody::High,
                })
                .collect(),
            highly_rated: f.highly_rated,
            include_watchlist: f.include_watchlist,
            allow_rewatches: f.allow_rewatches,
        }
    }
}

/// A filter of [`FiltersBody`]: `years` stands for `year_min` and `year_max`, `runtimes` for
/// `runtime_min` and `runtime_max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FilterNameView {
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
    /// The request's top-level `available_on` (with its `country`).
    AvailableOn,
}

/// Where an applied filter came from: the request's `description`, or its own `filters` (which
/// win when both say something).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FilterSourceView {
    Description,
    Request,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FilterOriginView {
    pub filter: FilterNameView,
    pub source: FilterSourceView,
}

/// What read the description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParserView {
    /// The deterministic English parser built into the service.
    Embedded,
    /// The language model the deployment configured (`LLM_BASE_URL`, `LLM_MODEL`).
    LanguageModel,
}

/// Why the language model's reading was not used; the embedded parser's was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FallbackView {
    /// It did not answer within its deadline.
    Timeout,
    /// It could not be reached, or answered with an error.
    Unavailable,
    /// Its answer was not valid filters (not JSON, not the schema, an unknown genre, an
    /// inverted range...).
    InvalidAnswer,
}

/// What the description gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DescriptionReadingView {
    /// What read it: `embedded` unless the deployment configured a language model and its
    /// reading was used.
    #[schema(example = "embedded")]
    pub parser: ParserView,
    /// Null unless a language model is configured and its reading was not used: then why, and
    /// `parser` is `embedded`.
    pub fallback: Option<FallbackView>,
    /// Words it did not understand, lowercased, in order (a language model reports none).
    #[schema(example = json!(["zorblax"]))]
    pub ignored: Vec<String>,
    /// Streaming services the description named ("on netflix") that narrow nothing because the
    /// request has no `country`: what streams where depends on it. With a `country`, named
    /// services become `available_on` (unless the request sets `available_on` itself).
    #[schema(example = json!(["netflix"]))]
    pub services_without_country: Vec<String>,
}

/// The filters that were applied, and for each one that narrows anything, where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AppliedFiltersView {
    pub filters: FiltersBody,
    /// One entry per filter that narrows anything, in the order of `FilterName`.
    pub sources: Vec<FilterOriginView>,
    /// Null when the request had no description.
    pub description: Option<DescriptionReadingView>,
}

impl From<&ChosenFilters> for AppliedFiltersView {
    fn from(chosen: &ChosenFilters) -> Self {
        Self {
            filters: FiltersBody::from(&chosen.filters),
            sources: chosen
                .sources
                .iter()
                .map(|&(field, source)| FilterOriginView {
                    filter: filter_name(field),
                    source: match source {
                        FilterSource::Description => FilterSourceView::Description,
                        FilterSource::Request => FilterSourceView::Request,
                    },
                })
                .collect(),
            description: chosen
                .reading
                .as_ref()
                .map(|reading| DescriptionReadingView {
                    parser: match reading.parsed_by {
                        ParsedBy::Embedded => ParserView::Embedded,
                        ParsedBy::LanguageModel => ParserView::LanguageModel,
                    },
                    fallback: reading.fallback.map(|fallback| match fallback {
                        Fallback::Timeout => FallbackView::Timeout,
                        Fallback::Unavailable => FallbackView::Unavailable,
                        Fallback::InvalidAnswer => FallbackView::InvalidAnswer,
                    }),
                    ignored: reading.ignored.clone(),
                    services_without_country: reading
                        .services_without_country
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                }),
        }
    }
}

fn filter_name(field: FilterField) -> FilterNameView {
    match field {
        FilterField::Genres => FilterNameView::Genres,
        FilterField::ExcludeGenres => FilterNameView::ExcludeGenres,
        FilterField::ContentTypes => FilterNameView::ContentTypes,
        FilterField::Years => FilterNameView::Years,
        FilterField::Runtimes => FilterNameView::Runtimes,
        FilterField::Popularity => FilterNameView::Popularity,
        FilterField::HighlyRated => FilterNameView::HighlyRated,
        FilterField::Languages => FilterNameView::Languages,
        FilterField::ExcludeLanguages => FilterNameView::ExcludeLanguages,
        FilterField::Countries => FilterNameView::Countries,
        FilterField::ExcludeCountries => FilterNameView::ExcludeCountries,
        FilterField::IncludeWatchlist => FilterNameView::IncludeWatchlist,
        FilterField::AllowRewatches => FilterNameView::AllowRewatches,
        FilterField::AvailableOn => FilterNameView::AvailableOn,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(filters: serde_json::Value, description: Option<&str>) -> ChosenFilters {
        let body: FiltersBody = serde_json::from_value(filters).unwrap();
        let request = filter_request(body, description.map(str::to_string), None, &[]).unwrap();
        ChosenFilters::embedded(&request, 2026)
    }

    #[test]
    fn exclusions_languages_and_countries_parse() {
        let chosen = parse(
            json!({"exclude_genres": ["horror"], "languages": ["FR"], "exclude_languages": ["en"],
                   "countries": [" France "], "exclude_countries": ["USA"]}),
            None,
        );
        let f = &chosen.filters;
        assert!(f.excluded_genres.contains(model::Genre::Horror));
        assert_eq!(f.languages, ["fr"]);
        assert_eq!(f.excluded_languages, ["en"]);
        assert_eq!(f.countries, ["France"]);
        assert_eq!(f.excluded_countries, ["USA"]);
        let bad: FiltersBody = serde_json::from_value(json!({"languages": ["french"]})).unwrap();
        assert_eq!(
            Filters::try_from(bad),
            Err(RequestError::Language("french".into()))
        );
    }

    #[test]
    fn the_view_says_where_each_filter_came_from() {
        let chosen = parse(
            json!({"genres": ["Comedy"]}),
            Some("a 90s horror film on netflix, zorblax"),
        );
        let view = AppliedFiltersView::from(&chosen);
        assert_eq!(view.filters.genres, ["Comedy"]);
        assert_eq!(
            (view.filters.year_min, view.filters.year_max),
            (Some(1990), Some(1999))
        );
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(
            json["sources"],
            json!([
                {"filter": "genres", "source": "request"},
                {"filter": "content_types", "source": "description"},
                {"filter": "years", "source": "description"},
            ])
        );
        assert_eq!(
            json["description"],
            json!({"parser": "embedded", "fallback": null, "ignored": ["zorblax"],
                   "services_without_country": ["netflix"]})
        );
    }
}
