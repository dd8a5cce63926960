//! Which catalog films may be recommended at all: not seen, not a duplicate entry of a seen film,
//! not on a watchlist, and passing the filters.

use std::collections::HashMap;

use super::Filters;
use crate::catalog::{Catalog, FilmIndex};
use crate::domain::{Film, Profile};

/// Catalog indices, ascending, of the films that may be recommended to all of `profiles` together.
///
/// - Films any member has rated or watched are out, unless `filters.allow_rewatches`.
/// - So is any film with the same title (ignoring ASCII case), year and runtime as a film a member
///   has seen: Letterboxd sometimes lists one film twice (a movie and a TV entry). Films whose year
///   or runtime is unknown are never treated as duplicates, since a title alone is not enough
///   (remakes share titles). Allowed again with rewatches.
/// - Films on any member's watchlist are out unless `filters.include_watchlist`.
/// - Slugs a profile mentions that the catalog lacks are ignored.
pub fn candidates(catalog: &Catalog, profiles: &[&Profile], filters: &Filters) -> Vec<FilmIndex> {
    let mut excluded = vec![false; catalog.len()];
    let mut seen_keys: HashMap<(u16, u16), Vec<&str>> = HashMap::new();
    for profile in profiles {
        if !filters.allow_rewatches {
            let seen = profile
                .ratings
                .iter()
                .map(|(slug, _)| slug)
                .chain(&profile.watched);
            for at in seen.filter_map(|slug| catalog.index_of(slug)) {
                excluded[usize::from(at)] = true;
                let film = catalog.film(at);
                if let (Some(year), Some(runtime)) = (film.year, film.runtime_minutes) {
                    seen_keys
                        .entry((year, runtime))
                        .or_default()
                        .push(&film.title);
                }
            }
        }
        if !filters.include_watchlist {
            for at in profile
                .watchlist
                .iter()
                .filter_map(|slug| catalog.index_of(slug))
            {
                excluded[usize::from(at)] = true;
            }
        }
    }
    let is_duplicate = |film: &Film| {
        let (Some(year), Some(runtime)) = (film.year, film.runtime_minutes) else {
            return false;
        };
        seen_keys
            .get(&(year, runtime))
            .is_some_and(|titles| titles.iter().any(|t| t.eq_ignore_ascii_case(&film.title)))
    };
    let filter = filters.compile(catalog.popularity());
    catalog
        .indices()
        .zip(catalog.films())
        .zip(excluded)
        .filter(|&((_, film), excluded)| !excluded && filter.matches(film) && !is_duplicate(film))
        .map(|((at, _), _)| at)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recommend::testkit::{catalog_of, film, profile};

    fn slugs(catalog: &Catalog, indices: &[FilmIndex]) -> Vec<String> {
        indices
            .iter()
            .map(|&at| catalog.film(at).key.to_string())
            .collect()
    }

    #[test]
    fn rated_watched_and_watchlisted_films_are_excluded_by_default() {
        let catalog = catalog_of(&["a", "b", "c", "d", "e"]);
        let member = profile(&["a"], &["b"], &["c"]);
        let found = candidates(&catalog, &[&member], &Filters::default());
        assert_eq!(slugs(&catalog, &found), ["d", "e"]);
    }

    #[test]
    fn the_watchlist_comes_back_when_asked_for() {
        let catalog = catalog_of(&["a", "b", "c"]);
        let member = profile(&["a"], &[], &["c"]);
        let filters = Filters {
            include_watchlist: true,
            ..Filters::default()
        };
        assert_eq!(
            slugs(&catalog, &candidates(&catalog, &[&member], &filters)),
            ["b", "c"]
        );
    }

    #[test]
    fn rewatches_bring_back_rated_and_watched_films_only_when_allowed() {
        let catalog = catalog_of(&["a", "b", "c"]);
        let member = profile(&["a"], &["b"], &[]);
        let filters = Filters {
            allow_rewatches: true,
            ..Filters::default()
        };
        assert_eq!(
            slugs(&catalog, &candidates(&catalog, &[&member], &filters)),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn duplicate_entries_of_a_seen_film_are_excluded() {
        let mut twin = film("heat-1995-tv");
        twin.title = "HEAT".into();
        let mut original = film("heat");
        original.title = "Heat".into();
        let mut remake = film("heat-2");
        remake.title = "Heat".into();
        remake.year = Some(2001);
        let mut longer = film("heat-3");
        longer.title = "Heat".into();
        longer.runtime_minutes = Some(170);
        let catalog = Catalog::from_films([original, twin, remake, longer]);
        let member = profile(&["heat"], &[], &[]);
        let found = candidates(&catalog, &[&member], &Filters::default());
        assert_eq!(slugs(&catalog, &found), ["heat-2", "heat-3"]);
        let rewatching = Filters {
            allow_rewatches: true,
            ..Filters::default()
        };
        assert_eq!(candidates(&catalog, &[&member], &rewatching).len(), 4);
    }

    #[test]
    fn films_without_year_or_runtime_are_never_duplicates() {
        let mut seen = film("seen");
        seen.title = "Same".into();
        seen.year = None;
        let mut other = film("other");
        other.title = "Same".into();
        other.year = None;
        let catalog = Catalog::from_films([seen, other]);
        let member = profile(&["seen"], &[], &[]);
        assert_eq!(
            slugs(
                &catalog,
                &candidates(&catalog, &[&member], &Filters::default())
            ),
            ["other"]
        );
    }

    #[test]
    fn several_members_exclude_what_any_of_them_has_seen_or_watchlisted() {
        let catalog = catalog_of(&["a", "b", "c", "d", "e"]);
        let first = profile(&["a"], &[], &["d"]);
        let second = profile(&["b"], &["c"], &[]);
        let found = candidates(&catalog, &[&first, &second], &Filters::default());
        assert_eq!(slugs(&catalog, &found), ["e"]);
    }

    #[test]
    fn slugs_missing_from_the_catalog_are_ignored_and_filters_apply() {
        let mut tv = film("tv");
        tv.content_type = crate::ContentType::Tv;
        let catalog = Catalog::from_films([film("a"), tv]);
        let member = profile(&["not-in-catalog"], &[], &["also-missing"]);
        let filters = Filters {
            content_types: vec![crate::ContentType::Movie],
            ..Filters::default()
        };
        assert_eq!(
            slugs(&catalog, &candidates(&catalog, &[&member], &filters)),
            ["a"]
        );
    }
}
