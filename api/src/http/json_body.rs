//! Large JSON bodies written into a buffer reserved up front: a page of recommendations with
//! reasons runs to 150 KiB, and `HttpResponse::json` grows its buffer by doubling, copying what
//! it wrote at each step (issue 14's profile: copying was a twentieth of a request's CPU).

use actix_web::HttpResponse;
use actix_web::http::header::ContentType;
use serde::Serialize;

use super::ApiError;

/// About what one item of a list (a film card with its predictions and up to three reasons for
/// each member) takes in JSON: a page of 96 fits in one reservation.
pub const BYTES_PER_ITEM: usize = 1536;

/// `200 OK` with `value` as JSON, written into room for `items` list items reserved up front.
pub fn json_list(value: &impl Serialize, items: usize) -> Result<HttpResponse, ApiError> {
    let mut body = Vec::with_capacity(4096 + items.saturating_mul(BYTES_PER_ITEM));
    serde_json::to_writer(&mut body, value).map_err(|err| {
        ApiError::Internal(anyhow::Error::new(err).context("writing a JSON response"))
    })?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body))
}

#[cfg(test)]
mod tests {
    use actix_web::body::MessageBody;
    use actix_web::http::{StatusCode, header};
    use serde_json::json;

    use super::*;

    #[test]
    fn a_list_is_the_json_actix_would_write() {
        let value = json!({"items": [{"title": "Heat \"1995\"", "rating": 4.5}], "n": 1});
        let response = json_list(&value, 1).unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers().get(header::CONTENT_TYPE).unwrap(),
            "application/json"
        );
        let body = response.into_body().try_into_bytes().unwrap();
        assert_eq!(body, serde_json::to_vec(&value).unwrap());
    }
}
