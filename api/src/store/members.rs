//! Members: who used the service (or came in with a dataset), and their daily use.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Date, Integer, Timestamptz};
use diesel::upsert::excluded;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::Username;

use super::schema::{member_usage, members};
use super::{Store, StoreError};

/// A member's row id: ratings, snapshots and usage rows point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MemberId(pub i64);

/// Uses of one member on one UTC day, counted in batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberUses {
    pub member: MemberId,
    pub day: NaiveDate,
    pub uses: i32,
    /// The latest of those uses.
    pub last_seen: DateTime<Utc>,
}

/// A member as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: MemberId,
    pub username: Username,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// Requests that used this member's profile.
    pub uses: u32,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = members, check_for_backend(diesel::pg::Pg))]
struct MemberRow {
    id: i64,
    username: String,
    first_seen: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    uses: i32,
}

impl TryFrom<MemberRow> for Member {
    type Error = StoreError;
    fn try_from(row: MemberRow) -> Result<Member, StoreError> {
        Ok(Member {
            id: MemberId(row.id),
            username: parse_username(&row.username)?,
            first_seen: row.first_seen,
            last_seen: row.last_seen,
            uses: u32::try_from(row.uses).unwrap_or(0),
        })
    }
}

pub(crate) fn parse_username(raw: &str) -> Result<Username, StoreError> {
    Username::parse(raw).map_err(|err| StoreError::corrupt("members", err))
}

/// The member's id, inserting the member (with no use counted) when new.
pub(crate) async fn ensure_member_on(
    conn: &mut AsyncPgConnection,
    username: &Username,
) -> Result<MemberId, StoreError> {
    // DO UPDATE (a no-op) rather than DO NOTHING, so RETURNING also yields an existing row's id.
    let id = diesel::insert_into(members::table)
        .values(members::username.eq(username.as_str()))
        .on_conflict(members::username)
        .do_update()
        .set(members::username.eq(excluded(members::username)))
        .returning(members::id)
        .get_result(conn)
        .await?;
    Ok(MemberId(id))
}

impl Store {
    /// Counts one use of a member's profile at `at`: inserts the member when new, moves
    /// `last_seen`, and adds to the member's uses and to that UTC day's usage, in one transaction.
    pub async fn record_member_use(
        &self,
        username: &Username,
        at: DateTime<Utc>,
    ) -> Result<MemberId, StoreError> {
        let mut conn = self.conn().await?;
        conn.transaction::<_, StoreError, _>(async |conn| {
            let id: i64 = diesel::insert_into(members::table)
                .values((
                    members::username.eq(username.as_str()),
                    members::first_seen.eq(at),
                    members::last_seen.eq(at),
                    members::uses.eq(1),
                ))
                .on_conflict(members::username)
                .do_update()
                .set((
                    members::last_seen.eq(diesel::dsl::sql::<diesel::sql_types::Timestamptz>(
                        "GREATEST(members.last_seen, excluded.last_seen)",
                    )),
                    members::uses.eq(members::uses + 1),
                ))
                .returning(members::id)
                .get_result(conn)
                .await?;
            diesel::insert_into(member_usage::table)
                .values((
                    member_usage::day.eq(at.date_naive()),
                    member_usage::member_id.eq(id),
                    member_usage::uses.eq(1),
                ))
                .on_conflict((member_usage::day, member_usage::member_id))
                .do_update()
                .set(member_usage::uses.eq(member_usage::uses + 1))
                .execute(conn)
                .await?;
            Ok(MemberId(id))
        })
        .await
    }

    /// Adds uses counted elsewhere (the service batches repeat uses of known members): per
    /// member and UTC day, in one transaction. Members must exist.
    pub async fn add_member_uses(&self, uses: &[MemberUses]) -> Result<(), StoreError> {
        if uses.is_empty() {
            return Ok(());
        }
        // Summed per member (and per member and day), as one statement may not touch a row twice.
        let mut by_member: BTreeMap<i64, (i32, DateTime<Utc>)> = BTreeMap::new();
        let mut by_day: BTreeMap<(NaiveDate, i64), i32> = BTreeMap::new();
        for row in uses {
            let member = by_member.entry(row.member.0).or_insert((0, row.last_seen));
            member.0 += row.uses;
            member.1 = member.1.max(row.last_seen);
            *by_day.entry((row.day, row.member.0)).or_default() += row.uses;
        }
        let (ids, totals): (Vec<i64>, Vec<(i32, DateTime<Utc>)>) = by_member.into_iter().unzip();
        let (counts, seen): (Vec<i32>, Vec<DateTime<Utc>>) = totals.into_iter().unzip();
        let (keys, day_counts): (Vec<(NaiveDate, i64)>, Vec<i32>) = by_day.into_iter().unzip();
        let (days, day_members): (Vec<NaiveDate>, Vec<i64>) = keys.into_iter().unzip();
        let mut conn = self.conn().await?;
        conn.transaction::<_, StoreError, _>(async |conn| {
            diesel::sql_query(
                "UPDATE members SET uses = members.uses + v.uses, \
                   last_seen = GREATEST(members.last_seen, v.last_seen) \
                 FROM unnest($1::int8[], $2::int4[], $3::timestamptz[]) AS v(id, uses, last_seen) \
                 WHERE members.id = v.id",
            )
            .bind::<Array<BigInt>, _>(&ids)
            .bind::<Array<Integer>, _>(&counts)
            .bind::<Array<Timestamptz>, _>(&seen)
            .execute(conn)
            .await?;
            diesel::sql_query(
                "INSERT INTO member_usage (day, member_id, uses) \
                 SELECT * FROM unnest($1::date[], $2::int8[], $3::int4[]) \
                 ON CONFLICT (day, member_id) DO UPDATE SET uses = member_usage.uses + excluded.uses",
            )
            .bind::<Array<Date>, _>(&days)
            .bind::<Array<BigInt>, _>(&day_members)
            .bind::<Array<Integer>, _>(&day_counts)
            .execute(conn)
            .await?;
            Ok(())
        })
        .await
    }

    /// The member's id, inserting the member when new (without counting a use).
    pub async fn ensure_member(&self, username: &Username) -> Result<MemberId, StoreError> {
        let mut conn = self.conn().await?;
        ensure_member_on(&mut conn, username).await
    }

    pub async fn find_member(&self, username: &Username) -> Result<Option<Member>, StoreError> {
        let mut conn = self.conn().await?;
        let row: Option<MemberRow> = members::table
            .filter(members::username.eq(username.as_str()))
            .select(MemberRow::as_select())
            .first(&mut conn)
            .await
            .optional()?;
        row.map(Member::try_from).transpose()
    }

    /// Every known member's username, in id order (for a ratings refresh to queue).
    pub async fn member_usernames(&self) -> Result<Vec<Username>, StoreError> {
        let mut conn = self.conn().await?;
        let names: Vec<String> = members::table
            .order(members::id)
            .select(members::username)
            .load(&mut conn)
            .await?;
        names.iter().map(|name| parse_username(name)).collect()
    }

    pub async fn count_members(&self) -> Result<i64, StoreError> {
        let mut conn = self.conn().await?;
        Ok(members::table.count().get_result(&mut conn).await?)
    }
}
