//! The simulator against real binaries, recorded: the rules on `master` (kube-proxy's for a
//! LoadBalancer Service with MetalLB and a Service without endpoints, then Docker's and, with
//! Flannel, Flannel's) were loaded with `iptables-restore` into a fresh network namespace and
//! printed by a real `iptables v1.8.7 (nf_tables)` (Debian bullseye's 1.8.7-1, the version
//! family of the nodes' Ubuntu 22.04; the rule text is the same with 1.8.9, but 1.8.7 names
//! protocols in `-L -n` where 1.8.9 prints numbers).
//! `testdata/real_iptables_save_CNI.txt` is that iptables-save (comment lines dropped),
//! `testdata/real_iptables_list_CNI.txt` the output of eleven `iptables -L/-S` forms, each
//! after a `====== COMMAND` marker line.

use crate::{Cluster, ClusterConfig, Cni, LoadBalancer};

/// The session the recordings were made from (kubesim's default seed 0).
fn recorded_cluster(cni: Cni) -> Cluster {
    let mut c = Cluster::new(0, ClusterConfig { cni }).with_load_balancer(LoadBalancer::Metallb);
    for line in [
        "kubectl create deployment web --image=nginx --replicas=2",
        "kubectl expose deployment web --type=LoadBalancer --port=80",
        "kubectl create service clusterip empty --tcp=8080:8080",
        "sleep 30",
    ] {
        let out = c.exec(line);
        assert_eq!(out.exit_code, 0, "{line}: {}", out.stderr);
    }
    c
}

fn save_matches(cni: Cni, real: &str) {
    let mut c = recorded_cluster(cni);
    let out = c.exec("sudo iptables-save");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    let ours: String = out
        .stdout
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(
        ours.contains("--comment \"default/web loadbalancer IP\""),
        "{ours}"
    );
    assert!(ours.contains("-A FORWARD -j DOCKER-USER\n"), "{ours}");
    assert_eq!(ours, real);
}

fn lists_match(cni: Cni, real: &str) {
    let mut c = recorded_cluster(cni);
    let mut count = 0;
    for section in real.split("====== ").filter(|s| !s.is_empty()) {
        let Some((command, expected)) = section.split_once('\n') else {
            panic!("a section without a command line: {section}");
        };
        let out = c.exec(&format!("sudo {command}"));
        assert_eq!(out.exit_code, 0, "{command}: {}", out.stderr);
        assert_eq!(out.stdout, expected, "{command}");
        count += 1;
    }
    assert_eq!(count, 11);
}

#[test]
fn calico_node_iptables_save_is_what_real_iptables_printed_for_the_same_rules() {
    save_matches(
        Cni::Calico,
        include_str!("testdata/real_iptables_save_calico.txt"),
    );
}

#[test]
fn calico_node_eleven_iptables_list_forms_print_byte_for_byte_what_real_iptables_printed() {
    lists_match(
        Cni::Calico,
        include_str!("testdata/real_iptables_list_calico.txt"),
    );
}

#[test]
fn flannel_node_iptables_save_with_flannel_s_chains_is_what_real_iptables_printed() {
    let real = include_str!("testdata/real_iptables_save_flannel.txt");
    assert!(
        real.contains("-A POSTROUTING -m comment --comment \"flanneld masq\" -j FLANNEL-POSTRTG")
    );
    save_matches(Cni::Flannel, real);
}

#[test]
fn flannel_node_eleven_iptables_list_forms_print_byte_for_byte_what_real_iptables_printed() {
    lists_match(
        Cni::Flannel,
        include_str!("testdata/real_iptables_list_flannel.txt"),
    );
}
