//! The multipart body of `POST /profiles`, read within limits that count what the client sends,
//! not what the parser keeps: raw body bytes (boundaries and part headers included) and parts,
//! reading stops at the first limit reached. Counting only file contents let a body of millions of
//! empty parts be read whole.

use std::cell::Cell;
use std::rc::Rc;

use actix_multipart::Multipart;
use actix_web::error::PayloadError;
use actix_web::http::header::{self, HeaderMap};
use actix_web::web::Bytes;
use futures::{Stream, StreamExt, TryStreamExt};

use super::ApiError;
use crate::services::exports::{MAX_UPLOAD_BYTES, UploadedFile};

/// The one field name the form documents (`ProfileUploadForm`).
pub const FILE_FIELD: &str = "file";

/// Most parts in one upload: an export is one zip, or the handful of CSV files the reader uses
/// (a folder of them dropped on a form, lists included, rarely passes a hundred).
pub const MAX_UPLOAD_PARTS: usize = 256;

/// Longest file name accepted; names are echoed in problem details.
const MAX_FILE_NAME_BYTES: usize = 255;

/// Every `file` part of the body, each read whole. Refuses any other field name, a `file` part
/// without a file name, more than [`MAX_UPLOAD_PARTS`] parts and more than [`MAX_UPLOAD_BYTES`]
/// of body, stopping at the first.
pub async fn read_files<S>(headers: &HeaderMap, body: S) -> Result<Vec<UploadedFile>, ApiError>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + 'static,
{
    let too_large = ApiError::PayloadTooLarge {
        limit: MAX_UPLOAD_BYTES,
    };
    if declared_length(headers).is_some_and(|length| length > MAX_UPLOAD_BYTES as u64) {
        return Err(too_large);
    }
    let over = Rc::new(Cell::new(false));
    let mut multipart = Multipart::new(headers, counted(body, Rc::clone(&over)));
    // A parse error after the byte limit was hit is that limit, whatever the parser says.
    let refusal = |err: actix_multipart::MultipartError| {
        if over.get() {
            ApiError::PayloadTooLarge {
                limit: MAX_UPLOAD_BYTES,
            }
        } else {
            malformed(err)
        }
    };
    let mut files = Vec::new();
    let mut parts = 0_usize;
    while let Some(mut field) = multipart.try_next().await.map_err(refusal)? {
        parts += 1;
        if parts > MAX_UPLOAD_PARTS {
            return Err(ApiError::UploadTooLarge(format!(
                "the body has more than {MAX_UPLOAD_PARTS} parts, the limit; send the export zip \
                 as one `{FILE_FIELD}` part"
            )));
        }
        let name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(str::to_owned);
        match field.name() {
            Some(FILE_FIELD) => {}
            other => return Err(unexpected_field(other.unwrap_or_default())),
        }
        let name = match name {
            Some(name) if name.len() <= MAX_FILE_NAME_BYTES => name,
            Some(_) => {
                return Err(invalid(format!(
                    "a file name is longer than {MAX_FILE_NAME_BYTES} bytes"
                )));
            }
            None => {
                return Err(invalid(format!(
                    "a `{FILE_FIELD}` part has no file name; name it as the file was named \
                     (the export zip, `ratings.csv`, ...)"
                )));
            }
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(refusal)? {
            bytes.extend_from_slice(&chunk);
        }
        files.push(UploadedFile { name, bytes });
    }
    Ok(files)
}

/// The body as it arrives, ending in an error once more than [`MAX_UPLOAD_BYTES`] came (and
/// `over` set, so the error is told apart from the parser's own).
fn counted<S>(body: S, over: Rc<Cell<bool>>) -> impl Stream<Item = Result<Bytes, PayloadError>>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + 'static,
{
    let mut read = 0_usize;
    body.map(move |chunk| {
        let chunk = chunk?;
        read = read.saturating_add(chunk.len());
        if read > MAX_UPLOAD_BYTES {
            over.set(true);
            return Err(PayloadError::Overflow);
        }
        Ok(chunk)
    })
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn invalid(reason: String) -> ApiError {
    ApiError::UploadInvalid {
        file: "request".to_owned(),
        line: None,
        reason,
    }
}

fn malformed(reason: impl std::fmt::Display) -> ApiError {
    invalid(format!("not a readable multipart/form-data body: {reason}"))
}

fn unexpected_field(name: &str) -> ApiError {
    const SHOWN_CHARS: usize = 64;
    let shown = match name.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name.to_owned(),
    };
    invalid(format!(
        "unexpected multipart field `{shown}`; send the export as `{FILE_FIELD}` parts"
    ))
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{CONTENT_TYPE, HeaderValue};
    use futures::stream;

    use super::*;

    const BOUNDARY: &str = "XyZ";

    fn headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_str(&format!("multipart/form-data; boundary={BOUNDARY}")).unwrap(),
        );
        headers
    }

    fn part(field: &str, file_name: Option<&str>, body: &str) -> String {
        let file_name = file_name
            .map(|name| format!("; filename=\"{name}\""))
            .unwrap_or_default();
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"{file_name}\r\n\r\n\
             {body}\r\n"
        )
    }

    fn body(parts: &[String]) -> impl Stream<Item = Result<Bytes, PayloadError>> + 'static {
        let whole = format!("{}--{BOUNDARY}--\r\n", parts.concat());
        stream::iter([Ok(Bytes::from(whole))])
    }

    /// `stream` with a count of the bytes taken from it.
    fn metered(
        stream: impl Stream<Item = Result<Bytes, PayloadError>> + 'static,
    ) -> (
        impl Stream<Item = Result<Bytes, PayloadError>> + 'static,
        Rc<Cell<usize>>,
    ) {
        let taken = Rc::new(Cell::new(0));
        let count = Rc::clone(&taken);
        let stream = stream.inspect(move |chunk| {
            if let Ok(chunk) = chunk {
                count.set(count.get() + chunk.len());
            }
        });
        (stream, taken)
    }

    #[actix_web::test]
    async fn reads_the_file_parts() {
        let files = read_files(
            &headers(),
            body(&[
                part("file", Some("ratings.csv"), "a,b"),
                part("file", Some("watched.csv"), ""),
            ]),
        )
        .await
        .unwrap();
        let names: Vec<(&str, &[u8])> = files
            .iter()
            .map(|f| (f.name.as_str(), f.bytes.as_slice()))
            .collect();
        assert_eq!(names, [("ratings.csv", &b"a,b"[..]), ("watched.csv", b"")]);
    }

    #[actix_web::test]
    async fn an_endless_flood_of_empty_parts_stops_at_the_part_limit() {
        let head = part("file", Some("a.csv"), "");
        let flood = stream::repeat_with(move || Ok(Bytes::from(head.clone())));
        let (flood, taken) = metered(flood);
        let err = read_files(&headers(), flood).await.unwrap_err();
        assert!(matches!(err, ApiError::UploadTooLarge(_)), "{err}");
        assert!(err.to_string().contains("parts"), "{err}");
        // The parts read, plus what the parser buffers ahead (64 KiB): far under the byte limit.
        assert!(taken.get() < 256 * 1024, "read {} bytes", taken.get());
    }

    #[actix_web::test]
    async fn an_endless_part_stops_at_the_byte_limit() {
        let head = stream::iter([Ok(Bytes::from(format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.zip\"\r\n\r\n"
        )))]);
        let endless = head.chain(stream::repeat_with(|| Ok(Bytes::from(vec![b'x'; 1 << 20]))));
        let (endless, taken) = metered(endless);
        let err = read_files(&headers(), endless).await.unwrap_err();
        assert!(
            matches!(err, ApiError::PayloadTooLarge { limit } if limit == MAX_UPLOAD_BYTES),
            "{err}"
        );
        assert!(
            taken.get() <= MAX_UPLOAD_BYTES + (1 << 20),
            "{}",
            taken.get()
        );
    }

    #[actix_web::test]
    async fn a_declared_length_over_the_limit_is_refused_before_reading() {
        let mut headers = headers();
        headers.insert(
            header::CONTENT_LENGTH,
            HeaderValue::from(MAX_UPLOAD_BYTES as u64 + 1),
        );
        let (never, taken) = metered(stream::pending());
        let err = read_files(&headers, never).await.unwrap_err();
        assert!(matches!(err, ApiError::PayloadTooLarge { .. }), "{err}");
        assert_eq!(taken.get(), 0);
    }

    #[actix_web::test]
    async fn other_fields_and_nameless_files_are_refused() {
        let err = read_files(
            &headers(),
            body(&[
                part("file", Some("ratings.csv"), "a"),
                part("comment", None, "hi"),
            ]),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code().as_str(), "upload_invalid");
        assert!(err.to_string().contains("`comment`"), "{err}");

        let long = "f".repeat(10_000);
        let err = read_files(&headers(), body(&[part(&long, None, "")]))
            .await
            .unwrap_err();
        assert!(err.to_string().len() < 200, "{err}");

        let err = read_files(&headers(), body(&[part("file", None, "a")]))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("no file name"), "{err}");
    }
}
