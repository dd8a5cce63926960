//! Statistics of one member's ratings against the catalog, the community and other members.

mod breakdown;
mod diary;
mod distribution;
mod labels;
mod member;
mod snapshot;
mod summary;
mod top_bottom;

pub use breakdown::{Era, EraStats, GenreStats, GroupMeans};
pub use diary::{DiaryStats, Watched, diary_stats};
pub use distribution::{CommunityHistograms, HalfStarDistribution, RatingDistributions};
pub use labels::{Labelled, Obscurity, RatingStyle};
pub use member::{MemberStatistics, StatsError, member_statistics};
pub use snapshot::{Percentiles, StatsSnapshot};
pub use summary::Spread;
pub use top_bottom::{RatedAgainstCommunity, TOP_BOTTOM_FILMS, TopAndBottom, top_and_bottom};
