//! TMDB's fixed vocabularies as the simulator serves them: genres with their ids, countries,
//! and the streaming services of the provider draws.

/// `/genre/movie/list`, in TMDB's ids.
pub const MOVIE_GENRES: [(u32, &str); 19] = [
    (28, "Action"),
    (12, "Adventure"),
    (16, "Animation"),
    (35, "Comedy"),
    (80, "Crime"),
    (99, "Documentary"),
    (18, "Drama"),
    (10751, "Family"),
    (14, "Fantasy"),
    (36, "History"),
    (27, "Horror"),
    (10402, "Music"),
    (9648, "Mystery"),
    (10749, "Romance"),
    (878, "Science Fiction"),
    (10770, "TV Movie"),
    (53, "Thriller"),
    (10752, "War"),
    (37, "Western"),
];

/// A movie genre name as TMDB files series under it: series have merged genres
/// ("Action & Adventure") and lack some (Horror, Romance, ...).
pub fn tv_genre(movie_genre: &str) -> Option<(u32, &'static str)> {
    Some(match movie_genre {
        "Action" | "Adventure" => (10759, "Action & Adventure"),
        "Science Fiction" | "Fantasy" => (10765, "Sci-Fi & Fantasy"),
        "War" | "History" => (10768, "War & Politics"),
        "Animation" => (16, "Animation"),
        "Comedy" => (35, "Comedy"),
        "Crime" => (80, "Crime"),
        "Documentary" => (99, "Documentary"),
        "Drama" => (18, "Drama"),
        "Family" => (10751, "Family"),
        "Mystery" | "Thriller" | "Horror" => (9648, "Mystery"),
        "Western" => (37, "Western"),
        _ => return None,
    })
}

pub fn movie_genre(name: &str) -> Option<(u32, &'static str)> {
    MOVIE_GENRES
        .iter()
        .copied()
        .find(|(_, known)| known.eq_ignore_ascii_case(name.trim()))
}

/// The country a film in `language` is most likely from (TMDB's `cn` is Cantonese).
pub fn country_of_language(language: &str) -> &'static str {
    match language {
        "fr" => "FR",
        "ja" => "JP",
        "ko" => "KR",
        "de" => "DE",
        "it" => "IT",
        "es" => "ES",
        "hi" | "ta" | "te" | "ml" => "IN",
        "zh" => "CN",
        "cn" => "HK",
        "sv" => "SE",
        "pt" => "BR",
        "ru" => "RU",
        "da" => "DK",
        "no" | "nb" => "NO",
        "fi" => "FI",
        "pl" => "PL",
        "tr" => "TR",
        "fa" => "IR",
        "th" => "TH",
        "nl" => "NL",
        _ => "US",
    }
}

pub fn country_name(code: &str) -> &'static str {
    match code {
        "US" => "United States of America",
        "GB" => "United Kingdom",
        "FR" => "France",
        "JP" => "Japan",
        "KR" => "South Korea",
        "DE" => "Germany",
        "IT" => "Italy",
        "ES" => "Spain",
        "IN" => "India",
        "CN" => "China",
        "HK" => "Hong Kong",
        "SE" => "Sweden",
        "BR" => "Brazil",
        "RU" => "Russia",
        "DK" => "Denmark",
        "NO" => "Norway",
        "FI" => "Finland",
        "PL" => "Poland",
        "TR" => "Turkey",
        "IR" => "Iran",
        "TH" => "Thailand",
        "NL" => "Netherlands",
        "CA" => "Canada",
        "AU" => "Australia",
        "MX" => "Mexico",
        _ => "",
    }
}

/// A streaming service: TMDB's provider id, name and logo path.
pub type Service = (u32, &'static str, &'static str);

const NETFLIX: Service = (8, "Netflix", "/pbpMk2JmcoNnQwx5JGpXngfoWtp.jpg");
const PRIME: Service = (9, "Amazon Prime Video", "/dQeAar5H991VYporEjUspolDarG.jpg");
const DISNEY: Service = (337, "Disney Plus", "/97yvRBw1GzX7fXprcF80er19ot.jpg");
const MAX: Service = (1899, "Max", "/jbe4gVSfRlbPTdESXhEKpornsfu.jpg");
const HULU: Service = (15, "Hulu", "/bxBlRPEPpMVDc4jMhSrTf2339DW.jpg");
const MUBI: Service = (11, "MUBI", "/x570VpH2C9EKDf1riP83rYc5dnL.jpg");
const CRITERION: Service = (258, "Criterion Channel", "/4TJTNWd2TT1kYj6ocUEsQc8WRga.jpg");
const CANAL: Service = (381, "Canal+", "/eBXzkFEupZjKaIKY7zBUaSdCY8I.jpg");
const APPLE: Service = (2, "Apple TV", "/9ghgSC0MA082EL6HLCW3GalykFD.jpg");
const GOOGLE: Service = (3, "Google Play Movies", "/8z7rC8uIDaTM91X0ZfkRf04ydj2.jpg");
const AMAZON_VIDEO: Service = (10, "Amazon Video", "/seGSXajazLMCKGB5hnRCidtjay1.jpg");

/// Countries with offers, and the subscription services each has.
pub const PROVIDER_COUNTRIES: [(&str, &[Service]); 8] = [
    ("US", &[NETFLIX, PRIME, DISNEY, MAX, HULU, MUBI, CRITERION]),
    ("GB", &[NETFLIX, PRIME, DISNEY, MUBI]),
    ("CA", &[NETFLIX, PRIME, DISNEY, CRITERION]),
    ("FR", &[NETFLIX, PRIME, DISNEY, CANAL, MUBI]),
    ("DE", &[NETFLIX, PRIME, DISNEY, MUBI]),
    ("JP", &[NETFLIX, PRIME, DISNEY]),
    ("BR", &[NETFLIX, PRIME, DISNEY, MAX]),
    ("AU", &[NETFLIX, PRIME, DISNEY]),
];

/// Rent and buy stores, in every country.
pub const STORES: [Service; 3] = [APPLE, GOOGLE, AMAZON_VIDEO];
