//! Conditional GETs for the responses a client may cache, in one place: a strong `ETag` (a hash
//! of the body), a `Cache-Control` per route, and `304 Not Modified` when `If-None-Match` names
//! the current tag. The body is still computed: this saves the transfer, not the work.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use sha2::{Digest, Sha256};

use super::error::ApiError;

/// The cacheable routes by pattern, with their `Cache-Control`. A member's statistics and the
/// usage series are per-client data that change within minutes; the spec changes only with a
/// deploy, and the tag revalidates it then.
pub const CACHEABLE: &[(&str, &str)] = &[
    ("/statistics", "private, max-age=60"),
    ("/metrics/usage", "private, max-age=60"),
    ("/openapi.json", "public, max-age=300"),
    ("/openapi.yaml", "public, max-age=300"),
    // Compiled into the binary: they change only with a deploy.
    ("/faq", "public, max-age=3600"),
    ("/release-notes", "public, max-age=3600"),
    ("/problems", "public, max-age=3600"),
    ("/problems/{code}", "public, max-age=3600"),
];

fn policy(req: &actix_web::HttpRequest) -> Option<&'static str> {
    let pattern = req.match_pattern()?;
    CACHEABLE
        .iter()
        .find(|(path, _)| *path == pattern)
        .map(|(_, control)| *control)
}

pub async fn conditional_get(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody>>, Error> {
    let method = req.method().clone();
    let response = next.call(req).await?;
    let control = policy(response.request());
    let Some(control) = control.filter(|_| {
        (method == Method::GET || method == Method::HEAD) && response.status() == StatusCode::OK
    }) else {
        return Ok(response.map_body(|_, body| EitherBody::left(BoxBody::new(body))));
    };
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = match actix_web::body::to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(err) => {
            let err: Box<dyn std::error::Error> = err.into();
            return Err(ApiError::Internal(anyhow::anyhow!("reading a body to tag: {err}")).into());
        }
    };
    let tag = etag(&bytes);
    let matches = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| names(value, &tag));
    let headers = head.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(control));
    if matches {
        // RFC 9110 §15.4.5: the 304 carries the validators and caching headers, no body.
        let mut not_modified = HttpResponse::NotModified();
        for (name, value) in head.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                not_modified.append_header((name.clone(), value.clone()));
            }
        }
        return Ok(ServiceResponse::new(request, not_modified.finish()).map_into_right_body());
    }
    Ok(ServiceResponse::new(request, head.set_body(BoxBody::new(bytes))).map_into_left_body())
}

/// A strong tag: the first 128 bits of the body's SHA-256, quoted.
fn etag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("\"{hex}\"")
}

/// Whether an `If-None-Match` value names `tag` (weak comparison, as RFC 9110 §13.1.2 asks).
fn names(if_none_match: &str, tag: &str) -> bool {
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_are_compared_weakly() {
        let tag = etag(b"{}");
        assert!(tag.starts_with('"') && tag.ends_with('"') && tag.len() == 34);
        assert!(names(&tag, &tag));
        assert!(names(&format!("\"other\", W/{tag}"), &tag));
        assert!(names("*", &tag));
        assert!(!names("\"other\"", &tag));
        assert_ne!(etag(b"{}"), etag(b"[]"));
    }
}
