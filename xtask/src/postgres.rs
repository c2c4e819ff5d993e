//! A throwaway PostgreSQL for the test leg that runs the server's integration tests on
//! PostgreSQL as well as SQLite (issue 5: several server instances share one PostgreSQL).
//!
//! It uses Debian's `postgresql` binaries directly (`initdb` + `pg_ctl`) on a private data
//! directory and a free loopback port, with trust authentication and fsync off: the cluster
//! lives only for the test run and is stopped (and deleted) when the guard drops, whatever
//! happened. It never touches the machine's own `main` cluster.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

use anyhow::{Context, Result, bail};

/// The database role the tests connect as (created by `initdb -U`).
const ROLE: &str = "netlab";

pub struct TempPostgres {
    bin_dir: PathBuf,
    dir: PathBuf,
    /// Set when we run as root: PostgreSQL refuses to run as root, so it runs as `postgres`.
    run_as: Option<String>,
    pub url: String,
}

impl TempPostgres {
    pub fn start() -> Result<TempPostgres> {
        let bin_dir = newest_bin_dir()?;
        let dir = env::temp_dir().join(format!("k8s-netlab-pg-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).with_context(|| format!("create {}", dir.display()))?;
        let run_as = if is_root()? {
            Some("postgres".to_owned())
        } else {
            None
        };
        if let Some(user) = &run_as {
            let status = Command::new("chown").arg(user).arg(&dir).status()?;
            if !status.success() {
                bail!("chown {user} {} failed", dir.display());
            }
        }
        let port = free_port()?;
        let data = dir.join("data");
        let mut guard = TempPostgres {
            bin_dir,
            dir: dir.clone(),
            run_as,
            url: format!("postgres://{ROLE}@127.0.0.1:{port}/postgres"),
        };
        guard.pg(
            "initdb",
            &[
                "-D",
                path_str(&data)?,
                "-A",
                "trust",
                "-U",
                ROLE,
                "--no-sync",
                "-E",
                "UTF8",
            ],
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=200",
            path_str(&dir)?
        );
        let log = dir.join("server.log");
        guard.pg(
            "pg_ctl",
            &[
                "-D",
                path_str(&data)?,
                "-o",
                &options,
                "-l",
                path_str(&log)?,
                "-w",
                "start",
            ],
        )?;
        eprintln!("PostgreSQL for the tests: {}", guard.url);
        Ok(guard)
    }

    fn pg(&mut self, program: &str, args: &[&str]) -> Result<()> {
        let program = self.bin_dir.join(program);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut cmd = Command::new("runuser");
                cmd.args(["-u", user, "--"]).arg(&program);
                cmd
            }
            None => Command::new(&program),
        };
        cmd.args(args).current_dir(&self.dir);
        let output = cmd
            .output()
            .with_context(|| format!("could not start {}", program.display()))?;
        if !output.status.success() {
            bail!(
                "{} failed ({}):\n{}{}",
                program.display(),
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        if let Some(data) = data.to_str().map(str::to_owned) {
            let _ = self.pg("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// `/usr/lib/postgresql/<newest>/bin`, where Debian's `postgresql` package puts its binaries.
fn newest_bin_dir() -> Result<PathBuf> {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir(root)
        .with_context(|| {
            format!(
                "{} is missing: is Debian's postgresql installed?",
                root.display()
            )
        })?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, bin)) => Ok(bin),
        None => bail!("no initdb under {}", root.display()),
    }
}

fn is_root() -> Result<bool> {
    let output = Command::new("id")
        .arg("-u")
        .output()
        .context("run `id -u`")?;
    Ok(String::from_utf8_lossy(&output.stdout).trim() == "0")
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("find a free loopback port")?;
    Ok(listener.local_addr()?.port())
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str()
        .with_context(|| format!("{} is not UTF-8", path.display()))
}
