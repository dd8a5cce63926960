//! The `RATE_LIMITS` setting: `10/min,50/h,250/day`, or `off`.

use std::time::Duration;

use crate::limits::Limit;

/// The limits when `RATE_LIMITS` is unset and the server listens beyond this machine.
pub const PUBLIC_DEFAULT: &str = "10/min,50/h,250/day";
/// The limits when `RATE_LIMITS` is unset and the server listens on loopback only: generous
/// enough that trying the API from a local front end never meets a 429, still a bound on a loop.
pub const LOOPBACK_DEFAULT: &str = "120/min,2000/h,10000/day";

/// `RATE_LIMITS`' default for a server bound to a loopback address or not.
pub fn default_rate_limits(loopback: bool) -> Vec<Limit> {
    let (requests, per_hour, per_day) = if loopback {
        (120, 2_000, 10_000)
    } else {
        (10, 50, 250)
    };
    vec![
        Limit::per_minute(requests),
        Limit::per_hour(per_hour),
        Limit::per_day(per_day),
    ]
}

/// Parses a comma-separated list of `N/min`, `N/h` or `N/day` (also `m`, `hour`, `d`); `off` (or
/// nothing) means no limit at all.
pub fn rate_limits(raw: &str) -> Result<Vec<Limit>, String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.eq_ignore_ascii_case("off") {
        return Ok(Vec::new());
    }
    raw.split(',')
        .map(str::trim)
        .map(|entry| {
            let bad = || format!("`{entry}` is not like `10/min`, `50/h` or `250/day`");
            let (count, unit) = entry.split_once('/').ok_or_else(bad)?;
            let requests: u32 = count.trim().parse().map_err(|_| bad())?;
            let period = match unit.trim() {
                "s" | "sec" | "second" => Duration::from_secs(1),
                "m" | "min" | "minute" => Duration::from_secs(60),
                "h" | "hour" => Duration::from_secs(3_600),
                "d" | "day" => Duration::from_secs(86_400),
                _ => return Err(bad()),
            };
            if requests == 0 {
                return Err(format!("`{entry}`: a limit of 0 would refuse everything"));
            }
            Ok(Limit { requests, period })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_default_and_off() {
        assert_eq!(
            rate_limits("10/min, 50/h,250/day").unwrap(),
            [
                Limit::per_minute(10),
                Limit::per_hour(50),
                Limit::per_day(250)
            ]
        );
        assert!(rate_limits("off").unwrap().is_empty());
        assert!(rate_limits("").unwrap().is_empty());
    }

    #[test]
    fn the_defaults_are_what_their_settings_say() {
        assert_eq!(
            rate_limits(PUBLIC_DEFAULT).unwrap(),
            default_rate_limits(false)
        );
        assert_eq!(
            rate_limits(LOOPBACK_DEFAULT).unwrap(),
            default_rate_limits(true)
        );
    }

    #[test]
    fn rejects_what_is_not_a_limit() {
        for bad in ["10", "ten/min", "10/week", "0/min", "10/min,"] {
            assert!(rate_limits(bad).is_err(), "{bad}");
        }
    }
}
