//! (built by the foundation issue)
