//! Docker's and Flannel's rules: every line parses and prints back as written, in the order
//! the node shows them after kube-proxy's.

use super::*;
use crate::net::addr::Ipv4;
use crate::net::iptables::list_rules;

fn rules_of(ruleset: &Ruleset, table: TableKind) -> String {
    let Some(table) = ruleset.table(table) else {
        panic!("no {table:?} table");
    };
    match list_rules(table, None, false) {
        Ok(text) => text,
        Err(err) => panic!("{err}"),
    }
}

#[test]
fn every_docker_and_flannel_rule_parses_and_prints_back_exactly_as_written() {
    let block = Cidr::new(Ipv4::new(10, 244, 1, 0), 24);
    let (nat, filter) = flannel_rules(cni::pool(Cni::Flannel), block);
    let lines: Vec<String> = DOCKER_FILTER
        .iter()
        .chain(DOCKER_NAT)
        .map(|l| (*l).to_owned())
        .chain(nat)
        .chain(filter)
        .collect();
    for line in &lines {
        let (chain, rule) = match parse_rule(line) {
            Ok(parsed) => parsed,
            Err(err) => panic!("{line}: {err}"),
        };
        let printed = crate::net::iptables::rule_text(&chain, &rule);
        assert_eq!(&printed, line);
    }
}

#[test]
fn docker_rules_follow_kube_proxy_s_in_the_built_in_chains() {
    let mut ruleset = crate::net::kube_proxy::sync_rules(&[], &Default::default());
    add(
        &mut ruleset,
        Cni::Calico,
        Cidr::new(Ipv4::new(192, 168, 0, 0), 26),
    );
    let nat = rules_of(&ruleset, TableKind::Nat);
    let pre: Vec<&str> = nat
        .lines()
        .filter(|l| l.starts_with("-A PREROUTING"))
        .collect();
    assert_eq!(
        pre,
        [
            "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
            "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
        ]
    );
    assert!(nat.contains("-N DOCKER\n"), "{nat}");
    let filter = rules_of(&ruleset, TableKind::Filter);
    let forward: Vec<&str> = filter
        .lines()
        .filter(|l| l.starts_with("-A FORWARD"))
        .collect();
    assert_eq!(
        forward.last(),
        Some(&"-A FORWARD -i docker0 -o docker0 -j ACCEPT")
    );
    assert!(
        forward.first().is_some_and(|l| l.contains("KUBE-")),
        "{filter}"
    );
    assert!(filter.contains("-N DOCKER\n"), "{filter}");
    assert!(!filter.contains("FLANNEL"), "{filter}");
    assert!(!filter.contains("cali"), "{filter}");
}

#[test]
fn flannel_masquerades_with_the_node_s_own_lease_after_docker() {
    let mut ruleset = crate::net::kube_proxy::sync_rules(&[], &Default::default());
    add(
        &mut ruleset,
        Cni::Flannel,
        Cidr::new(Ipv4::new(10, 244, 2, 0), 24),
    );
    let nat = rules_of(&ruleset, TableKind::Nat);
    let post: Vec<&str> = nat
        .lines()
        .filter(|l| l.starts_with("-A POSTROUTING"))
        .collect();
    assert_eq!(
        post,
        [
            "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING",
            "-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE",
            "-A POSTROUTING -m comment --comment \"flanneld masq\" -j FLANNEL-POSTRTG",
        ]
    );
    assert!(nat.contains(
        "-A FLANNEL-POSTRTG -s 10.244.2.0/24 -d 10.244.0.0/16 -m comment --comment \"flanneld masq\" -j RETURN"
    ));
    let filter = rules_of(&ruleset, TableKind::Filter);
    assert!(filter.contains(
        "-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment \"flanneld forward\" -j ACCEPT"
    ));
}

#[test]
fn docker_s_bridge_rules_never_catch_pod_traffic_on_a_node() {
    use crate::{Cluster, ClusterConfig};
    for cni in [Cni::Calico, Cni::Flannel, Cni::WeaveNet] {
        let mut c = Cluster::new(3, ClusterConfig { cni });
        for line in [
            "kubectl create deployment web --image=nginx --replicas=3",
            "kubectl expose deployment web --port=80",
            "kubectl run client --image=curlimages/curl --command -- sleep 3600",
        ] {
            assert_eq!(c.exec(line).exit_code, 0, "{line}");
        }
        c.settle();
        let saved = c.exec("sudo iptables-save -t filter").stdout;
        assert!(
            saved.contains("-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP"),
            "{saved}"
        );
        for _ in 0..6 {
            let out = c.exec("kubectl exec client -- curl -s web");
            assert_eq!(out.exit_code, 0, "{cni:?}: {}", out.stderr);
            let trace = out.traces.first().map(|t| t.to_text()).unwrap_or_default();
            assert!(!trace.contains("DOCKER-ISOLATION-STAGE-2"), "{trace}");
        }
    }
}
