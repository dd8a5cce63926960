//! `POST /profiles` and `DELETE /profiles/{id}`: uploaded Letterboxd exports.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::domain::UploadId;
use crate::http::upload_body;
use crate::http::{ApiError, ProblemView};
use crate::limits::Feature;
use crate::limits::Limits;
use crate::services::Services;
use crate::views::{ProfileUploadForm, ProfileUploadResponse};

/// Reads a Letterboxd export (Settings > Import & Export on letterboxd.com): the zip as it comes,
/// or its CSV files, as `file` parts (any other field is refused; at most 256 parts and 32 MiB in
/// all). The returned id works wherever a member is, for 24 hours; it is only returned once the
/// export is stored.
#[utoipa::path(
    post,
    path = "/profiles",
    tag = "profiles",
    request_body(content = ProfileUploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "The export was read and is kept for 24 hours", body = ProfileUploadResponse,
            headers(("RateLimit-Policy" = String, description = "This client's limits on this operation, each `q` requests per `w` seconds: `\"min\";q=10;w=60, \"h\";q=50;w=3600, \"day\";q=250;w=86400` (absent when the limits are off)"), ("RateLimit" = String, description = "The limit closest to exhaustion: `\"min\";r=7;t=42` has `r` requests left and all of its quota back in `t` seconds (it comes back one request every `w / q` seconds)"), ("Location" = String, description = "`/profiles/{id}`: the upload, which `DELETE` forgets"))),
        (status = 413, description = "`payload_too_large`", body = ProblemView, content_type = "application/problem+json"),
        (status = 422, description = "`upload_invalid`, naming the file and line", body = ProblemView, content_type = "application/problem+json"),
        (status = 429, description = "`rate_limited`: wait `Retry-After` seconds, when one more request fits (sooner than `RateLimit`'s `t`, when all of the quota is back)", body = ProblemView, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"), ("RateLimit-Policy" = String, description = "This client's limits on this operation, each `q` requests per `w` seconds: `\"min\";q=10;w=60, \"h\";q=50;w=3600, \"day\";q=250;w=86400` (absent when the limits are off)"), ("RateLimit" = String, description = "The limit closest to exhaustion: `\"min\";r=7;t=42` has `r` requests left and all of its quota back in `t` seconds (it comes back one request every `w / q` seconds)"))),
        (status = 503, description = "`catalog_empty`: no film catalog yet, the operator must import it; `not_ready`: the export could not be stored (database unavailable). See `Retry-After`", body = ProblemView, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn create_profile(
    req: HttpRequest,
    limits: web::Data<Limits>,
    services: web::Data<Services>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    limits.charge(&req, Feature::Upload).await?;
    let files = upload_body::read_files(req.headers(), payload).await?;
    let upload = services.create_upload(files).await?;
    let view = ProfileUploadResponse::from(upload);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/profiles/{}", view.id)))
        .json(view))
}

/// Forgets an uploaded export at once.
#[utoipa::path(
    delete,
    path = "/profiles/{id}",
    tag = "profiles",
    params(("id" = uuid::Uuid, Path, description = "The id `POST /profiles` returned")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "`profile_not_found`: no such upload (or it expired)", body = ProblemView, content_type = "application/problem+json"),
        (status = 503, description = "`not_ready`: the database is unavailable; see `Retry-After`", body = ProblemView, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub async fn delete_profile(
    services: web::Data<Services>,
    id: web::Path<uuid::Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = UploadId(id.into_inner());
    if services.delete_upload(id).await? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::ProfileNotFound(id.to_string()))
    }
}
