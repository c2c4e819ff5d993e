use super::*;

fn nodes() -> Vec<NodeNet> {
    ["master", "worker1", "worker2"]
        .iter()
        .enumerate()
        .map(|(i, name)| NodeNet {
            name: (*name).to_owned(),
            ip: Ipv4::new(192, 168, 56, 10 + i as u8),
            index: i as u32,
            block: node_block(Cni::Calico, i as u32),
        })
        .collect()
}

#[test]
fn each_plugin_allocates_pod_ips_inside_its_documented_pool() {
    for cni in [Cni::Calico, Cni::Flannel, Cni::WeaveNet] {
        for node in 0..3 {
            let Some(ip) = pod_ip(cni, node, 0) else {
                panic!("{cni:?} node {node}")
            };
            assert!(pool(cni).contains(ip), "{cni:?} {ip}");
            assert!(node_block(cni, node).contains(ip), "{cni:?} {ip}");
        }
    }
    assert_eq!(node_block(Cni::Calico, 1).prefix, 26);
    assert_eq!(node_block(Cni::Flannel, 2).to_string(), "10.244.2.0/24");
    assert_eq!(pod_ip(Cni::Flannel, 1, 0), Some(Ipv4::new(10, 244, 1, 2)));
    assert_eq!(pod_ip(Cni::WeaveNet, 0, 0), Some(Ipv4::new(10, 32, 0, 2)));
}

#[test]
fn a_calico_node_routes_other_blocks_through_tunl0_and_its_own_pods_to_veths() {
    let nodes = nodes();
    let pod = PodIface {
        namespace: "default".into(),
        name: "web".into(),
        ip: pod_ip(Cni::Calico, 0, 0).unwrap_or(Ipv4(0)),
        slot: 0,
    };
    let routes = node_routes(Cni::Calico, &nodes[0], &nodes, std::slice::from_ref(&pod));
    let remote = pod_ip(Cni::Calico, 2, 3).unwrap_or(Ipv4(0));
    let Some(hop) = lookup(&routes, remote) else {
        panic!("route")
    };
    assert_eq!(
        (hop.device.as_str(), hop.gateway),
        ("tunl0", Some(nodes[2].ip))
    );
    let Some(local) = lookup(&routes, pod.ip) else {
        panic!("route")
    };
    assert!(local.device.starts_with("cali"));
    let text = ip_route_text(&routes);
    assert!(
        text.starts_with("default via 10.0.2.2 dev enp0s3 proto dhcp src 10.0.2.15 metric 100 \n"),
        "{text}"
    );
    assert!(
        text.contains("192.168.235.128/26 via 192.168.56.11 dev tunl0 proto bird onlink \n"),
        "{text}"
    );
    assert!(
        text.contains("blackhole 192.168.219.64/26 proto bird \n"),
        "{text}"
    );
}

#[test]
fn a_flannel_pod_sees_lo_and_one_eth0_with_its_ip() {
    let pod = PodIface {
        namespace: "blue".into(),
        name: "busybox".into(),
        ip: Ipv4::new(10, 244, 1, 3),
        slot: 3,
    };
    let text = ip_addr_text(&pod_interfaces(Cni::Flannel, &pod), false);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.first().copied(),
        Some("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000")
    );
    assert!(
        text.contains(
            "3: eth0@if10: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1450 qdisc noqueue \n"
        ),
        "{text}"
    );
    assert!(
        text.contains("    inet 10.244.1.3/24 brd 10.244.1.255 scope global eth0\n"),
        "{text}"
    );
}

#[test]
fn route_n_uses_net_tools_columns() {
    let nodes = nodes();
    let nodes: Vec<NodeNet> = nodes
        .into_iter()
        .map(|n| NodeNet {
            block: node_block(Cni::Flannel, n.index),
            ..n
        })
        .collect();
    let routes = node_routes(Cni::Flannel, &nodes[1], &nodes, &[]);
    let text = route_n_text(&routes);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[1],
        "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface"
    );
    assert_eq!(
        lines[2],
        "0.0.0.0         10.0.2.2        0.0.0.0         UG    100    0        0 enp0s3"
    );
    assert!(
        text.contains(
            "10.244.0.0      10.244.0.0      255.255.255.0   UG    0      0        0 flannel.1\n"
        ),
        "{text}"
    );
}
