//! The service's domain, between the HTTP edge and the use cases: what a request asks for
//! (queries, member references, upload ids, the model choice) and what it gets back (results).
//!
//! The arrows point one way: `views/` (wire types) and `handlers/` parse into and render from
//! these types, `services/` and `jobs/` take and return them, and this module imports neither
//! (only `model` and small value crates). It is a module rather than a crate below `reel`
//! because its results hold `model` types only and its one dependency rule ("nothing here
//! imports `views`, `services`, `handlers` or `http`") is checked by
//! `domain_imports_no_outer_layer` below; a crate would add a build unit for the same guarantee.

mod compatibility;
mod faq;
mod filter_choice;
mod filter_values;
mod member;
mod model_choice;
mod predictions;
mod profile;
mod query_error;
mod reasons;
mod recommendations;
mod release_notes;
mod sources;
mod statistics;
mod top_films;
mod upload;
mod usage;
mod watchlist;
mod where_to_watch;

pub use compatibility::{
    ComparedMember, Compatibility, CompatibilityPair, CompatibilityQuery, CrossList, MIN_COMPARED,
    PairFilm,
};
pub use faq::{FAQ, FaqEntry};
pub use filter_choice::{
    ChosenFilters, Description, DescriptionReading, Fallback, FilterRequest, ParsedBy,
};
pub use filter_values::{countries, genres, languages};
pub use member::{MAX_MEMBERS, MemberRef, MemberRefError, UploadId, parse_members};
pub use model_choice::ModelChoice;
pub use predictions::{
    FilmPrediction, FilmReference, ListChoice, MAX_FILMS, MemberFilmPrediction, Predictions,
    PredictionsQuery, RequestedFilm,
};
pub use profile::{ProfileOrigin, ResolvedProfile, StoredMember};
pub use query_error::RequestError;
pub use reasons::{FilmReasons, Json, MemberReasons, ReasonFilms, WriteBudget};
pub use recommendations::{RankBy, Recommendations, RecommendationsQuery, RecommendedFilm};
pub use release_notes::{Release, ReleaseSection, release_notes};
pub use sources::{FilmSource, PROVIDER_ATTRIBUTION, TMDB_ATTRIBUTION};
pub use statistics::Statistics;
pub use top_films::{RatedFilmCard, TopFilms};
pub use upload::{Resolution, StoredUpload, Upload};
pub use usage::{CumulativeDay, UsageDay, UsageDays, UsageRange, UsageReport};
pub use watchlist::{Watchlist, WatchlistQuery};
pub use where_to_watch::WhereToWatch;

#[cfg(test)]
mod tests {
    /// The layer rule, kept by a test because a module (unlike a crate) cannot stop the import.
    #[test]
    fn domain_imports_no_outer_layer() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for layer in [
                "views", "services", "handlers", "http", "jobs", "store", "cli",
            ] {
                assert!(
                    !text.contains(&format!("crate::{layer}")),
                    "{} imports crate::{layer}",
                    path.display()
                );
            }
        }
    }
}
