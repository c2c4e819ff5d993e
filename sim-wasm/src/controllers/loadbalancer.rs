//! MetalLB (v0.14.9, layer 2), installed only when a lesson asks for it
//! (`Cluster::with_load_balancer`): its `metallb-system` namespace, `controller` Deployment and
//! `speaker` DaemonSet, and the two loops that matter to a student — the controller writing
//! `status.loadBalancer.ingress[].ip` (event `IPAllocated`, or `AllocationFailed`) and taking
//! it back when the Service stops being a LoadBalancer, and the speaker electing the node that
//! answers ARP for the address (event `nodeAssigned`).
//!
//! Without MetalLB nothing here runs and `EXTERNAL-IP` stays `<pending>`, as on a real kubeadm
//! cluster. The pool and the election are pure functions in `net::metallb`; the dataplane reads
//! the same election to send an outside client's packet to the announcing node.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::events;
use crate::api::{Kind, Ptr};
use crate::commands::World;
use crate::net::addr::Ipv4;
use crate::net::metallb::{self, Pool};
use crate::time::SimTime;

/// Which load balancer the cluster has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadBalancer {
    /// kubeadm's default: no controller, LoadBalancer Services stay `<pending>`.
    #[default]
    None,
    /// MetalLB in layer-2 mode with the pool 192.168.56.200–192.168.56.250.
    Metallb,
}

impl LoadBalancer {
    pub const ALL: [LoadBalancer; 2] = [LoadBalancer::None, LoadBalancer::Metallb];

    /// The name lessons, exercises and `kubesim --load-balancer` use.
    pub fn name(self) -> &'static str {
        match self {
            LoadBalancer::None => "none",
            LoadBalancer::Metallb => "metallb",
        }
    }

    pub fn from_name(name: &str) -> Option<LoadBalancer> {
        LoadBalancer::ALL.into_iter().find(|lb| lb.name() == name)
    }
}

pub const NAMESPACE: &str = "metallb-system";
const IMAGE_VERSION: &str = "v0.14.9";
const ALLOCATED_FROM_POOL: &str = "metallb.universe.tf/ip-allocated-from-pool";

/// The cluster was installed this long before `SimTime::ZERO`; MetalLB with it.
const INSTALLED_SECONDS_AGO: i64 = 10 * 86_400;

/// Installs MetalLB into a freshly created world, backdated like the other add-ons. Only
/// meaningful before the student's first command.
pub(crate) fn install(world: &mut World, pool: Pool) {
    world.net.metallb = Some(pool);
    let (now, offset) = (world.now, world.clock_offset_secs);
    world.now = SimTime::ZERO;
    world.clock_offset_secs = -INSTALLED_SECONDS_AGO;
    super::sync_clock(world);
    let objects = [
        (
            Kind::Namespace,
            json!({"metadata": {"name": NAMESPACE, "labels": {
                "kubernetes.io/metadata.name": NAMESPACE,
                "pod-security.kubernetes.io/audit": "privileged",
                "pod-security.kubernetes.io/enforce": "privileged",
                "pod-security.kubernetes.io/warn": "privileged"}},
                "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}),
        ),
        (
            Kind::Deployment,
            json!({
                "metadata": {"name": "controller", "namespace": NAMESPACE,
                    "labels": {"app": "metallb", "component": "controller"}},
                "spec": {"replicas": 1, "revisionHistoryLimit": 3,
                    "selector": {"matchLabels": {"app": "metallb", "component": "controller"}},
                    "template": {"metadata": {"labels": {"app": "metallb", "component": "controller"}},
                        "spec": {"containers": [{"name": "controller",
                            "image": format!("quay.io/metallb/controller:{IMAGE_VERSION}"),
                            "args": ["--port=7472", "--log-level=info", "--tls-min-version=VersionTLS12"],
                            "ports": [{"containerPort": 7472, "name": "monitoring", "protocol": "TCP"},
                                {"containerPort": 9443, "name": "webhook-server", "protocol": "TCP"}]}],
                            "nodeSelector": {"kubernetes.io/os": "linux"},
                            "serviceAccountName": "controller",
                            "terminationGracePeriodSeconds": 0}}}
            }),
        ),
        (
            Kind::DaemonSet,
            json!({
                "metadata": {"name": "speaker", "namespace": NAMESPACE,
                    "labels": {"app": "metallb", "component": "speaker"}},
                "spec": {"selector": {"matchLabels": {"app": "metallb", "component": "speaker"}},
                    "template": {"metadata": {"labels": {"app": "metallb", "component": "speaker"}},
                        "spec": {"containers": [{"name": "speaker",
                            "image": format!("quay.io/metallb/speaker:{IMAGE_VERSION}"),
                            "args": ["--port=7472", "--log-level=info"],
                            "ports": [{"containerPort": 7472, "name": "monitoring", "protocol": "TCP"},
                                {"containerPort": 7946, "name": "memberlist-tcp", "protocol": "TCP"},
                                {"containerPort": 7946, "name": "memberlist-udp", "protocol": "UDP"}]}],
                            "hostNetwork": true,
                            "nodeSelector": {"kubernetes.io/os": "linux"},
                            "serviceAccountName": "speaker",
                            "terminationGracePeriodSeconds": 2,
                            "tolerations": [
                                {"effect": "NoSchedule", "key": "node-role.kubernetes.io/master", "operator": "Exists"},
                                {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}]}},
                    "updateStrategy": {"type": "RollingUpdate",
                        "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}}
            }),
        ),
    ];
    for (kind, mut obj) in objects {
        crate::api::validate::apply_defaults(kind, &mut obj);
        let World { store, rng, .. } = world;
        let _ = store.create(kind, obj, rng);
    }
    super::settle(world);
    world.now = now;
    world.clock_offset_secs = offset;
    super::sync_clock(world);
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.ptr(pointer).and_then(Value::as_str).unwrap_or("")
}

fn running_pods<'a>(world: &'a World, component: &str) -> Vec<&'a Value> {
    world
        .store
        .list(Kind::Pod, Some(NAMESPACE))
        .into_iter()
        .filter(|p| {
            text(p, "/metadata/labels/component") == component
                && text(p, "/status/phase") == "Running"
        })
        .collect()
}

/// The nodes whose speaker may announce: a running speaker pod, and no
/// `node.kubernetes.io/exclude-from-external-load-balancers` label (kubeadm's control plane).
pub(crate) fn speaker_nodes(world: &World) -> Vec<String> {
    let mut nodes: Vec<String> = running_pods(world, "speaker")
        .into_iter()
        .map(|p| text(p, "/spec/nodeName").to_owned())
        .filter(|node| {
            world.store.get(Kind::Node, "", node).is_some_and(|n| {
                n.ptr("/metadata/labels/node.kubernetes.io~1exclude-from-external-load-balancers")
                    .is_none()
            })
        })
        .collect();
    crate::sort::sort(&mut nodes);
    nodes.dedup();
    nodes
}

/// Nodes holding a ready endpoint of the service.
pub(crate) fn endpoint_nodes(world: &World, namespace: &str, name: &str) -> Vec<String> {
    let mut nodes: Vec<String> = world
        .store
        .get(Kind::Endpoints, namespace, name)
        .and_then(|e| e.get("subsets"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .flat_map(|s| {
            s.get("addresses")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default()
        })
        .filter_map(|a| a.get("nodeName").and_then(Value::as_str).map(str::to_owned))
        .collect();
    crate::sort::sort(&mut nodes);
    nodes.dedup();
    nodes
}

fn ingress_ips(svc: &Value) -> Vec<Ipv4> {
    svc.ptr("/status/loadBalancer/ingress")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|i| Ipv4::parse(i.get("ip")?.as_str()?))
        .collect()
}

/// Every announced load-balancer address and the node that answers ARP for it.
pub(crate) fn announcements(world: &World) -> Vec<(Ipv4, String)> {
    if world.net.metallb.is_none() {
        return Vec::new();
    }
    let speakers = speaker_nodes(world);
    let mut out = Vec::new();
    for svc in world.store.list(Kind::Service, None) {
        if text(svc, "/spec/type") != "LoadBalancer" {
            continue;
        }
        let (ns, name) = (
            text(svc, "/metadata/namespace"),
            text(svc, "/metadata/name"),
        );
        let local = text(svc, "/spec/externalTrafficPolicy") == "Local";
        let endpoints = endpoint_nodes(world, ns, name);
        for ip in ingress_ips(svc) {
            if let Some(node) = metallb::announcing_node(ip, &speakers, &endpoints, local) {
                out.push((ip, node));
            }
        }
    }
    out
}

fn creation_key(v: &Value) -> (String, u64) {
    (
        text(v, "/metadata/creationTimestamp").to_owned(),
        text(v, "/metadata/resourceVersion").parse().unwrap_or(0),
    )
}

/// One pass of MetalLB's controller and speakers. Returns whether anything changed.
pub(super) fn sync(world: &mut World) -> bool {
    let Some(pool) = world.net.metallb else {
        return false;
    };
    let controller_up = !running_pods(world, "controller").is_empty();
    let mut services: Vec<Value> = world
        .store
        .list(Kind::Service, None)
        .into_iter()
        .cloned()
        .collect();
    crate::sort::sort_by_key(&mut services, creation_key);
    let mut taken: Vec<Ipv4> = services
        .iter()
        .filter(|s| text(s, "/spec/type") == "LoadBalancer")
        .flat_map(ingress_ips)
        .filter(|ip| pool.contains(*ip))
        .collect();
    let mut changed = false;
    for svc in &services {
        let (ns, name) = (
            text(svc, "/metadata/namespace").to_owned(),
            text(svc, "/metadata/name").to_owned(),
        );
        let is_lb = text(svc, "/spec/type") == "LoadBalancer";
        let ours = svc
            .ptr("/metadata/annotations")
            .and_then(|a| a.get(ALLOCATED_FROM_POOL))
            .is_some();
        if !is_lb {
            // `kubectl apply` may have dropped the annotation; an address from the pool in
            // the status is just as much ours.
            let holds_pool_address = ingress_ips(svc).iter().any(|ip| pool.contains(*ip));
            if (ours || holds_pool_address) && controller_up {
                changed |= release(world, svc);
            }
            continue;
        }
        if !ingress_ips(svc).is_empty() || !controller_up {
            continue;
        }
        let requested = text(svc, "/spec/loadBalancerIP");
        let choice = if requested.is_empty() {
            pool.first_free(&taken)
                .ok_or_else(|| "no available IPs".to_owned())
        } else {
            match Ipv4::parse(requested) {
                Some(ip) if !pool.contains(ip) => Err(format!("\"{ip}\" is not allowed in config")),
                Some(ip) if taken.contains(&ip) => {
                    Err("existing service does not allow sharing".to_owned())
                }
                Some(ip) => Ok(ip),
                None => Err(format!("invalid spec.loadBalancerIP \"{requested}\"")),
            }
        };
        match choice {
            Ok(ip) => {
                taken.push(ip);
                let mut updated = svc.clone();
                if let Some(meta) = updated.get_mut("metadata").and_then(Value::as_object_mut) {
                    let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
                    if let Some(a) = annotations.as_object_mut() {
                        a.insert(ALLOCATED_FROM_POOL.to_owned(), json!(metallb::POOL_NAME));
                    }
                }
                let _ = world.store.update(Kind::Service, updated);
                let status =
                    json!({"loadBalancer": {"ingress": [{"ip": ip.to_string(), "ipMode": "VIP"}]}});
                world.store.set_status(Kind::Service, &ns, &name, status);
                events::record(
                    world,
                    svc,
                    "Normal",
                    "IPAllocated",
                    &format!("Assigned IP [\"{ip}\"]"),
                    "metallb-controller",
                );
                changed = true;
            }
            Err(reason) => {
                events::record(
                    world,
                    svc,
                    "Warning",
                    "AllocationFailed",
                    &format!("Failed to allocate IP for \"{ns}/{name}\": {reason}"),
                    "metallb-controller",
                );
            }
        }
    }
    changed | announce(world)
}

/// The controller's `clearServiceState`: the address goes back to the pool.
fn release(world: &mut World, svc: &Value) -> bool {
    let (ns, name) = (
        text(svc, "/metadata/namespace").to_owned(),
        text(svc, "/metadata/name").to_owned(),
    );
    let mut updated = svc.clone();
    if let Some(annotations) = updated
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        annotations.remove(ALLOCATED_FROM_POOL);
    }
    let _ = world.store.update(Kind::Service, updated);
    world
        .store
        .set_status(Kind::Service, &ns, &name, json!({"loadBalancer": {}}));
    true
}

/// The speakers' election; a `nodeAssigned` event each time a service's announcing node
/// changes (the elected speaker reports it).
fn announce(world: &mut World) -> bool {
    let speakers = speaker_nodes(world);
    let services: Vec<Value> = world
        .store
        .list(Kind::Service, None)
        .into_iter()
        .filter(|s| text(s, "/spec/type") == "LoadBalancer")
        .cloned()
        .collect();
    let mut now: BTreeMap<String, String> = BTreeMap::new();
    for svc in &services {
        let (ns, name) = (
            text(svc, "/metadata/namespace"),
            text(svc, "/metadata/name"),
        );
        let local = text(svc, "/spec/externalTrafficPolicy") == "Local";
        let endpoints = endpoint_nodes(world, ns, name);
        let Some(ip) = ingress_ips(svc).first().copied() else {
            continue;
        };
        let Some(node) = metallb::announcing_node(ip, &speakers, &endpoints, local) else {
            continue;
        };
        let key = format!("{ns}/{name}");
        if world.net.announced.get(&key) != Some(&node) {
            events::record(
                world,
                svc,
                "Normal",
                "nodeAssigned",
                &format!("announcing from node \"{node}\" with protocol \"layer2\""),
                "metallb-speaker",
            );
        }
        now.insert(key, node);
    }
    // Only events were written: the election itself is derived state, not an object.
    world.net.announced = now;
    false
}

#[cfg(test)]
mod tests;
