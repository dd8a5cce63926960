//! `POST /predictions`: the request body and the response.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::film::FilmView;
use super::members::MemberView;
use super::reasons::{ReasonContext, ReasonView, ReasonsView};
use crate::domain::{
    FilmReference, ListChoice, MAX_FILMS, MemberRef, ModelChoice, Predictions, PredictionsQuery,
    RequestError, RequestedFilm, parse_members,
};

/// A film to score: a string, or `{"tmdb": <id>}` for a TMDB movie id.
///
/// Strings: a Letterboxd film URL (`https://letterboxd.com/film/the-matrix/`, a member's
/// `.../<user>/film/the-matrix/` too), a slug (`the-matrix`), a boxd.it link
/// (`https://boxd.it/2aHi`), `film:<Letterboxd id>`, `tmdb:movie:<id>`, `tmdb:tv:<id>`,
/// `tmdb:<id>` (a movie) or a themoviedb.org movie or TV page URL. A bare number is a slug
/// (Letterboxd's `1917`), not a TMDB id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum FilmReferenceBody {
    #[schema(example = "https://letterboxd.com/film/the-matrix/")]
    Text(String),
    Tmdb(TmdbMovieBody),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TmdbMovieBody {
    /// A TMDB movie id.
    #[schema(example = 603)]
    pub tmdb: u64,
}

/// One of an uploaded export's lists (`lists/*.csv` in the zip), named as on Letterboxd.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListBody {
    /// The upload's id (from `POST /profiles`): lists are read from uploaded exports only.
    #[schema(example = "5f0c6a0e-8d0b-4c55-9a55-2f7d7b3c1e42")]
    pub profile: String,
    /// The list's name, in any case (`festival 2026` finds `Festival 2026`).
    #[schema(example = "Festival 2026")]
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PredictionsRequest {
    /// 1 to 8 Letterboxd usernames (a pasted profile URL works), or ids of uploaded exports.
    #[schema(example = json!(["schaffrillas"]), min_items = 1, max_items = 8)]
    pub members: Vec<String>,
    /// Up to 500 films, in any of the forms of `FilmReferenceBody`, mixed freely; at least one
    /// unless `list` is given. A list's films count toward the 500.
    #[schema(example = json!(["https://letterboxd.com/film/the-matrix/", "https://boxd.it/2aHi", "tmdb:603", {"tmdb": 238}]), max_items = 500)]
    #[serde(default)]
    pub films: Vec<FilmReferenceBody>,
    /// A list of an uploaded export whose films are predicted too (after `films`).
    #[serde(default)]
    pub list: Option<ListBody>,
    #[serde(default)]
    pub model: ModelChoice,
    /// Give each film up to three reasons per member (default true); `false` leaves `reasons`
    /// empty.
    #[serde(default = "explain_by_default")]
    #[schema(default = true)]
    pub explain: bool,
}

fn explain_by_default() -> bool {
    true
}

/// What a problem detail echoes of a reference: enough to find it, never a huge string.
fn excerpt(raw: &str) -> String {
    const SHOWN_CHARS: usize = 64;
    match raw.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => format!("{}…", &raw[..at]),
        None => raw.to_owned(),
    }
}

impl TryFrom<PredictionsRequest> for PredictionsQuery {
    type Error = RequestError;

    fn try_from(request: PredictionsRequest) -> Result<Self, Self::Error> {
        let members = parse_members(&request.members)?;
        let list = request.list.map(list_choice).transpose()?;
        let least = if list.is_some() { 0 } else { 1 };
        if !(least..=MAX_FILMS).contains(&request.films.len()) {
            return Err(RequestError::OutOfBounds {
                field: "films",
                max: MAX_FILMS,
                got: request.films.len(),
            });
        }
        let mut films = Vec::with_capacity(request.films.len());
        let mut bad = Vec::new();
        for body in request.films {
            let (reference, film) = match body {
                FilmReferenceBody::Text(text) => {
                    let parsed = FilmReference::parse(&text);
                    (text, parsed)
                }
                FilmReferenceBody::Tmdb(TmdbMovieBody { tmdb }) => (
                    format!("tmdb:movie:{tmdb}"),
                    Some(FilmReference::tmdb_movie(tmdb)),
                ),
            };
            match film {
                Some(film) => films.push(RequestedFilm { reference, film }),
                None => bad.push(excerpt(&reference)),
            }
        }
        if !bad.is_empty() {
            return Err(RequestError::Films(bad));
        }
        Ok(Self {
            members,
            films,
            list,
            model: request.model,
            explain: request.explain,
        })
    }
}

fn list_choice(body: ListBody) -> Result<ListChoice, RequestError> {
    let upload = match MemberRef::parse(&body.profile)? {
        MemberRef::Upload(id) => id,
        MemberRef::Username(name) => return Err(RequestError::ListOfMember(name.to_string())),
    };
    let name = body.name.trim();
    if name.is_empty() {
        return Err(RequestError::ListNameEmpty);
    }
    Ok(ListChoice {
        upload,
        name: name.to_owned(),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MemberFilmPredictionView {
    pub member: String,
    /// Stars, 0.5 to 5.0, whether or not the member has seen the film.
    pub predicted_rating: f32,
    /// The member's own rating, when they rated the film; null otherwise.
    pub rating: Option<f32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PredictionItem {
    #[serde(flatten)]
    pub film: FilmView,
    /// The film as the request named it (the first reference when several named it).
    pub reference: String,
    /// Stars; for several members, the mean of their predictions.
    pub predicted_rating: f32,
    /// Every member's prediction, in request order (one entry for one member).
    pub member_predictions: Vec<MemberFilmPredictionView>,
    /// Per member, up to three of their rated films that moved this prediction most (`kind:
    /// film`, the largest effect first), then the film's features that raised it, in words
    /// (`kind: features`; see `ReasonView`). Empty with `explain: false`, or when the model
    /// cannot say.
    #[schema(value_type = Vec<ReasonView>)]
    pub reasons: ReasonsView,
}

/// A film the catalog does not know: nothing to predict from, but never dropped silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnknownFilmView {
    /// As the request named it.
    pub reference: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PredictionsResponse {
    /// The films the catalog knows, highest `predicted_rating` first; a film named twice is
    /// listed once.
    pub items: Vec<PredictionItem>,
    /// Films the catalog does not know, in request order.
    pub unknown: Vec<UnknownFilmView>,
    pub members: Vec<MemberView>,
    /// The model that predicted.
    pub model: ModelChoice,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
}

impl From<Predictions> for PredictionsResponse {
    fn from(p: Predictions) -> Self {
        let reasons =
            ReasonContext::new(p.members.iter().map(|m| m.name()).collect(), p.reason_films);
        let names = reasons.names();
        Self {
            items: p
                .items
                .into_iter()
                .map(|item| PredictionItem {
                    film: FilmView::from(&item.film),
                    reference: item.reference,
                    predicted_rating: item.predicted_rating,
                    member_predictions: names
                        .iter()
                        .zip(&item.members)
                        .map(|(member, m)| MemberFilmPredictionView {
                            member: member.clone(),
                            predicted_rating: m.predicted_rating,
                            rating: m.rating,
                        })
                        .collect(),
                    reasons: ReasonsView::new(item.reasons, &reasons),
                })
                .collect(),
            unknown: p
                .unknown
                .into_iter()
                .map(|reference| UnknownFilmView { reference })
                .collect(),
            members: p.members.iter().map(MemberView::from).collect(),
            model: p.model,
            catalog_version: p.catalog_version,
            computed_at: p.computed_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(body: serde_json::Value) -> Result<PredictionsQuery, RequestError> {
        serde_json::from_value::<PredictionsRequest>(body)
            .unwrap()
            .try_into()
    }

    #[test]
    fn strings_and_tmdb_objects_mix() {
        let query = parse(json!({
            "members": ["dave"],
            "films": ["the-matrix", {"tmdb": 603}, "https://boxd.it/2aHi"]
        }))
        .unwrap();
        let references: Vec<&str> = query.films.iter().map(|f| f.reference.as_str()).collect();
        assert_eq!(
            references,
            ["the-matrix", "tmdb:movie:603", "https://boxd.it/2aHi"]
        );
        assert_eq!(query.model, ModelChoice::Default);
    }

    #[test]
    fn a_list_needs_an_upload_id_and_a_name_and_may_stand_alone() {
        let id = "5f0c6a0e-8d0b-4c55-9a55-2f7d7b3c1e42";
        let query = parse(json!({
            "members": ["dave"],
            "list": {"profile": id, "name": "  Festival 2026 "}
        }))
        .unwrap();
        let list = query.list.unwrap();
        assert_eq!(list.upload.to_string(), id);
        assert!(list.names("festival 2026") && list.names("FESTIVAL 2026 "));
        assert!(!list.names("Festival 2025"));
        assert!(query.films.is_empty());
        assert_eq!(
            parse(json!({"members": ["dave"], "list": {"profile": "dave", "name": "x"}})),
            Err(RequestError::ListOfMember("dave".into()))
        );
        assert_eq!(
            parse(json!({"members": ["dave"], "list": {"profile": id, "name": " "}})),
            Err(RequestError::ListNameEmpty)
        );
        // Without a list, a film is still needed.
        assert!(parse(json!({"members": ["dave"]})).is_err());
    }

    #[test]
    fn every_bad_reference_is_named_and_counts_are_bounded() {
        let Err(RequestError::Films(bad)) = parse(json!({
            "members": ["dave"],
            "films": ["the-matrix", "two words", "tmdb:x"]
        })) else {
            panic!("bad references are an error");
        };
        assert_eq!(bad, ["two words", "tmdb:x"]);
        assert!(matches!(
            parse(json!({"members": ["dave"], "films": []})),
            Err(RequestError::OutOfBounds {
                field: "films",
                got: 0,
                ..
            })
        ));
        let many: Vec<String> = (0..501).map(|i| format!("film-{i}")).collect();
        assert!(matches!(
            parse(json!({"members": ["dave"], "films": many})),
            Err(RequestError::OutOfBounds {
                field: "films",
                got: 501,
                ..
            })
        ));
    }
}
