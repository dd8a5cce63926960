//! Content negotiation for the operations that can answer CSV as well as JSON.

use actix_web::HttpRequest;
use actix_web::http::header;

/// The CSV media type a few operations also answer with.
pub const TEXT_CSV: &str = "text/csv";

/// Whether the client's `Accept` asks for `text/csv` at least as much as for JSON (`*/*` and
/// `application/*` count as JSON, our default). Without an `Accept`, JSON.
pub fn prefers_csv(req: &HttpRequest) -> bool {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    prefers_csv_in(accept)
}

fn prefers_csv_in(accept: &str) -> bool {
    let mut csv: f32 = 0.0;
    let mut json: f32 = 0.0;
    for (media, q) in media_ranges(accept) {
        match media.as_str() {
            "text/csv" | "text/*" => csv = csv.max(q),
            "application/json" | "application/*" | "*/*" => json = json.max(q),
            _ => {}
        }
    }
    csv > 0.0 && csv >= json
}

/// Each media range of an `Accept` value, lowercased, with its quality (1 when not given).
fn media_ranges(accept: &str) -> impl Iterator<Item = (String, f32)> + '_ {
    accept.split(',').map(|range| {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        (media, q)
    })
}

/// Whether the client's `Accept` asks for JSON more than for HTML, for pages that are HTML for a
/// browser and JSON for a program. `*/*`, `text/*` and no `Accept` are HTML.
pub fn prefers_json_to_html(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(prefers_json_to_html_in)
}

fn prefers_json_to_html_in(accept: &str) -> bool {
    let mut html: f32 = 0.0;
    let mut json: f32 = 0.0;
    for (media, q) in media_ranges(accept) {
        match media.as_str() {
            "text/html" | "text/*" | "*/*" => html = html.max(q),
            "application/json" | "application/*" => json = json.max(q),
            _ => {}
        }
    }
    json > html
}

#[cfg(test)]
mod tests {
    use super::{prefers_csv_in, prefers_json_to_html_in};

    #[test]
    fn json_over_html_only_when_asked_for_more() {
        assert!(prefers_json_to_html_in("application/json"));
        assert!(prefers_json_to_html_in("application/json, */*;q=0.5"));
        assert!(!prefers_json_to_html_in("*/*"));
        assert!(!prefers_json_to_html_in(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        ));
        assert!(!prefers_json_to_html_in("application/json, text/html"));
        assert!(!prefers_json_to_html_in(""));
    }

    #[test]
    fn csv_only_when_asked_for_at_least_as_much_as_json() {
        assert!(prefers_csv_in("text/csv"));
        assert!(prefers_csv_in("text/csv, application/json"));
        assert!(prefers_csv_in("application/json;q=0.5, text/csv"));
        assert!(prefers_csv_in("TEXT/CSV; charset=utf-8"));
        assert!(!prefers_csv_in("application/json"));
        assert!(!prefers_csv_in("*/*"));
        assert!(!prefers_csv_in("text/csv;q=0.2, */*"));
        assert!(!prefers_csv_in("text/csv;q=0"));
        assert!(!prefers_csv_in(""));
    }
}
