//! The evaluation protocol of the letterboxd-1m dataset: metrics and the per-member scoring loop.

mod metrics;
mod protocol;

pub use metrics::{LIKED_FROM, accuracy, average_ranks, mae, ndcg_at, rmse, spearman};
pub use protocol::{
    MIN_TRAIN_RATINGS, MemberOutcome, MemberSplit, Report, evaluate, score_member, summarize,
};
