use super::*;
use crate::net::dataplane::PodNet;
use crate::net::fixture::{FLANNEL, fixture};
use crate::net::trace::StepKind;

const CURL_REFERENCE: &str = include_str!("../testdata/curl_out_clean.txt");

fn argv(line: &str) -> Vec<String> {
    // Enough shell for the test lines: single-quoted words stay together.
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

struct Lab {
    fixture: crate::net::fixture::Fixture,
    cni: crate::net::cni::Cni,
    deny_all: bool,
}

impl Lab {
    fn new() -> Lab {
        Lab {
            fixture: fixture(),
            cni: FLANNEL,
            deny_all: false,
        }
    }

    fn run(&self, rng: &mut Rng, source: Source, line: &str) -> ClientOutput {
        let deny = |_: Option<&PodNet>, _, _: &PodNet, _, _| false;
        let net = Network {
            cni: self.cni,
            nodes: &self.fixture.nodes,
            pods: &self.fixture.pods,
            rules: &self.fixture.rules,
            dns: &self.fixture.dns,
            policy: if self.deny_all { Some(&deny) } else { None },
            forwards: &[],
            node_rules: &[],
            announced: &[],
        };
        let ctx = ClientContext {
            net: &net,
            source,
            tty: false,
            now_unix: crate::time::EPOCH_UNIX_SECONDS,
        };
        let args = argv(line);
        match args.first().map(String::as_str) {
            Some("curl") => curl(&ctx, rng, CurlFlavor::Bookworm, &args),
            Some("wget") => wget(&ctx, rng, &args),
            Some("nc") => nc(&ctx, rng, &args),
            Some("ping") => ping(&ctx, rng, PingFlavor::Busybox, &args),
            _ => panic!("unknown client in {line}"),
        }
    }

    fn run_in_blue(&self, line: &str) -> ClientOutput {
        let mut rng = Rng::new(7);
        self.run(&mut rng, blue_client(), line)
    }
}

fn blue_client() -> Source {
    Source::Pod {
        namespace: "blue".into(),
        name: "client".into(),
    }
}

/// The reference transcript's lines for one command, without its `[exit N]` line.
fn reference_lines() -> Vec<&'static str> {
    CURL_REFERENCE.lines().collect()
}

#[test]
fn the_seeds_exercise_curl_srv_jenkins_dot_blue_returns_the_page() {
    let out = Lab::new().run_in_blue("curl -sS srv-jenkins.blue:8080");
    assert_eq!(
        (out.stdout.as_str(), out.exit_code),
        ("Welcome! pod-jenkins\n", 0)
    );
    assert!(reference_lines().contains(&"Welcome! pod-jenkins"));
    let trace = &out.traces[0];
    assert_eq!(trace.outcome, Outcome::Connected);
    let kinds: Vec<&StepKind> = trace.steps.iter().map(|s| &s.kind).collect();
    assert!(
        matches!(kinds[0], StepKind::DnsQuery { name, .. } if name == "srv-jenkins.blue.blue.svc.cluster.local")
    );
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, StepKind::RuleMatched { chain, rule, .. }
        if chain == "KUBE-SERVICES" && rule.contains("-j KUBE-SVC-CM4I76BVLZUIAEZ5")))
    );
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, StepKind::Dnat { from, .. } if from == "10.107.20.30:8080"))
    );
    assert!(matches!(kinds.last(), Some(StepKind::Accept { .. })));
}

#[test]
fn a_service_without_endpoints_is_refused_immediately_with_curls_text() {
    let lab = Lab::new();
    let by_ip = lab.run_in_blue("curl -sS 10.111.1.1:80");
    let expected =
        "curl: (7) Failed to connect to 10.111.1.1 port 80 after 0 ms: Couldn't connect to server";
    assert!(reference_lines().contains(&expected));
    assert_eq!(
        (by_ip.stderr.as_str(), by_ip.exit_code),
        (format!("{expected}\n").as_str(), 7)
    );
    let by_name = lab.run_in_blue("curl -sS empty-svc.default");
    assert!(
        by_name
            .stderr
            .starts_with("curl: (7) Failed to connect to empty-svc.default port 80 after ")
            && by_name
                .stderr
                .ends_with(" ms: Couldn't connect to server\n"),
        "{}",
        by_name.stderr
    );
    assert!(by_name.traces[0].steps.iter().any(|s| matches!(&s.kind,
        StepKind::RuleMatched { table, rule, .. } if table == "filter" && rule.contains("-j REJECT"))));
}

#[test]
fn an_unknown_name_fails_to_resolve_after_every_search_domain() {
    let out = Lab::new().run_in_blue("curl -sS http://nosuch-svc.blue:8080/");
    let expected = "curl: (6) Could not resolve host: nosuch-svc.blue";
    assert!(reference_lines().contains(&expected));
    assert_eq!((out.stderr.trim_end(), out.exit_code), (expected, 6));
    let queries = out.traces[0]
        .steps
        .iter()
        .filter(|s| matches!(s.kind, StepKind::DnsQuery { .. }))
        .count();
    assert_eq!(queries, 4);
}

#[test]
fn write_out_prints_the_http_code() {
    let out = Lab::new().run_in_blue(
        "curl -s -o /dev/null -w '%{http_code}\\n' srv-jenkins.blue.svc.cluster.local:8080",
    );
    assert_eq!(out.stdout, "200\n");
}

#[test]
fn a_networkpolicy_drop_times_out_only_under_plugins_that_enforce_it() {
    let mut lab = Lab::new();
    lab.deny_all = true;
    let flannel = lab.run_in_blue("curl -sS --connect-timeout 3 http-go-svc.default");
    assert_eq!(flannel.exit_code, 0, "flannel ignores NetworkPolicy");
    lab.cni = crate::net::cni::Cni::Calico;
    let connect = lab.run_in_blue("curl -sS --connect-timeout 3 http-go-svc.default");
    let max = lab.run_in_blue("curl -sS -m 3 http-go-svc.default");
    let expected_connect = "curl: (28) Failed to connect to http-go-svc.default port 80 after 3001 ms: Timeout was reached";
    let expected_max = "curl: (28) Connection timed out after 3001 milliseconds";
    assert!(
        reference_lines().contains(&expected_connect) && reference_lines().contains(&expected_max)
    );
    assert_eq!(
        (connect.stderr.trim_end(), connect.exit_code),
        (expected_connect, 28)
    );
    assert_eq!(
        (max.stderr.trim_end(), max.exit_code, max.elapsed_ms),
        (expected_max, 28, 3001)
    );
}

#[test]
fn a_wrong_target_port_reaches_the_pod_and_is_refused_by_rst() {
    let out = Lab::new().run_in_blue("curl -sS wrong-port.default");
    assert_eq!(out.exit_code, 7);
    let trace = &out.traces[0];
    assert!(
        trace
            .steps
            .iter()
            .any(|s| matches!(&s.kind, StepKind::Dnat { to, .. } if to == "10.244.1.6:9999"))
    );
    assert!(
        matches!(trace.steps.last().map(|s| &s.kind), Some(StepKind::Refuse { reason }) if reason == "TCP RST")
    );
}

#[test]
fn a_port_the_service_does_not_expose_is_not_translated_and_times_out() {
    let out = Lab::new().run_in_blue("curl -sS -m 2 srv-jenkins.blue:9999");
    assert_eq!(out.exit_code, 28);
    assert!(
        !out.traces[0]
            .steps
            .iter()
            .any(|s| matches!(s.kind, StepKind::Dnat { .. }))
    );
}

#[test]
fn the_statistic_rules_spread_connections_over_every_endpoint() {
    let lab = Lab::new();
    let mut rng = Rng::new(2026);
    let mut counts = std::collections::BTreeMap::new();
    for _ in 0..300 {
        let out = lab.run(&mut rng, blue_client(), "curl -s http-go-svc.default");
        *counts.entry(out.stdout).or_insert(0) += 1;
    }
    assert_eq!(counts.len(), 3, "{counts:?}");
    assert!(counts.values().all(|&n| n > 70), "{counts:?}");
}

#[test]
fn the_same_seed_picks_the_same_endpoints() {
    let lab = Lab::new();
    let picks = |seed| {
        let mut rng = Rng::new(seed);
        (0..10)
            .map(|_| {
                lab.run(&mut rng, blue_client(), "curl -s http-go-svc.default")
                    .stdout
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(picks(5), picks(5));
}

#[test]
fn a_node_reaches_cluster_ips_but_cannot_resolve_service_names() {
    let lab = Lab::new();
    let mut rng = Rng::new(1);
    let by_name = lab.run(
        &mut rng,
        Source::Node("master".into()),
        "curl -sS srv-jenkins.blue:8080",
    );
    assert_eq!(by_name.exit_code, 6);
    let by_ip = lab.run(
        &mut rng,
        Source::Node("master".into()),
        "curl -s 10.107.20.30:8080",
    );
    assert_eq!(by_ip.stdout, "Welcome! pod-jenkins\n");
    assert!(by_ip.traces[0].steps.iter().any(|s| matches!(&s.kind,
        StepKind::RuleMatched { chain, .. } if chain == "OUTPUT")));
}

#[test]
fn an_external_client_reaches_the_nodeport_on_any_node() {
    let lab = Lab::new();
    let mut rng = Rng::new(3);
    let out = lab.run(&mut rng, Source::External, "curl -s 192.168.56.12:30080");
    assert!(out.stdout.starts_with("Welcome! http-go-"), "{out:?}");
    assert!(out.traces[0].steps.iter().any(|s| matches!(&s.kind,
        StepKind::RuleMatched { chain, .. } if chain == "KUBE-NODEPORTS")));
}

#[test]
fn cross_node_traffic_goes_through_the_plugins_tunnel() {
    let out = Lab::new().run_in_blue("curl -s 10.244.2.7:8080");
    assert!(out.traces[0].steps.iter().any(|s| matches!(&s.kind,
        StepKind::NodeHop { device, to_node, .. } if device == "flannel.1" && to_node == "worker2")));
    let same = Lab::new().run_in_blue("curl -s 10.244.1.5:8080");
    assert!(
        !same.traces[0]
            .steps
            .iter()
            .any(|s| matches!(s.kind, StepKind::NodeHop { .. }))
    );
}

#[test]
fn ping_to_a_cluster_ip_gets_no_reply_but_a_pod_answers() {
    let lab = Lab::new();
    let vip = lab.run_in_blue("ping -c 2 10.96.0.1");
    assert_eq!(vip.exit_code, 1);
    assert!(
        vip.stdout
            .contains("2 packets transmitted, 0 packets received, 100% packet loss"),
        "{}",
        vip.stdout
    );
    let pod = lab.run_in_blue("ping -c 2 10.244.2.8");
    assert_eq!(pod.exit_code, 0);
    assert!(pod.stdout.starts_with("PING 10.244.2.8 (10.244.2.8): 56 data bytes\n64 bytes from 10.244.2.8: seq=0 ttl=62 time="), "{}", pod.stdout);
}

#[test]
fn busybox_wget_prints_its_own_messages() {
    let lab = Lab::new();
    assert_eq!(
        lab.run_in_blue("wget -qO- srv-jenkins.blue:8080").stdout,
        "Welcome! pod-jenkins\n"
    );
    let refused = lab.run_in_blue("wget -O- 10.111.1.1");
    assert_eq!(
        refused.stderr,
        "Connecting to 10.111.1.1:80 (10.111.1.1:80)\nwget: can't connect to remote host (10.111.1.1): Connection refused\n"
    );
    let missing = lab.run_in_blue("wget -qO- nosuch-svc:8080");
    assert_eq!(missing.stderr, "wget: bad address 'nosuch-svc:8080'\n");
}

#[test]
fn nc_z_reports_open_and_refused_ports() {
    let lab = Lab::new();
    let open = lab.run_in_blue("nc -zv http-go-svc.default 80");
    assert_eq!(
        (open.stderr.as_str(), open.exit_code),
        ("http-go-svc.default (10.100.50.60:80) open\n", 0)
    );
    let closed = lab.run_in_blue("nc -zv 10.244.1.5 9999");
    assert_eq!(closed.exit_code, 1);
}

#[test]
fn a_non_http_listener_gives_an_empty_reply() {
    let out = Lab::new().run_in_blue("curl -sS 10.244.2.11:6379");
    assert_eq!(
        (out.stderr.as_str(), out.exit_code),
        ("curl: (52) Empty reply from server\n", 52)
    );
}

#[test]
fn localhost_inside_a_pod_reaches_its_own_containers() {
    let lab = Lab::new();
    let mut rng = Rng::new(1);
    let source = Source::Pod {
        namespace: "default".into(),
        name: "http-go-a".into(),
    };
    let out = lab.run(&mut rng, source, "curl -s localhost:8080");
    assert_eq!(out.stdout, "Welcome! http-go-a\n");
}

#[test]
fn without_s_curl_shows_the_progress_meter_on_stderr_when_not_on_a_terminal() {
    let out = Lab::new().run_in_blue("curl srv-jenkins.blue:8080");
    assert!(out.stderr.starts_with(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    ));
    assert!(
        out.stderr.contains("100    21  100    21    0     0 "),
        "{}",
        out.stderr
    );
}

#[test]
fn traces_serialize_with_a_kind_tag_and_korean_explanations() {
    let out = Lab::new().run_in_blue("curl -s srv-jenkins.blue:8080");
    let json = match serde_json::to_value(&out.traces[0]) {
        Ok(json) => json,
        Err(err) => panic!("{err}"),
    };
    assert_eq!(json["outcome"], "connected");
    assert_eq!(json["steps"][0]["kind"], "dns_query");
    assert!(
        json["steps"][0]["explain"]
            .as_str()
            .is_some_and(|s| s.contains("CoreDNS"))
    );
}

#[test]
fn a_pod_reaches_a_nodeport_through_another_nodes_address() {
    let out = Lab::new().run_in_blue("curl -s 192.168.56.12:30080");
    assert!(out.stdout.starts_with("Welcome! http-go-"), "{out:?}");
    let steps = &out.traces[0].steps;
    let hop = steps.iter().position(|s| matches!(&s.kind, StepKind::NodeHop { device, to_node, .. } if device == "enp0s8" && to_node == "worker2"));
    let nodeports = steps.iter().position(|s| matches!(&s.kind, StepKind::RuleMatched { node, chain, .. } if node == "worker2" && chain == "KUBE-NODEPORTS"));
    assert!(
        hop.is_some() && nodeports > hop,
        "{}",
        out.traces[0].to_text()
    );
}

#[test]
fn the_kubernetes_service_answers_https_only() {
    let lab = Lab::new();
    let anonymous = lab.run_in_blue("curl -sk https://kubernetes.default");
    assert!(anonymous.stdout.contains("\"code\": 403"), "{anonymous:?}");
    let untrusted = lab.run_in_blue("curl -sS https://kubernetes.default");
    assert_eq!(untrusted.exit_code, 60);
    assert!(untrusted.stderr.starts_with(
        "curl: (60) SSL certificate problem: unable to get local issuer certificate\n"
    ));
    let plain = lab.run_in_blue("curl -s kubernetes.default:443");
    assert_eq!(
        plain.stdout,
        "Client sent an HTTP request to an HTTPS server.\n"
    );
    let tls_to_http = lab.run_in_blue("curl -sS https://srv-jenkins.blue:8080");
    assert_eq!(tls_to_http.exit_code, 35);
}

#[test]
fn arbitrary_arguments_never_panic_any_client() {
    let lab = Lab::new();
    let words = [
        "-",
        "--",
        "-s",
        "-o",
        "-w",
        "-m",
        "x",
        "-m",
        "--connect-timeout",
        "http://",
        "https://:",
        "a:99999",
        "[::1]",
        "%{http_code}",
        "\\",
        "-c",
        "-z",
        "-v",
        "-T",
        "-O",
        "-qO-",
        "10.96.0.1",
        "srv-jenkins.blue:8080",
        ":",
        "//",
        "-X",
        "-Ik",
        "-sSv",
        "é:80",
        "-w%{",
    ];
    let mut rng = Rng::new(99);
    for _ in 0..400 {
        let n = rng.below(6) as usize;
        let program = ["curl", "wget", "nc", "ping"][rng.below(4) as usize];
        let mut line = program.to_owned();
        for _ in 0..n {
            line.push(' ');
            line.push_str(words[rng.below(words.len() as u32) as usize]);
        }
        let _ = lab.run(&mut rng, blue_client(), &line);
    }
}

/// The output of one `## $ ...` section of the curl reference, with curl's `\r` meter
/// updates shown as the reference shows them (each on its own line).
fn reference_section(header: &str) -> String {
    let Some(start) = CURL_REFERENCE.find(header) else {
        panic!("{header} not in reference")
    };
    let body = &CURL_REFERENCE[start + header.len()..];
    let end = body.find("[exit").unwrap_or(body.len());
    body[..end].to_owned()
}

fn as_reference_shows(stderr: &str) -> String {
    stderr.replace('\r', "\n")
}

#[test]
fn without_s_a_failed_resolve_prints_the_meter_then_curls_error_like_the_reference() {
    let out = Lab::new().run_in_blue("curl nosuch-svc:8080");
    let reference =
        reference_section("## $ curl nosuch-svc:8080; curl -sS http://nosuch-svc.blue:8080/\n");
    let expected = reference.replace("curl: (6) Could not resolve host: nosuch-svc.blue\n", "");
    assert_eq!(as_reference_shows(&out.stderr), expected);
}

#[test]
fn without_s_a_refused_connection_prints_two_meter_lines_like_the_reference() {
    let out = Lab::new().run_in_blue("curl empty-svc.default");
    let reference = reference_section("## $ source curl_tests.sh; curl empty-svc.default\n");
    // Only the elapsed milliseconds differ (the reference run took 5 ms).
    let ours = as_reference_shows(&out.stderr);
    let Some(ms_at) = ours.find(" after ") else {
        panic!("{ours}")
    };
    let ms_end = ours[ms_at..].find(" ms:").map_or(0, |i| ms_at + i);
    let normalised = format!("{} after 5{}", &ours[..ms_at], &ours[ms_end..]);
    assert_eq!(normalised, reference);
}

#[test]
fn a_timeout_trace_says_how_long_the_client_waited() {
    let mut lab = Lab::new();
    lab.cni = crate::net::cni::Cni::Calico;
    lab.deny_all = true;
    let out = lab.run_in_blue("curl -sS -m 3 http-go-svc.default");
    assert!(matches!(
        out.traces[0].steps.last().map(|s| &s.kind),
        Some(StepKind::Timeout { after_ms: 3001 })
    ));
}
