//! The read-only and interactive verbs: logs, exec, version, cluster-info, api-resources,
//! wait, explain, and kubectl's help text.

use crate::api::Ptr;
use serde_json::{Map, Value, json};

use super::Ctx;
use super::args::{self, FlagSpec, boolean, int, value};
use super::get::{parse_selector, resolve_types, selector_matches};
use super::printers::{render, str_at};
use crate::api::schema::{Ty, schema};
use crate::api::{ApiError, Kind};
use crate::shell::Location;

pub const HELP: &str = "kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  explain         Get documentation for a resource
  get             Display one or many resources
  edit            Edit a resource on the server
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller
  autoscale       Auto-scale a deployment, replica set, stateful set, or replication controller

Cluster Management Commands:
  certificate     Modify certificate resources
  cluster-info    Display cluster information
  top             Display resource (CPU/memory) usage
  cordon          Mark node as unschedulable
  uncordon        Mark node as schedulable
  drain           Drain node in preparation for maintenance
  taint           Update the taints on one or more nodes

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  attach          Attach to a running container
  exec            Execute a command in a container
  port-forward    Forward one or more local ports to a pod
  proxy           Run a proxy to the Kubernetes API server
  cp              Copy files and directories to and from containers
  auth            Inspect authorization
  debug           Create debugging sessions for troubleshooting workloads and nodes
  events          List events

Advanced Commands:
  diff            Diff the live version against a would-be applied version
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource
  replace         Replace a resource by file name or stdin
  wait            Experimental: Wait for a specific condition on one or many resources
  kustomize       Build a kustomization target from a directory or URL

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource
  completion      Output shell completion code for the specified shell (bash, zsh, fish, or powershell)

Subcommands provided by plugins:

Other Commands:
  api-resources   Print the supported API resources on the server
  api-versions    Print the supported API versions on the server, in the form of \"group/version\"
  config          Modify kubeconfig files
  plugin          Provides utilities for interacting with plugins
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use \"kubectl <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

/// Resolves `POD`, `pod/NAME` or `deploy/NAME` (its first pod) to a pod.
pub(super) fn find_pod(ctx: &mut Ctx<'_>, target: &str, namespace: &str) -> Option<Value> {
    let (kind, name) = match target.split_once('/') {
        Some((t, n)) => match resolve_types(t) {
            Ok(k) => (k.first().copied().unwrap_or(Kind::Pod), n.to_owned()),
            Err(e) => {
                ctx.fail(&e);
                return None;
            }
        },
        None => (Kind::Pod, target.to_owned()),
    };
    let Some(obj) = ctx.world.store.get(kind, namespace, &name).cloned() else {
        ctx.fail_raw(&ApiError::not_found(kind, &name).to_string());
        return None;
    };
    if kind == Kind::Pod {
        return Some(obj);
    }
    let selector = match kind {
        Kind::Service => obj.ptr("/spec/selector").cloned(),
        _ => obj.ptr("/spec/selector/matchLabels").cloned(),
    }
    .unwrap_or_default();
    let pod = ctx
        .world
        .store
        .list(Kind::Pod, Some(namespace))
        .into_iter()
        .find(|p| {
            crate::api::validate::label_selector_matches(
                &serde_json::json!({"matchLabels": selector}),
                p.ptr("/metadata/labels").unwrap_or(&Value::Null),
            )
        })
        .cloned();
    if pod.is_none() {
        ctx.fail(&format!("no pods found for {} {name}", kind.singular()));
    }
    pod
}

/// The container to use (`-c`, or the only one, or the default-container annotation).
fn pick_container(ctx: &mut Ctx<'_>, pod: &Value, requested: Option<&str>) -> Option<String> {
    let names: Vec<String> = pod
        .ptr("/spec/containers")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|c| str_at(c, "/name").to_owned()).collect())
        .unwrap_or_default();
    let pod_name = str_at(pod, "/metadata/name");
    match requested {
        Some(c) if names.iter().any(|n| n == c) => Some(c.to_owned()),
        Some(c) => {
            ctx.fail(&format!("container {c} is not valid for pod {pod_name}"));
            None
        }
        None => {
            // kubectl 1.21+ (KEP-2189) defaults logs, exec and attach to the first container
            // (or the default-container annotation) and says so on stderr.
            let annotated = pod
                .ptr("/metadata/annotations/kubectl.kubernetes.io~1default-container")
                .and_then(Value::as_str)
                .filter(|name| names.iter().any(|n| n == name));
            if let Some(name) = annotated {
                return Some(name.to_owned());
            }
            if names.len() > 1 {
                ctx.io.eprint(&format!(
                    "Defaulted container \"{}\" out of: {}\n",
                    names[0],
                    names.join(", ")
                ));
            }
            names.first().cloned()
        }
    }
}

/// Why a container has never run (so it has no logs): `None` once it has started at least
/// once — a crash-looping container still has the logs of its last run.
fn container_waiting(pod: &Value, container: &str) -> Option<String> {
    pod.ptr("/status/containerStatuses")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|s| str_at(s, "/name") == container))
        .map_or(Some("ContainerCreating".to_owned()), |s| {
            if s.ptr("/lastState/terminated").is_some() || s.ptr("/state/terminated").is_some() {
                return None;
            }
            s.ptr("/state/waiting/reason")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
}

pub fn logs(ctx: &mut Ctx<'_>, rest: &[String]) {
    const FLAGS: &[FlagSpec] = &[
        value("container", Some('c')),
        boolean("follow", Some('f')),
        boolean("previous", Some('p')),
        int("tail", None),
        boolean("timestamps", None),
        boolean("all-containers", None),
        value("selector", Some('l')),
        value("since", None),
        boolean("prefix", None),
    ];
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("logs", &e.0),
    };
    let namespace = ctx.namespace(&p).0;
    let Some(target) = p.positional.first().cloned() else {
        return ctx.fail("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    };
    let Some(pod) = find_pod(ctx, &target, &namespace) else {
        return;
    };
    let Some(container) = pick_container(ctx, &pod, p.get("container")) else {
        return;
    };
    if let Some(reason) = container_waiting(&pod, &container) {
        ctx.fail_raw(&format!(
            "Error from server (BadRequest): container \"{container}\" in pod \"{}\" is waiting to start: {reason}",
            str_at(&pod, "/metadata/name")
        ));
    } else if let Some(log) = crate::controllers::exits::log_of(&pod, &container)
        && !log.is_empty()
    {
        // A container that exits by itself prints the same lines on every run.
        ctx.io.print(&log);
        ctx.io.print("\n");
    }
    // Servers log nothing of interest here; a real cluster would stream their output.
}

pub fn exec(ctx: &mut Ctx<'_>, rest: &[String]) {
    const FLAGS: &[FlagSpec] = &[
        value("container", Some('c')),
        boolean("stdin", Some('i')),
        boolean("tty", Some('t')),
        boolean("quiet", Some('q')),
        value("filename", Some('f')),
        value("pod-running-timeout", None),
    ];
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("exec", &e.0),
    };
    let namespace = ctx.namespace(&p).0;
    let Some(target) = p.positional.first().cloned() else {
        return ctx.fail("pod, type/name or --filename must be specified");
    };
    let argv = match &p.after_dash {
        Some(a) if !a.is_empty() => a.clone(),
        _ if p.positional.len() > 1 => {
            return ctx.fail("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
        }
        _ => return ctx.fail("you must specify at least one command for the container"),
    };
    let Some((pod, container)) = exec_target(ctx, &target, &namespace, p.get("container")) else {
        return;
    };
    let pod_name = str_at(&pod, "/metadata/name").to_owned();
    let interactive = p.flag("stdin") && p.flag("tty");
    run_in_container(
        ctx,
        &namespace,
        &pod_name,
        &container,
        &argv,
        interactive,
        ExitReport::ExecLine,
    );
}

/// The pod and container a `kubectl exec` (or `cp`, which runs `tar` through exec) reaches,
/// with exec's errors: no such pod, no such container, a completed pod, a container that
/// is not running.
pub(super) fn exec_target(
    ctx: &mut Ctx<'_>,
    target: &str,
    namespace: &str,
    container: Option<&str>,
) -> Option<(Value, String)> {
    let pod = find_pod(ctx, target, namespace)?;
    let container = pick_container(ctx, &pod, container)?;
    let phase = str_at(&pod, "/status/phase");
    if phase == "Succeeded" || phase == "Failed" {
        ctx.fail(&format!(
            "cannot exec into a container in a completed pod; current phase is {phase}"
        ));
        return None;
    }
    let running = pod
        .ptr("/status/containerStatuses")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|s| str_at(s, "/name") == container))
        .is_some_and(|s| s.ptr("/state/running").is_some());
    if !running {
        ctx.fail(&format!(
            "unable to upgrade connection: container not found (\"{container}\")"
        ));
        return None;
    }
    Some((pod, container))
}

/// How a command's non-zero exit is reported: `kubectl exec` adds `command terminated with
/// exit code N`; `kubectl run` reports the terminated pod itself, after `--rm`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ExitReport {
    ExecLine,
    Caller,
}

/// Runs `argv` in a running container, for `kubectl exec` and `kubectl run --rm -it`.
/// An interactive shell opens a nested session in the container (`enter`).
pub(super) fn run_in_container(
    ctx: &mut Ctx<'_>,
    namespace: &str,
    pod: &str,
    container: &str,
    argv: &[String],
    interactive: bool,
    report: ExitReport,
) {
    let program = argv.first().cloned().unwrap_or_default();
    let is_shell = matches!(
        program.as_str(),
        "sh" | "bash" | "/bin/sh" | "/bin/bash" | "ash"
    );
    if is_shell && argv.len() == 1 && interactive {
        ctx.enter = Some(Location::Container {
            namespace: namespace.to_owned(),
            pod: pod.to_owned(),
            container: container.to_owned(),
        });
        return;
    }
    if is_shell && argv.len() == 1 {
        // Without -i the shell reads an empty stdin and exits at once.
        return;
    }
    let stdin = ctx.stdin.to_owned();
    if let Some(out) = crate::net::world::run(ctx.world, namespace, pod, container, argv, &stdin) {
        ctx.io.print(&out.stdout);
        ctx.io.eprint(&out.stderr);
        ctx.traces.extend(out.traces);
        if out.exit_code != 0 && report == ExitReport::ExecLine {
            ctx.io.eprint(&format!(
                "command terminated with exit code {}\n",
                out.exit_code
            ));
        }
        ctx.code = out.exit_code;
    }
}

pub fn version(ctx: &mut Ctx<'_>, rest: &[String]) {
    const FLAGS: &[FlagSpec] = &[boolean("client", None), value("output", Some('o'))];
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("version", &e.0),
    };
    let client_only = p.flag("client");
    match p.get("output") {
        None => {
            ctx.io
                .print("Client Version: v1.32.4\nKustomize Version: v5.5.0\n");
            if !client_only {
                ctx.io.print("Server Version: v1.32.4\n");
            }
        }
        Some("yaml") => {
            let info: Map<String, Value> = VERSION_INFO
                .iter()
                .map(|(k, v)| ((*k).to_owned(), json!(v)))
                .collect();
            let mut doc = json!({"clientVersion": info, "kustomizeVersion": "v5.5.0"});
            if !client_only {
                doc["serverVersion"] = Value::Object(info);
            }
            // kubectl prints the YAML with Println: one blank line after it.
            ctx.io.print(&format!("{}\n", crate::yaml::to_yaml(&doc)));
        }
        Some("json") => {
            // version.Info is a Go struct: its fields in declaration order, not sorted.
            let info = VERSION_INFO
                .iter()
                .map(|(k, v)| format!("    \"{k}\": \"{v}\""))
                .collect::<Vec<_>>()
                .join(",\n");
            let mut out = format!(
                "{{\n  \"clientVersion\": {{\n{info}\n  }},\n  \"kustomizeVersion\": \"v5.5.0\""
            );
            if !client_only {
                out.push_str(&format!(",\n  \"serverVersion\": {{\n{info}\n  }}"));
            }
            out.push_str("\n}\n");
            ctx.io.print(&out);
        }
        Some(_) => ctx.fail("--output must be 'yaml' or 'json'"),
    }
}

/// `version.Info` of upstream v1.32.4, the client's as the release's kubectl prints it. The
/// API server is the same release; its build date is taken to be the client's.
const VERSION_INFO: [(&str, &str); 9] = [
    ("major", "1"),
    ("minor", "32"),
    ("gitVersion", "v1.32.4"),
    ("gitCommit", "59526cd4867447956156ae3a602fcbac10a2c335"),
    ("gitTreeState", "clean"),
    ("buildDate", "2025-04-22T16:03:58Z"),
    ("goVersion", "go1.23.6"),
    ("compiler", "gc"),
    ("platform", "linux/amd64"),
];

pub fn cluster_info(ctx: &mut Ctx<'_>, rest: &[String]) {
    if let Err(e) = args::parse(rest, &[args::GLOBAL]) {
        return ctx.usage_error("cluster-info", &e.0);
    }
    if rest.first().map(String::as_str) == Some("dump") {
        return ctx
            .fail("\"kubectl cluster-info dump\" is not available in this simulated cluster");
    }
    // kubectl colours these lines itself (go-colortext), terminal or not.
    ctx.io.print("\u{1b}[0;32mKubernetes control plane\u{1b}[0m is running at \u{1b}[0;33mhttps://192.168.56.10:6443\u{1b}[0m\n");
    ctx.io.print("\u{1b}[0;32mCoreDNS\u{1b}[0m is running at \u{1b}[0;33mhttps://192.168.56.10:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\u{1b}[0m\n");
    ctx.io.print(
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    );
}

pub fn api_resources(ctx: &mut Ctx<'_>, rest: &[String]) {
    const FLAGS: &[FlagSpec] = &[
        value("output", Some('o')),
        value("namespaced", None),
        value("api-group", None),
        boolean("no-headers", None),
        value("verbs", None),
        value("sort-by", None),
        boolean("cached", None),
        value("categories", None),
    ];
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("api-resources", &e.0),
    };
    let mut kinds: Vec<Kind> = Kind::ALL.to_vec();
    crate::sort::sort_by_key(&mut kinds, |k| (k.group() != "", k.group(), k.plural()));
    if let Some(ns) = p.get("namespaced") {
        let want = ns != "false";
        kinds.retain(|k| k.namespaced() == want);
    }
    if p.get("output") == Some("name") {
        for k in kinds {
            let g = k.group();
            ctx.io.print(&if g.is_empty() {
                format!("{}\n", k.plural())
            } else {
                format!("{}.{g}\n", k.plural())
            });
        }
        return;
    }
    let mut lines = Vec::new();
    if !p.flag("no-headers") {
        lines.push(
            ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
                .map(str::to_owned)
                .to_vec(),
        );
    }
    for k in kinds {
        lines.push(vec![
            k.plural().to_owned(),
            k.short_names().join(","),
            k.api_version().to_owned(),
            k.namespaced().to_string(),
            k.name().to_owned(),
        ]);
    }
    ctx.io.print(&render(&lines));
}

/// What `kubectl wait --for=...` waits for, read as kubectl's `conditionFuncFor` reads it.
enum WaitFor {
    Delete,
    Create,
    /// `condition=Ready` (status `True`) or `condition=Ready=false`, both compared
    /// without regard to case.
    Condition {
        name: String,
        status: String,
    },
    /// `jsonpath='{.status.phase}'=Running`, or without `=VALUE`: the field is there.
    JsonPath {
        expr: String,
        value: Option<String>,
    },
}

impl WaitFor {
    fn parse(condition: &str) -> Result<WaitFor, String> {
        if condition.eq_ignore_ascii_case("delete") {
            return Ok(WaitFor::Delete);
        }
        if condition == "create" {
            return Ok(WaitFor::Create);
        }
        if let Some(rest) = condition.strip_prefix("condition=") {
            let (name, status) = rest.split_once('=').unwrap_or((rest, "true"));
            return Ok(WaitFor::Condition {
                name: name.to_owned(),
                status: status.to_owned(),
            });
        }
        if let Some(rest) = condition.strip_prefix("jsonpath=") {
            // The value follows the expression's closing brace (a filter inside the braces
            // may hold `=` itself).
            let split_at = match rest.strip_prefix('{').and_then(|r| r.find('}')) {
                Some(close) => rest[close + 2..].find('=').map(|i| i + close + 2),
                None => rest.find('='),
            };
            let (expr, value) = match split_at {
                Some(i) => (&rest[..i], Some(rest[i + 1..].trim_matches(['\'', '"']))),
                None => (rest, None),
            };
            if expr.is_empty() {
                return Err("jsonpath expression cannot be empty".to_owned());
            }
            return Ok(WaitFor::JsonPath {
                expr: relaxed_jsonpath(expr)?,
                value: value.map(str::to_owned),
            });
        }
        Err(format!("unrecognized condition: {condition:?}"))
    }

    fn is_met(&self, obj: Option<&Value>) -> bool {
        let Some(obj) = obj else {
            return matches!(self, WaitFor::Delete);
        };
        match self {
            WaitFor::Delete => false,
            WaitFor::Create => true,
            WaitFor::Condition { name, status } => obj
                .ptr("/status/conditions")
                .and_then(Value::as_array)
                .is_some_and(|cs| {
                    cs.iter().any(|c| {
                        str_at(c, "/type").eq_ignore_ascii_case(name)
                            && str_at(c, "/status").eq_ignore_ascii_case(status)
                    })
                }),
            WaitFor::JsonPath { expr, value } => {
                let found = super::get::jsonpath(expr, obj).unwrap_or_default();
                match value {
                    Some(value) => found == *value,
                    None => !found.is_empty(),
                }
            }
        }
    }
}

/// kubectl's `RelaxedJSONPathExpression`: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all become
/// `{.a.b}`.
fn relaxed_jsonpath(expr: &str) -> Result<String, String> {
    let inner = match expr.strip_prefix('{') {
        Some(rest) => rest.strip_suffix('}'),
        None => Some(expr),
    };
    let field = inner.map(|i| i.strip_prefix('.').unwrap_or(i));
    match field {
        Some(f) if !f.is_empty() && !f.contains(['{', '}']) => Ok(format!("{{.{f}}}")),
        _ => Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".to_owned()),
    }
}

pub fn wait(ctx: &mut Ctx<'_>, rest: &[String]) {
    const FLAGS: &[FlagSpec] = &[
        value("for", None),
        value("timeout", None),
        value("selector", Some('l')),
        boolean("all", None),
        boolean("all-namespaces", Some('A')),
        value("filename", Some('f')),
    ];
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("wait", &e.0),
    };
    let namespace = ctx.namespace(&p).0;
    // kubectl reads the condition before it looks for the resources.
    let wait_for = match WaitFor::parse(p.get("for").unwrap_or_default()) {
        Ok(w) => w,
        Err(e) => return ctx.fail(&e),
    };
    if p.positional.is_empty() && !p.has("selector") && !p.has("filename") {
        return ctx.fail(super::NO_RESOURCES);
    }
    let timeout_s: u64 = p
        .get("timeout")
        .map(|t| t.trim_end_matches('s').parse().unwrap_or(30))
        .unwrap_or(30);
    let selector = match p.get("selector").map(parse_selector).transpose() {
        Ok(s) => s,
        Err(e) => return ctx.fail(&e),
    };
    let mut targets: Vec<(Kind, String)> = Vec::new();
    for a in &p.positional {
        match a.split_once('/') {
            Some((t, n)) => match resolve_types(t) {
                Ok(k) => targets.extend(k.into_iter().map(|k| (k, n.to_owned()))),
                Err(e) => return ctx.fail(&e),
            },
            None => match resolve_types(a) {
                Ok(k) => {
                    for kind in k {
                        let names: Vec<String> = ctx
                            .world
                            .store
                            .list(kind, Some(&namespace))
                            .into_iter()
                            .filter(|o| selector.as_ref().is_none_or(|s| selector_matches(s, o)))
                            .map(|o| str_at(o, "/metadata/name").to_owned())
                            .collect();
                        targets.extend(names.into_iter().map(|n| (kind, n)));
                    }
                }
                Err(e) => return ctx.fail(&e),
            },
        }
    }
    if targets.is_empty() {
        return ctx.fail("no matching resources found");
    }
    let check = |ctx: &Ctx<'_>, kind: Kind, name: &str| -> bool {
        wait_for.is_met(ctx.world.store.get(kind, &namespace, name))
    };
    for (kind, name) in targets {
        let waits_for_existence = matches!(wait_for, WaitFor::Delete | WaitFor::Create);
        if !waits_for_existence && ctx.world.store.get(kind, &namespace, &name).is_none() {
            ctx.fail_raw(&ApiError::not_found(kind, &name).to_string());
            continue;
        }
        // The virtual clock moves in at most 600 steps, however long the timeout, so that
        // `--timeout=24h` cannot keep the simulator busy.
        let steps = timeout_s.clamp(1, 600);
        let step_ms = timeout_s.saturating_mul(1000) / steps;
        let mut waited = 0;
        while !check(ctx, kind, &name) && waited < steps {
            let next = ctx.world.now().saturating_add_millis(step_ms);
            ctx.world.advance_to(next);
            waited += 1;
        }
        let label = super::get::kind_slash_name(kind, &name);
        if check(ctx, kind, &name) {
            if matches!(wait_for, WaitFor::Delete) {
                ctx.io.print(&format!("{label} deleted\n"));
            } else {
                ctx.io.print(&format!("{label} condition met\n"));
            }
        } else {
            ctx.fail(&format!(
                "timed out waiting for the condition on {}/{name}",
                kind.qualified_plural()
            ));
        }
    }
}

fn type_name(ty: &Ty) -> String {
    match ty {
        Ty::Str | Ty::Quantity => "<string>".to_owned(),
        Ty::Int32 | Ty::Int64 => "<integer>".to_owned(),
        Ty::Bool => "<boolean>".to_owned(),
        Ty::IntOrString => "<IntOrString>".to_owned(),
        Ty::Struct(name, _) => format!("<{name}>"),
        Ty::Map(_) => "<map[string]string>".to_owned(),
        Ty::List(inner) => format!(
            "<[]{}>",
            type_name(inner).trim_matches(|c| c == '<' || c == '>')
        ),
        Ty::Any => "<Object>".to_owned(),
    }
}

pub fn explain(ctx: &mut Ctx<'_>, rest: &[String]) {
    const FLAGS: &[FlagSpec] = &[
        boolean("recursive", None),
        value("api-version", None),
        value("output", Some('o')),
    ];
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("explain", &e.0),
    };
    let Some(path) = p.positional.first() else {
        return ctx.fail("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.");
    };
    let mut parts = path.split('.');
    let resource = parts.next().unwrap_or_default();
    let Some(kind) = Kind::from_resource(resource) else {
        return ctx.fail(&format!(
            "the server doesn't have a resource type \"{resource}\""
        ));
    };
    let root = schema(kind);
    let mut ty: &Ty = &root;
    let mut field_path = Vec::new();
    for part in parts {
        let fields = match ty {
            Ty::Struct(_, f) => *f,
            Ty::List(Ty::Struct(_, f)) => *f,
            _ => &[],
        };
        match fields.iter().find(|(n, _)| *n == part) {
            Some((_, t)) => {
                ty = t;
                field_path.push(part.to_owned());
            }
            None => {
                return ctx.fail(&format!("field \"{part}\" does not exist"));
            }
        }
    }
    let group = if kind.group().is_empty() {
        String::new()
    } else {
        format!("GROUP:      {}\n", kind.group())
    };
    ctx.io.print(&format!(
        "{group}KIND:       {}\nVERSION:    {}\n\n",
        kind.name(),
        kind.api_version().rsplit('/').next().unwrap_or("v1")
    ));
    if !field_path.is_empty() {
        ctx.io.print(&format!(
            "FIELD: {} {}\n\n",
            field_path.last().map_or("", String::as_str),
            type_name(ty)
        ));
    }
    let fields = match ty {
        Ty::Struct(_, f) => *f,
        Ty::List(Ty::Struct(_, f)) => *f,
        _ => &[],
    };
    if !fields.is_empty() {
        ctx.io.print("FIELDS:\n");
        let mut names: Vec<&(&str, Ty)> = fields.iter().collect();
        crate::sort::sort_by_key(&mut names, |(n, _)| *n);
        for (n, t) in names {
            ctx.io.print(&format!("  {n}\t{}\n\n", type_name(t)));
        }
    }
}
