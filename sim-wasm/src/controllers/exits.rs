//! Which containers of a pod exit by themselves soon after starting, with what exit code and
//! what they printed: images whose default command ends at once (a shell without a
//! terminal, a CLI such as curl without a URL), and servers that cannot bind their port
//! because an earlier container of the same pod already listens on it (all containers share
//! the pause container's network namespace, so a second `gasbugs/http-go` dies with Go's
//! `listen tcp :8080: bind: address already in use`, exit code 1).
//!
//! Containers start in spec order, so the *later* of two clashing servers is the one that
//! fails. Knows the pod spec and the image catalogue; it does not know the clock or the
//! status the kubelet writes (that is `kubelet.rs`).

use serde_json::Value;

use crate::api::Ptr;

use crate::net::apps;

/// How one container run ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exit {
    /// The process's exit code: 0 is `Completed`, anything else `Error`.
    pub code: i64,
    /// What the run printed (`kubectl logs`), without a trailing newline; may be empty.
    pub log: String,
}

impl Exit {
    /// The terminated state's `reason`, as the kubelet reports it.
    pub fn reason(&self) -> &'static str {
        if self.code == 0 { "Completed" } else { "Error" }
    }

    /// Whether the kubelet starts the container again under `restart_policy`.
    pub fn restarts(&self, restart_policy: &str) -> bool {
        match restart_policy {
            "Never" => false,
            "OnFailure" => self.code != 0,
            _ => true,
        }
    }
}

/// Images whose default command ends at once (a shell with no terminal, a CLI): without a
/// long-running command of their own, their containers complete and, under
/// `restartPolicy: Always`, crash-loop — the classic `kubectl run busybox --image=busybox`.
const RUN_TO_COMPLETION: &[&str] = &[
    "busybox",
    "alpine",
    "ubuntu",
    "debian",
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "oraclelinux",
    "archlinux",
    "bash",
    "hello-world",
    "python",
    "node",
    "golang",
    "ruby",
    "perl",
    "rust",
    "openjdk",
    "curlimages/curl",
    "nicolaka/netshoot",
];

/// Words that make a command keep running (`sleep 3600`, `tail -f /dev/null`, a loop).
const LONG_RUNNING: &[&str] = &[
    "sleep",
    "tail -f",
    "while true",
    "while :",
    "infinity",
    "nc -l",
    "httpd",
    "http.server",
    "nginx",
    "watch",
    "serve",
    "--listen",
    "-l -p",
];

/// What curl 8 prints when it is given no URL (it then exits 2).
const CURL_NO_URL: &str = "curl: try 'curl --help' or 'curl --manual' for more information";

/// The repository of an image reference, without tag, digest or `docker.io/library/`.
fn repository(image: &str) -> &str {
    let repo = image.split('@').next().unwrap_or(image);
    let repo = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    };
    let repo = repo.strip_prefix("docker.io/").unwrap_or(repo);
    repo.strip_prefix("library/").unwrap_or(repo)
}

fn words<'a>(c: &'a Value, key: &str) -> Vec<&'a str> {
    match c.get(key) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// How a container whose image's default command ends at once exits, if it does.
fn completes(c: &Value) -> Option<Exit> {
    if c.get("stdin") == Some(&Value::Bool(true)) && c.get("tty") == Some(&Value::Bool(true)) {
        return None;
    }
    let image = c.get("image").and_then(Value::as_str).unwrap_or_default();
    let repo = repository(image);
    if !RUN_TO_COMPLETION.contains(&repo) {
        return None;
    }
    let command = words(c, "command");
    let args = words(c, "args");
    let line = [command.as_slice(), args.as_slice()].concat().join(" ");
    if LONG_RUNNING.iter().any(|w| line.contains(w)) {
        return None;
    }
    // curlimages/curl's entrypoint runs `curl` with the container's args; with none, curl
    // has no URL and stops with a usage hint.
    if repo == "curlimages/curl" && command.is_empty() && args.is_empty() {
        return Some(Exit {
            code: 2,
            log: CURL_NO_URL.to_owned(),
        });
    }
    Some(Exit {
        code: 0,
        log: String::new(),
    })
}

/// Every container of `pod` that exits soon after it starts: `(index in spec.containers,
/// how it exits)`, in spec order.
pub fn exits(pod: &Value) -> Vec<(usize, Exit)> {
    let containers: &[Value] = pod
        .at(&["spec", "containers"])
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let mut found: Vec<(usize, Exit)> = containers
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((i, completes(c)?)))
        .collect();
    // Only servers started with the image's own command listen on the catalogue's ports;
    // a container that completes listens on nothing.
    let is_server =
        |(i, c): &(usize, &Value)| c.get("command").is_none() && !found.iter().any(|(j, _)| j == i);
    // One server cannot clash with itself; most pods have one, and the kubelet asks this
    // of every pod on every pass, so neither the catalogue nor a list of servers is made
    // for them.
    if containers
        .iter()
        .enumerate()
        .filter(is_server)
        .nth(1)
        .is_none()
    {
        crate::sort::sort_by_key(&mut found, |(i, _)| *i);
        return found;
    }
    let servers: Vec<(&str, &str)> = containers
        .iter()
        .enumerate()
        .filter(is_server)
        .map(|(_, c)| {
            (
                c.get("name").and_then(Value::as_str).unwrap_or_default(),
                c.get("image").and_then(Value::as_str).unwrap_or_default(),
            )
        })
        .collect();
    for (name, _port, line) in apps::port_conflicts(&servers) {
        if let Some(i) = containers
            .iter()
            .position(|c| c.get("name").and_then(Value::as_str) == Some(name.as_str()))
        {
            found.push((i, Exit { code: 1, log: line }));
        }
    }
    crate::sort::sort_by_key(&mut found, |(i, _)| *i);
    found
}

/// What container `name` of `pod` printed in its last run, if it exits by itself.
pub fn log_of(pod: &Value, name: &str) -> Option<String> {
    let containers = pod.at(&["spec", "containers"]).and_then(Value::as_array)?;
    let index = containers
        .iter()
        .position(|c| c.get("name").and_then(Value::as_str) == Some(name))?;
    exits(pod)
        .into_iter()
        .find(|(i, _)| *i == index)
        .map(|(_, e)| e.log)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(containers: Value) -> Value {
        json!({"spec": {"containers": containers}})
    }

    #[test]
    fn the_second_of_two_http_go_containers_fails_to_bind_8080() {
        let p = pod(json!([
            {"name": "web1", "image": "gasbugs/http-go"},
            {"name": "web2", "image": "gasbugs/http-go:v1"}
        ]));
        let found = exits(&p);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 1);
        assert_eq!(found[0].1.code, 1);
        assert_eq!(found[0].1.reason(), "Error");
        assert_eq!(
            found[0].1.log,
            "listen tcp :8080: bind: address already in use"
        );
    }

    #[test]
    fn curl_without_a_url_exits_2_with_its_usage_hint() {
        let p = pod(json!([
            {"name": "web", "image": "gasbugs/http-go"},
            {"name": "client", "image": "curlimages/curl"}
        ]));
        assert_eq!(
            exits(&p),
            vec![(
                1,
                Exit {
                    code: 2,
                    log: CURL_NO_URL.to_owned()
                }
            )]
        );
        assert_eq!(log_of(&p, "client").as_deref(), Some(CURL_NO_URL));
        assert_eq!(log_of(&p, "web"), None);
    }

    #[test]
    fn a_sleeping_sidecar_and_a_server_both_keep_running() {
        let p = pod(json!([
            {"name": "web", "image": "gasbugs/http-go"},
            {"name": "client", "image": "curlimages/curl", "command": ["sleep", "3600"]}
        ]));
        assert!(exits(&p).is_empty());
    }

    #[test]
    fn a_busybox_without_a_command_completes_with_exit_code_0() {
        let p = pod(json!([{"name": "b", "image": "busybox:1.28"}]));
        assert_eq!(exits(&p)[0].1.reason(), "Completed");
        let tty = pod(json!([{"name": "b", "image": "busybox", "stdin": true, "tty": true}]));
        assert!(exits(&tty).is_empty());
    }

    #[test]
    fn on_failure_restarts_only_failed_runs() {
        let ok = Exit {
            code: 0,
            log: String::new(),
        };
        let bad = Exit {
            code: 1,
            log: String::new(),
        };
        assert!(ok.restarts("Always") && bad.restarts("Always"));
        assert!(!ok.restarts("OnFailure") && bad.restarts("OnFailure"));
        assert!(!ok.restarts("Never") && !bad.restarts("Never"));
    }
}
