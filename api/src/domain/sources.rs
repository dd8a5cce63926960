//! Where film data comes from, and the credit each source requires wherever its data is shown.

/// TMDB's terms ask every product using its API to show this notice.
pub const TMDB_ATTRIBUTION: &str =
    "This product uses the TMDB API but is not endorsed or certified by TMDB.";

/// Watch providers are JustWatch's data (through TMDB): shown with this credit.
pub const PROVIDER_ATTRIBUTION: &str = "Streaming availability data provided by JustWatch.";

/// Which source a film's features come from, as responses name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilmSource {
    /// Letterboxd's own figures: imported from the dataset or read from its pages.
    Letterboxd,
    /// Found on TMDB: features from its API, community figures calibrated from its votes.
    Tmdb,
}

impl FilmSource {
    /// A film whose Letterboxd figures are unknown but whose TMDB votes are carries TMDB's.
    pub fn of(film: &model::Film) -> Self {
        if film.lb_rating_count.is_none() && film.tmdb_vote_count.is_some()
            || film.key.tmdb_ref().is_some() && film.slug.is_none()
        {
            FilmSource::Tmdb
        } else {
            FilmSource::Letterboxd
        }
    }
}
