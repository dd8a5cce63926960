//! The simulated Letterboxd: a [`World`] of films and members served over HTTP in the current
//! markup, with switchable [`Faults`]. Used by the client tests, demos (`letterboxd-sim`) and
//! load tests; nothing in the test suite touches letterboxd.com. A crate of its own, so that the
//! `letterboxd` library, and with it `reel`, links neither its HTTP server nor its command line.

mod faults;
mod from_dataset;
pub mod generate;
pub mod render;
mod seed;
mod server;
mod synthetic;
mod watches;
mod world;

pub use faults::{FaultPlan, Faults, Knobs, PathFaults};
pub use server::{SimHandle, SimServer};
pub use synthetic::SyntheticSpec;
pub use watches::{DIARY_PAGE_SIZE, LoggedWatch};
pub use world::{Diary, DiaryEntry, GRID_PAGE_SIZE, MEMBERS_PAGE_SIZE, World, film_ref, pages_for};
