//! Where the files beside the repository live (`../shared`): saved pages and the dataset. Also
//! read by the parse benchmark (`#[path]`), which uses only some of it.
#![allow(dead_code, reason = "the parse benchmark uses only `fixture`")]

use std::path::PathBuf;

/// `../shared/<parts...>` from the workspace root.
pub fn shared_path(parts: &[&str]) -> PathBuf {
    let mut path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "..", "shared"]
        .iter()
        .collect();
    path.extend(parts);
    path
}

/// A saved page of `shared/fixtures/letterboxd/`, as text.
pub fn fixture(path: &str) -> String {
    let full = shared_path(&["fixtures", "letterboxd", path]);
    std::fs::read_to_string(&full).unwrap_or_else(|err| panic!("{}: {err}", full.display()))
}

/// The `letterboxd-1m` dataset's directory.
pub fn dataset_dir() -> PathBuf {
    shared_path(&["data", "letterboxd-1m"])
}
