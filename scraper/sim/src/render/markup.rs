//! Shared pieces of Letterboxd's markup: escaping, the page shell, pagination and the LazyPoster
//! react component every grid and film page uses (copied from the saved pages in
//! `shared/fixtures/letterboxd/current/`, in their newest form).

use std::fmt::Write;

use model::Film;

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `Title (2023)`, as grids and titles name a film.
pub fn display_name(film: &Film) -> String {
    match film.year {
        Some(year) => format!("{} ({year})", film.title),
        None => film.title.clone(),
    }
}

/// The document around a page's content: head, site header, footer.
pub fn page(title: &str, body_attrs: &str, head_extra: &str, content: &str) -> String {
    let mut out = String::with_capacity(content.len() + 2048);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\" class=\"no-mobile no-js\">\n<head>\n\
<meta charset=\"UTF-8\">\n\
<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge,chrome=1\">\n\
<meta name=\"application-name\" content=\"Letterboxd\">\n{head_extra}\
<title>\u{200e}{title} \u{2022} Letterboxd</title>\n\
</head>\n<body {body_attrs}>\n\
<div id=\"content\" class=\"site-body\">\n<div class=\"content-wrap\">\n{content}\n</div>\n</div>\n\
<footer id=\"page-footer\" class=\"page-footer js-page-footer js-hide-in-app\">\
<p class=\"copyright\">\u{a9} Letterboxd Limited. (simulated by reel&#39;s letterboxd-sim)</p>\
</footer>\n</body>\n</html>\n",
        title = escape(title),
    );
    out
}

/// The pagination block: newer/older links and the page list with gaps, the current page a span.
/// `base` is the grid's path without `page/N/` (`/name/films/`).
pub fn pagination(base: &str, current: u32, last: u32, newer: &str, older: &str) -> String {
    if last <= 1 {
        return String::new();
    }
    let link = |page: u32| {
        if page == 1 {
            base.to_owned()
        } else {
            format!("{base}page/{page}/")
        }
    };
    let mut out = String::from("<div class=\"pagination\"> ");
    if current > 1 {
        let _ = write!(
            out,
            "<div class=\"paginate-nextprev\"><a class=\"previous\" href=\"{}\">{newer}</a></div> ",
            link(current - 1)
        );
    } else {
        let _ = write!(
            out,
            "<div class=\"paginate-nextprev paginate-disabled\"><span class=\"previous\">{newer}</span></div> "
        );
    }
    if current < last {
        let _ = write!(
            out,
            "<div class=\"paginate-nextprev\"><a class=\"next\" href=\"{}\">{older}</a></div> ",
            link(current + 1)
        );
    } else {
        let _ = write!(
            out,
            "<div class=\"paginate-nextprev paginate-disabled\"><span class=\"next\">{older}</span></div> "
        );
    }
    out.push_str("<div class=\"paginate-pages\"> <ul> ");
    let mut previous = 0;
    for page in 1..=last {
        let shown = page == 1 || page == last || page.abs_diff(current) <= 2;
        if !shown {
            continue;
        }
        if page > previous + 1 {
            out.push_str("<li class=\"paginate-page unseen-pages\">\u{2026}</li> ");
        }
        if page == current {
            let _ = write!(
                out,
                "<li class=\"paginate-page paginate-current\"><span>{page}</span></li> "
            );
        } else {
            let _ = write!(
                out,
                "<li class=\"paginate-page\"><a href=\"{}\">{page}</a></li> ",
                link(page)
            );
        }
        previous = page;
    }
    out.push_str("</ul> </div> </div>");
    out
}

/// The `data-postered-identifier` JSON, HTML-escaped, or nothing for a film without an id.
fn postered_identifier(film: &Film) -> Option<String> {
    let id = film.letterboxd_id?;
    let lid = film.boxd_id.as_deref().unwrap_or_default();
    Some(escape(&format!(
        "{{\"lid\":\"{lid}\",\"uid\":\"film:{id}\",\"type\":\"film\",\"typeName\":\"film\"}}"
    )))
}

/// How a LazyPoster is shown: its size, where it links, and whether it is in a member's grid.
pub struct PosterView<'a> {
    pub width: u32,
    pub height: u32,
    pub target_link: &'a str,
    pub watched: bool,
    pub in_watchlist: bool,
    /// The April-2026 grids dropped `data-film-id`; the film page's own poster dropped it in June.
    pub film_id_attribute: bool,
}

/// The LazyPoster react component: `div.react-component` with the item's data attributes and the
/// server-rendered `div.poster.film-poster` inside.
pub fn lazy_poster(film: &Film, view: &PosterView<'_>) -> String {
    let slug = film.key.as_str();
    let name = escape(&display_name(film));
    let mut out = String::with_capacity(2048);
    let _ = write!(
        out,
        "<div class=\"react-component\" data-component-class=\"LazyPoster\" data-request-poster-metadata=\"true\" \
data-likeable=\"true\" data-watchable=\"true\" data-rateable=\"true\" data-image-width=\"{w}\" data-image-height=\"{h}\" \
data-item-name=\"{name}\" data-item-slug=\"{slug}\" data-item-link=\"/film/{slug}/\" data-item-full-display-name=\"{name}\" ",
        w = view.width,
        h = view.height,
    );
    if view.film_id_attribute
        && let Some(id) = film.letterboxd_id
    {
        let _ = write!(out, "data-film-id=\"{id}\" ");
    }
    if let Some(identifier) = postered_identifier(film) {
        let _ = write!(out, "data-postered-identifier=\"{identifier}\" ");
    }
    let poster = film
        .poster_url
        .as_deref()
        .unwrap_or("https://s.ltrbxd.com/static/img/empty-poster-70-BSf-Pjrh.png");
    let _ = write!(
        out,
        "data-poster-url=\"/film/{slug}/image-150/\" \
data-empty-poster-src=\"https://s.ltrbxd.com/static/img/empty-poster-70-BSf-Pjrh.png\" data-is-linked=\"true\" \
data-target-link=\"{target}\" data-details-endpoint=\"/film/{slug}/json/\" data-show-menu=\"true\">\
<div class=\"poster film-poster\" data-watched=\"{watched}\" data-in-watchlist=\"{listed}\">\
<img src=\"{poster}\" width=\"{w}\" height=\"{h}\" alt=\"Poster for {name}\" class=\"image\" loading=\"lazy\">\
<a href=\"/film/{slug}/\" class=\"frame has-menu\" data-original-title=\"{name}\"><span class=\"frame-title\">{name}</span>\
<span class=\"overlay\"></span></a></div></div>",
        target = view.target_link,
        watched = view.watched,
        listed = view.in_watchlist,
        poster = escape(poster),
        w = view.width,
        h = view.height,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            escape(r#"Tom & "Jerry" <3 'x'"#),
            "Tom &amp; &quot;Jerry&quot; &lt;3 &#39;x&#39;"
        );
    }

    #[test]
    fn pagination_lists_ends_and_neighbours() {
        let html = pagination("/ann/films/", 10, 28, "Newer", "Older");
        assert!(html.contains("<span>10</span>"));
        assert!(html.contains("href=\"/ann/films/page/28/\">28</a>"));
        assert!(html.contains("href=\"/ann/films/\">1</a>"));
        assert!(html.contains("unseen-pages"));
        assert!(!html.contains(">5</a>"));
        let last = pagination("/ann/films/", 3, 3, "Newer", "Older");
        assert!(last.contains("<span>3</span>"));
        assert!(pagination("/ann/films/", 1, 1, "Newer", "Older").is_empty());
    }
}
