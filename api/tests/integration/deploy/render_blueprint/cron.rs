//! Standard 5-field cron expressions: validation, and reading the cadence of simple schedules.

/// One field of a 5-field cron expression: its name, bounds, and the names it accepts.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const FIELDS: [Field; 5] = [
    Field {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
    },
    Field {
        name: "day of month",
        min: 1,
        max: 31,
        names: &[],
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: &[
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
        ],
    },
    Field {
        name: "day of week",
        min: 0,
        max: 7,
        names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
    },
];

fn cron_value(field: &Field, text: &str) -> Result<u32, String> {
    let value = match field
        .names
        .iter()
        .position(|name| name.eq_ignore_ascii_case(text))
    {
        Some(index) => field.min + u32::try_from(index).unwrap(),
        None => text
            .parse()
            .map_err(|_| format!("{}: `{text}` is not a number", field.name))?,
    };
    if (field.min..=field.max).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "{}: {value} outside {}..={}",
            field.name, field.min, field.max
        ))
    }
}

/// Validates a standard 5-field cron expression: lists of `*`, `N`, `N-M`, each with an optional
/// `/step`.
pub fn validate_cron(expression: &str) -> Result<(), String> {
    let parts: Vec<&str> = expression.split_whitespace().collect();
    if parts.len() != FIELDS.len() {
        return Err(format!("{} fields, expected 5", parts.len()));
    }
    for (field, part) in FIELDS.iter().zip(parts) {
        for item in part.split(',') {
            let (range, step) = match item.split_once('/') {
                Some((range, step)) => (range, Some(step)),
                None => (item, None),
            };
            if let Some(step) = step {
                match step.parse::<u32>() {
                    Ok(step) if step >= 1 && step <= field.max => {}
                    _ => return Err(format!("{}: bad step `{step}`", field.name)),
                }
            }
            if range == "*" {
                continue;
            }
            match range.split_once('-') {
                Some((low, high)) => {
                    if cron_value(field, low)? > cron_value(field, high)? {
                        return Err(format!("{}: empty range `{range}`", field.name));
                    }
                }
                None => {
                    cron_value(field, range)?;
                }
            }
        }
    }
    Ok(())
}

/// When a monthly schedule fires: minutes from the start of the month, or None if it is not a
/// single fixed time on a single day of every month.
pub fn monthly_start_minute(expression: &str) -> Option<u32> {
    let parts: Vec<&str> = expression.split_whitespace().collect();
    let [minute, hour, day, "*", "*"] = parts[..] else {
        return None;
    };
    let (minute, hour, day): (u32, u32, u32) =
        (minute.parse().ok()?, hour.parse().ok()?, day.parse().ok()?);
    Some((day - 1) * 24 * 60 + hour * 60 + minute)
}

pub fn is_daily(expression: &str) -> bool {
    let parts: Vec<&str> = expression.split_whitespace().collect();
    matches!(parts[..], [minute, hour, "*", "*", "*"] if minute.parse::<u32>().is_ok() && hour.parse::<u32>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cron_validator_rejects_what_cron_rejects() {
        for good in [
            "0 2 21 * *",
            "*/15 * * * MON-FRI",
            "10 0 * * *",
            "0 0 1,15 JAN-JUN 0",
        ] {
            assert_eq!(validate_cron(good), Ok(()), "{good}");
        }
        for bad in [
            "0 2 21 * ",
            "60 * * * *",
            "0 24 * * *",
            "0 0 32 * *",
            "0 0 0 * *",
            "0 0 * 13 *",
            "0 0 * * 8",
            "*/0 * * * *",
            "5-1 * * * *",
            "0 0 * * FUNDAY",
            "@monthly",
        ] {
            assert!(validate_cron(bad).is_err(), "{bad} accepted");
        }
    }
}
