//! Where the store lives: a PostgreSQL server named by `DATABASE_URL`, or else a private cluster
//! under `DATA_DIR`.

use std::path::PathBuf;

use crate::store::{EmbeddedPostgres, Store, StoreError};

#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// PostgreSQL server to use (`postgres://user:password@host:port/database`); the database is
    /// created when missing. Without it the service runs its own PostgreSQL under DATA_DIR.
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Directory for the service's own data (the embedded PostgreSQL cluster lives in
    /// DATA_DIR/postgres).
    #[arg(long, env = "DATA_DIR", value_name = "DIR", default_value = "./data")]
    pub data_dir: PathBuf,
}

impl DatabaseArgs {
    /// Opens the store with pending migrations applied: on `DATABASE_URL`, or on an embedded
    /// cluster started under `DATA_DIR` when no URL is set. The returned guard is that cluster:
    /// stop it (or drop it) on exit.
    pub async fn open(&self) -> Result<(Store, Option<EmbeddedPostgres>), StoreError> {
        match self
            .database_url
            .as_deref()
            .filter(|url| !url.trim().is_empty())
        {
            Some(url) => Ok((Store::connect(url).await?, None)),
            None => {
                let cluster = EmbeddedPostgres::start(&self.data_dir).await?;
                let store = Store::connect(&cluster.database_url()).await?;
                Ok((store, Some(cluster)))
            }
        }
    }
}
