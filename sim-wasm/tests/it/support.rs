//! Helpers shared by the integration tests.

use sim_wasm::{Cluster, ClusterConfig, Cni};

/// A fresh Calico cluster with a fixed seed.
pub fn cluster() -> Cluster {
    Cluster::new(7, ClusterConfig { cni: Cni::Calico })
}

/// What one line printed: (stdout, stderr, exit code).
pub fn run(c: &mut Cluster, line: &str) -> (String, String, i32) {
    let out = c.exec(line);
    (out.stdout, out.stderr, out.exit_code)
}

/// Runs a line that must succeed and returns its stdout.
pub fn ok(c: &mut Cluster, line: &str) -> String {
    let (out, err, code) = run(c, line);
    assert_eq!(code, 0, "{line}\nstdout: {out}\nstderr: {err}");
    out
}

/// Runs a line that must fail and returns its stderr.
pub fn fails(c: &mut Cluster, line: &str) -> String {
    let (out, err, code) = run(c, line);
    assert_ne!(code, 0, "{line} should fail\nstdout: {out}\nstderr: {err}");
    err
}
