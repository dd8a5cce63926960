//! Checks `render.yaml` against the binary: every command it runs is a real `reel` subcommand,
//! every service and cron gets the variables its command needs (secrets never as literals), and
//! every schedule is a valid cron expression on the cadence the jobs are meant to keep.
//!
//! The blueprint is read into typed structs that reject unknown fields, so a misspelt key
//! (`healthcheckPath`) fails here instead of being silently ignored by Render.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use clap::Parser;
use reel::cli::catalog::{CatalogCommand, SourceName};
use reel::cli::{Cli, Command};
use reel::config::parse_duration;

mod cron;
mod spec;

use cron::{is_daily, monthly_start_minute, validate_cron};
use spec::{Blueprint, Service};

/// Variables the service reads (issue #2's configuration). Kept here until the config module
/// lists them itself; then derive this from it.
const SERVE_ENV: &[&str] = &[
    "BIND_ADDR",
    "AUTO_SETUP",
    "DATABASE_URL",
    "REDIS_URL",
    "ADMIN_TOKEN",
    "CORS_ALLOWED_ORIGINS",
    "LETTERBOXD_BASE_URL",
    "LETTERBOXD_USER_AGENT",
    "TMDB_API_TOKEN",
    "LLM_BASE_URL",
    "LLM_API_KEY",
    "LLM_MODEL",
    "TRUSTED_PROXIES",
    "LOG_FORMAT",
    "RUST_LOG",
];
/// What every job needs: the store (without DATABASE_URL a job would try to start an embedded
/// PostgreSQL, which the image does not carry) and structured logs.
const JOB_ENV: &[&str] = &["DATABASE_URL", "LOG_FORMAT", "RUST_LOG"];
/// What the jobs that scrape need on top.
const SCRAPING_JOB_ENV: &[&str] = &[
    "DATABASE_URL",
    "LOG_FORMAT",
    "RUST_LOG",
    "LETTERBOXD_BASE_URL",
    "LETTERBOXD_USER_AGENT",
];
/// What the TMDB catalog sync needs on top of every job's.
const TMDB_JOB_ENV: &[&str] = &["DATABASE_URL", "LOG_FORMAT", "RUST_LOG", "TMDB_API_TOKEN"];
/// Values that must come from Render, never from the repository.
const SECRETS: &[&str] = &[
    "DATABASE_URL",
    "REDIS_URL",
    "ADMIN_TOKEN",
    "TMDB_API_TOKEN",
    "LLM_API_KEY",
];
/// Render stops a cron run after 12 hours.
const CRON_RUN_CAP: Duration = Duration::from_secs(12 * 3_600);

fn repo_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn blueprint() -> Blueprint {
    serde_yaml::from_str(&repo_file("render.yaml"))
        .unwrap_or_else(|err| panic!("render.yaml: {err}"))
}

/// The image's default command (its `CMD`), which a service without a dockerCommand runs.
fn image_cmd() -> Vec<String> {
    let dockerfile = repo_file("Dockerfile");
    let cmd = dockerfile
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("CMD "))
        .expect("the Dockerfile has a CMD");
    serde_json::from_str(cmd).expect("CMD is in exec (JSON array) form")
}

/// Splits a command line the way an exec-form command is run. Render may run it with or without a
/// shell; refusing shell syntax keeps both readings the same.
fn words(command: &str) -> Vec<String> {
    let shell_syntax = [
        '\'', '"', '$', '`', '&', '|', ';', '<', '>', '(', ')', '\\', '*',
    ];
    assert!(
        !command.contains(shell_syntax),
        "`{command}` uses shell syntax: run one `reel` subcommand per service"
    );
    command.split_whitespace().map(str::to_owned).collect()
}

fn parse(words: &[String]) -> Cli {
    assert_eq!(
        words.first().map(String::as_str),
        Some("reel"),
        "the image has no ENTRYPOINT: commands start with `reel`"
    );
    Cli::try_parse_from(words).unwrap_or_else(|err| panic!("`{}`: {err}", words.join(" ")))
}

/// What a deployed command needs in its environment; any other subcommand has no business in a
/// deployment.
fn required_env(cli: &Cli) -> &'static [&'static str] {
    match cli.command {
        Command::Serve(_) => SERVE_ENV,
        Command::Migrate(_) => &["DATABASE_URL"],
        Command::Catalog(CatalogCommand::Sync(ref sync)) if sync.source == SourceName::Tmdb => {
            TMDB_JOB_ENV
        }
        Command::Catalog(_) | Command::Ratings(_) => SCRAPING_JOB_ENV,
        Command::Train(_) | Command::Stats(_) | Command::Usage(_) => JOB_ENV,
        ref other => panic!("{other:?} is not meant to run in a deployment"),
    }
}

/// Every command a service runs, parsed, including the image default for a service that sets none.
fn service_commands(service: &Service) -> Vec<(String, Cli)> {
    let mut commands: Vec<(String, Cli)> = service
        .commands()
        .into_iter()
        .map(|(field, command)| (format!("{}.{field}", service.name), parse(&words(command))))
        .collect();
    if service.kind == "web" && service.docker_command.is_none() {
        commands.push((format!("{} (image CMD)", service.name), parse(&image_cmd())));
    }
    commands
}

/// `catalog refresh`: the subcommand path of a job command, without its flags.
fn job_name(command: &str) -> String {
    words(command)
        .iter()
        .skip(1)
        .take_while(|word| !word.starts_with('-'))
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_command_is_a_real_subcommand() {
    let blueprint = blueprint();
    let mut seen = 0;
    for service in &blueprint.services {
        seen += service_commands(service).len();
    }
    // The web service's migrate and serve, and four crons.
    assert!(seen >= 6, "only {seen} commands found");
}

#[test]
fn web_service_migrates_before_deploy_and_is_probed_for_readiness() {
    let blueprint = blueprint();
    let web: Vec<&Service> = blueprint
        .services
        .iter()
        .filter(|s| s.kind == "web")
        .collect();
    assert_eq!(web.len(), 1, "one web service");
    let web = web[0];
    assert_eq!(web.runtime.as_deref(), Some("docker"));
    assert_eq!(web.health_check_path.as_deref(), Some("/health/ready"));
    let migrate = parse(&words(web.pre_deploy_command.as_deref().unwrap()));
    assert!(matches!(migrate.command, Command::Migrate(_)));
    let commands = service_commands(web);
    assert!(
        commands
            .iter()
            .any(|(_, cli)| matches!(cli.command, Command::Serve(_)))
    );

    // Production never imports from a local path.
    assert_eq!(web.literal("AUTO_SETUP").as_deref(), Some("off"));
    let bind = web.literal("BIND_ADDR").expect("BIND_ADDR is set");
    let (host, port) = bind.rsplit_once(':').unwrap();
    assert_eq!(host, "0.0.0.0");
    assert_eq!(
        web.literal("PORT").as_deref(),
        Some(port),
        "PORT must match BIND_ADDR"
    );
}

#[test]
fn every_service_gets_the_variables_its_commands_need() {
    let blueprint = blueprint();
    for service in &blueprint.services {
        let keys: Vec<&str> = service
            .env_vars
            .iter()
            .map(|var| var.key.as_str())
            .collect();
        let unique: BTreeSet<&str> = keys.iter().copied().collect();
        assert_eq!(
            unique.len(),
            keys.len(),
            "{}: duplicate keys {keys:?}",
            service.name
        );
        for (origin, cli) in service_commands(service) {
            for key in required_env(&cli) {
                assert!(unique.contains(key), "{origin} needs {key}");
            }
        }
    }
}

#[test]
fn variables_come_from_the_right_place_and_secrets_are_never_committed() {
    let blueprint = blueprint();
    let databases: BTreeSet<&str> = blueprint
        .databases
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let key_values: BTreeSet<&str> = blueprint
        .services
        .iter()
        .filter(|s| s.kind == "keyvalue")
        .map(|s| s.name.as_str())
        .collect();
    for service in &blueprint.services {
        for var in &service.env_vars {
            let at = format!("{}.{}", service.name, var.key);
            let sources = [
                var.value.is_some(),
                var.generate_value == Some(true),
                var.sync == Some(false),
                var.from_database.is_some(),
                var.from_service.is_some(),
            ];
            assert_eq!(
                sources.iter().filter(|s| **s).count(),
                1,
                "{at}: one source"
            );
            if SECRETS.contains(&var.key.as_str()) {
                assert!(
                    var.value.is_none(),
                    "{at} is a secret committed as a literal"
                );
            }
            match var.key.as_str() {
                "DATABASE_URL" => {
                    let from = var
                        .from_database
                        .as_ref()
                        .expect("DATABASE_URL fromDatabase");
                    assert!(
                        databases.contains(from.name.as_str()),
                        "{at}: unknown database"
                    );
                    assert_eq!(from.property, "connectionString", "{at}");
                }
                "REDIS_URL" => {
                    let from = var.from_service.as_ref().expect("REDIS_URL fromService");
                    assert_eq!(from.kind, "keyvalue", "{at}");
                    assert!(
                        key_values.contains(from.name.as_str()),
                        "{at}: unknown keyvalue"
                    );
                    assert_eq!(from.property.as_deref(), Some("connectionString"), "{at}");
                    assert_eq!(from.env_var_key, None, "{at}");
                }
                "ADMIN_TOKEN" => assert_eq!(var.generate_value, Some(true), "{at}"),
                // Each operator's own contact, never the repository's.
                "LETTERBOXD_USER_AGENT" => assert_eq!(var.sync, Some(false), "{at}"),
                // Each operator's own model and key, or none.
                "LLM_BASE_URL" | "LLM_API_KEY" | "LLM_MODEL" => {
                    assert_eq!(var.sync, Some(false), "{at}");
                }
                "LOG_FORMAT" => assert_eq!(service.literal("LOG_FORMAT").as_deref(), Some("json")),
                _ => {}
            }
        }
    }
}

#[test]
fn stores_are_reachable_only_from_the_private_network() {
    let blueprint = blueprint();
    assert_eq!(blueprint.databases.len(), 1);
    for database in &blueprint.databases {
        assert!(
            matches!(&database.ip_allow_list, Some(list) if list.is_empty()),
            "{}",
            database.name
        );
    }
    let key_values: Vec<&Service> = blueprint
        .services
        .iter()
        .filter(|s| s.kind == "keyvalue")
        .collect();
    assert_eq!(key_values.len(), 1);
    for key_value in key_values {
        // Render requires the field on Key Value instances; empty means internal connections only.
        assert!(matches!(&key_value.ip_allow_list, Some(list) if list.is_empty()));
    }
}

/// The schedules of the crons, by job (`catalog refresh` -> `0 2 21 * *`).
fn cron_schedules(blueprint: &Blueprint) -> Vec<(String, &Service, &str)> {
    blueprint
        .services
        .iter()
        .filter(|service| service.kind == "cron")
        .map(|service| {
            let command = service
                .docker_command
                .as_deref()
                .unwrap_or_else(|| panic!("{} has no dockerCommand", service.name));
            let schedule = service
                .schedule
                .as_deref()
                .unwrap_or_else(|| panic!("{} has no schedule", service.name));
            (job_name(command), service, schedule)
        })
        .collect()
}

#[test]
fn every_job_runs_on_its_cadence() {
    let blueprint = blueprint();
    let crons = cron_schedules(&blueprint);
    let schedule_of = |job: &str| -> &str {
        let matching: Vec<&str> = crons
            .iter()
            .filter(|(name, ..)| name == job)
            .map(|(.., s)| *s)
            .collect();
        assert_eq!(matching.len(), 1, "expected one cron running `{job}`");
        matching[0]
    };
    for (job, service, schedule) in &crons {
        assert_eq!(
            validate_cron(schedule),
            Ok(()),
            "{}: `{schedule}`",
            service.name
        );
        assert_eq!(
            service.runtime.as_deref(),
            Some("docker"),
            "{}",
            service.name
        );
        assert!(!job.is_empty(), "{}", service.name);
    }

    const DAY: u32 = 24 * 60;
    let day_of_month =
        |job: &str| monthly_start_minute(schedule_of(job)).map(|minute| minute / DAY + 1);
    assert_eq!(
        day_of_month("catalog sync"),
        Some(21),
        "catalog sync: the 21st"
    );
    assert_eq!(
        day_of_month("stats refresh"),
        Some(1),
        "statistics: the 1st"
    );
    assert!(
        is_daily(schedule_of("usage snapshot")),
        "usage snapshot: daily"
    );

    // The general model trains after the catalog sync has ended, which it has by Render's run
    // cap, so it lines up with the catalog its ratings point into.
    let train = monthly_start_minute(schedule_of("train general")).expect("train general: monthly");
    let catalog = monthly_start_minute(schedule_of("catalog sync")).unwrap();
    let cap = u32::try_from(CRON_RUN_CAP.as_secs() / 60).unwrap();
    assert!(
        train >= catalog + cap,
        "train general starts before the catalog sync has ended"
    );
    // Nothing scrapes Letterboxd on a schedule: its terms forbid automated collection.
    for (job, service, _) in &crons {
        assert!(
            !matches!(
                job.as_str(),
                "catalog refresh" | "catalog seed" | "ratings refresh"
            ),
            "{}: `{job}` scrapes Letterboxd",
            service.name
        );
    }
    // Days 29-31 do not exist every month: a monthly job there would skip months.
    for minute in [catalog, train] {
        assert!(minute / DAY < 28, "scheduled after the 28th");
    }
}

#[test]
fn crawl_crons_stop_claiming_work_before_the_run_cap() {
    let blueprint = blueprint();
    for (job, service, _) in cron_schedules(&blueprint) {
        if !(job.ends_with("refresh") || job.ends_with("sync")) || job == "stats refresh" {
            continue;
        }
        let words = words(service.docker_command.as_deref().unwrap());
        let budget = words
            .iter()
            .skip_while(|word| *word != "--budget")
            .nth(1)
            .unwrap_or_else(|| panic!("{}: a crawl cron needs --budget", service.name));
        let budget = parse_duration(budget).unwrap();
        assert!(
            budget + Duration::from_secs(30 * 60) <= CRON_RUN_CAP,
            "{}: --budget leaves under 30 minutes to wind down before the 12 h cap",
            service.name
        );
    }
}

/// Every image service deploys once checks pass, and rebuilds only when what the image is built
/// from changes.
#[test]
fn docker_services_deploy_after_checks_and_only_for_code_changes() {
    let blueprint = blueprint();
    let paths = [
        "api/**",
        "model/**",
        "scraper/**",
        "Cargo.toml",
        "Cargo.lock",
        "Dockerfile",
        "rust-toolchain.toml",
    ];
    let docker: Vec<&Service> = blueprint
        .services
        .iter()
        .filter(|service| service.runtime.as_deref() == Some("docker"))
        .collect();
    assert!(!docker.is_empty());
    for service in docker {
        let at = &service.name;
        assert_eq!(
            service.auto_deploy_trigger.as_deref(),
            Some("checksPass"),
            "{at}"
        );
        let filter = service.build_filter.as_ref().expect("a buildFilter");
        assert_eq!(filter.paths, paths, "{at}");
        assert_eq!(filter.ignored_paths, ["docs/**", "**/*.md"], "{at}");
    }
}

/// On Render behind Cloudflare the peer is Render's proxy and `X-Forwarded-For` reads
/// `client, cloudflare-edge`: the Blueprint's `TRUSTED_PROXIES` must find the client across both
/// hops, or every user shares one rate-limit key.
#[test]
fn the_web_service_finds_each_client_behind_render_and_cloudflare() {
    use reel::limits::{ClientIp, TrustedProxies};
    let blueprint = blueprint();
    let web = blueprint
        .services
        .iter()
        .find(|service| service.kind == "web")
        .unwrap();
    let trusted: TrustedProxies = web.literal("TRUSTED_PROXIES").unwrap().parse().unwrap();
    let render_proxy = "10.214.3.7".parse().unwrap();
    for (forwarded, client) in [
        ("198.51.100.7, 172.68.14.2", "198.51.100.7"),
        ("2001:db8::7, 2a06:98c0:3600::103", "2001:db8::7"),
    ] {
        let resolved = ClientIp::resolve(render_proxy, Some(forwarded), &trusted);
        assert_eq!(resolved, ClientIp(client.parse().unwrap()), "{forwarded}");
    }
}
