//! The outside client through the student's terminal: `ssh client`, NodePort, LoadBalancer,
//! and the addresses that are unreachable from outside.

use crate::net::trace::Outcome;
use crate::{Cluster, ClusterConfig, Cni, LoadBalancer};

fn lab() -> Cluster {
    let mut c = Cluster::new(7, ClusterConfig { cni: Cni::Calico })
        .with_load_balancer(LoadBalancer::Metallb);
    for line in [
        "kubectl create deployment web --image=nginx --replicas=2",
        "kubectl expose deployment web --type=LoadBalancer --port=80",
    ] {
        let out = c.exec(line);
        assert_eq!(out.exit_code, 0, "{line}: {}", out.stderr);
    }
    c.settle();
    c
}

fn node_port(c: &mut Cluster) -> String {
    c.exec("kubectl get svc web -o jsonpath={.spec.ports[0].nodePort}")
        .stdout
}

#[test]
fn ssh_client_opens_the_outside_machine_and_exit_comes_back_to_master() {
    let mut c = lab();
    let out = c.exec("ssh client");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    assert_eq!(c.prompt(), "user@client:~$ ");
    assert_eq!(c.exec("hostname").stdout, "client\n");
    c.exec("exit");
    assert_eq!(c.prompt(), "user@master:~$ ");
    assert_eq!(c.exec("ssh 192.168.56.1").exit_code, 0);
    assert_eq!(c.prompt(), "user@client:~$ ");
}

#[test]
fn the_client_has_no_kubectl() {
    let mut c = lab();
    c.exec("ssh client");
    let out = c.exec("kubectl get pods");
    assert_eq!(out.exit_code, 127);
    assert!(
        out.stderr.contains("kubectl: command not found"),
        "{}",
        out.stderr
    );
}

#[test]
fn curl_to_a_node_port_from_outside_goes_through_kube_nodeports_with_snat() {
    let mut c = lab();
    let port = node_port(&mut c);
    c.exec("ssh client");
    let out = c.exec(&format!("curl -s 192.168.56.12:{port}"));
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Welcome to nginx!"), "{}", out.stdout);
    let trace = out.traces.first().map(|t| t.to_text()).unwrap_or_default();
    assert!(trace.contains("KUBE-NODEPORTS"), "{trace}");
    assert!(trace.contains("-j KUBE-MARK-MASQ"), "{trace}");
    assert!(trace.contains("MASQUERADE"), "{trace}");
}

#[test]
fn curl_to_the_load_balancer_address_arps_to_the_announcing_node_then_kube_ext() {
    let mut c = lab();
    c.exec("ssh client");
    let out = c.exec("curl -s 192.168.56.200");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Welcome to nginx!"));
    let trace = out.traces.first().map(|t| t.to_text()).unwrap_or_default();
    assert!(trace.contains("hop client -> worker1 (enp0s8)"), "{trace}");
    assert!(
        trace.contains(r#"--comment "default/web loadbalancer IP" -m tcp --dport 80 -j KUBE-EXT-"#),
        "{trace}"
    );
    assert!(trace.contains("dnat 192.168.56.200:80 -> "), "{trace}");
}

#[test]
fn the_client_arp_cache_maps_the_load_balancer_address_to_the_announcing_node_mac() {
    let mut c = lab();
    c.exec("ssh client");
    let neigh = c.exec("ip neigh").stdout;
    let mac_of = |ip: &str| {
        neigh
            .lines()
            .find(|l| l.starts_with(&format!("{ip} ")))
            .and_then(|l| l.split_whitespace().nth(4))
            .map(str::to_owned)
    };
    assert!(mac_of("192.168.56.200").is_some(), "{neigh}");
    assert_eq!(mac_of("192.168.56.200"), mac_of("192.168.56.11"), "{neigh}");
}

#[test]
fn an_unannounced_address_on_the_node_network_fails_with_no_route_to_host_after_arp() {
    let mut c = lab();
    c.exec("ssh client");
    let out = c.exec("curl -sS 192.168.56.201");
    assert_eq!(out.exit_code, 7);
    assert_eq!(
        out.stderr,
        "curl: (7) Failed to connect to 192.168.56.201 port 80 after 3053 ms: No route to host\n"
    );
    assert_eq!(
        out.traces.first().map(|t| t.outcome),
        Some(Outcome::NoRoute)
    );
}

#[test]
fn without_metallb_the_pending_service_has_no_address_to_reach_and_arp_fails() {
    let mut c = Cluster::new(7, ClusterConfig { cni: Cni::Calico });
    c.exec("kubectl create deployment web --image=nginx");
    c.exec("kubectl expose deployment web --type=LoadBalancer --port=80");
    c.settle();
    c.exec("ssh client");
    let out = c.exec("curl -sS 192.168.56.200");
    assert_eq!(out.exit_code, 7, "{}", out.stderr);
    assert!(out.stderr.contains("No route to host"), "{}", out.stderr);
}

#[test]
fn a_cluster_ip_is_unreachable_from_outside_and_curl_times_out() {
    let mut c = lab();
    let ip = c
        .exec("kubectl get svc web -o jsonpath={.spec.clusterIP}")
        .stdout;
    c.exec("ssh client");
    let out = c.exec(&format!("curl -sS -m 3 {ip}"));
    assert_eq!(out.exit_code, 28);
    assert_eq!(
        out.stderr,
        "curl: (28) Connection timed out after 3001 milliseconds\n"
    );
    let out = c.exec(&format!("curl -sS {ip}"));
    assert_eq!(out.exit_code, 7);
    assert!(
        out.stderr.starts_with(&format!(
            "curl: (7) Failed to connect to {ip} port 80 after "
        )) && out.stderr.ends_with(" ms: Connection timed out\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn external_traffic_policy_local_is_announced_from_a_node_with_an_endpoint() {
    // Flannel: Calico's default pool 192.168.0.0/16 contains the client's 192.168.56.1, so
    // kube-proxy (clusterCIDR = that pool) would take it for pod traffic and skip the Local
    // drop, as it really does on such a cluster.
    let mut c = Cluster::new(7, ClusterConfig { cni: Cni::Flannel })
        .with_load_balancer(LoadBalancer::Metallb);
    c.exec("kubectl create deployment one --image=nginx --replicas=1");
    c.write_file(
        "one.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: one\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector:\n    app: one\n  ports:\n  - port: 80\n",
    );
    assert_eq!(c.exec("kubectl apply -f one.yaml").exit_code, 0);
    c.settle();
    let node = c
        .exec("kubectl get pods -l app=one -o jsonpath={.items[0].spec.nodeName}")
        .stdout;
    let describe = c.exec("kubectl describe svc one").stdout;
    assert!(
        describe.contains(&format!("announcing from node \"{node}\"")),
        "{node}\n{describe}"
    );
    let port = c
        .exec("kubectl get svc one -o jsonpath={.spec.ports[0].nodePort}")
        .stdout;
    let other = if node == "worker1" {
        "192.168.56.12"
    } else {
        "192.168.56.11"
    };
    c.exec("ssh client");
    assert_eq!(c.exec("curl -s 192.168.56.200").exit_code, 0);
    // The NodePort on a node without a local endpoint drops (KUBE-SVL has no endpoint there).
    let out = c.exec(&format!("curl -sS -m 2 {other}:{port}"));
    assert_eq!(out.exit_code, 28, "{}", out.stderr);
}

#[test]
fn the_client_routes_only_the_host_only_network_itself_and_everything_else_by_default() {
    let mut c = lab();
    c.exec("ssh client");
    let route = c.exec("ip route").stdout;
    assert!(
        route.starts_with("default via 192.168.0.1 dev enp3s0"),
        "{route}"
    );
    assert!(
        route.contains("192.168.56.0/24 dev vboxnet0 proto kernel scope link src 192.168.56.1")
    );
    let addr = c.exec("ip addr").stdout;
    assert!(addr.contains("inet 192.168.56.1/24 brd 192.168.56.255 scope global vboxnet0"));
}

#[test]
fn curl_v_to_an_unanswered_address_repeats_the_verdict_and_closes_like_curl_7_8x() {
    let mut c = lab();
    c.exec("ssh client");
    let out = c.exec("curl -v 192.168.56.201");
    assert_eq!(out.exit_code, 7);
    assert_eq!(
        out.stderr,
        "*   Trying 192.168.56.201:80...\n\
         * connect to 192.168.56.201 port 80 failed: No route to host\n\
         * Failed to connect to 192.168.56.201 port 80 after 3053 ms: No route to host\n\
         * Closing connection 0\n\
         curl: (7) Failed to connect to 192.168.56.201 port 80 after 3053 ms: No route to host\n"
    );
}

#[test]
fn a_node_answers_the_client_s_ping_with_an_unrouted_ttl_and_a_load_balancer_address_does_not() {
    let mut c = lab();
    c.exec("ssh client");
    let out = c.exec("ping -c 1 192.168.56.11");
    assert_eq!(out.exit_code, 0);
    assert!(out.stdout.contains("ttl=64 "), "{}", out.stdout);
    let out = c.exec("ping -c 1 -W 1 192.168.56.200");
    assert_eq!(out.exit_code, 1, "{}", out.stdout);
    assert!(out.stdout.contains("100% packet loss"), "{}", out.stdout);
}
