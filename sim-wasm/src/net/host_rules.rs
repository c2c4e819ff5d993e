//! The iptables rules that other software on a node writes beside kube-proxy's: Docker 27.5
//! (the engine behind cri-dockerd, with its default `docker0` bridge 172.17.0.0/16) and
//! Flannel's masquerade and forward rules. Knows nothing about Kubernetes objects.
//!
//! Sources: moby's `integration/network/bridge/iptablesdoc/generated/new-daemon.md` (the rules
//! a new 27.x daemon writes; 28.0 changed them: ipset matches, a DROP in DOCKER, DOCKER-FORWARD),
//! and flannel's `pkg/trafficmngr/iptables/iptables.go` (`masqRules`, `forwardRules`, the
//! kube-proxy mark `0x4000/0x4000`, `--random-fully` since iptables supports it).
//!
//! Order: Docker starts before the kubelet, kube-proxy *prepends* its jumps (`EnsureRule
//! Prepend`) and Flannel *appends* its own, so on every built-in chain kube-proxy's rules come
//! first, then Docker's, then Flannel's — the layout real kubeadm + Docker nodes show.
//!
//! Left out on purpose: Calico's `cali-*` chains (felix names every rule with a hash comment
//! `cali:…` computed from the rule's content, which cannot be reproduced faithfully here) and
//! Weave Net's `WEAVE*` chains (they match ipsets the model has no notion of). Fewer rules,
//! but every printed one is one the real node has.

use crate::net::addr::Cidr;
use crate::net::cni::{self, Cni};
use crate::net::iptables::{Ruleset, TableKind, parse_rule};

/// Docker 27's rules for a new daemon with its default bridge (`iptables -S` form).
const DOCKER_FILTER: &[&str] = &[
    "-A FORWARD -j DOCKER-USER",
    "-A FORWARD -j DOCKER-ISOLATION-STAGE-1",
    "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    "-A FORWARD -o docker0 -j DOCKER",
    "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT",
    "-A FORWARD -i docker0 -o docker0 -j ACCEPT",
    "-A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2",
    "-A DOCKER-ISOLATION-STAGE-1 -j RETURN",
    "-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP",
    "-A DOCKER-ISOLATION-STAGE-2 -j RETURN",
    "-A DOCKER-USER -j RETURN",
];

const DOCKER_NAT: &[&str] = &[
    "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
    "-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER",
    "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
    "-A DOCKER -i docker0 -j RETURN",
];

/// Chains that exist even while empty (`-N`): Docker creates DOCKER in filter up front.
const DOCKER_FILTER_CHAINS: &[&str] = &["DOCKER"];

fn flannel_rules(cluster: Cidr, node_block: Cidr) -> (Vec<String>, Vec<String>) {
    let masq = "-m comment --comment \"flanneld masq\"";
    let fwd = "-m comment --comment \"flanneld forward\"";
    let nat = vec![
        format!("-A POSTROUTING {masq} -j FLANNEL-POSTRTG"),
        format!("-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 {masq} -j RETURN"),
        format!("-A FLANNEL-POSTRTG -s {node_block} -d {cluster} {masq} -j RETURN"),
        format!("-A FLANNEL-POSTRTG -s {cluster} -d {node_block} {masq} -j RETURN"),
        format!("-A FLANNEL-POSTRTG ! -s {cluster} -d {node_block} {masq} -j RETURN"),
        format!(
            "-A FLANNEL-POSTRTG -s {cluster} ! -d 224.0.0.0/4 {masq} -j MASQUERADE --random-fully"
        ),
        format!(
            "-A FLANNEL-POSTRTG ! -s {cluster} -d {cluster} {masq} -j MASQUERADE --random-fully"
        ),
    ];
    let filter = vec![
        format!("-A FORWARD {fwd} -j FLANNEL-FWD"),
        format!("-A FLANNEL-FWD -s {cluster} {fwd} -j ACCEPT"),
        format!("-A FLANNEL-FWD -d {cluster} {fwd} -j ACCEPT"),
    ];
    (nat, filter)
}

fn append(ruleset: &mut Ruleset, table: TableKind, lines: &[impl AsRef<str>]) {
    for line in lines {
        // The texts above are fixed and parse; a failure would be a bug in this file, caught
        // by the tests, so it is skipped rather than allowed to break a node shell.
        if let Ok((chain, rule)) = parse_rule(line.as_ref()) {
            ruleset.table_mut(table).append(&chain, rule);
        }
    }
}

/// Adds Docker's rules (every plugin: the runtime is Docker) and the plugin's own where they
/// are modelled, after kube-proxy's. `node_block` is the node's pod CIDR.
pub fn add(ruleset: &mut Ruleset, plugin: Cni, node_block: Cidr) {
    for chain in DOCKER_FILTER_CHAINS {
        ruleset.table_mut(TableKind::Filter).chain_mut(chain);
    }
    append(ruleset, TableKind::Filter, DOCKER_FILTER);
    append(ruleset, TableKind::Nat, DOCKER_NAT);
    if plugin == Cni::Flannel {
        let (nat, filter) = flannel_rules(cni::pool(plugin), node_block);
        append(ruleset, TableKind::Nat, &nat);
        append(ruleset, TableKind::Filter, &filter);
    }
}

#[cfg(test)]
mod tests;
