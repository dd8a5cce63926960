//! A member's diary: `/{member}/films/diary/` and `/{member}/films/diary/page/N/`, 50 entries a
//! page, newest first.
//!
//! No diary page is saved among the fixtures, so the selectors follow what public scrapers read
//! (letterboxdpy's `pages/user_diary.py`; the goquery scraper in monks.co's `letterboxd` package;
//! a cheerio diary reader of the LBE extension): `tr.diary-entry-row` rows of `table#diary-table`
//! in two layouts.
//! - Until 2024: `td.td-calendar` (`strong` month abbreviation, `small` year, on the first row of
//!   each month only), `td.td-day a`, `td.td-film-details` with `div.film-poster[data-film-slug]`,
//!   `td.td-rating span.rating.rated-N`, `td.td-rewatch`.
//! - Since 2025: `td.col-monthdate`, `td.col-daydate a`, `td.col-production` with the LazyPoster's
//!   `[data-item-slug]`, `td.col-rating` (`.editable-rating input[value]` or `span.rating`),
//!   `td.col-rewatch`.
//!
//! In both the day links to `/{member}/films/diary/for/YYYY/MM/DD/`, which names the date
//! unambiguously and wins; the carried month is the fallback. The rewatch cell is on every row and
//! carries `icon-status-off` when the watch is not a rewatch.

use model::{FilmKey, Rating, WatchDate};
use scraper::{ElementRef, Html};
use serde::Serialize;

use super::html::{self, leading_number, selectors, text_of};
use super::{PageKind, ParseError};

selectors! {
    ROW = "tr.diary-entry-row";
    TABLE = "table#diary-table, #diary-table";
    CALENDAR = "td.td-calendar, td.col-monthdate";
    MONTH_TEXT = "strong, .month";
    YEAR_TEXT = "small, .year";
    DAY = "td.td-day, td.col-daydate, td.diary-day";
    LINK = "a[href]";
    SLUGGED = "[data-film-slug], [data-item-slug]";
    FILM_LINK = "td.td-film-details a[href], td.col-production a[href], h3 a[href], h2 a[href]";
    RATING_CELL = "td.td-rating, td.col-rating";
    RATED = "span.rating";
    RATING_INPUT = ".editable-rating input[value]";
    REWATCH = "td.td-rewatch, td.col-rewatch";
}

/// One page of a diary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiaryPage {
    /// In page order (newest first).
    pub entries: Vec<DiaryRow>,
    /// Rows without a readable date or film: skipped, never guessed.
    pub skipped: usize,
    /// The diary's last page number (at least 1).
    pub last_page: u32,
}

/// One diary entry as its row shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiaryRow {
    pub key: FilmKey,
    pub date: WatchDate,
    pub rewatch: bool,
    /// The rating given with this watch, if any.
    pub rating: Option<Rating>,
}

/// Reads one diary page. A page with no row is valid (an empty diary) as long as it is a diary or
/// at least a member's page.
pub fn parse_diary(html: &str) -> Result<DiaryPage, ParseError> {
    let doc = Html::parse_document(html);
    let rows: Vec<ElementRef<'_>> = doc.select(&ROW).collect();
    if rows.is_empty() && doc.select(&TABLE).next().is_none() {
        return Err(ParseError::WrongPage {
            page: PageKind::Diary,
            expected: "tr.diary-entry-row or table#diary-table",
        });
    }
    let mut entries = Vec::with_capacity(rows.len());
    let mut skipped = 0;
    // The month of the rows above: the calendar cell is filled on a month's first row only.
    let mut month: Option<(u16, u8)> = None;
    for row in rows {
        if let Some(shown) = row.select(&CALENDAR).next().and_then(month_of) {
            month = Some(shown);
        }
        match read_row(row, month) {
            Some(entry) => {
                // A row dated by its link also tells the month of the rows below it.
                month = Some((entry.date.year(), entry.date.month()));
                entries.push(entry);
            }
            None => skipped += 1,
        }
    }
    let pages = html::pagination(&doc);
    let last_page = pages
        .last_listed
        .into_iter()
        .chain(pages.next)
        .max()
        .unwrap_or(1);
    Ok(DiaryPage {
        entries,
        skipped,
        last_page,
    })
}

fn read_row(row: ElementRef<'_>, month: Option<(u16, u8)>) -> Option<DiaryRow> {
    Some(DiaryRow {
        key: slug_of(row)?,
        date: date_of(row, month)?,
        rewatch: row.select(&REWATCH).next().is_some_and(|cell| {
            !cell
                .value()
                .classes()
                .any(|class| class == "icon-status-off")
        }),
        rating: row.select(&RATING_CELL).next().and_then(rating_of),
    })
}

/// The date in the day link, or the day's number in the carried month.
fn date_of(row: ElementRef<'_>, month: Option<(u16, u8)>) -> Option<WatchDate> {
    let cell = row.select(&DAY).next()?;
    let link = cell.select(&LINK).next();
    if let Some(date) = link.and_then(|a| a.attr("href")).and_then(date_in_href) {
        return Some(date);
    }
    let day = leading_number(&link.map_or_else(|| text_of(cell), text_of))?;
    let (year, month) = month?;
    WatchDate::new(year, month, u8::try_from(day).ok()?)
}

/// `/ann/films/diary/for/2024/03/05/` -> 2024-03-05.
fn date_in_href(href: &str) -> Option<WatchDate> {
    let (_, rest) = href.split_once("/for/")?;
    let mut parts = rest.split('/').filter(|part| !part.is_empty());
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    WatchDate::new(year, month, day)
}

/// The month a calendar cell shows: from its month link (`/for/2024/03/`), else its texts.
fn month_of(cell: ElementRef<'_>) -> Option<(u16, u8)> {
    let linked = cell
        .select(&LINK)
        .filter_map(|a| a.attr("href"))
        .find_map(|href| {
            let (_, rest) = href.split_once("/for/")?;
            let mut parts = rest.split('/').filter(|part| !part.is_empty());
            let year: u16 = parts.next()?.parse().ok()?;
            let month: u8 = parts.next()?.parse().ok()?;
            (1..=12).contains(&month).then_some((year, month))
        });
    if linked.is_some() {
        return linked;
    }
    let month = cell
        .select(&MONTH_TEXT)
        .find_map(|el| month_number(&text_of(el)))?;
    let year = cell
        .select(&YEAR_TEXT)
        .find_map(|el| leading_number(&text_of(el)))
        .and_then(|y| u16::try_from(y).ok())
        .filter(|y| (1870..=9999).contains(y))?;
    Some((year, month))
}

/// `Mar`, `March`, `mar` -> 3.
fn month_number(raw: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = raw.trim().to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .and_then(|at| u8::try_from(at + 1).ok())
}

/// The film's slug from the poster's or the actions' data attributes, else the film link.
fn slug_of(row: ElementRef<'_>) -> Option<FilmKey> {
    let attributes = row.select(&SLUGGED).flat_map(|el| {
        ["data-film-slug", "data-item-slug"]
            .into_iter()
            .filter_map(move |name| el.attr(name))
    });
    let links = row
        .select(&FILM_LINK)
        .filter_map(|a| a.attr("href"))
        .filter_map(|href| {
            let (_, rest) = href.split_once("/film/")?;
            rest.split('/').next()
        });
    attributes
        .chain(links)
        .find_map(|raw| FilmKey::parse(raw).ok())
}

/// `span.rating.rated-N` (N half stars), or the owner's rating input (0 means unrated).
fn rating_of(cell: ElementRef<'_>) -> Option<Rating> {
    let from_class = cell.select(&RATED).find_map(|span| {
        span.value()
            .classes()
            .filter_map(|class| class.strip_prefix("rated-"))
            .find_map(|n| n.parse::<u8>().ok())
    });
    let from_input = || {
        cell.select(&RATING_INPUT)
            .find_map(|input| input.attr("value")?.trim().parse::<u8>().ok())
    };
    from_class
        .or_else(from_input)
        .and_then(|n| Rating::from_half_stars(n).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEGACY: &str = include_str!("../../tests/data/diary_page.html");

    fn date(y: u16, m: u8, d: u8) -> WatchDate {
        WatchDate::new(y, m, d).unwrap()
    }

    fn key(raw: &str) -> FilmKey {
        FilmKey::parse(raw).unwrap()
    }

    #[test]
    fn the_legacy_layout_carries_the_month_across_rows_and_reads_marks() {
        let page = parse_diary(LEGACY).unwrap();
        let read: Vec<(&str, WatchDate, bool, Option<u8>)> = page
            .entries
            .iter()
            .map(|e| {
                (
                    e.key.as_str(),
                    e.date,
                    e.rewatch,
                    e.rating.map(Rating::half_stars),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                // Linked day: the href's date.
                ("heat-1995", date(2024, 3, 5), false, Some(8)),
                // No link on the day: the carried March 2024.
                ("alien", date(2024, 3, 2), true, Some(9)),
                ("the-thing", date(2024, 3, 1), false, None),
                // A new month on the calendar cell, text only.
                ("paris-texas", date(2024, 2, 29), false, Some(10)),
                ("ran", date(2024, 2, 3), true, Some(7)),
            ]
        );
        // The malformed rows: no film, 31 February, no day at all.
        assert_eq!(page.skipped, 3);
        assert_eq!(page.last_page, 7);
    }

    #[test]
    fn the_2025_layout_reads_dates_from_links_and_the_rating_input() {
        let html = r#"<html><body><table id="diary-table"><tbody>
<tr class="diary-entry-row" data-viewing-id="1">
 <td class="col-monthdate"><div class="monthdate"><a class="month" href="/ann/films/diary/for/2025/01/">Jan</a><a class="year" href="/ann/films/diary/for/2025/">2025</a></div></td>
 <td class="col-daydate diary-day"><a class="daydate" href="/ann/films/diary/for/2025/01/01/">01</a></td>
 <td class="col-production"><div class="react-component" data-item-slug="dune-part-two" data-item-name="Dune: Part Two (2024)"></div><h2 class="name"><a href="/ann/film/dune-part-two/">Dune: Part Two</a></h2></td>
 <td class="col-rating"><div class="editable-rating"><input type="range" value="6"></div></td>
 <td class="col-rewatch center"><span class="icon-rewatch"></span></td>
</tr>
<tr class="diary-entry-row" data-viewing-id="2">
 <td class="col-monthdate"></td>
 <td class="col-daydate diary-day"><a class="daydate" href="/ann/films/diary/for/2024/12/31/">31</a></td>
 <td class="col-production"><h2 class="name"><a href="/ann/film/anora/">Anora</a></h2></td>
 <td class="col-rating"><div class="editable-rating"><input type="range" value="0"></div></td>
 <td class="col-rewatch center icon-status-off"><span class="icon-rewatch"></span></td>
</tr>
</tbody></table>
<div class="pagination"><div class="paginate-nextprev"><a class="next" href="/ann/films/diary/page/2/">Older</a></div></div>
</body></html>"#;
        let page = parse_diary(html).unwrap();
        assert_eq!(
            page.entries,
            [
                DiaryRow {
                    key: key("dune-part-two"),
                    date: date(2025, 1, 1),
                    rewatch: true,
                    rating: Rating::from_half_stars(6).ok(),
                },
                DiaryRow {
                    key: key("anora"),
                    date: date(2024, 12, 31),
                    rewatch: false,
                    rating: None,
                },
            ]
        );
        assert_eq!((page.skipped, page.last_page), (0, 2));
    }

    #[test]
    fn an_empty_diary_is_one_page_and_another_page_is_an_error() {
        let empty = r#"<html><body><table id="diary-table"><tbody></tbody></table></body></html>"#;
        assert_eq!(
            parse_diary(empty).unwrap(),
            DiaryPage {
                entries: vec![],
                skipped: 0,
                last_page: 1
            }
        );
        assert!(matches!(
            parse_diary("<html><body><h1>Just a moment...</h1></body></html>"),
            Err(ParseError::WrongPage {
                page: PageKind::Diary,
                ..
            })
        ));
    }

    #[test]
    fn rows_without_a_month_are_skipped_not_guessed() {
        // A day without a link and no calendar cell above it: the month is unknown.
        let html = r#"<table id="diary-table"><tr class="diary-entry-row">
<td class="td-day">12</td><td class="td-film-details"><div class="film-poster" data-film-slug="heat-1995"></div></td>
</tr></table>"#;
        let page = parse_diary(html).unwrap();
        assert!(page.entries.is_empty());
        assert_eq!(page.skipped, 1);
    }

    #[test]
    fn hrefs_and_month_names_parse_strictly() {
        assert_eq!(
            date_in_href("/ann/films/diary/for/2024/02/29/"),
            Some(date(2024, 2, 29))
        );
        assert_eq!(date_in_href("/ann/films/diary/for/2023/02/29/"), None);
        assert_eq!(date_in_href("/ann/films/diary/for/2024/02/"), None);
        assert_eq!(date_in_href("/ann/films/diary/"), None);
        assert_eq!(month_number("Sep"), Some(9));
        assert_eq!(month_number("december"), Some(12));
        assert_eq!(month_number("Ma"), None);
        assert_eq!(month_number("Foo"), None);
    }
}
