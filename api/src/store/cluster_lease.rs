//! Sharing one embedded cluster between the processes that use a `DATA_DIR` (the service and the
//! jobs run beside it), with two `flock`s on files in the data directory:
//! - `postgres.lock`, held exclusively while a process starts, joins or leaves the cluster, so two
//!   never initdb, start or stop it at once;
//! - `postgres.users`, held shared by every process using the cluster (its lease). A process that
//!   leaves and can then take it exclusively was the last user, and stops the server.
//!
//! A flock dies with its process, so a crashed user leaves no stale lease behind: the next process
//! to leave counts only the live ones. Locks come from std (`File::lock`, flock(2) on Linux).

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// Held while starting, joining or leaving the cluster; dropping it lets the next process in.
#[derive(Debug)]
pub(super) struct ControlLock {
    _file: File,
}

/// This process's use of the cluster, held from the start until it leaves.
#[derive(Debug)]
pub(super) struct Lease {
    file: File,
}

/// Who else uses the cluster, seen under the control lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Users {
    /// No live process holds a lease.
    None,
    /// At least one other live process does.
    Others,
}

impl ControlLock {
    /// Waits for the control lock of `data_dir` (blocking: call off the async workers).
    pub(super) fn acquire(data_dir: &Path) -> io::Result<ControlLock> {
        let file = open(&data_dir.join("postgres.lock"))?;
        file.lock()?;
        Ok(ControlLock { _file: file })
    }

    /// Whether another live process holds a lease (this one holds none yet).
    pub(super) fn users(&self, data_dir: &Path) -> io::Result<Users> {
        let file = open(&users_path(data_dir))?;
        let users = others(&file)?;
        Ok(users)
    }

    /// Takes this process's lease. Never waits: only a process holding the control lock takes the
    /// users lock exclusively, and this one holds it.
    pub(super) fn join(&self, data_dir: &Path) -> io::Result<Lease> {
        let file = open(&users_path(data_dir))?;
        file.lock_shared()?;
        Ok(Lease { file })
    }

    /// Gives the lease back; `Users::None` means this process was the last user and should stop
    /// the server (still under this control lock, so no process joins meanwhile).
    pub(super) fn leave(&self, lease: Lease) -> io::Result<Users> {
        lease.file.unlock()?;
        others(&lease.file)
    }
}

/// Tries the users lock exclusively: it is free only when no process holds a lease.
fn others(file: &File) -> io::Result<Users> {
    match file.try_lock() {
        Ok(()) => {
            file.unlock()?;
            Ok(Users::None)
        }
        Err(TryLockError::WouldBlock) => Ok(Users::Others),
        Err(TryLockError::Error(err)) => Err(err),
    }
}

fn users_path(data_dir: &Path) -> PathBuf {
    data_dir.join("postgres.users")
}

fn open(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}
