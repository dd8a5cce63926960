//! Where films stream: each film's offers per country (TMDB's watch providers), replaced whenever
//! the TMDB sync reads the film again, and read per request for the one country asked about.

use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Integer, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use model::{CountryCode, Film, FilmKey, Offer, OfferKind};

use super::{Store, StoreError};

/// Replaces the offers of every film in `films` that carries availability (a film read from
/// TMDB), found by its TMDB record; films without availability keep theirs.
pub(crate) async fn replace_offers_on(
    conn: &mut AsyncPgConnection,
    films: &[Film],
) -> Result<(), StoreError> {
    let mut kinds = Vec::new();
    let mut ids = Vec::new();
    let mut offer_kind = Vec::new();
    let mut offer_id = Vec::new();
    let mut country = Vec::new();
    let mut provider = Vec::new();
    let mut kind = Vec::new();
    let mut names: Vec<(i32, String, Option<String>)> = Vec::new();
    for film in films {
        let (Some(offers), Some(tmdb)) = (&film.availability, film.tmdb) else {
            continue;
        };
        let Ok(id) = i64::try_from(tmdb.id) else {
            continue;
        };
        kinds.push(tmdb.kind.as_str());
        ids.push(id);
        for offer in offers {
            let Ok(provider_id) = i32::try_from(offer.provider_id) else {
                continue;
            };
            offer_kind.push(tmdb.kind.as_str());
            offer_id.push(id);
            country.push(offer.country.as_str().to_owned());
            provider.push(provider_id);
            kind.push(offer.kind.as_str());
            names.push((
                provider_id,
                offer.provider_name.clone(),
                offer.logo_url.clone(),
            ));
        }
    }
    if ids.is_empty() {
        return Ok(());
    }
    names.sort_by_key(|(id, ..)| *id);
    names.dedup_by_key(|(id, ..)| *id);
    let mut name_ids = Vec::with_capacity(names.len());
    let mut name_names = Vec::with_capacity(names.len());
    let mut name_logos = Vec::with_capacity(names.len());
    for (id, name, logo) in names {
        name_ids.push(id);
        name_names.push(name);
        name_logos.push(logo);
    }
    diesel::sql_query(
        "INSERT INTO watch_providers (id, name, logo_url) \
         SELECT * FROM unnest($1::int4[], $2::text[], $3::text[]) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
             logo_url = COALESCE(excluded.logo_url, watch_providers.logo_url)",
    )
    .bind::<Array<Integer>, _>(name_ids)
    .bind::<Array<Text>, _>(name_names)
    .bind::<Array<Nullable<Text>>, _>(name_logos)
    .execute(conn)
    .await?;
    diesel::sql_query(
        "DELETE FROM film_offers WHERE film_id IN ( \
             SELECT f.id FROM films f JOIN unnest($1::text[], $2::int8[]) AS t(kind, id) \
             ON f.tmdb_kind = t.kind AND f.tmdb_id = t.id)",
    )
    .bind::<Array<Text>, _>(&kinds)
    .bind::<Array<BigInt>, _>(&ids)
    .execute(conn)
    .await?;
    diesel::sql_query(
        "INSERT INTO film_offers (film_id, country, provider_id, kind) \
         SELECT f.id, t.country, t.provider, t.kind \
         FROM unnest($1::text[], $2::int8[], $3::text[], $4::int4[], $5::text[]) \
              AS t(tmdb_kind, tmdb_id, country, provider, kind) \
         JOIN films f ON f.tmdb_kind = t.tmdb_kind AND f.tmdb_id = t.tmdb_id \
         ON CONFLICT DO NOTHING",
    )
    .bind::<Array<Text>, _>(offer_kind)
    .bind::<Array<BigInt>, _>(offer_id)
    .bind::<Array<Text>, _>(country)
    .bind::<Array<Integer>, _>(provider)
    .bind::<Array<Text>, _>(kind)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(QueryableByName)]
struct KeyRow {
    #[diesel(sql_type = Text)]
    key: String,
}

#[derive(QueryableByName)]
struct OfferRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Integer)]
    provider_id: i32,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    logo_url: Option<String>,
    #[diesel(sql_type = Text)]
    kind: String,
}

impl Store {
    /// Keys of the active films offered in `country` by any of `providers` (any provider when
    /// empty) as any of `kinds`.
    pub async fn films_offered(
        &self,
        country: CountryCode,
        providers: &[u32],
        kinds: &[OfferKind],
    ) -> Result<Vec<FilmKey>, StoreError> {
        let providers: Vec<i32> = providers
            .iter()
            .filter_map(|&id| i32::try_from(id).ok())
            .collect();
        let kinds: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
        let mut conn = self.conn().await?;
        let rows: Vec<KeyRow> = diesel::sql_query(
            "SELECT DISTINCT f.key FROM film_offers o JOIN films f ON f.id = o.film_id \
             WHERE o.country = $1 AND o.kind = ANY($3) AND f.status = 'active' \
               AND (cardinality($2::int4[]) = 0 OR o.provider_id = ANY($2))",
        )
        .bind::<Text, _>(country.as_str())
        .bind::<Array<Integer>, _>(providers)
        .bind::<Array<Text>, _>(kinds)
        .load(&mut conn)
        .await?;
        rows.into_iter()
            .map(|row| FilmKey::parse(&row.key).map_err(|err| StoreError::corrupt("films", err)))
            .collect()
    }

    /// The offers in `country` of the films `keys` name (by their own key), by film key.
    pub async fn offers_in(
        &self,
        country: CountryCode,
        keys: &[FilmKey],
    ) -> Result<Vec<(FilmKey, Offer)>, StoreError> {
        let keys: Vec<&str> = keys.iter().map(FilmKey::as_str).collect();
        let mut conn = self.conn().await?;
        let rows: Vec<OfferRow> = diesel::sql_query(
            "SELECT f.key, o.provider_id, p.name, p.logo_url, o.kind \
             FROM films f JOIN film_offers o ON o.film_id = f.id AND o.country = $1 \
             JOIN watch_providers p ON p.id = o.provider_id \
             WHERE f.key = ANY($2) ORDER BY f.key, o.kind, p.name",
        )
        .bind::<Text, _>(country.as_str())
        .bind::<Array<Text>, _>(keys)
        .load(&mut conn)
        .await?;
        rows.into_iter()
            .map(|row| {
                let key =
                    FilmKey::parse(&row.key).map_err(|err| StoreError::corrupt("films", err))?;
                let kind = OfferKind::parse(&row.kind)
                    .ok_or_else(|| StoreError::corrupt("film_offers", row.kind.clone()))?;
                Ok((
                    key,
                    Offer {
                        country,
                        provider_id: u32::try_from(row.provider_id).unwrap_or_default(),
                        provider_name: row.name,
                        logo_url: row.logo_url,
                        kind,
                    },
                ))
            })
            .collect()
    }
}
