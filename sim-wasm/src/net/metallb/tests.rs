//! The pool and the layer-2 election. Expected winners were computed independently with
//! Python's hashlib (`sorted(nodes, key=lambda n: sha256(f"{n}#{ip}"))[0]`).

use super::*;

fn nodes(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn ip(text: &str) -> Ipv4 {
    Ipv4::parse(text).unwrap_or(Ipv4(0))
}

#[test]
fn the_pool_hands_out_its_lowest_free_address_and_nothing_when_full() {
    assert_eq!(DEFAULT_POOL.first_free(&[]), Some(ip("192.168.56.200")));
    assert_eq!(
        DEFAULT_POOL.first_free(&[ip("192.168.56.200"), ip("192.168.56.202")]),
        Some(ip("192.168.56.201"))
    );
    let all: Vec<Ipv4> = (200..=250).map(|d| Ipv4::new(192, 168, 56, d)).collect();
    assert_eq!(DEFAULT_POOL.first_free(&all), None);
    assert!(DEFAULT_POOL.contains(ip("192.168.56.250")));
    assert!(!DEFAULT_POOL.contains(ip("192.168.56.251")));
    assert!(!DEFAULT_POOL.contains(ip("192.168.56.199")));
}

#[test]
fn the_announcing_node_is_the_one_whose_sha256_of_node_hash_ip_sorts_first() {
    let speakers = nodes(&["worker1", "worker2"]);
    let endpoints = nodes(&["worker1"]);
    assert_eq!(
        announcing_node(ip("192.168.56.200"), &speakers, &endpoints, false).as_deref(),
        Some("worker1")
    );
    assert_eq!(
        announcing_node(ip("192.168.56.206"), &speakers, &endpoints, false).as_deref(),
        Some("worker2")
    );
    // With master eligible, 192.168.56.203 would go to master; its exclusion is the
    // caller's job (kubeadm's exclude-from-external-load-balancers label).
    let with_master = nodes(&["master", "worker1", "worker2"]);
    assert_eq!(
        announcing_node(ip("192.168.56.203"), &with_master, &endpoints, false).as_deref(),
        Some("master")
    );
}

#[test]
fn a_service_without_ready_endpoints_is_announced_by_nobody() {
    let speakers = nodes(&["worker1", "worker2"]);
    assert_eq!(
        announcing_node(ip("192.168.56.200"), &speakers, &[], false),
        None
    );
}

#[test]
fn external_traffic_policy_local_limits_the_election_to_nodes_with_an_endpoint() {
    let speakers = nodes(&["worker1", "worker2"]);
    // worker1 would win 192.168.56.200 among both; only worker2 holds an endpoint.
    assert_eq!(
        announcing_node(ip("192.168.56.200"), &speakers, &nodes(&["worker2"]), true).as_deref(),
        Some("worker2")
    );
    assert_eq!(
        announcing_node(ip("192.168.56.200"), &speakers, &nodes(&["master"]), true),
        None
    );
}

#[test]
fn a_node_mac_is_the_one_its_enp0s8_shows() {
    let mac = node_mac("worker1");
    assert!(mac.starts_with("08:00:27:"), "{mac}");
    assert_ne!(mac, node_mac("worker2"));
}
