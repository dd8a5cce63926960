//! `POST /watchlist`: the request, what it parses into, and the response.

use chrono::{DateTime, Utc};
use model::recommend::{DEFAULT_PICKS, PickCount, PickMode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::film::FilmView;
use super::filters::{AppliedFiltersView, FiltersBody, filter_request};
use super::members::MemberView;
use super::reasons::{ReasonContext, ReasonView, ReasonsView};
use super::recommendations::RankByView;
use super::recommended::MemberPrediction;
use crate::domain::{ModelChoice, RequestError, Watchlist, WatchlistQuery, parse_members};

/// How films are picked: `random` (uniformly at random; the same `seed` gives the same picks, the
/// default) or `ranked` (best first by the members' models).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PickModeView {
    /// Uniformly at random; the same `seed` gives the same picks.
    #[default]
    Random,
    /// Best first by the members' models.
    Ranked,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WatchlistRequest {
    /// 1 to 8 Letterboxd usernames (a pasted profile URL works), or ids of uploaded exports.
    #[schema(example = json!(["schaffrillas"]), min_items = 1, max_items = 8)]
    pub members: Vec<String>,
    #[serde(default)]
    pub mode: PickModeView,
    /// With several members: pick only films on every watchlist (true) or on any (false).
    /// `min_members`, when given, replaces it.
    #[serde(default = "yes")]
    #[schema(default = true, required = false)]
    pub overlap: bool,
    /// Pick only films on at least this many of the watchlists, 1 to the number of members
    /// (`overlap: true` is all of them, `false` is 1).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 8)]
    pub min_members: Option<usize>,
    /// The same filters as recommendations (`include_watchlist` and `allow_rewatches` do
    /// nothing here). Films the catalog does not know yet are picked only when no filter is set.
    #[serde(default)]
    pub filters: FiltersBody,
    /// What to watch in a sentence, at most 300 characters, read into filters as for
    /// recommendations (by the embedded parser, or the deployment's language model); `filters`
    /// and `available_on` win where both say something.
    #[serde(default)]
    #[schema(max_length = 300, example = "a short comedy from the 80s")]
    pub description: Option<String>,
    /// How many picks, 1 to 96 (default 12).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 96, default = 12)]
    pub count: Option<usize>,
    /// Random mode: the seed that makes the picks reproducible (a random one below 2^53 when
    /// absent, so JavaScript numbers hold it exactly; the response says which).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Ranked mode: what orders the picks (`match` by default, as for recommendations);
    /// `predicted_rating` stays each pick's predicted stars either way.
    #[serde(default)]
    pub rank_by: RankByView,
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
    /// Ranked mode: give each pick up to three reasons per member (default true); `false`
    /// leaves `reasons` empty.
    #[serde(default = "yes")]
    #[schema(default = true)]
    pub explain: bool,
}

fn yes() -> bool {
    true
}

impl TryFrom<WatchlistRequest> for WatchlistQuery {
    type Error = RequestError;

    fn try_from(request: WatchlistRequest) -> Result<Self, Self::Error> {
        let members = parse_members(&request.members)?;
        let count = PickCount::new(request.count.unwrap_or(DEFAULT_PICKS))
            .map_err(|err| RequestError::out_of_bounds("count", err))?;
        let min_members = match request.min_members {
            Some(k) if (1..=members.len()).contains(&k) => k,
            Some(k) => {
                return Err(RequestError::OutOfBounds {
                    field: "min_members",
                    max: members.len(),
                    got: k,
                });
            }
            None if request.overlap => members.len(),
            None => 1,
        };
        let filters = filter_request(
            request.filters,
            request.description,
            request.country.as_deref(),
            &request.available_on,
        )?;
        Ok(Self {
            members,
            mode: match request.mode {
                PickModeView::Random => PickMode::Random,
                PickModeView::Ranked => PickMode::Ranked,
            },
            min_members,
            count,
            seed: request.seed,
            rank_by: request.rank_by.into(),
            explain: request.explain,
            filters,
        })
    }
}

/// A picked film. Watchlists can hold films the catalog does not know yet: those carry only
/// their key, slug and URL.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WatchlistPickView {
    /// How to name the film back to the API (see `FilmView.key`).
    pub key: String,
    pub slug: Option<String>,
    /// The film's Letterboxd page, when known.
    pub url: Option<String>,
    pub title: Option<String>,
    pub year: Option<u16>,
    pub poster: Option<String>,
    /// Ranked mode: the (mean) predicted rating in stars; null in random mode or for a film the
    /// models cannot score.
    pub predicted_rating: Option<f32>,
    /// Ranked mode with several members: each member's prediction.
    pub member_predictions: Vec<MemberPrediction>,
    /// With a request's `country`: where the film streams there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub where_to_watch: Option<super::film::WhereToWatchView>,
    /// Ranked mode: up to three per member, the largest effect first: the member's rated films
    /// that moved this prediction most (see `ReasonView`). Empty in random mode, with
    /// `explain: false`, or when the model cannot say.
    #[schema(value_type = Vec<ReasonView>)]
    pub reasons: ReasonsView,
    /// The members whose watchlists hold the film, in request order.
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WatchlistResponse {
    pub mode: PickModeView,
    /// Random mode: the seed used, to ask for the same picks again.
    pub seed: Option<u64>,
    /// Distinct films the picks were drawn from.
    pub pool_size: usize,
    pub picks: Vec<WatchlistPickView>,
    pub members: Vec<MemberView>,
    /// Ranked mode: the model that ranked the picks.
    pub model: Option<ModelChoice>,
    /// Ranked mode: what ordered the picks (`predicted_rating` when `match` was asked for but
    /// the general model it needs is not loaded); null in random mode.
    pub rank_by: Option<RankByView>,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
    /// Each pick is on at least this many of the watchlists.
    pub min_members: usize,
    /// The filters applied, where each came from, and what the description left unread.
    pub applied_filters: AppliedFiltersView,
}

impl From<Watchlist> for WatchlistResponse {
    fn from(w: Watchlist) -> Self {
        let reasons =
            ReasonContext::new(w.members.iter().map(|m| m.name()).collect(), w.reason_films);
        let names = reasons.names();
        // One list per pick in ranked mode with reasons asked for; none otherwise.
        let mut pick_reasons = w.reasons.into_iter();
        let picks = w
            .picks
            .picks
            .iter()
            .zip(&w.films)
            .map(|(pick, film)| {
                let film = film.as_ref().map(FilmView::from);
                let slug = film.as_ref().map_or_else(
                    || pick.key.slug().map(|s| s.to_string()),
                    |f| f.slug.clone(),
                );
                WatchlistPickView {
                    key: pick.key.to_string(),
                    url: film
                        .as_ref()
                        .map_or_else(|| pick.key.slug().map(|s| s.url()), |f| f.url.clone()),
                    slug,
                    title: film.as_ref().map(|f| f.title.clone()),
                    year: film.as_ref().and_then(|f| f.year),
                    where_to_watch: film.as_ref().and_then(|f| f.where_to_watch.clone()),
                    poster: film.and_then(|f| f.poster),
                    predicted_rating: pick.predicted_rating,
                    member_predictions: names
                        .iter()
                        .zip(&pick.member_predictions)
                        .map(|(member, &predicted_rating)| MemberPrediction {
                            member: member.clone(),
                            predicted_rating,
                        })
                        .collect(),
                    reasons: ReasonsView::new(pick_reasons.next().unwrap_or_default(), &reasons),
                    members: pick
                        .holders
                        .iter()
                        .filter_map(|&at| names.get(at).cloned())
                        .collect(),
                }
            })
            .collect();
        Self {
            mode: match w.picks.mode {
                PickMode::Random => PickModeView::Random,
                PickMode::Ranked => PickModeView::Ranked,
            },
            seed: w.picks.seed,
            pool_size: w.picks.pool_size,
            picks,
            members: w.members.iter().map(MemberView::from).collect(),
            model: w.model,
            rank_by: w.rank_by.map(RankByView::from),
            catalog_version: w.catalog_version,
            computed_at: w.computed_at,
            min_members: w.min_members,
            applied_filters: AppliedFiltersView::from(&w.filters),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(body: serde_json::Value) -> Result<WatchlistQuery, RequestError> {
        serde_json::from_value::<WatchlistRequest>(body)
            .unwrap()
            .try_into()
    }

    #[test]
    fn defaults_are_random_overlap_and_twelve() {
        let query = parse(json!({"members": ["dave", "anna"]})).unwrap();
        assert_eq!(query.mode, PickMode::Random);
        assert_eq!(query.min_members, 2, "overlap: every watchlist");
        assert_eq!(query.count.get(), DEFAULT_PICKS);
        assert_eq!(query.seed, None);
    }

    #[test]
    fn count_is_bounded_and_seed_kept() {
        let query =
            parse(json!({"members": ["dave"], "mode": "ranked", "count": 96, "seed": 7, "overlap": false}))
                .unwrap();
        assert_eq!(
            (query.mode, query.count.get(), query.seed, query.min_members),
            (PickMode::Ranked, 96, Some(7), 1)
        );
        assert!(matches!(
            parse(json!({"members": ["dave"], "count": 97})),
            Err(RequestError::OutOfBounds { field: "count", .. })
        ));
    }

    #[test]
    fn min_members_replaces_overlap_and_is_bounded_by_the_members() {
        let query =
            parse(json!({"members": ["a", "b", "c"], "min_members": 2, "overlap": false})).unwrap();
        assert_eq!(query.min_members, 2);
        for k in [0, 4] {
            assert!(matches!(
                parse(json!({"members": ["a", "b", "c"], "min_members": k})),
                Err(RequestError::OutOfBounds {
                    field: "min_members",
                    max: 3,
                    ..
                })
            ));
        }
    }

    #[test]
    fn filters_and_a_description_parse_as_for_recommendations() {
        let query = parse(json!({
            "members": ["dave"],
            "filters": {"exclude_genres": ["Horror"]},
            "description": "short korean films"
        }))
        .unwrap();
        let chosen = crate::domain::ChosenFilters::embedded(&query.filters, 2026);
        let f = &chosen.filters;
        assert!(f.excluded_genres.contains(model::Genre::Horror));
        assert_eq!(f.languages, ["ko"]);
        assert_eq!(f.runtimes.max(), Some(90));
        assert_eq!(chosen.reading.unwrap().ignored, Vec::<String>::new());
    }
}
