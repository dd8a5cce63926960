//! Every route of the API, in one place. Handlers live in one file per resource and are named
//! `verb_resource`; each carries its OpenAPI description (see `crate::openapi`, whose test checks
//! that every route here is documented).

use actix_web::{HttpResponse, web};
use utoipa_swagger_ui::SwaggerUi;

use super::error::ApiError;
use super::health;
use crate::handlers::{
    admin, docs, metrics, profiles, recommendations, statistics, usage, watchlist,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/health/live").route(web::get().to(health::get_liveness)))
        .service(web::resource("/health/ready").route(web::get().to(health::get_readiness)))
        .service(
            web::resource("/recommendations")
                .route(web::post().to(recommendations::create_recommendations)),
        )
        .service(web::resource("/statistics").route(web::get().to(statistics::get_statistics)))
        .service(
            web::resource("/watchlist").route(web::post().to(watchlist::create_watchlist_picks)),
        )
        .service(web::resource("/profiles").route(web::post().to(profiles::create_profile)))
        .service(web::resource("/profiles/{id}").route(web::delete().to(profiles::delete_profile)))
        .service(web::resource("/metrics").route(web::get().to(metrics::get_metrics)))
        .service(web::resource("/metrics/usage").route(web::get().to(usage::get_usage)))
        .service(
            web::resource("/admin/catalog/reload").route(web::post().to(admin::reload_catalog)),
        )
        .service(web::resource("/openapi.json").route(web::get().to(docs::get_openapi_json)))
        .service(web::resource("/openapi.yaml").route(web::get().to(docs::get_openapi_yaml)))
        // Swagger UI's assets are compiled in (`vendored`): the page works with no network.
        .service(
            SwaggerUi::new("/docs/{_:.*}")
                .url("/docs/openapi.json", crate::openapi::document().clone()),
        );
}

/// Anything no route matches: a problem body, like every other error.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}
