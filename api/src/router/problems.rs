//! `GET /problems` and `GET /problems/{code}`: the pages a problem's `type` names, one per code
//! of [`ProblemCode::ALL`], as HTML for a browser or JSON for a program (`Accept`).

use actix_web::http::header::{self, ContentType};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::http::error::PROBLEM_PAGES;
use crate::http::negotiate::prefers_json_to_html;
use crate::http::problem::ProblemPage;
use crate::http::{ApiError, ProblemCode, ProblemView};

/// Every problem code, explained.
///
/// The index of the pages that problems' `type` URIs name: each code with its status, what it
/// means and what a client should do. HTML unless `Accept` prefers `application/json`. Cacheable.
#[utoipa::path(get, path = "/problems", tag = "docs",
    responses(
        (status = 200, description = "Every code, in the order of the list", content(
            (Vec<ProblemPage> = "application/json"),
            (String = "text/html", example = json!("<!doctype html>…<h1>Problem codes</h1>…"))),
            headers(("ETag" = String, description = "Strong tag of the body; send it back in `If-None-Match`"), ("Cache-Control" = String, description = "`public, max-age=3600`"))),
        (status = 304, description = "Not modified: `If-None-Match` named the current `ETag`", headers(("ETag" = String, description = "The current tag"), ("Cache-Control" = String, description = "`public, max-age=3600`"))),
    ))]
pub async fn get_problems(req: HttpRequest) -> HttpResponse {
    let pages: Vec<ProblemPage> = ProblemCode::ALL
        .iter()
        .copied()
        .map(ProblemPage::from)
        .collect();
    if prefers_json_to_html(&req) {
        return HttpResponse::Ok().insert_header(VARY_ACCEPT).json(pages);
    }
    let items: String = pages
        .iter()
        .map(|page| {
            format!(
                "<li><a href=\"{PROBLEM_PAGES}/{code}\"><code>{code}</code></a> ({status} {title}): {meaning}</li>\n",
                code = page.code,
                status = page.status,
                title = escape(page.title),
                meaning = markdown_code(page.meaning),
            )
        })
        .collect();
    html(
        "Problem codes",
        &format!(
            "<h1>Problem codes</h1>\n<p>Every error is an RFC 9457 problem \
             (<code>application/problem+json</code>) whose <code>code</code> is one of these and \
             whose <code>type</code> is the page of its code.</p>\n<ul>\n{items}</ul>\n"
        ),
    )
}

/// One problem code, explained.
///
/// The page a problem's `type` names (`/problems/<code>`): the code's status, what it means and
/// what a client should do. HTML unless `Accept` prefers `application/json`. Cacheable.
#[utoipa::path(get, path = "/problems/{code}", tag = "docs",
    params(("code" = ProblemCode, Path, description = "A problem code, as problems carry it in `code`")),
    responses(
        (status = 200, description = "The code explained", content(
            (ProblemPage = "application/json"),
            (String = "text/html", example = json!("<!doctype html>…<h1><code>member_not_found</code></h1>…"))),
            headers(("ETag" = String, description = "Strong tag of the body; send it back in `If-None-Match`"), ("Cache-Control" = String, description = "`public, max-age=3600`"))),
        (status = 304, description = "Not modified: `If-None-Match` named the current `ETag`", headers(("ETag" = String, description = "The current tag"), ("Cache-Control" = String, description = "`public, max-age=3600`"))),
        (status = 404, description = "`not_found`: no such code", body = ProblemView, content_type = "application/problem+json"),
    ))]
pub async fn get_problem(
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = ProblemCode::ALL
        .iter()
        .copied()
        .find(|known| known.as_str() == code.as_str())
        .ok_or(ApiError::NotFound)?;
    let page = ProblemPage::from(code);
    if prefers_json_to_html(&req) {
        return Ok(HttpResponse::Ok().insert_header(VARY_ACCEPT).json(page));
    }
    Ok(html(
        code.as_str(),
        &format!(
            "<h1><code>{code}</code></h1>\n<p>Status: <strong>{status} {title}</strong></p>\n\
             <h2>What it means</h2>\n<p>{meaning}</p>\n\
             <h2>What to do</h2>\n<p>{advice}</p>\n\
             <p><a href=\"{PROBLEM_PAGES}\">Every problem code</a> · <a href=\"/docs/\">The API</a></p>\n",
            status = page.status,
            title = escape(page.title),
            meaning = markdown_code(page.meaning),
            advice = markdown_code(page.advice),
        ),
    ))
}

/// The same path answers HTML or JSON: caches must key on `Accept`.
const VARY_ACCEPT: (header::HeaderName, &str) = (header::VARY, "Accept");

fn html(title: &str, body: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(ContentType::html())
        .insert_header(VARY_ACCEPT)
        .body(format!(
            "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
         <title>{} · reel</title></head>\n<body>\n{body}</body>\n</html>\n",
            escape(title)
        ))
}

/// The texts' one piece of Markdown, `code` spans, as HTML (everything else escaped).
fn markdown_code(text: &str) -> String {
    escape(text)
        .split('`')
        .enumerate()
        .map(|(at, part)| {
            if at % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_owned()
            }
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::markdown_code;

    #[test]
    fn code_spans_become_code_and_the_rest_is_escaped() {
        assert_eq!(
            markdown_code("send `Authorization: Bearer <token>` & retry"),
            "send <code>Authorization: Bearer &lt;token&gt;</code> &amp; retry"
        );
    }
}
