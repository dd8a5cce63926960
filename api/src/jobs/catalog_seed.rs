//! `reel catalog seed`: gives a fresh deployment a catalog (and the general model its first
//! members) from Letterboxd's popular members: their diaries are stored, and every film they
//! logged that the catalog lacks is queued for `reel catalog refresh`.

use futures::{StreamExt, stream};
use letterboxd::client::{Client, ClientError, ScrapedProfile};
use model::{FilmKey, Username};

use super::error::JobError;
use super::progress::Progress;
use crate::store::Store;

/// What a seed did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// Members whose profiles were read and stored.
    pub members: u64,
    /// Members listed but not readable (deleted or private since).
    pub skipped: u64,
    /// Films queued for the catalog crawl.
    pub films_queued: u64,
}

/// Reads `pages` pages of popular members and seeds from each member. `client` should fetch no
/// film pages per profile (`film_pages_per_profile = 0`): the films are queued instead. Stops at
/// the first page that lists no more members, and with an error when Letterboxd refuses us.
pub async fn seed_catalog(
    store: &Store,
    client: &Client,
    pages: u32,
    concurrency: usize,
    progress: &Progress,
) -> Result<SeedReport, JobError> {
    let upstream = |source| JobError::Upstream {
        job: "catalog seed",
        source,
    };
    let mut report = SeedReport::default();
    for page in 1..=pages {
        let listed = client.fetch_popular_members(page).await.map_err(upstream)?;
        if listed.usernames.is_empty() {
            break;
        }
        // Profiles are fetched a few at a time and written one after another.
        let mut scrapes = stream::iter(listed.usernames.iter())
            .map(|username| scrape_member(client, username))
            .buffer_unordered(concurrency.max(1));
        while let Some(scraped) = scrapes.next().await {
            match scraped? {
                Some((username, scraped)) => {
                    store.replace_profile(username, &scraped.profile).await?;
                    let films = sorted_unique(scraped.queued);
                    report.films_queued += store.queue_unknown_films(&films).await? as u64;
                    report.members += 1;
                }
                None => report.skipped += 1,
            }
            progress.inc(1);
        }
        tracing::info!(
            page,
            members = report.members,
            films_queued = report.films_queued,
            "seeded a page"
        );
        if !listed.has_next {
            break;
        }
    }
    Ok(report)
}

/// Slugs sorted and deduplicated: concurrent inserts of overlapping keys then take their locks in
/// the same order, and wait for each other instead of deadlocking.
pub(crate) fn sorted_unique(mut slugs: Vec<FilmKey>) -> Vec<FilmKey> {
    slugs.sort();
    slugs.dedup();
    slugs
}

/// One member's profile, or `None` when it cannot be read (deleted, private, failing).
async fn scrape_member<'a>(
    client: &Client,
    username: &'a Username,
) -> Result<Option<(&'a Username, ScrapedProfile)>, JobError> {
    match client.scrape_profile(username, &|_| true).await {
        Ok(scraped) => Ok(Some((username, scraped))),
        Err(ClientError::MemberNotFound(_)) | Err(ClientError::ProfilePrivate(_)) => Ok(None),
        Err(source) if source.stops_the_crawl() && !is_outage(&source) => Err(JobError::Upstream {
            job: "catalog seed",
            source,
        }),
        Err(error) => {
            // One member's pages failing is not a reason to give up on the others.
            tracing::warn!(member = %username, %error, "cannot read this member; skipped");
            Ok(None)
        }
    }
}

/// Retries exhausted on one member's pages: skip the member, unlike a block or a long wait.
fn is_outage(error: &ClientError) -> bool {
    matches!(error, ClientError::UpstreamUnavailable { .. })
}
