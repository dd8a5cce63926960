//! The filters a request ends up with: its own, filled in from its description where it says
//! nothing, where each came from, and what read the description.

use model::recommend::Filters;
use model::recommend::describe::{
    self, Described, FilterField, FilterSource, StreamingService, streaming_service,
};

use super::WhereToWatch;
use super::query_error::RequestError;

/// What a request says about its filters, parsed: its own filters, where to watch, and its
/// description (read later, by the service, with the embedded parser or a language model).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterRequest {
    pub filters: Filters,
    pub where_to_watch: Option<WhereToWatch>,
    pub description: Option<Description>,
}

/// A description of at most [`describe::MAX_DESCRIPTION_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description(String);

impl Description {
    pub fn parse(text: String) -> Result<Self, RequestError> {
        let got = text.chars().count();
        if got > describe::MAX_DESCRIPTION_CHARS {
            return Err(RequestError::DescriptionTooLong {
                max: describe::MAX_DESCRIPTION_CHARS,
                got,
            });
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What read a description into filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParsedBy {
    /// The deterministic English parser built into the service.
    Embedded,
    /// The configured language model.
    LanguageModel,
}

/// Why the language model's reading was not used (the embedded parser's was).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Fallback {
    #[error("the language model did not answer within its deadline")]
    Timeout,
    #[error("the language model could not be reached or answered with an error")]
    Unavailable,
    #[error("the language model's answer was not valid filters")]
    InvalidAnswer,
}

impl Fallback {
    pub fn name(self) -> &'static str {
        match self {
            Fallback::Timeout => "timeout",
            Fallback::Unavailable => "unavailable",
            Fallback::InvalidAnswer => "invalid_answer",
        }
    }
}

/// How a description was read.
#[derive(Debug, Clone, PartialEq)]
pub struct DescriptionReading {
    pub parsed_by: ParsedBy,
    /// Set when a language model is configured but its reading was not used.
    pub fallback: Option<Fallback>,
    /// Words the reader did not understand (the language model reports none).
    pub ignored: Vec<String>,
    /// Services the description named that narrow nothing: the request has no `country`, and
    /// what streams where depends on the country.
    pub services_without_country: Vec<&'static str>,
}

/// The applied filters, each narrowing one's source, and how the description was read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChosenFilters {
    pub filters: Filters,
    /// The request's `country`, and the services films must stream on (the request's
    /// `available_on`, else the services its description named).
    pub where_to_watch: Option<WhereToWatch>,
    pub sources: Vec<(FilterField, FilterSource)>,
    /// `None` without a description.
    pub reading: Option<DescriptionReading>,
}

impl ChosenFilters {
    /// `request`'s filters under `described`'s (the reading of its description by `parsed_by`).
    pub fn choose(
        request: &FilterRequest,
        described: Option<&Described>,
        parsed_by: ParsedBy,
    ) -> Self {
        let applied = describe::apply(&request.filters, described);
        let mut sources = applied.sources;
        let named: Vec<StreamingService> = described
            .map(|d| {
                d.services
                    .iter()
                    .filter_map(|s| streaming_service(s))
                    .collect()
            })
            .unwrap_or_default();
        let mut where_to_watch = request.where_to_watch.clone();
        let mut services_without_country = Vec::new();
        match where_to_watch.as_mut() {
            Some(asked) if asked.filters() => {
                sources.push((FilterField::AvailableOn, FilterSource::Request));
            }
            Some(asked) if !named.is_empty() => {
                asked.providers = named.iter().flat_map(|s| s.providers.to_vec()).collect();
                asked.providers.sort_unstable();
                asked.providers.dedup();
                sources.push((FilterField::AvailableOn, FilterSource::Description));
            }
            Some(_) => {}
            None => services_without_country = named.iter().map(|s| s.name).collect(),
        }
        Self {
            filters: applied.filters,
            where_to_watch,
            sources,
            reading: described.map(|d| DescriptionReading {
                parsed_by,
                fallback: None,
                ignored: d.ignored.clone(),
                services_without_country,
            }),
        }
    }

    /// `request` with its description, if any, read by the embedded parser ("recent" counted
    /// back from `this_year`).
    pub fn embedded(request: &FilterRequest, this_year: u16) -> Self {
        let described = request
            .description
            .as_ref()
            .map(|d| describe::describe(d.as_str(), this_year));
        Self::choose(request, described.as_ref(), ParsedBy::Embedded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(text: &str, where_to_watch: Option<WhereToWatch>) -> ChosenFilters {
        let request = FilterRequest {
            description: Some(Description::parse(text.into()).unwrap()),
            where_to_watch,
            ..FilterRequest::default()
        };
        ChosenFilters::embedded(&request, 2026)
    }

    #[test]
    fn a_description_is_at_most_300_characters_counted_as_characters() {
        assert!(Description::parse("é".repeat(300)).is_ok());
        assert_eq!(
            Description::parse("a".repeat(301)),
            Err(RequestError::DescriptionTooLong { max: 300, got: 301 })
        );
    }

    #[test]
    fn without_a_description_nothing_is_ignored_and_nothing_is_described() {
        let chosen = ChosenFilters::embedded(&FilterRequest::default(), 2026);
        assert_eq!(chosen, ChosenFilters::default());
        let chosen = described("korean zorblax", None);
        assert_eq!(chosen.filters.languages, ["ko"]);
        let reading = chosen.reading.unwrap();
        assert_eq!(reading.ignored, ["zorblax"]);
        assert_eq!(
            (reading.parsed_by, reading.fallback),
            (ParsedBy::Embedded, None)
        );
        assert_eq!(
            chosen.sources,
            [(FilterField::Languages, FilterSource::Description)]
        );
    }

    #[test]
    fn named_services_apply_with_a_country_and_never_over_the_requests() {
        let us = |providers: &[u32]| WhereToWatch::parse(Some("US"), providers).unwrap();
        let chosen = described("something on netflix or mubi", us(&[]));
        assert_eq!(chosen.where_to_watch.unwrap().providers, [8, 11, 1796]);
        assert_eq!(
            chosen.sources,
            [(FilterField::AvailableOn, FilterSource::Description)]
        );

        let chosen = described("something on netflix", us(&[337]));
        assert_eq!(chosen.where_to_watch.unwrap().providers, [337]);
        assert_eq!(
            chosen.sources,
            [(FilterField::AvailableOn, FilterSource::Request)]
        );

        // Without a country, what streams where is unknown: the service narrows nothing.
        let chosen = described("something on netflix", None);
        assert_eq!(chosen.where_to_watch, None);
        assert_eq!(chosen.sources, []);
        assert_eq!(
            chosen.reading.unwrap().services_without_country,
            ["netflix"]
        );
    }
}
