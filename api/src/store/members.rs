//! Members: who used the service (or came in with a dataset), and their daily use.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::Username;

use super::schema::{member_usage, members};
use super::{Store, StoreError};

/// A member's row id: ratings, snapshots and usage rows point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MemberId(pub i64);

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
