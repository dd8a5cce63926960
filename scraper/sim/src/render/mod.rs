//! HTML for the simulated Letterboxd, in the markup of the real pages.

pub mod diary;
pub mod film;
pub mod grid;
pub mod markup;
pub mod members;
pub mod pages;
