//! A member's diary (`/{name}/films/diary/page/N/`), 50 entries a page, newest first, in the
//! 2025 layout public scrapers read (`tr.diary-entry-row` with `td.col-*` cells, the day linking
//! to `/{name}/films/diary/for/YYYY/MM/DD/`, the month shown on a month's first row of a page).

use std::fmt::Write;

use model::{Film, Username};

use super::markup::{PosterView, escape, lazy_poster, page, pagination};
use crate::watches::LoggedWatch;

/// One row: the film and the member's watch of it.
pub struct Logged<'a> {
    pub film: &'a Film,
    pub watch: &'a LoggedWatch,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Page `current` of `last` of `user`'s diary, holding `rows` in page order.
pub fn diary_page(user: &Username, rows: &[Logged<'_>], current: u32, last: u32) -> String {
    let name = user.as_str();
    let mut content = String::from(
        "<section class=\"section col-main\"><h1 class=\"section-heading\">Diary</h1>\n\
<table class=\"table film-table\" id=\"diary-table\">\n<thead><tr>\
<th class=\"col-monthdate\">Month</th><th class=\"col-daydate\">Day</th><th class=\"col-production\">Film</th>\
<th class=\"col-releaseyear\">Released</th><th class=\"col-rating\">Rating</th><th class=\"col-like\">Like</th>\
<th class=\"col-rewatch\">Rewatch</th><th class=\"col-review\">Review</th><th class=\"col-actions\"></th>\
</tr></thead>\n<tbody>\n",
    );
    let mut shown_month = None;
    for (index, row) in rows.iter().enumerate() {
        let date = row.watch.date;
        let (y, m, d) = (date.year(), date.month(), date.day());
        let month_cell = if shown_month == Some((y, m)) {
            String::new()
        } else {
            shown_month = Some((y, m));
            let abbr = MONTHS[usize::from(m.clamp(1, 12) - 1)];
            format!(
                "<div class=\"monthdate\"><a class=\"month\" href=\"/{name}/films/diary/for/{y}/{m:02}/\">{abbr}</a>\
<a class=\"year\" href=\"/{name}/films/diary/for/{y}/\">{y}</a></div>"
            )
        };
        let slug = row.film.key.as_str();
        let target = format!("/{name}/film/{slug}/");
        let poster = lazy_poster(
            row.film,
            &PosterView {
                width: 35,
                height: 52,
                target_link: &target,
                watched: true,
                in_watchlist: false,
                film_id_attribute: false,
            },
        );
        let rating = row.watch.rating.map_or(0, |rating| rating.half_stars());
        let rated = if rating > 0 {
            format!("<span class=\"rating rated-{rating}\"></span>")
        } else {
            String::new()
        };
        let off = |on: bool| if on { "" } else { " icon-status-off" };
        let _ = write!(
            content,
            "<tr class=\"diary-entry-row\" data-viewing-id=\"{id}\" data-owner=\"{name}\">\n\
<td class=\"col-monthdate\">{month_cell}</td>\n\
<td class=\"col-daydate diary-day\"><a class=\"daydate\" href=\"/{name}/films/diary/for/{y}/{m:02}/{d:02}/\">{d:02}</a></td>\n\
<td class=\"col-production\">{poster}<h2 class=\"name -primary prettify\"><a href=\"{target}\">{title}</a></h2></td>\n\
<td class=\"col-releaseyear\"><span>{year}</span></td>\n\
<td class=\"col-rating\"><div class=\"editable-rating\"><input type=\"range\" min=\"0\" max=\"10\" value=\"{rating}\"></div>{rated}</td>\n\
<td class=\"col-like{liked}\"><span class=\"has-icon icon-liked icon-16\"></span></td>\n\
<td class=\"col-rewatch center{rewatch}\"><span class=\"has-icon icon-rewatch icon-16\">Rewatch</span></td>\n\
<td class=\"col-review center icon-status-off\"></td>\n\
<td class=\"col-actions\"></td>\n</tr>\n",
            id = (u64::from(current) << 16) + index as u64,
            title = escape(&row.film.title),
            year = row.film.year.map(|y| y.to_string()).unwrap_or_default(),
            liked = off(row.watch.liked),
            rewatch = off(row.watch.rewatch),
        );
    }
    content.push_str("</tbody>\n</table>\n");
    content.push_str(&pagination(
        &format!("/{name}/films/diary/"),
        current,
        last,
        "Newer",
        "Older",
    ));
    content.push_str("\n</section>");
    page(
        &format!("{name}\u{2019}s film diary"),
        &format!("class=\"diary\" data-owner=\"{name}\""),
        "",
        &content,
    )
}
