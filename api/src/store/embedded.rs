//! A private PostgreSQL cluster under the data directory, for running the service with no
//! `DATABASE_URL`: initialised on first start, started with the service, stopped on exit, reused
//! on the next start.
//!
//! Processes on one data directory share the cluster (`cluster_lease`): the service and the
//! jobs run beside it. The first starts it, the others join it, and the last to leave stops it,
//! whichever started it.
//!
//! initdb and postgres refuse to run as root, and these machines run everything as root, so a
//! root process runs them as the unprivileged `postgres` user (the one the Debian packages create)
//! and hands it the cluster directory. That user must be able to reach the directory: every
//! directory above `DATA_DIR/postgres` needs the search (x) bit for others, which `/tmp`, `/srv`,
//! `/var/lib` and a checkout under `/work` have but `/root` does not.
//!
//! The server listens on 127.0.0.1 at a free port picked at each start, and on a unix socket in
//! the cluster directory (reachable only by its owner). TCP logins need the password generated at
//! initdb, kept in `DATA_DIR/postgres.password` (mode 600).

use std::fs;
use std::io;
use std::os::unix::fs::{PermissionsExt, chown};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rand::Rng;
use rand::distr::Alphanumeric;

use super::cluster_lease::{ControlLock, Lease, Users};

/// The database the service uses inside its cluster.
const DATABASE: &str = "reel";
const SUPERUSER: &str = "postgres";
/// Where Debian and Ubuntu install each major version's server binaries.
const DEBIAN_BIN_ROOT: &str = "/usr/lib/postgresql";
/// `pg_ctl -w -t`: how long to wait for the server to start or stop.
const PG_CTL_TIMEOUT_SECS: &str = "60";
/// Unix socket paths are limited to 107 bytes; longer cluster paths get TCP only.
const MAX_SOCKET_PATH: usize = 107;

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error(
        "no PostgreSQL server binaries found (looked for initdb and pg_ctl in `pg_config --bindir` \
         and /usr/lib/postgresql/*/bin): install them (`apt-get install postgresql`) or set \
         DATABASE_URL to a PostgreSQL server"
    )]
    NoBinaries,
    #[error(
        "running as root, but there is no `postgres` user to run the embedded PostgreSQL as \
         (initdb refuses root): `apt-get install postgresql` creates it, or set DATABASE_URL"
    )]
    NoPostgresUser,
    #[error(
        "the `postgres` user cannot write to {dir}: every directory above it must be searchable \
         by other users (chmod o+x), or choose another DATA_DIR, or set DATABASE_URL"
    )]
    Unreachable { dir: PathBuf },
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("`{command}` failed ({status}): {output}")]
    Command {
        command: String,
        status: String,
        output: String,
    },
    #[error("no free TCP port on 127.0.0.1: {0}")]
    Port(#[source] io::Error),
    #[error("cannot lock the embedded PostgreSQL under {dir}: {source}")]
    Lock {
        dir: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// The unprivileged account a root process runs the cluster as.
#[derive(Debug, Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

/// A running private cluster this process uses. Leave it with [`EmbeddedPostgres::stop`], which
/// stops the server when no other process uses it; dropping it does the same (synchronously,
/// best effort).
#[derive(Debug)]
pub struct EmbeddedPostgres {
    bin_dir: PathBuf,
    data_dir: PathBuf,
    cluster_dir: PathBuf,
    port: u16,
    password: String,
    run_as: Option<RunAs>,
    /// This process's use of the cluster; taken when it leaves.
    lease: Option<Lease>,
}

impl EmbeddedPostgres {
    /// initdb on first run under `data_dir/postgres`, start on 127.0.0.1 at a free port (and a
    /// unix socket in the cluster directory), reuse the cluster on the next start. A server another
    /// process on this data directory runs is joined, one left running by a process that ended is
    /// adopted: never started twice.
    pub async fn start(data_dir: &Path) -> Result<EmbeddedPostgres, EmbeddedError> {
        let bin_dir = find_bin_dir()?;
        let run_as = if is_root() {
            Some(postgres_user()?)
        } else {
            None
        };
        fs::create_dir_all(data_dir).map_err(io_error("create", data_dir))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(io_error("resolve", data_dir))?;
        let cluster_dir = data_dir.join("postgres");
        let control = control_lock(&data_dir).await?;
        let password = read_or_create_password(&data_dir.join("postgres.password"))?;
        let mut cluster = EmbeddedPostgres {
            bin_dir,
            data_dir: data_dir.clone(),
            cluster_dir,
            port: 0,
            password,
            run_as,
            lease: None,
        };
        if !cluster.cluster_dir.join("PG_VERSION").exists() {
            cluster.init(&data_dir).await?;
        }
        let users = control.users(&data_dir).map_err(lock_error(&data_dir))?;
        match (cluster.running_port().await?, users) {
            (Some(port), Users::Others) => {
                cluster.port = port;
                tracing::info!(
                    postgres.port = port,
                    process.id = std::process::id(),
                    "joined the embedded PostgreSQL another process runs; the last process to \
                     leave it stops it"
                );
            }
            (Some(port), Users::None) => {
                cluster.port = port;
                tracing::info!(
                    postgres.port = port,
                    process.id = std::process::id(),
                    "adopting the embedded PostgreSQL left running by a process that ended"
                );
            }
            (None, _) => {
                cluster.port = free_port()?;
                cluster.pg_ctl_start().await?;
                tracing::info!(
                    postgres.port = cluster.port,
                    process.id = std::process::id(),
                    "started the embedded PostgreSQL; the last process to leave it stops it"
                );
            }
        }
        cluster.lease = Some(control.join(&data_dir).map_err(lock_error(&data_dir))?);
        drop(control);
        tracing::info!(
            postgres.dir = %cluster.cluster_dir.display(),
            postgres.port = cluster.port,
            "embedded PostgreSQL running"
        );
        Ok(cluster)
    }

    /// `postgres://postgres:<password>@127.0.0.1:<port>/reel`; the store creates the database.
    pub fn database_url(&self) -> String {
        format!(
            "postgres://{SUPERUSER}:{}@127.0.0.1:{}/{DATABASE}",
            self.password, self.port
        )
    }

    /// The cluster's directory (`data_dir/postgres`).
    pub fn cluster_dir(&self) -> &Path {
        &self.cluster_dir
    }

    /// Leaves the cluster; the last process to leave stops the server cleanly (`pg_ctl stop -m
    /// fast`: sessions are ended, nothing is lost). Others using it keep it running.
    pub async fn stop(mut self) -> Result<(), EmbeddedError> {
        let Some(lease) = self.lease.take() else {
            return Ok(());
        };
        let control = control_lock(&self.data_dir).await?;
        match control.leave(lease).map_err(lock_error(&self.data_dir))? {
            Users::Others => {
                self.log_left_running();
                Ok(())
            }
            Users::None => {
                self.log_stopping();
                run(self.pg_ctl_stop_command()).await.map(|_| ())
            }
        }
    }

    fn log_left_running(&self) {
        tracing::info!(
            postgres.port = self.port,
            process.id = std::process::id(),
            "leaving the embedded PostgreSQL running: another process still uses it"
        );
    }

    fn log_stopping(&self) {
        tracing::info!(
            postgres.port = self.port,
            process.id = std::process::id(),
            "stopping the embedded PostgreSQL: no other process uses it"
        );
    }

    async fn init(&self, data_dir: &Path) -> Result<(), EmbeddedError> {
        fs::create_dir_all(&self.cluster_dir).map_err(io_error("create", &self.cluster_dir))?;
        fs::set_permissions(&self.cluster_dir, fs::Permissions::from_mode(0o700))
            .map_err(io_error("set permissions of", &self.cluster_dir))?;
        // initdb reads the superuser's password from a file the cluster's owner can read.
        let password_file = data_dir.join(".initdb-password");
        fs::write(&password_file, &self.password).map_err(io_error("write", &password_file))?;
        fs::set_permissions(&password_file, fs::Permissions::from_mode(0o600))
            .map_err(io_error("set permissions of", &password_file))?;
        if let Some(user) = self.run_as {
            for path in [&self.cluster_dir, &password_file] {
                chown(path, Some(user.uid), Some(user.gid)).map_err(io_error("chown", path))?;
            }
            self.check_reachable().await?;
        }
        let mut initdb = self.command("initdb");
        initdb
            .arg("-D")
            .arg(&self.cluster_dir)
            .args(["-U", SUPERUSER, "-E", "UTF8", "--no-locale"])
            // The socket lives in the 0700 cluster directory: only its owner reaches it.
            .args(["--auth-local=trust", "--auth-host=scram-sha-256"])
            .arg(format!("--pwfile={}", password_file.display()));
        tracing::info!(postgres.dir = %self.cluster_dir.display(), "initialising embedded PostgreSQL");
        let result = run(initdb).await;
        let _ = fs::remove_file(&password_file);
        result.map(|_| ())
    }

    /// Fails early, with the fix, when the `postgres` user cannot reach the cluster directory.
    async fn check_reachable(&self) -> Result<(), EmbeddedError> {
        let mut test = self.as_cluster_owner(Command::new("test"));
        test.arg("-w").arg(&self.cluster_dir);
        match run(test).await {
            Ok(_) => Ok(()),
            Err(_) => Err(EmbeddedError::Unreachable {
                dir: self.cluster_dir.clone(),
            }),
        }
    }

    /// The port of a server already running on this cluster (left by a killed process).
    async fn running_port(&self) -> Result<Option<u16>, EmbeddedError> {
        let mut status = self.command("pg_ctl");
        status.arg("status").arg("-D").arg(&self.cluster_dir);
        let output = tokio::process::Command::from(status)
            .output()
            .await
            .map_err(io_error("run", &self.bin_dir.join("pg_ctl")))?;
        if !output.status.success() {
            return Ok(None);
        }
        // postmaster.pid: pid, data directory, start time, port, ...
        let pid_file = self.cluster_dir.join("postmaster.pid");
        let text = fs::read_to_string(&pid_file).map_err(io_error("read", &pid_file))?;
        Ok(text
            .lines()
            .nth(3)
            .and_then(|port| port.trim().parse().ok()))
    }

    async fn pg_ctl_start(&self) -> Result<(), EmbeddedError> {
        let mut options = format!("-p {} -c listen_addresses=127.0.0.1", self.port);
        let socket_dir = self.cluster_dir.display().to_string();
        // pg_ctl hands the options to a shell; a path it would need to escape gets no socket.
        let plain = !socket_dir.contains(['\'', '\\']);
        if plain && socket_dir.len() + "/.s.PGSQL.65535".len() <= MAX_SOCKET_PATH {
            options.push_str(&format!(" -k '{socket_dir}'"));
        } else {
            options.push_str(" -c unix_socket_directories=''");
        }
        let mut start = self.command("pg_ctl");
        start
            .arg("start")
            .arg("-D")
            .arg(&self.cluster_dir)
            .arg("-l")
            .arg(self.cluster_dir.join("server.log"))
            .args(["-w", "-t", PG_CTL_TIMEOUT_SECS, "-o", &options]);
        run(start).await.map(|_| ())
    }

    fn pg_ctl_stop_command(&self) -> Command {
        let mut stop = self.command("pg_ctl");
        stop.arg("stop").arg("-D").arg(&self.cluster_dir).args([
            "-m",
            "fast",
            "-w",
            "-t",
            PG_CTL_TIMEOUT_SECS,
        ]);
        stop
    }

    /// A server binary, run as the cluster's owner, from inside the cluster directory (so the
    /// unprivileged user never needs the caller's working directory).
    fn command(&self, binary: &str) -> Command {
        let mut command = self.as_cluster_owner(Command::new(self.bin_dir.join(binary)));
        if self.cluster_dir.is_dir() {
            command.current_dir(&self.cluster_dir);
        }
        command
    }

    /// std drops root's supplementary groups when it switches uid, so the child keeps no root
    /// privilege.
    fn as_cluster_owner(&self, mut command: Command) -> Command {
        if let Some(user) = self.run_as {
            command.uid(user.uid).gid(user.gid);
        }
        command.env_remove("PGDATA").env("LC_ALL", "C");
        command
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        let Some(lease) = self.lease.take() else {
            return;
        };
        // Held until the server is stopped, so no process joins a server about to go.
        let control = match ControlLock::acquire(&self.data_dir) {
            Ok(control) => control,
            Err(err) => {
                tracing::warn!(error = %err, "could not leave the embedded PostgreSQL");
                return;
            }
        };
        match control.leave(lease) {
            Ok(Users::None) => {}
            Ok(Users::Others) => {
                self.log_left_running();
                return;
            }
            Err(err) => {
                tracing::warn!(error = %err, "could not leave the embedded PostgreSQL");
                return;
            }
        }
        self.log_stopping();
        match self.pg_ctl_stop_command().output() {
            Ok(output) if output.status.success() => {}
            Ok(output) => tracing::warn!(
                error = %String::from_utf8_lossy(&output.stderr).trim(),
                "could not stop the embedded PostgreSQL"
            ),
            Err(err) => tracing::warn!(error = %err, "could not stop the embedded PostgreSQL"),
        }
    }
}

/// The control lock of `data_dir`, waited for off the async workers (another process may be
/// starting or stopping the cluster: up to a minute).
async fn control_lock(data_dir: &Path) -> Result<ControlLock, EmbeddedError> {
    let dir = data_dir.to_owned();
    tokio::task::spawn_blocking(move || ControlLock::acquire(&dir))
        .await
        .map_err(io::Error::other)
        .and_then(|locked| locked)
        .map_err(lock_error(data_dir))
}

fn lock_error(dir: &Path) -> impl FnOnce(io::Error) -> EmbeddedError {
    let dir = dir.to_owned();
    move |source| EmbeddedError::Lock { dir, source }
}

/// Runs a command to completion; a failure carries its status and output.
async fn run(command: Command) -> Result<Output, EmbeddedError> {
    let description = describe(&command);
    let output = tokio::process::Command::from(command)
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|source| EmbeddedError::Command {
            command: description.clone(),
            status: "could not start".into(),
            output: source.to_string(),
        })?;
    if output.status.success() {
        return Ok(output);
    }
    let mut text = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    if text.is_empty() {
        text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    }
    Err(EmbeddedError::Command {
        command: description,
        status: output.status.to_string(),
        output: last_lines(&text, 12),
    })
}

fn describe(command: &Command) -> String {
    let program = Path::new(command.get_program())
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let args: Vec<String> = command
        .get_args()
        .map(|arg| arg.to_string_lossy().into_owned())
        .filter(|arg| !arg.starts_with("--pwfile"))
        .collect();
    format!("{program} {}", args.join(" "))
}

fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(count)..].join(" | ")
}

/// The newest PostgreSQL server binaries: `pg_config --bindir` when it has initdb, else the
/// highest version under /usr/lib/postgresql.
fn find_bin_dir() -> Result<PathBuf, EmbeddedError> {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let mut candidates: Vec<(u32, PathBuf)> = fs::read_dir(DEBIAN_BIN_ROOT)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_server(dir))
        .collect();
    candidates.sort();
    let newest_debian = candidates.pop().map(|(_, dir)| dir);
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
        .filter(|dir| has_server(dir));
    newest_debian
        .or(from_pg_config)
        .ok_or(EmbeddedError::NoBinaries)
}

/// Effective uid 0, read from /proc (the store forbids `unsafe`, so no libc call).
fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("Uid:"))?;
            line.split_whitespace().nth(2).map(|euid| euid == "0")
        })
        .unwrap_or(false)
}

/// The `postgres` account from /etc/passwd.
fn postgres_user() -> Result<RunAs, EmbeddedError> {
    let passwd =
        fs::read_to_string("/etc/passwd").map_err(io_error("read", Path::new("/etc/passwd")))?;
    passwd
        .lines()
        .find_map(|line| {
            let mut fields = line.split(':');
            if fields.next()? != "postgres" {
                return None;
            }
            let _password = fields.next()?;
            let uid = fields.next()?.parse().ok()?;
            let gid = fields.next()?.parse().ok()?;
            Some(RunAs { uid, gid })
        })
        .ok_or(EmbeddedError::NoPostgresUser)
}

fn read_or_create_password(path: &Path) -> Result<String, EmbeddedError> {
    if let Ok(password) = fs::read_to_string(path) {
        let password = password.trim().to_owned();
        if !password.is_empty() {
            return Ok(password);
        }
    }
    let password: String = rand::rng()
        .sample_iter(Alphanumeric)
        .take(32)
        .map(char::from)
        .collect();
    fs::write(path, &password).map_err(io_error("write", path))?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600))
        .map_err(io_error("set permissions of", path))?;
    Ok(password)
}

/// A port free at this moment; PostgreSQL binds it a moment later.
fn free_port() -> Result<u16, EmbeddedError> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(EmbeddedError::Port)?;
    Ok(listener.local_addr().map_err(EmbeddedError::Port)?.port())
}

fn io_error(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> EmbeddedError {
    let path = path.to_owned();
    move |source| EmbeddedError::Io {
        action,
        path,
        source,
    }
}
