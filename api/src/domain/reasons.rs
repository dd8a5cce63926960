//! Why a member's prediction of a film is what it is: the reasons the default model gave, shared
//! by every response that names the film while the member's scores are kept, with the JSON the
//! first of those responses wrote. Writing a page's few hundred reasons cost more than everything
//! else explanations add to a warm request (issue 14's benchmark), and the model is
//! deterministic: the same reasons make the same JSON.

use std::fmt;
use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use model::models::Reason;
use model::{Catalog, Film, FilmIndex};
use serde_json::value::RawValue;

/// One member's reasons for a film, in a result.
#[derive(Debug, Clone)]
pub struct MemberReasons {
    /// Index into the request's members.
    pub member: usize,
    pub reasons: Arc<FilmReasons>,
}

/// A member's reasons for one film, as the model gave them.
#[derive(Debug, Default)]
pub struct FilmReasons {
    /// The rated films that moved the prediction most (through the neighbour stage), largest
    /// effect first; each names its film in the result's [`ReasonFilms`].
    pub films: Vec<Reason>,
    /// The features that raised it (through the residual forest), in words, and by how many
    /// stars.
    pub features: Option<(Arc<str>, f32)>,
    /// Their JSON under the member's name, once a response wrote it and `budget` allowed.
    written: OnceLock<Written>,
    /// What their member's kept reasons may hold of JSON between them; none: nothing kept.
    budget: Option<Arc<WriteBudget>>,
}

#[derive(Debug)]
struct Written {
    /// Whose reasons the JSON names: another name writes its own.
    name: Box<str>,
    json: Box<RawValue>,
}

impl FilmReasons {
    /// Reasons for one response: their JSON is written each time.
    pub fn new(films: Vec<Reason>, features: Option<(Arc<str>, f32)>) -> Self {
        Self {
            films,
            features,
            written: OnceLock::new(),
            budget: None,
        }
    }

    /// Reasons kept for later responses, whose JSON is kept too while `budget` lasts.
    #[must_use]
    pub fn kept_within(mut self, budget: &Arc<WriteBudget>) -> Self {
        self.budget = Some(Arc::clone(budget));
        self
    }

    /// Their JSON under `name`: the JSON an earlier response wrote under that name, else what
    /// `write` makes (kept for the next response when the budget allows).
    pub fn json<E>(
        &self,
        name: &str,
        write: impl FnOnce() -> Result<Box<RawValue>, E>,
    ) -> Result<Json<'_>, E> {
        if let Some(written) = self.written.get() {
            return if *written.name == *name {
                Ok(Json::Kept(&written.json))
            } else {
                write().map(Json::Fresh)
            };
        }
        let json = write()?;
        let Some(budget) = &self.budget else {
            return Ok(Json::Fresh(json));
        };
        let bytes = json.get().len() + name.len();
        if !budget.take(bytes) {
            return Ok(Json::Fresh(json));
        }
        let written = Written {
            name: name.into(),
            json,
        };
        if let Err(lost) = self.written.set(written) {
            // Another response wrote them first: this copy is not kept.
            budget.give(bytes);
            return Ok(Json::Fresh(lost.json));
        }
        Ok(self.written.get().map_or_else(
            || unreachable!("set just above"),
            |written| Json::Kept(&written.json),
        ))
    }
}

/// Reasons' JSON: kept from an earlier response, or written for this one.
#[derive(Debug)]
pub enum Json<'a> {
    Kept(&'a RawValue),
    Fresh(Box<RawValue>),
}

impl Deref for Json<'_> {
    type Target = RawValue;

    fn deref(&self) -> &RawValue {
        match self {
            Json::Kept(json) => json,
            Json::Fresh(json) => json,
        }
    }
}

/// Bytes of JSON one member's kept reasons may hold between them: what the score cache weighs
/// them at is a bound, whatever the titles' lengths.
#[derive(Debug)]
pub struct WriteBudget {
    left: AtomicUsize,
}

impl WriteBudget {
    pub fn new(bytes: usize) -> Arc<Self> {
        Arc::new(Self {
            left: AtomicUsize::new(bytes),
        })
    }

    fn take(&self, bytes: usize) -> bool {
        self.left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .is_ok()
    }

    fn give(&self, bytes: usize) {
        self.left.fetch_add(bytes, Ordering::Relaxed);
    }
}

/// The films a result's reasons name, by index: the served catalog the members' models were
/// fitted on, held once by the result rather than by each reason (hundreds of reasons each
/// bumping the catalog's shared count cost more than finding them; copying each film, more still).
#[derive(Clone)]
pub struct ReasonFilms(Arc<Catalog>);

impl ReasonFilms {
    pub fn new(catalog: Arc<Catalog>) -> Self {
        Self(catalog)
    }

    /// `at` must be an index of the catalog the reasons were found in.
    pub fn film(&self, at: FilmIndex) -> &Film {
        self.0.film(at)
    }
}

impl fmt::Debug for ReasonFilms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReasonFilms")
            .field("films", &self.0.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::convert::Infallible;

    use super::*;

    fn json(text: &str) -> Result<Box<RawValue>, Infallible> {
        Ok(RawValue::from_string(text.to_owned()).unwrap())
    }

    #[test]
    fn kept_reasons_are_written_once_per_name() {
        let reasons = FilmReasons::new(Vec::new(), None).kept_within(&WriteBudget::new(1024));
        let writes = &Cell::new(0);
        let write = |text: &'static str| {
            move || {
                writes.set(writes.get() + 1);
                json(text)
            }
        };
        assert_eq!(reasons.json("alice", write("[1]")).unwrap().get(), "[1]");
        assert!(matches!(
            reasons.json("alice", write("[2]")).unwrap(),
            Json::Kept(kept) if kept.get() == "[1]"
        ));
        // Another name is written again, and not kept over the first.
        assert!(matches!(
            reasons.json("bob", write("[3]")).unwrap(),
            Json::Fresh(fresh) if fresh.get() == "[3]"
        ));
        assert_eq!(reasons.json("alice", write("[4]")).unwrap().get(), "[1]");
        assert_eq!(writes.get(), 2);
    }

    #[test]
    fn reasons_past_the_budget_or_for_one_response_are_written_each_time() {
        let budget = WriteBudget::new(20);
        let first = FilmReasons::new(Vec::new(), None).kept_within(&budget);
        let second = FilmReasons::new(Vec::new(), None).kept_within(&budget);
        let once = FilmReasons::new(Vec::new(), None);
        // 10 bytes of JSON and 5 of name: the first fits, the second does not.
        let ten = "[1,2,3,45]";
        for _ in 0..2 {
            assert!(matches!(
                first.json("alice", || json(ten)).unwrap(),
                Json::Kept(_)
            ));
            assert!(matches!(
                second.json("alice", || json(ten)).unwrap(),
                Json::Fresh(_)
            ));
            assert!(matches!(
                once.json("alice", || json(ten)).unwrap(),
                Json::Fresh(_)
            ));
        }
    }

    #[test]
    fn a_write_that_fails_keeps_nothing() {
        let reasons = FilmReasons::new(Vec::new(), None).kept_within(&WriteBudget::new(1024));
        assert_eq!(reasons.json("alice", || Err("no")).unwrap_err(), "no");
        assert_eq!(reasons.json("alice", || json("[]")).unwrap().get(), "[]");
        let kept = reasons
            .json("alice", || -> Result<_, Infallible> {
                unreachable!("kept")
            })
            .unwrap();
        assert!(matches!(kept, Json::Kept(_)));
    }
}
