//! An export built from members of `shared/data/letterboxd-1m` reads back to exactly the ratings
//! the dataset holds for them (what scraping them from the simulated Letterboxd yields), matched
//! by title and year against the dataset's catalog: its films carry no boxd.it ids.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::PathBuf;

use letterboxd::export::{CatalogIndex, ExportLimits, normalise_title, read_zip};
use model::{Film, FilmKey, Rating, Username};

fn data(file: &str) -> PathBuf {
    crate::support::dataset_dir().join(file)
}

/// FilmKey, title and year of every film. Read here rather than with `dataset::read_films`, which
/// refuses rows of the real file (TMDB TV genres such as `Sci-Fi & Fantasy`, a `film:151796`
/// slug); matching needs only these columns, and rows whose slug is not a slug are skipped.
fn read_titles(path: &std::path::Path) -> Vec<Film> {
    let file = std::fs::File::open(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    let mut reader = csv::Reader::from_reader(flate2::read::MultiGzDecoder::new(file));
    let mut films = Vec::new();
    for record in reader.records() {
        let record = record.unwrap_or_else(|err| panic!("{err}"));
        let Ok(slug) = FilmKey::parse(&record[0]) else {
            continue;
        };
        let mut film = Film::stub(slug, &record[1]);
        // Years are written as floats (`2016.0`).
        film.year = record[2].split('.').next().and_then(|y| y.parse().ok());
        films.push(film);
    }
    films
}

#[test]
fn export_of_dataset_members_reads_back_their_ratings() {
    let films = read_titles(&data("films.csv.gz"));
    let by_slug: HashMap<&FilmKey, &Film> = films.iter().map(|f| (&f.key, f)).collect();
    let mut shared_keys: HashMap<(String, Option<u16>), usize> = HashMap::new();
    let mut shared_titles: HashMap<String, usize> = HashMap::new();
    for film in &films {
        let title = normalise_title(&film.title);
        *shared_keys.entry((title.clone(), film.year)).or_default() += 1;
        *shared_titles.entry(title).or_default() += 1;
    }
    let unique = |film: &Film| {
        let title = normalise_title(&film.title);
        !title.is_empty()
            && match film.year {
                Some(_) => shared_keys[&(title, film.year)] == 1,
                None => shared_titles[&title] == 1,
            }
    };
    let index = CatalogIndex::from_films(&films);

    // The first three members in the file, with all their ratings (the file is grouped by member).
    let file = std::fs::File::open(data("ratings.csv.gz")).unwrap();
    let mut reader = csv::Reader::from_reader(flate2::read::MultiGzDecoder::new(file));
    let mut members: BTreeMap<Username, Vec<(FilmKey, Rating)>> = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let user = Username::parse(&record[0]).unwrap();
        if !members.contains_key(&user) && members.len() == 3 {
            break;
        }
        let (Ok(slug), Ok(rating)) = (FilmKey::parse(&record[1]), Rating::parse(&record[2])) else {
            continue;
        };
        if by_slug.contains_key(&slug) {
            members.entry(user).or_default().push((slug, rating));
        }
    }
    assert_eq!(members.len(), 3);

    for (user, ratings) in &members {
        let mut csv = String::from("Date,Name,Year,Letterboxd URI,Rating\r\n");
        for (n, (slug, rating)) in ratings.iter().enumerate() {
            let film = by_slug[slug];
            let title = film.title.replace('"', "\"\"");
            let year = film.year.map(|y| y.to_string()).unwrap_or_default();
            csv.push_str(&format!(
                "2024-01-01,\"{title}\",{year},https://boxd.it/t{n},{rating}\r\n"
            ));
        }
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("ratings.csv", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(csv.as_bytes()).unwrap();
        let zip = zip.finish().unwrap().into_inner();
        let name = format!("letterboxd-{user}-2025-11-03-14-05-utc.zip");

        let read = read_zip(&zip, Some(&name), &index, &ExportLimits::default()).unwrap();

        // Every film whose normalised title and year name one catalog film matches; the others
        // are reported, not guessed.
        let (expected, ambiguous): (Vec<_>, Vec<_>) = ratings
            .iter()
            .cloned()
            .partition(|(slug, _)| unique(by_slug[slug]));
        let mut expected = expected;
        expected.sort();
        assert_eq!(read.profile.username.as_ref(), Some(user));
        assert_eq!(read.profile.ratings, expected, "{user}");
        assert_eq!(read.unmatched.len(), ambiguous.len(), "{user}");
        assert!(read.profile.watched.is_empty());
        eprintln!(
            "{user}: {} ratings, {} matched, {} unmatched (title and year shared by several films)",
            ratings.len(),
            read.profile.ratings.len(),
            read.unmatched.len()
        );
    }
}
