//! Events about objects, as controllers and the kubelet report them (`kubectl describe`
//! shows them; `kubectl get events` lists them). A repeated event bumps `count`.

use crate::api::Ptr;
use serde_json::{Value, json};

use super::workloads::{name_of, ns_of, uid_of};
use crate::api::Kind;
use crate::commands::World;
use crate::time::rfc3339;

/// The part of an object that [`record`] reads (kind, apiVersion, name, namespace, uid and
/// the pod's node), so a controller can report on an object it only borrowed without copying
/// the whole object.
pub(super) fn subject(about: &Value) -> Value {
    let mut meta = serde_json::Map::new();
    for field in ["name", "namespace", "uid"] {
        if let Some(v) = about.get("metadata").and_then(|m| m.get(field)) {
            meta.insert(field.to_owned(), v.clone());
        }
    }
    let mut out = serde_json::Map::new();
    for field in ["apiVersion", "kind"] {
        if let Some(v) = about.get(field) {
            out.insert(field.to_owned(), v.clone());
        }
    }
    out.insert("metadata".to_owned(), Value::Object(meta));
    if let Some(node) = about.ptr("/spec/nodeName") {
        out.insert("spec".to_owned(), json!({ "nodeName": node.clone() }));
    }
    Value::Object(out)
}

pub(super) fn record(
    world: &mut World,
    about: &Value,
    ty: &str,
    reason: &str,
    message: &str,
    component: &str,
) {
    let kind = about
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let ns = ns_of(about);
    let ns = if ns.is_empty() {
        "default".to_owned()
    } else {
        ns
    };
    let name = name_of(about);
    let uid = uid_of(about);
    let now = rfc3339(world.store.now_unix());
    let key = (uid.clone(), reason.to_owned(), message.to_owned());
    let existing = world
        .store
        .event_key(&key)
        .and_then(|(ens, ename)| world.store.get(Kind::Event, ens, ename))
        .cloned();
    if let Some(mut e) = existing {
        let count = e.get("count").and_then(Value::as_i64).unwrap_or(1) + 1;
        e["count"] = json!(count);
        e["lastTimestamp"] = json!(now);
        let _ = world.store.update(Kind::Event, e);
        return;
    }
    // Like the real recorder (`name.%x` of UnixNano), so names sort by time; the count of
    // events keeps names unique within one virtual second.
    let nanos = world.store.now_unix().max(0) as u64 * 1_000_000_000
        + world.store.count(Kind::Event) as u64 * 1000;
    let suffix = format!("{nanos:x}");
    let mut source = json!({"component": component});
    if component == "kubelet"
        && let Some(node) = about.ptr("/spec/nodeName")
    {
        source["host"] = node.clone();
    }
    let event = json!({
        "metadata": {"name": format!("{name}.{suffix}"), "namespace": ns.clone()},
        "involvedObject": {
            "apiVersion": about.get("apiVersion").cloned().unwrap_or_default(),
            "kind": kind, "name": name, "namespace": ns, "uid": uid
        },
        "reason": reason,
        "message": message,
        "source": source,
        "firstTimestamp": now,
        "lastTimestamp": now,
        "count": 1,
        "type": ty,
        "eventTime": null,
        "reportingComponent": component,
        "reportingInstance": ""
    });
    let World { store, rng, .. } = world;
    let name = format!("{name}.{suffix}");
    if store.create(Kind::Event, event, rng).is_ok() {
        store.set_event_key(key, (ns, name));
    }
}
