//! What every request goes through, outermost first (see [`super::app`]):
//! 1. [`trace_request`]: takes the client's `X-Request-Id` (or makes one), opens the span every
//!    log line of the request carries, echoes the id (in the header, and as `request_id` in every
//!    problem body, so a client reporting an error quotes it), and logs one line when the request
//!    ends.
//! 2. [`problem_fallback`]: turns an error response the framework produced (405, a CORS refusal,
//!    a payload error) into the same problem+json body our own errors have.
//! 3. [`header_limit`]: 431 with a problem body for heads over [`MAX_HEADER_BYTES`].
//! 4. [`refuse_foreign_origin`]: 403 `origin_not_allowed` for a browser on an origin CORS does
//!    not let in, naming the setting that would.
//! 5. CORS (actix-cors), then 6. [`deadline`] and 7. [`body_limit`].

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{ConnectionType, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage, HttpResponse, ResponseError};
use tracing::Instrument;

use super::error::{ApiError, PROBLEM_CONTENT_TYPE, Problem};
use crate::config::AllowedOrigins;
use crate::telemetry::millis;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request's id, in its extensions for handlers that pass it on (to Letterboxd calls, jobs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// The deadline of one request, as app data.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(pub Duration);

/// The largest body accepted, as app data.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// Set once the server started draining (SIGTERM or ctrl-c), as app data: from then on every
/// response carries `Connection: close`, so keep-alive clients finish the request they sent and
/// reconnect (to another replica) instead of sending more to a server about to stop.
#[derive(Debug, Clone, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn start(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_draining(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// `Connection: close` on every response once the server is [`Draining`]. Checked when the
/// response is ready, so a request in flight when draining starts closes its connection too.
pub async fn close_when_draining(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let draining = req.app_data::<Draining>().cloned();
    let draining = move || draining.as_ref().is_some_and(Draining::is_draining);
    match next.call(req).await {
        Ok(mut response) => {
            if draining() {
                response
                    .response_mut()
                    .head_mut()
                    .set_connection_type(ConnectionType::Close);
            }
            Ok(response)
        }
        Err(mut err) => {
            if draining() {
                err.add_response_mapper(|mut response| {
                    response
                        .head_mut()
                        .set_connection_type(ConnectionType::Close);
                    response
                });
            }
            Err(err)
        }
    }
}

/// The most bytes a request's line and headers may take. actix refuses heads over 128 KiB (or of
/// more than 96 headers) itself, with a bare 431 no layer of ours sees; below that, this limit
/// answers first, with a problem body naming the request's id. 32 KiB is nginx's default total
/// and far above what any client of this API sends (it sets no cookies).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// 431 `headers_too_large` for a request whose line and headers exceed [`MAX_HEADER_BYTES`],
/// counted as sent (`Name: value\r\n`).
pub async fn header_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let line = req.method().as_str().len() + req.uri().to_string().len() + " HTTP/1.1\r\n".len();
    let headers: usize = req
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + ": \r\n".len())
        .sum();
    if line + headers > MAX_HEADER_BYTES {
        let response = ApiError::HeadersTooLarge {
            limit: MAX_HEADER_BYTES,
        }
        .error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

/// An id from a client is kept only if it is short and plain, so it cannot forge log lines.
fn client_request_id(req: &ServiceRequest) -> Option<String> {
    let id = req.headers().get(&REQUEST_ID)?.to_str().ok()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
    (!id.is_empty() && id.len() <= 128 && id.chars().all(plain)).then(|| id.to_owned())
}

pub async fn trace_request(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let id = client_request_id(&req).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    // Only the method and the route pattern: paths and queries can hold usernames.
    let span = tracing::info_span!("request", request_id = %id, method = %req.method());
    let mut response = match next.call(req).instrument(span.clone()).await {
        Ok(response) => response,
        // Errors that escaped every layer become a response in the dispatcher: stamp the id on it.
        Err(mut err) => {
            let status = err.as_response_error().status_code().as_u16();
            span.in_scope(|| {
                tracing::warn!(
                    status,
                    duration_ms = millis(started.elapsed()),
                    "request failed"
                )
            });
            if let Ok(value) = HeaderValue::from_str(&id) {
                err.add_response_mapper(move |mut response| {
                    response.headers_mut().insert(REQUEST_ID, value.clone());
                    if !is_problem(response.headers()) {
                        return response;
                    }
                    let (response, body) = response.into_parts();
                    match body.try_into_bytes() {
                        Ok(bytes) => response.set_body(BoxBody::new(with_request_id(bytes, &id))),
                        Err(body) => response.set_body(body),
                    }
                });
            }
            return Err(err);
        }
    };
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let response = if is_problem(response.headers()) {
        let (request, response) = response.into_parts();
        let (mut response, body) = response.into_parts();
        response.headers_mut().remove(header::CONTENT_LENGTH);
        let body = match actix_web::body::to_bytes(body).await {
            Ok(bytes) => with_request_id(bytes, &id),
            Err(err) => {
                let err: Box<dyn std::error::Error> = err.into();
                return Err(
                    ApiError::Internal(anyhow::anyhow!("reading a problem body: {err}")).into(),
                );
            }
        };
        ServiceResponse::new(request, response.set_body(body)).map_into_right_body()
    } else {
        response.map_into_left_body()
    };
    let status = response.status().as_u16();
    let route = response.request().match_pattern();
    let route = route.as_deref().unwrap_or("unmatched");
    let duration_ms = millis(started.elapsed());
    span.in_scope(|| {
        if response.status().is_server_error() {
            tracing::warn!(status, route, duration_ms, "request failed");
        } else {
            tracing::info!(status, route, duration_ms, "request");
        }
    });
    Ok(response)
}

/// The problem body with the request's id added as `request_id`; anything that is not a JSON
/// object is left as it was.
fn with_request_id(body: Bytes, id: &str) -> Bytes {
    match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&body) {
        Ok(mut problem) => {
            problem.insert("request_id".to_owned(), id.into());
            serde_json::to_vec(&problem).map_or(body, Bytes::from)
        }
        Err(_) => body,
    }
}

pub async fn problem_fallback(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let response = match next.call(req).await {
        Ok(response) => response,
        Err(mut err) => {
            // Our own errors already render as problems; anything else is rewritten when the
            // dispatcher renders it (keeping headers inner layers such as CORS added).
            if err.as_error::<ApiError>().is_none() {
                let message = err.to_string();
                err.add_response_mapper(move |response| {
                    if is_problem(response.headers()) {
                        response
                    } else {
                        as_problem(response.status(), &message, response.headers())
                    }
                });
            }
            return Err(err);
        }
    };
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_problem(response.headers()) {
        return Ok(response.map_into_left_body());
    }
    let message = response
        .response()
        .error()
        .map(ToString::to_string)
        .unwrap_or_default();
    let (request, original) = response.into_parts();
    let replaced = as_problem(status, &message, original.headers());
    Ok(ServiceResponse::new(request, replaced).map_into_right_body())
}

fn is_problem(headers: &HeaderMap) -> bool {
    headers.get(header::CONTENT_TYPE).is_some_and(|value| {
        value
            .as_bytes()
            .starts_with(PROBLEM_CONTENT_TYPE.as_bytes())
    })
}

/// A problem body for `status`, keeping what the original response said in headers (`Allow` on
/// a 405, CORS's `Vary`).
fn as_problem(status: StatusCode, message: &str, headers: &HeaderMap) -> HttpResponse {
    let mut replaced = framework_problem(status, message).response();
    for (name, value) in headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            replaced.headers_mut().append(name.clone(), value.clone());
        }
    }
    replaced
}

fn framework_problem(status: StatusCode, message: &str) -> Problem {
    if status.is_server_error() {
        tracing::error!(status = status.as_u16(), error = message, "unhandled error");
    }
    let detail = (!message.is_empty()).then(|| message.to_owned());
    Problem::from_status(status, detail)
}

/// Refuses a cross-origin browser request (its preflight, or a request sent without one) from an
/// origin `CORS_ALLOWED_ORIGINS` does not let in. actix-cors would answer a bare 400 to the
/// preflight and let the request itself through without CORS headers, leaving a developer with
/// the browser's "blocked by CORS policy" and nothing naming the fix: this names the origin and
/// the setting, in the log and in the problem body. A same-origin request (a page the API
/// serves) carries `Origin` too and is never refused.
pub async fn refuse_foreign_origin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let refused = match (
        req.headers().get(header::ORIGIN),
        req.app_data::<AllowedOrigins>(),
    ) {
        (Some(origin), Some(allowed)) => {
            let origin = String::from_utf8_lossy(origin.as_bytes()).into_owned();
            let own = origin
                .split_once("://")
                .is_some_and(|(_, authority)| authority == req.connection_info().host());
            (!own && !allowed.allows(&origin)).then_some(origin)
        }
        _ => None,
    };
    match refused {
        Some(origin) => {
            tracing::warn!(
                origin,
                "refused a browser request from an origin CORS_ALLOWED_ORIGINS does not list; \
                 add it there to let that front end call the API"
            );
            let response = ApiError::OriginNotAllowed(origin).error_response();
            Ok(req.into_response(response).map_into_right_body())
        }
        None => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
    }
}

pub async fn deadline(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let Some(Deadline(limit)) = req.app_data::<Deadline>().copied() else {
        return next.call(req).await;
    };
    // The services see the deadline too, to refuse work that could not finish inside it.
    let deadline = tokio::time::Instant::now() + limit;
    let work = crate::services::deadline::within(deadline, next.call(req));
    match tokio::time::timeout_at(deadline, work).await {
        Ok(response) => response,
        // Dropping the handler's future cancels its work. The request went down with it, so the
        // 504 travels up as an error; the layers above still stamp their headers on it.
        Err(_) => Err(ApiError::Timeout(limit).into()),
    }
}

/// Refuses a body whose declared length is over the limit before any handler reads it (bodies of
/// unknown length are bounded by the extractors' limits). Multipart uploads have their own limit.
pub async fn body_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let limit = req.app_data::<BodyLimit>().map(|limit| limit.0);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"multipart/"));
    match (limit, declared) {
        (Some(limit), Some(declared)) if !multipart && declared > limit as u64 => {
            let response = ApiError::PayloadTooLarge { limit }.error_response();
            Ok(req.into_response(response).map_into_right_body())
        }
        _ => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
    }
}
