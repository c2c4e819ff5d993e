//! `kubectl describe` for services (verified against kubectl 1.32, fidelity.md §3.5), pods,
//! deployments, replicasets, endpoints, namespaces and nodes, with their Events. Layout via
//! Go's tabwriter with padding 2, as `describe.go`'s prefix writer uses.

use crate::api::Ptr;
use serde_json::Value;

use super::Ctx;
use super::args::{self, FlagSpec, boolean, int, value};
use super::get::{parse_selector, resolve_types, selector_matches};
use super::printers::{format_labels, format_selector, pod_status, str_at, tabwrite};
use crate::api::quantity::{qos_class, quantity_value};
use crate::api::{ApiError, Kind};
use crate::store::{Store, parse_rfc3339};
use crate::time::human_duration;

const FLAGS: &[FlagSpec] = &[
    boolean("all-namespaces", Some('A')),
    value("selector", Some('l')),
    value("filename", Some('f')),
    boolean("show-events", None),
    boolean("recursive", Some('R')),
    int("chunk-size", None),
];

pub fn describe(ctx: &mut Ctx<'_>, rest: &[String]) {
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("describe", &e.0),
    };
    let namespace = ctx.namespace(&p).0;
    let mut targets: Vec<(Kind, Option<String>)> = Vec::new();
    if p.positional.is_empty() {
        return ctx.fail("You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.");
    }
    if p.positional.iter().any(|a| a.contains('/')) {
        for a in &p.positional {
            let (t, n) = a.split_once('/').unwrap_or((a, ""));
            match resolve_types(t) {
                Ok(kinds) => targets.extend(kinds.into_iter().map(|k| (k, Some(n.to_owned())))),
                Err(e) => return ctx.fail(&e),
            }
        }
    } else {
        let kinds = match resolve_types(&p.positional[0]) {
            Ok(k) => k,
            Err(e) => return ctx.fail(&e),
        };
        for k in kinds {
            if p.positional.len() > 1 {
                for n in &p.positional[1..] {
                    targets.push((k, Some(n.clone())));
                }
            } else {
                targets.push((k, None));
            }
        }
    }
    let selector = match p.get("selector").map(parse_selector).transpose() {
        Ok(s) => s,
        Err(e) => return ctx.fail(&e),
    };
    // `describe TYPE NAME` (exactly two arguments) falls back to every NAME prefix match
    // when there is no object of that name (kubectl's DescribeMatchingResources); `TYPE/NAME`
    // and several names do not.
    let prefix_allowed = p.positional.len() == 2 && !p.positional.iter().any(|a| a.contains('/'));
    let mut blocks = Vec::new();
    let mut prefix_matched = false;
    let mut errors = Vec::new();
    for (kind, name) in targets {
        let ns = if p.flag("all-namespaces") {
            None
        } else {
            Some(namespace.as_str())
        };
        let objs: Vec<Value> = match &name {
            Some(n) => match ctx.world.store.get(kind, &namespace, n) {
                Some(o) => vec![o.clone()],
                None => {
                    let prefixed: Vec<Value> = if prefix_allowed {
                        ctx.world
                            .store
                            .list(kind, Some(&namespace))
                            .into_iter()
                            .filter(|o| str_at(o, "/metadata/name").starts_with(n.as_str()))
                            .cloned()
                            .collect()
                    } else {
                        Vec::new()
                    };
                    if prefixed.is_empty() {
                        errors.push(ApiError::not_found(kind, n).to_string());
                    } else {
                        prefix_matched = true;
                    }
                    prefixed
                }
            },
            None => ctx
                .world
                .store
                .list(kind, if kind.namespaced() { ns } else { None })
                .into_iter()
                .filter(|o| selector.as_ref().is_none_or(|s| selector_matches(s, o)))
                .cloned()
                .collect(),
        };
        for o in objs {
            blocks.push(describe_one(&ctx.world.store, kind, &o));
        }
    }
    if blocks.is_empty() && errors.is_empty() {
        if p.flag("all-namespaces") {
            ctx.io.eprint("No resources found\n");
        } else {
            ctx.io
                .eprint(&format!("No resources found in {namespace} namespace.\n"));
        }
    }
    if prefix_matched {
        // Each prefix match is printed with `%s\n`: one blank line after every block.
        for block in &blocks {
            ctx.io.print(block);
            ctx.io.print("\n");
        }
    } else {
        // The first object as is, every further one after `\n\n`.
        ctx.io.print(&blocks.join("\n\n"));
    }
    for e in errors {
        ctx.fail_raw(&e);
    }
}

/// The array at `pointer` (empty when it is missing or not an array).
fn items<'a>(v: &'a Value, pointer: &str) -> &'a [Value] {
    v.ptr(pointer)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `Labels:` as describe prints them: `key=value`, sorted, one per line.
fn labels_multiline(title: &str, map: Option<&Value>) -> String {
    let mut entries: Vec<String> = match map {
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
            .collect(),
        _ => Vec::new(),
    };
    crate::sort::sort(&mut entries);
    multiline(title, &entries)
}

/// `TITLE:\tfirst\n` and `\tnext\n` for each further entry (or `<none>`).
fn multiline(title: &str, entries: &[String]) -> String {
    let Some((first, rest)) = entries.split_first() else {
        return format!("{title}:\t<none>\n");
    };
    let mut s = format!("{title}:\t{first}\n");
    for e in rest {
        s.push_str(&format!("\t{e}\n"));
    }
    s
}

/// kubectl's `printAnnotationsMultiline`: `key: value`, sorted, without the last-applied
/// configuration; a value longer than 140 characters (with its key) or spanning lines goes
/// under its key, indented, each line cut at 138 characters with `...`.
fn annotations_multiline(title: &str, map: Option<&Value>) -> String {
    const MAX: usize = 140;
    let Some(Value::Object(m)) = map else {
        return format!("{title}:\t<none>\n");
    };
    let mut entries: Vec<(&String, &str)> = m
        .iter()
        .filter(|(k, _)| *k != "kubectl.kubernetes.io/last-applied-configuration")
        .map(|(k, v)| (k, v.as_str().unwrap_or_default()))
        .collect();
    crate::sort::sort(&mut entries);
    if entries.is_empty() {
        return format!("{title}:\t<none>\n");
    }
    let mut s = format!("{title}:\t");
    for (i, (key, value)) in entries.into_iter().enumerate() {
        if i != 0 {
            s.push('\t');
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX || value.contains('\n') {
            s.push_str(&format!("{key}:\n"));
            for line in value.split('\n') {
                let shown = match line.get(..MAX - 2) {
                    Some(head) if line.len() > MAX - 2 => format!("{head}..."),
                    _ => line.to_owned(),
                };
                s.push_str(&format!("\t  {shown}\n"));
            }
        } else {
            s.push_str(&format!("{key}: {value}\n"));
        }
    }
    s
}

/// The `Labels:` and `Annotations:` lines every describer prints after the name.
fn labels_and_annotations(o: &Value) -> String {
    labels_multiline("Labels", o.ptr("/metadata/labels"))
        + &annotations_multiline("Annotations", o.ptr("/metadata/annotations"))
}

fn events_section(store: &Store, obj: &Value) -> String {
    let uid = str_at(obj, "/metadata/uid");
    let mut events: Vec<&Value> = store.events_about(uid);
    if events.is_empty() {
        return "Events:\t<none>\n".to_owned();
    }
    // describe sorts by last timestamp (kubectl's SortableEvents), so a repeated BackOff
    // moves to the end; the store's name order breaks ties in creation order because event
    // names carry the creation time.
    crate::sort::sort_by_key(&mut events, |e| {
        let last = str_at(e, "/lastTimestamp");
        if last.is_empty() {
            str_at(e, "/firstTimestamp").to_owned()
        } else {
            last.to_owned()
        }
    });
    let mut s =
        "Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n"
            .to_owned();
    for e in events {
        let since = |field: &str| {
            e.get(field)
                .and_then(Value::as_str)
                .and_then(parse_rfc3339)
                .map_or("<unknown>".to_owned(), |t| {
                    human_duration(store.now_unix() - t)
                })
        };
        let count = e.get("count").and_then(Value::as_i64).unwrap_or(1);
        let age = if count > 1 {
            format!(
                "{} (x{count} over {})",
                since("lastTimestamp"),
                since("firstTimestamp")
            )
        } else {
            since("firstTimestamp")
        };
        s.push_str(&format!(
            "  {}\t{}\t{}\t{}\t{}\n",
            str_at(e, "/type"),
            str_at(e, "/reason"),
            age,
            str_at(e, "/source/component"),
            str_at(e, "/message").trim()
        ));
    }
    s
}

/// `Thu, 26 Nov 2026 09:00:00 +0000` (Go's RFC 1123 with numeric zone).
fn rfc1123z(unix: i64) -> String {
    let ts = crate::time::rfc3339(unix);
    let days = unix.div_euclid(86_400);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month_names = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let year = &ts[0..4];
    let month = ts[5..7].parse::<usize>().unwrap_or(1);
    let day = &ts[8..10];
    let time = &ts[11..19];
    format!(
        "{weekday}, {day} {} {year} {time} +0000",
        month_names
            .get(month.saturating_sub(1))
            .copied()
            .unwrap_or("Jan")
    )
}

fn timestamp(v: &Value, pointer: &str) -> String {
    v.ptr(pointer)
        .and_then(Value::as_str)
        .and_then(parse_rfc3339)
        .map_or("<unknown>".to_owned(), rfc1123z)
}

fn describe_one(store: &Store, kind: Kind, o: &Value) -> String {
    let text = match kind {
        Kind::Service => describe_service(store, o),
        Kind::Pod => describe_pod(store, o),
        Kind::Deployment => describe_deployment(store, o),
        Kind::ReplicaSet => describe_replicaset(store, o),
        Kind::Namespace => describe_namespace(o),
        Kind::Endpoints => describe_endpoints(o),
        Kind::Node => describe_node(store, o),
        // Data values are printed verbatim after the tabwriter, which must not align them.
        Kind::ConfigMap => return describe_configmap(store, o),
        Kind::NetworkPolicy => describe_network_policy(o),
        _ => {
            let mut s = format!("Name:\t{}\n", str_at(o, "/metadata/name"));
            if kind.namespaced() {
                s.push_str(&format!(
                    "Namespace:\t{}\n",
                    str_at(o, "/metadata/namespace")
                ));
            }
            s.push_str(&labels_and_annotations(o));
            s.push_str(&events_section(store, o));
            s
        }
    };
    tabwrite(&text, 0, 2).trim_end_matches('\n').to_owned() + "\n"
}

/// `describe configmap`: the header through the tabwriter, then every key and value as is.
fn describe_configmap(store: &Store, cm: &Value) -> String {
    let mut head = format!(
        "Name:\t{}\nNamespace:\t{}\n",
        str_at(cm, "/metadata/name"),
        str_at(cm, "/metadata/namespace")
    );
    head.push_str(&labels_and_annotations(cm));
    let mut s = tabwrite(&head, 0, 2);
    s.push_str("\nData\n====\n");
    if let Some(Value::Object(data)) = cm.get("data") {
        for (k, v) in data {
            s.push_str(&format!("{k}:\n----\n{}\n", v.as_str().unwrap_or_default()));
        }
    }
    s.push_str("\nBinaryData\n====\n\n");
    s.push_str(&tabwrite(&events_section(store, cm), 0, 2));
    s
}

/// `describe networkpolicy` (describe.go `describeNetworkPolicy`, with its prefix writer's
/// two-space levels — hence `PodSelector:     app=x`).
fn describe_network_policy(np: &Value) -> String {
    let created = np
        .ptr("/metadata/creationTimestamp")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .replace('T', " ")
        .replace('Z', " +0000 UTC");
    let mut s = format!(
        "Name:\t{}\nNamespace:\t{}\nCreated on:\t{created}\n",
        str_at(np, "/metadata/name"),
        str_at(np, "/metadata/namespace")
    );
    s.push_str(&labels_and_annotations(np));
    s.push_str("Spec:\n  PodSelector: ");
    let selector = format_selector(np.ptr("/spec/podSelector"));
    if selector == "<none>" {
        s.push_str("    <none> (Allowing the specific traffic to all pods in this namespace)\n");
    } else {
        s.push_str(&format!("    {selector}\n"));
    }
    let types: Vec<&str> = np
        .ptr("/spec/policyTypes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (ty, key, word, peer_word, isolated, unrestricted) in [
        (
            "Ingress",
            "ingress",
            "ingress",
            "From",
            "<none> (Selected pods are isolated for ingress connectivity)",
            "From: <any> (traffic not restricted by source)",
        ),
        (
            "Egress",
            "egress",
            "egress",
            "To",
            "<none> (Selected pods are isolated for egress connectivity)",
            "To: <any> (traffic not restricted by destination)",
        ),
    ] {
        if !types.contains(&ty) {
            s.push_str(&format!("  Not affecting {word} traffic\n"));
            continue;
        }
        s.push_str(&format!("  Allowing {word} traffic:\n"));
        let rules = np
            .ptr(&format!("/spec/{key}"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if rules.is_empty() {
            s.push_str(&format!("    {isolated}\n"));
        }
        let peers_key = if key == "ingress" { "from" } else { "to" };
        for (i, rule) in rules.iter().enumerate() {
            let ports = rule
                .get("ports")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if ports.is_empty() {
                s.push_str("    To Port: <any> (traffic allowed to all ports)\n");
            }
            for p in &ports {
                let port = match p.get("port") {
                    Some(Value::Number(n)) => n.to_string(),
                    Some(Value::String(t)) => t.clone(),
                    _ => "<nil>".to_owned(),
                };
                let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
                s.push_str(&format!("    To Port: {port}/{proto}\n"));
            }
            let peers = rule
                .get(peers_key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if peers.is_empty() {
                s.push_str(&format!("    {unrestricted}\n"));
            }
            for peer in &peers {
                s.push_str(&format!("    {peer_word}:\n"));
                let pods = peer.get("podSelector");
                let namespaces = peer.get("namespaceSelector");
                if let Some(nsel) = namespaces {
                    s.push_str(&format!(
                        "      NamespaceSelector: {}\n",
                        format_selector(Some(nsel))
                    ));
                }
                if let Some(psel) = pods {
                    s.push_str(&format!(
                        "      PodSelector: {}\n",
                        format_selector(Some(psel))
                    ));
                }
                if pods.is_none()
                    && namespaces.is_none()
                    && let Some(block) = peer.get("ipBlock")
                {
                    let except: Vec<&str> = block
                        .get("except")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    s.push_str(&format!(
                        "      IPBlock:\n        CIDR: {}\n        Except: {}\n",
                        str_at(block, "/cidr"),
                        except.join(", ")
                    ));
                }
            }
            if i + 1 != rules.len() {
                s.push_str("    ----------\n");
            }
        }
    }
    s.push_str(&format!("  Policy Types: {}\n", types.join(", ")));
    s
}

fn describe_service(store: &Store, svc: &Value) -> String {
    let mut s = format!(
        "Name:\t{}\nNamespace:\t{}\n",
        str_at(svc, "/metadata/name"),
        str_at(svc, "/metadata/namespace")
    );
    s.push_str(&labels_and_annotations(svc));
    s.push_str(&format!(
        "Selector:\t{}\n",
        format_labels(svc.ptr("/spec/selector"))
    ));
    let ty = str_at(svc, "/spec/type");
    s.push_str(&format!("Type:\t{ty}\n"));
    if ty != "ExternalName" {
        s.push_str(&format!(
            "IP Family Policy:\t{}\n",
            str_at(svc, "/spec/ipFamilyPolicy")
        ));
        let families: Vec<&str> = svc
            .ptr("/spec/ipFamilies")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        s.push_str(&format!("IP Families:\t{}\n", families.join(",")));
        let ip = str_at(svc, "/spec/clusterIP");
        s.push_str(&format!("IP:\t{ip}\n"));
        let ips: Vec<&str> = svc
            .ptr("/spec/clusterIPs")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        s.push_str(&format!("IPs:\t{}\n", ips.join(",")));
    } else {
        s.push_str(&format!(
            "IP Families:\t<none>\nIP:\t\nIPs:\t<none>\nExternal Name:\t{}\n",
            str_at(svc, "/spec/externalName")
        ));
    }
    if let Some(ext) = svc.ptr("/spec/externalIPs").and_then(Value::as_array) {
        let ips: Vec<&str> = ext.iter().filter_map(Value::as_str).collect();
        s.push_str(&format!("External IPs:\t{}\n", ips.join(",")));
    }
    // describe.go's buildIngressString: each ingress's IP (or hostname), ", "-separated.
    if let Some(ingress) = svc
        .ptr("/status/loadBalancer/ingress")
        .and_then(Value::as_array)
    {
        let list: Vec<&str> = ingress
            .iter()
            .filter_map(|i| i.get("ip").or_else(|| i.get("hostname"))?.as_str())
            .collect();
        if !list.is_empty() {
            s.push_str(&format!("LoadBalancer Ingress:\t{}\n", list.join(", ")));
        }
    }
    let ns = str_at(svc, "/metadata/namespace");
    let name = str_at(svc, "/metadata/name");
    let slices: Vec<&Value> = store
        .list(Kind::EndpointSlice, Some(ns))
        .into_iter()
        .filter(|sl| {
            sl.ptr("/metadata/labels/kubernetes.io~1service-name")
                .and_then(Value::as_str)
                == Some(name)
        })
        .collect();
    for port in items(svc, "/spec/ports") {
        let pname = port
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty());
        let proto = port
            .get("protocol")
            .and_then(Value::as_str)
            .unwrap_or("TCP");
        let number = port.get("port").and_then(Value::as_i64).unwrap_or(0);
        s.push_str(&format!(
            "Port:\t{}  {number}/{proto}\n",
            pname.unwrap_or("<unset>")
        ));
        let target = match port.get("targetPort") {
            Some(Value::Number(n)) => format!("{n}/{proto}"),
            Some(Value::String(t)) => format!("{t}/{proto}"),
            _ => format!("{number}/{proto}"),
        };
        s.push_str(&format!("TargetPort:\t{target}\n"));
        if let Some(np) = port.get("nodePort").and_then(Value::as_i64) {
            s.push_str(&format!(
                "NodePort:\t{}  {np}/{proto}\n",
                pname.unwrap_or("<unset>")
            ));
        }
        // formatEndpointSlices: ready endpoints of the slices' port with this name.
        let endpoints = if slices.is_empty() {
            "<none>".to_owned()
        } else {
            let mut list = Vec::new();
            let mut count = 0;
            for sl in &slices {
                let sport = sl
                    .get("ports")
                    .and_then(Value::as_array)
                    .and_then(|ps| {
                        ps.iter().find(|p| {
                            p.get("name").and_then(Value::as_str).unwrap_or_default()
                                == pname.unwrap_or_default()
                        })
                    })
                    .and_then(|p| p.get("port").and_then(Value::as_i64));
                let Some(sport) = sport else { continue };
                for e in sl
                    .get("endpoints")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
                {
                    if e.ptr("/conditions/ready") == Some(&Value::Bool(false)) {
                        continue;
                    }
                    for a in e
                        .get("addresses")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default()
                    {
                        count += 1;
                        if list.len() < 3 {
                            list.push(format!("{}:{sport}", a.as_str().unwrap_or_default()));
                        }
                    }
                }
            }
            let mut text = list.join(",");
            if count > list.len() {
                text.push_str(&format!(" + {} more...", count - list.len()));
            }
            text
        };
        s.push_str(&format!("Endpoints:\t{endpoints}\n"));
    }
    s.push_str(&format!(
        "Session Affinity:\t{}\n",
        str_at(svc, "/spec/sessionAffinity")
    ));
    if ty == "NodePort" || ty == "LoadBalancer" {
        s.push_str(&format!(
            "External Traffic Policy:\t{}\n",
            str_at(svc, "/spec/externalTrafficPolicy")
        ));
    }
    if ty != "ExternalName" {
        s.push_str(&format!(
            "Internal Traffic Policy:\t{}\n",
            str_at(svc, "/spec/internalTrafficPolicy")
        ));
    }
    if let Some(port) = svc.ptr("/spec/healthCheckNodePort").and_then(Value::as_i64) {
        s.push_str(&format!("HealthCheck NodePort:\t{port}\n"));
    }
    s.push_str(&events_section(store, svc));
    s
}

fn describe_pod(store: &Store, pod: &Value) -> String {
    let node = str_at(pod, "/spec/nodeName");
    let host_ip = str_at(pod, "/status/hostIP");
    let mut s = format!(
        "Name:\t{}\nNamespace:\t{}\nPriority:\t{}\n",
        str_at(pod, "/metadata/name"),
        str_at(pod, "/metadata/namespace"),
        pod.ptr("/spec/priority")
            .and_then(Value::as_i64)
            .unwrap_or(0)
    );
    let pc = str_at(pod, "/spec/priorityClassName");
    if !pc.is_empty() {
        s.push_str(&format!("Priority Class Name:\t{pc}\n"));
    }
    let sa = str_at(pod, "/spec/serviceAccountName");
    s.push_str(&format!(
        "Service Account:\t{}\n",
        if sa.is_empty() { "default" } else { sa }
    ));
    if node.is_empty() {
        s.push_str("Node:\t<none>\n");
    } else {
        s.push_str(&format!("Node:\t{node}/{host_ip}\n"));
    }
    if pod.ptr("/status/startTime").is_some() {
        s.push_str(&format!(
            "Start Time:\t{}\n",
            timestamp(pod, "/status/startTime")
        ));
    }
    s.push_str(&labels_and_annotations(pod));
    let phase = str_at(pod, "/status/phase");
    s.push_str(&format!(
        "Status:\t{}\n",
        if phase.is_empty() { "Pending" } else { phase }
    ));
    let ip = str_at(pod, "/status/podIP");
    s.push_str(&format!("IP:\t{ip}\n"));
    if ip.is_empty() {
        s.push_str("IPs:\t<none>\n");
    } else {
        s.push_str(&format!("IPs:\n  IP:\t{ip}\n"));
    }
    if let Some(Value::Array(refs)) = pod.ptr("/metadata/ownerReferences") {
        for r in refs {
            s.push_str(&format!(
                "Controlled By:\t{}/{}\n",
                str_at(r, "/kind"),
                str_at(r, "/name")
            ));
        }
    }
    let statuses: Vec<Value> = items(pod, "/status/containerStatuses").to_vec();
    let init_statuses: Vec<Value> = items(pod, "/status/initContainerStatuses").to_vec();
    if pod
        .ptr("/spec/initContainers")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
    {
        describe_containers(
            &mut s,
            "Init Containers",
            pod.ptr("/spec/initContainers"),
            Some((&init_statuses, pod)),
            "",
        );
    }
    describe_containers(
        &mut s,
        "Containers",
        pod.ptr("/spec/containers"),
        Some((&statuses, pod)),
        "",
    );
    s.push_str("Conditions:\n  Type\tStatus\n");
    for c in items(pod, "/status/conditions") {
        s.push_str(&format!(
            "  {} \t{} \n",
            str_at(c, "/type"),
            str_at(c, "/status")
        ));
    }
    describe_volumes(&mut s, pod.ptr("/spec/volumes"), "");
    // kubectl prints status.qosClass, which the API server derives from the requests and
    // limits at creation; the same derivation, so that a pod not yet scheduled (no status)
    // reads the same.
    s.push_str(&format!("QoS Class:\t{}\n", qos_class(pod)));
    s.push_str(&labels_multiline(
        "Node-Selectors",
        pod.ptr("/spec/nodeSelector"),
    ));
    s.push_str(&tolerations_multiline(
        "Tolerations",
        pod.ptr("/spec/tolerations"),
    ));
    s.push_str(&events_section(store, pod));
    s
}

/// kubectl's `describeStatus`: `State:` or `Last State:` with what the state carries.
fn describe_status(s: &mut String, label: &str, state: Option<&Value>) {
    let field = |key: &str| state.and_then(|st| st.ptr(key));
    if field("/running").is_some() {
        s.push_str(&format!(
            "    {label}:\tRunning\n      Started:\t{}\n",
            state.map_or("<unknown>".to_owned(), |st| timestamp(
                st,
                "/running/startedAt"
            ))
        ));
    } else if let Some(waiting) = field("/waiting") {
        s.push_str(&format!("    {label}:\tWaiting\n"));
        let reason = str_at(waiting, "/reason");
        if !reason.is_empty() {
            s.push_str(&format!("      Reason:\t{reason}\n"));
        }
    } else if let Some(t) = field("/terminated") {
        s.push_str(&format!("    {label}:\tTerminated\n"));
        for (key, title) in [("/reason", "Reason"), ("/message", "Message")] {
            let text = str_at(t, key);
            if !text.is_empty() {
                s.push_str(&format!("      {title}:\t{text}\n"));
            }
        }
        s.push_str(&format!(
            "      Exit Code:\t{}\n",
            t.ptr("/exitCode").and_then(Value::as_i64).unwrap_or(0)
        ));
        if let Some(signal) = t.ptr("/signal").and_then(Value::as_i64).filter(|n| *n > 0) {
            s.push_str(&format!("      Signal:\t{signal}\n"));
        }
        s.push_str(&format!(
            "      Started:\t{}\n      Finished:\t{}\n",
            timestamp(t, "/startedAt"),
            timestamp(t, "/finishedAt")
        ));
    } else {
        s.push_str(&format!("    {label}:\tWaiting\n"));
    }
}

/// kubectl's `describeContainers` for pods (`status` = the container statuses and the pod,
/// whose fields `fieldRef` variables show) and pod templates (`None`; `space` is `"  "`).
fn describe_containers(
    s: &mut String,
    title: &str,
    containers: Option<&Value>,
    status: Option<(&[Value], &Value)>,
    space: &str,
) {
    let containers: Vec<&Value> = containers
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let none = if containers.is_empty() { " <none>" } else { "" };
    s.push_str(&format!("{space}{title}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in containers {
        let name = str_at(c, "/name");
        let st =
            status.and_then(|(statuses, _)| statuses.iter().find(|x| str_at(x, "/name") == name));
        s.push_str(&format!("  {name_indent}{name}:\n"));
        if let Some(st) = st {
            s.push_str(&format!(
                "    Container ID:\t{}\n",
                str_at(st, "/containerID")
            ));
        }
        s.push_str(&format!("    Image:\t{}\n", str_at(c, "/image")));
        if let Some(st) = st {
            s.push_str(&format!("    Image ID:\t{}\n", str_at(st, "/imageID")));
        }
        push_container_ports(s, c);
        for (key, label) in [("command", "Command"), ("args", "Args")] {
            if let Some(words) = c
                .get(key)
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
            {
                s.push_str(&format!("    {label}:\n"));
                for word in words {
                    for line in word.as_str().unwrap_or_default().split('\n') {
                        s.push_str(&format!("      {line}\n"));
                    }
                }
            }
        }
        if let Some(st) = st {
            describe_status(s, "State", st.ptr("/state"));
            if st.ptr("/lastState/terminated").is_some() {
                describe_status(s, "Last State", st.ptr("/lastState"));
            }
            let ready = st.get("ready") == Some(&Value::Bool(true));
            s.push_str(&format!(
                "    Ready:\t{}\n    Restart Count:\t{}\n",
                if ready { "True" } else { "False" },
                st.get("restartCount").and_then(Value::as_i64).unwrap_or(0)
            ));
        }
        for (key, label) in [("limits", "Limits"), ("requests", "Requests")] {
            if let Some(Value::Object(list)) = c.ptr(&format!("/resources/{key}"))
                && !list.is_empty()
            {
                s.push_str(&format!("    {label}:\n"));
                let mut names: Vec<(&String, &Value)> = list.iter().collect();
                crate::sort::sort_by_key(&mut names, |(k, _)| *k);
                for (resource, quantity) in names {
                    let text = match quantity {
                        Value::String(q) => q.clone(),
                        other => other.to_string(),
                    };
                    s.push_str(&format!("      {resource}:\t{text}\n"));
                }
            }
        }
        for (key, label) in [
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ] {
            if let Some(probe) = c.get(key) {
                s.push_str(&format!("    {label}:\t{}\n", probe_text(probe)));
            }
        }
        if let Some(from) = c
            .get("envFrom")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty())
        {
            s.push_str("    Environment Variables from:\n");
            for e in from {
                let (kind, source) = match (e.get("configMapRef"), e.get("secretRef")) {
                    (Some(r), _) => ("ConfigMap", r),
                    (None, Some(r)) => ("Secret", r),
                    (None, None) => ("", e),
                };
                let optional = source.get("optional") == Some(&Value::Bool(true));
                let prefix = str_at(e, "/prefix");
                let from = if prefix.is_empty() {
                    kind.to_owned()
                } else {
                    format!("{kind} with prefix '{prefix}'")
                };
                s.push_str(&format!(
                    "      {}\t{from}\tOptional: {optional}\n",
                    str_at(source, "/name")
                ));
            }
        }
        let env: Vec<&Value> = c
            .get("env")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        s.push_str(if env.is_empty() {
            "    Environment:\t<none>\n"
        } else {
            "    Environment:\n"
        });
        for e in env {
            s.push_str(&env_line(e, status.map(|(_, pod)| pod)));
        }
        let mut mounts: Vec<&Value> = c
            .get("volumeMounts")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        crate::sort::sort_by_key(&mut mounts, |m| str_at(m, "/mountPath"));
        s.push_str(if mounts.is_empty() {
            "    Mounts:\t<none>\n"
        } else {
            "    Mounts:\n"
        });
        for m in mounts {
            let mut flags = vec![if m.get("readOnly") == Some(&Value::Bool(true)) {
                "ro".to_owned()
            } else {
                "rw".to_owned()
            }];
            let sub = str_at(m, "/subPath");
            if !sub.is_empty() {
                flags.push(format!("path={sub:?}"));
            }
            s.push_str(&format!(
                "      {} from {} ({})\n",
                str_at(m, "/mountPath"),
                str_at(m, "/name"),
                flags.join(",")
            ));
        }
    }
}

/// One `Environment:` line: a value (each further line of it under the first), or where
/// the value comes from; a pod (not a template) resolves `fieldRef`s.
fn env_line(e: &Value, pod: Option<&Value>) -> String {
    let name = str_at(e, "/name");
    let Some(from) = e.get("valueFrom") else {
        let mut text = String::new();
        for (i, line) in str_at(e, "/value").split('\n').enumerate() {
            if i == 0 {
                text.push_str(&format!("      {name}:\t{line}\n"));
            } else {
                text.push_str(&format!("      \t{line}\n"));
            }
        }
        return text;
    };
    let optional = |r: &Value| r.get("optional") == Some(&Value::Bool(true));
    if let Some(f) = from.get("fieldRef") {
        let path = str_at(f, "/fieldPath");
        let value = pod.map(|p| field_value(p, path)).unwrap_or_default();
        let version = match str_at(f, "/apiVersion") {
            "" => "v1",
            v => v,
        };
        format!("      {name}:\t{value} ({version}:{path})\n")
    } else if let Some(r) = from.get("resourceFieldRef") {
        format!("      {name}:\t ({})\n", str_at(r, "/resource"))
    } else if let Some(r) = from.get("secretKeyRef") {
        format!(
            "      {name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
            str_at(r, "/key"),
            str_at(r, "/name"),
            optional(r)
        )
    } else if let Some(r) = from.get("configMapKeyRef") {
        format!(
            "      {name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
            str_at(r, "/key"),
            str_at(r, "/name"),
            optional(r)
        )
    } else {
        String::new()
    }
}

/// The downward API's value of `path` for `pod` (`metadata.name`, `status.podIP`,
/// `metadata.labels['app']`, ...).
fn field_value(pod: &Value, path: &str) -> String {
    let quoted = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix("']"))
            .map(str::to_owned)
    };
    if let Some(key) = quoted("metadata.labels['") {
        return pod
            .ptr("/metadata/labels")
            .and_then(|m| m.get(&key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
    }
    if let Some(key) = quoted("metadata.annotations['") {
        return pod
            .ptr("/metadata/annotations")
            .and_then(|m| m.get(&key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
    }
    let pointer = match path {
        "metadata.name" => "/metadata/name",
        "metadata.namespace" => "/metadata/namespace",
        "metadata.uid" => "/metadata/uid",
        "spec.nodeName" => "/spec/nodeName",
        "spec.serviceAccountName" => "/spec/serviceAccountName",
        "status.podIP" => "/status/podIP",
        "status.hostIP" => "/status/hostIP",
        _ => return String::new(),
    };
    str_at(pod, pointer).to_owned()
}

/// `key=value:Effect op=Exists for 300s`, as describe prints a toleration.
fn toleration_text(t: &Value) -> String {
    let (key, value, effect) = (str_at(t, "/key"), str_at(t, "/value"), str_at(t, "/effect"));
    let mut text = key.to_owned();
    if !value.is_empty() {
        text.push_str(&format!("={value}"));
    }
    if !effect.is_empty() {
        text.push_str(&format!(":{effect}"));
    }
    // `operator: Exists` without a key or effect tolerates everything.
    if str_at(t, "/operator") == "Exists" && value.is_empty() {
        text.push_str(if key.is_empty() && effect.is_empty() {
            "op=Exists"
        } else {
            " op=Exists"
        });
    }
    if let Some(secs) = t.get("tolerationSeconds").and_then(Value::as_i64) {
        text.push_str(&format!(" for {secs}s"));
    }
    text
}

/// `Tolerations:` sorted by key, one per line.
fn tolerations_multiline(title: &str, tolerations: Option<&Value>) -> String {
    let mut list: Vec<&Value> = tolerations
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    crate::sort::sort_by_key(&mut list, |t| str_at(t, "/key"));
    let lines: Vec<String> = list.into_iter().map(toleration_text).collect();
    multiline(title, &lines)
}

/// kubectl 1.32's `describeVolumes` for the volume kinds pods in the course use.
fn describe_volumes(s: &mut String, volumes: Option<&Value>, space: &str) {
    let volumes: Vec<&Value> = volumes
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if volumes.is_empty() {
        s.push_str(&format!("{space}Volumes:\t<none>\n"));
        return;
    }
    s.push_str(&format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    let flag = |v: &Value| {
        if v.get("optional") == Some(&Value::Bool(true)) {
            "true"
        } else {
            "false"
        }
    };
    for v in volumes {
        s.push_str(&format!("  {name_indent}{}:\n", str_at(v, "/name")));
        if let Some(projected) = v.get("projected") {
            s.push_str("    Type:\tProjected (a volume that contains injected data from multiple sources)\n");
            // 1.32 prints the sources' `optional` pointers as they are (`<nil>` when unset).
            for source in projected
                .get("sources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let optional = |r: &Value| match r.get("optional") {
                    Some(Value::Bool(b)) => format!("{b}"),
                    _ => "<nil>".to_owned(),
                };
                if let Some(secret) = source.get("secret") {
                    s.push_str(&format!(
                        "    SecretName:\t{}\n    SecretOptionalName:\t{}\n",
                        str_at(secret, "/name"),
                        optional(secret)
                    ));
                } else if source.get("downwardAPI").is_some() {
                    s.push_str("    DownwardAPI:\ttrue\n");
                } else if let Some(cm) = source.get("configMap") {
                    s.push_str(&format!(
                        "    ConfigMapName:\t{}\n    ConfigMapOptional:\t{}\n",
                        str_at(cm, "/name"),
                        optional(cm)
                    ));
                } else if let Some(token) = source.get("serviceAccountToken") {
                    s.push_str(&format!(
                        "    TokenExpirationSeconds:\t{}\n",
                        token
                            .get("expirationSeconds")
                            .and_then(Value::as_i64)
                            .unwrap_or(3607)
                    ));
                }
            }
        } else if let Some(dir) = v.get("emptyDir") {
            let limit = match str_at(dir, "/sizeLimit") {
                "" | "0" => "<unset>",
                l => l,
            };
            s.push_str(&format!(
                "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{limit}\n",
                str_at(dir, "/medium")
            ));
        } else if let Some(cm) = v.get("configMap") {
            s.push_str(&format!(
                "    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                str_at(cm, "/name"),
                flag(cm)
            ));
        } else if let Some(secret) = v.get("secret") {
            s.push_str(&format!(
                "    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                str_at(secret, "/secretName"),
                flag(secret)
            ));
        } else if let Some(host) = v.get("hostPath") {
            let kind = match str_at(host, "/type") {
                "" if host.get("type").is_none() => "<none>",
                t => t,
            };
            s.push_str(&format!(
                "    Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{kind}\n",
                str_at(host, "/path")
            ));
        } else {
            s.push_str("    <unknown>\n");
        }
    }
}

fn probe_text(probe: &Value) -> String {
    let action = if let Some(h) = probe.get("httpGet") {
        let port = match h.get("port") {
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        };
        format!("http-get http://:{port}{}", str_at(h, "/path"))
    } else if let Some(t) = probe.get("tcpSocket") {
        let port = match t.get("port") {
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        };
        format!("tcp-socket :{port}")
    } else if let Some(e) = probe.get("exec") {
        let cmd: Vec<&str> = e
            .get("command")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        format!("exec [{}]", cmd.join(" "))
    } else {
        "unknown".to_owned()
    };
    let n = |k: &str, d: i64| probe.get(k).and_then(Value::as_i64).unwrap_or(d);
    format!(
        "{action} delay={}s timeout={}s period={}s #success={} #failure={}",
        n("initialDelaySeconds", 0),
        n("timeoutSeconds", 1),
        n("periodSeconds", 10),
        n("successThreshold", 1),
        n("failureThreshold", 3)
    )
}

/// kubectl's `DescribePodTemplate` (deployments and replica sets).
fn pod_template(t: Option<&Value>) -> String {
    let mut s = "Pod Template:\n".to_owned();
    let Some(t) = t else {
        s.push_str("  <unset>");
        return s;
    };
    s.push_str(&labels_multiline("  Labels", t.ptr("/metadata/labels")));
    if t.ptr("/metadata/annotations")
        .and_then(Value::as_object)
        .is_some_and(|m| !m.is_empty())
    {
        s.push_str(&annotations_multiline(
            "  Annotations",
            t.ptr("/metadata/annotations"),
        ));
    }
    let account = str_at(t, "/spec/serviceAccountName");
    if !account.is_empty() {
        s.push_str(&format!("  Service Account:\t{account}\n"));
    }
    if t.ptr("/spec/initContainers")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty())
    {
        describe_containers(
            &mut s,
            "Init Containers",
            t.ptr("/spec/initContainers"),
            None,
            "  ",
        );
    }
    describe_containers(&mut s, "Containers", t.ptr("/spec/containers"), None, "  ");
    describe_volumes(&mut s, t.ptr("/spec/volumes"), "  ");
    let priority = str_at(t, "/spec/priorityClassName");
    if !priority.is_empty() {
        s.push_str(&format!("  Priority Class Name:\t{priority}\n"));
    }
    s.push_str(&labels_multiline(
        "  Node-Selectors",
        t.ptr("/spec/nodeSelector"),
    ));
    s.push_str(&tolerations_multiline(
        "  Tolerations",
        t.ptr("/spec/tolerations"),
    ));
    s
}

fn describe_deployment(store: &Store, d: &Value) -> String {
    let n = |p: &str| d.ptr(p).and_then(Value::as_i64).unwrap_or(0);
    let desired = d.ptr("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
    let mut s = format!(
        "Name:\t{}\nNamespace:\t{}\nCreationTimestamp:\t{}\n",
        str_at(d, "/metadata/name"),
        str_at(d, "/metadata/namespace"),
        timestamp(d, "/metadata/creationTimestamp")
    );
    s.push_str(&labels_and_annotations(d));
    s.push_str(&format!(
        "Selector:\t{}\n",
        format_selector(d.ptr("/spec/selector"))
    ));
    s.push_str(&format!(
        "Replicas:\t{desired} desired | {} updated | {} total | {} available | {} unavailable\n",
        n("/status/updatedReplicas"),
        n("/status/replicas"),
        n("/status/availableReplicas"),
        n("/status/unavailableReplicas")
    ));
    let strategy = str_at(d, "/spec/strategy/type");
    s.push_str(&format!("StrategyType:\t{strategy}\n"));
    s.push_str(&format!(
        "MinReadySeconds:\t{}\n",
        n("/spec/minReadySeconds")
    ));
    if strategy == "RollingUpdate" {
        let val = |p: &str| match d.ptr(p) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => "25%".to_owned(),
        };
        s.push_str(&format!(
            "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
            val("/spec/strategy/rollingUpdate/maxUnavailable"),
            val("/spec/strategy/rollingUpdate/maxSurge")
        ));
    }
    s.push_str(&pod_template(d.ptr("/spec/template")));
    s.push_str("Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n");
    for c in items(d, "/status/conditions") {
        // describe.go writes `%v \t%v\t%v`: the type cell keeps a trailing space.
        s.push_str(&format!(
            "  {} \t{}\t{}\n",
            str_at(c, "/type"),
            str_at(c, "/status"),
            str_at(c, "/reason")
        ));
    }
    // deploymentutil.GetAllReplicaSets: the replica sets the deployment controls, oldest
    // first; the new one is the first whose template (without pod-template-hash) is the
    // deployment's, every other one is old, scaled to zero or not.
    let uid = str_at(d, "/metadata/uid");
    let mut sets: Vec<&Value> = store
        .list(Kind::ReplicaSet, Some(str_at(d, "/metadata/namespace")))
        .into_iter()
        .filter(|rs| {
            items(rs, "/metadata/ownerReferences").iter().any(|r| {
                str_at(r, "/uid") == uid && r.get("controller") == Some(&Value::Bool(true))
            })
        })
        .collect();
    crate::sort::sort_by_key(&mut sets, |rs| {
        (
            str_at(rs, "/metadata/creationTimestamp").to_owned(),
            str_at(rs, "/metadata/name").to_owned(),
        )
    });
    let template = d.ptr("/spec/template");
    let same_template = |rs: &Value| {
        let mut t = rs.ptr("/spec/template").cloned().unwrap_or_default();
        if let Some(l) = t
            .pointer_mut("/metadata/labels")
            .and_then(Value::as_object_mut)
        {
            l.remove("pod-template-hash");
        }
        Some(&t) == template
    };
    let new_rs = sets.iter().position(|rs| same_template(rs));
    // printReplicaSetsByLabels.
    let summary = |list: Vec<&Value>| -> String {
        let text: Vec<String> = list
            .into_iter()
            .map(|rs| {
                let n = |p: &str| rs.ptr(p).and_then(Value::as_i64).unwrap_or(0);
                format!(
                    "{} ({}/{} replicas created)",
                    str_at(rs, "/metadata/name"),
                    n("/status/replicas"),
                    n("/spec/replicas")
                )
            })
            .collect();
        if text.is_empty() {
            "<none>".to_owned()
        } else {
            text.join(", ")
        }
    };
    if !sets.is_empty() {
        let old: Vec<&Value> = sets
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != new_rs)
            .map(|(_, rs)| *rs)
            .collect();
        let new: Vec<&Value> = new_rs
            .and_then(|i| sets.get(i))
            .copied()
            .into_iter()
            .collect();
        s.push_str(&format!("OldReplicaSets:\t{}\n", summary(old)));
        s.push_str(&format!("NewReplicaSet:\t{}\n", summary(new)));
    }
    s.push_str(&events_section(store, d));
    s
}

fn describe_replicaset(store: &Store, rs: &Value) -> String {
    let mut s = format!(
        "Name:\t{}\nNamespace:\t{}\nSelector:\t{}\n",
        str_at(rs, "/metadata/name"),
        str_at(rs, "/metadata/namespace"),
        format_selector(rs.ptr("/spec/selector"))
    );
    s.push_str(&labels_and_annotations(rs));
    if let Some(Value::Array(refs)) = rs.ptr("/metadata/ownerReferences") {
        for r in refs {
            s.push_str(&format!(
                "Controlled By:\t{}/{}\n",
                str_at(r, "/kind"),
                str_at(r, "/name")
            ));
        }
    }
    let n = |p: &str| rs.ptr(p).and_then(Value::as_i64).unwrap_or(0);
    s.push_str(&format!(
        "Replicas:\t{} current / {} desired\n",
        n("/status/replicas"),
        n("/spec/replicas")
    ));
    let uid = str_at(rs, "/metadata/uid");
    let pods: Vec<&Value> = store
        .list(Kind::Pod, Some(str_at(rs, "/metadata/namespace")))
        .into_iter()
        .filter(|p| str_at(p, "/metadata/ownerReferences/0/uid") == uid)
        .collect();
    let count = |st: &str| {
        pods.iter()
            .filter(|p| pod_status(p) == st || str_at(p, "/status/phase") == st)
            .count()
    };
    s.push_str(&format!(
        "Pods Status:\t{} Running / {} Waiting / {} Succeeded / {} Failed\n",
        count("Running"),
        pods.len() - count("Running") - count("Succeeded") - count("Failed"),
        count("Succeeded"),
        count("Failed")
    ));
    s.push_str(&pod_template(rs.ptr("/spec/template")));
    s.push_str(&events_section(store, rs));
    s
}

fn describe_namespace(ns: &Value) -> String {
    let mut s = format!("Name:\t{}\n", str_at(ns, "/metadata/name"));
    s.push_str(&labels_and_annotations(ns));
    s.push_str(&format!(
        "Status:\t{}\n\nNo resource quota.\n\nNo LimitRange resource.\n",
        str_at(ns, "/status/phase")
    ));
    s
}

fn describe_endpoints(ep: &Value) -> String {
    let mut s = format!(
        "Name:\t{}\nNamespace:\t{}\n",
        str_at(ep, "/metadata/name"),
        str_at(ep, "/metadata/namespace")
    );
    s.push_str(&labels_and_annotations(ep));
    s.push_str("Subsets:\n");
    for subset in ep
        .get("subsets")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let ips = |k: &str| -> String {
            subset
                .get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|x| str_at(x, "/ip").to_owned())
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default()
        };
        s.push_str(&format!("  Addresses:\t{}\n", ips("addresses")));
        let nr = ips("notReadyAddresses");
        s.push_str(&format!(
            "  NotReadyAddresses:\t{}\n",
            if nr.is_empty() { "<none>" } else { &nr }
        ));
        s.push_str("  Ports:\n    Name\tPort\tProtocol\n    ----\t----\t--------\n");
        for p in subset
            .get("ports")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            let name = str_at(&p, "/name");
            s.push_str(&format!(
                "    {}\t{}\t{}\n",
                if name.is_empty() { "<unset>" } else { name },
                p.get("port").and_then(Value::as_i64).unwrap_or(0),
                str_at(&p, "/protocol")
            ));
        }
    }
    s.push_str("\nEvents:\t<none>\n");
    s
}

/// apimachinery's `Quantity.String()` for a sum: cpu as `350m` or `2`, sizes with the
/// largest binary suffix that divides them (`170Mi`), `0` for nothing.
fn quantity_text(resource: &str, value: i128) -> String {
    if value == 0 {
        return "0".to_owned();
    }
    if resource == "cpu" {
        return if value % 1000 == 0 {
            (value / 1000).to_string()
        } else {
            format!("{value}m")
        };
    }
    for (suffix, size) in [
        ("Ti", 1i128 << 40),
        ("Gi", 1 << 30),
        ("Mi", 1 << 20),
        ("Ki", 1 << 10),
    ] {
        if value % size == 0 {
            return format!("{}{suffix}", value / size);
        }
    }
    value.to_string()
}

/// A pod's requests or limits (`which`) of one resource: the sum over its containers, or the
/// largest init container when that is more (`resourcehelper.PodRequests`). A container
/// with a limit and no request requests its limit (the API server's defaulting).
fn pod_resource(pod: &Value, which: &str, resource: &str) -> i128 {
    let amount = |c: &Value| -> i128 {
        let read = |field: &str| {
            c.ptr(&format!("/resources/{field}/{resource}"))
                .and_then(Value::as_str)
                .and_then(|t| quantity_value(resource, t))
        };
        match which {
            "requests" => read("requests").or_else(|| read("limits")).unwrap_or(0),
            _ => read("limits").unwrap_or(0),
        }
    };
    let list = |pointer: &str| -> Vec<i128> {
        pod.ptr(pointer)
            .and_then(Value::as_array)
            .map(|cs| cs.iter().map(amount).collect())
            .unwrap_or_default()
    };
    let containers: i128 = list("/spec/containers").into_iter().sum();
    let init = list("/spec/initContainers").into_iter().max().unwrap_or(0);
    containers.max(init)
}

/// `VALUE (N%)` of a node's allocatable amount, the percentage truncated like Go's int64().
fn with_fraction(resource: &str, value: i128, allocatable: i128) -> String {
    let percent = if allocatable == 0 {
        0
    } else {
        (value as f64 / allocatable as f64 * 100.0) as i64
    };
    format!("{} ({percent}%)", quantity_text(resource, value))
}

fn describe_node(store: &Store, node: &Value) -> String {
    let name = str_at(node, "/metadata/name");
    let mut s = format!("Name:\t{name}\n");
    // node-role.kubernetes.io/ROLE labels and the older kubernetes.io/role=ROLE.
    let mut roles: Vec<String> = node
        .ptr("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
                    Some(role) if !role.is_empty() => Some(role.to_owned()),
                    Some(_) => None,
                    None if k == "kubernetes.io/role" => {
                        v.as_str().filter(|v| !v.is_empty()).map(str::to_owned)
                    }
                    None => None,
                })
                .collect()
        })
        .unwrap_or_default();
    crate::sort::sort(&mut roles);
    roles.dedup();
    s.push_str(&format!(
        "Roles:\t{}\n",
        if roles.is_empty() {
            "<none>".to_owned()
        } else {
            roles.join(",")
        }
    ));
    s.push_str(&labels_and_annotations(node));
    s.push_str(&format!(
        "CreationTimestamp:\t{}\n",
        timestamp(node, "/metadata/creationTimestamp")
    ));
    // Taint.ToString(), sorted by effect then key, one per line.
    let mut taints: Vec<(String, String)> = node
        .ptr("/spec/taints")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|t| {
                    let (key, value, effect) =
                        (str_at(t, "/key"), str_at(t, "/value"), str_at(t, "/effect"));
                    let text = if value.is_empty() {
                        format!("{key}:{effect}")
                    } else {
                        format!("{key}={value}:{effect}")
                    };
                    (format!("{effect},{key}"), text)
                })
                .collect()
        })
        .unwrap_or_default();
    crate::sort::sort(&mut taints);
    let taints: Vec<String> = taints.into_iter().map(|(_, t)| t).collect();
    s.push_str(&multiline("Taints", &taints));
    let unschedulable = node
        .ptr("/spec/unschedulable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    s.push_str(&format!("Unschedulable:\t{unschedulable}\n"));
    // The kubelet renews its Lease in kube-node-lease every 10 s and posts an unchanged
    // node status every 5 min; the store keeps neither time, so both follow the clock.
    let now = store.now_unix();
    let created = node
        .ptr("/metadata/creationTimestamp")
        .and_then(Value::as_str)
        .and_then(parse_rfc3339)
        .unwrap_or(now);
    let every = |period: i64| created + (now - created).max(0) / period * period;
    s.push_str(&format!(
        "Lease:\n  HolderIdentity:\t{name}\n  AcquireTime:\t<unset>\n  RenewTime:\t{}\n",
        rfc1123z(every(10))
    ));
    if let Some(conditions) = node.ptr("/status/conditions").and_then(Value::as_array) {
        s.push_str("Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n  ----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in conditions {
            let at = |pointer: &str, default: i64| {
                rfc1123z(
                    c.ptr(pointer)
                        .and_then(Value::as_str)
                        .and_then(parse_rfc3339)
                        .unwrap_or(default),
                )
            };
            s.push_str(&format!(
                "  {} \t{} \t{} \t{} \t{} \t{}\n",
                str_at(c, "/type"),
                str_at(c, "/status"),
                at("/lastHeartbeatTime", every(300)),
                at("/lastTransitionTime", created),
                str_at(c, "/reason"),
                str_at(c, "/message")
            ));
        }
    }
    s.push_str("Addresses:\n");
    for a in items(node, "/status/addresses").iter() {
        s.push_str(&format!(
            "  {}:\t{}\n",
            str_at(a, "/type"),
            str_at(a, "/address")
        ));
    }
    let resources = |pointer: &str| -> Vec<(String, String)> {
        node.ptr(pointer)
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    };
    for (title, pointer) in [
        ("Capacity", "/status/capacity"),
        ("Allocatable", "/status/allocatable"),
    ] {
        let mut list = resources(pointer);
        if list.is_empty() {
            continue;
        }
        crate::sort::sort(&mut list);
        s.push_str(&format!("{title}:\n"));
        for (k, v) in list {
            s.push_str(&format!("  {k}:\t{v}\n"));
        }
    }
    s.push_str("System Info:\n");
    for (label, key) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
    ] {
        s.push_str(&format!(
            "  {label}:\t{}\n",
            str_at(node, &format!("/status/nodeInfo/{key}"))
        ));
    }
    let cidr = str_at(node, "/spec/podCIDR");
    if !cidr.is_empty() {
        s.push_str(&format!("PodCIDR:\t{cidr}\n"));
    }
    let cidrs: Vec<&str> = node
        .ptr("/spec/podCIDRs")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !cidrs.is_empty() {
        s.push_str(&format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    // Non-terminated pods on the node, with their share of what the node can allocate.
    let mut allocatable = resources("/status/allocatable");
    if allocatable.is_empty() {
        allocatable = resources("/status/capacity");
    }
    let allocatable_of = |resource: &str| -> i128 {
        allocatable
            .iter()
            .find(|(k, _)| k == resource)
            .and_then(|(_, v)| quantity_value(resource, v))
            .unwrap_or(0)
    };
    let pods: Vec<&Value> = store
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| {
            str_at(p, "/spec/nodeName") == name
                && !matches!(str_at(p, "/status/phase"), "Succeeded" | "Failed")
        })
        .collect();
    s.push_str(&format!(
        "Non-terminated Pods:\t({} in total)\n",
        pods.len()
    ));
    s.push_str("  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    for p in &pods {
        let cell = |which: &str, resource: &str| {
            with_fraction(
                resource,
                pod_resource(p, which, resource),
                allocatable_of(resource),
            )
        };
        s.push_str(&format!(
            "  {}\t{}\t\t{}\t{}\t{}\t{}\t{}\n",
            str_at(p, "/metadata/namespace"),
            str_at(p, "/metadata/name"),
            cell("requests", "cpu"),
            cell("limits", "cpu"),
            cell("requests", "memory"),
            cell("limits", "memory"),
            human_duration(store.age_seconds(p))
        ));
    }
    s.push_str("Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n  Resource\tRequests\tLimits\n  --------\t--------\t------\n");
    let total = |which: &str, resource: &str| -> i128 {
        pods.iter().map(|p| pod_resource(p, which, resource)).sum()
    };
    let mut rows: Vec<String> = vec!["cpu".into(), "memory".into(), "ephemeral-storage".into()];
    let mut hugepages: Vec<String> = allocatable
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| k.starts_with("hugepages-"))
        .collect();
    crate::sort::sort(&mut hugepages);
    rows.extend(hugepages);
    for resource in rows {
        let alloc = allocatable_of(&resource);
        s.push_str(&format!(
            "  {resource}\t{}\t{}\n",
            with_fraction(&resource, total("requests", &resource), alloc),
            with_fraction(&resource, total("limits", &resource), alloc)
        ));
    }
    s.push_str(&events_section(store, node));
    s
}

/// The `Port:` and `Host Port:` lines of a container, as kubectl's describe prints them for
/// pods and for pod templates (deployments, replica sets): `80/TCP (http)`, and the plural
/// label when there are several.
fn push_container_ports(s: &mut String, container: &Value) {
    let ports: Vec<&Value> = container
        .get("ports")
        .and_then(Value::as_array)
        .map(|ps| ps.iter().collect())
        .unwrap_or_default();
    let describe = |field: &str| -> String {
        ports
            .iter()
            .map(|p| {
                let mut text = format!(
                    "{}/{}",
                    p.get(field).and_then(Value::as_i64).unwrap_or(0),
                    p.get("protocol").and_then(Value::as_str).unwrap_or("TCP")
                );
                if let Some(name) = p
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|n| !n.is_empty())
                {
                    text.push_str(&format!(" ({name})"));
                }
                text
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (singular, plural, field) in [
        ("Port", "Ports", "containerPort"),
        ("Host Port", "Host Ports", "hostPort"),
    ] {
        let text = describe(field);
        if text.contains(',') {
            s.push_str(&format!("    {plural}:\t{text}\n"));
        } else if text.is_empty() {
            s.push_str(&format!("    {singular}:\t<none>\n"));
        } else {
            s.push_str(&format!("    {singular}:\t{text}\n"));
        }
    }
}
