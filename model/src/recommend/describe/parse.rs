//! The parser: tokens in, [`Described`] out.

use std::collections::BTreeSet;

use super::lexicon::{Compare, Effect, Era, Length, PHRASES, STOPWORDS};
use super::numbers::{Quantity, quantity};
use super::{Described, RECENT_YEARS};
use crate::recommend::{PopularityBand, RangeFilter};

/// Parses `text` into filters. `this_year` anchors "recent" (the parser reads no clock, so the
/// same inputs always give the same filters).
pub fn describe(text: &str, this_year: u16) -> Described {
    let tokens = tokenize(text);
    let mut state = State::new(this_year);
    let mut at = 0;
    while at < tokens.len() {
        let rest = &tokens[at..];
        if let Some((q, used)) = quantity(rest) {
            state.quantity(q);
            at += used;
        } else if let Some((effects, used)) = longest_phrase(rest) {
            for &effect in effects {
                state.effect(effect);
            }
            state.after_term(effects);
            at += used;
        } else if STOPWORDS.contains(&rest[0].as_str()) {
            at += 1;
        } else {
            state.out.ignored.push(rest[0].clone());
            at += 1;
        }
    }
    state.finish()
}

/// Lowercase words; hyphens, apostrophes and punctuation split words, a dot between digits stays.
fn tokenize(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let mut tokens = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let decimal_point = c == '.'
            && i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_alphanumeric() || decimal_point {
            word.push(c);
        } else if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    tokens
}

fn longest_phrase(tokens: &[String]) -> Option<(&'static [Effect], usize)> {
    PHRASES
        .iter()
        .filter_map(|(phrase, effects)| {
            let words: Vec<&str> = phrase.split(' ').collect();
            (tokens.len() >= words.len() && words.iter().zip(tokens).all(|(w, t)| *w == t))
                .then_some((*effects, words.len()))
        })
        .max_by_key(|(_, len)| *len)
}

/// What the parser has gathered so far.
struct State {
    this_year: u16,
    out: Described,
    negate: bool,
    /// A negation just used, kept for an `or` that follows ("no horror or gore").
    negated_last: bool,
    compare: Option<Compare>,
    /// Periods named outright ("90s", "1984"): their hull.
    periods: Vec<(u16, u16)>,
    /// Bounds from eras and comparisons: intersected.
    year_bounds: (Option<u16>, Option<u16>),
    runtime_bounds: (Option<u16>, Option<u16>),
    popularity: BTreeSet<PopularityBandKey>,
}

/// `PopularityBand` in an ordered set.
type PopularityBandKey = u8;

impl State {
    fn new(this_year: u16) -> Self {
        Self {
            this_year,
            out: Described::default(),
            negate: false,
            negated_last: false,
            compare: None,
            periods: Vec::new(),
            year_bounds: (None, None),
            runtime_bounds: (None, None),
            popularity: BTreeSet::new(),
        }
    }

    fn quantity(&mut self, q: Quantity) {
        let compare = self.compare.take();
        match (q, compare) {
            (Quantity::Year(y), None) => self.periods.push((y, y)),
            (Quantity::Decade(d), None) => self.periods.push((d, d + 9)),
            (Quantity::Year(y), Some(c)) => self.year_bound(c, y, y),
            (Quantity::Decade(d), Some(c)) => self.year_bound(c, d, d + 9),
            (Quantity::Minutes(m), None) => {
                // a bare length is "about" that long
                self.runtime_min(m.saturating_sub(15));
                self.runtime_max(m.saturating_add(15));
            }
            (Quantity::Minutes(m), Some(Compare::Below | Compare::AtMost)) => self.runtime_max(m),
            (Quantity::Minutes(m), Some(Compare::Above | Compare::AtLeast)) => self.runtime_min(m),
            (Quantity::MinutesBetween(low, high), _) => {
                self.runtime_min(low);
                self.runtime_max(high);
            }
        }
        self.negate = false;
        self.negated_last = false;
    }

    /// A comparison with a period `first..=last` (a year, or a decade).
    fn year_bound(&mut self, compare: Compare, first: u16, last: u16) {
        match compare {
            Compare::Below => self.year_max(first.saturating_sub(1)),
            Compare::AtMost => self.year_max(last),
            Compare::Above => self.year_min(last.saturating_add(1)),
            Compare::AtLeast => self.year_min(first),
        }
    }

    fn year_min(&mut self, y: u16) {
        self.year_bounds.0 = Some(self.year_bounds.0.map_or(y, |b| b.max(y)));
    }

    fn year_max(&mut self, y: u16) {
        self.year_bounds.1 = Some(self.year_bounds.1.map_or(y, |b| b.min(y)));
    }

    fn runtime_min(&mut self, m: u16) {
        self.runtime_bounds.0 = Some(self.runtime_bounds.0.map_or(m, |b| b.max(m)));
    }

    fn runtime_max(&mut self, m: u16) {
        self.runtime_bounds.1 = Some(self.runtime_bounds.1.map_or(m, |b| b.min(m)));
    }

    fn effect(&mut self, effect: Effect) {
        match effect {
            Effect::Negate => {
                self.negate = true;
                return;
            }
            Effect::Or => {
                self.negate = self.negate || self.negated_last;
                return;
            }
            Effect::Stop => return,
            Effect::Compare(c) => {
                self.compare = Some(c);
                return;
            }
            _ => {}
        }
        self.compare = None;
        let negated = self.negate;
        let effect = if negated {
            effect.negated()
        } else {
            Some(effect)
        };
        let Some(effect) = effect else { return };
        match effect {
            Effect::Genre(g) => self.out.genres.insert(g),
            Effect::ExcludeGenre(g) => self.out.excluded_genres.insert(g),
            Effect::Type(t) => {
                if !self.out.content_types.contains(&t) {
                    self.out.content_types.push(t);
                }
            }
            Effect::Language(code, include) => {
                let list = if include {
                    &mut self.out.languages
                } else {
                    &mut self.out.excluded_languages
                };
                push_new(list, code);
            }
            Effect::Country(name, include) => {
                let list = if include {
                    &mut self.out.countries
                } else {
                    &mut self.out.excluded_countries
                };
                push_new(list, name);
            }
            Effect::Popularity(band, include) => {
                for b in [
                    PopularityBand::Low,
                    PopularityBand::Medium,
                    PopularityBand::High,
                ] {
                    if (b == band) == include {
                        self.popularity.insert(band_key(b));
                    }
                }
            }
            Effect::HighlyRated => self.out.highly_rated = true,
            Effect::Service(name) => {
                if !self.out.services.contains(&name) {
                    self.out.services.push(name);
                }
            }
            Effect::Era(era) => self.era(era, negated),
            Effect::Length(length) => match (length, negated) {
                (Length::Short, false) => self.runtime_max(90),
                (Length::Short, true) => self.runtime_min(90),
                (Length::Long, false) => self.runtime_min(150),
                (Length::Long, true) => self.runtime_max(120),
            },
            Effect::Negate | Effect::Or | Effect::Stop | Effect::Compare(_) => {}
        }
    }

    fn era(&mut self, era: Era, negated: bool) {
        let recent_from = self.this_year.saturating_sub(RECENT_YEARS - 1);
        match (era, negated) {
            (Era::Recent, false) => self.year_min(recent_from),
            (Era::Recent, true) => self.year_max(recent_from - 1),
            (Era::Classic, false) => self.year_max(1979),
            (Era::Classic, true) => self.year_min(1980),
            (Era::Modern, false) => self.year_min(2000),
            (Era::Modern, true) => self.year_max(1999),
            (Era::Silent, false) => self.year_max(1929),
            (Era::Silent, true) => self.year_min(1930),
        }
    }

    /// After a term: a negation is used up, unless an `or` carries it to the next term.
    fn after_term(&mut self, effects: &[Effect]) {
        let is_modifier = effects.iter().all(|e| {
            matches!(
                e,
                Effect::Negate | Effect::Or | Effect::Stop | Effect::Compare(_)
            )
        });
        if !is_modifier {
            self.negated_last = self.negate;
            self.negate = false;
        }
    }

    fn finish(mut self) -> Described {
        let hull = self
            .periods
            .iter()
            .copied()
            .reduce(|(a, b), (c, d)| (a.min(c), b.max(d)));
        let (low, high) = self.year_bounds;
        let with_bounds = (
            max_opt(hull.map(|h| h.0), low),
            min_opt(hull.map(|h| h.1), high),
        );
        // contradicting words ("recent classics") leave the period named outright, if any
        self.out.years =
            range(with_bounds).or_else(|| hull.and_then(|(a, b)| range((Some(a), Some(b)))));
        self.out.runtimes = range(self.runtime_bounds);
        let bands: Vec<PopularityBand> = self.popularity.iter().map(|&k| band_of(k)).collect();
        // all three bands narrow nothing
        self.out.popularity = if bands.len() == 3 { Vec::new() } else { bands };
        self.out
    }
}

fn push_new(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

fn band_key(band: PopularityBand) -> PopularityBandKey {
    match band {
        PopularityBand::Low => 0,
        PopularityBand::Medium => 1,
        PopularityBand::High => 2,
    }
}

fn band_of(key: PopularityBandKey) -> PopularityBand {
    match key {
        0 => PopularityBand::Low,
        1 => PopularityBand::Medium,
        _ => PopularityBand::High,
    }
}

fn max_opt(a: Option<u16>, b: Option<u16>) -> Option<u16> {
    a.max(b)
}

fn min_opt(a: Option<u16>, b: Option<u16>) -> Option<u16> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A range when something is bounded and the bounds agree.
fn range((min, max): (Option<u16>, Option<u16>)) -> Option<RangeFilter> {
    if min.is_none() && max.is_none() {
        return None;
    }
    RangeFilter::new(min, max).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContentType, GenreSet};

    #[test]
    fn tokens_split_on_hyphens_apostrophes_and_punctuation() {
        assert_eq!(
            tokenize("Sci-Fi, '90s; don't 1.5h."),
            ["sci", "fi", "90s", "don", "t", "1.5h"]
        );
    }

    #[test]
    fn the_longest_phrase_wins() {
        let tokens = tokenize("romantic comedy");
        assert_eq!(longest_phrase(&tokens).map(|(_, n)| n), Some(2));
    }

    #[test]
    fn contradicting_eras_keep_the_named_period() {
        let d = describe("recent 1970s classics", 2026);
        assert_eq!(d.years, RangeFilter::new(Some(1970), Some(1979)).ok());
        let d = describe("recent classics", 2026);
        assert_eq!(d.years, None);
    }

    #[test]
    fn content_type_set_is_kept_when_unused() {
        assert_eq!(describe("", 2026), Described::default());
        assert!(describe("tv", 2026).content_types == [ContentType::Tv]);
        assert!(describe("", 2026).genres == GenreSet::EMPTY);
    }
}
