//! Members' diaries (ratings, unrated watches, likes, watchlists, dated watches) and the
//! community ratings the general model trains on.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Date, Integer, SmallInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use futures::TryStreamExt;
use model::{DiaryEntry, FilmKey, Profile, Rating, Username, WatchDate};

use super::members::{MemberId, ensure_member_on, parse_username};
use super::schema::{diary_entries, members, ratings, watched, watchlist};
use super::{Store, StoreError};

/// Every stored rating in a compact form: members and films are indices into the two lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RatingsMatrix {
    pub members: Vec<Username>,
    pub films: Vec<FilmKey>,
    pub entries: Vec<RatingEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RatingEntry {
    /// Index into [`RatingsMatrix::members`].
    pub member: u32,
    /// Index into [`RatingsMatrix::films`].
    pub film: u32,
    pub rating: Rating,
}

impl Store {
    /// Replaces everything stored of a member's diary with `profile` (ratings with their likes,
    /// unrated watches and likes, watchlist, dated watches), inserting the member when new. One transaction:
    /// readers see the old diary or the new one, never a mix.
    pub async fn replace_profile(
        &self,
        username: &Username,
        profile: &Profile,
    ) -> Result<MemberId, StoreError> {
        self.write_profile(username, profile, None).await
    }

    /// [`Store::replace_profile`] for a whole diary the service scraped at `at`: the service may
    /// serve it back ([`Store::load_scraped_profile`]) when its cache has lost the member.
    pub async fn save_scraped_profile(
        &self,
        username: &Username,
        profile: &Profile,
        at: DateTime<Utc>,
    ) -> Result<MemberId, StoreError> {
        self.write_profile(username, profile, Some(at)).await
    }

    async fn write_profile(
        &self,
        username: &Username,
        profile: &Profile,
        scraped_at: Option<DateTime<Utc>>,
    ) -> Result<MemberId, StoreError> {
        let rows = DiaryRows::from_profile(profile);
        let mut conn = self.conn().await?;
        conn.transaction::<_, StoreError, _>(async |conn| {
            let id = ensure_member_on(conn, username).await?;
            if let Some(at) = scraped_at {
                diesel::update(members::table.find(id.0))
                    .set(members::scraped_at.eq(at))
                    .execute(conn)
                    .await?;
            }
            diesel::delete(ratings::table.filter(ratings::member_id.eq(id.0)))
                .execute(conn)
                .await?;
            diesel::delete(watched::table.filter(watched::member_id.eq(id.0)))
                .execute(conn)
                .await?;
            diesel::delete(watchlist::table.filter(watchlist::member_id.eq(id.0)))
                .execute(conn)
                .await?;
            diesel::delete(diary_entries::table.filter(diary_entries::member_id.eq(id.0)))
                .execute(conn)
                .await?;
            diesel::sql_query(
                "INSERT INTO ratings (member_id, film_key, rating, liked) \
                 SELECT $1, * FROM unnest($2::text[], $3::int2[], $4::bool[])",
            )
            .bind::<BigInt, _>(id.0)
            .bind::<Array<Text>, _>(&rows.rated)
            .bind::<Array<SmallInt>, _>(&rows.ratings)
            .bind::<Array<Bool>, _>(&rows.rated_liked)
            .execute(conn)
            .await?;
            diesel::sql_query(
                "INSERT INTO watched (member_id, film_key, liked) \
                 SELECT $1, * FROM unnest($2::text[], $3::bool[])",
            )
            .bind::<BigInt, _>(id.0)
            .bind::<Array<Text>, _>(&rows.watched)
            .bind::<Array<Bool>, _>(&rows.watched_liked)
            .execute(conn)
            .await?;
            diesel::sql_query(
                "INSERT INTO watchlist (member_id, film_key) SELECT $1, * FROM unnest($2::text[])",
            )
            .bind::<BigInt, _>(id.0)
            .bind::<Array<Text>, _>(&rows.watchlist)
            .execute(conn)
            .await?;
            diesel::sql_query(
                "INSERT INTO diary_entries (member_id, position, film_key, watched_on, rewatch) \
                 SELECT $1, * FROM unnest($2::int4[], $3::text[], $4::date[], $5::bool[])",
            )
            .bind::<BigInt, _>(id.0)
            .bind::<Array<Integer>, _>(&rows.diary_positions)
            .bind::<Array<Text>, _>(&rows.diary_films)
            .bind::<Array<Date>, _>(&rows.diary_dates)
            .bind::<Array<Bool>, _>(&rows.diary_rewatches)
            .execute(conn)
            .await?;
            Ok(id)
        })
        .await
    }

    /// A member's stored diary, or `None` for an unknown member. `films_seen` is left empty: the
    /// films are already in the store.
    pub async fn load_profile(&self, username: &Username) -> Result<Option<Profile>, StoreError> {
        let mut conn = self.conn().await?;
        let Some(id) = members::table
            .filter(members::username.eq(username.as_str()))
            .select(members::id)
            .first::<i64>(&mut conn)
            .await
            .optional()?
        else {
            return Ok(None);
        };
        Ok(Some(load_diary(&mut conn, id, username).await?))
    }

    /// The diary the service last scraped of a member, with when: `None` when it never scraped
    /// the member (unknown, imported from a dataset, or forgotten since).
    pub async fn load_scraped_profile(
        &self,
        username: &Username,
    ) -> Result<Option<(Profile, DateTime<Utc>)>, StoreError> {
        let mut conn = self.conn().await?;
        let found: Option<(i64, Option<DateTime<Utc>>)> = members::table
            .filter(members::username.eq(username.as_str()))
            .select((members::id, members::scraped_at))
            .first(&mut conn)
            .await
            .optional()?;
        let Some((id, Some(scraped_at))) = found else {
            return Ok(None);
        };
        // Read in one snapshot, so a scrape saved meanwhile is seen whole or not at all.
        let profile = conn
            .build_transaction()
            .read_only()
            .repeatable_read()
            .run::<_, StoreError, _>(async |conn| load_diary(conn, id, username).await)
            .await?;
        Ok(Some((profile, scraped_at)))
    }

    /// Stops serving a member's stored diary (the member went private or away): the next
    /// request scrapes, and hears why it cannot have the profile.
    pub async fn forget_scrape(&self, username: &Username) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        diesel::update(members::table.filter(members::username.eq(username.as_str())))
            .set(members::scraped_at.eq(None::<DateTime<Utc>>))
            .execute(&mut conn)
            .await?;
        Ok(())
    }

    /// Every stored rating, streamed from the database into the compact matrix the general
    /// model trains on (about 12 bytes a rating, plus one string per member and film).
    pub async fn load_all_ratings(&self) -> Result<RatingsMatrix, StoreError> {
        let mut conn = self.conn().await?;
        let known: Vec<(i64, String)> = members::table
            .order(members::id)
            .select((members::id, members::username))
            .load(&mut conn)
            .await?;
        let mut matrix = RatingsMatrix::default();
        let mut member_index = HashMap::with_capacity(known.len());
        for (id, name) in known {
            member_index.insert(id, index(matrix.members.len())?);
            matrix.members.push(parse_username(&name)?);
        }
        let mut film_index: HashMap<String, u32> = HashMap::new();
        let mut stream = ratings::table
            .order((ratings::member_id, ratings::film_key))
            .select((ratings::member_id, ratings::film_key, ratings::rating))
            .load_stream::<(i64, String, i16)>(&mut conn)
            .await?;
        while let Some((member_id, slug, half_stars)) = stream.try_next().await? {
            let member = *member_index
                .get(&member_id)
                .ok_or_else(|| StoreError::corrupt("ratings", "rating of an unknown member"))?;
            let film = match film_index.get(&slug) {
                Some(&film) => film,
                None => {
                    let film = index(matrix.films.len())?;
                    matrix.films.push(parse_slug("ratings", &slug)?);
                    film_index.insert(slug, film);
                    film
                }
            };
            matrix.entries.push(RatingEntry {
                member,
                film,
                rating: parse_rating(half_stars)?,
            });
        }
        Ok(matrix)
    }

    /// How many ratings of each half-star value (index 0 = half a star) every rated film has:
    /// the community's distributions the statistics compare a member against.
    pub async fn film_rating_histograms(&self) -> Result<HashMap<FilmKey, [u32; 10]>, StoreError> {
        let mut conn = self.conn().await?;
        let rows: Vec<(String, i16, i64)> = ratings::table
            .group_by((ratings::film_key, ratings::rating))
            .select((
                ratings::film_key,
                ratings::rating,
                diesel::dsl::count_star(),
            ))
            .load(&mut conn)
            .await?;
        let mut histograms: HashMap<FilmKey, [u32; 10]> = HashMap::new();
        for (slug, half_stars, count) in rows {
            let rating = parse_rating(half_stars)?;
            let bucket = usize::from(rating.half_stars() - 1);
            histograms.entry(parse_slug("ratings", &slug)?).or_default()[bucket] =
                u32::try_from(count).unwrap_or(u32::MAX);
        }
        Ok(histograms)
    }

    pub async fn count_ratings(&self) -> Result<i64, StoreError> {
        let mut conn = self.conn().await?;
        Ok(ratings::table.count().get_result(&mut conn).await?)
    }
}

/// The member `id`'s ratings, watches, likes, watchlist and dated watches as a profile.
async fn load_diary(
    conn: &mut AsyncPgConnection,
    id: i64,
    username: &Username,
) -> Result<Profile, StoreError> {
    let rated: Vec<(String, i16, bool)> = ratings::table
        .filter(ratings::member_id.eq(id))
        .order(ratings::film_key)
        .select((ratings::film_key, ratings::rating, ratings::liked))
        .load(conn)
        .await?;
    let seen: Vec<(String, bool)> = watched::table
        .filter(watched::member_id.eq(id))
        .order(watched::film_key)
        .select((watched::film_key, watched::liked))
        .load(conn)
        .await?;
    let wanted: Vec<String> = watchlist::table
        .filter(watchlist::member_id.eq(id))
        .order(watchlist::film_key)
        .select(watchlist::film_key)
        .load(conn)
        .await?;
    let dated: Vec<(String, NaiveDate, bool)> = diary_entries::table
        .filter(diary_entries::member_id.eq(id))
        .order(diary_entries::position)
        .select((
            diary_entries::film_key,
            diary_entries::watched_on,
            diary_entries::rewatch,
        ))
        .load(conn)
        .await?;
    let mut profile = Profile {
        username: Some(username.clone()),
        ..Profile::default()
    };
    for (slug, watched_on, rewatch) in dated {
        profile.diary.push(DiaryEntry {
            key: parse_slug("diary_entries", &slug)?,
            date: watch_date(watched_on)?,
            rewatch,
        });
    }
    for (slug, half_stars, liked) in rated {
        let slug = parse_slug("ratings", &slug)?;
        if liked {
            profile.likes.push(slug.clone());
        }
        profile.ratings.push((slug, parse_rating(half_stars)?));
    }
    for (slug, liked) in seen {
        let slug = parse_slug("watched", &slug)?;
        if liked {
            profile.likes.push(slug.clone());
        }
        profile.watched.push(slug);
    }
    profile.watchlist = wanted
        .iter()
        .map(|slug| parse_slug("watchlist", slug))
        .collect::<Result<_, _>>()?;
    Ok(profile)
}

/// A profile as the column arrays the inserts bind; each film once per table.
#[derive(Default)]
struct DiaryRows {
    rated: Vec<String>,
    ratings: Vec<i16>,
    rated_liked: Vec<bool>,
    watched: Vec<String>,
    watched_liked: Vec<bool>,
    watchlist: Vec<String>,
    diary_positions: Vec<i32>,
    diary_films: Vec<String>,
    diary_dates: Vec<NaiveDate>,
    diary_rewatches: Vec<bool>,
}

impl DiaryRows {
    fn from_profile(profile: &Profile) -> Self {
        let liked: HashSet<&FilmKey> = profile.likes.iter().collect();
        // One rating per film: a later entry (the latest rewatch) wins.
        let mut latest: HashMap<&FilmKey, Rating> = HashMap::new();
        let mut order = Vec::new();
        for (slug, rating) in &profile.ratings {
            if latest.insert(slug, *rating).is_none() {
                order.push(slug);
            }
        }
        let mut rows = DiaryRows::default();
        for slug in order {
            rows.rated.push(slug.as_str().to_owned());
            rows.ratings.push(i16::from(latest[slug].half_stars()));
            rows.rated_liked.push(liked.contains(slug));
        }
        // A like without a rating is a watch too.
        let mut seen: HashSet<&FilmKey> = latest.keys().copied().collect();
        for slug in profile.watched.iter().chain(&profile.likes) {
            if seen.insert(slug) {
                rows.watched.push(slug.as_str().to_owned());
                rows.watched_liked.push(liked.contains(slug));
            }
        }
        let mut listed = HashSet::new();
        for slug in &profile.watchlist {
            if listed.insert(slug) {
                rows.watchlist.push(slug.as_str().to_owned());
            }
        }
        // Every dated watch in the profile's order; a day the calendar lacks cannot be a
        // `WatchDate`, so every one converts.
        for (position, entry) in profile.diary.iter().enumerate() {
            let date = entry.date;
            let Some(day) = NaiveDate::from_ymd_opt(
                i32::from(date.year()),
                u32::from(date.month()),
                u32::from(date.day()),
            ) else {
                continue;
            };
            rows.diary_positions
                .push(i32::try_from(position).unwrap_or(i32::MAX));
            rows.diary_films.push(entry.key.as_str().to_owned());
            rows.diary_dates.push(day);
            rows.diary_rewatches.push(entry.rewatch);
        }
        rows
    }
}

fn index(len: usize) -> Result<u32, StoreError> {
    u32::try_from(len).map_err(|_| StoreError::invalid("ratings matrix", "more than 2^32 entries"))
}

pub(crate) fn parse_slug(table: &'static str, raw: &str) -> Result<FilmKey, StoreError> {
    FilmKey::parse(raw).map_err(|err| StoreError::corrupt(table, err))
}

fn watch_date(day: NaiveDate) -> Result<WatchDate, StoreError> {
    u16::try_from(day.year())
        .ok()
        .and_then(|year| {
            WatchDate::new(
                year,
                u8::try_from(day.month()).ok()?,
                u8::try_from(day.day()).ok()?,
            )
        })
        .ok_or_else(|| StoreError::corrupt("diary_entries", format!("date {day}")))
}

fn parse_rating(half_stars: i16) -> Result<Rating, StoreError> {
    u8::try_from(half_stars)
        .ok()
        .and_then(|n| Rating::from_half_stars(n).ok())
        .ok_or_else(|| StoreError::corrupt("ratings", format!("rating {half_stars}")))
}
