//! `reel serve`: validate the configuration, open the database (the embedded cluster or
//! `DATABASE_URL`, migrated), set up the cache, load the catalog, and serve HTTP until SIGTERM or
//! ctrl-c; then let in-flight requests finish and stop the embedded cluster cleanly.

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;

use crate::cache::{MemoryCache, RedisCache, SharedCache, redis};
use crate::catalog::CatalogHandle;
use crate::config::Config;
use crate::http::{AppState, Application};
use crate::store::Store;
use crate::telemetry;
use crate::wiring::ApiSettings;

pub async fn run(config: Config) -> anyhow::Result<()> {
    let started = Instant::now();
    telemetry::init(&config.log);
    let (store, embedded) = config
        .database
        .open()
        .await
        .context("cannot open the database")?;
    let served = serve(&config, store, started).await;
    if let Some(embedded) = embedded {
        // Stop the private cluster even when serving failed, so the next start finds it clean.
        embedded
            .stop()
            .await
            .context("cannot stop the embedded PostgreSQL")?;
    }
    served
}

async fn serve(config: &Config, store: Store, started: Instant) -> anyhow::Result<()> {
    let settings = ApiSettings::from_config(config);
    let caches = settings.caches;
    tracing::info!(
        memory_budget_bytes = config.memory_budget.total(),
        scores_bytes = caches.scores,
        memory_cache_bytes = caches.memory,
        profiles_bytes = caches.profiles,
        lookups_bytes = caches.lookups,
        "in-memory caches sized (MEMORY_BUDGET{})",
        if config.score_cache_bytes.is_some() {
            "; SCORE_CACHE sets the scores'"
        } else {
            ""
        }
    );
    let cache = cache(config, caches.memory).await?;
    let catalog = CatalogHandle::empty();
    if let Err(err) = catalog.reload(&store).await {
        // Not fatal: the poller retries, and /health/ready answers 503 until a load succeeds.
        tracing::error!(
            error = format!("{err:#}"),
            "cannot load the catalog at start"
        );
    }
    let poller = catalog.spawn_poller(store.clone(), config.catalog_poll_interval);
    let api = crate::wiring::Api::build(settings, &store, &cache, &catalog)
        .await
        .context("cannot set up the API's services")?;
    let model_poller = api.spawn_general_model_poller(store.clone(), config.catalog_poll_interval);
    let services = api.services.clone();
    let use_flusher = services.spawn_use_flusher();
    let upload_sweeper = services.spawn_upload_sweeper();
    let mut state = AppState::new(store, cache, catalog, config.admin_token.clone());
    let setup = start_setup(config, &state, &api);
    state.api = Some(api);
    let app = Application::build(config.http.clone(), state, crate::router::configure)
        .with_context(|| format!("cannot listen on {}", config.http.bind_addr.socket_addr()))?;
    // What a developer on localhost needs to know first: which browsers get in, how much.
    tracing::info!(
        address = %app.local_addr(),
        startup_ms = crate::telemetry::millis(started.elapsed()),
        cors_allowed_origins = ?config.http.allowed_origins(),
        rate_limits = %crate::limits::headers::policy(&config.rate_limits()),
        "listening"
    );
    let served = app.run_until_stopped().await;
    poller.abort();
    model_poller.abort();
    use_flusher.abort();
    upload_sweeper.abort();
    // Uses counted since the last flush would be lost with the process.
    if let Err(err) = services.flush_uses().await {
        tracing::error!(error = %err, "uses counted in memory could not be written");
    }
    if let Some(setup) = setup
        && !setup.is_finished()
    {
        // The setup resumes at the next start: what it had not finished is still missing.
        tracing::info!("stopping with the first-run setup unfinished; the next start resumes it");
    }
    tracing::info!("stopped serving");
    served.context("the HTTP server failed")
}

/// Starts the first-run setup when a dataset is found (`AUTO_SETUP`, `SETUP_DATASET`); it builds
/// only what is missing. Without a dataset, says what to set when the catalog is empty.
fn start_setup(
    config: &Config,
    state: &AppState,
    api: &crate::wiring::Api,
) -> Option<std::thread::JoinHandle<()>> {
    let Some(dataset) = config.setup.dataset() else {
        let empty = state
            .catalog
            .current()
            .is_some_and(|loaded| loaded.catalog.is_empty());
        if empty && config.setup.auto_setup {
            tracing::warn!(
                default = crate::config::setup::DEFAULT_DATASET,
                "first-run setup: no dataset found to fill the empty catalog; set SETUP_DATASET to \
                 a letterboxd-1m style directory, or import one with `reel import`"
            );
        }
        return None;
    };
    tracing::info!(
        setup.films = %dataset.films.display(),
        setup.ratings = %dataset.ratings.display(),
        "first-run setup: building what is missing from the dataset in the background \
         (AUTO_SETUP=off turns it off)"
    );
    let setup = crate::cli::first_run::FirstRun {
        dataset,
        store: state.store.clone(),
        catalog: state.catalog.clone(),
        api: Some(api.clone()),
        status: state.setup.clone(),
    };
    match setup.spawn() {
        Ok(handle) => Some(handle),
        Err(err) => {
            tracing::error!(error = %err, "first-run setup: cannot start its thread");
            None
        }
    }
}

/// Redis when `REDIS_URL` is set, else the in-process cache of `memory_bytes` (its share of
/// `MEMORY_BUDGET`).
async fn cache(config: &Config, memory_bytes: u64) -> anyhow::Result<SharedCache> {
    let Some(url) = &config.redis_url else {
        tracing::info!("cache: in-process (no REDIS_URL)");
        return Ok(Arc::new(MemoryCache::new(memory_bytes)));
    };
    let redis = RedisCache::new(url.expose(), redis::DEFAULT_PREFIX)?;
    // A Redis that is down at start only means misses until it is up: say so, and go on.
    if redis.ping().await {
        tracing::info!("cache: Redis");
    }
    Ok(Arc::new(redis))
}
