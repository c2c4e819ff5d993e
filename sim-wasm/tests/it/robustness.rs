//! Whatever a student types or writes, kubectl answers with an error instead of panicking,
//! and the cluster keeps working afterwards.

use crate::support::{cluster, ok, run};

const LINES: &[&str] = &[
    "kubectl",
    "kubectl -n",
    "kubectl -n blue",
    "kubectl --namespace",
    "kubectl get pods/",
    "kubectl get /x",
    "kubectl get pods -o jsonpath={{{",
    "kubectl get pods -o jsonpath={.items[99].x}",
    "kubectl get pods -o jsonpath={end}",
    "kubectl get ns -o custom-columns=BROKEN",
    "kubectl get ns --sort-by={.x[",
    "kubectl get pods -l ==,!",
    "kubectl get pods -l a=(b",
    "kubectl scale deploy x --replicas=-1",
    "kubectl scale deploy x --replicas=99999999999999999999",
    "kubectl create deployment x --image= --replicas=0",
    "kubectl create deployment x --image=nginx --replicas=-5",
    "kubectl create deployment x --image=nginx --port=notaport",
    "kubectl create service nodeport s --tcp=abc",
    "kubectl create service nodeport s --tcp=80:",
    "kubectl create service nodeport s --tcp=:80",
    "kubectl create service nodeport s --tcp=70000:80",
    "kubectl create service nodeport s --tcp=80:80 --node-port=999999",
    "kubectl create service bogus s",
    "kubectl create service",
    "kubectl create configmap c --from-literal=novalue",
    "kubectl create ns ''",
    "kubectl create ns 한국어",
    "kubectl expose pod",
    "kubectl expose pod/",
    "kubectl expose deploy x --port=abc",
    "kubectl label",
    "kubectl label ns default =x",
    "kubectl label ns default -",
    "kubectl annotate ns default a",
    "kubectl exec -it",
    "kubectl exec -it -- sh",
    "kubectl exec x --",
    "kubectl logs deploy/",
    "kubectl logs deploy/nosuch",
    "kubectl describe pod/",
    "kubectl describe nosuchkind",
    "kubectl delete ns",
    "kubectl delete pods --all -A",
    "kubectl delete ns kube-system",
    "kubectl run x --image=nginx --restart=Sometimes",
    "kubectl run x --image=nginx --env=NOEQUALS",
    "kubectl set image deploy/x",
    "kubectl set env deploy/x",
    "kubectl rollout status",
    "kubectl rollout status deploy/nosuch",
    "kubectl rollout bogus deploy/x",
    "kubectl wait --for=condition=Ready",
    "kubectl wait --for=delete pod/nosuch --timeout=2s",
    "kubectl wait --for=condition=Ready pods --all --timeout=abc",
    "kubectl explain",
    "kubectl explain pods.spec.nosuch",
    "kubectl explain pods.spec.containers.ports",
    "kubectl api-resources --namespaced=false -o name",
    "kubectl apply -f -",
    "kubectl apply -f",
    "kubectl apply -f weird.yaml",
    "kubectl create -f weird.yaml",
    "kubectl delete -f weird.yaml",
];

const WEIRD: &str = "kind: List
apiVersion: v1
items:
- just a string
- 42
- kind: Namespace
  apiVersion: v1
  metadata: not-a-map
- kind: Service
  apiVersion: v1
  metadata:
    name: s
  spec: [1, 2]
- kind: Pod
  apiVersion: v1
  metadata:
    name: p
  spec:
    containers:
    - name: c
      image: nginx
      ports:
      - containerPort: 99999999999
- kind: Deployment
  apiVersion: apps/v1
  metadata:
    name: d
    labels: {a: [1]}
  spec:
    replicas: 1.5
    selector: {matchLabels: {a: b}}
    template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: nginx}]}}
---
{\"kind\": \"Namespace\", \"apiVersion\": \"v1\", \"metadata\": {\"name\": \"j\"}} trailing
---
- a
- b
---
\"just a string\"
---
!!binary aGVsbG8=
---
? [complex, key]
: value
";

#[test]
fn odd_commands_and_manifests_never_crash_the_cluster() {
    let mut c = cluster();
    c.write_file("weird.yaml", WEIRD);
    ok(&mut c, "kubectl create deployment web --image=nginx");
    for line in LINES {
        let (_, _, code) = run(&mut c, line);
        let _ = code;
    }
    c.settle();
    // The cluster still answers.
    let nodes = ok(&mut c, "kubectl get nodes");
    assert_eq!(nodes.lines().count(), 4, "{nodes}");
}

#[test]
fn a_manifest_of_deeply_nested_json_is_refused_without_overflowing() {
    let mut c = cluster();
    let deep = format!("{}{}", "{\"a\":".repeat(5000), "}".repeat(5000));
    c.write_file("deep.json", &deep);
    let (_, err, code) = run(&mut c, "kubectl apply -f deep.json");
    assert_eq!(code, 1);
    assert!(err.starts_with("error: error parsing deep.json: "), "{err}");
}

#[test]
fn waiting_a_day_for_a_condition_that_never_comes_ends_quickly_with_a_timeout() {
    let mut c = cluster();
    ok(&mut c, "kubectl run broken --image=ngnix");
    let (_, err, code) = run(
        &mut c,
        "kubectl wait --for=condition=Ready pod/broken --timeout=86400s",
    );
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: timed out waiting for the condition on pods/broken\n"
    );
}
