use super::*;
use crate::net::fixture::{FLANNEL, fixture};

fn exec_line(namespace: &str, pod: &str, image: &str, line: &str) -> Option<ContainerOutput> {
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
    let Some(pod) = net.pod(namespace, pod) else {
        panic!("no pod {namespace}/{pod}")
    };
    let ports = [("https".to_owned(), Protocol::Tcp, 443)];
    let service_env = service_env(&[EnvService {
        name: "kubernetes",
        cluster_ip: Ipv4::new(10, 96, 0, 1),
        ports: &ports,
    }]);
    let view = ContainerView {
        net: &net,
        pod,
        container: "main",
        image,
        env: &[],
        service_env: &service_env,
        tty: false,
        now_unix: crate::time::EPOCH_UNIX_SECONDS,
        files: None,
    };
    let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    let mut rng = Rng::new(4);
    super::exec(&view, &mut rng, &argv)
}

#[test]
fn an_image_without_curl_gives_the_runtimes_exec_error() {
    let Some(out) = exec_line("blue", "client", "busybox", "curl srv-jenkins.blue:8080") else {
        panic!("handled")
    };
    assert_eq!(
        (out.stdout.as_str(), out.exit_code),
        (
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"curl\": executable file not found in $PATH: unknown\n",
            126
        )
    );
}

#[test]
fn http_go_has_curl_and_reaches_jenkins_through_the_service() {
    let Some(out) = exec_line(
        "default",
        "http-go-a",
        "gasbugs/http-go:v1",
        "curl srv-jenkins.blue:8080 -s",
    ) else {
        panic!("handled")
    };
    assert_eq!(
        (out.stdout.as_str(), out.exit_code),
        ("Welcome! pod-jenkins\n", 0)
    );
}

#[test]
fn the_pods_resolv_conf_and_hosts_are_kubelets() {
    let Some(out) = exec_line(
        "blue",
        "client",
        "busybox",
        "cat /etc/resolv.conf /etc/hosts",
    ) else {
        panic!("handled")
    };
    assert!(out.stdout.starts_with("nameserver 10.96.0.10\nsearch blue.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n# Kubernetes-managed hosts file.\n"));
    assert!(out.stdout.ends_with("10.244.1.10\tclient\n"));
}

#[test]
fn ip_addr_inside_a_pod_shows_lo_and_one_eth0_with_the_pod_ip() {
    let Some(out) = exec_line("blue", "client", "busybox", "ip addr") else {
        panic!("handled")
    };
    let names: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split(": ").nth(1))
        .collect();
    assert_eq!(names, ["lo", "eth0@if9"]);
    assert!(
        out.stdout
            .contains("inet 10.244.1.10/24 brd 10.244.1.255 scope global eth0")
    );
}

#[test]
fn env_lists_the_kubernetes_service_variables() {
    let Some(out) = exec_line("blue", "client", "busybox", "env") else {
        panic!("handled")
    };
    assert!(out.stdout.contains("HOSTNAME=client\nKUBERNETES_SERVICE_HOST=10.96.0.1\nKUBERNETES_SERVICE_PORT=443\nKUBERNETES_SERVICE_PORT_HTTPS=443\nKUBERNETES_PORT=tcp://10.96.0.1:443\nKUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443\n"), "{}", out.stdout);
}

#[test]
fn busybox_nslookup_inside_a_pod_follows_its_version() {
    let Some(out) = exec_line(
        "blue",
        "client",
        "busybox:1.28",
        "nslookup srv-jenkins.blue",
    ) else {
        panic!("handled")
    };
    assert_eq!(out.exit_code, 0);
    let Some(latest) = exec_line("blue", "client", "busybox", "nslookup srv-jenkins.blue") else {
        panic!("handled")
    };
    assert_eq!(latest.exit_code, 1);
}

#[test]
fn sh_c_runs_the_command_and_reports_missing_programs_like_sh() {
    let Some(out) = exec_line("blue", "client", "busybox", "sh -c hostname") else {
        panic!("handled")
    };
    assert_eq!(out.stdout, "client\n");
    let Some(missing) = exec_line("blue", "client", "busybox", "sh -c curl") else {
        panic!("handled")
    };
    assert_eq!(
        (missing.stderr.as_str(), missing.exit_code),
        ("sh: curl: not found\n", 127)
    );
}

#[test]
fn nslookup_leaves_a_trace_of_every_question() {
    let Some(out) = exec_line("blue", "client", "busybox", "nslookup srv-jenkins") else {
        panic!("handled")
    };
    let trace = &out.traces[0];
    let queries = trace
        .steps
        .iter()
        .filter(|s| matches!(s.kind, crate::net::trace::StepKind::DnsQuery { .. }))
        .count();
    // A and AAAA for each of the three search domains.
    assert_eq!(queries, 6);
    assert_eq!(trace.outcome, crate::net::trace::Outcome::Resolved);
    assert_eq!(out.exit_code, 1);
}
