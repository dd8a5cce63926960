//! The four scores of a pair, each from 0 to 100.

use super::radar::radar_overlap;
use super::taste::MemberTaste;
use crate::catalog::FilmIndex;

/// How many shared films the rating score's confidence counts as evidence of "unrelated" before
/// any film is seen: with `n` shared films the confidence is `n / (n + 20)`, so 3 shared films
/// give 0.13 and 100 give 0.83.
pub const CONFIDENCE_PRIOR_FILMS: f64 = 20.0;

/// The widest gap between two ratings, in stars (0.5 against 5).
const WIDEST_GAP: f64 = 4.5;

/// Why a pair has no rating score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoRatingScore {
    /// The two members rated no film in common.
    NoSharedFilms,
    /// One of them gave every shared film the same rating: a correlation is undefined.
    NoVariance,
}

/// Agreement on the films both members rated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatingAgreement {
    pub shared_films: u32,
    /// Pearson's r over the shared films, before shrinking.
    pub correlation: Option<f64>,
    /// `shared / (shared + 20)`: how much of the correlation the score keeps.
    pub confidence: f64,
    /// `50 + 50 × r × confidence`; `None` with the reason in `reason`.
    pub score: Option<f64>,
    pub reason: Option<NoRatingScore>,
}

/// Every score of one pair. `film`, `genre` and `era` are `None` only when the two members have
/// nothing to compare there (no genre or decade both rated).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScores {
    pub film: f64,
    pub genre: Option<f64>,
    pub era: Option<f64>,
    pub ratings: RatingAgreement,
}

/// Every score of `a` and `b`. The same diary is 100 everywhere, with full confidence: there is
/// nothing uncertain about a member agreeing with themself.
pub fn compare(a: &MemberTaste, b: &MemberTaste) -> PairScores {
    if a.ratings() == b.ratings() {
        let shared = u32::try_from(a.ratings().len()).unwrap_or(u32::MAX);
        return PairScores {
            film: 100.0,
            genre: Some(100.0),
            era: Some(100.0),
            ratings: RatingAgreement {
                shared_films: shared,
                correlation: Some(1.0),
                confidence: 1.0,
                score: Some(100.0),
                reason: None,
            },
        };
    }
    PairScores {
        film: film_score(a, b),
        genre: genre_score(a, b),
        era: era_score(a, b),
        ratings: rating_agreement(a, b),
    }
}

/// `50 × (1 + cos)` of the two members' ridge coefficients. A member whose ratings the features
/// do not explain at all (no direction) is unrelated to anyone: 50.
pub fn film_score(a: &MemberTaste, b: &MemberTaste) -> f64 {
    let (wa, wb) = (a.coefficients(), b.coefficients());
    let dot: f64 = wa.iter().zip(wb).map(|(x, y)| x * y).sum();
    let na = wa.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb = wb.iter().map(|x| x * x).sum::<f64>().sqrt();
    if na < 1e-9 || nb < 1e-9 {
        return 50.0;
    }
    bound(50.0 * (1.0 + dot / (na * nb)))
}

/// The overlap of the two radar polygons of mean rating per genre, over the genres both rated.
pub fn genre_score(a: &MemberTaste, b: &MemberTaste) -> Option<f64> {
    let (ra, rb): (Vec<f64>, Vec<f64>) = a
        .genre_means()
        .iter()
        .zip(b.genre_means())
        .filter_map(|(x, y)| Some((x.as_ref()?.mean_rating, y.as_ref()?.mean_rating)))
        .unzip();
    radar_overlap(&ra, &rb).map(|overlap| bound(100.0 * overlap))
}

/// `100 × (1 - L1 / (4.5 × decades))` over the decades both rated: the original's
/// `1 - L1 / (15 × 5)` normalized by the decades actually compared and the widest possible gap.
pub fn era_score(a: &MemberTaste, b: &MemberTaste) -> Option<f64> {
    let gaps: Vec<f64> = a
        .decades()
        .iter()
        .filter_map(|(decade, x)| {
            let y = b.decades().get(decade)?;
            Some((x.mean_rating - y.mean_rating).abs())
        })
        .collect();
    if gaps.is_empty() {
        return None;
    }
    let l1: f64 = gaps.iter().sum();
    Some(bound(100.0 * (1.0 - l1 / (WIDEST_GAP * gaps.len() as f64))))
}

/// The films both rated, with both ratings, by catalog index.
pub(crate) fn shared(a: &MemberTaste, b: &MemberTaste) -> Vec<(FilmIndex, f32, f32)> {
    let (mut i, mut j) = (0, 0);
    let (ra, rb) = (a.ratings(), b.ratings());
    let mut out = Vec::new();
    while i < ra.len() && j < rb.len() {
        match ra[i].0.cmp(&rb[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((ra[i].0, ra[i].1, rb[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Pearson's r on the shared films, shrunk toward 0 by `n / (n + 20)` and mapped to 0-100.
pub fn rating_agreement(a: &MemberTaste, b: &MemberTaste) -> RatingAgreement {
    let both = shared(a, b);
    let n = both.len() as f64;
    let shared_films = u32::try_from(both.len()).unwrap_or(u32::MAX);
    let confidence = n / (n + CONFIDENCE_PRIOR_FILMS);
    let none = |reason| RatingAgreement {
        shared_films,
        correlation: None,
        confidence,
        score: None,
        reason: Some(reason),
    };
    if both.is_empty() {
        return none(NoRatingScore::NoSharedFilms);
    }
    let mean_a = both.iter().map(|&(_, x, _)| f64::from(x)).sum::<f64>() / n;
    let mean_b = both.iter().map(|&(_, _, y)| f64::from(y)).sum::<f64>() / n;
    let (mut cov, mut var_a, mut var_b) = (0.0, 0.0, 0.0);
    for &(_, x, y) in &both {
        let (dx, dy) = (f64::from(x) - mean_a, f64::from(y) - mean_b);
        cov += dx * dy;
        var_a += dx * dx;
        var_b += dy * dy;
    }
    if var_a < 1e-12 || var_b < 1e-12 {
        return none(NoRatingScore::NoVariance);
    }
    let r = (cov / (var_a * var_b).sqrt()).clamp(-1.0, 1.0);
    RatingAgreement {
        shared_films,
        correlation: Some(r),
        confidence,
        score: Some(bound(50.0 + 50.0 * r * confidence)),
        reason: None,
    }
}

/// Rounding can step a hair outside 0-100.
fn bound(score: f64) -> f64 {
    score.clamp(0.0, 100.0)
}
