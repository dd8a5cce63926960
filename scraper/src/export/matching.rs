//! Matching export rows to catalog films: by boxd.it short id when the catalog knows it, else by
//! normalised (title, year). An ambiguous title/year (two films share it) matches nothing rather
//! than the wrong film.

use std::collections::HashMap;

use model::{Catalog, Film, FilmKey};

/// The lookups the export reader needs from whoever owns the catalog.
pub trait FilmIndex {
    /// The film whose boxd.it short id (`gJsA`) this is.
    fn by_boxd_id(&self, id: &str) -> Option<FilmKey>;
    /// The one film with this [`normalise_title`]d title and year; with no year, the one film with
    /// this title.
    fn by_title_year(&self, title_norm: &str, year: Option<u16>) -> Option<FilmKey>;
    /// Told of every row nothing matched (title normalised, its boxd.it id if its URI has one),
    /// so an owner that can look films up elsewhere knows what to look for.
    fn unmatched(&self, _title_norm: &str, _year: Option<u16>, _boxd_id: Option<&str>) {}
}

/// No catalog at all: every row is unmatched unless its URI names the slug.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoCatalog;

impl FilmIndex for NoCatalog {
    fn by_boxd_id(&self, _id: &str) -> Option<FilmKey> {
        None
    }
    fn by_title_year(&self, _title_norm: &str, _year: Option<u16>) -> Option<FilmKey> {
        None
    }
}

/// A [`FilmIndex`] over a set of films. `None` values mark ambiguous keys.
#[derive(Debug, Clone, Default)]
pub struct CatalogIndex {
    by_boxd: HashMap<String, FilmKey>,
    by_title_year: HashMap<(String, Option<u16>), Option<FilmKey>>,
    by_title: HashMap<String, Option<(FilmKey, Option<u16>)>>,
}

impl CatalogIndex {
    pub fn from_films<'a>(films: impl IntoIterator<Item = &'a Film>) -> Self {
        let mut index = CatalogIndex::default();
        for film in films {
            if let Some(id) = &film.boxd_id {
                index.by_boxd.insert(id.clone(), film.key.clone());
            }
            let title = normalise_title(&film.title);
            if title.is_empty() {
                continue;
            }
            index
                .by_title_year
                .entry((title.clone(), film.year))
                .and_modify(|slot| {
                    if slot.as_ref() != Some(&film.key) {
                        *slot = None;
                    }
                })
                .or_insert_with(|| Some(film.key.clone()));
            index
                .by_title
                .entry(title)
                .and_modify(|slot| {
                    if slot.as_ref().map(|(slug, _)| slug) != Some(&film.key) {
                        *slot = None;
                    }
                })
                .or_insert_with(|| Some((film.key.clone(), film.year)));
        }
        index
    }

    pub fn from_catalog(catalog: &Catalog) -> Self {
        Self::from_films(catalog.films())
    }
}

impl FilmIndex for CatalogIndex {
    fn by_boxd_id(&self, id: &str) -> Option<FilmKey> {
        self.by_boxd.get(id).cloned()
    }

    fn by_title_year(&self, title_norm: &str, year: Option<u16>) -> Option<FilmKey> {
        if year.is_some()
            && let Some(found) = self.by_title_year.get(&(title_norm.to_owned(), year))
        {
            return found.clone();
        }
        // No year on one side: only a title that names a single film, and only if that film's
        // year does not contradict the row's.
        match self.by_title.get(title_norm)? {
            Some((slug, film_year)) if year.is_none() || film_year.is_none() => Some(slug.clone()),
            _ => None,
        }
    }
}

/// Lowercase, Latin diacritics folded (`Amélie` -> `amelie`), `&` as `and`, punctuation as
/// spaces, runs of spaces collapsed. Letters of other scripts are kept as they are.
pub fn normalise_title(raw: &str) -> String {
    let mut folded = String::with_capacity(raw.len());
    for c in raw.chars().flat_map(char::to_lowercase) {
        match fold(c) {
            Some(ascii) => folded.push_str(ascii),
            None if c == '&' => folded.push_str(" and "),
            None if c.is_alphanumeric() => folded.push(c),
            // Apostrophes join words ("Schindler's" -> "schindlers"), other punctuation separates.
            None if matches!(c, '\'' | '’' | '‘' | 'ʼ') => {}
            None => folded.push(' '),
        }
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'į' => "i",
        'ł' | 'ľ' | 'ĺ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' | 'ŕ' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'þ' => "th",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn film(slug: &str, title: &str, year: Option<u16>, boxd: Option<&str>) -> Film {
        let mut film = Film::stub(FilmKey::parse(slug).unwrap(), title);
        film.year = year;
        film.boxd_id = boxd.map(str::to_owned);
        film
    }

    #[test]
    fn normalises_case_punctuation_and_diacritics() {
        assert_eq!(normalise_title("Amélie"), "amelie");
        assert_eq!(
            normalise_title("  Crouching Tiger,  Hidden Dragon "),
            "crouching tiger hidden dragon"
        );
        assert_eq!(normalise_title("Schindler's List"), "schindlers list");
        assert_eq!(normalise_title("Dune: Part Two"), "dune part two");
        assert_eq!(normalise_title("Fast & Furious"), "fast and furious");
        assert_eq!(normalise_title("Łódź"), "lodz");
        assert_eq!(normalise_title("千と千尋の神隠し"), "千と千尋の神隠し");
    }

    #[test]
    fn matches_by_boxd_id_then_title_and_year_and_refuses_ambiguity() {
        let films = [
            film("heat-1995", "Heat", Some(1995), Some("29Yt")),
            film("heat-1986", "Heat", Some(1986), None),
            film("amelie", "Amélie", Some(2001), None),
            film("twin-a", "Twin", Some(2000), None),
            film("twin-b", "Twin", Some(2000), None),
            film("undated", "Undated", None, None),
        ];
        let index = CatalogIndex::from_films(&films);
        assert_eq!(index.by_boxd_id("29Yt").unwrap().as_str(), "heat-1995");
        assert_eq!(index.by_boxd_id("29yt"), None);
        assert_eq!(
            index.by_title_year("heat", Some(1986)).unwrap().as_str(),
            "heat-1986"
        );
        assert_eq!(
            index.by_title_year("heat", None),
            None,
            "two films titled Heat"
        );
        assert_eq!(
            index
                .by_title_year(&normalise_title("AMELIE"), Some(2001))
                .unwrap()
                .as_str(),
            "amelie"
        );
        assert_eq!(
            index.by_title_year("amelie", None).unwrap().as_str(),
            "amelie"
        );
        assert_eq!(index.by_title_year("amelie", Some(1999)), None);
        assert_eq!(index.by_title_year("twin", Some(2000)), None);
        assert_eq!(
            index.by_title_year("undated", Some(2010)).unwrap().as_str(),
            "undated"
        );
    }
}
