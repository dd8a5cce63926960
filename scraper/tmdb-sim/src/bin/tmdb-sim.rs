//! `tmdb-sim`: the simulated TMDB as a process, for demos, jobs and load tests.
//!
//! ```text
//! tmdb-sim --films ../shared/data/letterboxd-1m/films.csv.gz --bind 127.0.0.1:0 --token sim
//! tmdb-sim --synthetic 100000 --rate-limited 0.1 --retry-after 1
//! tmdb-sim --films ../shared/data/letterboxd-1m/films.csv.gz --dump-figures figures.csv
//! ```
//! With `--dump-figures FILE` (`-` for stdout) it writes every title's vote figures as CSV
//! (`slug,tmdb_id,vote_average,vote_count,popularity`) and exits instead of serving.
//! The first line on stdout is `listening on http://ADDR`; point a client at it with
//! `TMDB_BASE_URL=http://ADDR/3` and `TMDB_FILES_URL=http://ADDR/p/exports`. Faults can be
//! changed while it runs with `PUT /__sim/faults` (the JSON of `GET /__sim/faults`), and titles
//! marked changed with `POST /__sim/changes` (`{"count": 10}` or `{"ids": [550]}`).

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Parser;
use tmdb_sim::{FaultPlan, Faults, Knobs, SimServer, World, read_films, synthetic};

#[derive(Debug, Parser)]
#[command(
    name = "tmdb-sim",
    about = "A simulated TMDB API and daily id exports, built from a films file or generated"
)]
struct Args {
    /// A film list in the letterboxd-1m format (films.csv or films.csv.gz).
    #[arg(long, default_value = "../shared/data/letterboxd-1m/films.csv.gz")]
    films: PathBuf,
    /// Generate this many films instead of reading --films.
    #[arg(long)]
    synthetic: Option<usize>,
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: String,
    /// Seed of the world's draws (ids, figures, providers) and of the fault draws.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The API token requests must carry (bearer or api_key); without it any is accepted.
    #[arg(long)]
    token: Option<String>,
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// Milliseconds added to every response.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Share of requests answered 429 (0..1).
    #[arg(long, default_value_t = 0.0)]
    rate_limited: f64,
    /// The Retry-After of those 429s, in seconds.
    #[arg(long, default_value_t = 1)]
    retry_after: u64,
    /// Share of requests answered 500/502/503 (0..1).
    #[arg(long, default_value_t = 0.0)]
    server_errors: f64,
    /// Answer every request 401, whatever its token.
    #[arg(long)]
    bad_token: bool,
    /// Share of JSON bodies cut off partway (0..1).
    #[arg(long, default_value_t = 0.0)]
    truncated: f64,
    /// TMDB's own ceiling: 429 past this many requests a second.
    #[arg(long)]
    ceiling: Option<u32>,
    /// Write the world's vote figures to FILE as CSV (`-`: stdout) and exit without serving.
    #[arg(long, value_name = "FILE")]
    dump_figures: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let films = match args.synthetic {
        Some(count) => synthetic::films(count, args.seed),
        None => read_films(&args.films).map_err(std::io::Error::other)?,
    };
    let world = World::build(films, args.seed);
    if let Some(path) = &args.dump_figures {
        return dump_figures(&world, path);
    }
    let plan = FaultPlan {
        all: Knobs {
            latency_ms: args.latency_ms,
            rate_limited: args.rate_limited,
            retry_after_secs: args.retry_after,
            server_errors: args.server_errors,
            bad_token: args.bad_token,
            truncated: args.truncated,
            first_hits: None,
        },
        paths: Vec::new(),
        ceiling_per_second: args.ceiling,
        seed: args.seed,
    };
    let count = world.len();
    let (addr, handle) = SimServer::start_on(
        &args.bind,
        args.workers,
        Arc::new(world),
        args.token,
        Faults::new(plan),
    )
    .await?;
    let mut stdout = std::io::stdout().lock();
    // One write for both lines: a caller that reads the first line and closes the pipe must not
    // make a later write fail and the simulator exit.
    write!(
        stdout,
        "listening on http://{addr}\nserving {count} titles\n"
    )?;
    stdout.flush()?;
    drop(stdout);
    tokio::signal::ctrl_c().await?;
    handle.stop().await;
    Ok(())
}

fn dump_figures(world: &World, path: &std::path::Path) -> std::io::Result<()> {
    let written = if path.as_os_str() == "-" {
        world.write_figures(std::io::stdout().lock())
    } else {
        world.write_figures(std::io::BufWriter::new(std::fs::File::create(path)?))
    };
    written.map_err(std::io::Error::other)?;
    eprintln!("wrote the figures of {} titles", world.len());
    Ok(())
}
