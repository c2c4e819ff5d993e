//! Controllers on the virtual clock, seen through kubectl: deployments make replica sets and
//! pods, the scheduler avoids the tainted master, the kubelet starts containers after a
//! delay or fails on unknown images, endpoints follow ready pods, services get addresses.

use crate::support::{cluster, fails, ok};
use sim_wasm::SimTime;
use sim_wasm::api::Kind;

fn column(table: &str, header: &str) -> Vec<String> {
    let mut lines = table.lines();
    let head = lines.next().unwrap_or_default();
    let start = head.find(header).unwrap_or(0);
    lines
        .map(|l| {
            l.get(start..)
                .unwrap_or_default()
                .split("   ")
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned()
        })
        .collect()
}

#[test]
fn a_deployment_makes_a_hashed_replica_set_and_pods_that_start_after_three_seconds() {
    let mut c = cluster();
    ok(
        &mut c,
        "kubectl create deployment web --image=nginx --replicas=2",
    );
    let pods = ok(&mut c, "kubectl get pods");
    assert_eq!(
        column(&pods, "STATUS"),
        ["ContainerCreating", "ContainerCreating"],
        "{pods}"
    );
    let rs = ok(&mut c, "kubectl get rs -o name");
    let hash = rs
        .trim()
        .strip_prefix("replicaset.apps/web-")
        .unwrap_or_default()
        .to_owned();
    assert!(
        !hash.is_empty() && hash.chars().all(|ch| "456789bcdf".contains(ch)),
        "{rs}"
    );
    for name in column(&pods, "NAME") {
        let suffix = name
            .strip_prefix(&format!("web-{hash}-"))
            .unwrap_or_default();
        assert_eq!(suffix.len(), 5, "{name}");
        assert!(
            suffix
                .bytes()
                .all(|b| sim_wasm::rand::NAME_ALPHABET.contains(&b)),
            "{name}"
        );
    }
    c.advance_to(SimTime::from_secs(2));
    assert_eq!(
        column(&ok(&mut c, "kubectl get pods"), "STATUS"),
        ["ContainerCreating", "ContainerCreating"]
    );
    c.advance_to(SimTime::from_secs(3));
    let pods = ok(&mut c, "kubectl get pods");
    assert_eq!(column(&pods, "STATUS"), ["Running", "Running"], "{pods}");
    assert_eq!(
        ok(&mut c, "kubectl get deploy"),
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/2     2            2           3s\n"
    );
}

#[test]
fn the_scheduler_keeps_workloads_off_the_tainted_master() {
    let mut c = cluster();
    ok(
        &mut c,
        "kubectl create deployment web --image=nginx --replicas=10",
    );
    c.settle();
    let nodes = column(&ok(&mut c, "kubectl get pods -o wide"), "NODE");
    assert_eq!(nodes.len(), 10);
    assert!(
        nodes.iter().all(|n| n == "worker1" || n == "worker2"),
        "{nodes:?}"
    );
    assert!(nodes.iter().any(|n| n == "worker1") && nodes.iter().any(|n| n == "worker2"));
}

#[test]
fn a_misspelled_image_fails_to_pull_then_backs_off_with_events() {
    let mut c = cluster();
    ok(&mut c, "kubectl run web --image=ngnix");
    c.advance_to(SimTime::from_secs(3));
    assert_eq!(
        column(&ok(&mut c, "kubectl get pods"), "STATUS"),
        ["ErrImagePull"]
    );
    c.settle();
    assert_eq!(
        column(&ok(&mut c, "kubectl get pods"), "STATUS"),
        ["ImagePullBackOff"]
    );
    let describe = ok(&mut c, "kubectl describe pod web");
    assert!(
        describe.contains("Failed to pull image \"ngnix\""),
        "{describe}"
    );
    assert!(
        describe.contains("Back-off pulling image \"ngnix\""),
        "{describe}"
    );
}

#[test]
fn endpoints_list_only_ready_pods_and_services_get_cluster_ips_in_range() {
    let mut c = cluster();
    ok(
        &mut c,
        "kubectl create deployment web --image=nginx --port=80 --replicas=4",
    );
    ok(&mut c, "kubectl expose deployment web --type=NodePort");
    assert_eq!(
        ok(&mut c, "kubectl get ep web"),
        "NAME   ENDPOINTS   AGE\nweb    <none>      0s\n"
    );
    c.settle();
    let ep = ok(&mut c, "kubectl get ep web");
    assert!(ep.contains(":80,") && ep.contains(" + 1 more..."), "{ep}");
    let svc = ok(&mut c, "kubectl get svc web -o json");
    let svc: serde_json::Value = serde_json::from_str(&svc).unwrap_or_default();
    let ip = svc["spec"]["clusterIP"].as_str().unwrap_or_default();
    let octets: Vec<u8> = ip.split('.').filter_map(|o| o.parse().ok()).collect();
    assert!(
        octets.len() == 4 && octets[0] == 10 && (96..=111).contains(&octets[1]),
        "{ip}"
    );
    let node_port = svc["spec"]["ports"][0]["nodePort"]
        .as_i64()
        .unwrap_or_default();
    assert!((30000..=32767).contains(&node_port), "{node_port}");
    let slices = ok(&mut c, "kubectl get endpointslices");
    assert!(
        slices.contains("IPv4          80      ") && slices.contains(" + 1 more..."),
        "{slices}"
    );
}

#[test]
fn a_readiness_probe_keeps_a_running_pod_out_of_the_endpoints_until_it_passes() {
    let mut c = cluster();
    c.write_file("p.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n    readinessProbe:\n      initialDelaySeconds: 20\n      httpGet:\n        port: 80\n");
    ok(&mut c, "kubectl apply -f p.yaml");
    ok(&mut c, "kubectl create service clusterip p --tcp=80:80");
    c.advance_to(SimTime::from_secs(10));
    assert_eq!(column(&ok(&mut c, "kubectl get pod p"), "READY"), ["0/1"]);
    assert!(ok(&mut c, "kubectl get ep p").contains("<none>"));
    c.advance_to(SimTime::from_secs(40));
    assert_eq!(column(&ok(&mut c, "kubectl get pod p"), "READY"), ["1/1"]);
    assert!(ok(&mut c, "kubectl get ep p").contains(":80"));
}

#[test]
fn scaling_and_deleting_a_deployment_reaches_its_pods() {
    let mut c = cluster();
    ok(&mut c, "kubectl create deployment web --image=nginx");
    assert_eq!(
        ok(&mut c, "kubectl scale deployment web --replicas=4"),
        "deployment.apps/web scaled\n"
    );
    assert_eq!(ok(&mut c, "kubectl get pods -o name").lines().count(), 4);
    assert_eq!(
        ok(&mut c, "kubectl scale deploy/web --replicas=1"),
        "deployment.apps/web scaled\n"
    );
    assert_eq!(ok(&mut c, "kubectl get pods -o name").lines().count(), 1);
    assert_eq!(
        ok(&mut c, "kubectl delete deployment web"),
        "deployment.apps \"web\" deleted\n"
    );
    assert_eq!(
        c.store().count(Kind::ReplicaSet),
        2,
        "only kube-system's replica sets remain"
    );
    assert!(c.store().list(Kind::Pod, Some("default")).is_empty());
}

#[test]
fn deleting_a_namespace_deletes_everything_in_it() {
    let mut c = cluster();
    ok(&mut c, "kubectl create namespace blue");
    ok(
        &mut c,
        "kubectl create deployment web --image=nginx -n blue",
    );
    ok(&mut c, "kubectl expose deployment web --port=80 -n blue");
    assert_eq!(
        ok(&mut c, "kubectl delete namespace blue"),
        "namespace \"blue\" deleted\n"
    );
    for kind in [
        Kind::Pod,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::Service,
        Kind::Endpoints,
        Kind::EndpointSlice,
    ] {
        assert!(c.store().list(kind, Some("blue")).is_empty(), "{kind}");
    }
}

#[test]
fn set_image_rolls_out_a_new_replica_set_and_scales_the_old_one_down() {
    let mut c = cluster();
    ok(
        &mut c,
        "kubectl create deployment web --image=nginx:1.26 --replicas=2",
    );
    c.settle();
    assert_eq!(
        ok(&mut c, "kubectl set image deployment/web nginx=nginx:1.27"),
        "deployment.apps/web image updated\n"
    );
    let status = ok(&mut c, "kubectl rollout status deployment/web");
    assert!(
        status.ends_with("deployment \"web\" successfully rolled out\n"),
        "{status}"
    );
    let rs = ok(&mut c, "kubectl get rs");
    let desired = column(&rs, "DESIRED");
    assert_eq!(desired.iter().filter(|d| *d == "2").count(), 1, "{rs}");
    assert_eq!(desired.iter().filter(|d| *d == "0").count(), 1, "{rs}");
    let images = ok(
        &mut c,
        "kubectl get deploy web -o jsonpath={.spec.template.spec.containers[0].image}",
    );
    assert_eq!(images, "nginx:1.27");
}

#[test]
fn labels_and_annotations_are_set_overwritten_and_removed() {
    let mut c = cluster();
    ok(&mut c, "kubectl create namespace blue");
    assert_eq!(
        ok(&mut c, "kubectl label ns blue team=a"),
        "namespace/blue labeled\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl label ns blue team=b"),
        "error: 'team' already has a value (a), and --overwrite is false\n"
    );
    ok(&mut c, "kubectl label ns blue team=b --overwrite");
    assert!(ok(&mut c, "kubectl get ns blue --show-labels").contains("team=b"));
    ok(&mut c, "kubectl label ns blue team-");
    assert!(!ok(&mut c, "kubectl get ns blue --show-labels").contains("team="));
    assert_eq!(
        ok(&mut c, "kubectl annotate ns blue note=hi"),
        "namespace/blue annotated\n"
    );
}

#[test]
fn get_json_of_a_list_is_kubectls_list_wrapper_with_four_space_indent() {
    let mut c = cluster();
    let json = ok(&mut c, "kubectl get ns default -o json");
    assert!(
        json.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Namespace\",\n"),
        "{json}"
    );
    let list = ok(&mut c, "kubectl get pods -o json");
    assert_eq!(
        list,
        "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
    );
    let names = ok(
        &mut c,
        "kubectl get pods -n kube-system -l k8s-app=kube-dns -o jsonpath={.items[*].metadata.name}",
    );
    assert_eq!(names.split(' ').count(), 2, "{names}");
}

#[test]
fn get_accepts_short_names_several_kinds_and_kind_slash_name() {
    let mut c = cluster();
    let both = ok(&mut c, "kubectl get svc,ep -n kube-system");
    assert!(
        both.starts_with("NAME               TYPE")
            && both.contains("\n\nNAME                 ENDPOINTS"),
        "{both}"
    );
    assert!(
        both.contains("service/kube-dns") && both.contains("endpoints/kube-dns"),
        "{both}"
    );
    assert!(ok(&mut c, "kubectl get svc/kubernetes").starts_with("NAME                 TYPE"));
    assert!(ok(&mut c, "kubectl get no").contains("worker2"));
    assert!(
        ok(&mut c, "kubectl get po -A --no-headers")
            .lines()
            .all(|l| l.starts_with("kube-system"))
    );
}
