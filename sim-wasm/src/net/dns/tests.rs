use super::*;

const BUSYBOX: &str = include_str!("../testdata/busybox_out.txt");
const BUSYBOX128: &str = include_str!("../testdata/busybox128_out.txt");
const CURL_AND_BIND: &str = include_str!("../testdata/curl_out_clean.txt");

/// The cluster of fidelity.md §1.5 / §2.4, as DNS sees it.
fn directory() -> Directory {
    let ep = |ip: Ipv4| DnsEndpoint {
        ip,
        hostname: None,
        ready: true,
    };
    Directory {
        services: vec![
            DnsService {
                namespace: "default".into(),
                name: "kubernetes".into(),
                cluster_ip: Some(Ipv4::new(10, 96, 0, 1)),
                external_name: None,
                ports: vec![("https".into(), Protocol::Tcp, 443)],
                endpoints: vec![ep(Ipv4::new(192, 168, 56, 10))],
            },
            DnsService {
                namespace: "kube-system".into(),
                name: "kube-dns".into(),
                cluster_ip: Some(CLUSTER_DNS),
                external_name: None,
                ports: vec![
                    ("dns".into(), Protocol::Udp, 53),
                    ("dns-tcp".into(), Protocol::Tcp, 53),
                    ("metrics".into(), Protocol::Tcp, 9153),
                ],
                endpoints: vec![ep(Ipv4::new(10, 244, 0, 2)), ep(Ipv4::new(10, 244, 0, 3))],
            },
            DnsService {
                namespace: "blue".into(),
                name: "srv-jenkins".into(),
                cluster_ip: Some(Ipv4::new(10, 107, 20, 30)),
                external_name: None,
                ports: vec![(String::new(), Protocol::Tcp, 8080)],
                endpoints: vec![ep(Ipv4::new(10, 244, 1, 5)), ep(Ipv4::new(10, 244, 2, 7))],
            },
            DnsService {
                namespace: "default".into(),
                name: "db".into(),
                cluster_ip: None,
                external_name: None,
                ports: vec![("mysql".into(), Protocol::Tcp, 3306)],
                endpoints: vec![
                    DnsEndpoint {
                        ip: Ipv4::new(10, 244, 1, 9),
                        hostname: Some("db-0".into()),
                        ready: true,
                    },
                    DnsEndpoint {
                        ip: Ipv4::new(10, 244, 2, 9),
                        hostname: None,
                        ready: false,
                    },
                ],
            },
            DnsService {
                namespace: "default".into(),
                name: "search".into(),
                cluster_ip: None,
                external_name: Some("www.example.com".into()),
                ports: Vec::new(),
                endpoints: Vec::new(),
            },
        ],
    }
}

/// `(command, output, exit)` for every `## $ ...` section of a reference transcript.
fn sections(text: &str) -> Vec<(String, String, i32)> {
    let mut out = Vec::new();
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let Some(command) = line.strip_prefix("## $ ") else {
            continue;
        };
        let mut body = String::new();
        for line in lines.by_ref() {
            if let Some(code) = line.strip_prefix("[exit ") {
                let code = code.trim_end().trim_end_matches(']').parse().unwrap_or(-1);
                out.push((command.trim_end().to_owned(), body, code));
                break;
            }
            body.push_str(line);
        }
    }
    out
}

fn run(flavor: NslookupFlavor, command: &str) -> (String, i32) {
    let args: Vec<String> = command.split_whitespace().map(str::to_owned).collect();
    let Some(index) = args.iter().position(|a| a == "nslookup") else {
        panic!("not an nslookup: {command}")
    };
    let out = nslookup(
        flavor,
        &directory(),
        &ResolvConf::cluster_first("blue"),
        &args[index + 1..],
    );
    (format!("{}{}", out.stdout, out.stderr), out.exit_code)
}

#[test]
fn busybox_latest_nslookup_matches_every_reference_transcript() {
    let cases = sections(BUSYBOX);
    assert_eq!(cases.len(), 8);
    for (command, expected, exit) in cases {
        assert_eq!(
            run(NslookupFlavor::Busybox, &command),
            (expected, exit),
            "{command}"
        );
    }
}

#[test]
fn busybox_1_28_nslookup_matches_every_reference_transcript() {
    let cases = sections(BUSYBOX128);
    assert_eq!(cases.len(), 5);
    for (command, expected, exit) in cases {
        assert_eq!(
            run(NslookupFlavor::Busybox128, &command),
            (expected, exit),
            "{command}"
        );
    }
}

#[test]
fn bind_nslookup_and_host_match_the_reference_transcripts() {
    let cases: Vec<_> = sections(CURL_AND_BIND)
        .into_iter()
        .filter(|(c, _, _)| c.starts_with("nslookup") || c.starts_with("host"))
        .collect();
    assert_eq!(cases.len(), 5);
    for (command, expected, exit) in cases {
        let got = if command.starts_with("host") {
            let args: Vec<String> = command
                .split_whitespace()
                .skip(1)
                .map(str::to_owned)
                .collect();
            let out = host(&directory(), &ResolvConf::cluster_first("blue"), &args);
            (out.stdout, out.exit_code)
        } else {
            run(NslookupFlavor::Bind, &command)
        };
        assert_eq!(got, (expected, exit), "{command}");
    }
}

#[test]
fn srv_jenkins_dot_blue_resolves_in_busybox_1_28_but_not_in_newer_busybox() {
    let (_, old) = run(NslookupFlavor::Busybox128, "nslookup srv-jenkins.blue");
    let (_, new) = run(NslookupFlavor::Busybox, "nslookup srv-jenkins.blue");
    assert_eq!((old, new), (0, 1));
}

#[test]
fn the_pod_resolv_conf_matches_the_reference_file() {
    let expected = "search blue.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n";
    assert!(BUSYBOX.contains(expected));
    assert_eq!(
        ResolvConf::cluster_first("blue").containerd_file_text(),
        expected
    );
    assert_eq!(
        ResolvConf::cluster_first("blue").pod_file_text(),
        "nameserver 10.96.0.10\nsearch blue.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n"
    );
}

#[test]
fn a_short_name_tries_the_search_list_before_the_bare_name() {
    let conf = ResolvConf::cluster_first("blue");
    assert_eq!(
        conf.candidates("srv-jenkins.blue"),
        [
            "srv-jenkins.blue.blue.svc.cluster.local",
            "srv-jenkins.blue.svc.cluster.local",
            "srv-jenkins.blue.cluster.local",
            "srv-jenkins.blue",
        ]
    );
    assert_eq!(
        conf.candidates("a.b.c.d.e.f"),
        [
            "a.b.c.d.e.f",
            "a.b.c.d.e.f.blue.svc.cluster.local",
            "a.b.c.d.e.f.svc.cluster.local",
            "a.b.c.d.e.f.cluster.local"
        ]
    );
    assert_eq!(conf.candidates("x.y."), ["x.y"]);
    let resolution = resolve_host(&directory(), &conf, "srv-jenkins.blue");
    assert_eq!(resolution.queries.len(), 2);
    assert_eq!(
        resolution.found,
        Some((
            "srv-jenkins.blue.svc.cluster.local".to_owned(),
            vec![Ipv4::new(10, 107, 20, 30)]
        ))
    );
}

#[test]
fn a_headless_service_answers_only_its_ready_pod_ips() {
    let answer = directory().query("db.default.svc.cluster.local", QType::A);
    assert_eq!(answer.addresses(), vec![Ipv4::new(10, 244, 1, 9)]);
    let host = directory().query("db-0.db.default.svc.cluster.local.", QType::A);
    assert_eq!(host.addresses(), vec![Ipv4::new(10, 244, 1, 9)]);
    let srv = directory().query("_mysql._tcp.db.default.svc.cluster.local", QType::Srv);
    assert_eq!(
        srv.records,
        vec![Record::Srv {
            name: "_mysql._tcp.db.default.svc.cluster.local".into(),
            priority: 0,
            weight: 100,
            port: 3306,
            target: "db-0.db.default.svc.cluster.local".into()
        }]
    );
}

#[test]
fn a_headless_service_without_ready_endpoints_is_nxdomain() {
    let mut dir = directory();
    for svc in &mut dir.services {
        for ep in &mut svc.endpoints {
            ep.ready = false;
        }
    }
    assert_eq!(
        dir.query("db.default.svc.cluster.local", QType::A).rcode,
        Rcode::NxDomain
    );
}

#[test]
fn external_name_services_answer_a_cname_and_unnamed_ports_have_no_srv() {
    let answer = directory().query("search.default.svc.cluster.local", QType::A);
    assert_eq!(
        answer.records,
        vec![Record::Cname {
            name: "search.default.svc.cluster.local".into(),
            target: "www.example.com".into()
        }]
    );
    let srv = directory().query("_http._tcp.srv-jenkins.blue.svc.cluster.local", QType::Srv);
    assert_eq!(srv.rcode, Rcode::NxDomain);
}

#[test]
fn names_outside_the_cluster_zone_are_not_authoritative() {
    let answer = directory().query("srv-jenkins.blue", QType::A);
    assert_eq!(
        (answer.rcode, answer.authoritative),
        (Rcode::NxDomain, false)
    );
}

#[test]
fn a_node_cannot_resolve_service_names() {
    let resolution = resolve_host(&directory(), &ResolvConf::node(), "srv-jenkins.blue");
    assert_eq!(resolution.found, None);
}

#[test]
fn dig_search_prints_the_reference_header_question_and_answer() {
    let args: Vec<String> = ["+search", "srv-jenkins.blue"].map(str::to_owned).to_vec();
    let out = dig(
        &directory(),
        &ResolvConf::cluster_first("blue"),
        &args,
        52065,
        "Thu Nov 26 09:00:00 UTC 2026",
    );
    let start = out.stdout.find(";; ->>HEADER<<-").unwrap_or(0);
    let end = out.stdout.find(";; WHEN:").unwrap_or(out.stdout.len());
    let segment = &out.stdout[start..end];
    let reference_start = CURL_AND_BIND.find(";; ->>HEADER<<-").unwrap_or(0);
    let reference_end = CURL_AND_BIND[reference_start..]
        .find("[exit")
        .map_or(0, |i| reference_start + i);
    let reference = &CURL_AND_BIND[reference_start..reference_end];
    // The stand-in server set `ra ad` and took 4 ms; CoreDNS's answer differs only there.
    let normalise = |text: &str| {
        text.replace(" ra ad;", " ra;")
            .replace("Query time: 4 msec", "Query time: 0 msec")
    };
    assert_eq!(normalise(segment), normalise(reference));
    let short: Vec<String> = ["+short", "srv-jenkins.blue.svc.cluster.local"]
        .map(str::to_owned)
        .to_vec();
    assert_eq!(
        dig(
            &directory(),
            &ResolvConf::cluster_first("blue"),
            &short,
            1,
            ""
        )
        .stdout,
        "10.107.20.30\n"
    );
}
