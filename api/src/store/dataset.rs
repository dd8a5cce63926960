//! Loading a whole dataset (films, members and their ratings) in one transaction: a failure
//! anywhere leaves the store as it was, and loading the same data twice changes nothing.

use std::collections::HashMap;

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, SmallInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::{Film, FilmKey, Rating, Username};

use super::films::{FilmsFrom, upsert_films_on};
use super::schema::{members, ratings};
use super::{Store, StoreError};

/// Rows per statement when loading ratings: arrays are bound whole, so this bounds only the size
/// of one message (about 3 MB) and how often progress is reported.
const RATINGS_BATCH: usize = 100_000;

/// The ratings of a dataset; `member` indexes the member list given alongside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetRating {
    pub member: u32,
    pub key: FilmKey,
    pub rating: Rating,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportChanges {
    /// Films inserted or with a changed value.
    pub films_changed: usize,
    pub members_added: usize,
    pub ratings_inserted: usize,
    pub ratings_updated: usize,
    /// Ratings of the dataset's members that the dataset no longer has.
    pub ratings_deleted: usize,
    /// The new catalog version, when the films changed.
    pub catalog_version: Option<i64>,
}

impl ImportChanges {
    pub fn is_empty(&self) -> bool {
        self.films_changed == 0
            && self.members_added == 0
            && self.ratings_inserted == 0
            && self.ratings_updated == 0
            && self.ratings_deleted == 0
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

impl Store {
    /// Loads a dataset in one transaction: upserts `films`, inserts unknown `members`, and makes
    /// each listed member's stored ratings exactly their `ratings` (inserting, updating, and
    /// deleting the ratings the dataset does not have). Bumps the catalog version when a film
    /// changed. `progress` is called with the number of ratings sent so far.
    pub async fn import_dataset(
        &self,
        films: &[Film],
        members: &[Username],
        ratings: &[DatasetRating],
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<ImportChanges, StoreError> {
        let ratings = last_per_member_and_film(ratings);
        let mut conn = self.conn().await?;
        conn.transaction::<_, StoreError, _>(async |conn| {
            let mut changes = ImportChanges {
                films_changed: upsert_films_on(conn, films, FilmsFrom::default()).await?,
                ..ImportChanges::default()
            };
            let (added, ids) = insert_members(conn, members).await?;
            changes.members_added = added;
            let before: i64 = ratings::table.count().get_result(conn).await?;
            load_staging(conn, &ids, &ratings, progress).await?;
            changes.ratings_deleted = diesel::sql_query(
                "DELETE FROM ratings r WHERE r.member_id = ANY($1) AND NOT EXISTS \
                 (SELECT 1 FROM import_ratings i \
                  WHERE i.member_id = r.member_id AND i.film_key = r.film_key)",
            )
            .bind::<Array<BigInt>, _>(&ids)
            .execute(conn)
            .await?;
            let written = diesel::sql_query(
                "INSERT INTO ratings (member_id, film_key, rating) \
                 SELECT member_id, film_key, rating FROM import_ratings \
                 ON CONFLICT (member_id, film_key) DO UPDATE SET rating = excluded.rating \
                 WHERE ratings.rating <> excluded.rating",
            )
            .execute(conn)
            .await?;
            let after: i64 = ratings::table.count().get_result(conn).await?;
            let inserted = after - before + i64::try_from(changes.ratings_deleted).unwrap_or(0);
            changes.ratings_inserted = usize::try_from(inserted).unwrap_or(0);
            changes.ratings_updated = written.saturating_sub(changes.ratings_inserted);
            if changes.films_changed > 0 {
                changes.catalog_version = Some(bump_catalog_version_on(conn).await?);
            }
            Ok(changes)
        })
        .await
    }
}

/// Inserts the members not yet known; returns how many were new and every member's id, in the
/// order of `members`.
async fn insert_members(
    conn: &mut AsyncPgConnection,
    members: &[Username],
) -> Result<(usize, Vec<i64>), StoreError> {
    let names: Vec<&str> = members.iter().map(Username::as_str).collect();
    let added = diesel::sql_query(
        "INSERT INTO members (username) SELECT u FROM unnest($1::text[]) AS u \
         ON CONFLICT (username) DO NOTHING",
    )
    .bind::<Array<Text>, _>(&names)
    .execute(conn)
    .await?;
    let rows: Vec<(i64, String)> = members::table
        .filter(members::username.eq_any(&names))
        .select((members::id, members::username))
        .load(conn)
        .await?;
    let by_name: HashMap<String, i64> = rows.into_iter().map(|(id, name)| (name, id)).collect();
    let ids = names
        .iter()
        .map(|name| {
            by_name
                .get(*name)
                .copied()
                .ok_or_else(|| StoreError::corrupt("members", format!("{name} vanished")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((added, ids))
}

/// Copies the ratings into a temporary table (dropped at commit) that the set-based statements
/// compare the stored ratings with.
async fn load_staging(
    conn: &mut AsyncPgConnection,
    member_ids: &[i64],
    ratings: &[&DatasetRating],
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<(), StoreError> {
    diesel::sql_query(
        "CREATE TEMPORARY TABLE import_ratings \
         (member_id bigint NOT NULL, film_key text NOT NULL, rating smallint NOT NULL) \
         ON COMMIT DROP",
    )
    .execute(conn)
    .await?;
    let mut sent = 0_u64;
    for batch in ratings.chunks(RATINGS_BATCH) {
        let mut ids = Vec::with_capacity(batch.len());
        let mut slugs = Vec::with_capacity(batch.len());
        let mut values = Vec::with_capacity(batch.len());
        for rating in batch {
            let id = usize::try_from(rating.member)
                .ok()
                .and_then(|at| member_ids.get(at))
                .ok_or_else(|| {
                    StoreError::invalid("dataset rating", "member index out of range")
                })?;
            ids.push(*id);
            slugs.push(rating.key.as_str());
            values.push(i16::from(rating.rating.half_stars()));
        }
        diesel::sql_query(
            "INSERT INTO import_ratings (member_id, film_key, rating) \
             SELECT * FROM unnest($1::int8[], $2::text[], $3::int2[])",
        )
        .bind::<Array<BigInt>, _>(&ids)
        .bind::<Array<Text>, _>(&slugs)
        .bind::<Array<SmallInt>, _>(&values)
        .execute(conn)
        .await?;
        sent += batch.len() as u64;
        progress(sent);
    }
    // Statistics and an index, so the anti-join and upsert plan as hash joins, not loops.
    diesel::sql_query("CREATE INDEX ON import_ratings (member_id, film_key)")
        .execute(conn)
        .await?;
    diesel::sql_query("ANALYZE import_ratings")
        .execute(conn)
        .await?;
    Ok(())
}

async fn bump_catalog_version_on(conn: &mut AsyncPgConnection) -> Result<i64, StoreError> {
    let row: Count = diesel::sql_query(
        "UPDATE catalog_version SET version = version + 1, changed_at = now() \
         RETURNING version AS count",
    )
    .get_result(conn)
    .await?;
    Ok(row.count)
}

/// One rating per (member, film): the last one, as a later row supersedes an earlier one.
fn last_per_member_and_film(ratings: &[DatasetRating]) -> Vec<&DatasetRating> {
    let mut last: HashMap<(u32, &str), usize> = HashMap::with_capacity(ratings.len());
    for (at, rating) in ratings.iter().enumerate() {
        last.insert((rating.member, rating.key.as_str()), at);
    }
    ratings
        .iter()
        .enumerate()
        .filter(|(at, rating)| last.get(&(rating.member, rating.key.as_str())) == Some(at))
        .map(|(_, rating)| rating)
        .collect()
}
