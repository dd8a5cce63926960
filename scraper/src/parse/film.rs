//! A film page (`/film/{slug}/`): the JSON-LD block first, the HTML for whatever it lacks.
//!
//! The JSON-LD carries title, year, genres, countries, poster and the community rating; the HTML
//! carries the rest (runtime, TMDB and IMDb ids, the boxd.it short link, the language) and, when the
//! JSON-LD is missing, all of it again. Since May 2026 the tab ids are `#tab-panel-genres` /
//! `#tab-panel-details` (before: `#tab-genres` / `#tab-details`); both are read.

use model::{ContentType, Film, FilmKey, Genre, GenreSet, TmdbRef};
use scraper::{ElementRef, Html};

use super::html::{self, clean, leading_number, selectors, split_title_year, text_of};
use super::jsonld::{JsonLdFilm, film_json_ld};
use super::{PageKind, ParseError, language};

selectors! {
    BODY = "body";
    OG_URL = r#"meta[property="og:url"]"#;
    OG_TITLE = r#"meta[property="og:title"]"#;
    HEADLINE = "h1.headline-1 .name, h1.headline-1, h1.primaryname";
    YEAR = r#"span.releasedate a, small.number a, div.releaseyear a, .productioninfo a[href^="/films/year/"]"#;
    FOOTER = "p.text-footer";
    TMDB_LINK = r#"p.text-footer a[href*="themoviedb.org/"]"#;
    IMDB_LINK = r#"p.text-footer a[href*="imdb.com/title/"], a[data-track-action="IMDb"]"#;
    SHORT_LINK = r#"input[value*="boxd.it/"]"#;
    REPORT = r#"[data-report-url*="/ajax/film:"]"#;
    POSTERS = "[data-item-slug], div.film-poster[data-film-id]";
    POSTER_IMAGE = "img[src]";
    GENRES = r#"#tab-genres a[href*="/films/genre/"], #tab-panel-genres a[href*="/films/genre/"]"#;
    COUNTRIES = r#"#tab-details a[href*="/films/country/"], #tab-panel-details a[href*="/films/country/"]"#;
    LANGUAGES = r#"#tab-details a[href*="/films/language/"], #tab-panel-details a[href*="/films/language/"]"#;
    AVERAGE = "span.average-rating a, .average-rating [data-original-title]";
    TWITTER_DATA = r#"meta[name^="twitter:data"]"#;
}

const PAGE: PageKind = PageKind::Film;

/// Reads a film page. Only the slug and title are required; a film with no community rating yet
/// has `lb_average: None`.
pub fn parse_film(html: &str) -> Result<Film, ParseError> {
    let doc = Html::parse_document(html);
    let ld = film_json_ld(&doc);
    let is_film_page = ld.is_some()
        || doc
            .select(&BODY)
            .next()
            .is_some_and(|body| body.attr("data-type") == Some("film"))
        || meta(&doc, &OG_URL).is_some_and(|url| url.contains("/film/"));
    if !is_film_page {
        return Err(ParseError::WrongPage {
            page: PAGE,
            expected: "a JSON-LD film block or body[data-type=film]",
        });
    }
    let ld = ld.unwrap_or_default();

    let slug = slug_of(&doc, &ld)?;
    let title = ld
        .name
        .clone()
        .or_else(|| doc.select(&HEADLINE).map(text_of).find(|t| !t.is_empty()))
        .or_else(|| meta(&doc, &OG_TITLE).map(|t| split_title_year(t).0))
        .filter(|t| !t.is_empty())
        .ok_or(ParseError::MissingField {
            page: PAGE,
            field: "title",
        })?;

    let own_posters = own_posters(&doc, &slug);
    let own_poster = own_posters.first().copied();
    let (tmdb_type, tmdb_id) = tmdb(&doc);
    let (average, count) = community_rating(&doc, &ld);

    let mut film = Film::stub(slug, title);
    film.year = ld.year.or_else(|| year_of(&doc));
    film.runtime_minutes = runtime(&doc);
    film.genres = genres(&doc, &ld);
    film.countries = if ld.countries.is_empty() {
        names(&doc, &COUNTRIES)
    } else {
        ld.countries.clone()
    };
    film.language = doc
        .select(&LANGUAGES)
        .find_map(|link| language::code_of(&text_of(link)))
        .map(str::to_owned);
    film.content_type = match tmdb_type.as_deref() {
        Some("tv") => ContentType::Tv,
        Some(_) => ContentType::Movie,
        None if ld.kind.as_deref().is_some_and(|k| k.starts_with("TV")) => ContentType::Tv,
        None => ContentType::Movie,
    };
    film.lb_average = average;
    film.lb_rating_count = count;
    film.poster_url = ld.image.clone().or_else(|| poster_image(&own_posters));
    film.letterboxd_id = letterboxd_id(&doc, own_poster);
    film.boxd_id = doc
        .select(&SHORT_LINK)
        .filter_map(|input| input.attr("value"))
        .find_map(html::boxd_id_in)
        .or_else(|| {
            own_poster
                .and_then(|poster| poster.attr("data-postered-identifier"))
                .and_then(|raw| html::postered_identifier(raw).1)
        });
    film.tmdb = tmdb_id.map(|id| TmdbRef {
        kind: film.content_type,
        id,
    });
    film.imdb_id = doc
        .select(&IMDB_LINK)
        .filter_map(|link| link.attr("href"))
        .find_map(imdb_id_in);
    Ok(film)
}

fn meta<'a>(doc: &'a Html, selector: &scraper::Selector) -> Option<&'a str> {
    doc.select(selector).find_map(|m| m.attr("content"))
}

fn slug_of(doc: &Html, ld: &JsonLdFilm) -> Result<FilmKey, ParseError> {
    let from_url = |url: &str| {
        url.contains("/film/")
            .then(|| FilmKey::parse(url).ok())
            .flatten()
    };
    ld.url
        .as_deref()
        .and_then(from_url)
        .or_else(|| meta(doc, &OG_URL).and_then(from_url))
        .or_else(|| {
            doc.select(&POSTERS)
                .filter_map(|poster| poster.attr("data-item-slug"))
                .find_map(|raw| FilmKey::parse(raw).ok())
        })
        .ok_or(ParseError::MissingField {
            page: PAGE,
            field: "slug (JSON-LD url, og:url or poster)",
        })
}

/// The page's own poster: the LazyPoster for this slug (2025), or the legacy `div.film-poster`
/// that carries no slug of another film.
fn own_posters<'a>(doc: &'a Html, slug: &FilmKey) -> Vec<ElementRef<'a>> {
    doc.select(&POSTERS)
        .filter(|poster| {
            match poster
                .attr("data-item-slug")
                .or_else(|| poster.attr("data-film-slug"))
            {
                Some(raw) => FilmKey::parse(raw).is_ok_and(|s| &s == slug),
                None => true,
            }
        })
        .collect()
}

fn year_of(doc: &Html) -> Option<u16> {
    doc.select(&YEAR)
        .find_map(|link| text_of(link).parse().ok())
        .or_else(|| meta(doc, &OG_TITLE).and_then(|t| split_title_year(t).1))
}

/// `105 mins` at the start of the footer; absent for films without a known runtime.
fn runtime(doc: &Html) -> Option<u16> {
    let footer = text_of(doc.select(&FOOTER).next()?);
    let minutes = leading_number(&footer)?;
    let rest = footer.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    if rest.starts_with("min") {
        u16::try_from(minutes).ok()
    } else {
        None
    }
}

fn genres(doc: &Html, ld: &JsonLdFilm) -> GenreSet {
    let listed = if ld.genres.is_empty() {
        names(doc, &GENRES)
    } else {
        ld.genres.clone()
    };
    // Letterboxd uses TMDB's 19 genres; a name outside them cannot be represented, so it is skipped.
    listed
        .iter()
        .filter_map(|name| Genre::parse(name).ok())
        .collect()
}

fn names(doc: &Html, selector: &scraper::Selector) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in doc.select(selector).map(text_of) {
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The TMDB type and id: `body[data-tmdb-type][data-tmdb-id]`, else the footer's TMDB link
/// (which also decides the type when the body's id is empty).
fn tmdb(doc: &Html) -> (Option<String>, Option<u64>) {
    let body = doc.select(&BODY).next();
    let body_type = body
        .and_then(|b| b.attr("data-tmdb-type"))
        .map(|t| t.trim().to_ascii_lowercase())
        .filter(|t| !t.is_empty());
    let body_id = body
        .and_then(|b| b.attr("data-tmdb-id"))
        .and_then(|id| id.trim().parse().ok());
    if body_type.is_some() && body_id.is_some() {
        return (body_type, body_id);
    }
    let link = doc.select(&TMDB_LINK).find_map(|link| {
        let href = link.attr("href")?;
        let at = href.find("themoviedb.org/")?;
        let mut parts = href[at + "themoviedb.org/".len()..].split('/');
        let kind = parts.next()?.to_ascii_lowercase();
        let id = leading_number(parts.next()?)?;
        Some((kind, id))
    });
    match link {
        // A type without its id is a placeholder, not a reading: 2026 pages of TV miniseries say
        // `data-tmdb-type="movie"` with an empty id while their TMDB link goes to `/tv/N`.
        Some((kind, id)) if body_id.is_none() => (Some(kind), Some(id)),
        Some((kind, _)) => (body_type.or(Some(kind)), body_id),
        None => (body_type, body_id),
    }
}

fn imdb_id_in(href: &str) -> Option<String> {
    let at = href.find("/title/")?;
    let id = href[at + "/title/".len()..].split('/').next()?;
    let digits = id.strip_prefix("tt")?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| id.to_owned())
}

/// Mean and count of the community rating: the JSON-LD `aggregateRating`, else the histogram's
/// tooltip ("Weighted average of 3.86 based on 871,061 ratings"), else the twitter card
/// ("3.86 out of 5"). A film nobody rated yet has neither.
fn community_rating(doc: &Html, ld: &JsonLdFilm) -> (Option<f32>, Option<u32>) {
    let valid = |avg: f64| (0.5..=5.0).contains(&avg).then_some(avg as f32);
    let count = |n: u64| u32::try_from(n).ok();
    if let Some(avg) = ld.rating_value.and_then(valid) {
        return (Some(avg), ld.rating_count.and_then(count));
    }
    let tooltip = doc.select(&AVERAGE).find_map(|link| {
        let title = link
            .attr("data-original-title")
            .or_else(|| link.attr("title"))?;
        let title = clean(title);
        let rest = &title[title.find("average of ")? + "average of ".len()..];
        let avg: f64 = rest.split(' ').next()?.parse().ok()?;
        let count = rest
            .find("based on ")
            .map(|at| &rest[at + "based on ".len()..])
            .and_then(|tail| tail.split(' ').next())
            .and_then(|n| n.replace(',', "").parse::<u64>().ok());
        Some((avg, count))
    });
    if let Some((avg, n)) = tooltip
        && let Some(avg) = valid(avg)
    {
        return (Some(avg), n.and_then(count));
    }
    let card = doc
        .select(&TWITTER_DATA)
        .filter_map(|m| m.attr("content"))
        .find_map(|content| content.strip_suffix(" out of 5")?.trim().parse().ok())
        .and_then(valid);
    (card, None)
}

/// The first real poster image (not the empty-poster placeholder) among the page's own posters.
fn poster_image(own_posters: &[ElementRef<'_>]) -> Option<String> {
    own_posters
        .iter()
        .flat_map(|poster| poster.select(&POSTER_IMAGE))
        .filter_map(|img| img.attr("src"))
        .find(|src| src.contains("/film-poster/"))
        .map(str::to_owned)
}

/// Letterboxd's numeric id: the report link (`/ajax/film:398800/report-form`), else the own
/// poster's `data-film-id`, else its postered-identifier JSON.
fn letterboxd_id(doc: &Html, own_poster: Option<ElementRef<'_>>) -> Option<u64> {
    doc.select(&REPORT)
        .filter_map(|el| el.attr("data-report-url"))
        .find_map(|url| leading_number(&url[url.find("/ajax/film:")? + "/ajax/film:".len()..]))
        .or_else(|| {
            let poster = own_poster?;
            poster
                .attr("data-film-id")
                .and_then(|id| id.trim().parse().ok())
                .or_else(|| {
                    poster
                        .attr("data-postered-identifier")
                        .and_then(|raw| html::postered_identifier(raw).0)
                })
        })
}
