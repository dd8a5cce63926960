//! The HTTP skeleton every route shares, and the `reel serve` binary.

mod health;
mod serve;
mod skeleton;
