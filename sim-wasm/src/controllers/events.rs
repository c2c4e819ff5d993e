//! Events about objects, as controllers and the kubelet report them (`kubectl describe`
//! shows them; `kubectl get events` lists them). A repeated event bumps `count`.

use crate::api::Ptr;
use serde_json::{Map, Value, json};

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
    let meta = about.get("metadata");
    let text = |field: &str| {
        meta.and_then(|m| m.get(field))
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let ns = match text("namespace") {
        "" => "default",
        ns => ns,
    };
    let name = text("name");
    let uid = text("uid");
    let now = rfc3339(world.store.now_unix());
    // A repeated event (same object, reason and message) bumps the count of the one that
    // reported it; the store's index of events by object finds it among that object's few.
    let existing = world.store.events_about(uid).into_iter().find(|e| {
        e.get("reason").and_then(Value::as_str) == Some(reason)
            && e.get("message").and_then(Value::as_str) == Some(message)
    });
    if let Some(mut e) = existing.cloned() {
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
    let event_name = format!("{name}.{nanos:x}");
    // Built field by field, keys in order, rather than with `json!`: tens of thousands of
    // events are recorded while a large cluster settles, and `json!` serializes every
    // interpolated value again. The object is the same.
    let string = |s: &str| Value::String(s.to_owned());
    let mut source = Map::new();
    source.insert("component".to_owned(), string(component));
    if component == "kubelet"
        && let Some(node) = about.ptr("/spec/nodeName")
    {
        source.insert("host".to_owned(), node.clone());
    }
    let mut involved = Map::new();
    involved.insert(
        "apiVersion".to_owned(),
        about.get("apiVersion").cloned().unwrap_or_default(),
    );
    let kind = about
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    involved.insert("kind".to_owned(), string(kind));
    involved.insert("name".to_owned(), string(name));
    involved.insert("namespace".to_owned(), string(ns));
    involved.insert("uid".to_owned(), string(uid));
    let mut metadata = Map::new();
    metadata.insert("name".to_owned(), string(&event_name));
    metadata.insert("namespace".to_owned(), string(ns));
    let mut event = Map::new();
    event.insert("count".to_owned(), json!(1));
    event.insert("eventTime".to_owned(), Value::Null);
    event.insert("firstTimestamp".to_owned(), string(&now));
    event.insert("involvedObject".to_owned(), Value::Object(involved));
    event.insert("lastTimestamp".to_owned(), Value::String(now));
    event.insert("message".to_owned(), string(message));
    event.insert("metadata".to_owned(), Value::Object(metadata));
    event.insert("reason".to_owned(), string(reason));
    event.insert("reportingComponent".to_owned(), string(component));
    event.insert("reportingInstance".to_owned(), string(""));
    event.insert("source".to_owned(), Value::Object(source));
    event.insert("type".to_owned(), string(ty));
    let World { store, rng, .. } = world;
    let _ = store.create(Kind::Event, Value::Object(event), rng);
}
