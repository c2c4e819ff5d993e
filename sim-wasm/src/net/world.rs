//! The glue between the simulated world and the pure `net` modules: reads the API objects
//! (nodes, pods, services, endpoints, network policies) out of the store into the plain
//! values `net` works on, runs node and container commands, and advances the virtual clock
//! by the time they took.
//!
//! This is the only `net` module that knows the world and the store's JSON shapes.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::api::{Kind, Ptr};
use crate::commands::World;
use crate::net::addr::{Cidr, Ipv4, Port, Protocol};
use crate::net::cni::{self, NodeNet};
use crate::net::container::{self, ContainerView, EnvService};
use crate::net::dataplane::{ContainerNet, Forward, Network, PORT_FORWARD, PodNet};
use crate::net::dns::{Directory, DnsEndpoint, DnsService};
use crate::net::iptables::Ruleset;
use crate::net::kube_proxy::{Endpoint, ProxyConfig, ServicePort, ServiceType, sync_rules};
use crate::net::node::{self, NodePod, NodeView};
use crate::net::policy::{self, Labels, PolicyPod};
use crate::net::trace::StepKind;
use crate::shell::{CommandOutput, Location};
use crate::store::{NODES, parse_rfc3339};

/// What the network remembers between commands: which nodes have net-tools installed, and
/// MetalLB's pool and elections when it is installed.
#[derive(Clone, Debug, Default)]
pub struct NetState {
    pub net_tools: BTreeSet<String>,
    /// The writable layer of containers that `kubectl cp` wrote into, keyed by
    /// [`container_files_key`]: `cat` and `ls` in the container see these files.
    pub container_files: BTreeMap<String, crate::shell::Files>,
    /// The ports `kubectl port-forward` listens on.
    pub forwards: Vec<Forward>,
    /// What the running port-forwards printed since the terminal last showed it
    /// (`Handling connection for 8080`).
    pub forward_log: String,
    /// MetalLB's address pool, when the cluster was created with it.
    pub metallb: Option<crate::net::metallb::Pool>,
    /// `namespace/name` → the node whose MetalLB speaker announces the service's address.
    pub announced: BTreeMap<String, String>,
}

/// The key of a container's files in [`NetState::container_files`]: the pod's uid (a pod
/// recreated under the same name starts from its image again) and the container's name.
pub fn container_files_key(pod_uid: &str, container: &str) -> String {
    format!("{pod_uid}/{container}")
}

/// The files `kubectl cp` left in a container, if any.
fn copied_files<'w>(
    world: &'w World,
    namespace: &str,
    pod: &str,
    container: &str,
) -> Option<&'w crate::shell::Files> {
    let uid = text(world.store.get(Kind::Pod, namespace, pod)?, "/metadata/uid");
    world
        .net
        .container_files
        .get(&container_files_key(uid, container))
}

fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value.ptr(pointer).and_then(Value::as_str).unwrap_or("")
}

fn labels_of(value: &Value) -> Labels {
    value
        .ptr("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            crate::sort::map_from(
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned()))),
            )
        })
        .unwrap_or_default()
}

fn created(value: &Value) -> i64 {
    parse_rfc3339(text(value, "/metadata/creationTimestamp")).unwrap_or(0)
}

/// Creation order: timestamp, then resourceVersion (the store's write order).
fn creation_key(value: &Value) -> (i64, u64) {
    (
        created(value),
        text(value, "/metadata/resourceVersion")
            .parse()
            .unwrap_or(0),
    )
}

/// Everything `net` needs, copied out of the store at one instant.
pub struct Snapshot {
    pub cni: cni::Cni,
    pub nodes: Vec<NodeNet>,
    pub pods: Vec<PodNet>,
    /// Per pod (same order as `pods`): labels, uid, creation time, readiness, containers.
    pub meta: Vec<PodMeta>,
    pub services: Vec<ServicePort>,
    pub dns: Directory,
    pub rules: Ruleset,
    pub policies: Vec<Value>,
    pub namespace_labels: BTreeMap<String, Labels>,
    pub service_objects: Vec<Value>,
    pub now_unix: i64,
    /// Load-balancer addresses MetalLB announces, with the announcing node.
    pub announced: Vec<(Ipv4, String)>,
    /// Per node, kube-proxy's rules there, when `externalTrafficPolicy: Local` makes them
    /// differ between nodes (empty otherwise: every node has `rules`).
    pub node_rules: Vec<(String, Ruleset)>,
}

/// What a pod looks like beyond its network identity.
pub struct PodMeta {
    pub labels: Labels,
    pub uid: String,
    pub created_unix: i64,
    pub ready: bool,
    pub restarts: u32,
    pub containers: Vec<ContainerMeta>,
}

/// One container of a pod, as the store describes it.
pub struct ContainerMeta {
    pub name: String,
    pub image: String,
    /// The runtime started it (its status says `started` or `running`).
    pub started: bool,
    /// `env` entries with literal values, in order.
    pub env: Vec<(String, String)>,
}

/// A Service as kubelet's environment variables need it: name, cluster IP, ports.
type EnvServiceData = (String, Ipv4, Vec<(String, Protocol, Port)>);

impl Snapshot {
    pub fn of(world: &World) -> Snapshot {
        let store = &world.store;
        let cni = store.cni();
        let nodes: Vec<NodeNet> = NODES
            .iter()
            .enumerate()
            .map(|(index, facts)| {
                let block = store
                    .pod_block(facts.name)
                    .map(|b| Cidr::new(Ipv4(u32::from_be_bytes(b.base)), b.prefix))
                    .unwrap_or_else(|| cni::node_block(cni, index as u32));
                NodeNet {
                    name: facts.name.to_owned(),
                    ip: Ipv4::parse(facts.ip).unwrap_or(Ipv4(0)),
                    index: index as u32,
                    block,
                }
            })
            .collect();

        let mut pod_objects: Vec<&Value> = store.list(Kind::Pod, None);
        crate::sort::sort_by_key(&mut pod_objects, |p| creation_key(p));
        let mut slots: BTreeMap<String, u32> = BTreeMap::new();
        let mut pods = Vec::new();
        let mut meta = Vec::new();
        for p in pod_objects {
            let node = text(p, "/spec/nodeName").to_owned();
            if node.is_empty() {
                continue;
            }
            let host_network = p.ptr("/spec/hostNetwork") == Some(&Value::Bool(true));
            let slot = if host_network {
                0
            } else {
                let slot = slots.entry(node.clone()).or_insert(0);
                *slot += 1;
                *slot - 1
            };
            let statuses = p
                .ptr("/status/containerStatuses")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let started = |name: &str| {
                statuses.iter().any(|s| {
                    s.get("name").and_then(Value::as_str) == Some(name)
                        && (s.get("started") == Some(&Value::Bool(true))
                            || s.ptr("/state/running").is_some())
                })
            };
            let containers: Vec<ContainerMeta> = p
                .ptr("/spec/containers")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|c| {
                    let name = text(c, "/name").to_owned();
                    let env = c
                        .get("env")
                        .and_then(Value::as_array)
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|e| {
                            Some((
                                e.get("name")?.as_str()?.to_owned(),
                                e.get("value")
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .to_owned(),
                            ))
                        })
                        .collect();
                    ContainerMeta {
                        started: started(&name),
                        image: text(c, "/image").to_owned(),
                        name,
                        env,
                    }
                })
                .collect();
            let ready = p
                .ptr("/status/conditions")
                .and_then(Value::as_array)
                .is_some_and(|conds| {
                    conds
                        .iter()
                        .any(|c| text(c, "/type") == "Ready" && text(c, "/status") == "True")
                });
            let restarts = statuses
                .iter()
                .filter_map(|s| s.get("restartCount").and_then(Value::as_u64))
                .max()
                .unwrap_or(0) as u32;
            pods.push(PodNet {
                namespace: text(p, "/metadata/namespace").to_owned(),
                name: text(p, "/metadata/name").to_owned(),
                node,
                ip: Ipv4::parse(text(p, "/status/podIP")),
                host_network,
                running: text(p, "/status/phase") == "Running",
                containers: containers
                    .iter()
                    .filter(|c| c.started)
                    .map(|c| ContainerNet {
                        name: c.name.clone(),
                        image: c.image.clone(),
                    })
                    .collect(),
                slot,
            });
            meta.push(PodMeta {
                labels: labels_of(p),
                uid: text(p, "/metadata/uid").to_owned(),
                created_unix: created(p),
                ready,
                restarts,
                containers,
            });
        }

        let mut service_objects: Vec<Value> = store
            .list(Kind::Service, None)
            .into_iter()
            .cloned()
            .collect();
        crate::sort::sort_by_key(&mut service_objects, creation_key);
        let mut services = Vec::new();
        let mut dns = Directory::default();
        for svc in &service_objects {
            let namespace = text(svc, "/metadata/namespace").to_owned();
            let name = text(svc, "/metadata/name").to_owned();
            let endpoints = store.get(Kind::Endpoints, &namespace, &name);
            let cluster_ip = Ipv4::parse(text(svc, "/spec/clusterIP"));
            let service_type = match text(svc, "/spec/type") {
                "NodePort" => ServiceType::NodePort,
                "LoadBalancer" => ServiceType::LoadBalancer,
                "ExternalName" => ServiceType::ExternalName,
                _ => ServiceType::ClusterIp,
            };
            let ports: Vec<&Value> = svc
                .ptr("/spec/ports")
                .and_then(Value::as_array)
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            let addresses =
                |key: &str, ready: bool| -> Vec<(Ipv4, Option<String>, Option<String>, bool)> {
                    endpoints
                        .and_then(|e| e.ptr("/subsets/0"))
                        .and_then(|s| s.get(key))
                        .and_then(Value::as_array)
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|a| {
                            Some((
                                Ipv4::parse(a.get("ip")?.as_str()?)?,
                                a.get("hostname").and_then(Value::as_str).map(str::to_owned),
                                a.get("nodeName").and_then(Value::as_str).map(str::to_owned),
                                ready,
                            ))
                        })
                        .collect()
                };
            let mut all_addresses = addresses("addresses", true);
            all_addresses.extend(addresses("notReadyAddresses", false));
            let endpoint_ports: Vec<&Value> = endpoints
                .and_then(|e| e.ptr("/subsets/0/ports"))
                .and_then(Value::as_array)
                .map(|a| a.iter().collect())
                .unwrap_or_default();
            let affinity = (text(svc, "/spec/sessionAffinity") == "ClientIP").then(|| {
                svc.ptr("/spec/sessionAffinityConfig/clientIP/timeoutSeconds")
                    .and_then(Value::as_u64)
                    .unwrap_or(10800) as u32
            });
            let ip_list = |pointer: &str, field: Option<&str>| -> Vec<Ipv4> {
                svc.ptr(pointer)
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|v| {
                        let s = match field {
                            Some(f) => v.get(f)?.as_str()?,
                            None => v.as_str()?,
                        };
                        Ipv4::parse(s)
                    })
                    .collect()
            };
            let mut dns_ports = Vec::new();
            for port in &ports {
                let port_name = text(port, "/name").to_owned();
                let protocol = Protocol::parse(text(port, "/protocol")).unwrap_or(Protocol::Tcp);
                let number = port.get("port").and_then(Value::as_u64).unwrap_or(0) as Port;
                dns_ports.push((port_name.clone(), protocol, number));
                let target = endpoint_ports
                    .iter()
                    .find(|ep| text(ep, "/name") == port_name)
                    .or_else(|| (endpoint_ports.len() == 1).then(|| &endpoint_ports[0]))
                    .and_then(|ep| ep.get("port").and_then(Value::as_u64))
                    .map(|p| p as Port);
                services.push(ServicePort {
                    namespace: namespace.clone(),
                    name: name.clone(),
                    port_name,
                    protocol,
                    service_type,
                    cluster_ip,
                    port: number,
                    node_port: port
                        .get("nodePort")
                        .and_then(Value::as_u64)
                        .map(|p| p as Port),
                    external_ips: ip_list("/spec/externalIPs", None),
                    load_balancer_ips: ip_list("/status/loadBalancer/ingress", Some("ip")),
                    affinity_seconds: affinity,
                    external_local: text(svc, "/spec/externalTrafficPolicy") == "Local",
                    health_check_node_port: svc
                        .ptr("/spec/healthCheckNodePort")
                        .and_then(Value::as_u64)
                        .map(|p| p as Port),
                    source_ranges: svc
                        .ptr("/spec/loadBalancerSourceRanges")
                        .and_then(Value::as_array)
                        .map(Vec::as_slice)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|r| Cidr::parse(r.as_str()?.trim()))
                        .collect(),
                    endpoints: match target {
                        Some(target_port) => all_addresses
                            .iter()
                            .map(|(ip, _, node, ready)| Endpoint {
                                ip: *ip,
                                port: target_port,
                                ready: *ready,
                                node: node.clone(),
                            })
                            .collect(),
                        None => Vec::new(),
                    },
                });
            }
            dns.services.push(DnsService {
                namespace: namespace.clone(),
                name: name.clone(),
                cluster_ip,
                external_name: (service_type == ServiceType::ExternalName)
                    .then(|| text(svc, "/spec/externalName").to_owned()),
                ports: dns_ports,
                endpoints: all_addresses
                    .iter()
                    .map(|(ip, hostname, _, ready)| DnsEndpoint {
                        ip: *ip,
                        hostname: hostname.clone(),
                        ready: *ready,
                    })
                    .collect(),
            });
        }
        let pool = cni::pool(cni);
        let rules = sync_rules(
            &services,
            &ProxyConfig {
                cluster_cidr: Some(pool),
                ..ProxyConfig::default()
            },
        );
        let namespace_labels = crate::sort::map_from(
            store
                .list(Kind::Namespace, None)
                .into_iter()
                .map(|ns| (text(ns, "/metadata/name").to_owned(), labels_of(ns))),
        );
        Snapshot {
            cni,
            nodes,
            pods,
            meta,
            services,
            dns,
            rules,
            // Looked up by resource name so this keeps working whether or not the API layer
            // knows NetworkPolicy yet.
            policies: Kind::from_resource("networkpolicies")
                .map(|kind| store.list(kind, None).into_iter().cloned().collect())
                .unwrap_or_default(),
            namespace_labels,
            service_objects,
            now_unix: store.now_unix(),
            announced: crate::controllers::loadbalancer::announcements(world),
            node_rules: Vec::new(),
        }
        .with_node_rules()
    }

    fn with_node_rules(mut self) -> Snapshot {
        if self.services.iter().any(|s| s.external_local) {
            self.node_rules = self
                .nodes
                .iter()
                .map(|n| (n.name.clone(), self.rules_for(&n.name)))
                .collect();
        }
        self
    }

    /// The rules on `node`: kube-proxy's (they differ between nodes only for
    /// `externalTrafficPolicy: Local` services), then Docker's and the CNI plugin's.
    pub fn rules_for(&self, node: &str) -> Ruleset {
        let mut rules = sync_rules(
            &self.services,
            &ProxyConfig {
                cluster_cidr: Some(cni::pool(self.cni)),
                node_name: Some(node.to_owned()),
                ..ProxyConfig::default()
            },
        );
        if let Some(node) = self.nodes.iter().find(|n| n.name == node) {
            crate::net::host_rules::add(&mut rules, self.cni, node.block);
        }
        rules
    }

    fn pod_index(&self, namespace: &str, name: &str) -> Option<usize> {
        self.pods
            .iter()
            .position(|p| p.namespace == namespace && p.name == name)
    }

    /// Whether NetworkPolicy lets the connection through (used only by plugins that enforce).
    fn policy_allows(
        &self,
        source: Option<&PodNet>,
        source_ip: Ipv4,
        target: &PodNet,
        port: Port,
        protocol: Option<Protocol>,
    ) -> bool {
        if self.policies.is_empty() {
            return true;
        }
        let Some(protocol) = protocol else {
            return true;
        };
        let meta_of = |pod: &PodNet| {
            self.pod_index(&pod.namespace, &pod.name)
                .and_then(|i| self.meta.get(i))
        };
        let empty = Labels::new();
        let target_labels = meta_of(target).map_or(&empty, |m| &m.labels);
        let target_pod = PolicyPod {
            namespace: &target.namespace,
            labels: target_labels,
            ip: target.ip.unwrap_or(Ipv4(0)),
        };
        let source_labels = source.and_then(meta_of).map_or(&empty, |m| &m.labels);
        let source_pod = source.map(|s| PolicyPod {
            namespace: &s.namespace,
            labels: source_labels,
            ip: source_ip,
        });
        let policies: Vec<&Value> = self.policies.iter().collect();
        let namespaces = |ns: &str| self.namespace_labels.get(ns).cloned();
        policy::allows(
            &policies,
            &namespaces,
            source_pod.as_ref(),
            source_ip,
            &target_pod,
            port,
            protocol,
        )
    }
}

fn finish(world: &mut World, elapsed_ms: u64) {
    if elapsed_ms > 0 {
        let now = world.now.saturating_add_millis(elapsed_ms);
        world.advance_to(now);
    }
}

const MOTD: &str = "Welcome to Ubuntu 22.04.5 LTS (GNU/Linux 5.15.0-140-generic x86_64)

 * Documentation:  https://help.ubuntu.com
 * Management:     https://landscape.canonical.com
 * Support:        https://ubuntu.com/pro
";

/// `ssh NODE` from a node shell: opens that node's shell.
pub fn ssh(argv: &[String], user: &str) -> CommandOutput {
    let target_at = argv
        .iter()
        .skip(1)
        .position(|a| !a.starts_with('-'))
        .map(|i| i + 1);
    let target = target_at.and_then(|i| argv.get(i));
    // Words after the destination are a command for the remote shell, joined as ssh does.
    let remote_command = target_at
        .map(|i| argv[i + 1..].join(" "))
        .filter(|command| !command.is_empty());
    let Some(target) = target else {
        return CommandOutput {
            stderr: "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface]\n           [-b bind_address] [-c cipher_spec] [-D [bind_address:]port]\n           [-E log_file] [-e escape_char] [-F configfile] [-I pkcs11]\n           [-i identity_file] [-J [user@]host[:port]] [-L address]\n           [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option] [-p port]\n           [-Q query_option] [-R address] [-S ctl_path] [-W host:port]\n           [-w local_tun[:remote_tun]] destination [command [argument ...]]\n".to_owned(),
            exit_code: 255,
            ..CommandOutput::default()
        };
    };
    let (login, host) = match target.split_once('@') {
        Some((login, host)) => (login.to_owned(), host.to_owned()),
        None => (user.to_owned(), target.clone()),
    };
    let node = NODES
        .iter()
        .find(|n| n.name == host || n.ip == host)
        .map(|n| n.name)
        .or_else(|| {
            (host == crate::net::client_host::NAME
                || host == crate::net::dataplane::EXTERNAL_CLIENT.to_string())
            .then_some(crate::net::client_host::NAME)
        });
    match node {
        Some(node) => CommandOutput {
            // A remote command gets no login banner (no terminal, no login shell).
            stdout: if remote_command.is_some() {
                String::new()
            } else {
                MOTD.to_owned()
            },
            enter: Some(Location::Node {
                node: node.to_owned(),
                user: login,
            }),
            remote_command,
            ..CommandOutput::default()
        },
        None => CommandOutput {
            stderr: format!(
                "ssh: Could not resolve hostname {host}: Temporary failure in name resolution\n"
            ),
            exit_code: 255,
            ..CommandOutput::default()
        },
    }
}

/// A command typed in a node's shell (`None`: no such command on the node).
pub fn run_node_command(
    world: &mut World,
    node: &str,
    argv: &[String],
    _stdin: &str,
    as_root: bool,
) -> Option<CommandOutput> {
    let snapshot = Snapshot::of(world);
    let node_net = snapshot.nodes.iter().find(|n| n.name == node)?.clone();
    let node_pods: Vec<NodePod> = snapshot
        .pods
        .iter()
        .zip(&snapshot.meta)
        .filter(|(p, _)| p.node == node)
        .map(|(p, m)| NodePod {
            namespace: p.namespace.clone(),
            name: p.name.clone(),
            uid: m.uid.clone(),
            created_unix: m.created_unix,
            ready: m.ready,
            containers: m
                .containers
                .iter()
                .map(|c| (c.name.clone(), c.image.clone(), c.started))
                .collect(),
            restarts: m.restarts,
        })
        .collect();
    let policy = |s: Option<&PodNet>, ip: Ipv4, t: &PodNet, port: Port, proto: Option<Protocol>| {
        snapshot.policy_allows(s, ip, t, port, proto)
    };
    let node_rules = snapshot.rules_for(node);
    let net = Network {
        cni: snapshot.cni,
        nodes: &snapshot.nodes,
        pods: &snapshot.pods,
        rules: &node_rules,
        dns: &snapshot.dns,
        policy: Some(&policy),
        forwards: &world.net.forwards,
        node_rules: &snapshot.node_rules,
        announced: &snapshot.announced,
    };
    let view = NodeView {
        node: &node_net,
        net: &net,
        pods: &node_pods,
        now_unix: snapshot.now_unix,
        net_tools: world.net.net_tools.contains(node),
        is_control_plane: NODES.iter().any(|n| n.name == node && n.control_plane),
    };
    let out = node::run(&view, &mut world.rng, argv, as_root)?;
    // kubectl port-forward announces each connection it carries on its own stdout.
    for trace in &out.traces {
        for step in &trace.steps {
            if let StepKind::Deliver {
                target,
                port: Some(port),
                ..
            } = &step.kind
                && target == PORT_FORWARD
            {
                world
                    .net
                    .forward_log
                    .push_str(&format!("Handling connection for {port}\n"));
            }
        }
    }
    if out.installed_net_tools {
        world.net.net_tools.insert(node.to_owned());
    }
    finish(world, out.elapsed_ms);
    Some(CommandOutput {
        stdout: out.stdout,
        stderr: out.stderr,
        exit_code: out.exit_code,
        traces: out.traces,
        ..CommandOutput::default()
    })
}

/// A command typed in the outside client's shell (`ssh client`); `None`: no such command.
pub fn run_client_command(world: &mut World, argv: &[String]) -> Option<CommandOutput> {
    let snapshot = Snapshot::of(world);
    // The client's packets may enter at any node: each node's own rules.
    let node_rules: Vec<(String, Ruleset)> = snapshot
        .nodes
        .iter()
        .map(|n| (n.name.clone(), snapshot.rules_for(&n.name)))
        .collect();
    let net = Network {
        cni: snapshot.cni,
        nodes: &snapshot.nodes,
        pods: &snapshot.pods,
        rules: &snapshot.rules,
        dns: &snapshot.dns,
        policy: Some(&|s: Option<&PodNet>,
                       ip: Ipv4,
                       t: &PodNet,
                       port: Port,
                       proto: Option<Protocol>| {
            snapshot.policy_allows(s, ip, t, port, proto)
        }),
        node_rules: &node_rules,
        announced: &snapshot.announced,
        // kubectl port-forward listens on a node's loopback, which the client cannot reach.
        forwards: &[],
    };
    let out = crate::net::client_host::run(&net, &mut world.rng, argv, snapshot.now_unix)?;
    finish(world, out.elapsed_ms);
    Some(CommandOutput {
        stdout: out.stdout,
        stderr: out.stderr,
        exit_code: out.exit_code,
        traces: out.traces,
        ..CommandOutput::default()
    })
}

/// A command run in a container. `interactive`: typed in `kubectl exec -it ... sh`, where a
/// missing program is the shell's "not found" (`None`), not the runtime's exec error.
pub fn run_in_container(
    world: &mut World,
    namespace: &str,
    pod: &str,
    container_name: &str,
    argv: &[String],
    _stdin: &str,
    interactive: bool,
) -> Option<CommandOutput> {
    let snapshot = Snapshot::of(world);
    let index = snapshot.pod_index(namespace, pod)?;
    let pod_net = snapshot.pods.get(index)?;
    let meta = snapshot.meta.get(index)?;
    let (image, env) = meta
        .containers
        .iter()
        .find(|c| c.name == container_name)
        .map(|c| (c.image.clone(), c.env.clone()))?;
    let program = argv.first()?;
    if interactive && !crate::net::apps::lookup(&image).has(program) {
        return None;
    }
    // Service variables: services of the pod's namespace (and `kubernetes`) that existed
    // when the pod started.
    let env_services: Vec<EnvServiceData> = snapshot
        .service_objects
        .iter()
        .filter(|s| {
            let ns = text(s, "/metadata/namespace");
            (ns == namespace || (ns == "default" && text(s, "/metadata/name") == "kubernetes"))
                && created(s) <= meta.created_unix
        })
        .filter_map(|s| {
            let ip = Ipv4::parse(text(s, "/spec/clusterIP"))?;
            let ports = s
                .ptr("/spec/ports")
                .and_then(Value::as_array)?
                .iter()
                .map(|p| {
                    (
                        text(p, "/name").to_owned(),
                        Protocol::parse(text(p, "/protocol")).unwrap_or(Protocol::Tcp),
                        p.get("port").and_then(Value::as_u64).unwrap_or(0) as Port,
                    )
                })
                .collect();
            Some((text(s, "/metadata/name").to_owned(), ip, ports))
        })
        .collect();
    let env_refs: Vec<EnvService<'_>> = env_services
        .iter()
        .map(|(name, ip, ports)| EnvService {
            name,
            cluster_ip: *ip,
            ports,
        })
        .collect();
    let service_env = container::service_env(&env_refs);
    let policy = |s: Option<&PodNet>, ip: Ipv4, t: &PodNet, port: Port, proto: Option<Protocol>| {
        snapshot.policy_allows(s, ip, t, port, proto)
    };
    let node_rules = snapshot.rules_for(&pod_net.node);
    let files_key = world
        .store
        .get(Kind::Pod, namespace, pod)
        .map(|p| container_files_key(text(p, "/metadata/uid"), container_name));
    let net = Network {
        cni: snapshot.cni,
        nodes: &snapshot.nodes,
        pods: &snapshot.pods,
        rules: &node_rules,
        dns: &snapshot.dns,
        policy: Some(&policy),
        // A process in a pod reaches its own localhost; kubectl listens on nodes only.
        forwards: &[],
        node_rules: &snapshot.node_rules,
        announced: &snapshot.announced,
    };
    let view = ContainerView {
        net: &net,
        pod: pod_net,
        container: container_name,
        image: &image,
        env: &env,
        service_env: &service_env,
        tty: interactive,
        now_unix: snapshot.now_unix,
        files: files_key
            .as_ref()
            .and_then(|key| world.net.container_files.get(key)),
    };
    let out = container::exec(&view, &mut world.rng, argv)?;
    finish(world, out.elapsed_ms);
    Some(CommandOutput {
        stdout: out.stdout,
        stderr: out.stderr,
        exit_code: out.exit_code,
        traces: out.traces,
        ..CommandOutput::default()
    })
}

/// `kubectl exec POD [-c C] -- CMD...` (not interactive): what the container printed.
pub fn run(
    world: &mut World,
    namespace: &str,
    pod: &str,
    container: &str,
    argv: &[String],
    stdin: &str,
) -> Option<CommandOutput> {
    run_in_container(world, namespace, pod, container, argv, stdin, false)
}

/// Files the system provides at a location (`/etc/resolv.conf`, `/etc/hosts`).
pub fn system_file(world: &World, location: &Location, path: &str) -> Option<String> {
    match location {
        Location::Node { .. } => node::node_file(path).map(str::to_owned),
        Location::Container {
            namespace,
            pod,
            container,
        } => {
            if let Some(text) =
                copied_files(world, namespace, pod, container).and_then(|files| files.read(path))
            {
                return Some(text.to_owned());
            }
            let snapshot = Snapshot::of(world);
            let index = snapshot.pod_index(namespace, pod)?;
            container::container_file(snapshot.pods.get(index)?, path)
        }
    }
}

/// Directories the system provides at a location that the student did not make: in a
/// container, what `kubectl cp` put there.
pub fn system_dir(
    world: &World,
    location: &Location,
    path: &str,
) -> Option<Vec<crate::shell::DirEntry>> {
    let Location::Container {
        namespace,
        pod,
        container,
    } = location
    else {
        return None;
    };
    copied_files(world, namespace, pod, container)?
        .list_dir(path)
        .ok()
}

/// The directory a shell opened in a container starts in: the image's working directory
/// (`root@http-go-…:/usr/src/app#`).
pub fn workdir(world: &World, location: &Location) -> Option<String> {
    let Location::Container {
        namespace,
        pod,
        container,
    } = location
    else {
        return None;
    };
    let pod = world.store.get(Kind::Pod, namespace, pod)?;
    let image = pod
        .ptr("/spec/containers")?
        .as_array()?
        .iter()
        .find(|c| text(c, "/name") == container)
        .map(|c| text(c, "/image"))?;
    let workdir = crate::net::apps::lookup(image).workdir;
    (workdir != "/").then(|| workdir.to_owned())
}
