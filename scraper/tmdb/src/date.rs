//! TMDB writes dates as `YYYY-MM-DD`, an empty string or null when unknown; all three read here,
//! and anything else reads as unknown rather than failing the whole record.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serializer};

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Option<NaiveDate>, D::Error> {
    let raw = Option::<String>::deserialize(de)?;
    Ok(raw.and_then(|text| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()))
}

pub(crate) fn serialize<S: Serializer>(
    date: &Option<NaiveDate>,
    ser: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => ser.serialize_str(&date.format("%Y-%m-%d").to_string()),
        None => ser.serialize_str(""),
    }
}

/// The year of a date, as the catalog stores it.
pub(crate) fn year(date: Option<NaiveDate>) -> Option<u16> {
    date.and_then(|date| u16::try_from(date.year()).ok())
}
