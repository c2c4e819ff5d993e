//! Issue 2's kubectl: nodes, namespaces, `create namespace`, `apply -f` of a Namespace, and
//! the client-side errors, byte for byte.

use crate::real_kubectl::{kubectl, scratch};
use crate::support::{cluster, fails, ok, run};
use sim_wasm::{Cluster, ClusterConfig, Cni};

#[test]
fn get_nodes_shows_the_three_kubeadm_nodes_ten_days_old() {
    let mut c = cluster();
    assert_eq!(
        ok(&mut c, "kubectl get nodes"),
        "NAME      STATUS   ROLES           AGE   VERSION\n\
         master    Ready    control-plane   10d   v1.32.4\n\
         worker1   Ready    <none>          10d   v1.32.4\n\
         worker2   Ready    <none>          10d   v1.32.4\n"
    );
}

#[test]
fn get_nodes_wide_adds_addresses_os_kernel_and_runtime() {
    let mut c = cluster();
    assert_eq!(
        ok(&mut c, "kubectl get nodes -o wide"),
        "NAME      STATUS   ROLES           AGE   VERSION   INTERNAL-IP     EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION       CONTAINER-RUNTIME\n\
         master    Ready    control-plane   10d   v1.32.4   192.168.56.10   <none>        Ubuntu 22.04.5 LTS   5.15.0-140-generic   docker://27.5.1\n\
         worker1   Ready    <none>          10d   v1.32.4   192.168.56.11   <none>        Ubuntu 22.04.5 LTS   5.15.0-140-generic   docker://27.5.1\n\
         worker2   Ready    <none>          10d   v1.32.4   192.168.56.12   <none>        Ubuntu 22.04.5 LTS   5.15.0-140-generic   docker://27.5.1\n"
    );
}

#[test]
fn namespaces_list_like_the_fidelity_transcript_after_creating_blue() {
    let mut c = cluster();
    assert_eq!(
        ok(&mut c, "kubectl create namespace blue"),
        "namespace/blue created\n"
    );
    c.advance_to(sim_wasm::SimTime::from_secs(47));
    assert_eq!(
        ok(&mut c, "kubectl get ns"),
        "NAME              STATUS   AGE\n\
         blue              Active   47s\n\
         default           Active   10d\n\
         kube-node-lease   Active   10d\n\
         kube-public       Active   10d\n\
         kube-system       Active   10d\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl get ns blue"),
        "NAME   STATUS   AGE\nblue   Active   47s\n"
    );
}

#[test]
fn creating_a_namespace_twice_is_already_exists_with_exit_one() {
    let mut c = cluster();
    ok(&mut c, "kubectl create ns blue");
    assert_eq!(
        run(&mut c, "kubectl create namespace blue"),
        (
            String::new(),
            "Error from server (AlreadyExists): namespaces \"blue\" already exists\n".to_owned(),
            1
        )
    );
}

#[test]
fn apply_of_a_namespace_is_created_then_unchanged_then_configured() {
    let mut c = cluster();
    c.write_file(
        "blue.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n",
    );
    assert_eq!(
        ok(&mut c, "kubectl apply -f blue.yaml"),
        "namespace/blue created\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl apply -f blue.yaml"),
        "namespace/blue unchanged\n"
    );
    c.write_file(
        "blue.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n  labels:\n    team: blue\n",
    );
    assert_eq!(
        ok(&mut c, "kubectl apply -f blue.yaml"),
        "namespace/blue configured\n"
    );
    let yaml = ok(&mut c, "kubectl get ns blue -o yaml");
    assert!(
        yaml.contains("    kubectl.kubernetes.io/last-applied-configuration: |\n      {\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"annotations\":{},\"labels\":{\"team\":\"blue\"},\"name\":\"blue\"}}\n"),
        "{yaml}"
    );
    assert!(yaml.contains("    team: blue\n"), "{yaml}");
}

#[test]
fn apply_dry_run_client_says_so_and_changes_nothing() {
    let mut c = cluster();
    c.write_file(
        "blue.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n",
    );
    assert_eq!(
        ok(&mut c, "kubectl apply -f blue.yaml --dry-run=client"),
        "namespace/blue created (dry run)\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl get ns blue"),
        "Error from server (NotFound): namespaces \"blue\" not found\n"
    );
}

#[test]
fn apply_to_a_namespace_made_by_create_warns_about_the_missing_annotation() {
    let mut c = cluster();
    ok(&mut c, "kubectl create namespace blue");
    c.write_file(
        "blue.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n",
    );
    let (out, err, code) = run(&mut c, "kubectl apply -f blue.yaml");
    assert_eq!((out.as_str(), code), ("namespace/blue configured\n", 0));
    assert_eq!(
        err,
        "Warning: resource namespaces/blue is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n"
    );
}

#[test]
fn not_found_errors_name_the_qualified_resource() {
    let mut c = cluster();
    for (line, expected) in [
        (
            "kubectl get ns nosuch",
            "Error from server (NotFound): namespaces \"nosuch\" not found\n",
        ),
        (
            "kubectl get pod nosuch",
            "Error from server (NotFound): pods \"nosuch\" not found\n",
        ),
        (
            "kubectl get deploy nosuch -n blue",
            "Error from server (NotFound): deployments.apps \"nosuch\" not found\n",
        ),
        (
            "kubectl get svc nosuch",
            "Error from server (NotFound): services \"nosuch\" not found\n",
        ),
        (
            "kubectl describe svc nosuch",
            "Error from server (NotFound): services \"nosuch\" not found\n",
        ),
        (
            "kubectl delete pod nosuch",
            "Error from server (NotFound): pods \"nosuch\" not found\n",
        ),
        (
            "kubectl get foo",
            "error: the server doesn't have a resource type \"foo\"\n",
        ),
        (
            "kubectl apply -f manifests/nonexistent.yaml",
            "error: the path \"manifests/nonexistent.yaml\" does not exist\n",
        ),
        (
            "kubectl create -f nothing.yaml",
            "error: the path \"nothing.yaml\" does not exist\n",
        ),
    ] {
        assert_eq!(fails(&mut c, line), expected, "{line}");
    }
}

#[test]
fn empty_lists_say_no_resources_found_on_stderr_with_exit_zero() {
    let mut c = cluster();
    assert_eq!(
        run(&mut c, "kubectl get pods"),
        (
            String::new(),
            "No resources found in default namespace.\n".to_owned(),
            0
        )
    );
    assert_eq!(
        run(&mut c, "kubectl get deploy -n empty"),
        (
            String::new(),
            "No resources found in empty namespace.\n".to_owned(),
            0
        )
    );
    assert_eq!(
        run(&mut c, "kubectl get pods -l app=nothing -A"),
        (String::new(), "No resources found\n".to_owned(), 0)
    );
}

/// Client-side errors that the real kubectl prints without a server.
const OFFLINE_ERRORS: &[&str] = &[
    "foo",
    "xyzzy",
    "gett pods",
    "ap",
    "ex",
    "co",
    "de",
    "get --bogus",
    "get -z",
    "get pods -n",
    "get pods --namespace",
    "get",
    "create",
    "apply",
    "apply -f",
    "create namespace",
    "create namespace a b",
    "create deployment x --image=nginx --bogus",
    "expose",
    "delete",
    "logs",
    "exec x",
    "describe",
    "label",
    "create namespace x --dry-run=client -o bogus",
    "create namespace x --dry-run=maybe",
    "create deployment x --image=nginx --replicas=abc --dry-run=client",
    "create service clusterip s --dry-run=client",
    "create service nodeport s --tcp=abc --dry-run=client",
    "create configmap c --from-literal=novalue --dry-run=client",
    "create service bogus s",
    "create service",
    "create bogus x",
];

#[test]
fn client_side_errors_match_the_real_kubectl_byte_for_byte() {
    let dir = scratch("offline-errors");
    let mut mismatches = Vec::new();
    for line in OFFLINE_ERRORS {
        let args: Vec<&str> = line.split_whitespace().collect();
        let (real_out, real_err, real_code) = kubectl(&dir, &args);
        let mut c = cluster();
        let (out, err, code) = run(&mut c, &format!("kubectl {line}"));
        if (out.as_str(), err.as_str(), code) != (real_out.as_str(), real_err.as_str(), real_code) {
            mismatches.push(format!(
                "kubectl {line}\n  real: {real_code} {real_out:?} {real_err:?}\n  ours: {code} {out:?} {err:?}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn the_same_seed_prints_the_same_bytes_and_another_seed_differs() {
    let session = |seed| {
        let mut c = Cluster::new(seed, ClusterConfig { cni: Cni::Calico });
        let mut all = String::new();
        for line in [
            "kubectl create deployment web --image=nginx --replicas=3",
            "kubectl expose deployment web --port=80 --type=NodePort",
            "kubectl get pods -o wide -A",
            "kubectl get svc",
        ] {
            all.push_str(&c.exec(line).stdout);
        }
        c.settle();
        all.push_str(&c.exec("kubectl get pods -o wide").stdout);
        all
    };
    assert_eq!(session(1), session(1));
    assert_ne!(session(1), session(2));
}

#[test]
fn every_cni_bootstraps_running_system_pods() {
    for cni in [Cni::Calico, Cni::Flannel, Cni::WeaveNet] {
        let mut c = Cluster::new(3, ClusterConfig { cni });
        let pods = ok(&mut c, "kubectl get pods -A");
        assert!(
            !pods.contains("Pending") && !pods.contains("ContainerCreating"),
            "{cni:?}\n{pods}"
        );
        let expected = match cni {
            Cni::Calico => "calico-node-",
            Cni::Flannel => "kube-flannel-ds-",
            Cni::WeaveNet => "weave-net-",
        };
        assert_eq!(pods.matches(expected).count(), 3, "{cni:?}\n{pods}");
        assert_eq!(pods.matches("kube-proxy-").count(), 3, "{pods}");
        assert_eq!(pods.matches("coredns-668d6bf9bc-").count(), 2, "{pods}");
        for static_pod in [
            "etcd-master",
            "kube-apiserver-master",
            "kube-controller-manager-master",
            "kube-scheduler-master",
        ] {
            assert!(pods.contains(static_pod), "{pods}");
        }
    }
}

#[test]
fn flannel_pods_get_addresses_from_their_nodes_slash_24() {
    let mut c = Cluster::new(3, ClusterConfig { cni: Cni::Flannel });
    ok(
        &mut c,
        "kubectl create deployment web --image=nginx --replicas=4",
    );
    c.settle();
    let wide = ok(&mut c, "kubectl get pods -o wide");
    for line in wide.lines().skip(1) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let (ip, node) = (cells[5], cells[6]);
        let expected_prefix = match node {
            "worker1" => "10.244.1.",
            "worker2" => "10.244.2.",
            other => panic!("pod scheduled on {other}: {wide}"),
        };
        assert!(ip.starts_with(expected_prefix), "{line}");
    }
}

#[test]
fn system_services_and_endpoints_exist() {
    let mut c = cluster();
    assert_eq!(
        ok(&mut c, "kubectl get svc -A"),
        "NAMESPACE     NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\n\
         default       kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP                  10d\n\
         kube-system   kube-dns     ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   10d\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl get endpoints"),
        "NAME         ENDPOINTS            AGE\nkubernetes   192.168.56.10:6443   10d\n"
    );
}

#[test]
fn version_and_cluster_info_answer_like_a_1_32_cluster() {
    let mut c = cluster();
    assert_eq!(
        ok(&mut c, "kubectl version"),
        "Client Version: v1.32.4\nKustomize Version: v5.5.0\nServer Version: v1.32.4\n"
    );
    let info = ok(&mut c, "kubectl cluster-info");
    assert!(info.contains("https://192.168.56.10:6443"), "{info}");
    assert!(info.ends_with(
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    ));
}

#[test]
fn get_watch_prints_the_list_now_and_a_hint_instead_of_holding_the_terminal() {
    let mut c = cluster();
    ok(&mut c, "kubectl run web --image=nginx");
    let (out, err, code) = run(&mut c, "kubectl get pods -w");
    assert_eq!((err.as_str(), code), ("", 0));
    let (table, hint) = out.split_once("힌트: ").expect("a hint follows the table");
    assert!(table.starts_with("NAME   READY   STATUS"), "{table}");
    assert!(table.contains("\nweb    0/1"), "{table}");
    assert!(hint.contains("Ctrl+C"), "{hint}");
    let (out, _, code) = run(&mut c, "kubectl get pods --watch-only");
    assert_eq!(code, 0);
    assert!(out.starts_with("힌트: "), "{out}");
}
