//! `GET /metrics`: Prometheus text.

use actix_web::{HttpResponse, web};

use crate::http::{ApiError, AppState};
use crate::metrics;
use crate::services::Services;

/// Prometheus metrics of this process.
///
/// Request count and latency per route and status, Letterboxd requests by kind and outcome,
/// cache hits and misses, model train and predict times, catalog size and members known.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "metrics",
    responses(
        (status = 200, description = "Prometheus text exposition format", body = String, content_type = "text/plain; version=0.0.4"),
    )
)]
pub async fn get_metrics(
    state: web::Data<AppState>,
    services: web::Data<Services>,
    letterboxd: Option<web::Data<letterboxd::client::Client>>,
) -> Result<HttpResponse, ApiError> {
    let cache = state.cache.stats();
    metrics::cache_operations(
        state.cache.backend(),
        cache.hits,
        cache.misses,
        cache.errors,
    );
    if let Some(loaded) = state.catalog.current() {
        metrics::catalog_films(loaded.catalog.len());
    }
    match services.members_known().await {
        Ok(members) => metrics::members_known(members),
        // Metrics must not fail because the database does; the gauge keeps its last value.
        Err(err) => tracing::warn!(error = %err, "members not counted for /metrics"),
    }
    if let Some(client) = letterboxd {
        for count in client.counters().snapshot() {
            metrics::letterboxd_requests(count.kind.as_str(), count.outcome.as_str(), count.count);
        }
    }
    for (endpoint, outcome, count) in services.film_source_requests() {
        metrics::tmdb_requests(endpoint, outcome, count);
    }
    let mut caches = services.cache_usage().await;
    if let Some(memory) = state.cache.memory_use() {
        caches.push(metrics::CacheUsage {
            cache: "memory",
            bytes: memory.bytes,
            capacity_bytes: memory.capacity_bytes,
            hits: cache.hits,
            misses: cache.misses,
        });
    }
    let text = metrics::render_with(&caches).map_err(|err| ApiError::Internal(err.into()))?;
    Ok(HttpResponse::Ok()
        .content_type(prometheus::TEXT_FORMAT)
        .body(text))
}
