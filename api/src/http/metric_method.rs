//! The request metrics label the HTTP method, and a method is any token a client cares to send:
//! each new one would add series to `/metrics` without bound. Methods outside the standard set
//! are renamed `OTHER` before the metrics middleware (the layer around this one) reads them back.
//! No route answers such a method, so the rename changes no response.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

/// RFC 9110's methods and PATCH (RFC 5789).
fn is_standard(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::CONNECT,
        Method::OPTIONS,
        Method::TRACE,
        Method::PATCH,
    ]
    .contains(method)
}

fn other() -> Method {
    // A valid token, so this cannot fail; GET is never reached in practice.
    Method::from_bytes(b"OTHER").unwrap_or(Method::GET)
}

pub async fn standard_methods_only(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if !is_standard(req.method()) {
        req.head_mut().method = other();
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_non_standard_methods_are_renamed() {
        assert!(is_standard(&Method::PATCH));
        assert!(is_standard(&Method::OPTIONS));
        assert!(!is_standard(&Method::from_bytes(b"FOO123").unwrap()));
        assert!(!is_standard(&Method::from_bytes(b"get").unwrap()));
        assert_eq!(other().as_str(), "OTHER");
    }
}
