//! Tracing setup. Logs go to stderr (or any sink the caller passes), never stdout: stdout
//! carries exactly one line, the URL, which `cargo xtask` and the e2e tests read.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Installs the global subscriber once; later calls (tests) are ignored.
pub fn init<W>(default_filter: &str, sink: W)
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let _already_set = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(sink)
        .try_init();
}
