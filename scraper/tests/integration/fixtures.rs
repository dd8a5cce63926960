//! Every saved page in `shared/fixtures/letterboxd/` parses to the values `shared/README.md` lists.

use std::collections::BTreeMap;

use letterboxd::parse::{ParseError, parse_film, parse_grid, parse_members};
use model::{ContentType, Genre};

use crate::support::fixture;

#[test]
fn current_films_page_reads_72_films_ratings_likes_and_pages() {
    let page = parse_grid(&fixture("current/user_samtestacct_films_page1.html")).unwrap();
    assert_eq!(page.films.len(), 72);
    assert_eq!(page.last_page, 2);

    let mut by_half_stars: BTreeMap<u8, usize> = BTreeMap::new();
    for film in &page.films {
        if let Some(rating) = film.rating {
            *by_half_stars.entry(rating.half_stars()).or_default() += 1;
        }
    }
    let expected: BTreeMap<u8, usize> = [
        (8, 22),
        (7, 11),
        (6, 9),
        (10, 6),
        (3, 5),
        (5, 4),
        (4, 3),
        (9, 2),
        (2, 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_half_stars, expected);
    assert_eq!(page.films.iter().filter(|f| f.rating.is_some()).count(), 63);
    assert_eq!(page.films.iter().filter(|f| f.liked).count(), 27);

    let first = &page.films[0];
    assert_eq!(first.film.key.as_str(), "anniversary-2025");
    assert_eq!(first.film.letterboxd_id, Some(1015194));
    assert_eq!(first.film.title.as_deref(), Some("Anniversary"));
    assert_eq!(first.film.year, Some(2025));
    assert_eq!(first.rating.map(|r| r.stars()), Some(2.5));
    assert!(!first.liked);
    // Watched-unrated films are kept, with no rating.
    assert_eq!(page.films.iter().filter(|f| f.rating.is_none()).count(), 9);
}

#[test]
fn current_watchlist_page_reads_20_films_and_no_further_page() {
    let page = parse_grid(&fixture("current/user_samtestacct_watchlist_page1.html")).unwrap();
    assert_eq!(page.films.len(), 20);
    assert_eq!(page.last_page, 1);
    let first: Vec<&str> = page.films[..3]
        .iter()
        .map(|f| f.film.key.as_str())
        .collect();
    assert_eq!(first, ["gozu", "rampo-noir", "city-of-god"]);
    assert!(page.films.iter().all(|f| f.rating.is_none() && !f.liked));
    assert_eq!(page.films[0].film.year, Some(2003));
}

#[test]
fn april_2026_grid_without_data_film_id_takes_the_id_from_the_postered_identifier() {
    let html = fixture("current/user_samtestacct_films_page1.html");
    let stripped = strip_attribute(&html, "data-film-id");
    assert!(!stripped.contains("data-film-id="));
    let page = parse_grid(&stripped).unwrap();
    let original = parse_grid(&html).unwrap();
    assert_eq!(page, original);
}

#[test]
fn grid_falls_back_to_star_text_and_other_link_attributes() {
    let html = fixture("current/user_samtestacct_films_page1.html")
        .replace("rated-", "x-rated-")
        .replace("data-item-slug=", "data-x-slug=")
        .replace("data-item-link=", "data-x-link=");
    let page = parse_grid(&html).unwrap();
    let original = parse_grid(&fixture("current/user_samtestacct_films_page1.html")).unwrap();
    assert_eq!(page, original);
}

#[test]
fn legacy_watched_pages_read_films_ratings_and_the_last_page() {
    let first = parse_grid(&fixture("legacy/jlcordeiro_watched_1.html")).unwrap();
    assert_eq!(first.films.len(), 72);
    assert!(first.films.iter().all(|f| f.rating.is_some()));
    assert_eq!(first.last_page, 7);
    assert_eq!(first.films[0].film.key.as_str(), "the-fittest-2020");
    assert_eq!(first.films[0].film.letterboxd_id, Some(599522));
    assert_eq!(first.films[0].film.title.as_deref(), Some("The Fittest"));
    assert_eq!(first.films[0].rating.map(|r| r.half_stars()), Some(5));

    let last = parse_grid(&fixture("legacy/jlcordeiro_watched_7.html")).unwrap();
    assert_eq!(last.films.len(), 27);
    assert_eq!(last.films.iter().filter(|f| f.rating.is_some()).count(), 23);
    // The current page is a <span>, not a link: still the last page.
    assert_eq!(last.last_page, 7);

    let middle = parse_grid(&fixture("legacy/jlcordeiro_watched_3.html")).unwrap();
    assert_eq!(middle.last_page, 7);
    let other = parse_grid(&fixture("legacy/tommyatlon_watched_1.html")).unwrap();
    assert_eq!(other.last_page, 10);
}

#[test]
fn current_film_page_reads_every_field() {
    let film = parse_film(&fixture("current/film_the-zone-of-interest.html")).unwrap();
    assert_eq!(film.key.as_str(), "the-zone-of-interest");
    assert_eq!(film.title, "The Zone of Interest");
    assert_eq!(film.letterboxd_id, Some(398800));
    assert_eq!(film.year, Some(2023));
    assert_eq!(film.runtime_minutes, Some(105));
    let genres: Vec<Genre> = film.genres.iter().collect();
    assert_eq!(genres, [Genre::Drama, Genre::History, Genre::War]);
    assert_eq!(film.countries, ["Poland", "UK", "USA"]);
    assert_eq!(film.lb_average, Some(3.86));
    assert_eq!(film.lb_rating_count, Some(871_061));
    assert_eq!(film.content_type, ContentType::Movie);
    assert_eq!(film.tmdb.map(|t| t.id), Some(467244));
    assert_eq!(film.imdb_id.as_deref(), Some("tt7160372"));
    assert_eq!(film.boxd_id.as_deref(), Some("gJsA"));
    assert_eq!(film.language.as_deref(), Some("de"));
    assert!(
        film.poster_url
            .as_deref()
            .is_some_and(|url| url.contains("398800-the-zone-of-interest-0-230-0-345-crop"))
    );
}

#[test]
fn a_miniseries_page_with_an_empty_body_id_takes_its_type_from_the_tmdb_link() {
    // The 2026 logged-out page of a TV miniseries: the body says `movie` with an empty id, the
    // TMDB button links to the series.
    for page in [
        "film_the-zone-of-interest.html",
        "film_the-zone-of-interest_no-jsonld.html",
    ] {
        let html = fixture(&format!("current/{page}"))
            .replace("data-tmdb-id=\"467244\"", "data-tmdb-id=\"\"")
            .replace("themoviedb.org/movie/467244/", "themoviedb.org/tv/87108/");
        assert!(html.contains("data-tmdb-type=\"movie\""), "{page}");
        let film = parse_film(&html).unwrap();
        assert_eq!(film.content_type, ContentType::Tv, "{page}");
        assert_eq!(film.tmdb.map(|t| t.id), Some(87108), "{page}");
    }
}

#[test]
fn film_page_without_json_ld_reads_the_same_film_from_the_html() {
    let with = parse_film(&fixture("current/film_the-zone-of-interest.html")).unwrap();
    let without = parse_film(&fixture("current/film_the-zone-of-interest_no-jsonld.html")).unwrap();
    assert_eq!(without, with);
}

#[test]
fn may_2026_tab_panel_ids_are_read() {
    let html = fixture("current/film_the-zone-of-interest_no-jsonld.html")
        .replace("id=\"tab-genres\"", "id=\"tab-panel-genres\"")
        .replace("id=\"tab-details\"", "id=\"tab-panel-details\"");
    assert!(html.contains("tab-panel-genres"));
    let film = parse_film(&html).unwrap();
    assert_eq!(film.genres.iter().count(), 3);
    assert_eq!(film.countries, ["Poland", "UK", "USA"]);
}

#[test]
fn film_page_without_json_ld_or_title_names_the_missing_field() {
    let html = fixture("current/film_the-zone-of-interest_no-jsonld.html")
        .replace("headline-1", "x-headline")
        .replace("primaryname", "x-name")
        .replace("og:title", "og:x");
    assert_eq!(
        parse_film(&html).unwrap_err(),
        ParseError::MissingField {
            page: letterboxd::parse::PageKind::Film,
            field: "title"
        }
    );
}

#[test]
fn legacy_film_without_community_rating_or_runtime_is_a_film_with_empty_rating() {
    let film = parse_film(&fixture("legacy/film_when-i-rise.html")).unwrap();
    assert_eq!(film.key.as_str(), "when-i-rise");
    assert_eq!(film.title, "When I Rise");
    assert_eq!(film.year, Some(2010));
    assert_eq!(film.lb_average, None);
    assert_eq!(film.lb_rating_count, None);
    assert_eq!(film.runtime_minutes, None);
    assert_eq!(film.genres.iter().collect::<Vec<_>>(), [Genre::Documentary]);
    assert_eq!(film.tmdb.map(|t| t.id), Some(177707));
    assert_eq!(film.imdb_id.as_deref(), Some("tt1612135"));
    assert_eq!(film.boxd_id.as_deref(), Some("5rF0"));
    assert_eq!(film.letterboxd_id, Some(129797));
}

#[test]
fn legacy_film_with_rating_reads_runtime_and_ids() {
    let film = parse_film(&fixture("legacy/film_the-way-back-2020.html")).unwrap();
    assert_eq!(film.key.as_str(), "the-way-back-2020");
    assert_eq!(film.runtime_minutes, Some(108));
    assert_eq!(film.tmdb.map(|t| t.id), Some(529485));
    assert_eq!(film.imdb_id.as_deref(), Some("tt8544498"));
    assert_eq!(film.boxd_id.as_deref(), Some("jfoO"));
    assert_eq!(film.letterboxd_id, Some(458743));
    assert_eq!(film.year, Some(2020));
    assert_eq!(film.lb_average, Some(3.39));
    assert_eq!(film.lb_rating_count, Some(14_877));
}

#[test]
fn popular_members_page_reads_30_usernames() {
    let page = parse_members(&fixture("current/members_popular_this_week_page1.html")).unwrap();
    assert_eq!(page.usernames.len(), 30);
    assert_eq!(page.usernames[0].as_str(), "schaffrillas");
    assert_eq!(page.usernames[29].as_str(), "superpulse");
    assert!(page.has_next);
    assert_eq!(page.last_page, None);
}

#[test]
fn each_parser_rejects_the_other_pages_with_a_typed_error() {
    let film = fixture("current/film_the-zone-of-interest.html");
    let grid = fixture("current/user_samtestacct_films_page1.html");
    assert!(matches!(
        parse_members(&film),
        Err(ParseError::WrongPage { .. })
    ));
    assert!(matches!(
        parse_grid(&film[..0]),
        Err(ParseError::WrongPage { .. })
    ));
    assert!(matches!(
        parse_film("<html><body>Just a moment...</body></html>"),
        Err(ParseError::WrongPage { .. })
    ));
    assert!(matches!(
        parse_grid("<html><body>Just a moment...</body></html>"),
        Err(ParseError::WrongPage { .. })
    ));
    assert!(parse_members(&grid).is_err());
    // A films grid or a film page is not a diary: no guessing dates from them.
    for other in [&film, &grid] {
        assert!(matches!(
            letterboxd::parse::parse_diary(other),
            Err(ParseError::WrongPage { .. })
        ));
    }
}

/// Removes every `name="..."` attribute, as Letterboxd did with `data-film-id` in April 2026.
fn strip_attribute(html: &str, name: &str) -> String {
    let needle = format!(" {name}=\"");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        out.push_str(&rest[..at]);
        let after = &rest[at + needle.len()..];
        rest = after.find('"').map_or("", |end| &after[end + 1..]);
    }
    out.push_str(rest);
    out
}
