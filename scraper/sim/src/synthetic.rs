//! A generated world: every film and every member derived from the seed and its index, on demand.

use std::collections::HashSet;
use std::str::FromStr;

use model::{ContentType, Film, FilmKey, Genre, GenreSet, Rating, Username};
use rand::Rng;
use rand::seq::IndexedRandom;

use crate::seed::{base62, hash, rng_for, unit};
use crate::world::{Diary, DiaryEntry};

/// `films=N,members=M,seed=S`, as `letterboxd-sim --synthetic` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticSpec {
    pub films: usize,
    pub members: usize,
    pub seed: u64,
}

impl FromStr for SyntheticSpec {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let mut spec = SyntheticSpec {
            films: 10_000,
            members: 1_000,
            seed: 1,
        };
        for part in raw.split(',').filter(|part| !part.trim().is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not key=value"))?;
            let number = |value: &str| {
                value
                    .trim()
                    .replace('_', "")
                    .parse::<u64>()
                    .map_err(|_| format!("`{value}` is not a number"))
            };
            match key.trim() {
                "films" => spec.films = number(value)? as usize,
                "members" => spec.members = number(value)? as usize,
                "seed" => spec.seed = number(value)?,
                other => return Err(format!("unknown key `{other}` (films, members, seed)")),
            }
        }
        if spec.films == 0 {
            return Err("a world needs at least one film".to_owned());
        }
        Ok(spec)
    }
}

pub(crate) const ADJECTIVES: &[&str] = &[
    "silent", "crimson", "last", "broken", "golden", "hidden", "endless", "wild", "quiet",
    "burning", "lonely", "electric", "frozen", "secret", "distant", "velvet", "hollow", "bright",
    "savage", "gentle", "restless", "midnight", "paper", "iron",
];
pub(crate) const NOUNS: &[&str] = &[
    "harbor", "summer", "river", "city", "garden", "mirror", "station", "kingdom", "witness",
    "orchard", "horizon", "lantern", "shadow", "island", "carnival", "frontier", "letter",
    "machine", "storm", "memory", "house", "road", "dream", "tide",
];
const COUNTRIES: &[&str] = &[
    "USA",
    "UK",
    "France",
    "Japan",
    "South Korea",
    "Germany",
    "Italy",
    "India",
    "Canada",
    "Spain",
    "Mexico",
    "Sweden",
];
const LANGUAGES: &[&str] = &["en", "fr", "ja", "ko", "de", "it", "hi", "es", "sv", "pt"];

pub(crate) struct SyntheticFilms {
    count: usize,
    seed: u64,
}

impl SyntheticFilms {
    pub(crate) fn new(count: usize, seed: u64) -> Self {
        Self { count, seed }
    }

    pub(crate) fn count(&self) -> usize {
        self.count
    }

    /// The slug ends with the film's index, which makes the reverse lookup free.
    pub(crate) fn index_of(&self, slug: &FilmKey) -> Option<u32> {
        let index: u32 = slug.as_str().rsplit('-').next()?.parse().ok()?;
        let film = self.film(index)?;
        (film.key == *slug).then_some(index)
    }

    /// Community average in stars; also what members' ratings of the film centre on.
    pub(crate) fn quality(&self, index: u32) -> f32 {
        let u = unit(hash(
            self.seed,
            &[b"quality".as_slice(), &index.to_le_bytes()].concat(),
        ));
        // Mostly 2.5-4, a few outliers: (1.5..4.5), rounded to Letterboxd's two decimals.
        let stars = 1.5 + 3.0 * (0.5 * u + 0.25 * u * u + 0.25 * u.sqrt());
        ((stars * 100.0).round() / 100.0) as f32
    }

    pub(crate) fn film(&self, index: u32) -> Option<Film> {
        if index as usize >= self.count {
            return None;
        }
        let mut rng = rng_for(self.seed, "film", u64::from(index));
        let adjective = ADJECTIVES.choose(&mut rng).copied().unwrap_or("silent");
        let noun = NOUNS.choose(&mut rng).copied().unwrap_or("harbor");
        let title = match rng.random_range(0..4) {
            0 => format!("The {} {}", capitalise(adjective), capitalise(noun)),
            1 => format!("{} of the {}", capitalise(noun), capitalise(adjective)),
            2 => format!(
                "{} & {}",
                capitalise(noun),
                capitalise(NOUNS[index as usize % NOUNS.len()])
            ),
            _ => format!("{} {}", capitalise(adjective), capitalise(noun)),
        };
        let slug_text = format!(
            "{}-{index}",
            title
                .to_ascii_lowercase()
                .replace(" & ", "-")
                .replace(' ', "-")
        );
        let slug = FilmKey::parse(&slug_text).ok()?;
        let mut film = Film::stub(slug, title);
        film.year = rng.random_bool(0.96).then(|| rng.random_range(1925..=2026));
        film.runtime_minutes = rng.random_bool(0.96).then(|| rng.random_range(62..=210));
        let genre_count = rng.random_range(0..=3);
        film.genres = (0..genre_count)
            .filter_map(|_| Genre::ALL.choose(&mut rng).copied())
            .collect::<GenreSet>();
        let country_count = rng.random_range(0..=2);
        film.countries = COUNTRIES
            .choose_multiple(&mut rng, country_count)
            .map(|country| (*country).to_owned())
            .collect();
        film.language = LANGUAGES.choose(&mut rng).map(|lang| (*lang).to_owned());
        film.content_type = if rng.random_bool(0.02) {
            ContentType::Tv
        } else {
            ContentType::Movie
        };
        if rng.random_bool(0.97) {
            film.lb_average = Some(self.quality(index));
            film.lb_rating_count = Some((10.0 * 10f64.powf(5.0 * rng.random::<f64>())) as u32);
        }
        let id = 100_000 + u64::from(index);
        film.letterboxd_id = Some(id);
        film.poster_url = Some(poster_url(id, film.key.as_str()));
        film.boxd_id = Some(base62(id * 7 + 11));
        film.tmdb = Some(model::TmdbRef {
            kind: film.content_type,
            id: rng.random_range(1_000..2_000_000),
        });
        film.imdb_id = Some(format!("tt{:07}", rng.random_range(1_000_000..9_999_999)));
        Some(film)
    }
}

/// Where Letterboxd keeps a poster: the id's digits as directories.
pub(crate) fn poster_url(id: u64, slug: &str) -> String {
    let digits: Vec<String> = id.to_string().chars().map(String::from).collect();
    format!(
        "https://a.ltrbxd.com/resized/film-poster/{}/{id}-{slug}-0-230-0-345-crop.jpg",
        digits.join("/")
    )
}

pub(crate) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

pub(crate) struct SyntheticMembers {
    count: usize,
    seed: u64,
    films: usize,
}

const MEMBER_PREFIX: &str = "member";

impl SyntheticMembers {
    pub(crate) fn new(count: usize, seed: u64, films: usize) -> Self {
        Self { count, seed, films }
    }

    pub(crate) fn count(&self) -> usize {
        self.count
    }

    pub(crate) fn name(&self, rank: usize) -> Option<Username> {
        (rank < self.count)
            .then(|| Username::parse(&format!("{MEMBER_PREFIX}{rank}")).ok())
            .flatten()
    }

    fn index_of(&self, name: &Username) -> Option<usize> {
        let digits = name.as_str().strip_prefix(MEMBER_PREFIX)?;
        if digits.starts_with('0') && digits.len() > 1 {
            return None;
        }
        let index: usize = digits.parse().ok()?;
        (index < self.count).then_some(index)
    }

    /// Member `n`'s diary: a log-uniform number of films (10 to 3,000), ratings around each film's
    /// average with a personal bias, a tenth watched without rating, likes for favourites, and a
    /// watchlist of films not seen.
    pub(crate) fn diary(
        &self,
        name: &Username,
        quality: impl Fn(u32) -> f32,
    ) -> Option<std::borrow::Cow<'static, Diary>> {
        let index = self.index_of(name)?;
        let mut rng = rng_for(self.seed, "member", index as u64);
        let wanted = (10.0 * 300f64.powf(rng.random::<f64>())) as usize;
        let count = wanted.min(self.films);
        let bias: f32 = rng.random_range(-0.6..0.6);
        let mut seen = HashSet::with_capacity(count);
        let picks = rand::seq::index::sample(&mut rng, self.films, count);
        let mut entries = Vec::with_capacity(count);
        for film in picks.iter() {
            let film = film as u32;
            seen.insert(film);
            let noise: f32 = rng.random_range(-1.0..1.0);
            let stars = (quality(film) + bias + noise).clamp(0.5, 5.0);
            let rating = rng
                .random_bool(0.9)
                .then(|| Rating::from_half_stars((stars * 2.0).round() as u8).ok())
                .flatten();
            let liked = rng.random_bool(if stars >= 4.0 { 0.4 } else { 0.05 });
            entries.push(DiaryEntry {
                film,
                rating,
                liked,
            });
        }
        let watchlist_len = (rng.random::<f64>() * 120.0) as usize;
        let free = self.films - seen.len();
        let watchlist = draw_unseen(&mut rng, self.films, &seen, watchlist_len.min(free));
        Some(std::borrow::Cow::Owned(Diary { entries, watchlist }))
    }
}

/// `count` distinct films in `0..films` outside `seen`, by rejection (count is small next to the
/// free films) with a bound on tries so a nearly full diary cannot spin.
pub(crate) fn draw_unseen(
    rng: &mut impl Rng,
    films: usize,
    seen: &HashSet<u32>,
    count: usize,
) -> Vec<u32> {
    let mut drawn = Vec::with_capacity(count);
    let mut taken: HashSet<u32> = HashSet::with_capacity(count);
    let mut tries = 0;
    while drawn.len() < count && tries < count * 50 + 100 && films > 0 {
        tries += 1;
        let film = rng.random_range(0..films) as u32;
        if !seen.contains(&film) && taken.insert(film) {
            drawn.push(film);
        }
    }
    drawn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_parses_and_rejects() {
        let spec: SyntheticSpec = "films=100_000,members=10000,seed=7".parse().unwrap();
        assert_eq!(
            spec,
            SyntheticSpec {
                films: 100_000,
                members: 10_000,
                seed: 7
            }
        );
        assert!("films=0".parse::<SyntheticSpec>().is_err());
        assert!("films=x".parse::<SyntheticSpec>().is_err());
        assert!("colour=red".parse::<SyntheticSpec>().is_err());
    }

    #[test]
    fn films_are_deterministic_and_found_by_slug() {
        let films = SyntheticFilms::new(1_000, 3);
        for index in [0, 1, 999] {
            let film = films.film(index).unwrap();
            assert_eq!(films.film(index).unwrap(), film);
            assert_eq!(films.index_of(&film.key), Some(index));
        }
        assert!(films.film(1_000).is_none());
        assert_eq!(films.index_of(&FilmKey::parse("nothing-5").unwrap()), None);
    }

    #[test]
    fn member_diaries_are_deterministic_and_consistent() {
        let members = SyntheticMembers::new(50, 9, 5_000);
        let name = members.name(7).unwrap();
        let diary = members.diary(&name, |_| 3.0).unwrap();
        assert_eq!(diary, members.diary(&name, |_| 3.0).unwrap());
        let seen: HashSet<u32> = diary.entries.iter().map(|e| e.film).collect();
        assert_eq!(seen.len(), diary.entries.len(), "a film twice in one diary");
        assert!(diary.watchlist.iter().all(|film| !seen.contains(film)));
        assert!(
            members
                .diary(&Username::parse("member50").unwrap(), |_| 3.0)
                .is_none()
        );
        assert!(
            members
                .diary(&Username::parse("member07").unwrap(), |_| 3.0)
                .is_none()
        );
    }
}
