#![no_main]

use letterboxd::export::{ExportLimits, NoCatalog, read_files, read_zip};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = ExportLimits::default();
    // The same bytes as a zip, and as each CSV file of a bare upload.
    let _ = read_zip(data, Some("letterboxd-fuzz-2025-01-01-00-00-utc.zip"), &NoCatalog, &limits);
    for name in ["ratings.csv", "diary.csv", "watched.csv", "profile.csv"] {
        let _ = read_files(&[(name.to_owned(), data.to_vec())], &NoCatalog, &limits);
    }
});
