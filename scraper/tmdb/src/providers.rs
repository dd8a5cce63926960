//! Where a title streams, per country: TMDB's watch providers, which are JustWatch's data.
//! Whoever shows them must credit JustWatch.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `/movie/{id}/watch/providers`, or the `watch/providers` part of details: offers keyed by
/// ISO 3166-1 country code.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WatchProviders {
    #[serde(default)]
    pub results: BTreeMap<String, CountryProviders>,
}

/// The offers in one country.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CountryProviders {
    /// TMDB's page listing the offers (JustWatch's links behind it).
    #[serde(default)]
    pub link: Option<String>,
    /// Included in a subscription.
    #[serde(default)]
    pub flatrate: Vec<Provider>,
    #[serde(default)]
    pub rent: Vec<Provider>,
    #[serde(default)]
    pub buy: Vec<Provider>,
    /// Free with ads (TMDB also sends `free`; both count as free).
    #[serde(default)]
    pub ads: Vec<Provider>,
    #[serde(default)]
    pub free: Vec<Provider>,
}

/// One service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    pub provider_id: u32,
    pub provider_name: String,
    /// An image path for [`crate::images`], like a poster's.
    #[serde(default)]
    pub logo_path: Option<String>,
    #[serde(default)]
    pub display_priority: u32,
}

impl WatchProviders {
    /// The offers in `country` (`"US"`), if any.
    pub fn in_country(&self, country: &str) -> Option<&CountryProviders> {
        self.results.get(&country.to_ascii_uppercase())
    }
}

impl CountryProviders {
    /// Every provider id offering the title in any way, once each.
    pub fn provider_ids(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = [&self.flatrate, &self.rent, &self.buy, &self.ads, &self.free]
            .into_iter()
            .flatten()
            .map(|provider| provider.provider_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}
