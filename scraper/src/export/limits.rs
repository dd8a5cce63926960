//! Hard limits on an uploaded export. A real export of a heavy member (10,000 diary entries,
//! hundreds of lists, long reviews) is a few MB zipped; these leave a wide margin above that.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportLimits {
    /// Size of the upload itself.
    pub max_compressed_bytes: u64,
    /// Sum of every entry's declared size, and of the bytes actually inflated.
    pub max_uncompressed_bytes: u64,
    pub max_entries: usize,
    /// Largest uncompressed/compressed ratio for an entry above [`ExportLimits::ratio_floor_bytes`].
    pub max_compression_ratio: u64,
    /// Entries smaller than this are not ratio-checked: tiny files compress oddly and are harmless.
    pub ratio_floor_bytes: u64,
}

impl Default for ExportLimits {
    fn default() -> Self {
        Self {
            max_compressed_bytes: 32 * 1024 * 1024,
            max_uncompressed_bytes: 256 * 1024 * 1024,
            max_entries: 20_000,
            max_compression_ratio: 100,
            ratio_floor_bytes: 1024 * 1024,
        }
    }
}
