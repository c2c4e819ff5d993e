//! `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE...`: kubectl 1.32's order of checks and
//! its messages (pkg/cmd/portforward and client-go's tools/portforward): the object and the
//! pod it selects, service port → targetPort and named ports, the pod's phase, `--address`
//! and port parsing, then one listener per address (`Forwarding from 127.0.0.1:8080 -> 80`
//! and `[::1]:8080`) with Go's bind errors.
//!
//! The simulator cannot keep a terminal busy: a forward is recorded in the world
//! (`net::world::NetState::forwards`) and the prompt comes back at once; it lasts until
//! Ctrl+C (`Cluster::interrupt`), `kill` of its background job (`Host::end_job`), the pod's
//! deletion, or the end of the session. While it lasts `curl
//! localhost:PORT` on the node reaches the pod (the dataplane's port-forward hop), and the
//! world prints kubectl's `Handling connection for PORT` with that line's output.

use serde_json::Value;

use super::Ctx;
use super::args::{self, FlagSpec, value};
use super::get::resolve_types;
use super::printers::str_at;
use crate::api::{ApiError, Kind, Ptr};
use crate::net::dataplane::{Forward, node_listeners};

/// Linux's default ephemeral port range (`net.ipv4.ip_local_port_range`), where `:REMOTE`
/// gets its local port.
const EPHEMERAL: (u16, u16) = (32768, 60999);

/// One `[LOCAL:]REMOTE` after service and named-port translation, as kubectl passes it on.
fn split_port(port: &str) -> (String, String) {
    let parts: Vec<&str> = port.split(':').collect();
    match parts.as_slice() {
        [local, remote] => ((*local).to_owned(), (*remote).to_owned()),
        _ => {
            let first = parts.first().copied().unwrap_or_default().to_owned();
            (first.clone(), first)
        }
    }
}

/// Go's `strconv.Atoi` (what kubectl uses to tell a number from a port name).
fn atoi(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Go's `strconv.ParseUint(text, 10, 16)` with its error text.
fn parse_u16(text: &str) -> Result<u16, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.ParseUint: parsing \"{text}\": invalid syntax"
        ));
    }
    text.parse::<u16>()
        .map_err(|_| format!("strconv.ParseUint: parsing \"{text}\": value out of range"))
}

fn containers(pod: &Value) -> impl Iterator<Item = &Value> {
    ["/spec/containers", "/spec/initContainers"]
        .into_iter()
        .filter_map(|p| pod.ptr(p).and_then(Value::as_array))
        .flatten()
}

fn ports_of(container: &Value) -> impl Iterator<Item = &Value> {
    container
        .ptr("/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn number(v: &Value, pointer: &str) -> Option<i64> {
    v.ptr(pointer).and_then(Value::as_i64)
}

/// `util.LookupContainerPortNumberByName`.
fn pod_named_port(pod: &Value, name: &str) -> Result<i64, String> {
    containers(pod)
        .flat_map(ports_of)
        .find(|p| str_at(p, "/name") == name)
        .and_then(|p| number(p, "/containerPort"))
        .ok_or_else(|| {
            format!(
                "Pod '{}' does not have a named port '{name}'",
                str_at(pod, "/metadata/name")
            )
        })
}

/// `util.LookupServicePortNumberByName`.
fn service_named_port(svc: &Value, name: &str) -> Result<i64, String> {
    service_ports(svc)
        .find(|p| str_at(p, "/name") == name)
        .and_then(|p| number(p, "/port"))
        .ok_or_else(|| {
            format!(
                "Service '{}' does not have a named port '{name}'",
                str_at(svc, "/metadata/name")
            )
        })
}

fn service_ports(svc: &Value) -> impl Iterator<Item = &Value> {
    svc.ptr("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// `util.LookupContainerPortNumberByServicePort`: the targetPort behind a service port.
fn target_port(svc: &Value, pod: &Value, port: i64) -> Result<i64, String> {
    if str_at(svc, "/spec/clusterIP") == "None" {
        return Ok(port);
    }
    let Some(spec) = service_ports(svc).find(|p| number(p, "/port") == Some(port)) else {
        return Err(format!(
            "Service {} does not have a service port {port}",
            str_at(svc, "/metadata/name")
        ));
    };
    match spec.ptr("/targetPort") {
        Some(Value::String(name)) => pod_named_port(pod, name),
        Some(Value::Number(n)) if n.as_i64().is_some_and(|n| n != 0) => {
            Ok(n.as_i64().unwrap_or(port))
        }
        _ => Ok(port),
    }
}

/// kubectl's `checkUDPPorts`: port-forward carries TCP only, so a remote port declared
/// (`number_at` in each of `declared`) as UDP and never as TCP is refused; a named remote
/// port is looked up first (`by_name`), with its error when there is no such name.
fn check_udp<'a>(
    ports: &[String],
    declared: impl Iterator<Item = &'a Value>,
    number_at: &str,
    by_name: impl Fn(&str) -> Result<i64, String>,
) -> Result<(), String> {
    let declared: Vec<(i64, bool)> = declared
        .map(|p| {
            (
                number(p, number_at).unwrap_or(0),
                str_at(p, "/protocol") == "UDP",
            )
        })
        .collect();
    let udp_only = |n: i64| {
        declared.iter().any(|(p, udp)| *p == n && *udp)
            && !declared.iter().any(|(p, udp)| *p == n && !*udp)
    };
    for port in ports {
        let (_, remote) = split_port(port);
        let number = match atoi(&remote) {
            Some(n) => n,
            None => by_name(&remote)?,
        };
        if udp_only(number) {
            return Err(format!("UDP protocol is not supported for {remote}"));
        }
    }
    Ok(())
}

/// `translateServicePortToTargetPort` (after `checkUDPPortInService`).
fn translate_service_ports(
    svc: &Value,
    pod: &Value,
    ports: &[String],
) -> Result<Vec<String>, String> {
    check_udp(ports, service_ports(svc), "/port", |name| {
        service_named_port(svc, name)
    })?;
    let mut translated = Vec::new();
    for port in ports {
        let (mut local, remote) = split_port(port);
        let number = match atoi(&remote) {
            Some(n) => n,
            None => {
                let n = service_named_port(svc, &remote)?;
                if local == remote {
                    local = n.to_string();
                }
                n
            }
        };
        let container_port = target_port(svc, pod, number)?.to_string();
        translated.push(if local == container_port {
            container_port
        } else {
            format!("{local}:{container_port}")
        });
    }
    Ok(translated)
}

/// `convertPodNamedPortToNumber` (after `checkUDPPortInPod`).
fn translate_pod_ports(pod: &Value, ports: &[String]) -> Result<Vec<String>, String> {
    check_udp(
        ports,
        containers(pod).flat_map(ports_of),
        "/containerPort",
        |name| pod_named_port(pod, name),
    )?;
    let mut converted = Vec::new();
    for port in ports {
        let (local, remote) = split_port(port);
        if remote.is_empty() {
            return Err("remote port cannot be empty".to_owned());
        }
        let number = match atoi(&remote) {
            Some(_) => remote.clone(),
            None => pod_named_port(pod, &remote)?.to_string(),
        };
        converted.push(if local == remote {
            number
        } else {
            format!("{local}:{number}")
        });
    }
    Ok(converted)
}

/// client-go's `parsePorts`: `(local, remote)`, local 0 for "pick one".
fn parse_ports(ports: &[String]) -> Result<Vec<(u16, u16)>, String> {
    let mut parsed = Vec::new();
    for port in ports {
        let parts: Vec<&str> = port.split(':').collect();
        let (local, remote) = match parts.as_slice() {
            [one] => (*one, *one),
            ["", remote] => ("0", *remote),
            [local, remote] => (*local, *remote),
            _ => return Err(format!("invalid port format '{port}'")),
        };
        let local =
            parse_u16(local).map_err(|e| format!("error parsing local port '{local}': {e}"))?;
        let remote =
            parse_u16(remote).map_err(|e| format!("error parsing remote port '{remote}': {e}"))?;
        if remote == 0 {
            return Err("remote port must be > 0".to_owned());
        }
        parsed.push((local, remote));
    }
    Ok(parsed)
}

/// One address to listen on: `(address, "tcp4"|"tcp6", from "localhost")`.
type Address = (String, &'static str, bool);

/// client-go's `parseAddresses`: `localhost` is 127.0.0.1 and ::1 (either may fail alone),
/// explicit addresses must all work; sorted by address text.
fn parse_addresses(values: &[String]) -> Result<Vec<Address>, String> {
    let mut parsed: std::collections::BTreeMap<String, Address> = std::collections::BTreeMap::new();
    for address in values.iter().flat_map(|v| v.split(',')) {
        if address == "localhost" {
            parsed
                .entry("127.0.0.1".to_owned())
                .or_insert(("127.0.0.1".to_owned(), "tcp4", true));
            parsed
                .entry("::1".to_owned())
                .or_insert(("::1".to_owned(), "tcp6", true));
        } else if address.parse::<std::net::Ipv4Addr>().is_ok() {
            parsed.insert(address.to_owned(), (address.to_owned(), "tcp4", false));
        } else if address.parse::<std::net::Ipv6Addr>().is_ok() {
            parsed.insert(address.to_owned(), (address.to_owned(), "tcp6", false));
        } else {
            return Err(format!("{address} is not a valid IP"));
        }
    }
    Ok(parsed.into_values().collect())
}

/// Go's `net.JoinHostPort`.
fn join_host_port(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// `--pod-running-timeout` (a Go duration; kubectl's default is one minute).
fn timeout_seconds(text: Option<&str>) -> u64 {
    let Some(text) = text else { return 60 };
    let mut total = 0u64;
    let mut digits = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: u64 = digits.parse().unwrap_or(0);
        digits.clear();
        total += match c {
            'h' => n * 3600,
            'm' => n * 60,
            _ => n,
        };
    }
    total + digits.parse::<u64>().unwrap_or(0)
}

/// The pod `GetFirstPod` picks among those a selector matches: scheduled, running, ready,
/// then the oldest.
fn first_pod(ctx: &Ctx<'_>, namespace: &str, selector: &Value) -> Option<Value> {
    let mut pods: Vec<&Value> = ctx
        .world
        .store
        .list(Kind::Pod, Some(namespace))
        .into_iter()
        .filter(|p| {
            crate::api::validate::label_selector_matches(
                selector,
                p.ptr("/metadata/labels").unwrap_or(&Value::Null),
            )
        })
        .collect();
    crate::sort::sort_by_key(&mut pods, |p| {
        let ready = p
            .ptr("/status/conditions")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| str_at(c, "/type") == "Ready" && str_at(c, "/status") == "True")
            });
        (
            str_at(p, "/spec/nodeName").is_empty(),
            str_at(p, "/status/phase") != "Running",
            !ready,
            str_at(p, "/metadata/creationTimestamp").to_owned(),
            str_at(p, "/metadata/name").to_owned(),
        )
    });
    pods.first().map(|p| (*p).clone())
}

/// `AttachablePodForObject`: the pod itself, or the first pod its selector matches (kubectl
/// waits up to `--pod-running-timeout` for one to appear).
fn pod_for(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    obj: &Value,
    namespace: &str,
    timeout_s: u64,
) -> Result<Value, String> {
    let selector = match kind {
        Kind::Pod => return Ok(obj.clone()),
        Kind::Service => {
            let set = obj.ptr("/spec/selector").cloned().unwrap_or(Value::Null);
            if set.as_object().is_none_or(serde_json::Map::is_empty) {
                return Err(format!(
                    "invalid service '{}': Service is defined without a selector",
                    str_at(obj, "/metadata/name")
                ));
            }
            serde_json::json!({ "matchLabels": set })
        }
        Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet => {
            obj.ptr("/spec/selector").cloned().unwrap_or(Value::Null)
        }
        other => {
            return Err(format!(
                "cannot attach to *v1.{}: not implemented",
                other.name()
            ));
        }
    };
    for _ in 0..=timeout_s {
        if let Some(pod) = first_pod(ctx, namespace, &selector) {
            return Ok(pod);
        }
        let next = ctx.world.now().saturating_add_millis(1000);
        ctx.world.advance_to(next);
    }
    Err("timed out waiting for the condition".to_owned())
}

/// Why the node refuses to bind `address:port` (Go's `bind: ...` text), if it does.
fn bind_error(ctx: &Ctx<'_>, node: &str, address: &str, port: u16) -> Option<&'static str> {
    let node_ip = crate::store::NODES
        .iter()
        .find(|n| n.name == node)
        .map_or("", |n| n.ip);
    if !matches!(address, "127.0.0.1" | "::1" | "0.0.0.0" | "::") && address != node_ip {
        return Some("cannot assign requested address");
    }
    if port < 1024 && !ctx.as_root {
        return Some("permission denied");
    }
    let is_control_plane = crate::store::NODES
        .iter()
        .any(|n| n.name == node && n.control_plane);
    // Go listens on "tcp4" or "tcp6" (IPV6_V6ONLY), so a wildcard only covers its family.
    let wildcard = |a: &str| matches!(a, "0.0.0.0" | "::");
    let family = |a: &str| a.contains(':');
    let taken = node_listeners(is_control_plane)
        .iter()
        .any(|(p, _)| *p == port)
        || ctx.world.net.forwards.iter().any(|f| {
            f.node == node
                && f.local == port
                && family(&f.address) == family(address)
                && (f.address == address || wildcard(&f.address) || wildcard(address))
        });
    taken.then_some("address already in use")
}

pub fn port_forward(ctx: &mut Ctx<'_>, rest: &[String], node: &str) {
    const FLAGS: &[FlagSpec] = &[value("address", None), value("pod-running-timeout", None)];
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("port-forward", &e.0),
    };
    if p.positional.len() < 2 {
        return ctx.fail("TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples");
    }
    let namespace = ctx.namespace(&p).0;
    let target = &p.positional[0];
    let requested: Vec<String> = p.positional[1..].to_vec();
    let (kind, name) = match target.split_once('/') {
        Some((t, n)) => match resolve_types(t) {
            Ok(k) => (k.first().copied().unwrap_or(Kind::Pod), n.to_owned()),
            Err(e) => return ctx.fail(&e),
        },
        None => (Kind::Pod, target.clone()),
    };
    let Some(obj) = ctx.world.store.get(kind, &namespace, &name).cloned() else {
        return ctx.fail_raw(&ApiError::not_found(kind, &name).to_string());
    };
    let timeout = timeout_seconds(p.get("pod-running-timeout"));
    let pod = match pod_for(ctx, kind, &obj, &namespace, timeout) {
        Ok(pod) => pod,
        Err(e) => return ctx.fail(&e),
    };
    let ports = if kind == Kind::Service {
        translate_service_ports(&obj, &pod, &requested)
    } else {
        translate_pod_ports(&pod, &requested)
    };
    let ports = match ports {
        Ok(ports) => ports,
        Err(e) => return ctx.fail(&e),
    };
    // RunPortForward reads the pod again and wants it running.
    let pod_name = str_at(&pod, "/metadata/name").to_owned();
    let phase = ctx
        .world
        .store
        .get(Kind::Pod, &namespace, &pod_name)
        .map(|p| str_at(p, "/status/phase").to_owned());
    let Some(phase) = phase else {
        return ctx.fail_raw(&ApiError::not_found(Kind::Pod, &pod_name).to_string());
    };
    if phase != "Running" {
        return ctx.fail(&format!(
            "unable to forward port because pod is not running. Current status={phase}"
        ));
    }
    let addresses = {
        let given = p.all("address");
        let given = if given.is_empty() {
            vec!["localhost".to_owned()]
        } else {
            given
        };
        match parse_addresses(&given) {
            Ok(a) => a,
            Err(e) => return ctx.fail(&e),
        }
    };
    let mut parsed = match parse_ports(&ports) {
        Ok(p) => p,
        Err(e) => return ctx.fail(&e),
    };
    let mut opened: Vec<Forward> = Vec::new();
    let mut any_port = false;
    for (local, remote) in &mut parsed {
        let mut errors = Vec::new();
        let (mut localhost_ok, mut localhost_failed, mut explicit_failed) = (0, 0, 0);
        for (address, protocol, from_localhost) in &addresses {
            if *local == 0 {
                *local = random_port(ctx, node);
            }
            match bind_error(ctx, node, address, *local) {
                Some(reason) => {
                    errors.push(format!(
                        "unable to create listener: Error listen {protocol} {}: bind: {reason}",
                        join_host_port(address, *local)
                    ));
                    if *from_localhost {
                        localhost_failed += 1;
                    } else {
                        explicit_failed += 1;
                    }
                }
                None => {
                    ctx.io.print(&format!(
                        "Forwarding from {} -> {remote}\n",
                        join_host_port(address, *local)
                    ));
                    if *from_localhost {
                        localhost_ok += 1;
                    }
                    let forward = Forward {
                        node: node.to_owned(),
                        address: address.clone(),
                        local: *local,
                        namespace: namespace.clone(),
                        pod: pod_name.clone(),
                        remote: *remote,
                        job: ctx.world.background_job,
                    };
                    ctx.world.net.forwards.push(forward.clone());
                    opened.push(forward);
                }
            }
        }
        if (localhost_ok == 0 && localhost_failed > 0) || explicit_failed > 0 {
            ctx.io.eprint(&format!(
                "Unable to listen on port {local}: Listeners failed to create with the following errors: [{}]\n",
                errors.join(" ")
            ));
        } else {
            any_port = true;
        }
    }
    if !any_port {
        // Nothing is served: the listeners that did open close again when kubectl exits.
        ctx.world.net.forwards.retain(|f| !opened.contains(f));
        let list: Vec<String> = parsed.iter().map(|(l, r)| format!("{{{l} {r}}}")).collect();
        return ctx.fail(&format!(
            "unable to listen on any of the requested ports: [{}]",
            list.join(" ")
        ));
    }
    // In the background (`&`) it behaves as in bash; in the foreground the prompt comes back
    // although the real command would hold the terminal, so say so.
    if let Some(first) = opened.first().filter(|f| f.job.is_none()) {
        ctx.hints.push(format!(
            "실제 kubectl port-forward는 Ctrl+C를 누를 때까지 이 터미널을 붙잡고 있어서, 보통 다른 터미널에서 `curl localhost:{}`을 실행합니다. 이 실습 터미널은 프롬프트를 바로 돌려주고 포워딩은 Ctrl+C를 누를 때까지 이어집니다. 연결이 들어올 때마다 kubectl이 `Handling connection for {}`을 출력합니다.",
            first.local, first.local
        ));
    }
}

/// Ends the forwards whose pod is gone or no longer running, with kubectl's own error
/// (client-go's `ErrLostConnectionToPod`): the stream to the pod closed under them.
pub(crate) fn lost_connections(world: &mut crate::commands::World) -> String {
    let store = &world.store;
    // One kubectl listens on 127.0.0.1 and ::1 for a port: one error for both listeners.
    let mut ended = std::collections::BTreeSet::new();
    world.net.forwards.retain(|f| {
        let alive = store.get(Kind::Pod, &f.namespace, &f.pod).is_some_and(|p| {
            str_at(p, "/status/phase") == "Running"
                && p.ptr("/metadata/deletionTimestamp").is_none()
        });
        if !alive {
            ended.insert((f.namespace.clone(), f.pod.clone(), f.local, f.job));
        }
        alive
    });
    "error: lost connection to pod\n".repeat(ended.len())
}

/// A free port from the ephemeral range, drawn from the world's seeded generator.
fn random_port(ctx: &mut Ctx<'_>, node: &str) -> u16 {
    let span = u32::from(EPHEMERAL.1 - EPHEMERAL.0) + 1;
    loop {
        let port = EPHEMERAL.0 + ctx.world.rng.below(span) as u16;
        if !ctx
            .world
            .net
            .forwards
            .iter()
            .any(|f| f.node == node && f.local == port)
        {
            return port;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn port_specs_parse_like_client_go() {
        assert_eq!(
            parse_ports(&strings(&["8080:80", "9090", ":5000"])),
            Ok(vec![(8080, 80), (9090, 9090), (0, 5000)])
        );
        assert_eq!(
            parse_ports(&strings(&["abc:80"])),
            Err("error parsing local port 'abc': strconv.ParseUint: parsing \"abc\": invalid syntax".to_owned())
        );
        assert_eq!(
            parse_ports(&strings(&["99999"])),
            Err("error parsing local port '99999': strconv.ParseUint: parsing \"99999\": value out of range".to_owned())
        );
        assert_eq!(
            parse_ports(&strings(&["80:0"])),
            Err("remote port must be > 0".to_owned())
        );
        assert_eq!(
            parse_ports(&strings(&["1:2:3"])),
            Err("invalid port format '1:2:3'".to_owned())
        );
    }

    #[test]
    fn localhost_means_both_loopbacks_sorted_by_address_text() {
        let parsed = parse_addresses(&strings(&["localhost,0.0.0.0"])).unwrap_or_default();
        let names: Vec<&str> = parsed.iter().map(|(a, _, _)| a.as_str()).collect();
        assert_eq!(names, ["0.0.0.0", "127.0.0.1", "::1"]);
        assert_eq!(
            parse_addresses(&strings(&["foo"])),
            Err("foo is not a valid IP".to_owned())
        );
    }

    #[test]
    fn go_durations_give_the_pod_running_timeout() {
        assert_eq!(timeout_seconds(None), 60);
        assert_eq!(timeout_seconds(Some("1m30s")), 90);
        assert_eq!(timeout_seconds(Some("5s")), 5);
    }
}
