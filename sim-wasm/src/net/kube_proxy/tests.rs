use super::*;
use crate::net::iptables::save_table;

const SCENARIO: &str = include_str!("../testdata/scenario_kubeadm.json");
const KUBEADM_NAT: &str = include_str!("../testdata/kubeadm_save_nat.txt");
const KUBEADM_FILTER: &str = include_str!("../testdata/kubeadm_save_filter.txt");
/// When the kubeadm fixtures were re-dumped by a real iptables 1.8.7 (the nodes' version) from
/// the 1.8.9 dumps of fidelity.md §1.5: the rule text is identical, the header is 1.8.7's.
const DATE: &str = "Thu Nov 26 12:11:52 2026";

/// The services of artifacts/scenario_kubeadm.json, read with the same meaning gen.py gives
/// its fields.
fn scenario_services() -> Vec<ServicePort> {
    let value: serde_json::Value = match serde_json::from_str(SCENARIO) {
        Ok(value) => value,
        Err(err) => panic!("scenario json: {err}"),
    };
    let Some(services) = value["services"].as_array() else {
        panic!("services array")
    };
    services
        .iter()
        .map(|s| {
            let text = |key: &str| s[key].as_str().unwrap_or_default().to_owned();
            let node_port = s["nodePort"].as_u64().map(|p| p as u16);
            let endpoints = s["endpoints"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .filter_map(|ep| {
                    let (ip, port) = ep.as_str()?.rsplit_once(':')?;
                    Some(Endpoint {
                        ip: Ipv4::parse(ip)?,
                        port: port.parse().ok()?,
                        ready: true,
                        node: None,
                    })
                })
                .collect();
            ServicePort {
                namespace: text("ns"),
                name: text("name"),
                port_name: text("portName"),
                protocol: Protocol::parse(&text("protocol")).unwrap_or(Protocol::Tcp),
                service_type: if node_port.is_some() {
                    ServiceType::NodePort
                } else {
                    ServiceType::ClusterIp
                },
                cluster_ip: Ipv4::parse(&text("clusterIP")),
                port: s["port"].as_u64().unwrap_or(0) as u16,
                node_port,
                external_ips: Vec::new(),
                load_balancer_ips: Vec::new(),
                affinity_seconds: None,
                external_local: false,
                health_check_node_port: None,
                source_ranges: Vec::new(),
                endpoints,
            }
        })
        .collect()
}

fn kubeadm_config() -> ProxyConfig {
    ProxyConfig {
        cluster_cidr: Cidr::parse("10.244.0.0/16"),
        nfacct: false,
        random_fully: true,
        node_chains: true,
        node_name: None,
    }
}

#[test]
fn the_kubeadm_scenario_renders_exactly_the_real_nat_dump() {
    let ruleset = sync_rules(&scenario_services(), &kubeadm_config());
    let Some(nat) = ruleset.table(TableKind::Nat) else {
        panic!("nat table")
    };
    assert_eq!(save_table(nat, DATE), KUBEADM_NAT);
}

#[test]
fn the_kubeadm_scenario_renders_exactly_the_real_filter_dump() {
    let ruleset = sync_rules(&scenario_services(), &kubeadm_config());
    let Some(filter) = ruleset.table(TableKind::Filter) else {
        panic!("filter table")
    };
    assert_eq!(save_table(filter, DATE), KUBEADM_FILTER);
}

#[test]
fn chain_names_equal_the_upstream_test_literals_and_real_cluster_names() {
    let svc = |spn: &str, proto: Protocol| format!("KUBE-SVC-{}", service_chain_suffix(spn, proto));
    assert_eq!(
        svc("ns1/svc1:p80", Protocol::Tcp),
        "KUBE-SVC-XPGD46QRK7WJZT7O"
    );
    assert_eq!(
        svc("ns2/svc2:p80", Protocol::Tcp),
        "KUBE-SVC-GNZBNJ2PO5MGZ6GT"
    );
    assert_eq!(
        svc("ns3/svc3:p80", Protocol::Tcp),
        "KUBE-SVC-X27LE4BHSL4DOUIK"
    );
    assert_eq!(
        svc("ns4/svc4:p80", Protocol::Tcp),
        "KUBE-SVC-4SW47YFZTEDKD3PK"
    );
    assert_eq!(
        svc("ns5/svc5:p80", Protocol::Tcp),
        "KUBE-SVC-NUKIZ6OKUXPJNT4C"
    );
    assert_eq!(
        svc("default/kubernetes:https", Protocol::Tcp),
        "KUBE-SVC-NPX46M4PTMTKRN6Y"
    );
    assert_eq!(
        svc("kube-system/kube-dns:dns", Protocol::Udp),
        "KUBE-SVC-TCOU7JCQXEZGVUNU"
    );
    assert_eq!(
        svc("kube-system/kube-dns:dns-tcp", Protocol::Tcp),
        "KUBE-SVC-ERIFXISQEP7F7OF4"
    );
    assert_eq!(
        svc("kube-system/kube-dns:metrics", Protocol::Tcp),
        "KUBE-SVC-JD5MR3NA4I4DYORP"
    );
    assert_eq!(
        svc("blue/srv-jenkins", Protocol::Tcp),
        "KUBE-SVC-CM4I76BVLZUIAEZ5"
    );
    assert_eq!(
        svc("blue/srv-jenkins:8080-8080", Protocol::Tcp),
        "KUBE-SVC-W55YKKZCCZBOUNPN"
    );
    assert_eq!(
        svc("default/http-go-svc:80-8080", Protocol::Tcp),
        "KUBE-SVC-WIPZRELEUTOPIR4X"
    );
    let seps = [
        ("ns1/svc1:p80", "10.180.0.1:80", "KUBE-SEP-SXIVWICOYRO3J4NJ"),
        ("ns2/svc2:p80", "10.180.0.2:80", "KUBE-SEP-RS4RBKLTHTF2IUXJ"),
        ("ns3/svc3:p80", "10.180.0.3:80", "KUBE-SEP-OYPFS5VJICHGATKP"),
        ("ns4/svc4:p80", "10.180.0.4:80", "KUBE-SEP-UKSFD7AGPMPPLUHC"),
        ("ns4/svc4:p80", "10.180.0.5:80", "KUBE-SEP-C6EBXVWJJZMIWKLZ"),
        ("ns5/svc5:p80", "10.180.0.3:80", "KUBE-SEP-I77PXRDZVX7PMWMN"),
        (
            "blue/srv-jenkins:8080-8080",
            "10.244.1.5:8080",
            "KUBE-SEP-GEHYLORSMLPCRBRU",
        ),
    ];
    for (spn, endpoint, expected) in seps {
        assert_eq!(endpoint_chain(spn, Protocol::Tcp, endpoint), expected);
    }
}

#[test]
fn the_protocol_is_hashed_lower_case_as_kube_proxy_does_since_1_2x() {
    // chains.py's negative vector: the upper-case spelling gives a different name.
    assert_eq!(chain_suffix("ns1/svc1:p80TCP"), "3UP2Z6VMNQ3MME3P");
    assert_ne!(
        service_chain_suffix("ns1/svc1:p80", Protocol::Tcp),
        "3UP2Z6VMNQ3MME3P"
    );
}

#[test]
fn a_service_without_ready_endpoints_gets_only_a_filter_reject() {
    let mut services = scenario_services();
    for service in &mut services {
        for endpoint in &mut service.endpoints {
            endpoint.ready = false;
        }
    }
    let ruleset = sync_rules(&services, &kubeadm_config());
    let text = crate::net::iptables::save(&ruleset, DATE);
    assert!(!text.contains("KUBE-SVC-"), "{text}");
    assert!(text.contains(
        "-A KUBE-SERVICES -d 10.107.20.30/32 -p tcp -m comment --comment \"blue/srv-jenkins has no endpoints\" -m tcp --dport 8080 -j REJECT --reject-with icmp-port-unreachable"
    ));
    assert!(text.contains(
        "-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment \"default/http-go-svc:80-8080 has no endpoints\" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable"
    ));
}

#[test]
fn scaling_a_deployment_changes_the_probabilities() {
    let mut services = scenario_services();
    let Some(jenkins) = services.iter_mut().find(|s| s.name == "srv-jenkins") else {
        panic!("srv-jenkins")
    };
    jenkins.endpoints.push(Endpoint {
        ip: Ipv4::new(10, 244, 2, 10),
        port: 8080,
        ready: true,
        node: None,
    });
    let ruleset = sync_rules(&services, &kubeadm_config());
    let text = crate::net::iptables::save(&ruleset, DATE);
    // "10.244.2.10:8080" sorts before "10.244.2.7:8080" as a string, as in kube-proxy.
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("-A KUBE-SVC-CM4I76BVLZUIAEZ5 -m comment"))
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].contains("10.244.1.5:8080") && lines[0].contains("0.33333333349"));
    assert!(lines[1].contains("10.244.2.10:8080") && lines[1].contains("0.50000000000"));
    assert!(lines[2].contains("10.244.2.7:8080") && !lines[2].contains("statistic"));
}

#[test]
fn session_affinity_adds_recent_matches() {
    let mut services = scenario_services();
    let Some(jenkins) = services.iter_mut().find(|s| s.name == "srv-jenkins") else {
        panic!("srv-jenkins")
    };
    jenkins.affinity_seconds = Some(10800);
    let text = crate::net::iptables::save(&sync_rules(&services, &kubeadm_config()), DATE);
    assert!(text.contains("-A KUBE-SVC-CM4I76BVLZUIAEZ5 -m comment --comment \"blue/srv-jenkins -> 10.244.1.5:8080\" -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-U4PEBBAMBWBBBKNW --mask 255.255.255.255 --rsource -j KUBE-SEP-U4PEBBAMBWBBBKNW"), "{text}");
    assert!(text.contains("-A KUBE-SEP-U4PEBBAMBWBBBKNW -p tcp -m comment --comment \"blue/srv-jenkins\" -m recent --set --name KUBE-SEP-U4PEBBAMBWBBBKNW --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.244.1.5:8080"));
}

const OVERALL_NAT: &str = include_str!("../testdata/overall_save_nat.txt");
const OVERALL_FILTER: &str = include_str!("../testdata/overall_save_filter.txt");

/// proxier_test.go's TestOverallIPTablesRules fixture (fidelity.md §1.3).
fn overall_services() -> Vec<ServicePort> {
    let ip = |text: &str| Ipv4::parse(text).unwrap_or(Ipv4(0));
    let ep = |text: &str, node: &str| Endpoint {
        ip: ip(text),
        port: 80,
        ready: true,
        node: Some(node.to_owned()),
    };
    let base = |ns: &str, name: &str, cluster_ip: &str, endpoints: Vec<Endpoint>| ServicePort {
        namespace: ns.into(),
        name: name.into(),
        port_name: "p80".into(),
        protocol: Protocol::Tcp,
        service_type: ServiceType::ClusterIp,
        cluster_ip: Some(ip(cluster_ip)),
        port: 80,
        node_port: None,
        external_ips: Vec::new(),
        load_balancer_ips: Vec::new(),
        affinity_seconds: None,
        external_local: false,
        health_check_node_port: None,
        source_ranges: Vec::new(),
        endpoints,
    };
    vec![
        base(
            "ns1",
            "svc1",
            "172.30.0.41",
            vec![ep("10.180.0.1", "other")],
        ),
        ServicePort {
            service_type: ServiceType::LoadBalancer,
            node_port: Some(3001),
            load_balancer_ips: vec![ip("1.2.3.4")],
            external_ips: vec![ip("192.168.99.22")],
            external_local: true,
            health_check_node_port: Some(30000),
            ..base(
                "ns2",
                "svc2",
                "172.30.0.42",
                vec![ep("10.180.0.2", "other")],
            )
        },
        ServicePort {
            service_type: ServiceType::NodePort,
            node_port: Some(3003),
            ..base(
                "ns3",
                "svc3",
                "172.30.0.43",
                vec![ep("10.180.0.3", "other")],
            )
        },
        ServicePort {
            service_type: ServiceType::NodePort,
            external_ips: vec![ip("192.168.99.33")],
            ..base(
                "ns4",
                "svc4",
                "172.30.0.44",
                vec![ep("10.180.0.4", "other"), ep("10.180.0.5", "test-node")],
            )
        },
        ServicePort {
            service_type: ServiceType::LoadBalancer,
            node_port: Some(3002),
            load_balancer_ips: vec![ip("5.6.7.8")],
            source_ranges: Cidr::parse("203.0.113.0/25").into_iter().collect(),
            affinity_seconds: Some(10800),
            ..base(
                "ns5",
                "svc5",
                "172.30.0.45",
                vec![ep("10.180.0.3", "other")],
            )
        },
        base("ns6", "svc6", "172.30.0.46", Vec::new()),
    ]
}

#[test]
fn proxier_tests_overall_fixture_renders_exactly_what_real_iptables_save_printed() {
    let config = ProxyConfig {
        cluster_cidr: Cidr::parse("10.0.0.0/8"),
        nfacct: true,
        random_fully: false,
        node_chains: true,
        node_name: Some("test-node".into()),
    };
    let ruleset = sync_rules(&overall_services(), &config);
    // Re-dumped with iptables 1.8.7 (nfacct objects created first); 1.8.7 differs from the
    // 1.8.9 dump only by the trailing space after the target-less KUBE-FW comment rule.
    let date = "Thu Nov 26 12:13:47 2026";
    let (Some(nat), Some(filter)) = (
        ruleset.table(TableKind::Nat),
        ruleset.table(TableKind::Filter),
    ) else {
        panic!("tables")
    };
    assert_eq!(save_table(nat, date), OVERALL_NAT);
    assert_eq!(save_table(filter, date), OVERALL_FILTER);
}
