//! kube-proxy 1.32 in iptables mode: from Services and their endpoints to the nat and
//! filter rules `syncProxyRules` (pkg/proxy/iptables/proxier.go) writes, plus the jump
//! rules and canary chains kubelet and kube-proxy keep on every node (fidelity.md §1).
//!
//! Input is plain data ([`ServicePort`]); this module does not know the API objects, the
//! store or the dataplane. Services are emitted in the order given: real kube-proxy iterates
//! a Go map (random order per sync), and the world passes creation order, which is what the
//! reference dump in fidelity.md §1.5 shows.

use crate::net::addr::{Cidr, Ipv4, Port, Protocol, join_host_port};
use crate::net::hash::chain_suffix;
use crate::net::iptables::{
    AddrMatch, ChainName, Match, RecentMode, Rule, Ruleset, TableKind, Target,
};

/// The Service `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceType {
    ClusterIp,
    NodePort,
    LoadBalancer,
    ExternalName,
}

/// One endpoint of a service port (an EndpointSlice entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub ip: Ipv4,
    pub port: Port,
    pub ready: bool,
    /// The node the endpoint's pod runs on (for `externalTrafficPolicy: Local`; kept for
    /// traces).
    pub node: Option<String>,
}

/// One port of one Service, with its endpoints: the unit kube-proxy programs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    pub namespace: String,
    pub name: String,
    /// `spec.ports[].name`; empty for an unnamed single port.
    pub port_name: String,
    pub protocol: Protocol,
    pub service_type: ServiceType,
    /// `None` for headless services (`clusterIP: None`), which get no rules.
    pub cluster_ip: Option<Ipv4>,
    pub port: Port,
    pub node_port: Option<Port>,
    pub external_ips: Vec<Ipv4>,
    pub load_balancer_ips: Vec<Ipv4>,
    /// `sessionAffinity: ClientIP` timeout in seconds.
    pub affinity_seconds: Option<u32>,
    /// `externalTrafficPolicy: Local`: external traffic only to this node's endpoints.
    pub external_local: bool,
    /// `spec.healthCheckNodePort` (LoadBalancer with Local policy).
    pub health_check_node_port: Option<Port>,
    /// `spec.loadBalancerSourceRanges`.
    pub source_ranges: Vec<Cidr>,
    pub endpoints: Vec<Endpoint>,
}

impl ServicePort {
    /// `ns/name` or `ns/name:port`: kube-proxy's `ServicePortName.String()`.
    pub fn port_name_string(&self) -> String {
        if self.port_name.is_empty() {
            format!("{}/{}", self.namespace, self.name)
        } else {
            format!("{}/{}:{}", self.namespace, self.name, self.port_name)
        }
    }

    /// Ready endpoints with their `ip:port` text, in kube-proxy's order:
    /// pkg/proxy/endpointslicecache.go sorts by that string, not numerically.
    fn ready_endpoints(&self) -> Vec<(&Endpoint, String)> {
        let mut ready: Vec<(&Endpoint, String)> = self
            .endpoints
            .iter()
            .filter(|ep| ep.ready)
            .map(|ep| (ep, join_host_port(ep.ip, ep.port)))
            .collect();
        crate::sort::sort_by(&mut ready, |a, b| a.1.cmp(&b.1));
        ready.dedup_by(|a, b| a.1 == b.1);
        ready
    }
}

/// How kube-proxy runs on the node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyConfig {
    /// kube-proxy's `clusterCIDR` (kubeadm's `--pod-network-cidr`): enables the
    /// `! -s CIDR -j KUBE-MARK-MASQ` rule in every KUBE-SVC chain.
    pub cluster_cidr: Option<Cidr>,
    /// Whether the nfacct counters exist (adds `-m nfacct` rules; fidelity.md §1.5 note a).
    pub nfacct: bool,
    /// `MASQUERADE --random-fully` (true on any modern iptables).
    pub random_fully: bool,
    /// kubelet and kube-proxy also keep canary chains and jump rules: include them so the
    /// dump looks like a node's, not like kube-proxy's restore input.
    pub node_chains: bool,
    /// The node kube-proxy runs on: endpoints there are "local" for `externalTrafficPolicy:
    /// Local`.
    pub node_name: Option<String>,
}

impl Default for ProxyConfig {
    fn default() -> ProxyConfig {
        ProxyConfig {
            cluster_cidr: None,
            nfacct: false,
            random_fully: true,
            node_chains: true,
            node_name: None,
        }
    }
}

/// The chain-name hash of proxier.go: `KUBE-SVC-` + base32(sha256(spn + proto))[:16].
pub fn service_chain_suffix(port_name: &str, protocol: Protocol) -> String {
    chain_suffix(&format!("{port_name}{}", protocol.lower()))
}

/// `KUBE-SEP-` + base32(sha256(spn + proto + "ip:port"))[:16].
pub fn endpoint_chain(port_name: &str, protocol: Protocol, endpoint: &str) -> String {
    let mut buffers = (String::new(), String::new());
    endpoint_chain_with(&mut buffers, port_name, protocol, endpoint).to_string()
}

/// [`endpoint_chain`] reusing `(input, name)` as scratch buffers (one pair per service, not
/// two allocations per endpoint), straight into a shared [`ChainName`].
fn endpoint_chain_with(
    (input, name): &mut (String, String),
    port_name: &str,
    protocol: Protocol,
    endpoint: &str,
) -> ChainName {
    input.clear();
    input.push_str(port_name);
    input.push_str(protocol.lower());
    input.push_str(endpoint);
    name.clear();
    name.push_str("KUBE-SEP-");
    crate::net::hash::push_chain_suffix(name, input);
    ChainName::from(name.as_str())
}

/// The fixed-point probability of `1/(remaining)` as kube-proxy prints it (`%0.10f`) and
/// iptables reads it back. Endpoint counts repeat across services, so the text is formatted
/// once per count.
fn probability_for(remaining: usize, cache: &mut Vec<u32>) -> u32 {
    if cache.len() <= remaining {
        let start = cache.len();
        cache.extend((start..=remaining).map(|n| {
            let printed = format!("{:.10}", 1.0 / n.max(1) as f64);
            Match::probability_fixed(printed.parse::<f64>().unwrap_or(0.0))
        }));
    }
    cache.get(remaining).copied().unwrap_or(0)
}

/// Above this many endpoints in total, kube-proxy drops per-endpoint comments
/// (`largeClusterEndpointsThreshold`).
const LARGE_CLUSTER_ENDPOINTS: usize = 1000;

const MASQ_MARK: u32 = 0x4000;

fn comment(text: impl Into<String>) -> Match {
    Match::Comment(text.into())
}

fn ports(protocol: Protocol, dport: Option<Port>) -> Match {
    Match::Ports {
        protocol,
        sport: None,
        dport,
    }
}

fn jump(chain: &str) -> Option<Target> {
    Some(Target::Jump(ChainName::from(chain)))
}

fn jump_to(chain: &ChainName) -> Option<Target> {
    Some(Target::Jump(chain.clone()))
}

fn host(ip: Ipv4) -> Option<AddrMatch> {
    Some(AddrMatch {
        negated: false,
        cidr: Cidr::new(ip, 32),
    })
}

fn tcp_like(protocol: Protocol) -> Option<(bool, Protocol)> {
    Some((false, protocol))
}

fn ctstate(states: &str) -> Match {
    Match::Conntrack {
        negated: false,
        states: states.to_owned(),
    }
}

/// Every rule kube-proxy (and kubelet's canaries) keep on one node for these services.
pub fn sync_rules(services: &[ServicePort], config: &ProxyConfig) -> Ruleset {
    let mut ruleset = Ruleset::default();
    let total_endpoints: usize = services
        .iter()
        .map(|s| s.endpoints.iter().filter(|ep| ep.ready).count())
        .sum();
    let large_cluster = total_endpoints > LARGE_CLUSTER_ENDPOINTS;

    if config.node_chains {
        let mangle = ruleset.table_mut(TableKind::Mangle);
        for chain in [
            "KUBE-IPTABLES-HINT",
            "KUBE-KUBELET-CANARY",
            "KUBE-PROXY-CANARY",
        ] {
            mangle.chain_mut(chain);
        }
    }
    write_filter_base(&mut ruleset, config);
    write_nat_base(&mut ruleset, config);

    let mut shared = SharedNames {
        mark_masq: ChainName::from("KUBE-MARK-MASQ"),
        probabilities: Vec::new(),
    };
    for service in services {
        write_service(&mut ruleset, service, config, large_cluster, &mut shared);
    }

    let nat = ruleset.table_mut(TableKind::Nat);
    nat.append(
        "KUBE-SERVICES",
        Rule {
            matches: vec![
                comment(
                    "kubernetes service nodeports; NOTE: this must be the last rule in this chain",
                ),
                Match::AddrType {
                    src_type: None,
                    dst_type: Some("LOCAL".to_owned()),
                },
            ],
            target: jump("KUBE-NODEPORTS"),
            ..Rule::default()
        },
    );
    let filter = ruleset.table_mut(TableKind::Filter);
    filter.append(
        "KUBE-FORWARD",
        Rule {
            matches: if config.nfacct {
                vec![
                    ctstate("INVALID"),
                    Match::Nfacct("ct_state_invalid_dropped_pkts".to_owned()),
                ]
            } else {
                vec![ctstate("INVALID")]
            },
            target: jump("DROP"),
            ..Rule::default()
        },
    );
    filter.append(
        "KUBE-FORWARD",
        Rule {
            matches: vec![
                comment("kubernetes forwarding rules"),
                Match::Mark {
                    negated: false,
                    value: MASQ_MARK,
                    mask: MASQ_MARK,
                },
            ],
            target: jump("ACCEPT"),
            ..Rule::default()
        },
    );
    filter.append(
        "KUBE-FORWARD",
        Rule {
            matches: vec![
                comment("kubernetes forwarding conntrack rule"),
                ctstate("RELATED,ESTABLISHED"),
            ],
            target: jump("ACCEPT"),
            ..Rule::default()
        },
    );
    ruleset
}

fn write_filter_base(ruleset: &mut Ruleset, config: &ProxyConfig) {
    let filter = ruleset.table_mut(TableKind::Filter);
    for chain in [
        "KUBE-SERVICES",
        "KUBE-EXTERNAL-SERVICES",
        "KUBE-FORWARD",
        "KUBE-NODEPORTS",
        "KUBE-PROXY-FIREWALL",
        "KUBE-FIREWALL",
    ] {
        filter.chain_mut(chain);
    }
    if config.node_chains {
        filter.chain_mut("KUBE-KUBELET-CANARY");
        filter.chain_mut("KUBE-PROXY-CANARY");
        // The jump rules are inserted with `iptables -I` in proxier.go's iptablesJumpChains
        // order; this is the resulting order a real node shows (fidelity.md §1.5).
        let new_jump = |text: &str, chain: &str| Rule {
            matches: vec![ctstate("NEW"), comment(text)],
            target: jump(chain),
            ..Rule::default()
        };
        let plain_jump = |text: &str, chain: &str| Rule {
            matches: vec![comment(text)],
            target: jump(chain),
            ..Rule::default()
        };
        let firewall = "kubernetes load balancer firewall";
        let external = "kubernetes externally-visible service portals";
        let portals = "kubernetes service portals";
        filter.append("INPUT", new_jump(firewall, "KUBE-PROXY-FIREWALL"));
        filter.append(
            "INPUT",
            plain_jump("kubernetes health check service ports", "KUBE-NODEPORTS"),
        );
        filter.append("INPUT", new_jump(external, "KUBE-EXTERNAL-SERVICES"));
        filter.append(
            "INPUT",
            Rule {
                target: jump("KUBE-FIREWALL"),
                ..Rule::default()
            },
        );
        filter.append("FORWARD", new_jump(firewall, "KUBE-PROXY-FIREWALL"));
        filter.append(
            "FORWARD",
            plain_jump("kubernetes forwarding rules", "KUBE-FORWARD"),
        );
        filter.append("FORWARD", new_jump(portals, "KUBE-SERVICES"));
        filter.append("FORWARD", new_jump(external, "KUBE-EXTERNAL-SERVICES"));
        filter.append("OUTPUT", new_jump(firewall, "KUBE-PROXY-FIREWALL"));
        filter.append("OUTPUT", new_jump(portals, "KUBE-SERVICES"));
        filter.append(
            "OUTPUT",
            Rule {
                target: jump("KUBE-FIREWALL"),
                ..Rule::default()
            },
        );
    }
    let loopback = Cidr::new(Ipv4::new(127, 0, 0, 0), 8);
    filter.append(
        "KUBE-FIREWALL",
        Rule {
            source: Some(AddrMatch {
                negated: true,
                cidr: loopback,
            }),
            destination: Some(AddrMatch {
                negated: false,
                cidr: loopback,
            }),
            matches: vec![
                comment("block incoming localnet connections"),
                Match::Conntrack {
                    negated: true,
                    states: "RELATED,ESTABLISHED,DNAT".to_owned(),
                },
            ],
            target: jump("DROP"),
            ..Rule::default()
        },
    );
}

fn write_nat_base(ruleset: &mut Ruleset, config: &ProxyConfig) {
    let nat = ruleset.table_mut(TableKind::Nat);
    for chain in [
        "KUBE-SERVICES",
        "KUBE-NODEPORTS",
        "KUBE-POSTROUTING",
        "KUBE-MARK-MASQ",
    ] {
        nat.chain_mut(chain);
    }
    if config.node_chains {
        nat.chain_mut("KUBE-KUBELET-CANARY");
        nat.chain_mut("KUBE-PROXY-CANARY");
        for builtin in ["PREROUTING", "OUTPUT"] {
            nat.append(
                builtin,
                Rule {
                    matches: vec![comment("kubernetes service portals")],
                    target: jump("KUBE-SERVICES"),
                    ..Rule::default()
                },
            );
        }
        nat.append(
            "POSTROUTING",
            Rule {
                matches: vec![comment("kubernetes postrouting rules")],
                target: jump("KUBE-POSTROUTING"),
                ..Rule::default()
            },
        );
    }
    nat.append(
        "KUBE-POSTROUTING",
        Rule {
            matches: vec![Match::Mark {
                negated: true,
                value: MASQ_MARK,
                mask: MASQ_MARK,
            }],
            target: jump("RETURN"),
            ..Rule::default()
        },
    );
    nat.append(
        "KUBE-POSTROUTING",
        Rule {
            target: Some(Target::Mark {
                value: MASQ_MARK,
                mask: 0,
            }),
            ..Rule::default()
        },
    );
    nat.append(
        "KUBE-POSTROUTING",
        Rule {
            matches: vec![comment("kubernetes service traffic requiring SNAT")],
            target: Some(Target::Masquerade {
                random_fully: config.random_fully,
            }),
            ..Rule::default()
        },
    );
    nat.append(
        "KUBE-MARK-MASQ",
        Rule {
            target: Some(Target::Mark {
                value: MASQ_MARK,
                mask: MASQ_MARK,
            }),
            ..Rule::default()
        },
    );
}

fn reject() -> Option<Target> {
    Some(Target::Reject {
        with: "icmp-port-unreachable".to_owned(),
    })
}

/// What every service's rules share, made once per sync: the KUBE-MARK-MASQ name and the
/// printed probabilities.
struct SharedNames {
    mark_masq: ChainName,
    probabilities: Vec<u32>,
}

fn has_external_ports(service: &ServicePort) -> bool {
    service.node_port.is_some()
        || !service.external_ips.is_empty()
        || !service.load_balancer_ips.is_empty()
}

fn write_service(
    ruleset: &mut Ruleset,
    service: &ServicePort,
    config: &ProxyConfig,
    large_cluster: bool,
    shared: &mut SharedNames,
) {
    if service.service_type == ServiceType::ExternalName {
        return;
    }
    let Some(cluster_ip) = service.cluster_ip else {
        return;
    };
    let spn = service.port_name_string();
    let protocol = service.protocol;
    let suffix = service_chain_suffix(&spn, protocol);
    let svc_chain = ChainName::from(format!("KUBE-SVC-{suffix}"));
    // Only services reachable from outside (NodePort, externalIPs, LB) have a KUBE-EXT chain.
    let ext_chain = ChainName::from(if has_external_ports(service) {
        format!("KUBE-EXT-{suffix}")
    } else {
        String::new()
    });
    let endpoints = service.ready_endpoints();
    let has_endpoints = !endpoints.is_empty();
    let has_external = service.node_port.is_some()
        || !service.external_ips.is_empty()
        || !service.load_balancer_ips.is_empty();

    let service_rule = |text: String, destination: Ipv4, target: Option<Target>| Rule {
        destination: host(destination),
        protocol: tcp_like(protocol),
        matches: vec![comment(text), ports(protocol, Some(service.port))],
        target,
        ..Rule::default()
    };

    // 1. The cluster IP.
    if has_endpoints {
        ruleset.table_mut(TableKind::Nat).append(
            "KUBE-SERVICES",
            service_rule(format!("{spn} cluster IP"), cluster_ip, jump_to(&svc_chain)),
        );
    } else {
        ruleset.table_mut(TableKind::Filter).append(
            "KUBE-SERVICES",
            service_rule(format!("{spn} has no endpoints"), cluster_ip, reject()),
        );
    }
    // With `externalTrafficPolicy: Local` only this node's endpoints serve outside traffic.
    let is_local: Vec<bool> = endpoints
        .iter()
        .map(|(ep, _)| ep.node.is_some() && ep.node == config.node_name)
        .collect();
    let has_external_endpoints = if service.external_local {
        is_local.contains(&true)
    } else {
        has_endpoints
    };
    let (filter_comment, filter_target) = if has_endpoints {
        (
            format!("{spn} has no local endpoints"),
            Some(Target::Jump(ChainName::from("DROP"))),
        )
    } else {
        (format!("{spn} has no endpoints"), reject())
    };
    let uses_fw_chain = !service.source_ranges.is_empty() && !service.load_balancer_ips.is_empty();
    let fw_chain = ChainName::from(format!("KUBE-FW-{suffix}"));
    // 2. External IPs (proxier.go writes each IP's nat jump and, without endpoints for outside
    // traffic, its filter REJECT/DROP).
    for ip in &service.external_ips {
        if has_endpoints {
            ruleset.table_mut(TableKind::Nat).append(
                "KUBE-SERVICES",
                service_rule(format!("{spn} external IP"), *ip, jump_to(&ext_chain)),
            );
        }
        if !has_external_endpoints {
            ruleset.table_mut(TableKind::Filter).append(
                "KUBE-EXTERNAL-SERVICES",
                service_rule(filter_comment.clone(), *ip, filter_target.clone()),
            );
        }
    }
    // Load-balancer IPs, through KUBE-FW when source ranges restrict them.
    for ip in &service.load_balancer_ips {
        if has_endpoints {
            let target = if uses_fw_chain { &fw_chain } else { &ext_chain };
            ruleset.table_mut(TableKind::Nat).append(
                "KUBE-SERVICES",
                service_rule(format!("{spn} loadbalancer IP"), *ip, jump_to(target)),
            );
        }
        if uses_fw_chain {
            ruleset.table_mut(TableKind::Filter).append(
                "KUBE-PROXY-FIREWALL",
                service_rule(
                    format!("{spn} traffic not accepted by {fw_chain}"),
                    *ip,
                    jump("DROP"),
                ),
            );
        }
    }
    if !has_external_endpoints {
        for ip in &service.load_balancer_ips {
            ruleset.table_mut(TableKind::Filter).append(
                "KUBE-EXTERNAL-SERVICES",
                service_rule(filter_comment.clone(), *ip, filter_target.clone()),
            );
        }
    }
    // 3. The node port.
    if let Some(node_port) = service.node_port {
        if has_endpoints {
            let nat = ruleset.table_mut(TableKind::Nat);
            if config.nfacct {
                nat.append(
                    "KUBE-NODEPORTS",
                    Rule {
                        destination: Some(AddrMatch {
                            negated: false,
                            cidr: Cidr::new(Ipv4::new(127, 0, 0, 0), 8),
                        }),
                        protocol: tcp_like(protocol),
                        matches: vec![
                            comment(spn.clone()),
                            ports(protocol, Some(node_port)),
                            Match::Nfacct("localhost_nps_accepted_pkts".to_owned()),
                        ],
                        target: jump_to(&ext_chain),
                        ..Rule::default()
                    },
                );
            }
            nat.append(
                "KUBE-NODEPORTS",
                Rule {
                    protocol: tcp_like(protocol),
                    matches: vec![comment(spn.clone()), ports(protocol, Some(node_port))],
                    target: jump_to(&ext_chain),
                    ..Rule::default()
                },
            );
        }
        if !has_external_endpoints {
            ruleset.table_mut(TableKind::Filter).append(
                "KUBE-EXTERNAL-SERVICES",
                Rule {
                    protocol: tcp_like(protocol),
                    matches: vec![
                        comment(filter_comment.clone()),
                        Match::AddrType {
                            src_type: None,
                            dst_type: Some("LOCAL".to_owned()),
                        },
                        ports(protocol, Some(node_port)),
                    ],
                    target: filter_target.clone(),
                    ..Rule::default()
                },
            );
        }
    }
    if let Some(health_port) = service.health_check_node_port {
        ruleset.table_mut(TableKind::Filter).append(
            "KUBE-NODEPORTS",
            Rule {
                protocol: tcp_like(protocol),
                matches: vec![
                    comment(format!("{spn} health check node port")),
                    ports(protocol, Some(health_port)),
                ],
                target: jump("ACCEPT"),
                ..Rule::default()
            },
        );
    }
    if !has_endpoints {
        return;
    }

    // Steps 4–7 build this service's chains locally and insert each once: appending rule by
    // rule would look the chain up in the table for every rule.
    let mut svc_rules = Vec::with_capacity(endpoints.len() * 2 + 1);
    // 4. Masquerade traffic to the cluster IP that does not come from a pod.
    if let Some(cidr) = config.cluster_cidr {
        svc_rules.push(Rule {
            source: Some(AddrMatch {
                negated: true,
                cidr,
            }),
            ..service_rule(
                format!("{spn} cluster IP"),
                cluster_ip,
                jump_to(&shared.mark_masq),
            )
        });
    }
    let nat = ruleset.table_mut(TableKind::Nat);
    // 5. External traffic: Cluster policy masquerades (the endpoint may be on another node);
    // Local policy keeps the client address and only sends node-local traffic everywhere.
    if has_external {
        let mut ext_rules = Vec::with_capacity(4);
        let comment_rule = |text: String, target: &ChainName| Rule {
            matches: vec![comment(text)],
            target: jump_to(target),
            ..Rule::default()
        };
        let src_local = || Match::AddrType {
            src_type: Some("LOCAL".to_owned()),
            dst_type: None,
        };
        if service.external_local {
            if let Some(cidr) = config.cluster_cidr {
                ext_rules.push(Rule {
                    source: Some(AddrMatch {
                        negated: false,
                        cidr,
                    }),
                    ..comment_rule(
                        format!("pod traffic for {spn} external destinations"),
                        &svc_chain,
                    )
                });
            }
            ext_rules.push(Rule {
                matches: vec![
                    comment(format!(
                        "masquerade LOCAL traffic for {spn} external destinations"
                    )),
                    src_local(),
                ],
                target: jump_to(&shared.mark_masq),
                ..Rule::default()
            });
            ext_rules.push(Rule {
                matches: vec![
                    comment(format!(
                        "route LOCAL traffic for {spn} external destinations"
                    )),
                    src_local(),
                ],
                target: jump_to(&svc_chain),
                ..Rule::default()
            });
        } else {
            ext_rules.push(comment_rule(
                format!("masquerade traffic for {spn} external destinations"),
                &shared.mark_masq,
            ));
        }
        if has_external_endpoints {
            let policy_chain = if service.external_local {
                ChainName::from(format!("KUBE-SVL-{suffix}"))
            } else {
                svc_chain.clone()
            };
            ext_rules.push(Rule {
                target: jump_to(&policy_chain),
                ..Rule::default()
            });
        }
        nat.insert_chain(ext_chain.clone(), ext_rules);
    }
    if uses_fw_chain {
        let mut fw_rules: Vec<Rule> = service
            .source_ranges
            .iter()
            .map(|cidr| Rule {
                source: Some(AddrMatch {
                    negated: false,
                    cidr: *cidr,
                }),
                matches: vec![comment(format!("{spn} loadbalancer IP"))],
                target: jump_to(&ext_chain),
                ..Rule::default()
            })
            .collect();
        fw_rules.push(Rule {
            matches: vec![comment(format!(
                "other traffic to {spn} will be dropped by KUBE-PROXY-FIREWALL"
            ))],
            ..Rule::default()
        });
        nat.insert_chain(fw_chain.clone(), fw_rules);
    }
    // 6. Load balancing across the ready endpoints.
    let mut hash_buffers = (
        String::with_capacity(spn.len() + 32),
        String::with_capacity(25),
    );
    let (endpoints, endpoint_texts): (Vec<&Endpoint>, Vec<String>) = endpoints.into_iter().unzip();
    let sep_chains: Vec<ChainName> = endpoint_texts
        .iter()
        .map(|text| endpoint_chain_with(&mut hash_buffers, &spn, protocol, text))
        .collect();
    let endpoint_comment = |text: &str| {
        if large_cluster {
            Vec::new()
        } else {
            vec![comment(format!("{spn} -> {text}"))]
        }
    };
    if let Some(seconds) = service.affinity_seconds {
        for (text, sep) in endpoint_texts.iter().zip(&sep_chains) {
            let mut matches = endpoint_comment(text);
            matches.push(Match::Recent {
                mode: RecentMode::Rcheck,
                seconds: Some(seconds),
                reap: true,
                name: sep.to_string(),
            });
            svc_rules.push(Rule {
                matches,
                target: jump_to(sep),
                ..Rule::default()
            });
        }
    }
    let n = endpoints.len();
    for (idx, (text, sep)) in endpoint_texts.iter().zip(&sep_chains).enumerate() {
        let mut matches = endpoint_comment(text);
        if idx + 1 < n {
            // proxier.go formats with %0.10f; iptables parses that text back.
            matches.push(Match::Statistic {
                probability: probability_for(n - idx, &mut shared.probabilities),
            });
        }
        svc_rules.push(Rule {
            matches,
            target: jump_to(sep),
            ..Rule::default()
        });
    }
    nat.insert_chain(svc_chain.clone(), svc_rules);
    // Local policy with endpoints on this node: KUBE-SVL balances over those only.
    if service.external_local && has_external_endpoints {
        let local: Vec<(&String, &ChainName)> = endpoint_texts
            .iter()
            .zip(&sep_chains)
            .zip(&is_local)
            .filter(|(_, local)| **local)
            .map(|(pair, _)| pair)
            .collect();
        let n = local.len();
        let svl_rules = local
            .iter()
            .enumerate()
            .map(|(idx, (text, sep))| {
                let mut matches = endpoint_comment(text);
                if idx + 1 < n {
                    matches.push(Match::Statistic {
                        probability: probability_for(n - idx, &mut shared.probabilities),
                    });
                }
                Rule {
                    matches,
                    target: jump_to(sep),
                    ..Rule::default()
                }
            })
            .collect();
        nat.insert_chain(ChainName::from(format!("KUBE-SVL-{suffix}")), svl_rules);
    }
    // 7. One chain per endpoint: masquerade hairpin traffic, then DNAT.
    drop(endpoint_texts);
    for (endpoint, sep) in endpoints.iter().zip(sep_chains) {
        let spn_comment = || {
            if large_cluster {
                Vec::new()
            } else {
                vec![comment(spn.clone())]
            }
        };
        let mut matches = spn_comment();
        if service.affinity_seconds.is_some() {
            matches.push(Match::Recent {
                mode: RecentMode::Set,
                seconds: None,
                reap: false,
                name: sep.to_string(),
            });
        }
        matches.push(ports(protocol, None));
        nat.insert_chain(
            sep,
            vec![
                Rule {
                    source: host(endpoint.ip),
                    matches: spn_comment(),
                    target: jump_to(&shared.mark_masq),
                    ..Rule::default()
                },
                Rule {
                    protocol: tcp_like(protocol),
                    matches,
                    target: Some(Target::Dnat {
                        ip: endpoint.ip,
                        port: Some(endpoint.port),
                    }),
                    ..Rule::default()
                },
            ],
        );
    }
}

#[cfg(test)]
mod tests;
