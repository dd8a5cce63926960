//! A film's poster at the two sizes a front end shows: a card in a grid and a film's page. The
//! catalog keeps one URL per film, at whatever size its source gave; both hosts serve the same
//! image at other sizes under a predictable name, so the other size is derived, not stored.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The same poster at two sizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PostersView {
    /// About 230 pixels wide (Letterboxd's card size; TMDB's w185).
    #[schema(
        example = "https://a.ltrbxd.com/resized/film-poster/3/9/8/8/0/0/398800-the-zone-of-interest-0-230-0-345-crop.jpg"
    )]
    pub small: String,
    /// About 460 to 500 pixels wide (Letterboxd's double size; TMDB's w500).
    #[schema(
        example = "https://a.ltrbxd.com/resized/film-poster/3/9/8/8/0/0/398800-the-zone-of-interest-0-460-0-690-crop.jpg"
    )]
    pub large: String,
}

/// Letterboxd's resized posters end `-0-<width>-0-<height>-crop.jpg`, at 230x345 and 460x690.
const LETTERBOXD_SIZES: [&str; 2] = ["0-230-0-345", "0-460-0-690"];
/// TMDB's poster sizes for a card and a page.
const TMDB_SIZES: [&str; 2] = ["w185", "w500"];

impl PostersView {
    /// Both sizes of the poster at `url`; a URL of another shape is used for both, as it is.
    pub fn of(url: &str) -> Self {
        letterboxd(url)
            .or_else(|| tmdb(url))
            .unwrap_or_else(|| [url.to_owned(), url.to_owned()])
            .into()
    }
}

impl From<[String; 2]> for PostersView {
    fn from([small, large]: [String; 2]) -> Self {
        Self { small, large }
    }
}

/// `…/398800-the-zone-of-interest-0-230-0-345-crop.jpg?v=…`: the four numbers before `-crop`.
fn letterboxd(url: &str) -> Option<[String; 2]> {
    if !url.contains("ltrbxd.com/resized/") {
        return None;
    }
    let crop = url.rfind("-crop")?;
    let head = &url[..crop];
    let mut start = head.len();
    for _ in 0..4 {
        let dash = head[..start].rfind('-')?;
        let number = &head[dash + 1..start];
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        start = dash;
    }
    let (before, after) = (&url[..=start], &url[crop..]);
    Some(LETTERBOXD_SIZES.map(|size| format!("{before}{size}{after}")))
}

/// `https://image.tmdb.org/t/p/<size>/<file>`.
fn tmdb(url: &str) -> Option<[String; 2]> {
    let at = url.find("image.tmdb.org/t/p/")? + "image.tmdb.org/t/p/".len();
    let size_end = at + url[at..].find('/')?;
    let (before, after) = (&url[..at], &url[size_end..]);
    Some(TMDB_SIZES.map(|size| format!("{before}{size}{after}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letterboxd_posters_at_card_and_double_size() {
        let card = "https://a.ltrbxd.com/resized/film-poster/3/9/8/8/0/0/398800-the-zone-of-interest-0-230-0-345-crop.jpg?v=0514f658e1";
        let posters = PostersView::of(card);
        assert_eq!(posters.small, card);
        assert_eq!(
            posters.large,
            "https://a.ltrbxd.com/resized/film-poster/3/9/8/8/0/0/398800-the-zone-of-interest-0-460-0-690-crop.jpg?v=0514f658e1"
        );
        // From another size the card size is derived too.
        let big = "https://a.ltrbxd.com/resized/film-poster/4/9/0/4/7/49047-10-things-i-hate-about-you-0-1000-0-1500-crop.jpg";
        assert!(
            PostersView::of(big)
                .small
                .ends_with("-0-230-0-345-crop.jpg")
        );
    }

    #[test]
    fn tmdb_posters_at_w185_and_w500() {
        let posters = PostersView::of("https://image.tmdb.org/t/p/w342/abc123.jpg");
        assert_eq!(posters.small, "https://image.tmdb.org/t/p/w185/abc123.jpg");
        assert_eq!(posters.large, "https://image.tmdb.org/t/p/w500/abc123.jpg");
    }

    #[test]
    fn other_urls_serve_as_both_sizes() {
        for url in [
            "https://example.org/poster.jpg",
            "https://a.ltrbxd.com/resized/sm/upload/abc-crop.jpg",
            "https://a.ltrbxd.com/resized/film-poster/x-0-a-0-345-crop.jpg",
        ] {
            assert_eq!(
                PostersView::of(url),
                [url.to_owned(), url.to_owned()].into()
            );
        }
    }
}
