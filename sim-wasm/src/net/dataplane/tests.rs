use super::*;
use crate::net::fixture::{FLANNEL, fixture};

fn connect_from_blue(host: &str, port: Port) -> Connection {
    let fixture = fixture();
    let net = Network {
        cni: FLANNEL,
        nodes: &fixture.nodes,
        pods: &fixture.pods,
        rules: &fixture.rules,
        dns: &fixture.dns,
        policy: None,
        forwards: &[],
        node_rules: &[],
        announced: &[],
    };
    let mut rng = Rng::new(11);
    let source = Source::Pod {
        namespace: "blue".into(),
        name: "client".into(),
    };
    connect(
        &net,
        &mut rng,
        &source,
        host,
        port,
        Some(Protocol::Tcp),
        "test",
    )
}

#[test]
fn a_connection_to_a_service_walks_dns_nat_routing_and_the_sandbox_in_order() {
    let connection = connect_from_blue("srv-jenkins", 8080);
    assert_eq!(connection.outcome, Outcome::Connected);
    let text = connection.trace.to_text();
    let order = [
        "dns_query",
        "dns_answer",
        "rule [worker1 nat] -A PREROUTING",
        "KUBE-SVC-CM4I76BVLZUIAEZ5",
        "dnat 10.107.20.30:8080",
        "route [worker1]",
        "deliver",
        "accept",
    ];
    let mut position = 0;
    for needle in order {
        let Some(found) = text[position..].find(needle) else {
            panic!("{needle} missing after byte {position} in\n{text}")
        };
        position += found;
    }
}

#[test]
fn the_accepting_pod_is_reported_with_its_hostname() {
    let connection = connect_from_blue("10.244.2.8", 8080);
    let Some(accepted) = connection.accepted_by else {
        panic!("accepted")
    };
    assert_eq!(
        (accepted.hostname.as_str(), accepted.port),
        ("http-go-b", 8080)
    );
    assert!(connection.crossed_nodes);
}

#[test]
fn a_port_two_containers_of_a_pod_want_belongs_to_the_first() {
    let container = |name: &str| ContainerNet {
        name: name.to_owned(),
        image: "gasbugs/http-go".to_owned(),
    };
    let pod = PodNet {
        namespace: "default".to_owned(),
        name: "twins".to_owned(),
        node: "worker1".to_owned(),
        ip: None,
        host_network: false,
        running: true,
        containers: vec![container("web1"), container("web2")],
        slot: 0,
    };
    let owners: Vec<(String, Port)> = pod
        .listeners()
        .into_iter()
        .map(|(name, l)| (name, l.port))
        .collect();
    assert_eq!(owners, [("web1".to_owned(), 8080)]);
}
