//! A member's whole profile in as few requests as the markup allows: page 1 of the films grid
//! tells the last page, the other pages and the watchlist follow concurrently within the shared
//! limits, then the diary's pages for the watch dates (bounded), then film pages only for the
//! films the caller's catalog lacks.

use std::collections::HashSet;

use futures::{StreamExt, TryStreamExt, stream};
use model::{DiaryEntry, Film, FilmKey, FilmRef, Profile, Username};

use super::fetch::{Tally, Target};
use super::metrics::RequestKind;
use super::{Client, ClientError};
use crate::parse::diary::{DiaryPage, parse_diary};
use crate::parse::grid::{GridPage, parse_grid};

/// What a profile scrape brings back.
#[derive(Debug)]
pub struct ScrapedProfile {
    pub profile: Profile,
    /// Pages of films the caller lacked, fetched within the per-profile bound.
    pub films: Vec<Film>,
    /// Films the caller lacks that were not fetched (over the bound, or after a stop): for the
    /// catalog crawl.
    pub queued: Vec<FilmKey>,
    /// Film pages that failed; the profile itself is complete.
    pub film_errors: Vec<FilmFailure>,
    /// How much of the diary (the profile's watch dates) was read.
    pub diary: DiaryRead,
    /// HTTP requests this scrape sent, retries included.
    pub requests: u32,
}

/// What the diary pages gave: the profile's `diary` holds the entries of the pages read, so a
/// diary cut by the bound or by a failed page is partial, and this says so.
#[derive(Debug, Default)]
pub struct DiaryRead {
    /// Pages read.
    pub pages_read: u32,
    /// The diary's pages as its first page tells (0 when that page was not read).
    pub pages: u32,
    /// Rows without a readable date or film.
    pub skipped_rows: usize,
    /// The first page that failed; the ratings and the pages read before stay.
    pub error: Option<ClientError>,
}

impl DiaryRead {
    /// Every page of the diary was read (what the rows allowed is in `skipped_rows`).
    pub fn is_complete(&self) -> bool {
        self.error.is_none() && self.pages_read >= self.pages
    }
}

#[derive(Debug)]
pub struct FilmFailure {
    pub key: FilmKey,
    pub error: ClientError,
}

/// Which grid of a member.
#[derive(Clone, Copy)]
enum Grid {
    Films,
    Watchlist,
}

impl Grid {
    fn path(self, user: &Username, page: u32) -> String {
        let section = match self {
            Grid::Films => "films",
            Grid::Watchlist => "watchlist",
        };
        format!("/{}/{section}/page/{page}/", user.as_str())
    }

    fn kind(self) -> RequestKind {
        match self {
            Grid::Films => RequestKind::FilmsPage,
            Grid::Watchlist => RequestKind::WatchlistPage,
        }
    }
}

impl Client {
    /// Scrapes `user`'s films and watchlist, then the pages of films `needs_film` says the
    /// catalog lacks (at most `film_pages_per_profile`; the rest come back as `queued`).
    #[tracing::instrument(skip(self, needs_film), fields(member = %user))]
    pub async fn scrape_profile(
        &self,
        user: &Username,
        needs_film: &(dyn Fn(&FilmKey) -> bool + Send + Sync),
    ) -> Result<ScrapedProfile, ClientError> {
        let tally = Tally::default();
        // Page 1 alone first: it answers "does this member exist, is it public, how many pages".
        let first = self.grid_page(user, Grid::Films, 1, &tally).await?;
        let last = first.last_page.max(1);
        let (rest, watchlist) = futures::try_join!(
            self.grid_pages(user, Grid::Films, 2, last, &tally),
            self.whole_grid(user, Grid::Watchlist, &tally),
        )?;
        let films_pages: Vec<GridPage> = std::iter::once(first).chain(rest).collect();
        let mut profile = assemble(user, &films_pages, &watchlist);
        let (diary, read) = self.read_diary(user, &tally).await;
        profile.diary = diary;

        let wanted: Vec<FilmKey> = profile
            .films_seen
            .iter()
            .map(|film| &film.key)
            .filter(|slug| needs_film(slug))
            .cloned()
            .collect();
        let bound = self.shared.config.film_pages_per_profile.min(wanted.len());
        let (to_fetch, mut queued) = (wanted[..bound].to_vec(), wanted[bound..].to_vec());
        let (films, film_errors) = self.fetch_films(to_fetch, &tally, &mut queued).await;
        Ok(ScrapedProfile {
            profile,
            films,
            queued,
            film_errors,
            diary: read,
            requests: tally.requests(),
        })
    }

    /// The member's diary, oldest first, from at most `diary_pages_per_profile` pages (the newest).
    /// A failed page ends the reading but not the scrape: the pages read are kept.
    async fn read_diary(&self, user: &Username, tally: &Tally) -> (Vec<DiaryEntry>, DiaryRead) {
        let bound = self.shared.config.diary_pages_per_profile;
        let mut read = DiaryRead::default();
        if bound == 0 {
            // Not asked for: nothing read, and nothing claimed complete.
            read.pages = 1;
            return (Vec::new(), read);
        }
        let first = match self.diary_page(user, 1, tally).await {
            Ok(page) => page,
            Err(error) => {
                tracing::warn!(member = %user, %error, "diary page 1 failed: no watch dates");
                read.error = Some(error);
                return (Vec::new(), read);
            }
        };
        read.pages = first.last_page.max(1);
        let last = read.pages.min(bound);
        let rest: Vec<Result<DiaryPage, ClientError>> = stream::iter(2..=last)
            .map(|page| self.diary_page(user, page, tally))
            .buffered(self.shared.config.max_in_flight.max(1))
            .collect()
            .await;
        let mut pages = vec![first];
        for result in rest {
            match result {
                Ok(page) => pages.push(page),
                Err(error) => {
                    // Pages after a gap would leave a hole in the dates: stop at the first failure.
                    tracing::warn!(member = %user, %error, "diary page failed: the diary is partial");
                    read.error = Some(error);
                    break;
                }
            }
        }
        read.pages_read = u32::try_from(pages.len()).unwrap_or(u32::MAX);
        read.skipped_rows = pages.iter().map(|page| page.skipped).sum();
        if read.pages > last {
            tracing::info!(member = %user, pages = read.pages, read = last, "diary cut at the page bound");
        }
        // Pages run newest first; the profile keeps the oldest first (stable within a day).
        let mut diary: Vec<DiaryEntry> = pages
            .into_iter()
            .flat_map(|page| page.entries)
            .rev()
            .map(|row| DiaryEntry {
                key: row.key,
                date: row.date,
                rewatch: row.rewatch,
            })
            .collect();
        diary.sort_by_key(|entry| entry.date);
        (diary, read)
    }

    async fn diary_page(
        &self,
        user: &Username,
        page: u32,
        tally: &Tally,
    ) -> Result<DiaryPage, ClientError> {
        let path = format!("/{}/films/diary/page/{page}/", user.as_str());
        let (url, body) = self
            .get_page(&path, Target::Member(user, RequestKind::DiaryPage), tally)
            .await?;
        parse_diary(&body).map_err(|err| ClientError::Parse {
            url,
            message: err.to_string(),
        })
    }

    async fn grid_page(
        &self,
        user: &Username,
        grid: Grid,
        page: u32,
        tally: &Tally,
    ) -> Result<GridPage, ClientError> {
        let path = grid.path(user, page);
        let (url, body) = self
            .get_page(&path, Target::Member(user, grid.kind()), tally)
            .await?;
        parse_grid(&body).map_err(|err| ClientError::Parse {
            url,
            message: err.to_string(),
        })
    }

    /// Pages `from..=to` of a grid, in page order, fetched concurrently.
    async fn grid_pages(
        &self,
        user: &Username,
        grid: Grid,
        from: u32,
        to: u32,
        tally: &Tally,
    ) -> Result<Vec<GridPage>, ClientError> {
        stream::iter(from..=to)
            .map(|page| self.grid_page(user, grid, page, tally))
            .buffered(self.shared.config.max_in_flight.max(1))
            .try_collect()
            .await
    }

    async fn whole_grid(
        &self,
        user: &Username,
        grid: Grid,
        tally: &Tally,
    ) -> Result<Vec<GridPage>, ClientError> {
        let first = self.grid_page(user, grid, 1, tally).await?;
        let last = first.last_page.max(1);
        let rest = self.grid_pages(user, grid, 2, last, tally).await?;
        Ok(std::iter::once(first).chain(rest).collect())
    }

    /// Film pages, concurrently; a failure costs that film, not the profile. After a challenge or
    /// an exhausted budget the films not yet fetched are queued instead.
    async fn fetch_films(
        &self,
        slugs: Vec<FilmKey>,
        tally: &Tally,
        queued: &mut Vec<FilmKey>,
    ) -> (Vec<Film>, Vec<FilmFailure>) {
        let results: Vec<(FilmKey, Result<Film, ClientError>)> = stream::iter(slugs)
            .map(|slug| async move {
                let result = self.fetch_film_counted(&slug, tally).await;
                (slug, result)
            })
            .buffered(self.shared.config.max_in_flight.max(1))
            .collect()
            .await;
        let mut films = Vec::new();
        let mut failures = Vec::new();
        let mut stopped = false;
        for (slug, result) in results {
            match result {
                Ok(film) => films.push(film),
                // The first stopping error is reported; films after it were never asked for.
                Err(error) if error.stops_the_crawl() && stopped => queued.push(slug),
                Err(error) => {
                    stopped |= error.stops_the_crawl();
                    failures.push(FilmFailure { key: slug, error });
                }
            }
        }
        (films, failures)
    }
}

/// The profile as the grids show it: a rating makes a rated film, no rating a watched one; the
/// like marker is independent of both.
fn assemble(user: &Username, films_pages: &[GridPage], watchlist: &[GridPage]) -> Profile {
    let mut profile = Profile {
        username: Some(user.clone()),
        ..Profile::default()
    };
    let mut seen: HashSet<FilmKey> = HashSet::new();
    let mut note = |film: &FilmRef, profile: &mut Profile| {
        if seen.insert(film.key.clone()) {
            profile.films_seen.push(film.clone());
        }
    };
    for item in films_pages.iter().flat_map(|page| &page.films) {
        let slug = item.film.key.clone();
        match item.rating {
            Some(rating) => profile.ratings.push((slug.clone(), rating)),
            None => profile.watched.push(slug.clone()),
        }
        if item.liked {
            profile.likes.push(slug);
        }
        note(&item.film, &mut profile);
    }
    for item in watchlist.iter().flat_map(|page| &page.films) {
        profile.watchlist.push(item.film.key.clone());
        note(&item.film, &mut profile);
    }
    profile
}
