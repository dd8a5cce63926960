//! A request's filters with its description read: by the language model when one is configured
//! and its reading holds, else by the embedded parser (and the response says why).

use chrono::Datelike;

use super::Services;
use crate::domain::{ChosenFilters, FilterRequest, ParsedBy};

impl Services {
    /// `request`'s filters with its description's filled in. Never fails: whatever goes wrong
    /// with the language model, the embedded parser's reading is used.
    pub(super) async fn choose_filters(&self, request: &FilterRequest) -> ChosenFilters {
        let this_year = u16::try_from(chrono::Utc::now().year()).unwrap_or(u16::MAX);
        let (Some(description), Some(reader)) = (&request.description, &self.reader) else {
            return ChosenFilters::embedded(request, this_year);
        };
        match reader.read(description.as_str(), this_year).await {
            Ok(described) => {
                ChosenFilters::choose(request, Some(&described), ParsedBy::LanguageModel)
            }
            Err(fallback) => {
                tracing::info!(
                    fallback = fallback.name(),
                    "description read by the embedded parser: {fallback}"
                );
                let mut chosen = ChosenFilters::embedded(request, this_year);
                if let Some(reading) = chosen.reading.as_mut() {
                    reading.fallback = Some(fallback);
                }
                chosen
            }
        }
    }
}
