//! Events about objects, as controllers and the kubelet report them (`kubectl describe`
//! shows them; `kubectl get events` lists them). A repeated event bumps `count`.

use crate::api::Ptr;
use serde_json::Value;

use crate::api::Kind;
use crate::commands::World;
use crate::store::Recorded;

/// The part of an object that [`record`] reads (kind, apiVersion, name, namespace, uid and
/// the pod's node), so a controller can report on an object it only borrowed without copying
/// the whole object — nor building a JSON object of it: the kubelet reports on thousands of
/// pods while a large cluster settles.
#[derive(Clone, Debug, Default)]
pub(super) struct Subject {
    api_version: Value,
    kind: String,
    name: String,
    namespace: String,
    uid: String,
    node: Option<Value>,
}

pub(super) fn subject(about: &Value) -> Subject {
    let text = |field: &str| {
        about
            .get("metadata")
            .and_then(|m| m.get(field))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Subject {
        api_version: about.get("apiVersion").cloned().unwrap_or_default(),
        kind: about
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        name: text("name"),
        namespace: text("namespace"),
        uid: text("uid"),
        node: about.at(&["spec", "nodeName"]).cloned(),
    }
}

pub(super) fn record(
    world: &mut World,
    about: &Value,
    ty: &str,
    reason: &str,
    message: &str,
    component: &str,
) {
    record_about(world, &subject(about), ty, reason, message, component);
}

/// `{name}.{nanos:x}`, written out rather than formatted: the kubelet alone records three
/// events for every pod it starts.
fn event_name(name: &str, nanos: u64) -> String {
    let mut text = String::with_capacity(name.len() + 17);
    text.push_str(name);
    text.push('.');
    let digits = (64 - nanos.leading_zeros()).div_ceil(4).max(1);
    for shift in (0..digits).rev() {
        let digit = (nanos >> (shift * 4)) & 0xf;
        text.push(char::from(b"0123456789abcdef"[digit as usize]));
    }
    text
}

pub(super) fn record_about(
    world: &mut World,
    about: &Subject,
    ty: &str,
    reason: &str,
    message: &str,
    component: &str,
) {
    let ns = match about.namespace.as_str() {
        "" => "default",
        ns => ns,
    };
    let (name, uid) = (about.name.as_str(), about.uid.as_str());
    let now = world.store.now_unix();
    // A repeated event (same object, reason and message) bumps the count of the one that
    // reported it; the store's index of events by object finds it among that object's few.
    if let Some((ns, name)) = world.store.repeated_event(uid, reason, message) {
        let (ns, name) = (ns.to_owned(), name.to_owned());
        world.store.bump_event(&ns, &name);
        return;
    }
    // Like the real recorder (`name.%x` of UnixNano), so names sort by time; the count of
    // events keeps names unique within one virtual second.
    let nanos = now.max(0) as u64 * 1_000_000_000 + world.store.count(Kind::Event) as u64 * 1000;
    // Handed to the store in its compact form (`store/events.rs`): tens of thousands of
    // events are recorded while a large cluster settles.
    let host = if component == "kubelet" {
        about.node.as_ref()
    } else {
        None
    };
    let name = event_name(name, nanos);
    let event = Recorded {
        name: &name,
        namespace: ns,
        ty,
        reason,
        message,
        component,
        host,
        involved_api_version: &about.api_version,
        involved_kind: &about.kind,
        involved_name: &about.name,
        involved_uid: uid,
        count: 1,
        first: now,
        last: now,
    };
    let World { store, rng, .. } = world;
    store.record_event(&event, rng);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_are_the_object_name_then_the_nanoseconds_in_lower_case_hex() {
        for nanos in [
            0,
            1,
            15,
            16,
            255,
            0x18f0_a2b3_c4d5_e6f7,
            u64::MAX,
            1_795_683_600_000_001_000,
        ] {
            assert_eq!(event_name("web-1", nanos), format!("web-1.{nanos:x}"));
        }
    }
}
