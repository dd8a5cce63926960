use clap::Parser;

use super::*;

/// `reel serve`'s settings alone, parsed from flags (the environment still fills what no flag sets).
#[derive(Debug, Parser)]
struct Flags {
    #[command(flatten)]
    args: ServeArgs,
}

fn config(flags: &[&str]) -> Result<Config, ConfigError> {
    let argv = std::iter::once("reel").chain(flags.iter().copied());
    Config::from_args(Flags::try_parse_from(argv).unwrap().args)
}

/// The one line a bad value stops the process with.
fn error(flags: &[&str]) -> String {
    let message = config(flags).unwrap_err().to_string();
    assert!(!message.contains('\n'), "more than one line: {message}");
    message
}

#[test]
fn each_bad_value_is_named_with_what_is_wrong() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--bind-addr", "localhost"],
            "invalid BIND_ADDR `localhost`: expected IP:PORT such as 127.0.0.1:8080",
        ),
        (
            &["--log-format", "xml"],
            "invalid LOG_FORMAT `xml`: expected `pretty` or `json`",
        ),
        (
            &["--request-timeout", "120"],
            "invalid REQUEST_TIMEOUT `120`: `120` has no unit: write e.g. 120s, 120m or 120h",
        ),
        (
            &["--request-timeout", "0s"],
            "invalid REQUEST_TIMEOUT `0s`: duration must be longer than zero",
        ),
        (
            &["--score-cache", "1GB"],
            "invalid SCORE_CACHE `1GB`: expected a size in bytes, KiB or MiB such as `256KiB`",
        ),
        (
            &["--letterboxd-block-cooldown", "a while"],
            "invalid LETTERBOXD_BLOCK_COOLDOWN `a while`: ",
        ),
        (
            &["--catalog-poll-interval", "soon"],
            "invalid CATALOG_POLL_INTERVAL `soon`: ",
        ),
        (
            &["--body-limit", "1GB"],
            "invalid BODY_LIMIT `1GB`: expected a size in bytes, KiB or MiB such as `256KiB`",
        ),
        (
            &["--letterboxd-base-url", "letterboxd.com"],
            "invalid LETTERBOXD_BASE_URL `letterboxd.com`: not a URL",
        ),
        (
            &["--letterboxd-base-url", "ftp://letterboxd.com"],
            "invalid LETTERBOXD_BASE_URL `ftp://letterboxd.com`: expected an http(s) URL",
        ),
        (
            &["--cors-allowed-origins", "https://a.org/app"],
            "invalid CORS_ALLOWED_ORIGINS `https://a.org/app`: `https://a.org/app` is not an origin",
        ),
        (
            &["--rust-log", "info,[["],
            "invalid RUST_LOG `info,[[`: not a log filter",
        ),
    ];
    for (flags, expected) in cases {
        let message = error(flags);
        assert!(message.starts_with(expected), "{flags:?}: {message}");
    }
}

#[test]
fn secrets_are_never_echoed() {
    let message = error(&["--admin-token", "hunter2"]);
    assert_eq!(
        message,
        "invalid ADMIN_TOKEN: must be at least 16 characters (unset it to turn admin routes off)"
    );
    let message = error(&["--redis-url", "http://:hunter2@cache:6379"]);
    assert!(
        message.starts_with("invalid REDIS_URL: expected redis://"),
        "{message}"
    );
    assert!(!message.contains("hunter2"));

    let config = config(&[
        "--admin-token",
        "0123456789abcdef-0123",
        "--redis-url",
        "redis://:hunter2@cache:6379/0",
    ])
    .unwrap();
    assert!(!format!("{config:?}").contains("hunter2"));
    assert!(!format!("{config:?}").contains("0123456789abcdef"));
    assert_eq!(
        config.admin_token.as_ref().map(Secret::expose),
        Some("0123456789abcdef-0123")
    );
}

#[test]
fn bind_addr_wins_then_port_on_every_interface_then_loopback() {
    assert_eq!(
        bind_addr(Some("0.0.0.0:9000"), Some("10000")).unwrap(),
        "0.0.0.0:9000".parse().unwrap()
    );
    assert_eq!(
        bind_addr(None, Some("10000")).unwrap(),
        "0.0.0.0:10000".parse().unwrap()
    );
    assert_eq!(
        bind_addr(None, None).unwrap(),
        "127.0.0.1:8080".parse().unwrap()
    );
    for bad in ["0", "65536", "http"] {
        assert_eq!(
            bind_addr(None, Some(bad)).unwrap_err().to_string(),
            format!("invalid PORT `{bad}`: expected a port number from 1 to 65535")
        );
    }
}

#[test]
fn sizes_and_durations_read_their_units() {
    assert_eq!(byte_size("BODY_LIMIT", "256KiB").unwrap(), 262_144);
    assert_eq!(byte_size("BODY_LIMIT", "2MiB").unwrap(), 2_097_152);
    assert_eq!(byte_size("BODY_LIMIT", "1000").unwrap(), 1000);
    assert!(byte_size("BODY_LIMIT", "0").is_err());
    assert_eq!(
        duration("REQUEST_TIMEOUT", "2m").unwrap(),
        Duration::from_secs(120)
    );
}

#[test]
fn flags_parse_into_a_valid_config() {
    let config = config(&[
        "--bind-addr",
        "127.0.0.1:0",
        "--cors-allowed-origins",
        "https://app.example.com",
        "--log-format",
        "json",
        "--request-timeout",
        "30s",
    ])
    .unwrap();
    assert_eq!(config.bind_addr.port(), 0);
    assert_eq!(
        config.cors_allowed_origins,
        AllowedOrigins::Only(vec!["https://app.example.com".to_owned()])
    );
    assert_eq!(config.log.format, LogFormat::Json);
    assert_eq!(config.request_timeout, Duration::from_secs(30));
}

#[test]
fn the_score_cache_and_the_block_cooldown_can_be_turned_off() {
    let on = config(&[
        "--score-cache",
        "16MiB",
        "--letterboxd-block-cooldown",
        "5m",
    ])
    .unwrap();
    assert_eq!(on.score_cache_bytes, 16 << 20);
    assert_eq!(on.letterboxd_block_cooldown, Duration::from_secs(300));
    let off = config(&["--score-cache", "off", "--letterboxd-block-cooldown", "0s"]).unwrap();
    assert_eq!(off.score_cache_bytes, 0);
    assert_eq!(off.letterboxd_block_cooldown, Duration::ZERO);
}

#[test]
fn the_user_agent_must_name_a_contact() {
    let default = config(&[]).unwrap();
    assert_eq!(default.letterboxd_user_agent, None);
    let own = "reel/1.0 (+https://films.example.org/bot)";
    let set = config(&["--letterboxd-user-agent", own]).unwrap();
    assert_eq!(set.letterboxd_user_agent.as_deref(), Some(own));
    let mail = config(&["--letterboxd-user-agent", " reel (ops@films.example.org) "]).unwrap();
    assert_eq!(
        mail.letterboxd_user_agent.as_deref(),
        Some("reel (ops@films.example.org)")
    );
    for (bad, why) in [
        ("reel/1.0", "must name a contact"),
        ("", "1 to 256 characters"),
        ("reel\u{e9} https://x.example", "printable ASCII"),
    ] {
        let err = config(&["--letterboxd-user-agent", bad])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("LETTERBOXD_USER_AGENT") && err.contains(why),
            "{err}"
        );
    }
}
