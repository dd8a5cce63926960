//! What the lexicon knows, listed: the languages and countries a description can name. A language
//! model reading descriptions is told this vocabulary so its filters use the same values.

use super::lexicon::{Effect, PHRASES};

/// ISO 639-1 codes of the languages the lexicon names, sorted.
pub fn known_languages() -> Vec<&'static str> {
    collect(|effect| match effect {
        Effect::Language(code, _) => Some(code),
        _ => None,
    })
}

/// Countries of origin as Letterboxd names them, as the lexicon names them, sorted.
pub fn known_countries() -> Vec<&'static str> {
    collect(|effect| match effect {
        Effect::Country(name, _) => Some(name),
        _ => None,
    })
}

fn collect(pick: impl Fn(Effect) -> Option<&'static str>) -> Vec<&'static str> {
    let mut values: Vec<&'static str> = PHRASES
        .iter()
        .flat_map(|(_, effects)| effects.iter().copied())
        .filter_map(pick)
        .collect();
    values.sort_unstable();
    values.dedup();
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_lists_each_value_once() {
        let languages = known_languages();
        assert!(languages.contains(&"fr") && languages.contains(&"ko"));
        assert!(languages.windows(2).all(|w| w[0] < w[1]));
        let countries = known_countries();
        assert!(countries.contains(&"USA") && countries.contains(&"UK"));
    }
}
