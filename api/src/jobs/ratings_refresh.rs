//! `reel ratings refresh`: re-scrapes every known member's ratings for the general model, with
//! the catalog refresh's resumable design (crawl-jobs kind `member`).
//!
//! A member's stored diary is replaced by the scraped one in one transaction. Films the member
//! logged that the catalog lacks are queued for the catalog crawl rather than fetched here. A
//! member Letterboxd no longer has (404), or who made their profile private, keeps their stored
//! ratings: they are still good training data, and the job is done for this run.

use letterboxd::client::{Client, ClientError};
use model::{FilmKey, Profile, Username};

use super::catalog_seed::sorted_unique;
use super::error::JobError;
use super::progress::Progress;
use super::worker::{self, Crawl, CrawlReport, CrawlSettings, Fetched};
use crate::sources::{SourceError, letterboxd_error};
use crate::store::crawl::CrawlKind;
use crate::store::{Store, StoreError};

/// What one worker of a ratings refresh did.
#[derive(Debug)]
pub struct RatingsRefreshReport {
    pub crawl: CrawlReport,
    /// Members queued (or queued again) by this worker's start.
    pub queued: usize,
}

/// Runs one worker of a ratings refresh. `client` should fetch no film pages per profile
/// (`film_pages_per_profile = 0`): films go to the catalog crawl's queue.
pub async fn refresh_ratings(
    store: &Store,
    client: &Client,
    settings: &CrawlSettings,
    progress: &Progress,
) -> Result<RatingsRefreshReport, JobError> {
    let worker_id = settings.worker_id.as_str();
    store
        .release_claims_of(CrawlKind::Member, worker_id)
        .await?;
    let queued = store
        .queue_crawl_run(CrawlKind::Member, settings.refresh_after)
        .await?;
    let counts = store.crawl_queue_counts(CrawlKind::Member).await?;
    progress.set_total(u64::try_from(counts.queued).unwrap_or(0));
    tracing::info!(
        worker = worker_id,
        queued,
        to_do = counts.queued,
        "ratings refresh started"
    );
    let crawl = MemberCrawl { client, store };
    let report = worker::run(&crawl, store, settings, progress).await?;
    Ok(RatingsRefreshReport {
        crawl: report,
        queued,
    })
}

struct MemberCrawl<'a> {
    client: &'a Client,
    store: &'a Store,
}

enum MemberPage {
    Found {
        username: Username,
        profile: Box<Profile>,
        unknown_films: Vec<FilmKey>,
    },
    /// Deleted or private: nothing to write.
    Unavailable,
}

impl Crawl for MemberCrawl<'_> {
    type Item = MemberPage;

    fn kind(&self) -> CrawlKind {
        CrawlKind::Member
    }

    async fn fetch(&self, key: &str) -> Fetched<MemberPage> {
        let Ok(username) = Username::parse(key) else {
            return Fetched::Failed(format!("`{key}` is not a username"));
        };
        // Every film the profile mentions comes back as "queued"; the store keeps the unknown.
        match self.client.scrape_profile(&username, &|_| true).await {
            Ok(scraped) => Fetched::Ok(MemberPage::Found {
                username,
                profile: Box::new(scraped.profile),
                unknown_films: scraped.queued,
            }),
            Err(ClientError::MemberNotFound(_)) | Err(ClientError::ProfilePrivate(_)) => {
                tracing::info!(member = %username, "profile gone or private; stored ratings kept");
                Fetched::Ok(MemberPage::Unavailable)
            }
            Err(error) => classify(error, &username),
        }
    }

    async fn record(&self, worker: &str, items: Vec<(i64, MemberPage)>) -> Result<(), StoreError> {
        let mut ids = Vec::with_capacity(items.len());
        for (id, page) in items {
            if let MemberPage::Found {
                username,
                profile,
                unknown_films,
            } = page
            {
                self.store.replace_profile(&username, &profile).await?;
                let unknown_films = sorted_unique(unknown_films);
                self.store.queue_unknown_films(&unknown_films).await?;
            }
            ids.push(id);
        }
        self.store.complete_crawl_jobs(worker, &ids).await?;
        Ok(())
    }
}

/// Whether a client error is about this member (fail the item) or Letterboxd as a whole (stop).
fn classify<T>(error: ClientError, username: &Username) -> Fetched<T> {
    match letterboxd_error(error, username.as_str()) {
        refused @ SourceError::Refused { .. } => Fetched::Stop(refused),
        other => Fetched::Failed(other.to_string()),
    }
}
