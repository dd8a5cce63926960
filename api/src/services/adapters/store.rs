//! [`MemberStore`] on the Postgres [`Store`].

use chrono::{DateTime, NaiveDate, Utc};
use futures::future::BoxFuture;
use model::stats::StatsSnapshot;
use model::{FilmKey, Username};

use super::StorePort;
use crate::domain::{StoredUpload, UploadId};
use crate::services::ports::{
    CountedUses, CumulativeDay, Histogram, MemberStore, PortResult, Scraped, StoredMember,
    StoredProfile, StoredSnapshot, UploadStore, UsageDay,
};
use crate::store::Store;
use crate::store::films::FilmsFrom;
use crate::store::members::{MemberId, MemberUses};

impl MemberStore for Store {
    fn record_use<'a>(
        &'a self,
        user: &'a Username,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, PortResult<StoredMember>> {
        async move { Ok(StoredMember(self.record_member_use(user, at).await?.0)) }.into_port()
    }

    fn add_uses<'a>(&'a self, uses: &'a [CountedUses]) -> BoxFuture<'a, PortResult<()>> {
        async move {
            let rows: Vec<MemberUses> = uses
                .iter()
                .map(|counted| MemberUses {
                    member: MemberId(counted.member.0),
                    day: counted.day,
                    uses: i32::try_from(counted.uses).unwrap_or(i32::MAX),
                    last_seen: counted.last_seen,
                })
                .collect();
            Ok(self.add_member_uses(&rows).await?)
        }
        .into_port()
    }

    fn save_scrape<'a>(
        &'a self,
        user: &'a Username,
        scraped: &'a Scraped,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, PortResult<()>> {
        async move {
            if !scraped.films.is_empty() {
                self.upsert_films(&scraped.films, FilmsFrom::scraped(at))
                    .await?;
            }
            self.save_scraped_profile(user, &scraped.profile, at)
                .await?;
            Ok(())
        }
        .into_port()
    }

    fn stored_profile<'a>(
        &'a self,
        user: &'a Username,
    ) -> BoxFuture<'a, PortResult<Option<StoredProfile>>> {
        async move {
            Ok(self
                .load_scraped_profile(user)
                .await?
                .map(|(profile, scraped_at)| StoredProfile {
                    profile,
                    scraped_at,
                }))
        }
        .into_port()
    }

    fn forget_scrape<'a>(&'a self, user: &'a Username) -> BoxFuture<'a, PortResult<()>> {
        async move { Ok(self.forget_scrape(user).await?) }.into_port()
    }

    fn queue_films<'a>(&'a self, slugs: &'a [FilmKey]) -> BoxFuture<'a, PortResult<usize>> {
        async move { Ok(self.queue_unknown_films(slugs).await?) }.into_port()
    }

    fn latest_snapshots(&self) -> BoxFuture<'_, PortResult<Vec<StoredSnapshot>>> {
        async move {
            Ok(self
                .latest_stats_snapshots_by_member()
                .await?
                .into_iter()
                .map(|latest| StoredSnapshot {
                    member: StoredMember(latest.member.0),
                    computed_at: latest.computed_at,
                    snapshot: latest.snapshot,
                })
                .collect())
        }
        .into_port()
    }

    fn save_snapshot<'a>(
        &'a self,
        member: StoredMember,
        snapshot: &'a StatsSnapshot,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, PortResult<()>> {
        async move {
            self.insert_stats_snapshot(MemberId(member.0), snapshot, at)
                .await?;
            Ok(())
        }
        .into_port()
    }

    fn rating_histograms(&self) -> BoxFuture<'_, PortResult<Vec<(FilmKey, Histogram)>>> {
        async move { Ok(self.film_rating_histograms().await?.into_iter().collect()) }.into_port()
    }

    fn usage_series(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> BoxFuture<'_, PortResult<Vec<UsageDay>>> {
        async move {
            Ok(Store::usage_series(self, from, to)
                .await?
                .into_iter()
                .map(|day| UsageDay {
                    day: day.day,
                    members: u32::try_from(day.members).unwrap_or(0),
                    uses: u32::try_from(day.uses).unwrap_or(0),
                })
                .collect())
        }
        .into_port()
    }

    fn cumulative_usage(
        &self,
        from: Option<NaiveDate>,
        to: NaiveDate,
    ) -> BoxFuture<'_, PortResult<Vec<CumulativeDay>>> {
        async move {
            Ok(Store::cumulative_usage(self, from, to)
                .await?
                .into_iter()
                .map(|day| CumulativeDay {
                    day: day.day,
                    members: u64::try_from(day.members).unwrap_or(0),
                    uses: u64::try_from(day.uses).unwrap_or(0),
                })
                .collect())
        }
        .into_port()
    }

    fn count_members(&self) -> BoxFuture<'_, PortResult<u64>> {
        async move { Ok(u64::try_from(Store::count_members(self).await?).unwrap_or(0)) }.into_port()
    }
}

impl UploadStore for Store {
    fn save_upload<'a>(
        &'a self,
        id: UploadId,
        upload: &'a StoredUpload,
    ) -> BoxFuture<'a, PortResult<()>> {
        async move {
            self.insert_upload(
                id.0,
                &upload.profile,
                serde_json::to_value(&upload.lists)?,
                upload.uploaded_at,
                upload.expires_at,
            )
            .await?;
            Ok(())
        }
        .into_port()
    }

    fn load_upload(
        &self,
        id: UploadId,
        now: DateTime<Utc>,
    ) -> BoxFuture<'_, PortResult<Option<StoredUpload>>> {
        async move {
            let Some(row) = self.live_upload(id.0, now).await? else {
                return Ok(None);
            };
            Ok(Some(StoredUpload {
                profile: row.profile,
                lists: serde_json::from_value(row.lists)?,
                uploaded_at: row.created_at,
                expires_at: row.expires_at,
            }))
        }
        .into_port()
    }

    fn remove_upload(&self, id: UploadId, now: DateTime<Utc>) -> BoxFuture<'_, PortResult<bool>> {
        async move { Ok(self.delete_upload(id.0, now).await?) }.into_port()
    }

    fn sweep_uploads(&self, now: DateTime<Utc>) -> BoxFuture<'_, PortResult<usize>> {
        async move { Ok(self.delete_expired_uploads(now).await?) }.into_port()
    }
}

impl crate::services::ports::OfferStore for Store {
    fn films_offered<'a>(
        &'a self,
        country: model::CountryCode,
        providers: &'a [u32],
        kinds: &'a [model::OfferKind],
    ) -> BoxFuture<'a, PortResult<Vec<FilmKey>>> {
        async move { Ok(Store::films_offered(self, country, providers, kinds).await?) }.into_port()
    }

    fn offers_in<'a>(
        &'a self,
        country: model::CountryCode,
        keys: &'a [FilmKey],
    ) -> BoxFuture<'a, PortResult<Vec<(FilmKey, model::Offer)>>> {
        async move { Ok(Store::offers_in(self, country, keys).await?) }.into_port()
    }
}
