//! `GET /health/live` (the process answers) and `GET /health/ready` (it can serve: database
//! reachable, schema current, catalog loaded). Orchestrators restart on the first and route on the
//! second. Both answer `HEAD` too, for uptime monitors.

use std::fmt;
use std::sync::atomic::Ordering;
use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::error::ApiError;
use crate::catalog::EMPTY_HINT as CATALOG_EMPTY_HINT;

/// A probe must answer quickly even when the database hangs: past this, the check fails.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// The outcome of one readiness check: `ok` (passed), `failed` (the service cannot serve until it
/// passes) or `skipped` (not run because a check it depends on failed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Passed.
    Ok,
    /// Failed: the service cannot serve until it passes.
    Failed,
    /// Not run because a check it depends on failed (no migration count without a database).
    Skipped,
}

/// Every readiness check by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Readiness {
    /// The database answers a ping within 2 s.
    pub database: Check,
    /// Every migration this build knows is applied.
    pub migrations: Check,
    /// A film catalog is loaded.
    pub catalog: Check,
}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        [self.database, self.migrations, self.catalog]
            .iter()
            .all(|check| *check == Check::Ok)
    }
}

impl fmt::Display for Readiness {
    /// The failing checks, in words: `database unreachable, catalog not loaded`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let failing: Vec<&str> = [
            (self.database, "database unreachable"),
            (self.migrations, "migrations pending"),
            (self.catalog, "catalog not loaded"),
        ]
        .into_iter()
        .filter(|(check, _)| *check == Check::Failed)
        .map(|(_, words)| words)
        .collect();
        f.write_str(&failing.join(", "))
    }
}

/// `GET /health/live`'s answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Liveness {
    /// Always `ok`.
    #[schema(example = "ok")]
    status: &'static str,
}

/// `GET /health/ready`'s answer when ready.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ready {
    /// Always `ok`.
    #[schema(example = "ok")]
    status: &'static str,
    checks: Readiness,
    /// The version of the film catalog in use.
    #[schema(example = 3)]
    catalog_version: Option<i64>,
    /// How many films that catalog holds.
    #[schema(example = 9745)]
    catalog_films: Option<usize>,
    /// Data the service can serve without but answers less well for, with what the operator runs
    /// to add it; empty when nothing is missing.
    missing: Vec<MissingData>,
    /// The first-run setup, which builds missing data from a dataset in the background.
    setup: super::SetupState,
}

/// Data that is absent, so some answers are poorer or refused until it is added.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissingData {
    /// `catalog_films` (the catalog holds no film: uploads are refused with `catalog_empty`),
    /// `general_model` (none trained: `model: default` serves each member's own forest, `model:
    /// general` answers `model_not_loaded`, lists are ordered by predicted rating) or
    /// `member_statistics` (none computed: statistics have no percentiles).
    #[schema(example = "general_model")]
    what: &'static str,
    /// What to run to add it, or that the first-run setup is building it.
    #[schema(example = "reel train general")]
    fix: &'static str,
}

/// The process is up.
///
/// Answers as long as the process serves HTTP, whatever the state of its dependencies: for
/// liveness probes, which restart the process when it fails.
#[utoipa::path(get, path = "/health/live", tag = "health",
    responses((status = 200, description = "The process is up", body = Liveness)))]
pub async fn get_liveness() -> HttpResponse {
    HttpResponse::Ok().json(Liveness { status: "ok" })
}

/// The database is reachable, migrations are applied and the catalog is loaded.
///
/// For readiness probes and load balancers: 200 when the service can answer requests, otherwise
/// 503 `not_ready` with the result of each check in `checks`.
#[utoipa::path(get, path = "/health/ready", tag = "health",
    responses(
        (status = 200, description = "Ready: the checks, catalog version and size", body = Ready),
        (status = 503, description = "`not_ready`, naming the failing checks", body = crate::http::ProblemView, content_type = "application/problem+json"),
    ))]
pub async fn get_readiness(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let readiness = check(&state).await;
    if !readiness.is_ready() {
        return Err(ApiError::NotReady(readiness));
    }
    let catalog = state.catalog.current();
    let setup = state.setup.get();
    let fix = |run: &'static str| {
        if setup.is_running() {
            SETUP_BUILDS_IT
        } else {
            run
        }
    };
    let mut missing = Vec::new();
    if let Some(loaded) = &catalog {
        if loaded.catalog.is_empty() {
            missing.push(MissingData {
                what: "catalog_films",
                fix: fix(CATALOG_EMPTY_HINT),
            });
        } else if state
            .api
            .as_ref()
            .is_some_and(|api| !api.services.general_model_serves(&loaded.catalog))
        {
            missing.push(MissingData {
                what: "general_model",
                fix: fix("reel train general"),
            });
        }
    }
    if !statistics_stored(&state).await || matches!(setup, super::SetupState::Statistics) {
        missing.push(MissingData {
            what: "member_statistics",
            fix: fix("reel stats refresh"),
        });
    }
    Ok(HttpResponse::Ok().json(Ready {
        status: "ok",
        checks: readiness,
        catalog_version: catalog.as_ref().map(|loaded| loaded.version),
        catalog_films: catalog.as_ref().map(|loaded| loaded.catalog.len()),
        missing,
        setup,
    }))
}

/// What `fix` says of data the first-run setup is building.
const SETUP_BUILDS_IT: &str = "the first-run setup is building it (see `setup`)";

/// Whether member statistics are stored; asked of the store until they are (a failed query
/// counts as stored: the database check reports the store's health).
async fn statistics_stored(state: &AppState) -> bool {
    if state.statistics_stored.load(Ordering::Relaxed) {
        return true;
    }
    match tokio::time::timeout(CHECK_TIMEOUT, state.store.has_stats_snapshots()).await {
        Ok(Ok(stored)) => {
            state.statistics_stored.store(stored, Ordering::Relaxed);
            stored
        }
        Ok(Err(_)) | Err(_) => true,
    }
}

/// The liveness probe without a body.
///
/// For uptime monitors that probe with `HEAD`: the status of `GET /health/live`, no body.
#[utoipa::path(head, path = "/health/live", tag = "health",
    responses((status = 200, description = "The process is up")))]
pub async fn head_liveness() -> HttpResponse {
    HttpResponse::Ok().finish()
}

/// The readiness probe without a body.
///
/// For uptime monitors that probe with `HEAD`: the status of `GET /health/ready` (200 or 503),
/// no body.
#[utoipa::path(head, path = "/health/ready", tag = "health",
    responses(
        (status = 200, description = "Ready"),
        (status = 503, description = "Not ready: `GET /health/ready` names the failing checks"),
    ))]
pub async fn head_readiness(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // actix-web sends no body in answer to HEAD, whatever the handler returns.
    get_readiness(state).await
}

async fn check(state: &AppState) -> Readiness {
    let database = match tokio::time::timeout(CHECK_TIMEOUT, state.store.ping()).await {
        Ok(Ok(())) => Check::Ok,
        Ok(Err(err)) => {
            tracing::warn!(
                error = format!("{err:#}"),
                "readiness: database ping failed"
            );
            Check::Failed
        }
        Err(_) => {
            tracing::warn!(
                timeout_ms = crate::telemetry::millis(CHECK_TIMEOUT),
                "readiness: database ping timed out"
            );
            Check::Failed
        }
    };
    let migrations = if database != Check::Ok {
        Check::Skipped
    } else if state.migrations_current.load(Ordering::Relaxed) {
        Check::Ok
    } else {
        match tokio::time::timeout(CHECK_TIMEOUT, state.store.pending_migrations()).await {
            Ok(Ok(0)) => {
                state.migrations_current.store(true, Ordering::Relaxed);
                Check::Ok
            }
            Ok(Ok(pending)) => {
                tracing::warn!(pending, "readiness: migrations pending");
                Check::Failed
            }
            Ok(Err(err)) => {
                tracing::warn!(
                    error = format!("{err:#}"),
                    "readiness: cannot count migrations"
                );
                Check::Failed
            }
            Err(_) => Check::Failed,
        }
    };
    let catalog = if state.catalog.current().is_some() {
        Check::Ok
    } else {
        Check::Failed
    };
    Readiness {
        database,
        migrations,
        catalog,
    }
}
