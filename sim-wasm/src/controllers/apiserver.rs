//! The API server's write path: strict decoding, namespace admission, defaulting,
//! validation, ClusterIP/NodePort allocation, then the store. kubectl (the client) calls
//! these and prints what they return; nothing here knows about flags or printing.

use crate::api::Ptr;
use serde_json::{Value, json};

use crate::api::schema::strict_decode;
use crate::api::validate::{apply_defaults, causes};
use crate::api::{ApiError, Kind};
use crate::commands::World;
use crate::store::key_of;

/// What the server says about a create/update before it is stored (`Kind in version "v1"
/// cannot be handled as a Kind: ...`).
fn decode(kind: Kind, obj: &Value) -> Result<(), ApiError> {
    strict_decode(kind, obj).map_err(|e| {
        let version = kind.api_version().rsplit('/').next().unwrap_or("v1");
        ApiError::bad_request(format!(
            "{kind} in version \"{version}\" cannot be handled as a {kind}: {}",
            e.message()
        ))
    })
}

fn check_namespace(world: &World, kind: Kind, namespace: &str) -> Result<(), ApiError> {
    if kind.namespaced() && world.store.get(Kind::Namespace, "", namespace).is_none() {
        return Err(ApiError::not_found(Kind::Namespace, namespace));
    }
    Ok(())
}

/// Everything up to (not including) storing: what `--dry-run=server` would also run.
pub fn prepare_create(world: &mut World, kind: Kind, mut obj: Value) -> Result<Value, ApiError> {
    decode(kind, &obj)?;
    let (namespace, name) = key_of(kind, &obj);
    check_namespace(world, kind, &namespace)?;
    if let Some(o) = obj.as_object_mut() {
        o.insert("apiVersion".to_owned(), json!(kind.api_version()));
        o.insert("kind".to_owned(), json!(kind.name()));
        // The server ignores a client's status on create (status is a subresource), except
        // that `creationTimestamp: null` and friends in metadata are simply overwritten.
        if !matches!(kind, Kind::Node | Kind::Namespace | Kind::Service) {
            o.remove("status");
        }
        if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.remove("creationTimestamp");
            if kind.namespaced() {
                meta.insert("namespace".to_owned(), json!(namespace));
            }
        }
    }
    apply_defaults(kind, &mut obj);
    let problems = causes(kind, &obj);
    if !problems.is_empty() {
        return Err(ApiError::invalid(kind, &name, &problems));
    }
    if kind == Kind::Pod {
        admit_pod(world, &mut obj);
    }
    if world.store.get(kind, &namespace, &name).is_some() {
        return Err(ApiError::already_exists(kind, &name));
    }
    if kind == Kind::Service {
        super::services::allocate(world, &mut obj, None)?;
    }
    Ok(obj)
}

/// The admission plugins every new pod goes through: ServiceAccount (the `default`
/// account and its projected token volume, mounted in every container) and
/// DefaultTolerationSeconds (tolerate not-ready/unreachable nodes for 300 s).
pub(crate) fn admit_pod(world: &mut World, pod: &mut Value) {
    let Some(spec) = pod.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    if spec.get("hostNetwork") == Some(&json!(true)) && spec.contains_key("nodeName") {
        return; // mirror pods of static pods get neither
    }
    let account = spec
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .unwrap_or("default")
        .to_owned();
    spec.insert("serviceAccountName".to_owned(), json!(account));
    spec.insert("serviceAccount".to_owned(), json!(account));
    let volume = format!("kube-api-access-{}", world.rng.name_suffix(5));
    let volumes = spec.entry("volumes").or_insert(json!([]));
    if let Some(v) = volumes.as_array_mut() {
        v.push(json!({
            "name": volume,
            "projected": {
                "defaultMode": 420,
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                ]
            }
        }));
    }
    if let Some(Value::Array(containers)) = spec.get_mut("containers") {
        for c in containers {
            if let Some(c) = c.as_object_mut() {
                let mounts = c.entry("volumeMounts").or_insert(json!([]));
                if let Some(m) = mounts.as_array_mut() {
                    m.push(json!({
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "name": volume,
                        "readOnly": true
                    }));
                }
            }
        }
    }
    let tolerations = spec.entry("tolerations").or_insert(json!([]));
    if let Some(t) = tolerations.as_array_mut() {
        for key in [
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
        ] {
            let present = t
                .iter()
                .any(|x| x.get("key").and_then(Value::as_str) == Some(key));
            if !present {
                t.push(
                    json!({"effect": "NoExecute", "key": key, "operator": "Exists",
                    "tolerationSeconds": 300}),
                );
            }
        }
    }
}

/// Creates an object (POST). Returns the stored object.
pub fn create(world: &mut World, kind: Kind, obj: Value) -> Result<Value, ApiError> {
    let obj = prepare_create(world, kind, obj)?;
    let World { store, rng, .. } = world;
    // Controllers react when the command is done (kubectl calls `World::reconcile`), so a
    // manifest of a thousand objects is not reconciled a thousand times.
    Ok(store.create(kind, obj, rng)?.clone())
}

/// Replaces an object (PUT, and what a patch turns into). `Ok(false)` when nothing changed.
pub fn update(world: &mut World, kind: Kind, mut obj: Value) -> Result<bool, ApiError> {
    decode(kind, &obj)?;
    let (namespace, name) = key_of(kind, &obj);
    let Some(old) = world.store.get(kind, &namespace, &name).cloned() else {
        return Err(ApiError::not_found(kind, &name));
    };
    if let Some(o) = obj.as_object_mut() {
        o.insert("apiVersion".to_owned(), json!(kind.api_version()));
        o.insert("kind".to_owned(), json!(kind.name()));
        if let Some(status) = old.get("status") {
            o.insert("status".to_owned(), status.clone());
        }
    }
    apply_defaults(kind, &mut obj);
    let mut problems = causes(kind, &obj);
    problems.extend(immutable_causes(kind, &old, &obj));
    if !problems.is_empty() {
        return Err(ApiError::invalid(kind, &name, &problems));
    }
    if kind == Kind::Service {
        super::services::allocate(world, &mut obj, Some(&old))?;
    }
    world.store.update(kind, obj)
}

fn immutable_causes(kind: Kind, old: &Value, new: &Value) -> Vec<String> {
    let mut causes = Vec::new();
    if matches!(kind, Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet) {
        let (a, b) = (old.ptr("/spec/selector"), new.ptr("/spec/selector"));
        if a != b {
            causes.push(format!(
                "spec.selector: Invalid value: {}: field is immutable",
                go_label_selector(b)
            ));
        }
    }
    if kind == Kind::Service {
        let old_ip = old.ptr("/spec/clusterIP").and_then(Value::as_str);
        let new_ip = new.ptr("/spec/clusterIP").and_then(Value::as_str);
        if let (Some(o), Some(n)) = (old_ip, new_ip)
            && o != n
            && !n.is_empty()
        {
            causes.push(format!(
                "spec.clusterIPs[0]: Invalid value: []string{{\"{n}\"}}: may not change once set"
            ));
            causes.push(
                "spec.clusterIP: Invalid value: \"".to_owned() + n + "\": field is immutable",
            );
        }
    }
    if kind == Kind::Pod {
        let strip = |v: &Value| {
            let mut spec = v.get("spec").cloned().unwrap_or_default();
            if let Some(Value::Array(cs)) = spec.get_mut("containers") {
                for c in cs {
                    if let Some(c) = c.as_object_mut() {
                        c.remove("image");
                    }
                }
            }
            if let Some(s) = spec.as_object_mut() {
                s.remove("nodeName");
            }
            spec
        };
        if strip(old) != strip(new) {
            causes.push("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)".to_owned());
        }
    }
    causes
}

/// Go's `%#v` of a `*v1.LabelSelector`, as the immutable-selector message prints it.
fn go_label_selector(selector: Option<&Value>) -> String {
    let labels = selector.and_then(|s| s.get("matchLabels"));
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}",
        crate::api::validate::go_map_literal(labels)
    )
}

/// Deletes an object and, like the garbage collector and the namespace controller, what it
/// owns. Returns the deleted object.
pub fn delete(
    world: &mut World,
    kind: Kind,
    namespace: &str,
    name: &str,
) -> Result<Value, ApiError> {
    if kind == Kind::Namespace && matches!(name, "default" | "kube-system" | "kube-public") {
        return Err(ApiError::forbidden(format!(
            "namespaces \"{name}\" is forbidden: this namespace may not be deleted"
        )));
    }
    let Some(obj) = world.store.remove(kind, namespace, name) else {
        return Err(ApiError::not_found(kind, name));
    };
    if kind == Kind::Namespace {
        for k in Kind::ALL {
            if !k.namespaced() {
                continue;
            }
            let names: Vec<String> = world
                .store
                .list(k, Some(name))
                .iter()
                .filter_map(|o| o.ptr("/metadata/name")?.as_str().map(str::to_owned))
                .collect();
            for n in names {
                world.store.remove(k, name, &n);
            }
        }
    }
    super::gc::collect(world);
    Ok(obj)
}
