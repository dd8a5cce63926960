//! The service's Prometheus metrics, in one registry that `GET /metrics` renders: request count and
//! latency per route pattern and status (actix-web-prom, registered on this registry), and the
//! domain metrics below.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::Duration;

use prometheus::core::Collector;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use crate::domain::ModelChoice;

struct Metrics {
    registry: Registry,
    profile_cache: IntCounterVec,
    profile_misses: IntCounterVec,
    score_cache: IntCounterVec,
    train_seconds: HistogramVec,
    predict_seconds: HistogramVec,
    letterboxd_requests: IntCounterVec,
    tmdb_requests: IntCounterVec,
    llm_requests: IntCounterVec,
    cache_operations: IntCounterVec,
    rate_limit_fallbacks: IntCounter,
    catalog_films: IntGauge,
    members_known: IntGauge,
    /// Last totals read from counters kept elsewhere (cache, Letterboxd client), so each scrape
    /// of `/metrics` adds only what is new.
    seen: Mutex<HashMap<String, u64>>,
}

const MODEL_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

fn build() -> Result<Metrics, prometheus::Error> {
    let registry = Registry::new();
    let profile_cache = IntCounterVec::new(
        Opts::new(
            "reel_profile_cache_lookups_total",
            "Profile cache lookups by result (hit or miss).",
        ),
        &["result"],
    )?;
    let profile_misses = IntCounterVec::new(
        Opts::new(
            "reel_profile_misses_total",
            "Profile cache misses by outcome: served from the stored last scrape, scrape refused \
             (queue too long for the deadline), stored profile refreshed in the background.",
        ),
        &["outcome"],
    )?;
    let score_cache = IntCounterVec::new(
        Opts::new(
            "reel_score_cache_lookups_total",
            "Lookups of a member's kept predictions by result (hit, or miss: trained).",
        ),
        &["result"],
    )?;
    let train_seconds = HistogramVec::new(
        HistogramOpts::new(
            "reel_model_train_seconds",
            "Time to train one member's model.",
        )
        .buckets(MODEL_BUCKETS.to_vec()),
        &["model"],
    )?;
    let predict_seconds = HistogramVec::new(
        HistogramOpts::new(
            "reel_model_predict_seconds",
            "Time for a freshly trained model to score the whole catalog.",
        )
        .buckets(MODEL_BUCKETS.to_vec()),
        &["model"],
    )?;
    let letterboxd_requests = IntCounterVec::new(
        Opts::new(
            "reel_letterboxd_requests_total",
            "Requests to Letterboxd by page kind and outcome.",
        ),
        &["kind", "outcome"],
    )?;
    let tmdb_requests = IntCounterVec::new(
        Opts::new(
            "reel_tmdb_requests_total",
            "Requests to TMDB by endpoint and outcome (export rows looked up by title and year).",
        ),
        &["endpoint", "outcome"],
    )?;
    let llm_requests = IntCounterVec::new(
        Opts::new(
            "reel_llm_requests_total",
            "Descriptions sent to the language model by outcome (answered, timeout, unavailable, \
             invalid_answer); readings kept in process are not counted.",
        ),
        &["outcome"],
    )?;
    let cache_operations = IntCounterVec::new(
        Opts::new(
            "reel_cache_operations_total",
            "Cache reads by result (hit, miss) and backend errors, by backend.",
        ),
        &["backend", "result"],
    )?;
    let rate_limit_fallbacks = IntCounter::new(
        "reel_rate_limit_fallbacks_total",
        "Rate-limit charges Redis did not answer in time, charged to this process's limiter \
         instead (the limits are per replica meanwhile).",
    )?;
    let catalog_films = IntGauge::new("reel_catalog_films", "Films in the loaded catalog.")?;
    let members_known = IntGauge::new("reel_members_known", "Members the store knows.")?;
    registry.register(Box::new(build_info()?))?;
    // CPU, memory, open files and start time of this process, from /proc.
    #[cfg(target_os = "linux")]
    registry.register(Box::new(
        prometheus::process_collector::ProcessCollector::for_self(),
    ))?;
    registry.register(Box::new(profile_cache.clone()))?;
    registry.register(Box::new(profile_misses.clone()))?;
    registry.register(Box::new(score_cache.clone()))?;
    registry.register(Box::new(train_seconds.clone()))?;
    registry.register(Box::new(predict_seconds.clone()))?;
    registry.register(Box::new(letterboxd_requests.clone()))?;
    registry.register(Box::new(tmdb_requests.clone()))?;
    registry.register(Box::new(llm_requests.clone()))?;
    registry.register(Box::new(cache_operations.clone()))?;
    registry.register(Box::new(rate_limit_fallbacks.clone()))?;
    registry.register(Box::new(catalog_films.clone()))?;
    registry.register(Box::new(members_known.clone()))?;
    Ok(Metrics {
        registry,
        profile_cache,
        profile_misses,
        score_cache,
        train_seconds,
        predict_seconds,
        letterboxd_requests,
        tmdb_requests,
        llm_requests,
        cache_operations,
        rate_limit_fallbacks,
        catalog_films,
        members_known,
        seen: Mutex::default(),
    })
}

/// `reel_build_info{version, commit} 1`: which build is running, to join with other series. The
/// commit is known when the build set `REEL_GIT_COMMIT` (the Dockerfile takes it as a build arg).
fn build_info() -> Result<IntGauge, prometheus::Error> {
    let mut opts = Opts::new("reel_build_info", "The running build; always 1.")
        .const_label("version", env!("CARGO_PKG_VERSION"));
    if let Some(commit) = option_env!("REEL_GIT_COMMIT").filter(|commit| !commit.is_empty()) {
        opts = opts.const_label("commit", commit);
    }
    let gauge = IntGauge::with_opts(opts)?;
    gauge.set(1);
    Ok(gauge)
}

/// HTTP latency buckets, in seconds: up to past the 120 s request deadline (the longest a
/// request runs before its 504), so slow requests are not all lumped into `+Inf`.
const HTTP_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 180.0,
];

static METRICS: LazyLock<Option<Metrics>> = LazyLock::new(|| match build() {
    Ok(metrics) => Some(metrics),
    Err(err) => {
        // Only a programming error (a duplicate name) gets here; serve without metrics then.
        tracing::error!(error = %err, "metrics registry not built");
        None
    }
});

fn with(f: impl FnOnce(&Metrics)) {
    if let Some(metrics) = METRICS.as_ref() {
        f(metrics);
    }
}

/// The registry actix-web-prom records HTTP requests in.
pub fn registry() -> Registry {
    METRICS
        .as_ref()
        .map_or_else(Registry::new, |metrics| metrics.registry.clone())
}

pub fn profile_cache(hit: bool) {
    with(|m| {
        m.profile_cache
            .with_label_values(&[if hit { "hit" } else { "miss" }])
            .inc();
    });
}

/// What became of a profile cache miss besides a scrape in the request.
#[derive(Debug, Clone, Copy)]
pub enum ProfileMiss {
    Stored,
    Shed,
    Refreshed,
}

pub fn profile_miss(outcome: ProfileMiss) {
    let label = match outcome {
        ProfileMiss::Stored => "stored",
        ProfileMiss::Shed => "shed",
        ProfileMiss::Refreshed => "refreshed",
    };
    with(|m| m.profile_misses.with_label_values(&[label]).inc());
}

pub fn score_cache(hit: bool) {
    with(|m| {
        m.score_cache
            .with_label_values(&[if hit { "hit" } else { "miss" }])
            .inc();
    });
}

pub fn model_trained(model: ModelChoice, took: Duration) {
    with(|m| {
        m.train_seconds
            .with_label_values(&[model.name()])
            .observe(took.as_secs_f64());
    });
}

pub fn model_predicted(model: ModelChoice, took: Duration) {
    with(|m| {
        m.predict_seconds
            .with_label_values(&[model.name()])
            .observe(took.as_secs_f64());
    });
}

/// Brings a counter kept elsewhere up to `total`.
fn catch_up(m: &Metrics, counter: &IntCounterVec, labels: &[&str], total: u64) {
    let key = format!("{}{labels:?}", counter.desc()[0].fq_name);
    let mut seen = m.seen.lock().unwrap_or_else(PoisonError::into_inner);
    let before = seen.insert(key, total).unwrap_or(0);
    counter
        .with_label_values(labels)
        .inc_by(total.saturating_sub(before));
}

pub fn letterboxd_requests(kind: &str, outcome: &str, total: u64) {
    with(|m| catch_up(m, &m.letterboxd_requests, &[kind, outcome], total));
}

pub fn tmdb_requests(endpoint: &str, outcome: &str, total: u64) {
    with(|m| catch_up(m, &m.tmdb_requests, &[endpoint, outcome], total));
}

/// One description sent to the language model, and its outcome.
pub fn llm_request(outcome: &str) {
    with(|m| m.llm_requests.with_label_values(&[outcome]).inc());
}

pub fn cache_operations(backend: &str, hits: u64, misses: u64, errors: u64) {
    with(|m| {
        catch_up(m, &m.cache_operations, &[backend, "hit"], hits);
        catch_up(m, &m.cache_operations, &[backend, "miss"], misses);
        catch_up(m, &m.cache_operations, &[backend, "error"], errors);
    });
}

/// A rate-limit charge that fell back to the process limiter because Redis did not answer.
pub fn rate_limit_fallback() {
    with(|m| m.rate_limit_fallbacks.inc());
}

pub fn catalog_films(films: usize) {
    with(|m| {
        m.catalog_films
            .set(i64::try_from(films).unwrap_or(i64::MAX))
    });
}

pub fn members_known(members: u64) {
    with(|m| {
        m.members_known
            .set(i64::try_from(members).unwrap_or(i64::MAX))
    });
}

/// One in-memory cache of this process as `/metrics` shows it: what it holds and may hold, and
/// its lookups since start, so a dashboard divides hits by lookups for its hit rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheUsage {
    /// The `cache` label: `scores`, `profiles`, `memory`, `film_lookups`, `readings`.
    pub cache: &'static str,
    /// Its weighted size now (estimated from its entry count for the count-bounded ones).
    pub bytes: u64,
    /// Its share of `MEMORY_BUDGET`.
    pub capacity_bytes: u64,
    pub hits: u64,
    pub misses: u64,
}

/// `reel_cache_bytes`, `reel_cache_capacity_bytes` and `reel_cache_lookups_total` for `caches`,
/// read from the caches at scrape time. A registry of their own per scrape: the caches belong to
/// the server that renders them (a test process runs many), and their counters already count
/// since start.
fn cache_families(
    caches: &[CacheUsage],
) -> Result<Vec<prometheus::proto::MetricFamily>, prometheus::Error> {
    let registry = Registry::new();
    let bytes = IntGaugeVec::new(
        Opts::new(
            "reel_cache_bytes",
            "Bytes an in-memory cache holds now (moka's weighted size; entries times their \
             documented size for the caches bounded by count).",
        ),
        &["cache"],
    )?;
    let capacity = IntGaugeVec::new(
        Opts::new(
            "reel_cache_capacity_bytes",
            "Bytes an in-memory cache may hold: its share of MEMORY_BUDGET (SCORE_CACHE for the \
             scores when set).",
        ),
        &["cache"],
    )?;
    let lookups = IntCounterVec::new(
        Opts::new(
            "reel_cache_lookups_total",
            "Lookups in an in-memory cache by result (hit or miss), since start.",
        ),
        &["cache", "result"],
    )?;
    let gauge = |value: u64| i64::try_from(value).unwrap_or(i64::MAX);
    for cache in caches {
        bytes
            .with_label_values(&[cache.cache])
            .set(gauge(cache.bytes));
        capacity
            .with_label_values(&[cache.cache])
            .set(gauge(cache.capacity_bytes));
        lookups
            .with_label_values(&[cache.cache, "hit"])
            .inc_by(cache.hits);
        lookups
            .with_label_values(&[cache.cache, "miss"])
            .inc_by(cache.misses);
    }
    registry.register(Box::new(bytes))?;
    registry.register(Box::new(capacity))?;
    registry.register(Box::new(lookups))?;
    Ok(registry.gather())
}

/// Every metric in the Prometheus text format.
pub fn render() -> Result<String, prometheus::Error> {
    render_with(&[])
}

/// Every metric in the Prometheus text format, with `caches` as they are now.
pub fn render_with(caches: &[CacheUsage]) -> Result<String, prometheus::Error> {
    let mut families = METRICS
        .as_ref()
        .map(|m| m.registry.gather())
        .unwrap_or_default();
    if !caches.is_empty() {
        families.extend(cache_families(caches)?);
    }
    let mut out = Vec::new();
    TextEncoder::new().encode(&families, &mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn http_builder(registry: Registry) -> actix_web_prom::PrometheusMetricsBuilder {
    actix_web_prom::PrometheusMetricsBuilder::new("reel")
        .registry(registry)
        .buckets(HTTP_BUCKETS)
        // Paths no route matches share one label, so scanners cannot blow up the series.
        .mask_unmatched_patterns("UNMATCHED")
}

static HTTP: LazyLock<actix_web_prom::PrometheusMetrics> = LazyLock::new(|| {
    #[expect(
        clippy::expect_used,
        reason = "registering two metrics in a fresh registry cannot collide"
    )]
    http_builder(registry())
        .build()
        .or_else(|_| http_builder(Registry::new()).build())
        .expect("HTTP metrics in a fresh registry")
});

/// The middleware counting requests and their latency per route pattern and status. One per
/// process: its metrics can be registered once, however many servers a test starts.
pub fn http_middleware() -> actix_web_prom::PrometheusMetrics {
    HTTP.clone()
}
