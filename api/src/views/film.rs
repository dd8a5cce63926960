//! A film as responses show it: what a film card needs, and every id a client can link by.

use model::{ContentType, Film};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{FilmSource, PROVIDER_ATTRIBUTION, TMDB_ATTRIBUTION};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FilmView {
    /// The catalog's own id for the film.
    #[schema(example = 4211)]
    pub id: Option<u64>,
    /// How to name this film back to the API (predictions, exclusions): its Letterboxd slug,
    /// `film:<letterboxd id>` or `tmdb:<movie|tv>:<id>` for a film known only from TMDB.
    #[schema(example = "the-godfather")]
    pub key: String,
    /// Letterboxd's slug, e.g. `the-godfather`; null for a film found on TMDB that Letterboxd has
    /// not named to us.
    #[schema(example = "the-godfather")]
    pub slug: Option<String>,
    /// The film's Letterboxd page: by slug, else its boxd.it short link; null when neither is
    /// known.
    #[schema(example = "https://letterboxd.com/film/the-godfather/")]
    pub url: Option<String>,
    pub title: String,
    pub year: Option<u16>,
    pub runtime_minutes: Option<u16>,
    /// Letterboxd genre names, e.g. `Science Fiction`.
    pub genres: Vec<String>,
    /// `movie`, or `tv` for series, mini-series and specials.
    #[schema(example = "movie")]
    pub content_type: String,
    /// Poster image URL, when known, at the size its source gave (see `posters`).
    pub poster: Option<String>,
    /// The same poster at a card's size and a page's, when known.
    pub posters: Option<super::poster::PostersView>,
    /// The community's mean rating in stars (0.5-5), when known: Letterboxd's, or estimated
    /// from TMDB's votes for films synced from TMDB.
    #[schema(example = 4.52)]
    pub community_average: Option<f32>,
    /// How many ratings the community average is over, when known (the same sources). The
    /// `popularity` filter's bands are shares of the catalog by this count.
    #[schema(example = 2_100_000)]
    pub community_ratings: Option<u32>,
    pub ids: FilmIdsView,
    /// Where the film's data comes from, with the credit the source requires.
    pub source: FilmSourceView,
    /// With a request's `country`: where the film streams there (an empty `offers` list: nowhere
    /// we know of); absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub where_to_watch: Option<WhereToWatchView>,
}

/// A film's offers in the country asked about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WhereToWatchView {
    pub offers: Vec<OfferView>,
    /// The credit this data needs wherever it is shown.
    #[schema(example = "Streaming availability data provided by JustWatch.")]
    pub attribution: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OfferView {
    /// ISO 3166-1 country code.
    #[schema(example = "US")]
    pub country: String,
    /// TMDB's provider id: what `available_on` takes.
    #[schema(example = 8)]
    pub provider_id: u32,
    #[schema(example = "Netflix")]
    pub provider_name: String,
    pub logo_url: Option<String>,
    /// `flatrate` (in a subscription), `free`, `rent` or `buy`.
    #[schema(example = "flatrate")]
    pub kind: String,
}

/// External ids of a film; each is null when unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FilmIdsView {
    pub letterboxd_id: Option<u64>,
    /// The boxd.it short id (`https://boxd.it/<id>`), what exports link to.
    #[schema(example = "2aHi")]
    pub boxd_id: Option<String>,
    pub tmdb_id: Option<u64>,
    /// `movie` or `tv`: TMDB numbers the two apart.
    pub tmdb_kind: Option<String>,
    #[schema(example = "tt0068646")]
    pub imdb_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FilmSourceView {
    /// `letterboxd` or `tmdb`.
    #[schema(example = "letterboxd")]
    pub name: String,
    /// The notice the source's terms require where its data is shown; null when none.
    pub attribution: Option<String>,
}

impl From<&Film> for FilmView {
    fn from(film: &Film) -> Self {
        let source = match FilmSource::of(film) {
            FilmSource::Letterboxd => FilmSourceView {
                name: "letterboxd".to_owned(),
                attribution: None,
            },
            FilmSource::Tmdb => FilmSourceView {
                name: "tmdb".to_owned(),
                attribution: Some(TMDB_ATTRIBUTION.to_owned()),
            },
        };
        Self {
            id: film.id,
            key: film.key.to_string(),
            slug: film.slug.as_ref().map(ToString::to_string),
            url: film.letterboxd_url(),
            title: film.title.clone(),
            year: film.year,
            runtime_minutes: film.runtime_minutes,
            genres: film.genres.iter().map(|g| g.name().to_owned()).collect(),
            content_type: match film.content_type {
                ContentType::Movie => "movie",
                ContentType::Tv => "tv",
            }
            .to_owned(),
            poster: film.poster_url.clone(),
            posters: film
                .poster_url
                .as_deref()
                .map(super::poster::PostersView::of),
            community_average: film.lb_average,
            community_ratings: film.lb_rating_count,
            ids: FilmIdsView {
                letterboxd_id: film.letterboxd_id,
                boxd_id: film.boxd_id.clone(),
                tmdb_id: film.tmdb.map(|t| t.id),
                tmdb_kind: film.tmdb.map(|t| t.kind.as_str().to_owned()),
                imdb_id: film.imdb_id.clone(),
            },
            source,
            where_to_watch: film.availability.as_ref().map(|offers| WhereToWatchView {
                offers: offers
                    .iter()
                    .map(|offer| OfferView {
                        country: offer.country.to_string(),
                        provider_id: offer.provider_id,
                        provider_name: offer.provider_name.clone(),
                        logo_url: offer.logo_url.clone(),
                        kind: offer.kind.as_str().to_owned(),
                    })
                    .collect(),
                attribution: PROVIDER_ATTRIBUTION.to_owned(),
            }),
        }
    }
}
