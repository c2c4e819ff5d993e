//! One connection attempt through the simulated network: resolve the name (DNS steps),
//! walk the source node's netfilter tables through kube-proxy's rules (choosing an endpoint
//! with the seeded RNG per the `statistic` probabilities), route via the CNI (same node, or
//! across nodes through the plugin's tunnel), enter the destination pod's sandbox and ask
//! whether anything listens there. Every step lands in a [`Trace`].
//!
//! Input is a [`Network`] snapshot of plain values; this module knows neither the API
//! objects nor how output is printed (that is `net::clients`).

use crate::net::addr::{Cidr, Ipv4, Port, Protocol};
use crate::net::apps::{self, Listener};
use crate::net::cni::{self, Cni, NodeNet, PodIface};
use crate::net::dns::{Directory, ResolvConf, resolve_host};
use crate::net::iptables::{Match, RecentMode, Rule, Ruleset, TableKind, Target, rule_text};
use crate::net::trace::{Outcome, StepKind, Trace};
use crate::rand::Rng;

/// A container as the network sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerNet {
    pub name: String,
    pub image: String,
}

/// A pod as the network sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodNet {
    pub namespace: String,
    pub name: String,
    pub node: String,
    /// `status.podIP`; `None` while the sandbox is not up.
    pub ip: Option<Ipv4>,
    pub host_network: bool,
    /// All containers started (phase Running).
    pub running: bool,
    pub containers: Vec<ContainerNet>,
    /// Position among the pods on its node (interface indexes, veth numbering).
    pub slot: u32,
}

impl PodNet {
    pub fn iface(&self) -> Option<PodIface> {
        Some(PodIface {
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            ip: self.ip?,
            slot: self.slot,
        })
    }

    /// Every socket the pod's containers listen on (they share the sandbox's netns). A port
    /// belongs to the first container that binds it: a later one fails to start (see
    /// `apps::port_conflicts`), so it is listed once.
    pub fn listeners(&self) -> Vec<(String, Listener)> {
        let mut taken: Vec<(String, Listener)> = Vec::new();
        for c in &self.containers {
            for l in apps::lookup(&c.image).listeners {
                if !taken
                    .iter()
                    .any(|(_, t)| t.port == l.port && t.protocol == l.protocol)
                {
                    taken.push((c.name.clone(), l));
                }
            }
        }
        taken
    }
}

/// A local port `kubectl port-forward` listens on, on the node where kubectl runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forward {
    pub node: String,
    /// The listening address kubectl was given: `127.0.0.1`, `::1`, `0.0.0.0`, `::` or one
    /// of the node's own addresses.
    pub address: String,
    pub local: Port,
    pub namespace: String,
    pub pod: String,
    pub remote: Port,
    /// The background job (`kubectl port-forward ... &`) that listens, by PID; `None` in
    /// the foreground, where Ctrl+C ends it.
    pub job: Option<u32>,
}

/// The `Deliver` target of the hop through `kubectl port-forward`; the world counts these
/// steps to print kubectl's `Handling connection for PORT`.
pub const PORT_FORWARD: &str = "kubectl port-forward";

/// Decides whether NetworkPolicy lets `source_ip` (pod `source`, if any) reach `target` on
/// `port`. The world implements it from NetworkPolicy objects.
pub type PolicyCheck<'a> =
    &'a dyn Fn(Option<&PodNet>, Ipv4, &PodNet, Port, Option<Protocol>) -> bool;

/// Everything a connection can meet, as plain values.
pub struct Network<'a> {
    pub cni: Cni,
    pub nodes: &'a [NodeNet],
    pub pods: &'a [PodNet],
    /// kube-proxy's rules (the same on every node).
    pub rules: &'a Ruleset,
    pub dns: &'a Directory,
    /// `None` allows everything (no NetworkPolicy objects, or a plugin that ignores them).
    pub policy: Option<PolicyCheck<'a>>,
    /// The ports `kubectl port-forward` listens on.
    pub forwards: &'a [Forward],
    /// Per node, the rules kube-proxy wrote there when they differ from `rules`
    /// (`externalTrafficPolicy: Local`); a node not listed uses `rules`.
    pub node_rules: &'a [(String, Ruleset)],
    /// Load-balancer addresses a MetalLB speaker announces (answers ARP for), and the node.
    pub announced: &'a [(Ipv4, String)],
}

/// Where a connection starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A process in a pod (`kubectl exec`).
    Pod { namespace: String, name: String },
    /// A process on a node (the node shell).
    Node(String),
    /// A machine outside the cluster on the node network (the student's laptop).
    External,
}

/// The address of the outside client (the VirtualBox host-only adapter).
pub const EXTERNAL_CLIENT: Ipv4 = Ipv4::new(192, 168, 56, 1);

/// What happened to one connection attempt.
#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    pub trace: Trace,
    pub outcome: Outcome,
    /// The resolved address (after DNS, before DNAT).
    pub address: Option<Ipv4>,
    /// The DNS questions asked (each costs a round trip in the printed timings).
    pub dns_queries: usize,
    /// The process that accepted, and the pod (or node) it runs in.
    pub accepted_by: Option<Accepted>,
    /// Whether the server side sits on another node than the client.
    pub crossed_nodes: bool,
}

/// The accepting end of a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub listener: Listener,
    /// The pod's name (its hostname), or the node's.
    pub hostname: String,
    pub ip: Ipv4,
    pub port: Port,
}

/// Ports every node listens on (kubeadm control plane on master, kubelet everywhere).
pub fn node_listeners(is_control_plane: bool) -> Vec<(Port, &'static str)> {
    let mut ports = vec![(22, "sshd"), (10250, "kubelet"), (10256, "kube-proxy")];
    if is_control_plane {
        ports.extend([
            (6443, "kube-apiserver"),
            (2379, "etcd"),
            (2380, "etcd"),
            (10257, "kube-controller"),
            (10259, "kube-scheduler"),
        ]);
    }
    ports
}

struct Packet {
    src: Ipv4,
    dst: Ipv4,
    dport: Option<Port>,
    protocol: Option<Protocol>,
    mark: u32,
    local: Vec<Ipv4>,
}

enum Walk {
    Continue,
    Accept,
    Drop,
    Reject,
    Dnat(Ipv4, Port),
    Masquerade,
}

fn rule_matches(rule: &Rule, packet: &Packet, rng: &mut Rng) -> bool {
    let addr_ok = |m: &Option<crate::net::iptables::AddrMatch>, ip: Ipv4| {
        m.is_none_or(|m| m.cidr.contains(ip) != m.negated)
    };
    if !addr_ok(&rule.source, packet.src) || !addr_ok(&rule.destination, packet.dst) {
        return false;
    }
    if let Some((negated, protocol)) = rule.protocol
        && (packet.protocol == Some(protocol)) == negated
    {
        return false;
    }
    // No simulated packet crosses Docker's default bridge (pods use the CNI's devices), so a
    // `-i docker0`/`-o docker0` rule never matches and a `! -i docker0` one always does.
    // Other interface matches are not modelled and pass.
    let off_docker0 = |slot: &Option<(bool, String)>| {
        slot.as_ref()
            .is_none_or(|(negated, name)| name != "docker0" || *negated)
    };
    if !off_docker0(&rule.in_interface) || !off_docker0(&rule.out_interface) {
        return false;
    }
    let is_local = |ip: Ipv4| ip.is_loopback() || packet.local.contains(&ip);
    for m in &rule.matches {
        let ok = match m {
            Match::Comment(_) | Match::Nfacct(_) => true,
            Match::Ports {
                protocol, dport, ..
            } => {
                packet.protocol == Some(*protocol) && dport.is_none_or(|p| packet.dport == Some(p))
            }
            // The kernel draws only when evaluation reaches this match (xt_statistic).
            Match::Statistic { probability } => (rng.next_u32() & 0x7fff_ffff) < *probability,
            Match::AddrType { src_type, dst_type } => {
                src_type.as_ref().is_none_or(|_| is_local(packet.src))
                    && dst_type.as_ref().is_none_or(|_| is_local(packet.dst))
            }
            // Every traced packet opens a new connection.
            Match::Conntrack { negated, states } => {
                states.split(',').any(|s| s == "NEW") != *negated
            }
            Match::Mark {
                negated,
                value,
                mask,
            } => (packet.mark & mask == *value) != *negated,
            // No affinity state is kept between connections: `--rcheck` never hits.
            Match::Recent { mode, .. } => *mode == RecentMode::Set,
        };
        if !ok {
            return false;
        }
    }
    true
}

fn explain(table: TableKind, chain: &str, rule: &Rule, packet: &Packet) -> String {
    let comment = rule.comment().unwrap_or("");
    match &rule.target {
        Some(Target::Jump(name)) if &**name == "KUBE-SERVICES" && table == TableKind::Nat => format!(
            "{} 테이블 {chain} 체인에서 kube-proxy의 KUBE-SERVICES 체인으로 넘어가 서비스 IP와 포트를 비교합니다.",
            table.name()
        ),
        Some(Target::Jump(name)) if name.starts_with("KUBE-SVC-") && chain == "KUBE-SERVICES" => {
            format!(
                "목적지 {}:{}가 '{comment}'와 일치해 서비스 체인 {name}(으)로 갑니다.",
                packet.dst,
                packet.dport.unwrap_or(0)
            )
        }
        Some(Target::Jump(name)) if name.starts_with("KUBE-SEP-") => {
            let probability = rule.matches.iter().find_map(|m| match m {
                Match::Statistic { probability } => Some(Match::probability_value(*probability)),
                _ => None,
            });
            match probability {
                Some(p) => format!(
                    "확률 {p:.2}의 statistic 규칙이 당첨되어 엔드포인트 체인 {name}이(가) 선택됐습니다 ({comment})."
                ),
                None => format!(
                    "앞의 확률 규칙들이 모두 빗나가 마지막 엔드포인트 체인 {name}이(가) 선택됐습니다 ({comment})."
                ),
            }
        }
        Some(Target::Jump(name)) if &**name == "KUBE-PROXY-FIREWALL" => {
            "로드밸런서 방화벽 규칙(loadBalancerSourceRanges)을 확인합니다. 해당 규칙이 없으면 그냥 지나갑니다.".to_owned()
        }
        Some(Target::Jump(name)) if &**name == "KUBE-FORWARD" => {
            "kube-proxy의 포워딩 규칙: SNAT 표시(0x4000)가 있거나 이미 맺어진 연결이면 허용합니다.".to_owned()
        }
        Some(Target::Jump(name)) if &**name == "KUBE-EXTERNAL-SERVICES" => {
            "외부에 열린 서비스(NodePort, externalIPs) 중 엔드포인트가 없는 것을 거부하는 체인을 확인합니다.".to_owned()
        }
        Some(Target::Jump(name)) if &**name == "KUBE-FIREWALL" => {
            "127.0.0.0/8로 들어오는 외부 패킷을 막는 체인을 확인합니다.".to_owned()
        }
        Some(Target::Jump(name)) if &**name == "KUBE-POSTROUTING" => {
            "나가기 직전, SNAT(MASQUERADE) 표시가 있는 패킷인지 확인합니다.".to_owned()
        }
        Some(Target::Jump(name)) if &**name == "KUBE-SERVICES" && table == TableKind::Filter => {
            "filter 테이블의 KUBE-SERVICES: 엔드포인트가 없는 서비스로 가는 패킷을 REJECT하는 규칙들이 있습니다.".to_owned()
        }
        Some(Target::Jump(name)) if &**name == "KUBE-MARK-MASQ" => {
            "나중에 출발지 주소를 노드 IP로 바꾸도록(SNAT) 패킷에 0x4000 표시를 붙이라는 규칙입니다.".to_owned()
        }
        Some(Target::Jump(name)) if &**name == "KUBE-NODEPORTS" => {
            "목적지가 이 노드 자신의 주소라서 NodePort 규칙(KUBE-NODEPORTS)을 확인합니다.".to_owned()
        }
        Some(Target::Jump(name))
            if name.starts_with("KUBE-EXT-") && comment.ends_with("loadbalancer IP") =>
        {
            format!(
                "로드밸런서 IP 규칙 '{comment}'와 일치해 외부 트래픽용 체인 {name}(으)로 갑니다."
            )
        }
        Some(Target::Jump(name)) if name.starts_with("KUBE-EXT-") => format!(
            "NodePort '{comment}'와 일치해 외부 트래픽용 체인 {name}(으)로 갑니다."
        ),
        Some(Target::Jump(name)) if name.starts_with("KUBE-SVC-") => format!(
            "외부에서 들어온 트래픽을 서비스 체인 {name}(으)로 넘깁니다."
        ),
        Some(Target::Mark { .. }) => "패킷에 표시(mark)를 붙이거나 지웁니다.".to_owned(),
        Some(Target::Dnat { ip, port }) => format!(
            "목적지 주소를 {}에서 포드 주소 {}(으)로 바꿉니다(DNAT). 이것이 서비스가 포드로 연결되는 순간입니다.",
            packet.dst,
            Target::dnat_text(*ip, *port)
        ),
        Some(Target::Reject { .. }) => format!(
            "'{comment}': 준비된 엔드포인트가 없는 서비스라 kube-proxy가 넣어 둔 REJECT 규칙이 ICMP port-unreachable로 거부합니다."
        ),
        Some(Target::Masquerade { .. }) => {
            "0x4000 표시가 있어 출발지 주소를 노드의 주소로 바꿉니다(MASQUERADE).".to_owned()
        }
        Some(Target::Jump(name)) if &**name == "ACCEPT" => format!("{} 테이블 {chain} 체인에서 허용(ACCEPT)됐습니다.", table.name()),
        Some(Target::Jump(name)) if &**name == "DROP" => format!("{} 테이블 {chain} 체인에서 버려졌습니다(DROP).", table.name()),
        Some(Target::Jump(name)) if &**name == "RETURN" => format!("{chain} 체인에서 호출한 체인으로 돌아갑니다(RETURN)."),
        _ => format!("{} 테이블 {chain} 체인의 규칙이 일치했습니다.", table.name()),
    }
}

/// What a netfilter walk needs besides the packet: the rules, the node they are on, the
/// randomness for `statistic` matches and the trace to record into.
struct Walker<'a> {
    ruleset: &'a Ruleset,
    node: &'a str,
    rng: &'a mut Rng,
    trace: &'a mut Trace,
}

/// Walks `chain` of `table` for `packet`, recording each matched rule that does something.
fn walk(
    walker: &mut Walker<'_>,
    table: TableKind,
    chain: &str,
    packet: &mut Packet,
    depth: u32,
) -> Walk {
    let Some(chain_rules) = walker.ruleset.table(table).and_then(|t| t.chain(chain)) else {
        return Walk::Continue;
    };
    if depth > 32 {
        return Walk::Drop;
    }
    for rule in &chain_rules.rules {
        if !rule_matches(rule, packet, walker.rng) {
            continue;
        }
        let Some(target) = &rule.target else {
            continue;
        };
        let quiet = matches!(target, Target::Jump(name) if &**name == "RETURN")
            || matches!(target, Target::Mark { mask: 0, .. });
        if !quiet {
            walker.trace.push(
                StepKind::RuleMatched {
                    node: walker.node.to_owned(),
                    table: table.name().to_owned(),
                    chain: chain.to_owned(),
                    rule: rule_text(chain, rule),
                },
                explain(table, chain, rule, packet),
            );
        }
        match target {
            Target::Jump(name) => match &**name {
                "RETURN" => return Walk::Continue,
                "ACCEPT" => return Walk::Accept,
                "DROP" => return Walk::Drop,
                _ => match walk(walker, table, name, packet, depth + 1) {
                    Walk::Continue => {}
                    other => return other,
                },
            },
            Target::Reject { .. } => return Walk::Reject,
            Target::Dnat { ip, port } => {
                return Walk::Dnat(*ip, port.or(packet.dport).unwrap_or(0));
            }
            Target::Mark { value, mask } => packet.mark = (packet.mark & !mask) ^ value,
            Target::Masquerade { .. } => return Walk::Masquerade,
        }
    }
    Walk::Continue
}

fn node_addresses(net: &Network<'_>, node: &NodeNet) -> Vec<Ipv4> {
    vec![
        node.ip,
        Ipv4::new(10, 0, 2, 15),
        Ipv4::new(172, 17, 0, 1),
        cni::node_device_ip(net.cni, node),
    ]
}

impl<'a> Network<'a> {
    /// The rules on `node`.
    pub fn rules_on(&self, node: &str) -> &'a Ruleset {
        self.node_rules
            .iter()
            .find(|(name, _)| name == node)
            .map_or(self.rules, |(_, rules)| rules)
    }

    pub fn pod(&self, namespace: &str, name: &str) -> Option<&PodNet> {
        self.pods
            .iter()
            .find(|p| p.namespace == namespace && p.name == name)
    }

    pub fn node(&self, name: &str) -> Option<&NodeNet> {
        self.nodes.iter().find(|n| n.name == name)
    }

    fn pod_by_ip(&self, ip: Ipv4) -> Option<&PodNet> {
        self.pods
            .iter()
            .find(|p| !p.host_network && p.ip == Some(ip))
    }

    /// The node's routes that matter for `destination`: the plugin's routes plus the host
    /// route of the one local pod with that address (building every pod's route would
    /// hash every veth name on each connection).
    fn routes_toward(&self, node: &NodeNet, destination: Ipv4) -> Vec<cni::Route> {
        let local: Vec<PodIface> = self
            .pods
            .iter()
            .filter(|p| p.node == node.name && !p.host_network && p.ip == Some(destination))
            .filter_map(PodNet::iface)
            .collect();
        cni::node_routes(self.cni, node, self.nodes, &local)
    }

    /// The resolver configuration a process at `source` uses.
    pub fn resolv_conf(&self, source: &Source) -> ResolvConf {
        match source {
            Source::Pod { namespace, name } => match self.pod(namespace, name) {
                Some(pod) if pod.host_network => ResolvConf::node(),
                _ => ResolvConf::cluster_first(namespace),
            },
            _ => ResolvConf::node(),
        }
    }

    /// `/etc/hosts` entries visible at `source`: the pod's own name (kubelet-managed hosts
    /// file), or the lab's node names on nodes.
    fn hosts_entry(&self, source: &Source, name: &str) -> Option<Ipv4> {
        if name == "localhost" {
            return Some(Ipv4::new(127, 0, 0, 1));
        }
        match source {
            Source::Pod {
                namespace,
                name: pod,
            } if pod == name => self.pod(namespace, pod).and_then(|p| p.ip),
            Source::Node(_) => self.node(name).map(|n| n.ip),
            _ => None,
        }
    }
}

/// Tries to open a connection (`protocol` `None` = an ICMP echo) from `source` to
/// `host:port`; `command` labels the trace.
pub fn connect(
    net: &Network<'_>,
    rng: &mut Rng,
    source: &Source,
    host: &str,
    port: Port,
    protocol: Option<Protocol>,
    command: &str,
) -> Connection {
    let (source_label, src_ip, src_node, src_pod) = match source {
        Source::Pod { namespace, name } => match net.pod(namespace, name) {
            Some(pod) => {
                let node = net.node(&pod.node);
                let ip = if pod.host_network {
                    node.map(|n| n.ip)
                } else {
                    pod.ip
                };
                (
                    format!(
                        "포드 {namespace}/{name} ({}) @ {}",
                        ip.map(|i| i.to_string()).unwrap_or_default(),
                        pod.node
                    ),
                    ip.unwrap_or(Ipv4(0)),
                    node,
                    Some(pod),
                )
            }
            None => (format!("포드 {namespace}/{name}"), Ipv4(0), None, None),
        },
        Source::Node(name) => {
            let node = net.node(name);
            (
                format!(
                    "노드 {name} ({})",
                    node.map(|n| n.ip.to_string()).unwrap_or_default()
                ),
                node.map_or(Ipv4(0), |n| n.ip),
                node,
                None,
            )
        }
        Source::External => (
            format!("클러스터 밖의 PC ({EXTERNAL_CLIENT})"),
            EXTERNAL_CLIENT,
            None,
            None,
        ),
    };
    let mut trace = Trace::new(command, &source_label);
    let mut connection = Connection {
        trace: Trace::default(),
        outcome: Outcome::Timeout,
        address: None,
        dns_queries: 0,
        accepted_by: None,
        crossed_nodes: false,
    };

    // 1. Name → address.
    let address = match net.hosts_entry(source, host) {
        Some(ip) => Some(ip),
        None if Ipv4::parse(host).is_some() => Ipv4::parse(host),
        None => {
            let conf = net.resolv_conf(source);
            let resolution = resolve_host(net.dns, &conf, host);
            for (qname, answer) in &resolution.queries {
                connection.dns_queries += 1;
                trace.push(
                    StepKind::DnsQuery {
                        name: qname.clone(),
                        qtype: "A".to_owned(),
                        server: conf.nameserver.to_string(),
                    },
                    if conf.cluster_dns {
                        format!(
                            "/etc/resolv.conf의 search 목록(ndots:5)에 따라 '{qname}'을(를) CoreDNS({})에 묻습니다.",
                            conf.nameserver
                        )
                    } else {
                        format!(
                            "노드의 resolv.conf는 CoreDNS가 아니라 systemd-resolved({})를 씁니다. 그래서 클러스터 내부 이름은 찾을 수 없습니다.",
                            conf.nameserver
                        )
                    },
                );
                let answers: Vec<String> = answer.records.iter().map(|r| r.text()).collect();
                let explain = if answers.is_empty() {
                    format!("'{qname}'이라는 이름은 없습니다({}).", answer.rcode.name())
                } else {
                    format!("'{qname}'의 주소를 찾았습니다: {}", answers.join(", "))
                };
                trace.push(
                    StepKind::DnsAnswer {
                        name: qname.clone(),
                        rcode: answer.rcode.name().to_owned(),
                        answers,
                    },
                    explain,
                );
            }
            resolution
                .found
                .and_then(|(_, addresses)| addresses.first().copied())
        }
    };
    let Some(address) = address else {
        trace.outcome = Outcome::DnsFailure;
        connection.outcome = Outcome::DnsFailure;
        connection.trace = trace;
        return connection;
    };
    connection.address = Some(address);

    let finish = |mut trace: Trace, mut connection: Connection, outcome: Outcome| {
        trace.outcome = outcome;
        connection.outcome = outcome;
        connection.trace = trace;
        connection
    };

    // 2. Loopback stays in the source's own network namespace, where `kubectl port-forward`
    // may be listening: it carries the bytes over the API server and kubelet to the pod's
    // own localhost, past Services and iptables.
    if address.is_loopback()
        && let Source::Node(node_name) = source
        && protocol == Some(Protocol::Tcp)
        && let Some(forward) = net.forwards.iter().find(|f| {
            &f.node == node_name
                && f.local == port
                && matches!(f.address.as_str(), "127.0.0.1" | "0.0.0.0" | "::")
        })
    {
        trace.push(
            StepKind::Deliver {
                target: PORT_FORWARD.to_owned(),
                ip: address.to_string(),
                port: Some(port),
            },
            format!(
                "{port}번 포트에서는 kubectl port-forward가 기다립니다. 연결은 서비스나 iptables를 거치지 않고 API 서버와 kubelet을 지나는 스트림으로 포드 {}/{}에 전달됩니다.",
                forward.namespace, forward.pod
            ),
        );
        let pod = net.pod(&forward.namespace, &forward.pod);
        let listeners: Vec<Listener> = pod
            .map(|p| p.listeners().into_iter().map(|(_, l)| l).collect())
            .unwrap_or_default();
        let hostname = pod.map_or_else(|| forward.pod.clone(), |p| p.name.clone());
        trace.push(
            StepKind::Deliver {
                target: format!("{hostname} (localhost)"),
                ip: "127.0.0.1".to_owned(),
                port: Some(forward.remote),
            },
            format!(
                "kubelet이 포드의 네트워크 네임스페이스 안에서 localhost:{}로 연결합니다.",
                forward.remote
            ),
        );
        let ip = pod.and_then(|p| p.ip).unwrap_or(address);
        return accept_or_refuse(
            trace,
            connection,
            &listeners,
            &hostname,
            ip,
            forward.remote,
            protocol,
            finish,
        );
    }
    if address.is_loopback() {
        let (hostname, listeners): (String, Vec<Listener>) = match (src_pod, src_node) {
            (Some(pod), _) if !pod.host_network => (
                pod.name.clone(),
                pod.listeners().into_iter().map(|(_, l)| l).collect(),
            ),
            (_, Some(node)) => (node.name.clone(), node_listener_list(net, node)),
            _ => (String::new(), Vec::new()),
        };
        trace.push(
            StepKind::Deliver {
                target: format!("{hostname} (localhost)"),
                ip: address.to_string(),
                port: protocol.map(|_| port),
            },
            "localhost는 같은 네트워크 네임스페이스(포드라면 pause 컨테이너가 가진 네임스페이스)를 가리킵니다. 포드의 컨테이너들은 이 네임스페이스를 함께 씁니다.",
        );
        return accept_or_refuse(
            trace, connection, &listeners, &hostname, address, port, protocol, finish,
        );
    }

    // 3. Netfilter on the node where the packet enters (nat, then filter).
    let mut packet = Packet {
        src: src_ip,
        dst: address,
        dport: protocol.map(|_| port),
        protocol,
        mark: 0,
        local: Vec::new(),
    };
    let entry_node = match (src_node, source) {
        (Some(node), _) => Some(node),
        (None, Source::External) => match net.nodes.iter().find(|n| n.ip == address) {
            Some(node) => Some(node),
            None => match external_arp(net, &mut trace, address) {
                Ok(node) => node,
                Err(_) => return finish(trace, connection, Outcome::NoRoute),
            },
        },
        _ => None,
    };
    let Some(entry_node) = entry_node else {
        trace.push(
            StepKind::Drop {
                reason: "no route from the client".to_owned(),
            },
            "클라이언트에는 이 주소로 가는 경로가 기본 경로(집 공유기)뿐이라 패킷이 클러스터에 닿지 않습니다. 클러스터 밖에서는 노드 IP(NodePort)나 로드밸런서 IP로만 들어올 수 있습니다.",
        );
        trace.push(
            StepKind::Timeout { after_ms: 0 },
            "응답이 오지 않아 시간 초과로 끝납니다.",
        );
        return finish(trace, connection, Outcome::Timeout);
    };
    let mut entry_node = entry_node;
    packet.local = node_addresses(net, entry_node);
    let mut from_local_process =
        matches!(source, Source::Node(_)) || src_pod.is_some_and(|p| p.host_network);
    let original = (packet.dst, port);
    // nat on the node the packet is on; a packet for another node's address (a NodePort
    // reached through a node IP) crosses the node network and meets that node's PREROUTING.
    for _ in 0..2 {
        let nat_chain = if from_local_process {
            "OUTPUT"
        } else {
            "PREROUTING"
        };
        let nat_walk = {
            let mut walker = Walker {
                ruleset: net.rules_on(&entry_node.name),
                node: &entry_node.name,
                rng: &mut *rng,
                trace: &mut trace,
            };
            walk(&mut walker, TableKind::Nat, nat_chain, &mut packet, 0)
        };
        match nat_walk {
            Walk::Dnat(ip, new_port) => {
                trace.push(
                    StepKind::Dnat {
                        from: format!("{}:{}", original.0, original.1),
                        to: format!("{ip}:{new_port}"),
                    },
                    format!(
                        "{}:{} → {ip}:{new_port}. 이제 패킷은 서비스가 아니라 포드 하나를 향합니다.",
                        original.0, original.1
                    ),
                );
                packet.dst = ip;
                packet.dport = Some(new_port);
                break;
            }
            Walk::Drop => {
                trace.push(
                    StepKind::Drop {
                        reason: "nat DROP".to_owned(),
                    },
                    "nat 테이블에서 버려졌습니다.",
                );
                return finish(trace, connection, Outcome::Timeout);
            }
            _ => {}
        }
        let other = net
            .nodes
            .iter()
            .find(|n| n.name != entry_node.name && node_addresses(net, n).contains(&packet.dst));
        let Some(other) = other else {
            break;
        };
        connection.crossed_nodes = true;
        trace.push(
            StepKind::NodeHop {
                from_node: entry_node.name.clone(),
                to_node: other.name.clone(),
                device: "enp0s8".to_owned(),
            },
            format!(
                "목적지 {}는 노드 {}의 주소라서 노드 네트워크(enp0s8)로 건너가고, 그 노드의 iptables를 다시 거칩니다.",
                packet.dst, other.name
            ),
        );
        entry_node = other;
        packet.local = node_addresses(net, entry_node);
        from_local_process = false;
    }
    let dst_is_entry_node = packet.local.contains(&packet.dst);
    let filter_chain = if from_local_process {
        "OUTPUT"
    } else if dst_is_entry_node {
        "INPUT"
    } else {
        "FORWARD"
    };
    let filter_walk = {
        let mut walker = Walker {
            ruleset: net.rules_on(&entry_node.name),
            node: &entry_node.name,
            rng: &mut *rng,
            trace: &mut trace,
        };
        walk(&mut walker, TableKind::Filter, filter_chain, &mut packet, 0)
    };
    match filter_walk {
        Walk::Reject => {
            trace.push(
                StepKind::Refuse {
                    reason: "icmp-port-unreachable".to_owned(),
                },
                "REJECT 규칙이 ICMP port-unreachable을 돌려보내 클라이언트는 즉시 '연결 거부'를 받습니다.",
            );
            return finish(trace, connection, Outcome::Refused);
        }
        Walk::Drop => {
            trace.push(
                StepKind::Drop {
                    reason: "filter DROP".to_owned(),
                },
                "filter 테이블의 DROP 규칙이 패킷을 조용히 버립니다.",
            );
            trace.push(
                StepKind::Timeout { after_ms: 0 },
                "응답이 오지 않아 시간 초과로 끝납니다.",
            );
            return finish(trace, connection, Outcome::Timeout);
        }
        _ => {}
    }
    let mut snat = packet.src;
    let post_walk = {
        let mut walker = Walker {
            ruleset: net.rules_on(&entry_node.name),
            node: &entry_node.name,
            rng,
            trace: &mut trace,
        };
        walk(&mut walker, TableKind::Nat, "POSTROUTING", &mut packet, 0)
    };
    if let Walk::Masquerade = post_walk {
        snat = entry_node.ip;
    }
    let dport = packet.dport.unwrap_or(port);

    // 4. Where does the (possibly rewritten) destination live?
    if let Some(node) = net
        .nodes
        .iter()
        .find(|n| node_addresses(net, n).contains(&packet.dst))
    {
        if node.name != entry_node.name {
            connection.crossed_nodes = true;
            trace.push(
                StepKind::Route {
                    node: entry_node.name.clone(),
                    destination: packet.dst.to_string(),
                    device: "enp0s8".to_owned(),
                    gateway: None,
                },
                "노드 네트워크(192.168.56.0/24)로 바로 나갑니다.",
            );
        }
        trace.push(
            StepKind::Deliver {
                target: format!("노드 {}", node.name),
                ip: packet.dst.to_string(),
                port: protocol.map(|_| dport),
            },
            format!("노드 {}의 네트워크 스택에 도착했습니다.", node.name),
        );
        let listeners = node_listener_list(net, node);
        return accept_or_refuse(
            trace, connection, &listeners, &node.name, packet.dst, dport, protocol, finish,
        );
    }
    let Some(target) = net.pod_by_ip(packet.dst) else {
        let reason = if cni::pool(net.cni).contains(packet.dst) {
            "이 주소를 가진 포드가 없습니다."
        } else if Cidr::new(Ipv4::new(10, 96, 0, 0), 12).contains(packet.dst) {
            "서비스 IP(ClusterIP)는 kube-proxy의 iptables 규칙 안에만 있는 가상 주소입니다. 이 포트/프로토콜에 맞는 규칙이 없어 DNAT되지 않았고, 기본 경로로 나가 사라집니다."
        } else {
            "클러스터 밖 주소로 기본 경로(10.0.2.2)를 따라 나갔지만 응답이 없습니다."
        };
        trace.push(
            StepKind::Drop {
                reason: "no destination".to_owned(),
            },
            reason,
        );
        trace.push(
            StepKind::Timeout { after_ms: 0 },
            "응답이 오지 않아 시간 초과로 끝납니다.",
        );
        return finish(trace, connection, Outcome::Timeout);
    };
    // Routing on the entry node, and across nodes through the plugin's tunnel.
    let routes = net.routes_toward(entry_node, packet.dst);
    if let Some(route) = cni::lookup(&routes, packet.dst) {
        trace.push(
            StepKind::Route {
                node: entry_node.name.clone(),
                destination: packet.dst.to_string(),
                device: route.device.clone(),
                gateway: route.gateway.map(|g| g.to_string()),
            },
            match route.gateway {
                Some(gw) => format!(
                    "{}의 라우팅 표: {}는 다른 노드의 포드 대역이라 {} 장치로 {gw}에게 보냅니다.",
                    entry_node.name, packet.dst, route.device
                ),
                None if target.node != entry_node.name => format!(
                    "{}의 라우팅 표: {}는 다른 노드의 포드지만 {} 장치가 클러스터 대역 전체를 맡아 상대 노드로 건네줍니다.",
                    entry_node.name, packet.dst, route.device
                ),
                None => format!(
                    "{}의 라우팅 표: {}는 이 노드의 포드라 {} 장치로 바로 넘깁니다.",
                    entry_node.name, packet.dst, route.device
                ),
            },
        );
    }
    if target.node != entry_node.name {
        connection.crossed_nodes = true;
        let device = cni::tunnel_device(net.cni);
        trace.push(
            StepKind::NodeHop {
                from_node: entry_node.name.clone(),
                to_node: target.node.clone(),
                device: device.to_owned(),
            },
            match net.cni {
                Cni::Calico => format!(
                    "Calico: 패킷을 IP-in-IP로 감싸 {device}를 통해 {}(으)로 보냅니다.",
                    target.node
                ),
                Cni::Flannel => format!(
                    "Flannel: 패킷을 VXLAN으로 감싸 {device}를 통해 {}(으)로 보냅니다.",
                    target.node
                ),
                Cni::WeaveNet => format!(
                    "Weave Net: weave 브리지와 VXLAN 터널로 {}(으)로 보냅니다.",
                    target.node
                ),
            },
        );
        if let Some(node) = net.node(&target.node) {
            let routes = net.routes_toward(node, packet.dst);
            if let Some(route) = cni::lookup(&routes, packet.dst) {
                trace.push(
                    StepKind::Route {
                        node: node.name.clone(),
                        destination: packet.dst.to_string(),
                        device: route.device.clone(),
                        gateway: route.gateway.map(|g| g.to_string()),
                    },
                    format!(
                        "{}에서 터널을 벗겨 {} 장치(포드의 veth 짝)로 넘깁니다.",
                        node.name, route.device
                    ),
                );
            }
        }
    }
    // 5. NetworkPolicy (only plugins that enforce it).
    if cni::enforces_network_policy(net.cni)
        && let Some(policy) = net.policy
        && !policy(src_pod, snat, target, dport, protocol)
    {
        trace.push(
            StepKind::Drop {
                reason: "NetworkPolicy".to_owned(),
            },
            format!(
                "NetworkPolicy가 이 연결을 허용하지 않아 {}가 패킷을 조용히 버립니다.",
                match net.cni {
                    Cni::Calico => "Calico(felix의 iptables 규칙)",
                    _ => "Weave Net(weave-npc)",
                }
            ),
        );
        trace.push(
            StepKind::Timeout { after_ms: 0 },
            "응답이 오지 않아 시간 초과로 끝납니다.",
        );
        return finish(trace, connection, Outcome::Timeout);
    }
    trace.push(
        StepKind::Deliver {
            target: format!("포드 {}/{}", target.namespace, target.name),
            ip: packet.dst.to_string(),
            port: protocol.map(|_| dport),
        },
        format!(
            "포드 {}의 eth0에 도착했습니다. 이 네트워크 네임스페이스는 pause 컨테이너가 만들어 쥐고 있고, 포드의 컨테이너들이 함께 씁니다.",
            target.name
        ),
    );
    if !target.running {
        trace.push(
            StepKind::Refuse {
                reason: "container not running".to_owned(),
            },
            "컨테이너가 아직 실행 중이 아니라 포트를 여는 프로세스가 없습니다.",
        );
        return finish(trace, connection, Outcome::Refused);
    }
    let listeners: Vec<Listener> = target.listeners().into_iter().map(|(_, l)| l).collect();
    accept_or_refuse(
        trace,
        connection,
        &listeners,
        &target.name,
        packet.dst,
        dport,
        protocol,
        finish,
    )
}

/// How long the kernel waits for an ARP reply before `connect` fails with EHOSTUNREACH
/// (3 probes, 1 s apart; curl reported `after 3053 ms` on a real netns).
pub const ARP_FAILURE_MS: u64 = 3_000;

/// The outside client's first hop: an address on the node network (192.168.56.0/24) is
/// reached by ARP, which a node answers for its own address and a MetalLB speaker for an
/// address it announces. `Ok(None)`: not on the node network, so the packet leaves by the
/// client's default route (and nothing in the cluster sees it). `Err`: nobody answered ARP.
fn external_arp<'n>(
    net: &'n Network<'_>,
    trace: &mut Trace,
    address: Ipv4,
) -> Result<Option<&'n NodeNet>, u64> {
    let node_network = Cidr::new(Ipv4::new(192, 168, 56, 0), 24);
    if !node_network.contains(address) {
        return Ok(None);
    }
    let announcer = net
        .announced
        .iter()
        .find(|(ip, _)| *ip == address)
        .and_then(|(_, node)| net.node(node));
    match announcer {
        Some(node) => {
            trace.push(
                StepKind::Route {
                    node: "client".to_owned(),
                    destination: address.to_string(),
                    device: "vboxnet0".to_owned(),
                    gateway: None,
                },
                format!(
                    "{address}는 같은 네트워크(192.168.56.0/24)의 주소라 ARP로 MAC 주소를 묻습니다. {}의 MetalLB speaker가 자기 enp0s8의 MAC({})으로 대답합니다(L2 모드).",
                    node.name,
                    crate::net::metallb::node_mac(&node.name)
                ),
            );
            trace.push(
                StepKind::NodeHop {
                    from_node: "client".to_owned(),
                    to_node: node.name.clone(),
                    device: "enp0s8".to_owned(),
                },
                format!(
                    "패킷은 목적지 IP {address} 그대로 {}에 도착합니다. 이 주소는 어떤 장치에도 붙어 있지 않고, kube-proxy의 iptables 규칙(loadbalancer IP)이 받아 줍니다.",
                    node.name
                ),
            );
            Ok(Some(node))
        }
        None => {
            trace.push(
                StepKind::Drop {
                    reason: "no ARP reply".to_owned(),
                },
                if crate::net::metallb::DEFAULT_POOL.contains(address) {
                    format!(
                        "{address}에 대한 ARP에 아무도 대답하지 않습니다. 로드밸런서가 이 주소를 알리지 않고 있습니다(MetalLB가 없거나, 주소가 할당되지 않았거나, 준비된 엔드포인트가 없음)."
                    )
                } else {
                    format!("{address}에 대한 ARP에 아무도 대답하지 않습니다. 이 주소를 가진 기계가 없습니다.")
                },
            );
            trace.push(
                StepKind::Timeout {
                    after_ms: ARP_FAILURE_MS,
                },
                "ARP 요청 3번에 응답이 없어 커널이 'No route to host'(EHOSTUNREACH)로 연결을 끝냅니다.",
            );
            Err(ARP_FAILURE_MS)
        }
    }
}

fn node_listener_list(net: &Network<'_>, node: &NodeNet) -> Vec<Listener> {
    let is_control_plane = net.nodes.first().is_some_and(|n| n.name == node.name);
    node_listeners(is_control_plane)
        .into_iter()
        .map(|(port, process)| Listener {
            port,
            protocol: Protocol::Tcp,
            process,
            app: match process {
                "kube-apiserver" => apps::App::KubeApiserver,
                "kubelet" => apps::App::Kubelet,
                _ => apps::App::NodeDaemon,
            },
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn accept_or_refuse(
    mut trace: Trace,
    mut connection: Connection,
    listeners: &[Listener],
    hostname: &str,
    ip: Ipv4,
    port: Port,
    protocol: Option<Protocol>,
    finish: impl Fn(Trace, Connection, Outcome) -> Connection,
) -> Connection {
    let Some(protocol) = protocol else {
        trace.push(
            StepKind::Accept {
                process: "kernel (ICMP echo reply)".to_owned(),
            },
            "커널이 ICMP echo에 응답합니다.",
        );
        return finish(trace, connection, Outcome::Connected);
    };
    match listeners
        .iter()
        .find(|l| l.port == port && l.protocol == protocol)
    {
        Some(listener) => {
            trace.push(
                StepKind::Accept {
                    process: format!("{} ({}/{})", listener.process, port, protocol.lower()),
                },
                format!(
                    "{port}번 포트에서 기다리던 {} 프로세스가 연결을 받았습니다.",
                    listener.process
                ),
            );
            connection.accepted_by = Some(Accepted {
                listener: *listener,
                hostname: hostname.to_owned(),
                ip,
                port,
            });
            finish(trace, connection, Outcome::Connected)
        }
        None => {
            let open: Vec<String> = listeners.iter().map(|l| l.port.to_string()).collect();
            trace.push(
                StepKind::Refuse {
                    reason: "TCP RST".to_owned(),
                },
                if open.is_empty() {
                    format!("{port}번 포트를 여는 프로세스가 없어 커널이 RST로 거부합니다.")
                } else {
                    format!(
                        "{port}번 포트를 여는 프로세스가 없어 커널이 RST로 거부합니다 (열린 포트: {}). 서비스의 targetPort를 확인하세요.",
                        open.join(", ")
                    )
                },
            );
            finish(trace, connection, Outcome::Refused)
        }
    }
}

#[cfg(test)]
mod tests;
