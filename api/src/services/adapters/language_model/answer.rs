//! What the language model is asked (the system prompt with our vocabulary, the JSON schema of
//! the answer) and what its answer must be: a chat completion whose message is JSON filters,
//! checked like a request's.

use model::recommend::describe::{self, Described, SERVICES, streaming_service};
use model::recommend::{PopularityBand, RangeFilter};
use model::{ContentType, Genre};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::{RequestError, countries, genres, languages};

/// The schema's name in `response_format`.
pub const ANSWER_NAME: &str = "described_filters";

/// The filters a description asks for, as the model must answer them. Strict structured outputs
/// want every field present: empty lists, `null` bounds and `false` say nothing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    genres: Vec<String>,
    exclude_genres: Vec<String>,
    content_types: Vec<String>,
    year_min: Option<u16>,
    year_max: Option<u16>,
    runtime_min: Option<u16>,
    runtime_max: Option<u16>,
    popularity: Vec<String>,
    highly_rated: bool,
    languages: Vec<String>,
    exclude_languages: Vec<String>,
    countries: Vec<String>,
    exclude_countries: Vec<String>,
    streaming_services: Vec<String>,
}

/// The JSON schema of [`Answer`], for `response_format`.
pub fn answer_schema() -> Value {
    let strings =
        |values: Vec<&str>| json!({"type": "array", "items": {"type": "string", "enum": values}});
    let free =
        |about: &str| json!({"type": "array", "items": {"type": "string"}, "description": about});
    let bound = |about: &str| json!({"type": ["integer", "null"], "description": about});
    let genre_names: Vec<&str> = Genre::ALL.iter().map(|g| g.name()).collect();
    let services: Vec<&str> = SERVICES.iter().map(|s| s.name).collect();
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": [
            "genres", "exclude_genres", "content_types", "year_min", "year_max", "runtime_min",
            "runtime_max", "popularity", "highly_rated", "languages", "exclude_languages",
            "countries", "exclude_countries", "streaming_services"
        ],
        "properties": {
            "genres": strings(genre_names.clone()),
            "exclude_genres": strings(genre_names),
            "content_types": strings(vec!["movie", "tv"]),
            "year_min": bound("earliest release year, inclusive"),
            "year_max": bound("latest release year, inclusive"),
            "runtime_min": bound("shortest runtime in minutes, inclusive"),
            "runtime_max": bound("longest runtime in minutes, inclusive"),
            "popularity": strings(vec!["low", "medium", "high"]),
            "highly_rated": {"type": "boolean", "description": "only films rated 3.5 stars or more"},
            "languages": free("original languages, ISO 639-1 codes"),
            "exclude_languages": free("original languages to leave out, ISO 639-1 codes"),
            "countries": free("countries of origin, named as listed"),
            "exclude_countries": free("countries of origin to leave out"),
            "streaming_services": strings(services),
        }
    })
}

/// The instructions: what to do, and the vocabulary our filters use.
pub fn system_prompt(this_year: u16) -> String {
    let genre_names: Vec<&str> = Genre::ALL.iter().map(|g| g.name()).collect();
    let services: Vec<&str> = SERVICES.iter().map(|s| s.name).collect();
    format!(
        "You turn a description of what someone wants to watch into filters for a film \
         recommender. Answer with JSON filters only. Fill a field only when the description \
         asks for it; otherwise leave lists empty, bounds null and highly_rated false. \
         Genres: {genres}. Content types: movie, tv. Popularity: low (obscure), medium, high \
         (popular). Languages are ISO 639-1 codes such as {languages}. Countries use these \
         names: {countries}. Streaming services: {services}. It is {this_year}; \"recent\" \
         means released in {recent} or later.",
        genres = genre_names.join(", "),
        languages = describe::known_languages().join(", "),
        countries = describe::known_countries().join(", "),
        services = services.join(", "),
        recent = this_year.saturating_sub(describe::RECENT_YEARS - 1),
    )
}

/// The chat completions request for `description`.
pub fn request_body(model: &str, description: &str, this_year: u16) -> Value {
    json!({
        "model": model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": system_prompt(this_year)},
            {"role": "user", "content": description},
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": ANSWER_NAME, "strict": true, "schema": answer_schema()},
        },
    })
}

/// Why an answer was refused.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    #[error("not a chat completion: {0}")]
    NotACompletion(serde_json::Error),
    #[error("no message content")]
    Empty,
    #[error("the model refused: {0}")]
    Refused(String),
    #[error("not the filters' schema: {0}")]
    NotTheSchema(serde_json::Error),
    #[error("invalid filters: {0}")]
    Invalid(#[from] RequestError),
    #[error("unknown {field} `{value}`")]
    Unknown { field: &'static str, value: String },
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    refusal: Option<String>,
}

/// The filters in a chat completion's body.
pub fn parse(body: &[u8]) -> Result<Described, AnswerError> {
    let completion: Completion =
        serde_json::from_slice(body).map_err(AnswerError::NotACompletion)?;
    let message = completion
        .choices
        .into_iter()
        .next()
        .ok_or(AnswerError::Empty)?
        .message;
    if let Some(refusal) = message.refusal.filter(|r| !r.is_empty()) {
        return Err(AnswerError::Refused(refusal));
    }
    let content = message.content.ok_or(AnswerError::Empty)?;
    let answer: Answer = serde_json::from_str(&content).map_err(AnswerError::NotTheSchema)?;
    described(answer)
}

/// The answer checked as a request's filters are.
fn described(a: Answer) -> Result<Described, AnswerError> {
    let range = |field, min, max| match (min, max) {
        (None, None) => Ok(None),
        _ => RangeFilter::new(min, max)
            .map(Some)
            .map_err(|err| RequestError::inverted(field, err)),
    };
    Ok(Described {
        genres: genres(&a.genres)?,
        excluded_genres: genres(&a.exclude_genres)?,
        content_types: a
            .content_types
            .into_iter()
            .map(|t| match t.as_str() {
                "movie" => Ok(ContentType::Movie),
                "tv" => Ok(ContentType::Tv),
                _ => Err(unknown("content type", t)),
            })
            .collect::<Result<_, _>>()?,
        years: range("year", a.year_min, a.year_max)?,
        runtimes: range("runtime", a.runtime_min, a.runtime_max)?,
        popularity: a
            .popularity
            .into_iter()
            .map(|p| match p.as_str() {
                "low" => Ok(PopularityBand::Low),
                "medium" => Ok(PopularityBand::Medium),
                "high" => Ok(PopularityBand::High),
                _ => Err(unknown("popularity", p)),
            })
            .collect::<Result<_, _>>()?,
        highly_rated: a.highly_rated,
        languages: languages(a.languages)?,
        excluded_languages: languages(a.exclude_languages)?,
        countries: countries(a.countries),
        excluded_countries: countries(a.exclude_countries),
        services: a
            .streaming_services
            .into_iter()
            .map(|s| {
                streaming_service(&s)
                    .map(|s| s.name)
                    .ok_or_else(|| unknown("streaming service", s))
            })
            .collect::<Result<_, _>>()?,
        // A model reports no words it skipped.
        ignored: Vec::new(),
    })
}

fn unknown(field: &'static str, value: String) -> AnswerError {
    AnswerError::Unknown { field, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn completion(content: &Value) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "choices": [{"message": {"role": "assistant", "content": content.to_string()}}]
        }))
        .unwrap()
    }

    fn nothing() -> Value {
        let schema = answer_schema();
        let mut answer = serde_json::Map::new();
        for (field, spec) in schema["properties"].as_object().unwrap() {
            let empty = match spec["type"].clone() {
                Value::String(t) if t == "array" => json!([]),
                Value::String(t) if t == "boolean" => json!(false),
                _ => Value::Null,
            };
            answer.insert(field.clone(), empty);
        }
        Value::Object(answer)
    }

    #[test]
    fn the_schema_requires_exactly_the_fields_an_answer_has() {
        let schema = answer_schema();
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let mut properties: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = required.clone();
        sorted.sort_unstable();
        properties.sort_unstable();
        assert_eq!(sorted, properties);
        // An answer with every field empty parses and says nothing.
        assert_eq!(
            parse(&completion(&nothing())).unwrap(),
            Described::default()
        );
        // Each field is one the answer knows, and each is needed.
        for field in required {
            let mut answer = nothing();
            answer.as_object_mut().unwrap().remove(field);
            let missing = parse(&completion(&answer));
            let optional = field.starts_with("year_") || field.starts_with("runtime_");
            assert_eq!(missing.is_err(), !optional, "{field}");
        }
    }

    #[test]
    fn an_answer_becomes_filters() {
        let mut answer = nothing();
        answer["genres"] = json!(["Horror", "science fiction"]);
        answer["year_min"] = json!(1990);
        answer["year_max"] = json!(1999);
        answer["languages"] = json!(["FR"]);
        answer["streaming_services"] = json!(["netflix"]);
        answer["popularity"] = json!(["low"]);
        let d = parse(&completion(&answer)).unwrap();
        assert!(d.genres.contains(Genre::Horror) && d.genres.contains(Genre::ScienceFiction));
        assert_eq!(d.years, RangeFilter::new(Some(1990), Some(1999)).ok());
        assert_eq!(d.languages, ["fr"]);
        assert_eq!(d.services, ["netflix"]);
        assert_eq!(d.popularity, [PopularityBand::Low]);
    }

    #[test]
    fn nonsense_is_refused() {
        let invalid = |change: &dyn Fn(&mut Value)| {
            let mut answer = nothing();
            change(&mut answer);
            parse(&completion(&answer)).unwrap_err()
        };
        assert!(matches!(
            invalid(&|a| a["genres"] = json!(["Zorblax"])),
            AnswerError::Invalid(RequestError::Genre(_))
        ));
        assert!(matches!(
            invalid(&|a| {
                a["year_min"] = json!(2000);
                a["year_max"] = json!(1990);
            }),
            AnswerError::Invalid(_)
        ));
        assert!(matches!(
            invalid(&|a| a["languages"] = json!(["french"])),
            AnswerError::Invalid(RequestError::Language(_))
        ));
        assert!(matches!(
            invalid(&|a| a["streaming_services"] = json!(["blockbuster"])),
            AnswerError::Unknown { .. }
        ));
        assert!(matches!(
            invalid(&|a| a["mood"] = json!("spooky")),
            AnswerError::NotTheSchema(_)
        ));
        let prose =
            serde_json::to_vec(&json!({"choices": [{"message": {"content": "Sure! Horror."}}]}))
                .unwrap();
        assert!(matches!(parse(&prose), Err(AnswerError::NotTheSchema(_))));
        let refused = serde_json::to_vec(
            &json!({"choices": [{"message": {"content": null, "refusal": "no"}}]}),
        )
        .unwrap();
        assert!(matches!(parse(&refused), Err(AnswerError::Refused(_))));
        assert!(matches!(
            parse(b"<html>"),
            Err(AnswerError::NotACompletion(_))
        ));
        assert!(matches!(
            parse(br#"{"choices": []}"#),
            Err(AnswerError::Empty)
        ));
    }

    #[test]
    fn the_prompt_names_our_vocabulary_and_the_year() {
        let prompt = system_prompt(2026);
        for word in ["Science Fiction", "ko", "South Korea", "netflix", "2022"] {
            assert!(prompt.contains(word), "{word}");
        }
        let body = request_body("small", "korean films", 2026);
        assert_eq!(body["response_format"]["json_schema"]["strict"], true);
        assert_eq!(body["messages"][1]["content"], "korean films");
    }
}
