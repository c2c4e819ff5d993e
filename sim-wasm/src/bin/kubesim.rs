//! `kubesim`: the simulator as a terminal program (placeholder until the CLI lands).
fn main() {}
