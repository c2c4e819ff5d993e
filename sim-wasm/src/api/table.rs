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

impl PodRow {
    pub fn of(pod: &Value) -> PodRow {
        // The pod's `status` and `spec` are looked up once and their fields read from
        // there, rather than each by a path from the pod's root: the store computes a row on
        // every write of a pod, which while a large cluster settles is tens of thousands.
        let spec = pod.get("spec");
        let text = |v: Option<&Value>, key: &str| -> String {
            v.and_then(|v| v.get(key))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let mut row = PodRow {
            containers: spec
                .and_then(|s| s.get("containers"))
                .and_then(Value::as_array)
                .map_or(0, Vec::len),
            created: pod
                .get("metadata")
                .and_then(|m| m.get("creationTimestamp"))
                .and_then(Value::as_str)
                .and_then(crate::store::parse_rfc3339),
            node: text(spec, "nodeName"),
            ..PodRow::default()
        };
        row.refresh_status(pod);
        row
    }

    /// Brings the row up to date after a write that changed only the pod's `status`: what
    /// it takes from the spec and metadata (containers, node, creation time) stays. The
    /// kubelet's writes are most of a large cluster's pod writes.
    pub fn refresh_status(&mut self, pod: &Value) {
        let status = pod.get("status");
        let statuses: &[Value] = status
            .and_then(|s| s.get("containerStatuses"))
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        let mut ready = 0;
        let mut restarts = 0;
        let mut last_restart = None;
        for s in statuses {
            if s.get("ready") == Some(&Value::Bool(true)) {
                ready += 1;
            }
            restarts += s.get("restartCount").and_then(Value::as_i64).unwrap_or(0);
            let finished = s
                .get("lastState")
                .and_then(|l| l.get("terminated"))
                .and_then(|t| t.get("finishedAt"))
                .and_then(Value::as_str)
                .and_then(crate::store::parse_rfc3339);
            last_restart = last_restart.max(finished);
        }
        self.ready = ready;
        self.restarts = restarts;
        self.last_restart = last_restart;
        self.status = status_column(pod, status, statuses);
        // Rewritten in place: the address rarely changes, and then fits the old one's room.
        let ip = status
            .and_then(|s| s.get("podIP"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if self.ip != ip {
            self.ip.clear();
            self.ip.push_str(ip);
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
    let status = pod.get("status");
    let statuses: &[Value] = status
        .and_then(|s| s.get("containerStatuses"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    status_column(pod, status, statuses)
}

/// [`pod_status`] from the pod's `status` and its `containerStatuses`, already looked up.
fn status_column(pod: &Value, status: Option<&Value>, statuses: &[Value]) -> String {
    fn text<'a>(v: Option<&'a Value>, key: &str) -> &'a str {
        v.and_then(|v| v.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
    let mut reason = text(status, "phase");
    if reason.is_empty() {
        reason = "Pending";
    }
    let r = text(status, "reason");
    if !r.is_empty() {
        reason = r;
    }
    let mut has_running = false;
    let mut exit_code = None;
    for s in statuses.iter().rev() {
        let state = s.get("state");
        let waiting = text(state.and_then(|st| st.get("waiting")), "reason");
        let terminated_state = state.and_then(|st| st.get("terminated"));
        let terminated = text(terminated_state, "reason");
        if !waiting.is_empty() {
            reason = waiting;
            exit_code = None;
        } else if !terminated.is_empty() {
            reason = terminated;
            exit_code = None;
        } else if let Some(t) = terminated_state {
            exit_code = Some(t.get("exitCode").and_then(Value::as_i64).unwrap_or(0));
        } else if s.get("ready") == Some(&Value::Bool(true))
            && state.and_then(|st| st.get("running")).is_some()
        {
            has_running = true;
        }
    }
    let mut reason = match exit_code {
        Some(code) => format!("ExitCode:{code}"),
        None => reason.to_owned(),
    };
    if reason == "Completed" && has_running {
        reason = "Running".to_owned();
    }
    if pod
        .get("metadata")
        .and_then(|m| m.get("deletionTimestamp"))
        .is_some()
    {
        reason = "Terminating".to_owned();
    }
    reason
}
