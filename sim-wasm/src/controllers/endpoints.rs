//! The endpoints and endpointslice controllers: for every service with a selector, the
//! pods it selects that have an IP — ready ones as `addresses` / `ready: true`, the others
//! as `notReadyAddresses` / `ready: false`.

use crate::api::Ptr;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::object;
use super::workloads::{name_of, ns_of, pod_ready, uid_of};
use crate::api::Kind;
use crate::commands::World;

/// A service port's target on one pod: a number, or a named container port.
fn target_port(svc_port: &Value, pod: &Value) -> Option<i64> {
    match svc_port.get("targetPort") {
        Some(Value::Number(n)) => n.as_i64(),
        Some(Value::String(name)) => pod
            .at(&["spec", "containers"])
            .and_then(Value::as_array)?
            .iter()
            .flat_map(|c| {
                c.get("ports")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
            })
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name.as_str()))
            .and_then(|p| p.get("containerPort").and_then(Value::as_i64)),
        _ => svc_port.get("port").and_then(Value::as_i64),
    }
}

fn ip_key(ip: &str) -> Vec<u32> {
    ip.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// What the endpoints of a service say about one selected pod (one with an address).
struct Target<'a> {
    pod: &'a Value,
    ip: &'a Value,
    node: Option<&'a Value>,
    name: &'a str,
    uid: &'a str,
    ready: bool,
}

impl<'a> Target<'a> {
    /// Read once per pod: the pod is walked for each field, and the endpoints and the
    /// slice both need them. `ready`: [`pod_ready`], which the store's pod entry holds.
    fn of(pod: &'a Value, ready: bool) -> Option<Target<'a>> {
        let status = pod.get("status");
        let spec = pod.get("spec");
        let meta = |field: &str| super::workloads::meta(pod, field);
        Some(Target {
            pod,
            ip: status?.get("podIP")?,
            node: spec.and_then(|s| s.get("nodeName")),
            name: meta("name"),
            uid: meta("uid"),
            ready,
        })
    }
}

/// One selected pod as the endpoints show it, copied out of the store.
struct Address {
    ip: Value,
    node: Value,
    name: String,
    uid: String,
    ready: bool,
}

/// What one service's endpoints and slice are made of, computed while the store is only
/// read. The objects themselves are built just before each is written: building all of
/// them first kept a second copy of every service's endpoints alive at once, and a large
/// cluster's settle spent a fifth of its time having the kernel hand out fresh pages.
struct Work {
    ns: String,
    name: String,
    key: String,
    print: String,
    svc_uid: String,
    svc_labels: Value,
    ports: Vec<Value>,
    /// By address.
    addresses: Vec<Address>,
    /// The name of the service's existing slice (it keeps it).
    existing_slice: Option<String>,
}

impl Work {
    /// The Endpoints object and the EndpointSlice (its name still to be chosen).
    fn objects(&self) -> (Value, Value) {
        let (ns, name) = (&self.ns, &self.name);
        let target_ref = |p: &Address| {
            object([
                ("kind", Value::String("Pod".to_owned())),
                ("name", Value::String(p.name.clone())),
                ("namespace", Value::String(ns.clone())),
                ("uid", Value::String(p.uid.clone())),
            ])
        };
        let address = |p: &Address| {
            object([
                ("ip", p.ip.clone()),
                ("nodeName", p.node.clone()),
                ("targetRef", target_ref(p)),
            ])
        };
        let pods = &self.addresses;
        let ready: Vec<Value> = pods.iter().filter(|p| p.ready).map(address).collect();
        let not_ready: Vec<Value> = pods.iter().filter(|p| !p.ready).map(address).collect();
        let svc_labels = self.svc_labels.clone();
        let mut endpoints = json!({
            "metadata": {"name": name, "namespace": ns}
        });
        if svc_labels.as_object().is_none_or(|m| !m.is_empty()) {
            endpoints["metadata"]["labels"] = svc_labels.clone();
        }
        if !pods.is_empty() {
            let mut subset = Map::with_capacity(3);
            if !ready.is_empty() {
                subset.insert("addresses".to_owned(), Value::Array(ready));
            }
            if !not_ready.is_empty() {
                subset.insert("notReadyAddresses".to_owned(), Value::Array(not_ready));
            }
            subset.insert("ports".to_owned(), Value::Array(self.ports.clone()));
            endpoints["subsets"] = Value::Array(vec![Value::Object(subset)]);
        }

        let mut labels = svc_labels;
        labels["endpointslice.kubernetes.io/managed-by"] = json!("endpointslice-controller.k8s.io");
        labels["kubernetes.io/service-name"] = json!(name);
        let slice_endpoints: Vec<Value> = pods
            .iter()
            .map(|p| {
                let r = Value::Bool(p.ready);
                object([
                    ("addresses", Value::Array(vec![p.ip.clone()])),
                    (
                        "conditions",
                        object([
                            ("ready", r.clone()),
                            ("serving", r),
                            ("terminating", Value::Bool(false)),
                        ]),
                    ),
                    ("nodeName", p.node.clone()),
                    ("targetRef", target_ref(p)),
                ])
            })
            .collect();
        let slice_ports: Vec<Value> = self
            .ports
            .iter()
            .map(|p| {
                json!({"name": p.get("name").cloned().unwrap_or(json!("")),
                    "port": p.get("port").cloned().unwrap_or_default(),
                    "protocol": p.get("protocol").cloned().unwrap_or(json!("TCP"))})
            })
            .collect();
        let mut slice = json!({
            "metadata": {
                "namespace": ns,
                "generateName": format!("{name}-"),
                "ownerReferences": [{"apiVersion": "v1", "blockOwnerDeletion": true,
                    "controller": true, "kind": "Service", "name": name, "uid": self.svc_uid}]
            },
            "addressType": "IPv4",
        });
        slice["metadata"]["labels"] = labels;
        slice["endpoints"] = Value::Array(slice_endpoints);
        if !pods.is_empty() {
            slice["ports"] = Value::Array(slice_ports);
        }
        (endpoints, slice)
    }
}

pub(super) fn sync(world: &mut World) -> bool {
    let mut changed = false;
    // Two phases: what every service's endpoints hold is gathered first, borrowing pods and
    // services from the store, then each service's objects are built and written in the
    // same order. Writing endpoints changes nothing the gathering reads, so the result (and
    // the order of random draws) is the same as doing one service at a time.
    let work = plan(world);
    for w in work {
        let (endpoints, mut slice) = w.objects();
        world.fingerprints.insert(w.key, w.print);
        changed |= put(world, Kind::Endpoints, &w.ns, &w.name, endpoints);

        // EndpointSlice: keep the generated name of an existing slice.
        let slice_name = match w.existing_slice {
            Some(n) => n,
            None => format!("{}-{}", w.name, world.rng.name_suffix(5)),
        };
        slice["metadata"]["name"] = json!(slice_name);
        changed |= put(world, Kind::EndpointSlice, &w.ns, &slice_name, slice);
    }
    // Endpoints whose service is gone.
    let stale: Vec<(String, String)> = world
        .store
        .list(Kind::Endpoints, None)
        .into_iter()
        .filter(|e| {
            let meta = |field: &str| super::workloads::meta(e, field);
            world
                .store
                .get(Kind::Service, meta("namespace"), meta("name"))
                .is_none()
        })
        .map(|e| (ns_of(e), name_of(e)))
        .collect();
    for (ns, name) in stale {
        world.store.remove(Kind::Endpoints, &ns, &name);
        changed = true;
    }
    changed
}

/// A pod found by one of its labels, with its readiness.
type Labelled<'a> = (&'a Value, bool);

/// The services whose endpoints must be (re)written, with their new endpoints and slices.
fn plan(world: &World) -> Vec<Work> {
    let store = &world.store;
    // Pods by (namespace, label, value), borrowed from the store, each with its
    // readiness from the store's pod entry (the same [`pod_ready`], computed when the pod
    // was written) rather than from a walk of its conditions.
    let pods = store.list(Kind::Pod, None);
    let ready: Vec<bool> = match store.pod_rows_in_step() {
        Some(entries) => entries.iter().map(|(_, _, e)| e.ready).collect(),
        None => pods.iter().map(|p| pod_ready(p)).collect(),
    };
    // Only the labels services look pods up by (the first of each selector, below) are
    // indexed: the others would never be asked for.
    let mut looked_up: BTreeSet<(&str, &str)> = BTreeSet::new();
    for svc in store.list(Kind::Service, None) {
        if let Some(first) = svc
            .at(&["spec", "selector"])
            .and_then(Value::as_object)
            .and_then(|m| m.keys().next())
        {
            looked_up.insert((super::workloads::meta(svc, "namespace"), first.as_str()));
        }
    }
    let mut by_label: BTreeMap<(&str, &str, &str), Vec<Labelled>> = BTreeMap::new();
    for (p, ready) in pods.into_iter().zip(ready) {
        if let Some(Value::Object(labels)) = p.get("metadata").and_then(|m| m.get("labels")) {
            let ns = super::workloads::meta(p, "namespace");
            for (k, v) in labels {
                if !looked_up.contains(&(ns, k.as_str())) {
                    continue;
                }
                by_label
                    .entry((ns, k.as_str(), v.as_str().unwrap_or_default()))
                    .or_default()
                    .push((p, ready));
            }
        }
    }
    // The slice of each service, by its `kubernetes.io/service-name` label.
    let mut slices: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for sl in store.list(Kind::EndpointSlice, None) {
        if let Some(svc) = sl
            .get("metadata")
            .and_then(|m| m.get("labels"))
            .and_then(|l| l.get("kubernetes.io/service-name"))
            .and_then(Value::as_str)
        {
            let meta = |field: &str| super::workloads::meta(sl, field);
            slices.insert((meta("namespace"), svc), meta("name"));
        }
    }
    let mut work = Vec::new();
    for svc in store.list(Kind::Service, None) {
        let Some(selector) = svc.at(&["spec", "selector"]) else {
            continue;
        };
        if selector.as_object().is_none_or(Map::is_empty) {
            continue;
        }
        if svc.at(&["spec", "type"]).and_then(Value::as_str) == Some("ExternalName") {
            continue;
        }
        let ns = ns_of(svc);
        let name = name_of(svc);
        // Candidates from the label index (by the selector's first label), then the full
        // selector; only pods that already have an address count.
        // The selector is a plain map here: what `label_selector_matches` does with it as
        // `matchLabels`, without copying it into a selector object for every service.
        let (first_key, first_value) = selector
            .as_object()
            .and_then(|m| m.iter().next())
            .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
            .unwrap_or_default();
        let matches = |p: &Value| {
            let labels = p
                .get("metadata")
                .and_then(|m| m.get("labels"))
                .unwrap_or(&Value::Null);
            selector
                .as_object()
                .is_none_or(|want| want.iter().all(|(k, v)| labels.get(k) == Some(v)))
        };
        let pods: Vec<Target> = by_label
            .get(&(ns.as_str(), first_key, first_value))
            .into_iter()
            .flatten()
            .copied()
            .filter(|(p, _)| matches(p))
            .filter_map(|(p, ready)| Target::of(p, ready))
            .collect();
        // Skip services whose selected pods (names, addresses, readiness) and own version
        // are what this controller saw last time, as long as their objects still exist.
        let mut print = svc
            .at(&["metadata", "resourceVersion"])
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        for p in &pods {
            let _ = write!(
                print,
                "|{}:{}:{}",
                p.name,
                p.ip.as_str().unwrap_or_default(),
                p.ready
            );
        }
        let key = format!("endpoints/{}", uid_of(svc));
        let existing_slice = slices
            .get(&(ns.as_str(), name.as_str()))
            .map(|s| (*s).to_owned());
        let exists = store.get(Kind::Endpoints, &ns, &name).is_some() && existing_slice.is_some();
        if exists && world.fingerprints.get(&key) == Some(&print) {
            continue;
        }
        // By address, each key made once rather than twice per comparison.
        let mut keyed: Vec<(Vec<u32>, Target)> = pods
            .into_iter()
            .map(|p| (ip_key(p.ip.as_str().unwrap_or_default()), p))
            .collect();
        crate::sort::sort_by(&mut keyed, |a, b| a.0.cmp(&b.0));
        let pods: Vec<Target> = keyed.into_iter().map(|(_, p)| p).collect();
        let svc_ports: &[Value] = svc
            .at(&["spec", "ports"])
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        let ports: Vec<Value> = svc_ports
            .iter()
            .map(|sp| {
                let port = pods
                    .first()
                    .and_then(|p| target_port(sp, p.pod))
                    .or_else(|| sp.get("targetPort").and_then(Value::as_i64));
                let mut out = json!({
                    "port": port.unwrap_or(0),
                    "protocol": sp.get("protocol").cloned().unwrap_or(json!("TCP"))
                });
                if let Some(n) = sp
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|n| !n.is_empty())
                {
                    out["name"] = json!(n);
                }
                out
            })
            .collect();
        work.push(Work {
            ns,
            name,
            key,
            print,
            svc_uid: uid_of(svc),
            svc_labels: svc
                .at(&["metadata", "labels"])
                .cloned()
                .unwrap_or(json!({})),
            ports,
            addresses: pods
                .iter()
                .map(|p| Address {
                    ip: p.ip.clone(),
                    node: p.node.cloned().unwrap_or_default(),
                    name: p.name.to_owned(),
                    uid: p.uid.to_owned(),
                    ready: p.ready,
                })
                .collect(),
            existing_slice,
        });
    }
    work
}

/// Creates or updates `obj`, keeping the stored metadata the controller does not own.
fn put(world: &mut World, kind: Kind, ns: &str, name: &str, mut obj: Value) -> bool {
    // The stored object is only read (not copied) to fill in what the controller does not own.
    match world.store.get(kind, ns, name) {
        None => {
            let World { store, rng, .. } = world;
            store.create(kind, obj, rng).is_ok()
        }
        Some(old) => {
            obj["apiVersion"] = old.get("apiVersion").cloned().unwrap_or_default();
            obj["kind"] = old.get("kind").cloned().unwrap_or_default();
            if let (Some(m), Some(old_m)) = (
                obj.get_mut("metadata").and_then(Value::as_object_mut),
                old.get("metadata").and_then(Value::as_object),
            ) {
                for (k, v) in old_m {
                    if !m.contains_key(k) {
                        m.insert(k.clone(), v.clone());
                    }
                }
            }
            matches!(world.store.update(kind, obj), Ok(true))
        }
    }
}
