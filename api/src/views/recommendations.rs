//! `POST /recommendations`: the request body and what it parses into.

use model::recommend::{DEFAULT_LIMIT, Limit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::filters::{FiltersBody, filter_request};
use crate::domain::{ModelChoice, RankBy, RecommendationsQuery, RequestError, parse_members};

/// What orders the list; `predicted_rating` is each film's predicted stars either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RankByView {
    /// The films the member is most likely to watch and love: the chance of watching a film
    /// (co-watching with their films in the community, popularity) weighed with the predicted
    /// rating. Needs the general model; without it the list is ordered by `predicted_rating`
    /// and the response says so.
    #[default]
    Match,
    /// The predicted rating alone, the original site's order (it favours obscure films the
    /// model guesses high).
    PredictedRating,
}

impl From<RankByView> for RankBy {
    fn from(view: RankByView) -> Self {
        match view {
            RankByView::Match => RankBy::Match,
            RankByView::PredictedRating => RankBy::PredictedRating,
        }
    }
}

impl From<RankBy> for RankByView {
    fn from(rank_by: RankBy) -> Self {
        match rank_by {
            RankBy::Match => RankByView::Match,
            RankBy::PredictedRating => RankByView::PredictedRating,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendationsRequest {
    /// 1 to 8 Letterboxd usernames (a pasted profile URL works), or ids of uploaded exports.
    #[schema(example = json!(["schaffrillas"]), min_items = 1, max_items = 8)]
    pub members: Vec<String>,
    #[serde(default)]
    pub model: ModelChoice,
    #[serde(default)]
    pub filters: FiltersBody,
    #[serde(default)]
    pub rank_by: RankByView,
    /// What to watch in a sentence, at most 300 characters ("a 90s french horror film under 100
    /// minutes, nothing too popular"): read into filters by the embedded English parser, or by
    /// the language model the deployment configured (falling back to the embedded parser when
    /// it is slow, unavailable or answers nonsense). Streaming services it names ("on netflix")
    /// become `available_on` when the request has a `country`. A filter set in `filters` (or
    /// `available_on`) wins over the description's; the response's `applied_filters` says which
    /// filters were applied, where each came from, what read the description and which words
    /// were not read.
    #[serde(default)]
    #[schema(
        max_length = 300,
        example = "a 90s french horror film under 100 minutes, nothing too popular"
    )]
    pub description: Option<String>,
    /// How many films to return, 1 to 500 (default 96).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 500, default = 96)]
    pub limit: Option<usize>,
    /// ISO 3166-1 country code (`US`, `GB`): each film card shows where it streams there
    /// (`where_to_watch`; JustWatch's data through TMDB, for films synced from TMDB).
    #[serde(default)]
    #[schema(example = "US")]
    pub country: Option<String>,
    /// TMDB watch-provider ids (8 is Netflix, 337 Disney Plus): only films included in a
    /// subscription or free on one of them in `country` (renting and buying do not count).
    /// Needs `country`.
    #[serde(default)]
    #[schema(example = json!([8, 337]), max_items = 50)]
    pub available_on: Vec<u32>,
    /// Give each film up to three reasons per member (default true); `false` leaves `reasons`
    /// empty.
    #[serde(default = "explain_by_default")]
    #[schema(default = true)]
    pub explain: bool,
}

fn explain_by_default() -> bool {
    true
}

impl TryFrom<RecommendationsRequest> for RecommendationsQuery {
    type Error = RequestError;

    fn try_from(request: RecommendationsRequest) -> Result<Self, Self::Error> {
        let members = parse_members(&request.members)?;
        let limit = Limit::new(request.limit.unwrap_or(DEFAULT_LIMIT))
            .map_err(|err| RequestError::out_of_bounds("limit", err))?;
        Ok(Self {
            members,
            model: request.model,
            filters: filter_request(
                request.filters,
                request.description,
                request.country.as_deref(),
                &request.available_on,
            )?,
            limit,
            rank_by: request.rank_by.into(),
            explain: request.explain,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use model::recommend::{Filters, PopularityBand};
    use model::{ContentType, Genre, GenreSet};

    use super::*;

    fn parse(body: serde_json::Value) -> Result<RecommendationsQuery, RequestError> {
        serde_json::from_value::<RecommendationsRequest>(body)
            .unwrap()
            .try_into()
    }

    #[test]
    fn a_bare_request_takes_every_default() {
        let query = parse(json!({"members": ["dave"]})).unwrap();
        assert_eq!(query.model, ModelChoice::Default);
        assert_eq!(query.filters.filters, Filters::default());
        assert_eq!(query.filters.description, None);
        assert_eq!(query.filters.where_to_watch, None);
        assert_eq!(query.limit.get(), DEFAULT_LIMIT);
    }

    #[test]
    fn filters_parse_into_the_domain() {
        let query = parse(json!({
            "members": ["dave", "https://letterboxd.com/anna/"],
            "model": "personalized",
            "limit": 20,
            "filters": {
                "genres": ["drama", "Science Fiction"],
                "content_types": ["movie"],
                "year_min": 1990, "year_max": 1999,
                "popularity": ["low", "high"],
                "highly_rated": true,
                "include_watchlist": true
            }
        }))
        .unwrap();
        assert_eq!(query.members.len(), 2);
        assert_eq!(query.model, ModelChoice::Personalized);
        assert_eq!(query.limit.get(), 20);
        let want: GenreSet = [Genre::Drama, Genre::ScienceFiction].into_iter().collect();
        assert_eq!(query.filters.filters.genres, want);
        assert_eq!(
            query.filters.filters.content_types,
            vec![ContentType::Movie]
        );
        assert_eq!(
            (
                query.filters.filters.years.min(),
                query.filters.filters.years.max()
            ),
            (Some(1990), Some(1999))
        );
        assert_eq!(
            query.filters.filters.popularity,
            vec![PopularityBand::Low, PopularityBand::High]
        );
        assert!(query.filters.filters.highly_rated && query.filters.filters.include_watchlist);
        assert!(!query.filters.filters.allow_rewatches);
    }

    #[test]
    fn impossible_requests_say_what_is_wrong() {
        assert_eq!(
            parse(json!({"members": ["dave"], "filters": {"genres": ["Noir"]}})),
            Err(RequestError::Genre("Noir".into()))
        );
        assert_eq!(
            parse(json!({"members": ["dave"], "filters": {"runtime_min": 200, "runtime_max": 90}})),
            Err(RequestError::Range {
                field: "runtime",
                min: 200,
                max: 90
            })
        );
        assert_eq!(
            parse(json!({"members": ["dave"], "limit": 0})),
            Err(RequestError::OutOfBounds {
                field: "limit",
                max: model::recommend::MAX_LIMIT,
                got: 0
            })
        );
        assert!(matches!(
            parse(json!({"members": []})),
            Err(RequestError::Member(_))
        ));
    }

    #[test]
    fn unknown_fields_are_rejected_not_ignored() {
        let typo = json!({"members": ["dave"], "filters": {"genre": ["Drama"]}});
        assert!(serde_json::from_value::<RecommendationsRequest>(typo).is_err());
    }
}
