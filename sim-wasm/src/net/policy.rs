//! NetworkPolicy (networking.k8s.io/v1) evaluation: does a policy set allow a connection
//! from one pod (or address) to another pod on a port? Semantics from the API reference:
//! a pod is isolated for ingress (egress) once any policy selecting it lists that policy
//! type; then only traffic some rule allows gets through; rules of all selecting policies
//! add up. Whether the result is enforced at all depends on the CNI plugin (Flannel does
//! not; `net::cni::enforces_network_policy`).
//!
//! Policies arrive as the JSON objects the API server stores; pods and namespaces as their
//! labels. Knows nothing about the dataplane.

use crate::api::Ptr;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::net::addr::{Cidr, Ipv4, Port, Protocol};

/// Labels of one object.
pub type Labels = BTreeMap<String, String>;

/// A pod as policies see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyPod<'a> {
    pub namespace: &'a str,
    pub labels: &'a Labels,
    pub ip: Ipv4,
}

/// Whether `selector` (a LabelSelector) matches `labels`. An empty selector matches all;
/// an unreadable one matches nothing.
pub fn selector_matches(selector: &Value, labels: &Labels) -> bool {
    if let Some(required) = selector.get("matchLabels").and_then(Value::as_object) {
        for (key, value) in required {
            if labels.get(key).map(String::as_str) != value.as_str() {
                return false;
            }
        }
    }
    if let Some(expressions) = selector.get("matchExpressions").and_then(Value::as_array) {
        for expression in expressions {
            let key = expression.get("key").and_then(Value::as_str).unwrap_or("");
            let values: Vec<&str> = expression
                .get("values")
                .and_then(Value::as_array)
                .map(|v| v.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let actual = labels.get(key).map(String::as_str);
            let ok = match expression.get("operator").and_then(Value::as_str) {
                Some("In") => actual.is_some_and(|a| values.contains(&a)),
                Some("NotIn") => actual.is_none_or(|a| !values.contains(&a)),
                Some("Exists") => actual.is_some(),
                Some("DoesNotExist") => actual.is_none(),
                _ => false,
            };
            if !ok {
                return false;
            }
        }
    }
    true
}

fn policy_types(policy: &Value) -> (bool, bool) {
    let spec = &policy["spec"];
    match spec.get("policyTypes").and_then(Value::as_array) {
        Some(types) => (
            types.iter().any(|t| t == "Ingress"),
            types.iter().any(|t| t == "Egress"),
        ),
        // Default: Ingress always; Egress when egress rules are present.
        None => (true, spec.get("egress").is_some()),
    }
}

fn namespace_of(policy: &Value) -> &str {
    policy
        .ptr("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or("default")
}

fn ports_match(rule: &Value, port: Port, protocol: Protocol) -> bool {
    let Some(ports) = rule.get("ports").and_then(Value::as_array) else {
        return true;
    };
    if ports.is_empty() {
        return true;
    }
    ports.iter().any(|p| {
        let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
        if !proto.eq_ignore_ascii_case(protocol.upper()) {
            return false;
        }
        match p.get("port") {
            None => true,
            Some(Value::Number(n)) => {
                let start = n.as_u64().unwrap_or(0);
                let end = p.get("endPort").and_then(Value::as_u64).unwrap_or(start);
                (start..=end).contains(&u64::from(port))
            }
            // Named ports would need the pod's container port names; they never match here.
            Some(_) => false,
        }
    })
}

/// Whether one peer (`from`/`to` entry) matches the other end of the connection.
fn peer_matches(
    peer: &Value,
    policy_namespace: &str,
    other: Option<&PolicyPod<'_>>,
    other_ip: Ipv4,
    namespace_labels: &dyn Fn(&str) -> Option<Labels>,
) -> bool {
    if let Some(block) = peer.get("ipBlock") {
        let Some(cidr) = block
            .get("cidr")
            .and_then(Value::as_str)
            .and_then(Cidr::parse)
        else {
            return false;
        };
        let excluded = block
            .get("except")
            .and_then(Value::as_array)
            .is_some_and(|list| {
                list.iter()
                    .filter_map(|c| c.as_str().and_then(Cidr::parse))
                    .any(|c| c.contains(other_ip))
            });
        return cidr.contains(other_ip) && !excluded;
    }
    let Some(pod) = other else {
        return false;
    };
    let namespace_ok = match peer.get("namespaceSelector") {
        Some(selector) => namespace_labels(pod.namespace)
            .is_some_and(|labels| selector_matches(selector, &labels)),
        None => pod.namespace == policy_namespace,
    };
    let pod_ok = peer
        .get("podSelector")
        .is_none_or(|selector| selector_matches(selector, pod.labels));
    namespace_ok && pod_ok
}

fn rules_allow(
    rules: Option<&Value>,
    peer_key: &str,
    policy_namespace: &str,
    other: Option<&PolicyPod<'_>>,
    other_ip: Ipv4,
    (port, protocol): (Port, Protocol),
    namespace_labels: &dyn Fn(&str) -> Option<Labels>,
) -> bool {
    let Some(rules) = rules.and_then(Value::as_array) else {
        return false;
    };
    rules.iter().any(|rule| {
        let peers_ok = match rule.get(peer_key).and_then(Value::as_array) {
            None => true,
            Some(peers) if peers.is_empty() => true,
            Some(peers) => peers.iter().any(|peer| {
                peer_matches(peer, policy_namespace, other, other_ip, namespace_labels)
            }),
        };
        peers_ok && ports_match(rule, port, protocol)
    })
}

/// Whether `policies` let `source` (a pod, or only an address) open `port`/`protocol` on
/// `target`.
pub fn allows(
    policies: &[&Value],
    namespace_labels: &dyn Fn(&str) -> Option<Labels>,
    source: Option<&PolicyPod<'_>>,
    source_ip: Ipv4,
    target: &PolicyPod<'_>,
    port: Port,
    protocol: Protocol,
) -> bool {
    // Ingress side: the target's namespace.
    let ingress: Vec<&&Value> = policies
        .iter()
        .filter(|p| namespace_of(p) == target.namespace)
        .filter(|p| policy_types(p).0)
        .filter(|p| selector_matches(&p["spec"]["podSelector"], target.labels))
        .collect();
    if !ingress.is_empty()
        && !ingress.iter().any(|p| {
            rules_allow(
                p["spec"].get("ingress"),
                "from",
                namespace_of(p),
                source,
                source_ip,
                (port, protocol),
                namespace_labels,
            )
        })
    {
        return false;
    }
    // Egress side: the source pod's namespace.
    if let Some(source) = source {
        let egress: Vec<&&Value> = policies
            .iter()
            .filter(|p| namespace_of(p) == source.namespace)
            .filter(|p| policy_types(p).1)
            .filter(|p| selector_matches(&p["spec"]["podSelector"], source.labels))
            .collect();
        if !egress.is_empty()
            && !egress.iter().any(|p| {
                rules_allow(
                    p["spec"].get("egress"),
                    "to",
                    namespace_of(p),
                    Some(target),
                    target.ip,
                    (port, protocol),
                    namespace_labels,
                )
            })
        {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests;
