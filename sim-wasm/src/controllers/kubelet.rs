//! The scheduler (a node for every unscheduled pod: taints, nodeSelector, fewest pods) and
//! the kubelet (pod IP from the node's CNI block, Pending → ContainerCreating → Running on
//! the virtual clock, readiness, image pull failures).
//!
//! Which images "exist": the registry is not reachable from a simulator, so we judge by
//! name. An image in a registry (`registry.k8s.io/...`, `ghcr.io/...`) or under a user or
//! organisation (`gasbugs/http-go`, `jenkins/jenkins`) is assumed to exist, since we cannot
//! know better and course images live there. A bare name (`nginx`, `ngnix`) is a Docker
//! official image and must be one of [`OFFICIAL_IMAGES`]; anything else — typically a typo —
//! fails with `ErrImagePull` then `ImagePullBackOff`, as Docker Hub would answer.

use crate::api::Ptr;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::events;
use super::workloads::{fits, name_of, ns_of};
use crate::api::Kind;
use crate::commands::World;
use crate::store::NODES;
use crate::time::rfc3339;

/// Docker Hub's official images (`docker.io/library/...`) the course or its students are
/// likely to type.
const OFFICIAL_IMAGES: &[&str] = &[
    "alpine",
    "amazoncorretto",
    "busybox",
    "caddy",
    "centos",
    "consul",
    "couchdb",
    "debian",
    "docker",
    "eclipse-temurin",
    "elasticsearch",
    "fedora",
    "golang",
    "haproxy",
    "httpd",
    "jenkins",
    "kibana",
    "mariadb",
    "memcached",
    "mongo",
    "mysql",
    "nats",
    "neo4j",
    "nginx",
    "node",
    "openjdk",
    "perl",
    "php",
    "postgres",
    "python",
    "rabbitmq",
    "redis",
    "registry",
    "ruby",
    "rust",
    "tomcat",
    "traefik",
    "ubuntu",
    "vault",
    "wordpress",
    "zookeeper",
    "hello-world",
    "bash",
    "nextcloud",
    "ghost",
    "influxdb",
    "telegraf",
    "sonarqube",
    "maven",
    "gradle",
    "swift",
    "erlang",
    "elixir",
    "julia",
    "r-base",
    "kong",
    "solr",
    "cassandra",
    "percona",
    "adminer",
    "phpmyadmin",
    "drupal",
    "joomla",
    "odoo",
    "redmine",
    "rockylinux",
    "almalinux",
    "oraclelinux",
    "amazonlinux",
    "archlinux",
    "clearlinux",
    "photon",
    "nats",
];

/// Seconds from scheduling until the containers run (image pull + create + start).
const START_DELAY: i64 = 3;
/// Seconds from `ErrImagePull` until the kubelet reports `ImagePullBackOff`.
const BACKOFF_DELAY: i64 = 10;

/// Whether the simulated registry has `image` (see the module doc).
pub fn image_is_known(image: &str) -> bool {
    let without_digest = image.split('@').next().unwrap_or(image);
    let (repo, tag) = match without_digest.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, Some(t)),
        _ => (without_digest, None),
    };
    if repo.is_empty() || repo != repo.to_ascii_lowercase() || tag.is_some_and(|t| t.is_empty()) {
        return false;
    }
    let repo = repo
        .strip_prefix("docker.io/library/")
        .or_else(|| repo.strip_prefix("library/"))
        .unwrap_or(repo);
    if repo.contains('/') {
        return true;
    }
    OFFICIAL_IMAGES.contains(&repo)
}

fn condition(ty: &str, ok: bool, at: &str) -> Value {
    json!({"type": ty, "status": if ok { "True" } else { "False" },
        "lastProbeTime": null, "lastTransitionTime": at})
}

pub(super) fn schedule(world: &mut World) -> bool {
    let mut changed = false;
    let unscheduled: Vec<Value> = world
        .store
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| p.ptr("/spec/nodeName").is_none())
        .cloned()
        .collect();
    if unscheduled.is_empty() {
        return false;
    }
    // Pods per node (host-network pods do not count: they take no pod address).
    let mut loads: BTreeMap<String, usize> = BTreeMap::new();
    for p in world.store.list(Kind::Pod, None) {
        if let Some(node) = p.ptr("/spec/nodeName").and_then(Value::as_str)
            && p.ptr("/spec/hostNetwork") != Some(&json!(true))
        {
            *loads.entry(node.to_owned()).or_default() += 1;
        }
    }
    for pod in unscheduled {
        let spec = pod.get("spec").cloned().unwrap_or_default();
        let nodes: Vec<Value> = world
            .store
            .list(Kind::Node, None)
            .into_iter()
            .filter(|n| fits(&spec, n))
            .cloned()
            .collect();
        let now = rfc3339(world.store.now_unix());
        if nodes.is_empty() {
            let status = json!({"phase": "Pending", "conditions": [{
                "type": "PodScheduled", "status": "False", "lastProbeTime": null,
                "lastTransitionTime": now, "reason": "Unschedulable",
                "message": "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."}],
                "qosClass": "BestEffort"});
            if pod.get("status") != Some(&status) {
                let mut p = pod.clone();
                p["status"] = status;
                changed |= matches!(world.store.update(Kind::Pod, p), Ok(true));
            }
            continue;
        }
        let load = |n: &Value| loads.get(&name_of(n)).copied().unwrap_or(0);
        let least = nodes.iter().map(load).min().unwrap_or(0);
        let candidates: Vec<&Value> = nodes.iter().filter(|n| load(n) == least).collect();
        let pick = world.rng.below(candidates.len().max(1) as u32) as usize;
        let Some(node) = candidates.get(pick).map(|n| name_of(n)) else {
            continue;
        };
        *loads.entry(node.clone()).or_default() += 1;
        let mut p = pod.clone();
        p["spec"]["nodeName"] = json!(node);
        p["status"] = json!({"phase": "Pending", "conditions": [condition("PodScheduled", true, &now)],
            "qosClass": "BestEffort"});
        if matches!(world.store.update(Kind::Pod, p.clone()), Ok(true)) {
            changed = true;
            events::record(
                world,
                &p,
                "Normal",
                "Scheduled",
                &format!(
                    "Successfully assigned {}/{} to {node}",
                    ns_of(&p),
                    name_of(&p)
                ),
                "default-scheduler",
            );
        }
    }
    changed
}

fn node_ip(node: &str) -> &'static str {
    NODES.iter().find(|n| n.name == node).map_or("", |n| n.ip)
}

fn ip_text(a: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
}

/// The lowest free address of the node's block (Flannel and Weave keep the first for the
/// bridge; Calico's block address is the node's tunnel address).
fn used_pod_ips(world: &World) -> BTreeSet<String> {
    world
        .store
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| p.ptr("/spec/hostNetwork") != Some(&json!(true)))
        .filter_map(|p| p.ptr("/status/podIP")?.as_str().map(str::to_owned))
        .collect()
}

fn allocate_pod_ip(world: &World, node: &str, used: &BTreeSet<String>) -> Option<String> {
    let block = world.store.pod_block(node)?;
    let first = match world.store.cni() {
        crate::cluster::Cni::Calico => 1,
        _ => 2,
    };
    (first..block.size().saturating_sub(1))
        .map(|n| ip_text(block.addr(n)))
        .find(|ip| !used.contains(ip))
}

fn hex(world: &mut World, n: usize) -> String {
    let mut s = String::new();
    while s.len() < n {
        s.push_str(&format!("{:08x}", world.rng.next_u32()));
    }
    s.truncate(n);
    s
}

fn created_at(world: &World, pod: &Value) -> i64 {
    let scheduled = pod
        .ptr("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.get("type") == Some(&json!("PodScheduled")))
        })
        .and_then(|c| c.get("lastTransitionTime")?.as_str())
        .and_then(crate::store::parse_rfc3339);
    scheduled.unwrap_or_else(|| world.store.now_unix() - world.store.age_seconds(pod))
}

/// The kubelet on every node: advances each pod's phase by the clock.
pub(super) fn run(world: &mut World) -> bool {
    let mut changed = false;
    let now = world.store.now_unix();
    // Only pods that can still change: not yet running, or running but not ready.
    let candidates: Vec<Value> = world
        .store
        .list(Kind::Pod, None)
        .into_iter()
        .filter(|p| p.ptr("/spec/nodeName").is_some())
        .filter(|p| !up_to_date(world, p, now))
        .cloned()
        .collect();
    if candidates.is_empty() {
        return false;
    }
    let mut used = used_pod_ips(world);
    for pod in candidates {
        let Some(node) = pod
            .ptr("/spec/nodeName")
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            continue;
        };
        let phase = pod
            .ptr("/status/phase")
            .and_then(Value::as_str)
            .unwrap_or("Pending");
        if phase == "Running" || phase == "Succeeded" || phase == "Failed" {
            changed |= readiness(world, &pod);
            continue;
        }
        let scheduled = created_at(world, &pod);
        let containers = pod
            .ptr("/spec/containers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let bad_image = containers
            .iter()
            .find(|c| !image_is_known(c.get("image").and_then(Value::as_str).unwrap_or_default()));
        let host_network = pod.ptr("/spec/hostNetwork") == Some(&json!(true));
        let at = rfc3339(now);
        let mut status = pod.get("status").cloned().unwrap_or(json!({}));
        let started_at = rfc3339(scheduled);
        status["hostIP"] = json!(node_ip(&node));
        status["hostIPs"] = json!([{"ip": node_ip(&node)}]);
        status["startTime"] = json!(started_at);
        if status.get("podIP").is_none() && now > scheduled {
            let ip = if host_network {
                Some(node_ip(&node).to_owned())
            } else {
                allocate_pod_ip(world, &node, &used)
            };
            if let Some(ip) = ip {
                used.insert(ip.clone());
                status["podIP"] = json!(ip);
                status["podIPs"] = json!([{"ip": ip}]);
            }
        }
        let waiting = |reason: &str, message: Option<String>| {
            containers
                .iter()
                .map(|c| {
                    let mut state = json!({"reason": reason});
                    if let Some(m) = &message {
                        state["message"] = json!(m);
                    }
                    json!({
                        "name": c.get("name").cloned().unwrap_or_default(),
                        "image": c.get("image").cloned().unwrap_or_default(),
                        "imageID": "",
                        "lastState": {},
                        "ready": false,
                        "restartCount": 0,
                        "started": false,
                        "state": {"waiting": state}
                    })
                })
                .collect::<Vec<_>>()
        };
        let base_conditions = |ready: bool, at: &str| {
            let mut ready_cond = condition("Ready", ready, at);
            let mut containers_ready = condition("ContainersReady", ready, at);
            if !ready {
                let names: Vec<String> = containers
                    .iter()
                    .filter_map(|c| c.get("name")?.as_str().map(str::to_owned))
                    .collect();
                let msg = format!("containers with unready status: [{}]", names.join(" "));
                ready_cond["reason"] = json!("ContainersNotReady");
                ready_cond["message"] = json!(msg);
                containers_ready["reason"] = json!("ContainersNotReady");
                containers_ready["message"] = json!(msg);
            }
            json!([
                condition("PodReadyToStartContainers", now > scheduled, &started_at),
                condition("Initialized", true, &started_at),
                ready_cond,
                containers_ready,
                condition("PodScheduled", true, &started_at)
            ])
        };
        let mut new_events = Vec::new();
        if let Some(bad) = bad_image {
            let image = bad.get("image").and_then(Value::as_str).unwrap_or_default();
            let reason = if now >= scheduled + START_DELAY + BACKOFF_DELAY {
                "ImagePullBackOff"
            } else if now >= scheduled + START_DELAY {
                "ErrImagePull"
            } else {
                "ContainerCreating"
            };
            let message = match reason {
                "ErrImagePull" => Some(format!(
                    "Error response from daemon: pull access denied for {}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
                    image.split(':').next().unwrap_or(image)
                )),
                "ImagePullBackOff" => Some(format!("Back-off pulling image \"{image}\"")),
                _ => None,
            };
            status["phase"] = json!("Pending");
            status["containerStatuses"] = json!(waiting(reason, message.clone()));
            status["conditions"] = base_conditions(false, &started_at);
            let previous = pod
                .ptr("/status/containerStatuses/0/state/waiting/reason")
                .and_then(Value::as_str);
            if previous != Some(reason) {
                match reason {
                    "ContainerCreating" => {
                        new_events.push(("Normal", "Pulling", format!("Pulling image \"{image}\"")))
                    }
                    "ErrImagePull" => {
                        new_events.push((
                            "Warning",
                            "Failed",
                            format!(
                                "Failed to pull image \"{image}\": {}",
                                message.clone().unwrap_or_default()
                            ),
                        ));
                        new_events.push(("Warning", "Failed", "Error: ErrImagePull".to_owned()));
                    }
                    _ => {
                        new_events.push((
                            "Normal",
                            "BackOff",
                            format!("Back-off pulling image \"{image}\""),
                        ));
                        new_events.push((
                            "Warning",
                            "Failed",
                            "Error: ImagePullBackOff".to_owned(),
                        ));
                    }
                }
            }
        } else if now >= scheduled + START_DELAY {
            let mut statuses = Vec::new();
            for c in &containers {
                let image = c.get("image").and_then(Value::as_str).unwrap_or_default();
                let id = hex(world, 64);
                let image_id = hex(world, 64);
                let has_probe = c.get("readinessProbe").is_some();
                statuses.push(json!({
                    "containerID": format!("docker://{id}"),
                    "image": image,
                    "imageID": format!("docker-pullable://{}@sha256:{image_id}", image.split(':').next().unwrap_or(image)),
                    "lastState": {},
                    "name": c.get("name").cloned().unwrap_or_default(),
                    "ready": !has_probe,
                    "restartCount": 0,
                    "started": true,
                    "state": {"running": {"startedAt": at}}
                }));
                new_events.push((
                    "Normal",
                    "Pulled",
                    format!("Container image \"{image}\" already present on machine"),
                ));
                new_events.push((
                    "Normal",
                    "Created",
                    format!(
                        "Created container: {}",
                        c.get("name").and_then(Value::as_str).unwrap_or_default()
                    ),
                ));
                new_events.push((
                    "Normal",
                    "Started",
                    format!(
                        "Started container {}",
                        c.get("name").and_then(Value::as_str).unwrap_or_default()
                    ),
                ));
            }
            let ready = statuses.iter().all(|s| s["ready"] == json!(true));
            status["phase"] = json!("Running");
            status["containerStatuses"] = json!(statuses);
            status["conditions"] = base_conditions(ready, &at);
        } else {
            status["phase"] = json!("Pending");
            status["containerStatuses"] = json!(waiting("ContainerCreating", None));
            status["conditions"] = base_conditions(false, &started_at);
        }
        status["qosClass"] = json!("BestEffort");
        if pod.get("status") != Some(&status) {
            let mut p = pod.clone();
            p["status"] = status;
            if matches!(world.store.update(Kind::Pod, p.clone()), Ok(true)) {
                changed = true;
                for (ty, reason, message) in new_events {
                    events::record(world, &p, ty, reason, &message, "kubelet");
                }
            }
        }
    }
    changed
}

/// Whether the kubelet has nothing to do for `pod` at `now` — checked on the borrowed pod so
/// that the thousands of pods that are simply running are never cloned.
fn up_to_date(world: &World, pod: &Value, now: i64) -> bool {
    let phase = pod.ptr("/status/phase").and_then(Value::as_str);
    if phase == Some("Running") {
        if super::workloads::pod_ready(pod) {
            return true;
        }
        return next_readiness(pod, now).is_some_and(|t| t > now);
    }
    if matches!(phase, Some("Succeeded" | "Failed")) {
        return true;
    }
    let scheduled = created_at(world, pod);
    if pod.ptr("/status/podIP").is_none() && now > scheduled {
        return false;
    }
    let bad = pod
        .ptr("/spec/containers")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                !image_is_known(c.get("image").and_then(Value::as_str).unwrap_or_default())
            })
        });
    let want = if bad {
        if now >= scheduled + START_DELAY + BACKOFF_DELAY {
            "ImagePullBackOff"
        } else if now >= scheduled + START_DELAY {
            "ErrImagePull"
        } else {
            "ContainerCreating"
        }
    } else if now >= scheduled + START_DELAY {
        return false;
    } else {
        "ContainerCreating"
    };
    phase == Some("Pending")
        && pod
            .ptr("/status/containerStatuses/0/state/waiting/reason")
            .and_then(Value::as_str)
            == Some(want)
}

/// The earliest instant an unready, running container's readiness probe passes.
fn next_readiness(pod: &Value, now: i64) -> Option<i64> {
    let containers = pod.ptr("/spec/containers").and_then(Value::as_array)?;
    let statuses = pod
        .ptr("/status/containerStatuses")
        .and_then(Value::as_array)?;
    statuses
        .iter()
        .zip(containers)
        .filter(|(s, _)| s.get("ready") != Some(&Value::Bool(true)))
        .filter_map(|(s, c)| {
            let probe = c.get("readinessProbe")?;
            let started = s
                .ptr("/state/running/startedAt")
                .and_then(Value::as_str)
                .and_then(crate::store::parse_rfc3339)
                .unwrap_or(now);
            let delay = probe
                .get("initialDelaySeconds")
                .and_then(Value::as_i64)
                .unwrap_or(0)
                + probe
                    .get("periodSeconds")
                    .and_then(Value::as_i64)
                    .unwrap_or(10)
                    .min(10);
            Some(started + delay)
        })
        .min()
}

/// A running container with a readiness probe becomes ready after the probe's initial
/// delay plus one period.
fn readiness(world: &mut World, pod: &Value) -> bool {
    let now = world.store.now_unix();
    let Some(statuses) = pod
        .ptr("/status/containerStatuses")
        .and_then(Value::as_array)
    else {
        return false;
    };
    let containers = pod
        .ptr("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut new_statuses = statuses.clone();
    for (s, c) in new_statuses.iter_mut().zip(&containers) {
        if s["ready"] == json!(true) {
            continue;
        }
        let Some(probe) = c.get("readinessProbe") else {
            continue;
        };
        let started = s
            .ptr("/state/running/startedAt")
            .and_then(Value::as_str)
            .and_then(crate::store::parse_rfc3339);
        let delay = probe
            .get("initialDelaySeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            + probe
                .get("periodSeconds")
                .and_then(Value::as_i64)
                .unwrap_or(10)
                .min(10);
        if started.is_some_and(|t| now >= t + delay) {
            s["ready"] = json!(true);
        }
    }
    if &new_statuses == statuses {
        return false;
    }
    let ready = new_statuses.iter().all(|s| s["ready"] == json!(true));
    let at = rfc3339(now);
    let mut p = pod.clone();
    p["status"]["containerStatuses"] = json!(new_statuses);
    if let Some(Value::Array(cs)) = p.pointer_mut("/status/conditions") {
        for c in cs {
            if matches!(c["type"].as_str(), Some("Ready" | "ContainersReady")) && ready {
                *c = condition(c["type"].as_str().unwrap_or_default(), true, &at);
            }
        }
    }
    matches!(world.store.update(Kind::Pod, p), Ok(true))
}

/// The next instant (Unix seconds, after now) at which some pod changes by itself.
pub(super) fn next_deadline(world: &World) -> Option<i64> {
    let now = world.store.now_unix();
    let mut next: Option<i64> = None;
    let mut consider = |t: i64| {
        if t > now {
            next = Some(next.map_or(t, |n: i64| n.min(t)));
        }
    };
    for pod in world.store.list(Kind::Pod, None) {
        if pod.ptr("/spec/nodeName").is_none() {
            continue;
        }
        let scheduled = created_at(world, pod);
        match pod.ptr("/status/phase").and_then(Value::as_str) {
            Some("Running") => {
                let containers = pod
                    .ptr("/spec/containers")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let statuses = pod
                    .ptr("/status/containerStatuses")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for (s, c) in statuses.iter().zip(&containers) {
                    if s["ready"] == json!(true) {
                        continue;
                    }
                    if let Some(probe) = c.get("readinessProbe") {
                        let started = s
                            .ptr("/state/running/startedAt")
                            .and_then(Value::as_str)
                            .and_then(crate::store::parse_rfc3339)
                            .unwrap_or(now);
                        let delay = probe
                            .get("initialDelaySeconds")
                            .and_then(Value::as_i64)
                            .unwrap_or(0)
                            + probe
                                .get("periodSeconds")
                                .and_then(Value::as_i64)
                                .unwrap_or(10)
                                .min(10);
                        consider(started + delay);
                    }
                }
            }
            Some("Succeeded" | "Failed") => {}
            _ => {
                consider(scheduled + 1);
                consider(scheduled + START_DELAY);
                let bad = pod
                    .ptr("/spec/containers")
                    .and_then(Value::as_array)
                    .is_some_and(|cs| {
                        cs.iter().any(|c| {
                            !image_is_known(
                                c.get("image").and_then(Value::as_str).unwrap_or_default(),
                            )
                        })
                    });
                if bad {
                    consider(scheduled + START_DELAY + BACKOFF_DELAY);
                }
            }
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_and_user_images_exist_and_official_typos_do_not() {
        assert!(image_is_known("nginx"));
        assert!(image_is_known("nginx:1.27"));
        assert!(image_is_known("jenkins/jenkins:lts-jdk11"));
        assert!(image_is_known("gasbugs/http-go"));
        assert!(image_is_known("registry.k8s.io/pause:3.10"));
        assert!(image_is_known("docker.io/library/busybox"));
        assert!(!image_is_known("ngnix"));
        assert!(!image_is_known("Nginx"));
        assert!(!image_is_known("nginx:"));
    }
}
