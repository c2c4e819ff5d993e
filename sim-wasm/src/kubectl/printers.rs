//! kubectl 1.32's table printers: the server-side column sets of `printers.go`, rendered
//! with cli-runtime's tabwriter (every column but the last padded to
//! `max(longest + 3, 6)`, no trailing spaces), AGE from the virtual clock.

use crate::api::Ptr;
use serde_json::Value;

use crate::api::Kind;
use crate::api::table::PodRow;
use crate::store::Store;
use crate::time::human_duration;

/// cli-runtime's tabwriter: minwidth 6, padding 3, the last cell unpadded.
pub fn render(lines: &[Vec<String>]) -> String {
    let lines: Vec<Vec<&str>> = lines
        .iter()
        .map(|line| line.iter().map(String::as_str).collect())
        .collect();
    pad_columns(&lines)
}

/// The padding both [`render`] and [`Table::render`] print through (minwidth 6, padding 3).
fn pad_columns(lines: &[Vec<&str>]) -> String {
    let columns = lines.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; columns];
    for line in lines {
        for (i, cell) in line.iter().enumerate() {
            if i + 1 < line.len()
                && let Some(w) = widths.get_mut(i)
            {
                *w = (*w).max(display_width(cell) + 3).max(6);
            }
        }
    }
    // Padded columns plus a guess for the last one: one allocation for thousands of rows.
    let row_width: usize = widths.iter().sum::<usize>() + 40;
    let mut out = String::with_capacity(lines.len() * row_width);
    for line in lines {
        for (i, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < line.len() {
                let pad = widths
                    .get(i)
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(display_width(cell));
                push_spaces(&mut out, pad);
            }
        }
        out.push('\n');
    }
    out
}

/// Rows whose cells live in one string, rendered exactly like [`render`]: a table of
/// thousands of pods without a `String` (an allocation) per cell.
#[derive(Debug, Default)]
pub struct Table {
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<usize>,
    /// How many cells each row has.
    rows: Vec<usize>,
    open: usize,
}

impl Table {
    pub fn cell(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
        self.open += 1;
    }

    pub fn cell_fmt(&mut self, cell: std::fmt::Arguments<'_>) {
        let _ = std::fmt::Write::write_fmt(&mut self.text, cell);
        self.ends.push(self.text.len());
        self.open += 1;
    }

    pub fn end_row(&mut self) {
        self.rows.push(std::mem::take(&mut self.open));
    }

    /// Each row's cells.
    fn lines(&self) -> impl Iterator<Item = Vec<&str>> {
        let mut cell = 0;
        let mut start = 0;
        self.rows.iter().map(move |&n| {
            let mut line = Vec::with_capacity(n);
            for end in self.ends.iter().skip(cell).take(n) {
                line.push(self.text.get(start..*end).unwrap_or_default());
                start = *end;
            }
            cell += n;
            line
        })
    }

    pub fn render(&self) -> String {
        pad_columns(&self.lines().collect::<Vec<_>>())
    }
}

/// A cell's width in characters (cells are nearly always ASCII: no need to decode them).
fn display_width(cell: &str) -> usize {
    if cell.is_ascii() {
        cell.len()
    } else {
        cell.chars().count()
    }
}

fn push_spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(SPACES.get(..k).unwrap_or_default());
        n -= k;
    }
}

pub fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.ptr(pointer).and_then(Value::as_str).unwrap_or_default()
}

fn int_at(v: &Value, pointer: &str) -> i64 {
    v.ptr(pointer).and_then(Value::as_i64).unwrap_or(0)
}

/// `k=v,k2=v2` sorted by key, or `<none>`.
pub fn format_labels(map: Option<&Value>) -> String {
    let Some(Value::Object(m)) = map else {
        return "<none>".to_owned();
    };
    if m.is_empty() {
        return "<none>".to_owned();
    }
    let mut keys: Vec<&String> = m.keys().collect();
    crate::sort::sort(&mut keys);
    keys.iter()
        .map(|k| {
            format!(
                "{k}={}",
                m.get(*k).and_then(Value::as_str).unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `metav1.FormatLabelSelector`.
pub fn format_selector(selector: Option<&Value>) -> String {
    let Some(sel) = selector else {
        return "<none>".to_owned();
    };
    let mut parts = Vec::new();
    if let Some(Value::Object(m)) = sel.get("matchLabels") {
        let mut keys: Vec<&String> = m.keys().collect();
        crate::sort::sort(&mut keys);
        for k in keys {
            parts.push(format!(
                "{k}={}",
                m.get(k).and_then(Value::as_str).unwrap_or_default()
            ));
        }
    }
    if let Some(Value::Array(exprs)) = sel.get("matchExpressions") {
        for e in exprs {
            let key = str_at(e, "/key");
            let values: Vec<&str> = e
                .get("values")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            parts.push(match str_at(e, "/operator") {
                "In" => format!("{key} in ({})", values.join(",")),
                "NotIn" => format!("{key} notin ({})", values.join(",")),
                "Exists" => key.to_owned(),
                "DoesNotExist" => format!("!{key}"),
                op => format!("{key} {op}"),
            });
        }
    }
    if parts.is_empty() {
        "<none>".to_owned()
    } else {
        parts.join(",")
    }
}

pub fn headers(kind: Kind, wide: bool) -> Vec<&'static str> {
    let (base, extra): (&[&str], &[&str]) = match kind {
        Kind::Pod => (
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Kind::Deployment => (
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::ReplicaSet => (
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::DaemonSet => (
            &[
                "NAME",
                "DESIRED",
                "CURRENT",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "NODE SELECTOR",
                "AGE",
            ],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Kind::Service => (
            &[
                "NAME",
                "TYPE",
                "CLUSTER-IP",
                "EXTERNAL-IP",
                "PORT(S)",
                "AGE",
            ],
            &["SELECTOR"],
        ),
        Kind::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Kind::EndpointSlice => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
        Kind::NetworkPolicy => (&["NAME", "POD-SELECTOR", "AGE"], &[]),
        Kind::Namespace => (&["NAME", "STATUS", "AGE"], &[]),
        Kind::Node => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &[
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Kind::ConfigMap => (&["NAME", "DATA", "AGE"], &[]),
        Kind::Event => (&["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], &[]),
    };
    let mut h = base.to_vec();
    if wide {
        h.extend_from_slice(extra);
    }
    h
}

/// The pod's STATUS column, computed with the rest of its row in [`crate::api::table`].
pub use crate::api::table::pod_status;

/// A pod's cells from the pod itself (a list filtered by a selector, a sorted list); whole
/// lists print the rows the store keeps (see [`crate::api::table`]).
fn pod_row(store: &Store, pod: &Value, wide: bool) -> Vec<String> {
    PodRow::of(pod).cells(store.now_unix(), wide)
}

fn containers_and_images(obj: &Value) -> (String, String) {
    let containers = obj
        .ptr("/spec/template/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let names: Vec<&str> = containers.iter().map(|c| str_at(c, "/name")).collect();
    let images: Vec<&str> = containers.iter().map(|c| str_at(c, "/image")).collect();
    (names.join(","), images.join(","))
}

pub fn service_ports(svc: &Value) -> String {
    let ports = svc
        .ptr("/spec/ports")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if ports.is_empty() {
        return "<none>".to_owned();
    }
    ports
        .iter()
        .map(|p| {
            let port = int_at(p, "/port");
            let proto = p.get("protocol").and_then(Value::as_str).unwrap_or("TCP");
            match p.get("nodePort").and_then(Value::as_i64) {
                Some(np) if np != 0 => format!("{port}:{np}/{proto}"),
                _ => format!("{port}/{proto}"),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

pub fn service_external_ip(svc: &Value) -> String {
    let ty = str_at(svc, "/spec/type");
    let external: Vec<&str> = svc
        .ptr("/spec/externalIPs")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    match ty {
        "ExternalName" => str_at(svc, "/spec/externalName").to_owned(),
        "LoadBalancer" => {
            let mut ips: Vec<String> = svc
                .ptr("/status/loadBalancer/ingress")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|i| {
                            let ip = str_at(i, "/ip");
                            if ip.is_empty() {
                                str_at(i, "/hostname").to_owned()
                            } else {
                                ip.to_owned()
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            ips.extend(external.iter().map(|s| (*s).to_owned()));
            if ips.is_empty() {
                "<pending>".to_owned()
            } else {
                ips.join(",")
            }
        }
        _ => {
            if external.is_empty() {
                "<none>".to_owned()
            } else {
                external.join(",")
            }
        }
    }
}

/// `ip:port` list of ready addresses, at most three then ` + N more...`.
pub fn format_endpoints(ep: &Value) -> String {
    let mut list = Vec::new();
    let mut count = 0;
    for subset in ep
        .get("subsets")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        let ports = subset
            .get("ports")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let addresses = subset
            .get("addresses")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if ports.is_empty() {
            for addr in &addresses {
                count += 1;
                if list.len() < 3 {
                    list.push(str_at(addr, "/ip").to_owned());
                }
            }
        }
        // Ports outside, addresses inside, as printers.go `formatEndpoints` loops.
        for p in &ports {
            for addr in &addresses {
                count += 1;
                if list.len() < 3 {
                    list.push(format!("{}:{}", str_at(addr, "/ip"), int_at(p, "/port")));
                }
            }
        }
    }
    if list.is_empty() {
        return "<none>".to_owned();
    }
    let mut s = list.join(",");
    if count > list.len() {
        s.push_str(&format!(" + {} more...", count - list.len()));
    }
    s
}

fn slice_row(slice: &Value) -> (String, String) {
    let ports: Vec<String> = slice
        .get("ports")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|p| int_at(p, "/port").to_string()).collect())
        .unwrap_or_default();
    let mut addrs = Vec::new();
    let mut count = 0;
    for e in slice
        .get("endpoints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
        for a in e
            .get("addresses")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            count += 1;
            if addrs.len() < 3 {
                addrs.push(a.as_str().unwrap_or_default().to_owned());
            }
        }
    }
    let ports = if ports.is_empty() {
        "<unset>".to_owned()
    } else {
        ports.join(",")
    };
    let endpoints = if addrs.is_empty() {
        "<unset>".to_owned()
    } else {
        let mut s = addrs.join(",");
        if count > addrs.len() {
            s.push_str(&format!(" + {} more...", count - addrs.len()));
        }
        s
    };
    (ports, endpoints)
}

fn node_roles(node: &Value) -> String {
    let mut roles: Vec<String> = node
        .ptr("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            m.keys()
                .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    crate::sort::sort(&mut roles);
    if roles.is_empty() {
        "<none>".to_owned()
    } else {
        roles.join(",")
    }
}

fn node_status(node: &Value) -> String {
    let ready = node
        .ptr("/status/conditions")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| str_at(c, "/type") == "Ready"))
        .map(|c| str_at(c, "/status") == "True");
    let mut s = match ready {
        Some(true) => "Ready".to_owned(),
        _ => "NotReady".to_owned(),
    };
    if node.ptr("/spec/unschedulable") == Some(&Value::Bool(true)) {
        s.push_str(",SchedulingDisabled");
    }
    s
}

/// The cells of one object (NAME left empty for the caller to fill, since it may be
/// `kind/name`).
pub fn row(store: &Store, kind: Kind, obj: &Value, wide: bool) -> Vec<String> {
    // Pods print their own AGE; `get pods -A` on thousands of pods should not compute it twice.
    if kind == Kind::Pod {
        return pod_row(store, obj, wide);
    }
    let age = human_duration(store.age_seconds(obj));
    let name = String::new();
    match kind {
        Kind::Pod => pod_row(store, obj, wide),
        Kind::Deployment => {
            let desired = obj
                .ptr("/spec/replicas")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            let mut r = vec![
                name,
                format!("{}/{desired}", int_at(obj, "/status/readyReplicas")),
                int_at(obj, "/status/updatedReplicas").to_string(),
                int_at(obj, "/status/availableReplicas").to_string(),
                age,
            ];
            if wide {
                let (c, i) = containers_and_images(obj);
                r.extend([c, i, format_selector(obj.ptr("/spec/selector"))]);
            }
            r
        }
        Kind::ReplicaSet => {
            let mut r = vec![
                name,
                int_at(obj, "/spec/replicas").to_string(),
                int_at(obj, "/status/replicas").to_string(),
                int_at(obj, "/status/readyReplicas").to_string(),
                age,
            ];
            if wide {
                let (c, i) = containers_and_images(obj);
                r.extend([c, i, format_selector(obj.ptr("/spec/selector"))]);
            }
            r
        }
        Kind::DaemonSet => {
            let mut r = vec![
                name,
                int_at(obj, "/status/desiredNumberScheduled").to_string(),
                int_at(obj, "/status/currentNumberScheduled").to_string(),
                int_at(obj, "/status/numberReady").to_string(),
                int_at(obj, "/status/updatedNumberScheduled").to_string(),
                int_at(obj, "/status/numberAvailable").to_string(),
                format_labels(obj.ptr("/spec/template/spec/nodeSelector")),
                age,
            ];
            if wide {
                let (c, i) = containers_and_images(obj);
                r.extend([c, i, format_selector(obj.ptr("/spec/selector"))]);
            }
            r
        }
        Kind::Service => {
            let ip = str_at(obj, "/spec/clusterIP");
            let mut r = vec![
                name,
                str_at(obj, "/spec/type").to_owned(),
                if ip.is_empty() { "<none>" } else { ip }.to_owned(),
                service_external_ip(obj),
                service_ports(obj),
                age,
            ];
            if wide {
                r.push(format_labels(obj.ptr("/spec/selector")));
            }
            r
        }
        Kind::Endpoints => vec![name, format_endpoints(obj), age],
        Kind::EndpointSlice => {
            let (ports, endpoints) = slice_row(obj);
            vec![
                name,
                str_at(obj, "/addressType").to_owned(),
                ports,
                endpoints,
                age,
            ]
        }
        Kind::Namespace => {
            let phase = str_at(obj, "/status/phase");
            vec![
                name,
                if phase.is_empty() { "Active" } else { phase }.to_owned(),
                age,
            ]
        }
        Kind::Node => {
            let mut r = vec![
                name,
                node_status(obj),
                node_roles(obj),
                age,
                str_at(obj, "/status/nodeInfo/kubeletVersion").to_owned(),
            ];
            if wide {
                let addr = |ty: &str| {
                    obj.ptr("/status/addresses")
                        .and_then(Value::as_array)
                        .and_then(|a| a.iter().find(|x| str_at(x, "/type") == ty))
                        .map_or("<none>".to_owned(), |x| str_at(x, "/address").to_owned())
                };
                r.extend([
                    addr("InternalIP"),
                    addr("ExternalIP"),
                    str_at(obj, "/status/nodeInfo/osImage").to_owned(),
                    str_at(obj, "/status/nodeInfo/kernelVersion").to_owned(),
                    str_at(obj, "/status/nodeInfo/containerRuntimeVersion").to_owned(),
                ]);
            }
            r
        }
        Kind::NetworkPolicy => vec![name, format_selector(obj.ptr("/spec/podSelector")), age],
        Kind::ConfigMap => {
            let data = obj
                .get("data")
                .and_then(Value::as_object)
                .map_or(0, |m| m.len())
                + obj
                    .get("binaryData")
                    .and_then(Value::as_object)
                    .map_or(0, |m| m.len());
            vec![name, data.to_string(), age]
        }
        Kind::Event => {
            let last = obj
                .get("lastTimestamp")
                .and_then(Value::as_str)
                .and_then(crate::store::parse_rfc3339)
                .map_or("<unknown>".to_owned(), |t| {
                    human_duration(store.now_unix() - t)
                });
            vec![
                last,
                str_at(obj, "/type").to_owned(),
                str_at(obj, "/reason").to_owned(),
                format!(
                    "{}/{}",
                    str_at(obj, "/involvedObject/kind").to_ascii_lowercase(),
                    str_at(obj, "/involvedObject/name")
                ),
                str_at(obj, "/message").to_owned(),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabwriter_pads_all_but_the_last_column_to_three_past_the_longest() {
        let lines = vec![
            vec!["NAME".to_owned(), "STATUS".to_owned(), "AGE".to_owned()],
            vec!["blue".to_owned(), "Active".to_owned(), "47s".to_owned()],
            vec![
                "kube-node-lease".to_owned(),
                "Active".to_owned(),
                "10d".to_owned(),
            ],
        ];
        assert_eq!(
            render(&lines),
            "NAME              STATUS   AGE\nblue              Active   47s\nkube-node-lease   Active   10d\n"
        );
    }

    #[test]
    fn narrow_columns_are_at_least_six_wide() {
        let lines = vec![vec!["A".to_owned(), "B".to_owned()]];
        assert_eq!(render(&lines), "A     B\n");
    }
}

/// Go's `text/tabwriter` (AlignLeft, no flags) over tab-separated text: columns are aligned
/// per block of consecutive lines that have that column, as `kubectl describe` relies on.
pub fn tabwrite(text: &str, minwidth: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text
        .split_terminator('\n')
        .map(|l| l.split('\t').collect())
        .collect();
    let mut out = String::new();
    let mut widths: Vec<usize> = Vec::new();
    format_block(
        &lines,
        0,
        lines.len(),
        &mut widths,
        minwidth,
        padding,
        &mut out,
    );
    out
}

fn format_block(
    lines: &[Vec<&str>],
    line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    minwidth: usize,
    padding: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut start = line0;
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, start, this, widths, out);
        let block_start = this;
        let mut width = minwidth;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(lines[this][column].chars().count() + padding);
            this += 1;
        }
        widths.push(width);
        format_block(lines, block_start, this, widths, minwidth, padding, out);
        widths.pop();
        start = this;
    }
    write_lines(lines, start, line1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in &lines[from..to] {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if j + 1 < line.len()
                && let Some(w) = widths.get(j)
            {
                let pad = w.saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tabwriter_tests {
    use super::*;

    #[test]
    fn go_tabwriter_aligns_blocks_separately_and_keeps_empty_last_cells() {
        let text = "Name:\tx\nEndpoints:\t\nEvents:\n  Type\tReason\n  ----\t------\n";
        assert_eq!(
            tabwrite(text, 0, 2),
            "Name:       x\nEndpoints:  \nEvents:\n  Type  Reason\n  ----  ------\n"
        );
    }
}
