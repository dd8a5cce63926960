//! The film page's JSON-LD block (`<script type="application/ld+json">`, wrapped in
//! `/* <![CDATA[ */ ... /* ]]> */`), read leniently: every field is optional here and the film
//! parser falls back to the HTML for whatever is missing.

use scraper::Html;
use serde_json::Value;

use super::html::selectors;

selectors! {
    SCRIPT = r#"script[type="application/ld+json"]"#;
}

/// What the JSON-LD says about a film.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct JsonLdFilm {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub url: Option<String>,
    pub year: Option<u16>,
    pub genres: Vec<String>,
    pub countries: Vec<String>,
    pub image: Option<String>,
    pub rating_value: Option<f64>,
    pub rating_count: Option<u64>,
}

/// The first JSON-LD block that describes a film, if any parses.
pub(crate) fn film_json_ld(doc: &Html) -> Option<JsonLdFilm> {
    doc.select(&SCRIPT).find_map(|script| {
        let raw: String = script.text().collect();
        let value: Value = serde_json::from_str(strip_cdata(&raw)).ok()?;
        let film = from_value(&value);
        (film.name.is_some() || film.url.is_some()).then_some(film)
    })
}

fn strip_cdata(raw: &str) -> &str {
    let trimmed = raw.trim();
    let trimmed = trimmed
        .strip_prefix("/* <![CDATA[ */")
        .unwrap_or(trimmed)
        .trim_start();
    trimmed
        .strip_suffix("/* ]]> */")
        .unwrap_or(trimmed)
        .trim_end()
}

fn from_value(value: &Value) -> JsonLdFilm {
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let rating = value.get("aggregateRating");
    JsonLdFilm {
        kind: text("@type"),
        name: text("name"),
        url: text("url").or_else(|| text("@id")),
        year: one_or_many(value.get("releasedEvent"))
            .filter_map(|event| event.get("startDate").and_then(Value::as_str))
            .find_map(|date| date.get(..4).and_then(|y| y.parse().ok())),
        genres: one_or_many(value.get("genre"))
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        countries: one_or_many(value.get("countryOfOrigin"))
            .filter_map(|country| {
                country
                    .get("name")
                    .and_then(Value::as_str)
                    .or(country.as_str())
            })
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .collect(),
        image: text("image"),
        rating_value: rating.and_then(|r| number(r.get("ratingValue"))),
        rating_count: rating
            .and_then(|r| number(r.get("ratingCount")))
            .filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n <= u64::MAX as f64)
            .map(|n| n as u64),
    }
}

/// JSON-LD allows a single value where a list is expected.
fn one_or_many(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    let items: &[Value] = match value {
        Some(Value::Array(items)) => items,
        Some(single) => std::slice::from_ref(single),
        None => &[],
    };
    items.iter()
}

/// A number written as a JSON number or a string.
fn number(value: Option<&Value>) -> Option<f64> {
    let number = match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', "").parse().ok(),
        _ => None,
    };
    number.filter(|n: &f64| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_single_values_and_strings() {
        let doc = Html::parse_document(
            r#"<script type="application/ld+json">
            /* <![CDATA[ */
            {"@type":"Movie","name":" Heat ","url":"https://letterboxd.com/film/heat-1995/",
             "releasedEvent":{"startDate":"1995-12-15"},"genre":"Crime",
             "countryOfOrigin":{"name":"USA"},
             "aggregateRating":{"ratingValue":"4.1","ratingCount":"1,234"}}
            /* ]]> */</script>"#,
        );
        let film = film_json_ld(&doc).unwrap();
        assert_eq!(film.name.as_deref(), Some("Heat"));
        assert_eq!(film.year, Some(1995));
        assert_eq!(film.genres, ["Crime"]);
        assert_eq!(film.countries, ["USA"]);
        assert_eq!(film.rating_value, Some(4.1));
        assert_eq!(film.rating_count, Some(1234));
    }

    #[test]
    fn ignores_blocks_that_are_not_a_film() {
        let doc = Html::parse_document(
            r#"<script type="application/ld+json">{"@type":"Organization"}</script>
               <script type="application/ld+json">not json</script>"#,
        );
        assert_eq!(film_json_ld(&doc), None);
    }
}
