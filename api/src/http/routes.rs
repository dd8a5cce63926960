//! Every route of the API, in one place. Handlers live in one file per resource and are named
//! `verb_resource`.

use actix_web::{HttpResponse, web};

use super::error::ApiError;
use super::health;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/health/live").route(web::get().to(health::get_liveness)))
        .service(web::resource("/health/ready").route(web::get().to(health::get_readiness)));
}

/// Anything no route matches: a problem body, like every other error.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}
