//! `/etc/resolv.conf` for pods (kubelet's ClusterFirst policy, written by cri-dockerd) and
//! nodes (Ubuntu 22.04's systemd-resolved stub), and the stub resolver's walk through the
//! search list (glibc/musl `res_search`: names with fewer than `ndots` dots try the search
//! domains first).

use super::{Answer, CLUSTER_DNS, CLUSTER_DOMAIN, Directory, QType};
use crate::net::addr::Ipv4;

/// The resolver configuration a process sees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvConf {
    pub nameserver: Ipv4,
    pub search: Vec<String>,
    pub ndots: usize,
    /// Whether the nameserver is the cluster's CoreDNS. A node's systemd-resolved forwards
    /// to the lab network's DNS, which has no cluster.local zone.
    pub cluster_dns: bool,
}

/// Ubuntu 22.04's `/etc/resolv.conf` (a symlink to systemd-resolved's stub file).
pub const NODE_RESOLV_CONF: &str = "\
# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).
# Do not edit.
#
# This file might be symlinked as /etc/resolv.conf. If you're looking at
# /etc/resolv.conf and seeing this text, you have followed a symlink.
#
# This is a dynamic resolv.conf file for connecting local clients to the
# internal DNS stub resolver of systemd-resolved. This file lists all
# configured search domains.
#
# Run \"resolvectl status\" to see details about the uplink DNS servers
# currently in use.
#
# Third party programs should typically not access this file directly, but only
# through the symlink at /etc/resolv.conf. To manage the man:resolv.conf(5) file in a
# different way, replace this symlink by a static file or a different symlink.
#
# See man:systemd-resolved.service(8) for details about the supported modes of
# operation for /etc/resolv.conf.

nameserver 127.0.0.53
options edns0 trust-ad
search .
";

impl ResolvConf {
    /// `dnsPolicy: ClusterFirst` (pkg/kubelet/network/dns/dns.go): the pod's namespace
    /// first, then `svc.cluster.local`, then `cluster.local`; `ndots:5`.
    pub fn cluster_first(namespace: &str) -> ResolvConf {
        ResolvConf {
            nameserver: CLUSTER_DNS,
            search: vec![
                format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
                format!("svc.{CLUSTER_DOMAIN}"),
                CLUSTER_DOMAIN.to_owned(),
            ],
            ndots: 5,
            cluster_dns: true,
        }
    }

    /// A node (or a `hostNetwork` pod): systemd-resolved's stub, no search domains.
    pub fn node() -> ResolvConf {
        ResolvConf {
            nameserver: Ipv4::new(127, 0, 0, 53),
            search: Vec::new(),
            ndots: 1,
            cluster_dns: false,
        }
    }

    /// The pod's file as cri-dockerd writes it (dockershim's `rewriteResolvFile`:
    /// nameserver, then search, then options). containerd writes search first
    /// (fidelity.md §2.2); this cluster's runtime is Docker through cri-dockerd.
    pub fn pod_file_text(&self) -> String {
        format!(
            "nameserver {}\nsearch {}\noptions ndots:{}\n",
            self.nameserver,
            self.search.join(" "),
            self.ndots
        )
    }

    /// The containerd spelling (search, nameserver, options), as in fidelity.md §2.2.
    pub fn containerd_file_text(&self) -> String {
        format!(
            "search {}\nnameserver {}\noptions ndots:{}\n",
            self.search.join(" "),
            self.nameserver,
            self.ndots
        )
    }

    /// The names `res_search` tries for `name`, in order.
    pub fn candidates(&self, name: &str) -> Vec<String> {
        if let Some(absolute) = name.strip_suffix('.') {
            return vec![absolute.to_owned()];
        }
        let expanded = self.search.iter().map(|domain| format!("{name}.{domain}"));
        let dots = name.matches('.').count();
        if dots >= self.ndots {
            std::iter::once(name.to_owned()).chain(expanded).collect()
        } else {
            expanded.chain(std::iter::once(name.to_owned())).collect()
        }
    }

    /// Asks this configuration's nameserver one question.
    pub fn ask(&self, directory: &Directory, name: &str, qtype: QType) -> Answer {
        if self.cluster_dns {
            directory.query(name, qtype)
        } else {
            // The lab network's resolver: no cluster.local, no internet names either.
            Answer {
                rcode: super::Rcode::NxDomain,
                authoritative: false,
                records: Vec::new(),
            }
        }
    }
}

/// The outcome of resolving a host name for a connection (`getaddrinfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// Every question asked, with its answer, in order (for traces).
    pub queries: Vec<(String, Answer)>,
    /// The name that answered and its addresses; `None` when every candidate failed.
    pub found: Option<(String, Vec<Ipv4>)>,
}

/// Resolves `name` like glibc's `getaddrinfo` (A records), following the search list.
pub fn resolve_host(directory: &Directory, conf: &ResolvConf, name: &str) -> Resolution {
    if let Some(ip) = Ipv4::parse(name) {
        return Resolution {
            queries: Vec::new(),
            found: Some((name.to_owned(), vec![ip])),
        };
    }
    let mut queries = Vec::new();
    for candidate in conf.candidates(name) {
        let answer = conf.ask(directory, &candidate, QType::A);
        let mut addresses = answer.addresses();
        // An ExternalName CNAME is followed, as the resolver would.
        if addresses.is_empty() {
            let cname = answer.records.iter().find_map(|r| match r {
                super::Record::Cname { target, .. } => Some(target.clone()),
                _ => None,
            });
            if let Some(target) = cname {
                queries.push((candidate.clone(), answer));
                let followed = conf.ask(directory, &target, QType::A);
                addresses = followed.addresses();
                queries.push((target.clone(), followed));
                if !addresses.is_empty() {
                    return Resolution {
                        queries,
                        found: Some((target, addresses)),
                    };
                }
                continue;
            }
        }
        queries.push((candidate.clone(), answer));
        if !addresses.is_empty() {
            return Resolution {
                queries,
                found: Some((candidate, addresses)),
            };
        }
    }
    Resolution {
        queries,
        found: None,
    }
}
