//! Hard limits on an uploaded export. A real export is small: one file of each kind, about 90
//! bytes a row, so a heavy member (10,000 diary entries, hundreds of lists, long reviews) comes to
//! an estimated 5 to 15 MB uncompressed, a few MB zipped (deflate squeezes these CSVs about 3
//! times: 2.8 on a `ratings.csv` built from the shared dataset). The limits leave a wide margin
//! above that, and no more: every byte the reader inflates is held in memory while it reads.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportLimits {
    /// Size of the upload itself.
    pub max_compressed_bytes: u64,
    /// The one budget of the whole archive: the sum of every entry's declared size (read or
    /// not), and again of the bytes actually inflated.
    pub max_uncompressed_bytes: u64,
    pub max_entries: usize,
    /// Largest uncompressed/compressed ratio, of the whole archive (its declared sizes over its
    /// length) and of each entry, once either holds more than
    /// [`ExportLimits::ratio_floor_bytes`].
    pub max_compression_ratio: u64,
    /// Below this, sizes are not ratio-checked: tiny files compress oddly and are harmless.
    pub ratio_floor_bytes: u64,
    /// Rows matching no film are listed up to this many (the first ones, in file order) and
    /// counted in full: an upload of unknown films must not answer with all of them.
    pub max_unmatched_listed: usize,
}

impl Default for ExportLimits {
    fn default() -> Self {
        Self {
            max_compressed_bytes: 32 * 1024 * 1024,
            // About four times the heaviest real export.
            max_uncompressed_bytes: 64 * 1024 * 1024,
            max_entries: 20_000,
            // Five times what real exports compress by.
            max_compression_ratio: 20,
            ratio_floor_bytes: 1024 * 1024,
            max_unmatched_listed: 500,
        }
    }
}
