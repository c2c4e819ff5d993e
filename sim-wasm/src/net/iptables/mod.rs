//! A model of the Linux netfilter tables that `iptables` shows: tables, chains with their
//! policy and counters, and rules made of structured matches and a target.
//!
//! `render` prints the model exactly as the nodes' iptables v1.8.7 (nf_tables backend) does
//! (`iptables-save`, `iptables -S`, `iptables -L`); `parse` reads `iptables-save` or
//! `iptables-restore` text back. Knows nothing about Kubernetes: kube-proxy's rules are built
//! by `net::kube_proxy` and walked by `net::dataplane`.

mod parse;
mod render;

pub use parse::{ParseError, parse_rule, parse_save};
pub use render::{
    ListOptions, ctime, list, list_rules, rule_text, save, save_as, save_table, save_table_as,
};

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::net::addr::{Cidr, Ipv4, Port, Protocol};

/// A chain name, shared between the table's key, the chain and every rule that jumps to
/// it (kube-proxy writes tens of thousands of such references per sync).
pub type ChainName = Arc<str>;

/// The tables iptables-nft knows, in the order `iptables-nft-save` prints them
/// (`xtables_ipv4[]` in iptables' `nft.c`: raw, mangle, filter, security, nat).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TableKind {
    Raw,
    Mangle,
    Filter,
    Nat,
}

impl TableKind {
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Raw => "raw",
            TableKind::Mangle => "mangle",
            TableKind::Filter => "filter",
            TableKind::Nat => "nat",
        }
    }

    pub fn parse(text: &str) -> Option<TableKind> {
        match text {
            "raw" => Some(TableKind::Raw),
            "mangle" => Some(TableKind::Mangle),
            "filter" => Some(TableKind::Filter),
            "nat" => Some(TableKind::Nat),
            _ => None,
        }
    }

    /// The table's built-in chains, in the order iptables prints them.
    pub fn builtin_chains(self) -> &'static [&'static str] {
        match self {
            TableKind::Raw => &["PREROUTING", "OUTPUT"],
            TableKind::Mangle => &["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
            TableKind::Filter => &["INPUT", "FORWARD", "OUTPUT"],
            TableKind::Nat => &["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
        }
    }
}

/// Every table on one node.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ruleset {
    pub tables: BTreeMap<TableKind, Table>,
}

impl Ruleset {
    pub fn table(&self, kind: TableKind) -> Option<&Table> {
        self.tables.get(&kind)
    }

    /// The table, created with its built-in chains (policy ACCEPT) if it did not exist.
    pub fn table_mut(&mut self, kind: TableKind) -> &mut Table {
        self.tables.entry(kind).or_insert_with(|| Table::new(kind))
    }
}

/// One table: built-in chains (with a policy) and user chains (without).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub kind: TableKind,
    /// Keyed by name; the BTreeMap's byte order is the order iptables-nft-save prints user
    /// chains in (built-ins come first, in [`TableKind::builtin_chains`] order).
    pub chains: BTreeMap<ChainName, Chain>,
}

impl Table {
    pub fn new(kind: TableKind) -> Table {
        let chains = crate::sort::map_from(kind.builtin_chains().iter().map(|name| {
            let chain = Chain::new(Arc::from(*name), Some(Verdict::Accept));
            (chain.name.clone(), chain)
        }));
        Table { kind, chains }
    }

    pub fn chain(&self, name: &str) -> Option<&Chain> {
        self.chains.get(name)
    }

    /// The chain, created as an empty user chain if it did not exist.
    pub fn chain_mut(&mut self, name: &str) -> &mut Chain {
        // Look up before inserting: `entry` would allocate the key on every append, and
        // kube-proxy appends tens of thousands of rules per sync at scale.
        if !self.chains.contains_key(name) {
            let chain = Chain::new(Arc::from(name), None);
            self.chains.insert(chain.name.clone(), chain);
        }
        match self.chains.get_mut(name) {
            Some(chain) => chain,
            None => unreachable!("inserted above"),
        }
    }

    /// Adds a whole user chain at once (replacing one of the same name).
    pub fn insert_chain(&mut self, name: ChainName, rules: Vec<Rule>) {
        let mut chain = Chain::new(name, None);
        chain.rules = rules;
        self.chains.insert(chain.name.clone(), chain);
    }

    /// Appends a rule (`-A chain ...`), creating the chain if needed.
    pub fn append(&mut self, chain: &str, rule: Rule) {
        self.chain_mut(chain).rules.push(rule);
    }

    /// Chains in print order: built-ins in the kernel's order, then user chains by name.
    pub fn chains_in_order(&self) -> Vec<&Chain> {
        let builtins = self.kind.builtin_chains();
        let mut out: Vec<&Chain> = builtins
            .iter()
            .filter_map(|name| self.chains.get(*name))
            .collect();
        out.extend(
            self.chains
                .values()
                .filter(|chain| !builtins.contains(&&*chain.name)),
        );
        out
    }

    /// How many rules jump or go to `chain` (the `(N references)` of `iptables -L`).
    pub fn references(&self, chain: &str) -> usize {
        self.chains
            .values()
            .flat_map(|c| c.rules.iter())
            .filter(|rule| matches!(&rule.target, Some(Target::Jump(name)) if &**name == chain))
            .count()
    }
}

/// A built-in chain's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Verdict {
    Accept,
    Drop,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Accept => "ACCEPT",
            Verdict::Drop => "DROP",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chain {
    pub name: ChainName,
    /// `Some` for built-in chains, `None` for user chains (printed as `-`).
    pub policy: Option<Verdict>,
    pub packets: u64,
    pub bytes: u64,
    pub rules: Vec<Rule>,
}

impl Chain {
    pub fn new(name: ChainName, policy: Option<Verdict>) -> Chain {
        Chain {
            name,
            policy,
            packets: 0,
            bytes: 0,
            rules: Vec::new(),
        }
    }
}

/// `[!] -s 10.244.0.0/16`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddrMatch {
    pub negated: bool,
    pub cidr: Cidr,
}

/// One rule. The fields in front of `matches` are iptables' fixed "ip" part, which
/// iptables-save always prints first (`-s`, `-d`, `-i`, `-o`, `-p`) whatever order the rule
/// was written in; `matches` keep the order they were given in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rule {
    pub source: Option<AddrMatch>,
    pub destination: Option<AddrMatch>,
    pub in_interface: Option<(bool, String)>,
    pub out_interface: Option<(bool, String)>,
    pub protocol: Option<(bool, Protocol)>,
    pub matches: Vec<Match>,
    pub target: Option<Target>,
    pub packets: u64,
    pub bytes: u64,
}

impl Rule {
    /// The rule's `-m comment --comment` text, if any.
    pub fn comment(&self) -> Option<&str> {
        self.matches.iter().find_map(|m| match m {
            Match::Comment(text) => Some(text.as_str()),
            _ => None,
        })
    }
}

/// `-m recent --set` or `--rcheck`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecentMode {
    Set,
    Rcheck,
}

/// A `-m NAME ...` match module with its options.
#[derive(Clone, Debug, PartialEq)]
pub enum Match {
    /// `-m comment --comment TEXT`
    Comment(String),
    /// `-m tcp|udp|sctp [--sport N] [--dport N]`
    Ports {
        protocol: Protocol,
        sport: Option<Port>,
        dport: Option<Port>,
    },
    /// `-m statistic --mode random --probability P`, stored as the kernel does: a fixed-point
    /// fraction of 2^31 (`xt_statistic`), which is why 1/3 prints back as `0.33333333349`.
    Statistic { probability: u32 },
    /// `-m addrtype [--src-type T] [--dst-type T]`
    AddrType {
        src_type: Option<String>,
        dst_type: Option<String>,
    },
    /// `-m conntrack [!] --ctstate S1,S2`
    Conntrack { negated: bool, states: String },
    /// `-m mark [!] --mark V[/M]`
    Mark {
        negated: bool,
        value: u32,
        mask: u32,
    },
    /// `-m recent ...` (session affinity)
    Recent {
        mode: RecentMode,
        seconds: Option<u32>,
        reap: bool,
        name: String,
    },
    /// `-m nfacct --nfacct-name NAME`
    Nfacct(String),
}

impl Match {
    /// The kernel's fixed-point probability for `p` (libxt_statistic: `lround(0x80000000 * p)`).
    pub fn probability_fixed(p: f64) -> u32 {
        let scaled = (p.clamp(0.0, 1.0) * f64::from(0x8000_0000u32)).round();
        scaled as u32
    }

    /// The probability the kernel actually applies, as a fraction.
    pub fn probability_value(fixed: u32) -> f64 {
        f64::from(fixed) / f64::from(0x8000_0000u32)
    }
}

/// `-j TARGET ...`
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A user chain, or a standard verdict (`ACCEPT`, `DROP`, `RETURN`).
    Jump(ChainName),
    /// `-j REJECT --reject-with TYPE`
    Reject { with: String },
    /// `-j DNAT --to-destination IP[:PORT]`
    Dnat { ip: Ipv4, port: Option<Port> },
    /// `-j MASQUERADE [--random-fully]`
    Masquerade { random_fully: bool },
    /// `-j MARK --set-xmark V/M` (`--or-mark V` is `V/V`, `--xor-mark V` is `V/0`).
    Mark { value: u32, mask: u32 },
}

impl Target {
    /// `--to-destination`'s text for a DNAT target (`10.244.1.5:8080`).
    pub fn dnat_text(ip: Ipv4, port: Option<Port>) -> String {
        match port {
            Some(port) => format!("{ip}:{port}"),
            None => ip.to_string(),
        }
    }

    /// What `iptables -L` prints in its `target` column.
    pub fn name(&self) -> &str {
        match self {
            Target::Jump(name) => name,
            Target::Reject { .. } => "REJECT",
            Target::Dnat { .. } => "DNAT",
            Target::Masquerade { .. } => "MASQUERADE",
            Target::Mark { .. } => "MARK",
        }
    }
}

#[cfg(test)]
mod tests;
