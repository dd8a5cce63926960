//! What the tests share: databases of their own, the server under test, the job tests' simulated
//! Letterboxd, the simulated language model, and private Redis servers.

pub mod app;
pub mod cut_proxy;
pub mod database;
pub mod export;
pub mod jobs;
pub mod llm;
pub mod process;
pub mod redis;

pub use app::{ADMIN_TOKEN, ALLOWED_ORIGIN, BODY_LIMIT, FILMS, Options, TestApp, json, problem};
pub use database::TestDatabase;
