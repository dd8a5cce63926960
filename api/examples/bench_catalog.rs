//! Helper of `scripts/bench-catalog-refresh.sh`: prepares the crawl queue of a benchmark database
//! for a synthetic world of the simulated Letterboxd.
//!
//! ```text
//! DATABASE_URL=... bench_catalog queue films=100000,seed=1   # queue every film of the world
//! DATABASE_URL=... bench_catalog age                          # make every refreshed film due again
//! ```

use std::process::ExitCode;

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use letterboxd_sim::{SyntheticSpec, World};
use reel::store::Store;
use reel::store::crawl::CrawlKind;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<String, Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = std::env::var("DATABASE_URL").map_err(|_| "set DATABASE_URL")?;
    let store = Store::connect(&url).await?;
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["queue", spec] => {
            let spec: SyntheticSpec = spec.parse()?;
            let world = World::synthetic(spec);
            let slugs: Vec<String> = world.films().map(|film| film.key.to_string()).collect();
            let mut queued = 0;
            for chunk in slugs.chunks(10_000) {
                queued += store.queue_crawl(CrawlKind::Film, chunk).await?;
            }
            Ok(format!("queued {queued} films"))
        }
        ["age"] => {
            // A run queues again only films refreshed more than a week ago.
            let mut conn = AsyncPgConnection::establish(&url).await?;
            let aged = diesel::sql_query(
                "UPDATE crawl_jobs SET done_at = done_at - interval '30 days' WHERE status = 'done'",
            )
            .execute(&mut conn)
            .await?;
            Ok(format!("aged {aged} done jobs"))
        }
        _ => Err("usage: bench_catalog queue films=N,seed=S | bench_catalog age".into()),
    }
}
