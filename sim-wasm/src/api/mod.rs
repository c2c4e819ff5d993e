//! Typed API objects (Namespace, Node, Pod, Deployment, ReplicaSet, DaemonSet, Service,
//! Endpoints, EndpointSlice, Event, ConfigMap, NetworkPolicy) and their validation with the API server's
//! messages.
//!
//! Objects travel as `serde_json::Value` (what kubectl sends and what the store keeps); this
//! module owns what a kind *is* ([`Kind`]: group, version, plural, short names, scope), the
//! field schema used for strict decoding ([`schema`]), defaulting and validation
//! ([`validate`]), the API server's error statuses ([`ApiError`]) and the pod columns of its
//! server-side table view ([`table`]). It knows nothing about kubectl's flags, nor about the
//! store.

pub mod quantity;
pub mod schema;
pub mod table;
pub mod validate;

use std::fmt;

/// The kinds the simulated API server serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Namespace,
    Node,
    Pod,
    Service,
    Endpoints,
    ConfigMap,
    Event,
    Deployment,
    ReplicaSet,
    DaemonSet,
    EndpointSlice,
    NetworkPolicy,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Service,
        Kind::Endpoints,
        Kind::ConfigMap,
        Kind::Event,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::DaemonSet,
        Kind::EndpointSlice,
        Kind::NetworkPolicy,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::ConfigMap => "ConfigMap",
            Kind::Event => "Event",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::NetworkPolicy => "NetworkPolicy",
        }
    }

    /// The API group (`""` for the core group).
    pub fn group(self) -> &'static str {
        match self {
            Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet => "apps",
            Kind::EndpointSlice => "discovery.k8s.io",
            Kind::NetworkPolicy => "networking.k8s.io",
            _ => "",
        }
    }

    pub fn api_version(self) -> &'static str {
        match self.group() {
            "" => "v1",
            "apps" => "apps/v1",
            "networking.k8s.io" => "networking.k8s.io/v1",
            _ => "discovery.k8s.io/v1",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Kind::Namespace => "namespaces",
            Kind::Node => "nodes",
            Kind::Pod => "pods",
            Kind::Service => "services",
            Kind::Endpoints => "endpoints",
            Kind::ConfigMap => "configmaps",
            Kind::Event => "events",
            Kind::Deployment => "deployments",
            Kind::ReplicaSet => "replicasets",
            Kind::DaemonSet => "daemonsets",
            Kind::EndpointSlice => "endpointslices",
            Kind::NetworkPolicy => "networkpolicies",
        }
    }

    pub fn singular(self) -> String {
        self.name().to_ascii_lowercase()
    }

    pub fn short_names(self) -> &'static [&'static str] {
        match self {
            Kind::Namespace => &["ns"],
            Kind::Node => &["no"],
            Kind::Pod => &["po"],
            Kind::Service => &["svc"],
            Kind::Endpoints => &["ep"],
            Kind::ConfigMap => &["cm"],
            Kind::Event => &["ev"],
            Kind::Deployment => &["deploy"],
            Kind::ReplicaSet => &["rs"],
            Kind::DaemonSet => &["ds"],
            Kind::EndpointSlice => &[],
            Kind::NetworkPolicy => &["netpol"],
        }
    }

    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node)
    }

    /// `plural[.group]`, as apimachinery's errors name a resource (`deployments.apps`).
    pub fn qualified_plural(self) -> String {
        match self.group() {
            "" => self.plural().to_owned(),
            group => format!("{}.{group}", self.plural()),
        }
    }

    /// `singular[.group]`, as kubectl prints `deployment.apps/pod-jenkins created`.
    pub fn qualified_singular(self) -> String {
        match self.group() {
            "" => self.singular(),
            group => format!("{}.{group}", self.singular()),
        }
    }

    /// Resolves what a user typed (`po`, `pods`, `pod`, `deploy`, `deployments.apps`, `Pod`).
    pub fn from_resource(text: &str) -> Option<Kind> {
        let lower = text.to_ascii_lowercase();
        let (resource, group) = match lower.split_once('.') {
            Some((r, g)) => (r.to_owned(), Some(g.to_owned())),
            None => (lower.clone(), None),
        };
        Kind::ALL.into_iter().find(|kind| {
            let matches_name = resource == kind.plural()
                || resource == kind.singular()
                || kind.short_names().contains(&resource.as_str());
            let matches_group = match &group {
                None => true,
                Some(g) => {
                    g == kind.group() || format!("{}.{}", kind.api_version(), kind.group()) == *g
                }
            };
            matches_name && matches_group
        })
    }

    /// The kind of a manifest's `apiVersion` + `kind`.
    pub fn from_type(api_version: &str, kind: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == kind && k.api_version() == api_version)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The `reason` of an API `Status`, as kubectl prints it in `Error from server (Reason)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    NotFound,
    AlreadyExists,
    BadRequest,
    Invalid,
    Forbidden,
    Conflict,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotFound => "NotFound",
            Reason::AlreadyExists => "AlreadyExists",
            Reason::BadRequest => "BadRequest",
            Reason::Invalid => "Invalid",
            Reason::Forbidden => "Forbidden",
            Reason::Conflict => "Conflict",
        }
    }
}

/// An error status from the simulated API server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub reason: Reason,
    pub message: String,
}

impl ApiError {
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::NotFound,
            message: format!("{} \"{name}\" not found", kind.qualified_plural()),
        }
    }

    pub fn already_exists(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::AlreadyExists,
            message: format!("{} \"{name}\" already exists", kind.qualified_plural()),
        }
    }

    pub fn bad_request(message: String) -> ApiError {
        ApiError {
            reason: Reason::BadRequest,
            message,
        }
    }

    /// 422: `The Deployment "x" is invalid: field: Invalid value: ...`.
    pub fn invalid(kind: Kind, name: &str, causes: &[String]) -> ApiError {
        let message = match causes {
            [one] => format!("{} \"{name}\" is invalid: {one}", kind.name()),
            many => format!(
                "{} \"{name}\" is invalid: [{}]",
                kind.name(),
                many.join(", ")
            ),
        };
        ApiError {
            reason: Reason::Invalid,
            message: format!("The {message}"),
        }
    }

    pub fn forbidden(message: String) -> ApiError {
        ApiError {
            reason: Reason::Forbidden,
            message,
        }
    }
}

impl fmt::Display for ApiError {
    /// kubectl's rendering of a server error.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Error from server ({}): {}",
            self.reason.as_str(),
            self.message
        )
    }
}

/// `serde_json::Value::pointer` without its per-segment allocation (it unescapes `~1` with
/// `str::replace` on every token); the controllers look paths up millions of times.
/// An array index as RFC 6901 writes it (and `Value::pointer` reads it): digits, no sign,
/// no leading zero.
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// `Value::pointer` without its cost: serde_json's allocates two `String`s per token.
pub trait Ptr {
    fn ptr(&self, path: &str) -> Option<&serde_json::Value>;

    /// [`Ptr::ptr`] of a path given as its (unescaped) tokens: `at(&["status", "phase"])` is
    /// `ptr("/status/phase")`, without parsing the path on every call (the kubelet's checks
    /// look up a dozen paths per pod per pass).
    fn at(&self, tokens: &[&str]) -> Option<&serde_json::Value>;
}

impl Ptr for serde_json::Value {
    fn ptr(&self, path: &str) -> Option<&serde_json::Value> {
        if path.is_empty() {
            return Some(self);
        }
        let rest = path.strip_prefix('/')?;
        let mut current = self;
        // Split by bytes, not `str::split`: every controller and printer walks paths like
        // `/status/phase` for each of thousands of objects, and the char searcher showed in
        // a large cluster's profile. `/` is ASCII, so every token is still a whole `str`.
        // One pass over each token finds both its end and whether it has escapes.
        let bytes = rest.as_bytes();
        let mut start = 0;
        loop {
            let mut end = start;
            let mut escaped = false;
            for &b in bytes.get(start..)? {
                if b == b'/' {
                    break;
                }
                escaped |= b == b'~';
                end += 1;
            }
            let token = rest.get(start..end)?;
            start = end + 1;
            let owned;
            let token = if escaped {
                owned = token.replace("~1", "/").replace("~0", "~");
                owned.as_str()
            } else {
                token
            };
            current = match current {
                serde_json::Value::Object(map) => map.get(token)?,
                serde_json::Value::Array(items) => items.get(array_index(token)?)?,
                _ => return None,
            };
            if end == bytes.len() {
                return Some(current);
            }
        }
    }

    fn at(&self, tokens: &[&str]) -> Option<&serde_json::Value> {
        tokens
            .iter()
            .try_fold(self, |current, token| match current {
                serde_json::Value::Object(map) => map.get(*token),
                serde_json::Value::Array(items) => items.get(array_index(token)?),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)] // the reference it is compared with
    fn ptr_finds_what_value_pointer_finds() {
        let v = serde_json::json!({
            "a": {"b/c": [10, {"d~e": true}], "": "empty key"},
            "list": [0, 1, 2],
        });
        for path in [
            "",
            "/",
            "/a",
            "/a/",
            "/a/b~1c",
            "/a/b~1c/0",
            "/a/b~1c/1/d~0e",
            "/a/b~1c/01",
            "/a/b~1c/+1",
            "/a/b~1c/-1",
            "/a/b~1c/2",
            "/list/2",
            "/list/00",
            "/list/0",
            "a",
            "/missing",
            "/list/x",
            "/a/b~1c/0/deeper",
        ] {
            assert_eq!(v.ptr(path), v.pointer(path), "{path:?}");
        }
    }

    #[test]
    fn at_finds_what_ptr_finds_for_the_same_tokens() {
        let v = serde_json::json!({
            "a": {"b/c": [10, {"d~e": true}], "": "empty key"},
            "list": [0, 1, 2],
        });
        let cases: [(&[&str], &str); 12] = [
            (&[], ""),
            (&[""], "/"),
            (&["a"], "/a"),
            (&["a", ""], "/a/"),
            (&["a", "b/c"], "/a/b~1c"),
            (&["a", "b/c", "1", "d~e"], "/a/b~1c/1/d~0e"),
            (&["a", "b/c", "01"], "/a/b~1c/01"),
            (&["a", "b/c", "+1"], "/a/b~1c/+1"),
            (&["list", "2"], "/list/2"),
            (&["list", "3"], "/list/3"),
            (&["missing"], "/missing"),
            (&["a", "b/c", "0", "deeper"], "/a/b~1c/0/deeper"),
        ];
        for (tokens, path) in cases {
            assert_eq!(v.at(tokens), v.ptr(path), "{path:?}");
        }
    }

    #[test]
    fn resources_resolve_from_plurals_singulars_short_names_and_groups() {
        let cases = [
            ("po", Some(Kind::Pod)),
            ("pods", Some(Kind::Pod)),
            ("Pod", Some(Kind::Pod)),
            ("deploy", Some(Kind::Deployment)),
            ("deployments.apps", Some(Kind::Deployment)),
            ("deployment.apps", Some(Kind::Deployment)),
            ("svc", Some(Kind::Service)),
            ("ep", Some(Kind::Endpoints)),
            ("endpointslices", Some(Kind::EndpointSlice)),
            ("ns", Some(Kind::Namespace)),
            ("no", Some(Kind::Node)),
            ("foo", None),
            ("pods.apps", None),
        ];
        for (text, expected) in cases {
            assert_eq!(Kind::from_resource(text), expected, "{text}");
        }
    }

    #[test]
    fn api_errors_render_as_kubectl_prints_them() {
        assert_eq!(
            ApiError::not_found(Kind::Deployment, "nosuch").to_string(),
            "Error from server (NotFound): deployments.apps \"nosuch\" not found"
        );
        assert_eq!(
            ApiError::already_exists(Kind::Namespace, "blue").to_string(),
            "Error from server (AlreadyExists): namespaces \"blue\" already exists"
        );
    }
}
