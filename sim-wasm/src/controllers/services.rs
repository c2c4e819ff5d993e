//! ClusterIP (10.96.0.0/12) and NodePort (30000–32767) allocation, as the API server's
//! service REST storage does it on create and update, with the world's Rng.

use crate::api::Ptr;
use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::api::{ApiError, Kind};
use crate::commands::World;
use crate::store::{ServiceAddress, key_of};

const SERVICE_CIDR_BASE: u32 = u32::from_be_bytes([10, 96, 0, 0]);
const SERVICE_CIDR_SIZE: u32 = 1 << 20;
/// Since 1.26 the allocator hands out dynamic addresses from above the "static band" (the
/// lowest 1/16 of the range, capped at 256 addresses) so that fixed IPs like 10.96.0.10 rarely
/// collide.
const STATIC_BAND: u32 = 256;

fn ip_text(ip: u32) -> String {
    let [a, b, c, d] = ip.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

fn parse_ip(s: &str) -> Option<u32> {
    let parts: Vec<u8> = s
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [a, b, c, d] => Some(u32::from_be_bytes([*a, *b, *c, *d])),
        _ => None,
    }
}

/// Fills `spec.clusterIP(s)` and `nodePort`s of a service being created (`old` = None) or
/// updated (keeps what `old` had unless the new object sets it).
pub fn allocate(world: &mut World, svc: &mut Value, old: Option<&Value>) -> Result<(), ApiError> {
    let (namespace, name) = key_of(Kind::Service, svc);
    let except = old.map(|_| (namespace.as_str(), name.as_str()));
    let ty = svc
        .ptr("/spec/type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP")
        .to_owned();
    let mut causes = Vec::new();

    if ty == "ExternalName" {
        if let Some(spec) = svc.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("clusterIP");
            spec.remove("clusterIPs");
        }
    } else {
        let requested = svc
            .ptr("/spec/clusterIP")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .filter(|s| !s.is_empty())
            .or_else(|| {
                old.and_then(|o| o.ptr("/spec/clusterIP"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
        let ip = match requested {
            Some(ip) if ip == "None" => Some("None".to_owned()),
            Some(ip) => {
                let kept = old
                    .and_then(|o| o.ptr("/spec/clusterIP"))
                    .and_then(Value::as_str)
                    == Some(ip.as_str());
                match parse_ip(&ip) {
                    _ if kept => Some(ip),
                    Some(n) if n.wrapping_sub(SERVICE_CIDR_BASE) < SERVICE_CIDR_SIZE => {
                        if world
                            .store
                            .service_address_taken(ServiceAddress::ClusterIp(n), except)
                        {
                            causes.push(format!("spec.clusterIPs: Invalid value: []string{{\"{ip}\"}}: failed to allocate IP {ip}: provided IP is already allocated"));
                            None
                        } else {
                            Some(ip)
                        }
                    }
                    Some(_) => {
                        causes.push(format!("spec.clusterIPs: Invalid value: []string{{\"{ip}\"}}: failed to allocate IP {ip}: the provided network does not match the current range"));
                        None
                    }
                    None => {
                        causes.push(format!("spec.clusterIPs[0]: Invalid value: \"{ip}\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
                        None
                    }
                }
            }
            None => {
                let span = SERVICE_CIDR_SIZE - STATIC_BAND - 1;
                let mut chosen = None;
                for _ in 0..64 {
                    let candidate = SERVICE_CIDR_BASE + STATIC_BAND + world.rng.below(span);
                    let taken = world
                        .store
                        .service_address_taken(ServiceAddress::ClusterIp(candidate), except);
                    if !taken && candidate & 0xff != 0 {
                        chosen = Some(ip_text(candidate));
                        break;
                    }
                }
                chosen
            }
        };
        if let Some(ip) = ip
            && let Some(spec) = svc.get_mut("spec").and_then(Value::as_object_mut)
        {
            spec.insert("clusterIP".to_owned(), json!(ip));
            spec.insert("clusterIPs".to_owned(), json!([ip]));
        }
    }

    let wants_node_ports = ty == "NodePort" || ty == "LoadBalancer";
    let old_ports: Vec<Value> = old
        .and_then(|o| o.ptr("/spec/ports"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    // Ports taken by other services (the store's index), plus those given out in this call.
    let mut mine: BTreeSet<i64> = BTreeSet::new();
    let store = &world.store;
    let taken = |n: i64, mine: &BTreeSet<i64>| {
        mine.contains(&n) || store.service_address_taken(ServiceAddress::NodePort(n), except)
    };
    if let Some(Value::Array(ports)) = svc.pointer_mut("/spec/ports") {
        for (i, port) in ports.iter_mut().enumerate() {
            let Some(p) = port.as_object_mut() else {
                continue;
            };
            if !wants_node_ports {
                if p.get("nodePort")
                    .and_then(Value::as_i64)
                    .is_some_and(|n| n != 0)
                {
                    continue; // validation already reported it
                }
                p.remove("nodePort");
                continue;
            }
            let requested = p
                .get("nodePort")
                .and_then(Value::as_i64)
                .filter(|n| *n != 0);
            let previous = old_ports
                .get(i)
                .and_then(|o| o.get("nodePort"))
                .and_then(Value::as_i64);
            let node_port = match requested {
                Some(n) if Some(n) == previous => n,
                Some(n) => {
                    if taken(n, &mine) {
                        causes.push(format!(
                            "spec.ports[{i}].nodePort: Invalid value: {n}: provided port is already allocated"
                        ));
                    }
                    n
                }
                None => match previous {
                    Some(n) => n,
                    None => {
                        let mut n = 30000 + i64::from(world.rng.below(2768));
                        while taken(n, &mine) {
                            n = 30000 + (n - 30000 + 1) % 2768;
                        }
                        n
                    }
                },
            };
            mine.insert(node_port);
            p.insert("nodePort".to_owned(), json!(node_port));
        }
    }
    // A LoadBalancer with `externalTrafficPolicy: Local` also gets `healthCheckNodePort` from
    // the node-port range (kube-proxy answers load-balancer health checks on it); any other
    // service loses it.
    let local_lb = ty == "LoadBalancer"
        && svc
            .ptr("/spec/externalTrafficPolicy")
            .and_then(Value::as_str)
            == Some("Local");
    let kept_health = svc
        .ptr("/spec/healthCheckNodePort")
        .or_else(|| old.and_then(|o| o.ptr("/spec/healthCheckNodePort")))
        .and_then(Value::as_i64)
        .filter(|n| *n != 0);
    if let Some(spec) = svc.get_mut("spec").and_then(Value::as_object_mut) {
        if local_lb {
            let port = kept_health.unwrap_or_else(|| {
                let mut n = 30000 + i64::from(world.rng.below(2768));
                while taken(n, &mine) {
                    n = 30000 + (n - 30000 + 1) % 2768;
                }
                n
            });
            spec.insert("healthCheckNodePort".to_owned(), json!(port));
        } else {
            spec.remove("healthCheckNodePort");
        }
    }
    if causes.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(Kind::Service, &name, &causes))
    }
}
