//! The arguments of `ip addr|link|route` (device and address family) and the filtering they
//! ask for, on nodes (iproute2 5.15) and in pods (BusyBox `ip`): `ip addr show tunl0`,
//! `ip -4 a s dev eth0`, `ip link show cali1`, `ip route show dev eth0`, and the error for a
//! device that does not exist.
//!
//! Works on the interface list and the route text that `cni.rs` builds; knows nothing about
//! nodes, pods or the cluster.

use crate::net::cni::{self, Interface};

/// Which `ip` object was asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Object {
    Addr,
    Link,
    Route,
}

/// A parsed `ip` command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub object: Object,
    /// `-4` / `-6` (`-f inet`, `-family inet6`).
    pub family: Option<u8>,
    /// `dev NAME` or, for addr and link, a bare `NAME`.
    pub device: Option<String>,
}

/// What went wrong parsing the line: an unknown object (`Err(Some(word))`) or none at all.
pub type ParseError = Option<String>;

/// Parses `ip [OPTIONS] OBJECT [show|list] [dev] [NAME]`.
pub fn parse(args: &[String]) -> Result<Query, ParseError> {
    let mut family = None;
    let mut rest: Vec<&str> = Vec::new();
    let mut words = args.iter().map(String::as_str);
    while let Some(a) = words.next() {
        match a {
            "-4" => family = Some(4),
            "-6" => family = Some(6),
            "-f" | "-family" => {
                family = match words.next() {
                    Some("inet") => Some(4),
                    Some("inet6") => Some(6),
                    _ => family,
                }
            }
            _ if a.starts_with('-') && rest.is_empty() => {}
            _ => rest.push(a),
        }
    }
    let Some((&word, tail)) = rest.split_first() else {
        return Err(None);
    };
    let object = if "address".starts_with(word) || word == "addr" {
        Object::Addr
    } else if "link".starts_with(word) {
        Object::Link
    } else if "route".starts_with(word) {
        Object::Route
    } else {
        return Err(Some(word.to_owned()));
    };
    let mut tail = tail;
    if let Some((&verb, after)) = tail.split_first()
        && matches!(verb, "show" | "sh" | "s" | "list" | "ls" | "lst")
    {
        tail = after;
    }
    let mut device = None;
    let mut i = 0;
    while let Some(&w) = tail.get(i) {
        if w == "dev" {
            device = tail.get(i + 1).map(|d| (*d).to_owned());
            i += 2;
        } else {
            if object != Object::Route && device.is_none() {
                device = Some(w.to_owned());
            }
            i += 1;
        }
    }
    Ok(Query {
        object,
        family,
        device,
    })
}

/// The interfaces the query names (all without a device), or `None` if the device does
/// not exist.
pub fn select<'a>(interfaces: &'a [Interface], query: &Query) -> Option<Vec<&'a Interface>> {
    match &query.device {
        None => Some(interfaces.iter().collect()),
        Some(d) => {
            let found: Vec<&Interface> = interfaces.iter().filter(|i| &i.name == d).collect();
            (!found.is_empty()).then_some(found)
        }
    }
}

/// `ip addr` / `ip link` text for the selected interfaces: `link` drops the addresses; a
/// family keeps only its addresses (and no `link/...` line), skipping interfaces that have
/// none, as iproute2 and BusyBox do.
pub fn addr_text(interfaces: &[&Interface], query: &Query, full: bool) -> String {
    let mut out = String::new();
    for &i in interfaces {
        let owned = [i.clone()];
        let text = cni::ip_addr_text(&owned, full);
        match (query.object, query.family) {
            (Object::Link, _) => {
                for line in text
                    .lines()
                    .filter(|l| !l.starts_with("    inet") && !l.starts_with("       valid_lft"))
                {
                    out.push_str(line);
                    out.push('\n');
                }
            }
            (_, Some(family)) => {
                let has = if family == 4 {
                    i.inet.is_some()
                } else {
                    i.inet6.is_some()
                };
                if !has {
                    continue;
                }
                let wanted = if family == 4 {
                    "    inet "
                } else {
                    "    inet6 "
                };
                // The line after an address (its lifetimes) goes with it.
                let mut keep_next = false;
                for (n, line) in text.lines().enumerate() {
                    let keep = if n == 0 {
                        true
                    } else if line.starts_with("       valid_lft") {
                        keep_next
                    } else {
                        keep_next = line.starts_with(wanted);
                        keep_next
                    };
                    if keep {
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
            _ => out.push_str(&text),
        }
    }
    out
}

/// `ip route` text filtered to `dev`: the matching routes without their `dev NAME` part
/// (both iproute2 and BusyBox leave out the device they were asked for).
pub fn routes_for_device(text: &str, device: &str) -> String {
    let inner = format!(" dev {device} ");
    let last = format!(" dev {device}");
    let mut out = String::new();
    for line in text.lines() {
        let kept = if line.contains(&inner) {
            line.replacen(&inner, " ", 1)
        } else if let Some(head) = line.strip_suffix(&last) {
            head.to_owned()
        } else {
            continue;
        };
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// iproute2's error for a device that does not exist (`ip addr|link show NAME`).
pub fn no_device(device: &str) -> String {
    format!("Device \"{device}\" does not exist.\n")
}

/// iproute2's error for `ip route show dev NAME` with an unknown device.
pub fn no_route_device(device: &str) -> String {
    format!("Cannot find device \"{device}\"\n")
}

/// BusyBox `ip`'s error for a device that does not exist.
pub fn busybox_no_device(device: &str) -> String {
    format!("ip: can't find device '{device}'\n")
}

#[cfg(test)]
mod tests;
