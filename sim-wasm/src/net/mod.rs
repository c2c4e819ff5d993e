//! The dataplane: addresses, the CNI plugin (pod CIDRs, devices, routes), kube-proxy's
//! iptables rules, CoreDNS, and the walk of one connection through all of them.
//!
//! Everything below `net` is pure: functions of plain input types (services, endpoints,
//! pods, nodes) defined here, so the rules and answers can be checked against the real
//! outputs in fidelity.md without a cluster. The glue to the world's objects lives in
//! `net::world`.

pub mod addr;
pub mod apps;
pub mod client_host;
pub mod clients;
pub mod cni;
pub mod container;
pub mod dataplane;
pub mod dns;
pub mod hash;
pub mod host_rules;
pub mod iproute;
pub mod iptables;
pub mod kube_proxy;
pub mod metallb;
pub mod node;
pub mod policy;
pub mod trace;
pub mod world;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod verified_tests;
