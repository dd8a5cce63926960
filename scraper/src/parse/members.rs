//! Popular members (`/members/popular/this/week/page/N/`): usernames to seed the general model.

use model::Username;
use scraper::{ElementRef, Html};
use serde::Serialize;

use super::html::{self, selectors};
use super::{PageKind, ParseError};

selectors! {
    TABLE = "table.member-table";
    ROW_PERSON = "table.member-table td.table-person";
    LINK = "a[href]";
}

/// One page of a members table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MembersPage {
    pub usernames: Vec<Username>,
    /// The last page number when the pagination lists pages; the popular-members pages only show
    /// previous/next links, so this is usually `None` and [`MembersPage::has_next`] tells more.
    pub last_page: Option<u32>,
    /// Whether a next page link is present.
    pub has_next: bool,
}

pub fn parse_members(html: &str) -> Result<MembersPage, ParseError> {
    let doc = Html::parse_document(html);
    if doc.select(&TABLE).next().is_none() {
        return Err(ParseError::WrongPage {
            page: PageKind::Members,
            expected: "table.member-table",
        });
    }
    let usernames = doc
        .select(&ROW_PERSON)
        .enumerate()
        .map(|(index, cell)| {
            username_in(cell).ok_or(ParseError::InvalidItem {
                page: PageKind::Members,
                index,
                field: "member link",
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let pages = html::pagination(&doc);
    Ok(MembersPage {
        usernames,
        last_page: pages.last_listed,
        has_next: pages.next.is_some(),
    })
}

/// The member a row links to: its first link of the form `/name/`.
fn username_in(cell: ElementRef<'_>) -> Option<Username> {
    cell.select(&LINK)
        .filter_map(|link| link.attr("href"))
        .find_map(|href| {
            let mut parts = href.trim().trim_matches('/').split('/');
            match (parts.next(), parts.next()) {
                (Some(name), None) => Username::parse(name).ok(),
                _ => None,
            }
        })
}
