//! A setting that failed its parser, as the one line the process stops with: the variable (what
//! operators set, rather than the flag clap names), the value unless it is secret, and why.

use std::error::Error as _;
use std::fmt;

use clap::error::{ContextKind, ContextValue, ErrorKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSetting {
    pub variable: String,
    value: Option<String>,
    problem: String,
}

impl fmt::Display for InvalidSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}", self.variable)?;
        if let Some(value) = &self.value {
            write!(f, " `{value}`")?;
        }
        write!(f, ": {}", self.problem)
    }
}

impl InvalidSetting {
    /// The setting behind `err` when it is a value of an environment-backed argument of `command`
    /// (or of one of its subcommands) that its parser refused; `None` for anything else (an
    /// unknown flag, `--help`), which clap renders itself.
    pub fn from_clap(err: &clap::Error, command: &clap::Command) -> Option<Self> {
        if err.kind() != ErrorKind::ValueValidation {
            return None;
        }
        let (Some(ContextValue::String(arg)), Some(ContextValue::String(value))) = (
            err.get(ContextKind::InvalidArg),
            err.get(ContextKind::InvalidValue),
        ) else {
            return None;
        };
        // `--request-timeout <REQUEST_TIMEOUT>`
        let long = arg.split_whitespace().next()?.strip_prefix("--")?;
        let found = find_arg(command, long)?;
        let variable = found.get_env()?.to_string_lossy().into_owned();
        Some(Self {
            variable,
            value: (!found.is_hide_env_values_set()).then(|| value.clone()),
            problem: err.source()?.to_string(),
        })
    }
}

fn find_arg<'c>(command: &'c clap::Command, long: &str) -> Option<&'c clap::Arg> {
    command
        .get_arguments()
        .find(|arg| arg.get_long() == Some(long))
        .or_else(|| {
            command
                .get_subcommands()
                .find_map(|command| find_arg(command, long))
        })
}
