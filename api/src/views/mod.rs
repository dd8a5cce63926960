//! The API's request and response bodies: what clients send and see, kept apart from the domain
//! types so the contract changes only on purpose. Requests parse into domain values here, at the
//! edge (parse, don't validate); handlers never see raw strings.

mod film;
mod member;
mod members;
mod problem;
mod profiles;
mod recommendations;
mod recommended;
mod statistics;
mod usage;
mod watchlist;

pub use film::FilmView;
pub use member::{MAX_MEMBERS, MemberRef, MemberRefError, UploadId, parse_members};
pub use members::{MemberView, ProfileSourceView};
pub use problem::{ProblemCode, ProblemView};
pub use profiles::{ProfileUploadForm, ProfileUploadResponse, UnmatchedRowView, UploadCountsView};
pub use recommendations::{
    FiltersBody, ModelChoice, RecommendationsQuery, RecommendationsRequest, RequestError,
};
pub use recommended::{MemberPrediction, RecommendationItem, RecommendationsResponse};
pub use statistics::{
    DistributionsView, EraStatsView, EraView, GenreStatsView, HalfStarDistributionView,
    ObscurityLabel, ObscurityView, PercentilesView, RatingStyleLabel, RatingStyleView, SpreadView,
    StatisticsParams, StatisticsResponse,
};
pub use usage::{CatalogReloadResponse, UsageDayView, UsageParams, UsageResponse};
pub use watchlist::{
    PickModeView, WatchlistPickView, WatchlistQuery, WatchlistRequest, WatchlistResponse,
};
