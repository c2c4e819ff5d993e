//! `cargo xtask <command>`: the project's build glue, and the two README commands.
//!
//! - `setup`  installs what a fresh machine lacks (wasm32 target, npm packages, and with
//!   `--no-apt` absent also Debian's `chromium`, `firefox-esr` and `fonts-nanum` for the
//!   browser tests and `postgresql` for the server tests' PostgreSQL leg).
//! - `web`    builds the simulator for wasm32, runs wasm-bindgen (as a library, no CLI),
//!   sorts the module's functions for gzip (`wasm_order`) and bundles `web/src` with esbuild
//!   into `web/dist/`.
//! - `dev`    `setup --no-apt` + `web`, then runs the server (README command #1).
//! - `test`   everything CI checks: fmt, clippy, all Rust tests, the server's tests again on a
//!   throwaway PostgreSQL, the browser e2e (README command #2, `.ci/run`).
//! - `e2e`    `web`, then the Node and browser tests alone (a quick loop while working on web/).
//! - `size`   raw, gzip -9 and served sizes of what a first visit downloads (runs the server).
//! - `bench-web` issue 6's browser budgets (first-visit bytes, time to a ready terminal,
//!   command latency on 50 pods, the 200-pod map) measured in Chromium: medians, no pass/fail.
//!
//! It only orchestrates other tools; it knows nothing about the simulator or the server beyond
//! their crate names, the server's command line and the URL line it prints.

use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant, SystemTime};
use std::{env, fs, thread};

use anyhow::{Context, Result, bail};

mod postgres;
#[cfg(test)]
mod tidy;
mod wasm_order;

const USAGE: &str =
    "usage: cargo xtask <setup [--no-apt] | web | dev | test | e2e | size | bench-web>";

/// Debian packages the browser tests need, each with a path that proves it is installed.
/// The e2e drives Debian's chromium and firefox-esr (never a downloaded browser); Nanum
/// fonts keep Hangul from rendering as boxes in screenshots.
const APT_PACKAGES: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("firefox-esr", "/usr/bin/firefox-esr"),
    ("fonts-nanum", "/usr/share/fonts/truetype/nanum"),
    ("postgresql", "/usr/lib/postgresql"),
];

/// How long the server may take to print its URL (a cold start also creates the database).
const SERVER_START_TIMEOUT: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let mut timer = Timer::default();
    let result = run_command(&args, &mut timer);
    timer.report();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` prints the whole context chain on one line; no backtrace, which would
            // only show xtask's own frames and bury the failing command's output.
            eprintln!("\nxtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_command(args: &[String], timer: &mut Timer) -> Result<()> {
    let root = workspace_root();
    env::set_current_dir(&root).with_context(|| format!("cd {}", root.display()))?;
    match args.first().map(String::as_str) {
        Some("setup") => {
            let apt = !args.iter().any(|a| a == "--no-apt");
            setup(timer, apt)
        }
        Some("web") => web(timer),
        Some("dev") => dev(timer),
        Some("test") => test(timer),
        Some("e2e") => {
            web(timer)?;
            browser_tests(timer)
        }
        Some("size") => size(),
        Some("bench-web") => bench_web(timer),
        _ => bail!("{USAGE}"),
    }
}

fn workspace_root() -> PathBuf {
    // xtask/ sits directly in the workspace root; the path is fixed at compile time so the
    // command works from any subdirectory.
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// Step timings, printed at the end (also after a failure) so slow steps are visible in CI logs.
#[derive(Default)]
struct Timer {
    steps: Vec<(String, Duration)>,
    /// Test counts of every test runner run so far (see [`run_tests`]).
    tally: Arc<Mutex<Tally>>,
}

impl Timer {
    fn step<T>(&mut self, name: &str, body: impl FnOnce() -> Result<T>) -> Result<T> {
        eprintln!("\n==> {name}");
        let start = Instant::now();
        let result = body();
        let elapsed = start.elapsed();
        let verdict = if result.is_ok() { "ok" } else { "FAILED" };
        eprintln!("<== {name}: {verdict} in {:.1} s", elapsed.as_secs_f64());
        self.steps.push((name.to_owned(), elapsed));
        result.with_context(|| format!("step `{name}` failed"))
    }

    fn report(&self) {
        if self.steps.len() >= 2 {
            eprintln!("\nxtask timings:");
            let mut total = Duration::ZERO;
            for (name, elapsed) in &self.steps {
                eprintln!("  {:>7.1} s  {name}", elapsed.as_secs_f64());
                total += *elapsed;
            }
            eprintln!("  {:>7.1} s  total", total.as_secs_f64());
        }
        if let Ok(tally) = self.tally.lock()
            && tally.passed + tally.failed > 0
        {
            // The last line of the run, in the plain format CI reads.
            println!("total: {} passed, {} failed", tally.passed, tally.failed);
        }
    }
}

/// Runs a command to completion with inherited stdio, failing on a non-zero exit.
fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("could not start `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` exited with {status}", describe(cmd));
    }
    Ok(())
}

fn describe(cmd: &Command) -> String {
    let mut text = String::new();
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            text.push_str(&format!(
                "{}={} ",
                key.to_string_lossy(),
                value.to_string_lossy()
            ));
        }
    }
    text.push_str(&cmd.get_program().to_string_lossy());
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Passed and failed test counts, read from the test runners' own summary lines so the run
/// can end with one `total: N passed, M failed` line (CI reads closing lines).
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Reads nextest (`… 12 tests run: 11 passed, 1 failed, 0 skipped`), cargo test
    /// (`test result: ok. 5 passed; 0 failed; …`) and node (`# pass 5`, `ℹ fail 0`) summaries.
    fn read(&mut self, raw_line: &str) {
        let line = strip_ansi(raw_line);
        let line = line.trim();
        let node_count = |prefix: &str| {
            ["# ", "ℹ "].iter().find_map(|lead| {
                line.strip_prefix(lead)
                    .and_then(|rest| rest.strip_prefix(prefix))
                    .and_then(|n| n.trim().parse::<u64>().ok())
            })
        };
        if let Some(n) = node_count("pass ") {
            self.passed += n;
        } else if let Some(n) = node_count("fail ") {
            self.failed += n;
        } else if line.starts_with("test result:")
            || (line.starts_with("Summary") && line.contains(" run: "))
        {
            let words: Vec<&str> = line
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .filter(|w| !w.is_empty())
                .collect();
            for pair in words.windows(2) {
                if let Ok(n) = pair[0].parse::<u64>() {
                    match pair[1] {
                        "passed" => self.passed += n,
                        "failed" => self.failed += n,
                        _ => {}
                    }
                }
            }
        }
    }
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters final-byte.
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs a test command like [`run`], forwarding its output line by line and counting the
/// results into `tally`.
fn run_tests(cmd: &mut Command, tally: &Arc<Mutex<Tally>>) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    if std::io::stderr().is_terminal() {
        // Piped output would otherwise lose cargo's colours.
        cmd.env("CARGO_TERM_COLOR", "always");
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{}`", describe(cmd)))?;
    let stdout = child.stdout.take().context("stdout")?;
    let stderr = child.stderr.take().context("stderr")?;
    let forward = |stream: Box<dyn std::io::Read + Send>, to_stdout: bool| {
        let tally = Arc::clone(tally);
        thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if to_stdout {
                    println!("{line}");
                } else {
                    eprintln!("{line}");
                }
                if let Ok(mut tally) = tally.lock() {
                    tally.read(&line);
                }
            }
        })
    };
    let readers = [
        forward(Box::new(stdout), true),
        forward(Box::new(stderr), false),
    ];
    let status = child.wait()?;
    for reader in readers {
        let _ = reader.join();
    }
    if !status.success() {
        bail!("`{}` exited with {status}", describe(cmd));
    }
    Ok(())
}

fn cargo() -> Command {
    Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

// ---------------------------------------------------------------- setup

fn setup(timer: &mut Timer, apt: bool) -> Result<()> {
    warn_if_disk_is_short();
    timer.step("setup: wasm32 target", ensure_wasm_target)?;
    timer.step("setup: npm packages", ensure_node_modules)?;
    if apt {
        timer.step("setup: Debian packages", ensure_apt_packages)?;
    }
    Ok(())
}

/// What a cold `cargo xtask test` leaves in `target/` (4.8 GB measured), with some room.
const DISK_NEEDED_KIB: u64 = 6 * 1024 * 1024;

/// Warns when the disk holding `target/` has less room than a cold build needs. A full disk
/// otherwise shows up minutes later as rustc's `No space left on device` in some random
/// crate. Only a warning: a warm `target/` needs far less, and `df` may be missing.
fn warn_if_disk_is_short() {
    let Ok(out) = Command::new("df").args(["-Pk", "."]).output() else {
        return;
    };
    // POSIX `df -P`: a header line, then `filesystem blocks used available capacity mount`.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let available = stdout
        .lines()
        .nth(1)
        .and_then(|line| line.split_whitespace().nth(3))
        .and_then(|kib| kib.parse::<u64>().ok());
    if let Some(kib) = available.filter(|&kib| kib < DISK_NEEDED_KIB) {
        eprintln!(
            "xtask: warning: only {:.1} GiB free here; a cold build needs about {} GiB",
            kib as f64 / (1024.0 * 1024.0),
            DISK_NEEDED_KIB / (1024 * 1024)
        );
    }
}

fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .context("could not run `rustup target list --installed` (is rustup installed?)")?;
    let installed = String::from_utf8_lossy(&installed.stdout);
    if installed
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        eprintln!("wasm32-unknown-unknown is installed");
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// `npm ci` when `web/node_modules` is missing or was installed from another lock file.
/// The copy of the lock file inside node_modules is our stamp (npm ci deletes the folder
/// first, so a stale stamp cannot survive a reinstall).
fn ensure_node_modules() -> Result<()> {
    let lock = fs::read("web/package-lock.json").context("read web/package-lock.json")?;
    let stamp = Path::new("web/node_modules/.xtask-package-lock.json");
    if fs::read(stamp).ok().as_deref() == Some(lock.as_slice()) {
        eprintln!("web/node_modules matches web/package-lock.json");
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir("web"))?;
    fs::write(stamp, &lock).context("write the node_modules stamp")?;
    Ok(())
}

fn ensure_apt_packages() -> Result<()> {
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .filter(|(_, proof)| !Path::new(proof).exists())
        .map(|(package, _)| *package)
        .collect();
    if missing.is_empty() {
        let names: Vec<&str> = APT_PACKAGES.iter().map(|(package, _)| *package).collect();
        eprintln!("Debian packages present: {}", names.join(", "));
        return Ok(());
    }
    eprintln!("installing Debian packages: {}", missing.join(" "));
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

// ---------------------------------------------------------------- web

const WASM_TARGET_DIR: &str = "target/wasm";
const WASM_ARTIFACT: &str = "target/wasm/wasm32-unknown-unknown/wasm-release/sim_wasm.wasm";
const PKG_DIR: &str = "web/dist/pkg";
const PKG_WASM: &str = "web/dist/pkg/sim_wasm_bg.wasm";

fn web(timer: &mut Timer) -> Result<()> {
    timer.step("web: npm packages", ensure_node_modules)?;
    timer.step("web: cargo build sim-wasm (wasm32)", || {
        // A separate target dir: the native build's lock and artifacts are never shared, so
        // `cargo xtask web` can run while rust-analyzer or a native build holds target/.
        run(cargo()
            .args([
                "build",
                "-p",
                "sim-wasm",
                "--lib",
                "--profile",
                "wasm-release",
            ])
            .args(["--target", "wasm32-unknown-unknown"])
            .env("CARGO_TARGET_DIR", WASM_TARGET_DIR))
    })?;
    timer.step("web: wasm-bindgen", || {
        if is_fresh(&[Path::new(WASM_ARTIFACT)], &[Path::new(PKG_WASM)])? {
            eprintln!("{PKG_DIR} is up to date");
            return Ok(());
        }
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(WASM_ARTIFACT)
            .web(true)?
            .typescript(true)
            // The function-name section (15 % of the module) is kept only for the reordering
            // below, which sorts by it and then drops it: students never download it.
            .remove_name_section(false)
            // Mangled names keep the hash apart (`17h…E`) so `wasm_order` can strip it.
            .demangle(false)
            .remove_producers_section(true)
            .generate(PKG_DIR)
            .context("wasm-bindgen")?;
        let module = fs::read(PKG_WASM).with_context(|| format!("read {PKG_WASM}"))?;
        let reordered = wasm_order::reorder_by_name(&module)?;
        fs::write(PKG_WASM, &reordered).with_context(|| format!("write {PKG_WASM}"))?;
        eprintln!(
            "wrote {PKG_DIR}/sim_wasm.js and sim_wasm_bg.wasm (functions sorted by name, {} -> {} bytes)",
            module.len(),
            reordered.len()
        );
        Ok(())
    })?;
    timer.step("web: esbuild", || {
        let inputs = [
            Path::new("web/src"),
            Path::new("web/package-lock.json"),
            Path::new("web/dist/pkg/sim_wasm.js"),
        ];
        let outputs = [Path::new("web/dist/app.js"), Path::new("web/dist/app.css")];
        if is_fresh(&inputs, &outputs)? {
            eprintln!("web/dist/app.js and app.css are up to date");
            return Ok(());
        }
        // main.js imports app.css, so esbuild writes dist/app.css beside dist/app.js. The
        // wasm-bindgen glue is bundled too; sim.js passes the .wasm URL explicitly because
        // the glue's own `import.meta.url` default would point at app.js's folder. Dynamic
        // imports (the editor) become chunks under dist/chunks/, emptied first so stale
        // hashes do not pile up.
        let chunks = Path::new("web/dist/chunks");
        if chunks.exists() {
            fs::remove_dir_all(chunks).context("remove web/dist/chunks")?;
        }
        run(Command::new("node_modules/.bin/esbuild")
            .args(["app=src/main.js", "--bundle", "--format=esm", "--minify"])
            .args([
                "--splitting",
                "--outdir=dist",
                "--chunk-names=chunks/[name]-[hash]",
                "--target=es2022",
                "--charset=utf8",
                "--log-level=warning",
            ])
            .current_dir("web"))
    })?;
    timer.step("web: precompress (zopfli)", precompress)
}

/// Writes `FILE.gz` beside every script, stylesheet and wasm module in web/dist: the server's
/// `ServeDir::precompressed_gzip` sends it to browsers that accept gzip, so nothing is
/// compressed per request and the bytes are zopfli's, 4–5 % fewer than `gzip -9` (the wasm:
/// 493 → 471 KB) for the same decoder. Five iterations get nearly all of the gain of
/// zopfli's default fifteen in a third of the time.
fn precompress() -> Result<()> {
    let mut assets = Vec::new();
    collect_assets(Path::new("web/dist"), &mut assets)?;
    let stale: Vec<(PathBuf, PathBuf)> = assets
        .into_iter()
        .map(|asset| {
            let mut gz = asset.clone().into_os_string();
            gz.push(".gz");
            (asset, PathBuf::from(gz))
        })
        .filter(|(asset, gz)| !is_fresh(&[asset.as_path()], &[gz.as_path()]).unwrap_or(false))
        .collect();
    if stale.is_empty() {
        eprintln!("web/dist/**/*.gz are up to date");
        return Ok(());
    }
    // One thread per file: the wasm module takes most of the time, the rest run beside it.
    let workers: Vec<_> = stale
        .into_iter()
        .map(|(asset, gz)| {
            thread::spawn(move || -> Result<()> {
                let input =
                    fs::read(&asset).with_context(|| format!("read {}", asset.display()))?;
                let mut output = Vec::with_capacity(input.len() / 3);
                let options = zopfli::Options {
                    iteration_count: std::num::NonZeroU64::MIN.saturating_add(4),
                    ..zopfli::Options::default()
                };
                zopfli::compress(options, zopfli::Format::Gzip, input.as_slice(), &mut output)
                    .with_context(|| format!("compress {}", asset.display()))?;
                fs::write(&gz, output).with_context(|| format!("write {}", gz.display()))?;
                eprintln!("wrote {}", gz.display());
                Ok(())
            })
        })
        .collect();
    for worker in workers {
        worker
            .join()
            .map_err(|_| anyhow::anyhow!("a compression thread panicked"))??;
    }
    Ok(())
}

/// The files under `dir` a browser downloads: `.js`, `.css`, `.wasm`.
fn collect_assets(dir: &Path, assets: &mut Vec<PathBuf>) -> Result<()> {
    for entry in fs::read_dir(dir).with_context(|| format!("read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_assets(&path, assets)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("js" | "css" | "wasm")
        ) {
            assets.push(path);
        }
    }
    Ok(())
}

/// True when every output exists and is newer than every file under the inputs and than
/// this xtask binary (a changed build step must redo its work).
fn is_fresh(inputs: &[&Path], outputs: &[&Path]) -> Result<bool> {
    let mut newest_input = env::current_exe()
        .and_then(fs::metadata)
        .and_then(|m| m.modified())
        .unwrap_or(SystemTime::UNIX_EPOCH);
    for input in inputs {
        newest_input = newest_input.max(newest_mtime(input)?);
    }
    for output in outputs {
        match fs::metadata(output).and_then(|m| m.modified()) {
            Ok(modified) if modified > newest_input => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

fn newest_mtime(path: &Path) -> Result<SystemTime> {
    let meta = fs::metadata(path).with_context(|| format!("stat {}", path.display()))?;
    let mut newest = meta.modified()?;
    if meta.is_dir() {
        for entry in fs::read_dir(path)? {
            newest = newest.max(newest_mtime(&entry?.path())?);
        }
    }
    Ok(newest)
}

// ---------------------------------------------------------------- dev

fn dev(timer: &mut Timer) -> Result<()> {
    setup(timer, false)?;
    web(timer)?;
    timer.report();
    eprintln!("\n==> server (Ctrl+C stops it)");
    run(cargo().args(["run", "-p", "server", "--", "serve"]))
}

// ---------------------------------------------------------------- test

fn test(timer: &mut Timer) -> Result<()> {
    setup(timer, true)?;
    // Lint and test failures do not stop the run: every stage reports, then the run fails.
    let mut failures = Vec::new();
    let mut check = |result: Result<()>| {
        if let Err(error) = result {
            failures.push(format!("{error:#}"));
        }
    };
    check(timer.step("cargo fmt --check", || {
        run(cargo().args(["fmt", "--all", "--check"]))
    }));
    check(timer.step("cargo clippy (native)", || {
        run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    }));
    check(timer.step("cargo clippy sim-wasm (wasm32 facade)", || {
        // src/wasm.rs only exists for wasm32, so the native clippy run never sees it.
        run(cargo()
            .args([
                "clippy",
                "-p",
                "sim-wasm",
                "--lib",
                "--profile",
                "wasm-release",
            ])
            .args(["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"])
            .env("CARGO_TARGET_DIR", WASM_TARGET_DIR))
    }));
    let tally = Arc::clone(&timer.tally);
    check(timer.step("cargo tests", || {
        let has_nextest = cargo()
            .args(["nextest", "--version"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if has_nextest {
            let unit = run_tests(
                cargo().args(["nextest", "run", "--workspace", "--no-fail-fast"]),
                &tally,
            );
            // nextest does not run doctests.
            let doc = run_tests(cargo().args(["test", "--workspace", "--doc"]), &tally);
            unit.and(doc)
        } else {
            run_tests(
                cargo().args(["test", "--workspace", "--no-fail-fast"]),
                &tally,
            )
        }
    }));
    check(timer.step("server tests on PostgreSQL", || {
        let database = postgres::TempPostgres::start()?;
        run_tests(
            cargo()
                .args(SERVER_API_TESTS)
                .env("DATABASE_URL", &database.url),
            &tally,
        )
    }));
    web(timer)?;
    check(browser_tests(timer));
    if !failures.is_empty() {
        bail!(
            "{} stage(s) failed:\n  {}",
            failures.len(),
            failures.join("\n  ")
        );
    }
    Ok(())
}

/// The JS tests: the facade under Node, then the lesson page in Chromium and in Firefox
/// against one real server.
fn browser_tests(timer: &mut Timer) -> Result<()> {
    let tally = Arc::clone(&timer.tally);
    timer.step("web: facade test (node)", || {
        run_tests(Command::new("node").args(["--test", "web/test/"]), &tally)
    })?;
    timer.step("cargo build server", build_server)?;
    with_server(|url| {
        // Both suites run even when the first fails: a Chromium failure says nothing about
        // Firefox, and the run should report both before it fails.
        let chromium = timer.step("browser e2e (chromium)", || {
            e2e_suite("web/e2e/", url, &tally)
        });
        let firefox = timer.step("browser e2e (firefox)", || {
            e2e_suite("web/e2e-firefox/", url, &tally)
        });
        match (chromium, firefox) {
            (Err(chromium), Err(firefox)) => bail!("{chromium:#}\n  {firefox:#}"),
            (chromium, firefox) => chromium.and(firefox),
        }
    })
}

/// Runs one folder of browser tests, one file at a time, against the server at `url`.
fn e2e_suite(dir: &str, url: &str, tally: &Arc<Mutex<Tally>>) -> Result<()> {
    run_tests(
        Command::new("node")
            .args(["--test", "--test-concurrency=1", dir])
            .env("BASE_URL", url),
        tally,
    )
}

/// `web`, the server, then `web/bench/perf.mjs` against it. Timings depend on the
/// machine and its load, so this reports and never gates a build.
fn bench_web(timer: &mut Timer) -> Result<()> {
    setup(timer, true)?;
    web(timer)?;
    timer.step("cargo build server", build_server)?;
    timer.step("browser benchmark", || {
        with_server(|url| {
            run(Command::new("node")
                .arg("web/bench/perf.mjs")
                .env("BASE_URL", url))
        })
    })
}

/// The server's HTTP tests. `--workspace` rather than `-p server`: cargo unifies features
/// over the packages it is asked for, so `-p server` resolves sqlx and its neighbours with
/// other features than the workspace test run and builds them all a second time (~1 GB of
/// `target/` and a minute of CI).
const SERVER_API_TESTS: [&str; 4] = ["test", "--workspace", "--test", "api"];

/// Builds `target/debug/server` for the browser tests. Cargo builds a package's binaries
/// for its integration tests, so building the API tests yields the binary with the features
/// the test run already compiled; `cargo build -p server` would resolve a third feature set
/// and compile the server and its sqlx chain once more.
fn build_server() -> Result<()> {
    run(cargo().args(SERVER_API_TESTS).arg("--no-run"))
}

/// Starts the server on a free loopback port with a throwaway SQLite database, runs `body`
/// with its URL, and stops the server whatever happened.
fn with_server(body: impl FnOnce(&str) -> Result<()>) -> Result<()> {
    let scratch = env::temp_dir().join(format!("k8s-netlab-e2e-{}", std::process::id()));
    fs::create_dir_all(&scratch)?;
    let database_url = format!("sqlite://{}/e2e.db?mode=rwc", scratch.display());
    let server_bin = Path::new("target/debug").join(format!("server{}", env::consts::EXE_SUFFIX));
    let mut cmd = Command::new(&server_bin);
    cmd.args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", &database_url)
        .stdout(Stdio::piped());
    eprintln!("$ {}", describe(&cmd));
    let child = cmd
        .spawn()
        .with_context(|| format!("start {}", server_bin.display()))?;
    let mut server = Server(child);
    let result = server.wait_for_url().and_then(|url| {
        eprintln!("server is up at {url}");
        body(&url)
    });
    drop(server);
    let _ = fs::remove_dir_all(&scratch);
    result
}

/// The running server; dropping it kills the process, so every exit path stops it.
struct Server(Child);

impl Server {
    /// Reads the server's stdout until its `k8s-netlab: http://…/` line and keeps echoing the
    /// rest to stderr (a full pipe would otherwise block the server).
    fn wait_for_url(&mut self) -> Result<String> {
        let stdout = self.0.stdout.take().context("server stdout")?;
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent && let Some(url) = line.strip_prefix("k8s-netlab: ") {
                    let _ = tx.send(url.trim().to_owned());
                    sent = true;
                } else {
                    let _ = writeln!(std::io::stderr(), "[server] {line}");
                }
            }
        });
        match rx.recv_timeout(SERVER_START_TIMEOUT) {
            Ok(url) => Ok(url),
            Err(_) => {
                let status = self.0.try_wait().ok().flatten();
                bail!("the server printed no `k8s-netlab: URL` line (exit status: {status:?})")
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// ---------------------------------------------------------------- size

/// The files a first visit downloads besides the HTML page (fonts are not ours); code-split
/// chunks under web/dist/chunks/ are listed apart: they load on demand (the editor), except
/// the small shared chunks app.js imports statically.
const SHIPPED: &[&str] = &[
    "web/dist/app.js",
    "web/dist/app.css",
    "web/dist/pkg/sim_wasm_bg.wasm",
];

/// The first-visit budget of issue 6: 600 KB of compressed transfer.
const FIRST_VISIT_BUDGET: usize = 600 * 1024;

/// Prints raw, `gzip -9` and served sizes. "Served" is what the running server actually sends
/// a browser that accepts gzip (HTTP/1.0 GET, body bytes), the lesson page included, so the
/// figure checks the precompressed files are really used.
fn size() -> Result<()> {
    let mut first_visit = Vec::new();
    for path in SHIPPED {
        first_visit.push(path.to_string());
    }
    let mut on_demand = Vec::new();
    let app = fs::read_to_string("web/dist/app.js").unwrap_or_default();
    if let Ok(entries) = fs::read_dir("web/dist/chunks") {
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "js"))
            .collect();
        paths.sort();
        for path in paths {
            let name = path.display().to_string();
            // Chunks app.js imports statically are part of the first visit.
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if app.contains(&format!("\"./chunks/{file_name}\""))
                && !app.contains(&format!("import(\"./chunks/{file_name}\")"))
            {
                first_visit.push(name);
            } else {
                on_demand.push(name);
            }
        }
    }
    run(cargo().args(["build", "-p", "server"]))?;
    with_server(|base| {
        let lesson = first_lesson(base)?;
        println!(
            "\n{:<44} {:>10} {:>10} {:>10}",
            "first visit", "raw", "gzip -9", "served"
        );
        let page = http_body(base, &lesson)?;
        let (page_raw, page_gz) = (page.len(), gzip_len(page.as_bytes())?);
        let (page_served, _) = http_get(base, &lesson, true)?;
        println!("{lesson:<44} {page_raw:>10} {page_gz:>10} {page_served:>10}");
        let (mut raw_total, mut gz_total, mut served_total) = (page_raw, page_gz, page_served);
        for path in &first_visit {
            let (raw, gz, served) = measure_served(base, path)?;
            println!("{path:<44} {raw:>10} {gz:>10} {served:>10}");
            raw_total += raw;
            gz_total += gz;
            served_total += served;
        }
        println!(
            "{:<44} {raw_total:>10} {gz_total:>10} {served_total:>10}",
            "total"
        );
        println!(
            "first-visit budget (issue 6): {served_total} of {FIRST_VISIT_BUDGET} bytes served gzip ({}%)",
            served_total * 100 / FIRST_VISIT_BUDGET
        );
        if !on_demand.is_empty() {
            println!(
                "\n{:<44} {:>10} {:>10} {:>10}",
                "loaded on demand", "raw", "gzip -9", "served"
            );
            for path in &on_demand {
                let (raw, gz, served) = measure_served(base, path)?;
                println!("{path:<44} {raw:>10} {gz:>10} {served:>10}");
            }
        }
        Ok(())
    })
}

/// Raw and `gzip -9` sizes of a file under web/dist, and the bytes the server sends for it.
fn measure_served(base: &str, path: &str) -> Result<(usize, usize, usize)> {
    let (raw, gz) = measure(Path::new(path))?;
    let url_path = path.replacen("web/dist/", "/static/", 1);
    let (served, encoding) = http_get(base, &url_path, true)?;
    if encoding.as_deref() != Some("gzip") {
        bail!("{url_path} was served without gzip (Content-Encoding: {encoding:?})");
    }
    Ok((raw, gz, served))
}

/// The path of the first lesson the index page links to.
fn first_lesson(base: &str) -> Result<String> {
    let index = http_body(base, "/")?;
    let at = index
        .find("href=\"/lessons/")
        .context("the index page links no lesson")?;
    let rest = &index[at + "href=\"".len()..];
    Ok(rest[..rest.find('"').unwrap_or(rest.len())].to_owned())
}

/// GETs `path` over HTTP/1.0 (no chunked encoding; the server closes after the body) and
/// returns the body's length on the wire and its Content-Encoding.
fn http_get(base: &str, path: &str, gzip: bool) -> Result<(usize, Option<String>)> {
    let (head, body) = http_exchange(base, path, gzip)?;
    let encoding = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("content-encoding")
            .then(|| value.trim().to_owned())
    });
    Ok((body.len(), encoding))
}

fn http_body(base: &str, path: &str) -> Result<String> {
    let (_, body) = http_exchange(base, path, false)?;
    Ok(String::from_utf8_lossy(&body).into_owned())
}

fn http_exchange(base: &str, path: &str, gzip: bool) -> Result<(String, Vec<u8>)> {
    use std::io::Read;
    let authority = base
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut stream = std::net::TcpStream::connect(&authority)
        .with_context(|| format!("connect to {authority}"))?;
    let accept = if gzip { "gzip" } else { "identity" };
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {authority}\r\nAccept-Encoding: {accept}\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no end of the response headers")?;
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    if !head.starts_with("HTTP/1.0 200") && !head.starts_with("HTTP/1.1 200") {
        bail!(
            "GET {path}: {}",
            head.lines().next().unwrap_or("no status line")
        );
    }
    Ok((head, response[split + 4..].to_vec()))
}

/// Raw and `gzip -9` sizes of a file.
fn measure(path: &Path) -> Result<(usize, usize)> {
    let bytes = fs::read(path)
        .with_context(|| format!("read {} (run `cargo xtask web`)", path.display()))?;
    Ok((bytes.len(), gzip_len(&bytes)?))
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("run gzip")?;
    let mut stdin = child.stdin.take().context("gzip stdin")?;
    let input = bytes.to_vec();
    let writer = thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("gzip writer panicked"))??;
    if !output.status.success() {
        bail!("gzip failed");
    }
    Ok(output.stdout.len())
}
