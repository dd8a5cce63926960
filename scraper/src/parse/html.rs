//! Small helpers shared by the page parsers: compiled selectors, text clean-up, pagination.

use scraper::{ElementRef, Html, Selector};

/// Compiles a selector literal once. The literals are fixed at compile time and every one is
/// exercised by the fixture tests, so a typo fails the suite rather than a request.
#[expect(
    clippy::expect_used,
    reason = "selector literals are checked by the tests"
)]
pub(crate) fn compile(css: &str) -> Selector {
    Selector::parse(css).expect("selector literal parses")
}

/// `static NAME: LazyLock<Selector>` for each `NAME = "css";`.
macro_rules! selectors {
    ($($name:ident = $css:literal;)*) => {
        $(static $name: std::sync::LazyLock<scraper::Selector> =
            std::sync::LazyLock::new(|| $crate::parse::html::compile($css));)*
    };
}
pub(crate) use selectors;

selectors! {
    PAGINATION_PAGE = "div.pagination li.paginate-page";
    PAGINATION_NEXT = "div.pagination a.next";
}

/// The text of an element with non-breaking spaces as spaces and whitespace collapsed.
pub(crate) fn text_of(element: ElementRef<'_>) -> String {
    clean(&element.text().collect::<String>())
}

/// Collapses whitespace (including `&nbsp;`) to single spaces and trims.
pub(crate) fn clean(raw: &str) -> String {
    raw.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Anniversary (2025)` -> (`Anniversary`, 2025); a name without a trailing year is all title.
pub(crate) fn split_title_year(name: &str) -> (String, Option<u16>) {
    let name = clean(name);
    if let Some(open) = name.rfind(" (")
        && let Some(inner) = name[open + 2..].strip_suffix(')')
        && inner.len() == 4
        && let Ok(year) = inner.parse::<u16>()
    {
        return (name[..open].to_owned(), Some(year));
    }
    (name, None)
}

/// The digits at the start of `raw` (after leading spaces) as a number.
pub(crate) fn leading_number(raw: &str) -> Option<u64> {
    let trimmed = raw.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
    let end = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    trimmed[..end].parse().ok()
}

/// The page number in a pagination link such as `/member/films/page/7/`.
pub(crate) fn page_in_href(href: &str) -> Option<u32> {
    let at = href.rfind("/page/")?;
    leading_number(&href[at + "/page/".len()..]).and_then(|n| u32::try_from(n).ok())
}

/// What a page's pagination block says.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pagination {
    /// The highest page number listed, whether a link or the current page's `<span>`.
    pub last_listed: Option<u32>,
    /// The target of the "next"/"older" link, when there is one.
    pub next: Option<u32>,
}

pub(crate) fn pagination(doc: &Html) -> Pagination {
    let last_listed = doc
        .select(&PAGINATION_PAGE)
        .filter_map(|page| leading_number(&text_of(page)))
        .filter_map(|n| u32::try_from(n).ok())
        .filter(|&n| n >= 1)
        .max();
    let next = doc
        .select(&PAGINATION_NEXT)
        .filter_map(|link| link.attr("href"))
        .find_map(page_in_href);
    Pagination { last_listed, next }
}

/// Letterboxd's "postered identifier" JSON (`{"lid":"gJsA","uid":"film:398800",...}`): the
/// numeric film id and the boxd.it short id. Since April 2026 grids carry the numeric id only here.
pub(crate) fn postered_identifier(raw: &str) -> (Option<u64>, Option<String>) {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(raw) else {
        return (None, None);
    };
    let value = value.get("postered").unwrap_or(&value);
    let id = value
        .get("uid")
        .and_then(|uid| uid.as_str())
        .and_then(|uid| uid.strip_prefix("film:"))
        .and_then(|digits| digits.parse().ok());
    let lid = value
        .get("lid")
        .and_then(|lid| lid.as_str())
        .filter(|lid| is_boxd_id(lid))
        .map(str::to_owned);
    (id, lid)
}

/// A boxd.it short id: a few ASCII letters and digits.
pub(crate) fn is_boxd_id(raw: &str) -> bool {
    (1..=16).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The short id of a `https://boxd.it/gJsA` link.
pub(crate) fn boxd_id_in(url: &str) -> Option<String> {
    let at = url.find("boxd.it/")?;
    let id = url[at + "boxd.it/".len()..]
        .split(['/', '?', '#', '"', ' '])
        .next()?;
    is_boxd_id(id).then(|| id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_title_and_year() {
        assert_eq!(
            split_title_year("Anniversary (2025)"),
            ("Anniversary".to_owned(), Some(2025))
        );
        assert_eq!(
            split_title_year("Chainsaw Man – The Movie: Reze Arc (2025)"),
            ("Chainsaw Man – The Movie: Reze Arc".to_owned(), Some(2025))
        );
        assert_eq!(split_title_year("Cheer"), ("Cheer".to_owned(), None));
        assert_eq!(
            split_title_year("Ali (Ali) (x)"),
            ("Ali (Ali) (x)".to_owned(), None)
        );
        assert_eq!(split_title_year("(2001)"), ("(2001)".to_owned(), None));
    }

    #[test]
    fn reads_numbers_and_links() {
        assert_eq!(leading_number("105\u{a0}mins"), Some(105));
        assert_eq!(leading_number(" mins"), None);
        assert_eq!(page_in_href("/jlcordeiro/films/page/7/"), Some(7));
        assert_eq!(page_in_href("/jlcordeiro/films/"), None);
        assert_eq!(boxd_id_in("https://boxd.it/gJsA"), Some("gJsA".to_owned()));
        assert_eq!(boxd_id_in("https://boxd.it/"), None);
        assert_eq!(
            postered_identifier(r#"{"lid":"GAYY","uid":"film:1015194","type":"film"}"#),
            (Some(1015194), Some("GAYY".to_owned()))
        );
        assert_eq!(postered_identifier("{not json"), (None, None));
    }
}
