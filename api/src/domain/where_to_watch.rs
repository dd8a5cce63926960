//! Where a member can watch: a country for the film cards' streaming offers, and optionally the
//! services to keep films on.

use model::{CountryCode, OfferKind};

use super::RequestError;

/// Most services `available_on` may name.
const MAX_PROVIDERS: usize = 50;

/// A request's `country` and `available_on`, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhereToWatch {
    pub country: CountryCode,
    /// TMDB provider ids; films must stream on one of them in `country`. Empty: no filter, the
    /// cards only show the country's offers.
    pub providers: Vec<u32>,
}

impl WhereToWatch {
    /// The offers `available_on` means: in a subscription or free, not to rent or buy.
    pub const STREAMING: [OfferKind; 2] = [OfferKind::Flatrate, OfferKind::Free];

    pub fn parse(country: Option<&str>, providers: &[u32]) -> Result<Option<Self>, RequestError> {
        let Some(country) = country else {
            return if providers.is_empty() {
                Ok(None)
            } else {
                Err(RequestError::ProvidersWithoutCountry)
            };
        };
        let country =
            CountryCode::parse(country).map_err(|_| RequestError::Country(country.to_owned()))?;
        if providers.len() > MAX_PROVIDERS {
            return Err(RequestError::OutOfBounds {
                field: "available_on",
                max: MAX_PROVIDERS,
                got: providers.len(),
            });
        }
        let mut providers = providers.to_vec();
        providers.sort_unstable();
        providers.dedup();
        Ok(Some(Self { country, providers }))
    }

    /// Whether films are kept to the named services (else the country only labels the cards).
    pub fn filters(&self) -> bool {
        !self.providers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_is_needed_for_providers_and_must_be_a_code() {
        assert_eq!(WhereToWatch::parse(None, &[]), Ok(None));
        assert_eq!(
            WhereToWatch::parse(None, &[8]),
            Err(RequestError::ProvidersWithoutCountry)
        );
        assert_eq!(
            WhereToWatch::parse(Some("USA"), &[]),
            Err(RequestError::Country("USA".into()))
        );
        let parsed = WhereToWatch::parse(Some("gb"), &[337, 8, 8])
            .unwrap()
            .unwrap();
        assert_eq!(parsed.country.as_str(), "GB");
        assert_eq!(parsed.providers, [8, 337]);
        assert!(parsed.filters());
        assert!(
            !WhereToWatch::parse(Some("GB"), &[])
                .unwrap()
                .unwrap()
                .filters()
        );
    }
}
