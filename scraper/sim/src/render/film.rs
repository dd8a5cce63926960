//! A film page (`/film/{slug}/`) in the current markup: the masthead, the poster (no
//! `data-film-id` since June 2026), the `#tab-panel-*` tabs (May 2026), the footer with runtime,
//! IMDb and TMDB links, the boxd.it share link, and the CDATA-wrapped JSON-LD block at the end.

use std::fmt::Write;

use model::{ContentType, Film};
use serde::Serialize;

use super::markup::{PosterView, display_name, escape, lazy_poster, page};

/// ISO 639-1 codes (TMDB's, as the dataset stores them) and the names Letterboxd shows.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("ar", "Arabic"),
    ("bn", "Bengali"),
    ("ca", "Catalan"),
    ("cn", "Cantonese"),
    ("cs", "Czech"),
    ("da", "Danish"),
    ("de", "German"),
    ("el", "Greek"),
    ("en", "English"),
    ("es", "Spanish"),
    ("et", "Estonian"),
    ("fa", "Persian"),
    ("fi", "Finnish"),
    ("fr", "French"),
    ("ga", "Irish"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hr", "Croatian"),
    ("hu", "Hungarian"),
    ("hy", "Armenian"),
    ("id", "Indonesian"),
    ("ig", "Igbo"),
    ("is", "Icelandic"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ka", "Georgian"),
    ("kn", "Kannada"),
    ("ko", "Korean"),
    ("lv", "Latvian"),
    ("ml", "Malayalam"),
    ("nl", "Dutch"),
    ("no", "Norwegian"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sr", "Serbian"),
    ("sv", "Swedish"),
    ("sw", "Swahili"),
    ("ta", "Tamil"),
    ("te", "Telugu"),
    ("th", "Thai"),
    ("tl", "Filipino"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("wo", "Wolof"),
    ("xx", "No spoken language"),
    ("zh", "Chinese"),
];

/// The name Letterboxd shows for a language code, if the simulator knows it.
pub fn language_name(code: &str) -> Option<&'static str> {
    LANGUAGE_NAMES
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, name)| *name)
}

#[derive(Serialize)]
struct JsonLd<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "releasedEvent", skip_serializing_if = "Vec::is_empty")]
    released: Vec<Event>,
    #[serde(rename = "@context")]
    context: &'static str,
    url: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    genre: Vec<&'static str>,
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "countryOfOrigin", skip_serializing_if = "Vec::is_empty")]
    countries: Vec<Named<'a>>,
    #[serde(rename = "aggregateRating", skip_serializing_if = "Option::is_none")]
    rating: Option<Aggregate>,
}

#[derive(Serialize)]
struct Event {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "startDate")]
    start_date: String,
}

#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Aggregate {
    #[serde(rename = "bestRating")]
    best: u8,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "ratingValue")]
    value: f32,
    #[serde(rename = "ratingCount", skip_serializing_if = "Option::is_none")]
    count: Option<u32>,
    #[serde(rename = "worstRating")]
    worst: u8,
}

fn json_ld(film: &Film, url: &str) -> String {
    let ld = JsonLd {
        image: film.poster_url.as_deref(),
        kind: "Movie",
        released: film
            .year
            .map(|year| Event {
                kind: "PublicationEvent",
                start_date: year.to_string(),
            })
            .into_iter()
            .collect(),
        context: "http://schema.org",
        url,
        name: &film.title,
        genre: film.genres.iter().map(|genre| genre.name()).collect(),
        id: url,
        countries: film
            .countries
            .iter()
            .map(|name| Named {
                kind: "Country",
                name,
            })
            .collect(),
        rating: film.lb_average.map(|value| Aggregate {
            best: 5,
            kind: "aggregateRating",
            value,
            count: film.lb_rating_count,
            worst: 0,
        }),
    };
    // `<` escaped so no title can close the script element early.
    serde_json::to_string(&ld)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// Letterboxd keeps the last two words of a title together with a no-break space.
fn widont(title: &str) -> String {
    let escaped = escape(title);
    match escaped.rfind(' ') {
        Some(at) => format!("{}&nbsp;{}", &escaped[..at], &escaped[at + 1..]),
        None => escaped,
    }
}

fn links(names: &[String], kind: &str) -> String {
    names
        .iter()
        .map(|name| {
            let path = name.to_ascii_lowercase().replace(' ', "-");
            format!(
                "<a href=\"/films/{kind}/{}/\" class=\"text-slug\">{}</a>",
                escape(&path),
                escape(name)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `871,061`.
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

pub fn film_page(film: &Film) -> String {
    let slug = film.key.as_str();
    let url = format!("https://letterboxd.com/film/{slug}/");
    let name = display_name(film);
    let tmdb_kind = match film.content_type {
        ContentType::Movie => "movie",
        ContentType::Tv => "tv",
    };
    let mut head = format!(
        "<meta property=\"og:type\" content=\"video.movie\">\n\
<meta property=\"og:url\" content=\"{url}\">\n\
<meta property=\"og:title\" content=\"{title}\">\n\
<meta name=\"twitter:title\" content=\"{title}\">\n",
        title = escape(&name)
    );
    if let Some(average) = film.lb_average {
        let _ = write!(
            head,
            "<meta name=\"twitter:label2\" content=\"Average rating\">\n\
<meta name=\"twitter:data2\" content=\"{average:.2} out of 5\">\n"
        );
    }
    let mut body_attrs =
        format!("class=\"film backdropped\" data-type=\"film\" data-tmdb-type=\"{tmdb_kind}\"");
    if let Some(tmdb) = film.tmdb.map(|t| t.id) {
        let _ = write!(body_attrs, " data-tmdb-id=\"{tmdb}\"");
    }

    let mut content = String::with_capacity(8192);
    let view = PosterView {
        width: 230,
        height: 345,
        target_link: "/",
        watched: false,
        in_watchlist: false,
        film_id_attribute: false,
    };
    let _ = write!(
        content,
        "<div id=\"film-page-wrapper\" class=\"cols-3 overflow\">\n\
<div class=\"col-6 gutter-right-1 col-poster-large\" id=\"js-poster-col\">\
<section class=\"poster-list -p230 -single no-hover el col\">{poster}</section></div>\n\
<div class=\"col-17\"><section class=\"production-masthead -shadowed -productionscreen -film\"><div class=\"details\">\n\
<h1 class=\"headline-1 primaryname\"><span class=\"name js-widont prettify\">{headline}</span></h1>\n\
<div class=\"productioninfo\">",
        poster = lazy_poster(film, &view),
        headline = widont(&film.title),
    );
    if let Some(year) = film.year {
        let _ = write!(
            content,
            "<span class=\"releasedate\"> <a href=\"/films/year/{year}/\">{year}</a> </span>"
        );
    }
    content.push_str("</div></div></section>\n<section class=\"section col-10 col-main\">\n");

    let genre_names: Vec<String> = film.genres.iter().map(|g| g.name().to_owned()).collect();
    let language = film.language.as_deref().and_then(language_name);
    let _ = write!(
        content,
        "<div id=\"tabbed-content\" data-selected-tab=\"\"> <header> <ul> \
<li><a href=\"/film/{slug}/details/\" data-id=\"details\">Details</a></li> \
<li><a href=\"/film/{slug}/genres/\" data-id=\"genres\">Genres</a></li> </ul> </header> \
<div id=\"tab-panel-details\" class=\"tabbed-content-block column-block\">"
    );
    if !film.countries.is_empty() {
        let _ = write!(
            content,
            " <h3><span>Countries</span></h3> <div class=\"text-sluglist\"> <p> {} </p> </div>",
            links(&film.countries, "country")
        );
    }
    if let Some(language) = language {
        let _ = write!(
            content,
            " <h3><span>Primary Language</span></h3> <div class=\"text-sluglist\"> <p> {} </p> </div>",
            links(&[language.to_owned()], "language")
        );
    }
    content.push_str(
        " </div> <div id=\"tab-panel-genres\" class=\"tabbed-content-block column-block\">",
    );
    if !genre_names.is_empty() {
        let _ = write!(
            content,
            " <h3><span>Genres</span></h3> <div class=\"text-sluglist capitalize\"> <p> {} </p> </div>",
            links(&genre_names, "genre")
        );
    }
    content.push_str(" </div> </div>\n<p class=\"text-link text-footer\"> ");
    if let Some(minutes) = film.runtime_minutes {
        let _ = write!(content, "{minutes}&nbsp;mins &nbsp; ");
    }
    content.push_str("More at ");
    if let Some(imdb) = &film.imdb_id {
        let _ = write!(
            content,
            "<a href=\"http://www.imdb.com/title/{}/maindetails\" class=\"micro-button track-event\" \
data-track-action=\"IMDb\" target=\"_blank\">IMDb</a> ",
            escape(imdb)
        );
    }
    if let Some(tmdb) = film.tmdb.map(|t| t.id) {
        let _ = write!(
            content,
            "<a href=\"https://www.themoviedb.org/{tmdb_kind}/{tmdb}/\" class=\"micro-button track-event\" \
data-track-action=\"TMDB\" target=\"_blank\">TMDB</a> "
        );
    }
    if let Some(id) = film.letterboxd_id {
        let _ = write!(
            content,
            "<span class=\"block-flag-wrapper show-on-hover\"> <a href=\"#\" class=\"block-or-report-flag report-link \
has-icon icon-16 icon-report tooltip cboxElement\" data-report-url=\"/ajax/film:{id}/report-form\" \
data-original-title=\"Report this page\"><span class=\"icon\"></span>Report this page</a> </span> "
        );
    }
    content.push_str("</p>\n</section>\n<aside class=\"sidebar\"><ul class=\"js-actions-panel\">");
    if let Some(boxd) = &film.boxd_id {
        let field = film
            .letterboxd_id
            .map_or_else(|| slug.to_owned(), |id| id.to_string());
        let _ = write!(
            content,
            "<li class=\"panel-sharing sharing-toggle js-actions-panel-sharing\"> <div class=\"urlgroup\"> \
<input id=\"url-field-film-{field}\" type=\"text\" value=\"https://boxd.it/{}\" readonly=\"\" spellcheck=\"false\"> \
</div> </li>",
            escape(boxd)
        );
    }
    if let Some(average) = film.lb_average {
        let count = film
            .lb_rating_count
            .map(|count| format!(" based on {} ratings", thousands(count)))
            .unwrap_or_default();
        let _ = write!(
            content,
            "<li><section class=\"section ratings-histogram-chart\"> <span class=\"average-rating\"> \
<a href=\"/film/{slug}/ratings/\" class=\"tooltip display-rating\" \
data-original-title=\"Weighted average of {average}{count}\"> {average:.1} </a> </span> </section></li>"
        );
    }
    let _ = write!(
        content,
        "</ul></aside>\n</div>\n</div>\n<script type=\"application/ld+json\">\n/* <![CDATA[ */\n{}\n/* ]]> */\n</script>",
        json_ld(film, &url)
    );
    page(&name, &body_attrs, &head, &content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_counts_like_letterboxd() {
        assert_eq!(thousands(871_061), "871,061");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
    }
}
