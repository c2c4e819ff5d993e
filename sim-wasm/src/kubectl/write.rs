//! The verbs that change the cluster: create (files and generators), apply, delete,
//! expose, run, scale, label/annotate, set image, rollout; with `--dry-run=client|server`
//! and `-o yaml|json|name` where kubectl has them. Client-side objects (`--dry-run=client`)
//! are built exactly as kubectl's generators build them.

use crate::api::Ptr;
use serde_json::{Map, Value, json};

use super::args::{self, FlagSpec, Parsed, boolean, int, int32, optional, value};
use super::get::{
    check_jsonpath, jsonpath, kind_slash_name, parse_selector, resolve_types, selector_matches,
};
use super::image_ref;
use super::manifest::{self, Entry};
use super::{Ctx, NO_RESOURCES, SEPARATE_TYPE};
use crate::api::validate::{is_dns1123_subdomain, port_name_causes};
use crate::api::{ApiError, Kind, Reason};
use crate::controllers::apiserver;
use crate::yaml::{to_json_compact, to_json_pretty, to_json_pretty_ordered, to_yaml};

/// What `kubectl create service` prints (on stderr, exit 1) without a subcommand.
const CREATE_SERVICE_HELP: &str = "Create a service using a specified subcommand.

Aliases:
service, svc

Available Commands:
  clusterip      Create a ClusterIP service
  externalname   Create an ExternalName service
  loadbalancer   Create a LoadBalancer service
  nodeport       Create a NodePort service

Usage:
  kubectl create service [flags] [options]

Use \"kubectl create service <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

/// What `kubectl rollout` prints without a subcommand (on stdout, exit 1).
const ROLLOUT_HELP: &str = "Manage the rollout of one or many resources.
\x20\x20\x20\x20\x20\x20\x20\x20
 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets

Examples:
  # Rollback to the previous deployment
  kubectl rollout undo deployment/abc
\x20\x20
  # Check the rollout status of a daemonset
  kubectl rollout status daemonset/foo
\x20\x20
  # Restart a deployment
  kubectl rollout restart deployment/abc
\x20\x20
  # Restart deployments with the 'app=nginx' label
  kubectl rollout restart deployment --selector=app=nginx

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout

Usage:
  kubectl rollout SUBCOMMAND [options]

Use \"kubectl rollout <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

/// What `kubectl set` prints without a subcommand (on stderr, exit 1).
const SET_HELP: &str = "Configure application resources.

 These commands help you make changes to existing application resources.

Available Commands:
  env              Update environment variables on a pod template
  image            Update the image of a pod template
  resources        Update resource requests/limits on objects with pod templates
  selector         Set the selector on a resource
  serviceaccount   Update the service account of a resource
  subject          Update the user, group, or service account in a role binding or cluster role binding

Usage:
  kubectl set SUBCOMMAND [options]

Use \"kubectl set <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

const CREATE_FLAGS: &[FlagSpec] = &[
    value("filename", Some('f')),
    value("output", Some('o')),
    optional("dry-run", "unchanged"),
    boolean("save-config", None),
    value("validate", None),
    boolean("edit", None),
    boolean("recursive", Some('R')),
    value("selector", Some('l')),
    value("field-manager", None),
    boolean("windows-line-ending", None),
    value("raw", None),
    value("kustomize", Some('k')),
    boolean("allow-missing-template-keys", None),
    value("template", None),
    boolean("show-managed-fields", None),
];

/// The flags every `kubectl create <generator>` has (print flags, apply annotation,
/// validation, field manager, dry run).
const GENERATOR_FLAGS: &[FlagSpec] = &[
    value("output", Some('o')),
    optional("dry-run", "unchanged"),
    boolean("save-config", None),
    value("validate", None),
    value("field-manager", None),
    boolean("allow-missing-template-keys", None),
    value("template", None),
    boolean("show-managed-fields", None),
];

const DEPLOYMENT_FLAGS: &[FlagSpec] = &[
    value("image", None),
    int32("replicas", Some('r')),
    int32("port", None),
];
const CLUSTERIP_FLAGS: &[FlagSpec] = &[value("tcp", None), value("clusterip", None)];
const NODEPORT_FLAGS: &[FlagSpec] = &[value("tcp", None), int("node-port", None)];
const EXTERNALNAME_FLAGS: &[FlagSpec] = &[value("tcp", None), value("external-name", None)];
const LOADBALANCER_FLAGS: &[FlagSpec] = &[value("tcp", None)];
const CONFIGMAP_FLAGS: &[FlagSpec] = &[
    value("from-literal", None),
    value("from-file", None),
    value("from-env-file", None),
    boolean("append-hash", None),
];

/// Each generator's own flags: kubectl rejects the others (`unknown flag: --tcp`).
fn own_flags(generator: &str, service_type: Option<&str>) -> &'static [FlagSpec] {
    match (generator, service_type) {
        ("deployment", _) => DEPLOYMENT_FLAGS,
        ("service", Some("clusterip")) => CLUSTERIP_FLAGS,
        ("service", Some("nodeport")) => NODEPORT_FLAGS,
        ("service", Some("externalname")) => EXTERNALNAME_FLAGS,
        ("service", _) => LOADBALANCER_FLAGS,
        ("configmap", _) => CONFIGMAP_FLAGS,
        _ => &[],
    }
}

/// cobra checks required flags after parsing and before the command runs (so before the
/// NAME argument is looked at).
fn required_flag(generator: &str, service_type: Option<&str>) -> Option<&'static str> {
    match (generator, service_type) {
        ("deployment", _) => Some("image"),
        ("service", Some("externalname")) => Some("external-name"),
        _ => None,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DryRun {
    None,
    Client,
    Server,
}

/// kubectl's `GetDryRunStrategy`, deprecation warnings included.
fn dry_run(ctx: &mut Ctx<'_>, p: &Parsed) -> Option<DryRun> {
    let value = p.get("dry-run").unwrap_or("none");
    let boolean = match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    };
    match (boolean, value) {
        (Some(b), _) => {
            let (line, replacement) = if b {
                ("helpers.go:716", "client")
            } else {
                ("helpers.go:719", "none")
            };
            ctx.klog('W', line, &format!("--dry-run={value} is deprecated (boolean value) and can be replaced with --dry-run={replacement}."));
            Some(if b { DryRun::Client } else { DryRun::None })
        }
        (None, "unchanged") => {
            ctx.klog(
                'W',
                "helpers.go:702",
                "--dry-run is deprecated and can be replaced with --dry-run=client.",
            );
            Some(DryRun::Client)
        }
        (None, "client") => Some(DryRun::Client),
        (None, "server") => Some(DryRun::Server),
        (None, "none") => Some(DryRun::None),
        (None, other) => {
            ctx.fail(&format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            ));
            None
        }
    }
}

fn suffix(d: DryRun) -> &'static str {
    match d {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    }
}

/// Prints an object as `-o` asks, or `kind/name VERB (dry run)`.
fn print_result(
    ctx: &mut Ctx<'_>,
    output: Option<&str>,
    kind: Kind,
    obj: &Value,
    verb: &str,
    d: DryRun,
    typed: bool,
) {
    let name = obj
        .ptr("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match output {
        Some("yaml") => ctx.io.print(&to_yaml(obj)),
        // Objects built by kubectl itself are Go structs: struct field order. Objects that
        // went through the server (or came from a file) are maps: sorted keys.
        Some("json") if d == DryRun::Client && typed => {
            let order = |path: &[String], keys: &mut Vec<&String>| {
                crate::api::schema::go_field_order(kind, path, keys);
            };
            ctx.io.print(&to_json_pretty_ordered(obj, &order));
        }
        Some("json") => ctx.io.print(&to_json_pretty(obj)),
        Some("name") => ctx.io.print(&format!("{}\n", kind_slash_name(kind, name))),
        Some(o) if o.starts_with("jsonpath=") => match jsonpath(&o["jsonpath=".len()..], obj) {
            Ok(text) => ctx.io.print(&text),
            Err(e) => ctx.fail(&e),
        },
        _ => ctx.io.print(&format!(
            "{} {verb}{}\n",
            kind_slash_name(kind, name),
            suffix(d)
        )),
    }
}

fn check_output(ctx: &mut Ctx<'_>, p: &Parsed) -> bool {
    match p.get("output") {
        None | Some("yaml" | "json" | "name") => true,
        Some("jsonpath") => {
            ctx.fail("template format specified but no template given");
            false
        }
        Some(o) if o.starts_with("jsonpath=") => match check_jsonpath(&o["jsonpath=".len()..]) {
            Ok(()) => true,
            Err(e) => {
                ctx.fail(&e);
                false
            }
        },
        Some(other) => {
            ctx.fail(&format!("unable to match a printer suitable for the output format \"{other}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"));
            false
        }
    }
}

/// `error when creating "f.yaml": ` is inserted into API errors about manifest objects.
fn with_source(e: &ApiError, verb: &str, source: &str) -> String {
    if e.reason == Reason::Invalid {
        return e.message.clone();
    }
    format!(
        "Error from server ({}): error when {verb} \"{source}\": {}",
        e.reason.as_str(),
        e.message
    )
}

/// Prints collected errors the way kubectl's `CheckErr` prints an aggregate.
fn report(ctx: &mut Ctx<'_>, errors: Vec<(String, bool)>) {
    if errors.is_empty() {
        return;
    }
    ctx.code = 1;
    if errors.len() == 1 {
        let (msg, from_server) = &errors[0];
        if *from_server {
            ctx.io.eprint(&format!("{msg}\n"));
        } else {
            ctx.io.eprint(&format!("error: {msg}\n"));
        }
        return;
    }
    for (msg, _) in errors {
        ctx.io.eprint(&format!("{msg}\n"));
    }
}

/// `-f` for create and apply: the files (or stdin) read into objects, after the checks
/// kubectl makes before reading them. `None` when it already failed.
fn read_manifests(ctx: &mut Ctx<'_>, p: &Parsed) -> Option<(DryRun, Vec<Entry>)> {
    let filenames = p.all("filename");
    if filenames.is_empty() {
        ctx.fail("must specify one of -f and -k");
        return None;
    }
    if !check_output(ctx, p) {
        return None;
    }
    let d = dry_run(ctx, p)?;
    let (namespace, explicit) = ctx.namespace(p);
    match manifest::read(ctx, &filenames, &namespace, explicit) {
        Ok(entries) => Some((d, entries)),
        Err(e) => {
            ctx.fail(&e);
            None
        }
    }
}

/// Creates one object read from a file (or only checks it under `--dry-run`) and prints
/// `KIND/NAME created`, or records the API server's error against the file.
fn create_one(
    ctx: &mut Ctx<'_>,
    p: &Parsed,
    item: &manifest::Item,
    value: Value,
    d: DryRun,
    errors: &mut Vec<(String, bool)>,
) {
    let result = match d {
        DryRun::Client => Ok(value),
        DryRun::Server => apiserver::prepare_create(ctx.world, item.kind, value),
        DryRun::None => apiserver::create(ctx.world, item.kind, value),
    };
    match result {
        Ok(obj) => print_result(ctx, p.get("output"), item.kind, &obj, "created", d, false),
        Err(e) => errors.push((with_source(&e, "creating", &item.source), true)),
    }
}

pub fn create(ctx: &mut Ctx<'_>, rest: &[String]) {
    if let Some((sub, args)) = args::split_subcommand(rest, &[CREATE_FLAGS, args::GLOBAL]) {
        let generator = match sub.as_str() {
            "namespace" | "ns" => Some("namespace"),
            "deployment" | "deploy" => Some("deployment"),
            "service" | "svc" => Some("service"),
            "configmap" | "cm" => Some("configmap"),
            _ => None,
        };
        if let Some(g) = generator {
            return create_generated(ctx, g, &args);
        }
    }
    let p = match args::parse(rest, &[CREATE_FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("create", &e.0),
    };
    if !p.positional.is_empty() && !p.has("filename") {
        return ctx.fail(&format!(
            "Unexpected args: [{}]\nSee 'kubectl create -h' for help and examples",
            p.positional.join(" ")
        ));
    }
    let Some((d, entries)) = read_manifests(ctx, &p) else {
        return;
    };
    let mut errors = Vec::new();
    for entry in entries {
        match entry {
            Entry::Error(e) => errors.push((e, false)),
            Entry::Object(item) => {
                let value = item.value.clone();
                create_one(ctx, &p, &item, value, d, &mut errors);
            }
        }
    }
    report(ctx, errors);
}

/// The container name kubectl derives from an image (`jenkins/jenkins:lts-jdk11` → `jenkins`).
fn container_name(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or(image);
    let base = no_digest.rsplit('/').next().unwrap_or(no_digest);
    base.split(':').next().unwrap_or(base).replace('_', "-")
}

/// The values of a pflag `StringSlice` flag (`--tcp`, `--image`): every occurrence is a
/// comma-separated list, and an empty value adds nothing.
fn string_slice(p: &Parsed, flag: &str) -> Vec<String> {
    p.all(flag)
        .iter()
        .filter(|v| !v.is_empty())
        .flat_map(|v| v.split(',').map(str::to_owned))
        .collect()
}

/// kubectl's `parsePorts` for `--tcp=PORT[:TARGET]`: the port as `strconv.ParseUint(_, 10,
/// 16)` reads it (0 allowed), the target a port number or an IANA port name. Text after a
/// second `:` is ignored, as kubectl ignores it.
fn parse_ports(spec: &str) -> Result<(u16, Value), String> {
    let mut parts = spec.split(':');
    let port = parts.next().unwrap_or_default();
    let Ok(port_n) = port.parse::<u16>() else {
        let why = if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
            "value out of range"
        } else {
            "invalid syntax"
        };
        return Err(format!("strconv.ParseUint: parsing \"{port}\": {why}"));
    };
    let Some(target) = parts.next() else {
        return Ok((port_n, json!(port_n)));
    };
    match target.parse::<i64>() {
        Ok(n) if (1..=65535).contains(&n) => Ok((port_n, json!(n))),
        Ok(_) => Err("must be between 1 and 65535, inclusive".to_owned()),
        Err(_) => {
            let causes = port_name_causes(target);
            if causes.is_empty() {
                Ok((port_n, json!(target)))
            } else {
                Err(causes.join(","))
            }
        }
    }
}

fn create_generated(ctx: &mut Ctx<'_>, generator: &str, rest: &[String]) {
    let command = format!("create {generator}");
    let mut rest = rest.to_vec();
    let mut service_type = None;
    if generator == "service" {
        // `create service` has no flags of its own: only the global ones are known.
        match args::split_subcommand(&rest, &[args::GLOBAL]) {
            Some((t, others))
                if ["clusterip", "nodeport", "loadbalancer", "externalname"]
                    .contains(&t.as_str()) =>
            {
                service_type = Some(t);
                rest = others;
            }
            Some((t, others)) => {
                // cobra parses the words against `create service` itself, which has only
                // the global flags: any other flag fails before the unknown command does.
                let parsed = match args::parse(&others, &[args::GLOBAL]) {
                    Ok(parsed) => parsed,
                    Err(e) => return ctx.usage_error("create service", &e.0),
                };
                let mut words = vec![t];
                words.extend(parsed.positional);
                ctx.fail(&format!(
                    "unknown command \"{}\"\nSee 'kubectl create service -h' for help and examples",
                    words.join(" ")
                ));
                return;
            }
            None => {
                ctx.fail_raw(CREATE_SERVICE_HELP);
                return;
            }
        }
    }
    let command = match &service_type {
        Some(t) => format!("create service {t}"),
        None => command,
    };
    let own = own_flags(generator, service_type.as_deref());
    let p = match args::parse(&rest, &[GENERATOR_FLAGS, own, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error(&command, &e.0),
    };
    if let Some(flag) = required_flag(generator, service_type.as_deref())
        && !p.has(flag)
    {
        return ctx.required_flag(flag);
    }
    if p.positional.len() != 1 {
        return ctx.fail(&format!(
            "exactly one NAME is required, got {}\nSee 'kubectl {command} -h' for help and examples",
            p.positional.len()
        ));
    }
    if !check_output(ctx, &p) {
        return;
    }
    let Some(d) = dry_run(ctx, &p) else { return };
    let name = p.positional[0].clone();
    let (namespace, explicit) = ctx.namespace(&p);
    let meta = |labels: Option<Value>| {
        let mut m = Map::new();
        m.insert("creationTimestamp".to_owned(), Value::Null);
        if let Some(l) = labels {
            m.insert("labels".to_owned(), l);
        }
        m.insert("name".to_owned(), json!(name));
        if explicit && generator != "namespace" {
            m.insert("namespace".to_owned(), json!(namespace));
        }
        Value::Object(m)
    };
    let (kind, obj, fail_prefix) = match generator {
        "namespace" => (
            Kind::Namespace,
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": meta(None), "spec": {}, "status": {}}),
            None,
        ),
        "deployment" => {
            let images = string_slice(&p, "image");
            // An int32 already (`args::int32`).
            let replicas: i64 = p.get("replicas").unwrap_or("1").parse().unwrap_or(1);
            let mut containers = Vec::new();
            for image in &images {
                let mut c = json!({"image": image, "name": container_name(image), "resources": {}});
                if let Some(port) = p.get("port") {
                    let port: i64 = port.parse().unwrap_or(0);
                    c["ports"] = json!([{"containerPort": port}]);
                }
                containers.push(c);
            }
            let labels = json!({"app": name});
            (
                Kind::Deployment,
                json!({
                    "apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": meta(Some(labels.clone())),
                    "spec": {
                        "replicas": replicas,
                        "selector": {"matchLabels": labels.clone()},
                        "strategy": {},
                        "template": {
                            "metadata": {"creationTimestamp": null, "labels": labels},
                            "spec": {"containers": containers}
                        }
                    },
                    "status": {}
                }),
                Some("failed to create deployment"),
            )
        }
        "service" => {
            let ty = match service_type.as_deref() {
                Some("nodeport") => "NodePort",
                Some("loadbalancer") => "LoadBalancer",
                Some("externalname") => "ExternalName",
                _ => "ClusterIP",
            };
            // ServiceOptions.Validate, then createService, in kubectl's order.
            let tcp = string_slice(&p, "tcp");
            let cluster_ip = p.get("clusterip");
            if cluster_ip != Some("None") && tcp.is_empty() && ty != "ExternalName" {
                return ctx.fail("at least one tcp port specifier must be provided");
            }
            if ty == "ExternalName" {
                let external = p.get("external-name").unwrap_or_default();
                if external.len() > 253 || !is_dns1123_subdomain(external) {
                    return ctx.fail(&format!("invalid service external name {external}"));
                }
            }
            // An int already (`args::int`); kubectl's ServicePort keeps it as an int32.
            let node_port = p
                .get("node-port")
                .and_then(|n| n.parse::<i64>().ok())
                .map_or(0, |n| n as i32);
            let mut ports = Vec::new();
            for spec in &tcp {
                let (port, target) = match parse_ports(spec) {
                    Ok(parsed) => parsed,
                    Err(message) => return ctx.fail(&message),
                };
                // The port's name is the flag's text with `:` made `-`: `80` stays "80".
                let mut entry = json!({"name": spec.replace(':', "-"), "port": port, "protocol": "TCP", "targetPort": target});
                if node_port != 0 {
                    entry["nodePort"] = json!(node_port);
                }
                ports.push(entry);
            }
            let mut spec = Map::new();
            if let Some(ip) = p.get("clusterip") {
                spec.insert("clusterIP".to_owned(), json!(ip));
            }
            if let Some(ext) = p.get("external-name") {
                spec.insert("externalName".to_owned(), json!(ext));
            }
            if !ports.is_empty() {
                spec.insert("ports".to_owned(), json!(ports));
            }
            spec.insert("selector".to_owned(), json!({"app": name}));
            spec.insert("type".to_owned(), json!(ty));
            let prefix = match ty {
                "NodePort" => "failed to create NodePort service",
                "LoadBalancer" => "failed to create LoadBalancer service",
                "ExternalName" => "failed to create ExternalName service",
                _ => "failed to create ClusterIP service",
            };
            (
                Kind::Service,
                json!({"apiVersion": "v1", "kind": "Service", "metadata": meta(Some(json!({"app": name}))),
                    "spec": spec, "status": {"loadBalancer": {}}}),
                Some(prefix),
            )
        }
        _ => {
            let mut data = Map::new();
            for lit in p.all("from-literal") {
                let Some((k, v)) = lit.split_once('=') else {
                    return ctx.fail(&format!("invalid literal source {lit}, expected key=value"));
                };
                data.insert(k.to_owned(), json!(v));
            }
            let mut obj = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(None)});
            if !data.is_empty() {
                obj["data"] = Value::Object(data);
            }
            (Kind::ConfigMap, obj, Some("failed to create configmap"))
        }
    };
    let result = submit(ctx, kind, obj, &namespace, d);
    match result {
        Ok(obj) => print_result(ctx, p.get("output"), kind, &obj, "created", d, true),
        Err(e) => match fail_prefix {
            Some(prefix) if e.reason != Reason::Invalid => {
                ctx.fail(&format!("{prefix}: {}", e.message))
            }
            _ if e.reason == Reason::Invalid => ctx.fail_raw(&e.message),
            _ => ctx.fail_raw(&e.to_string()),
        },
    }
}

fn set_namespace(kind: Kind, obj: &mut Value, namespace: &str) {
    if kind.namespaced()
        && let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut)
    {
        m.insert("namespace".to_owned(), json!(namespace));
    }
}

const APPLY_FLAGS: &[FlagSpec] = &[
    value("filename", Some('f')),
    value("output", Some('o')),
    optional("dry-run", "unchanged"),
    value("validate", None),
    boolean("force", None),
    boolean("recursive", Some('R')),
    boolean("server-side", None),
    value("field-manager", None),
    boolean("prune", None),
    value("selector", Some('l')),
    boolean("overwrite", None),
    boolean("force-conflicts", None),
    value("kustomize", Some('k')),
    boolean("wait", None),
    boolean("show-managed-fields", None),
];

/// JSON merge of `patch` into `live`, deleting what `last` had and `patch` no longer has.
fn three_way(live: &Value, last: Option<&Value>, patch: &Value) -> Value {
    match (live, patch) {
        (Value::Object(l), Value::Object(p)) => {
            let mut out = l.clone();
            if let Some(Value::Object(last)) = last {
                for k in last.keys() {
                    if !p.contains_key(k) {
                        out.remove(k);
                    }
                }
            }
            for (k, v) in p {
                if v.is_null() {
                    continue;
                }
                let merged = match out.get(k) {
                    Some(existing) => three_way(existing, last.and_then(|l| l.get(k)), v),
                    None => v.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(l), Value::Array(p)) => {
            // Lists of named items (containers, ports) merge item by item by name, as the
            // strategic merge patch does; other lists are replaced.
            let key = |v: &Value| {
                v.get("name")
                    .or_else(|| v.get("containerPort"))
                    .or_else(|| v.get("port"))
                    .cloned()
            };
            if p.iter().all(|x| key(x).is_some()) {
                Value::Array(
                    p.iter()
                        .map(|pi| match l.iter().find(|li| key(li) == key(pi)) {
                            Some(li) => three_way(li, None, pi),
                            None => pi.clone(),
                        })
                        .collect(),
                )
            } else {
                patch.clone()
            }
        }
        _ => patch.clone(),
    }
}

pub fn apply(ctx: &mut Ctx<'_>, rest: &[String]) {
    let p = match args::parse(rest, &[APPLY_FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("apply", &e.0),
    };
    let Some((d, entries)) = read_manifests(ctx, &p) else {
        return;
    };
    // kubectl apply reads every object before it changes anything.
    if let Some(Entry::Error(e)) = entries.iter().find(|e| matches!(e, Entry::Error(_))) {
        let e = e.clone();
        return ctx.fail(&e);
    }
    let mut errors = Vec::new();
    for entry in entries {
        let Entry::Object(item) = entry else { continue };
        let mut config = item.value.clone();
        // The annotation holds the configuration itself (with an empty annotations map).
        if let Some(m) = config.get_mut("metadata").and_then(Value::as_object_mut) {
            let ann = m.entry("annotations").or_insert(json!({}));
            if let Some(a) = ann.as_object_mut() {
                a.remove(LAST_APPLIED);
            }
        }
        let annotation = format!("{}\n", to_json_compact(&config));
        let mut desired = config.clone();
        desired["metadata"]["annotations"][LAST_APPLIED] = json!(annotation);
        let live = ctx
            .world
            .store
            .get(item.kind, &item.namespace, &item.name)
            .cloned();
        match live {
            None => create_one(ctx, &p, &item, desired, d, &mut errors),
            Some(live) => {
                let last: Option<Value> = live
                    .ptr("/metadata/annotations")
                    .and_then(|a| a.get(LAST_APPLIED))
                    .and_then(Value::as_str)
                    .and_then(|s| serde_json::from_str(s).ok());
                if last.is_none() {
                    let kind = item.kind;
                    ctx.io.eprint(&format!("Warning: resource {}/{} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n", kind.qualified_plural(), item.name));
                }
                let mut merged = three_way(&live, last.as_ref(), &desired);
                // Read-only metadata always comes from the server.
                for f in ["uid", "resourceVersion", "creationTimestamp", "generation"] {
                    if let Some(v) = live.ptr(&format!("/metadata/{f}")) {
                        merged["metadata"][f] = v.clone();
                    }
                }
                if merged == live {
                    print_result(
                        ctx,
                        p.get("output"),
                        item.kind,
                        &live,
                        "unchanged",
                        d,
                        false,
                    );
                    continue;
                }
                let result = match d {
                    DryRun::None => {
                        apiserver::update(ctx.world, item.kind, merged.clone()).map(|_| merged)
                    }
                    _ => Ok(merged),
                };
                match result {
                    Ok(obj) => print_result(
                        ctx,
                        p.get("output"),
                        item.kind,
                        &obj,
                        "configured",
                        d,
                        false,
                    ),
                    Err(e) => {
                        errors.push((with_source(&e, "applying patch:\n", &item.source), true))
                    }
                }
            }
        }
    }
    report(ctx, errors);
}

const DELETE_FLAGS: &[FlagSpec] = &[
    value("filename", Some('f')),
    value("selector", Some('l')),
    boolean("all", None),
    boolean("all-namespaces", Some('A')),
    boolean("force", None),
    int("grace-period", None),
    boolean("now", None),
    boolean("wait", None),
    boolean("ignore-not-found", None),
    optional("cascade", "background"),
    value("output", Some('o')),
    optional("dry-run", "unchanged"),
    value("timeout", None),
    boolean("recursive", Some('R')),
    value("field-selector", None),
    boolean("interactive", Some('i')),
];

fn deleted_line(kind: Kind, name: &str, d: DryRun) -> String {
    format!(
        "{} \"{name}\" deleted{}\n",
        kind.qualified_singular(),
        suffix(d)
    )
}

/// What `kubectl delete` refuses before it deletes anything: `DeleteOptions.Complete`, the
/// resource builder's checks of names against selectors, then `Validate`.
fn delete_usage_error(p: &Parsed) -> Option<&'static str> {
    let grace_period = p.get("grace-period").and_then(|g| g.parse::<i64>().ok());
    if p.flag("now") && grace_period.is_some() {
        return Some("--now and --grace-period cannot be specified together");
    }
    let all = p.flag("all");
    let selector = p.has("selector");
    if all && selector {
        return Some("setting 'all' parameter but found a non empty selector. ");
    }
    if all || selector {
        let named = p.positional.len() > 1 || p.positional.iter().any(|a| a.contains('/'));
        if named {
            return Some("name cannot be provided when a selector is specified");
        }
        if p.positional.is_empty() && !p.has("filename") {
            return Some("at least one resource must be specified to use a selector");
        }
    }
    if p.flag("force") && grace_period.is_some_and(|g| g > 0) {
        return Some("--force and --grace-period greater than 0 cannot be specified together");
    }
    None
}

pub fn delete(ctx: &mut Ctx<'_>, rest: &[String]) {
    let p = match args::parse(rest, &[DELETE_FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("delete", &e.0),
    };
    if let Some(cascade) = p.get("cascade")
        && !["background", "foreground", "orphan"].contains(&cascade)
        && !matches!(
            cascade,
            "1" | "t"
                | "T"
                | "TRUE"
                | "true"
                | "True"
                | "0"
                | "f"
                | "F"
                | "FALSE"
                | "false"
                | "False"
        )
    {
        return ctx.fail(&format!(
            "invalid cascade value ({cascade}). Must be \"background\", \"foreground\", or \"orphan\""
        ));
    }
    let Some(d) = dry_run(ctx, &p) else { return };
    if let Some(message) = delete_usage_error(&p) {
        return ctx.fail(message);
    }
    let (namespace, explicit) = ctx.namespace(&p);
    if p.flag("force") && p.get("grace-period") == Some("0") {
        ctx.io.eprint("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    let mut targets: Vec<(Kind, String, String, Option<String>)> = Vec::new();
    let filenames = p.all("filename");
    let mut errors = Vec::new();
    if !filenames.is_empty() {
        let entries = match manifest::read(ctx, &filenames, &namespace, explicit) {
            Ok(e) => e,
            Err(e) => return ctx.fail(&e),
        };
        for entry in entries {
            match entry {
                Entry::Object(i) => targets.push((
                    i.kind,
                    i.namespace.clone(),
                    i.name.clone(),
                    Some(i.source.clone()),
                )),
                Entry::Error(e) => errors.push((e, false)),
            }
        }
    } else if p.positional.is_empty() {
        return ctx.fail(NO_RESOURCES);
    } else if p.positional.iter().any(|a| a.contains('/')) {
        for a in &p.positional {
            let Some((t, n)) = a.split_once('/') else {
                return ctx.fail(SEPARATE_TYPE);
            };
            match resolve_types(t) {
                Ok(kinds) => {
                    for k in kinds {
                        targets.push((k, namespace.clone(), n.to_owned(), None));
                    }
                }
                Err(e) => return ctx.fail(&e),
            }
        }
    } else {
        let kinds = match resolve_types(&p.positional[0]) {
            Ok(k) => k,
            Err(e) => return ctx.fail(&e),
        };
        let names = &p.positional[1..];
        let selector = match p.get("selector").map(parse_selector).transpose() {
            Ok(s) => s,
            Err(e) => return ctx.fail(&e),
        };
        if names.is_empty() && selector.is_none() && !p.flag("all") {
            return ctx.fail("resource(s) were provided, but no name was specified");
        }
        for k in kinds {
            if names.is_empty() {
                let list_ns = if p.flag("all-namespaces") || !k.namespaced() {
                    None
                } else {
                    Some(namespace.as_str())
                };
                let objs: Vec<(String, String)> = ctx
                    .world
                    .store
                    .list(k, list_ns)
                    .into_iter()
                    .filter(|o| selector.as_ref().is_none_or(|s| selector_matches(s, o)))
                    .map(|o| {
                        (
                            o.ptr("/metadata/namespace")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_owned(),
                            o.ptr("/metadata/name")
                                .and_then(Value::as_str)
                                .unwrap_or_default()
                                .to_owned(),
                        )
                    })
                    .collect();
                for (ns, n) in objs {
                    targets.push((k, ns, n, None));
                }
            } else {
                for n in names {
                    targets.push((k, namespace.clone(), n.clone(), None));
                }
            }
        }
        if targets.is_empty() {
            ctx.io.eprint("No resources found\n");
            return;
        }
    }
    for (kind, ns, name, source) in targets {
        let result = if d == DryRun::None {
            apiserver::delete(ctx.world, kind, &ns, &name).map(|_| ())
        } else if ctx.world.store.get(kind, &ns, &name).is_some() {
            Ok(())
        } else {
            Err(ApiError::not_found(kind, &name))
        };
        match result {
            Ok(()) => ctx.io.print(&deleted_line(kind, &name, d)),
            Err(e) if p.flag("ignore-not-found") && e.reason == Reason::NotFound => {}
            Err(e) => match source {
                Some(s) => errors.push((with_source(&e, "deleting", &s), true)),
                None => errors.push((e.to_string(), true)),
            },
        }
    }
    report(ctx, errors);
}

const EXPOSE_FLAGS: &[FlagSpec] = &[
    value("port", None),
    value("target-port", None),
    value("name", None),
    value("type", None),
    value("protocol", None),
    value("selector", None),
    value("labels", Some('l')),
    value("external-ip", None),
    value("cluster-ip", None),
    value("load-balancer-ip", None),
    value("session-affinity", None),
    value("filename", Some('f')),
    optional("dry-run", "unchanged"),
    value("output", Some('o')),
    boolean("save-config", None),
    value("override-type", None),
    value("overrides", None),
    value("field-manager", None),
];

fn selector_string_to_map(s: &str) -> Value {
    let mut m = Map::new();
    for part in s.split(',') {
        if let Some((k, v)) = part.split_once('=') {
            m.insert(k.trim().to_owned(), json!(v.trim()));
        }
    }
    Value::Object(m)
}

pub fn expose(ctx: &mut Ctx<'_>, rest: &[String]) {
    let p = match args::parse(rest, &[EXPOSE_FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("expose", &e.0),
    };
    let Some(d) = dry_run(ctx, &p) else { return };
    if !check_output(ctx, &p) {
        return;
    }
    let (namespace, explicit) = ctx.namespace(&p);
    let (type_text, name) = match p.positional.as_slice() {
        [one] if one.contains('/') => {
            let (t, n) = one.split_once('/').unwrap_or_default();
            (t.to_owned(), n.to_owned())
        }
        [t, n, ..] => (t.clone(), n.clone()),
        _ => return ctx.fail(NO_RESOURCES),
    };
    let kind = match resolve_types(&type_text) {
        Ok(k) => k.first().copied().unwrap_or(Kind::Pod),
        Err(e) => return ctx.fail(&e),
    };
    if !matches!(
        kind,
        Kind::Pod | Kind::Service | Kind::Deployment | Kind::ReplicaSet
    ) {
        return ctx.fail(&format!("cannot expose a {}", kind.name()));
    }
    let Some(source) = ctx.world.store.get(kind, &namespace, &name).cloned() else {
        return ctx.fail_raw(&ApiError::not_found(kind, &name).to_string());
    };
    let selector = match p.get("selector") {
        Some(s) => selector_string_to_map(s),
        None => match kind {
            Kind::Pod => source.ptr("/metadata/labels").cloned().unwrap_or(json!({})),
            Kind::Service => source.ptr("/spec/selector").cloned().unwrap_or(json!({})),
            _ => {
                if source.ptr("/spec/selector/matchExpressions").is_some() {
                    return ctx.fail("couldn't retrieve selectors via --selector flag or introspection: the provided selector contains matchExpressions which are not supported by kubectl expose");
                }
                source
                    .ptr("/spec/selector/matchLabels")
                    .cloned()
                    .unwrap_or(json!({}))
            }
        },
    };
    // (port, protocol) pairs from --port or the object's own ports.
    let protocol_flag = p.get("protocol").map(str::to_owned);
    let mut ports: Vec<(i64, String, Option<String>)> = Vec::new();
    if let Some(port) = p.get("port") {
        for one in port.split(',') {
            let Ok(n) = one.trim().parse::<i64>() else {
                return ctx.fail(&format!("invalid port: {one}"));
            };
            ports.push((
                n,
                protocol_flag.clone().unwrap_or_else(|| "TCP".to_owned()),
                None,
            ));
        }
    } else {
        let containers = match kind {
            Kind::Pod => source.ptr("/spec/containers"),
            Kind::Service => None,
            _ => source.ptr("/spec/template/spec/containers"),
        };
        if kind == Kind::Service {
            for sp in source
                .ptr("/spec/ports")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
            {
                ports.push((
                    sp.get("port").and_then(Value::as_i64).unwrap_or(0),
                    sp.get("protocol")
                        .and_then(Value::as_str)
                        .unwrap_or("TCP")
                        .to_owned(),
                    sp.get("name").and_then(Value::as_str).map(str::to_owned),
                ));
            }
        }
        for c in containers
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            for cp in c
                .get("ports")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
            {
                ports.push((
                    cp.get("containerPort").and_then(Value::as_i64).unwrap_or(0),
                    protocol_flag.clone().unwrap_or_else(|| {
                        cp.get("protocol")
                            .and_then(Value::as_str)
                            .unwrap_or("TCP")
                            .to_owned()
                    }),
                    None,
                ));
            }
        }
    }
    if ports.is_empty() {
        return ctx.fail("couldn't find port via --port flag or introspection");
    }
    let many = ports.len() > 1;
    let target = p
        .get("target-port")
        .map(|t| t.parse::<i64>().map_or(json!(t), |n| json!(n)));
    let service_ports: Vec<Value> = ports
        .iter()
        .enumerate()
        .map(|(i, (port, proto, pname))| {
            let mut sp = Map::new();
            if many {
                sp.insert(
                    "name".to_owned(),
                    json!(pname.clone().unwrap_or_else(|| format!("port-{}", i + 1))),
                );
            }
            sp.insert("port".to_owned(), json!(port));
            sp.insert("protocol".to_owned(), json!(proto));
            sp.insert(
                "targetPort".to_owned(),
                target.clone().unwrap_or(json!(port)),
            );
            Value::Object(sp)
        })
        .collect();
    let svc_name = p.get("name").map_or(name.clone(), str::to_owned);
    let mut meta = Map::new();
    meta.insert("creationTimestamp".to_owned(), Value::Null);
    let labels = match p.get("labels") {
        Some(l) => Some(selector_string_to_map(l)),
        None => source.ptr("/metadata/labels").cloned(),
    };
    if let Some(l) = labels.filter(|l| l.as_object().is_some_and(|m| !m.is_empty())) {
        meta.insert("labels".to_owned(), l);
    }
    meta.insert("name".to_owned(), json!(svc_name));
    if explicit {
        meta.insert("namespace".to_owned(), json!(namespace));
    }
    let mut spec = Map::new();
    if let Some(ip) = p.get("cluster-ip") {
        spec.insert("clusterIP".to_owned(), json!(ip));
    }
    if let Some(ext) = p.get("external-ip") {
        spec.insert(
            "externalIPs".to_owned(),
            json!(ext.split(',').collect::<Vec<_>>()),
        );
    }
    spec.insert("ports".to_owned(), json!(service_ports));
    spec.insert("selector".to_owned(), selector);
    if let Some(t) = p.get("type") {
        let ty = match t.to_ascii_lowercase().as_str() {
            "clusterip" => "ClusterIP",
            "nodeport" => "NodePort",
            "loadbalancer" => "LoadBalancer",
            "externalname" => "ExternalName",
            _ => return ctx.fail(&format!("invalid service type: {t}")),
        };
        spec.insert("type".to_owned(), json!(ty));
    }
    let obj = json!({"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": spec,
        "status": {"loadBalancer": {}}});
    let result = submit(ctx, Kind::Service, obj, &namespace, d);
    match result {
        Ok(obj) => print_result(
            ctx,
            p.get("output"),
            Kind::Service,
            &obj,
            "exposed",
            d,
            true,
        ),
        Err(e) if e.reason == Reason::Invalid => ctx.fail_raw(&e.message),
        Err(e) => ctx.fail_raw(&e.to_string()),
    }
}

const RUN_FLAGS: &[FlagSpec] = &[
    value("image", None),
    value("port", None),
    value("labels", Some('l')),
    value("env", None),
    value("restart", None),
    optional("dry-run", "unchanged"),
    value("output", Some('o')),
    boolean("command", None),
    boolean("expose", None),
    boolean("stdin", Some('i')),
    boolean("tty", Some('t')),
    boolean("rm", None),
    value("image-pull-policy", None),
    boolean("attach", None),
    boolean("privileged", None),
    value("overrides", None),
    value("annotations", None),
    boolean("quiet", Some('q')),
    value("pod-running-timeout", None),
    value("field-manager", None),
];

/// What `RunOptions.Run` rejects before it builds the pod, in its order; usage errors end
/// with kubectl's pointer to the help.
fn run_usage_error(p: &Parsed, image: &str, attach: bool, d: DryRun) -> Option<String> {
    let usage = |message: &str| {
        Some(format!(
            "{message}\nSee 'kubectl run -h' for help and examples"
        ))
    };
    if image.is_empty() {
        return Some("--image is required".to_owned());
    }
    if !image_ref::is_valid(image) {
        return Some(format!(
            "Invalid image name \"{image}\": invalid reference format"
        ));
    }
    if p.flag("tty") && !p.flag("stdin") {
        return usage("-i/--stdin is required for containers with -t/--tty=true");
    }
    if p.flag("expose") && p.get("port").is_none_or(str::is_empty) {
        return usage("--port must be set when exposing a service");
    }
    if let Some(restart) = p.get("restart").filter(|r| !r.is_empty())
        && !["Always", "OnFailure", "Never"].contains(&restart)
    {
        return usage(&format!("invalid restart policy: {restart}"));
    }
    if p.flag("rm") && !attach {
        return usage("--rm should only be used for attached containers");
    }
    if attach && d != DryRun::None {
        return usage(
            "--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)",
        );
    }
    if let Some(policy) = p.get("image-pull-policy").filter(|p| !p.is_empty())
        && !["Always", "IfNotPresent", "Never"].contains(&policy)
    {
        return usage(&format!("invalid image pull policy: {policy}"));
    }
    None
}

pub fn run(ctx: &mut Ctx<'_>, rest: &[String]) {
    let p = match args::parse(rest, &[RUN_FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("run", &e.0),
    };
    // cobra's required flag comes before everything kubectl checks itself.
    let Some(image) = p.get("image").map(str::to_owned) else {
        return ctx.required_flag("image");
    };
    let Some(d) = dry_run(ctx, &p) else { return };
    if !check_output(ctx, &p) {
        return;
    }
    let (namespace, explicit) = ctx.namespace(&p);
    let Some(name) = p.positional.first().cloned() else {
        return ctx.fail("NAME is required for run\nSee 'kubectl run -h' for help and examples");
    };
    // `--attach` defaults to `--stdin` unless it is given.
    let attach = if p.has("attach") {
        p.flag("attach")
    } else {
        p.flag("stdin")
    };
    if let Some(message) = run_usage_error(&p, &image, attach, d) {
        return ctx.fail(&message);
    }
    let labels = match p.get("labels") {
        Some(l) => selector_string_to_map(l),
        None => json!({"run": name}),
    };
    let mut container = Map::new();
    let extra: Vec<String> = p
        .positional
        .iter()
        .skip(1)
        .cloned()
        .chain(p.after_dash.clone().unwrap_or_default())
        .collect();
    if !extra.is_empty() {
        container.insert(
            if p.flag("command") { "command" } else { "args" }.to_owned(),
            json!(extra),
        );
    }
    let env: Vec<Value> = p
        .all("env")
        .iter()
        .filter_map(|e| e.split_once('='))
        .map(|(k, v)| json!({"name": k, "value": v}))
        .collect();
    if !env.is_empty() {
        container.insert("env".to_owned(), json!(env));
    }
    container.insert("image".to_owned(), json!(image));
    if let Some(pp) = p.get("image-pull-policy") {
        container.insert("imagePullPolicy".to_owned(), json!(pp));
    }
    container.insert("name".to_owned(), json!(name));
    // The pod generator reads `--port` with strconv.Atoi: one port only.
    let port = match p.get("port").filter(|x| !x.is_empty()) {
        None => None,
        Some(x) => match x.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                return ctx.fail(&format!("strconv.Atoi: parsing \"{x}\": invalid syntax"));
            }
        },
    };
    if let Some(port) = port {
        container.insert("ports".to_owned(), json!([{"containerPort": port}]));
    }
    container.insert("resources".to_owned(), json!({}));
    if p.flag("stdin") {
        container.insert("stdin".to_owned(), json!(true));
    }
    if p.flag("tty") {
        container.insert("tty".to_owned(), json!(true));
    }
    let mut meta = Map::new();
    meta.insert("creationTimestamp".to_owned(), Value::Null);
    meta.insert("labels".to_owned(), labels);
    meta.insert("name".to_owned(), json!(name));
    if explicit {
        meta.insert("namespace".to_owned(), json!(namespace));
    }
    let restart = p
        .get("restart")
        .filter(|r| !r.is_empty())
        .unwrap_or("Always");
    let obj = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta,
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
        "status": {}});
    let pod = match submit(ctx, Kind::Pod, obj, &namespace, d) {
        Ok(pod) => pod,
        Err(e) if e.reason == Reason::Invalid => return ctx.fail_raw(&e.message),
        Err(e) => return ctx.fail_raw(&e.to_string()),
    };
    // `--expose`: the Service is created after the pod but printed before it, and its
    // failure is reported after the pod's line.
    let mut service_error = None;
    if p.flag("expose") {
        let service = run_service(
            &p,
            &name,
            port.unwrap_or_default(),
            explicit.then_some(namespace.as_str()),
        );
        match submit(ctx, Kind::Service, service, &namespace, d) {
            Ok(service) => {
                print_result(
                    ctx,
                    p.get("output"),
                    Kind::Service,
                    &service,
                    "created",
                    d,
                    true,
                );
                if p.get("output") == Some("yaml") {
                    ctx.io.print("---\n");
                }
            }
            Err(e) => service_error = Some(e),
        }
    }
    if attach && d == DryRun::None {
        attach_to_new_pod(ctx, &namespace, &name, &p);
    } else {
        print_result(ctx, p.get("output"), Kind::Pod, &pod, "created", d, true);
    }
    match service_error {
        Some(e) if e.reason == Reason::Invalid => ctx.fail_raw(&e.message),
        Some(e) => ctx.fail_raw(&e.to_string()),
        None => {}
    }
}

/// Sends an object kubectl built to the API server as `--dry-run` says (client: not at all).
fn submit(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    obj: Value,
    namespace: &str,
    d: DryRun,
) -> Result<Value, ApiError> {
    let mut obj = obj;
    match d {
        DryRun::Client => Ok(obj),
        DryRun::Server => {
            set_namespace(kind, &mut obj, namespace);
            apiserver::prepare_create(ctx.world, kind, obj)
        }
        DryRun::None => {
            set_namespace(kind, &mut obj, namespace);
            apiserver::create(ctx.world, kind, obj)
        }
    }
}

/// The Service of `kubectl run --expose` (kubectl's `service/v2` generator): the pod's port
/// on both sides, selecting `--labels` or `run=NAME`, labelled only with `--labels`.
fn run_service(p: &Parsed, name: &str, port: i32, namespace: Option<&str>) -> Value {
    let labels = p
        .get("labels")
        .filter(|l| !l.is_empty())
        .map(selector_string_to_map);
    let mut meta = Map::new();
    meta.insert("creationTimestamp".to_owned(), Value::Null);
    if let Some(labels) = &labels {
        meta.insert("labels".to_owned(), labels.clone());
    }
    meta.insert("name".to_owned(), json!(name));
    if let Some(namespace) = namespace {
        meta.insert("namespace".to_owned(), json!(namespace));
    }
    let selector = labels.unwrap_or_else(|| json!({"run": name}));
    json!({"apiVersion": "v1", "kind": "Service", "metadata": meta,
        "spec": {"ports": [{"port": port, "protocol": "TCP", "targetPort": port}], "selector": selector},
        "status": {"loadBalancer": {}}})
}

/// `kubectl run NAME -it --rm --image=busybox -- CMD`: wait for the pod to run (the virtual
/// clock moves), run the command in it, then delete the pod with `--rm`.
fn attach_to_new_pod(ctx: &mut Ctx<'_>, namespace: &str, name: &str, p: &Parsed) {
    for _ in 0..60 {
        let running = ctx
            .world
            .store
            .get(Kind::Pod, namespace, name)
            .and_then(|pod| pod.ptr("/status/phase"))
            .and_then(Value::as_str)
            == Some("Running");
        if running {
            break;
        }
        let next = ctx.world.now().saturating_add_millis(1000);
        ctx.world.advance_to(next);
    }
    let phase = ctx
        .world
        .store
        .get(Kind::Pod, namespace, name)
        .and_then(|pod| pod.ptr("/status/phase"))
        .and_then(Value::as_str)
        .unwrap_or("Pending")
        .to_owned();
    if phase != "Running" {
        ctx.fail("timed out waiting for the condition");
        if p.flag("rm") && apiserver::delete(ctx.world, Kind::Pod, namespace, name).is_ok() {
            ctx.io.print(&format!("pod \"{name}\" deleted\n"));
        }
        return;
    }
    let tty = p.flag("tty");
    if tty {
        ctx.io
            .eprint("If you don't see a command prompt, try pressing enter.\n");
    }
    let argv: Vec<String> = p
        .after_dash
        .clone()
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| vec!["sh".to_owned()]);
    let interactive = p.flag("stdin") && tty;
    super::misc::run_in_container(
        ctx,
        namespace,
        name,
        name,
        &argv,
        interactive,
        super::misc::ExitReport::Caller,
    );
    let restart_always = p.get("restart").unwrap_or("Always") == "Always";
    if ctx.enter.is_some() {
        // The shell session owns the pod now: what kubectl prints when the attach ends
        // (and `--rm`) happens when the student leaves it (`World::leave`).
        let key = (namespace.to_owned(), name.to_owned());
        ctx.world.attached_runs.retain(|(k, _)| *k != key);
        ctx.world.attached_runs.push((
            key,
            crate::commands::AttachedRun {
                remove: p.flag("rm"),
                restart_always,
            },
        ));
        return;
    }
    let rc = ctx.code;
    ctx.code = 0;
    if interactive && restart_always {
        ctx.io.print(&session_ended(name));
    }
    if p.flag("rm") && apiserver::delete(ctx.world, Kind::Pod, namespace, name).is_ok() {
        ctx.io.print(&format!("pod \"{name}\" deleted\n"));
    }
    // kubectl waits for a pod that won't restart and exits with its container's code.
    if rc != 0 && !restart_always {
        ctx.io
            .eprint(&format!("pod {namespace}/{name} terminated (Error)\n"));
        ctx.code = rc;
    }
}

/// kubectl's note when an attached session of a restarting pod ends (`kubectl run -it`).
pub(crate) fn session_ended(pod: &str) -> String {
    format!(
        "Session ended, resume using 'kubectl attach {pod} -c {pod} -i -t' command when the pod is running\n"
    )
}

/// `TYPE NAME` or `TYPE/NAME` → (kind, name).
fn target(ctx: &mut Ctx<'_>, p: &Parsed) -> Option<(Kind, String)> {
    let (t, n) = match p.positional.as_slice() {
        [one, ..] if one.contains('/') => {
            let (t, n) = one.split_once('/').unwrap_or_default();
            (t.to_owned(), n.to_owned())
        }
        [t, n, ..] => (t.clone(), n.clone()),
        _ => {
            ctx.fail(
                "one or more resources must be specified as <resource> <name> or <resource>/<name>",
            );
            return None;
        }
    };
    match resolve_types(&t) {
        Ok(k) => k.first().map(|k| (*k, n)),
        Err(e) => {
            ctx.fail(&e);
            None
        }
    }
}

pub fn scale(ctx: &mut Ctx<'_>, rest: &[String]) {
    const FLAGS: &[FlagSpec] = &[
        int("replicas", None),
        int("current-replicas", None),
        value("filename", Some('f')),
        value("selector", Some('l')),
        boolean("all", None),
        value("timeout", None),
        optional("dry-run", "unchanged"),
        value("output", Some('o')),
        value("resource-version", None),
    ];
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("scale", &e.0),
    };
    let Some(replicas) = p.get("replicas").map(str::to_owned) else {
        return ctx.required_flag("replicas");
    };
    // An int already (`args::int`); ScaleOptions.Validate refuses a negative one.
    let replicas: i64 = replicas.parse().unwrap_or_default();
    if replicas < 0 {
        return ctx.fail(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        );
    }
    let (namespace, _) = ctx.namespace(&p);
    let Some((kind, name)) = target(ctx, &p) else {
        return;
    };
    if !matches!(kind, Kind::Deployment | Kind::ReplicaSet) {
        return ctx.fail(&format!("cannot scale {}", kind.qualified_plural()));
    }
    let Some(mut obj) = ctx.world.store.get(kind, &namespace, &name).cloned() else {
        return ctx.fail_raw(&ApiError::not_found(kind, &name).to_string());
    };
    obj["spec"]["replicas"] = json!(replicas);
    match apiserver::update(ctx.world, kind, obj) {
        Ok(_) => ctx
            .io
            .print(&format!("{} scaled\n", kind_slash_name(kind, &name))),
        Err(e) if e.reason == Reason::Invalid => ctx.fail_raw(&e.message),
        Err(e) => ctx.fail_raw(&e.to_string()),
    }
}

/// kubectl's `GetResourcesAndPairs`: resources first, then `key=value` / `key-` changes
/// (a word starting with `=`, or `-` alone, is a resource).
fn resources_and_pairs(args: &[String], noun: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs: Vec<String> = Vec::new();
    for arg in args {
        let pair =
            (arg.contains('=') && !arg.starts_with('=')) || (arg.ends_with('-') && arg != "-");
        match (pairs.is_empty(), pair) {
            (_, true) => pairs.push(arg.clone()),
            (true, false) => resources.push(arg.clone()),
            (false, false) => {
                return Err(format!(
                    "all resources must be specified before {noun} changes: {arg}"
                ));
            }
        }
    }
    Ok((resources, pairs))
}

/// `parseLabels` / `parseAnnotations`: label values are checked here, on the client; a
/// key may not be both set and removed.
fn check_pairs(pairs: &[String], noun: &str) -> Result<(), String> {
    let mut set = Vec::new();
    let mut removed = Vec::new();
    for pair in pairs {
        match pair.split_once('=') {
            Some((key, value)) => {
                if noun == "label" {
                    if value.contains('=') {
                        return Err(format!("invalid label spec: {pair}"));
                    }
                    let causes = crate::api::validate::label_value_causes(value);
                    if !causes.is_empty() {
                        return Err(format!(
                            "invalid label value: {pair:?}: {}",
                            causes.join(";")
                        ));
                    }
                }
                set.push(key);
            }
            None => removed.push(pair.trim_end_matches('-')),
        }
    }
    let both: Vec<&str> = removed.into_iter().filter(|k| set.contains(k)).collect();
    match both.as_slice() {
        [] => Ok(()),
        _ if noun == "label" => {
            Err("can not both modify and remove a label in the same command".to_owned())
        }
        keys => Err(format!(
            "can not both modify and remove the following annotation(s) in the same command: {}",
            keys.join(", ")
        )),
    }
}

/// `label` and `annotate`: `key=value` sets, `key-` removes.
pub fn label(ctx: &mut Ctx<'_>, rest: &[String], verb: &str) {
    const FLAGS: &[FlagSpec] = &[
        boolean("overwrite", None),
        value("selector", Some('l')),
        boolean("all", None),
        optional("dry-run", "unchanged"),
        value("output", Some('o')),
        boolean("list", None),
        value("filename", Some('f')),
        value("resource-version", None),
        boolean("all-namespaces", Some('A')),
    ];
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error(verb, &e.0),
    };
    let Some(d) = dry_run(ctx, &p) else { return };
    let (namespace, _) = ctx.namespace(&p);
    let noun = if verb == "label" {
        "label"
    } else {
        "annotation"
    };
    let (resources, changes) = match resources_and_pairs(&p.positional, noun) {
        Ok(split) => split,
        Err(e) => return ctx.fail(&e),
    };
    if let Err(e) = check_pairs(&changes, noun) {
        return ctx.fail(&e);
    }
    if p.flag("all") && p.has("selector") {
        return ctx.fail("cannot set --all and --selector at the same time");
    }
    if resources.is_empty() && !p.has("filename") {
        return ctx.fail(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    if changes.is_empty() && !p.flag("list") {
        return ctx.fail(&format!("at least one {noun} update is required"));
    }
    let mut targets = p.clone();
    targets.positional = resources;
    let Some((kind, name)) = target(ctx, &targets) else {
        return;
    };
    let Some(mut obj) = ctx.world.store.get(kind, &namespace, &name).cloned() else {
        return ctx.fail_raw(&ApiError::not_found(kind, &name).to_string());
    };
    let field = if verb == "label" {
        "labels"
    } else {
        "annotations"
    };
    let mut map = obj
        .ptr(&format!("/metadata/{field}"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let before = map.clone();
    for c in &changes {
        if let Some(k) = c.strip_suffix('-').filter(|_| !c.contains('=')) {
            map.remove(k);
        } else if let Some((k, v)) = c.split_once('=') {
            if let Some(old) = map.get(k).and_then(Value::as_str)
                && !p.flag("overwrite")
                && old != v
            {
                return ctx.fail(&format!(
                    "'{k}' already has a value ({old}), and --overwrite is false"
                ));
            }
            map.insert(k.to_owned(), json!(v));
        }
    }
    let past = if verb == "label" {
        "labeled"
    } else {
        "annotated"
    };
    if map == before {
        ctx.io
            .print(&format!("{} not {past}\n", kind_slash_name(kind, &name)));
        return;
    }
    obj["metadata"][field] = Value::Object(map);
    if d != DryRun::None {
        // Nothing is written; kubectl still says what would have happened.
        return ctx.io.print(&format!(
            "{} {past}{}\n",
            kind_slash_name(kind, &name),
            suffix(d)
        ));
    }
    match apiserver::update(ctx.world, kind, obj) {
        Ok(_) => ctx
            .io
            .print(&format!("{} {past}\n", kind_slash_name(kind, &name))),
        Err(e) if e.reason == Reason::Invalid => ctx.fail_raw(&e.message),
        Err(e) => ctx.fail_raw(&e.to_string()),
    }
}

pub fn set(ctx: &mut Ctx<'_>, rest: &[String]) {
    let Some((sub, rest)) = args::split_subcommand(rest, &[args::GLOBAL]) else {
        ctx.io.eprint(SET_HELP);
        ctx.code = 1;
        return;
    };
    match sub.as_str() {
        "image" => {}
        "env" | "resources" | "selector" | "serviceaccount" | "subject" => {
            return ctx.fail(&format!(
                "\"kubectl set {sub}\" is not available in this simulated cluster"
            ));
        }
        other => {
            return ctx.fail(&format!(
                "unknown command \"{other}\"\nSee 'kubectl set -h' for help and examples"
            ));
        }
    }
    const FLAGS: &[FlagSpec] = &[
        boolean("all", None),
        value("selector", Some('l')),
        optional("dry-run", "unchanged"),
        value("output", Some('o')),
        value("filename", Some('f')),
        boolean("record", None),
        boolean("local", None),
    ];
    let p = match args::parse(&rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("set image", &e.0),
    };
    let (namespace, _) = ctx.namespace(&p);
    let updates: Vec<(String, String)> = p
        .positional
        .iter()
        .filter_map(|a| a.split_once('=').map(|(c, i)| (c.to_owned(), i.to_owned())))
        .collect();
    let mut targets = p.clone();
    targets.positional.retain(|a| !a.contains('='));
    match targets.positional.as_slice() {
        [] => return ctx.fail(NO_RESOURCES),
        // `TYPE/NAME` beside a bare word; several `TYPE/NAME`s are fine.
        many @ [_, _, ..]
            if many.iter().any(|a| a.contains('/')) && !many.iter().all(|a| a.contains('/')) =>
        {
            return ctx.fail(SEPARATE_TYPE);
        }
        _ => {}
    }
    let Some((kind, name)) = target(ctx, &targets) else {
        return;
    };
    let Some(mut obj) = ctx.world.store.get(kind, &namespace, &name).cloned() else {
        return ctx.fail_raw(&ApiError::not_found(kind, &name).to_string());
    };
    let pointer = if kind == Kind::Pod {
        "/spec/containers"
    } else {
        "/spec/template/spec/containers"
    };
    let mut found = false;
    if let Some(Value::Array(cs)) = obj.pointer_mut(pointer) {
        for c in cs {
            for (cname, image) in &updates {
                if c.get("name").and_then(Value::as_str) == Some(cname.as_str()) || cname == "*" {
                    c["image"] = json!(image);
                    found = true;
                }
            }
        }
    }
    if !found {
        let names: Vec<&str> = updates.iter().map(|(c, _)| c.as_str()).collect();
        return ctx.fail(&format!(
            "unable to find container named \"{}\"",
            names.join(",")
        ));
    }
    match apiserver::update(ctx.world, kind, obj) {
        Ok(_) => ctx
            .io
            .print(&format!("{} image updated\n", kind_slash_name(kind, &name))),
        Err(e) => ctx.fail_raw(&e.to_string()),
    }
}

pub fn rollout(ctx: &mut Ctx<'_>, rest: &[String]) {
    let Some((sub, rest)) = args::split_subcommand(rest, &[args::GLOBAL]) else {
        ctx.io.print(ROLLOUT_HELP);
        ctx.code = 1;
        return;
    };
    match sub.as_str() {
        "history" | "restart" | "status" | "undo" => {}
        // The deployment controller here does not model a paused rollout.
        "pause" | "resume" => {
            return ctx.fail(&format!(
                "\"kubectl rollout {sub}\" is not available in this simulated cluster"
            ));
        }
        other => {
            return ctx.fail(&format!(
                "unknown command \"{other}\"\nSee 'kubectl rollout -h' for help and examples"
            ));
        }
    }
    const FLAGS: &[FlagSpec] = &[
        boolean("watch", Some('w')),
        value("timeout", None),
        int("revision", None),
        int("to-revision", None),
        value("selector", Some('l')),
        value("filename", Some('f')),
        value("output", Some('o')),
        optional("dry-run", "unchanged"),
    ];
    let p = match args::parse(&rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error(&format!("rollout {sub}"), &e.0),
    };
    if p.positional.is_empty() && !p.has("filename") {
        return ctx.fail("required resource not specified");
    }
    let (namespace, _) = ctx.namespace(&p);
    let Some((kind, name)) = target(ctx, &p) else {
        return;
    };
    let Some(mut obj) = ctx.world.store.get(kind, &namespace, &name).cloned() else {
        return ctx.fail_raw(&ApiError::not_found(kind, &name).to_string());
    };
    match sub.as_str() {
        "restart" => {
            let now = crate::time::rfc3339(ctx.world.store.now_unix());
            obj["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] =
                json!(now);
            match apiserver::update(ctx.world, kind, obj) {
                Ok(_) => ctx
                    .io
                    .print(&format!("{} restarted\n", kind_slash_name(kind, &name))),
                Err(e) => ctx.fail_raw(&e.to_string()),
            }
        }
        "status" => {
            if kind != Kind::Deployment {
                return ctx.fail(&format!(
                    "no status viewer has been implemented for {}",
                    kind.name()
                ));
            }
            // Time passes until the rollout is done (the browser's clock, or kubesim's).
            for _ in 0..20 {
                let d = ctx
                    .world
                    .store
                    .get(kind, &namespace, &name)
                    .cloned()
                    .unwrap_or_default();
                let desired = d.ptr("/spec/replicas").and_then(Value::as_i64).unwrap_or(1);
                let updated = d
                    .ptr("/status/updatedReplicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                let available = d
                    .ptr("/status/availableReplicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                let total = d
                    .ptr("/status/replicas")
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                if updated >= desired && available >= desired && total == desired {
                    ctx.io
                        .print(&format!("deployment \"{name}\" successfully rolled out\n"));
                    return;
                }
                let line = if updated < desired {
                    format!(
                        "Waiting for deployment \"{name}\" rollout to finish: {updated} out of {desired} new replicas have been updated...\n"
                    )
                } else if total > updated {
                    format!(
                        "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...\n",
                        total - updated
                    )
                } else {
                    format!(
                        "Waiting for deployment \"{name}\" rollout to finish: {available} of {desired} updated replicas are available...\n"
                    )
                };
                if !ctx.io.out.ends_with(&line) {
                    ctx.io.print(&line);
                }
                let next = ctx.world.now().saturating_add_millis(1000);
                ctx.world.advance_to(next);
            }
            ctx.fail("timed out waiting for the condition");
        }
        "undo" => {
            if kind != Kind::Deployment {
                return ctx.fail(&format!(
                    "no rollbacker has been implemented for \"{}\"",
                    kind.name()
                ));
            }
            let uid = obj
                .ptr("/metadata/uid")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let mut sets: Vec<(i64, Value)> = ctx
                .world
                .store
                .list(Kind::ReplicaSet, Some(&namespace))
                .into_iter()
                .filter(|rs| {
                    rs.ptr("/metadata/ownerReferences/0/uid")
                        .and_then(Value::as_str)
                        == Some(uid.as_str())
                })
                .filter_map(|rs| {
                    let r = rs
                        .ptr("/metadata/annotations/deployment.kubernetes.io~1revision")?
                        .as_str()?
                        .parse()
                        .ok()?;
                    Some((r, rs.clone()))
                })
                .collect();
            crate::sort::sort_by_key(&mut sets, |(r, _)| *r);
            let wanted: Option<i64> = p
                .get("to-revision")
                .and_then(|r| r.parse().ok())
                .filter(|r| *r != 0);
            let target = match wanted {
                Some(r) => sets.iter().find(|(rev, _)| *rev == r),
                None => sets.iter().rev().nth(1),
            };
            let Some((revision, rs)) = target.cloned() else {
                return match wanted {
                    Some(r) => {
                        ctx.fail(&format!("unable to find specified revision {r} in history"))
                    }
                    None => ctx.fail(&format!(
                        "no rollout history found for deployment \"{name}\""
                    )),
                };
            };
            let mut template = rs.ptr("/spec/template").cloned().unwrap_or_default();
            if let Some(labels) = template
                .pointer_mut("/metadata/labels")
                .and_then(Value::as_object_mut)
            {
                labels.remove("pod-template-hash");
            }
            if obj.ptr("/spec/template") == Some(&template) {
                ctx.io.print(&format!(
                    "{} skipped rollback (current template already matches revision {revision})\n",
                    kind_slash_name(kind, &name)
                ));
                return;
            }
            obj["spec"]["template"] = template;
            match apiserver::update(ctx.world, kind, obj) {
                Ok(_) => ctx
                    .io
                    .print(&format!("{} rolled back\n", kind_slash_name(kind, &name))),
                Err(e) => ctx.fail_raw(&e.to_string()),
            }
        }
        "history" => {
            ctx.io.print(&format!(
                "{}\nREVISION  CHANGE-CAUSE\n",
                kind_slash_name(kind, &name)
            ));
            let uid = obj
                .ptr("/metadata/uid")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let mut revs: Vec<i64> = ctx
                .world
                .store
                .list(Kind::ReplicaSet, Some(&namespace))
                .into_iter()
                .filter(|rs| {
                    rs.ptr("/metadata/ownerReferences/0/uid")
                        .and_then(Value::as_str)
                        == Some(uid.as_str())
                })
                .filter_map(|rs| {
                    rs.ptr("/metadata/annotations/deployment.kubernetes.io~1revision")?
                        .as_str()?
                        .parse()
                        .ok()
                })
                .collect();
            crate::sort::sort(&mut revs);
            for r in revs {
                ctx.io.print(&format!("{r}         <none>\n"));
            }
            ctx.io.print("\n");
        }
        other => {
            ctx.io.eprint(&format!(
                "Error: unknown command \"{other}\" for \"kubectl rollout\"\n"
            ));
            ctx.code = 1;
        }
    }
}
