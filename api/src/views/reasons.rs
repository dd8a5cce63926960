//! Why a prediction is what it is, on the wire. `ReasonView` is the contract (the spec's schema);
//! `ReasonsView` writes a film's reasons in that shape straight from the domain's, borrowing the
//! rated films' keys, titles and links from the catalog: a page of recommendations names hundreds
//! of rated films, and copying each into strings of its own first cost as much again as writing
//! them (issue 14's benchmark). One member's reasons for a film keep the JSON written of them
//! (`domain::FilmReasons::json`), so a warm request copies it instead of writing it again.

use std::sync::Arc;

use serde::ser::Error as _;
use serde::{Deserialize, Serialize, Serializer};
use utoipa::ToSchema;

use crate::domain::{MemberReasons, ReasonFilms};

/// Why a member's prediction is what it is, by `kind`: `film`, a film they rated; `features`,
/// features of the film itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReasonView {
    Film(FilmReasonView),
    Features(FeatureReasonView),
}

/// Features of the film that raised the prediction: the default model's residual forest fits
/// what the member's ratings say beyond the community's view, and each of its splits on the way
/// to this film's prediction is credited to its feature; the ones that raised it most, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FeatureReasonView {
    /// Whose prediction it raised.
    pub member: String,
    /// Up to three features, in words.
    #[schema(example = "highly rated French dramas from the 1970s")]
    pub text: String,
    /// Stars the prediction owes to these features (always positive).
    pub effect: f32,
}

/// A film a member rated that moved the prediction: the default model corrects the general
/// model's prediction of a film by the member's ratings of the films the community rates most
/// like it, so these are exactly the ratings it used, not a guess after the fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FilmReasonView {
    /// Whose rating it is.
    pub member: String,
    /// The rated film's key, title, year and Letterboxd page.
    #[schema(example = "the-thing")]
    pub key: String,
    pub title: String,
    pub year: Option<u16>,
    pub url: Option<String>,
    /// The member's rating of it, in stars.
    pub rating: Option<f32>,
    /// How alike the community rates the two films (0 to 1).
    pub similarity: f32,
    /// Stars the prediction owes to this rating: the prediction's neighbour correction with
    /// this rating minus without it. Positive: it raised the prediction.
    pub effect: f32,
}

/// What every item's reasons in a response share: the members' names and the films named.
#[derive(Debug)]
pub(super) struct ReasonContext {
    /// The request's members' names, by index.
    names: Vec<String>,
    films: ReasonFilms,
}

impl ReasonContext {
    pub(super) fn new(names: Vec<String>, films: ReasonFilms) -> Arc<Self> {
        Arc::new(Self { names, films })
    }

    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    fn name(&self, member: usize) -> &str {
        self.names.get(member).map_or("", String::as_str)
    }
}

/// A film's reasons as a response writes them: `Vec<ReasonView>` on the wire.
#[derive(Debug, Clone)]
pub struct ReasonsView {
    reasons: Vec<MemberReasons>,
    context: Arc<ReasonContext>,
}

impl ReasonsView {
    pub(super) fn new(reasons: Vec<MemberReasons>, context: &Arc<ReasonContext>) -> Self {
        Self {
            reasons,
            context: Arc::clone(context),
        }
    }
}

impl Serialize for ReasonsView {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let written = WrittenReasons {
            context: &self.context,
            reasons: &self.reasons,
        };
        // One member's reasons are kept with their scores, and their JSON with them: a warm
        // request copies it. Several members' are written each time.
        let [only] = self.reasons.as_slice() else {
            return written.serialize(serializer);
        };
        let json = only
            .reasons
            .json(self.context.name(only.member), || {
                serde_json::value::to_raw_value(&written)
            })
            .map_err(S::Error::custom)?;
        json.serialize(serializer)
    }
}

/// Members' reasons in member order, each member's rated films (largest effect first), then
/// their features.
struct WrittenReasons<'a> {
    context: &'a ReasonContext,
    reasons: &'a [MemberReasons],
}

impl Serialize for WrittenReasons<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let context = self.context;
        serializer.collect_seq(self.reasons.iter().flat_map(|reasons| {
            let member = context.name(reasons.member);
            let films = reasons.reasons.films.iter().map(move |reason| {
                let film = context.films.film(reason.film);
                WrittenReason::Film {
                    member,
                    key: film.key.as_str(),
                    title: &film.title,
                    year: film.year,
                    url: film.letterboxd_link().map(Displayed),
                    rating: Some(reason.rating),
                    similarity: reason.similarity,
                    effect: reason.effect,
                }
            });
            let features = reasons.reasons.features.iter().map(move |(text, effect)| {
                WrittenReason::Features {
                    member,
                    text,
                    effect: *effect,
                }
            });
            films.chain(features)
        }))
    }
}

/// [`ReasonView`], borrowed: the same tag and fields in the same order.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum WrittenReason<'a> {
    Film {
        member: &'a str,
        key: &'a str,
        title: &'a str,
        year: Option<u16>,
        url: Option<Displayed<model::LetterboxdLink<'a>>>,
        rating: Option<f32>,
        similarity: f32,
        effect: f32,
    },
    Features {
        member: &'a str,
        text: &'a str,
        effect: f32,
    },
}

/// Written as a string through its `Display`, with no string of its own.
struct Displayed<T>(T);

impl<T: std::fmt::Display> Serialize for Displayed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use model::models::Reason;
    use model::{Catalog, Film, FilmKey};

    use super::*;
    use crate::domain::{FilmReasons, WriteBudget};

    fn film(slug: &str, title: &str, year: Option<u16>) -> Film {
        let mut film = Film::stub(FilmKey::parse(slug).unwrap(), title);
        film.year = year;
        film
    }

    #[test]
    fn reasons_are_written_as_the_reason_views_they_stand_for() {
        let mut short = film("tmdb:movie:42", "Quote \"Me\" / Ünïcode", None);
        short.boxd_id = Some("2bcA".into());
        let catalog = Arc::new(Catalog::from_films([
            film("the-thing", "The Thing", Some(1982)),
            short,
            film("tmdb:movie:7", "No Link", Some(2001)),
        ]));
        let context = ReasonContext::new(
            vec!["alice".to_owned(), "bob".to_owned()],
            ReasonFilms::new(Arc::clone(&catalog)),
        );
        let films: Vec<Reason> = catalog
            .indices()
            .enumerate()
            .map(|(i, film)| Reason {
                film,
                rating: 4.5 - i as f32,
                similarity: 0.0411,
                effect: 0.125 - i as f32 * 0.25,
            })
            .collect();
        let reasons = vec![
            MemberReasons {
                member: 0,
                reasons: Arc::new(FilmReasons::new(vec![films[0], films[2]], None)),
            },
            MemberReasons {
                member: 1,
                reasons: Arc::new(FilmReasons::new(
                    vec![films[1]],
                    Some((Arc::from("highly rated dramas from the 1970s"), 0.02)),
                )),
            },
        ];

        let written = serde_json::to_value(ReasonsView::new(reasons, &context)).unwrap();

        // Read back as the spec's type: every field, nothing else.
        let read: Vec<ReasonView> = serde_json::from_value(written.clone()).unwrap();
        let film_reason =
            |member: &str, key: &str, title: &str, year, url: Option<&str>, i: f32| {
                ReasonView::Film(FilmReasonView {
                    member: member.to_owned(),
                    key: key.to_owned(),
                    title: title.to_owned(),
                    year,
                    url: url.map(str::to_owned),
                    rating: Some(4.5 - i),
                    similarity: 0.0411,
                    effect: 0.125 - i * 0.25,
                })
            };
        let the_thing = "https://letterboxd.com/film/the-thing/";
        let quote = "Quote \"Me\" / Ünïcode";
        assert_eq!(
            read,
            [
                film_reason(
                    "alice",
                    "the-thing",
                    "The Thing",
                    Some(1982),
                    Some(the_thing),
                    0.0
                ),
                film_reason("alice", "tmdb:movie:7", "No Link", Some(2001), None, 2.0),
                film_reason(
                    "bob",
                    "tmdb:movie:42",
                    quote,
                    None,
                    Some("https://boxd.it/2bcA"),
                    1.0
                ),
                ReasonView::Features(FeatureReasonView {
                    member: "bob".to_owned(),
                    text: "highly rated dramas from the 1970s".to_owned(),
                    effect: 0.02,
                }),
            ]
        );
        let fields: Vec<Vec<&String>> = written
            .as_array()
            .unwrap()
            .iter()
            .map(|reason| reason.as_object().unwrap().keys().collect())
            .collect();
        let film_fields = [
            "effect",
            "key",
            "kind",
            "member",
            "rating",
            "similarity",
            "title",
            "url",
            "year",
        ];
        assert_eq!(fields[0], film_fields.iter().collect::<Vec<_>>());
        assert_eq!(
            fields[3],
            ["effect", "kind", "member", "text"]
                .iter()
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn one_members_reasons_keep_the_json_they_were_written_as() {
        let catalog = Arc::new(Catalog::from_films([
            film("the-thing", "The Thing", Some(1982)),
            film("alien", "Alien", Some(1979)),
        ]));
        let at: Vec<_> = catalog.indices().collect();
        let context = ReasonContext::new(
            vec!["alice".to_owned(), "bob".to_owned()],
            ReasonFilms::new(Arc::clone(&catalog)),
        );
        let reasons = Arc::new(
            FilmReasons::new(
                vec![Reason {
                    film: at[1],
                    rating: 4.0,
                    similarity: 0.5,
                    effect: 0.25,
                }],
                Some((Arc::from("dramas"), 0.125)),
            )
            .kept_within(&WriteBudget::new(4096)),
        );
        let one = |member| {
            let view = ReasonsView::new(
                vec![MemberReasons {
                    member,
                    reasons: Arc::clone(&reasons),
                }],
                &context,
            );
            serde_json::to_string(&view).unwrap()
        };
        // What several members' reasons are written as, each time: the reference.
        let both = serde_json::to_string(&ReasonsView::new(
            vec![
                MemberReasons {
                    member: 0,
                    reasons: Arc::clone(&reasons),
                },
                MemberReasons {
                    member: 1,
                    reasons: Arc::clone(&reasons),
                },
            ],
            &context,
        ))
        .unwrap();
        let alice = one(0);
        assert!(
            both.starts_with(&alice[..alice.len() - 1]),
            "{both} / {alice}"
        );
        let kept = reasons
            .json("alice", || -> Result<_, serde_json::Error> {
                unreachable!("alice's JSON is kept")
            })
            .unwrap();
        assert_eq!(kept.get(), alice);
        assert_eq!(one(0), alice);
        // Another member's name is written, not read from alice's JSON.
        let bob = one(1);
        assert!(
            bob.contains(r#""member":"bob""#) && !bob.contains("alice"),
            "{bob}"
        );
        assert!(both.ends_with(&bob[1..]), "{both} / {bob}");
    }
}
