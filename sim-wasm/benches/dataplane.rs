//! Issue 4's performance budget, measured without a bench framework (no extra
//! dependencies): 1,000 Services × 10 endpoints on 3 nodes — full kube-proxy rule
//! regeneration, the `iptables-save` text, and one `curl` with its trace. Prints medians.
//!
//! Benches may read the wall clock; the simulator itself never does (clippy.toml).
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use sim_wasm::net::addr::{Cidr, Ipv4, Protocol};
use sim_wasm::net::clients::{self, ClientContext};
use sim_wasm::net::cni::{Cni, NodeNet};
use sim_wasm::net::dataplane::{ContainerNet, Network, PodNet, Source};
use sim_wasm::net::dns::{Directory, DnsEndpoint, DnsService};
use sim_wasm::net::iptables;
use sim_wasm::net::kube_proxy::{Endpoint, ProxyConfig, ServicePort, ServiceType, sync_rules};
use sim_wasm::rand::Rng;

const SERVICES: usize = 1000;
const ENDPOINTS: usize = 10;
const PODS_PER_NODE: usize = 200;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// This process's user+system CPU time (Linux `/proc/self/stat`, 10 ms ticks): on a shared
/// machine wall-clock medians include other processes' time slices, CPU time does not.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

/// (median wall time, mean CPU time) over `runs` runs.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Option<Duration>) {
    let cpu_start = cpu_time();
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    let cpu = match (cpu_start, cpu_time()) {
        (Some(a), Some(b)) => Some((b - a) / runs as u32),
        _ => None,
    };
    (median(samples), cpu)
}

fn report(label: &str, (wall, cpu): (Duration, Option<Duration>), unit: &str, budget: &str) {
    let scale = if unit == "ms" { 1e3 } else { 1e6 };
    let cpu = cpu.map_or("?".to_owned(), |c| {
        format!("{:.3}", c.as_secs_f64() * scale)
    });
    println!(
        "{label:<38} median wall {:>9.3} {unit}   mean CPU {cpu:>9} {unit}   (budget {budget})",
        wall.as_secs_f64() * scale
    );
}

fn main() {
    let nodes: Vec<NodeNet> = (0..3)
        .map(|i| NodeNet {
            name: ["master", "worker1", "worker2"][i].to_owned(),
            ip: Ipv4::new(192, 168, 56, 10 + i as u8),
            index: i as u32,
            block: sim_wasm::net::cni::node_block(Cni::Flannel, i as u32),
        })
        .collect();
    let pods: Vec<PodNet> = (0..3 * PODS_PER_NODE)
        .map(|i| {
            let node = i % 3;
            let slot = i / 3;
            PodNet {
                namespace: "bench".to_owned(),
                name: format!("web-{i}"),
                node: nodes[node].name.clone(),
                ip: Some(Ipv4::new(10, 244, node as u8, 2 + slot as u8)),
                host_network: false,
                running: true,
                containers: vec![ContainerNet {
                    name: "web".to_owned(),
                    image: "gasbugs/http-go:v1".to_owned(),
                }],
                slot: slot as u32,
            }
        })
        .collect();
    let services: Vec<ServicePort> = (0..SERVICES)
        .map(|s| ServicePort {
            namespace: "bench".to_owned(),
            name: format!("svc-{s}"),
            port_name: String::new(),
            protocol: Protocol::Tcp,
            service_type: ServiceType::ClusterIp,
            cluster_ip: Some(Ipv4::new(10, 100, (s / 250) as u8, (s % 250) as u8 + 1)),
            port: 80,
            node_port: None,
            external_ips: Vec::new(),
            load_balancer_ips: Vec::new(),
            affinity_seconds: None,
            external_local: false,
            health_check_node_port: None,
            source_ranges: Vec::new(),
            endpoints: (0..ENDPOINTS)
                .map(|e| {
                    let pod = &pods[(s * 7 + e * 61) % pods.len()];
                    Endpoint {
                        ip: pod.ip.unwrap_or(Ipv4(0)),
                        port: 8080,
                        ready: true,
                        node: Some(pod.node.clone()),
                    }
                })
                .collect(),
        })
        .collect();
    let config = ProxyConfig {
        cluster_cidr: Cidr::parse("10.244.0.0/16"),
        ..ProxyConfig::default()
    };

    let regen = time(41, || sync_rules(&services, &config));
    let rules = sync_rules(&services, &config);
    let rule_count: usize = rules
        .tables
        .values()
        .flat_map(|t| t.chains.values())
        .map(|c| c.rules.len())
        .sum();
    let save = time(41, || iptables::save(&rules, "Thu Nov 26 09:00:00 2026"));
    let text = iptables::save(&rules, "Thu Nov 26 09:00:00 2026");

    let dns = Directory {
        services: services
            .iter()
            .map(|s| DnsService {
                namespace: s.namespace.clone(),
                name: s.name.clone(),
                cluster_ip: s.cluster_ip,
                external_name: None,
                ports: vec![(String::new(), Protocol::Tcp, 80)],
                endpoints: s
                    .endpoints
                    .iter()
                    .map(|e| DnsEndpoint {
                        ip: e.ip,
                        hostname: None,
                        ready: true,
                    })
                    .collect(),
            })
            .collect(),
    };
    let net = Network {
        cni: Cni::Flannel,
        nodes: &nodes,
        pods: &pods,
        rules: &rules,
        dns: &dns,
        policy: None,
        forwards: &[],
        node_rules: &[],
        announced: &[],
    };
    let ctx = ClientContext {
        net: &net,
        source: Source::Pod {
            namespace: "bench".to_owned(),
            name: "web-0".to_owned(),
        },
        tty: true,
        now_unix: 1_795_683_600,
    };
    let argv: Vec<String> = ["curl", "-s", "svc-999:80"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut rng = Rng::new(1);
    let probe = clients::curl(
        &ctx,
        &mut rng,
        sim_wasm::net::apps::CurlFlavor::Bookworm,
        &argv,
    );
    assert!(probe.stdout.starts_with("Welcome! web-"), "{probe:?}");
    let curl = time(20001, || {
        clients::curl(
            &ctx,
            &mut rng,
            sim_wasm::net::apps::CurlFlavor::Bookworm,
            &argv,
        )
    });

    println!(
        "{SERVICES} services x {ENDPOINTS} endpoints, 3 nodes: {rule_count} rules, {} bytes of iptables-save",
        text.len()
    );
    report("full rule regeneration (sync_rules)", regen, "ms", "20 ms");
    report("iptables-save text", save, "ms", "30 ms");
    report("one curl with trace (svc-999)", curl, "µs", "50 µs");
}
