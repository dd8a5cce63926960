//! What the simulated Letterboxd knows: films and members' diaries, loaded from the shared dataset
//! or generated from a seed. Synthetic worlds are generated on demand, film by film and member by
//! member, so their size costs no memory.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use letterboxd::client::ClientConfig;
use model::{DiaryEntry as Watch, Film, FilmKey, FilmRef, Profile, Rating, Username};

use crate::synthetic::{SyntheticFilms, SyntheticMembers, SyntheticSpec};
use crate::watches::{DIARY_PAGE_SIZE, LoggedWatch, watch_log};
use letterboxd::dataset::DatasetError;

/// Films per grid page, as on letterboxd.com.
pub const GRID_PAGE_SIZE: usize = 72;
/// Members per popular-members page.
pub const MEMBERS_PAGE_SIZE: usize = 30;

/// One film in a member's films grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiaryEntry {
    /// Index of the film in the world.
    pub film: u32,
    /// `None`: watched, not rated.
    pub rating: Option<Rating>,
    pub liked: bool,
}

/// A member's films grid and watchlist, in the order their pages show them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diary {
    pub entries: Vec<DiaryEntry>,
    pub watchlist: Vec<u32>,
}

pub(crate) enum Films {
    Listed {
        films: Vec<Film>,
        by_slug: HashMap<FilmKey, u32>,
    },
    Synthetic(SyntheticFilms),
}

pub(crate) enum Members {
    Listed {
        /// In popularity order (most films first).
        names: Vec<Username>,
        diaries: HashMap<Username, Diary>,
    },
    Synthetic(SyntheticMembers),
}

/// The simulated server's data. Immutable once built; share it in an `Arc`.
pub struct World {
    films: Films,
    members: Members,
    /// Members added by hand (tests' 2,000-film member), served before the generated ones.
    extra: HashMap<Username, Diary>,
    extra_names: Vec<Username>,
}

impl World {
    pub(crate) fn from_parts(films: Films, members: Members) -> Self {
        Self {
            films,
            members,
            extra: HashMap::new(),
            extra_names: Vec::new(),
        }
    }

    /// The world of `../shared/data/letterboxd-1m/` (or any directory in its format).
    pub fn from_dataset(dir: &Path) -> Result<Self, DatasetError> {
        crate::from_dataset::load(dir)
    }

    /// A generated world of any size; see [`SyntheticSpec`].
    pub fn synthetic(spec: SyntheticSpec) -> Self {
        let films = SyntheticFilms::new(spec.films, spec.seed);
        let members = SyntheticMembers::new(spec.members, spec.seed, spec.films);
        Self::from_parts(Films::Synthetic(films), Members::Synthetic(members))
    }

    /// Adds (or replaces) a member with exactly this diary. Film indices must be below
    /// [`World::film_count`]; entries that are not are dropped.
    pub fn insert_member(&mut self, name: Username, mut diary: Diary) {
        let count = self.film_count();
        diary.entries.retain(|entry| (entry.film as usize) < count);
        diary.watchlist.retain(|&film| (film as usize) < count);
        if self.extra.insert(name.clone(), diary).is_none() {
            self.extra_names.push(name);
        }
    }

    pub fn film_count(&self) -> usize {
        match &self.films {
            Films::Listed { films, .. } => films.len(),
            Films::Synthetic(films) => films.count(),
        }
    }

    pub fn film(&self, index: u32) -> Option<Cow<'_, Film>> {
        match &self.films {
            Films::Listed { films, .. } => films.get(index as usize).map(Cow::Borrowed),
            Films::Synthetic(films) => films.film(index).map(Cow::Owned),
        }
    }

    pub fn film_index(&self, slug: &FilmKey) -> Option<u32> {
        match &self.films {
            Films::Listed { by_slug, .. } => by_slug.get(slug).copied(),
            Films::Synthetic(films) => films.index_of(slug),
        }
    }

    pub fn film_by_slug(&self, slug: &FilmKey) -> Option<Cow<'_, Film>> {
        self.film_index(slug).and_then(|index| self.film(index))
    }

    /// Every film, in index order.
    pub fn films(&self) -> impl Iterator<Item = Cow<'_, Film>> + '_ {
        (0..self.film_count() as u32).filter_map(|index| self.film(index))
    }

    pub fn member_count(&self) -> usize {
        self.extra_names.len()
            + match &self.members {
                Members::Listed { names, .. } => names.len(),
                Members::Synthetic(members) => members.count(),
            }
    }

    /// The `rank`-th most popular member (0-based): hand-added ones first.
    pub fn member_at(&self, rank: usize) -> Option<Username> {
        if let Some(name) = self.extra_names.get(rank) {
            return Some(name.clone());
        }
        let rank = rank - self.extra_names.len();
        match &self.members {
            Members::Listed { names, .. } => names.get(rank).cloned(),
            Members::Synthetic(members) => members.name(rank),
        }
    }

    pub fn diary(&self, name: &Username) -> Option<Cow<'_, Diary>> {
        if let Some(diary) = self.extra.get(name) {
            return Some(Cow::Borrowed(diary));
        }
        match &self.members {
            Members::Listed { diaries, .. } => diaries.get(name).map(Cow::Borrowed),
            Members::Synthetic(members) => members.diary(name, |film| self.film_quality(film)),
        }
    }

    /// The film's community average in half stars (what synthetic members' ratings centre on).
    pub(crate) fn film_quality(&self, index: u32) -> f32 {
        match &self.films {
            Films::Listed { films, .. } => films
                .get(index as usize)
                .and_then(|film| film.lb_average)
                .unwrap_or(3.2),
            Films::Synthetic(films) => films.quality(index),
        }
    }

    /// `name`'s diary pages' entries, oldest first (the pages show them newest first): dates the
    /// dataset lacks, generated from the name so every run serves the same.
    pub fn diary_log(&self, name: &Username) -> Option<Vec<LoggedWatch>> {
        let diary = self.diary(name)?;
        Some(watch_log(name, &diary))
    }

    /// What a perfect scrape of `name` yields with the default client (whose diary bound keeps
    /// the newest entries): the truth the round-trip tests compare against.
    pub fn profile(&self, name: &Username) -> Option<Profile> {
        self.profile_reading(name, ClientConfig::default().diary_pages_per_profile)
    }

    /// What a perfect scrape of `name` yields when it reads at most `diary_pages` diary pages.
    pub fn profile_reading(&self, name: &Username, diary_pages: u32) -> Option<Profile> {
        let log = self.diary_log(name)?;
        let read = (diary_pages as usize).saturating_mul(DIARY_PAGE_SIZE);
        let mut profile = self.grid_profile(name)?;
        profile.diary = log[log.len().saturating_sub(read)..]
            .iter()
            .filter_map(|watch| {
                Some(Watch {
                    key: self.film(watch.film)?.key.clone(),
                    date: watch.date,
                    rewatch: watch.rewatch,
                })
            })
            .collect();
        Some(profile)
    }

    /// The profile the films grid and the watchlist show, without dates.
    fn grid_profile(&self, name: &Username) -> Option<Profile> {
        let diary = self.diary(name)?;
        let mut profile = Profile {
            username: Some(name.clone()),
            ..Profile::default()
        };
        for entry in &diary.entries {
            let Some(film) = self.film(entry.film) else {
                continue;
            };
            match entry.rating {
                Some(rating) => profile.ratings.push((film.key.clone(), rating)),
                None => profile.watched.push(film.key.clone()),
            }
            if entry.liked {
                profile.likes.push(film.key.clone());
            }
            profile.films_seen.push(film_ref(&film));
        }
        for &index in &diary.watchlist {
            if let Some(film) = self.film(index) {
                profile.watchlist.push(film.key.clone());
                profile.films_seen.push(film_ref(&film));
            }
        }
        Some(profile)
    }
}

/// A film as a grid shows it. Grid names are read with whitespace collapsed (a title's no-break
/// space, as in "Episode II –\u{a0}Attack", reads as a space), so the truth is written that way too.
pub fn film_ref(film: &Film) -> FilmRef {
    FilmRef {
        key: film.key.clone(),
        title: Some(film.title.split_whitespace().collect::<Vec<_>>().join(" ")),
        year: film.year,
        letterboxd_id: film.letterboxd_id,
    }
}

/// Grid pages needed for `count` films (an empty grid is still one page).
pub fn pages_for(count: usize, per_page: usize) -> u32 {
    count.div_ceil(per_page).max(1) as u32
}
