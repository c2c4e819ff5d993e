//! The dataplane through the public API: the seed's `kubectl exec ... -- curl`, node shells
//! (`ssh`, `sudo docker ps | grep pause`, `iptables -S`), and kube-proxy's rules following
//! `kubectl scale`.

use sim_wasm::Cluster;

use crate::support::{cluster, ok, run};

fn pods_on(c: &mut Cluster, node: &str) -> Vec<String> {
    let wide = ok(c, "kubectl get pods -A -o wide --no-headers");
    wide.lines()
        .filter(|l| l.split_whitespace().nth(7) == Some(node))
        .filter_map(|l| l.split_whitespace().nth(1).map(str::to_owned))
        .collect()
}

fn seed_cluster() -> (Cluster, String) {
    let mut c = cluster();
    ok(&mut c, "kubectl create namespace blue");
    ok(
        &mut c,
        "kubectl create deployment pod-jenkins --image=jenkins/jenkins -n blue",
    );
    ok(
        &mut c,
        "kubectl expose deployment pod-jenkins --name srv-jenkins --port 8080 -n blue",
    );
    ok(
        &mut c,
        "kubectl create deployment http-go --image=gasbugs/http-go",
    );
    c.settle();
    let name = ok(&mut c, "kubectl get pods -l app=http-go -o name");
    let pod = name.trim().trim_start_matches("pod/").to_owned();
    (c, pod)
}

#[test]
fn curl_from_an_http_go_pod_returns_the_jenkins_page() {
    let (mut c, pod) = seed_cluster();
    let out = c.exec(&format!(
        "kubectl exec {pod} -- curl srv-jenkins.blue:8080 -s"
    ));
    assert_eq!(out.exit_code, 0, "{out:?}");
    assert!(
        out.stdout.contains("Authentication required"),
        "{}",
        out.stdout
    );
    assert_eq!(out.traces.len(), 1);
}

#[test]
fn a_missing_binary_is_the_runtimes_error_and_kubectls_exit_line() {
    let (mut c, _) = seed_cluster();
    ok(&mut c, "kubectl run bb --image=busybox -- sleep 3600");
    c.settle();
    let (out, err, code) = run(&mut c, "kubectl exec bb -- curl srv-jenkins.blue:8080");
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        (
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"curl\": executable file not found in $PATH: unknown\n",
            "command terminated with exit code 126\n",
            126
        )
    );
}

#[test]
fn docker_ps_on_a_worker_shows_one_pause_container_per_pod_on_that_worker() {
    let (mut c, _) = seed_cluster();
    let expected = pods_on(&mut c, "worker1").len();
    ok(&mut c, "ssh worker1");
    let listing = ok(&mut c, "sudo docker ps | grep \"pause\"");
    assert_eq!(listing.lines().count(), expected, "{listing}");
    assert!(
        listing
            .lines()
            .all(|l| l.contains("registry.k8s.io/pause:3.10") && l.contains(" k8s_POD_"))
    );
    assert_eq!(ok(&mut c, "hostname"), "worker1\n");
    ok(&mut c, "exit");
    assert_eq!(ok(&mut c, "hostname"), "master\n");
}

#[test]
fn the_courses_iptables_grep_shows_the_kubernetes_service() {
    let mut c = cluster();
    let out = ok(&mut c, "sudo iptables -S -t nat | grep 10.96.0.1/");
    assert!(out.starts_with("-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y\n"), "{out}");
}

#[test]
fn scaling_changes_the_rules_kube_proxy_writes() {
    let (mut c, _) = seed_cluster();
    let count = |c: &mut Cluster| {
        ok(c, "sudo iptables-save -t nat")
            .lines()
            .filter(|l| l.starts_with("-A KUBE-SVC-CM4I76BVLZUIAEZ5 -m comment"))
            .count()
    };
    assert_eq!(count(&mut c), 1);
    ok(
        &mut c,
        "kubectl scale deployment pod-jenkins --replicas=3 -n blue",
    );
    c.settle();
    assert_eq!(count(&mut c), 3);
}

#[test]
fn net_tools_come_from_apt_and_the_seeds_misspelling_is_not_found() {
    let mut c = cluster();
    let (_, err, code) = run(&mut c, "sudo apt install net-itertools");
    assert_eq!(
        (err.as_str(), code),
        ("E: Unable to locate package net-itertools\n", 100)
    );
    assert_eq!(run(&mut c, "netstat -tnlp").2, 127);
    ok(&mut c, "sudo apt install net-tools");
    assert!(ok(&mut c, "sudo netstat -tnlp").contains(":::6443"));
}

#[test]
fn a_pods_resolv_conf_names_the_cluster_dns() {
    let (mut c, pod) = seed_cluster();
    let out = ok(
        &mut c,
        &format!("kubectl exec {pod} -- cat /etc/resolv.conf"),
    );
    assert_eq!(
        out,
        "nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n"
    );
}

#[test]
fn ip_on_a_node_honours_the_device_and_the_family() {
    let mut c = cluster();
    let full = ok(&mut c, "ip addr show tunl0");
    assert!(
        full.starts_with("5: tunl0@NONE: <NOARP,UP,LOWER_UP> mtu 1480"),
        "{full}"
    );
    assert_eq!(full.lines().count(), 4, "{full}");
    assert_eq!(ok(&mut c, "ip addr show dev tunl0"), full);
    assert_eq!(ok(&mut c, "ip a s tunl0"), full);
    let v4 = ok(&mut c, "ip -4 addr show tunl0");
    assert!(
        !v4.contains("link/ipip") && v4.contains("    inet 192.168."),
        "{v4}"
    );
    let link = ok(&mut c, "ip link show tunl0");
    assert_eq!(link.lines().count(), 2, "{link}");
    assert!(link.contains("link/ipip"), "{link}");
    let enp = ok(&mut c, "ip a s enp0s3");
    assert!(
        enp.starts_with("2: enp0s3:") && !enp.contains("tunl0"),
        "{enp}"
    );
    let routes = ok(&mut c, "ip route show dev tunl0");
    assert!(
        routes
            .lines()
            .all(|l| l.contains(" proto bird onlink") && !l.contains(" dev ")),
        "{routes}"
    );
    assert_eq!(
        run(&mut c, "ip addr show foo"),
        (
            String::new(),
            "Device \"foo\" does not exist.\n".to_owned(),
            1
        )
    );
    assert_eq!(run(&mut c, "ip link show foo").2, 1);
}

#[test]
fn ip_in_a_busybox_pod_honours_the_device_and_names_a_missing_one() {
    let mut c = cluster();
    ok(&mut c, "kubectl run bb --image=busybox -- sleep 3600");
    c.settle();
    let eth0 = ok(&mut c, "kubectl exec bb -- ip a s eth0");
    assert!(
        eth0.starts_with("4: eth0@if") && !eth0.contains(" lo:"),
        "{eth0}"
    );
    assert_eq!(
        ok(&mut c, "kubectl exec bb -- ip route show dev eth0"),
        "default via 169.254.1.1 \n169.254.1.1 scope link \n"
    );
    let (_, err, code) = run(&mut c, "kubectl exec bb -- ip addr show foo");
    assert_eq!(code, 1);
    assert!(err.starts_with("ip: can't find device 'foo'\n"), "{err}");
}

#[test]
fn ssh_with_a_command_runs_it_on_the_node_and_stays_here() {
    let (mut c, _) = seed_cluster();
    assert_eq!(ok(&mut c, "ssh worker1 hostname"), "worker1\n");
    assert_eq!(c.prompt(), "user@master:~$ ");
    // The remote output feeds a local pipe, and a quoted command expands locally first.
    let rules = ok(
        &mut c,
        "ssh worker2 sudo iptables-save -t nat | grep -c 'KUBE-SERVICES -d 10.96.0.1/32'",
    );
    assert_eq!(rules, "1\n");
    assert_eq!(
        ok(&mut c, "NODE=worker1; ssh $NODE \"echo on $NODE\""),
        "on worker1\n"
    );
    let (out, err, code) = run(&mut c, "ssh worker1 nosuchcmd");
    assert_eq!((out.as_str(), code), ("", 127));
    assert_eq!(err, "bash: nosuchcmd: command not found\n");
    assert_eq!(c.prompt(), "user@master:~$ ");
}
