use super::*;
use crate::{Cluster, ClusterConfig, Cni};

fn fresh() -> Cluster {
    Cluster::new(7, ClusterConfig { cni: Cni::Calico })
}

#[test]
fn a_fresh_cluster_shows_the_three_kubeadm_nodes_with_their_addresses_and_roles() {
    let view = cluster_view(fresh().store());
    let nodes: Vec<(&str, &str, Vec<&str>, bool)> = view
        .nodes
        .iter()
        .map(|n| {
            (
                n.name.as_str(),
                n.ip.as_str(),
                n.roles.iter().map(String::as_str).collect(),
                n.ready,
            )
        })
        .collect();
    assert_eq!(
        nodes,
        vec![
            ("master", "192.168.56.10", vec!["control-plane"], true),
            ("worker1", "192.168.56.11", vec![], true),
            ("worker2", "192.168.56.12", vec![], true),
        ]
    );
}

#[test]
fn the_kubernetes_service_points_at_the_api_server_and_kube_dns_at_the_coredns_pods() {
    let view = cluster_view(fresh().store());
    let kubernetes = view
        .services
        .iter()
        .find(|s| s.namespace == "default" && s.name == "kubernetes");
    let kubernetes = kubernetes.map(|s| {
        (
            s.kind.as_str(),
            s.cluster_ip.as_deref(),
            s.endpoints.clone(),
        )
    });
    assert_eq!(
        kubernetes,
        Some((
            "ClusterIP",
            Some("10.96.0.1"),
            vec!["192.168.56.10:6443".to_owned()]
        ))
    );

    let coredns_ips: Vec<String> = view
        .pods
        .iter()
        .filter(|p| p.labels.get("k8s-app").map(String::as_str) == Some("kube-dns"))
        .filter_map(|p| p.ip.clone())
        .collect();
    assert_eq!(coredns_ips.len(), 2);
    let kube_dns = view.services.iter().find(|s| s.name == "kube-dns");
    let endpoint_ips: Vec<String> = kube_dns
        .map(|s| {
            s.endpoints
                .iter()
                .filter_map(|e| e.split(':').next().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for ip in &coredns_ips {
        assert!(
            endpoint_ips.contains(ip),
            "{ip} missing from {endpoint_ips:?}"
        );
    }
}

#[test]
fn a_pod_applied_by_the_student_appears_on_a_worker_with_its_container() {
    let mut cluster = fresh();
    let output = cluster.exec(
        "cat <<EOF > web.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: nginx\n    image: nginx\nEOF\nkubectl apply -f web.yaml",
    );
    assert_eq!(output.stderr, "");
    cluster.settle();
    let view = cluster_view(cluster.store());
    let web = view
        .pods
        .iter()
        .find(|p| p.namespace == "default" && p.name == "web");
    let Some(web) = web else {
        panic!("pod default/web missing from the view: {:?}", view.pods);
    };
    assert!(
        matches!(web.node.as_deref(), Some("worker1" | "worker2")),
        "{:?}",
        web.node
    );
    assert_eq!(web.phase, "Running");
    assert!(web.ip.is_some());
    assert!(!web.host_network);
    assert_eq!(
        web.containers,
        vec![ContainerView {
            name: "nginx".to_owned(),
            image: "nginx".to_owned(),
            ready: true
        }]
    );
    assert_eq!(web.labels.get("app").map(String::as_str), Some("web"));
}

#[test]
fn the_view_serializes_with_the_keys_the_map_reads() {
    let json = serde_json::to_value(cluster_view(fresh().store())).unwrap_or_default();
    let service = &json["services"][0];
    for key in [
        "namespace",
        "name",
        "type",
        "clusterIp",
        "ports",
        "selector",
        "endpoints",
    ] {
        assert!(service.get(key).is_some(), "service lacks {key}: {service}");
    }
    let pod = &json["pods"][0];
    for key in [
        "namespace",
        "name",
        "node",
        "ip",
        "phase",
        "hostNetwork",
        "containers",
        "labels",
    ] {
        assert!(pod.get(key).is_some(), "pod lacks {key}: {pod}");
    }
    assert_eq!(json["services"][0]["ports"][0]["targetPort"], "6443");
}
