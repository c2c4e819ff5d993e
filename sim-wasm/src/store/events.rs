//! Events as the store keeps them. A settled 5,000-pod cluster holds 26,000 events; as
//! `serde_json::Value`s they took 4.2 KB each, 110 MB in all, written while the cluster
//! settles. The recorder's events have one fixed shape, so they are kept as [`Compact`]:
//! the strings events repeat (reasons, components, most messages) shared through [`Words`],
//! numbers as numbers, namespace and name only as the store's keys (~0.4 KB an event). They
//! are turned into the `Value` that every reader sees only when someone reads them; events
//! created any other way (`kubectl create -f event.yaml`) stay `Value`s.
//!
//! Readers never see the difference: [`Stored::value`] is the object exactly as
//! `kubectl get -o json` shows it, the same bytes as if it had been built as a `Value`.
//! This module knows the Event's fields; not the recorder's rules (when to bump `count`),
//! which stay in `controllers::events`.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde_json::{Map, Value, json};

use crate::time::rfc3339;

/// An event as `controllers::events::record` reports it, borrowed from the object it is
/// about and the controller's words: the store keeps what it needs of it (tens of
/// thousands of events are recorded while a large cluster settles).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Recorded<'a> {
    pub name: &'a str,
    pub namespace: &'a str,
    pub ty: &'a str,
    pub reason: &'a str,
    pub message: &'a str,
    pub component: &'a str,
    /// `source.host`: the node, for the kubelet's events.
    pub host: Option<&'a Value>,
    /// `involvedObject.apiVersion` as the object had it (`null` when it had none).
    pub involved_api_version: &'a Value,
    pub involved_kind: &'a str,
    pub involved_name: &'a str,
    pub involved_uid: &'a str,
    pub count: i64,
    /// `firstTimestamp` and `lastTimestamp`, Unix seconds.
    pub first: i64,
    pub last: i64,
}

/// What the store assigns when it creates an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Assigned {
    pub uid: String,
    pub resource_version: u64,
    pub created: i64,
}

/// Strings many events repeat (namespaces, reasons, components, most messages: "Pulling
/// image \"nginx\""), kept once and shared by every event that says them.
///
/// Found by a hash of their bytes: in an ordered set of 10,000 words every lookup compared
/// a dozen long messages byte by byte, most of them out of cache.
#[derive(Clone, Debug)]
pub struct Words {
    /// FNV-1a hash → the words with that hash (almost always one).
    words: BTreeMap<u64, Vec<Arc<str>>>,
    len: usize,
    /// Events removed since the last [`Words::forget_unused`].
    removed: usize,
    /// The words last asked for, each in a slot picked by its length and ends: an event's
    /// type, component, kind, API version and node are asked for with every event, and
    /// finding them here costs one comparison instead of a hash and a search.
    recent: [Option<Arc<str>>; RECENT],
}

const RECENT: usize = 64;

impl Default for Words {
    fn default() -> Words {
        Words {
            words: BTreeMap::new(),
            len: 0,
            removed: 0,
            recent: [const { None }; RECENT],
        }
    }
}

/// The slot of [`Words::recent`] for `s`.
fn recent_slot(s: &str) -> usize {
    let b = s.as_bytes();
    let end = |byte: Option<&u8>| usize::from(byte.copied().unwrap_or(0));
    (b.len() ^ end(b.first()).wrapping_mul(31) ^ end(b.last()).wrapping_mul(17)) % RECENT
}

/// FNV-1a: deterministic (unlike std's `RandomState`) and fast on short strings.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Words {
    pub fn get(&mut self, s: &str) -> Arc<str> {
        let Some(recent) = self.recent.get_mut(recent_slot(s)) else {
            return Arc::from(s);
        };
        if let Some(word) = recent.as_ref().filter(|w| &***w == s) {
            return Arc::clone(word);
        }
        let same = self.words.entry(fnv1a(s)).or_default();
        let word = match same.iter().find(|w| &***w == s) {
            Some(word) => Arc::clone(word),
            None => {
                let word: Arc<str> = Arc::from(s);
                same.push(Arc::clone(&word));
                self.len += 1;
                word
            }
        };
        *recent = Some(Arc::clone(&word));
        word
    }

    /// Called for every removed event: drops the words no event says any more, once as many
    /// events were removed as there are words (so a namespace's thousands of events cost one
    /// pass, not one each).
    pub fn forget_unused(&mut self) {
        self.removed += 1;
        if self.removed > self.len {
            // The slots' references would keep their words alive.
            self.recent = [const { None }; RECENT];
            self.words.retain(|_, same| {
                same.retain(|w| Arc::strong_count(w) > 1);
                !same.is_empty()
            });
            self.len = self.words.values().map(Vec::len).sum();
            self.removed = 0;
        }
    }
}

/// A recorded event as the store keeps it: its namespace and name are the store's keys,
/// the strings events share are [`Words`], and the numbers are numbers.
#[derive(Debug)]
pub struct Compact {
    ty: Arc<str>,
    reason: Arc<str>,
    message: Arc<str>,
    component: Arc<str>,
    host: Option<Arc<str>>,
    /// `None`: the object had no apiVersion (`null`).
    involved_api_version: Option<Arc<str>>,
    involved_kind: Arc<str>,
    involved_name: Box<str>,
    involved_uid: Box<str>,
    uid: Box<str>,
    resource_version: u64,
    created: i64,
    count: i64,
    first: i64,
    last: i64,
    /// The `Value` once someone has read it (describe reads an object's few events).
    value: OnceLock<Value>,
}

impl Clone for Compact {
    fn clone(&self) -> Compact {
        // The copy re-derives its `Value` if read: a grading clones whole worlds, and most
        // of their events are never read.
        Compact {
            ty: Arc::clone(&self.ty),
            reason: Arc::clone(&self.reason),
            message: Arc::clone(&self.message),
            component: Arc::clone(&self.component),
            host: self.host.clone(),
            involved_api_version: self.involved_api_version.clone(),
            involved_kind: Arc::clone(&self.involved_kind),
            involved_name: self.involved_name.clone(),
            involved_uid: self.involved_uid.clone(),
            uid: self.uid.clone(),
            value: OnceLock::new(),
            ..*self
        }
    }
}

/// A recorded event's reason and message, shared with the event.
#[derive(Clone, Debug)]
pub struct Says {
    reason: Arc<str>,
    message: Arc<str>,
}

impl Says {
    pub fn is(&self, reason: &str, message: &str) -> bool {
        &*self.reason == reason && &*self.message == message
    }
}

/// One stored event.
#[derive(Clone, Debug)]
pub enum Stored {
    Recorded(Box<Compact>),
    Plain(Value),
}

impl Stored {
    /// The event `record` reported, with what the store assigned; `Plain` when a field has a
    /// shape the compact form does not keep (a host or apiVersion that is not a string).
    pub fn recorded(event: &Recorded<'_>, assigned: Assigned, words: &mut Words) -> Stored {
        let word = |v: &Value, words: &mut Words| v.as_str().map(|s| words.get(s));
        let host = match event.host {
            None => Some(None),
            Some(h) => word(h, words).map(Some),
        };
        let api_version = match event.involved_api_version {
            Value::Null => Some(None),
            v => word(v, words).map(Some),
        };
        let (Some(host), Some(involved_api_version)) = (host, api_version) else {
            return Stored::Plain(to_value(event, &assigned));
        };
        Stored::Recorded(Box::new(Compact {
            ty: words.get(event.ty),
            reason: words.get(event.reason),
            message: words.get(event.message),
            component: words.get(event.component),
            host,
            involved_api_version,
            involved_kind: words.get(event.involved_kind),
            involved_name: event.involved_name.into(),
            involved_uid: event.involved_uid.into(),
            uid: assigned.uid.into(),
            resource_version: assigned.resource_version,
            created: assigned.created,
            count: event.count,
            first: event.first,
            last: event.last,
            value: OnceLock::new(),
        }))
    }

    /// The event (stored as `namespace`/`name`) as readers see it.
    pub fn value(&self, namespace: &str, name: &str) -> &Value {
        match self {
            Stored::Recorded(c) => c.value.get_or_init(|| c.to_value(namespace, name)),
            Stored::Plain(v) => v,
        }
    }

    /// The event as an owned `Value` (when it leaves the store).
    pub fn into_value(self, namespace: &str, name: &str) -> Value {
        match self {
            Stored::Recorded(c) => {
                let c = *c;
                let built = c.to_value(namespace, name);
                c.value.into_inner().unwrap_or(built)
            }
            Stored::Plain(v) => v,
        }
    }

    /// A repeat of the event at `now`, with resourceVersion `rv`: `count` + 1 and
    /// `lastTimestamp` now, like an update with those fields changed.
    pub fn bump(&mut self, now: i64, rv: u64) {
        match self {
            Stored::Recorded(c) => {
                c.count += 1;
                c.last = now;
                c.resource_version = rv;
                c.value.take();
            }
            Stored::Plain(v) => {
                let count = v.get("count").and_then(Value::as_i64).unwrap_or(1) + 1;
                v["count"] = json!(count);
                v["lastTimestamp"] = json!(rfc3339(now));
                v["metadata"]["resourceVersion"] = json!(rv.to_string());
            }
        }
    }

    /// `involvedObject.uid` (`""` when it names none).
    pub fn involved_uid(&self) -> &str {
        match self {
            Stored::Recorded(c) => &c.involved_uid,
            Stored::Plain(v) => v
                .get("involvedObject")
                .and_then(|o| o.get("uid"))
                .and_then(Value::as_str)
                .unwrap_or_default(),
        }
    }

    /// A recorded event's reason and message (`None` for other events, which an update can
    /// change).
    pub fn says_words(&self) -> Option<Says> {
        match self {
            Stored::Recorded(c) => Some(Says {
                reason: Arc::clone(&c.reason),
                message: Arc::clone(&c.message),
            }),
            Stored::Plain(_) => None,
        }
    }

    /// Whether the event has this reason and message (the recorder's test for a repeat).
    pub fn says(&self, reason: &str, message: &str) -> bool {
        match self {
            Stored::Recorded(c) => &*c.reason == reason && &*c.message == message,
            Stored::Plain(v) => {
                v.get("reason").and_then(Value::as_str) == Some(reason)
                    && v.get("message").and_then(Value::as_str) == Some(message)
            }
        }
    }
}

impl Compact {
    fn to_value(&self, namespace: &str, name: &str) -> Value {
        let host = self.host.as_deref().map(Value::from);
        let api_version = self
            .involved_api_version
            .as_deref()
            .map_or(Value::Null, Value::from);
        let recorded = Recorded {
            name,
            namespace,
            ty: &self.ty,
            reason: &self.reason,
            message: &self.message,
            component: &self.component,
            host: host.as_ref(),
            involved_api_version: &api_version,
            involved_kind: &self.involved_kind,
            involved_name: &self.involved_name,
            involved_uid: &self.involved_uid,
            count: self.count,
            first: self.first,
            last: self.last,
        };
        let assigned = Assigned {
            uid: self.uid.to_string(),
            resource_version: self.resource_version,
            created: self.created,
        };
        to_value(&recorded, &assigned)
    }
}

/// The event's `Value`: what the recorder built field by field plus what `Store::create`
/// adds (apiVersion, kind, uid, resourceVersion, creationTimestamp).
fn to_value(e: &Recorded<'_>, a: &Assigned) -> Value {
    let string = |s: &str| Value::String(s.to_owned());
    let mut source = Map::new();
    source.insert("component".to_owned(), string(e.component));
    if let Some(host) = e.host {
        source.insert("host".to_owned(), host.clone());
    }
    let mut involved = Map::new();
    involved.insert("apiVersion".to_owned(), e.involved_api_version.clone());
    involved.insert("kind".to_owned(), string(e.involved_kind));
    involved.insert("name".to_owned(), string(e.involved_name));
    involved.insert("namespace".to_owned(), string(e.namespace));
    involved.insert("uid".to_owned(), string(e.involved_uid));
    let mut metadata = Map::new();
    metadata.insert(
        "creationTimestamp".to_owned(),
        Value::String(rfc3339(a.created)),
    );
    metadata.insert("name".to_owned(), string(e.name));
    metadata.insert("namespace".to_owned(), string(e.namespace));
    metadata.insert(
        "resourceVersion".to_owned(),
        Value::String(a.resource_version.to_string()),
    );
    metadata.insert("uid".to_owned(), string(&a.uid));
    let mut event = Map::new();
    event.insert("apiVersion".to_owned(), string("v1"));
    event.insert("count".to_owned(), Value::from(e.count));
    event.insert("eventTime".to_owned(), Value::Null);
    event.insert("firstTimestamp".to_owned(), Value::String(rfc3339(e.first)));
    event.insert("involvedObject".to_owned(), Value::Object(involved));
    event.insert("kind".to_owned(), string("Event"));
    event.insert("lastTimestamp".to_owned(), Value::String(rfc3339(e.last)));
    event.insert("message".to_owned(), string(e.message));
    event.insert("metadata".to_owned(), Value::Object(metadata));
    event.insert("reason".to_owned(), string(e.reason));
    event.insert("reportingComponent".to_owned(), string(e.component));
    event.insert("reportingInstance".to_owned(), string(""));
    event.insert("source".to_owned(), Value::Object(source));
    event.insert("type".to_owned(), string(e.ty));
    Value::Object(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_shared_while_said_and_forgotten_once_no_event_says_them() {
        let mut words = Words::default();
        let normal = words.get("Normal");
        let message = words.get("Pulling image \"nginx\"");
        // Asked again (from the recent slots or the table), the same shared word comes back.
        assert!(Arc::ptr_eq(&normal, &words.get("Normal")));
        assert!(Arc::ptr_eq(&message, &words.get("Pulling image \"nginx\"")));
        assert_eq!(words.len, 2);
        drop(message);
        // As many removals as there are words: the unused one goes, even though a recent
        // slot held it.
        words.forget_unused();
        words.forget_unused();
        words.forget_unused();
        assert_eq!(words.len, 1);
        assert!(Arc::ptr_eq(&normal, &words.get("Normal")));
        assert_eq!(
            &*words.get("Pulling image \"nginx\""),
            "Pulling image \"nginx\""
        );
        assert_eq!(words.len, 2);
    }
}
