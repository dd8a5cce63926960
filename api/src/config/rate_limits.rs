//! The `RATE_LIMITS` setting: `10/min,50/h,250/day`, or `off`.

use std::time::Duration;

use crate::limits::Limit;

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
    fn rejects_what_is_not_a_limit() {
        for bad in ["10", "ten/min", "10/week", "0/min", "10/min,"] {
            assert!(rate_limits(bad).is_err(), "{bad}");
        }
    }
}
