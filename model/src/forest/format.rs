//! The forest's stored form: a magic tag, a format version, then the postcard-encoded forest.
//!
//! Bump [`FORMAT_VERSION`] whenever [`RandomForest`]'s serialized shape or meaning changes; a
//! stored model of another version is refused with [`ForestError::UnsupportedFormat`] instead
//! of being misread (retrain it).

use super::tree::Node;
use super::{ForestError, RandomForest};

/// The version of the byte layout written by [`RandomForest::to_bytes`].
pub const FORMAT_VERSION: u32 = 1;
const MAGIC: &[u8; 4] = b"RFRS";

impl RandomForest {
    /// The forest as bytes: `b"RFRS"`, the format version (u32, little endian), then postcard.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ForestError> {
        let mut bytes = Vec::with_capacity(8 + self.nodes.len() * 12);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        Ok(postcard::to_extend(self, bytes)?)
    }

    /// Reads a forest written by [`RandomForest::to_bytes`], refusing other format versions and
    /// any structure prediction could not walk safely.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ForestError> {
        let Some((magic, rest)) = bytes.split_first_chunk::<4>() else {
            return Err(ForestError::NotAForest);
        };
        if magic != MAGIC {
            return Err(ForestError::NotAForest);
        }
        let Some((version, body)) = rest.split_first_chunk::<4>() else {
            return Err(ForestError::NotAForest);
        };
        let version = u32::from_le_bytes(*version);
        if version != FORMAT_VERSION {
            return Err(ForestError::UnsupportedFormat {
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        let forest: RandomForest = postcard::from_bytes(body)?;
        forest.check()?;
        Ok(forest)
    }

    /// Every index prediction follows stays in bounds, so a decoded forest cannot panic.
    fn check(&self) -> Result<(), ForestError> {
        let corrupt = |why| Err(ForestError::Corrupt(why));
        if self.trees.is_empty() {
            return corrupt("no trees");
        }
        if self.n_features == 0 || self.importances.len() != self.n_features {
            return corrupt("feature count");
        }
        let n_nodes = self.nodes.len();
        for (i, node) in self.nodes.iter().enumerate() {
            let Node { feature, left, .. } = *node;
            if feature as usize >= self.n_features {
                return corrupt("feature index out of range");
            }
            if left as usize != i && left as usize + 1 >= n_nodes {
                return corrupt("child index out of range");
            }
            if left as usize == i && node.threshold != f32::INFINITY {
                return corrupt("leaf with a finite threshold");
            }
        }
        if self.trees.iter().any(|tree| tree.root as usize >= n_nodes) {
            return corrupt("root index out of range");
        }
        Ok(())
    }
}
