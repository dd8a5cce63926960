//! Compatibility: what a request asks for and what it gets back.

use chrono::{DateTime, Utc};
use model::compatibility::{CrossPick, GroupMean, PairScores};
use model::{Film, Genre};

use super::member::{MAX_MEMBERS, MemberRef, parse_compared_members};
use super::profile::ResolvedProfile;
use super::query_error::RequestError;

/// The fewest members a comparison takes.
pub const MIN_COMPARED: usize = 2;

/// 2 to 8 distinct members; every pair of them is compared.
#[derive(Debug, Clone, PartialEq)]
pub struct CompatibilityQuery {
    pub members: Vec<MemberRef>,
}

impl CompatibilityQuery {
    pub fn parse(raw: &[String]) -> Result<Self, RequestError> {
        if raw.len() < MIN_COMPARED {
            return Err(RequestError::MemberCount {
                min: MIN_COMPARED,
                max: MAX_MEMBERS,
                got: raw.len(),
            });
        }
        Ok(Self {
            members: parse_compared_members(raw)?,
        })
    }
}

/// One member's side of the comparison: what the radar and line charts draw.
#[derive(Debug, Clone)]
pub struct ComparedMember {
    pub profile: ResolvedProfile,
    /// Every genre, in [`Genre::ALL`] order.
    pub genres: Vec<(Genre, Option<GroupMean>)>,
    /// Decades the member rated, oldest first.
    pub decades: Vec<(u16, GroupMean)>,
}

/// A film both members of a pair rated, with both ratings in the pair's order.
#[derive(Debug, Clone)]
pub struct PairFilm {
    pub film: Film,
    pub ratings: [f32; 2],
}

/// One member's favourites for another, ranked by the other's predicted rating.
#[derive(Debug, Clone)]
pub struct CrossList {
    /// Index into [`Compatibility::members`] of who the films are for.
    pub to: usize,
    /// Index of whose favourites they are.
    pub from: usize,
    pub films: Vec<(Film, CrossPick)>,
}

#[derive(Debug, Clone)]
pub struct CompatibilityPair {
    /// Indices into [`Compatibility::members`], the earlier first.
    pub members: [usize; 2],
    pub scores: PairScores,
    pub shared_favourites: Vec<PairFilm>,
    pub polarizing: Vec<PairFilm>,
    /// Both directions: the second member's picks from the first's favourites, then the reverse.
    pub cross_recommendations: [CrossList; 2],
}

#[derive(Debug, Clone)]
pub struct Compatibility {
    pub members: Vec<ComparedMember>,
    /// Every pair, in request order: (0, 1), (0, 2), ..., (1, 2), ...
    pub pairs: Vec<CompatibilityPair>,
    pub catalog_version: i64,
    pub computed_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(raw: &[&str]) -> Vec<String> {
        raw.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn two_to_eight_members() {
        assert_eq!(
            CompatibilityQuery::parse(&strings(&["dave"])),
            Err(RequestError::MemberCount {
                min: 2,
                max: 8,
                got: 1
            })
        );
        assert_eq!(
            CompatibilityQuery::parse(&strings(&["dave", "anna"]))
                .unwrap()
                .members
                .len(),
            2
        );
        let nine: Vec<String> = (0..9).map(|i| format!("member{i}")).collect();
        assert!(matches!(
            CompatibilityQuery::parse(&nine),
            Err(RequestError::Member(_))
        ));
    }
}
