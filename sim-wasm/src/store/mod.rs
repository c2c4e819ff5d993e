//! API objects as the API server keeps them: uid, resourceVersion and timestamps on the
//! virtual clock.
//!
//! Read API (for kubectl, the grader and the browser's cluster map): objects are
//! `serde_json::Value`s exactly as `kubectl get -o json` would show them.
//! [`Store::get`] finds one by kind, namespace (`""` for cluster-scoped kinds) and name;
//! [`Store::list`] lists a kind in one namespace or all, sorted by namespace then name.
//! Typed helpers over those values live next to their users (printers, controllers).
//!
//! Next to the values, for readers that visit every object, the store keeps what they need,
//! rewritten by every write of the object: per pod a [`PodEntry`] ([`Store::pod_rows`]),
//! service addresses and events by involved object. Events themselves are kept compact
//! (`events.rs`) and read as the same values.
//!
//! The store does not validate (that is `api::validate`) and runs no controllers.

pub(crate) mod bootstrap;
mod events;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::api::table::PodRow;
use crate::api::{ApiError, Kind, Ptr};
use crate::cluster::{ClusterConfig, Cni};
use crate::rand::Rng;
use crate::time::{EPOCH_UNIX_SECONDS, rfc3339};

pub use bootstrap::{NODES, NodeFacts};
pub use events::Recorded;

/// The addresses one node's pods get from the CNI (a Calico /26 block, a Flannel /24, a
/// Weave Net range).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PodBlock {
    pub base: [u8; 4],
    pub prefix: u8,
}

impl PodBlock {
    /// The `n`-th address of the block (`n` = 0 is the block's own address).
    pub fn addr(self, n: u32) -> [u8; 4] {
        u32::from_be_bytes(self.base).wrapping_add(n).to_be_bytes()
    }

    pub fn size(self) -> u32 {
        1u32 << (32 - u32::from(self.prefix.min(32))).min(31)
    }

    pub fn cidr(self) -> String {
        let [a, b, c, d] = self.base;
        format!("{a}.{b}.{c}.{d}/{}", self.prefix)
    }
}

/// namespace (`""` for cluster-scoped kinds) → name → object. Nested so that lookups by
/// `&str` need no allocation.
type Objects = BTreeMap<String, BTreeMap<String, Value>>;

/// An event as `events_by_subject` keeps it: where it is and, for a recorded event (whose
/// reason and message never change), what it says, so that the recorder's test for a
/// repeat reads no event.
#[derive(Clone, Debug)]
struct EventKey {
    namespace: Arc<str>,
    name: Box<str>,
    says: Option<events::Says>,
}

/// An address a service holds: its ClusterIP (as a number) or one of its nodePorts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceAddress {
    ClusterIp(u32),
    NodePort(i64),
}

/// The addresses `svc` holds, as the allocator reads them from `spec`.
fn service_addresses(svc: &Value) -> Vec<ServiceAddress> {
    let mut out = Vec::new();
    if let Some(ip) = svc
        .at(&["spec", "clusterIP"])
        .and_then(Value::as_str)
        .and_then(parse_ipv4)
    {
        out.push(ServiceAddress::ClusterIp(ip));
    }
    if let Some(ports) = svc.at(&["spec", "ports"]).and_then(Value::as_array) {
        out.extend(
            ports
                .iter()
                .filter_map(|p| p.get("nodePort").and_then(Value::as_i64))
                .map(ServiceAddress::NodePort),
        );
    }
    // LoadBalancer + externalTrafficPolicy Local: the health-check port is a node port too.
    if let Some(port) = svc
        .at(&["spec", "healthCheckNodePort"])
        .and_then(Value::as_i64)
    {
        out.push(ServiceAddress::NodePort(port));
    }
    out
}

/// `10.96.0.1` → its number; anything but four decimal octets is no address.
pub fn parse_ipv4(s: &str) -> Option<u32> {
    let mut octets = [0u8; 4];
    let mut parts = s.split('.');
    for o in &mut octets {
        *o = parts.next()?.parse().ok()?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(u32::from_be_bytes(octets))
}

/// What the store keeps about a pod next to the pod itself, for the readers that visit every
/// pod: walking thousands of pods' JSON trees (a B-tree node per map, an allocation per key)
/// was most of their cost.
#[derive(Clone, Debug)]
pub struct PodEntry {
    /// Its `kubectl get pods` row (see [`crate::api::table`]).
    pub row: PodRow,
    /// [`Store::writes`] when the pod last changed: a controller that remembers what it
    /// concluded about a pod can tell whether the pod changed since.
    pub written: u64,
    /// `spec.hostNetwork`: the pod has its node's address, not one of its own.
    pub host_network: bool,
    /// Its `Ready` condition is `True` ([`pod_ready`]).
    pub ready: bool,
    /// The uid of its first owner (`metadata.ownerReferences[0]`), if any.
    pub owner: Option<String>,
}

impl PodEntry {
    fn of(pod: &Value, written: u64) -> PodEntry {
        PodEntry {
            row: PodRow::of(pod),
            written,
            host_network: pod.at(&["spec", "hostNetwork"]) == Some(&Value::Bool(true)),
            ready: pod_ready(pod),
            owner: pod
                .at(&["metadata", "ownerReferences", "0", "uid"])
                .and_then(Value::as_str)
                .map(str::to_owned),
        }
    }
}

/// Whether the pod's `Ready` condition is `True`.
pub fn pod_ready(pod: &Value) -> bool {
    pod.at(&["status", "conditions"])
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                c.get("type").and_then(Value::as_str) == Some("Ready")
                    && c.get("status").and_then(Value::as_str) == Some("True")
            })
        })
}

#[derive(Clone, Debug, Default)]
pub struct Store {
    objects: BTreeMap<Kind, Objects>,
    resource_version: u64,
    /// Unix seconds used to stamp new objects (the virtual clock as a wall-clock time).
    clock: i64,
    cni: Cni,
    blocks: BTreeMap<String, PodBlock>,
    /// Bumped by every successful write, so controllers can tell that nothing changed.
    writes: u64,
    /// Bumped by every removal: the garbage collector only has work after one.
    removals: u64,
    /// Writes per kind, so a controller can skip a round in which none of its inputs changed.
    kind_writes: BTreeMap<Kind, u64>,
    /// The cluster CA certificate (PEM) that `kube-root-ca.crt` carries into every namespace.
    ca_bundle: String,
    /// Which services (namespace, name) hold each ClusterIP and nodePort. The allocator asks
    /// once per new service whether an address is taken; scanning every service for that
    /// made applying thousands of services quadratic. A released address keeps its (empty)
    /// entry: there are few addresses, and removing keys would cost the download a copy of
    /// the map's removal code for this map type alone.
    service_addresses: BTreeMap<ServiceAddress, BTreeSet<(String, String)>>,
    /// Events (namespace, name) by the uid of their involved object: `describe` shows one
    /// object's events, and the recorder looks for a repeat among them to bump its count;
    /// scanning tens of thousands of events for either was their cost.
    /// Each uid's events are kept sorted by (namespace, name) in a `Vec` (an object has a
    /// few events), the namespace shared through `words`.
    events_by_subject: BTreeMap<String, Vec<EventKey>>,
    /// What the store keeps about every pod besides the pod (namespace → name, like
    /// `objects`), rewritten by every write of the pod.
    pod_rows: BTreeMap<String, BTreeMap<String, PodEntry>>,
    /// Events (namespace → name), kept apart from `objects` in their compact form (see
    /// `events.rs`); [`Store::get`] and [`Store::list`] show them as `Value`s like the rest.
    events: BTreeMap<String, BTreeMap<String, events::Stored>>,
    /// The strings recorded events share.
    words: events::Words,
    /// Pod writes the workload controllers' index of pods can see (see
    /// [`Store::pod_membership_changes`]).
    pod_membership_changes: u64,
}

impl Store {
    /// The objects a fresh kubeadm cluster has.
    pub fn bootstrap(config: &ClusterConfig, rng: &mut Rng) -> Store {
        let mut store = Store {
            clock: EPOCH_UNIX_SECONDS - 10 * 86_400,
            cni: config.cni,
            resource_version: 200,
            ..Store::default()
        };
        bootstrap::populate(&mut store, rng);
        store.clock = EPOCH_UNIX_SECONDS;
        store
    }

    /// The cluster CA certificate, PEM.
    pub fn ca_bundle(&self) -> &str {
        &self.ca_bundle
    }

    pub(crate) fn set_ca_bundle(&mut self, pem: String) {
        self.ca_bundle = pem;
    }

    pub fn cni(&self) -> Cni {
        self.cni
    }

    /// The pod address block of `node`, if the node exists.
    pub fn pod_block(&self, node: &str) -> Option<PodBlock> {
        self.blocks.get(node).copied()
    }

    pub(crate) fn set_pod_block(&mut self, node: &str, block: PodBlock) {
        self.blocks.insert(node.to_owned(), block);
    }

    /// The virtual clock, as Unix seconds.
    pub fn now_unix(&self) -> i64 {
        self.clock
    }

    pub(crate) fn set_clock(&mut self, unix_seconds: i64) {
        self.clock = unix_seconds;
    }

    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Value> {
        if kind == Kind::Event {
            let (name, stored) = self.events.get(namespace)?.get_key_value(name)?;
            return Some(stored.value(namespace, name));
        }
        let namespace = if kind.namespaced() { namespace } else { "" };
        self.objects.get(&kind)?.get(namespace)?.get(name)
    }

    /// Objects of `kind` in `namespace` (`None`: every namespace), by namespace then name.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<&Value> {
        if kind == Kind::Event {
            fn values<'a>(
                (ns, events): (&'a String, &'a BTreeMap<String, events::Stored>),
            ) -> impl Iterator<Item = &'a Value> {
                events.iter().map(move |(name, e)| e.value(ns, name))
            }
            return match namespace {
                Some(ns) => self
                    .events
                    .get_key_value(ns)
                    .into_iter()
                    .flat_map(values)
                    .collect(),
                None => self.events.iter().flat_map(values).collect(),
            };
        }
        let Some(objects) = self.objects.get(&kind) else {
            return Vec::new();
        };
        match namespace {
            Some(ns) if kind.namespaced() => objects
                .get(ns)
                .map(|m| m.values().collect())
                .unwrap_or_default(),
            _ => objects.values().flat_map(BTreeMap::values).collect(),
        }
    }

    /// What the store keeps about the pods in `namespace` (`None`: every namespace), in
    /// [`Store::list`] order: (namespace, name, entry).
    pub fn pod_rows(&self, namespace: Option<&str>) -> Vec<(&str, &str, &PodEntry)> {
        fn rows<'a>(
            (ns, rows): (&'a String, &'a BTreeMap<String, PodEntry>),
        ) -> impl Iterator<Item = (&'a str, &'a str, &'a PodEntry)> {
            rows.iter()
                .map(move |(name, row)| (ns.as_str(), name.as_str(), row))
        }
        match namespace {
            Some(ns) => self
                .pod_rows
                .get_key_value(ns)
                .into_iter()
                .flat_map(rows)
                .collect(),
            None => self.pod_rows.iter().flat_map(rows).collect(),
        }
    }

    /// How many pod writes so far could change what the workload controllers index pods by
    /// (which pods there are, their owner, node, creation time and readiness): every write
    /// but a status write that leaves the pod as ready as it was. The kubelet's writes on a
    /// pod's way to running (an address, a container being created) mostly do not, and
    /// those controllers can skip the passes that follow them.
    pub fn pod_membership_changes(&self) -> u64 {
        self.pod_membership_changes
    }

    /// [`Store::pod_rows`] of every namespace, if there is an entry for every pod. Readers
    /// that trust the entries over the pods' JSON call this: entries out of step with the
    /// pods would be a bug of the store (debug builds stop on it), and they then read the
    /// pods themselves.
    pub fn pod_rows_in_step(&self) -> Option<Vec<(&str, &str, &PodEntry)>> {
        let rows = self.pod_rows(None);
        let pods = self.count(Kind::Pod);
        debug_assert_eq!(rows.len(), pods, "pod entries out of step with the pods");
        (rows.len() == pods).then_some(rows)
    }

    /// Keeps `pod_rows` current: `row` is the pod's new entry, `None` when it was removed.
    fn index_pod(&mut self, namespace: &str, name: &str, row: Option<PodEntry>) {
        self.pod_membership_changes += 1;
        match row {
            Some(row) => {
                if let Some(old) = self
                    .pod_rows
                    .get_mut(namespace)
                    .and_then(|rows| rows.get_mut(name))
                {
                    *old = row;
                } else {
                    self.pod_rows
                        .entry(namespace.to_owned())
                        .or_default()
                        .insert(name.to_owned(), row);
                }
            }
            None => {
                if let Some(rows) = self.pod_rows.get_mut(namespace) {
                    rows.remove(name);
                    if rows.is_empty() {
                        self.pod_rows.remove(namespace);
                    }
                }
            }
        }
    }

    /// How many writes the store has seen (changes whenever any object changes).
    pub fn writes(&self) -> u64 {
        self.writes
    }

    /// Writes so far to objects of any of `kinds`.
    pub fn writes_to(&self, kinds: &[Kind]) -> u64 {
        kinds
            .iter()
            .map(|k| self.kind_writes.get(k).copied().unwrap_or(0))
            .sum()
    }

    /// How many objects have been removed so far.
    pub fn removals(&self) -> u64 {
        self.removals
    }

    /// Whether a service other than `except` (namespace, name) holds `address`.
    pub fn service_address_taken(
        &self,
        address: ServiceAddress,
        except: Option<(&str, &str)>,
    ) -> bool {
        self.service_addresses.get(&address).is_some_and(|holders| {
            holders
                .iter()
                .any(|(ns, name)| except != Some((ns.as_str(), name.as_str())))
        })
    }

    /// Keeps `service_addresses` current when a service is stored (`Some`) or dropped.
    fn index_service(
        &mut self,
        namespace: &str,
        name: &str,
        old: Vec<ServiceAddress>,
        new: Vec<ServiceAddress>,
    ) {
        if old == new {
            return;
        }
        let key = (namespace.to_owned(), name.to_owned());
        for a in old {
            if let Some(holders) = self.service_addresses.get_mut(&a) {
                holders.remove(&key);
            }
        }
        for a in new {
            self.service_addresses
                .entry(a)
                .or_default()
                .insert(key.clone());
        }
    }

    /// The event about the object with `uid` that has this reason and message (the first in
    /// [`Store::list`] order), as (namespace, name): the recorder bumps its count.
    pub fn repeated_event(&self, uid: &str, reason: &str, message: &str) -> Option<(&str, &str)> {
        self.events_by_subject.get(uid)?.iter().find_map(|key| {
            let says = match &key.says {
                Some(says) => says.is(reason, message),
                None => self
                    .events
                    .get(&*key.namespace)?
                    .get(&*key.name)?
                    .says(reason, message),
            };
            says.then_some((&*key.namespace, &*key.name))
        })
    }

    /// Stores an event as the recorder reports it, like [`Store::create`] would store its
    /// `Value`. `false` when the name is taken.
    pub fn record_event(&mut self, event: &Recorded<'_>, rng: &mut Rng) -> bool {
        let (namespace, name) = (event.namespace, event.name);
        // One search of the namespace's events (tens of thousands in a large cluster, by
        // long names) finds both whether the name is taken and where it goes.
        let Store {
            events,
            words,
            resource_version,
            writes,
            kind_writes,
            clock,
            ..
        } = self;
        let events = match events.get_mut(namespace) {
            Some(events) => events,
            None => events.entry(namespace.to_owned()).or_default(),
        };
        let std::collections::btree_map::Entry::Vacant(slot) = events.entry(name.to_owned()) else {
            return false;
        };
        *resource_version += 1;
        *writes += 1;
        *kind_writes.entry(Kind::Event).or_default() += 1;
        let assigned = events::Assigned {
            uid: rng.uuid(),
            resource_version: *resource_version,
            created: *clock,
        };
        let stored = slot.insert(events::Stored::recorded(event, assigned, words));
        let says = stored.says_words();
        self.index_event(namespace, name, None, Some((event.involved_uid, says)));
        true
    }

    /// A repeat of a recorded event: `count` + 1 and `lastTimestamp` now, like an
    /// [`Store::update`] with those two fields changed. `false` if there is no such event.
    pub fn bump_event(&mut self, namespace: &str, name: &str) -> bool {
        let rv = self.resource_version + 1;
        let now = self.clock;
        let Some(stored) = self.events.get_mut(namespace).and_then(|m| m.get_mut(name)) else {
            return false;
        };
        stored.bump(now, rv);
        self.resource_version = rv;
        self.writes += 1;
        *self.kind_writes.entry(Kind::Event).or_default() += 1;
        true
    }

    /// The events about the object with `uid`, in [`Store::list`] order (namespace, name).
    pub fn events_about(&self, uid: &str) -> Vec<&Value> {
        self.events_by_subject
            .get(uid)
            .map_or_else(Vec::new, |keys| {
                keys.iter()
                    .filter_map(|key| self.get(Kind::Event, &key.namespace, &key.name))
                    .collect()
            })
    }

    /// Keeps `events_by_subject` current: `old` is the event's previous involved uid (if it
    /// was stored), `new` the one it has now and what it says (if it stays).
    fn index_event(
        &mut self,
        namespace: &str,
        name: &str,
        old: Option<&str>,
        new: Option<(&str, Option<events::Says>)>,
    ) {
        let find = |keys: &[EventKey]| {
            keys.binary_search_by(|k| (&*k.namespace, &*k.name).cmp(&(namespace, name)))
        };
        if let Some(uid) = old
            && let Some(keys) = self.events_by_subject.get_mut(uid)
        {
            if let Ok(i) = find(keys) {
                keys.remove(i);
            }
            if keys.is_empty() {
                self.events_by_subject.remove(uid);
            }
        }
        if let Some((uid, says)) = new {
            let namespace_word = self.words.get(namespace);
            let keys = self.events_by_subject.entry(uid.to_owned()).or_default();
            let key = EventKey {
                namespace: namespace_word,
                name: name.into(),
                says,
            };
            match find(keys) {
                Ok(i) => keys[i] = key,
                Err(i) => keys.insert(i, key),
            }
        }
    }

    pub fn count(&self, kind: Kind) -> usize {
        if kind == Kind::Event {
            return self.events.values().map(BTreeMap::len).sum();
        }
        self.objects
            .get(&kind)
            .map_or(0, |m| m.values().map(BTreeMap::len).sum())
    }

    fn next_rv(&mut self) -> String {
        self.resource_version += 1;
        self.resource_version.to_string()
    }

    /// Stores a new object: assigns uid, resourceVersion and creationTimestamp (and
    /// generation for workloads). `AlreadyExists` when the name is taken.
    pub fn create(
        &mut self,
        kind: Kind,
        mut obj: Value,
        rng: &mut Rng,
    ) -> Result<&Value, ApiError> {
        let (namespace, name) = key_of(kind, &obj);
        if self.get(kind, &namespace, &name).is_some() {
            return Err(ApiError::already_exists(kind, &name));
        }
        let rv = self.next_rv();
        self.writes += 1;
        *self.kind_writes.entry(kind).or_default() += 1;
        let created = rfc3339(self.clock);
        if let Some(o) = obj.as_object_mut() {
            o.insert("apiVersion".to_owned(), json!(kind.api_version()));
            o.insert("kind".to_owned(), json!(kind.name()));
            let meta = o.entry("metadata").or_insert(json!({}));
            if let Some(m) = meta.as_object_mut() {
                m.insert("uid".to_owned(), json!(rng.uuid()));
                m.insert("resourceVersion".to_owned(), json!(rv));
                m.insert("creationTimestamp".to_owned(), json!(created));
                if matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet) {
                    m.insert("generation".to_owned(), json!(1));
                }
                if kind.namespaced() {
                    m.insert("namespace".to_owned(), json!(namespace));
                } else {
                    m.remove("namespace");
                }
            }
        }
        if kind == Kind::Service {
            self.index_service(&namespace, &name, Vec::new(), service_addresses(&obj));
        }
        compact(&mut obj);
        if kind == Kind::Event {
            self.index_event(&namespace, &name, None, Some((involved_uid(&obj), None)));
            let events = self.events.entry(namespace.clone()).or_default();
            events.insert(name.clone(), events::Stored::Plain(obj));
            return events
                .get_key_value(&name)
                .map(|(name, e)| e.value(&namespace, name))
                .ok_or_else(|| ApiError::not_found(kind, ""));
        }
        if kind == Kind::Pod {
            let entry = PodEntry::of(&obj, self.writes);
            self.index_pod(&namespace, &name, Some(entry));
        }
        let objects = self
            .objects
            .entry(kind)
            .or_default()
            .entry(namespace)
            .or_default();
        objects.insert(name.clone(), obj);
        objects
            .get(&name)
            .ok_or_else(|| ApiError::not_found(kind, ""))
    }

    /// Replaces an existing object, bumping resourceVersion (and generation when `spec`
    /// changed). Returns `false` when nothing changed (the resourceVersion stays).
    pub fn update(&mut self, kind: Kind, mut obj: Value) -> Result<bool, ApiError> {
        let (namespace, name) = key_of(kind, &obj);
        let Some(old) = self.get(kind, &namespace, &name) else {
            return Err(ApiError::not_found(kind, &name));
        };
        if let (Some(m), Some(old_m)) = (
            obj.get_mut("metadata").and_then(Value::as_object_mut),
            old.get("metadata"),
        ) {
            for field in ["uid", "creationTimestamp", "resourceVersion", "generation"] {
                if let Some(v) = old_m.get(field) {
                    m.insert(field.to_owned(), v.clone());
                }
            }
        }
        if &obj == old {
            return Ok(false);
        }
        let spec_changed = obj.get("spec") != old.get("spec");
        let rv = self.next_rv();
        self.writes += 1;
        *self.kind_writes.entry(kind).or_default() += 1;
        if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
            m.insert("resourceVersion".to_owned(), json!(rv));
            if spec_changed && let Some(g) = m.get("generation").and_then(Value::as_i64) {
                m.insert("generation".to_owned(), json!(g + 1));
            }
        }
        compact(&mut obj);
        let new_addresses = if kind == Kind::Service {
            service_addresses(&obj)
        } else {
            Vec::new()
        };
        if kind == Kind::Pod {
            let entry = PodEntry::of(&obj, self.writes);
            self.index_pod(&namespace, &name, Some(entry));
        }
        if kind == Kind::Event {
            let new_uid = involved_uid(&obj).to_owned();
            let old = self
                .events
                .entry(namespace.clone())
                .or_default()
                .insert(name.clone(), events::Stored::Plain(obj));
            let old_uid = old.as_ref().map(events::Stored::involved_uid);
            let old_uid = old_uid.map(str::to_owned);
            self.index_event(
                &namespace,
                &name,
                old_uid.as_deref(),
                Some((&new_uid, None)),
            );
            return Ok(true);
        }
        let old = self
            .objects
            .entry(kind)
            .or_default()
            .entry(namespace.clone())
            .or_default()
            .insert(name.clone(), obj);
        if kind == Kind::Service {
            let old_addresses = old.as_ref().map(service_addresses).unwrap_or_default();
            self.index_service(&namespace, &name, old_addresses, new_addresses);
        }
        Ok(true)
    }

    /// Replaces only `status` (the status subresource), in place: no copy of the object.
    /// Returns whether anything changed.
    pub fn set_status(
        &mut self,
        kind: Kind,
        namespace: &str,
        name: &str,
        mut status: Value,
    ) -> bool {
        let namespace = if kind.namespaced() { namespace } else { "" };
        let rv = self.resource_version + 1;
        let Some(obj) = self
            .objects
            .get_mut(&kind)
            .and_then(|m| m.get_mut(namespace))
            .and_then(|m| m.get_mut(name))
        else {
            return false;
        };
        if obj.get("status") == Some(&status) {
            return false;
        }
        compact(&mut status);
        obj["status"] = status;
        stamp_resource_version(obj, rv);
        self.resource_version = rv;
        self.writes += 1;
        *self.kind_writes.entry(kind).or_default() += 1;
        if kind != Kind::Pod {
            return true;
        }
        // Only the status changed: the entry's readiness is worked out again and its row
        // brought up to date from the status; its owner, host network and what the row
        // takes from the spec and metadata stay.
        let ready = pod_ready(obj);
        let written = self.writes;
        match self
            .pod_rows
            .get_mut(namespace)
            .and_then(|rows| rows.get_mut(name))
        {
            Some(entry) => {
                if entry.ready != ready {
                    self.pod_membership_changes += 1;
                }
                entry.row.refresh_status(obj);
                entry.ready = ready;
                entry.written = written;
            }
            None => {
                let entry = PodEntry::of(obj, written);
                self.index_pod(namespace, name, Some(entry));
            }
        }
        true
    }

    /// Binds a pod to `node` and replaces its status, in place (the scheduler's binding plus
    /// status write, without copying the pod). Returns whether anything changed; like
    /// [`Store::update`] it bumps the resourceVersion only then (pods have no generation).
    pub fn bind_pod(&mut self, namespace: &str, name: &str, node: &str, mut status: Value) -> bool {
        let rv = self.resource_version + 1;
        let Some(obj) = self
            .objects
            .get_mut(&Kind::Pod)
            .and_then(|m| m.get_mut(namespace))
            .and_then(|m| m.get_mut(name))
        else {
            return false;
        };
        let bound = obj.at(&["spec", "nodeName"]).and_then(Value::as_str) == Some(node);
        if bound && obj.get("status") == Some(&status) {
            return false;
        }
        compact(&mut status);
        obj["spec"]["nodeName"] = json!(node);
        obj["status"] = status;
        stamp_resource_version(obj, rv);
        let row = PodEntry::of(obj, self.writes + 1);
        self.index_pod(namespace, name, Some(row));
        self.resource_version = rv;
        self.writes += 1;
        *self.kind_writes.entry(Kind::Pod).or_default() += 1;
        true
    }

    pub fn remove(&mut self, kind: Kind, namespace: &str, name: &str) -> Option<Value> {
        let namespace = if kind.namespaced() { namespace } else { "" };
        let removed = if kind == Kind::Event {
            let e = self.events.get_mut(namespace)?.remove(name)?;
            let uid = e.involved_uid().to_owned();
            self.index_event(namespace, name, Some(&uid), None);
            self.words.forget_unused();
            Some(e.into_value(namespace, name))
        } else {
            self.objects
                .get_mut(&kind)?
                .get_mut(namespace)?
                .remove(name)
        };
        if kind == Kind::Service && removed.is_some() {
            let old = removed.as_ref().map(service_addresses).unwrap_or_default();
            self.index_service(namespace, name, old, Vec::new());
        }
        if kind == Kind::Pod && removed.is_some() {
            self.index_pod(namespace, name, None);
        }
        if removed.is_some() {
            self.writes += 1;
            *self.kind_writes.entry(kind).or_default() += 1;
            self.removals += 1;
        }
        removed
    }

    /// Seconds since `obj` was created, on the virtual clock.
    pub fn age_seconds(&self, obj: &Value) -> i64 {
        obj.at(&["metadata", "creationTimestamp"])
            .and_then(Value::as_str)
            .and_then(parse_rfc3339)
            .map_or(0, |t| self.clock - t)
    }
}

/// Sets `metadata.resourceVersion` to `rv`, writing into the string that is there (every
/// status write of every pod sets it).
fn stamp_resource_version(obj: &mut Value, rv: u64) {
    use std::fmt::Write;
    match obj
        .get_mut("metadata")
        .and_then(|m| m.get_mut("resourceVersion"))
    {
        Some(Value::String(s)) => {
            s.clear();
            let _ = write!(s, "{rv}");
        }
        _ => obj["metadata"]["resourceVersion"] = Value::String(rv.to_string()),
    }
}

/// The uid of the object an event is about (`""` when it names none).
fn involved_uid(event: &Value) -> &str {
    event
        .at(&["involvedObject", "uid"])
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Drops the spare capacity objects collect while they are built (`json!` and pushes grow
/// arrays and strings by doubling), so that what the store keeps is sized to its contents.
/// (serde_json's `Map` is a B-tree, which keeps no spare capacity to drop.)
fn compact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for v in map.values_mut() {
                compact(v);
            }
        }
        Value::Array(items) => {
            items.iter_mut().for_each(compact);
            items.shrink_to_fit();
        }
        Value::String(s) => s.shrink_to_fit(),
        _ => {}
    }
}

/// (namespace, name) of an object; the namespace is `""` for cluster-scoped kinds.
pub fn key_of(kind: Kind, obj: &Value) -> (String, String) {
    let name = obj
        .at(&["metadata", "name"])
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let namespace = if kind.namespaced() {
        obj.at(&["metadata", "namespace"])
            .and_then(Value::as_str)
            .unwrap_or("default")
            .to_owned()
    } else {
        String::new()
    };
    (namespace, name)
}

/// `2026-11-26T09:00:00Z` → Unix seconds (only the UTC form Kubernetes writes).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(10) != Some(&b'T') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    // Howard Hinnant's days_from_civil.
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + se)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_parses_back_to_the_same_second() {
        for t in [
            0,
            EPOCH_UNIX_SECONDS,
            EPOCH_UNIX_SECONDS - 864_000,
            951_782_400,
        ] {
            assert_eq!(parse_rfc3339(&rfc3339(t)), Some(t));
        }
    }

    #[test]
    fn events_about_an_object_follow_creates_updates_and_removals_in_list_order() {
        let mut rng = Rng::new(1);
        let mut store = Store::bootstrap(&ClusterConfig { cni: Cni::Calico }, &mut rng);
        let event = |ns: &str, name: &str, uid: &str| {
            json!({"metadata": {"name": name, "namespace": ns},
                "involvedObject": {"kind": "Pod", "name": "p", "uid": uid}, "reason": "R"})
        };
        for (ns, name, uid) in [
            ("default", "b", "u1"),
            ("default", "a", "u1"),
            ("blue", "c", "u1"),
            ("default", "d", "u2"),
        ] {
            assert!(
                store
                    .create(Kind::Event, event(ns, name, uid), &mut rng)
                    .is_ok()
            );
        }
        let names = |store: &Store, uid: &str| -> Vec<String> {
            store
                .events_about(uid)
                .iter()
                .map(|e| key_of(Kind::Event, e))
                .map(|(ns, name)| format!("{ns}/{name}"))
                .collect()
        };
        let scanned = |store: &Store, uid: &str| -> Vec<String> {
            store
                .list(Kind::Event, None)
                .into_iter()
                .filter(|e| e.at(&["involvedObject", "uid"]).and_then(Value::as_str) == Some(uid))
                .map(|e| key_of(Kind::Event, e))
                .map(|(ns, name)| format!("{ns}/{name}"))
                .collect()
        };
        assert_eq!(names(&store, "u1"), ["blue/c", "default/a", "default/b"]);
        assert_eq!(names(&store, "u1"), scanned(&store, "u1"));
        assert!(matches!(
            store.update(Kind::Event, event("default", "a", "u2")),
            Ok(true)
        ));
        assert_eq!(names(&store, "u1"), ["blue/c", "default/b"]);
        assert_eq!(names(&store, "u2"), ["default/a", "default/d"]);
        assert!(store.remove(Kind::Event, "default", "d").is_some());
        assert_eq!(names(&store, "u2"), scanned(&store, "u2"));
        assert_eq!(names(&store, "u2"), ["default/a"]);
        assert!(names(&store, "nobody").is_empty());
    }

    /// The kubelet's `Pulled` event about pod `web-1` (uid `u1`), recorded at `at`.
    fn pulled<'a>(
        host: &'a Value,
        api_version: &'a Value,
        message: &'a str,
        at: i64,
    ) -> Recorded<'a> {
        Recorded {
            name: "web-1.18f0",
            namespace: "default",
            ty: "Normal",
            reason: "Pulled",
            message,
            component: "kubelet",
            host: Some(host),
            involved_api_version: api_version,
            involved_kind: "Pod",
            involved_name: "web-1",
            involved_uid: "u1",
            count: 1,
            first: at,
            last: at,
        }
    }

    #[test]
    fn recorded_events_read_as_the_values_the_recorder_used_to_create_and_repeat_like_updates() {
        let mut rng = Rng::new(1);
        let mut compact = Store::bootstrap(&ClusterConfig { cni: Cni::Calico }, &mut rng);
        let mut plain = compact.clone();
        let (mut rng_a, mut rng_b) = (Rng::new(9), Rng::new(9));
        let now = compact.now_unix();
        let (host, api_version) = (json!("worker1"), json!("v1"));
        let message = "Container image \"nginx\" already present on machine";
        let recorded = pulled(&host, &api_version, message, now);
        // What the recorder built (and `create` completed) before events were kept compact.
        let value = json!({
            "count": 1, "eventTime": null, "firstTimestamp": rfc3339(now),
            "involvedObject": {"apiVersion": "v1", "kind": "Pod", "name": "web-1",
                "namespace": "default", "uid": "u1"},
            "lastTimestamp": rfc3339(now),
            "message": "Container image \"nginx\" already present on machine",
            "metadata": {"name": "web-1.18f0", "namespace": "default"},
            "reason": "Pulled", "reportingComponent": "kubelet", "reportingInstance": "",
            "source": {"component": "kubelet", "host": "worker1"}, "type": "Normal"
        });
        assert!(compact.record_event(&recorded, &mut rng_a));
        assert!(plain.create(Kind::Event, value, &mut rng_b).is_ok());
        assert!(!compact.record_event(&recorded, &mut rng_a));
        let read = |s: &Store| s.get(Kind::Event, "default", "web-1.18f0").cloned();
        assert!(read(&compact).is_some());
        assert_eq!(read(&compact), read(&plain));
        assert_eq!(
            compact.list(Kind::Event, None),
            plain.list(Kind::Event, None)
        );
        assert_eq!(compact.events_about("u1"), plain.events_about("u1"));

        // A repeat, a minute later: the recorder used to `update` a copy.
        compact.set_clock(now + 60);
        plain.set_clock(now + 60);
        for store in [&compact, &plain] {
            assert_eq!(
                store.repeated_event("u1", "Pulled", message),
                Some(("default", "web-1.18f0"))
            );
            assert_eq!(store.repeated_event("u1", "Pulled", "other"), None);
        }
        assert!(compact.bump_event("default", "web-1.18f0"));
        let mut e = read(&plain).unwrap_or_default();
        e["count"] = json!(2);
        e["lastTimestamp"] = json!(rfc3339(now + 60));
        assert!(matches!(plain.update(Kind::Event, e), Ok(true)));
        assert_eq!(read(&compact), read(&plain));
        assert_eq!(read(&compact.clone()), read(&plain));
        assert_eq!(compact.writes(), plain.writes());
        assert_eq!(compact.count(Kind::Event), 1);
        let removed = compact.remove(Kind::Event, "default", "web-1.18f0");
        assert!(removed.is_some());
        assert_eq!(removed, plain.remove(Kind::Event, "default", "web-1.18f0"));
        assert!(compact.events_about("u1").is_empty());
    }

    #[test]
    fn a_recorded_event_replaced_by_an_update_is_a_repeat_only_of_what_it_says_now() {
        let mut rng = Rng::new(1);
        let mut store = Store::bootstrap(&ClusterConfig { cni: Cni::Calico }, &mut rng);
        let (host, api_version) = (json!("worker1"), json!("v1"));
        let recorded = pulled(&host, &api_version, "pulled", 0);
        assert!(store.record_event(&recorded, &mut rng));
        assert!(store.repeated_event("u1", "Pulled", "pulled").is_some());
        let mut event = store
            .get(Kind::Event, "default", "web-1.18f0")
            .cloned()
            .unwrap_or_default();
        event["message"] = json!("changed");
        assert!(matches!(store.update(Kind::Event, event), Ok(true)));
        assert_eq!(store.repeated_event("u1", "Pulled", "pulled"), None);
        assert_eq!(
            store.repeated_event("u1", "Pulled", "changed"),
            Some(("default", "web-1.18f0"))
        );
        assert_eq!(store.events_about("u1").len(), 1);
    }

    #[test]
    fn stored_objects_equal_what_was_written_once_their_spare_capacity_is_dropped() {
        let mut grown = serde_json::Map::new();
        for i in (0..40).rev() {
            grown.insert(format!("k{i:02}"), json!([i, {"z": 1, "a": [true]}]));
        }
        let original = Value::Object(grown);
        let mut compacted = original.clone();
        compact(&mut compacted);
        assert_eq!(compacted, original);
        assert_eq!(compacted.to_string(), original.to_string());
    }

    #[test]
    fn a_fresh_cluster_has_the_kubeadm_namespaces_and_nodes() {
        let mut rng = Rng::new(1);
        let store = Store::bootstrap(&ClusterConfig { cni: Cni::Calico }, &mut rng);
        let names = |kind| -> Vec<String> {
            store
                .list(kind, None)
                .iter()
                .filter_map(|v| v.at(&["metadata", "name"])?.as_str().map(str::to_owned))
                .collect()
        };
        assert_eq!(
            names(Kind::Namespace),
            ["default", "kube-node-lease", "kube-public", "kube-system"]
        );
        assert_eq!(names(Kind::Node), ["master", "worker1", "worker2"]);
        assert!(store.get(Kind::Service, "default", "kubernetes").is_some());
        assert_eq!(
            store
                .get(Kind::Service, "kube-system", "kube-dns")
                .and_then(|s| s.at(&["spec", "clusterIP"]))
                .and_then(Value::as_str),
            Some("10.96.0.10")
        );
    }
}
