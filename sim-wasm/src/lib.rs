//! A deterministic, simulated Kubernetes 1.32 cluster for teaching the network model.
//!
//! The crate is a pure state machine: text goes in through [`Cluster::exec`], text and
//! structured traces come out in an [`Output`]. It does no I/O, reads no clock and owns its
//! randomness (a seeded PRNG), so the same seed and the same input lines give byte-identical
//! output natively (server grading, the `kubesim` CLI, tests) and in WebAssembly (the
//! browser terminal). The only wasm-aware code is the facade in `wasm.rs`.
//!
//! Layers, top-down:
//! - `shell`: a typed line → a pipeline of commands, redirections, heredocs, builtins, files.
//! - `kubectl`: kubectl's argument parsing, verbs and printers.
//! - `api`: typed objects and their validation with the API server's messages.
//! - `yaml`: manifest text → JSON values (kubectl's own YAML→JSON step) and back.
//! - `store`: objects with uid, resourceVersion and timestamps on the virtual clock.
//! - `controllers`: reconcile loops (deployment, replicaset, scheduler, kubelet, endpoints).
//! - `net`: addresses, CNI, kube-proxy iptables, DNS, the dataplane and its traces.
//! - `grade`: exercise checks evaluated on a cluster, and the report.
//! - `view`: the browser map's read-only projection of the store (`ClusterView`).

pub mod api;
mod base64;
mod cluster;
mod commands;
pub mod controllers;
pub mod grade;
pub mod kubeconfig;
pub mod kubectl;
pub mod net;
pub mod rand;
pub mod shell;
mod sort;
pub mod store;
pub mod time;
pub mod view;
pub mod yaml;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use cluster::{Cluster, ClusterConfig, Cni, LoadBalancer, Output};
pub use time::SimTime;
