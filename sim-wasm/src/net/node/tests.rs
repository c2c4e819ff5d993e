use super::*;
use crate::net::dataplane::Network;
use crate::net::fixture::{FLANNEL, fixture};

const DOCKER_REFERENCE: &str = include_str!("../testdata/docker_ps_out.txt");
const CRICTL_REFERENCE: &str = include_str!("../testdata/crictl_emulated.txt");
const KUBEADM_NAT: &str = include_str!("../testdata/kubeadm_save_nat.txt");

fn jenkins_pod(now: i64) -> NodePod {
    NodePod {
        namespace: "blue".into(),
        name: "pod-jenkins-7c5ddbdf54-x7k2p".into(),
        uid: "1c6a7f0e-2b8e-4b4c-9d5a-3f0c2e6b7a91".into(),
        created_unix: now - 150,
        ready: true,
        containers: vec![("jenkins".into(), "jenkins/jenkins".into(), true)],
        restarts: 0,
    }
}

fn run_on(pods: &[NodePod], line: &str, as_root: bool, net_tools: bool) -> NodeOutput {
    let fixture = fixture();
    let net = Network {
        cni: FLANNEL,
        nodes: &fixture.nodes,
        pods: &fixture.pods,
        rules: &fixture.rules,
        dns: &fixture.dns,
        policy: None,
        forwards: &[],
        node_rules: &[],
        announced: &[],
    };
    let view = NodeView {
        node: &fixture.nodes[1],
        net: &net,
        pods,
        now_unix: 1_795_676_315,
        net_tools,
        is_control_plane: false,
    };
    let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    let mut rng = Rng::new(1);
    match run(&view, &mut rng, &argv, as_root) {
        Some(out) => out,
        None => panic!("{line}: not a node command"),
    }
}

/// Replaces every 12- or 13-character hex word by a same-width placeholder: container and
/// image IDs are illustrative in the references.
fn mask_ids(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            line.split(' ')
                .map(|word| {
                    let hex = word
                        .chars()
                        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
                    if hex && (word.len() == 12 || word.len() == 13) {
                        "#".repeat(word.len())
                    } else {
                        word.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn reference_block(text: &str, command: &str) -> String {
    let start = text
        .find(&format!("$ {command}\n"))
        .map(|i| i + command.len() + 3);
    let Some(start) = start else {
        panic!("{command} not in reference")
    };
    let rest = &text[start..];
    let end = rest.find("\n$ ").map_or(rest.len(), |i| i + 1);
    rest[..end].trim_end_matches('\n').to_owned() + "\n"
}

#[test]
fn docker_ps_lists_the_app_container_and_its_pause_sandbox_like_the_reference() {
    let pods = [jenkins_pod(1_795_676_315)];
    let out = run_on(&pods, "sudo docker ps", false, false);
    assert_eq!(
        mask_ids(&out.stdout),
        mask_ids(&reference_block(DOCKER_REFERENCE, "docker ps"))
    );
    let names = run_on(&pods, "sudo docker ps --format {{.Names}}", false, false);
    assert_eq!(
        names.stdout,
        reference_block(DOCKER_REFERENCE, "docker ps --format \"{{.Names}}\"")
    );
}

#[test]
fn docker_without_sudo_is_denied_the_socket() {
    let out = run_on(&[], "docker ps", false, false);
    assert_eq!(out.exit_code, 1);
    assert!(
        out.stderr
            .starts_with("permission denied while trying to connect to the Docker daemon socket")
    );
}

#[test]
fn one_pause_container_per_pod_on_the_node() {
    let mut second = jenkins_pod(1_795_676_315);
    second.name = "http-go-5c6f458dc9-wtpdq".into();
    second.namespace = "default".into();
    second.containers = vec![("http-go".into(), "gasbugs/http-go".into(), true)];
    let pods = [jenkins_pod(1_795_676_315), second];
    let out = run_on(&pods, "sudo docker ps", false, false);
    let pauses = out.stdout.lines().filter(|l| l.contains("pause")).count();
    assert_eq!(pauses, 2, "{}", out.stdout);
}

#[test]
fn crictl_pods_uses_crictls_column_widths() {
    let pods = [jenkins_pod(1_795_676_315)];
    let out = run_on(&pods, "sudo crictl pods", false, false);
    let reference = reference_block(CRICTL_REFERENCE, "crictl pods");
    let expected: String = reference
        .lines()
        .take(2)
        .map(|l| format!("{l}\n"))
        .collect();
    // The reference also lists a kube-proxy pod, which widens no column.
    assert_eq!(mask_ids(&out.stdout), mask_ids(&expected));
}

#[test]
fn iptables_save_needs_root_and_prints_kube_proxys_rules() {
    let denied = run_on(&[], "iptables-save -t nat", false, false);
    assert_eq!(denied.exit_code, 4);
    let out = run_on(&[], "sudo iptables-save -t nat", false, false);
    // The fixture adds one service to the reference scenario; every reference line is there.
    for line in KUBEADM_NAT
        .lines()
        .filter(|l| l.starts_with("-A ") || l.starts_with(':'))
    {
        assert!(out.stdout.contains(line), "missing {line}");
    }
    // Ubuntu 22.04's iptables 1.8.7 names the program as invoked and omits "(nf_tables)".
    assert!(
        out.stdout
            .starts_with("# Generated by iptables-save v1.8.7 on Thu Nov 26 06:58:35 2026\n*nat\n")
    );
    let nft = run_on(&[], "sudo iptables-nft-save -t nat", false, false);
    assert!(
        nft.stdout
            .starts_with("# Generated by iptables-nft-save v1.8.7 on ")
    );
    let bogus = run_on(&[], "sudo iptables-save -t bogus", false, false);
    assert_eq!(
        (bogus.stderr.as_str(), bogus.exit_code),
        ("Table `bogus' does not exist\n", 1)
    );
}

#[test]
fn the_courses_iptables_s_grep_finds_the_kubernetes_service_rules() {
    let out = run_on(&[], "sudo iptables -S -t nat", false, false);
    let hits: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains("10.96.0.1/"))
        .collect();
    assert_eq!(
        hits,
        [
            "-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y",
            "-A KUBE-SVC-NPX46M4PTMTKRN6Y ! -s 10.244.0.0/16 -d 10.96.0.1/32 -p tcp -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp --dport 443 -j KUBE-MARK-MASQ",
        ]
    );
    let listed = run_on(
        &[],
        "sudo iptables -t nat -nL KUBE-SERVICES --line-numbers",
        false,
        false,
    );
    assert!(listed.stdout.starts_with("Chain KUBE-SERVICES (2 references)\nnum  target     prot opt source               destination         \n1    KUBE-SVC-NPX46M4PTMTKRN6Y  tcp  --  0.0.0.0/0            10.96.0.1            /* default/kubernetes:https cluster IP */ tcp dpt:443\n"), "{}", listed.stdout);
    let missing = run_on(&[], "sudo iptables -t nat -L NOPE", false, false);
    assert_eq!(
        (missing.stderr.as_str(), missing.exit_code),
        (
            "iptables v1.8.7 (nf_tables): chain `NOPE' in table `nat' is incompatible, use 'nft' tool.\n\n",
            1
        )
    );
}

#[test]
fn net_tools_must_be_installed_and_the_seeds_misspelling_is_not_found() {
    let before = run_on(&[], "netstat -tnlp", false, false);
    assert_eq!(before.exit_code, 127);
    assert!(before.stderr.contains("sudo apt install net-tools"));
    let typo = run_on(&[], "sudo apt install net-itertools", false, false);
    assert_eq!(
        (typo.stderr.as_str(), typo.exit_code),
        ("E: Unable to locate package net-itertools\n", 100)
    );
    let install = run_on(&[], "sudo apt install -y net-tools", false, false);
    assert!(install.installed_net_tools && install.stdout.contains("Setting up net-tools"));
    let after = run_on(&[], "sudo netstat -tnlp", false, true);
    assert!(
        after
            .stdout
            .contains(":::10250                :::*                    LISTEN"),
        "{}",
        after.stdout
    );
    let routes = run_on(&[], "route -n", false, true);
    assert!(routes.stdout.contains("flannel.1"));
}

#[test]
fn curl_from_a_node_uses_ubuntus_curl_wording() {
    let out = run_on(&[], "curl 10.111.1.1", false, false);
    assert_eq!(
        out.stderr,
        "curl: (7) Failed to connect to 10.111.1.1 port 80 after 0 ms: Connection refused\n"
    );
}

#[test]
fn docker_inspect_shows_the_app_container_in_the_pause_containers_network_namespace() {
    let pods = [jenkins_pod(1_795_676_315)];
    let ids = run_on(&pods, "sudo docker ps -q", false, false).stdout;
    let ids: Vec<&str> = ids.lines().collect();
    let [app, pause] = ids.as_slice() else {
        panic!("two containers expected: {ids:?}")
    };
    let out = run_on(&pods, &format!("sudo docker inspect {app}"), false, false);
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
    let pause_full = run_on(
        &pods,
        &format!("sudo docker inspect -f {{{{.Id}}}} {pause}"),
        false,
        false,
    )
    .stdout;
    assert!(
        pause_full.starts_with(pause) && pause_full.len() == 65,
        "{pause_full}"
    );
    assert_eq!(
        doc[0]["HostConfig"]["NetworkMode"],
        format!("container:{}", pause_full.trim_end())
    );
    assert_eq!(
        doc[0]["Name"],
        "/k8s_jenkins_pod-jenkins-7c5ddbdf54-x7k2p_blue_1c6a7f0e-2b8e-4b4c-9d5a-3f0c2e6b7a91_0"
    );
    assert_eq!(doc[0]["Path"], "/usr/bin/tini");
    assert_eq!(doc[0]["State"]["Status"], "running");
    assert!(out.stdout.starts_with("[\n    {\n        \"Id\": \""));
    let mode = run_on(
        &pods,
        &format!("sudo docker inspect --format {{{{.HostConfig.NetworkMode}}}} {pause}"),
        false,
        false,
    );
    assert_eq!(mode.stdout, "none\n");
    let pid = run_on(
        &pods,
        &format!("sudo docker inspect -f {{{{.State.Pid}}}} {app}"),
        false,
        false,
    );
    assert_eq!(
        pid.stdout.trim_end(),
        doc[0]["State"]["Pid"].to_string(),
        "{}",
        pid.stdout
    );
}

#[test]
fn docker_inspect_of_an_unknown_object_prints_an_empty_array_and_fails() {
    let out = run_on(&[], "sudo docker inspect xyz", false, false);
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        ("[]\n", "Error: No such object: xyz\n", 1)
    );
}

#[test]
fn a_host_network_pod_s_sandbox_is_host_but_its_app_container_still_joins_the_sandbox() {
    // cri-dockerd: modifyHostOptionsForSandbox sets `host` for a hostNetwork sandbox, while
    // modifyHostOptionsForContainer always sets `container:<sandbox id>`.
    let mut c = crate::Cluster::new(
        1,
        crate::ClusterConfig {
            cni: crate::Cni::Calico,
        },
    );
    c.exec("ssh worker1");
    let names = c
        .exec("sudo docker ps --no-trunc --format '{{.ID}} {{.Names}}'")
        .stdout;
    let id_of = |prefix: &str| {
        names
            .lines()
            .find(|l| l.split(' ').nth(1).is_some_and(|n| n.starts_with(prefix)))
            .and_then(|l| l.split(' ').next())
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no {prefix} container in\n{names}"))
    };
    let sandbox = id_of("k8s_POD_kube-proxy-");
    let app = id_of("k8s_kube-proxy_kube-proxy-");
    let mut mode = |id: &str| {
        c.exec(&format!(
            "sudo docker inspect -f '{{{{.HostConfig.NetworkMode}}}}' {id}"
        ))
        .stdout
    };
    assert_eq!(mode(&sandbox), "host\n");
    assert_eq!(mode(&app), format!("container:{sandbox}\n"));
}
