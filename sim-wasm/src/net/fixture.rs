//! The reference cluster of fidelity.md §1.5 and §2.4 as plain `net` inputs, shared by the
//! dataplane and client tests (test builds only).

use crate::net::addr::{Cidr, Ipv4, Protocol};
use crate::net::cni::{Cni, NodeNet};
use crate::net::dataplane::{ContainerNet, PodNet};
use crate::net::dns::{Directory, DnsEndpoint, DnsService};
use crate::net::iptables::Ruleset;
use crate::net::kube_proxy::{Endpoint, ProxyConfig, ServicePort, ServiceType, sync_rules};

pub struct Fixture {
    pub nodes: Vec<NodeNet>,
    pub pods: Vec<PodNet>,
    pub rules: Ruleset,
    pub dns: Directory,
}

fn pod(namespace: &str, name: &str, node: &str, ip: [u8; 4], image: &str, slot: u32) -> PodNet {
    PodNet {
        namespace: namespace.into(),
        name: name.into(),
        node: node.into(),
        ip: Some(Ipv4::new(ip[0], ip[1], ip[2], ip[3])),
        host_network: false,
        running: true,
        containers: vec![ContainerNet {
            name: "main".into(),
            image: image.into(),
        }],
        slot,
    }
}

#[allow(clippy::too_many_arguments)]
fn service(
    namespace: &str,
    name: &str,
    port_name: &str,
    protocol: Protocol,
    cluster_ip: [u8; 4],
    port: u16,
    node_port: Option<u16>,
    endpoints: &[([u8; 4], u16)],
) -> ServicePort {
    ServicePort {
        namespace: namespace.into(),
        name: name.into(),
        port_name: port_name.into(),
        protocol,
        service_type: if node_port.is_some() {
            ServiceType::NodePort
        } else {
            ServiceType::ClusterIp
        },
        cluster_ip: Some(Ipv4::new(
            cluster_ip[0],
            cluster_ip[1],
            cluster_ip[2],
            cluster_ip[3],
        )),
        port,
        node_port,
        external_ips: Vec::new(),
        load_balancer_ips: Vec::new(),
        affinity_seconds: None,
        external_local: false,
        health_check_node_port: None,
        source_ranges: Vec::new(),
        endpoints: endpoints
            .iter()
            .map(|(ip, port)| Endpoint {
                ip: Ipv4::new(ip[0], ip[1], ip[2], ip[3]),
                port: *port,
                ready: true,
                node: None,
            })
            .collect(),
    }
}

pub fn fixture() -> Fixture {
    let nodes: Vec<NodeNet> = ["master", "worker1", "worker2"]
        .iter()
        .enumerate()
        .map(|(i, name)| NodeNet {
            name: (*name).into(),
            ip: Ipv4::new(192, 168, 56, 10 + i as u8),
            index: i as u32,
            block: crate::net::cni::node_block(Cni::Flannel, i as u32),
        })
        .collect();
    let coredns = "registry.k8s.io/coredns/coredns:v1.11.3";
    let http_go = "gasbugs/http-go:v1";
    let pods = vec![
        pod(
            "kube-system",
            "coredns-668d6bf9bc-2bq7x",
            "master",
            [10, 244, 0, 2],
            coredns,
            0,
        ),
        pod(
            "kube-system",
            "coredns-668d6bf9bc-w8k5n",
            "master",
            [10, 244, 0, 3],
            coredns,
            1,
        ),
        // The reference's stand-in server answered `Welcome! pod-jenkins` on both endpoints.
        pod(
            "blue",
            "pod-jenkins",
            "worker1",
            [10, 244, 1, 5],
            http_go,
            0,
        ),
        pod(
            "default",
            "http-go-a",
            "worker1",
            [10, 244, 1, 6],
            http_go,
            1,
        ),
        pod("blue", "client", "worker1", [10, 244, 1, 10], "busybox", 2),
        pod(
            "green",
            "pod-jenkins",
            "worker2",
            [10, 244, 2, 7],
            http_go,
            0,
        ),
        pod(
            "default",
            "http-go-b",
            "worker2",
            [10, 244, 2, 8],
            http_go,
            1,
        ),
        pod(
            "default",
            "http-go-c",
            "worker2",
            [10, 244, 2, 9],
            http_go,
            2,
        ),
        pod("default", "redis", "worker2", [10, 244, 2, 11], "redis", 3),
    ];
    let tcp = Protocol::Tcp;
    let dns_eps = |port| [([10, 244, 0, 2], port), ([10, 244, 0, 3], port)];
    let services = vec![
        service(
            "default",
            "kubernetes",
            "https",
            tcp,
            [10, 96, 0, 1],
            443,
            None,
            &[([192, 168, 56, 10], 6443)],
        ),
        service(
            "kube-system",
            "kube-dns",
            "dns",
            Protocol::Udp,
            [10, 96, 0, 10],
            53,
            None,
            &dns_eps(53),
        ),
        service(
            "kube-system",
            "kube-dns",
            "dns-tcp",
            tcp,
            [10, 96, 0, 10],
            53,
            None,
            &dns_eps(53),
        ),
        service(
            "kube-system",
            "kube-dns",
            "metrics",
            tcp,
            [10, 96, 0, 10],
            9153,
            None,
            &dns_eps(9153),
        ),
        service(
            "blue",
            "srv-jenkins",
            "",
            tcp,
            [10, 107, 20, 30],
            8080,
            None,
            &[([10, 244, 1, 5], 8080), ([10, 244, 2, 7], 8080)],
        ),
        service(
            "default",
            "http-go-svc",
            "80-8080",
            tcp,
            [10, 100, 50, 60],
            80,
            Some(30080),
            &[
                ([10, 244, 1, 6], 8080),
                ([10, 244, 2, 8], 8080),
                ([10, 244, 2, 9], 8080),
            ],
        ),
        service(
            "default",
            "empty-svc",
            "",
            tcp,
            [10, 111, 1, 1],
            80,
            None,
            &[],
        ),
        // A Service whose targetPort is wrong: the pod listens on 8080, not 9999.
        service(
            "default",
            "wrong-port",
            "",
            tcp,
            [10, 99, 9, 9],
            80,
            None,
            &[([10, 244, 1, 6], 9999)],
        ),
    ];
    let rules = sync_rules(
        &services,
        &ProxyConfig {
            cluster_cidr: Cidr::parse("10.244.0.0/16"),
            ..ProxyConfig::default()
        },
    );
    let mut dns = Directory::default();
    for svc in &services {
        if let Some(existing) = dns
            .services
            .iter_mut()
            .find(|s| s.namespace == svc.namespace && s.name == svc.name)
        {
            existing
                .ports
                .push((svc.port_name.clone(), svc.protocol, svc.port));
            continue;
        }
        dns.services.push(DnsService {
            namespace: svc.namespace.clone(),
            name: svc.name.clone(),
            cluster_ip: svc.cluster_ip,
            external_name: None,
            ports: vec![(svc.port_name.clone(), svc.protocol, svc.port)],
            endpoints: svc
                .endpoints
                .iter()
                .map(|ep| DnsEndpoint {
                    ip: ep.ip,
                    hostname: None,
                    ready: ep.ready,
                })
                .collect(),
        });
    }
    Fixture {
        nodes,
        pods,
        rules,
        dns,
    }
}

pub const FLANNEL: Cni = Cni::Flannel;
