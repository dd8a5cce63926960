//! The PostgreSQL store on databases of its own.

mod crawl;
mod embedded;
mod films;
mod members;
mod migrations;
mod shared_cluster;
mod uploads;
