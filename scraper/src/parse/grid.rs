//! Member film grids: `/{member}/films/page/N/`, `/{member}/watchlist/page/N/` and lists.
//!
//! Three markups are read: the 2025 `li.griditem` holding a `div.react-component` LazyPoster, its
//! April-2026 form without `data-film-id` (the numeric id only in `data-postered-identifier`), and
//! the legacy `li.poster-container > div.film-poster`.

use model::{FilmKey, FilmRef, Rating};
use scraper::{ElementRef, Html};
use serde::Serialize;

use super::html::{self, selectors, split_title_year, text_of};
use super::{PageKind, ParseError};

selectors! {
    ITEM = "li.griditem, li.poster-container, li.posteritem";
    GRID = "div.poster-grid, ul.poster-list, ul.grid, ul.js-list-entries";
    POSTER = "[data-item-slug], [data-film-slug], [data-item-link], [data-target-link]";
    RATING = "span.rating";
    LIKE = "span.like";
    IMAGE = "img[alt]";
    FRAME_TITLE = "span.frame-title";
}

/// One page of a film grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridPage {
    pub films: Vec<GridFilm>,
    /// The grid's last page number (at least 1): a profile of n films has ceil(n / 72) pages.
    pub last_page: u32,
}

/// A film as a grid shows it, with the member's rating and like when the grid carries them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridFilm {
    pub film: FilmRef,
    /// `None` for a film watched but not rated, and on watchlists.
    pub rating: Option<Rating>,
    pub liked: bool,
}

/// Reads one grid page. A page with no film is valid (an empty profile) as long as it is a grid.
pub fn parse_grid(html: &str) -> Result<GridPage, ParseError> {
    let doc = Html::parse_document(html);
    let films = doc
        .select(&ITEM)
        .enumerate()
        .map(|(index, item)| grid_film(index, item))
        .collect::<Result<Vec<_>, _>>()?;
    if films.is_empty() && doc.select(&GRID).next().is_none() {
        return Err(ParseError::WrongPage {
            page: PageKind::Grid,
            expected: "li.griditem, li.poster-container or a poster grid",
        });
    }
    let pages = html::pagination(&doc);
    let last_page = pages
        .last_listed
        .into_iter()
        .chain(pages.next)
        .max()
        .unwrap_or(1);
    Ok(GridPage { films, last_page })
}

fn grid_film(index: usize, item: ElementRef<'_>) -> Result<GridFilm, ParseError> {
    let invalid = |field| ParseError::InvalidItem {
        page: PageKind::Grid,
        index,
        field,
    };
    let poster = item.select(&POSTER).next().ok_or(invalid("film poster"))?;
    let slug = [
        "data-item-slug",
        "data-film-slug",
        "data-item-link",
        "data-target-link",
    ]
    .into_iter()
    .filter_map(|name| poster.attr(name))
    .find_map(|raw| FilmKey::parse(raw).ok())
    .ok_or(invalid("slug"))?;
    let (title, mut year) = title_and_year(item, poster);
    if year.is_none() {
        year = poster
            .attr("data-film-release-year")
            .and_then(|raw| raw.trim().parse().ok());
    }
    let letterboxd_id = poster
        .attr("data-film-id")
        .and_then(|raw| raw.trim().parse().ok())
        .or_else(|| {
            poster
                .attr("data-postered-identifier")
                .and_then(|raw| html::postered_identifier(raw).0)
        });
    Ok(GridFilm {
        film: FilmRef {
            key: slug,
            title,
            year,
            letterboxd_id,
        },
        rating: item.select(&RATING).find_map(rating_of),
        liked: item.select(&LIKE).next().is_some(),
    })
}

/// The title and year from the LazyPoster's name (`Anniversary (2025)`), or what the legacy
/// markup offers: the poster image's alt text or the frame title.
fn title_and_year(item: ElementRef<'_>, poster: ElementRef<'_>) -> (Option<String>, Option<u16>) {
    let named = [
        "data-item-name",
        "data-item-full-display-name",
        "data-film-name",
    ]
    .into_iter()
    .filter_map(|name| poster.attr(name))
    .map(split_title_year)
    .find(|(title, _)| !title.is_empty());
    if let Some((title, year)) = named {
        return (Some(title), year);
    }
    let alt = item
        .select(&IMAGE)
        .filter_map(|img| img.attr("alt"))
        .map(|alt| alt.trim().trim_start_matches("Poster for ").to_owned())
        .chain(item.select(&FRAME_TITLE).map(text_of))
        .map(|raw| split_title_year(&raw))
        .find(|(title, _)| !title.is_empty());
    match alt {
        Some((title, year)) => (Some(title), year),
        None => (None, None),
    }
}

/// `span.rating.rated-N` (N half stars); the star glyphs when the class is missing.
fn rating_of(span: ElementRef<'_>) -> Option<Rating> {
    span.value()
        .classes()
        .filter_map(|class| class.strip_prefix("rated-"))
        .find_map(|n| n.parse::<u8>().ok())
        .and_then(|n| Rating::from_half_stars(n).ok())
        .or_else(|| Rating::parse(&text_of(span)).ok())
}
