//! The film catalog: bulk upserts from imports and crawls, and the active films servers load.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Float, Integer, Nullable, SmallInt, Text, Timestamptz};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use model::{ContentType, Film, Genre, GenreSet, Slug};

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
    slug: String,
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
    tmdb_id: Option<i64>,
    imdb_id: Option<String>,
}

impl TryFrom<FilmRow> for Film {
    type Error = StoreError;

    fn try_from(row: FilmRow) -> Result<Film, StoreError> {
        let corrupt = |message: String| StoreError::corrupt("films", message);
        let slug = Slug::parse(&row.slug).map_err(|err| corrupt(err.to_string()))?;
        let genres = row
            .genres
            .iter()
            .flatten()
            .map(|name| Genre::parse(name))
            .collect::<Result<GenreSet, _>>()
            .map_err(|err| corrupt(format!("{slug}: {err}")))?;
        let content_type = ContentType::parse(&row.content_type)
            .map_err(|err| corrupt(format!("{slug}: {err}")))?;
        Ok(Film {
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
            tmdb_id: row.tmdb_id.and_then(|id| u64::try_from(id).ok()),
            imdb_id: row.imdb_id,
            slug,
        })
    }
}

/// Films as parallel column arrays, the shape `unnest` takes.
#[derive(Default)]
struct FilmColumns {
    slug: Vec<String>,
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
    tmdb_id: Vec<Option<i64>>,
    imdb_id: Vec<Option<String>>,
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
            columns.slug.push(film.slug.as_str().to_owned());
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
            columns.lb_rating_count.push(
                film.lb_rating_count
                    .map(|n| i32::try_from(n).unwrap_or(i32::MAX)),
            );
            columns.poster_url.push(film.poster_url.clone());
            columns.tmdb_id.push(fits("tmdb_id", film.tmdb_id)?);
            columns.imdb_id.push(film.imdb_id.clone());
        }
        Ok(columns)
    }
}

/// Inserts new films and updates known ones, merging: a value the input lacks (`None`, no genres,
/// no countries) never erases one the store knows, since a page or dataset that omits a field
/// says nothing about it. Every upserted film becomes `active`. Rows whose stored values would
/// not change are not written, so the returned count is films inserted or actually changed.
const UPSERT_FILMS: &str = r#"
WITH input AS (
    SELECT * FROM unnest(
        $1::text[], $2::int8[], $3::text[], $4::text[], $5::int2[], $6::int2[], $7::text[],
        $8::text[], $9::text[], $10::text[], $11::float4[], $12::int4[], $13::text[], $14::int8[],
        $15::text[]
    ) AS t(slug, letterboxd_id, boxd_id, title, year, runtime_minutes, genres, countries,
           language, content_type, lb_average, lb_rating_count, poster_url, tmdb_id, imdb_id)
), merged AS (
    SELECT i.slug,
           COALESCE(i.letterboxd_id, f.letterboxd_id) AS letterboxd_id,
           COALESCE(i.boxd_id, f.boxd_id) AS boxd_id,
           i.title,
           COALESCE(i.year, f.year) AS year,
           COALESCE(i.runtime_minutes, f.runtime_minutes) AS runtime_minutes,
           CASE WHEN i.genres = '' THEN COALESCE(f.genres, '{}')
                ELSE string_to_array(i.genres, '|') END AS genres,
           CASE WHEN i.countries = '' THEN COALESCE(f.countries, '{}')
                ELSE string_to_array(i.countries, chr(31)) END AS countries,
           COALESCE(i.language, f.language) AS language,
           i.content_type,
           COALESCE(i.lb_average, f.lb_average) AS lb_average,
           COALESCE(i.lb_rating_count, f.lb_rating_count) AS lb_rating_count,
           COALESCE(i.poster_url, f.poster_url) AS poster_url,
           COALESCE(i.tmdb_id, f.tmdb_id) AS tmdb_id,
           COALESCE(i.imdb_id, f.imdb_id) AS imdb_id,
           COALESCE($16::timestamptz, f.scraped_at) AS scraped_at,
           'active' AS status
    FROM input i LEFT JOIN films f ON f.slug = i.slug
)
INSERT INTO films AS f (slug, letterboxd_id, boxd_id, title, year, runtime_minutes, genres,
                        countries, language, content_type, lb_average, lb_rating_count,
                        poster_url, tmdb_id, imdb_id, scraped_at, status)
SELECT * FROM merged
ON CONFLICT (slug) DO UPDATE SET
    letterboxd_id = excluded.letterboxd_id, boxd_id = excluded.boxd_id, title = excluded.title,
    year = excluded.year, runtime_minutes = excluded.runtime_minutes, genres = excluded.genres,
    countries = excluded.countries, language = excluded.language,
    content_type = excluded.content_type, lb_average = excluded.lb_average,
    lb_rating_count = excluded.lb_rating_count, poster_url = excluded.poster_url,
    tmdb_id = excluded.tmdb_id, imdb_id = excluded.imdb_id, scraped_at = excluded.scraped_at,
    status = excluded.status
WHERE (f.letterboxd_id, f.boxd_id, f.title, f.year, f.runtime_minutes, f.genres, f.countries,
       f.language, f.content_type, f.lb_average, f.lb_rating_count, f.poster_url, f.tmdb_id,
       f.imdb_id, f.scraped_at, f.status)
      IS DISTINCT FROM
      (excluded.letterboxd_id, excluded.boxd_id, excluded.title, excluded.year,
       excluded.runtime_minutes, excluded.genres, excluded.countries, excluded.language,
       excluded.content_type, excluded.lb_average, excluded.lb_rating_count, excluded.poster_url,
       excluded.tmdb_id, excluded.imdb_id, excluded.scraped_at, excluded.status)
"#;

/// Upserts `films` on an open connection (the caller owns the transaction); returns how many
/// rows were inserted or changed. A slug given twice keeps its last film.
pub(crate) async fn upsert_films_on(
    conn: &mut AsyncPgConnection,
    films: &[Film],
    scraped_at: Option<DateTime<Utc>>,
) -> Result<usize, StoreError> {
    let films = last_per_slug(films);
    let mut changed = 0;
    for batch in films.chunks(UPSERT_BATCH) {
        let c = FilmColumns::from_films(batch)?;
        changed += diesel::sql_query(UPSERT_FILMS)
            .bind::<Array<Text>, _>(c.slug)
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
            .bind::<Array<Nullable<BigInt>>, _>(c.tmdb_id)
            .bind::<Array<Nullable<Text>>, _>(c.imdb_id)
            .bind::<Nullable<Timestamptz>, _>(scraped_at)
            .execute(conn)
            .await?;
    }
    Ok(changed)
}

/// Films in input order with each slug's last occurrence only (one statement cannot update the
/// same row twice).
fn last_per_slug(films: &[Film]) -> Vec<Film> {
    let mut last = std::collections::HashMap::with_capacity(films.len());
    for (at, film) in films.iter().enumerate() {
        last.insert(&film.slug, at);
    }
    films
        .iter()
        .enumerate()
        .filter(|(at, film)| last.get(&film.slug) == Some(at))
        .map(|(_, film)| film.clone())
        .collect()
}

impl Store {
    /// Every active film, ordered by slug: what servers load into their in-memory catalog.
    pub async fn load_catalog_films(&self) -> Result<Vec<Film>, StoreError> {
        let mut conn = self.conn().await?;
        let rows: Vec<FilmRow> = films::table
            .filter(films::status.eq("active"))
            .order(films::slug)
            .select(FilmRow::as_select())
            .load(&mut conn)
            .await?;
        rows.into_iter().map(Film::try_from).collect()
    }

    /// One film, active or gone.
    pub async fn find_film(&self, slug: &Slug) -> Result<Option<Film>, StoreError> {
        let mut conn = self.conn().await?;
        let row: Option<FilmRow> = films::table
            .find(slug.as_str())
            .select(FilmRow::as_select())
            .first(&mut conn)
            .await
            .optional()?;
        row.map(Film::try_from).transpose()
    }

    /// Upserts films in one transaction (see [`UPSERT_FILMS`] for the merge rules). `scraped_at`
    /// is when the crawler read these films' pages; `None` for films from a dataset or a grid.
    /// Returns how many films were inserted or changed.
    pub async fn upsert_films(
        &self,
        films: &[Film],
        scraped_at: Option<DateTime<Utc>>,
    ) -> Result<usize, StoreError> {
        let mut conn = self.conn().await?;
        conn.transaction::<_, StoreError, _>(async |conn| {
            upsert_films_on(conn, films, scraped_at).await
        })
        .await
    }

    /// Marks films Letterboxd no longer has (404/410) as gone: kept for history, left out of the
    /// catalog. Returns how many changed.
    pub async fn mark_films_gone(&self, slugs: &[Slug]) -> Result<usize, StoreError> {
        let keys: Vec<&str> = slugs.iter().map(Slug::as_str).collect();
        let mut conn = self.conn().await?;
        Ok(diesel::update(films::table)
            .filter(films::slug.eq_any(keys))
            .filter(films::status.ne("gone"))
            .set(films::status.eq("gone"))
            .execute(&mut conn)
            .await?)
    }

    /// Slugs of every active film, for a catalog refresh to queue.
    pub async fn active_film_slugs(&self) -> Result<Vec<Slug>, StoreError> {
        let mut conn = self.conn().await?;
        let slugs: Vec<String> = films::table
            .filter(films::status.eq("active"))
            .order(films::slug)
            .select(films::slug)
            .load(&mut conn)
            .await?;
        slugs
            .iter()
            .map(|slug| Slug::parse(slug).map_err(|err| StoreError::corrupt("films", err)))
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
