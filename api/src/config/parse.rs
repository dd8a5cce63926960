//! The parsers of every setting, for clap's `value_parser`: each takes the text of a flag or
//! variable and returns the typed value or, as its error, why the text is wrong (clap names the
//! flag; `super::errors` turns that into one line naming the variable).
//!
//! Durations are a few lines of our own rather than a crate such as humantime: the settings need
//! only whole seconds, minutes, hours and days, and a dependency for that would be more surface
//! than the code it replaces.

use std::net::SocketAddr;
use std::time::Duration;

use tracing_subscriber::EnvFilter;
use url::Url;

use super::LogFormat;
use super::Secret;

/// Why a duration was rejected.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("empty duration: expected e.g. 11h, 90m, 30s or 1h30m")]
    Empty,
    #[error("`{0}` has no unit: write e.g. {0}s, {0}m or {0}h")]
    MissingUnit(String),
    #[error("unknown unit `{0}`: use s, m, h or d")]
    UnknownUnit(String),
    #[error("expected a number before `{0}`")]
    MissingNumber(String),
    #[error("duration must be longer than zero")]
    Zero,
    #[error("duration is too long")]
    Overflow,
}

/// Parses a duration written as one or more `<whole number><unit>` parts, with units `s`, `m`,
/// `h`, `d` (e.g. `11h`, `90m`, `1h30m`). A bare number is rejected: `--budget 11` could mean
/// seconds or hours, and guessing wrong costs a month of crawl.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(DurationError::Empty);
    }
    let mut total: u64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(digits);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        if number.is_empty() {
            return Err(DurationError::MissingNumber(unit.to_owned()));
        }
        if unit.is_empty() {
            return Err(DurationError::MissingUnit(number.to_owned()));
        }
        let seconds_per_unit = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            other => return Err(DurationError::UnknownUnit(other.to_owned())),
        };
        let value: u64 = number.parse().map_err(|_| DurationError::Overflow)?;
        total = value
            .checked_mul(seconds_per_unit)
            .and_then(|part| total.checked_add(part))
            .ok_or(DurationError::Overflow)?;
        rest = next;
    }
    if total == 0 {
        return Err(DurationError::Zero);
    }
    Ok(Duration::from_secs(total))
}

/// A duration, or `0s` for none (a cooldown that can be turned off).
pub fn duration_or_zero(text: &str) -> Result<Duration, DurationError> {
    match text.trim() {
        "0s" => Ok(Duration::ZERO),
        text => parse_duration(text),
    }
}

/// Bytes, optionally with a `KiB`, `MiB` or `GiB` suffix; more than zero.
pub fn byte_size(raw: &str) -> Result<usize, String> {
    let text = raw.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let multiplier = match unit.trim() {
        "" | "B" => 1,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        _ => return Err("expected a size in bytes, KiB, MiB or GiB such as `256KiB`".to_owned()),
    };
    match number
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
    {
        Some(size) if size > 0 => Ok(size),
        _ => Err("expected a positive size such as `256KiB`".to_owned()),
    }
}

/// A byte size, or `off` for 0 (a cache that can be turned off).
pub fn byte_size_or_off(raw: &str) -> Result<u64, String> {
    match raw.trim() {
        "off" => Ok(0),
        size => byte_size(size).map(|size| size as u64),
    }
}

/// `IP:PORT`.
pub fn socket_addr(raw: &str) -> Result<SocketAddr, String> {
    raw.trim()
        .parse()
        .map_err(|_| "expected IP:PORT such as 127.0.0.1:8080".to_owned())
}

/// A TCP port to listen on, 1 to 65535.
pub fn port(raw: &str) -> Result<u16, String> {
    match raw.trim().parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err("expected a port number from 1 to 65535".to_owned()),
    }
}

/// An `http(s)` URL with a host.
pub fn http_url(raw: &str) -> Result<Url, String> {
    match Url::parse(raw.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(url),
        Ok(_) => Err("expected an http(s) URL such as https://letterboxd.com".to_owned()),
        Err(err) => Err(format!("not a URL ({err})")),
    }
}

/// A `redis://` or `rediss://` URL. It may carry a password: the flag hides its value, and the
/// error never repeats it.
pub fn redis_url(raw: &str) -> Result<Secret, String> {
    match Url::parse(raw.trim()) {
        Ok(url) if matches!(url.scheme(), "redis" | "rediss") && url.has_host() => {
            Ok(Secret::new(raw.trim().to_owned()))
        }
        Ok(_) => Err("expected redis://[:password@]host[:port][/db] (or rediss://)".to_owned()),
        Err(err) => Err(format!("not a URL ({err}); expected redis://host:port")),
    }
}

/// Shortest admin token accepted: anything guessable would open the admin routes.
const MIN_ADMIN_TOKEN_LEN: usize = 16;

/// The bearer token of the admin routes.
pub fn admin_token(raw: &str) -> Result<Secret, String> {
    let token = raw.trim();
    if token.chars().count() < MIN_ADMIN_TOKEN_LEN {
        return Err(format!(
            "must be at least {MIN_ADMIN_TOKEN_LEN} characters (unset it to turn admin routes off)"
        ));
    }
    Ok(Secret::new(token.to_owned()))
}

/// A language model API key: one line, no spaces. Whether the server accepts it shows on the
/// first description (a refusal is a fallback to the embedded parser, logged).
pub fn llm_api_key(raw: &str) -> Result<Secret, String> {
    let key = raw.trim();
    if key.is_empty() || key.len() > 4096 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(
            "expected an API key (one line, no spaces; any value for a server without \
                    keys; unset LLM_BASE_URL, LLM_API_KEY and LLM_MODEL to turn it off)"
                .to_owned(),
        );
    }
    Ok(Secret::new(key.to_owned()))
}

/// A model name as the API knows it (`gpt-4o-mini`, `qwen2.5:3b`).
pub fn llm_model(raw: &str) -> Result<String, String> {
    let model = raw.trim();
    if model.is_empty() || model.len() > 200 || !model.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("expected a model name such as gpt-4o-mini (one line, no spaces)".to_owned());
    }
    Ok(model.to_owned())
}

/// A TMDB API token: the bearer token TMDB issues (a JWT of a few hundred characters), one line
/// without spaces. Whether TMDB accepts it is checked at start-up.
pub fn tmdb_token(raw: &str) -> Result<Secret, String> {
    let token = raw.trim();
    if token.len() < 16 || token.len() > 4096 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(
            "expected TMDB's API read access token (one line, no spaces; unset it to turn TMDB off)"
                .to_owned(),
        );
    }
    Ok(Secret::new(token.to_owned()))
}

/// Longest User-Agent accepted.
const MAX_USER_AGENT_LEN: usize = 256;

/// A User-Agent for Letterboxd: printable ASCII (a header value), at most 256 characters, and
/// naming a contact (`http(s)://` or an `@`), because a bot that cannot be reached is not an
/// honest one.
pub fn user_agent(raw: &str) -> Result<String, String> {
    let text = raw.trim();
    if text.is_empty() || text.len() > MAX_USER_AGENT_LEN {
        return Err(format!("must be 1 to {MAX_USER_AGENT_LEN} characters"));
    }
    if !text.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
        return Err("must be printable ASCII".to_owned());
    }
    if !(text.contains("http://") || text.contains("https://") || text.contains('@')) {
        return Err(
            "must name a contact for the deployment (a URL or an e-mail address)".to_owned(),
        );
    }
    Ok(text.to_owned())
}

/// `pretty` or `json`.
pub fn log_format(raw: &str) -> Result<LogFormat, String> {
    match raw.trim() {
        "pretty" => Ok(LogFormat::Pretty),
        "json" => Ok(LogFormat::Json),
        _ => Err("expected `pretty` or `json`".to_owned()),
    }
}

/// A filter in tracing's `EnvFilter` syntax, kept as written once it is known to parse.
pub fn log_filter(raw: &str) -> Result<String, String> {
    EnvFilter::try_new(raw)
        .map(|_| raw.to_owned())
        .map_err(|err| format!("not a log filter: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> Result<u64, DurationError> {
        parse_duration(text).map(|duration| duration.as_secs())
    }

    #[test]
    fn single_units() {
        assert_eq!(secs("11h"), Ok(11 * 3_600));
        assert_eq!(secs("90m"), Ok(90 * 60));
        assert_eq!(secs("30s"), Ok(30));
        assert_eq!(secs("2d"), Ok(2 * 86_400));
    }

    #[test]
    fn compound_durations_add_up() {
        assert_eq!(secs("1h30m"), Ok(5_400));
        assert_eq!(secs("1d2h3m4s"), Ok(86_400 + 7_200 + 180 + 4));
        assert_eq!(secs(" 45m "), Ok(2_700));
    }

    #[test]
    fn rejects_what_it_cannot_read_unambiguously() {
        assert_eq!(secs(""), Err(DurationError::Empty));
        assert_eq!(secs("11"), Err(DurationError::MissingUnit("11".into())));
        assert_eq!(secs("1h30"), Err(DurationError::MissingUnit("30".into())));
        assert_eq!(secs("11 h"), Err(DurationError::UnknownUnit(" h".into())));
        assert_eq!(secs("3w"), Err(DurationError::UnknownUnit("w".into())));
        assert_eq!(secs("h"), Err(DurationError::MissingNumber("h".into())));
        assert_eq!(secs("-5m"), Err(DurationError::MissingNumber("-".into())));
        assert_eq!(secs("0h"), Err(DurationError::Zero));
        assert_eq!(secs("99999999999999999999s"), Err(DurationError::Overflow));
        assert_eq!(secs("999999999999999d"), Err(DurationError::Overflow));
    }

    #[test]
    fn sizes_read_their_units() {
        assert_eq!(byte_size("256KiB"), Ok(262_144));
        assert_eq!(byte_size("2MiB"), Ok(2_097_152));
        assert_eq!(byte_size("1GiB"), Ok(1 << 30));
        assert_eq!(byte_size("1000"), Ok(1000));
        assert!(byte_size("0").is_err());
        assert_eq!(byte_size_or_off("off"), Ok(0));
    }
}
