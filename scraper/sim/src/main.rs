//! `letterboxd-sim`: the simulated Letterboxd as a process, for demos and load tests, and the
//! generator of synthetic datasets to serve and import.
//!
//! ```text
//! cargo run --release -p letterboxd-sim -- --data ../shared/data/letterboxd-1m
//! letterboxd-sim --data ../shared/data/letterboxd-1m --bind 127.0.0.1:0
//! letterboxd-sim --synthetic films=100000,members=10000,seed=7 --rate-limited 0.3 --retry-after 1
//! letterboxd-sim generate --films 100000 --members 20000 --seed 7 --out /tmp/world-100k
//! ```
//! Serving, the first line on stdout is `listening on http://ADDR`. Faults can be changed while it
//! runs with `PUT /-/faults` (the JSON of `GET /-/faults`). `generate` writes `films.csv.gz`,
//! `ratings.csv.gz` (the letterboxd-1m format, which `--data` and `reel import` read) and
//! `world.json` into `--out`, and prints one line of counts.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand};
use letterboxd_sim::generate::{self, WorldParams};
use letterboxd_sim::{FaultPlan, Faults, Knobs, SimServer, SyntheticSpec, World};

#[derive(Debug, Parser)]
#[command(
    name = "letterboxd-sim",
    about = "A simulated Letterboxd serving a dataset or a generated world",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// A dataset directory in the letterboxd-1m format (films.csv[.gz], ratings.csv[.gz]).
    #[arg(
        long,
        conflicts_with = "synthetic",
        required_unless_present = "synthetic"
    )]
    data: Option<PathBuf>,
    /// A generated world: films=N,members=M,seed=S.
    #[arg(long)]
    synthetic: Option<SyntheticSpec>,
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0")]
    bind: String,
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
    /// Share of requests answered 502/503 (0..1).
    #[arg(long, default_value_t = 0.0)]
    server_errors: f64,
    /// Answer every request with a Cloudflare challenge.
    #[arg(long)]
    challenge: bool,
    /// Share of pages cut off partway (0..1).
    #[arg(long, default_value_t = 0.0)]
    truncated: f64,
    /// Members whose profiles are private (comma-separated).
    #[arg(long, value_delimiter = ',')]
    private: Vec<String>,
    /// Members answered 404 (comma-separated).
    #[arg(long, value_delimiter = ',')]
    unknown: Vec<String>,
    /// Seed of the fault draws.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a synthetic world in the letterboxd-1m format into a directory.
    Generate(GenerateArgs),
}

#[derive(Debug, clap::Args)]
struct GenerateArgs {
    #[arg(long)]
    films: usize,
    #[arg(long)]
    members: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory for films.csv.gz, ratings.csv.gz and world.json (created when missing).
    #[arg(long)]
    out: PathBuf,
    /// Mean number of ratings per member.
    #[arg(long, default_value_t = generate::DEFAULT_RATINGS_PER_MEMBER)]
    ratings_per_member: f64,
    /// Share of members whose ratings are all `community` (0..1, exclusive).
    #[arg(long, default_value_t = generate::DEFAULT_COMMUNITY_SHARE)]
    community_share: f64,
}

fn main() -> std::io::Result<()> {
    let mut args = Args::parse();
    match args.command.take() {
        Some(Command::Generate(world)) => write_world(world),
        None => serve(args),
    }
}

fn write_world(args: GenerateArgs) -> std::io::Result<()> {
    let params = WorldParams {
        ratings_per_member: args.ratings_per_member,
        community_share: args.community_share,
        ..WorldParams::new(args.films, args.members, args.seed)
    };
    let spec = match params.check() {
        Ok(spec) => spec,
        Err(err) => {
            // A usage error like clap's own: the reason, not `main`'s Debug of an io::Error.
            eprintln!("error: {err}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let counts = generate::write_world(&spec, &args.out)?;
    println!(
        "wrote {} films, {} members ({} community), {} ratings (community {}, train {}, test {}) to {} in {:.1} s",
        counts.films,
        counts.members,
        counts.community_members,
        counts.ratings(),
        counts.community_ratings,
        counts.train_ratings,
        counts.test_ratings,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[tokio::main]
async fn serve(args: Args) -> std::io::Result<()> {
    let world = match (&args.data, args.synthetic) {
        (Some(dir), _) => World::from_dataset(dir).map_err(std::io::Error::other)?,
        (None, Some(spec)) => World::synthetic(spec),
        (None, None) => return Err(std::io::Error::other("give --data DIR or --synthetic SPEC")),
    };
    let plan = FaultPlan {
        all: Knobs {
            latency_ms: args.latency_ms,
            rate_limited: args.rate_limited,
            retry_after_secs: args.retry_after,
            server_errors: args.server_errors,
            challenge: args.challenge,
            truncated: args.truncated,
        },
        paths: Vec::new(),
        private_members: lowercase(&args.private),
        unknown_members: lowercase(&args.unknown),
        seed: args.fault_seed,
    };
    let films = world.film_count();
    let members = world.member_count();
    let (addr, handle) =
        SimServer::start_on(&args.bind, args.workers, Arc::new(world), Faults::new(plan)).await?;
    let mut stdout = std::io::stdout().lock();
    // One write for both lines: a caller that reads the first line and closes the pipe must not
    // make a later write fail and the simulator exit.
    write!(
        stdout,
        "listening on http://{addr}\nserving {films} films and {members} members\n"
    )?;
    stdout.flush()?;
    drop(stdout);
    tokio::signal::ctrl_c().await?;
    handle.stop().await;
    Ok(())
}

fn lowercase(names: &[String]) -> BTreeSet<String> {
    names
        .iter()
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Args::command().debug_assert();
    }

    #[test]
    fn serving_and_generating_do_not_mix() {
        assert!(Args::try_parse_from(["letterboxd-sim", "--data", "d"]).is_ok());
        assert!(Args::try_parse_from(["letterboxd-sim"]).is_err());
        let generate = Args::try_parse_from([
            "letterboxd-sim",
            "generate",
            "--films",
            "100",
            "--members",
            "5",
            "--out",
            "w",
        ])
        .unwrap();
        assert!(matches!(generate.command, Some(Command::Generate(_))));
        assert!(
            Args::try_parse_from([
                "letterboxd-sim",
                "--data",
                "d",
                "generate",
                "--films",
                "100",
                "--members",
                "5",
                "--out",
                "w"
            ])
            .is_err()
        );
    }
}
