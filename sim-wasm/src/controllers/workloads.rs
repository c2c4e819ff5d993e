//! Deployment → ReplicaSet (named by `pod-template-hash`) → Pods, DaemonSet → one Pod per
//! node, and the kube-system add-ons a kubeadm cluster runs.
//!
//! Rolling updates are simplified: the new ReplicaSet is scaled to the desired count at once
//! and old ones shrink as the new pods become ready, so availability never drops.

use crate::api::Ptr;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::events;
use crate::api::Kind;
use crate::api::validate::apply_defaults;
use crate::cluster::Cni;
use crate::commands::World;
use crate::store::NODES;

pub(super) fn name_of(v: &Value) -> String {
    v.at(&["metadata", "name"])
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A text field of `metadata`, borrowed (`""` when missing): for comparisons and lookups,
/// which need no copy.
pub(super) fn meta<'a>(v: &'a Value, field: &str) -> &'a str {
    v.get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

pub(super) fn ns_of(v: &Value) -> String {
    v.at(&["metadata", "namespace"])
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

pub(super) fn uid_of(v: &Value) -> String {
    v.at(&["metadata", "uid"])
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn owner_ref(kind: Kind, owner: &Value) -> Value {
    json!([{
        "apiVersion": kind.api_version(),
        "blockOwnerDeletion": true,
        "controller": true,
        "kind": kind.name(),
        "name": name_of(owner),
        "uid": uid_of(owner)
    }])
}

/// apimachinery's `rand.SafeEncodeString` of the decimal FNV-32a hash: only the characters
/// `4-9bcdf` appear, like the real `668d6bf9bc`. Hashing the template's JSON keeps the hash
/// stable for an unchanged template (so `apply` twice is `unchanged`).
pub fn pod_template_hash(template: &Value) -> String {
    let text = crate::yaml::to_json_compact(template);
    let mut hash: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash.to_string()
        .bytes()
        .map(|b| {
            let alphabet = crate::rand::NAME_ALPHABET;
            char::from(alphabet[usize::from(b) % alphabet.len()])
        })
        .collect()
}

/// Whether a replica set's template is `template` once its `pod-template-hash` label is
/// left out — compared in place, since every deployment asks it of each of its replica sets.
fn same_template(rs_template: Option<&Value>, template: &Value) -> bool {
    let Some(rs_template) = rs_template else {
        return template.is_null();
    };
    let labels = rs_template
        .at(&["metadata", "labels"])
        .and_then(Value::as_object)
        .filter(|l| l.contains_key("pod-template-hash"));
    let (Some(labels), Value::Object(rs_t), Value::Object(t)) = (labels, rs_template, template)
    else {
        return rs_template == template;
    };
    let same_labels = |other: Option<&Value>| {
        other.and_then(Value::as_object).is_some_and(|o| {
            o.len() + 1 == labels.len()
                && labels
                    .iter()
                    .all(|(k, v)| k == "pod-template-hash" || o.get(k) == Some(v))
        })
    };
    let same_metadata = |rs_meta: &Value, other: Option<&Value>| {
        let (Value::Object(rs_meta), Some(Value::Object(other))) = (rs_meta, other) else {
            return false;
        };
        rs_meta.len() == other.len()
            && rs_meta.iter().all(|(k, v)| {
                if k == "labels" {
                    same_labels(other.get(k))
                } else {
                    other.get(k) == Some(v)
                }
            })
    };
    rs_t.len() == t.len()
        && rs_t.iter().all(|(k, v)| {
            if k == "metadata" {
                same_metadata(v, t.get(k))
            } else {
                t.get(k) == Some(v)
            }
        })
}

fn replicas(obj: &Value) -> i64 {
    obj.at(&["spec", "replicas"])
        .and_then(Value::as_i64)
        .unwrap_or(1)
}

fn set_if_changed(world: &mut World, kind: Kind, obj: Value) -> bool {
    matches!(world.store.update(kind, obj), Ok(true))
}

/// Writes `status` if it differs (status writes do not bump generation).
fn write_status(world: &mut World, kind: Kind, obj: &Value, status: Value) -> bool {
    if obj.get("status") == Some(&status) {
        return false;
    }
    world
        .store
        .set_status(kind, &ns_of(obj), &name_of(obj), status)
}

/// Pods by the uid of their controlling owner.
pub(super) type PodIndex = BTreeMap<String, Vec<PodInfo>>;

/// What the workload controllers need to know about a pod.
#[derive(Clone, Debug)]
pub(super) struct PodInfo {
    pub name: String,
    pub ready: bool,
    /// `metadata.creationTimestamp` (Unix seconds); `None` for pods created in this pass.
    pub created: Option<i64>,
    pub node: String,
}

/// Every pod by the uid of its controlling owner, built once per pass so that no
/// controller scans all pods for each of its objects: from the store's pod entries, not
/// the pods' JSON.
pub(super) fn pods_by_owner(world: &World) -> PodIndex {
    let mut index: BTreeMap<String, Vec<PodInfo>> = BTreeMap::new();
    for (_, name, pod) in world.store.pod_rows(None) {
        let Some(owner) = &pod.owner else {
            continue;
        };
        let info = PodInfo {
            name: name.to_owned(),
            ready: pod.ready,
            created: pod.row.created(),
            node: pod.row.node().to_owned(),
        };
        match index.get_mut(owner.as_str()) {
            Some(pods) => pods.push(info),
            None => {
                index.insert(owner.clone(), vec![info]);
            }
        }
    }
    index
}

pub(super) use crate::store::pod_ready;

/// What a controller's decision about one object depends on, as a comparable string:
/// resourceVersions of the object and its replica sets, and its pods' count and readiness.
/// Objects whose fingerprint did not change since the last pass are skipped without being
/// copied.
fn fingerprint(obj: &Value, sets: &[&Value], pods: &PodIndex) -> String {
    // Written into one string, fields borrowed: every deployment and replica set is
    // fingerprinted in each pass of its controller.
    let pod_state = |uid: &str| {
        pods.get(uid).map_or((0, 0), |ps| {
            (ps.len(), ps.iter().filter(|p| p.ready).count())
        })
    };
    let mut text = String::new();
    for (i, v) in std::iter::once(&obj).chain(sets).enumerate() {
        // `(pods, ready)` as `{:?}` prints a pair, written without the Debug machinery.
        let (count, ready) = pod_state(meta(v, "uid"));
        let _ = write!(
            text,
            "{}{}:({count}, {ready})",
            if i == 0 { "" } else { "|" },
            meta(v, "resourceVersion"),
        );
    }
    text
}

/// What the deployment controller does with one deployment in a pass.
enum Plan {
    /// Nothing but this status to write (with the fingerprint to remember).
    StatusOnly {
        ns: String,
        name: String,
        uid: String,
        print: String,
        status: Value,
    },
    /// The full reconcile, on copies of the deployment and its replica sets.
    Full(Value, Vec<Value>, String),
}

/// The `deployment.kubernetes.io/revision` annotation as a number. Looked up key by key:
/// as a JSON pointer the key's `/` is escaped (`~1`), and unescaping it made two strings on
/// every call, for every replica set of every deployment in each pass.
fn revision_of(rs: &Value) -> Option<i64> {
    rs.get("metadata")?
        .get("annotations")?
        .get("deployment.kubernetes.io/revision")?
        .as_str()
        .and_then(|r| r.parse::<i64>().ok())
}

/// The new status of a deployment that needs nothing else — the replica set of its template
/// exists with the latest revision and the desired count, and no older one has to shrink —
/// or `None` when the full reconcile must run. Mirrors the checks of [`deployments`].
fn steady_status(d: &Value, sets: &[&Value], pods: &PodIndex, now: &str) -> Option<Value> {
    let desired = replicas(d);
    let template = d.at(&["spec", "template"]).unwrap_or(&Value::Null);
    let current = *sets
        .iter()
        .find(|rs| same_template(rs.at(&["spec", "template"]), template))?;
    let max_revision = sets
        .iter()
        .filter_map(|rs| revision_of(rs))
        .max()
        .unwrap_or(0);
    if revision_of(current).unwrap_or(0) < max_revision || replicas(current) != desired {
        return None;
    }
    let current_name = meta(current, "name");
    let new_ready = current
        .at(&["status", "readyReplicas"])
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let shrinking = sets.iter().any(|rs| {
        meta(rs, "name") != current_name
            && replicas(rs) != 0
            && (desired - new_ready).max(0).min(replicas(rs)) != replicas(rs)
    });
    if shrinking {
        return None;
    }
    Some(deployment_status(d, sets, current, pods, desired, now))
}

pub(super) fn deployments(world: &mut World, pods: &PodIndex) -> bool {
    let mut changed = false;
    let mut sets_by_owner: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for rs in world.store.list(Kind::ReplicaSet, None) {
        if let Some(owner) = rs
            .at(&["metadata", "ownerReferences", "0", "uid"])
            .and_then(Value::as_str)
        {
            sets_by_owner.entry(owner.to_owned()).or_default().push(rs);
        }
    }
    // A deployment that only needs its status written gets it computed here, on borrowed
    // objects; only the others (new or scaled replica sets, rollouts) are copied for the
    // full pass below. Both kinds are written in list order, as before.
    let now = crate::time::rfc3339(world.store.now_unix());
    let mut work: Vec<Plan> = Vec::new();
    for d in world.store.list(Kind::Deployment, None) {
        let uid = uid_of(d);
        // Taken, not removed: no other map of this type removes, and removal is a lot of code.
        let sets = sets_by_owner
            .get_mut(&uid)
            .map(std::mem::take)
            .unwrap_or_default();
        let print = fingerprint(d, &sets, pods);
        if world.fingerprints.get(&uid) == Some(&print) {
            continue;
        }
        work.push(match steady_status(d, &sets, pods, &now) {
            Some(status) => Plan::StatusOnly {
                ns: ns_of(d),
                name: name_of(d),
                uid,
                print,
                status,
            },
            None => Plan::Full(d.clone(), sets.into_iter().cloned().collect(), uid),
        });
    }
    for item in work {
        let (d, owned, uid) = match item {
            Plan::StatusOnly {
                ns,
                name,
                uid,
                print,
                status,
            } => {
                world.fingerprints.insert(uid, print);
                changed |= world.store.set_status(Kind::Deployment, &ns, &name, status);
                continue;
            }
            Plan::Full(d, owned, uid) => (d, owned, uid),
        };
        // Recorded before the work: if the work writes, the next pass sees a new print.
        let print = {
            let refs: Vec<&Value> = owned.iter().collect();
            fingerprint(&d, &refs, pods)
        };
        world.fingerprints.insert(uid.clone(), print);
        let ns = ns_of(&d);
        let desired = replicas(&d);
        let template = d.at(&["spec", "template"]).unwrap_or(&Value::Null);
        let current = owned
            .iter()
            .find(|rs| same_template(rs.at(&["spec", "template"]), template))
            .cloned();
        let max_revision = owned.iter().filter_map(revision_of).max().unwrap_or(0);
        let current = match current {
            Some(rs) => {
                // An older replica set became current again (rollout undo): it takes the
                // next revision number, and so does the deployment.
                let revision = revision_of(&rs).unwrap_or(0);
                let rs = if revision < max_revision {
                    let next = (max_revision + 1).to_string();
                    let mut rs2 = rs.clone();
                    rs2["metadata"]["annotations"]["deployment.kubernetes.io/revision"] =
                        json!(next);
                    set_if_changed(world, Kind::ReplicaSet, rs2.clone());
                    let mut d2 = d.clone();
                    d2["metadata"]["annotations"]["deployment.kubernetes.io/revision"] =
                        json!(next);
                    set_if_changed(world, Kind::Deployment, d2);
                    changed = true;
                    world
                        .store
                        .get(Kind::ReplicaSet, &ns, &name_of(&rs2))
                        .cloned()
                        .unwrap_or(rs2)
                } else {
                    rs
                };
                if replicas(&rs) != desired {
                    let old = replicas(&rs);
                    let mut rs2 = rs.clone();
                    rs2["spec"]["replicas"] = json!(desired);
                    rs2["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] =
                        json!(desired.to_string());
                    changed |= set_if_changed(world, Kind::ReplicaSet, rs2);
                    let verb = if desired > old { "up" } else { "down" };
                    events::record(
                        world,
                        &d,
                        "Normal",
                        "ScalingReplicaSet",
                        &format!(
                            "Scaled {verb} replica set {} from {old} to {desired}",
                            name_of(&rs)
                        ),
                        "deployment-controller",
                    );
                }
                rs
            }
            None => {
                let hash = pod_template_hash(template);
                let rs_name = format!("{}-{hash}", name_of(&d));
                let mut t = template.clone();
                t["metadata"]["labels"]["pod-template-hash"] = json!(hash);
                let mut selector = d.at(&["spec", "selector"]).cloned().unwrap_or(json!({}));
                selector["matchLabels"]["pod-template-hash"] = json!(hash);
                let mut labels = t.at(&["metadata", "labels"]).cloned().unwrap_or(json!({}));
                labels["pod-template-hash"] = json!(hash);
                let revision = (max_revision + 1).to_string();
                let rs = json!({
                    "metadata": {
                        "name": rs_name,
                        "namespace": ns,
                        "labels": labels,
                        "annotations": {
                            "deployment.kubernetes.io/desired-replicas": desired.to_string(),
                            "deployment.kubernetes.io/max-replicas": (desired + (desired + 3) / 4).to_string(),
                            "deployment.kubernetes.io/revision": revision,
                        },
                        "ownerReferences": owner_ref(Kind::Deployment, &d)
                    },
                    "spec": {"replicas": desired, "selector": selector, "template": t}
                });
                let World { store, rng, .. } = world;
                let Ok(created) = store.create(Kind::ReplicaSet, rs, rng) else {
                    continue;
                };
                let created = created.clone();
                events::record(
                    world,
                    &d,
                    "Normal",
                    "ScalingReplicaSet",
                    &format!("Scaled up replica set {rs_name} from 0 to {desired}"),
                    "deployment-controller",
                );
                let mut d2 = d.clone();
                d2["metadata"]["annotations"]["deployment.kubernetes.io/revision"] =
                    json!(revision);
                set_if_changed(world, Kind::Deployment, d2);
                changed = true;
                created
            }
        };
        // Shrink old replica sets once the new one is ready.
        let current_name = name_of(&current);
        let new_ready = current
            .at(&["status", "readyReplicas"])
            .and_then(Value::as_i64)
            .unwrap_or(0);
        for rs in &owned {
            if name_of(rs) == current_name || replicas(rs) == 0 {
                continue;
            }
            let keep = (desired - new_ready).max(0).min(replicas(rs));
            if keep != replicas(rs) {
                let old = replicas(rs);
                let mut rs2 = rs.clone();
                rs2["spec"]["replicas"] = json!(keep);
                changed |= set_if_changed(world, Kind::ReplicaSet, rs2);
                events::record(
                    world,
                    &d,
                    "Normal",
                    "ScalingReplicaSet",
                    &format!(
                        "Scaled down replica set {} from {old} to {keep}",
                        name_of(rs)
                    ),
                    "deployment-controller",
                );
            }
        }
        // Status, from the stored deployment (borrowed: only the new status is written).
        let d_name = name_of(&d);
        let Some(d) = world.store.get(Kind::Deployment, &ns, &d_name) else {
            continue;
        };
        let refs: Vec<&Value> = owned.iter().collect();
        let now = crate::time::rfc3339(world.store.now_unix());
        let status = deployment_status(d, &refs, &current, pods, desired, &now);
        changed |= world
            .store
            .set_status(Kind::Deployment, &ns, &d_name, status);
    }
    changed
}

/// A deployment's status from its replica sets' pods (`current`: the replica set of its
/// template; `now`: the clock, for new conditions).
fn deployment_status(
    d: &Value,
    owned: &[&Value],
    current: &Value,
    pods: &PodIndex,
    desired: i64,
    now: &str,
) -> Value {
    // Fields borrowed, values moved in (not `json!`, which serializes each value again):
    // every deployment's status is recomputed whenever its pods change.
    let current_name = meta(current, "name");
    let mut total = 0;
    let mut ready = 0;
    let mut updated = 0;
    let mut all_rs: Vec<&Value> = owned.to_vec();
    if !owned.iter().any(|rs| meta(rs, "name") == current_name) {
        all_rs.push(current);
    }
    for rs in all_rs {
        let rs_pods = pods.get(meta(rs, "uid")).map_or(&[][..], Vec::as_slice);
        total += rs_pods.len() as i64;
        ready += rs_pods.iter().filter(|p| p.ready).count() as i64;
        if meta(rs, "name") == current_name {
            updated = rs_pods.len() as i64;
        }
    }
    let mut status = Map::new();
    status.insert(
        "observedGeneration".to_owned(),
        d.at(&["metadata", "generation"])
            .cloned()
            .unwrap_or_else(|| Value::from(1)),
    );
    if total > 0 {
        status.insert("replicas".to_owned(), Value::from(total));
    }
    if updated > 0 {
        status.insert("updatedReplicas".to_owned(), Value::from(updated));
    }
    if ready > 0 {
        status.insert("readyReplicas".to_owned(), Value::from(ready));
        status.insert("availableReplicas".to_owned(), Value::from(ready));
    }
    if total - ready > 0 {
        status.insert("unavailableReplicas".to_owned(), Value::from(total - ready));
    }
    let available = ready >= desired - (desired / 4);
    let old_conditions = d
        .get("status")
        .and_then(|s| s.get("conditions"))
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let condition = |ty: &str, ok: bool, reason: &str, message: String| {
        let status = if ok { "True" } else { "False" };
        let previous = old_conditions
            .iter()
            .find(|c| c.get("type").and_then(Value::as_str) == Some(ty));
        let since = previous
            .filter(|c| c.get("status").and_then(Value::as_str) == Some(status))
            .and_then(|c| c.get("lastTransitionTime").cloned())
            .unwrap_or_else(|| Value::String(now.to_owned()));
        super::object([
            ("lastTransitionTime", since.clone()),
            ("lastUpdateTime", since),
            ("message", Value::String(message)),
            ("reason", Value::String(reason.to_owned())),
            ("status", Value::String(status.to_owned())),
            ("type", Value::String(ty.to_owned())),
        ])
    };
    let progressing_done = updated == desired && ready >= desired;
    status.insert(
        "conditions".to_owned(),
        Value::Array(vec![
            condition(
                "Available",
                available,
                if available {
                    "MinimumReplicasAvailable"
                } else {
                    "MinimumReplicasUnavailable"
                },
                if available {
                    "Deployment has minimum availability.".to_owned()
                } else {
                    "Deployment does not have minimum availability.".to_owned()
                },
            ),
            condition(
                "Progressing",
                true,
                if progressing_done {
                    "NewReplicaSetAvailable"
                } else {
                    "ReplicaSetUpdated"
                },
                if progressing_done {
                    format!("ReplicaSet \"{current_name}\" has successfully progressed.")
                } else {
                    format!("ReplicaSet \"{current_name}\" is progressing.")
                },
            ),
        ]),
    );
    Value::Object(status)
}

pub(super) fn replicasets(world: &mut World, index: &mut PodIndex) -> bool {
    let mut changed = false;
    // Named here, borrowed below; a replica set is copied only when it must create pods
    // from its template.
    let mut sets: Vec<(String, String)> = Vec::new();
    for rs in world.store.list(Kind::ReplicaSet, None) {
        let print = fingerprint(rs, &[], index);
        let uid = uid_of(rs);
        if world.fingerprints.get(&uid) == Some(&print) {
            continue;
        }
        world.fingerprints.insert(uid, print);
        sets.push((ns_of(rs), name_of(rs)));
    }
    for (ns, rs_name) in sets {
        let Some(stored) = world.store.get(Kind::ReplicaSet, &ns, &rs_name) else {
            continue;
        };
        let uid = uid_of(stored);
        let desired = replicas(stored);
        let generation = stored.at(&["metadata", "generation"]).cloned();
        let subject = events::subject(stored);
        let pods_entry = index.entry(uid.clone()).or_default();
        let have = pods_entry.len() as i64;
        // Made from the stored replica set (borrowed, not copied) before any pod is created;
        // defaulting reads and writes only the spec, which the pods share.
        let prototype = (have < desired).then(|| {
            let mut pod = pod_prototype(stored, Kind::ReplicaSet, &ns);
            apply_defaults(Kind::Pod, &mut pod);
            pod
        });
        let mut pods = std::mem::take(pods_entry);
        if let Some(prototype) = &prototype {
            for _ in have..desired {
                let name = format!("{rs_name}-{}", world.rng.name_suffix(5));
                let mut pod = prototype.clone();
                name_pod(&mut pod, &name);
                super::apiserver::admit_pod(world, &mut pod);
                let World { store, rng, .. } = world;
                if store.create(Kind::Pod, pod, rng).is_ok() {
                    pods.push(PodInfo {
                        name: name.clone(),
                        ready: false,
                        created: None,
                        node: String::new(),
                    });
                    events::record_about(
                        world,
                        &subject,
                        "Normal",
                        "SuccessfulCreate",
                        &format!("Created pod: {name}"),
                        "replicaset-controller",
                    );
                    changed = true;
                }
            }
        } else if have > desired {
            // Remove not-ready pods first, then the newest.
            crate::sort::sort_by_key(&mut pods, |p| {
                (p.ready, std::cmp::Reverse(p.created), p.name.clone())
            });
            let doomed: Vec<PodInfo> = pods.drain(..(have - desired) as usize).collect();
            for pod in &doomed {
                let name = pod.name.clone();
                world.store.remove(Kind::Pod, &ns, &name);
                events::record_about(
                    world,
                    &subject,
                    "Normal",
                    "SuccessfulDelete",
                    &format!("Deleted pod: {name}"),
                    "replicaset-controller",
                );
                changed = true;
            }
        }
        let ready = pods.iter().filter(|p| p.ready).count() as i64;
        let mut status = Map::new();
        status.insert("replicas".to_owned(), json!(pods.len()));
        if !pods.is_empty() {
            status.insert("fullyLabeledReplicas".to_owned(), json!(pods.len()));
        }
        if ready > 0 {
            status.insert("readyReplicas".to_owned(), json!(ready));
            status.insert("availableReplicas".to_owned(), json!(ready));
        }
        status.insert(
            "observedGeneration".to_owned(),
            generation.unwrap_or(json!(1)),
        );
        changed |= world
            .store
            .set_status(Kind::ReplicaSet, &ns, &rs_name, Value::Object(status));
        index.insert(uid, pods);
    }
    changed
}

fn pod_from_template(owner: &Value, owner_kind: Kind, name: &str, ns: &str) -> Value {
    let mut pod = pod_prototype(owner, owner_kind, ns);
    name_pod(&mut pod, name);
    pod
}

/// What every pod `owner` creates from its template has in common: all but its name. A
/// replica set creating several pods copies this once per pod rather than its whole
/// template, piecewise, for each.
fn pod_prototype(owner: &Value, owner_kind: Kind, ns: &str) -> Value {
    let template = owner.at(&["spec", "template"]);
    let mut meta = template
        .and_then(|t| t.get("metadata"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    meta.remove("creationTimestamp");
    meta.insert(
        "generateName".to_owned(),
        Value::String(format!("{}-", name_of(owner))),
    );
    meta.insert("namespace".to_owned(), Value::String(ns.to_owned()));
    meta.insert("ownerReferences".to_owned(), owner_ref(owner_kind, owner));
    let spec = template
        .and_then(|t| t.get("spec"))
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    super::object([("metadata", Value::Object(meta)), ("spec", spec)])
}

/// Gives a pod made from [`pod_prototype`] its name.
fn name_pod(pod: &mut Value, name: &str) {
    if let Some(meta) = pod.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("name".to_owned(), Value::String(name.to_owned()));
    }
}

fn tolerates(pod_spec: &Value, taints: &[Value]) -> bool {
    let tolerations: &[Value] = pod_spec
        .get("tolerations")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    taints.iter().all(|taint| {
        let effect = taint
            .get("effect")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if effect == "PreferNoSchedule" {
            return true;
        }
        let key = taint.get("key").and_then(Value::as_str).unwrap_or_default();
        tolerations.iter().any(|t| {
            let t_key = t.get("key").and_then(Value::as_str);
            let op = t.get("operator").and_then(Value::as_str).unwrap_or("Equal");
            let t_effect = t.get("effect").and_then(Value::as_str);
            let key_ok = match t_key {
                None | Some("") => op == "Exists",
                Some(k) => k == key,
            };
            key_ok && t_effect.is_none_or(|e| e.is_empty() || e == effect)
        })
    })
}

/// Can a pod with `pod_spec` run on `node` (taints and nodeSelector)?
pub(super) fn fits(pod_spec: &Value, node: &Value) -> bool {
    let taints: &[Value] = node
        .at(&["spec", "taints"])
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    if !tolerates(pod_spec, taints) {
        return false;
    }
    // The nodeSelector as `matchLabels` (checked here on borrowed labels: the scheduler asks
    // this for every pod and node).
    if let Some(Value::Object(sel)) = pod_spec.get("nodeSelector") {
        let labels = node.at(&["metadata", "labels"]).unwrap_or(&Value::Null);
        if sel.iter().any(|(k, v)| labels.get(k) != Some(v)) {
            return false;
        }
    }
    true
}

pub(super) fn daemonsets(world: &mut World, index: &mut PodIndex) -> bool {
    let mut changed = false;
    let sets: Vec<Value> = world
        .store
        .list(Kind::DaemonSet, None)
        .into_iter()
        .cloned()
        .collect();
    let nodes: Vec<Value> = world
        .store
        .list(Kind::Node, None)
        .into_iter()
        .cloned()
        .collect();
    for ds in sets {
        let ns = ns_of(&ds);
        let uid = uid_of(&ds);
        let spec = ds
            .at(&["spec", "template", "spec"])
            .cloned()
            .unwrap_or_default();
        let pods_entry = index.entry(uid.clone()).or_default();
        let mut pods = std::mem::take(pods_entry);
        let mut desired = 0;
        for node in &nodes {
            if !fits(&spec, node) {
                continue;
            }
            desired += 1;
            let node_name = name_of(node);
            let has = pods.iter().any(|p| p.node == node_name);
            if !has {
                let name = format!("{}-{}", name_of(&ds), world.rng.name_suffix(5));
                let mut pod = pod_from_template(&ds, Kind::DaemonSet, &name, &ns);
                pod["spec"]["nodeName"] = json!(node_name);
                apply_defaults(Kind::Pod, &mut pod);
                super::apiserver::admit_pod(world, &mut pod);
                let World { store, rng, .. } = world;
                if store.create(Kind::Pod, pod, rng).is_ok() {
                    pods.push(PodInfo {
                        name,
                        ready: false,
                        created: None,
                        node: node_name.clone(),
                    });
                    changed = true;
                }
            }
        }
        let ready = pods.iter().filter(|p| p.ready).count();
        let mut status = json!({
            "currentNumberScheduled": pods.len(),
            "desiredNumberScheduled": desired,
            "numberMisscheduled": 0,
            "numberReady": ready,
            "observedGeneration": ds.at(&["metadata", "generation"]).cloned().unwrap_or(json!(1)),
            "updatedNumberScheduled": pods.len(),
        });
        if ready > 0 {
            status["numberAvailable"] = json!(ready);
        }
        if let Some(ds) = world
            .store
            .get(Kind::DaemonSet, &ns, &name_of(&ds))
            .cloned()
        {
            changed |= write_status(world, Kind::DaemonSet, &ds, status);
        }
        index.insert(uid, pods);
    }
    changed
}

fn create_raw(world: &mut World, kind: Kind, mut obj: Value) -> Option<Value> {
    apply_defaults(kind, &mut obj);
    let World { store, rng, .. } = world;
    store.create(kind, obj, rng).ok().cloned()
}

fn control_plane_tolerations() -> Value {
    json!([
        {"key": "CriticalAddonsOnly", "operator": "Exists"},
        {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}
    ])
}

/// A static pod (`etcd-master`, ...) as the kubelet mirrors it into the API.
fn static_pod(world: &mut World, component: &str, image: &str, command: &[&str]) {
    let name = format!("{component}-master");
    let pod = json!({
        "metadata": {
            "name": name,
            "namespace": "kube-system",
            "labels": {"component": component, "tier": "control-plane"},
            "annotations": {
                "kubernetes.io/config.source": "file",
                "kubernetes.io/config.hash": "",
            },
            "ownerReferences": [{"apiVersion": "v1", "controller": true, "kind": "Node",
                "name": "master", "uid": world.store.get(Kind::Node, "", "master").map(uid_of).unwrap_or_default()}]
        },
        "spec": {
            "containers": [{"name": component, "image": image, "command": command}],
            "hostNetwork": true,
            "nodeName": "master",
            "priority": 2_000_001_000,
            "priorityClassName": "system-node-critical",
            "tolerations": [{"effect": "NoExecute", "operator": "Exists"}]
        }
    });
    create_raw(world, Kind::Pod, pod);
}

fn deployment_with_rs(
    world: &mut World,
    name: &str,
    hash: &str,
    replicas: i64,
    labels: Value,
    spec: Value,
) {
    let template = json!({"metadata": {"labels": labels.clone()}, "spec": spec});
    let mut template_defaulted = json!({"spec": {"template": template, "replicas": replicas,
        "selector": {"matchLabels": labels.clone()}}});
    apply_defaults(Kind::Deployment, &mut template_defaulted);
    let defaulted_template = template_defaulted
        .at(&["spec", "template"])
        .cloned()
        .unwrap_or_default();
    let mut deploy_labels = labels.clone();
    if let Some(l) = deploy_labels.as_object_mut() {
        l.remove("pod-template-hash");
    }
    let Some(d) = create_raw(
        world,
        Kind::Deployment,
        json!({
            "metadata": {"name": name, "namespace": "kube-system", "labels": deploy_labels,
                "annotations": {"deployment.kubernetes.io/revision": "1"}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels.clone()},
                "template": defaulted_template.clone()}
        }),
    ) else {
        return;
    };
    let mut rs_template = defaulted_template;
    rs_template["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    let mut rs_labels = labels.clone();
    rs_labels["pod-template-hash"] = json!(hash);
    create_raw(
        world,
        Kind::ReplicaSet,
        json!({
            "metadata": {
                "name": format!("{name}-{hash}"),
                "namespace": "kube-system",
                "labels": rs_labels.clone(),
                "annotations": {
                    "deployment.kubernetes.io/desired-replicas": replicas.to_string(),
                    "deployment.kubernetes.io/max-replicas": (replicas + 1).to_string(),
                    "deployment.kubernetes.io/revision": "1"
                },
                "ownerReferences": owner_ref(Kind::Deployment, &d)
            },
            "spec": {"replicas": replicas, "selector": {"matchLabels": rs_labels}, "template": rs_template}
        }),
    );
}

fn daemonset(world: &mut World, ns: &str, name: &str, labels: Value, spec: Value) {
    create_raw(
        world,
        Kind::DaemonSet,
        json!({
            "metadata": {"name": name, "namespace": ns, "labels": labels.clone(),
                "annotations": {"deprecated.daemonset.template.generation": "1"}},
            "spec": {"selector": {"matchLabels": labels.clone()},
                "template": {"metadata": {"labels": labels}, "spec": spec},
                "updateStrategy": {"type": "RollingUpdate",
                    "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}}
        }),
    );
}

pub(super) fn install_addons(world: &mut World) {
    static_pod(
        world,
        "etcd",
        "registry.k8s.io/etcd:3.5.16-0",
        &["etcd", "--advertise-client-urls=https://192.168.56.10:2379"],
    );
    static_pod(
        world,
        "kube-apiserver",
        "registry.k8s.io/kube-apiserver:v1.32.4",
        &[
            "kube-apiserver",
            "--advertise-address=192.168.56.10",
            "--service-cluster-ip-range=10.96.0.0/12",
        ],
    );
    static_pod(
        world,
        "kube-controller-manager",
        "registry.k8s.io/kube-controller-manager:v1.32.4",
        &["kube-controller-manager", "--cluster-cidr=192.168.0.0/16"],
    );
    static_pod(
        world,
        "kube-scheduler",
        "registry.k8s.io/kube-scheduler:v1.32.4",
        &["kube-scheduler"],
    );
    let _ = NODES;
    daemonset(
        world,
        "kube-system",
        "kube-proxy",
        json!({"k8s-app": "kube-proxy"}),
        json!({
            "containers": [{"name": "kube-proxy", "image": "registry.k8s.io/kube-proxy:v1.32.4",
                "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf",
                    "--hostname-override=$(NODE_NAME)"]}],
            "hostNetwork": true,
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "priorityClassName": "system-node-critical",
            "serviceAccountName": "kube-proxy",
            "tolerations": [{"operator": "Exists"}]
        }),
    );
    match world.config.cni {
        Cni::Calico => {
            daemonset(
                world,
                "kube-system",
                "calico-node",
                json!({"k8s-app": "calico-node"}),
                json!({
                    "containers": [{"name": "calico-node", "image": "docker.io/calico/node:v3.29.2",
                        "readinessProbe": {"exec": {"command": ["/bin/calico-node", "-felix-ready"]},
                            "periodSeconds": 10, "timeoutSeconds": 10}}],
                    "hostNetwork": true,
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": "calico-node",
                    "tolerations": [{"effect": "NoSchedule", "operator": "Exists"},
                        {"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"effect": "NoExecute", "operator": "Exists"}]
                }),
            );
            deployment_with_rs(
                world,
                "calico-kube-controllers",
                "7498b9bb4c",
                1,
                json!({"k8s-app": "calico-kube-controllers"}),
                json!({
                    "containers": [{"name": "calico-kube-controllers",
                        "image": "docker.io/calico/kube-controllers:v3.29.2"}],
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-cluster-critical",
                    "serviceAccountName": "calico-kube-controllers",
                    "tolerations": control_plane_tolerations()
                }),
            );
        }
        Cni::Flannel => {
            daemonset(
                world,
                "kube-flannel",
                "kube-flannel-ds",
                json!({"app": "flannel", "k8s-app": "flannel", "tier": "node"}),
                json!({
                    "containers": [{"name": "kube-flannel", "image": "ghcr.io/flannel-io/flannel:v0.26.4",
                        "command": ["/opt/bin/flanneld"], "args": ["--ip-masq", "--kube-subnet-mgr"]}],
                    "hostNetwork": true,
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": "flannel",
                    "tolerations": [{"effect": "NoSchedule", "operator": "Exists"}]
                }),
            );
        }
        Cni::WeaveNet => {
            daemonset(
                world,
                "kube-system",
                "weave-net",
                json!({"name": "weave-net"}),
                json!({
                    "containers": [
                        {"name": "weave", "image": "weaveworks/weave-kube:latest",
                            "command": ["/home/weave/launch.sh"]},
                        {"name": "weave-npc", "image": "weaveworks/weave-npc:latest"}
                    ],
                    "hostNetwork": true,
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": "weave-net",
                    "tolerations": [{"effect": "NoSchedule", "operator": "Exists"},
                        {"effect": "NoExecute", "operator": "Exists"}]
                }),
            );
        }
    }
    deployment_with_rs(
        world,
        "coredns",
        "668d6bf9bc",
        2,
        json!({"k8s-app": "kube-dns"}),
        json!({
            "containers": [{"name": "coredns", "image": "registry.k8s.io/coredns/coredns:v1.11.3",
                "args": ["-conf", "/etc/coredns/Corefile"],
                "ports": [
                    {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                    {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                    {"containerPort": 9153, "name": "metrics", "protocol": "TCP"}
                ],
                "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"},
                    "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
                "livenessProbe": {"httpGet": {"path": "/health", "port": 8080, "scheme": "HTTP"},
                    "initialDelaySeconds": 60, "periodSeconds": 10, "timeoutSeconds": 5,
                    "successThreshold": 1, "failureThreshold": 5}}],
            "dnsPolicy": "Default",
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "priorityClassName": "system-cluster-critical",
            "serviceAccountName": "coredns",
            "tolerations": control_plane_tolerations()
        }),
    );
    super::settle(world);
}
