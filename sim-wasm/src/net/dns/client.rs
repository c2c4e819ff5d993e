//! The DNS front ends of the images: BusyBox ≥ 1.30 `nslookup` (its own DNS client, search
//! domains only for dot-less names), BusyBox 1.28 `nslookup` (getaddrinfo + reverse lookups)
//! and bind9's `nslookup`/`host` (nodes, dnsutils images). Output formats are the real
//! binaries' (fidelity.md §2.4, artifacts/busybox*_out.txt).

use std::fmt::Write as _;

use super::{Answer, Directory, QType, Rcode, Record, ResolvConf, resolve_host};
use crate::net::addr::Ipv4;

/// Which `nslookup` binary an image ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NslookupFlavor {
    /// `busybox:1.28` (the image the Kubernetes docs use).
    Busybox128,
    /// `busybox` ≥ 1.30, `alpine`.
    Busybox,
    /// bind9's nslookup (Ubuntu nodes, dnsutils images).
    Bind,
}

impl LookupOutput {
    /// The lookup as a trace: each question and its answer, resolved or not.
    pub fn trace(&self, command: &str, source: &str, server: Ipv4) -> crate::net::trace::Trace {
        use crate::net::trace::{Outcome, StepKind, Trace};
        let mut trace = Trace::new(command, source);
        for (name, qtype, answer) in &self.queries {
            trace.push(
                StepKind::DnsQuery {
                    name: name.clone(),
                    qtype: qtype.name().to_owned(),
                    server: server.to_string(),
                },
                format!("'{name}'의 {} 레코드를 {server}에 묻습니다.", qtype.name()),
            );
            let answers: Vec<String> = answer.records.iter().map(Record::text).collect();
            let explain = match (answer.rcode, answers.is_empty()) {
                (Rcode::NxDomain, _) => format!("'{name}'이라는 이름은 없습니다(NXDOMAIN)."),
                (Rcode::NoError, true) => {
                    format!("'{name}'은(는) 있지만 {} 레코드는 없습니다.", qtype.name())
                }
                (Rcode::NoError, false) => format!("답: {}", answers.join(", ")),
            };
            trace.push(
                StepKind::DnsAnswer {
                    name: name.clone(),
                    rcode: answer.rcode.name().to_owned(),
                    answers,
                },
                explain,
            );
        }
        // BusyBox exits 1 when any search expansion failed, even if one answered: the trace
        // says whether the name was found at all.
        trace.outcome = if self.queries.iter().any(|(_, _, a)| !a.records.is_empty()) {
            Outcome::Resolved
        } else {
            Outcome::DnsFailure
        };
        trace
    }
}

/// What a lookup command printed, and every question it asked (for the trace).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LookupOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub queries: Vec<(String, QType, Answer)>,
}

const BUSYBOX_USAGE: &str = "\
BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]

Query DNS about HOST

QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any
";

/// `nslookup ARGS...` (arguments after the program name).
pub fn nslookup(
    flavor: NslookupFlavor,
    directory: &Directory,
    conf: &ResolvConf,
    args: &[String],
) -> LookupOutput {
    let mut qtype = None;
    let mut names = Vec::new();
    for arg in args {
        if let Some(kind) = arg
            .strip_prefix("-type=")
            .or_else(|| arg.strip_prefix("-query="))
            .or_else(|| arg.strip_prefix("-q="))
        {
            qtype = QType::parse(kind);
        } else if !arg.starts_with('-') {
            names.push(arg.as_str());
        }
    }
    let Some(name) = names.first().copied() else {
        return LookupOutput {
            stderr: match flavor {
                NslookupFlavor::Bind => String::new(),
                _ => BUSYBOX_USAGE.to_owned(),
            },
            exit_code: 1,
            ..LookupOutput::default()
        };
    };
    match flavor {
        NslookupFlavor::Busybox => busybox(directory, conf, name, qtype),
        NslookupFlavor::Busybox128 => busybox128(directory, conf, name),
        NslookupFlavor::Bind => bind(directory, conf, name, qtype),
    }
}

fn record_line(record: &Record, trailing_dot: &str) -> String {
    match record {
        Record::A { name, ip } => format!("Name:\t{name}\nAddress: {ip}\n"),
        Record::Cname { name, target } => {
            format!("{name}\tcanonical name = {target}{trailing_dot}\n")
        }
        Record::Srv {
            name,
            priority,
            weight,
            port,
            target,
        } => format!("{name}\tservice = {priority} {weight} {port} {target}{trailing_dot}\n"),
        Record::Ptr { name, target } => format!("{name}\tname = {target}{trailing_dot}\n"),
    }
}

/// BusyBox ≥ 1.30 (networking/nslookup.c): a name containing a dot is sent as-is; a
/// dot-less one is expanded with every search domain; A then AAAA; every reply printed.
fn busybox(
    directory: &Directory,
    conf: &ResolvConf,
    name: &str,
    qtype: Option<QType>,
) -> LookupOutput {
    let mut out = LookupOutput::default();
    let _ = write!(
        out.stdout,
        "Server:\t\t{0}\nAddress:\t{0}:53\n\n",
        conf.nameserver
    );
    let mut questions: Vec<(String, QType)> = Vec::new();
    if let Some(ip) = Ipv4::parse(name) {
        questions.push((ip.reverse_name(), QType::Ptr));
    } else {
        let expand = |qtype: QType| -> Vec<(String, QType)> {
            if qtype == QType::Ptr || conf.search.is_empty() || name.contains('.') {
                vec![(name.to_owned(), qtype)]
            } else {
                conf.search
                    .iter()
                    .map(|domain| (format!("{name}.{domain}"), qtype))
                    .collect()
            }
        };
        match qtype {
            Some(qtype) => questions.extend(expand(qtype)),
            None => {
                questions.extend(expand(QType::A));
                questions.extend(expand(QType::Aaaa));
            }
        }
    }
    for (qname, qtype) in questions {
        let answer = conf.ask(directory, &qname, qtype);
        if answer.rcode != Rcode::NoError {
            let _ = writeln!(
                out.stdout,
                "** server can't find {qname}: {}",
                answer.rcode.name()
            );
            out.exit_code = 1;
        } else {
            if !answer.authoritative && !answer.records.is_empty() {
                out.stdout.push_str("Non-authoritative answer:\n");
            }
            for record in &answer.records {
                out.stdout.push_str(&record_line(record, ""));
            }
        }
        out.stdout.push('\n');
        out.queries.push((qname, qtype, answer));
    }
    out
}

/// BusyBox 1.28: getaddrinfo (search list and ndots apply), then a reverse lookup of the
/// server and of each address.
fn busybox128(directory: &Directory, conf: &ResolvConf, name: &str) -> LookupOutput {
    let mut out = LookupOutput::default();
    let server_name = conf
        .cluster_dns
        .then(|| directory.reverse_name(conf.nameserver))
        .flatten();
    let _ = writeln!(out.stdout, "Server:    {}", conf.nameserver);
    match &server_name {
        Some(server) => {
            let _ = writeln!(out.stdout, "Address 1: {} {server}\n", conf.nameserver);
        }
        None => {
            let _ = writeln!(out.stdout, "Address 1: {}\n", conf.nameserver);
        }
    }
    let resolution = resolve_host(directory, conf, name);
    for (qname, answer) in resolution.queries {
        out.queries.push((qname, QType::A, answer));
    }
    match resolution.found {
        Some((_, addresses)) => {
            let _ = writeln!(out.stdout, "Name:      {name}");
            for (idx, ip) in addresses.iter().enumerate() {
                let ptr = conf
                    .cluster_dns
                    .then(|| directory.reverse_name(*ip))
                    .flatten();
                out.queries.push((
                    ip.reverse_name(),
                    QType::Ptr,
                    conf.ask(directory, &ip.reverse_name(), QType::Ptr),
                ));
                match ptr {
                    Some(ptr) => {
                        let _ = writeln!(out.stdout, "Address {}: {ip} {ptr}", idx + 1);
                    }
                    None => {
                        let _ = writeln!(out.stdout, "Address {}: {ip}", idx + 1);
                    }
                }
            }
        }
        None => {
            let _ = writeln!(out.stderr, "nslookup: can't resolve '{name}'");
            out.exit_code = 1;
        }
    }
    out
}

/// bind9's nslookup: the search list with ndots, the first name that answers wins.
fn bind(
    directory: &Directory,
    conf: &ResolvConf,
    name: &str,
    qtype: Option<QType>,
) -> LookupOutput {
    let mut out = LookupOutput::default();
    let _ = write!(
        out.stdout,
        "Server:\t\t{0}\nAddress:\t{0}#53\n\n",
        conf.nameserver
    );
    let (candidates, qtype) = match Ipv4::parse(name) {
        Some(ip) => (vec![ip.reverse_name()], QType::Ptr),
        None => (conf.candidates(name), qtype.unwrap_or(QType::A)),
    };
    for candidate in candidates {
        let answer = conf.ask(directory, &candidate, qtype);
        let found = answer.rcode == Rcode::NoError && !answer.records.is_empty();
        out.queries.push((candidate, qtype, answer.clone()));
        if found {
            if !answer.authoritative {
                out.stdout.push_str("Non-authoritative answer:\n");
            }
            for record in &answer.records {
                out.stdout.push_str(&record_line(record, "."));
            }
            out.stdout.push('\n');
            return out;
        }
    }
    let _ = writeln!(out.stdout, "** server can't find {name}: NXDOMAIN\n");
    out.exit_code = 1;
    out
}

/// bind9's `host NAME`.
pub fn host(directory: &Directory, conf: &ResolvConf, args: &[String]) -> LookupOutput {
    let mut out = LookupOutput::default();
    let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
        out.stderr = "Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n".to_owned();
        out.exit_code = 1;
        return out;
    };
    let (candidates, qtype) = match Ipv4::parse(name) {
        Some(ip) => (vec![ip.reverse_name()], QType::Ptr),
        None => (conf.candidates(name), QType::A),
    };
    for candidate in candidates {
        let answer = conf.ask(directory, &candidate, qtype);
        let found = answer.rcode == Rcode::NoError && !answer.records.is_empty();
        out.queries.push((candidate, qtype, answer.clone()));
        if found {
            for record in &answer.records {
                let line = match record {
                    Record::A { name, ip } => format!("{name} has address {ip}"),
                    Record::Cname { name, target } => format!("{name} is an alias for {target}."),
                    Record::Ptr { name, target } => {
                        format!("{name} domain name pointer {target}.")
                    }
                    Record::Srv {
                        name,
                        priority,
                        weight,
                        port,
                        target,
                    } => format!("{name} has SRV record {priority} {weight} {port} {target}."),
                };
                let _ = writeln!(out.stdout, "{line}");
            }
            return out;
        }
    }
    let _ = writeln!(out.stdout, "Host {name} not found: 3(NXDOMAIN)");
    out.exit_code = 1;
    out
}

/// bind9's `dig [+short] [+search] [-x ADDR] [-t TYPE] NAME [TYPE]`. `id` is the query ID
/// (random in dig; the caller draws it).
pub fn dig(
    directory: &Directory,
    conf: &ResolvConf,
    args: &[String],
    id: u16,
    when: &str,
) -> LookupOutput {
    let mut out = LookupOutput::default();
    let mut short = false;
    let mut search = false;
    let mut qtype = QType::A;
    let mut name: Option<String> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "+short" => short = true,
            "+search" => search = true,
            "-x" => {
                if let Some(ip) = iter.next().and_then(|a| Ipv4::parse(a)) {
                    name = Some(ip.reverse_name());
                    qtype = QType::Ptr;
                }
            }
            "-t" => {
                if let Some(t) = iter.next().and_then(|t| QType::parse(t)) {
                    qtype = t;
                }
            }
            other if other.starts_with('+') || other.starts_with('@') => {}
            other => match QType::parse(other) {
                Some(t) if name.is_some() => qtype = t,
                _ => name = Some(other.to_owned()),
            },
        }
    }
    let name = name.unwrap_or_else(|| ".".to_owned());
    let candidates = if search {
        conf.candidates(&name)
    } else {
        vec![name.trim_end_matches('.').to_owned()]
    };
    // With +search dig stops at the first name that exists.
    let mut chosen = None;
    for candidate in candidates {
        let answer = conf.ask(directory, &candidate, qtype);
        out.queries.push((candidate.clone(), qtype, answer.clone()));
        let found = answer.rcode == Rcode::NoError;
        chosen = Some((candidate, answer));
        if found {
            break;
        }
    }
    let Some((qname, answer)) = chosen else {
        return out;
    };
    let data = |record: &Record| match record {
        Record::A { ip, .. } => ip.to_string(),
        Record::Cname { target, .. } => format!("{target}."),
        Record::Ptr { target, .. } => format!("{target}."),
        Record::Srv {
            priority,
            weight,
            port,
            target,
            ..
        } => format!("{priority} {weight} {port} {target}."),
    };
    if short {
        for record in &answer.records {
            let _ = writeln!(out.stdout, "{}", data(record));
        }
        return out;
    }
    let in_zone = qname.ends_with(super::CLUSTER_DOMAIN) || qname.ends_with("in-addr.arpa");
    let soa = answer.rcode == Rcode::NxDomain && in_zone;
    let _ = write!(
        out.stdout,
        "\n; <<>> DiG 9.18.28-1~deb12u2-Debian <<>> {}\n;; global options: +cmd\n;; Got answer:\n",
        args.join(" ")
    );
    let _ = writeln!(
        out.stdout,
        ";; ->>HEADER<<- opcode: QUERY, status: {}, id: {id}",
        answer.rcode.name()
    );
    let _ = writeln!(
        out.stdout,
        ";; flags: qr{} rd ra; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: 0\n",
        if answer.authoritative { " aa" } else { "" },
        answer.records.len(),
        u8::from(soa)
    );
    let _ = writeln!(
        out.stdout,
        ";; QUESTION SECTION:\n;{qname}. IN\t{}\n",
        qtype.name()
    );
    if !answer.records.is_empty() {
        out.stdout.push_str(";; ANSWER SECTION:\n");
        for record in &answer.records {
            let (owner, kind) = match record {
                Record::A { name, .. } => (name, "A"),
                Record::Cname { name, .. } => (name, "CNAME"),
                Record::Ptr { name, .. } => (name, "PTR"),
                Record::Srv { name, .. } => (name, "SRV"),
            };
            let _ = writeln!(
                out.stdout,
                "{owner}. {} IN {kind}\t{}",
                super::TTL,
                data(record)
            );
        }
        out.stdout.push('\n');
    }
    if soa {
        let zone = if qname.ends_with("in-addr.arpa") {
            "in-addr.arpa"
        } else {
            super::CLUSTER_DOMAIN
        };
        let _ = writeln!(
            out.stdout,
            ";; AUTHORITY SECTION:\n{zone}.\t\t30\tIN\tSOA\tns.dns.{zone}. hostmaster.{zone}. 1795683600 7200 1800 86400 30\n"
        );
    }
    let _ = writeln!(
        out.stdout,
        ";; Query time: 0 msec\n;; SERVER: {0}#53({0}) (UDP)\n;; WHEN: {when}\n;; MSG SIZE  rcvd: {1}\n",
        conf.nameserver,
        40 + qname.len() * 2 + answer.records.len() * 16
    );
    out
}
