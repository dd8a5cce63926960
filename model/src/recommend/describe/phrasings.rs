//! The parser against a table of phrasings, each with the filters it must give, written as a short
//! summary (see `summary`): `+Genre`, `-Genre` (excluded), `type=`, `years=min..max`,
//! `runtime=min..max`, `pop=`, `rated`, `lang=`, `-lang=`, `country=`, `-country=`, `on=` (streaming services), `ignored=`.

use super::{Described, describe};
use crate::domain::ContentType;
use crate::recommend::RangeFilter;

const THIS_YEAR: u16 = 2026;

fn range(r: RangeFilter) -> String {
    let show = |b: Option<u16>| b.map(|v| v.to_string()).unwrap_or_default();
    format!("{}..{}", show(r.min()), show(r.max()))
}

fn summary(d: &Described) -> String {
    let mut parts: Vec<String> = Vec::new();
    parts.extend(d.genres.iter().map(|g| format!("+{g:?}")));
    parts.extend(d.excluded_genres.iter().map(|g| format!("-{g:?}")));
    if !d.content_types.is_empty() {
        let types: Vec<&str> = d
            .content_types
            .iter()
            .map(|t| ContentType::as_str(*t))
            .collect();
        parts.push(format!("type={}", types.join(",")));
    }
    if let Some(years) = d.years {
        parts.push(format!("years={}", range(years)));
    }
    if let Some(runtimes) = d.runtimes {
        parts.push(format!("runtime={}", range(runtimes)));
    }
    if !d.popularity.is_empty() {
        let bands: Vec<String> = d
            .popularity
            .iter()
            .map(|b| format!("{b:?}").to_lowercase())
            .collect();
        parts.push(format!("pop={}", bands.join(",")));
    }
    if d.highly_rated {
        parts.push("rated".into());
    }
    for (label, list) in [
        ("lang", &d.languages),
        ("-lang", &d.excluded_languages),
        ("country", &d.countries),
        ("-country", &d.excluded_countries),
        ("on", &d.services.iter().map(|s| s.to_string()).collect()),
        ("ignored", &d.ignored),
    ] {
        if !list.is_empty() {
            parts.push(format!("{label}={}", list.join(",")));
        }
    }
    parts.join(" ")
}

/// (description, expected summary)
const PHRASINGS: &[(&str, &str)] = &[
    // genres and synonyms
    ("horror", "+Horror"),
    ("something scary", "+Horror"),
    ("a spooky movie", "+Horror type=movie"),
    ("creepy slasher flicks", "+Horror type=movie"),
    ("sci-fi", "+ScienceFiction"),
    ("Sci Fi", "+ScienceFiction"),
    ("scifi", "+ScienceFiction"),
    ("science fiction", "+ScienceFiction"),
    ("dystopian cyberpunk", "+ScienceFiction"),
    ("rom-com", "+Comedy +Romance"),
    ("a romcom", "+Comedy +Romance"),
    ("romantic comedies", "+Comedy +Romance"),
    ("a love story", "+Romance"),
    ("cartoon", "+Animation"),
    ("cartoons for kids", "+Animation +Family"),
    ("animated", "+Animation"),
    ("anime", "+Animation"),
    ("stop-motion", "+Animation"),
    ("funny", "+Comedy"),
    ("something hilarious", "+Comedy"),
    ("a heist film", "+Crime type=movie"),
    ("gangster movies", "+Crime type=movie"),
    ("neo-noir", "+Crime"),
    ("documentary", "+Documentary"),
    ("docs about music", "+Documentary +Music"),
    ("a tearjerker", "+Drama"),
    ("dramedy", "+Comedy +Drama"),
    ("family-friendly", "+Family"),
    ("fantasy", "+Fantasy"),
    ("a fairy tale", "+Fantasy"),
    ("a biopic", "+Drama +History"),
    ("period drama", "+Drama +History"),
    ("a musical", "+Music"),
    ("whodunnit", "+Mystery"),
    ("detective mystery", "+Mystery"),
    ("a tense thriller", "+Thriller"),
    ("suspenseful", "+Thriller"),
    ("war", "+War"),
    ("world war 2 films", "+War type=movie ignored=2"),
    ("wwii", "+War"),
    ("western", "+Western"),
    ("a spaghetti western", "+Western"),
    ("tv movie", "+TvMovie"),
    ("action adventure", "+Action +Adventure"),
    ("martial arts", "+Action"),
    ("horror comedy", "+Comedy +Horror"),
    // negations
    ("no horror", "-Horror"),
    ("not animated", "-Animation"),
    ("nothing scary", "-Horror"),
    ("without romance", "-Romance"),
    ("no horror or gore", "-Horror"),
    ("no horror or comedy", "-Comedy -Horror"),
    ("comedy but no romance", "+Comedy -Romance"),
    ("not a rom-com", "-Comedy -Romance"),
    ("drama, not a documentary", "+Drama -Documentary"),
    ("don't want anything animated", "-Animation"),
    ("non-english", "-lang=en"),
    ("not american", "-country=USA"),
    ("not tv", "type=movie"),
    ("no miniseries", "type=movie"),
    ("no horror, comedy", "+Comedy -Horror"),
    (
        "no documentaries under 3 hours",
        "-Documentary runtime=..180",
    ),
    ("nothing in english please", "-lang=en"),
    // decades and years
    ("90s", "years=1990..1999"),
    ("'90s", "years=1990..1999"),
    ("the nineties", "years=1990..1999"),
    ("from the 1970s", "years=1970..1979"),
    ("1980s or 1990s", "years=1980..1999"),
    ("00s", "years=2000..2009"),
    ("before 1960", "years=..1959"),
    ("pre-1960", "years=..1959"),
    ("after 2000", "years=2001.."),
    ("post-2000", "years=2001.."),
    ("since 2010", "years=2010.."),
    ("before the 80s", "years=..1979"),
    ("after the 90s", "years=2000.."),
    ("released in 1994", "years=1994..1994"),
    ("between 1980 and 1995", "years=1980..1995"),
    ("1960-1975", "years=1960..1975"),
    ("until 1970", "years=..1970"),
    ("recent", "years=2022.."),
    ("new releases", "years=2022.. ignored=releases"),
    ("nothing recent", "years=..2021"),
    ("classics", "years=..1979"),
    ("old movies", "type=movie years=..1979"),
    ("modern", "years=2000.."),
    ("silent films", "type=movie years=..1929"),
    ("recent 90s", "years=1990..1999"),
    ("90s films after 1995", "type=movie years=1996..1999"),
    // runtime
    ("under 2 hours", "runtime=..120"),
    ("under 100 minutes", "runtime=..100"),
    ("less than 90 mins", "runtime=..90"),
    ("under an hour and a half", "runtime=..90"),
    ("under 1.5 hours", "runtime=..90"),
    ("no longer than 2 hours", "runtime=..120"),
    ("over 3 hours", "runtime=180.."),
    ("at least 2h", "runtime=120.."),
    ("more than 150min", "runtime=150.."),
    ("short", "runtime=..90"),
    ("something quick", "runtime=..90"),
    ("long", "runtime=150.."),
    ("an epic", "runtime=150.."),
    ("not too long", "runtime=..120"),
    ("not too short", "runtime=90.."),
    ("90 to 120 minutes", "runtime=90..120"),
    ("about 90 minutes", "runtime=75..105"),
    ("around 2 hours", "runtime=105..135"),
    ("short but over an hour", "runtime=60..90"),
    // popularity and rating
    ("hidden gems", "pop=low"),
    ("a hidden gem", "pop=low"),
    ("obscure", "pop=low"),
    ("underrated", "pop=low"),
    ("lesser-known", "pop=low"),
    ("popular", "pop=high"),
    ("crowd-pleasers", "pop=high"),
    ("a crowd pleaser", "pop=high"),
    ("blockbusters", "pop=high"),
    ("nothing too popular", "pop=low,medium"),
    ("not obscure", "pop=medium,high"),
    ("highly rated", "rated"),
    ("highly-rated", "rated"),
    ("critically acclaimed", "rated"),
    ("top rated hidden gems", "pop=low rated"),
    // content type
    ("miniseries", "type=tv"),
    ("a mini-series", "type=tv"),
    ("tv", "type=tv"),
    ("a tv show", "type=tv"),
    ("tv series", "type=tv"),
    ("a sitcom", "+Comedy type=tv"),
    ("film", "type=movie"),
    ("a movie", "type=movie"),
    ("films or shows", "type=movie,tv"),
    // languages and countries
    ("french", "lang=fr"),
    ("korean", "lang=ko"),
    ("in japanese", "lang=ja"),
    ("spoken in spanish", "lang=es"),
    ("german or italian", "lang=de,it"),
    ("not in english", "-lang=en"),
    ("foreign", "-lang=en"),
    ("with subtitles", "-lang=en"),
    ("bollywood", "lang=hi"),
    ("american", "country=USA"),
    ("british", "country=UK"),
    ("from france", "country=France"),
    ("made in south korea", "country=South Korea"),
    ("from korea", "country=South Korea"),
    ("hong kong action", "+Action country=Hong Kong"),
    ("not from the uk", "-country=UK"),
    // whole sentences
    (
        "a 90s french horror film under 100 minutes, nothing too popular",
        "+Horror type=movie years=1990..1999 runtime=..100 pop=low,medium lang=fr",
    ),
    (
        "I want a scary korean movie from the 2000s",
        "+Horror type=movie years=2000..2009 lang=ko",
    ),
    (
        "show me highly rated japanese animation before 1990, not too long",
        "+Animation years=..1989 runtime=..120 rated lang=ja",
    ),
    (
        "a recent sci-fi miniseries, no horror",
        "+ScienceFiction -Horror type=tv years=2022..",
    ),
    (
        "obscure 70s italian crime films under two hours",
        "+Crime type=movie years=1970..1979 runtime=..120 pop=low lang=it",
    ),
    (
        "a feel-good rom-com on netflix",
        "+Comedy +Romance on=netflix ignored=feel",
    ),
    (
        "Crowd-pleasers from the 1980s, not animated, no documentaries",
        "-Animation -Documentary years=1980..1989 pop=high",
    ),
    (
        "a short cartoon for kids",
        "+Animation +Family runtime=..90",
    ),
    (
        "classic black and white westerns",
        "+Western years=..1979 ignored=black,white",
    ),
    // streaming services
    ("something on netflix", "on=netflix"),
    ("streaming on prime video", "on=prime_video"),
    ("on Amazon Prime Video", "on=prime_video"),
    (
        "a pixar film on disney+",
        "type=movie on=disney_plus ignored=pixar",
    ),
    ("horror on Disney Plus", "+Horror on=disney_plus"),
    ("free on tubi", "on=tubi"),
    ("mubi", "on=mubi"),
    (
        "arthouse on mubi or the criterion channel",
        "on=mubi,criterion_channel ignored=arthouse",
    ),
    (
        "korean dramas on netflix or hulu",
        "+Drama lang=ko on=netflix,hulu",
    ),
    ("a thriller on apple tv+", "+Thriller on=apple_tv_plus"),
    ("tv shows on apple tv", "type=tv on=apple_tv_plus"),
    ("something on hbo max, nothing scary", "-Horror on=max"),
    (
        "a 90s comedy streaming on Paramount+",
        "+Comedy years=1990..1999 on=paramount_plus",
    ),
    ("anime on crunchyroll", "+Animation on=crunchyroll"),
    (
        "british crime on bbc iplayer or channel 4",
        "+Crime country=UK on=bbc_iplayer,channel_4",
    ),
    ("slashers available on shudder", "+Horror on=shudder"),
    ("not on netflix", ""),
    ("", ""),
    ("   ", ""),
    ("!!!", ""),
    ("zorblax quuxfilm", "ignored=zorblax,quuxfilm"),
    ("top 10 best vibes", "ignored=top,10,best,vibes"),
];

#[test]
fn every_phrasing_gives_its_filters() {
    assert!(PHRASINGS.len() >= 100, "{} phrasings", PHRASINGS.len());
    let failures: Vec<String> = PHRASINGS
        .iter()
        .filter_map(|(text, want)| {
            let got = summary(&describe(text, THIS_YEAR));
            (got != *want).then(|| format!("{text:?}: want {want:?}, got {got:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_same_description_always_gives_the_same_filters() {
    for (text, _) in PHRASINGS {
        assert_eq!(describe(text, THIS_YEAR), describe(text, THIS_YEAR));
    }
}

#[test]
fn recent_follows_the_year_it_is_given() {
    assert_eq!(
        describe("recent", 2030).years,
        RangeFilter::new(Some(2026), None).ok()
    );
}
