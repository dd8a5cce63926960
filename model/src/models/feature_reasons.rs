//! The film features that raised a prediction, in words: the residual forest's contributions for
//! one film (see [`crate::forest::Contributions`]) turned into a short phrase from the film's own
//! values, such as "highly rated French dramas from the 1970s". Only features that raised the
//! prediction are named, and only where the film's value says something (a rating average in the
//! middle of the scale, or a runtime like most, is no reason anyone would give).

use crate::domain::{ContentType, Film, Genre};
use crate::features::{
    COL_COUNTRY, COL_FIRST_GENRE, COL_LB_AVERAGE, COL_LB_COUNT, COL_RUNTIME, COL_YEAR, N_FEATURES,
    OTHER_COUNTRY, country_code,
};

/// Stars a feature must add to be named: smaller nudges are noise, not reasons.
pub const MIN_FEATURE_EFFECT: f32 = 0.01;
/// Features named in one phrase at most.
const MAX_NAMED: usize = 3;

/// Film features that raised a prediction, as a phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureReason {
    /// "highly rated dramas from the 1970s".
    pub text: String,
    /// Stars the named features added together.
    pub effect: f32,
    /// The feature columns named, each of which raised the prediction.
    pub features: Vec<usize>,
}

/// The phrase for `film` from its features' effects on the prediction (`effects[c]`: stars
/// column `c` added, weighted as the prediction weighs the forest); `None` when no feature that
/// can be put into words raised it by [`MIN_FEATURE_EFFECT`].
pub fn describe(film: &Film, effects: &[f32]) -> Option<FeatureReason> {
    let mut raised: Vec<(usize, f32)> = effects
        .iter()
        .take(N_FEATURES)
        .copied()
        .enumerate()
        .filter(|&(column, effect)| effect >= MIN_FEATURE_EFFECT && words(film, column).is_some())
        .collect();
    raised.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    raised.truncate(MAX_NAMED);
    if raised.is_empty() {
        return None;
    }
    let named = |column: usize| raised.iter().any(|&(c, _)| c == column);
    let mut text: Vec<String> = [COL_LB_AVERAGE, COL_LB_COUNT, COL_RUNTIME, COL_COUNTRY]
        .into_iter()
        .filter(|&column| named(column))
        .filter_map(|column| words(film, column))
        .collect();
    let genres: Vec<Genre> = raised
        .iter()
        .filter_map(|&(column, _)| genre_of(column))
        .take(2)
        .collect();
    text.push(noun(&genres, film.content_type));
    if named(COL_YEAR) {
        text.extend(words(film, COL_YEAR));
    }
    Some(FeatureReason {
        text: text.join(" "),
        effect: raised.iter().map(|&(_, effect)| effect).sum(),
        features: raised.into_iter().map(|(column, _)| column).collect(),
    })
}

/// What the film's value of `column` says, when it says something.
fn words(film: &Film, column: usize) -> Option<String> {
    match column {
        COL_YEAR => film
            .year
            .filter(|&year| year >= 1900)
            .map(|year| format!("from the {}s", year / 10 * 10)),
        COL_RUNTIME => match film.runtime_minutes? {
            0 => None,
            1..90 => Some("short".to_owned()),
            150.. => Some("long".to_owned()),
            _ => None,
        },
        COL_COUNTRY => country_adjective(country_code(film)).map(str::to_owned),
        COL_LB_AVERAGE => match film.lb_average? {
            avg if avg >= 3.5 => Some("highly rated".to_owned()),
            avg if avg < 2.8 => Some("low-rated".to_owned()),
            _ => None,
        },
        COL_LB_COUNT => match film.lb_rating_count? {
            count if count >= 50_000 => Some("popular".to_owned()),
            count if count < 5_000 => Some("little-known".to_owned()),
            _ => None,
        },
        // A genre names the film only when it has it: "not a horror film" is no description.
        _ => genre_of(column)
            .filter(|&genre| film.genres.contains(genre))
            .map(|genre| plural(genre).to_owned()),
    }
}

fn genre_of(column: usize) -> Option<Genre> {
    column
        .checked_sub(COL_FIRST_GENRE)
        .and_then(|at| Genre::ALL.get(at).copied())
}

/// "dramas", "crime dramas", "horror comedies", "films", "series".
fn noun(genres: &[Genre], content: ContentType) -> String {
    let plain = match content {
        ContentType::Movie => "films",
        ContentType::Tv => "series",
    };
    match genres {
        [] => plain.to_owned(),
        [one] => plural(*one).to_owned(),
        [a, b, ..] => {
            // The genre with a noun of its own ends the phrase: "crime dramas", not "drama crime
            // films".
            let (first, last) = if has_noun(*a) && !has_noun(*b) {
                (*b, *a)
            } else {
                (*a, *b)
            };
            let last = if has_noun(last) {
                plural(last).to_owned()
            } else {
                format!("{} {plain}", adjective(last))
            };
            format!("{} {last}", adjective(first))
        }
    }
}

fn has_noun(genre: Genre) -> bool {
    matches!(
        genre,
        Genre::Comedy
            | Genre::Documentary
            | Genre::Drama
            | Genre::Mystery
            | Genre::Romance
            | Genre::Thriller
            | Genre::Western
    )
}

fn plural(genre: Genre) -> &'static str {
    match genre {
        Genre::Action => "action films",
        Genre::Adventure => "adventure films",
        Genre::Animation => "animated films",
        Genre::Comedy => "comedies",
        Genre::Crime => "crime films",
        Genre::Documentary => "documentaries",
        Genre::Drama => "dramas",
        Genre::Family => "family films",
        Genre::Fantasy => "fantasy films",
        Genre::History => "historical films",
        Genre::Horror => "horror films",
        Genre::Music => "music films",
        Genre::Mystery => "mysteries",
        Genre::Romance => "romances",
        Genre::ScienceFiction => "science fiction films",
        Genre::TvMovie => "TV movies",
        Genre::Thriller => "thrillers",
        Genre::War => "war films",
        Genre::Western => "westerns",
    }
}

fn adjective(genre: Genre) -> &'static str {
    match genre {
        Genre::Action => "action",
        Genre::Adventure => "adventure",
        Genre::Animation => "animated",
        Genre::Comedy => "comedy",
        Genre::Crime => "crime",
        Genre::Documentary => "documentary",
        Genre::Drama => "drama",
        Genre::Family => "family",
        Genre::Fantasy => "fantasy",
        Genre::History => "historical",
        Genre::Horror => "horror",
        Genre::Music => "music",
        Genre::Mystery => "mystery",
        Genre::Romance => "romantic",
        Genre::ScienceFiction => "science fiction",
        Genre::TvMovie => "TV",
        Genre::Thriller => "thriller",
        Genre::War => "war",
        Genre::Western => "western",
    }
}

/// The adjective of a country code of [`crate::features`] (none for "any other country").
fn country_adjective(code: u8) -> Option<&'static str> {
    const ADJECTIVES: [&str; 15] = [
        "American",
        "British",
        "Chinese",
        "French",
        "Japanese",
        "German",
        "South Korean",
        "Canadian",
        "Indian",
        "Australian",
        "Hong Kong",
        "Italian",
        "Spanish",
        "Brazilian",
        "Soviet",
    ];
    (code != OTHER_COUNTRY)
        .then(|| ADJECTIVES.get(usize::from(code)).copied())
        .flatten()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::{FilmKey, GenreSet};

    fn seventies_drama() -> Film {
        let mut film = Film::stub(FilmKey::parse("a-drama").unwrap(), "A Drama");
        film.year = Some(1974);
        film.lb_average = Some(3.9);
        film.lb_rating_count = Some(20_000);
        film.runtime_minutes = Some(120);
        film.genres = GenreSet::from_iter([Genre::Drama, Genre::Crime]);
        film.countries = vec!["France".into()];
        film
    }

    fn effects(pairs: &[(usize, f32)]) -> Vec<f32> {
        let mut effects = vec![0.0; N_FEATURES + 1];
        for &(column, effect) in pairs {
            effects[column] = effect;
        }
        effects
    }

    fn drama() -> usize {
        COL_FIRST_GENRE + Genre::Drama.index()
    }

    #[test]
    fn names_the_features_that_raised_it_in_words() {
        let film = seventies_drama();
        let reason = describe(
            &film,
            &effects(&[(COL_LB_AVERAGE, 0.2), (drama(), 0.1), (COL_YEAR, 0.05)]),
        )
        .unwrap();
        assert_eq!(reason.text, "highly rated dramas from the 1970s");
        assert!((reason.effect - 0.35).abs() < 1e-6);
        let crime = COL_FIRST_GENRE + Genre::Crime.index();
        let reason = describe(
            &film,
            &effects(&[(drama(), 0.2), (crime, 0.1), (COL_COUNTRY, 0.05)]),
        )
        .unwrap();
        assert_eq!(reason.text, "French crime dramas");
    }

    #[test]
    fn features_that_lowered_it_or_say_nothing_are_not_named() {
        let film = seventies_drama();
        let horror = COL_FIRST_GENRE + Genre::Horror.index();
        // Not being horror raised it, the average lowered it, the runtime is ordinary, the
        // rating count is neither popular nor little-known, the fold-in column is no feature.
        let reason = describe(
            &film,
            &effects(&[
                (horror, 0.4),
                (COL_LB_AVERAGE, -0.3),
                (COL_RUNTIME, 0.3),
                (COL_LB_COUNT, 0.3),
                (N_FEATURES, 0.9),
                (COL_YEAR, 0.005),
            ]),
        );
        assert_eq!(reason, None);
        let series = {
            let mut film = seventies_drama();
            film.content_type = ContentType::Tv;
            film.genres = GenreSet::default();
            film
        };
        let reason = describe(&series, &effects(&[(COL_LB_AVERAGE, 0.1)])).unwrap();
        assert_eq!(reason.text, "highly rated series");
    }

    proptest! {
        /// Every feature named raised the prediction by at least the threshold, at most three
        /// are named, and the effect is theirs.
        #[test]
        fn every_feature_named_raised_the_score(
            values in proptest::collection::vec(-0.5f32..0.5, N_FEATURES + 1),
            genres in proptest::collection::vec(any::<bool>(), 19),
            average in 0.5f32..5.0,
            count in 0u32..200_000,
            year in 1890u16..2030,
            runtime in 1u16..240,
        ) {
            let mut film = seventies_drama();
            film.lb_average = Some(average);
            film.lb_rating_count = Some(count);
            film.year = Some(year);
            film.runtime_minutes = Some(runtime);
            film.genres = GenreSet::from_iter(
                Genre::ALL.iter().zip(&genres).filter(|(_, on)| **on).map(|(g, _)| *g),
            );
            if let Some(reason) = describe(&film, &values) {
                prop_assert!(!reason.features.is_empty() && reason.features.len() <= MAX_NAMED);
                for &column in &reason.features {
                    prop_assert!(values[column] >= MIN_FEATURE_EFFECT, "{} {}", column, values[column]);
                    prop_assert!(column < N_FEATURES);
                }
                let sum: f32 = reason.features.iter().map(|&c| values[c]).sum();
                prop_assert!((sum - reason.effect).abs() < 1e-5);
                prop_assert!(!reason.text.is_empty());
            }
        }
    }
}
