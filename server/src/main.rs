//! The `server` binary: parses the command line and runs one subcommand. Kept thin so the
//! library can be tested in-process; the logic lives in `lib.rs`'s modules.

use std::io::Write;
use std::process::ExitCode;

use server::cli::{self, Command};

/// mimalloc instead of glibc's malloc: a grading clones and then drops a whole simulated
/// cluster (thousands of small B-tree nodes and strings), and under load about a fifth of
/// the server's CPU time was glibc's malloc and free (perf, `server/bench/RESULTS.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args, std::env::var("DATABASE_URL").ok()) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("{message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => {
            println!("{}", cli::USAGE);
            ExitCode::SUCCESS
        }
        Command::Grade {
            content_dir,
            exercise,
            file,
        } => server::cli::grade(&content_dir, &exercise, &file),
        Command::Check { content_dir } => server::cli::check(&content_dir),
        Command::Serve(config) => serve(*config),
        Command::Instructor {
            database_url,
            username,
        } => instructor(&database_url, &username),
    }
}

#[tokio::main]
async fn instructor(database_url: &str, username: &str) -> ExitCode {
    let password = std::env::var("NETLAB_PASSWORD").ok();
    match server::cli::make_instructor(database_url, username, password).await {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("k8s-netlab: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[tokio::main]
async fn serve(config: server::config::Config) -> ExitCode {
    server::telemetry::init("info,sqlx=warn", std::io::stderr);
    let application = match server::startup::Application::build(config).await {
        Ok(application) => application,
        Err(error) => {
            eprintln!("k8s-netlab: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    // The only line on stdout: cargo xtask and the e2e tests read the port from it.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "k8s-netlab: {}", application.url());
    let _ = stdout.flush();
    drop(stdout);
    match application.run_until_stopped().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("k8s-netlab: {error:#}");
            ExitCode::FAILURE
        }
    }
}
