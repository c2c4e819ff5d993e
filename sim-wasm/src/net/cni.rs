//! The CNI plugins a kubeadm cluster is built with: their pod CIDR and per-node blocks
//! (fidelity.md §5), pod IP allocation, the devices and routes they create on each node and
//! inside each pod, and the text of `ip addr`, `ip route`, `ifconfig` and `route -n`.
//!
//! Knows nodes and pods only as [`NodeNet`]/[`PodIface`] values; not the API objects.

use std::fmt::Write as _;

pub use crate::cluster::Cni;
use crate::net::addr::{Cidr, Ipv4};
use crate::net::hash::sha256;

/// A node as the network sees it. `index` is its position in the cluster (master = 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeNet {
    pub name: String,
    pub ip: Ipv4,
    pub index: u32,
    /// The node's pod address block (from the cluster's IPAM; [`node_block`] gives the
    /// defaults).
    pub block: Cidr,
}

/// A pod's interface: what `eth0` in its sandbox is, and its host-side peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodIface {
    pub namespace: String,
    pub name: String,
    pub ip: Ipv4,
    /// Position among the pods on its node (gives interface indexes).
    pub slot: u32,
}

/// The VirtualBox NAT interface every node has (Vagrant-style lab).
const NAT_IP: Ipv4 = Ipv4::new(10, 0, 2, 15);
const NAT_GATEWAY: Ipv4 = Ipv4::new(10, 0, 2, 2);
const DOCKER_BRIDGE: Ipv4 = Ipv4::new(172, 17, 0, 1);
/// Interface index of the first pod veth on a node (after lo, enp0s3, enp0s8, docker0 and
/// the plugin's own devices).
const FIRST_VETH_INDEX: u32 = 7;

/// The cluster-wide pod range of a plugin's default install.
pub fn pool(cni: Cni) -> Cidr {
    match cni {
        Cni::Calico => Cidr::new(Ipv4::new(192, 168, 0, 0), 16),
        Cni::Flannel => Cidr::new(Ipv4::new(10, 244, 0, 0), 16),
        Cni::WeaveNet => Cidr::new(Ipv4::new(10, 32, 0, 0), 12),
    }
}

/// The block of pod addresses a node hands out: a Calico IPAM /26 (at a hash-like place in
/// the pool, as real clusters show), the node's flannel /24 (`node.spec.podCIDR`), or the
/// share of Weave's /12 its IPAM took.
pub fn node_block(cni: Cni, node_index: u32) -> Cidr {
    match cni {
        Cni::Calico => {
            // 192.168.219.64/26, 192.168.235.128/26, 192.168.189.64/26, then sequential.
            const BLOCKS: [u32; 3] = [877, 942, 757];
            let index = BLOCKS
                .get(node_index as usize)
                .copied()
                .unwrap_or(node_index * 4 + 1);
            pool(cni)
                .subnet(26, index)
                .unwrap_or_else(|| Cidr::new(Ipv4::new(192, 168, 0, 0), 26))
        }
        Cni::Flannel => pool(cni)
            .subnet(24, node_index)
            .unwrap_or_else(|| Cidr::new(Ipv4::new(10, 244, 0, 0), 24)),
        Cni::WeaveNet => {
            const BASES: [[u8; 2]; 6] = [[32, 0], [44, 0], [40, 0], [36, 0], [38, 0], [42, 0]];
            let [b, c] = BASES.get(node_index as usize).copied().unwrap_or([46, 0]);
            Cidr::new(Ipv4::new(10, b, c, 0), 16)
        }
    }
}

/// The address the plugin gives its own device on the node: Calico's tunl0 takes the
/// block's own address, Flannel's cni0 and Weave's bridge the first host address.
pub fn node_device_ip(cni: Cni, node: &NodeNet) -> Ipv4 {
    match cni {
        Cni::Calico => node.block.network,
        Cni::Flannel | Cni::WeaveNet => node.block.network.offset(1),
    }
}

/// The `n`th pod address on a node with the default block (0-based, in allocation order).
pub fn pod_ip(cni: Cni, node_index: u32, n: u32) -> Option<Ipv4> {
    let block = node_block(cni, node_index);
    let first = match cni {
        Cni::Calico => 1,
        Cni::Flannel | Cni::WeaveNet => 2,
    };
    let ip = block.nth(first + n)?;
    // Keep the broadcast address of /24s and /26s free.
    (ip != block.broadcast()).then_some(ip)
}

/// The device packets leave a node by towards another node's pods.
pub fn tunnel_device(cni: Cni) -> &'static str {
    match cni {
        Cni::Calico => "tunl0",
        Cni::Flannel => "flannel.1",
        Cni::WeaveNet => "weave",
    }
}

/// Whether the plugin enforces NetworkPolicy (Flannel does not; fidelity.md §5).
pub fn enforces_network_policy(cni: Cni) -> bool {
    !matches!(cni, Cni::Flannel)
}

fn mtu(cni: Cni) -> u32 {
    match cni {
        Cni::Calico => 1480,
        Cni::Flannel => 1450,
        Cni::WeaveNet => 1376,
    }
}

fn digest(text: &str) -> [u8; 32] {
    sha256(text.as_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A locally administered MAC derived from a name, stable across runs.
fn mac(seed: &str) -> String {
    let d = digest(seed);
    let first = (d[0] & 0xfe) | 0x02;
    format!(
        "{first:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        d[1], d[2], d[3], d[4], d[5]
    )
}

/// VirtualBox NICs use Oracle's 08:00:27 prefix.
pub fn vbox_mac(seed: &str) -> String {
    let d = digest(seed);
    format!("08:00:27:{:02x}:{:02x}:{:02x}", d[0], d[1], d[2])
}

fn link_local(mac: &str) -> String {
    let bytes: Vec<u8> = mac
        .split(':')
        .filter_map(|part| u8::from_str_radix(part, 16).ok())
        .collect();
    let [a, b, c, d, e, f] = <[u8; 6]>::try_from(bytes).unwrap_or([0; 6]);
    let a = a ^ 0x02;
    let group = |hi: u8, lo: u8| format!("{:x}", u16::from_be_bytes([hi, lo]));
    format!(
        "fe80::{}:{}:{}:{}",
        group(a, b),
        group(c, 0xff),
        group(0xfe, d),
        group(e, f)
    )
}

/// The host-side veth of a pod: `cali` + 11 hex (Calico hashes the workload endpoint),
/// `veth` + 8 hex (flannel's bridge plugin), `vethwepl` + 7 hex (Weave).
pub fn host_veth(cni: Cni, namespace: &str, pod: &str) -> String {
    let h = hex(&digest(&format!("{namespace}.{pod}")));
    match cni {
        Cni::Calico => format!("cali{}", &h[..11]),
        Cni::Flannel => format!("veth{}", &h[..8]),
        Cni::WeaveNet => format!("vethwepl{}", &h[..7]),
    }
}

/// One route of a node's main table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub destination: Option<Cidr>,
    pub gateway: Option<Ipv4>,
    pub device: String,
    pub kind: RouteKind,
    pub source: Option<Ipv4>,
    pub metric: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    /// `proto kernel scope link` (a connected network).
    Kernel,
    /// `proto dhcp`.
    Dhcp,
    /// Calico's BGP (bird) routes, `onlink` through tunl0.
    Bird,
    /// `blackhole ... proto bird`: Calico's own block.
    Blackhole,
    /// `scope link` host route to a local pod's veth.
    Link,
    /// flannel's `onlink` routes through flannel.1.
    Onlink,
}

/// The main routing table of a node, in `ip route` order (by destination).
pub fn node_routes(cni: Cni, node: &NodeNet, nodes: &[NodeNet], pods: &[PodIface]) -> Vec<Route> {
    let route = |destination: Option<Cidr>, gateway, device: &str, kind, source, metric| Route {
        destination,
        gateway,
        device: device.to_owned(),
        kind,
        source,
        metric,
    };
    let mut routes = vec![
        route(
            None,
            Some(NAT_GATEWAY),
            "enp0s3",
            RouteKind::Dhcp,
            Some(NAT_IP),
            100,
        ),
        route(
            Some(Cidr::new(NAT_IP, 24)),
            None,
            "enp0s3",
            RouteKind::Kernel,
            Some(NAT_IP),
            100,
        ),
        route(
            Some(Cidr::new(NAT_GATEWAY, 32)),
            None,
            "enp0s3",
            RouteKind::Dhcp,
            Some(NAT_IP),
            100,
        ),
        route(
            Some(Cidr::new(DOCKER_BRIDGE, 16)),
            None,
            "docker0",
            RouteKind::Kernel,
            Some(DOCKER_BRIDGE),
            0,
        ),
        route(
            Some(Cidr::new(node.ip, 24)),
            None,
            "enp0s8",
            RouteKind::Kernel,
            Some(node.ip),
            0,
        ),
    ];
    match cni {
        Cni::Calico => {
            routes.push(route(
                Some(node.block),
                None,
                "",
                RouteKind::Blackhole,
                None,
                0,
            ));
            for pod in pods {
                routes.push(route(
                    Some(Cidr::new(pod.ip, 32)),
                    None,
                    &host_veth(cni, &pod.namespace, &pod.name),
                    RouteKind::Link,
                    None,
                    0,
                ));
            }
            for other in nodes.iter().filter(|n| n.index != node.index) {
                routes.push(route(
                    Some(other.block),
                    Some(other.ip),
                    "tunl0",
                    RouteKind::Bird,
                    None,
                    0,
                ));
            }
        }
        Cni::Flannel => {
            routes.push(route(
                Some(node.block),
                None,
                "cni0",
                RouteKind::Kernel,
                Some(node_device_ip(cni, node)),
                0,
            ));
            for other in nodes.iter().filter(|n| n.index != node.index) {
                let block = other.block;
                routes.push(route(
                    Some(block),
                    Some(block.network),
                    "flannel.1",
                    RouteKind::Onlink,
                    None,
                    0,
                ));
            }
        }
        Cni::WeaveNet => {
            routes.push(route(
                Some(pool(cni)),
                None,
                "weave",
                RouteKind::Kernel,
                Some(node_device_ip(cni, node)),
                0,
            ));
        }
    }
    crate::sort::sort_by_key(&mut routes, |r| {
        r.destination
            .map_or((0, 0, 0), |d| (1, d.network.0, d.prefix))
    });
    routes
}

/// The most specific route for `destination` (the kernel's longest-prefix match).
pub fn lookup(routes: &[Route], destination: Ipv4) -> Option<&Route> {
    routes
        .iter()
        .filter(|r| r.destination.is_none_or(|d| d.contains(destination)))
        .max_by_key(|r| r.destination.map_or(0, |d| u32::from(d.prefix) + 1))
}

/// `ip route` on a node (iproute2 5.15 prints a trailing space on each line).
pub fn ip_route_text(routes: &[Route]) -> String {
    let mut out = String::new();
    for r in routes {
        let dest = match r.destination {
            None => "default".to_owned(),
            Some(d) if d.prefix == 32 => d.network.to_string(),
            Some(d) => d.to_string(),
        };
        let line = match r.kind {
            RouteKind::Blackhole => format!("blackhole {dest} proto bird "),
            RouteKind::Bird => format!(
                "{dest} via {} dev {} proto bird onlink ",
                r.gateway.map(|g| g.to_string()).unwrap_or_default(),
                r.device
            ),
            RouteKind::Onlink => format!(
                "{dest} via {} dev {} onlink ",
                r.gateway.map(|g| g.to_string()).unwrap_or_default(),
                r.device
            ),
            RouteKind::Link => format!("{dest} dev {} scope link ", r.device),
            RouteKind::Dhcp => match r.gateway {
                Some(gw) => format!(
                    "{dest} via {gw} dev {} proto dhcp src {} metric {} ",
                    r.device,
                    r.source.map(|s| s.to_string()).unwrap_or_default(),
                    r.metric
                ),
                None => format!(
                    "{dest} dev {} proto dhcp scope link src {} metric {} ",
                    r.device,
                    r.source.map(|s| s.to_string()).unwrap_or_default(),
                    r.metric
                ),
            },
            RouteKind::Kernel => {
                let mut line = format!(
                    "{dest} dev {} proto kernel scope link src {} ",
                    r.device,
                    r.source.map(|s| s.to_string()).unwrap_or_default()
                );
                if r.metric > 0 {
                    let _ = write!(line, "metric {} ", r.metric);
                }
                if r.device == "docker0" {
                    line.push_str("linkdown ");
                }
                line
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// net-tools `route -n`.
pub fn route_n_text(routes: &[Route]) -> String {
    let mut out = String::from(
        "Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n",
    );
    for r in routes {
        let (dest, mask) = match r.destination {
            None => ("0.0.0.0".to_owned(), "0.0.0.0".to_owned()),
            Some(d) => (d.network.to_string(), d.mask().to_string()),
        };
        let gateway = r.gateway.map_or("0.0.0.0".to_owned(), |g| g.to_string());
        let mut flags = String::from("U");
        if r.gateway.is_some() {
            flags.push('G');
        }
        if r.destination.is_some_and(|d| d.prefix == 32) {
            flags.push('H');
        }
        let (flags, device) = if r.kind == RouteKind::Blackhole {
            ("!".to_owned(), "-".to_owned())
        } else {
            (flags, r.device.clone())
        };
        let refs = if r.kind == RouteKind::Blackhole {
            "-"
        } else {
            "0"
        };
        let _ = writeln!(
            out,
            "{dest:<15} {gateway:<15} {mask:<15} {flags:<5} {:<6} {refs:<2} {:>7} {device}",
            r.metric, 0
        );
    }
    out
}

/// One interface of a node or pod, enough for `ip addr` and `ifconfig`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    pub index: u32,
    pub name: String,
    /// `@ifN` / `@NONE` suffix.
    pub peer: Option<String>,
    pub flags: &'static str,
    pub mtu: u32,
    pub qdisc: &'static str,
    pub state: &'static str,
    pub master: Option<String>,
    pub link: String,
    pub inet: Option<(Ipv4, u8, Option<Ipv4>)>,
    pub inet6: Option<String>,
    pub link_netns: Option<String>,
}

fn loopback() -> Interface {
    Interface {
        index: 1,
        name: "lo".into(),
        peer: None,
        flags: "LOOPBACK,UP,LOWER_UP",
        mtu: 65536,
        qdisc: "noqueue",
        state: "UNKNOWN",
        master: None,
        link: "link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00".into(),
        inet: Some((Ipv4::new(127, 0, 0, 1), 8, None)),
        inet6: Some("::1/128 scope host".into()),
        link_netns: None,
    }
}

fn ether(mac: &str) -> String {
    format!("link/ether {mac} brd ff:ff:ff:ff:ff:ff")
}

/// The interfaces of a node with these pods.
pub fn node_interfaces(cni: Cni, node: &NodeNet, pods: &[PodIface]) -> Vec<Interface> {
    let nat_mac = vbox_mac(&format!("{}-enp0s3", node.name));
    let host_mac = vbox_mac(&format!("{}-enp0s8", node.name));
    let docker_mac = mac(&format!("{}-docker0", node.name));
    let up = "BROADCAST,MULTICAST,UP,LOWER_UP";
    let mut list = vec![
        loopback(),
        Interface {
            index: 2,
            name: "enp0s3".into(),
            peer: None,
            flags: up,
            mtu: 1500,
            qdisc: "fq_codel",
            state: "UP",
            master: None,
            link: ether(&nat_mac),
            inet: Some((NAT_IP, 24, Some(Ipv4::new(10, 0, 2, 255)))),
            inet6: Some(format!("{}/64 scope link", link_local(&nat_mac))),
            link_netns: None,
        },
        Interface {
            index: 3,
            name: "enp0s8".into(),
            peer: None,
            flags: up,
            mtu: 1500,
            qdisc: "fq_codel",
            state: "UP",
            master: None,
            link: ether(&host_mac),
            inet: Some((node.ip, 24, Some(Cidr::new(node.ip, 24).broadcast()))),
            inet6: Some(format!("{}/64 scope link", link_local(&host_mac))),
            link_netns: None,
        },
        Interface {
            index: 4,
            name: "docker0".into(),
            peer: None,
            flags: "NO-CARRIER,BROADCAST,MULTICAST,UP",
            mtu: 1500,
            qdisc: "noqueue",
            state: "DOWN",
            master: None,
            link: ether(&docker_mac),
            inet: Some((DOCKER_BRIDGE, 16, Some(Ipv4::new(172, 17, 255, 255)))),
            inet6: None,
            link_netns: None,
        },
    ];
    let device_ip = node_device_ip(cni, node);
    match cni {
        Cni::Calico => list.push(Interface {
            index: 5,
            name: "tunl0".into(),
            peer: Some("NONE".into()),
            flags: "NOARP,UP,LOWER_UP",
            mtu: 1480,
            qdisc: "noqueue",
            state: "UNKNOWN",
            master: None,
            link: "link/ipip 0.0.0.0 brd 0.0.0.0".into(),
            inet: Some((device_ip, 32, None)),
            inet6: None,
            link_netns: None,
        }),
        Cni::Flannel => {
            let vxlan_mac = mac(&format!("{}-flannel.1", node.name));
            let bridge_mac = mac(&format!("{}-cni0", node.name));
            list.push(Interface {
                index: 5,
                name: "flannel.1".into(),
                peer: None,
                flags: up,
                mtu: 1450,
                qdisc: "noqueue",
                state: "UNKNOWN",
                master: None,
                link: ether(&vxlan_mac),
                inet: Some((node.block.network, 32, None)),
                inet6: Some(format!("{}/64 scope link", link_local(&vxlan_mac))),
                link_netns: None,
            });
            list.push(Interface {
                index: 6,
                name: "cni0".into(),
                peer: None,
                flags: up,
                mtu: 1450,
                qdisc: "noqueue",
                state: "UP",
                master: None,
                link: ether(&bridge_mac),
                inet: Some((device_ip, 24, Some(node.block.broadcast()))),
                inet6: Some(format!("{}/64 scope link", link_local(&bridge_mac))),
                link_netns: None,
            });
        }
        Cni::WeaveNet => {
            let bridge_mac = mac(&format!("{}-weave", node.name));
            list.push(Interface {
                index: 5,
                name: "weave".into(),
                peer: None,
                flags: up,
                mtu: 1376,
                qdisc: "noqueue",
                state: "UP",
                master: None,
                link: ether(&bridge_mac),
                inet: Some((device_ip, 12, Some(pool(cni).broadcast()))),
                inet6: Some(format!("{}/64 scope link", link_local(&bridge_mac))),
                link_netns: None,
            });
        }
    }
    for pod in pods {
        // Calico gives every host-side veth the same MAC, ee:ee:ee:ee:ee:ee.
        let veth_mac = match cni {
            Cni::Calico => "ee:ee:ee:ee:ee:ee".to_owned(),
            _ => mac(&format!("{}.{}-host", pod.namespace, pod.name)),
        };
        let netns = hex(&digest(&format!("netns-{}.{}", pod.namespace, pod.name)));
        list.push(Interface {
            index: FIRST_VETH_INDEX + pod.slot,
            name: host_veth(cni, &pod.namespace, &pod.name),
            peer: Some(format!("if{}", pod_eth0_index(cni))),
            flags: up,
            mtu: mtu(cni),
            qdisc: "noqueue",
            state: "UP",
            master: match cni {
                Cni::Calico => None,
                Cni::Flannel => Some("cni0".into()),
                Cni::WeaveNet => Some("weave".into()),
            },
            link: ether(&veth_mac),
            inet: None,
            inet6: Some(format!("{}/64 scope link", link_local(&veth_mac))),
            link_netns: Some(format!(
                "cni-{}-{}-{}-{}-{}",
                &netns[..8],
                &netns[8..12],
                &netns[12..16],
                &netns[16..20],
                &netns[20..32]
            )),
        });
    }
    list
}

fn pod_eth0_index(cni: Cni) -> u32 {
    match cni {
        Cni::Calico => 4,
        _ => 3,
    }
}

/// The interfaces inside a pod's network namespace (the pause container's).
pub fn pod_interfaces(cni: Cni, pod: &PodIface) -> Vec<Interface> {
    let mut lo = loopback();
    lo.inet6 = None;
    let mut list = vec![lo];
    if cni == Cni::Calico {
        // The ipip module creates tunl0 in every network namespace.
        list.push(Interface {
            index: 2,
            name: "tunl0".into(),
            peer: Some("NONE".into()),
            flags: "NOARP",
            mtu: 1480,
            qdisc: "noop",
            state: "DOWN",
            master: None,
            link: "link/ipip 0.0.0.0 brd 0.0.0.0".into(),
            inet: None,
            inet6: None,
            link_netns: None,
        });
    }
    let prefix = match cni {
        Cni::Calico => 32,
        Cni::Flannel => 24,
        Cni::WeaveNet => 12,
    };
    let broadcast = (prefix < 32).then(|| Cidr::new(pod.ip, prefix).broadcast());
    list.push(Interface {
        index: pod_eth0_index(cni),
        name: "eth0".into(),
        peer: Some(format!("if{}", FIRST_VETH_INDEX + pod.slot)),
        flags: "BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN",
        mtu: mtu(cni),
        qdisc: "noqueue",
        state: "UP",
        master: None,
        link: ether(&mac(&format!("{}.{}-eth0", pod.namespace, pod.name))),
        inet: Some((pod.ip, prefix, broadcast)),
        inet6: None,
        link_netns: None,
    });
    list
}

/// `ip addr` as iproute2 (`full`, nodes) or BusyBox (`!full`, pods) prints it.
pub fn ip_addr_text(interfaces: &[Interface], full: bool) -> String {
    let mut out = String::new();
    for i in interfaces {
        let peer = i.peer.as_ref().map(|p| format!("@{p}")).unwrap_or_default();
        let _ = write!(
            out,
            "{}: {}{peer}: <{}> mtu {} qdisc {}",
            i.index, i.name, i.flags, i.mtu, i.qdisc
        );
        if let Some(master) = &i.master {
            let _ = write!(out, " master {master}");
        }
        if full {
            let _ = write!(out, " state {} group default", i.state);
            if i.name != "flannel.1" && !i.name.starts_with("veth") {
                out.push_str(" qlen 1000");
            }
            out.push('\n');
        } else if i.name == "lo" || i.name == "tunl0" {
            out.push_str(" qlen 1000\n");
        } else {
            out.push_str(" \n");
        }
        let _ = write!(out, "    {}", i.link);
        if full && let Some(netns) = &i.link_netns {
            let _ = write!(out, " link-netns {netns}");
        }
        out.push('\n');
        if let Some((ip, prefix, broadcast)) = i.inet {
            let _ = write!(out, "    inet {ip}/{prefix}");
            if full && i.name == "enp0s3" {
                out.push_str(" metric 100");
            }
            if let Some(brd) = broadcast {
                let _ = write!(out, " brd {brd}");
            }
            let scope = if i.name == "lo" { "host" } else { "global" };
            let dynamic = if i.name == "enp0s3" { "dynamic " } else { "" };
            let _ = writeln!(out, " scope {scope} {dynamic}{}", i.name);
            if i.name == "enp0s3" {
                out.push_str("       valid_lft 86155sec preferred_lft 86155sec\n");
            } else {
                out.push_str("       valid_lft forever preferred_lft forever\n");
            }
        }
        if let Some(inet6) = &i.inet6 {
            let _ = writeln!(out, "    inet6 {inet6} ");
            out.push_str("       valid_lft forever preferred_lft forever\n");
        }
    }
    out
}

/// net-tools `ifconfig` (interfaces sorted by name, as net-tools keeps its list).
pub fn ifconfig_text(interfaces: &[Interface]) -> String {
    let mut sorted: Vec<&Interface> = interfaces
        .iter()
        .filter(|i| i.state != "DOWN" || i.name == "docker0")
        .collect();
    crate::sort::sort_by(&mut sorted, |a, b| a.name.cmp(&b.name));
    let mut out = String::new();
    for i in sorted {
        let (flag_value, flag_names) = match i.name.as_str() {
            "lo" => (73, "UP,LOOPBACK,RUNNING"),
            "docker0" => (4099, "UP,BROADCAST,MULTICAST"),
            "tunl0" => (193, "UP,RUNNING,NOARP"),
            _ => (4163, "UP,BROADCAST,RUNNING,MULTICAST"),
        };
        let _ = writeln!(
            out,
            "{}: flags={flag_value}<{flag_names}>  mtu {}",
            i.name, i.mtu
        );
        if let Some((ip, prefix, broadcast)) = i.inet {
            let mask = Cidr::new(ip, prefix).mask();
            let _ = write!(out, "        inet {ip}  netmask {mask}");
            if let Some(brd) = broadcast {
                let _ = write!(out, "  broadcast {brd}");
            }
            out.push('\n');
        }
        if let Some(inet6) = &i.inet6 {
            let (addr, rest) = inet6.split_once('/').unwrap_or((inet6, "64"));
            let prefix = rest.split_whitespace().next().unwrap_or("64");
            let scope = if i.name == "lo" {
                "0x10<host>"
            } else {
                "0x20<link>"
            };
            let _ = writeln!(
                out,
                "        inet6 {addr}  prefixlen {prefix}  scopeid {scope}"
            );
        }
        let link = match i.name.as_str() {
            "lo" => "        loop  txqueuelen 1000  (Local Loopback)".to_owned(),
            "tunl0" => "        tunnel   txqueuelen 1000  (IPIP Tunnel)".to_owned(),
            _ => {
                let mac = i
                    .link
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("00:00:00:00:00:00");
                let qlen = if i.name.starts_with("veth")
                    || i.name.starts_with("cali")
                    || i.name == "flannel.1"
                {
                    0
                } else {
                    1000
                };
                format!("        ether {mac}  txqueuelen {qlen}  (Ethernet)")
            }
        };
        out.push_str(&link);
        out.push('\n');
        out.push_str("        RX packets 0  bytes 0 (0.0 B)\n");
        out.push_str("        RX errors 0  dropped 0  overruns 0  frame 0\n");
        out.push_str("        TX packets 0  bytes 0 (0.0 B)\n");
        out.push_str("        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n\n");
    }
    out
}

/// `ip route` inside a pod.
pub fn pod_routes_text(cni: Cni, pod: &PodIface) -> String {
    match cni {
        // Calico points the default route at a fake link-local gateway behind the veth.
        Cni::Calico => {
            "default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n".to_owned()
        }
        Cni::Flannel => {
            let block = Cidr::new(pod.ip, 24);
            let gateway = block.network.offset(1);
            format!(
                "default via {gateway} dev eth0 \n10.244.0.0/16 via {gateway} dev eth0 \n{block} dev eth0 scope link  src {} \n",
                pod.ip
            )
        }
        Cni::WeaveNet => format!(
            "default via 10.32.0.1 dev eth0 \n10.32.0.0/12 dev eth0 scope link  src {} \n",
            pod.ip
        ),
    }
}

#[cfg(test)]
mod tests;
