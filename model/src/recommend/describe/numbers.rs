//! Numbers in a description: years, decades and durations.

/// What a number (with its unit, if any) at a position means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quantity {
    Year(u16),
    /// The first year of a decade ("90s", "1990s", "nineties").
    Decade(u16),
    /// Minutes.
    Minutes(u16),
    /// A runtime range in minutes ("90 to 120 minutes").
    MinutesBetween(u16, u16),
}

/// Years a 4-digit number is read as (anything else is not a year).
const YEARS: std::ops::RangeInclusive<u32> = 1870..=2100;

/// The quantity starting at `tokens[0]` and how many tokens it takes.
pub(super) fn quantity(tokens: &[String]) -> Option<(Quantity, usize)> {
    let first = tokens.first()?.as_str();
    if let Some(decade) = decade(first) {
        return Some((Quantity::Decade(decade), 1));
    }
    if let Some(minutes) = compact_duration(first) {
        return Some((Quantity::Minutes(minutes), 1));
    }
    let amount = number(first)?;
    // "2 hours", "90 minutes", "an hour and a half"
    if let Some(per) = tokens.get(1).and_then(|unit| unit_minutes(unit)) {
        let mut minutes = amount * f64::from(per);
        let mut used = 2;
        if per == 60 && tokens.get(2..5).is_some_and(|t| t == ["and", "a", "half"]) {
            minutes += 30.0;
            used = 5;
        }
        return Some((Quantity::Minutes(to_u16(minutes)?), used));
    }
    // "90 to 120 minutes", "1 and 2 hours"
    if tokens
        .get(1)
        .is_some_and(|w| matches!(w.as_str(), "to" | "and"))
        && let (Some(high), Some(per)) = (
            tokens.get(2).and_then(|w| number(w)),
            tokens.get(3).and_then(|w| unit_minutes(w)),
        )
    {
        let (low, high) = (
            to_u16(amount * f64::from(per))?,
            to_u16(high * f64::from(per))?,
        );
        return Some((Quantity::MinutesBetween(low.min(high), low.max(high)), 4));
    }
    let whole = first.parse::<u16>().ok()?;
    YEARS
        .contains(&u32::from(whole))
        .then_some((Quantity::Year(whole), 1))
}

fn to_u16(minutes: f64) -> Option<u16> {
    (minutes.is_finite() && (0.0..=f64::from(u16::MAX)).contains(&minutes))
        .then(|| minutes.round() as u16)
}

/// A number as digits ("90", "1.5") or a small word ("an", "two").
fn number(word: &str) -> Option<f64> {
    let spelled = match word {
        "a" | "an" | "one" => Some(1.0),
        "two" => Some(2.0),
        "three" => Some(3.0),
        "four" => Some(4.0),
        "ninety" => Some(90.0),
        _ => None,
    };
    spelled.or_else(|| {
        word.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n >= 0.0)
    })
}

fn unit_minutes(word: &str) -> Option<u16> {
    match word {
        "minute" | "minutes" | "min" | "mins" => Some(1),
        "hour" | "hours" | "hr" | "hrs" | "h" => Some(60),
        _ => None,
    }
}

/// "90min", "2h", "2hrs", "1.5h".
fn compact_duration(word: &str) -> Option<u16> {
    let split = word.find(|c: char| c.is_ascii_alphabetic())?;
    let (digits, unit) = word.split_at(split);
    let number = digits.parse::<f64>().ok()?;
    to_u16(number * f64::from(unit_minutes(unit)?))
}

/// "90s", "1990s", "00s", "nineties".
fn decade(word: &str) -> Option<u16> {
    let spelled = match word {
        "twenties" => Some(1920),
        "thirties" => Some(1930),
        "forties" => Some(1940),
        "fifties" => Some(1950),
        "sixties" => Some(1960),
        "seventies" => Some(1970),
        "eighties" => Some(1980),
        "nineties" => Some(1990),
        "noughties" | "aughts" => Some(2000),
        _ => None,
    };
    if spelled.is_some() {
        return spelled;
    }
    let digits = word.strip_suffix('s')?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u16 = digits.parse().ok()?;
    match digits.len() {
        2 if n.is_multiple_of(10) => Some(if n >= 20 { 1900 + n } else { 2000 + n }),
        4 if n.is_multiple_of(10) && YEARS.contains(&u32::from(n)) => Some(n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<(Quantity, usize)> {
        let tokens: Vec<String> = text.split(' ').map(str::to_string).collect();
        quantity(&tokens)
    }

    #[test]
    fn decades_years_and_durations() {
        assert_eq!(at("90s"), Some((Quantity::Decade(1990), 1)));
        assert_eq!(at("00s"), Some((Quantity::Decade(2000), 1)));
        assert_eq!(at("1970s"), Some((Quantity::Decade(1970), 1)));
        assert_eq!(at("95s"), None);
        assert_eq!(at("1960"), Some((Quantity::Year(1960), 1)));
        assert_eq!(at("90"), None);
        assert_eq!(at("2 hours"), Some((Quantity::Minutes(120), 2)));
        assert_eq!(at("an hour and a half"), Some((Quantity::Minutes(90), 5)));
        assert_eq!(at("1.5 hours"), Some((Quantity::Minutes(90), 2)));
        assert_eq!(at("100min"), Some((Quantity::Minutes(100), 1)));
        assert_eq!(
            at("90 to 120 minutes"),
            Some((Quantity::MinutesBetween(90, 120), 4))
        );
    }
}
