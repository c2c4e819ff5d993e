//! The machine outside the cluster: the VirtualBox host of the seed's setup (Ubuntu 22.04,
//! `vboxnet0` 192.168.56.1 on the host-only network the nodes share, and a home LAN uplink
//! with the default route). `ssh client` from a node opens its shell; from there `curl
//! <nodeIP>:<nodePort>` and `curl <LoadBalancer IP>` take the path real packets take (ARP on
//! the host-only network, then the node's iptables), and a ClusterIP is unreachable.
//!
//! Knows no Kubernetes objects: it gets the same [`Network`] view the node shells get.

use crate::net::addr::Ipv4;
use crate::net::apps::{CurlFlavor, PingFlavor};
use crate::net::clients::{self, ClientContext};
use crate::net::dataplane::{EXTERNAL_CLIENT, Network, Source};
use crate::net::node::NodeOutput;
use crate::rand::Rng;

/// The host name `ssh` accepts and the prompt shows (`user@client:~$`).
pub const NAME: &str = "client";

/// `vboxnet0`'s MAC: VirtualBox gives its first host-only adapter `0a:00:27:00:00:00`.
const VBOXNET0_MAC: &str = "0a:00:27:00:00:00";

/// What the client's own interfaces carry; the uplink is a typical home LAN.
const UPLINK: Ipv4 = Ipv4::new(192, 168, 0, 100);
const UPLINK_GATEWAY: Ipv4 = Ipv4::new(192, 168, 0, 1);
const UPLINK_MAC: &str = "3c:52:82:4e:7a:19";

fn ok(text: String) -> NodeOutput {
    NodeOutput {
        stdout: text,
        ..NodeOutput::default()
    }
}

fn err(text: impl Into<String>, code: i32) -> NodeOutput {
    NodeOutput {
        stderr: text.into(),
        exit_code: code,
        ..NodeOutput::default()
    }
}

/// Runs `argv` on the client; `None` when it has no such command (the shell prints
/// `NAME: command not found`; there is no kubectl here).
pub fn run(net: &Network<'_>, rng: &mut Rng, argv: &[String], now_unix: i64) -> Option<NodeOutput> {
    let name = argv.first()?.as_str();
    let args = argv.get(1..).unwrap_or_default();
    let ctx = ClientContext {
        net,
        source: Source::External,
        tty: true,
        now_unix,
    };
    let out = match name {
        "sudo" => {
            let rest: Vec<String> = args
                .iter()
                .skip_while(|a| a.starts_with('-'))
                .cloned()
                .collect();
            if rest.is_empty() {
                return Some(err(
                    "usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\n",
                    1,
                ));
            }
            return run(net, rng, &rest, now_unix)
                .or_else(|| Some(err(format!("sudo: {}: command not found\n", rest[0]), 1)));
        }
        "hostname" => ok(format!("{NAME}\n")),
        "curl" => clients::curl(&ctx, rng, CurlFlavor::Ubuntu2204, argv).into(),
        "ping" => clients::ping(&ctx, rng, PingFlavor::Iputils, argv).into(),
        "nc" => clients::nc(&ctx, rng, argv).into(),
        "ip" => ip(net, args),
        _ => return None,
    };
    Some(out)
}

fn ip(net: &Network<'_>, args: &[String]) -> NodeOutput {
    let object = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str);
    match object {
        Some("a" | "addr" | "address") => ok(addr_text()),
        Some("r" | "route" | "ro") => ok(route_text()),
        Some("n" | "neigh" | "neighbour" | "neighbor") => ok(neigh_text(net)),
        Some(other) => err(
            format!("Object \"{other}\" is unknown, try \"ip help\".\n"),
            255,
        ),
        None => err(
            "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       ip [ -force ] -batch filename\n",
            255,
        ),
    }
}

fn addr_text() -> String {
    format!(
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
2: enp3s0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000
    link/ether {UPLINK_MAC} brd ff:ff:ff:ff:ff:ff
    inet {UPLINK}/24 brd 192.168.0.255 scope global dynamic noprefixroute enp3s0
       valid_lft 86005sec preferred_lft 86005sec
3: vboxnet0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000
    link/ether {VBOXNET0_MAC} brd ff:ff:ff:ff:ff:ff
    inet {EXTERNAL_CLIENT}/24 brd 192.168.56.255 scope global vboxnet0
       valid_lft forever preferred_lft forever
"
    )
}

fn route_text() -> String {
    format!(
        "default via {UPLINK_GATEWAY} dev enp3s0 proto dhcp metric 100 
192.168.0.0/24 dev enp3s0 proto kernel scope link src {UPLINK} metric 100 
192.168.56.0/24 dev vboxnet0 proto kernel scope link src {EXTERNAL_CLIENT} 
"
    )
}

/// The ARP cache as it stands once the client has talked to every node and every announced
/// address: an announced load-balancer address resolves to the MAC of the node whose speaker
/// answers for it, which is the whole trick of MetalLB's layer-2 mode.
fn neigh_text(net: &Network<'_>) -> String {
    let mut out = String::new();
    for node in net.nodes {
        out.push_str(&format!(
            "{} dev vboxnet0 lladdr {} REACHABLE\n",
            node.ip,
            crate::net::metallb::node_mac(&node.name)
        ));
    }
    for (ip, node) in net.announced {
        out.push_str(&format!(
            "{ip} dev vboxnet0 lladdr {} REACHABLE\n",
            crate::net::metallb::node_mac(node)
        ));
    }
    out.push_str(&format!(
        "{UPLINK_GATEWAY} dev enp3s0 lladdr 50:c7:bf:12:34:56 REACHABLE\n"
    ));
    out
}

#[cfg(test)]
mod tests;
