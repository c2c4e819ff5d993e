//! `kubectl get`: resource arguments (`pods`, `deploy,svc`, `all`, `pod/NAME`), `-n`, `-A`,
//! `-l`, `-o wide|yaml|json|name|jsonpath=...`, `--show-labels`, `--no-headers`, and the
//! messages for empty results and unknown types.

use crate::api::Ptr;
use serde_json::{Value, json};

use super::Ctx;
use super::args::{self, FlagSpec, boolean, int, value};
use super::printers::{self, render};
use crate::api::{ApiError, Kind};
use crate::yaml::{to_json_pretty, to_yaml};

pub const GET_FLAGS: &[FlagSpec] = &[
    boolean("all-namespaces", Some('A')),
    value("output", Some('o')),
    value("selector", Some('l')),
    boolean("show-labels", None),
    boolean("no-headers", None),
    boolean("watch", Some('w')),
    boolean("watch-only", None),
    value("field-selector", None),
    value("sort-by", None),
    value("filename", Some('f')),
    value("label-columns", Some('L')),
    boolean("ignore-not-found", None),
    int("chunk-size", None),
    boolean("recursive", Some('R')),
    boolean("show-kind", None),
    boolean("show-managed-fields", None),
];

/// Said after `get -w`: the real command keeps printing changes until Ctrl+C.
const WATCH_HINT: &str = "실제 kubectl은 -w(--watch)를 주면 바뀌는 내용을 한 줄씩 계속 보여 주다가 Ctrl+C를 눌러야 끝납니다. 이 실습 터미널은 지금의 목록만 보여 주고 프롬프트를 바로 돌려줍니다. 상태가 바뀌는 것을 보려면 잠시 뒤 다시 실행하거나 `kubectl wait`를 쓰세요.";

/// The kinds `all` expands to, in kubectl's order (empty kinds of the category, like
/// statefulsets, never print anything here).
pub const ALL: &[Kind] = &[
    Kind::Pod,
    Kind::Service,
    Kind::DaemonSet,
    Kind::Deployment,
    Kind::ReplicaSet,
];

/// One requirement of a label selector.
#[derive(Debug)]
pub enum Requirement {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

/// Parses `-l app=x,tier!=db,env in (a,b),!legacy`.
pub fn parse_selector(text: &str) -> Result<Vec<Requirement>, String> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    let mut reqs = Vec::new();
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let set = |rest: &str| -> Vec<String> {
            rest.trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        };
        if let Some(k) = p.strip_prefix('!') {
            reqs.push(Requirement::NotExists(k.trim().to_owned()));
        } else if let Some((k, v)) = p.split_once("!=") {
            reqs.push(Requirement::NotEq(k.trim().to_owned(), v.trim().to_owned()));
        } else if let Some((k, v)) = p.split_once("==") {
            reqs.push(Requirement::Eq(k.trim().to_owned(), v.trim().to_owned()));
        } else if let Some((k, v)) = p.split_once('=') {
            reqs.push(Requirement::Eq(k.trim().to_owned(), v.trim().to_owned()));
        } else if let Some((k, v)) = p.split_once(" notin ") {
            reqs.push(Requirement::NotIn(k.trim().to_owned(), set(v)));
        } else if let Some((k, v)) = p.split_once(" in ") {
            reqs.push(Requirement::In(k.trim().to_owned(), set(v)));
        } else if p
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        {
            reqs.push(Requirement::Exists(p.to_owned()));
        } else {
            return Err(format!("unable to parse requirement: found '{p}'"));
        }
    }
    Ok(reqs)
}

pub fn selector_matches(reqs: &[Requirement], obj: &Value) -> bool {
    let label = |k: &str| {
        obj.ptr("/metadata/labels")
            .and_then(|l| l.get(k))
            .and_then(Value::as_str)
    };
    reqs.iter().all(|r| match r {
        Requirement::Eq(k, v) => label(k) == Some(v.as_str()),
        Requirement::NotEq(k, v) => label(k) != Some(v.as_str()),
        Requirement::In(k, vs) => label(k).is_some_and(|l| vs.iter().any(|v| v == l)),
        Requirement::NotIn(k, vs) => label(k).is_none_or(|l| vs.iter().all(|v| v != l)),
        Requirement::Exists(k) => label(k).is_some(),
        Requirement::NotExists(k) => label(k).is_none(),
    })
}

/// `kind[.group]/name`, as `-o name` and multi-kind tables print it.
pub fn kind_slash_name(kind: Kind, name: &str) -> String {
    format!("{}/{name}", kind.qualified_singular())
}

/// A resource argument (`pods`, `deploy,svc`, `all`) → kinds, or kubectl's error.
pub fn resolve_types(text: &str) -> Result<Vec<Kind>, String> {
    let mut kinds = Vec::new();
    for t in text.split(',') {
        if t == "all" {
            kinds.extend_from_slice(ALL);
            continue;
        }
        match Kind::from_resource(t) {
            Some(k) => kinds.push(k),
            None => return Err(format!("the server doesn't have a resource type \"{t}\"")),
        }
    }
    Ok(kinds)
}

/// Output formats kubectl knows.
fn check_output(format: &str) -> Result<(), String> {
    let base = format.split('=').next().unwrap_or(format);
    match base {
        "" | "wide" | "yaml" | "json" | "name" | "jsonpath" | "custom-columns" => Ok(()),
        _ => Err(format!(
            "unable to match a printer suitable for the output format \"{format}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
        )),
    }
}

pub fn get(ctx: &mut Ctx<'_>, rest: &[String]) {
    let p = match args::parse(rest, &[GET_FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("get", &e.0),
    };
    let output = p.get("output").unwrap_or_default().to_owned();
    if let Err(e) = check_output(&output) {
        return ctx.fail(&e);
    }
    let namespace = ctx.namespace(&p).0;
    let all_ns = p.flag("all-namespaces");
    let selector = match p.get("selector").map(parse_selector).transpose() {
        Ok(s) => s,
        Err(e) => return ctx.fail(&e),
    };
    if p.flag("watch") || p.flag("watch-only") {
        // The simulator never holds a terminal: say what the real watch would do.
        ctx.hints.push(WATCH_HINT.to_owned());
    }
    if p.positional.is_empty() {
        ctx.fail_raw("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples");
        return;
    }
    // (kind, optional names) groups in request order.
    if p.flag("watch-only") {
        // Only changes would follow, and none are shown here.
        return;
    }
    let mut requests: Vec<(Kind, Vec<String>)> = Vec::new();
    let multi_kind;
    if p.positional.iter().any(|a| a.contains('/')) {
        for a in &p.positional {
            let Some((t, n)) = a.split_once('/') else {
                return ctx.fail(super::SEPARATE_TYPE);
            };
            let kind = match resolve_types(t) {
                Ok(k) => k.first().copied(),
                Err(e) => return ctx.fail(&e),
            };
            let Some(kind) = kind else { continue };
            match requests.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, names)) => names.push(n.to_owned()),
                None => requests.push((kind, vec![n.to_owned()])),
            }
        }
        multi_kind = true;
    } else {
        let kinds = match resolve_types(&p.positional[0]) {
            Ok(k) => k,
            Err(e) => return ctx.fail(&e),
        };
        multi_kind = kinds.len() > 1 || p.positional[0] == "all";
        let names: Vec<String> = p.positional[1..].to_vec();
        for k in kinds {
            requests.push((k, names.clone()));
        }
    }
    let wide = output == "wide";
    let store = &ctx.world.store;
    let mut found: Vec<(Kind, Vec<&Value>)> = Vec::new();
    let mut errors = Vec::new();
    let single_object = requests.len() == 1 && requests[0].1.len() == 1;
    for (kind, names) in &requests {
        let ns = if kind.namespaced() {
            Some(namespace.as_str())
        } else {
            None
        };
        let mut objs = Vec::new();
        if names.is_empty() {
            let list_ns = if all_ns { None } else { ns };
            for o in store.list(*kind, list_ns) {
                if selector.as_ref().is_none_or(|s| selector_matches(s, o)) {
                    objs.push(o);
                }
            }
        } else {
            for n in names {
                match store.get(*kind, ns.unwrap_or(""), n) {
                    Some(o) => objs.push(o),
                    None if p.flag("ignore-not-found") => {}
                    None => errors.push(ApiError::not_found(*kind, n).to_string()),
                }
            }
        }
        found.push((*kind, objs));
    }
    if let Some(path) = p.get("sort-by") {
        for (_, objs) in &mut found {
            if let Err(e) = sort_by(objs, path) {
                return ctx.fail(&e);
            }
        }
    }
    let total: usize = found.iter().map(|(_, o)| o.len()).sum();
    match output.as_str() {
        "yaml" | "json" => {
            let value = if single_object && total == 1 {
                found
                    .iter()
                    .flat_map(|(_, o)| o.iter())
                    .next()
                    .map(|o| (*o).clone())
                    .unwrap_or_default()
            } else {
                let items: Vec<Value> = found
                    .iter()
                    .flat_map(|(_, o)| o.iter().map(|v| (*v).clone()))
                    .collect();
                json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
            };
            if total > 0 || !single_object {
                ctx.io.print(&if output == "yaml" {
                    to_yaml(&value)
                } else {
                    to_json_pretty(&value)
                });
            }
        }
        "name" => {
            for (kind, objs) in &found {
                for o in objs {
                    let name = o
                        .ptr("/metadata/name")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    ctx.io.print(&format!("{}\n", kind_slash_name(*kind, name)));
                }
            }
        }
        o if o.starts_with("jsonpath") || o.starts_with("custom-columns") => {
            let template = o.split_once('=').map_or("", |(_, t)| t);
            let value = if single_object && total == 1 {
                found
                    .iter()
                    .flat_map(|(_, o)| o.iter())
                    .next()
                    .map(|o| (*o).clone())
                    .unwrap_or_default()
            } else {
                let items: Vec<Value> = found
                    .iter()
                    .flat_map(|(_, o)| o.iter().map(|v| (*v).clone()))
                    .collect();
                json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
            };
            let result = if o.starts_with("jsonpath") {
                jsonpath(template, &value)
            } else {
                let all: Vec<&Value> = found.iter().flat_map(|(_, o)| o.iter().copied()).collect();
                custom_columns(template, &all)
            };
            match result {
                Ok(s) => ctx.io.print(&s),
                Err(e) => return ctx.fail(&e),
            }
        }
        _ => {
            let mut first = true;
            for (kind, objs) in &found {
                if objs.is_empty() {
                    continue;
                }
                if !first {
                    ctx.io.print("\n");
                }
                first = false;
                let mut lines = Vec::new();
                let with_ns = all_ns && kind.namespaced();
                if !p.flag("no-headers") {
                    let mut h: Vec<String> = Vec::new();
                    if with_ns {
                        h.push("NAMESPACE".to_owned());
                    }
                    h.extend(
                        printers::headers(*kind, wide)
                            .iter()
                            .map(|s| (*s).to_owned()),
                    );
                    if p.flag("show-labels") {
                        h.push("LABELS".to_owned());
                    }
                    lines.push(h);
                }
                let show_labels = p.flag("show-labels");
                lines.reserve(objs.len());
                // A whole list of pods prints the rows the store keeps (`api::table`): same
                // cells, without walking thousands of pods' JSON.
                let whole_list = *kind == Kind::Pod
                    && selector.is_none()
                    && p.get("sort-by").is_none()
                    && !show_labels
                    && requests
                        .iter()
                        .any(|(k, names)| k == kind && names.is_empty());
                let kept = if whole_list {
                    store.pod_rows((!all_ns).then_some(namespace.as_str()))
                } else {
                    Vec::new()
                };
                if whole_list && kept.len() == objs.len() {
                    let now = store.now_unix();
                    let mut table = printers::Table::default();
                    for header in &lines {
                        header.iter().for_each(|cell| table.cell(cell));
                        table.end_row();
                    }
                    for (ns, name, kept) in kept {
                        if with_ns {
                            table.cell(ns);
                        }
                        if multi_kind {
                            table.cell(&kind_slash_name(*kind, name));
                        } else {
                            table.cell(name);
                        }
                        kept.row.each_cell(now, wide, |cell| table.cell_fmt(cell));
                        table.end_row();
                    }
                    ctx.io.print(&table.render());
                    continue;
                }
                for o in objs {
                    let meta = o.get("metadata");
                    let name = meta
                        .and_then(|m| m.get("name"))
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let mut row = printers::row(store, *kind, o, wide);
                    if *kind != Kind::Event
                        && let Some(cell) = row.first_mut()
                    {
                        *cell = if multi_kind {
                            kind_slash_name(*kind, name)
                        } else {
                            name.to_owned()
                        };
                    }
                    if with_ns {
                        let ns = meta
                            .and_then(|m| m.get("namespace"))
                            .and_then(Value::as_str)
                            .unwrap_or_default();
                        row.insert(0, ns.to_owned());
                    }
                    if show_labels {
                        row.push(printers::format_labels(o.ptr("/metadata/labels")));
                    }
                    lines.push(row);
                }
                ctx.io.print(&render(&lines));
            }
        }
    }
    let any_names = requests.iter().any(|(_, n)| !n.is_empty());
    if total == 0 && !any_names && errors.is_empty() && !matches!(output.as_str(), "yaml" | "json")
    {
        let cluster_scoped = requests.iter().all(|(k, _)| !k.namespaced());
        if all_ns || cluster_scoped {
            ctx.io.eprint("No resources found\n");
        } else {
            ctx.io
                .eprint(&format!("No resources found in {namespace} namespace.\n"));
        }
    }
    for e in errors {
        ctx.fail_raw(&e);
    }
}

/// kubectl's JSONPath templates, the parts people type: `{.a.b}`, `{.items[*].metadata.name}`,
/// `{.items[0].x}`, `{.a['b.c']}`, text outside braces, `{"\n"}`, and
/// `{range .items[*]}...{end}`.
pub fn jsonpath(template: &str, root: &Value) -> Result<String, String> {
    let template = template.trim_matches('\'');
    let nodes = parse_template(template)?;
    let mut out = String::new();
    render_nodes(&nodes, root, root, &mut out)?;
    Ok(out)
}

/// Parses a JSONPath template only, for printers that check it before they print.
pub fn check_jsonpath(template: &str) -> Result<(), String> {
    parse_template(template.trim_matches('\'')).map(drop)
}

enum Node {
    Text(String),
    Expr(String),
    Range(String, Vec<Node>),
}

/// How deeply `{range}` may nest (the renderer recurses once per level).
const MAX_RANGE_DEPTH: usize = 8;

fn parse_template(template: &str) -> Result<Vec<Node>, String> {
    // A stack of open ranges instead of recursion.
    let mut stack: Vec<(Option<String>, Vec<Node>)> = vec![(None, Vec::new())];
    let mut rest = template;
    loop {
        let Some(start) = rest.find('{') else {
            if !rest.is_empty()
                && let Some((_, nodes)) = stack.last_mut()
            {
                nodes.push(Node::Text(rest.to_owned()));
            }
            break;
        };
        if start > 0
            && let Some((_, nodes)) = stack.last_mut()
        {
            nodes.push(Node::Text(rest[..start].to_owned()));
        }
        let Some(end) = rest[start..].find('}') else {
            return Err(format!(
                "error parsing jsonpath {template}, unclosed action"
            ));
        };
        let action = rest[start + 1..start + end].trim();
        rest = &rest[start + end + 1..];
        let range = action
            .strip_prefix("range")
            .filter(|e| e.starts_with(' ') || e.starts_with('.') || e.starts_with('$'));
        if let Some(expr) = range {
            if stack.len() > MAX_RANGE_DEPTH {
                return Err(format!(
                    "error parsing jsonpath {template}, too many nested ranges"
                ));
            }
            stack.push((Some(expr.trim().to_owned()), Vec::new()));
        } else if action == "end" {
            let Some((Some(expr), body)) = stack.pop() else {
                return Err(format!(
                    "error parsing jsonpath {template}, not in range, nothing to end"
                ));
            };
            if let Some((_, nodes)) = stack.last_mut() {
                nodes.push(Node::Range(expr, body));
            }
        } else if let Some(lit) = action.strip_prefix('"').and_then(|e| e.strip_suffix('"')) {
            if let Some((_, nodes)) = stack.last_mut() {
                nodes.push(Node::Text(lit.replace("\\n", "\n").replace("\\t", "\t")));
            }
        } else if let Some((_, nodes)) = stack.last_mut() {
            nodes.push(Node::Expr(action.to_owned()));
        }
    }
    if stack.len() != 1 {
        return Err(format!("error parsing jsonpath {template}, unclosed range"));
    }
    Ok(stack.pop().map(|(_, n)| n).unwrap_or_default())
}

fn render_nodes(
    nodes: &[Node],
    root: &Value,
    current: &Value,
    out: &mut String,
) -> Result<(), String> {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Expr(e) => {
                let base = if e.starts_with('$') { root } else { current };
                let texts: Vec<String> = eval_path(e, base)?.iter().map(value_text).collect();
                out.push_str(&texts.join(" "));
            }
            Node::Range(e, body) => {
                let base = if e.starts_with('$') { root } else { current };
                for item in eval_path(e, base)? {
                    render_nodes(body, root, &item, out)?;
                }
            }
        }
    }
    Ok(())
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => crate::yaml::to_json_compact(other),
    }
}

/// `-o custom-columns=NAME:.metadata.name,IP:.status.podIP`.
fn custom_columns(spec: &str, objects: &[&Value]) -> Result<String, String> {
    let mut headers = Vec::new();
    let mut paths = Vec::new();
    for col in spec.split(',') {
        let Some((h, path)) = col.split_once(':') else {
            return Err(format!(
                "unexpected custom-columns spec: {col}, expected <header>:<json-path-expr>"
            ));
        };
        headers.push(h.to_owned());
        paths.push(
            path.trim_start_matches('{')
                .trim_end_matches('}')
                .to_owned(),
        );
    }
    let mut lines = vec![headers];
    for o in objects {
        let mut row = Vec::new();
        for path in &paths {
            let values = eval_path(path, o)?;
            let text: Vec<String> = values.iter().map(value_text).collect();
            row.push(if text.is_empty() {
                "<none>".to_owned()
            } else {
                text.join(",")
            });
        }
        lines.push(row);
    }
    Ok(render(&lines))
}

/// `--sort-by=.metadata.name`: numbers by value, everything else by text.
fn sort_by(objects: &mut [&Value], path: &str) -> Result<(), String> {
    let path = path.trim_start_matches('{').trim_end_matches('}');
    let mut keyed: Vec<(Option<f64>, String, &Value)> = Vec::new();
    for o in objects.iter() {
        let v = eval_path(path, o)?
            .into_iter()
            .next()
            .unwrap_or(Value::Null);
        keyed.push((v.as_f64(), value_text(&v), o));
    }
    keyed.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        _ => a.1.cmp(&b.1),
    });
    for (slot, (_, _, o)) in objects.iter_mut().zip(keyed) {
        *slot = o;
    }
    Ok(())
}

fn eval_path(expr: &str, root: &Value) -> Result<Vec<Value>, String> {
    let expr = expr.trim();
    let expr = expr.strip_prefix('$').unwrap_or(expr);
    let mut current = vec![root.clone()];
    let mut chars = expr.chars().peekable();
    let mut token = String::new();
    let mut steps: Vec<String> = Vec::new();
    while let Some(c) = chars.next() {
        match c {
            // `{.data.ca\.crt}`: an escaped dot belongs to the key.
            '\\' if chars.peek() == Some(&'.') => {
                chars.next();
                token.push('.');
            }
            '.' => {
                if !token.is_empty() {
                    steps.push(std::mem::take(&mut token));
                }
            }
            '[' => {
                if !token.is_empty() {
                    steps.push(std::mem::take(&mut token));
                }
                let mut inner = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    inner.push(d);
                }
                steps.push(format!("[{inner}]"));
            }
            _ => token.push(c),
        }
    }
    if !token.is_empty() {
        steps.push(token);
    }
    for step in steps {
        let mut next = Vec::new();
        for v in &current {
            if let Some(inner) = step.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                let key = inner.trim_matches('\'').trim_matches('"');
                if inner == "*" {
                    match v {
                        Value::Array(a) => next.extend(a.iter().cloned()),
                        Value::Object(m) => next.extend(m.values().cloned()),
                        _ => {}
                    }
                } else if let Ok(i) = inner.parse::<i64>() {
                    if let Value::Array(a) = v {
                        let idx = if i < 0 { a.len() as i64 + i } else { i };
                        if let Some(x) = usize::try_from(idx).ok().and_then(|i| a.get(i)) {
                            next.push(x.clone());
                        } else {
                            return Err("array index out of bounds".to_owned());
                        }
                    }
                } else if let Some(x) = v.get(key) {
                    next.push(x.clone());
                }
            } else if step == "*" {
                match v {
                    Value::Array(a) => next.extend(a.iter().cloned()),
                    Value::Object(m) => next.extend(m.values().cloned()),
                    _ => {}
                }
            } else if let Some(x) = v.get(&step) {
                next.push(x.clone());
            }
        }
        current = next;
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use crate::cluster::{Cluster, ClusterConfig, Cni};
    use crate::time::SimTime;

    /// The table of every pod in the cluster, once from the rows the store keeps and once
    /// from the pods themselves (a selector that every pod matches takes that path).
    fn both_ways(c: &mut Cluster, args: &str) -> (String, String) {
        let kept = c.exec(&format!("kubectl get {args}"));
        let walked = c.exec(&format!("kubectl get {args} -l '!no-such-label'"));
        assert_eq!(kept.exit_code, 0, "{}", kept.stderr);
        assert_eq!(walked.exit_code, 0, "{}", walked.stderr);
        (kept.stdout, walked.stdout)
    }

    #[test]
    fn whole_pod_lists_print_the_same_rows_as_the_pods_themselves_at_every_stage() {
        let mut c = Cluster::new(3, ClusterConfig { cni: Cni::Calico });
        let steps = [
            "kubectl create deployment web --image=nginx --replicas=3",
            "kubectl run typo --image=nginxx",
            "kubectl run once --image=busybox --restart=Never",
            "kubectl run loop --image=busybox",
            "kubectl create namespace blue",
            "kubectl run probe -n blue --image=nginx",
        ];
        for step in steps {
            let out = c.exec(step);
            assert_eq!(out.exit_code, 0, "{step}: {}", out.stderr);
        }
        let mut seen = Vec::new();
        for seconds in [0, 1, 3, 10, 45, 200, 4000] {
            c.advance_to(SimTime::from_millis(seconds * 1000));
            if seconds == 200 {
                c.exec("kubectl delete pod typo");
                c.exec("kubectl scale deployment web --replicas=1");
            }
            for args in [
                "pods -A",
                "pods -A -o wide",
                "pods",
                "pods -n blue -o wide",
                "pods,services -A",
                "pods --no-headers",
            ] {
                let (kept, walked) = both_ways(&mut c, args);
                assert_eq!(kept, walked, "at {seconds}s with `{args}`");
                seen.push(kept);
            }
        }
        let all = seen.concat();
        for status in [
            "ContainerCreating",
            "Running",
            "ErrImagePull",
            "ImagePullBackOff",
        ] {
            assert!(all.contains(status), "no pod was {status}:\n{all}");
        }
        assert!(all.contains("CrashLoopBackOff") || all.contains("Completed"));
        assert!(
            all.contains(" ago)"),
            "no restart was shown with its age:\n{all}"
        );
    }

    #[test]
    fn recorded_events_list_and_print_like_any_object() {
        let mut c = Cluster::new(5, ClusterConfig { cni: Cni::Calico });
        c.exec("kubectl create deployment web --image=nginx --replicas=2");
        c.settle();
        let table = c.exec("kubectl get events");
        assert_eq!(table.exit_code, 0, "{}", table.stderr);
        let lines: Vec<&str> = table.stdout.lines().collect();
        assert!(
            lines[0].starts_with("LAST SEEN   TYPE     REASON"),
            "{}",
            table.stdout
        );
        for needle in [
            "ScalingReplicaSet",
            "SuccessfulCreate",
            "Successfully assigned default/web-",
            "Started container nginx",
        ] {
            assert!(table.stdout.contains(needle), "{needle}:\n{}", table.stdout);
        }
        let yaml = c.exec("kubectl get events -o yaml").stdout;
        let events = yaml.matches("\n- apiVersion: v1\n").count();
        assert_eq!(events + 1, lines.len(), "{yaml}");
        for needle in [
            "  count: 1\n",
            "  eventTime: null\n",
            "    host: worker",
            "  reportingComponent: kubelet\n",
            "  reportingInstance: \"\"\n",
            "    resourceVersion: \"",
        ] {
            assert!(yaml.contains(needle), "{needle}:\n{yaml}");
        }
    }
}
