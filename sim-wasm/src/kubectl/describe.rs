//! `kubectl describe` for services (verified against kubectl 1.32, fidelity.md §3.5), pods,
//! deployments, replicasets, endpoints, namespaces and nodes, with their Events. Layout via
//! Go's tabwriter with padding 2, as `describe.go`'s prefix writer uses.

use crate::api::Ptr;
use serde_json::Value;

use super::Ctx;
use super::args::{self, FlagSpec, boolean, value};
use super::get::{parse_selector, resolve_types, selector_matches};
use super::printers::{format_labels, format_selector, pod_status, str_at, tabwrite};
use crate::api::{ApiError, Kind};
use crate::store::{Store, parse_rfc3339};
use crate::time::human_duration;

const FLAGS: &[FlagSpec] = &[
    boolean("all-namespaces", Some('A')),
    value("selector", Some('l')),
    value("filename", Some('f')),
    boolean("show-events", None),
    boolean("recursive", Some('R')),
    value("chunk-size", None),
];

pub fn describe(ctx: &mut Ctx<'_>, rest: &[String]) {
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("describe", &e.0),
    };
    let namespace = p.get("namespace").unwrap_or("default").to_owned();
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
    let mut blocks = Vec::new();
    let mut errors = Vec::new();
    for (kind, name) in targets {
        let ns = if p.flag("all-namespaces") {
            None
        } else {
            Some(namespace.as_str())
        };
        let objs: Vec<Value> = match &name {
            Some(n) => {
                // describe matches a name prefix when there is no exact match.
                match ctx.world.store.get(kind, &namespace, n) {
                    Some(o) => vec![o.clone()],
                    None => {
                        let prefixed: Vec<Value> = ctx
                            .world
                            .store
                            .list(kind, Some(&namespace))
                            .into_iter()
                            .filter(|o| str_at(o, "/metadata/name").starts_with(n.as_str()))
                            .cloned()
                            .collect();
                        if prefixed.is_empty() {
                            errors.push(ApiError::not_found(kind, n).to_string());
                        }
                        prefixed
                    }
                }
            }
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
        ctx.err
            .push_str(&format!("No resources found in {namespace} namespace.\n"));
    }
    ctx.out.push_str(&blocks.join("\n\n\n"));
    for e in errors {
        ctx.fail_raw(&e);
    }
}

fn multiline_map(label: &str, map: Option<&Value>, skip_last_applied: bool) -> String {
    let mut entries: Vec<String> = Vec::new();
    if let Some(Value::Object(m)) = map {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        for k in keys {
            if skip_last_applied && k == "kubectl.kubernetes.io/last-applied-configuration" {
                continue;
            }
            let v = m.get(k).and_then(Value::as_str).unwrap_or_default();
            entries.push(format!("{k}={v}"));
        }
    }
    if entries.is_empty() {
        return format!("{label}:\t<none>\n");
    }
    let mut s = format!("{label}:\t{}\n", entries[0]);
    for e in &entries[1..] {
        s.push_str(&format!("\t{e}\n"));
    }
    s
}

fn events_section(store: &Store, obj: &Value) -> String {
    let uid = str_at(obj, "/metadata/uid");
    let mut events: Vec<&Value> = store.events_about(uid);
    if events.is_empty() {
        return "Events:\t<none>\n".to_owned();
    }
    // describe sorts by first timestamp; the store's name order breaks ties in creation
    // order because event names carry the creation time.
    events.sort_by_key(|e| str_at(e, "/firstTimestamp").to_owned());
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
            s.push_str(&multiline_map("Labels", o.ptr("/metadata/labels"), false));
            s.push_str(&multiline_map(
                "Annotations",
                o.ptr("/metadata/annotations"),
                false,
            ));
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
    head.push_str(&multiline_map("Labels", cm.ptr("/metadata/labels"), false));
    head.push_str(&multiline_map(
        "Annotations",
        cm.ptr("/metadata/annotations"),
        true,
    ));
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
    s.push_str(&multiline_map("Labels", np.ptr("/metadata/labels"), false));
    s.push_str(&multiline_map(
        "Annotations",
        np.ptr("/metadata/annotations"),
        true,
    ));
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
    s.push_str(&multiline_map("Labels", svc.ptr("/metadata/labels"), false));
    s.push_str(&multiline_map(
        "Annotations",
        svc.ptr("/metadata/annotations"),
        true,
    ));
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
    for port in svc
        .ptr("/spec/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
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
    s.push_str(&multiline_map("Labels", pod.ptr("/metadata/labels"), false));
    s.push_str(&multiline_map(
        "Annotations",
        pod.ptr("/metadata/annotations"),
        true,
    ));
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
    s.push_str("Containers:\n");
    let statuses = pod
        .ptr("/status/containerStatuses")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for c in pod
        .ptr("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let cname = str_at(&c, "/name");
        let st = statuses.iter().find(|x| str_at(x, "/name") == cname);
        s.push_str(&format!("  {cname}:\n"));
        if let Some(st) = st {
            let id = str_at(st, "/containerID");
            if !id.is_empty() {
                s.push_str(&format!("    Container ID:\t{id}\n"));
            }
        }
        s.push_str(&format!("    Image:\t{}\n", str_at(&c, "/image")));
        s.push_str(&format!(
            "    Image ID:\t{}\n",
            st.map_or("", |x| str_at(x, "/imageID"))
        ));
        push_container_ports(&mut s, &c);
        if let Some(cmd) = c.get("command").and_then(Value::as_array) {
            s.push_str("    Command:\n");
            for a in cmd {
                s.push_str(&format!("      {}\n", a.as_str().unwrap_or_default()));
            }
        }
        if let Some(a) = c.get("args").and_then(Value::as_array) {
            s.push_str("    Args:\n");
            for x in a {
                s.push_str(&format!("      {}\n", x.as_str().unwrap_or_default()));
            }
        }
        match st {
            Some(st) if st.ptr("/state/running").is_some() => {
                s.push_str(&format!(
                    "    State:\tRunning\n      Started:\t{}\n",
                    timestamp(st, "/state/running/startedAt")
                ));
            }
            Some(st) if st.ptr("/state/waiting").is_some() => {
                s.push_str(&format!(
                    "    State:\tWaiting\n      Reason:\t{}\n",
                    str_at(st, "/state/waiting/reason")
                ));
            }
            Some(st) if st.ptr("/state/terminated").is_some() => {
                s.push_str(&terminated_text("State", st, "/state/terminated"));
            }
            _ => s.push_str("    State:\tWaiting\n      Reason:\tContainerCreating\n"),
        }
        if let Some(st) = st
            && st.ptr("/lastState/terminated").is_some()
        {
            s.push_str(&terminated_text("Last State", st, "/lastState/terminated"));
        }
        let ready = st.is_some_and(|x| x.get("ready") == Some(&Value::Bool(true)));
        s.push_str(&format!(
            "    Ready:\t{}\n",
            if ready { "True" } else { "False" }
        ));
        s.push_str(&format!(
            "    Restart Count:\t{}\n",
            st.and_then(|x| x.get("restartCount"))
                .and_then(Value::as_i64)
                .unwrap_or(0)
        ));
        if let Some(probe) = c.get("readinessProbe") {
            s.push_str(&format!("    Readiness:\t{}\n", probe_text(probe)));
        }
        match c.get("env").and_then(Value::as_array) {
            Some(env) if !env.is_empty() => {
                s.push_str("    Environment:\n");
                for e in env {
                    s.push_str(&format!(
                        "      {}:\t{}\n",
                        str_at(e, "/name"),
                        str_at(e, "/value")
                    ));
                }
            }
            _ => s.push_str("    Environment:\t<none>\n"),
        }
        match c.get("volumeMounts").and_then(Value::as_array) {
            Some(mounts) if !mounts.is_empty() => {
                s.push_str("    Mounts:\n");
                for m in mounts {
                    let ro = if m.get("readOnly") == Some(&Value::Bool(true)) {
                        "ro"
                    } else {
                        "rw"
                    };
                    s.push_str(&format!(
                        "      {} from {} ({ro})\n",
                        str_at(m, "/mountPath"),
                        str_at(m, "/name")
                    ));
                }
            }
            _ => s.push_str("    Mounts:\t<none>\n"),
        }
    }
    s.push_str("Conditions:\n  Type\tStatus\n");
    for c in pod
        .ptr("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        s.push_str(&format!(
            "  {} \t{} \n",
            str_at(&c, "/type"),
            str_at(&c, "/status")
        ));
    }
    match pod.ptr("/spec/volumes").and_then(Value::as_array) {
        Some(volumes) if !volumes.is_empty() => {
            s.push_str("Volumes:\n");
            for v in volumes {
                s.push_str(&format!("  {}:\n", str_at(v, "/name")));
                if v.get("projected").is_some() {
                    s.push_str("    Type:\tProjected (a volume that contains injected data from multiple sources)\n    TokenExpirationSeconds:\t3607\n    ConfigMapName:\tkube-root-ca.crt\n    ConfigMapOptional:\t<nil>\n    DownwardAPI:\ttrue\n");
                } else {
                    s.push_str("    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n");
                }
            }
        }
        _ => s.push_str("Volumes:\t<none>\n"),
    }
    s.push_str(&format!(
        "QoS Class:\t{}\n",
        str_at(pod, "/status/qosClass")
    ));
    s.push_str(&format!(
        "Node-Selectors:\t{}\n",
        format_labels(pod.ptr("/spec/nodeSelector"))
    ));
    let tolerations: Vec<String> = pod
        .ptr("/spec/tolerations")
        .and_then(Value::as_array)
        .map(|ts| ts.iter().map(toleration_text).collect())
        .unwrap_or_default();
    match tolerations.split_first() {
        None => s.push_str("Tolerations:\t<none>\n"),
        Some((first, rest)) => {
            s.push_str(&format!("Tolerations:\t{first}\n"));
            for t in rest {
                s.push_str(&format!("\t{t}\n"));
            }
        }
    }
    s.push_str(&events_section(store, pod));
    s
}

/// A terminated container state, as describe prints `State:` or `Last State:`.
fn terminated_text(label: &str, status: &Value, pointer: &str) -> String {
    let exit = status
        .ptr(&format!("{pointer}/exitCode"))
        .and_then(Value::as_i64)
        .unwrap_or(0);
    format!(
        "    {label}:\tTerminated\n      Reason:\t{}\n      Exit Code:\t{exit}\n      Started:\t{}\n      Finished:\t{}\n",
        str_at(status, &format!("{pointer}/reason")),
        timestamp(status, &format!("{pointer}/startedAt")),
        timestamp(status, &format!("{pointer}/finishedAt"))
    )
}

/// `key:Effect op=Exists for 300s`, as describe prints a toleration.
fn toleration_text(t: &Value) -> String {
    let mut text = str_at(t, "/key").to_owned();
    let effect = str_at(t, "/effect");
    if !effect.is_empty() {
        text.push(':');
        text.push_str(effect);
    }
    if str_at(t, "/operator") == "Exists" {
        text.push_str(" op=Exists");
    } else {
        let v = str_at(t, "/value");
        if !v.is_empty() {
            text.push('=');
            text.push_str(v);
        }
    }
    if let Some(secs) = t.get("tolerationSeconds").and_then(Value::as_i64) {
        text.push_str(&format!(" for {secs}s"));
    }
    text
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

fn pod_template(t: Option<&Value>) -> String {
    let Some(t) = t else { return String::new() };
    let mut s = "Pod Template:\n".to_owned();
    let labels = multiline_map("  Labels", t.ptr("/metadata/labels"), false);
    s.push_str(&labels);
    s.push_str("  Containers:\n");
    for c in t
        .ptr("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        s.push_str(&format!("   {}:\n", str_at(&c, "/name")));
        s.push_str(&format!("    Image:\t{}\n", str_at(&c, "/image")));
        push_container_ports(&mut s, &c);
        s.push_str("    Environment:\t<none>\n    Mounts:\t<none>\n");
    }
    s.push_str("  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n");
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
    s.push_str(&multiline_map("Labels", d.ptr("/metadata/labels"), false));
    s.push_str(&multiline_map(
        "Annotations",
        d.ptr("/metadata/annotations"),
        true,
    ));
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
    for c in d
        .ptr("/status/conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        s.push_str(&format!(
            "  {}\t{}\t{}\n",
            str_at(&c, "/type"),
            str_at(&c, "/status"),
            str_at(&c, "/reason")
        ));
    }
    let uid = str_at(d, "/metadata/uid");
    let ns = str_at(d, "/metadata/namespace");
    let sets: Vec<&Value> = store
        .list(Kind::ReplicaSet, Some(ns))
        .into_iter()
        .filter(|rs| str_at(rs, "/metadata/ownerReferences/0/uid") == uid)
        .collect();
    let template = d.ptr("/spec/template");
    let new_rs: Vec<String> = sets
        .iter()
        .filter(|rs| {
            let mut t = rs.ptr("/spec/template").cloned().unwrap_or_default();
            if let Some(l) = t
                .pointer_mut("/metadata/labels")
                .and_then(Value::as_object_mut)
            {
                l.remove("pod-template-hash");
            }
            Some(&t) == template
        })
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                str_at(rs, "/metadata/name"),
                rs.ptr("/status/replicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(0),
                rs.ptr("/spec/replicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
            )
        })
        .collect();
    let old_rs: Vec<String> = sets
        .iter()
        .filter(|rs| {
            rs.ptr("/spec/replicas")
                .and_then(Value::as_i64)
                .unwrap_or(0)
                > 0
        })
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                str_at(rs, "/metadata/name"),
                rs.ptr("/status/replicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(0),
                rs.ptr("/spec/replicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(0)
            )
        })
        .filter(|x| !new_rs.contains(x))
        .collect();
    s.push_str(&format!(
        "OldReplicaSets:\t{}\n",
        if old_rs.is_empty() {
            "<none>".to_owned()
        } else {
            old_rs.join(", ")
        }
    ));
    s.push_str(&format!(
        "NewReplicaSet:\t{}\n",
        if new_rs.is_empty() {
            "<none>".to_owned()
        } else {
            new_rs.join(", ")
        }
    ));
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
    s.push_str(&multiline_map("Labels", rs.ptr("/metadata/labels"), false));
    s.push_str(&multiline_map(
        "Annotations",
        rs.ptr("/metadata/annotations"),
        true,
    ));
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
    s.push_str(&multiline_map("Labels", ns.ptr("/metadata/labels"), false));
    s.push_str(&multiline_map(
        "Annotations",
        ns.ptr("/metadata/annotations"),
        true,
    ));
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
    s.push_str(&multiline_map("Labels", ep.ptr("/metadata/labels"), false));
    s.push_str(&multiline_map(
        "Annotations",
        ep.ptr("/metadata/annotations"),
        false,
    ));
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

fn describe_node(store: &Store, node: &Value) -> String {
    let mut s = format!("Name:\t{}\n", str_at(node, "/metadata/name"));
    let roles: Vec<String> = node
        .ptr("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            m.keys()
                .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    s.push_str(&format!(
        "Roles:\t{}\n",
        if roles.is_empty() {
            "<none>".to_owned()
        } else {
            roles.join(",")
        }
    ));
    s.push_str(&multiline_map(
        "Labels",
        node.ptr("/metadata/labels"),
        false,
    ));
    s.push_str(&multiline_map(
        "Annotations",
        node.ptr("/metadata/annotations"),
        false,
    ));
    s.push_str(&format!(
        "CreationTimestamp:\t{}\n",
        timestamp(node, "/metadata/creationTimestamp")
    ));
    let taints: Vec<String> = node
        .ptr("/spec/taints")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|t| format!("{}:{}", str_at(t, "/key"), str_at(t, "/effect")))
                .collect()
        })
        .unwrap_or_default();
    s.push_str(&format!(
        "Taints:\t{}\n",
        if taints.is_empty() {
            "<none>".to_owned()
        } else {
            taints.join(",")
        }
    ));
    s.push_str("Unschedulable:\tfalse\n");
    s.push_str("Addresses:\n");
    for a in node
        .ptr("/status/addresses")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        s.push_str(&format!(
            "  {}:\t{}\n",
            str_at(&a, "/type"),
            str_at(&a, "/address")
        ));
    }
    s.push_str("System Info:\n");
    for (label, key) in [
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
        s.push_str(&format!("PodCIDR:\t{cidr}\nPodCIDRs:\t{cidr}\n"));
    }
    let name = str_at(node, "/metadata/name");
    let pods: Vec<&Value> = store
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| str_at(p, "/spec/nodeName") == name)
        .collect();
    s.push_str(&format!(
        "Non-terminated Pods:\t({} in total)\n",
        pods.len()
    ));
    s.push_str("  Namespace\tName\tAge\n  ---------\t----\t---\n");
    for p in pods {
        s.push_str(&format!(
            "  {}\t{}\t{}\n",
            str_at(p, "/metadata/namespace"),
            str_at(p, "/metadata/name"),
            human_duration(store.age_seconds(p))
        ));
    }
    s.push_str(&events_section(store, node));
    s
}

/// The `Port:` and `Host Port:` lines of a container, as kubectl's describe prints them for
/// pods and for pod templates (deployments, replica sets).
fn push_container_ports(s: &mut String, container: &Value) {
    let ports: Vec<String> = container
        .get("ports")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    format!(
                        "{}/{}",
                        p.get("containerPort").and_then(Value::as_i64).unwrap_or(0),
                        p.get("protocol").and_then(Value::as_str).unwrap_or("TCP")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if ports.is_empty() {
        s.push_str("    Port:\t<none>\n    Host Port:\t<none>\n");
        return;
    }
    s.push_str(&format!("    Port:\t{}\n", ports.join(", ")));
    let host: Vec<String> = ports
        .iter()
        .map(|p| format!("0/{}", p.split('/').nth(1).unwrap_or("TCP")))
        .collect();
    s.push_str(&format!("    Host Port:\t{}\n", host.join(", ")));
}
