//! Every `kubectl describe` printer pinned on one deterministic cluster. Each snapshot was
//! reviewed line by line against kubectl 1.32's `pkg/describe/describe.go` (field order,
//! labels, `<none>` placement, tabwriter alignment, annotations as `key: value`) and the
//! verified `describe svc` transcripts of fidelity.md §3.3.

use crate::support::{cluster, ok};
use sim_wasm::Cluster;

const APP: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: blue
  labels:
    app: web
    tier: front
  annotations:
    team: net
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - name: http
          containerPort: 80
        env:
        - name: GREETING
          value: hello
        readinessProbe:
          httpGet:
            path: /
            port: http
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
          limits:
            memory: 128Mi
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: blue
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
";

/// The `blue` namespace with the deployment and service above, a minute after they settled.
fn lab() -> Cluster {
    let mut c = cluster();
    ok(&mut c, "kubectl create namespace blue");
    c.write_file("app.yaml", APP);
    ok(&mut c, "kubectl apply -f app.yaml");
    ok(
        &mut c,
        "kubectl wait --for=condition=Ready pod -l app=web -n blue",
    );
    ok(&mut c, "sleep 60");
    c
}

#[test]
fn describe_deployment_matches_kubectl_1_32() {
    let mut c = lab();
    insta::assert_snapshot!(ok(&mut c, "kubectl describe deploy web -n blue"));
}

#[test]
fn describe_replicaset_matches_kubectl_1_32() {
    let mut c = lab();
    insta::assert_snapshot!(ok(&mut c, "kubectl describe rs -n blue"));
}

#[test]
fn describe_pods_matches_kubectl_1_32_with_two_blank_lines_between_objects() {
    let mut c = lab();
    insta::assert_snapshot!(ok(&mut c, "kubectl describe pods -n blue"));
}

#[test]
fn describe_endpoints_matches_kubectl_1_32() {
    let mut c = lab();
    insta::assert_snapshot!(ok(&mut c, "kubectl describe ep web -n blue"));
}

#[test]
fn describe_service_matches_kubectl_1_32() {
    let mut c = lab();
    insta::assert_snapshot!(ok(&mut c, "kubectl describe svc web -n blue"));
}

#[test]
fn describe_namespace_matches_kubectl_1_32() {
    let mut c = lab();
    insta::assert_snapshot!(ok(&mut c, "kubectl describe ns blue"));
}

#[test]
fn describe_node_matches_kubectl_1_32() {
    let mut c = lab();
    insta::assert_snapshot!(ok(&mut c, "kubectl describe node worker1"));
}

#[test]
fn describe_control_plane_node_shows_its_role_and_taint() {
    let mut c = cluster();
    insta::assert_snapshot!(ok(&mut c, "kubectl describe node master"));
}

#[test]
fn describe_pod_with_a_bad_image_lists_repeated_events_last() {
    let mut c = cluster();
    ok(&mut c, "kubectl run bad --image=nginx:no-such-tag");
    ok(&mut c, "sleep 120");
    insta::assert_snapshot!(ok(&mut c, "kubectl describe pod bad"));
}

#[test]
fn a_name_prefix_describes_every_match_each_followed_by_a_blank_line() {
    let mut c = lab();
    let prefix = ok(&mut c, "kubectl describe pod web -n blue");
    let all = ok(&mut c, "kubectl describe pods -n blue");
    // The same objects; kubectl's prefix path prints `%s\n` for each instead of separating
    // them with `\n\n`.
    let blocks: Vec<&str> = all.split("\n\n\n").collect();
    assert_eq!(blocks.len(), 2, "{all}");
    assert_eq!(prefix, format!("{}\n\n{}\n", blocks[0], blocks[1]));
    // TYPE/NAME never falls back to a prefix.
    let (_, err, code) = crate::support::run(&mut c, "kubectl describe pod/web -n blue");
    assert_eq!(
        (err.as_str(), code),
        ("Error from server (NotFound): pods \"web\" not found\n", 1)
    );
}

#[test]
fn after_a_rollout_the_old_replica_set_is_listed_even_at_zero_replicas() {
    let mut c = cluster();
    ok(&mut c, "kubectl create deployment web --image=nginx:1.26");
    ok(&mut c, "kubectl rollout status deploy/web");
    ok(&mut c, "kubectl set image deploy/web nginx=nginx:1.27");
    ok(&mut c, "kubectl rollout status deploy/web");
    let out = ok(&mut c, "kubectl describe deploy web");
    let old = out
        .lines()
        .find(|l| l.starts_with("OldReplicaSets:"))
        .unwrap_or_default();
    let new = out
        .lines()
        .find(|l| l.starts_with("NewReplicaSet:"))
        .unwrap_or_default();
    assert!(old.ends_with("(0/0 replicas created)"), "{out}");
    assert!(new.ends_with("(1/1 replicas created)"), "{out}");
    assert_ne!(old.split_whitespace().nth(1), new.split_whitespace().nth(1));
}
