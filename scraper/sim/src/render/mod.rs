//! HTML for the simulated Letterboxd, in the markup of the real pages.

pub mod film;
pub mod grid;
pub mod markup;
pub mod members;
pub mod pages;
