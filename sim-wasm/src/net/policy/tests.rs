use super::*;
use serde_json::json;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn ns_labels(namespace: &str) -> Option<Labels> {
    Some(labels(&[("kubernetes.io/metadata.name", namespace)]))
}

#[test]
fn without_policies_everything_is_allowed() {
    let l = labels(&[("app", "web")]);
    let target = PolicyPod {
        namespace: "default",
        labels: &l,
        ip: Ipv4::new(10, 244, 1, 5),
    };
    assert!(allows(
        &[],
        &ns_labels,
        None,
        Ipv4::new(192, 168, 56, 1),
        &target,
        8080,
        Protocol::Tcp
    ));
}

#[test]
fn a_default_deny_ingress_policy_isolates_every_pod_in_its_namespace() {
    let deny = json!({"metadata": {"name": "deny", "namespace": "default"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}});
    let l = labels(&[("app", "http-go-v1")]);
    let target = PolicyPod {
        namespace: "default",
        labels: &l,
        ip: Ipv4::new(10, 244, 1, 5),
    };
    assert!(!allows(
        &[&deny],
        &ns_labels,
        Some(&target),
        target.ip,
        &target,
        8080,
        Protocol::Tcp
    ));
    let elsewhere = PolicyPod {
        namespace: "blue",
        ..target.clone()
    };
    assert!(allows(
        &[&deny],
        &ns_labels,
        None,
        Ipv4(1),
        &elsewhere,
        8080,
        Protocol::Tcp
    ));
}

#[test]
fn the_courses_http_go_v1_to_v2_exercise_allows_only_the_selected_peer() {
    // http-go-v2 accepts 8080 only from http-go-v1.
    let policy = json!({
        "metadata": {"name": "v2-from-v1", "namespace": "default"},
        "spec": {
            "podSelector": {"matchLabels": {"app": "http-go-v2"}},
            "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "http-go-v1"}}}],
                         "ports": [{"protocol": "TCP", "port": 8080}]}]
        }
    });
    let v1 = labels(&[("app", "http-go-v1")]);
    let v2 = labels(&[("app", "http-go-v2")]);
    let v3 = labels(&[("app", "http-go-v3")]);
    let pod = |l| PolicyPod {
        namespace: "default",
        labels: l,
        ip: Ipv4::new(10, 244, 1, 9),
    };
    let (from_v1, target, from_v3) = (pod(&v1), pod(&v2), pod(&v3));
    assert!(allows(
        &[&policy],
        &ns_labels,
        Some(&from_v1),
        from_v1.ip,
        &target,
        8080,
        Protocol::Tcp
    ));
    assert!(!allows(
        &[&policy],
        &ns_labels,
        Some(&from_v3),
        from_v3.ip,
        &target,
        8080,
        Protocol::Tcp
    ));
    assert!(!allows(
        &[&policy],
        &ns_labels,
        Some(&from_v1),
        from_v1.ip,
        &target,
        9090,
        Protocol::Tcp
    ));
}

#[test]
fn namespace_selectors_and_ip_blocks_select_peers() {
    let policy = json!({
        "metadata": {"name": "p", "namespace": "default"},
        "spec": {
            "podSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]},
            "ingress": [{"from": [
                {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "blue"}}},
                {"ipBlock": {"cidr": "192.168.56.0/24", "except": ["192.168.56.1/32"]}}
            ]}]
        }
    });
    let web = labels(&[("app", "web")]);
    let any = labels(&[]);
    let target = PolicyPod {
        namespace: "default",
        labels: &web,
        ip: Ipv4::new(10, 244, 2, 2),
    };
    let blue = PolicyPod {
        namespace: "blue",
        labels: &any,
        ip: Ipv4::new(10, 244, 1, 3),
    };
    assert!(allows(
        &[&policy],
        &ns_labels,
        Some(&blue),
        blue.ip,
        &target,
        80,
        Protocol::Tcp
    ));
    assert!(allows(
        &[&policy],
        &ns_labels,
        None,
        Ipv4::new(192, 168, 56, 11),
        &target,
        80,
        Protocol::Tcp
    ));
    assert!(!allows(
        &[&policy],
        &ns_labels,
        None,
        Ipv4::new(192, 168, 56, 1),
        &target,
        80,
        Protocol::Tcp
    ));
}

#[test]
fn egress_policies_restrict_the_source_pod() {
    let policy = json!({
        "metadata": {"name": "e", "namespace": "default"},
        "spec": {"podSelector": {"matchLabels": {"app": "client"}}, "policyTypes": ["Egress"], "egress": []}
    });
    let client = labels(&[("app", "client")]);
    let other = labels(&[]);
    let source = PolicyPod {
        namespace: "default",
        labels: &client,
        ip: Ipv4::new(10, 244, 1, 3),
    };
    let target = PolicyPod {
        namespace: "default",
        labels: &other,
        ip: Ipv4::new(10, 244, 1, 4),
    };
    assert!(!allows(
        &[&policy],
        &ns_labels,
        Some(&source),
        source.ip,
        &target,
        80,
        Protocol::Tcp
    ));
}
