//! Events about objects, as controllers and the kubelet report them (`kubectl describe`
//! shows them; `kubectl get events` lists them). A repeated event bumps `count`.

use serde_json::{Value, json};

use super::workloads::{name_of, ns_of, uid_of};
use crate::api::Kind;
use crate::commands::World;
use crate::time::rfc3339;

pub(super) fn record(
    world: &mut World,
    about: &Value,
    ty: &str,
    reason: &str,
    message: &str,
    component: &str,
) {
    let kind = about.get("kind").and_then(Value::as_str).unwrap_or_default().to_owned();
    let ns = ns_of(about);
    let ns = if ns.is_empty() { "default".to_owned() } else { ns };
    let name = name_of(about);
    let uid = uid_of(about);
    let now = rfc3339(world.store.now_unix());
    let existing = world
        .store
        .list(Kind::Event, Some(&ns))
        .into_iter()
        .find(|e| {
            e.pointer("/involvedObject/uid").and_then(Value::as_str) == Some(uid.as_str())
                && e.get("reason").and_then(Value::as_str) == Some(reason)
                && e.get("message").and_then(Value::as_str) == Some(message)
        })
        .cloned();
    if let Some(mut e) = existing {
        let count = e.get("count").and_then(Value::as_i64).unwrap_or(1) + 1;
        e["count"] = json!(count);
        e["lastTimestamp"] = json!(now);
        let _ = world.store.update(Kind::Event, e);
        return;
    }
    let suffix = format!("{:08x}{:08x}", world.rng.next_u32(), world.rng.next_u32());
    let mut source = json!({"component": component});
    if component == "kubelet"
        && let Some(node) = about.pointer("/spec/nodeName")
    {
        source["host"] = node.clone();
    }
    let event = json!({
        "metadata": {"name": format!("{name}.{suffix}"), "namespace": ns},
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
    let _ = store.create(Kind::Event, event, rng);
}
