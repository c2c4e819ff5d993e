//! A structured record of one connection attempt (a DNS lookup, a curl, a ping): each step
//! it took through DNS, netfilter, routing and the destination pod's sandbox, with a Korean
//! one-line explanation per step and the final outcome.
//!
//! Serialized to JSON for the browser's packet view (wasm facade) and quoted by the grader,
//! so the shape is part of the contract: `{ command, source, steps: [{ kind, ..., explain }],
//! outcome }`, with `kind` in snake_case. Knows nothing about how the steps were computed.

use std::fmt::Write as _;

/// One connection attempt and the steps it took.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Trace {
    /// The command line that made the attempt (`curl srv-jenkins.blue:8080 -s`).
    pub command: String,
    /// Where the packet starts (`pod default/http-go-abc (192.168.1.5) on worker1`).
    pub source: String,
    pub steps: Vec<TraceStep>,
    pub outcome: Outcome,
}

/// One step: what happened, and why, in one Korean sentence.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TraceStep {
    #[serde(flatten)]
    pub kind: StepKind,
    /// A one-line Korean explanation for students.
    pub explain: String,
}

/// What a step did. Field names are the JSON keys the packet view reads.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepKind {
    /// A query sent to a DNS server.
    DnsQuery {
        name: String,
        qtype: String,
        server: String,
    },
    /// The server's answer: `NOERROR` with records, or `NXDOMAIN`.
    DnsAnswer {
        name: String,
        rcode: String,
        answers: Vec<String>,
    },
    /// A netfilter rule matched on `node`; `rule` is its iptables-save text.
    RuleMatched {
        node: String,
        table: String,
        chain: String,
        rule: String,
    },
    /// The destination address was rewritten (kube-proxy's KUBE-SEP DNAT).
    Dnat { from: String, to: String },
    /// A routing decision on `node`: out of `device`, optionally via `gateway`.
    Route {
        node: String,
        destination: String,
        device: String,
        gateway: Option<String>,
    },
    /// The packet crossed from one node to another (through a tunnel or the node network).
    NodeHop {
        from_node: String,
        to_node: String,
        device: String,
    },
    /// Delivered into a pod's network namespace (the pause container's), or to a node.
    Deliver {
        target: String,
        ip: String,
        port: Option<u16>,
    },
    /// A process answered the connection (the listener found on the port).
    Accept { process: String },
    /// Actively refused (TCP RST or ICMP port unreachable).
    Refuse { reason: String },
    /// Silently dropped.
    Drop { reason: String },
    /// The client gave up waiting.
    Timeout { after_ms: u64 },
}

/// How the attempt ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A listener accepted the connection (or a ping was answered).
    Connected,
    /// ECONNREFUSED: RST from the pod, or REJECT for a service without endpoints.
    Refused,
    /// The name did not resolve.
    DnsFailure,
    /// Packets vanished; the client timed out.
    #[default]
    Timeout,
    /// No route to the destination address.
    NoRoute,
    /// Only a lookup was asked for and it succeeded (nslookup).
    Resolved,
}

impl Trace {
    pub fn new(command: &str, source: &str) -> Trace {
        Trace {
            command: command.to_owned(),
            source: source.to_owned(),
            steps: Vec::new(),
            outcome: Outcome::Timeout,
        }
    }

    pub fn push(&mut self, kind: StepKind, explain: impl Into<String>) {
        self.steps.push(TraceStep {
            kind,
            explain: explain.into(),
        });
    }

    /// A plain-text rendering for `kubesim --trace` and for tests.
    pub fn to_text(&self) -> String {
        let mut out = format!("# {}  (from {})\n", self.command, self.source);
        for (idx, step) in self.steps.iter().enumerate() {
            let what = match &step.kind {
                StepKind::DnsQuery {
                    name,
                    qtype,
                    server,
                } => format!("dns_query {name} {qtype} @{server}"),
                StepKind::DnsAnswer {
                    name,
                    rcode,
                    answers,
                } => format!("dns_answer {name} {rcode} {}", answers.join(", ")),
                StepKind::RuleMatched {
                    node,
                    table,
                    chain: _,
                    rule,
                } => format!("rule [{node} {table}] {rule}"),
                StepKind::Dnat { from, to } => format!("dnat {from} -> {to}"),
                StepKind::Route {
                    node,
                    destination,
                    device,
                    gateway,
                } => match gateway {
                    Some(gw) => format!("route [{node}] {destination} via {gw} dev {device}"),
                    None => format!("route [{node}] {destination} dev {device}"),
                },
                StepKind::NodeHop {
                    from_node,
                    to_node,
                    device,
                } => format!("hop {from_node} -> {to_node} ({device})"),
                StepKind::Deliver { target, ip, port } => match port {
                    Some(port) => format!("deliver {target} {ip}:{port}"),
                    None => format!("deliver {target} {ip}"),
                },
                StepKind::Accept { process } => format!("accept {process}"),
                StepKind::Refuse { reason } => format!("refuse {reason}"),
                StepKind::Drop { reason } => format!("drop {reason}"),
                StepKind::Timeout { after_ms } => format!("timeout after {after_ms} ms"),
            };
            let _ = writeln!(out, "{:>2}. {what}\n    {}", idx + 1, step.explain);
        }
        let outcome = serde_json::to_value(self.outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(out, "=> {outcome}");
        out
    }
}
