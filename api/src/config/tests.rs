use clap::{CommandFactory, Parser};

use super::*;
use crate::config::LogFormat;

/// `reel serve`'s settings alone, parsed from flags (the environment still fills what no flag sets).
#[derive(Debug, Parser)]
struct Flags {
    #[command(flatten)]
    config: Config,
}

fn config(flags: &[&str]) -> Result<Config, clap::Error> {
    let argv = std::iter::once("reel").chain(flags.iter().copied());
    Flags::try_parse_from(argv).map(|flags| flags.config)
}

/// The one line a bad value stops the process with.
fn error(flags: &[&str]) -> String {
    let err = config(flags).unwrap_err();
    let message = InvalidSetting::from_clap(&err, &Flags::command())
        .unwrap_or_else(|| panic!("not a bad setting: {err}"))
        .to_string();
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
            &["--port", "65536"],
            "invalid PORT `65536`: expected a port number from 1 to 65535",
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
            "invalid SCORE_CACHE `1GB`: expected a size in bytes, KiB, MiB or GiB such as `256KiB`",
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
            "invalid BODY_LIMIT `1GB`: expected a size in bytes, KiB, MiB or GiB such as `256KiB`",
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
        (
            &["--trusted-proxies", "10.0.0.0/33"],
            "invalid TRUSTED_PROXIES `10.0.0.0/33`: `10.0.0.0/33` is not an IP address",
        ),
        (
            &["--rate-limits", "10/week"],
            "invalid RATE_LIMITS `10/week`: `10/week` is not like `10/min`",
        ),
    ];
    for (flags, expected) in cases {
        let message = error(flags);
        assert!(message.starts_with(expected), "{flags:?}: {message}");
    }
}

#[test]
fn other_command_line_errors_are_left_to_clap() {
    let err = config(&["--no-such-flag"]).unwrap_err();
    assert_eq!(InvalidSetting::from_clap(&err, &Flags::command()), None);
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
    let bind = |flags: &[&str]| config(flags).unwrap().http.bind_addr.socket_addr();
    assert_eq!(
        bind(&["--bind-addr", "0.0.0.0:9000", "--port", "10000"]),
        "0.0.0.0:9000".parse().unwrap()
    );
    assert_eq!(bind(&["--port", "10000"]), "0.0.0.0:10000".parse().unwrap());
    assert_eq!(bind(&[]), "127.0.0.1:8080".parse().unwrap());
    for bad in ["0", "65536", "http"] {
        assert_eq!(
            error(&["--port", bad]),
            format!("invalid PORT `{bad}`: expected a port number from 1 to 65535")
        );
    }
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
        "2m",
        "--body-limit",
        "2MiB",
        "--rate-limits",
        "5/min,20/h",
    ])
    .unwrap();
    assert_eq!(config.http.bind_addr.socket_addr().port(), 0);
    assert_eq!(
        config.http.allowed_origins(),
        AllowedOrigins::Only(vec!["https://app.example.com".to_owned()])
    );
    assert_eq!(config.log.format, LogFormat::Json);
    assert_eq!(config.http.request_timeout, Duration::from_secs(120));
    assert_eq!(config.http.body_limit, 2 << 20);
    assert_eq!(
        config.rate_limits(),
        [Limit::per_minute(5), Limit::per_hour(20)]
    );
}

#[test]
fn the_defaults_are_the_documented_ones() {
    let config = config(&[]).unwrap();
    assert_eq!(config.http.request_timeout, Duration::from_secs(120));
    assert_eq!(config.http.body_limit, 256 << 10);
    assert_eq!(config.score_cache_bytes, None);
    assert_eq!(config.memory_budget, MemoryBudget::new(192 << 20));
    // No Redis: the in-process shared cache takes its quarter.
    assert_eq!(config.cache_shares().memory, 48 << 20);
    assert_eq!(config.cache_shares().total(), 192 << 20);
    assert_eq!(config.catalog_poll_interval, Duration::from_secs(30));
    assert_eq!(
        config.letterboxd.letterboxd_block_cooldown,
        Duration::from_secs(15 * 60)
    );
    assert_eq!(config.letterboxd.letterboxd_rate_limit, 2);
    assert_eq!(config.letterboxd.letterboxd_concurrency, 4);
    // The default address is loopback: a developer's machine.
    assert_eq!(
        config.rate_limits(),
        [
            Limit::per_minute(120),
            Limit::per_hour(2_000),
            Limit::per_day(10_000)
        ]
    );
    assert_eq!(config.http.allowed_origins(), AllowedOrigins::Loopback);
}

/// Unset, `RATE_LIMITS` and `CORS_ALLOWED_ORIGINS` follow where the server listens: generous
/// limits and local browsers on loopback, the public defaults and no browser anywhere else.
#[test]
fn unset_limits_and_origins_depend_on_the_bind_address() {
    let public = [
        Limit::per_minute(10),
        Limit::per_hour(50),
        Limit::per_day(250),
    ];
    let generous = [
        Limit::per_minute(120),
        Limit::per_hour(2_000),
        Limit::per_day(10_000),
    ];
    for (flags, limits, origins) in [
        (
            &["--bind-addr", "127.0.0.1:8080"][..],
            &generous,
            AllowedOrigins::Loopback,
        ),
        (
            &["--bind-addr", "[::1]:8080"][..],
            &generous,
            AllowedOrigins::Loopback,
        ),
        (
            &["--bind-addr", "0.0.0.0:8080"][..],
            &public,
            AllowedOrigins::Only(Vec::new()),
        ),
        (
            &["--port", "10000"][..],
            &public,
            AllowedOrigins::Only(Vec::new()),
        ),
    ] {
        let config = config(flags).unwrap();
        assert_eq!(config.rate_limits(), limits, "{flags:?}");
        assert_eq!(config.http.allowed_origins(), origins, "{flags:?}");
    }
    // Set, they are what they say wherever the server listens.
    let set = config(&[
        "--bind-addr",
        "127.0.0.1:8080",
        "--rate-limits",
        "10/min",
        "--cors-allowed-origins",
        "",
    ])
    .unwrap();
    assert_eq!(set.rate_limits(), [Limit::per_minute(10)]);
    assert_eq!(set.http.allowed_origins(), AllowedOrigins::Only(Vec::new()));
    let off = config(&["--port", "10000", "--rate-limits", "off"]).unwrap();
    assert!(off.rate_limits().is_empty());
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
    assert_eq!(on.score_cache_bytes, Some(16 << 20));
    assert_eq!(on.cache_shares().scores, 16 << 20);
    assert_eq!(
        on.letterboxd.letterboxd_block_cooldown,
        Duration::from_secs(300)
    );
    let off = config(&["--score-cache", "off", "--letterboxd-block-cooldown", "0s"]).unwrap();
    assert_eq!(off.score_cache_bytes, Some(0));
    assert_eq!(off.cache_shares().scores, 0);
    assert_eq!(off.letterboxd.letterboxd_block_cooldown, Duration::ZERO);
}

#[test]
fn the_user_agent_must_name_a_contact() {
    let default = config(&[]).unwrap();
    assert_eq!(default.letterboxd.letterboxd_user_agent, None);
    let own = "reel/1.0 (+https://films.example.org/bot)";
    let set = config(&["--letterboxd-user-agent", own]).unwrap();
    assert_eq!(set.letterboxd.letterboxd_user_agent.as_deref(), Some(own));
    let mail = config(&["--letterboxd-user-agent", " reel (ops@films.example.org) "]).unwrap();
    assert_eq!(
        mail.letterboxd.letterboxd_user_agent.as_deref(),
        Some("reel (ops@films.example.org)")
    );
    for (bad, why) in [
        ("reel/1.0", "must name a contact"),
        ("", "1 to 256 characters"),
        ("reel\u{e9} https://x.example", "printable ASCII"),
    ] {
        let err = error(&["--letterboxd-user-agent", bad]);
        assert!(
            err.contains("LETTERBOXD_USER_AGENT") && err.contains(why),
            "{err}"
        );
    }
}

#[test]
fn the_language_model_needs_its_url_key_and_model_together() {
    let all = [
        "--llm-base-url",
        "http://127.0.0.1:8080/v1",
        "--llm-api-key",
        "sk-secret-key",
        "--llm-model",
        "small",
    ];
    let settings = config(&all).unwrap().llm.settings().unwrap();
    assert_eq!(settings.model, "small");
    assert_eq!(settings.timeout, std::time::Duration::from_millis(2500));
    assert_eq!(settings.api_key.to_string(), "[redacted]");
    assert!(!format!("{settings:?}").contains("sk-secret-key"));
    assert!(config(&[]).unwrap().llm.settings().is_none());
    for missing in [0, 2, 4] {
        let mut some = all.to_vec();
        some.drain(missing..missing + 2);
        let err = config(&some).unwrap_err();
        assert_eq!(
            err.kind(),
            clap::error::ErrorKind::MissingRequiredArgument,
            "{err}"
        );
        assert!(err.to_string().contains(&all[missing][2..]), "{err}");
        assert!(!err.to_string().contains("sk-secret-key"), "{err}");
    }
    assert!(error(&["--llm-timeout-ms", "0"]).starts_with("invalid LLM_TIMEOUT_MS `0`"));
}

#[test]
fn serve_reads_the_letterboxd_rate_limit_and_concurrency() {
    let set = config(&[
        "--letterboxd-rate-limit",
        "40",
        "--letterboxd-concurrency",
        "12",
    ])
    .unwrap();
    assert_eq!(set.letterboxd.letterboxd_rate_limit, 40);
    assert_eq!(set.letterboxd.letterboxd_concurrency, 12);
    let client = set.letterboxd.client_config();
    assert_eq!((client.requests_per_second, client.max_in_flight), (40, 12));
    for (flag, variable, bad) in [
        ("--letterboxd-rate-limit", "LETTERBOXD_RATE_LIMIT", "0"),
        ("--letterboxd-rate-limit", "LETTERBOXD_RATE_LIMIT", "100001"),
        ("--letterboxd-concurrency", "LETTERBOXD_CONCURRENCY", "0"),
        ("--letterboxd-concurrency", "LETTERBOXD_CONCURRENCY", "257"),
    ] {
        let message = error(&[flag, bad]);
        assert!(
            message.starts_with(&format!("invalid {variable} `{bad}`: ")),
            "{message}"
        );
    }
}

#[test]
fn the_memory_budget_is_split_and_score_cache_overrides_the_scores_share() {
    const MIB: u64 = 1 << 20;
    let budget = config(&["--memory-budget", "100MiB"]).unwrap();
    assert_eq!(budget.memory_budget.total(), 100 * MIB);
    let shares = budget.cache_shares();
    assert_eq!(
        (shares.memory, shares.profiles, shares.lookups),
        (25 * MIB, 15 * MIB, 10 * MIB)
    );
    assert_eq!(shares.scores, 50 * MIB);
    // With Redis the in-process shared cache's share goes to the predictions.
    let redis = config(&[
        "--memory-budget",
        "1GiB",
        "--redis-url",
        "redis://127.0.0.1:6379",
    ])
    .unwrap()
    .cache_shares();
    // 768 MiB, and the byte the others' rounding down left.
    assert_eq!((redis.scores / MIB, redis.memory), (768, 0));
    // SCORE_CACHE wins for the predictions; the others keep their shares of the budget.
    let both = config(&["--memory-budget", "100MiB", "--score-cache", "8MiB"])
        .unwrap()
        .cache_shares();
    assert_eq!((both.scores, both.profiles), (8 * MIB, 15 * MIB));
    let off = config(&["--score-cache", "off"]).unwrap().cache_shares();
    assert_eq!(off.scores, 0);
    for (bad, why) in [
        ("lots", "expected a size in bytes, KiB, MiB or GiB"),
        ("0", "expected a positive size"),
        ("off", "expected a size in bytes"),
        ("2MiB", "expected at least `4MiB`"),
    ] {
        let message = error(&["--memory-budget", bad]);
        assert!(
            message.starts_with(&format!("invalid MEMORY_BUDGET `{bad}`: {why}")),
            "{message}"
        );
    }
    let message = error(&["--score-cache", "lots"]);
    assert!(
        message.starts_with("invalid SCORE_CACHE `lots`: expected a size"),
        "{message}"
    );
}
