//! The simulator against real binaries, recorded: the rules kube-proxy writes on `master` for
//! a LoadBalancer Service with MetalLB (plus a Service without endpoints) were loaded with
//! `iptables-restore` into a fresh network namespace and printed by the real
//! `iptables v1.8.9 (nf_tables)` (Debian bookworm). `testdata/real_iptables_save_lb.txt` is
//! that iptables-save (comment lines dropped), `testdata/real_iptables_list_lb.txt` the output
//! of eleven `iptables -L/-S` forms, each after a `====== COMMAND` marker line.

use crate::{Cluster, ClusterConfig, Cni, LoadBalancer};

const REAL_SAVE: &str = include_str!("testdata/real_iptables_save_lb.txt");
const REAL_LIST: &str = include_str!("testdata/real_iptables_list_lb.txt");

/// The session the recordings were made from (kubesim's default seed 0).
fn recorded_cluster() -> Cluster {
    let mut c = Cluster::new(0, ClusterConfig { cni: Cni::Calico })
        .with_load_balancer(LoadBalancer::Metallb);
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

#[test]
fn iptables_save_with_a_load_balancer_rule_is_what_real_iptables_printed_for_the_same_rules() {
    let mut c = recorded_cluster();
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
    assert_eq!(ours, REAL_SAVE);
}

#[test]
fn eleven_iptables_list_forms_print_byte_for_byte_what_real_iptables_printed() {
    let mut c = recorded_cluster();
    let mut sections = REAL_LIST.split("====== ").filter(|s| !s.is_empty());
    let mut count = 0;
    for section in sections.by_ref() {
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
