//! Every parser returns (a value or a typed error) on any input: arbitrary text, markup soup, and
//! real pages cut, spliced and corrupted. The fuzz targets in `scraper/fuzz` push further; these
//! run in the normal suite.

use std::sync::LazyLock;

use letterboxd::export::{ExportLimits, NoCatalog, read_files, read_zip};
use letterboxd::parse::{parse_diary, parse_film, parse_grid, parse_members};
use proptest::prelude::*;

use crate::support::fixture;

/// Small real pages keep the mutation cases quick: the legacy grid and film pages, and the
/// hand-made diary page (no real one is saved).
static PAGES: LazyLock<Vec<String>> = LazyLock::new(|| {
    vec![
        fixture("legacy/jlcordeiro_watched_7.html"),
        fixture("legacy/film_when-i-rise.html"),
        include_str!("../data/diary_page.html").to_owned(),
    ]
});

fn parse_all(html: &str) {
    let _ = parse_grid(html);
    let _ = parse_film(html);
    let _ = parse_members(html);
    let _ = parse_diary(html);
}

/// Markup fragments the parsers look for, to build inputs that reach deep into them.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#"<li class="griditem"><div class="react-component" data-item-slug="a" data-item-name="A (20"#.to_owned()),
        Just(r#"<li class="poster-container"><div class="film-poster" data-film-slug="/film/"#.to_owned()),
        Just(r#"<span class="rating rated-"#.to_owned()),
        Just("★★½".to_owned()),
        Just(r#"<span class="like">"#.to_owned()),
        Just(r#"data-postered-identifier="{&quot;uid&quot;:&quot;film:"#.to_owned()),
        Just(r#"<div class="pagination"><li class="paginate-page"><a href="/x/page/"#.to_owned()),
        Just("<script type=\"application/ld+json\">/* <![CDATA[ */{\"name\":\"".to_owned()),
        Just(r#""aggregateRating":{"ratingValue":"#.to_owned()),
        Just(r#"<p class="text-footer">"#.to_owned()),
        Just(r#"<tr class="diary-entry-row"><td class="td-calendar"><strong>Feb</strong><small>"#.to_owned()),
        Just(r#"<td class="col-daydate"><a href="/a/films/diary/for/"#.to_owned()),
        Just(r#"<td class="td-day">"#.to_owned()),
        Just(r#"<td class="col-rewatch icon-status-off">"#.to_owned()),
        Just(r#"<input value="https://boxd.it/"#.to_owned()),
        Just(r#"<table class="member-table"><td class="table-person"><a href="/"#.to_owned()),
        Just(r#"<body data-type="film" data-tmdb-type="tv" data-tmdb-id=""#.to_owned()),
        Just(r#"<span class="average-rating"><a data-original-title="Weighted average of "#.to_owned()),
        "[0-9]{0,12}".prop_map(|s| s),
        "[\"'<>/=&;{}:,\\]\\[ a-z½★\u{a0}]{0,8}".prop_map(|s| s),
    ]
}

proptest! {
    #[test]
    fn parsers_survive_arbitrary_text(text in "\\PC{0,400}") {
        parse_all(&text);
    }

    #[test]
    fn parsers_survive_markup_soup(parts in prop::collection::vec(fragment(), 0..40)) {
        parse_all(&parts.concat());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn parsers_survive_cut_and_corrupted_pages(
        page in 0..3usize,
        cut in any::<prop::sample::Index>(),
        splice_at in any::<prop::sample::Index>(),
        splice in fragment(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
    ) {
        let html = &PAGES[page];
        let mut bytes = html.as_bytes()[..cut.index(html.len() + 1)].to_vec();
        let at = splice_at.index(bytes.len() + 1);
        bytes.splice(at..at, splice.bytes());
        for (index, value) in flips {
            if !bytes.is_empty() {
                let at = index.index(bytes.len());
                bytes[at] = value;
            }
        }
        parse_all(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn export_reader_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let limits = ExportLimits::default();
        let _ = read_zip(&bytes, None, &NoCatalog, &limits);
        for name in ["ratings.csv", "diary.csv", "watched.csv", "profile.csv"] {
            let _ = read_files(&[(name.to_owned(), bytes.clone())], &NoCatalog, &limits);
        }
    }

    #[test]
    fn export_reader_survives_corrupted_zips(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let mut bytes = small_export();
        for (index, value) in flips {
            let at = index.index(bytes.len());
            bytes[at] = value;
        }
        let _ = read_zip(&bytes, None, &NoCatalog, &ExportLimits::default());
    }
}

fn small_export() -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let files = [
        (
            "ratings.csv",
            "Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Heat,1995,https://letterboxd.com/film/heat-1995/,4\n",
        ),
        (
            "diary.csv",
            "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n2024-01-01,Heat,1995,https://boxd.it/x,4.5,Yes,,2024-01-01\n",
        ),
        (
            "likes/films.csv",
            "Date,Name,Year,Letterboxd URI\n2024-01-01,Heat,1995,https://boxd.it/29Yt\n",
        ),
    ];
    for (name, body) in files {
        zip.start_file(name, options)
            .unwrap_or_else(|err| panic!("{err}"));
        zip.write_all(body.as_bytes())
            .unwrap_or_else(|err| panic!("{err}"));
    }
    zip.finish()
        .unwrap_or_else(|err| panic!("{err}"))
        .into_inner()
}
