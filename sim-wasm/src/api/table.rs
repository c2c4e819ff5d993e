//! The pod columns of the API server's table view. Since 1.16 kubectl asks the server for a
//! `Table`, so `printers.go`'s `printPod` runs server-side; here too the store keeps each
//! pod's row ([`PodRow`]) next to the pod, recomputed by every write of that pod.
//!
//! Why not compute it when printing: `kubectl get pods -A` on 5,000 pods walked every pod's
//! JSON tree (a B-tree map per object, each key its own allocation), and each walk was a
//! chain of cache misses; the row is computed on the write that just built the pod, while
//! it is still in cache. The clock-dependent parts (AGE, `(5m ago)`) are kept as instants
//! and formatted when printed.
//!
//! This module knows the pod's fields, not the store nor kubectl's flags.

use serde_json::Value;

use super::Ptr;
use crate::time::human_duration;

/// What `kubectl get pods` prints about one pod, without its name and namespace (the
/// store's keys) and without the clock.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodRow {
    ready: usize,
    containers: usize,
    status: String,
    restarts: i64,
    /// The latest `lastState.terminated.finishedAt` of any container (Unix seconds).
    last_restart: Option<i64>,
    /// `metadata.creationTimestamp` (Unix seconds).
    created: Option<i64>,
    ip: String,
    node: String,
}

fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.ptr(pointer).and_then(Value::as_str).unwrap_or_default()
}

impl PodRow {
    pub fn of(pod: &Value) -> PodRow {
        let statuses: &[Value] = pod
            .ptr("/status/containerStatuses")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        PodRow {
            ready: statuses
                .iter()
                .filter(|s| s.get("ready") == Some(&Value::Bool(true)))
                .count(),
            containers: pod
                .ptr("/spec/containers")
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
            status: pod_status(pod),
            restarts: statuses
                .iter()
                .map(|s| s.get("restartCount").and_then(Value::as_i64).unwrap_or(0))
                .sum(),
            last_restart: statuses
                .iter()
                .filter_map(|s| s.ptr("/lastState/terminated/finishedAt")?.as_str())
                .filter_map(crate::store::parse_rfc3339)
                .max(),
            created: pod
                .ptr("/metadata/creationTimestamp")
                .and_then(Value::as_str)
                .and_then(crate::store::parse_rfc3339),
            ip: str_at(pod, "/status/podIP").to_owned(),
            node: str_at(pod, "/spec/nodeName").to_owned(),
        }
    }

    /// `metadata.creationTimestamp`, Unix seconds.
    pub fn created(&self) -> Option<i64> {
        self.created
    }

    /// `spec.nodeName` (`""` before the pod is scheduled).
    pub fn node(&self) -> &str {
        &self.node
    }

    /// `status.podIP` (`""` before the pod has one).
    pub fn ip(&self) -> &str {
        &self.ip
    }

    /// The cells after NAME (left empty for the caller) at `now` (Unix seconds): READY,
    /// STATUS, RESTARTS, AGE, and with `wide` IP, NODE, NOMINATED NODE, READINESS GATES.
    pub fn cells(&self, now: i64, wide: bool) -> Vec<String> {
        let mut row = Vec::with_capacity(if wide { 9 } else { 5 });
        row.push(String::new());
        self.each_cell(now, wide, |cell| row.push(cell.to_string()));
        row
    }

    /// The same cells, each handed to `cell` as it is formatted (a table of thousands of
    /// pods writes them into one buffer rather than a `String` each).
    pub fn each_cell(&self, now: i64, wide: bool, mut cell: impl FnMut(std::fmt::Arguments<'_>)) {
        cell(format_args!("{}/{}", self.ready, self.containers));
        cell(format_args!("{}", self.status));
        match self.last_restart {
            Some(t) if self.restarts != 0 => cell(format_args!(
                "{} ({} ago)",
                self.restarts,
                human_duration(now - t)
            )),
            _ => cell(format_args!("{}", self.restarts)),
        }
        cell(format_args!(
            "{}",
            human_duration(self.created.map_or(0, |t| now - t))
        ));
        if wide {
            fn none(s: &str) -> &str {
                if s.is_empty() { "<none>" } else { s }
            }
            cell(format_args!("{}", none(&self.ip)));
            cell(format_args!("{}", none(&self.node)));
            cell(format_args!("<none>"));
            cell(format_args!("<none>"));
        }
    }
}

/// The pod's STATUS column (printers.go `printPod`).
pub fn pod_status(pod: &Value) -> String {
    let mut reason = str_at(pod, "/status/phase").to_owned();
    if reason.is_empty() {
        reason = "Pending".to_owned();
    }
    let r = str_at(pod, "/status/reason");
    if !r.is_empty() {
        reason = r.to_owned();
    }
    let statuses: &[Value] = pod
        .ptr("/status/containerStatuses")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    let mut has_running = false;
    for s in statuses.iter().rev() {
        let waiting = str_at(s, "/state/waiting/reason");
        let terminated = str_at(s, "/state/terminated/reason");
        if !waiting.is_empty() {
            reason = waiting.to_owned();
        } else if !terminated.is_empty() {
            reason = terminated.to_owned();
        } else if s.ptr("/state/terminated").is_some() {
            let code = s
                .ptr("/state/terminated/exitCode")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            reason = format!("ExitCode:{code}");
        } else if s.get("ready") == Some(&Value::Bool(true)) && s.ptr("/state/running").is_some() {
            has_running = true;
        }
    }
    if reason == "Completed" && has_running {
        reason = "Running".to_owned();
    }
    if pod.ptr("/metadata/deletionTimestamp").is_some() {
        reason = "Terminating".to_owned();
    }
    reason
}
