//! The scheduler (a node for every unscheduled pod: taints, nodeSelector, fewest pods) and
//! the kubelet (pod IP from the node's CNI block, Pending → ContainerCreating → Running on
//! the virtual clock, readiness, image pull failures, and containers that run to completion:
//! `Completed`, then `CrashLoopBackOff` with restarts under `restartPolicy: Always`).
//!
//! Which images "exist": the registry is not reachable from a simulator, so we judge by
//! name. An image in a registry (`registry.k8s.io/...`, `ghcr.io/...`) or under a user or
//! organisation (`gasbugs/http-go`, `jenkins/jenkins`) is assumed to exist, since we cannot
//! know better and course images live there. A bare name (`nginx`, `ngnix`) is a Docker
//! official image and must be one of [`OFFICIAL_IMAGES`]; anything else — typically a typo —
//! fails with `ErrImagePull` then `ImagePullBackOff`, as Docker Hub would answer.
//! On top of that, the images of the catalogue (`net/apps.rs`: gasbugs/http-go,
//! jenkins/jenkins, nginx, busybox, curlimages/curl, ...) have a known list of tags
//! (`tags.rs`): a tag outside it (`jenkins/jenkins:lts-jdk111`, `nginx:lastest`) fails the
//! same way, with Docker's `manifest for ... not found: manifest unknown` — whereas a user
//! image outside the catalogue (`someone/app:any-tag`) still pulls, as above.

use crate::api::Ptr;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::events;
use super::exits;
use super::object;
use super::workloads::{fits, name_of, ns_of};
use crate::api::Kind;
use crate::api::quantity::qos_class;
use crate::commands::World;
use crate::net::apps::split_image;
use crate::rand::Rng;
use crate::store::{NODES, Store};
use crate::time::rfc3339;

/// Why the first container waits (`ContainerCreating`, `ErrImagePull`, ...).
const FIRST_WAITING_REASON: &[&str] = &[
    "status",
    "containerStatuses",
    "0",
    "state",
    "waiting",
    "reason",
];

/// Docker Hub's official images (`docker.io/library/...`) the course or its students are
/// likely to type.
const OFFICIAL_IMAGES: &[&str] = &[
    "alpine",
    "amazoncorretto",
    "busybox",
    "caddy",
    "centos",
    "consul",
    "couchdb",
    "debian",
    "docker",
    "eclipse-temurin",
    "elasticsearch",
    "fedora",
    "golang",
    "haproxy",
    "httpd",
    "jenkins",
    "kibana",
    "mariadb",
    "memcached",
    "mongo",
    "mysql",
    "nats",
    "neo4j",
    "nginx",
    "node",
    "openjdk",
    "perl",
    "php",
    "postgres",
    "python",
    "rabbitmq",
    "redis",
    "registry",
    "ruby",
    "rust",
    "tomcat",
    "traefik",
    "ubuntu",
    "vault",
    "wordpress",
    "zookeeper",
    "hello-world",
    "bash",
    "nextcloud",
    "ghost",
    "influxdb",
    "telegraf",
    "sonarqube",
    "maven",
    "gradle",
    "swift",
    "erlang",
    "elixir",
    "julia",
    "r-base",
    "kong",
    "solr",
    "cassandra",
    "percona",
    "adminer",
    "phpmyadmin",
    "drupal",
    "joomla",
    "odoo",
    "redmine",
    "rockylinux",
    "almalinux",
    "oraclelinux",
    "amazonlinux",
    "archlinux",
    "clearlinux",
    "photon",
    "nats",
];

/// Seconds from scheduling until the containers run (image pull + create + start).
const START_DELAY: i64 = 3;
/// Seconds from `ErrImagePull` until the kubelet reports `ImagePullBackOff`.
const BACKOFF_DELAY: i64 = 10;

/// Whether the simulated registry has `image` (see the module doc).
pub fn image_is_known(image: &str) -> bool {
    let without_digest = image.split('@').next().unwrap_or(image);
    let (repo, tag) = match without_digest.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, Some(t)),
        _ => (without_digest, None),
    };
    // "Not all lower case", asked without making a lower-case copy: the kubelet asks this
    // of every container of every pod it checks.
    if repo.is_empty()
        || repo.bytes().any(|b| b.is_ascii_uppercase())
        || tag.is_some_and(|t| t.is_empty())
    {
        return false;
    }
    let repo = repo
        .strip_prefix("docker.io/library/")
        .or_else(|| repo.strip_prefix("library/"))
        .unwrap_or(repo);
    if missing_tag(image) {
        return false;
    }
    if repo.contains('/') {
        return true;
    }
    OFFICIAL_IMAGES.contains(&repo)
}

/// Whether `image` names a catalogued repository but a tag the registry lacks.
fn missing_tag(image: &str) -> bool {
    let (repository, tag) = split_image(image);
    super::tags::tag_exists(repository, tag) == Some(false)
}

/// What Docker answers when `image` cannot be pulled: a tag the repository lacks, or a
/// repository that does not exist.
fn pull_error(image: &str) -> String {
    if missing_tag(image) {
        let reference = if image.contains(':') {
            image.to_owned()
        } else {
            format!("{image}:latest")
        };
        return format!(
            "Error response from daemon: manifest for {reference} not found: manifest unknown: manifest unknown"
        );
    }
    format!(
        "Error response from daemon: pull access denied for {}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
        image.split(':').next().unwrap_or(image)
    )
}

fn condition(ty: &str, ok: bool, at: &str) -> Value {
    built_condition(ty, ok, at, None, None)
}

/// A condition that is `False` for `reason`, with a message if there is one.
fn unmet_condition(ty: &str, at: &str, reason: &str, message: Option<&str>) -> Value {
    built_condition(ty, false, at, Some(reason), message)
}

fn built_condition(
    ty: &str,
    ok: bool,
    at: &str,
    reason: Option<&str>,
    message: Option<&str>,
) -> Value {
    // Keys in order and values moved in (not `json!`, which serializes each value again),
    // in a map of the right size: the kubelet writes five conditions per pod status.
    let size = 4 + usize::from(reason.is_some()) + usize::from(message.is_some());
    let mut c = serde_json::Map::with_capacity(size);
    c.insert("lastProbeTime".to_owned(), Value::Null);
    c.insert(
        "lastTransitionTime".to_owned(),
        Value::String(at.to_owned()),
    );
    if let Some(message) = message {
        c.insert("message".to_owned(), Value::String(message.to_owned()));
    }
    if let Some(reason) = reason {
        c.insert("reason".to_owned(), Value::String(reason.to_owned()));
    }
    c.insert(
        "status".to_owned(),
        Value::String(if ok { "True" } else { "False" }.to_owned()),
    );
    c.insert("type".to_owned(), Value::String(ty.to_owned()));
    Value::Object(c)
}

pub(super) fn schedule(world: &mut World) -> bool {
    let mut changed = false;
    let store = &world.store;
    // Named, not copied: a pod is borrowed while a node is chosen, then bound in place.
    // Found from the store's pod entries, which name each pod's node: the scheduler runs
    // in every round that writes a pod, and walking thousands of pods' JSON for the few
    // unscheduled ones was most of its cost. A pod without a node there is checked in
    // its JSON, which decides.
    let rows = store.pod_rows_in_step();
    let unscheduled: Vec<(String, String)> = if let Some(rows) = &rows {
        rows.iter()
            .filter(|(_, _, entry)| entry.row.node().is_empty())
            .filter(|(ns, name, _)| {
                store
                    .get(Kind::Pod, ns, name)
                    .is_some_and(|p| p.at(&["spec", "nodeName"]).is_none())
            })
            .map(|(ns, name, _)| ((*ns).to_owned(), (*name).to_owned()))
            .collect()
    } else {
        store
            .list(Kind::Pod, None)
            .into_iter()
            .filter(|p| p.at(&["spec", "nodeName"]).is_none())
            .map(|p| (ns_of(p), name_of(p)))
            .collect()
    };
    if unscheduled.is_empty() {
        return false;
    }
    // Pods per node (host-network pods do not count: they take no pod address), from the
    // pod entries too. (An empty node name, which the entry also shows for a pod without
    // one, names no node, so it is not counted.)
    let placed: Vec<&str> = if let Some(rows) = &rows {
        rows.iter()
            .filter(|(_, _, entry)| !entry.host_network)
            .map(|(_, _, entry)| entry.row.node())
            .collect()
    } else {
        store
            .list(Kind::Pod, None)
            .into_iter()
            .filter(|p| p.at(&["spec", "hostNetwork"]) != Some(&Value::Bool(true)))
            .filter_map(|p| p.at(&["spec", "nodeName"]).and_then(Value::as_str))
            .collect()
    };
    let mut loads: BTreeMap<String, usize> = BTreeMap::new();
    for node in placed.into_iter().filter(|n| !n.is_empty()) {
        *loads.entry(node.to_owned()).or_default() += 1;
    }
    // Binding changes no node: they are read once, not for each pod.
    let nodes: Vec<(String, Value)> = store
        .list(Kind::Node, None)
        .into_iter()
        .map(|n| (name_of(n), n.clone()))
        .collect();
    let now = rfc3339(store.now_unix());
    for (ns, name) in unscheduled {
        let Some(pod) = world.store.get(Kind::Pod, &ns, &name) else {
            continue;
        };
        let spec = pod.get("spec").unwrap_or(&Value::Null);
        let fitting: Vec<&String> = nodes
            .iter()
            .filter(|(_, n)| fits(spec, n))
            .map(|(name, _)| name)
            .collect();
        if fitting.is_empty() {
            let condition = object([
                ("lastProbeTime", Value::Null),
                ("lastTransitionTime", Value::String(now.clone())),
                ("message", Value::String("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.".to_owned())),
                ("reason", Value::String("Unschedulable".to_owned())),
                ("status", Value::String("False".to_owned())),
                ("type", Value::String("PodScheduled".to_owned())),
            ]);
            let status = object([
                ("conditions", Value::Array(vec![condition])),
                ("phase", Value::String("Pending".to_owned())),
                ("qosClass", Value::String(qos_class(pod).to_owned())),
            ]);
            if pod.get("status") != Some(&status) {
                let mut p = pod.clone();
                p["status"] = status;
                changed |= matches!(world.store.update(Kind::Pod, p), Ok(true));
            }
            continue;
        }
        let load = |n: &String| loads.get(n).copied().unwrap_or(0);
        let least = fitting.iter().map(|n| load(n)).min().unwrap_or(0);
        let candidates: Vec<&String> = fitting.into_iter().filter(|n| load(n) == least).collect();
        let pick = world.rng.below(candidates.len().max(1) as u32) as usize;
        let Some(node) = candidates.get(pick).map(|n| (*n).clone()) else {
            continue;
        };
        *loads.entry(node.clone()).or_default() += 1;
        let status = object([
            (
                "conditions",
                Value::Array(vec![condition("PodScheduled", true, &now)]),
            ),
            ("phase", Value::String("Pending".to_owned())),
            ("qosClass", Value::String(qos_class(pod).to_owned())),
        ]);
        if world.store.bind_pod(&ns, &name, &node, status) {
            changed = true;
            let subject = world
                .store
                .get(Kind::Pod, &ns, &name)
                .map(events::subject)
                .unwrap_or_default();
            events::record_about(
                world,
                &subject,
                "Normal",
                "Scheduled",
                &format!("Successfully assigned {ns}/{name} to {node}"),
                "default-scheduler",
            );
        }
    }
    changed
}

fn node_ip(node: &str) -> &'static str {
    NODES.iter().find(|n| n.name == node).map_or("", |n| n.ip)
}

/// `a.b.c.d`, written out rather than formatted: every pod started gets one.
fn ip_text(a: [u8; 4]) -> String {
    let mut text = String::with_capacity(15);
    for (i, octet) in a.into_iter().enumerate() {
        if i > 0 {
            text.push('.');
        }
        if octet >= 100 {
            text.push(char::from(b'0' + octet / 100));
        }
        if octet >= 10 {
            text.push(char::from(b'0' + octet / 10 % 10));
        }
        text.push(char::from(b'0' + octet % 10));
    }
    text
}

/// The lowest free address of the node's block (Flannel and Weave keep the first for the
/// bridge; Calico's block address is the node's tunnel address).
fn parse_ipv4(s: &str) -> Option<u32> {
    let mut octets = s.split('.').map(|p| p.parse::<u8>().ok());
    let a = [
        octets.next()??,
        octets.next()??,
        octets.next()??,
        octets.next()??,
    ];
    Some(u32::from_be_bytes(a))
}

fn used_pod_ips(store: &Store) -> BTreeSet<u32> {
    // Inserted, not collected: `collect()` into a set sorts first (more wasm code).
    let mut used = BTreeSet::new();
    used.extend(
        store
            .pod_rows(None)
            .into_iter()
            .filter(|(_, _, pod)| !pod.host_network)
            .filter_map(|(_, _, pod)| parse_ipv4(pod.row.ip())),
    );
    used
}

/// The addresses a node can give its pods, in the order its CNI hands them out. A Calico
/// node whose /26 block is full claims further blocks, as Calico IPAM does; they come from
/// 192.168.0.0–192.168.63.255, away from the first blocks (192.168.64.0 and up), 20 × /24
/// per node.
fn node_addresses(store: &Store, node: &str) -> Vec<(u32, u32)> {
    let Some(block) = store.pod_block(node) else {
        return Vec::new();
    };
    let base = u32::from_be_bytes(block.base);
    let mut ranges = Vec::new();
    match store.cni() {
        crate::cluster::Cni::Calico => {
            ranges.push((base + 1, base + block.size() - 1));
            let index = crate::store::NODES
                .iter()
                .position(|n| n.name == node)
                .unwrap_or(0) as u32;
            let extra = u32::from_be_bytes([192, 168, 0, 0]) + index * 20 * 256;
            ranges.push((extra + 1, extra + 20 * 256 - 1));
        }
        _ => ranges.push((base + 2, base + block.size() - 1)),
    }
    ranges
}

/// The lowest free address of the node's ranges (Flannel and Weave keep the first for the
/// bridge; Calico's block address is the node's tunnel address).
///
/// `free_from` remembers, per node, where each of its ranges may next have a free address
/// (everything before it is in `used`, which only grows during a pass), so that thousands of
/// new pods neither rescan the addresses already taken nor, once a block is full, walk it
/// again for every pod.
fn allocate_pod_ip(
    store: &Store,
    node: &str,
    used: &BTreeSet<u32>,
    free_from: &mut BTreeMap<String, Vec<(u32, u32)>>,
) -> Option<String> {
    if !free_from.contains_key(node) {
        free_from.insert(node.to_owned(), node_addresses(store, node));
    }
    let ranges = free_from.get_mut(node)?;
    for (from, to) in ranges.iter_mut() {
        if let Some(found) = first_free(used, *from, *to) {
            *from = found + 1;
            return Some(ip_text(found.to_be_bytes()));
        }
        *from = *to;
    }
    None
}

/// The first address of `from..to` that `used` does not hold, found by walking the set's
/// ordered range rather than asking it about one address at a time: once a node's first
/// block is full, every new pod of that node checks the whole block again.
fn first_free(used: &BTreeSet<u32>, from: u32, to: u32) -> Option<u32> {
    let mut next = from;
    for &a in used.range(from..to) {
        if a != next {
            break;
        }
        next += 1;
    }
    (next < to).then_some(next)
}

fn hex(rng: &mut Rng, n: usize) -> String {
    let mut s = String::with_capacity(n + 8);
    while s.len() < n {
        // `{:08x}`, digit by digit: two 64-digit ids per container started.
        let v = rng.next_u32();
        for shift in (0..8).rev() {
            let digit = (v >> (shift * 4)) & 0xf;
            s.push(char::from(b"0123456789abcdef"[digit as usize]));
        }
    }
    s.truncate(n);
    s
}

fn created_at(store: &Store, pod: &Value) -> i64 {
    let scheduled = pod
        .at(&["status", "conditions"])
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.get("type").and_then(Value::as_str) == Some("PodScheduled"))
        })
        .and_then(|c| c.get("lastTransitionTime")?.as_str())
        .and_then(crate::store::parse_rfc3339);
    scheduled.unwrap_or_else(|| store.now_unix() - store.age_seconds(pod))
}

/// One pod as the kubelet's checks read it, with what several of them need worked out at
/// most once: when it was scheduled (a walk of its conditions and a parse) and which of its
/// containers exit by themselves. A pod that changes state is checked two or three times
/// in a row (before its write, after it, for its next deadline), each time asking these.
struct Facts<'a> {
    store: &'a Store,
    pod: &'a Value,
    scheduled: std::cell::OnceCell<i64>,
    exits: std::cell::OnceCell<Vec<(usize, exits::Exit)>>,
    bad_image: std::cell::OnceCell<bool>,
}

/// What a [`Facts`] worked out, carried to the next check of the same pod: from choosing
/// the candidates to the write, and from the write to the check that follows it. The
/// kubelet's writes change none of it: it reads the spec, and the `PodScheduled`
/// condition, which the kubelet writes back with the same instant.
#[derive(Default)]
struct Known {
    scheduled: Option<i64>,
    exits: Option<Vec<(usize, exits::Exit)>>,
    bad_image: Option<bool>,
}

impl<'a> Facts<'a> {
    fn new(store: &'a Store, pod: &'a Value) -> Facts<'a> {
        Facts::with(store, pod, Known::default())
    }

    /// The facts of `pod`, starting from what an earlier check of it found.
    fn with(store: &'a Store, pod: &'a Value, known: Known) -> Facts<'a> {
        use std::cell::OnceCell;
        Facts {
            store,
            pod,
            scheduled: known.scheduled.map_or_else(OnceCell::new, OnceCell::from),
            exits: known.exits.map_or_else(OnceCell::new, OnceCell::from),
            bad_image: known.bad_image.map_or_else(OnceCell::new, OnceCell::from),
        }
    }

    /// What was worked out so far.
    fn known(self) -> Known {
        Known {
            scheduled: self.scheduled.into_inner(),
            exits: self.exits.into_inner(),
            bad_image: self.bad_image.into_inner(),
        }
    }

    /// Whether some container's image cannot be pulled ([`image_is_known`]).
    fn bad_image(&self) -> bool {
        *self.bad_image.get_or_init(|| {
            self.pod
                .at(&["spec", "containers"])
                .and_then(Value::as_array)
                .is_some_and(|cs| {
                    cs.iter().any(|c| {
                        !image_is_known(c.get("image").and_then(Value::as_str).unwrap_or_default())
                    })
                })
        })
    }

    /// [`created_at`].
    fn scheduled(&self) -> i64 {
        *self
            .scheduled
            .get_or_init(|| created_at(self.store, self.pod))
    }

    /// [`exits::exits`].
    fn exits(&self) -> &[(usize, exits::Exit)] {
        self.exits.get_or_init(|| exits::exits(self.pod))
    }

    /// Whether some container of the pod exits by itself soon after starting.
    fn runs_to_completion(&self) -> bool {
        !self.exits().is_empty()
    }

    /// The exiting container whose runs pace the pod: every exiting container starts and
    /// ends at the same instants, so one decides when the kubelet has work — the first
    /// that is restarted, else the first. `(index, restarted)`.
    fn pacing_exit(&self) -> Option<(usize, bool)> {
        let policy = self
            .pod
            .at(&["spec", "restartPolicy"])
            .and_then(Value::as_str)
            .unwrap_or("Always");
        let found = self.exits();
        found
            .iter()
            .find(|(_, e)| e.restarts(policy))
            .map(|(i, _)| (*i, true))
            .or_else(|| found.first().map(|(i, _)| (*i, false)))
    }
}

/// The kubelet on every node: advances each pod's phase by the clock.
pub(super) fn run(world: &mut World) -> bool {
    let mut changed = false;
    let now = world.store.now_unix();
    // Only pods that can still change: not yet running, or running but not ready. They are
    // named here and borrowed one at a time below: copying thousands of pods per pass was
    // most of the kubelet's cost.
    let candidates = candidates(world, now);
    if candidates.is_empty() {
        return false;
    }
    let mut used = used_pod_ips(&world.store);
    let mut free_from = BTreeMap::new();
    let at = rfc3339(now);
    let mut started = (i64::MIN, String::new());
    for (ns, name, known) in candidates {
        let World { store, rng, .. } = &mut *world;
        let store: &Store = store;
        let Some(pod) = store.get(Kind::Pod, &ns, &name) else {
            continue;
        };
        let Some(node) = pod
            .at(&["spec", "nodeName"])
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            continue;
        };
        let phase = pod
            .at(&["status", "phase"])
            .and_then(Value::as_str)
            .unwrap_or("Pending");
        // What choosing the candidates found: nothing wrote the pod since.
        let facts = Facts::with(store, pod, known);
        if phase == "Running" && facts.runs_to_completion() {
            let pod = pod.clone();
            changed |= completion(world, &pod, now);
            continue;
        }
        if phase == "Running" || phase == "Succeeded" || phase == "Failed" {
            let pod = pod.clone();
            changed |= readiness(world, &pod);
            continue;
        }
        let scheduled = facts.scheduled();
        let containers: &[Value] = pod
            .at(&["spec", "containers"])
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        // Which container cannot be pulled: looked for only when one cannot (most often
        // known from choosing the candidates).
        let bad_image = facts
            .bad_image()
            .then(|| {
                containers.iter().find(|c| {
                    !image_is_known(c.get("image").and_then(Value::as_str).unwrap_or_default())
                })
            })
            .flatten();
        let host_network = pod.at(&["spec", "hostNetwork"]) == Some(&Value::Bool(true));
        let at = &at;
        // Every branch below rewrites the conditions, container statuses, phase, host
        // addresses, start time and QoS class: the rest of the old status is kept, those
        // (most of it) are not copied only to be replaced. The kept entries are borrowed
        // until the new status is put together, in a map made with room for exactly what it
        // will hold (it would otherwise grow one entry at a time).
        let kept: Vec<(&String, &Value)> = match pod.get("status") {
            Some(Value::Object(old)) => old
                .iter()
                .filter(|(k, _)| {
                    !matches!(
                        k.as_str(),
                        "conditions"
                            | "containerStatuses"
                            | "phase"
                            | "hostIP"
                            | "hostIPs"
                            | "startTime"
                            | "qosClass"
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let keeps = |key: &str| kept.iter().any(|(k, _)| k.as_str() == key);
        // Most pods of a pass were scheduled in the same second: its text is made once.
        if started.0 != scheduled {
            started = (scheduled, rfc3339(scheduled));
        }
        let started_at = started.1.as_str();
        let host_ip = node_ip(&node);
        let mut pod_ip = None;
        if !keeps("podIP") && now > scheduled {
            let ip = if host_network {
                Some(host_ip.to_owned())
            } else {
                allocate_pod_ip(store, &node, &used, &mut free_from)
            };
            if let Some(ip) = ip {
                if let Some(n) = parse_ipv4(&ip) {
                    used.insert(n);
                }
                pod_ip = Some(ip);
            }
        }
        let field = |c: &Value, key: &str| c.get(key).cloned().unwrap_or_default();
        let waiting = |reason: &str, message: Option<String>| {
            containers
                .iter()
                .map(|c| {
                    let mut state = serde_json::Map::with_capacity(2);
                    state.insert("reason".to_owned(), Value::String(reason.to_owned()));
                    if let Some(m) = &message {
                        state.insert("message".to_owned(), Value::String(m.clone()));
                    }
                    object([
                        ("image", field(c, "image")),
                        ("imageID", Value::String(String::new())),
                        ("lastState", Value::Object(serde_json::Map::new())),
                        ("name", field(c, "name")),
                        ("ready", Value::Bool(false)),
                        ("restartCount", Value::from(0)),
                        ("started", Value::Bool(false)),
                        ("state", object([("waiting", Value::Object(state))])),
                    ])
                })
                .collect::<Vec<_>>()
        };
        let base_conditions = |ready: bool, at: &str| {
            let (ready_cond, containers_ready) = if ready {
                (
                    condition("Ready", true, at),
                    condition("ContainersReady", true, at),
                )
            } else {
                let names: Vec<&str> = containers
                    .iter()
                    .filter_map(|c| c.get("name")?.as_str())
                    .collect();
                let msg = format!("containers with unready status: [{}]", names.join(" "));
                let (reason, msg) = ("ContainersNotReady", Some(msg.as_str()));
                (
                    unmet_condition("Ready", at, reason, msg),
                    unmet_condition("ContainersReady", at, reason, msg),
                )
            };
            vec![
                condition("PodReadyToStartContainers", now > scheduled, started_at),
                condition("Initialized", true, started_at),
                ready_cond,
                containers_ready,
                condition("PodScheduled", true, started_at),
            ]
        };
        let mut new_events = Vec::new();
        // The phase, container statuses and conditions, and whether some container runs to
        // completion (which rewrites them once the status is put together).
        let (phase, container_statuses, conditions, completes);
        if let Some(bad) = bad_image {
            let image = bad.get("image").and_then(Value::as_str).unwrap_or_default();
            let reason = if now >= scheduled + START_DELAY + BACKOFF_DELAY {
                "ImagePullBackOff"
            } else if now >= scheduled + START_DELAY {
                "ErrImagePull"
            } else {
                "ContainerCreating"
            };
            let message = match reason {
                "ErrImagePull" => Some(pull_error(image)),
                "ImagePullBackOff" => Some(format!("Back-off pulling image \"{image}\"")),
                _ => None,
            };
            (phase, completes) = ("Pending", false);
            container_statuses = waiting(reason, message.clone());
            conditions = base_conditions(false, started_at);
            let previous = pod.at(FIRST_WAITING_REASON).and_then(Value::as_str);
            if previous != Some(reason) {
                match reason {
                    "ContainerCreating" => {
                        new_events.push(("Normal", "Pulling", format!("Pulling image \"{image}\"")))
                    }
                    "ErrImagePull" => {
                        new_events.push((
                            "Warning",
                            "Failed",
                            format!(
                                "Failed to pull image \"{image}\": {}",
                                message.clone().unwrap_or_default()
                            ),
                        ));
                        new_events.push(("Warning", "Failed", "Error: ErrImagePull".to_owned()));
                    }
                    _ => {
                        new_events.push((
                            "Normal",
                            "BackOff",
                            format!("Back-off pulling image \"{image}\""),
                        ));
                        new_events.push((
                            "Warning",
                            "Failed",
                            "Error: ImagePullBackOff".to_owned(),
                        ));
                    }
                }
            }
        } else if now >= scheduled + START_DELAY {
            let mut statuses = Vec::new();
            let mut ready = true;
            for c in containers {
                let image = c.get("image").and_then(Value::as_str).unwrap_or_default();
                let id = hex(rng, 64);
                let image_id = hex(rng, 64);
                let has_probe = c.get("readinessProbe").is_some();
                ready &= !has_probe;
                let repository = image.split(':').next().unwrap_or(image);
                let running = object([("startedAt", Value::String(at.clone()))]);
                statuses.push(object([
                    ("containerID", Value::String(format!("docker://{id}"))),
                    ("image", Value::String(image.to_owned())),
                    (
                        "imageID",
                        Value::String(format!("docker-pullable://{repository}@sha256:{image_id}")),
                    ),
                    ("lastState", Value::Object(serde_json::Map::new())),
                    ("name", field(c, "name")),
                    ("ready", Value::Bool(!has_probe)),
                    ("restartCount", Value::from(0)),
                    ("started", Value::Bool(true)),
                    ("state", object([("running", running)])),
                ]));
                new_events.push((
                    "Normal",
                    "Pulled",
                    format!("Container image \"{image}\" already present on machine"),
                ));
                new_events.push((
                    "Normal",
                    "Created",
                    format!(
                        "Created container: {}",
                        c.get("name").and_then(Value::as_str).unwrap_or_default()
                    ),
                ));
                new_events.push((
                    "Normal",
                    "Started",
                    format!(
                        "Started container {}",
                        c.get("name").and_then(Value::as_str).unwrap_or_default()
                    ),
                ));
            }
            (phase, completes) = ("Running", facts.runs_to_completion());
            container_statuses = statuses;
            conditions = base_conditions(ready, at);
        } else {
            (phase, completes) = ("Pending", false);
            container_statuses = waiting("ContainerCreating", None);
            conditions = base_conditions(false, started_at);
        }
        let new_ip = pod_ip
            .as_ref()
            .map_or(0, |_| 1 + usize::from(!keeps("podIPs")));
        let mut status = serde_json::Map::with_capacity(kept.len() + 7 + new_ip);
        for (k, v) in kept {
            status.insert(k.clone(), v.clone());
        }
        let mut put = |k: &str, v: Value| status.insert(k.to_owned(), v);
        put("conditions", Value::Array(conditions));
        put("containerStatuses", Value::Array(container_statuses));
        put("hostIP", Value::String(host_ip.to_owned()));
        put(
            "hostIPs",
            Value::Array(vec![object([("ip", Value::String(host_ip.to_owned()))])]),
        );
        put("phase", Value::String(phase.to_owned()));
        if let Some(ip) = pod_ip {
            put(
                "podIPs",
                Value::Array(vec![object([("ip", Value::String(ip.clone()))])]),
            );
            put("podIP", Value::String(ip));
        }
        put("qosClass", Value::String(qos_class(pod).to_owned()));
        put("startTime", Value::String(started_at.to_owned()));
        let mut status = Value::Object(status);
        if completes {
            // `completion_status` reads the pod's spec and metadata, and the status only
            // from its second argument.
            completion_status(pod, &mut status, scheduled + START_DELAY, now);
        }
        // Read before the write (which ends the borrow of the pod), and only when there is
        // something to report: most writes (an address, a phase) record no event.
        let subject = (!new_events.is_empty()).then(|| events::subject(pod));
        let known = Known {
            scheduled: Some(scheduled),
            ..facts.known()
        };
        if world.store.set_status(Kind::Pod, &ns, &name, status) {
            changed = true;
            remember(world, &ns, &name, now, known);
            for (ty, reason, message) in new_events {
                if let Some(subject) = &subject {
                    events::record_about(world, subject, ty, reason, &message, "kubelet");
                }
            }
        }
    }
    changed
}

/// When the kubelet found a pod up to date: while the store has not written the pod since,
/// it stays so until its next deadline (see [`pod_deadline`]).
#[derive(Clone, Copy, Debug)]
pub(super) struct UpToDate {
    /// [`crate::store::PodEntry::written`] when it was checked.
    written: u64,
    /// The clock then, and the pod's next deadline after it ([`pod_deadline`] with crash-loop
    /// restarts, and without: what settling waits for).
    since: i64,
    until: Option<i64>,
    until_settled: Option<i64>,
}

impl UpToDate {
    fn of(facts: &Facts, written: u64, now: i64) -> UpToDate {
        let until = pod_deadline(facts, now, true);
        // Only a pod whose containers run to completion has deadlines settling ignores.
        let crash_loops = facts.pod.at(&["status", "phase"]).and_then(Value::as_str)
            == Some("Running")
            && facts.runs_to_completion();
        UpToDate {
            written,
            since: now,
            until,
            until_settled: if crash_loops {
                pod_deadline(facts, now, false)
            } else {
                until
            },
        }
    }
}

pub(super) type Memo = BTreeMap<String, BTreeMap<String, UpToDate>>;

/// What the memo says about each of `entries` (in list order) that has not been written
/// since: the memo and the entries are walked side by side, both in (namespace, name) order,
/// rather than looked up by name one at a time.
fn remembered(
    memo: &Memo,
    entries: &[(&str, &str, &crate::store::PodEntry)],
    now: i64,
) -> Vec<Option<UpToDate>> {
    let mut memo = memo
        .iter()
        .flat_map(|(ns, m)| {
            m.iter()
                .map(move |(name, k)| ((ns.as_str(), name.as_str()), k))
        })
        .peekable();
    entries
        .iter()
        .map(|(ns, name, entry)| {
            let key = (*ns, *name);
            while memo.peek().is_some_and(|(k, _)| *k < key) {
                memo.next();
            }
            match memo.peek() {
                Some((k, known)) if *k == key => Some(**known),
                _ => None,
            }
            .filter(|k| k.written == entry.written && k.since <= now)
        })
        .collect()
}

/// A pod the kubelet has work for: namespace, name, and what was worked out about it while
/// choosing it.
type Candidate = (String, String, Known);

/// The pods the kubelet has work for at `now`, in list order (namespace, name). A pod
/// found up to date before is not looked at again until it is written or its next
/// deadline comes: walking 5,000 pods' JSON in every pass was most of a large cluster's
/// settle. (Debug builds check every pod skipped that way.)
fn candidates(world: &mut World, now: i64) -> Vec<Candidate> {
    let World { store, memo, .. } = world;
    let memo = &mut memo.kubelet;
    let pods = store.list(Kind::Pod, None);
    let Some(entries) = store.pod_rows_in_step() else {
        // The store's pod entries are out of step with its pods (a bug): look at every pod.
        return pods
            .into_iter()
            .filter(|p| p.at(&["spec", "nodeName"]).is_some())
            .filter(|p| !up_to_date(&Facts::new(store, p), now))
            .map(|p| (ns_of(p), name_of(p), Known::default()))
            .collect();
    };
    // Pods deleted since they were remembered: each live pod has at most one entry.
    if memo.values().map(BTreeMap::len).sum::<usize>() > entries.len() {
        // Inserted, not collected: `collect()` into a set sorts first (more wasm code).
        let mut live = BTreeSet::new();
        for (ns, name, _) in &entries {
            live.insert((*ns, *name));
        }
        for (ns, pods) in memo.iter_mut() {
            pods.retain(|name, _| live.contains(&(ns.as_str(), name.as_str())));
        }
        memo.retain(|_, pods| !pods.is_empty());
    }
    let mut out = Vec::new();
    let known = remembered(memo, &entries, now);
    for ((pod, (ns, name, entry)), known) in pods.into_iter().zip(entries).zip(known) {
        if known.is_some_and(|k| k.until.is_none_or(|u| now < u)) {
            debug_assert!(
                up_to_date(&Facts::new(store, pod), now),
                "{ns}/{name} was skipped at {now} but has work: {known:?}"
            );
            continue;
        }
        if pod.at(&["spec", "nodeName"]).is_none() {
            continue;
        }
        let facts = Facts::new(store, pod);
        if !up_to_date(&facts, now) {
            out.push((ns.to_owned(), name.to_owned(), facts.known()));
            continue;
        }
        note(memo, ns, name, UpToDate::of(&facts, entry.written, now));
    }
    out
}

fn note(memo: &mut Memo, ns: &str, name: &str, checked: UpToDate) {
    match memo.get_mut(ns).and_then(|m| m.get_mut(name)) {
        Some(k) => *k = checked,
        None => {
            memo.entry(ns.to_owned())
                .or_default()
                .insert(name.to_owned(), checked);
        }
    }
}

/// Right after the kubelet wrote a pod: whether that left it up to date, checked while the
/// pod is still in cache, so that the next pass need not walk it again.
fn remember(world: &mut World, ns: &str, name: &str, now: i64, known: Known) {
    let World { store, memo, .. } = world;
    let written = store.writes();
    let Some(pod) = store.get(Kind::Pod, ns, name) else {
        return;
    };
    // What the write started from still holds (see `Known`).
    let facts = Facts::with(store, pod, known);
    if !up_to_date(&facts, now) {
        return;
    }
    let checked = UpToDate::of(&facts, written, now);
    note(&mut memo.kubelet, ns, name, checked);
}

/// Whether the kubelet has nothing to do for `pod` at `now` — checked on the borrowed pod so
/// that the thousands of pods that are simply running are never cloned.
fn up_to_date(facts: &Facts, now: i64) -> bool {
    let pod = facts.pod;
    let phase = pod.at(&["status", "phase"]).and_then(Value::as_str);
    if phase == Some("Running")
        && let Some((i, restarted)) = facts.pacing_exit()
    {
        let first = facts.scheduled() + START_DELAY;
        return exit_up_to_date(pod, i, restarted, first, now);
    }
    if phase == Some("Running") {
        if super::workloads::pod_ready(pod) {
            return true;
        }
        return next_readiness(pod, now).is_some_and(|t| t > now);
    }
    if matches!(phase, Some("Succeeded" | "Failed")) {
        return true;
    }
    let scheduled = facts.scheduled();
    if pod.at(&["status", "podIP"]).is_none() && now > scheduled {
        return false;
    }
    let want = if facts.bad_image() {
        if now >= scheduled + START_DELAY + BACKOFF_DELAY {
            "ImagePullBackOff"
        } else if now >= scheduled + START_DELAY {
            "ErrImagePull"
        } else {
            "ContainerCreating"
        }
    } else if now >= scheduled + START_DELAY {
        return false;
    } else {
        "ContainerCreating"
    };
    phase == Some("Pending") && pod.at(FIRST_WAITING_REASON).and_then(Value::as_str) == Some(want)
}

/// When a running container's readiness probe first passes: its start plus the probe's
/// initial delay and (at most 10 s of) its period.
fn readiness_passes_at(status: &Value, probe: &Value, now: i64) -> i64 {
    let started = status
        .at(&["state", "running", "startedAt"])
        .and_then(Value::as_str)
        .and_then(crate::store::parse_rfc3339)
        .unwrap_or(now);
    let delay = probe
        .get("initialDelaySeconds")
        .and_then(Value::as_i64)
        .unwrap_or(0)
        + probe
            .get("periodSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(10)
            .min(10);
    started + delay
}

/// The earliest instant an unready, running container's readiness probe passes.
fn next_readiness(pod: &Value, now: i64) -> Option<i64> {
    let containers = pod.at(&["spec", "containers"]).and_then(Value::as_array)?;
    let statuses = pod
        .at(&["status", "containerStatuses"])
        .and_then(Value::as_array)?;
    statuses
        .iter()
        .zip(containers)
        .filter(|(s, _)| s.get("ready") != Some(&Value::Bool(true)))
        .filter_map(|(s, c)| {
            let probe = c.get("readinessProbe")?;
            Some(readiness_passes_at(s, probe, now))
        })
        .min()
}

/// Whether the status of exiting container `i` already shows where it stands at `now`
/// (`restarted`: the kubelet starts it again after it ends).
fn exit_up_to_date(pod: &Value, i: usize, restarted: bool, first: i64, now: i64) -> bool {
    let at = |field: &str| pod.ptr(&format!("/status/containerStatuses/{i}/{field}"));
    let running = at("state/running").is_some();
    let terminated = at("state/terminated").is_some();
    if !restarted {
        return if now < first + 1 { running } else { terminated };
    }
    let want = completion_at(first, now);
    let restarts = at("restartCount").and_then(Value::as_i64).unwrap_or(0);
    restarts == want.restarts
        && running == want.running
        && (want.running || terminated == (want.restarts == 0 && !want.back_off))
}

/// Where a completing container stands `now`, its first start being `first`: each run lasts
/// a second; the kubelet restarts it at once the first time, then backs off 10 s, 20 s, 40 s
/// ... up to 5 minutes.
#[derive(Debug, PartialEq)]
struct CompletionState {
    restarts: i64,
    running: bool,
    /// Waiting in CrashLoopBackOff (as opposed to just completed, before the first restart).
    back_off: bool,
    started: i64,
    /// When the previous run finished (for `lastState` and `RESTARTS ... ago`).
    last_finished: Option<i64>,
    back_off_seconds: i64,
}

fn back_off(k: i64) -> i64 {
    if k <= 0 {
        1
    } else {
        (10i64 << (k - 1).min(5)).min(300)
    }
}

fn completion_at(first: i64, now: i64) -> CompletionState {
    let mut k = 0;
    let mut start = first;
    loop {
        let next = start + 1 + back_off(k);
        if next > now || k >= 10_000 {
            break;
        }
        start = next;
        k += 1;
    }
    let previous_finish = if k == 0 {
        None
    } else {
        let mut s = first;
        for i in 0..k - 1 {
            s += 1 + back_off(i);
        }
        Some(s + 1)
    };
    CompletionState {
        restarts: k,
        running: now < start + 1,
        back_off: k >= 1 && now > start,
        started: start,
        last_finished: if now > start {
            Some(start + 1)
        } else {
            previous_finish
        },
        back_off_seconds: back_off(k),
    }
}

/// Rewrites `status` for a pod with exiting containers at `now`: each exiting container's
/// state, restarts and last state; the others keep running. Reads the pod's spec and
/// metadata, and the status only from `status`.
fn completion_status(pod: &Value, status: &mut Value, first: i64, now: i64) {
    let state = completion_at(first, now);
    let text = |pointer: &str| {
        pod.ptr(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (pod_name, ns, uid) = (
        text("/metadata/name"),
        text("/metadata/namespace"),
        text("/metadata/uid"),
    );
    let policy = pod
        .at(&["spec", "restartPolicy"])
        .and_then(Value::as_str)
        .unwrap_or("Always");
    let found = exits::exits(pod);
    let Some(Value::Array(mut statuses)) = status.get("containerStatuses").cloned() else {
        return;
    };
    for (i, exit) in &found {
        let Some(cs) = statuses.get_mut(*i) else {
            continue;
        };
        let name = cs
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let container_id = cs.get("containerID").cloned().unwrap_or_default();
        let terminated = |started: i64, finished: i64| {
            json!({"terminated": {"containerID": container_id.clone(),
                "exitCode": exit.code, "reason": exit.reason(),
                "startedAt": rfc3339(started), "finishedAt": rfc3339(finished)}})
        };
        if !exit.restarts(policy) {
            // Not restarted (Never, or OnFailure after a success): it ran once.
            if now > first {
                cs["state"] = terminated(first, first + 1);
                cs["ready"] = json!(false);
                cs["started"] = json!(false);
            }
            cs["restartCount"] = json!(0);
            continue;
        }
        let previous_start = if state.restarts == 0 {
            first
        } else {
            state.started - 1 - back_off(state.restarts - 1)
        };
        cs["restartCount"] = json!(state.restarts);
        cs["lastState"] = match state.last_finished {
            Some(f) if state.restarts > 0 || !state.running => {
                if state.running {
                    terminated(previous_start, f)
                } else if state.back_off {
                    terminated(state.started, f)
                } else {
                    json!({})
                }
            }
            _ => json!({}),
        };
        if state.running {
            cs["state"] = json!({"running": {"startedAt": rfc3339(state.started)}});
            cs["ready"] = json!(true);
            cs["started"] = json!(true);
        } else if state.back_off {
            cs["state"] = json!({"waiting": {"reason": "CrashLoopBackOff",
                "message": format!("back-off {}s restarting failed container={name} pod={pod_name}_{ns}({uid})", state.back_off_seconds)}});
            cs["ready"] = json!(false);
            cs["started"] = json!(false);
        } else {
            cs["state"] = terminated(state.started, state.started + 1);
            cs["ready"] = json!(false);
            cs["started"] = json!(false);
        }
    }
    let all_done = statuses
        .iter()
        .all(|s| s.at(&["state", "terminated"]).is_some())
        && found.iter().all(|(_, e)| !e.restarts(policy));
    let unready: Vec<&str> = statuses
        .iter()
        .filter(|s| s.get("ready") != Some(&Value::Bool(true)))
        .filter_map(|s| s.get("name")?.as_str())
        .collect();
    let message = format!("containers with unready status: [{}]", unready.join(" "));
    let ready = unready.is_empty();
    status["containerStatuses"] = Value::Array(statuses);
    if all_done {
        // Every container ran once and none is restarted: the pod has finished.
        let failed = found.iter().any(|(_, e)| e.code != 0);
        status["phase"] = json!(if failed { "Failed" } else { "Succeeded" });
        let (reason, message) = if failed {
            ("ContainersNotReady", Some(message.as_str()))
        } else {
            ("PodCompleted", None)
        };
        set_ready_conditions(status, false, reason, message, &rfc3339(first + 1));
        return;
    }
    let since = rfc3339(if ready {
        state.started
    } else {
        state.last_finished.unwrap_or(now)
    });
    set_ready_conditions(status, ready, "ContainersNotReady", Some(&message), &since);
}

fn set_ready_conditions(
    status: &mut Value,
    ready: bool,
    reason: &str,
    message: Option<&str>,
    at: &str,
) {
    if let Some(Value::Array(conditions)) = status.get_mut("conditions") {
        for c in conditions {
            let ty = c
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if ty == "Ready" || ty == "ContainersReady" {
                *c = if ready {
                    condition(&ty, true, at)
                } else {
                    unmet_condition(&ty, at, reason, message)
                };
            }
        }
    }
}

/// A completing, restarting container: its status at `now`, with the kubelet's events.
fn completion(world: &mut World, pod: &Value, now: i64) -> bool {
    let first = created_at(&world.store, pod) + START_DELAY;
    let mut status = pod.get("status").cloned().unwrap_or_default();
    let before = status.clone();
    completion_status(pod, &mut status, first, now);
    if status == before {
        return false;
    }
    let (ns, name) = (
        pod.at(&["metadata", "namespace"])
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        pod.at(&["metadata", "name"])
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    );
    let state = completion_at(first, now);
    let policy = pod
        .at(&["spec", "restartPolicy"])
        .and_then(Value::as_str)
        .unwrap_or("Always");
    // Only restarted containers start again or back off; the others ran once.
    let restarted: Vec<(String, String)> = exits::exits(pod)
        .into_iter()
        .filter(|(_, e)| e.restarts(policy))
        .filter_map(|(i, _)| {
            let c = pod.ptr(&format!("/spec/containers/{i}"))?;
            let text = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or_default();
            Some((text("name").to_owned(), text("image").to_owned()))
        })
        .collect();
    let changed = world.store.set_status(Kind::Pod, &ns, &name, status);
    for (container, image) in restarted.iter().filter(|_| changed) {
        if state.running {
            events::record(
                world,
                pod,
                "Normal",
                "Pulled",
                &format!("Container image \"{image}\" already present on machine"),
                "kubelet",
            );
            events::record(
                world,
                pod,
                "Normal",
                "Created",
                &format!("Created container: {container}"),
                "kubelet",
            );
            events::record(
                world,
                pod,
                "Normal",
                "Started",
                &format!("Started container {container}"),
                "kubelet",
            );
        } else if state.back_off {
            events::record(
                world,
                pod,
                "Warning",
                "BackOff",
                &format!(
                    "Back-off restarting failed container {container} in pod {name}_{ns}({})",
                    pod.at(&["metadata", "uid"])
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                ),
                "kubelet",
            );
        }
    }
    changed
}

/// A running container with a readiness probe becomes ready after the probe's initial
/// delay plus one period.
fn readiness(world: &mut World, pod: &Value) -> bool {
    let now = world.store.now_unix();
    let Some(statuses) = pod
        .at(&["status", "containerStatuses"])
        .and_then(Value::as_array)
    else {
        return false;
    };
    let containers = pod
        .at(&["spec", "containers"])
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut new_statuses = statuses.clone();
    for (s, c) in new_statuses.iter_mut().zip(&containers) {
        if s["ready"] == json!(true) {
            continue;
        }
        let Some(probe) = c.get("readinessProbe") else {
            continue;
        };
        // Only a running container's probe can pass.
        let running = s.at(&["state", "running", "startedAt"]).is_some();
        if running && now >= readiness_passes_at(s, probe, now) {
            s["ready"] = json!(true);
        }
    }
    if &new_statuses == statuses {
        return false;
    }
    let ready = new_statuses.iter().all(|s| s["ready"] == json!(true));
    let at = rfc3339(now);
    let mut p = pod.clone();
    p["status"]["containerStatuses"] = json!(new_statuses);
    if let Some(Value::Array(cs)) = p.pointer_mut("/status/conditions") {
        for c in cs {
            if matches!(c["type"].as_str(), Some("Ready" | "ContainersReady")) && ready {
                *c = condition(c["type"].as_str().unwrap_or_default(), true, &at);
            }
        }
    }
    matches!(world.store.update(Kind::Pod, p), Ok(true))
}

/// The next instant (Unix seconds, after now) at which some pod changes by itself.
/// `restarts`: include crash-loop restarts, which never end — moving the clock to a target
/// wants them, settling does not (it would chase back-offs forever).
///
/// A pod the kubelet found up to date and that nobody wrote since has its deadline in the
/// kubelet's memo (valid while it is still ahead); only the others are walked.
pub(super) fn next_deadline(world: &World, restarts: bool) -> Option<i64> {
    let store = &world.store;
    let now = store.now_unix();
    let pods = store.list(Kind::Pod, None);
    let known = match store.pod_rows_in_step() {
        Some(entries) => remembered(&world.memo.kubelet, &entries, now),
        None => vec![None; pods.len()],
    };
    let mut next: Option<i64> = None;
    for (pod, known) in pods.into_iter().zip(known) {
        let kept = known.map(|k| if restarts { k.until } else { k.until_settled });
        let deadline = match kept {
            Some(kept) if kept.is_none_or(|t| t > now) => {
                debug_assert_eq!(kept, pod_deadline(&Facts::new(store, pod), now, restarts));
                kept
            }
            _ => pod_deadline(&Facts::new(store, pod), now, restarts),
        };
        if let Some(t) = deadline {
            next = Some(next.map_or(t, |n: i64| n.min(t)));
        }
    }
    next
}

/// The next instant after `now` at which `pod` changes by itself (see [`next_deadline`]):
/// until then, and as long as nobody writes it, the kubelet has nothing to do for it.
fn pod_deadline(facts: &Facts, now: i64, restarts: bool) -> Option<i64> {
    let pod = facts.pod;
    let mut next: Option<i64> = None;
    let mut consider = |t: i64| {
        if t > now {
            next = Some(next.map_or(t, |n: i64| n.min(t)));
        }
    };
    // An unscheduled pod has no kubelet yet.
    pod.at(&["spec", "nodeName"])?;
    let scheduled = facts.scheduled();
    match pod.at(&["status", "phase"]).and_then(Value::as_str) {
        Some("Running") if facts.runs_to_completion() => {
            let first = scheduled + START_DELAY;
            let state = completion_at(first, now);
            let restarted = facts.pacing_exit().is_some_and(|(_, r)| r);
            if !restarted {
                // It runs once: the kubelet has work only when that run ends.
                consider(first + 1);
            } else if state.running && restarts {
                consider(state.started + 1);
            } else if restarts {
                consider(state.started + 1 + back_off(state.restarts));
            } else {
                // Settling waits for the first run to end, so that a settled cluster
                // shows the container as exited, not as if it kept running.
                consider(first + 1);
            }
        }
        Some("Running") => {
            let containers: &[Value] = pod
                .at(&["spec", "containers"])
                .and_then(Value::as_array)
                .map_or(&[], Vec::as_slice);
            let statuses: &[Value] = pod
                .at(&["status", "containerStatuses"])
                .and_then(Value::as_array)
                .map_or(&[], Vec::as_slice);
            for (s, c) in statuses.iter().zip(containers) {
                if s["ready"] == json!(true) {
                    continue;
                }
                if let Some(probe) = c.get("readinessProbe") {
                    consider(readiness_passes_at(s, probe, now));
                }
            }
        }
        Some("Succeeded" | "Failed") => {}
        _ => {
            consider(scheduled + 1);
            consider(scheduled + START_DELAY);
            if facts.bad_image() {
                consider(scheduled + START_DELAY + BACKOFF_DELAY);
            }
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_and_user_images_exist_and_official_typos_do_not() {
        assert!(image_is_known("nginx"));
        assert!(image_is_known("nginx:1.27"));
        assert!(image_is_known("jenkins/jenkins:lts-jdk11"));
        assert!(image_is_known("gasbugs/http-go"));
        assert!(image_is_known("registry.k8s.io/pause:3.10"));
        assert!(image_is_known("docker.io/library/busybox"));
        assert!(!image_is_known("ngnix"));
        assert!(!image_is_known("Nginx"));
        assert!(!image_is_known("nginx:"));
    }

    #[test]
    fn hex_ids_are_the_generators_words_as_eight_lower_case_digits_each() {
        let (mut a, mut b) = (Rng::new(5), Rng::new(5));
        let id = hex(&mut a, 64);
        let mut want = String::new();
        for _ in 0..8 {
            want.push_str(&format!("{:08x}", b.next_u32()));
        }
        assert_eq!(id, want);
        assert_eq!(hex(&mut a, 12).len(), 12);
    }

    #[test]
    fn addresses_are_written_as_four_decimal_octets() {
        for a in [
            [0, 0, 0, 0],
            [192, 168, 64, 5],
            [10, 100, 9, 255],
            [1, 20, 105, 99],
        ] {
            assert_eq!(ip_text(a), format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3]));
        }
    }

    #[test]
    fn the_first_free_address_is_the_lowest_one_the_set_lacks() {
        let used: BTreeSet<u32> = [3, 4, 5, 7, 10, 11, 12, 13, 14].into_iter().collect();
        for from in 0..16 {
            for to in from..16 {
                let naive = (from..to).find(|a| !used.contains(a));
                assert_eq!(first_free(&used, from, to), naive, "{from}..{to}");
            }
        }
        let full: BTreeSet<u32> = (100..164).collect();
        assert_eq!(first_free(&full, 100, 164), None);
        assert_eq!(first_free(&full, 101, 165), Some(164));
    }

    #[test]
    fn a_misspelled_tag_of_a_catalogued_image_does_not_exist_but_user_images_still_do() {
        assert!(!image_is_known("jenkins/jenkins:lts-jdk111"));
        assert!(!image_is_known("nginx:lastest"));
        assert!(!image_is_known("gasbugs/http-go:v9"));
        assert!(image_is_known("busybox:1.28"));
        assert!(image_is_known("someone/app:any-tag"));
        assert_eq!(
            pull_error("jenkins/jenkins:lts-jdk111"),
            "Error response from daemon: manifest for jenkins/jenkins:lts-jdk111 not found: manifest unknown: manifest unknown"
        );
        assert!(pull_error("ngnix").contains("pull access denied for ngnix,"));
    }
}
