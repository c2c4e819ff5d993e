//! Integration tests of the simulator through its public API (`Cluster::exec`), compared
//! with the real kubectl 1.32 on the PATH wherever kubectl can answer without a server, and
//! with the verified transcripts of fidelity.md elsewhere.

mod client_errors_vs_kubectl;
mod cluster_basics;
mod controllers;
mod describe_snapshots;
mod dry_run_vs_kubectl;
mod errors;
mod json_map;
mod kubeconfig;
mod kubectl_cp;
mod kubectl_port_forward;
mod net;
mod real_kubectl;
mod robustness;
mod seed;
mod support;
mod yaml_vs_kubectl;
