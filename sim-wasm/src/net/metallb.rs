//! MetalLB (v0.14, layer-2 mode) as pure functions: the address pool, which free address the
//! controller hands a LoadBalancer Service, and which node's speaker answers ARP for it.
//!
//! A kubeadm cluster has no load-balancer controller, so by default `EXTERNAL-IP` stays
//! `<pending>`; a lesson opts in to MetalLB (`Cluster::with_load_balancer`). The controller
//! loop that writes `status.loadBalancer` lives in `controllers::loadbalancer`; this module
//! knows nothing about the store or the world.

use crate::net::addr::Ipv4;
use crate::net::hash::sha256;

/// The one L2 `IPAddressPool` the course installs, on the VirtualBox host-only network the
/// nodes share (192.168.56.0/24), above the node addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pool {
    pub first: Ipv4,
    pub last: Ipv4,
}

/// The IPAddressPool's name (MetalLB's documentation example), written into the
/// `metallb.universe.tf/ip-allocated-from-pool` annotation.
pub const POOL_NAME: &str = "first-pool";

/// 192.168.56.200–192.168.56.250.
pub const DEFAULT_POOL: Pool = Pool {
    first: Ipv4::new(192, 168, 56, 200),
    last: Ipv4::new(192, 168, 56, 250),
};

impl Pool {
    pub fn contains(self, ip: Ipv4) -> bool {
        self.first.0 <= ip.0 && ip.0 <= self.last.0
    }

    /// The lowest address not in `taken` (MetalLB's allocator walks a pool in order).
    pub fn first_free(self, taken: &[Ipv4]) -> Option<Ipv4> {
        (self.first.0..=self.last.0)
            .map(Ipv4)
            .find(|ip| !taken.contains(ip))
    }
}

/// The node whose speaker announces `ip` (answers ARP for it), as MetalLB's layer-2
/// `ShouldAnnounce` elects it: only when the service has a ready endpoint; among the nodes
/// with a speaker that are not labelled `node.kubernetes.io/exclude-from-external-load-balancers`
/// (kubeadm puts that label on the control plane) — with `externalTrafficPolicy: Local`, only
/// those that hold a ready endpoint — the one whose `sha256(node + "#" + ip)` sorts first.
pub fn announcing_node(
    ip: Ipv4,
    speakers: &[String],
    endpoint_nodes: &[String],
    external_local: bool,
) -> Option<String> {
    if endpoint_nodes.is_empty() {
        return None;
    }
    let ip_text = ip.to_string();
    speakers
        .iter()
        .filter(|node| !external_local || endpoint_nodes.contains(node))
        .min_by_key(|node| sha256(format!("{node}#{ip_text}").as_bytes()))
        .cloned()
}

/// The MAC address of a node's `enp0s8` (the host-only adapter that answers ARP for an
/// announced address), the same one `ip addr` on that node shows.
pub fn node_mac(node: &str) -> String {
    crate::net::cni::vbox_mac(&format!("{node}-enp0s8"))
}

#[cfg(test)]
mod tests;
