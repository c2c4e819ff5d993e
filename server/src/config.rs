//! Typed configuration, built once in `main` from the command line and the environment
//! (`DATABASE_URL`). Nothing else in the server reads the environment.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The default database: a SQLite file under `data/` in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/netlab.db?mode=rwc";

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Where to listen; port 0 lets the OS choose (tests, e2e).
    pub bind: SocketAddr,
    /// `sqlite://...` or `postgres://...`.
    pub database_url: String,
    /// The course (`content/`).
    pub content_dir: PathBuf,
    /// The built web assets (`web/dist`); may be missing, then pages say how to build them.
    pub static_dir: PathBuf,
    /// How long one grading may take before the request is answered with an error.
    pub grading_budget: Duration,
    /// Whether session cookies are marked `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Per-address limits on logins and submissions (off for load tests: `--no-rate-limit`).
    pub rate_limits: bool,
    /// Reload `content/` when its files change (development: `--dev`).
    pub watch_content: bool,
}

impl Config {
    /// The defaults of `server serve` with no options.
    pub fn new(database_url: Option<String>) -> Config {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: database_url.unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            content_dir: PathBuf::from("content"),
            static_dir: PathBuf::from("web/dist"),
            grading_budget: Duration::from_secs(10),
            secure_cookies: false,
            rate_limits: true,
            watch_content: false,
        }
    }
}
