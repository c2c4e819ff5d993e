//! Integration tests of the simulator through its public API (`Cluster::exec`), compared
//! with the real kubectl 1.32 on the PATH wherever kubectl can answer without a server.

mod real_kubectl;
mod yaml_vs_kubectl;
