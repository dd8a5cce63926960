//! The crawl of films from one [`FilmSource`]: fetch each queued key's film, record the films
//! found (merged into the catalog by the store) and mark the ones the source no longer has as
//! gone. The Letterboxd refresh and the TMDB sync are this crawl over their source.

use std::sync::atomic::{AtomicU64, Ordering};

use model::{Film, FilmKey};

use super::worker::{Crawl, Fetched};
use crate::sources::{FilmSource, SourceError};
use crate::store::crawl::CrawlKind;
use crate::store::films::FilmsFrom;
use crate::store::{Store, StoreError};

pub(crate) struct FilmCrawl<'a> {
    pub source: &'a dyn FilmSource,
    pub store: &'a Store,
    pub kind: CrawlKind,
    /// Stamps the films recorded with the source and the time they were read.
    pub from: fn() -> FilmsFrom,
    /// Films the source no longer has.
    pub gone: AtomicU64,
}

impl<'a> FilmCrawl<'a> {
    pub fn new(
        source: &'a dyn FilmSource,
        store: &'a Store,
        kind: CrawlKind,
        from: fn() -> FilmsFrom,
    ) -> Self {
        Self {
            source,
            store,
            kind,
            from,
            gone: AtomicU64::new(0),
        }
    }

    pub fn gone(&self) -> u64 {
        self.gone.load(Ordering::Relaxed)
    }
}

pub(crate) enum FilmPage {
    Found(Box<Film>),
    Gone(FilmKey),
}

impl Crawl for FilmCrawl<'_> {
    type Item = FilmPage;

    fn kind(&self) -> CrawlKind {
        self.kind
    }

    async fn fetch(&self, key: &str) -> Fetched<FilmPage> {
        let Ok(key) = FilmKey::parse(key) else {
            return Fetched::Failed(format!("`{key}` is not a film key"));
        };
        match self.source.film(&key).await {
            Ok(film) => Fetched::Ok(FilmPage::Found(Box::new(film))),
            Err(SourceError::NotFound { .. }) => Fetched::Ok(FilmPage::Gone(key)),
            Err(error @ SourceError::Refused { .. }) => Fetched::Stop(error),
            Err(error @ SourceError::Failed { .. }) => Fetched::Failed(error.to_string()),
        }
    }

    async fn record(&self, worker: &str, items: Vec<(i64, FilmPage)>) -> Result<(), StoreError> {
        let mut found = Vec::new();
        let mut gone = Vec::new();
        let mut ids = Vec::with_capacity(items.len());
        for (id, page) in items {
            ids.push(id);
            match page {
                FilmPage::Found(film) => found.push(*film),
                FilmPage::Gone(key) => gone.push(key),
            }
        }
        self.store
            .record_crawled_films(worker, &found, &gone, &ids, (self.from)())
            .await?;
        self.gone.fetch_add(gone.len() as u64, Ordering::Relaxed);
        Ok(())
    }
}
