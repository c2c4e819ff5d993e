//! The dataplane: addresses, the CNI plugin (pod CIDRs, devices, routes), kube-proxy's
//! iptables rules, CoreDNS, and the walk of one connection through all of them.

pub mod trace;
