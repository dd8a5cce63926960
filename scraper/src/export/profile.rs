//! From export rows to the [`Profile`] a scrape of the same member yields: one rating per film
//! (the latest diary rating winning over `ratings.csv` where they differ), likes, watched-unrated
//! (watched, diary and rated films minus the rated ones), the watchlist, and every film seen.
//! Lists come out sorted by slug, so an export and a scrape compare equal after sorting. The
//! member's own lists (`lists/*.csv`) are kept beside the profile, their films matched the same
//! way but not counted among its rows.

use std::collections::{BTreeMap, BTreeSet};

use model::{DiaryEntry, FilmKey, FilmRef, Profile, Rating, Username, WatchDate};
use serde::Serialize;

use super::archive::Kind;
use super::lists::{ExportList, ListRows, ListedFilm};
use super::matching::{FilmIndex, normalise_title};
use super::rows::{DiaryRow, FilmRow, RatingRow};

/// The parsed files of one export.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    pub username: Option<Username>,
    pub ratings: Vec<RatingRow>,
    pub watched: Vec<FilmRow>,
    pub watchlist: Vec<FilmRow>,
    pub likes: Vec<FilmRow>,
    pub diary: Vec<DiaryRow>,
    pub reviews: usize,
    pub lists: Vec<ListRows>,
}

impl Rows {
    /// Rows that name a film of the profile (reviews and lists only count).
    pub fn film_rows(&self) -> usize {
        self.ratings.len()
            + self.watched.len()
            + self.watchlist.len()
            + self.likes.len()
            + self.diary.len()
    }
}

/// A row no catalog film matched, returned to the caller rather than dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnmatchedRow {
    pub file: &'static str,
    pub line: u64,
    pub name: String,
    pub year: Option<u16>,
    pub uri: String,
}

/// How many rows each file had and what became of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExportCounts {
    pub ratings_rows: usize,
    pub watched_rows: usize,
    pub watchlist_rows: usize,
    pub likes_rows: usize,
    pub diary_rows: usize,
    pub diary_rewatches: usize,
    /// Films whose latest diary rating replaced the one in `ratings.csv`.
    pub diary_overrides: usize,
    pub reviews_rows: usize,
    pub lists: usize,
    pub matched_rows: usize,
    pub unmatched_rows: usize,
}

/// What an export yields: the profile, the member's lists, the rows that matched no film (the
/// first [`super::ExportLimits::max_unmatched_listed`]; `counts.unmatched_rows` has them all),
/// and the counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportProfile {
    pub profile: Profile,
    /// In the archive's order.
    pub lists: Vec<ExportList>,
    pub unmatched: Vec<UnmatchedRow>,
    pub counts: ExportCounts,
}

/// A diary rating with what orders it: (watched date, row order, rating).
type Latest = (Option<WatchDate>, usize, Rating);

struct Matcher<'a> {
    index: &'a dyn FilmIndex,
    seen: BTreeMap<FilmKey, FilmRef>,
    unmatched: Vec<UnmatchedRow>,
    /// How many rows matched no film, listed in `unmatched` or not.
    unmatched_total: usize,
    max_listed: usize,
    matched: usize,
}

impl Matcher<'_> {
    /// The film `row` names, by its URI's slug, its boxd.it id, or its title and year; the index
    /// hears of a row nothing matched.
    fn find(&self, row: &FilmRow) -> Option<FilmKey> {
        let slug = slug_in_uri(&row.uri)
            .or_else(|| boxd_id(&row.uri).and_then(|id| self.index.by_boxd_id(id)))
            .or_else(|| {
                let title = normalise_title(&row.name);
                (!title.is_empty())
                    .then(|| self.index.by_title_year(&title, row.year))
                    .flatten()
            });
        if slug.is_none() {
            self.index
                .unmatched(&normalise_title(&row.name), row.year, boxd_id(&row.uri));
        }
        slug
    }

    /// [`Self::find`], counting the row among the profile's and noting the film as seen.
    fn resolve(&mut self, kind: Kind, row: &FilmRow) -> Option<FilmKey> {
        let slug = self.find(row);
        match &slug {
            Some(slug) => {
                self.matched += 1;
                self.seen.entry(slug.clone()).or_insert_with(|| FilmRef {
                    key: slug.clone(),
                    title: Some(row.name.clone()).filter(|name| !name.is_empty()),
                    year: row.year,
                    letterboxd_id: None,
                });
            }
            None => {
                self.unmatched_total += 1;
                if self.unmatched.len() < self.max_listed {
                    self.unmatched.push(UnmatchedRow {
                        file: kind.file_name(),
                        line: row.line,
                        name: row.name.clone(),
                        year: row.year,
                        uri: row.uri.clone(),
                    });
                }
            }
        }
        slug
    }
}

pub(crate) fn build(rows: Rows, index: &dyn FilmIndex, max_listed: usize) -> ExportProfile {
    let mut matcher = Matcher {
        index,
        seen: BTreeMap::new(),
        unmatched: Vec::new(),
        unmatched_total: 0,
        max_listed,
        matched: 0,
    };
    let mut counts = ExportCounts {
        ratings_rows: rows.ratings.len(),
        watched_rows: rows.watched.len(),
        watchlist_rows: rows.watchlist.len(),
        likes_rows: rows.likes.len(),
        diary_rows: rows.diary.len(),
        diary_rewatches: rows.diary.iter().filter(|row| row.rewatch).count(),
        reviews_rows: rows.reviews,
        lists: rows.lists.len(),
        ..ExportCounts::default()
    };

    let mut ratings: BTreeMap<FilmKey, Rating> = BTreeMap::new();
    let mut watched: BTreeSet<FilmKey> = BTreeSet::new();
    for row in &rows.ratings {
        if let Some(slug) = matcher.resolve(Kind::Ratings, &row.film) {
            ratings.insert(slug.clone(), row.rating);
            watched.insert(slug);
        }
    }

    // The latest diary rating per film: by watched date, then by row order.
    let mut latest: BTreeMap<FilmKey, Latest> = BTreeMap::new();
    let mut diary: Vec<DiaryEntry> = Vec::new();
    for (order, row) in rows.diary.iter().enumerate() {
        let Some(slug) = matcher.resolve(Kind::Diary, &row.film) else {
            continue;
        };
        watched.insert(slug.clone());
        if let Some(date) = row.watched {
            diary.push(DiaryEntry {
                key: slug.clone(),
                date,
                rewatch: row.rewatch,
            });
        }
        if let Some(rating) = row.rating {
            let key = (row.watched, order, rating);
            latest
                .entry(slug)
                .and_modify(|current| {
                    if (key.0, key.1) >= (current.0, current.1) {
                        *current = key;
                    }
                })
                .or_insert(key);
        }
    }
    for (slug, (_, _, rating)) in latest {
        if ratings
            .insert(slug, rating)
            .is_some_and(|previous| previous != rating)
        {
            counts.diary_overrides += 1;
        }
    }

    for row in &rows.watched {
        if let Some(slug) = matcher.resolve(Kind::Watched, row) {
            watched.insert(slug);
        }
    }
    let likes: BTreeSet<FilmKey> = rows
        .likes
        .iter()
        .filter_map(|row| matcher.resolve(Kind::Likes, row))
        .collect();
    let watchlist: BTreeSet<FilmKey> = rows
        .watchlist
        .iter()
        .filter_map(|row| matcher.resolve(Kind::Watchlist, row))
        .collect();

    let lists = rows
        .lists
        .iter()
        .map(|list| ExportList {
            name: list.name.clone(),
            films: list
                .films
                .iter()
                .map(|row| ListedFilm {
                    name: row.name.clone(),
                    year: row.year,
                    uri: row.uri.clone(),
                    key: matcher.find(row),
                })
                .collect(),
        })
        .collect();

    counts.matched_rows = matcher.matched;
    counts.unmatched_rows = matcher.unmatched_total;
    let profile = Profile {
        username: rows.username,
        watched: watched
            .into_iter()
            .filter(|slug| !ratings.contains_key(slug))
            .collect(),
        ratings: ratings.into_iter().collect(),
        likes: likes.into_iter().collect(),
        watchlist: watchlist.into_iter().collect(),
        films_seen: matcher.seen.into_values().collect(),
        diary: {
            // Oldest first; a stable sort keeps the export's order within a day.
            diary.sort_by_key(|entry| entry.date);
            diary
        },
    };
    ExportProfile {
        profile,
        lists,
        unmatched: matcher.unmatched,
        counts,
    }
}

/// Older exports linked `https://letterboxd.com/film/{slug}/`: the slug itself.
fn slug_in_uri(uri: &str) -> Option<FilmKey> {
    uri.contains("letterboxd.com/film/")
        .then(|| FilmKey::parse(uri).ok())
        .flatten()
}

/// The short id of a `https://boxd.it/XXXX` link (a film's, or a diary entry's, which simply
/// matches no film).
fn boxd_id(uri: &str) -> Option<&str> {
    let at = uri.find("boxd.it/")?;
    let id = uri[at + "boxd.it/".len()..].split(['/', '?', '#']).next()?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(id)
}
