//! How alike two members' tastes are: four scores from 0 to 100 and three lists of films, from
//! their ratings over the catalog. Pure: the service hands in the ratings, the catalog and (for
//! cross-recommendations) each member's predicted ratings.
//!
//! - **film** ([`film_score`]): the cosine of the two members' ridge-regression coefficients over
//!   standardized film features, `50 × (1 + cos)`: 100 when the same features raise and lower both
//!   members' ratings in the same proportions, 50 when their tastes are unrelated, 0 when opposite.
//! - **genre** ([`genre_score`]): the overlap (intersection over union) of the two members' radar
//!   polygons of mean rating per genre, over the genres both rated.
//! - **era** ([`era_score`]): `100 × (1 - L1 / (4.5 × decades))` between the mean ratings per
//!   decade, over the decades both rated.
//! - **ratings** ([`rating_agreement`]): the Pearson correlation of their ratings of the films both
//!   rated, shrunk toward "unrelated" (50) when few films are shared.
//!
//! The same diary scores 100 on every score, whatever its size.

mod agreement;
mod lists;
mod radar;
mod taste;

#[cfg(test)]
mod tests;

pub use agreement::{
    CONFIDENCE_PRIOR_FILMS, NoRatingScore, PairScores, RatingAgreement, compare, era_score,
    film_score, genre_score, rating_agreement,
};
pub use lists::{
    CrossPick, FAVOURITE_FROM, LIST_LIMIT, POLARIZING_GAP, SharedFilm, cross_recommendations,
    polarizing, shared_favourites,
};
pub use radar::radar_overlap;
pub use taste::{FeatureScale, GroupMean, MemberTaste, RIDGE_PENALTY, TASTE_FEATURES};
