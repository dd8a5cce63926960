//! The film catalog: bulk upserts from imports and crawls, and the active films servers load.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Float, Integer, Nullable, SmallInt, Text, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::{ContentType, Film, FilmKey, Genre, GenreSet, Slug, TmdbRef};

use super::schema::films;
use super::{Store, StoreError};

/// Rows per upsert statement: arrays are bound whole (no 65,535-parameter limit), this only keeps
/// each statement's memory and lock time modest.
const UPSERT_BATCH: usize = 5_000;
/// Separates countries inside one array element: it never occurs in a country name.
const COUNTRY_SEPARATOR: char = '\u{1f}';

/// A film as stored.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = films, check_for_backend(diesel::pg::Pg))]
struct FilmRow {
    id: i64,
    key: String,
    slug: Option<String>,
    letterboxd_id: Option<i64>,
    boxd_id: Option<String>,
    title: String,
    year: Option<i16>,
    runtime_minutes: Option<i16>,
    genres: Vec<Option<String>>,
    countries: Vec<Option<String>>,
    language: Option<String>,
    content_type: String,
    lb_average: Option<f32>,
    lb_rating_count: Option<i32>,
    poster_url: Option<String>,
    tmdb_kind: Option<String>,
    tmdb_id: Option<i64>,
    imdb_id: Option<String>,
    tmdb_popularity: Option<f32>,
    tmdb_vote_average: Option<f32>,
    tmdb_vote_count: Option<i32>,
}

impl TryFrom<FilmRow> for Film {
    type Error = StoreError;

    fn try_from(row: FilmRow) -> Result<Film, StoreError> {
        let corrupt = |message: String| StoreError::corrupt("films", message);
        let key = FilmKey::parse(&row.key).map_err(|err| corrupt(err.to_string()))?;
        let slug = row
            .slug
            .as_deref()
            .map(Slug::parse)
            .transpose()
            .map_err(|err| corrupt(format!("{key}: {err}")))?;
        let genres = row
            .genres
            .iter()
            .flatten()
            .map(|name| Genre::parse(name))
            .collect::<Result<GenreSet, _>>()
            .map_err(|err| corrupt(format!("{key}: {err}")))?;
        let content_type = ContentType::parse(&row.content_type)
            .map_err(|err| corrupt(format!("{key}: {err}")))?;
        let tmdb = match (row.tmdb_kind.as_deref(), row.tmdb_id) {
            (Some(kind), Some(id)) => Some(TmdbRef {
                kind: ContentType::parse(kind).map_err(|err| corrupt(format!("{key}: {err}")))?,
                id: u64::try_from(id).map_err(|err| corrupt(format!("{key}: {err}")))?,
            }),
            _ => None,
        };
        Ok(Film {
            id: u64::try_from(row.id).ok(),
            slug,
            title: row.title,
            year: row.year.and_then(|year| u16::try_from(year).ok()),
            runtime_minutes: row.runtime_minutes.and_then(|m| u16::try_from(m).ok()),
            genres,
            countries: row.countries.into_iter().flatten().collect(),
            language: row.language,
            content_type,
            lb_average: row.lb_average,
            lb_rating_count: row.lb_rating_count.and_then(|n| u32::try_from(n).ok()),
            poster_url: row.poster_url,
            letterboxd_id: row.letterboxd_id.and_then(|id| u64::try_from(id).ok()),
            boxd_id: row.boxd_id,
            tmdb,
            imdb_id: row.imdb_id,
            tmdb_popularity: row.tmdb_popularity,
            tmdb_vote_average: row.tmdb_vote_average,
            tmdb_vote_count: row.tmdb_vote_count.and_then(|n| u32::try_from(n).ok()),
            availability: None,
            key,
        })
    }
}

/// Films as parallel column arrays, the shape `unnest` takes.
#[derive(Default)]
struct FilmColumns {
    key: Vec<String>,
    slug: Vec<Option<String>>,
    letterboxd_id: Vec<Option<i64>>,
    boxd_id: Vec<Option<String>>,
    title: Vec<String>,
    year: Vec<Option<i16>>,
    runtime_minutes: Vec<Option<i16>>,
    genres: Vec<String>,
    countries: Vec<String>,
    language: Vec<Option<String>>,
    content_type: Vec<String>,
    lb_average: Vec<Option<f32>>,
    lb_rating_count: Vec<Option<i32>>,
    poster_url: Vec<Option<String>>,
    tmdb_kind: Vec<Option<String>>,
    tmdb_id: Vec<Option<i64>>,
    imdb_id: Vec<Option<String>>,
    tmdb_popularity: Vec<Option<f32>>,
    tmdb_vote_average: Vec<Option<f32>>,
    tmdb_vote_count: Vec<Option<i32>>,
}

impl FilmColumns {
    fn from_films(films: &[Film]) -> Result<Self, StoreError> {
        let mut columns = FilmColumns::default();
        for film in films {
            let fits =
                |what: &'static str, value: Option<u64>| -> Result<Option<i64>, StoreError> {
                    value
                        .map(|v| i64::try_from(v).map_err(|_| StoreError::invalid(what, v)))
                        .transpose()
                };
            let small =
                |what: &'static str, value: Option<u16>| -> Result<Option<i16>, StoreError> {
                    value
                        .map(|v| i16::try_from(v).map_err(|_| StoreError::invalid(what, v)))
                        .transpose()
                };
            let count = |n: Option<u32>| n.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
            columns.key.push(film.key.as_str().to_owned());
            columns
                .slug
                .push(film.slug.as_ref().map(|s| s.as_str().to_owned()));
            columns
                .letterboxd_id
                .push(fits("letterboxd_id", film.letterboxd_id)?);
            columns.boxd_id.push(film.boxd_id.clone());
            columns.title.push(film.title.clone());
            columns.year.push(small("year", film.year)?);
            columns
                .runtime_minutes
                .push(small("runtime_minutes", film.runtime_minutes)?);
            columns.genres.push(
                film.genres
                    .iter()
                    .map(Genre::name)
                    .collect::<Vec<_>>()
                    .join("|"),
            );
            columns.countries.push(
                film.countries
                    .iter()
                    .map(|country| country.replace(COUNTRY_SEPARATOR, " "))
                    .collect::<Vec<_>>()
                    .join(&COUNTRY_SEPARATOR.to_string()),
            );
            columns.language.push(film.language.clone());
            columns
                .content_type
                .push(film.content_type.as_str().to_owned());
            columns
                .lb_average
                .push(film.lb_average.filter(|avg| (0.5..=5.0).contains(avg)));
            columns.lb_rating_count.push(count(film.lb_rating_count));
            columns.poster_url.push(film.poster_url.clone());
            columns
                .tmdb_kind
                .push(film.tmdb.map(|t| t.kind.as_str().to_owned()));
            columns
                .tmdb_id
                .push(fits("tmdb_id", film.tmdb.map(|t| t.id))?);
            columns.imdb_id.push(film.imdb_id.clone());
            columns
                .tmdb_popularity
                .push(film.tmdb_popularity.filter(|p| p.is_finite() && *p >= 0.0));
            columns.tmdb_vote_average.push(
                film.tmdb_vote_average
                    .filter(|avg| (0.0..=10.0).contains(avg)),
            );
            columns.tmdb_vote_count.push(count(film.tmdb_vote_count));
        }
        Ok(columns)
    }
}

/// Inserts new films and updates known ones, merging: a value the input lacks (`None`, no genres,
/// no countries) never erases one the store knows, since a page or dataset that omits a field
/// says nothing about it. An input film is the stored film with its key, else with its slug, else
/// with its TMDB record: a film first found on TMDB and later named by Letterboxd stays one film
/// (and keeps its key). A slug or boxd.it id another film already holds is not taken from it.
/// Every upserted film becomes `active`. Rows whose stored values would not change are not
/// written, so the returned count is films inserted or actually changed.
const UPSERT_FILMS: &str = r#"
WITH input AS (
    SELECT * FROM unnest(
        $1::text[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::int2[], $7::int2[],
        $8::text[], $9::text[], $10::text[], $11::text[], $12::float4[], $13::int4[], $14::text[],
        $15::text[], $16::int8[], $17::text[], $18::float4[], $19::float4[], $20::int4[]
    ) WITH ORDINALITY AS t(key, slug, letterboxd_id, boxd_id, title, year, runtime_minutes, genres,
           countries, language, content_type, lb_average, lb_rating_count, poster_url, tmdb_kind,
           tmdb_id, imdb_id, tmdb_popularity, tmdb_vote_average, tmdb_vote_count, ord)
), matched AS (
    SELECT i.*, COALESCE(
        (SELECT f.key FROM films f WHERE f.key = i.key),
        (SELECT f.key FROM films f WHERE i.slug IS NOT NULL AND f.slug = i.slug),
        (SELECT min(f.key) FROM films f
          WHERE i.tmdb_id IS NOT NULL AND f.tmdb_kind = i.tmdb_kind AND f.tmdb_id = i.tmdb_id),
        i.key) AS target
    FROM input i
), merged AS (
    SELECT DISTINCT ON (m.target)
           m.target AS key,
           CASE WHEN EXISTS (SELECT 1 FROM films o WHERE o.slug = m.slug AND o.key <> m.target)
                THEN f.slug ELSE COALESCE(m.slug, f.slug) END AS slug,
           COALESCE(m.letterboxd_id, f.letterboxd_id) AS letterboxd_id,
           CASE WHEN EXISTS (SELECT 1 FROM films o WHERE o.boxd_id = m.boxd_id AND o.key <> m.target)
                THEN f.boxd_id ELSE COALESCE(m.boxd_id, f.boxd_id) END AS boxd_id,
           m.title,
           COALESCE(m.year, f.year) AS year,
           COALESCE(m.runtime_minutes, f.runtime_minutes) AS runtime_minutes,
           CASE WHEN m.genres = '' THEN COALESCE(f.genres, '{}')
                ELSE string_to_array(m.genres, '|') END AS genres,
           CASE WHEN m.countries = '' THEN COALESCE(f.countries, '{}')
                ELSE string_to_array(m.countries, chr(31)) END AS countries,
           COALESCE(m.language, f.language) AS language,
           m.content_type,
           COALESCE(m.lb_average, f.lb_average) AS lb_average,
           COALESCE(m.lb_rating_count, f.lb_rating_count) AS lb_rating_count,
           COALESCE(m.poster_url, f.poster_url) AS poster_url,
           CASE WHEN m.tmdb_id IS NULL THEN f.tmdb_kind ELSE m.tmdb_kind END AS tmdb_kind,
           COALESCE(m.tmdb_id, f.tmdb_id) AS tmdb_id,
           COALESCE(m.imdb_id, f.imdb_id) AS imdb_id,
           COALESCE(m.tmdb_popularity, f.tmdb_popularity) AS tmdb_popularity,
           COALESCE(m.tmdb_vote_average, f.tmdb_vote_average) AS tmdb_vote_average,
           COALESCE(m.tmdb_vote_count, f.tmdb_vote_count) AS tmdb_vote_count,
           COALESCE($21::timestamptz, f.scraped_at) AS scraped_at,
           COALESCE($22::timestamptz, f.tmdb_synced_at) AS tmdb_synced_at,
           'active' AS status
    FROM matched m LEFT JOIN films f ON f.key = m.target
    ORDER BY m.target, m.ord DESC
)
INSERT INTO films AS f (key, slug, letterboxd_id, boxd_id, title, year, runtime_minutes, genres,
                        countries, language, content_type, lb_average, lb_rating_count,
                        poster_url, tmdb_kind, tmdb_id, imdb_id, tmdb_popularity,
                        tmdb_vote_average, tmdb_vote_count, scraped_at, tmdb_synced_at, status)
SELECT * FROM merged
ON CONFLICT (key) DO UPDATE SET
    slug = excluded.slug, letterboxd_id = excluded.letterboxd_id, boxd_id = excluded.boxd_id,
    title = excluded.title, year = excluded.year, runtime_minutes = excluded.runtime_minutes,
    genres = excluded.genres, countries = excluded.countries, language = excluded.language,
    content_type = excluded.content_type, lb_average = excluded.lb_average,
    lb_rating_count = excluded.lb_rating_count, poster_url = excluded.poster_url,
    tmdb_kind = excluded.tmdb_kind, tmdb_id = excluded.tmdb_id, imdb_id = excluded.imdb_id,
    tmdb_popularity = excluded.tmdb_popularity, tmdb_vote_average = excluded.tmdb_vote_average,
    tmdb_vote_count = excluded.tmdb_vote_count, scraped_at = excluded.scraped_at,
    tmdb_synced_at = excluded.tmdb_synced_at, status = excluded.status
WHERE (f.slug, f.letterboxd_id, f.boxd_id, f.title, f.year, f.runtime_minutes, f.genres,
       f.countries, f.language, f.content_type, f.lb_average, f.lb_rating_count, f.poster_url,
       f.tmdb_kind, f.tmdb_id, f.imdb_id, f.tmdb_popularity, f.tmdb_vote_average,
       f.tmdb_vote_count, f.scraped_at, f.tmdb_synced_at, f.status)
      IS DISTINCT FROM
      (excluded.slug, excluded.letterboxd_id, excluded.boxd_id, excluded.title, excluded.year,
       excluded.runtime_minutes, excluded.genres, excluded.countries, excluded.language,
       excluded.content_type, excluded.lb_average, excluded.lb_rating_count, excluded.poster_url,
       excluded.tmdb_kind, excluded.tmdb_id, excluded.imdb_id, excluded.tmdb_popularity,
       excluded.tmdb_vote_average, excluded.tmdb_vote_count, excluded.scraped_at,
       excluded.tmdb_synced_at, excluded.status)
"#;

/// Where upserted films were read: the dates the store keeps per source.
#[derive(Debug, Clone, Copy, Default)]
pub struct FilmsFrom {
    /// When the crawler read these films' Letterboxd pages.
    pub scraped_at: Option<DateTime<Utc>>,
    /// When the TMDB sync fetched their details.
    pub tmdb_synced_at: Option<DateTime<Utc>>,
}

impl FilmsFrom {
    pub fn scraped(at: DateTime<Utc>) -> Self {
        Self {
            scraped_at: Some(at),
            tmdb_synced_at: None,
        }
    }

    pub fn tmdb(at: DateTime<Utc>) -> Self {
        Self {
            scraped_at: None,
            tmdb_synced_at: Some(at),
        }
    }
}

/// Upserts `films` on an open connection (the caller owns the transaction); returns how many
/// rows were inserted or changed. A key given twice keeps its last film.
pub(crate) async fn upsert_films_on(
    conn: &mut AsyncPgConnection,
    films: &[Film],
    from: FilmsFrom,
) -> Result<usize, StoreError> {
    let films = last_per_key(films);
    let mut changed = 0;
    for batch in films.chunks(UPSERT_BATCH) {
        let c = FilmColumns::from_films(batch)?;
        changed += diesel::sql_query(UPSERT_FILMS)
            .bind::<Array<Text>, _>(c.key)
            .bind::<Array<Nullable<Text>>, _>(c.slug)
            .bind::<Array<Nullable<BigInt>>, _>(c.letterboxd_id)
            .bind::<Array<Nullable<Text>>, _>(c.boxd_id)
            .bind::<Array<Text>, _>(c.title)
            .bind::<Array<Nullable<SmallInt>>, _>(c.year)
            .bind::<Array<Nullable<SmallInt>>, _>(c.runtime_minutes)
            .bind::<Array<Text>, _>(c.genres)
            .bind::<Array<Text>, _>(c.countries)
            .bind::<Array<Nullable<Text>>, _>(c.language)
            .bind::<Array<Text>, _>(c.content_type)
            .bind::<Array<Nullable<Float>>, _>(c.lb_average)
            .bind::<Array<Nullable<Integer>>, _>(c.lb_rating_count)
            .bind::<Array<Nullable<Text>>, _>(c.poster_url)
            .bind::<Array<Nullable<Text>>, _>(c.tmdb_kind)
            .bind::<Array<Nullable<BigInt>>, _>(c.tmdb_id)
            .bind::<Array<Nullable<Text>>, _>(c.imdb_id)
            .bind::<Array<Nullable<Float>>, _>(c.tmdb_popularity)
            .bind::<Array<Nullable<Float>>, _>(c.tmdb_vote_average)
            .bind::<Array<Nullable<Integer>>, _>(c.tmdb_vote_count)
            .bind::<Nullable<Timestamptz>, _>(from.scraped_at)
            .bind::<Nullable<Timestamptz>, _>(from.tmdb_synced_at)
            .execute(conn)
            .await?;
    }
    super::offers::replace_offers_on(conn, &films).await?;
    Ok(changed)
}

/// Films in input order with each key's last occurrence only (one statement cannot update the
/// same row twice).
fn last_per_key(films: &[Film]) -> Vec<Film> {
    let mut last = std::collections::HashMap::with_capacity(films.len());
    for (at, film) in films.iter().enumerate() {
        last.insert(&film.key, at);
    }
    films
        .iter()
        .enumerate()
        .filter(|(at, film)| last.get(&film.key) == Some(at))
        .map(|(_, film)| film.clone())
        .collect()
}

impl Store {
    /// Every active film, ordered by key: what servers load into their in-memory catalog.
    pub async fn load_catalog_films(&self) -> Result<Vec<Film>, StoreError> {
        let mut conn = self.conn().await?;
        let rows: Vec<FilmRow> = films::table
            .filter(films::status.eq("active"))
            .order(films::key)
            .select(FilmRow::as_select())
            .load(&mut conn)
            .await?;
        rows.into_iter().map(Film::try_from).collect()
    }

    /// One film by its own key, active or gone.
    pub async fn find_film(&self, key: &FilmKey) -> Result<Option<Film>, StoreError> {
        let mut conn = self.conn().await?;
        let row: Option<FilmRow> = films::table
            .filter(films::key.eq(key.as_str()))
            .select(FilmRow::as_select())
            .first(&mut conn)
            .await
            .optional()?;
        row.map(Film::try_from).transpose()
    }

    /// Upserts films in one transaction (see [`UPSERT_FILMS`] for the merge rules). `from` says
    /// which source read them and when; the default for films from a dataset or a grid.
    /// Returns how many films were inserted or changed.
    pub async fn upsert_films(&self, films: &[Film], from: FilmsFrom) -> Result<usize, StoreError> {
        let mut conn = self.conn().await?;
        conn.transaction::<_, StoreError, _>(async |conn| upsert_films_on(conn, films, from).await)
            .await
    }

    /// Marks films Letterboxd no longer has (404/410) as gone: kept for history, left out of the
    /// catalog. Returns how many changed.
    pub async fn mark_films_gone(&self, keys: &[FilmKey]) -> Result<usize, StoreError> {
        let keys: Vec<&str> = keys.iter().map(FilmKey::as_str).collect();
        let mut conn = self.conn().await?;
        Ok(diesel::update(films::table)
            .filter(films::key.eq_any(keys))
            .filter(films::status.ne("gone"))
            .set(films::status.eq("gone"))
            .execute(&mut conn)
            .await?)
    }

    /// Every active film Letterboxd can be asked about (by slug, else by its Letterboxd id key),
    /// for a Letterboxd catalog refresh to queue; films known only from TMDB are left out.
    pub async fn active_letterboxd_keys(&self) -> Result<Vec<FilmKey>, StoreError> {
        let mut conn = self.conn().await?;
        let keys: Vec<String> = films::table
            .filter(films::status.eq("active"))
            .filter(films::key.not_like("tmdb:%"))
            .order(films::key)
            .select(films::key)
            .load(&mut conn)
            .await?;
        keys.iter()
            .map(|key| FilmKey::parse(key).map_err(|err| StoreError::corrupt("films", err)))
            .collect()
    }

    /// How many films the store holds, by status (`active`, `gone`).
    pub async fn count_films(&self, active: bool) -> Result<i64, StoreError> {
        let mut conn = self.conn().await?;
        let status = if active { "active" } else { "gone" };
        Ok(films::table
            .filter(films::status.eq(status))
            .count()
            .get_result(&mut conn)
            .await?)
    }
}
