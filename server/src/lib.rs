//! k8s-netlab's course server: Korean lesson pages beside the browser lab, the authoritative
//! grader (the simulator, natively), submissions and progress in SQL, and the CLI
//! (`serve`, `grade`, `check`). `main.rs` only wires these together.

pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod db;
pub mod domain;
pub mod error;
pub mod grading;
pub mod http;
pub mod startup;
pub mod state;
pub mod telemetry;
