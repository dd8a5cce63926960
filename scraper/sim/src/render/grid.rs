//! A member's films grid (`/{name}/films/page/N/`) and watchlist (`/{name}/watchlist/page/N/`).

use std::fmt::Write;

use model::{Film, Rating, Username};

use super::markup::{PosterView, lazy_poster, page, pagination};

/// One film of a member's films grid with the member's marks.
pub struct Watched<'a> {
    pub film: &'a Film,
    pub rating: Option<Rating>,
    pub liked: bool,
}

/// `★★★½` for seven half stars.
fn stars(rating: Rating) -> String {
    let half_stars = rating.half_stars();
    let mut out = "\u{2605}".repeat(usize::from(half_stars / 2));
    if half_stars % 2 == 1 {
        out.push('\u{bd}');
    }
    out
}

fn viewing_data(film: &Film, rating: Option<Rating>, liked: bool) -> String {
    let uid = film
        .letterboxd_id
        .map(|id| format!(" data-item-uid=\"film:{id}\""))
        .unwrap_or_default();
    let mut out = format!("<p class=\"poster-viewingdata\"{uid}> ");
    if let Some(rating) = rating {
        let _ = write!(
            out,
            "<span class=\"rating -micro -darker rated-{}\">{}</span> ",
            rating.half_stars(),
            stars(rating)
        );
    }
    if liked {
        out.push_str(
            "<span class=\"like liked-micro has-icon icon-liked icon-16\"><span class=\"icon\"></span></span> ",
        );
    }
    out.push_str("</p>");
    out
}

fn profile_nav(user: &Username) -> String {
    let name = user.as_str();
    format!(
        "<section class=\"profile-header js-profile-header\" data-person=\"{name}\">\
<h1 class=\"title-3\">{name}</h1></section>\
<nav class=\"profile-navigation\"><ul class=\"navlist\">\
<li class=\"navitem\"><a class=\"navlink\" href=\"/{name}/films/\">Films</a></li>\
<li class=\"navitem js-page-watchlist\" data-owner=\"{name}\"><a class=\"navlink\" href=\"/{name}/watchlist/\">Watchlist</a></li>\
<li data-owner=\"{name}\" class=\"navitem js-page-likes\"><a class=\"navlink\" href=\"/{name}/likes/films/\">Likes</a></li>\
</ul></nav>\n"
    )
}

/// Page `current` of `last` of a member's films grid, holding `films`.
pub fn films_page(
    user: &Username,
    total: usize,
    films: &[Watched<'_>],
    current: u32,
    last: u32,
) -> String {
    let name = user.as_str();
    let mut content = profile_nav(user);
    let _ = write!(
        content,
        "<div class=\"cols-2 overflow\"><section class=\"section col-main overflow\">\
<div id=\"content-nav\" class=\"tabbed\"> <h1 class=\"section-heading\"><span class=\"tooltip\" \
data-original-title=\"{total}&nbsp;films\">Watched</span></h1> </div>\n\
<div class=\"poster-grid\">\n<ul class=\"grid -p70\">\n"
    );
    for item in films {
        let slug = item.film.key.as_str();
        let target = format!("/film/{slug}/");
        let view = PosterView {
            width: 70,
            height: 105,
            target_link: &target,
            watched: true,
            in_watchlist: false,
            film_id_attribute: false,
        };
        let _ = write!(
            content,
            "<li class=\"griditem\">\n{} {}\n</li>\n",
            lazy_poster(item.film, &view),
            viewing_data(item.film, item.rating, item.liked)
        );
    }
    content.push_str("</ul>\n</div>\n");
    content.push_str(&pagination(
        &format!("/{name}/films/"),
        current,
        last,
        "Newer",
        "Older",
    ));
    content.push_str("\n</section></div>");
    page(
        &format!("{name}\u{2019}s films"),
        &format!("class=\"films-watched\" data-owner=\"{name}\""),
        "",
        &content,
    )
}

/// Page `current` of `last` of a member's watchlist.
pub fn watchlist_page(
    user: &Username,
    total: usize,
    films: &[&Film],
    current: u32,
    last: u32,
) -> String {
    let name = user.as_str();
    let mut content = profile_nav(user);
    let _ = write!(
        content,
        "<div class=\"cols-2 js-watchlist-content\" data-num-entries=\"{total}\">\
<section class=\"section col-17 col-main js-watchlist-main-content\"><header class=\"page-header\">\
<h1 class=\"section-heading\"><span class=\"replace-if-you\" data-person=\"{name}\">{name} wants</span> to see \
<span class=\"js-watchlist-count\">{total}&nbsp;films</span></h1></header>\n\
<div class=\"poster-grid\">\n<ul class=\"grid -p125 -constrained\">\n"
    );
    for film in films {
        let slug = film.key.as_str();
        let target = format!("/film/{slug}/");
        let view = PosterView {
            width: 125,
            height: 187,
            target_link: &target,
            watched: false,
            in_watchlist: true,
            film_id_attribute: false,
        };
        let _ = write!(
            content,
            "<li class=\"griditem\">\n{}\n</li>\n",
            lazy_poster(film, &view)
        );
    }
    content.push_str("</ul>\n</div>\n");
    content.push_str(&pagination(
        &format!("/{name}/watchlist/"),
        current,
        last,
        "Newer",
        "Older",
    ));
    content.push_str("\n</section></div>");
    page(
        &format!("{name}\u{2019}s Watchlist"),
        "class=\"watchlist\"",
        "",
        &content,
    )
}
