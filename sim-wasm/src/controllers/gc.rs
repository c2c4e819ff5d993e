//! The garbage collector: objects whose owner (by `ownerReferences` uid) is gone are
//! deleted, like the default background cascading deletion. Events about deleted objects
//! stay, as they do in a real cluster until their TTL.

use crate::api::Ptr;
use std::collections::BTreeSet;

use serde_json::Value;

use crate::api::Kind;
use crate::commands::World;

pub(super) fn collect(world: &mut World) -> bool {
    let mut changed = false;
    for _ in 0..4 {
        let mut uids: BTreeSet<String> = BTreeSet::new();
        // Only kinds that own others can be owners.
        for kind in [
            Kind::Deployment,
            Kind::ReplicaSet,
            Kind::DaemonSet,
            Kind::Service,
            Kind::Node,
        ] {
            for obj in world.store.list(kind, None) {
                if let Some(uid) = obj.ptr("/metadata/uid").and_then(Value::as_str) {
                    uids.insert(uid.to_owned());
                }
            }
        }
        let mut orphans = Vec::new();
        for kind in [Kind::ReplicaSet, Kind::Pod, Kind::EndpointSlice] {
            for obj in world.store.list(kind, None) {
                let Some(refs) = obj
                    .ptr("/metadata/ownerReferences")
                    .and_then(Value::as_array)
                else {
                    continue;
                };
                let dangling = !refs.is_empty()
                    && refs.iter().all(|r| {
                        r.get("uid")
                            .and_then(Value::as_str)
                            .is_none_or(|u| !uids.contains(u))
                    });
                if dangling {
                    orphans.push((
                        kind,
                        obj.ptr("/metadata/namespace")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        obj.ptr("/metadata/name")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                    ));
                }
            }
        }
        if orphans.is_empty() {
            break;
        }
        for (kind, ns, name) in orphans {
            world.store.remove(kind, &ns, &name);
        }
        changed = true;
    }
    changed
}
