//! The API's request and response bodies: what clients send and see, kept apart from the domain
//! types so the contract changes only on purpose. Requests parse into [`crate::domain`] values
//! here, at the edge (parse, don't validate), and responses render from its results; handlers
//! never see raw strings. Only `handlers/`, `http/` and `openapi` import this module.

mod about;
mod compatibility;
mod diary;
mod film;
mod filters;
mod letterboxd_csv;
mod members;
mod poster;
mod predictions;
mod profiles;
mod reasons;
mod recommendations;
mod recommended;
mod statistics;
mod top_films;
mod usage;
mod watchlist;

pub use about::{FaqEntryView, FaqResponse, ReleaseNotesResponse, ReleaseSectionView, ReleaseView};
pub use compatibility::{
    ComparedMemberView, CompatibilityPairView, CompatibilityRequest, CompatibilityResponse,
    CompatibilityScoresView, CrossFilmView, CrossRecommendationsView, DecadeMeanView,
    GenreMeanView, NoRatingScoreView, PairFilmView, RatingScoreView,
};
pub use diary::{DiaryStatsView, WatchedInView, WeekdayView};
pub use film::FilmView;
pub use filters::{
    AppliedFiltersView, ContentTypeBody, DescriptionReadingView, FilterNameView, FilterOriginView,
    FilterSourceView, FiltersBody, PopularityBody,
};
pub use letterboxd_csv::LetterboxdCsv;
pub use members::{MemberView, ProfileSourceView};
pub use predictions::{
    FilmReferenceBody, MemberFilmPredictionView, PredictionItem, PredictionsRequest,
    PredictionsResponse, TmdbMovieBody, UnknownFilmView,
};
pub use profiles::{ProfileUploadForm, ProfileUploadResponse, UnmatchedRowView, UploadCountsView};
pub use reasons::{FeatureReasonView, FilmReasonView, ReasonView, ReasonsView};
pub use recommendations::{RankByView, RecommendationsRequest};
pub use recommended::{MemberPrediction, RecommendationItem, RecommendationsResponse};
pub use statistics::{
    DistributionsView, EraStatsView, EraView, GenreStatsView, HalfStarDistributionView,
    ObscurityLabel, ObscurityView, PercentilesView, RatingStyleLabel, RatingStyleView, SpreadView,
    StatisticsParams, StatisticsResponse,
};
pub use top_films::{RatedFilmView, TopFilmsView};
pub use usage::{
    CatalogReloadResponse, CumulativeDayView, UsageDayView, UsageParams, UsageResponse,
};
pub use watchlist::{PickModeView, WatchlistPickView, WatchlistRequest, WatchlistResponse};
