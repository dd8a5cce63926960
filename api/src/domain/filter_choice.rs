//! The filters a request ends up with: its own, filled in from its description where it says
//! nothing, and where each came from.

use model::recommend::Filters;
use model::recommend::describe::{self, Described, FilterField, FilterSource};

use super::query_error::RequestError;

/// The applied filters, each narrowing one's source, and what the description left unread.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChosenFilters {
    pub filters: Filters,
    pub sources: Vec<(FilterField, FilterSource)>,
    /// The description's words the parser did not understand; `None` without a description.
    pub ignored: Option<Vec<String>>,
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

impl ChosenFilters {
    /// `request`'s filters under `description`'s, read by the embedded parser with "recent"
    /// counted back from `this_year`.
    pub fn choose(request: &Filters, description: Option<&Description>, this_year: u16) -> Self {
        let described: Option<Described> =
            description.map(|d| describe::describe(d.as_str(), this_year));
        let applied = describe::apply(request, described.as_ref());
        Self {
            filters: applied.filters,
            sources: applied.sources,
            ignored: described.map(|d| d.ignored),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let chosen = ChosenFilters::choose(&Filters::default(), None, 2026);
        assert_eq!(chosen, ChosenFilters::default());
        let described = Description::parse("korean zorblax".into()).unwrap();
        let chosen = ChosenFilters::choose(&Filters::default(), Some(&described), 2026);
        assert_eq!(chosen.filters.languages, ["ko"]);
        assert_eq!(chosen.ignored, Some(vec!["zorblax".to_string()]));
        assert_eq!(
            chosen.sources,
            [(FilterField::Languages, FilterSource::Description)]
        );
    }
}
