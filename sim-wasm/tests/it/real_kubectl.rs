//! Running the real kubectl (client-side only: dry-run and parse errors need no server).

use std::process::Command;

/// Runs the real kubectl in `dir` and returns (stdout, stderr, exit code). Fails the test
/// with a clear message when kubectl is missing: these comparisons must never be skipped.
pub fn kubectl(dir: &std::path::Path, args: &[&str]) -> (String, String, i32) {
    let out = Command::new("kubectl")
        .args(args)
        .current_dir(dir)
        .env("KUBECONFIG", "/dev/null")
        .output()
        .unwrap_or_else(|e| panic!("the real kubectl 1.32 must be on PATH for this test: {e}"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// A fresh scratch directory for files the real kubectl reads.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sim-wasm-it-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// Runs each line (kubectl's arguments) through the real kubectl and the simulator and
/// checks that they print the same and exit alike: for errors kubectl reports before it
/// contacts a server.
pub fn assert_same_as_real(c: &mut sim_wasm::Cluster, dir_name: &str, lines: &[&str]) {
    let dir = scratch(dir_name);
    for line in lines {
        let args: Vec<&str> = line.split_whitespace().collect();
        let real = kubectl(&dir, &args);
        let simulated = crate::support::run(c, &format!("kubectl {line}"));
        assert_eq!(simulated, real, "kubectl {line}");
    }
}
