//! Reading `iptables-save` output and `iptables-restore` input (kube-proxy's own text) into
//! the model. Both spellings of a rule land in the same structure, which is how
//! `-m comment … -m tcp -p tcp -d 10.96.0.1 --dport 443` becomes iptables-save's
//! `-d 10.96.0.1/32 -p tcp -m comment … -m tcp --dport 443`.

use super::{
    AddrMatch, Chain, Match, RecentMode, Rule, Ruleset, Table, TableKind, Target, Verdict,
};
use crate::net::addr::{Cidr, Protocol};

/// A line that could not be read, with iptables-restore's 1-based line number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

/// Splits a rule line into words, honouring double quotes and backslash escapes the way
/// iptables-restore's tokenizer does.
fn tokenize(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut in_quotes = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_quotes => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            '"' => {
                in_quotes = !in_quotes;
                in_word = true;
            }
            c if c.is_whitespace() && !in_quotes => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_quotes {
        return Err("unterminated quoted string".to_owned());
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

fn parse_u32(text: &str) -> Option<u32> {
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

fn parse_mark(text: &str) -> Option<(u32, u32)> {
    match text.split_once('/') {
        Some((value, mask)) => Some((parse_u32(value)?, parse_u32(mask)?)),
        None => Some((parse_u32(text)?, u32::MAX)),
    }
}

/// Parses the words of one rule after `-A CHAIN` (or a whole `-A CHAIN ...` line: the
/// chain name is returned).
pub fn parse_rule(line: &str) -> Result<(String, Rule), String> {
    let words = tokenize(line)?;
    let mut words = words.into_iter().peekable();
    let mut chain = String::new();
    let mut rule = Rule::default();
    let mut negate = false;
    let missing = |flag: &str| format!("option \"{flag}\" requires an argument");
    while let Some(word) = words.next() {
        let mut value = |flag: &str| words.next().ok_or_else(|| missing(flag));
        match word.as_str() {
            "!" => {
                negate = true;
                continue;
            }
            "-A" | "--append" => chain = value("-A")?,
            "-s" | "--source" => {
                let text = value("-s")?;
                let cidr =
                    Cidr::parse(&text).ok_or_else(|| format!("host/network `{text}' not found"))?;
                rule.source = Some(AddrMatch {
                    negated: negate,
                    cidr,
                });
            }
            "-d" | "--destination" => {
                let text = value("-d")?;
                let cidr =
                    Cidr::parse(&text).ok_or_else(|| format!("host/network `{text}' not found"))?;
                rule.destination = Some(AddrMatch {
                    negated: negate,
                    cidr,
                });
            }
            "-i" | "--in-interface" => rule.in_interface = Some((negate, value("-i")?)),
            "-o" | "--out-interface" => rule.out_interface = Some((negate, value("-o")?)),
            "-p" | "--protocol" => {
                let text = value("-p")?;
                let protocol = Protocol::parse(&text)
                    .ok_or_else(|| format!("unknown protocol \"{text}\" specified"))?;
                rule.protocol = Some((negate, protocol));
            }
            "-m" | "--match" => {
                let name = value("-m")?;
                let m = match name.as_str() {
                    "comment" => Match::Comment(String::new()),
                    "tcp" | "udp" | "sctp" => Match::Ports {
                        protocol: Protocol::parse(&name).unwrap_or(Protocol::Tcp),
                        sport: None,
                        dport: None,
                    },
                    "statistic" => Match::Statistic { probability: 0 },
                    "addrtype" => Match::AddrType {
                        src_type: None,
                        dst_type: None,
                    },
                    "conntrack" => Match::Conntrack {
                        negated: false,
                        states: String::new(),
                    },
                    "mark" => Match::Mark {
                        negated: false,
                        value: 0,
                        mask: u32::MAX,
                    },
                    "recent" => Match::Recent {
                        mode: RecentMode::Set,
                        seconds: None,
                        reap: false,
                        name: "DEFAULT".to_owned(),
                    },
                    "nfacct" => Match::Nfacct(String::new()),
                    other => {
                        return Err(format!(
                            "Couldn't load match `{other}':No such file or directory"
                        ));
                    }
                };
                rule.matches.push(m);
            }
            "--comment" => {
                let text = value("--comment")?;
                match find_match(&mut rule, |m| matches!(m, Match::Comment(_))) {
                    Some(Match::Comment(slot)) => *slot = text,
                    _ => return Err(unknown_option(&word)),
                }
            }
            "--dport" | "--destination-port" | "--sport" | "--source-port" => {
                let text = value(&word)?;
                let port: u16 = text
                    .parse()
                    .map_err(|_| format!("invalid port/service `{text}' specified"))?;
                if find_match(&mut rule, |m| matches!(m, Match::Ports { .. })).is_none() {
                    // `-p tcp --dport 80` loads the tcp match implicitly.
                    let protocol = rule.protocol.map_or(Protocol::Tcp, |(_, p)| p);
                    rule.matches.push(Match::Ports {
                        protocol,
                        sport: None,
                        dport: None,
                    });
                }
                if let Some(Match::Ports { sport, dport, .. }) =
                    find_match(&mut rule, |m| matches!(m, Match::Ports { .. }))
                {
                    if word.contains("dport") || word.contains("destination") {
                        *dport = Some(port);
                    } else {
                        *sport = Some(port);
                    }
                }
            }
            "--mode" => {
                let mode = value("--mode")?;
                if mode != "random" {
                    return Err(format!("Bad mode \"{mode}\""));
                }
            }
            "--probability" => {
                let text = value("--probability")?;
                let p: f64 = text
                    .parse()
                    .map_err(|_| format!("Bad probability \"{text}\""))?;
                match find_match(&mut rule, |m| matches!(m, Match::Statistic { .. })) {
                    Some(Match::Statistic { probability }) => {
                        *probability = Match::probability_fixed(p)
                    }
                    _ => return Err(unknown_option(&word)),
                }
            }
            "--src-type" | "--dst-type" => {
                let kind = value(&word)?;
                match find_match(&mut rule, |m| matches!(m, Match::AddrType { .. })) {
                    Some(Match::AddrType { src_type, dst_type }) => {
                        if word == "--src-type" {
                            *src_type = Some(kind);
                        } else {
                            *dst_type = Some(kind);
                        }
                    }
                    _ => return Err(unknown_option(&word)),
                }
            }
            "--ctstate" => {
                let text = value("--ctstate")?;
                match find_match(&mut rule, |m| matches!(m, Match::Conntrack { .. })) {
                    Some(Match::Conntrack { negated, states }) => {
                        *negated = negate;
                        *states = text;
                    }
                    _ => return Err(unknown_option(&word)),
                }
            }
            "--mark" => {
                let text = value("--mark")?;
                let (v, m) =
                    parse_mark(&text).ok_or_else(|| format!("Bad mark value \"{text}\""))?;
                match find_match(&mut rule, |m| matches!(m, Match::Mark { .. })) {
                    Some(Match::Mark {
                        negated,
                        value,
                        mask,
                    }) => {
                        *negated = negate;
                        *value = v;
                        *mask = m;
                    }
                    _ => return Err(unknown_option(&word)),
                }
            }
            "--set" | "--rcheck" | "--reap" | "--rsource" => {
                match find_match(&mut rule, |m| matches!(m, Match::Recent { .. })) {
                    Some(Match::Recent { mode, reap, .. }) => match word.as_str() {
                        "--set" => *mode = RecentMode::Set,
                        "--rcheck" => *mode = RecentMode::Rcheck,
                        "--reap" => *reap = true,
                        _ => {}
                    },
                    _ => return Err(unknown_option(&word)),
                }
            }
            "--seconds" | "--name" | "--mask" => {
                let text = value(&word)?;
                match find_match(&mut rule, |m| matches!(m, Match::Recent { .. })) {
                    Some(Match::Recent { seconds, name, .. }) => match word.as_str() {
                        "--seconds" => {
                            *seconds = Some(text.parse().map_err(|_| {
                                "bad value for option \"--seconds\", or out of range.".to_owned()
                            })?)
                        }
                        "--name" => *name = text,
                        _ => {}
                    },
                    _ => return Err(unknown_option(&word)),
                }
            }
            "--nfacct-name" => {
                let text = value("--nfacct-name")?;
                match find_match(&mut rule, |m| matches!(m, Match::Nfacct(_))) {
                    Some(Match::Nfacct(slot)) => *slot = text,
                    _ => return Err(unknown_option(&word)),
                }
            }
            "-j" | "--jump" => {
                let name = value("-j")?;
                rule.target = Some(match name.as_str() {
                    "REJECT" => Target::Reject {
                        with: "icmp-port-unreachable".to_owned(),
                    },
                    "DNAT" => Target::Dnat {
                        ip: crate::net::addr::Ipv4(0),
                        port: None,
                    },
                    "MASQUERADE" => Target::Masquerade {
                        random_fully: false,
                    },
                    "MARK" => Target::Mark { value: 0, mask: 0 },
                    _ => Target::Jump(std::sync::Arc::from(name)),
                });
            }
            "--reject-with" => {
                let text = value("--reject-with")?;
                match &mut rule.target {
                    Some(Target::Reject { with }) => *with = text,
                    _ => return Err(unknown_option(&word)),
                }
            }
            "--to-destination" => {
                let text = value("--to-destination")?;
                match &mut rule.target {
                    Some(Target::Dnat { ip, port }) => {
                        let (addr, number) = match text.split_once(':') {
                            Some((addr, number)) => (addr, Some(number)),
                            None => (text.as_str(), None),
                        };
                        *ip = crate::net::addr::Ipv4::parse(addr)
                            .ok_or_else(|| format!("Bad IP address \"{addr}\""))?;
                        *port = match number {
                            Some(n) => {
                                Some(n.parse().map_err(|_| format!("Port \"{n}\" not valid"))?)
                            }
                            None => None,
                        };
                    }
                    _ => return Err(unknown_option(&word)),
                }
            }
            "--random-fully" => match &mut rule.target {
                Some(Target::Masquerade { random_fully }) => *random_fully = true,
                _ => return Err(unknown_option(&word)),
            },
            "--set-xmark" | "--or-mark" | "--xor-mark" => {
                let text = value(&word)?;
                let (v, m) =
                    parse_mark(&text).ok_or_else(|| format!("Bad MARK value \"{text}\""))?;
                let (v, m) = match word.as_str() {
                    "--or-mark" => (v, v),
                    "--xor-mark" => (v, 0),
                    _ => (v, m),
                };
                match &mut rule.target {
                    Some(Target::Mark { value, mask }) => {
                        *value = v;
                        *mask = m;
                    }
                    _ => return Err(unknown_option(&word)),
                }
            }
            other => return Err(unknown_option(other)),
        }
        negate = false;
    }
    Ok((chain, rule))
}

fn unknown_option(word: &str) -> String {
    format!("unknown option \"{word}\"")
}

/// The last match satisfying `pred`: options belong to the most recent module that knows
/// them, as in iptables' option parser.
fn find_match(rule: &mut Rule, pred: impl Fn(&Match) -> bool) -> Option<&mut Match> {
    rule.matches.iter_mut().rev().find(|m| pred(m))
}

/// Reads `iptables-save` output (or `iptables-restore` input) into a ruleset. Comments and
/// blank lines are skipped; rules for chains not declared yet are an error, as in
/// iptables-restore.
pub fn parse_save(text: &str) -> Result<Ruleset, ParseError> {
    let mut ruleset = Ruleset::default();
    let mut current: Option<Table> = None;
    for (idx, line) in text.lines().enumerate() {
        let line_no = idx + 1;
        let err = |message: String| ParseError {
            line: line_no,
            message,
        };
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('*') {
            let kind =
                TableKind::parse(name).ok_or_else(|| err(format!("unknown table {name}")))?;
            let mut table = Table::new(kind);
            // Built-in chains appear in the dump with their policy; start with none so the
            // parsed table has exactly what the text declares.
            table.chains.clear();
            current = Some(table);
            continue;
        }
        if line == "COMMIT" {
            let table = current
                .take()
                .ok_or_else(|| err("COMMIT outside a table".to_owned()))?;
            ruleset.tables.insert(table.kind, table);
            continue;
        }
        let table = current
            .as_mut()
            .ok_or_else(|| err("rule outside a table".to_owned()))?;
        if let Some(decl) = line.strip_prefix(':') {
            let mut parts = decl.split_whitespace();
            let name = parts
                .next()
                .ok_or_else(|| err("chain name missing".to_owned()))?;
            let policy = match parts.next() {
                Some("ACCEPT") => Some(Verdict::Accept),
                Some("DROP") => Some(Verdict::Drop),
                Some("-") | None => None,
                Some(other) => return Err(err(format!("bad policy {other}"))),
            };
            let mut chain = Chain::new(std::sync::Arc::from(name), policy);
            if let Some(counters) = parts.next() {
                let inner = counters.trim_start_matches('[').trim_end_matches(']');
                if let Some((packets, bytes)) = inner.split_once(':') {
                    chain.packets = packets.parse().unwrap_or(0);
                    chain.bytes = bytes.parse().unwrap_or(0);
                }
            }
            table.chains.insert(chain.name.clone(), chain);
            continue;
        }
        if line.starts_with("-A ") || line.starts_with("--append ") {
            let (chain, rule) = parse_rule(line).map_err(err)?;
            let slot = table
                .chains
                .get_mut(chain.as_str())
                .ok_or_else(|| err(format!("Chain '{chain}' does not exist")))?;
            slot.rules.push(rule);
            continue;
        }
        return Err(err(format!("unexpected line {line:?}")));
    }
    if current.is_some() {
        return Err(ParseError {
            line: text.lines().count(),
            message: "COMMIT expected".to_owned(),
        });
    }
    Ok(ruleset)
}
