//! Stable, seedable randomness: the same world and the same fault sequence on every machine and
//! Rust version (std's hasher promises neither).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// FNV-1a over `bytes`, mixed with `seed`.
pub(crate) fn hash(seed: u64, bytes: &[u8]) -> u64 {
    let mut state = 0xcbf2_9ce4_8422_2325_u64 ^ splitmix(seed);
    for &byte in bytes {
        state ^= u64::from(byte);
        state = state.wrapping_mul(0x0100_0000_01b3);
    }
    splitmix(state)
}

/// SplitMix64's finaliser: spreads nearby inputs over the whole range.
pub(crate) fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A uniform value in [0, 1) from a hash.
pub(crate) fn unit(hash: u64) -> f64 {
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

/// A generator for one named thing (a film, a country's offers) of a seeded world.
pub(crate) fn rng_for(seed: u64, what: &str, index: u64) -> ChaCha8Rng {
    let mut bytes = what.as_bytes().to_vec();
    bytes.extend_from_slice(&index.to_le_bytes());
    ChaCha8Rng::seed_from_u64(hash(seed, &bytes))
}

/// A draw from the standard normal distribution (Box-Muller), for noise around a figure.
pub(crate) fn normal(rng: &mut impl rand::Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_spread() {
        assert_eq!(hash(1, b"abc"), hash(1, b"abc"));
        assert_ne!(hash(1, b"abc"), hash(2, b"abc"));
        assert_ne!(hash(1, b"abc"), hash(1, b"abd"));
        let u = unit(hash(7, b"x"));
        assert!((0.0..1.0).contains(&u));
    }
}
