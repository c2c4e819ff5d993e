//! House rules that are checked, not reviewed (STYLE.md rules 16, 17, 24): every module says
//! what it owns, tests are never disabled, and the simulator core does not panic on
//! `unwrap`/`expect`. Runs as an ordinary test of the xtask crate, so `cargo test` and CI
//! enforce it. Reads source files only; knows nothing about what they do.

use std::fs;
use std::path::{Path, PathBuf};

/// Source folders of the workspace (relative to the root); generated and vendored folders
/// (`target`, `node_modules`, `dist`, `vendor`) are never walked.
const RUST_ROOTS: &[&str] = &["sim-wasm", "server", "xtask"];
const JS_ROOTS: &[&str] = &["web/src", "web/e2e", "web/e2e-firefox", "web/test"];
const SKIPPED_DIRS: &[&str] = &["target", "node_modules", "dist", "screenshots", "vendor"];

fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

fn files(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIPPED_DIRS.contains(&name.as_str()) && !name.starts_with('.') {
                files(&path, extensions, out);
            }
        } else if extensions.iter().any(|ext| name.ends_with(ext)) {
            out.push(path);
        }
    }
}

fn sources(roots: &[&str], extensions: &[&str]) -> Vec<(String, String)> {
    let root = root();
    let mut paths = Vec::new();
    for dir in roots {
        files(&root.join(dir), extensions, &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let text = fs::read_to_string(&path).ok()?;
            let shown = path
                .strip_prefix(&root)
                .unwrap_or(&path)
                .display()
                .to_string();
            Some((shown, text))
        })
        .collect()
}

/// Test files (`tests.rs`, anything under a `tests/` folder) hold no module of their own.
fn is_test_file(path: &str) -> bool {
    path.ends_with("/tests.rs") || path.contains("/tests/")
}

#[test]
fn every_rust_module_starts_with_a_doc_comment_saying_what_it_owns() {
    let missing: Vec<String> = sources(RUST_ROOTS, &[".rs"])
        .into_iter()
        .filter(|(path, text)| !is_test_file(path) && !text.trim_start().starts_with("//!"))
        .map(|(path, _)| path)
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a leading `//!` doc: {missing:#?}"
    );
}

#[test]
fn every_web_module_and_test_starts_with_a_comment_saying_what_it_is() {
    let missing: Vec<String> = sources(JS_ROOTS, &[".js", ".mjs"])
        .into_iter()
        .filter(|(_, text)| !text.trim_start().starts_with("//"))
        .map(|(path, _)| path)
        .collect();
    assert!(
        missing.is_empty(),
        "web modules without a header comment: {missing:#?}"
    );
}

#[test]
fn no_test_is_ignored_or_expected_to_panic() {
    // Spelled in pieces so this file does not find itself.
    let banned = [concat!("#[", "ignore"), concat!("#[", "should_panic")];
    let found: Vec<String> = sources(RUST_ROOTS, &[".rs"])
        .into_iter()
        .flat_map(|(path, text)| {
            text.lines()
                .enumerate()
                .filter(|(_, line)| banned.iter().any(|b| line.trim_start().starts_with(b)))
                .map(|(n, line)| format!("{path}:{}: {}", n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        found.is_empty(),
        "disabled or panic-expecting tests: {found:#?}"
    );
}

#[test]
fn the_simulator_core_never_unwraps_outside_its_tests() {
    let banned = [concat!(".unwrap", "()"), concat!(".expect", "(")];
    let found: Vec<String> = sources(&["sim-wasm/src"], &[".rs"])
        .into_iter()
        .filter(|(path, _)| !is_test_file(path))
        .flat_map(|(path, text)| {
            // Inline `#[cfg(test)] mod tests { … }` blocks sit at the end of a file.
            let code = text
                .split("#[cfg(test)]\nmod tests {")
                .next()
                .unwrap_or("")
                .to_owned();
            code.lines()
                .enumerate()
                .filter(|(_, line)| !line.trim_start().starts_with("//"))
                .filter(|(_, line)| banned.iter().any(|b| line.contains(b)))
                .map(|(n, line)| format!("{path}:{}: {}", n + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        found.is_empty(),
        "unwrap/expect in simulator code (return an error or a default instead): {found:#?}"
    );
}

#[test]
fn serde_json_is_the_vendored_copy_with_the_compact_map() {
    // `[patch.crates-io]` is silently unused once the registry version in the lock file
    // differs from the vendored one, and nothing else would notice: the vendored map
    // behaves exactly like upstream's, it only takes a third of the memory.
    let root = root();
    let lock = fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let vendored =
        fs::read_to_string(root.join("sim-wasm/vendor/serde_json/Cargo.toml")).unwrap_or_default();
    let version_line = vendored
        .lines()
        .find(|l| l.starts_with("version = "))
        .unwrap_or("version = (none)");
    let entries: Vec<&str> = lock
        .split("[[package]]")
        .filter(|p| p.contains("name = \"serde_json\"\n"))
        .collect();
    assert_eq!(entries.len(), 1, "serde_json in Cargo.lock: {entries:#?}");
    assert!(
        entries[0].contains(version_line) && !entries[0].contains("source = "),
        "Cargo.lock's serde_json is not the vendored {version_line} (a path dependency has \
         no `source`): {}; see sim-wasm/vendor/serde_json/PATCHED.md",
        entries[0]
    );
}
