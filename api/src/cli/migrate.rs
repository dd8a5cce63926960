//! `reel migrate`: apply pending migrations and exit (Render runs it before each deploy).

use anyhow::Context;

use crate::config::{DatabaseArgs, LogConfig};
use crate::telemetry;

#[derive(Debug, Clone, clap::Args)]
pub struct MigrateArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub log: LogConfig,
}

pub async fn run(args: MigrateArgs) -> anyhow::Result<()> {
    telemetry::init(&args.log);
    // Opening the store applies pending migrations under the advisory lock.
    let (store, embedded) = args
        .database
        .open()
        .await
        .context("cannot migrate the database")?;
    let pending = store.pending_migrations().await;
    if let Some(embedded) = embedded {
        embedded
            .stop()
            .await
            .context("cannot stop the embedded PostgreSQL")?;
    }
    let pending = pending.context("cannot read the applied migrations")?;
    anyhow::ensure!(pending == 0, "{pending} migrations are still pending");
    println!("database schema is up to date");
    Ok(())
}
