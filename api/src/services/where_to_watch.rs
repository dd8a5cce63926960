//! A request's country and services: the films kept to those services, and the country's offers
//! on the cards shown.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use model::{Film, FilmKey};

use super::{ServiceError, Services};
use crate::domain::WhereToWatch;

impl Services {
    /// The films streaming on the asked services in the asked country, for the filters; `None`
    /// when the request names no service.
    pub(super) async fn available_films(
        &self,
        where_to_watch: Option<&WhereToWatch>,
    ) -> Result<Option<Arc<HashSet<FilmKey>>>, ServiceError> {
        let Some(asked) = where_to_watch.filter(|asked| asked.filters()) else {
            return Ok(None);
        };
        let keys = self
            .offers
            .films_offered(asked.country, &asked.providers, &WhereToWatch::STREAMING)
            .await
            .map_err(|err| ServiceError::StoreUnavailable(Arc::new(err)))?;
        Ok(Some(Arc::new(keys.into_iter().collect())))
    }

    /// Puts the asked country's offers on the films shown (an empty list: nothing streams there).
    pub(super) async fn show_offers<'a>(
        &self,
        where_to_watch: Option<&WhereToWatch>,
        films: impl IntoIterator<Item = &'a mut Film>,
    ) -> Result<(), ServiceError> {
        let Some(asked) = where_to_watch else {
            return Ok(());
        };
        let films: Vec<&mut Film> = films.into_iter().collect();
        let keys: Vec<FilmKey> = films.iter().map(|film| film.key.clone()).collect();
        let offers = self
            .offers
            .offers_in(asked.country, &keys)
            .await
            .map_err(|err| ServiceError::StoreUnavailable(Arc::new(err)))?;
        let mut by_film: HashMap<FilmKey, Vec<model::Offer>> = HashMap::new();
        for (key, offer) in offers {
            by_film.entry(key).or_default().push(offer);
        }
        for film in films {
            film.availability = Some(by_film.remove(&film.key).unwrap_or_default());
        }
        Ok(())
    }
}
