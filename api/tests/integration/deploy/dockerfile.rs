//! The Dockerfile cannot be built here (no container engine on these machines), so this checks what
//! can be checked without one: that it builds what CI builds, with the toolchain CI uses, ships the
//! binary cargo actually produces under its real name, runs a real subcommand, and that the slim
//! runtime image holds every library that binary links.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use clap::Parser;
use reel::cli::{Cli, Command};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(relative: &str) -> String {
    let path = repo_root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// One Dockerfile instruction: the keyword (upper case) and its arguments, with line continuations
/// joined and comments dropped.
#[derive(Debug)]
struct Instruction {
    keyword: String,
    args: String,
}

fn instructions(dockerfile: &str) -> Vec<Instruction> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in dockerfile.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(head) => {
                pending.push_str(head);
                pending.push(' ');
            }
            None => {
                pending.push_str(trimmed);
                let (keyword, args) = pending.split_once(char::is_whitespace).unwrap();
                out.push(Instruction {
                    keyword: keyword.to_ascii_uppercase(),
                    args: args.split_whitespace().collect::<Vec<_>>().join(" "),
                });
                pending.clear();
            }
        }
    }
    assert!(pending.is_empty(), "dangling line continuation: {pending}");
    out
}

fn dockerfile() -> Vec<Instruction> {
    instructions(&read("Dockerfile"))
}

fn all<'a>(instructions: &'a [Instruction], keyword: &str) -> Vec<&'a str> {
    instructions
        .iter()
        .filter(|instruction| instruction.keyword == keyword)
        .map(|instruction| instruction.args.as_str())
        .collect()
}

/// The instructions of the last stage: what the runtime image is made of.
fn runtime_stage(instructions: &[Instruction]) -> &[Instruction] {
    let start = instructions
        .iter()
        .rposition(|instruction| instruction.keyword == "FROM")
        .unwrap();
    &instructions[start..]
}

/// `KEY=value` pairs of every ENV instruction in the given instructions.
fn env(instructions: &[Instruction]) -> Vec<(String, String)> {
    all(instructions, "ENV")
        .iter()
        .flat_map(|args| args.split_whitespace())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap();
            (key.to_owned(), value.to_owned())
        })
        .collect()
}

fn env_value(instructions: &[Instruction], key: &str) -> String {
    env(instructions)
        .into_iter()
        .find(|(name, _)| name == key)
        .unwrap_or_else(|| panic!("the runtime image sets no {key}"))
        .1
}

/// Words of the `cargo <subcommand>` RUN line that contains `needle`.
fn cargo_run(instructions: &[Instruction], needle: &str) -> Vec<String> {
    let runs: Vec<&str> = all(instructions, "RUN")
        .into_iter()
        .filter(|args| args.contains(needle))
        .collect();
    assert_eq!(runs.len(), 1, "expected one RUN with `{needle}`: {runs:?}");
    runs[0].split_whitespace().map(str::to_owned).collect()
}

fn bin_name() -> String {
    // Compiles only if the package has a `reel` binary target: the name is cargo's, not ours.
    Path::new(env!("CARGO_BIN_EXE_reel"))
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn toolchain_matches_rust_toolchain_toml() {
    let toolchain = read("rust-toolchain.toml");
    let channel = toolchain
        .lines()
        .find_map(|line| line.trim().strip_prefix("channel"))
        .and_then(|rest| rest.split('"').nth(1))
        .expect("rust-toolchain.toml names a channel");
    let instructions = dockerfile();
    let args = all(&instructions, "ARG");
    let version = args
        .iter()
        .find_map(|arg| arg.strip_prefix("RUST_VERSION="))
        .expect("Dockerfile declares ARG RUST_VERSION=<version>");
    assert_eq!(
        version, channel,
        "Dockerfile RUST_VERSION vs rust-toolchain.toml"
    );
}

#[test]
fn builds_the_reel_binary_locked_in_release_and_cooks_the_same_dependencies() {
    let instructions = dockerfile();
    let build = cargo_run(&instructions, "cargo build");
    let expected = ["--release", "--locked", "-p", "reel", "--bin"];
    for flag in expected {
        assert!(
            build.contains(&flag.to_owned()),
            "`{flag}` missing from {build:?}"
        );
    }
    let bin = build
        .iter()
        .skip_while(|word| *word != "--bin")
        .nth(1)
        .unwrap();
    assert_eq!(*bin, bin_name());

    // cargo-chef only saves time if it compiles dependencies for the same profile, lockfile,
    // package and binary as the real build.
    let cook = cargo_run(&instructions, "cargo chef cook");
    let cook_flags: Vec<&String> = cook
        .iter()
        .skip(3)
        .filter(|word| !word.starts_with("--recipe-path") && !word.ends_with(".json"))
        .collect();
    let build_flags: Vec<&String> = build.iter().skip(2).collect();
    assert_eq!(cook_flags, build_flags);
}

#[test]
fn runtime_image_ships_that_binary_and_runs_a_real_subcommand() {
    let instructions = dockerfile();
    let runtime = runtime_stage(&instructions);
    let copy = all(runtime, "COPY")
        .into_iter()
        .find(|args| args.starts_with("--from=builder"))
        .expect("the runtime stage copies the binary from the builder");
    let parts: Vec<&str> = copy.split_whitespace().collect();
    let name = bin_name();
    assert_eq!(parts[1], format!("/app/target/release/{name}"));
    assert_eq!(parts[2], format!("/usr/local/bin/{name}"));

    // No ENTRYPOINT: the command is the whole `reel ...` line wherever it is overridden.
    assert!(all(&instructions, "ENTRYPOINT").is_empty());
    let cmd: Vec<String> = serde_json::from_str(all(runtime, "CMD").last().unwrap())
        .expect("CMD is in exec (JSON array) form");
    assert_eq!(cmd[0], name);
    let cli = Cli::try_parse_from(&cmd).unwrap_or_else(|err| panic!("{cmd:?}: {err}"));
    assert!(matches!(cli.command, Command::Serve(_)), "{cmd:?}");
}

#[test]
fn runtime_image_runs_unprivileged_on_the_port_it_exposes() {
    let instructions = dockerfile();
    let runtime = runtime_stage(&instructions);
    let user = all(runtime, "USER")
        .last()
        .copied()
        .expect("a USER in the runtime stage");
    let uid = user.split(':').next().unwrap();
    assert!(uid != "root" && uid != "0", "runs as root: {user}");

    let bind = env_value(runtime, "BIND_ADDR");
    let (host, port) = bind.rsplit_once(':').unwrap();
    assert_eq!(
        host, "0.0.0.0",
        "a container must listen on every interface"
    );
    assert_eq!(env_value(runtime, "PORT"), port);
    assert_eq!(all(runtime, "EXPOSE"), [port]);
}

#[test]
fn builder_and_runtime_share_a_debian_release() {
    // A binary built against a newer glibc than the runtime's does not start.
    let instructions = dockerfile();
    let froms = all(&instructions, "FROM");
    let release = |image: &str| {
        ["bookworm", "trixie", "bullseye"]
            .into_iter()
            .find(|release| image.contains(release))
            .unwrap_or_else(|| panic!("{image} names no Debian release"))
    };
    let builder = froms.iter().find(|from| from.starts_with("rust:")).unwrap();
    let runtime = froms.last().unwrap();
    assert!(runtime.starts_with("debian:") && runtime.contains("-slim"));
    assert_eq!(release(builder), release(runtime));
}

#[test]
fn runtime_image_has_every_library_the_binary_links() {
    // What a bookworm-slim image holds without installing anything: glibc and libgcc_s. Anything
    // else (libssl, libpq, ...) would need an apt-get install in the runtime stage.
    const IN_SLIM_IMAGE: &[&str] = &[
        "linux-vdso.so.1",
        "ld-linux-x86-64.so.2",
        "ld-linux-aarch64.so.1",
        "libc.so.6",
        "libm.so.6",
        "libgcc_s.so.1",
        "libpthread.so.0",
        "libdl.so.2",
        "librt.so.1",
    ];
    let output = Process::new("ldd")
        .arg(env!("CARGO_BIN_EXE_reel"))
        .output()
        .expect("ldd (Debian package libc-bin) is needed for this check");
    let listing = String::from_utf8_lossy(&output.stdout);
    if listing.contains("not a dynamic executable") || listing.contains("statically linked") {
        return;
    }
    assert!(output.status.success(), "ldd failed: {listing}");
    let libraries: Vec<&str> = listing
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(|library| library.rsplit('/').next().unwrap())
        .collect();
    assert!(
        libraries.contains(&"libc.so.6"),
        "unexpected ldd output: {listing}"
    );
    let missing: Vec<&&str> = libraries
        .iter()
        .filter(|library| !IN_SLIM_IMAGE.contains(library))
        .collect();
    assert!(
        missing.is_empty(),
        "not in debian:bookworm-slim: {missing:?}"
    );
}

#[test]
fn dockerignore_keeps_what_the_build_reads() {
    let ignored: Vec<String> = read(".dockerignore")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.trim_matches('/').to_owned())
        .collect();
    assert!(
        ignored.iter().any(|line| line == "target"),
        "target must stay out of the context"
    );
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "rust-toolchain.toml",
        "api",
        "model",
        "scraper",
    ] {
        assert!(
            !ignored.iter().any(|line| line == needed || line == "*"),
            "{needed} is needed by the build but ignored"
        );
    }
}

/// The image's binary is built without debug info (157 MB with it, 32 MB without), while
/// `[profile.release]` keeps line tables for benchmarks: the stripping is the image's alone, and
/// set before the dependencies are cooked so they share the binary's profile.
#[test]
fn the_image_binary_is_built_without_debug_info() {
    let instructions = dockerfile();
    let builder_start = instructions
        .iter()
        .position(|instruction| {
            instruction.keyword == "FROM" && instruction.args.ends_with("AS builder")
        })
        .expect("a builder stage");
    let builder_end = instructions[builder_start + 1..]
        .iter()
        .position(|instruction| instruction.keyword == "FROM")
        .map_or(instructions.len(), |end| builder_start + 1 + end);
    let builder = &instructions[builder_start..builder_end];
    let cook = builder
        .iter()
        .position(|instruction| {
            instruction.keyword == "RUN" && instruction.args.contains("cargo chef cook")
        })
        .expect("the builder cooks dependencies");
    let before_cook = env(&builder[..cook]);
    for (key, value) in [
        ("CARGO_PROFILE_RELEASE_DEBUG", "0"),
        ("CARGO_PROFILE_RELEASE_STRIP", "debuginfo"),
    ] {
        assert!(
            before_cook.contains(&(key.to_owned(), value.to_owned())),
            "{key}={value} not set before the cook: {before_cook:?}"
        );
    }
    let manifest = read("Cargo.toml");
    assert!(
        manifest.contains("[profile.release]\ndebug = \"line-tables-only\""),
        "[profile.release] keeps its line tables"
    );
}
