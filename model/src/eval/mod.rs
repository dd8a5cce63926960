//! The evaluation protocol of the letterboxd-1m dataset: rating metrics, the top-N metrics over the
//! whole catalog, and the per-member scoring loop.

mod metrics;
mod protocol;
mod top_n;

pub use metrics::{LIKED_FROM, accuracy, average_ranks, mae, ndcg_at, rmse, spearman};
pub use protocol::{
    ByPrediction, MIN_TRAIN_RATINGS, MemberOutcome, MemberSplit, Ranker, RatingFigures, Report,
    evaluate, evaluate_fixed_order, evaluate_rows, score_member, summarize,
};
pub use top_n::{
    LIST_LENGTH, RELEVANT_FROM, SHORT_CUT, TopList, TopNFigures, binary_ndcg_at, coverage_at,
    popularity_at, rating_counts, recall_at, summarize_top_n, top_unseen,
};
