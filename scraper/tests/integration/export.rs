//! The export reader on zips built here the way Letterboxd builds them, and on hostile ones.

use std::io::Write;

use letterboxd::export::{
    CatalogIndex, ExportError, ExportLimits, Limit, NoCatalog, read_files, read_upload, read_zip,
};
use model::{Film, FilmKey};
use zip::write::SimpleFileOptions;

const RATINGS_HEADER: &str = "Date,Name,Year,Letterboxd URI,Rating\r\n";
const FILMS_HEADER: &str = "Date,Name,Year,Letterboxd URI\r\n";
const DIARY_HEADER: &str = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\r\n";
const EXPORT_NAME: &str = "letterboxd-samtestacct-2025-11-03-14-05-utc.zip";

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in files {
        zip.start_file(*name, SimpleFileOptions::default())
            .unwrap_or_else(|err| panic!("{err}"));
        zip.write_all(body).unwrap_or_else(|err| panic!("{err}"));
    }
    zip.finish()
        .unwrap_or_else(|err| panic!("{err}"))
        .into_inner()
}

fn slug(raw: &str) -> FilmKey {
    FilmKey::parse(raw).unwrap_or_else(|err| panic!("{err}"))
}

fn film(raw_slug: &str, title: &str, year: u16, boxd: &str) -> Film {
    let mut film = Film::stub(slug(raw_slug), title);
    film.year = Some(year);
    film.boxd_id = Some(boxd.to_owned());
    film
}

fn catalog() -> CatalogIndex {
    let films = [
        film("heat-1995", "Heat", 1995, "29Yt"),
        film(
            "crouching-tiger-hidden-dragon",
            "Crouching Tiger, Hidden Dragon",
            2000,
            "1Sxk",
        ),
        film("amelie", "Amélie", 2001, "1yTm"),
        film("the-zone-of-interest", "The Zone of Interest", 2023, "gJsA"),
        film("gozu", "Gozu", 2003, "1RTa"),
        film("city-of-god", "City of God", 2002, "1Ntc"),
        film("the-best-film", "The \"Best\" Film", 1999, "zzzz"),
    ];
    CatalogIndex::from_films(&films)
}

/// An export as Letterboxd writes it: BOM, CRLF, quoted titles, UTF-8, a rewatch, and rows in
/// every file.
fn full_export() -> Vec<u8> {
    let ratings = format!(
        "\u{feff}{RATINGS_HEADER}\
         2024-01-02,Heat,1995,https://boxd.it/29Yt,4\r\n\
         2024-01-03,\"Crouching Tiger, Hidden Dragon\",2000,https://boxd.it/1Sxk,4.5\r\n\
         2024-01-04,Amélie,2001,https://boxd.it/1yTm,3.5\r\n\
         2024-01-05,\"The \"\"Best\"\" Film\",1999,https://boxd.it/unknown1,2\r\n\
         2024-01-06,Obscure Short,2019,https://boxd.it/nope,5\r\n"
    );
    let watched = format!(
        "{FILMS_HEADER}\
         2024-01-02,Heat,1995,https://boxd.it/29Yt\r\n\
         2024-01-03,\"Crouching Tiger, Hidden Dragon\",2000,https://boxd.it/1Sxk\r\n\
         2024-01-04,Amélie,2001,https://boxd.it/1yTm\r\n\
         2024-02-01,The Zone of Interest,2023,https://boxd.it/gJsA\r\n"
    );
    // Heat: rated 4 in ratings.csv, 3.5 then (rewatch, later watched date) 5 in the diary.
    // Amélie: the later row has the earlier watched date, so 3 (watched later) wins.
    let diary = format!(
        "{DIARY_HEADER}\
         2024-01-02,Heat,1995,https://boxd.it/aaa1,3.5,,,2023-12-30\r\n\
         2024-06-01,Heat,1995,https://boxd.it/aaa2,5,Yes,\"rewatch, cinema\",2024-05-31\r\n\
         2024-01-04,Amélie,2001,https://boxd.it/aaa3,3,,,2024-01-04\r\n\
         2024-01-05,Amélie,2001,https://boxd.it/aaa4,1,Yes,,2023-01-01\r\n\
         2024-02-01,The Zone of Interest,2023,https://boxd.it/aaa5,,,,2024-02-01\r\n"
    );
    let watchlist = format!(
        "{FILMS_HEADER}\
         2024-03-01,Gozu,2003,https://boxd.it/1RTa\r\n\
         2024-03-02,City of God,2002,https://boxd.it/1Ntc\r\n"
    );
    let likes = format!("{FILMS_HEADER}2024-01-02,Heat,1995,https://boxd.it/29Yt\r\n");
    let reviews = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\r\n\
                   2024-06-01,Heat,1995,https://boxd.it/aaa2,5,Yes,\"Line one,\r\nline \"\"two\"\"\",,2024-05-31\r\n";
    zip_of(&[
        ("ratings.csv", ratings.as_bytes()),
        ("watched.csv", watched.as_bytes()),
        ("diary.csv", diary.as_bytes()),
        ("watchlist.csv", watchlist.as_bytes()),
        ("likes/films.csv", likes.as_bytes()),
        ("reviews.csv", reviews.as_bytes()),
        ("lists/favourites.csv", b"Letterboxd list export v7\r\n"),
        ("deleted/diary.csv", b"garbage that is never read"),
    ])
}

#[test]
fn reads_a_full_export_into_the_profile_a_scrape_yields() {
    let read = read_zip(
        &full_export(),
        Some(EXPORT_NAME),
        &catalog(),
        &ExportLimits::default(),
    )
    .unwrap();
    let profile = &read.profile;
    assert_eq!(profile.username.as_ref().unwrap().as_str(), "samtestacct");
    let ratings: Vec<(&str, f32)> = profile
        .ratings
        .iter()
        .map(|(slug, rating)| (slug.as_str(), rating.stars()))
        .collect();
    assert_eq!(
        ratings,
        [
            ("amelie", 3.0),
            ("crouching-tiger-hidden-dragon", 4.5),
            ("heat-1995", 5.0),
            ("the-best-film", 2.0),
        ]
    );
    assert_eq!(profile.watched, [slug("the-zone-of-interest")]);
    assert_eq!(profile.likes, [slug("heat-1995")]);
    assert_eq!(profile.watchlist, [slug("city-of-god"), slug("gozu")]);
    assert_eq!(profile.films_seen.len(), 7);
    let amelie = profile
        .films_seen
        .iter()
        .find(|f| f.key.as_str() == "amelie")
        .unwrap();
    assert_eq!(amelie.title.as_deref(), Some("Amélie"));
    assert_eq!(amelie.year, Some(2001));

    assert_eq!(read.unmatched.len(), 1);
    let unmatched = &read.unmatched[0];
    assert_eq!(unmatched.file, "ratings.csv");
    assert_eq!(unmatched.line, 6);
    assert_eq!(unmatched.name, "Obscure Short");
    assert_eq!(unmatched.year, Some(2019));
    assert_eq!(unmatched.uri, "https://boxd.it/nope");

    let counts = &read.counts;
    assert_eq!(counts.ratings_rows, 5);
    assert_eq!(counts.diary_rows, 5);
    assert_eq!(counts.diary_rewatches, 2);
    assert_eq!(counts.diary_overrides, 2, "heat 4 -> 5, amelie 3.5 -> 3");
    assert_eq!(counts.reviews_rows, 1);
    assert_eq!(counts.lists, 1);
    assert_eq!(counts.unmatched_rows, 1);
    assert_eq!(counts.matched_rows, 5 + 4 + 5 + 2 + 1 - 1);
}

#[test]
fn bare_csv_files_read_like_the_zip() {
    let zip = full_export();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap();
    let mut files = Vec::new();
    for at in 0..archive.len() {
        let mut entry = archive.by_index(at).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        files.push((entry.name().unwrap().into_owned(), bytes));
    }
    let bare = read_files(&files, &catalog(), &ExportLimits::default()).unwrap();
    let zipped = read_zip(&zip, None, &catalog(), &ExportLimits::default()).unwrap();
    assert_eq!(bare, zipped);
    assert_eq!(bare.profile.username, None);
}

#[test]
fn without_a_catalog_rows_are_unmatched_unless_the_uri_names_the_slug() {
    let ratings = format!(
        "{RATINGS_HEADER}2020-01-01,Heat,1995,https://letterboxd.com/film/heat-1995/,4\r\n\
         2020-01-02,Gozu,2003,https://boxd.it/1RTa,3\r\n"
    );
    let read = read_upload(
        "ratings.csv",
        ratings.as_bytes(),
        &NoCatalog,
        &ExportLimits::default(),
    )
    .unwrap();
    assert_eq!(read.profile.ratings.len(), 1);
    assert_eq!(read.profile.ratings[0].0.as_str(), "heat-1995");
    assert_eq!(read.unmatched.len(), 1);
    assert_eq!(read.unmatched[0].name, "Gozu");
    assert_eq!(read.unmatched[0].line, 3);
}

#[test]
fn a_malformed_row_names_the_file_and_line() {
    let ratings = format!(
        "{RATINGS_HEADER}2020-01-01,Heat,1995,https://boxd.it/29Yt,4\r\n\
         2020-01-02,\"Multi\r\nline\",2003,https://boxd.it/1RTa,3\r\n\
         2020-01-03,Gozu,20x3,https://boxd.it/1RTa,3\r\n"
    );
    let err = read_zip(
        &zip_of(&[("ratings.csv", ratings.as_bytes())]),
        None,
        &catalog(),
        &ExportLimits::default(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        ExportError::Csv {
            file: "ratings.csv".to_owned(),
            line: 5,
            message: "Year `20x3` is not a year".to_owned(),
        }
    );
    assert_eq!(err.to_string(), "ratings.csv:5: Year `20x3` is not a year");
}

#[test]
fn invalid_utf8_is_a_csv_error_with_its_line() {
    let mut ratings = format!("{RATINGS_HEADER}2020-01-01,Heat,1995,u,4\r\n").into_bytes();
    ratings.extend_from_slice(b"2020-01-02,\xff\xfe,1995,u,4\r\n");
    let err = read_zip(
        &zip_of(&[("ratings.csv", &ratings)]),
        None,
        &NoCatalog,
        &ExportLimits::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, ExportError::Csv { file, line: 3, .. } if file == "ratings.csv"),
        "{err}"
    );
}

#[test]
fn an_archive_without_export_files_or_not_a_zip_is_not_an_export() {
    let limits = ExportLimits::default();
    let other = zip_of(&[("readme.txt", b"hello")]);
    assert!(matches!(
        read_zip(&other, None, &NoCatalog, &limits),
        Err(ExportError::NotAnExport { .. })
    ));
    assert!(matches!(
        read_zip(b"PK\x03\x04 not really", None, &NoCatalog, &limits),
        Err(ExportError::NotAnExport { .. })
    ));
    assert!(matches!(
        read_zip(b"", None, &NoCatalog, &limits),
        Err(ExportError::NotAnExport { .. })
    ));
}

#[test]
fn path_traversal_and_absolute_names_are_refused() {
    for name in [
        "../ratings.csv",
        "lists/../../etc/passwd",
        "/etc/passwd",
        "C:/x.csv",
    ] {
        let zip = zip_of(&[("ratings.csv", RATINGS_HEADER.as_bytes()), (name, b"x")]);
        let err = read_zip(&zip, None, &NoCatalog, &ExportLimits::default()).unwrap_err();
        assert_eq!(
            err,
            ExportError::UnsafeEntry {
                name: name.to_owned()
            },
            "{name}"
        );
    }
}

#[test]
fn a_zip_bomb_is_refused_by_its_compression_ratio_before_inflating() {
    let mut body = RATINGS_HEADER.as_bytes().to_vec();
    body.resize(8 * 1024 * 1024, b' ');
    let zip = zip_of(&[("ratings.csv", &body)]);
    assert!(
        zip.len() < 64 * 1024,
        "deflate squeezes spaces: {}",
        zip.len()
    );
    let err = read_zip(&zip, None, &NoCatalog, &ExportLimits::default()).unwrap_err();
    assert!(
        matches!(
            err,
            ExportError::TooLarge {
                limit: Limit::CompressionRatio,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn size_and_entry_limits_are_enforced() {
    let zip = full_export();
    let small = |change: fn(&mut ExportLimits)| {
        let mut limits = ExportLimits::default();
        change(&mut limits);
        read_zip(&zip, None, &catalog(), &limits).unwrap_err()
    };
    assert!(matches!(
        small(|l| l.max_compressed_bytes = 100),
        ExportError::TooLarge {
            limit: Limit::CompressedBytes,
            ..
        }
    ));
    assert!(matches!(
        small(|l| l.max_uncompressed_bytes = 500),
        ExportError::TooLarge {
            limit: Limit::UncompressedBytes,
            ..
        }
    ));
    assert!(matches!(
        small(|l| l.max_entries = 3),
        ExportError::TooLarge {
            limit: Limit::Entries,
            ..
        }
    ));
}

#[test]
fn an_entry_inflating_past_its_declared_size_is_stopped() {
    let body = format!(
        "{RATINGS_HEADER}{}",
        "2020-01-01,Heat,1995,u,4\r\n".repeat(200)
    );
    let mut zip = zip_of(&[("ratings.csv", body.as_bytes())]);
    // Declare 10 bytes in both the local and the central header.
    let declared = 10u32.to_le_bytes();
    patch_after_signature(&mut zip, b"PK\x03\x04", 22, &declared);
    patch_after_signature(&mut zip, b"PK\x01\x02", 24, &declared);
    let err = read_zip(&zip, None, &NoCatalog, &ExportLimits::default()).unwrap_err();
    assert!(
        matches!(
            &err,
            ExportError::TooLarge { limit: Limit::UncompressedBytes, max: 10, entry: Some(entry), .. }
                if entry == "ratings.csv"
        ) || matches!(&err, ExportError::Archive { .. }),
        "{err}"
    );
}

#[test]
fn a_wrapping_folder_and_profile_csv_are_understood() {
    let zip = zip_of(&[
        (
            "letterboxd-ann-2024-01-01-00-00-utc/ratings.csv",
            format!("{RATINGS_HEADER}2020-01-01,Heat,1995,https://boxd.it/29Yt,4\r\n").as_bytes(),
        ),
        (
            "letterboxd-ann-2024-01-01-00-00-utc/profile.csv",
            b"Date Joined,Username,Given Name\r\n2019-01-01,AnnExample,Ann\r\n",
        ),
    ]);
    let read = read_zip(
        &zip,
        Some(EXPORT_NAME),
        &catalog(),
        &ExportLimits::default(),
    )
    .unwrap();
    assert_eq!(read.profile.username.unwrap().as_str(), "annexample");
    assert_eq!(read.profile.ratings.len(), 1);
}

fn patch_after_signature(bytes: &mut [u8], signature: &[u8], offset: usize, value: &[u8]) {
    let Some(at) = bytes
        .windows(signature.len())
        .position(|window| window == signature)
    else {
        panic!("no {signature:?} in the zip");
    };
    bytes[at + offset..at + offset + value.len()].copy_from_slice(value);
}
