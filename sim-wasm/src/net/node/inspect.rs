//! `sudo docker inspect [-f FORMAT] ID|NAME...` on a node: Docker's JSON for the pod
//! containers cri-dockerd made there, in Docker's field order and 4-space indentation, and
//! the common Go-template fields of `--format` (`{{.HostConfig.NetworkMode}}`,
//! `{{.State.Pid}}`, `{{json .State}}`).
//!
//! The point of the pause lesson is in `HostConfig.NetworkMode`: cri-dockerd starts the
//! sandbox (pause) container with `none` (the CNI plugin then wires its network namespace)
//! and every app container of the pod with `container:<sandbox id>`, i.e. in the pause
//! container's namespace; host-network pods get `host`. Knows the node's containers as
//! `docker_rows` lists them; nothing about the cluster's objects.

use super::{DockerRow, NodeOutput, NodeView, docker_rows, err, ok, short_id};
use crate::time::rfc3339;

/// A JSON value that keeps its keys in the order Docker prints them.
enum J {
    Null,
    Bool(bool),
    Num(i64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

fn s(text: impl Into<String>) -> J {
    J::Str(text.into())
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

/// Go's `json.MarshalIndent(v, "", "    ")`.
fn write_indented(v: &J, depth: usize, out: &mut String) {
    let pad = "    ".repeat(depth + 1);
    let close = "    ".repeat(depth);
    match v {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(n) => out.push_str(&n.to_string()),
        J::Str(t) => out.push_str(&quote(t)),
        J::Arr(items) if items.is_empty() => out.push_str("[]"),
        J::Obj(fields) if fields.is_empty() => out.push_str("{}"),
        J::Arr(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                write_indented(item, depth + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&close);
            out.push(']');
        }
        J::Obj(fields) => {
            out.push_str("{\n");
            for (i, (key, item)) in fields.iter().enumerate() {
                out.push_str(&pad);
                out.push_str(&quote(key));
                out.push_str(": ");
                write_indented(item, depth + 1, out);
                out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
            }
            out.push_str(&close);
            out.push('}');
        }
    }
}

/// Go's `json.Marshal` (what `{{json .X}}` prints).
fn write_compact(v: &J, out: &mut String) {
    match v {
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        J::Obj(fields) => {
            out.push('{');
            for (i, (key, item)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&quote(key));
                out.push(':');
                write_compact(item, out);
            }
            out.push('}');
        }
        other => write_indented(other, 0, out),
    }
}

/// What Go's template prints for a value without `json`: strings raw, maps as `map[k:v]`.
fn write_plain(v: &J, out: &mut String) {
    match v {
        J::Null => out.push_str("<no value>"),
        J::Str(t) => out.push_str(t),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_plain(item, out);
            }
            out.push(']');
        }
        J::Obj(fields) => {
            // Go prints a map with its keys sorted.
            let mut sorted: Vec<&(&str, J)> = fields.iter().collect();
            crate::sort::sort_by_key(&mut sorted, |(k, _)| *k);
            out.push_str("map[");
            for (i, (key, item)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(key);
                out.push(':');
                write_plain(item, out);
            }
            out.push(']');
        }
        other => write_indented(other, 0, out),
    }
}

fn get<'a>(v: &'a J, path: &str) -> Option<&'a J> {
    path.split('.')
        .filter(|p| !p.is_empty())
        .try_fold(v, |v, key| match v {
            J::Obj(fields) => fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        })
}

/// Expands `{{.A.B}}` and `{{json .A}}` in `format` for one container.
fn render(format: &str, v: &J) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = format;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err("template parsing error: template: :1: unclosed action\n".to_owned());
        };
        let action = after[..end].trim();
        let (json, path) = match action.strip_prefix("json ") {
            Some(p) => (true, p.trim()),
            None => (false, action),
        };
        let Some(path) = path.strip_prefix('.') else {
            return Err(format!(
                "template parsing error: template: :1: function \"{path}\" not defined\n"
            ));
        };
        let Some(found) = get(v, path) else {
            let key = path.rsplit('.').next().unwrap_or(path);
            return Err(format!(
                "template: :1:{}: executing \"\" at <.{path}>: map has no entry for key \"{key}\"\n",
                start + 2
            ));
        };
        if json {
            write_compact(found, &mut out);
        } else {
            write_plain(found, &mut out);
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out.replace("\\t", "\t").replace("\\n", "\n"))
}

/// Docker's `RFC3339Nano` with a deterministic fraction that starts with `lead` (so that a
/// container is started after it is created within the same second).
fn nano_time(unix: i64, seed: &str, lead: char) -> String {
    let fraction: String = std::iter::once(lead)
        .chain(short_id(seed, 8).bytes().map(|b| char::from(b'0' + b % 10)))
        .collect();
    let base = rfc3339(unix);
    let date = base.strip_suffix('Z').unwrap_or(&base);
    format!("{date}.{fraction}Z")
}

/// The entrypoint and arguments an image's container runs (the full form of `docker ps`'s
/// truncated COMMAND).
fn path_and_args(image: &str, command: &str) -> (String, Vec<String>) {
    let (repository, _) = crate::net::apps::split_image(image);
    let words: &[&str] = match repository {
        "registry.k8s.io/pause" => &["/pause"],
        "gasbugs/http-go" => &["./main"],
        "jenkins/jenkins" => &["/usr/bin/tini", "--", "/usr/local/bin/jenkins.sh"],
        "nginx" => &["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
        "httpd" => &["httpd-foreground"],
        "tomcat" => &["catalina.sh", "run"],
        "redis" => &["docker-entrypoint.sh", "redis-server"],
        "mysql" => &["docker-entrypoint.sh", "mysqld"],
        "curlimages/curl" => &["/entrypoint.sh", "curl"],
        _ => &[],
    };
    let words: Vec<String> = if words.is_empty() {
        command
            .trim_matches('"')
            .trim_end_matches('…')
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    } else {
        words.iter().map(|w| (*w).to_owned()).collect()
    };
    let mut words = words.into_iter();
    let path = words.next().unwrap_or_else(|| "/bin/sh".to_owned());
    (path, words.collect())
}

fn document(view: &NodeView<'_>, row: &DockerRow) -> J {
    let id = short_id(&row.name, 64);
    let host_network = view
        .net
        .pods
        .iter()
        .any(|p| p.namespace == row.namespace && p.name == row.pod && p.host_network);
    // cri-dockerd's modifyHostOptionsForSandbox / modifyHostOptionsForContainer: only the
    // sandbox of a hostNetwork pod gets `host`; app containers always join the sandbox
    // (`container:<id>`), hostNetwork or not.
    let network_mode = match &row.sandbox {
        None if host_network => "host".to_owned(),
        None => "none".to_owned(),
        Some(sandbox) => format!("container:{}", short_id(sandbox, 64)),
    };
    let (path, args) = path_and_args(&row.reference, &row.command);
    let started = nano_time(row.created, &format!("{}-started", row.name), '5');
    let pid = 1000 + i64::from(u16::from_str_radix(&id[..4], 16).unwrap_or(0)) % 60_000;
    let image_id = short_id(&row.reference, 64);
    let log_path = format!("/var/lib/docker/containers/{id}/{id}-json.log");
    let container_name = row.name.split('_').nth(1).unwrap_or_default().to_owned();
    let mut labels = vec![
        ("io.kubernetes.pod.name", s(&row.pod)),
        ("io.kubernetes.pod.namespace", s(&row.namespace)),
        ("io.kubernetes.pod.uid", s(&row.uid)),
    ];
    if row.sandbox.is_some() {
        labels.insert(0, ("io.kubernetes.container.name", s(container_name)));
    } else {
        labels.push(("io.kubernetes.docker.type", s("podsandbox")));
    }
    J::Arr(vec![J::Obj(vec![
        ("Id", s(&id)),
        (
            "Created",
            s(nano_time(
                row.created,
                &format!("{}-created", row.name),
                '1',
            )),
        ),
        ("Path", s(path)),
        ("Args", J::Arr(args.into_iter().map(J::Str).collect())),
        (
            "State",
            J::Obj(vec![
                ("Status", s("running")),
                ("Running", J::Bool(true)),
                ("Paused", J::Bool(false)),
                ("Restarting", J::Bool(false)),
                ("OOMKilled", J::Bool(false)),
                ("Dead", J::Bool(false)),
                ("Pid", J::Num(pid)),
                ("ExitCode", J::Num(0)),
                ("Error", s("")),
                ("StartedAt", s(started)),
                ("FinishedAt", s("0001-01-01T00:00:00Z")),
            ]),
        ),
        ("Image", s(format!("sha256:{image_id}"))),
        (
            "ResolvConfPath",
            s(format!("/var/lib/docker/containers/{id}/resolv.conf")),
        ),
        (
            "HostnamePath",
            s(format!("/var/lib/docker/containers/{id}/hostname")),
        ),
        (
            "HostsPath",
            s(format!("/var/lib/docker/containers/{id}/hosts")),
        ),
        ("LogPath", s(log_path)),
        ("Name", s(format!("/{}", row.name))),
        ("RestartCount", J::Num(0)),
        ("Driver", s("overlay2")),
        ("Platform", s("linux")),
        ("MountLabel", s("")),
        ("ProcessLabel", s("")),
        ("AppArmorProfile", s("")),
        (
            "HostConfig",
            J::Obj(vec![
                ("Binds", J::Null),
                ("ContainerIDFile", s("")),
                (
                    "LogConfig",
                    J::Obj(vec![("Type", s("json-file")), ("Config", J::Obj(vec![]))]),
                ),
                ("NetworkMode", s(network_mode)),
                ("PortBindings", J::Obj(vec![])),
                (
                    "RestartPolicy",
                    J::Obj(vec![("Name", s("no")), ("MaximumRetryCount", J::Num(0))]),
                ),
                ("AutoRemove", J::Bool(false)),
                (
                    "IpcMode",
                    s(match &row.sandbox {
                        None => "shareable".to_owned(),
                        Some(sandbox) => format!("container:{}", short_id(sandbox, 64)),
                    }),
                ),
                ("Privileged", J::Bool(false)),
            ]),
        ),
        (
            "Config",
            J::Obj(vec![
                ("Hostname", s(&row.pod)),
                ("Image", s(&row.reference)),
                ("Labels", J::Obj(labels)),
            ]),
        ),
    ])])
}

/// `docker inspect [-f|--format FORMAT] [--type container] NAME|ID...` (after `inspect`).
pub(super) fn inspect(view: &NodeView<'_>, args: &[String]) -> NodeOutput {
    let mut format: Option<String> = None;
    let mut targets: Vec<&str> = Vec::new();
    let mut words = args.iter();
    while let Some(a) = words.next() {
        match a.as_str() {
            "-f" | "--format" => format = words.next().cloned(),
            "--type" => {
                words.next();
            }
            other if other.starts_with("--format=") => {
                format = Some(other["--format=".len()..].to_owned());
            }
            other if other.starts_with('-') => {}
            other => targets.push(other),
        }
    }
    if targets.is_empty() {
        return err(
            "\"docker inspect\" requires at least 1 argument.\nSee 'docker inspect --help'.\n\nUsage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]\n\nReturn low-level information on Docker objects\n",
            1,
        );
    }
    let rows = docker_rows(view);
    let mut found: Vec<J> = Vec::new();
    let mut missing: Vec<&str> = Vec::new();
    for target in targets {
        let name = target.strip_prefix('/').unwrap_or(target);
        let row = rows.iter().find(|r| r.name == name).or_else(|| {
            let matches: Vec<&DockerRow> = rows
                .iter()
                .filter(|r| short_id(&r.name, 64).starts_with(target))
                .collect();
            match matches.as_slice() {
                [one] => Some(*one),
                _ => None,
            }
        });
        match row {
            Some(row) => {
                if let J::Arr(mut one) = document(view, row) {
                    found.append(&mut one);
                }
            }
            None => missing.push(target),
        }
    }
    let mut stdout = String::new();
    match &format {
        Some(f) => {
            for doc in &found {
                match render(f, doc) {
                    Ok(line) => {
                        stdout.push_str(&line);
                        stdout.push('\n');
                    }
                    Err(e) => {
                        let mut out = err(e, 1);
                        out.stdout = stdout;
                        return out;
                    }
                }
            }
        }
        None => {
            write_indented(&J::Arr(found), 0, &mut stdout);
            stdout.push('\n');
        }
    }
    if missing.is_empty() {
        return ok(stdout);
    }
    let mut out = err(
        missing
            .iter()
            .map(|m| format!("Error: No such object: {m}\n"))
            .collect::<String>(),
        1,
    );
    out.stdout = stdout;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_templates_print_strings_raw_and_json_compactly() {
        let doc = J::Obj(vec![
            ("Name", s("/k8s_web")),
            (
                "State",
                J::Obj(vec![("Pid", J::Num(4242)), ("Running", J::Bool(true))]),
            ),
        ]);
        assert_eq!(
            render("{{.Name}} {{.State.Pid}}", &doc).as_deref(),
            Ok("/k8s_web 4242")
        );
        assert_eq!(
            render("{{json .State}}", &doc).as_deref(),
            Ok("{\"Pid\":4242,\"Running\":true}")
        );
        assert_eq!(
            render("{{.State}}", &doc).as_deref(),
            Ok("map[Pid:4242 Running:true]")
        );
        assert!(
            render("{{.Nope}}", &doc)
                .is_err_and(|e| e.contains("map has no entry for key \"Nope\""))
        );
    }

    #[test]
    fn json_is_indented_with_four_spaces_as_docker_prints_it() {
        let mut out = String::new();
        write_indented(
            &J::Arr(vec![J::Obj(vec![
                ("Args", J::Arr(vec![])),
                ("Id", s("ab")),
            ])]),
            0,
            &mut out,
        );
        assert_eq!(
            out,
            "[\n    {\n        \"Args\": [],\n        \"Id\": \"ab\"\n    }\n]"
        );
    }
}
