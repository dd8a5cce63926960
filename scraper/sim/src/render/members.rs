//! This week's popular members (`/members/popular/this/week/page/N/`): a `table.member-table`
//! of 30 rows with previous/next links only, as on letterboxd.com.

use std::fmt::Write;

use model::Username;

use super::markup::page;

/// One row: the member and the number of films they logged.
pub struct MemberRow {
    pub name: Username,
    pub films: usize,
}

pub fn popular_page(rows: &[MemberRow], current: u32, has_next: bool) -> String {
    let mut content = String::from(
        "<div class=\"cols-2\"><section class=\"section col-17 col-main\">\
<div id=\"content-nav\" class=\"gapless\"> <h2 class=\"section-heading\">Popular Members</h2> </div>\n\
<table class=\"table-base member-table\">\n<thead><tr><th class=\"col-member\">Name</th>\
<th class=\"col-watched _paddinginlinelg\">Watched</th></tr></thead>\n<tbody>\n",
    );
    for row in rows {
        let name = row.name.as_str();
        let _ = write!(
            content,
            "<tr>\n<td class=\"col-member table-person\"><div class=\"person-summary\"> \
<a class=\"avatar -a40\" href=\"/{name}/\" data-original-title=\"\"> <img src=\"https://s.ltrbxd.com/static/img/avatar48-DSi8lXxI.png\" \
alt=\"{name}\" width=\"40\" height=\"40\"> </a> <h3 class=\"title-3\"> <a href=\"/{name}/\" class=\"name\"> {name} </a> </h3> </div></td>\n\
<td class=\"col-watched _paddinginlinelg table-stats\"><a class=\"has-icon icon-16 icon-watched\" href=\"/{name}/films/\">\
<span class=\"icon\"></span>{films}</a></td>\n</tr>\n",
            films = row.films,
        );
    }
    content.push_str("</tbody>\n</table>\n<div class=\"pagination\"> ");
    if current > 1 {
        let previous = if current == 2 {
            "/members/popular/this/week/".to_owned()
        } else {
            format!("/members/popular/this/week/page/{}/", current - 1)
        };
        let _ = write!(
            content,
            "<div class=\"paginate-nextprev\"><a class=\"previous\" href=\"{previous}\">Previous</a></div> "
        );
    } else {
        content.push_str(
            "<div class=\"paginate-nextprev paginate-disabled\"><span class=\"previous\">Previous</span></div> ",
        );
    }
    if has_next {
        let _ = write!(
            content,
            "<div class=\"paginate-nextprev\"><a class=\"next\" href=\"/members/popular/this/week/page/{}/\">Next</a></div> ",
            current + 1
        );
    }
    content.push_str("</div>\n</section></div>");
    page("Popular members", "class=\"members\"", "", &content)
}
