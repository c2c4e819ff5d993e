//! Controllers on the virtual clock, seen through kubectl: deployments make replica sets and
//! pods, the scheduler avoids the tainted master, the kubelet starts containers after a
//! delay or fails on unknown images, endpoints follow ready pods, services get addresses.

use crate::support::{cluster, fails, ok};
use sim_wasm::api::Kind;
use sim_wasm::{Cluster, SimTime};

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

#[test]
fn new_pods_get_the_service_account_token_volume_and_default_tolerations() {
    let mut c = cluster();
    ok(&mut c, "kubectl run web --image=nginx --port=80");
    c.settle();
    let describe = ok(&mut c, "kubectl describe pod web");
    let mounts = describe
        .lines()
        .skip_while(|l| !l.starts_with("    Mounts:"))
        .nth(1)
        .unwrap_or_default();
    assert!(
        mounts.starts_with(
            "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-"
        ) && mounts.ends_with(" (ro)"),
        "{describe}"
    );
    assert!(describe.contains("Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"), "{describe}");
    assert!(
        describe.contains("    State:          Running\n"),
        "{describe}"
    );
    assert!(
        describe.contains("Status:           Running\n"),
        "{describe}"
    );
    let yaml = ok(&mut c, "kubectl get pod web -o yaml");
    assert!(yaml.contains("  serviceAccountName: default\n"), "{yaml}");
    assert!(yaml.contains("      name: kube-root-ca.crt\n"), "{yaml}");
}

#[test]
fn system_pods_are_as_old_as_the_cluster() {
    let mut c = cluster();
    let ages = column(&ok(&mut c, "kubectl get pods -n kube-system"), "AGE");
    assert!(
        !ages.is_empty() && ages.iter().all(|a| a == "10d"),
        "{ages:?}"
    );
    let tables = ok(&mut c, "kubectl get deploy,ds,rs -n kube-system");
    let rows: Vec<&str> = tables
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("NAME"))
        .collect();
    assert_eq!(rows.len(), 6, "{tables}");
    assert!(rows.iter().all(|l| l.ends_with("   10d")), "{tables}");
}

#[test]
fn jsonpath_ranges_custom_columns_and_sort_by_work_like_kubectl() {
    let mut c = cluster();
    let names = ok(
        &mut c,
        r#"kubectl get ns -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}'"#,
    );
    assert_eq!(
        names,
        "default\nkube-node-lease\nkube-public\nkube-system\n"
    );
    let names = ok(
        &mut c,
        "kubectl get ns -o jsonpath='{range.items[*]}[{.metadata.name}]{end}'",
    );
    assert_eq!(
        names,
        "[default][kube-node-lease][kube-public][kube-system]"
    );
    assert_eq!(
        ok(
            &mut c,
            "kubectl get svc -A -o custom-columns=NAME:.metadata.name,IP:.spec.clusterIP,LB:.status.loadBalancer.ingress"
        ),
        "NAME         IP           LB\nkubernetes   10.96.0.1    <none>\nkube-dns     10.96.0.10   <none>\n"
    );
    let sorted = ok(
        &mut c,
        "kubectl get ns --sort-by=.metadata.name --no-headers -o name",
    );
    assert_eq!(sorted.lines().next(), Some("namespace/default"));
    assert_eq!(
        fails(
            &mut c,
            "kubectl get ns -o jsonpath={range.items[*]}{.metadata.name}"
        ),
        "error: error parsing jsonpath {range.items[*]}{.metadata.name}, unclosed range\n"
    );
}

#[test]
fn a_calico_node_whose_block_is_full_claims_another_and_every_pod_gets_its_own_address() {
    let mut c = cluster();
    ok(
        &mut c,
        "kubectl create deployment many --image=nginx --replicas=200",
    );
    c.settle();
    let ips = column(&ok(&mut c, "kubectl get pods -o wide"), "IP");
    assert_eq!(ips.len(), 200);
    let distinct: std::collections::BTreeSet<&String> = ips.iter().collect();
    assert_eq!(distinct.len(), 200, "{ips:?}");
    assert!(ips.iter().all(|ip| ip.starts_with("192.168.")), "{ips:?}");
}

#[test]
fn run_rm_it_waits_for_the_pod_runs_the_command_and_deletes_the_pod() {
    let mut c = cluster();
    let out =
        c.exec("kubectl run tmp --rm -it --restart=Never --image=busybox -- nslookup kubernetes");
    assert!(out.stdout.ends_with("pod \"tmp\" deleted\n"), "{out:?}");
    assert!(c.store().get(Kind::Pod, "default", "tmp").is_none());
    let shell = c.exec("kubectl run box -it --image=busybox -- sh");
    assert_eq!(shell.exit_code, 0, "{shell:?}");
    assert!(shell.stdout.is_empty(), "{shell:?}");
    // The student is now in the container's shell, which has no kubectl: leave it first.
    c.exec("exit");
    assert!(ok(&mut c, "kubectl get pod box").contains("Running"));
}

#[test]
fn leaving_the_shell_of_run_rm_it_prints_kubectls_notes_and_deletes_the_pod() {
    let mut c = cluster();
    let enter = c.exec("kubectl run tmp --rm -it --image=busybox -- sh");
    assert_eq!(
        enter.stderr,
        "If you don't see a command prompt, try pressing enter.\n"
    );
    assert_eq!(c.prompt(), "root@tmp:/# ");
    let left = c.exec("exit");
    assert_eq!(
        left.stdout,
        "Session ended, resume using 'kubectl attach tmp -c tmp -i -t' command when the pod is running\npod \"tmp\" deleted\n"
    );
    assert_eq!(c.prompt(), "user@master:~$ ");
    assert!(c.store().get(Kind::Pod, "default", "tmp").is_none());
    // Without --rm the pod keeps running, and kubectl says how to attach again.
    c.exec("kubectl run keep -it --image=busybox -- sh");
    let left = c.exec("exit");
    assert_eq!(
        left.stdout,
        "Session ended, resume using 'kubectl attach keep -c keep -i -t' command when the pod is running\n"
    );
    assert!(c.store().get(Kind::Pod, "default", "keep").is_some());
}

#[test]
fn a_failing_command_in_run_rm_reports_the_terminated_pod_with_its_exit_code() {
    let mut c = cluster();
    let out = c
        .exec("kubectl run t2 --rm -it --restart=Never --image=busybox -- wget -qO- 10.96.0.1:443");
    assert_eq!(out.exit_code, 1, "{out:?}");
    assert_eq!(out.stdout, "pod \"t2\" deleted\n");
    assert!(
        out.stderr.ends_with("pod default/t2 terminated (Error)\n"),
        "{out:?}"
    );
    assert!(
        !out.stderr.contains("command terminated with exit code"),
        "{out:?}"
    );
}

#[test]
fn every_namespace_has_the_root_ca_config_map_and_coredns_has_its_corefile() {
    let mut c = cluster();
    assert_eq!(
        ok(&mut c, "kubectl get cm"),
        "NAME               DATA   AGE\nkube-root-ca.crt   1      10d\n"
    );
    ok(&mut c, "kubectl create namespace blue");
    assert!(ok(&mut c, "kubectl get configmaps -n blue").contains("kube-root-ca.crt   1      0s"));
    let corefile = ok(
        &mut c,
        "kubectl get cm coredns -n kube-system -o jsonpath={.data.Corefile}",
    );
    assert!(
        corefile.contains("    kubernetes cluster.local in-addr.arpa ip6.arpa {\n"),
        "{corefile}"
    );
    let describe = ok(&mut c, "kubectl describe cm coredns -n kube-system");
    assert!(
        describe.starts_with("Name:         coredns\nNamespace:    kube-system\n"),
        "{describe}"
    );
    assert!(
        describe.contains("\nData\n====\nCorefile:\n----\n.:53 {\n"),
        "{describe}"
    );
}

#[test]
fn network_policies_are_served_with_defaults_and_their_own_columns() {
    let mut c = cluster();
    c.write_file(
        "np.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: only-v1\nspec:\n  podSelector:\n    matchLabels:\n      app: http-go\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          version: v1\n    ports:\n    - port: 8080\n",
    );
    assert_eq!(
        ok(&mut c, "kubectl apply -f np.yaml"),
        "networkpolicy.networking.k8s.io/only-v1 created\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl get netpol"),
        "NAME      POD-SELECTOR   AGE\nonly-v1   app=http-go    0s\n"
    );
    let yaml = ok(&mut c, "kubectl get networkpolicy only-v1 -o yaml");
    assert!(yaml.contains("  policyTypes:\n  - Ingress\n"), "{yaml}");
    assert!(yaml.contains("      protocol: TCP\n"), "{yaml}");
    c.write_file("bad.yaml", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: bad\nspec:\n  podSelector: {}\n  ingres: []\n");
    assert_eq!(
        crate::support::fails(&mut c, "kubectl apply -f bad.yaml"),
        "Error from server (BadRequest): error when creating \"bad.yaml\": NetworkPolicy in version \"v1\" cannot be handled as a NetworkPolicy: strict decoding error: unknown field \"spec.ingres\"\n"
    );
}

#[test]
fn describe_network_policy_follows_describe_go() {
    let mut c = cluster();
    c.write_file(
        "np.yaml",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: only-v1\nspec:\n  podSelector:\n    matchLabels:\n      app: http-go\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          version: v1\n    ports:\n    - port: 8080\n",
    );
    ok(&mut c, "kubectl apply -f np.yaml");
    assert_eq!(
        ok(&mut c, "kubectl describe netpol only-v1"),
        "Name:         only-v1\nNamespace:    default\nCreated on:   2026-11-26 09:00:00 +0000 UTC\nLabels:       <none>\nAnnotations:  <none>\nSpec:\n  PodSelector:     app=http-go\n  Allowing ingress traffic:\n    To Port: 8080/TCP\n    From:\n      PodSelector: version=v1\n  Not affecting egress traffic\n  Policy Types: Ingress\n"
    );
}

#[test]
fn rollout_undo_returns_to_the_previous_template_as_a_new_revision() {
    let mut c = cluster();
    ok(&mut c, "kubectl create deployment web --image=nginx:1.26");
    c.settle();
    assert_eq!(
        crate::support::fails(&mut c, "kubectl rollout undo deployment/web"),
        "error: no rollout history found for deployment \"web\"\n"
    );
    ok(&mut c, "kubectl set image deployment/web nginx=nginx:1.27");
    c.settle();
    assert_eq!(
        ok(&mut c, "kubectl rollout undo deployment/web"),
        "deployment.apps/web rolled back\n"
    );
    c.settle();
    let image = ok(
        &mut c,
        "kubectl get deploy web -o jsonpath={.spec.template.spec.containers[0].image}",
    );
    assert_eq!(image, "nginx:1.26");
    let history = ok(&mut c, "kubectl rollout history deployment/web");
    assert!(
        history.contains("\n2         <none>\n3         <none>\n"),
        "{history}"
    );
    assert_eq!(
        column(&ok(&mut c, "kubectl get pods"), "STATUS"),
        ["Running"]
    );
}

#[test]
fn a_shell_image_without_a_long_running_command_completes_and_crash_loops() {
    let mut c = cluster();
    ok(&mut c, "kubectl run bb --image=busybox");
    ok(&mut c, "kubectl run once --image=busybox --restart=Never");
    ok(&mut c, "kubectl run sleeper --image=busybox -- sleep 3600");
    let at = |c: &mut sim_wasm::Cluster, secs: u64| {
        c.advance_to(SimTime::from_secs(secs));
        let table = ok(c, "kubectl get pods");
        (column(&table, "STATUS"), column(&table, "RESTARTS"))
    };
    assert_eq!(at(&mut c, 3).0, ["Running", "Running", "Running"]);
    assert_eq!(at(&mut c, 4).0, ["Completed", "Completed", "Running"]);
    assert_eq!(
        at(&mut c, 5),
        (
            vec![
                "Running".to_owned(),
                "Completed".to_owned(),
                "Running".to_owned()
            ],
            vec!["1 (1s ago)".to_owned(), "0".to_owned(), "0".to_owned()]
        )
    );
    assert_eq!(
        at(&mut c, 10).0,
        ["CrashLoopBackOff", "Completed", "Running"]
    );
    assert_eq!(at(&mut c, 120).1, ["4 (41s ago)", "0", "0"]);
    let describe = ok(&mut c, "kubectl describe pod bb");
    assert!(describe.contains("    State:          Waiting\n      Reason:       CrashLoopBackOff\n    Last State:     Terminated\n      Reason:       Completed\n      Exit Code:    0\n"), "{describe}");
    assert!(
        describe.contains("Back-off restarting failed container bb in pod bb_default("),
        "{describe}"
    );
    // Settling does not chase the back-off forever.
    c.settle();
    assert!(c.now() < SimTime::from_secs(200));
}

#[test]
fn wait_moves_the_clock_until_the_pod_is_ready_or_gone() {
    let mut c = cluster();
    ok(&mut c, "kubectl run web --image=nginx");
    assert_eq!(
        ok(
            &mut c,
            "kubectl wait --for=condition=Ready pod/web --timeout=60s"
        ),
        "pod/web condition met\n"
    );
    assert!(c.now() >= SimTime::from_secs(3));
    ok(&mut c, "kubectl delete pod web");
    assert_eq!(
        ok(&mut c, "kubectl wait --for=delete pod/web --timeout=10s"),
        "pod/web deleted\n"
    );
}

fn apply_pod(c: &mut sim_wasm::Cluster, name: &str, containers: &str) {
    c.write_file(
        &format!("/home/user/{name}.yaml"),
        &format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n{containers}"
        ),
    );
    ok(c, &format!("kubectl apply -f {name}.yaml"));
}

fn row(c: &mut sim_wasm::Cluster, pod: &str) -> (String, String, String) {
    let table = ok(c, &format!("kubectl get pod {pod}"));
    let cell = |h: &str| column(&table, h).into_iter().next().unwrap_or_default();
    (cell("READY"), cell("STATUS"), cell("RESTARTS"))
}

#[test]
fn the_second_container_on_the_same_port_fails_to_bind_and_crash_loops() {
    let mut c = cluster();
    apply_pod(
        &mut c,
        "twins",
        "  - name: web1\n    image: gasbugs/http-go\n  - name: web2\n    image: gasbugs/http-go\n",
    );
    c.advance_to(SimTime::from_secs(3));
    assert_eq!(row(&mut c, "twins").0, "2/2");
    c.advance_to(SimTime::from_secs(4));
    assert_eq!(
        row(&mut c, "twins"),
        ("1/2".to_owned(), "Error".to_owned(), "0".to_owned())
    );
    c.advance_to(SimTime::from_secs(120));
    let (ready, status, restarts) = row(&mut c, "twins");
    assert_eq!(
        (ready.as_str(), status.as_str()),
        ("1/2", "CrashLoopBackOff")
    );
    assert!(restarts.starts_with("4 ("), "{restarts}");
    assert_eq!(
        ok(&mut c, "kubectl logs twins -c web2"),
        "listen tcp :8080: bind: address already in use\n"
    );
    assert_eq!(ok(&mut c, "kubectl logs twins -c web1"), "");
    let describe = ok(&mut c, "kubectl describe pod twins");
    assert!(
        describe.contains(
            "    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1\n"
        ),
        "{describe}"
    );
    assert!(
        describe.contains("Back-off restarting failed container web2 in pod twins_default("),
        "{describe}"
    );
    let phase = ok(&mut c, "kubectl get pod twins -o jsonpath={.status.phase}");
    assert_eq!(phase, "Running");
}

#[test]
fn a_curl_sidecar_without_a_url_crash_loops_while_a_sleeping_one_runs() {
    let mut c = cluster();
    apply_pod(
        &mut c,
        "nourl",
        "  - name: web\n    image: gasbugs/http-go\n  - name: client\n    image: curlimages/curl\n",
    );
    apply_pod(
        &mut c,
        "sleeps",
        "  - name: web\n    image: gasbugs/http-go\n  - name: client\n    image: curlimages/curl\n    command: [\"sleep\", \"3600\"]\n",
    );
    c.advance_to(SimTime::from_secs(120));
    let (ready, status, _) = row(&mut c, "nourl");
    assert_eq!(
        (ready.as_str(), status.as_str()),
        ("1/2", "CrashLoopBackOff")
    );
    assert_eq!(
        row(&mut c, "sleeps"),
        ("2/2".to_owned(), "Running".to_owned(), "0".to_owned())
    );
    assert_eq!(
        ok(&mut c, "kubectl logs nourl -c client"),
        "curl: try 'curl --help' or 'curl --manual' for more information\n"
    );
    let code = ok(
        &mut c,
        "kubectl get pod nourl -o jsonpath={.status.containerStatuses[1].lastState.terminated.exitCode}",
    );
    assert_eq!(code, "2");
}

#[test]
fn a_pod_whose_only_container_fails_under_restart_never_is_failed() {
    let mut c = cluster();
    ok(
        &mut c,
        "kubectl run once --image=curlimages/curl --restart=Never",
    );
    c.advance_to(SimTime::from_secs(10));
    assert_eq!(row(&mut c, "once").1, "Error");
    let phase = ok(&mut c, "kubectl get pod once -o jsonpath={.status.phase}");
    assert_eq!(phase, "Failed");
}

#[test]
fn a_misspelled_tag_of_a_known_image_fails_to_pull_with_manifest_unknown() {
    let mut c = cluster();
    ok(&mut c, "kubectl run jk --image=jenkins/jenkins:lts-jdk111");
    ok(&mut c, "kubectl run mine --image=someone/app:any-tag");
    c.advance_to(SimTime::from_secs(3));
    assert_eq!(
        column(&ok(&mut c, "kubectl get pods"), "STATUS"),
        ["ErrImagePull", "Running"]
    );
    c.settle();
    assert_eq!(
        column(&ok(&mut c, "kubectl get pods"), "STATUS"),
        ["ImagePullBackOff", "Running"]
    );
    let describe = ok(&mut c, "kubectl describe pod jk");
    assert!(
        describe.contains("Failed to pull image \"jenkins/jenkins:lts-jdk111\": Error response from daemon: manifest for jenkins/jenkins:lts-jdk111 not found: manifest unknown: manifest unknown"),
        "{describe}"
    );
    assert!(
        describe.contains("Back-off pulling image \"jenkins/jenkins:lts-jdk111\""),
        "{describe}"
    );
}

#[test]
fn logs_and_exec_without_c_default_to_the_first_container_and_say_so() {
    let mut c = cluster();
    apply_pod(
        &mut c,
        "pair",
        "  - name: web\n    image: gasbugs/http-go\n  - name: side\n    image: busybox\n    command: [\"sleep\", \"3600\"]\n",
    );
    c.advance_to(SimTime::from_secs(10));
    let logs = c.exec("kubectl logs pair");
    assert_eq!(logs.exit_code, 0, "{}", logs.stderr);
    assert_eq!(
        logs.stderr,
        "Defaulted container \"web\" out of: web, side\n"
    );
    let exec = c.exec("kubectl exec pair -- hostname");
    assert_eq!(exec.stdout, "pair\n");
    assert_eq!(
        exec.stderr,
        "Defaulted container \"web\" out of: web, side\n"
    );
}

#[test]
fn the_default_container_annotation_picks_the_container_silently() {
    let mut c = cluster();
    c.write_file(
        "/home/user/pair.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pair\n  annotations:\n    kubectl.kubernetes.io/default-container: side\nspec:\n  containers:\n  - name: web\n    image: gasbugs/http-go\n  - name: side\n    image: busybox\n    command: [\"sleep\", \"3600\"]\n",
    );
    ok(&mut c, "kubectl apply -f pair.yaml");
    c.advance_to(SimTime::from_secs(10));
    let exec = c.exec("kubectl exec pair -- hostname");
    assert_eq!((exec.stdout.as_str(), exec.stderr.as_str()), ("pair\n", ""));
}

#[test]
fn describe_prints_container_ports_the_same_way_for_pods_and_deployments() {
    let mut c = cluster();
    ok(
        &mut c,
        "kubectl create deployment web --image=nginx --port=80",
    );
    ok(&mut c, "kubectl run bare --image=nginx");
    c.advance_to(SimTime::from_secs(10));
    let deploy = ok(&mut c, "kubectl describe deploy web");
    assert!(
        deploy.contains("    Port:          80/TCP\n    Host Port:     0/TCP\n"),
        "{deploy}"
    );
    let pod = ok(&mut c, "kubectl describe pod bare");
    assert!(
        pod.contains("    Port:           <none>\n    Host Port:      <none>\n"),
        "{pod}"
    );
}

#[test]
fn a_pods_qos_class_follows_its_requests_and_limits_as_the_api_server_derives_it() {
    let mut c = cluster();
    let pod = |name: &str, resources: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: c\n    image: nginx\n{resources}"
        )
    };
    c.write_file("none.yaml", &pod("none", ""));
    c.write_file(
        "some.yaml",
        &pod(
            "some",
            "    resources:\n      requests:\n        cpu: 100m\n",
        ),
    );
    c.write_file(
        "full.yaml",
        &pod(
            "full",
            "    resources:\n      limits:\n        cpu: 250m\n        memory: 64Mi\n",
        ),
    );
    ok(
        &mut c,
        "kubectl apply -f none.yaml -f some.yaml -f full.yaml",
    );
    let qos = |c: &mut Cluster, name: &str| {
        ok(
            c,
            &format!("kubectl get pod {name} -o jsonpath='{{.status.qosClass}}'"),
        )
    };
    // Right after creation (scheduled, not started) as well as once running.
    assert_eq!(qos(&mut c, "full"), "Guaranteed");
    c.settle();
    assert_eq!(qos(&mut c, "none"), "BestEffort");
    assert_eq!(qos(&mut c, "some"), "Burstable");
    // Limits alone default the requests to the same values: Guaranteed.
    assert_eq!(qos(&mut c, "full"), "Guaranteed");
    let describe = ok(&mut c, "kubectl describe pod some");
    assert!(
        describe.contains("QoS Class:                   Burstable\n"),
        "{describe}"
    );
}
