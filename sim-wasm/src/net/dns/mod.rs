//! CoreDNS as kubeadm deploys it (`kubernetes cluster.local in-addr.arpa ip6.arpa { pods
//! insecure; ttl 30 }`), answering per the Kubernetes DNS-Based Service Discovery spec
//! (fidelity.md §2.1); the resolv.conf each pod and node gets; a stub resolver that follows
//! search domains and `ndots`; and the `nslookup`/`host` front ends of the images.
//!
//! Input is plain data ([`Directory`]); this module knows neither the API objects nor the
//! dataplane.

mod client;
mod resolver;

pub use client::{LookupOutput, NslookupFlavor, dig, host, nslookup};
pub use resolver::{NODE_RESOLV_CONF, Resolution, ResolvConf, resolve_host};

use crate::net::addr::{Ipv4, Port, Protocol};

/// The cluster DNS service address and domain of a kubeadm cluster.
pub const CLUSTER_DNS: Ipv4 = Ipv4::new(10, 96, 0, 10);
pub const CLUSTER_DOMAIN: &str = "cluster.local";
/// CoreDNS's `ttl 30`.
pub const TTL: u32 = 30;

/// A Service as DNS sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsService {
    pub namespace: String,
    pub name: String,
    /// `None` for a headless service.
    pub cluster_ip: Option<Ipv4>,
    /// `spec.externalName` of an ExternalName service.
    pub external_name: Option<String>,
    /// Named ports get SRV records (`_name._tcp.svc.ns.svc.cluster.local`).
    pub ports: Vec<(String, Protocol, Port)>,
    pub endpoints: Vec<DnsEndpoint>,
}

/// One address of a (headless) service's endpoints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsEndpoint {
    pub ip: Ipv4,
    /// `spec.hostname` of the pod (with `subdomain` = the service), for `<host>.<svc>...`.
    pub hostname: Option<String>,
    pub ready: bool,
}

/// Everything CoreDNS's `kubernetes` plugin serves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directory {
    pub services: Vec<DnsService>,
}

/// A DNS query type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QType {
    A,
    Aaaa,
    Srv,
    Ptr,
    Cname,
}

impl QType {
    pub fn name(self) -> &'static str {
        match self {
            QType::A => "A",
            QType::Aaaa => "AAAA",
            QType::Srv => "SRV",
            QType::Ptr => "PTR",
            QType::Cname => "CNAME",
        }
    }

    pub fn parse(text: &str) -> Option<QType> {
        match text.to_ascii_lowercase().as_str() {
            "a" => Some(QType::A),
            "aaaa" => Some(QType::Aaaa),
            "srv" => Some(QType::Srv),
            "ptr" => Some(QType::Ptr),
            "cname" => Some(QType::Cname),
            _ => None,
        }
    }
}

/// One resource record of an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    A {
        name: String,
        ip: Ipv4,
    },
    Cname {
        name: String,
        target: String,
    },
    Srv {
        name: String,
        priority: u16,
        weight: u16,
        port: Port,
        target: String,
    },
    Ptr {
        name: String,
        target: String,
    },
}

impl Record {
    /// Zone-file style text, for traces.
    pub fn text(&self) -> String {
        match self {
            Record::A { name, ip } => format!("{name}. {TTL} IN A {ip}"),
            Record::Cname { name, target } => format!("{name}. {TTL} IN CNAME {target}."),
            Record::Srv {
                name,
                priority,
                weight,
                port,
                target,
            } => format!("{name}. {TTL} IN SRV {priority} {weight} {port} {target}."),
            Record::Ptr { name, target } => format!("{name}. {TTL} IN PTR {target}."),
        }
    }
}

/// The response code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rcode {
    NoError,
    NxDomain,
}

impl Rcode {
    pub fn name(self) -> &'static str {
        match self {
            Rcode::NoError => "NOERROR",
            Rcode::NxDomain => "NXDOMAIN",
        }
    }
}

/// CoreDNS's reply to one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub rcode: Rcode,
    /// Set for names in cluster.local (CoreDNS is authoritative there); clear for names it
    /// forwarded upstream.
    pub authoritative: bool,
    pub records: Vec<Record>,
}

impl Answer {
    fn nxdomain(authoritative: bool) -> Answer {
        Answer {
            rcode: Rcode::NxDomain,
            authoritative,
            records: Vec::new(),
        }
    }

    fn records(records: Vec<Record>) -> Answer {
        Answer {
            rcode: Rcode::NoError,
            authoritative: true,
            records,
        }
    }

    /// The A addresses in the answer.
    pub fn addresses(&self) -> Vec<Ipv4> {
        self.records
            .iter()
            .filter_map(|r| match r {
                Record::A { ip, .. } => Some(*ip),
                _ => None,
            })
            .collect()
    }
}

impl Directory {
    /// Answers one question the way CoreDNS (kubernetes plugin, `pods insecure`) does.
    /// Names are compared case-insensitively and may carry a trailing dot.
    pub fn query(&self, name: &str, qtype: QType) -> Answer {
        let lower = name.trim_end_matches('.').to_ascii_lowercase();
        if let Some(reverse) = lower.strip_suffix(".in-addr.arpa") {
            return self.reverse(&lower, reverse, qtype);
        }
        let Some(local) = lower.strip_suffix(&format!(".{CLUSTER_DOMAIN}")) else {
            // Forwarded to the node's upstream resolver; the lab network has no answers for
            // these (fidelity.md §2.4's stand-in did the same).
            return Answer::nxdomain(false);
        };
        let labels: Vec<&str> = local.split('.').collect();
        match labels.as_slice() {
            [service, namespace, "svc"] => self.service_records(&lower, namespace, service, qtype),
            [host, service, namespace, "svc"] if !host.starts_with('_') => {
                self.endpoint_host(&lower, namespace, service, host, qtype)
            }
            [port, proto, service, namespace, "svc"] => {
                self.srv(&lower, namespace, service, port, proto, qtype)
            }
            [dashed, _namespace, "pod"] => {
                // `pods insecure`: any well-formed a-b-c-d answers, without checking the pod.
                match Ipv4::parse(&dashed.replace('-', ".")) {
                    Some(ip) if qtype == QType::A => Answer::records(vec![Record::A {
                        name: lower.clone(),
                        ip,
                    }]),
                    Some(_) => Answer::records(Vec::new()),
                    None => Answer::nxdomain(true),
                }
            }
            _ => Answer::nxdomain(true),
        }
    }

    fn find(&self, namespace: &str, service: &str) -> Option<&DnsService> {
        self.services.iter().find(|s| {
            s.namespace.eq_ignore_ascii_case(namespace) && s.name.eq_ignore_ascii_case(service)
        })
    }

    fn service_records(&self, fqdn: &str, namespace: &str, service: &str, qtype: QType) -> Answer {
        let Some(svc) = self.find(namespace, service) else {
            return Answer::nxdomain(true);
        };
        if let Some(target) = &svc.external_name {
            return Answer::records(vec![Record::Cname {
                name: fqdn.to_owned(),
                target: target.trim_end_matches('.').to_owned(),
            }]);
        }
        let ips: Vec<Ipv4> = match svc.cluster_ip {
            Some(ip) => vec![ip],
            None => {
                let ready: Vec<Ipv4> = svc
                    .endpoints
                    .iter()
                    .filter(|ep| ep.ready)
                    .map(|ep| ep.ip)
                    .collect();
                // A headless service without ready endpoints does not exist in DNS.
                if ready.is_empty() {
                    return Answer::nxdomain(true);
                }
                ready
            }
        };
        match qtype {
            QType::A => Answer::records(
                ips.into_iter()
                    .map(|ip| Record::A {
                        name: fqdn.to_owned(),
                        ip,
                    })
                    .collect(),
            ),
            _ => Answer::records(Vec::new()),
        }
    }

    fn endpoint_host(
        &self,
        fqdn: &str,
        namespace: &str,
        service: &str,
        host: &str,
        qtype: QType,
    ) -> Answer {
        let Some(svc) = self.find(namespace, service) else {
            return Answer::nxdomain(true);
        };
        let ips: Vec<Ipv4> = svc
            .endpoints
            .iter()
            .filter(|ep| ep.ready)
            .filter(|ep| {
                ep.hostname
                    .as_deref()
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                    == Some(host)
                    || ep.ip.dashed() == host
            })
            .map(|ep| ep.ip)
            .collect();
        if ips.is_empty() || svc.cluster_ip.is_some() {
            return Answer::nxdomain(true);
        }
        match qtype {
            QType::A => Answer::records(
                ips.into_iter()
                    .map(|ip| Record::A {
                        name: fqdn.to_owned(),
                        ip,
                    })
                    .collect(),
            ),
            _ => Answer::records(Vec::new()),
        }
    }

    fn srv(
        &self,
        fqdn: &str,
        namespace: &str,
        service: &str,
        port: &str,
        proto: &str,
        qtype: QType,
    ) -> Answer {
        let Some(svc) = self.find(namespace, service) else {
            return Answer::nxdomain(true);
        };
        let (Some(port_name), Some(proto_name)) = (port.strip_prefix('_'), proto.strip_prefix('_'))
        else {
            return Answer::nxdomain(true);
        };
        let Some((_, _, number)) = svc.ports.iter().find(|(name, protocol, _)| {
            !name.is_empty()
                && name.eq_ignore_ascii_case(port_name)
                && protocol.lower() == proto_name
        }) else {
            return Answer::nxdomain(true);
        };
        if qtype != QType::Srv {
            return Answer::records(Vec::new());
        }
        let base = format!("{}.{}.svc.{CLUSTER_DOMAIN}", svc.name, svc.namespace);
        let targets: Vec<String> = match svc.cluster_ip {
            Some(_) => vec![base],
            None => svc
                .endpoints
                .iter()
                .filter(|ep| ep.ready)
                .map(|ep| {
                    let host = ep.hostname.clone().unwrap_or_else(|| ep.ip.dashed());
                    format!("{host}.{base}")
                })
                .collect(),
        };
        let weight = u16::try_from(100 / targets.len().max(1)).unwrap_or(100);
        Answer::records(
            targets
                .into_iter()
                .map(|target| Record::Srv {
                    name: fqdn.to_owned(),
                    priority: 0,
                    weight,
                    port: *number,
                    target,
                })
                .collect(),
        )
    }

    fn reverse(&self, fqdn: &str, reversed: &str, qtype: QType) -> Answer {
        let octets: Vec<&str> = reversed.split('.').collect();
        let ip = match octets.as_slice() {
            [d, c, b, a] => Ipv4::parse(&format!("{a}.{b}.{c}.{d}")),
            _ => None,
        };
        let Some(ip) = ip else {
            return Answer::nxdomain(true);
        };
        // PTRs per the spec: a ClusterIP names its service; a headless endpoint with a
        // hostname names `<host>.<svc>.<ns>.svc`.
        let target = self.services.iter().find_map(|svc| {
            if svc.cluster_ip == Some(ip) {
                return Some(format!(
                    "{}.{}.svc.{CLUSTER_DOMAIN}",
                    svc.name, svc.namespace
                ));
            }
            if svc.cluster_ip.is_none() {
                return svc.endpoints.iter().find_map(|ep| {
                    let host = ep.hostname.as_ref()?;
                    (ep.ip == ip && ep.ready).then(|| {
                        format!("{host}.{}.{}.svc.{CLUSTER_DOMAIN}", svc.name, svc.namespace)
                    })
                });
            }
            None
        });
        match target {
            Some(target) if qtype == QType::Ptr => Answer::records(vec![Record::Ptr {
                name: fqdn.to_owned(),
                target,
            }]),
            Some(_) => Answer::records(Vec::new()),
            // Pod and node addresses fall through to the upstream, which knows nothing.
            None => Answer::nxdomain(false),
        }
    }

    /// The name a PTR lookup of `ip` gives, if any.
    pub fn reverse_name(&self, ip: Ipv4) -> Option<String> {
        self.query(&ip.reverse_name(), QType::Ptr)
            .records
            .into_iter()
            .find_map(|r| match r {
                Record::Ptr { target, .. } => Some(target),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests;
