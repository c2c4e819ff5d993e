//! Defaulting and validation as the API server does them on create and update, with its
//! field paths and messages (`metadata.name: Invalid value: "Blue": a lowercase RFC 1123
//! label must consist of ...`).

use crate::api::Ptr;
use serde_json::{Value, json};

use super::Kind;

const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
}

/// apimachinery's `IsDNS1123Subdomain` pattern (its 253-character limit is checked apart,
/// because it has a message of its own).
pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(is_dns1123_label)
}

/// apimachinery's `IsValidPortName` (an IANA service name): its messages, in its order.
pub fn port_name_causes(name: &str) -> Vec<&'static str> {
    let b = name.as_bytes();
    let mut causes = Vec::new();
    if b.len() > 15 {
        causes.push("must be no more than 15 characters");
    }
    if !b
        .iter()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        || b.is_empty()
    {
        causes.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !b.iter().any(u8::is_ascii_lowercase) {
        causes.push("must contain at least one letter (a-z)");
    }
    if name.contains("--") {
        causes.push("must not contain consecutive hyphens");
    }
    if b.first() == Some(&b'-') || b.last() == Some(&b'-') {
        causes.push("must not begin or end with a hyphen");
    }
    causes
}

fn is_dns1035_label(s: &str) -> bool {
    is_dns1123_label(s) && s.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
}

/// The causes for an invalid `metadata.name` of `kind` (empty when the name is fine).
pub fn name_causes(kind: Kind, name: &str) -> Vec<String> {
    if name.is_empty() {
        return vec!["metadata.name: Required value: name or generateName is required".to_owned()];
    }
    let mut causes = Vec::new();
    let (ok, max, msg) = match kind {
        Kind::Namespace => (is_dns1123_label(name), 63, DNS1123_LABEL_MSG),
        Kind::Service => (is_dns1035_label(name), 63, DNS1035_LABEL_MSG),
        _ => (is_dns1123_subdomain(name), 253, DNS1123_SUBDOMAIN_MSG),
    };
    if name.len() > max {
        causes.push(format!(
            "metadata.name: Invalid value: \"{name}\": must be no more than {max} characters"
        ));
    }
    if !ok {
        causes.push(format!("metadata.name: Invalid value: \"{name}\": {msg}"));
    }
    causes
}

/// A label value or key that the API server would refuse.
/// apimachinery's `IsValidLabelValue`: its messages, in its order.
pub fn label_value_causes(v: &str) -> Vec<&'static str> {
    let mut causes = Vec::new();
    if v.len() > 63 {
        causes.push("must be no more than 63 characters");
    }
    let b = v.as_bytes();
    let pattern_ok = b.is_empty()
        || (b
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c))
            && b.first().is_some_and(u8::is_ascii_alphanumeric)
            && b.last().is_some_and(u8::is_ascii_alphanumeric));
    if !pattern_ok {
        causes.push(LABEL_VALUE_MSG);
    }
    causes
}

const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

fn label_causes(path: &str, labels: Option<&Value>) -> Vec<String> {
    let Some(Value::Object(map)) = labels else {
        return Vec::new();
    };
    map.values()
        .flat_map(|value| {
            let v = value.as_str().unwrap_or_default();
            label_value_causes(v)
                .into_iter()
                .map(move |cause| format!("{path}: Invalid value: \"{v}\": {cause}"))
        })
        .collect()
}

/// Go's `%#v` of a `map[string]string` (keys sorted), as validation messages print labels.
pub fn go_map_literal(map: Option<&Value>) -> String {
    let mut parts = Vec::new();
    if let Some(Value::Object(m)) = map {
        let mut keys: Vec<&String> = m.keys().collect();
        crate::sort::sort(&mut keys);
        for k in keys {
            let v = m.get(k).and_then(Value::as_str).unwrap_or_default();
            parts.push(format!("{k:?}:{v:?}"));
        }
    }
    if parts.is_empty() && map.is_none() {
        return "map[string]string(nil)".to_owned();
    }
    format!("map[string]string{{{}}}", parts.join(", "))
}

/// Does `selector` (`matchLabels` / `matchExpressions`) select `labels`?
pub fn label_selector_matches(selector: &Value, labels: &Value) -> bool {
    if let Some(Value::Object(want)) = selector.get("matchLabels") {
        for (k, v) in want {
            if labels.get(k) != Some(v) {
                return false;
            }
        }
    }
    if let Some(Value::Array(exprs)) = selector.get("matchExpressions") {
        for e in exprs {
            let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
            let values: Vec<&str> = e
                .get("values")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let have = labels.get(key).and_then(Value::as_str);
            let ok = match e.get("operator").and_then(Value::as_str) {
                Some("In") => have.is_some_and(|h| values.contains(&h)),
                Some("NotIn") => have.is_none_or(|h| !values.contains(&h)),
                Some("Exists") => have.is_some(),
                Some("DoesNotExist") => have.is_none(),
                _ => false,
            };
            if !ok {
                return false;
            }
        }
    }
    true
}

fn containers_causes(path: &str, spec: &Value) -> Vec<String> {
    let mut causes = Vec::new();
    match spec.get("containers").and_then(Value::as_array) {
        None => causes.push(format!("{path}.containers: Required value")),
        Some(list) if list.is_empty() => causes.push(format!("{path}.containers: Required value")),
        Some(list) => {
            let mut seen = Vec::new();
            for (i, c) in list.iter().enumerate() {
                let name = c.get("name").and_then(Value::as_str).unwrap_or_default();
                if name.is_empty() {
                    causes.push(format!("{path}.containers[{i}].name: Required value"));
                } else if !is_dns1123_label(name) {
                    causes.push(format!(
                        "{path}.containers[{i}].name: Invalid value: \"{name}\": {DNS1123_LABEL_MSG}"
                    ));
                } else if seen.contains(&name) {
                    causes.push(format!(
                        "{path}.containers[{i}].name: Duplicate value: \"{name}\""
                    ));
                }
                seen.push(name);
                if c.get("image")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    causes.push(format!("{path}.containers[{i}].image: Required value"));
                }
                if let Some(ports) = c.get("ports").and_then(Value::as_array) {
                    for (j, p) in ports.iter().enumerate() {
                        let port = p.get("containerPort").and_then(Value::as_i64).unwrap_or(0);
                        if !(1..=65535).contains(&port) {
                            causes.push(format!(
                                "{path}.containers[{i}].ports[{j}].containerPort: {}",
                                if port == 0 {
                                    "Required value".to_owned()
                                } else {
                                    format!(
                                        "Invalid value: {port}: must be between 1 and 65535, inclusive"
                                    )
                                }
                            ));
                        }
                    }
                }
            }
        }
    }
    causes
}

/// Validation causes for a new object of `kind` (after defaulting).
pub fn causes(kind: Kind, obj: &Value) -> Vec<String> {
    let name = obj
        .ptr("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut causes = name_causes(kind, name);
    causes.extend(label_causes("metadata.labels", obj.ptr("/metadata/labels")));
    match kind {
        Kind::Pod => {
            if let Some(spec) = obj.get("spec") {
                causes.extend(containers_causes("spec", spec));
            } else {
                causes.push("spec.containers: Required value".to_owned());
            }
        }
        Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet => {
            let selector = obj.ptr("/spec/selector");
            let labels = obj.ptr("/spec/template/metadata/labels");
            let empty_selector = selector.is_none_or(|s| {
                s.get("matchLabels")
                    .and_then(Value::as_object)
                    .is_none_or(|m| m.is_empty())
                    && s.get("matchExpressions")
                        .and_then(Value::as_array)
                        .is_none_or(|m| m.is_empty())
            });
            if empty_selector {
                causes.push("spec.selector: Required value".to_owned());
            }
            let matches = match (selector, labels) {
                (Some(s), Some(l)) if !empty_selector => label_selector_matches(s, l),
                _ => false,
            };
            if !matches {
                causes.push(format!(
                    "spec.template.metadata.labels: Invalid value: {}: `selector` does not match template `labels`",
                    go_map_literal(labels)
                ));
            }
            match obj.ptr("/spec/template/spec") {
                Some(spec) => causes.extend(containers_causes("spec.template.spec", spec)),
                None => causes.push("spec.template.spec.containers: Required value".to_owned()),
            }
            if let Some(r) = obj.ptr("/spec/replicas").and_then(Value::as_i64)
                && r < 0
            {
                causes.push(format!(
                    "spec.replicas: Invalid value: {r}: must be greater than or equal to 0"
                ));
            }
        }
        Kind::Service => {
            let ty = obj
                .ptr("/spec/type")
                .and_then(Value::as_str)
                .unwrap_or("ClusterIP");
            if !matches!(
                ty,
                "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName"
            ) {
                causes.push(format!(
                    "spec.type: Unsupported value: \"{ty}\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""
                ));
            }
            let ports = obj.ptr("/spec/ports").and_then(Value::as_array);
            if ty != "ExternalName" && ports.is_none_or(|p| p.is_empty()) {
                causes.push("spec.ports: Required value".to_owned());
            }
            if ty == "ExternalName"
                && obj
                    .ptr("/spec/externalName")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
            {
                causes.push("spec.externalName: Required value".to_owned());
            }
            let many = ports.is_some_and(|p| p.len() > 1);
            for (i, p) in ports.into_iter().flatten().enumerate() {
                let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
                if port == 0 {
                    causes.push(format!("spec.ports[{i}].port: Required value"));
                } else if !(1..=65535).contains(&port) {
                    causes.push(format!(
                        "spec.ports[{i}].port: Invalid value: {port}: must be between 1 and 65535, inclusive"
                    ));
                }
                if many
                    && p.get("name")
                        .and_then(Value::as_str)
                        .is_none_or(str::is_empty)
                {
                    causes.push(format!("spec.ports[{i}].name: Required value"));
                }
                if let Some(np) = p.get("nodePort").and_then(Value::as_i64)
                    && np != 0
                {
                    if ty == "ClusterIP" {
                        causes.push(format!(
                            "spec.ports[{i}].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
                        ));
                    } else if !(30000..=32767).contains(&np) {
                        causes.push(format!(
                            "spec.ports[{i}].nodePort: Invalid value: {np}: provided port is not in the valid range. The range of valid ports is 30000-32767"
                        ));
                    }
                }
                if let Some(proto) = p.get("protocol").and_then(Value::as_str)
                    && !matches!(proto, "TCP" | "UDP" | "SCTP")
                {
                    causes.push(format!(
                        "spec.ports[{i}].protocol: Unsupported value: \"{proto}\": supported values: \"SCTP\", \"TCP\", \"UDP\""
                    ));
                }
            }
        }
        _ => {}
    }
    causes
}

/// The API server's defaults for a new object (only the fields kubectl and the course show).
pub fn apply_defaults(kind: Kind, obj: &mut Value) {
    match kind {
        Kind::Pod => {
            if let Some(spec) = obj.get_mut("spec") {
                default_pod_spec(spec);
            }
        }
        Kind::Deployment => {
            if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
                spec.entry("replicas").or_insert(json!(1));
                spec.entry("revisionHistoryLimit").or_insert(json!(10));
                spec.entry("progressDeadlineSeconds").or_insert(json!(600));
                let strategy = spec.entry("strategy").or_insert(json!({}));
                if let Some(s) = strategy.as_object_mut() {
                    s.entry("type").or_insert(json!("RollingUpdate"));
                    if s.get("type") == Some(&json!("RollingUpdate")) {
                        let ru = s.entry("rollingUpdate").or_insert(json!({}));
                        if let Some(ru) = ru.as_object_mut() {
                            ru.entry("maxSurge").or_insert(json!("25%"));
                            ru.entry("maxUnavailable").or_insert(json!("25%"));
                        }
                    }
                }
            }
            if let Some(spec) = obj.pointer_mut("/spec/template/spec") {
                default_pod_spec(spec);
            }
        }
        Kind::ReplicaSet | Kind::DaemonSet => {
            if kind == Kind::ReplicaSet
                && let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut)
            {
                spec.entry("replicas").or_insert(json!(1));
            }
            if let Some(spec) = obj.pointer_mut("/spec/template/spec") {
                default_pod_spec(spec);
            }
        }
        Kind::Service => {
            if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
                spec.entry("type").or_insert(json!("ClusterIP"));
                let ty = spec
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("ClusterIP")
                    .to_owned();
                spec.entry("sessionAffinity").or_insert(json!("None"));
                if ty != "ExternalName" {
                    spec.entry("ipFamilies").or_insert(json!(["IPv4"]));
                    spec.entry("ipFamilyPolicy").or_insert(json!("SingleStack"));
                    spec.entry("internalTrafficPolicy")
                        .or_insert(json!("Cluster"));
                }
                if ty == "NodePort" || ty == "LoadBalancer" {
                    spec.entry("externalTrafficPolicy")
                        .or_insert(json!("Cluster"));
                }
                if ty == "LoadBalancer" {
                    spec.entry("allocateLoadBalancerNodePorts")
                        .or_insert(json!(true));
                }
                if let Some(Value::Array(ports)) = spec.get_mut("ports") {
                    for p in ports {
                        if let Some(p) = p.as_object_mut() {
                            p.entry("protocol").or_insert(json!("TCP"));
                            if !p.contains_key("targetPort")
                                && let Some(port) = p.get("port").cloned()
                            {
                                p.insert("targetPort".to_owned(), port);
                            }
                        }
                    }
                }
            }
            if let Some(o) = obj.as_object_mut() {
                o.entry("status").or_insert(json!({"loadBalancer": {}}));
            }
        }
        Kind::NetworkPolicy => {
            if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut) {
                spec.entry("podSelector").or_insert(json!({}));
                if !spec.contains_key("policyTypes") {
                    let mut types = vec!["Ingress"];
                    if spec.get("egress").is_some() {
                        types.push("Egress");
                    }
                    spec.insert("policyTypes".to_owned(), json!(types));
                }
                for rules in ["ingress", "egress"] {
                    if let Some(Value::Array(list)) = spec.get_mut(rules) {
                        for rule in list {
                            if let Some(Value::Array(ports)) = rule.get_mut("ports") {
                                for p in ports {
                                    if let Some(p) = p.as_object_mut() {
                                        p.entry("protocol").or_insert(json!("TCP"));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        Kind::Namespace => {
            if let Some(o) = obj.as_object_mut() {
                o.insert("spec".to_owned(), json!({"finalizers": ["kubernetes"]}));
                o.insert("status".to_owned(), json!({"phase": "Active"}));
            }
            let name = obj
                .ptr("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            if let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                let labels = meta.entry("labels").or_insert(json!({}));
                if let Some(l) = labels.as_object_mut() {
                    l.insert("kubernetes.io/metadata.name".to_owned(), json!(name));
                }
            }
        }
        _ => {}
    }
}

fn default_pod_spec(spec: &mut Value) {
    let Some(spec) = spec.as_object_mut() else {
        return;
    };
    spec.entry("restartPolicy").or_insert(json!("Always"));
    spec.entry("dnsPolicy").or_insert(json!("ClusterFirst"));
    spec.entry("schedulerName")
        .or_insert(json!("default-scheduler"));
    spec.entry("terminationGracePeriodSeconds")
        .or_insert(json!(30));
    spec.entry("securityContext").or_insert(json!({}));
    spec.entry("enableServiceLinks").or_insert(json!(true));
    spec.entry("preemptionPolicy")
        .or_insert(json!("PreemptLowerPriority"));
    spec.entry("priority").or_insert(json!(0));
    for list in ["containers", "initContainers"] {
        if let Some(Value::Array(containers)) = spec.get_mut(list) {
            for c in containers {
                let Some(c) = c.as_object_mut() else {
                    continue;
                };
                c.entry("terminationMessagePath")
                    .or_insert(json!("/dev/termination-log"));
                c.entry("terminationMessagePolicy").or_insert(json!("File"));
                c.entry("resources").or_insert(json!({}));
                let image = c
                    .get("image")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let policy = if image_tag(&image).is_none_or(|t| t == "latest") {
                    "Always"
                } else {
                    "IfNotPresent"
                };
                c.entry("imagePullPolicy").or_insert(json!(policy));
                if let Some(Value::Array(ports)) = c.get_mut("ports") {
                    for p in ports {
                        if let Some(p) = p.as_object_mut() {
                            p.entry("protocol").or_insert(json!("TCP"));
                        }
                    }
                }
            }
        }
    }
}

/// The tag of an image reference (`None` when there is none or only a digest).
pub fn image_tag(image: &str) -> Option<&str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_rule_of_their_kind() {
        assert!(name_causes(Kind::Namespace, "blue").is_empty());
        assert_eq!(
            name_causes(Kind::Namespace, "Blue"),
            vec![format!(
                "metadata.name: Invalid value: \"Blue\": {DNS1123_LABEL_MSG}"
            )]
        );
        assert!(name_causes(Kind::Deployment, "a.b").is_empty());
        assert_eq!(name_causes(Kind::Deployment, "Pod_Jenkins").len(), 1);
        assert_eq!(
            name_causes(Kind::Service, "1svc"),
            vec![format!(
                "metadata.name: Invalid value: \"1svc\": {DNS1035_LABEL_MSG}"
            )]
        );
    }

    #[test]
    fn a_deployment_whose_selector_misses_its_template_is_invalid() {
        let d = json!({"metadata": {"name": "x"}, "spec": {
            "selector": {"matchLabels": {"app": "x"}},
            "template": {"metadata": {"labels": {"app": "y"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}});
        assert_eq!(
            causes(Kind::Deployment, &d),
            vec!["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"y\"}: `selector` does not match template `labels`".to_owned()]
        );
    }

    #[test]
    fn image_tags_are_read_after_the_last_slash() {
        assert_eq!(image_tag("jenkins/jenkins:lts-jdk11"), Some("lts-jdk11"));
        assert_eq!(image_tag("localhost:5000/app"), None);
        assert_eq!(image_tag("nginx"), None);
    }
}
