//! IPv4 addresses, CIDR blocks, ports and transport protocols: the vocabulary every other
//! `net` module speaks. Parsing here never panics on text typed by a person; it returns `None`.
//!
//! This module knows nothing about Kubernetes, iptables or DNS.

use std::fmt;
use std::str::FromStr;

/// An IPv4 address. A newtype (not `std::net::Ipv4Addr`) so that CIDR arithmetic and the
/// `a-b-c-d` pod-record spelling live in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(into = "String")]
pub struct Ipv4(pub u32);

impl Ipv4 {
    pub const fn new(a: u8, b: u8, c: u8, d: u8) -> Ipv4 {
        Ipv4(u32::from_be_bytes([a, b, c, d]))
    }

    pub fn octets(self) -> [u8; 4] {
        self.0.to_be_bytes()
    }

    pub fn parse(text: &str) -> Option<Ipv4> {
        let mut octets = [0u8; 4];
        let mut parts = text.split('.');
        for octet in &mut octets {
            let part = parts.next()?;
            // Reject empty parts, signs and leading zeros ("010" is octal to some resolvers).
            if part.is_empty()
                || part.len() > 3
                || !part.bytes().all(|b| b.is_ascii_digit())
                || (part.len() > 1 && part.starts_with('0'))
            {
                return None;
            }
            *octet = part.parse().ok()?;
        }
        if parts.next().is_some() {
            return None;
        }
        Some(Ipv4(u32::from_be_bytes(octets)))
    }

    /// `10-244-1-5`, the label CoreDNS answers under `<ns>.pod.cluster.local`.
    pub fn dashed(self) -> String {
        let [a, b, c, d] = self.octets();
        format!("{a}-{b}-{c}-{d}")
    }

    /// `5.1.244.10.in-addr.arpa`, the PTR query name.
    pub fn reverse_name(self) -> String {
        let [a, b, c, d] = self.octets();
        format!("{d}.{c}.{b}.{a}.in-addr.arpa")
    }

    /// The address `n` places after this one (wrapping is the caller's bug, so saturate).
    pub fn offset(self, n: u32) -> Ipv4 {
        Ipv4(self.0.saturating_add(n))
    }

    pub fn is_loopback(self) -> bool {
        self.octets()[0] == 127
    }
}

impl fmt::Display for Ipv4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.octets();
        write!(f, "{a}.{b}.{c}.{d}")
    }
}

impl From<Ipv4> for String {
    fn from(ip: Ipv4) -> String {
        ip.to_string()
    }
}

impl FromStr for Ipv4 {
    type Err = ();
    fn from_str(s: &str) -> Result<Ipv4, ()> {
        Ipv4::parse(s).ok_or(())
    }
}

/// An IPv4 network `addr/prefix`, always stored with the host bits cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cidr {
    pub network: Ipv4,
    pub prefix: u8,
}

impl Cidr {
    pub fn new(addr: Ipv4, prefix: u8) -> Cidr {
        let prefix = prefix.min(32);
        Cidr {
            network: Ipv4(addr.0 & Cidr::mask_bits(prefix)),
            prefix,
        }
    }

    /// `10.244.0.0/16`; a bare address is a `/32`, as iptables reads `-d 10.96.0.1`.
    pub fn parse(text: &str) -> Option<Cidr> {
        match text.split_once('/') {
            Some((addr, prefix)) => {
                if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let prefix: u8 = prefix.parse().ok()?;
                if prefix > 32 {
                    return None;
                }
                Some(Cidr::new(Ipv4::parse(addr)?, prefix))
            }
            None => Some(Cidr::new(Ipv4::parse(text)?, 32)),
        }
    }

    fn mask_bits(prefix: u8) -> u32 {
        if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(prefix.min(32)))
        }
    }

    pub fn mask(self) -> Ipv4 {
        Ipv4(Cidr::mask_bits(self.prefix))
    }

    pub fn contains(self, ip: Ipv4) -> bool {
        ip.0 & Cidr::mask_bits(self.prefix) == self.network.0
    }

    pub fn size(self) -> u64 {
        1u64 << (32 - u32::from(self.prefix))
    }

    /// The `n`th address of the block (0 is the network address itself).
    pub fn nth(self, n: u32) -> Option<Ipv4> {
        (u64::from(n) < self.size()).then(|| self.network.offset(n))
    }

    /// The `index`th sub-block of length `prefix` (`10.244.0.0/16` split into /24s, index 2 →
    /// `10.244.2.0/24`).
    pub fn subnet(self, prefix: u8, index: u32) -> Option<Cidr> {
        if prefix < self.prefix || prefix > 32 {
            return None;
        }
        let count = 1u64 << (prefix - self.prefix);
        if u64::from(index) >= count {
            return None;
        }
        let step = 1u64 << (32 - u32::from(prefix));
        let start = u64::from(self.network.0) + step * u64::from(index);
        Some(Cidr::new(Ipv4(u32::try_from(start).ok()?), prefix))
    }

    pub fn broadcast(self) -> Ipv4 {
        Ipv4(self.network.0 | !Cidr::mask_bits(self.prefix))
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// A transport protocol as Kubernetes spells it in a Service port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Protocol {
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    /// `TCP`, `UDP`, `SCTP` (case-insensitive, as the API server does not accept `tcp` but
    /// iptables writes it lower-case: callers decide which spelling they got).
    pub fn parse(text: &str) -> Option<Protocol> {
        match text.to_ascii_lowercase().as_str() {
            "tcp" => Some(Protocol::Tcp),
            "udp" => Some(Protocol::Udp),
            "sctp" => Some(Protocol::Sctp),
            _ => None,
        }
    }

    /// `tcp`: the spelling kube-proxy hashes and iptables prints.
    pub fn lower(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Sctp => "sctp",
        }
    }

    /// `TCP`: the spelling of the Kubernetes API and `kubectl get svc`.
    pub fn upper(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }

    /// The IANA protocol number `iptables -L -n` prints in its `prot` column.
    pub fn number(self) -> u8 {
        match self {
            Protocol::Tcp => 6,
            Protocol::Udp => 17,
            Protocol::Sctp => 132,
        }
    }
}

/// A TCP/UDP port number.
pub type Port = u16;

/// `host:port` as Go's `net.JoinHostPort` writes it for IPv4 (kube-proxy hashes this text).
pub fn join_host_port(ip: Ipv4, port: Port) -> String {
    format!("{ip}:{port}")
}

#[cfg(test)]
mod tests;
