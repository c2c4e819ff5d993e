//! Events as the store keeps them. A settled 5,000-pod cluster holds 26,000 events, and as
//! `serde_json::Value`s (a B-tree node per map, an allocation per key) they took 4.2 KB
//! each, 110 MB in all, written while the cluster settles. The recorder's events have one
//! fixed shape, so they are kept as [`Recorded`] (about a sixth of that) and turned into the
//! `Value` that every reader sees only when someone reads them; events created any other way
//! (`kubectl create -f event.yaml`) stay `Value`s.
//!
//! Readers never see the difference: [`Stored::value`] is the object exactly as
//! `kubectl get -o json` shows it, the same bytes as if it had been built as a `Value`.
//! This module knows the Event's fields; not the recorder's rules (when to bump `count`),
//! which stay in `controllers::events`.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::time::rfc3339;

/// An event as `controllers::events::record` reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub name: String,
    pub namespace: String,
    pub ty: String,
    pub reason: String,
    pub message: String,
    pub component: String,
    /// `source.host`: the node, for the kubelet's events.
    pub host: Option<Value>,
    /// `involvedObject.apiVersion` as the object had it (`null` when it had none).
    pub involved_api_version: Value,
    pub involved_kind: String,
    pub involved_name: String,
    pub involved_uid: String,
    pub count: i64,
    /// `firstTimestamp` and `lastTimestamp`, Unix seconds.
    pub first: i64,
    pub last: i64,
}

/// What the store assigns when it creates an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Assigned {
    pub uid: String,
    pub resource_version: String,
    pub created: i64,
}

/// One stored event.
// Nearly every event is `Recorded`: boxing it (as the lint suggests) would add an
// allocation to each of them to save space on the rare `Plain` one.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Stored {
    Recorded {
        event: Recorded,
        assigned: Assigned,
        /// The `Value` once someone has read it (describe reads an object's few events).
        value: OnceLock<Value>,
    },
    Plain(Value),
}

impl Clone for Stored {
    fn clone(&self) -> Stored {
        match self {
            // The copy re-derives its `Value` if read: a grading clones whole worlds, and
            // most of their events are never read.
            Stored::Recorded {
                event, assigned, ..
            } => Stored::Recorded {
                event: event.clone(),
                assigned: assigned.clone(),
                value: OnceLock::new(),
            },
            Stored::Plain(v) => Stored::Plain(v.clone()),
        }
    }
}

impl Stored {
    pub fn recorded(event: Recorded, assigned: Assigned) -> Stored {
        Stored::Recorded {
            event,
            assigned,
            value: OnceLock::new(),
        }
    }

    /// The event as readers see it.
    pub fn value(&self) -> &Value {
        match self {
            Stored::Recorded {
                event,
                assigned,
                value,
            } => value.get_or_init(|| to_value(event, assigned)),
            Stored::Plain(v) => v,
        }
    }

    /// The event as an owned `Value` (when it leaves the store).
    pub fn into_value(self) -> Value {
        match self {
            Stored::Recorded {
                event,
                assigned,
                value,
            } => value
                .into_inner()
                .unwrap_or_else(|| to_value(&event, &assigned)),
            Stored::Plain(v) => v,
        }
    }

    /// `involvedObject.uid` (`""` when it names none).
    pub fn involved_uid(&self) -> &str {
        match self {
            Stored::Recorded { event, .. } => &event.involved_uid,
            Stored::Plain(v) => v
                .get("involvedObject")
                .and_then(|o| o.get("uid"))
                .and_then(Value::as_str)
                .unwrap_or_default(),
        }
    }

    /// Whether the event has this reason and message (the recorder's test for a repeat).
    pub fn says(&self, reason: &str, message: &str) -> bool {
        match self {
            Stored::Recorded { event, .. } => event.reason == reason && event.message == message,
            Stored::Plain(v) => {
                v.get("reason").and_then(Value::as_str) == Some(reason)
                    && v.get("message").and_then(Value::as_str) == Some(message)
            }
        }
    }
}

/// The event's `Value`: what the recorder built field by field plus what `Store::create`
/// adds (apiVersion, kind, uid, resourceVersion, creationTimestamp).
fn to_value(e: &Recorded, a: &Assigned) -> Value {
    let string = |s: &str| Value::String(s.to_owned());
    let mut source = Map::new();
    source.insert("component".to_owned(), string(&e.component));
    if let Some(host) = &e.host {
        source.insert("host".to_owned(), host.clone());
    }
    let mut involved = Map::new();
    involved.insert("apiVersion".to_owned(), e.involved_api_version.clone());
    involved.insert("kind".to_owned(), string(&e.involved_kind));
    involved.insert("name".to_owned(), string(&e.involved_name));
    involved.insert("namespace".to_owned(), string(&e.namespace));
    involved.insert("uid".to_owned(), string(&e.involved_uid));
    let mut metadata = Map::new();
    metadata.insert(
        "creationTimestamp".to_owned(),
        Value::String(rfc3339(a.created)),
    );
    metadata.insert("name".to_owned(), string(&e.name));
    metadata.insert("namespace".to_owned(), string(&e.namespace));
    metadata.insert("resourceVersion".to_owned(), string(&a.resource_version));
    metadata.insert("uid".to_owned(), string(&a.uid));
    let mut event = Map::new();
    event.insert("apiVersion".to_owned(), string("v1"));
    event.insert("count".to_owned(), Value::from(e.count));
    event.insert("eventTime".to_owned(), Value::Null);
    event.insert("firstTimestamp".to_owned(), Value::String(rfc3339(e.first)));
    event.insert("involvedObject".to_owned(), Value::Object(involved));
    event.insert("kind".to_owned(), string("Event"));
    event.insert("lastTimestamp".to_owned(), Value::String(rfc3339(e.last)));
    event.insert("message".to_owned(), string(&e.message));
    event.insert("metadata".to_owned(), Value::Object(metadata));
    event.insert("reason".to_owned(), string(&e.reason));
    event.insert("reportingComponent".to_owned(), string(&e.component));
    event.insert("reportingInstance".to_owned(), string(""));
    event.insert("source".to_owned(), Value::Object(source));
    event.insert("type".to_owned(), string(&e.ty));
    Value::Object(event)
}
