//! The CSV answer of the operations that offer one (`Accept: text/csv`).

use actix_web::HttpResponse;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};

use crate::http::ApiError;
use crate::http::negotiate::TEXT_CSV;
use crate::views::LetterboxdCsv;

/// A Letterboxd import CSV as an attachment under its file name.
pub(super) fn csv_response(csv: &LetterboxdCsv) -> Result<HttpResponse, ApiError> {
    let body = csv
        .render()
        .map_err(|err| ApiError::Internal(anyhow::Error::new(err)))?;
    Ok(HttpResponse::Ok()
        .content_type(format!("{TEXT_CSV}; charset=utf-8"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(csv.filename.clone())],
        })
        .insert_header((header::VARY, "Accept"))
        .body(body))
}
