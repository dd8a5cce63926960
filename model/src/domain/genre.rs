use std::fmt;

use serde::{Deserialize, Serialize};

use super::ParseError;

/// The 19 genres Letterboxd (and TMDB) use, in the order of the model's genre features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Genre {
    Action,
    Adventure,
    Animation,
    Comedy,
    Crime,
    Documentary,
    Drama,
    Family,
    Fantasy,
    History,
    Horror,
    Music,
    Mystery,
    Romance,
    ScienceFiction,
    TvMovie,
    Thriller,
    War,
    Western,
}

impl Genre {
    pub const ALL: [Genre; 19] = [
        Genre::Action,
        Genre::Adventure,
        Genre::Animation,
        Genre::Comedy,
        Genre::Crime,
        Genre::Documentary,
        Genre::Drama,
        Genre::Family,
        Genre::Fantasy,
        Genre::History,
        Genre::Horror,
        Genre::Music,
        Genre::Mystery,
        Genre::Romance,
        Genre::ScienceFiction,
        Genre::TvMovie,
        Genre::Thriller,
        Genre::War,
        Genre::Western,
    ];

    /// The name Letterboxd shows.
    pub fn name(self) -> &'static str {
        match self {
            Genre::Action => "Action",
            Genre::Adventure => "Adventure",
            Genre::Animation => "Animation",
            Genre::Comedy => "Comedy",
            Genre::Crime => "Crime",
            Genre::Documentary => "Documentary",
            Genre::Drama => "Drama",
            Genre::Family => "Family",
            Genre::Fantasy => "Fantasy",
            Genre::History => "History",
            Genre::Horror => "Horror",
            Genre::Music => "Music",
            Genre::Mystery => "Mystery",
            Genre::Romance => "Romance",
            Genre::ScienceFiction => "Science Fiction",
            Genre::TvMovie => "TV Movie",
            Genre::Thriller => "Thriller",
            Genre::War => "War",
            Genre::Western => "Western",
        }
    }

    /// Position in [`Genre::ALL`], which is also the bit in a [`GenreSet`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Case-insensitive; also accepts snake/kebab forms (`science_fiction`, `tv-movie`). TMDB's
    /// combined TV genres (`Sci-Fi & Fantasy`, `Action & Adventure`, `War & Politics`) read as
    /// their first Letterboxd genre, so a TV film's genre list never fails to parse.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        match raw.trim() {
            "Sci-Fi & Fantasy" => return Ok(Genre::ScienceFiction),
            "Action & Adventure" => return Ok(Genre::Action),
            "War & Politics" => return Ok(Genre::War),
            _ => {}
        }
        let wanted: String = raw
            .trim()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Genre::ALL
            .into_iter()
            .find(|genre| {
                let name: String = genre
                    .name()
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                name == wanted
            })
            .ok_or_else(|| ParseError::Genre(raw.to_owned()))
    }
}

impl fmt::Display for Genre {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl TryFrom<String> for Genre {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Genre> for &'static str {
    fn from(genre: Genre) -> Self {
        genre.name()
    }
}

/// A set of genres as a bit mask: one `u32` per film keeps the catalog compact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Vec<Genre>", into = "Vec<Genre>")]
pub struct GenreSet(u32);

impl GenreSet {
    pub const EMPTY: GenreSet = GenreSet(0);

    pub fn bits(self) -> u32 {
        self.0
    }

    pub fn from_bits(bits: u32) -> Self {
        Self(bits & ((1 << Genre::ALL.len()) - 1))
    }

    pub fn insert(&mut self, genre: Genre) {
        self.0 |= 1 << genre.index();
    }

    pub fn contains(self, genre: Genre) -> bool {
        self.0 & (1 << genre.index()) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn intersects(self, other: GenreSet) -> bool {
        self.0 & other.0 != 0
    }

    pub fn iter(self) -> impl Iterator<Item = Genre> {
        Genre::ALL.into_iter().filter(move |g| self.contains(*g))
    }
}

impl FromIterator<Genre> for GenreSet {
    fn from_iter<I: IntoIterator<Item = Genre>>(iter: I) -> Self {
        let mut set = GenreSet::EMPTY;
        for genre in iter {
            set.insert(genre);
        }
        set
    }
}

impl From<Vec<Genre>> for GenreSet {
    fn from(genres: Vec<Genre>) -> Self {
        genres.into_iter().collect()
    }
}

impl From<GenreSet> for Vec<Genre> {
    fn from(set: GenreSet) -> Self {
        set.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_genre_parses_from_its_name_and_loose_forms() {
        for genre in Genre::ALL {
            assert_eq!(Genre::parse(genre.name()).unwrap(), genre);
            assert_eq!(Genre::parse(&genre.name().to_uppercase()).unwrap(), genre);
        }
        assert_eq!(
            Genre::parse("science_fiction").unwrap(),
            Genre::ScienceFiction
        );
        assert_eq!(Genre::parse("tv-movie").unwrap(), Genre::TvMovie);
        assert!(Genre::parse("Sci-Fi Western").is_err());
        assert_eq!(
            Genre::parse("Sci-Fi & Fantasy").unwrap(),
            Genre::ScienceFiction
        );
        assert_eq!(Genre::parse("War & Politics").unwrap(), Genre::War);
    }

    #[test]
    fn genre_set_round_trips() {
        let set: GenreSet = [Genre::Drama, Genre::War, Genre::History]
            .into_iter()
            .collect();
        assert!(set.contains(Genre::War));
        assert!(!set.contains(Genre::Action));
        let genres: Vec<Genre> = set.into();
        assert_eq!(genres, vec![Genre::Drama, Genre::History, Genre::War]);
        assert_eq!(GenreSet::from_bits(set.bits()), set);
    }
}
