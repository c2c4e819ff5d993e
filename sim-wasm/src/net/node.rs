//! Commands on a node's shell (`master`, `ssh worker1`): `iptables-save`, `iptables -S/-L`,
//! `ip addr/route`, `docker ps` (cri-dockerd's names), `crictl pods/ps`, `apt install
//! net-tools` then `netstat`/`ifconfig`/`route -n`, and the network clients (`curl`,
//! `ping`, `nslookup`, `host`) as Ubuntu 22.04 ships them.
//!
//! Input is a [`NodeView`] of plain values; the world builds it. Knows nothing about the
//! shell beyond argv and whether the command runs as root.

use std::fmt::Write as _;

use crate::net::apps::{self, CurlFlavor, PingFlavor};
use crate::net::clients::{self, ClientContext, ClientOutput};
use crate::net::cni::{self, NodeNet};
use crate::net::dataplane::{Network, Source};
use crate::net::dns::{self, NslookupFlavor, ResolvConf};
use crate::net::iproute;
use crate::net::iptables::{self, ListOptions, Ruleset, TableKind};
use crate::net::trace::Trace;
use crate::rand::Rng;

mod inspect;

/// The pause image kubeadm 1.32 configures (fidelity.md §4).
pub const PAUSE_IMAGE: &str = "registry.k8s.io/pause:3.10";

/// A pod whose sandbox runs on this node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodePod {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub created_unix: i64,
    pub ready: bool,
    /// `(container name, image, started)` in spec order.
    pub containers: Vec<(String, String, bool)>,
    pub restarts: u32,
}

/// One node as its shell sees it.
pub struct NodeView<'a> {
    pub node: &'a NodeNet,
    pub net: &'a Network<'a>,
    pub pods: &'a [NodePod],
    pub now_unix: i64,
    /// `apt install net-tools` has run on this node.
    pub net_tools: bool,
    pub is_control_plane: bool,
}

/// What a node command printed and what it changed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub traces: Vec<Trace>,
    pub elapsed_ms: u64,
    /// The command installed net-tools on this node.
    pub installed_net_tools: bool,
}

impl From<ClientOutput> for NodeOutput {
    fn from(out: ClientOutput) -> NodeOutput {
        NodeOutput {
            stdout: out.stdout,
            stderr: out.stderr,
            exit_code: out.exit_code,
            traces: out.traces,
            elapsed_ms: out.elapsed_ms,
            installed_net_tools: false,
        }
    }
}

fn err(stderr: impl Into<String>, exit_code: i32) -> NodeOutput {
    NodeOutput {
        stderr: stderr.into(),
        exit_code,
        ..NodeOutput::default()
    }
}

fn ok(stdout: impl Into<String>) -> NodeOutput {
    NodeOutput {
        stdout: stdout.into(),
        ..NodeOutput::default()
    }
}

/// Runs `argv` on the node; `None` when the node has no such command (the shell then prints
/// `NAME: command not found`).
pub fn run(
    view: &NodeView<'_>,
    rng: &mut Rng,
    argv: &[String],
    as_root: bool,
) -> Option<NodeOutput> {
    let name = argv.first()?.as_str();
    let args = argv.get(1..).unwrap_or_default();
    let out = match name {
        "sudo" => {
            let rest = args
                .iter()
                .skip_while(|a| a.starts_with('-'))
                .cloned()
                .collect::<Vec<_>>();
            if rest.is_empty() {
                return Some(err(
                    "usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\n",
                    1,
                ));
            }
            return run(view, rng, &rest, true)
                .or_else(|| Some(err(format!("sudo: {}: command not found\n", rest[0]), 1)));
        }
        "iptables-save" | "iptables-nft-save" => iptables_save(view, name, args, as_root),
        "iptables" | "iptables-nft" => iptables_cmd(view, args, as_root),
        "ip" => ip_cmd(view, args),
        // Ubuntu's command-not-found handler (root is told `apt`, others `sudo apt`).
        "ifconfig" | "route" | "netstat" if !view.net_tools => err(
            format!(
                "Command '{name}' not found, but can be installed with:\n\n{}apt install net-tools\n\n",
                if as_root { "" } else { "sudo " }
            ),
            127,
        ),
        "ifconfig" => ok(cni::ifconfig_text(&node_interfaces(view))),
        "route" => ok(cni::route_n_text(&node_routes(view))),
        "netstat" => netstat(view, args, as_root),
        "apt" | "apt-get" => apt(view, args, as_root),
        "docker" => docker(view, args, as_root),
        "crictl" => crictl(view, args, as_root),
        "hostname" => ok(format!("{}\n", view.node.name)),
        "curl" => clients::curl(&client_context(view), rng, CurlFlavor::Ubuntu2204, argv).into(),
        "ping" => clients::ping(&client_context(view), rng, PingFlavor::Iputils, argv).into(),
        "nc" => clients::nc(&client_context(view), rng, argv).into(),
        "nslookup" | "host" | "dig" => {
            let conf = ResolvConf::node();
            let result = if name == "host" {
                dns::host(view.net.dns, &conf, args)
            } else if name == "dig" {
                let id = (rng.next_u32() & 0xffff) as u16;
                let when = crate::net::container::dig_date(view.now_unix);
                dns::dig(view.net.dns, &conf, args, id, &when)
            } else {
                dns::nslookup(NslookupFlavor::Bind, view.net.dns, &conf, args)
            };
            let source = format!("노드 {}", view.node.name);
            let trace = result.trace(&argv.join(" "), &source, conf.nameserver);
            let mut out = lookup_output(result);
            out.traces.push(trace);
            out
        }
        _ => return None,
    };
    Some(out)
}

fn client_context<'a>(view: &'a NodeView<'a>) -> ClientContext<'a> {
    ClientContext {
        net: view.net,
        source: Source::Node(view.node.name.clone()),
        tty: true,
        now_unix: view.now_unix,
    }
}

fn lookup_output(out: dns::LookupOutput) -> NodeOutput {
    NodeOutput {
        stdout: out.stdout,
        stderr: out.stderr,
        exit_code: out.exit_code,
        ..NodeOutput::default()
    }
}

/// The text of files a node shell may `cat` (the world's shell asks before saying "No such
/// file").
pub fn node_file(path: &str) -> Option<&'static str> {
    match path {
        "/etc/resolv.conf" => Some(dns::NODE_RESOLV_CONF),
        _ => None,
    }
}

fn node_interfaces(view: &NodeView<'_>) -> Vec<cni::Interface> {
    let pods = local_ifaces(view);
    cni::node_interfaces(view.net.cni, view.node, &pods)
}

fn node_routes(view: &NodeView<'_>) -> Vec<cni::Route> {
    cni::node_routes(view.net.cni, view.node, view.net.nodes, &local_ifaces(view))
}

fn local_ifaces(view: &NodeView<'_>) -> Vec<cni::PodIface> {
    view.net
        .pods
        .iter()
        .filter(|p| p.node == view.node.name && !p.host_network)
        .filter_map(|p| p.iface())
        .collect()
}

const NOT_ROOT: &str = "iptables v1.8.7 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n\n";

fn save_date(view: &NodeView<'_>) -> String {
    iptables::ctime(view.now_unix)
}

fn iptables_save(view: &NodeView<'_>, program: &str, args: &[String], as_root: bool) -> NodeOutput {
    if !as_root {
        return err(NOT_ROOT.replace("iptables v", "iptables-save v"), 4);
    }
    let mut table = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-t" | "--table" => table = iter.next().cloned(),
            other if other.starts_with("--table=") => {
                table = Some(other["--table=".len()..].to_owned())
            }
            _ => {}
        }
    }
    let date = save_date(view);
    let rules = view.net.rules;
    match table {
        None => ok(iptables::save_as(rules, program, &date)),
        Some(name) => match TableKind::parse(&name).and_then(|kind| rules.table(kind)) {
            Some(table) => ok(iptables::save_table_as(table, program, &date)),
            // iptables-save 1.8.7's own wording (no version prefix).
            None => err(format!("Table `{name}' does not exist\n"), 1),
        },
    }
}

fn iptables_cmd(view: &NodeView<'_>, args: &[String], as_root: bool) -> NodeOutput {
    let mut table = "filter".to_owned();
    let mut list = false;
    let mut list_rules = false;
    let mut options = ListOptions::default();
    let mut chain: Option<String> = None;
    let mut iter = args.iter().peekable();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-t" | "--table" => table = iter.next().cloned().unwrap_or_default(),
            "-L" | "--list" => list = true,
            "-S" | "--list-rules" => list_rules = true,
            "-n" | "--numeric" => options.numeric = true,
            "-v" | "--verbose" => options.verbose = true,
            "-x" | "--exact" => options.exact = true,
            "--line-numbers" => options.line_numbers = true,
            other if other.starts_with("--") => {
                return err(
                    format!(
                        "iptables v1.8.7 (nf_tables): unknown option \"{other}\"\nTry `iptables -h' or 'iptables --help' for more information.\n"
                    ),
                    2,
                );
            }
            other if other.starts_with('-') && other.len() > 1 => {
                for letter in other[1..].chars() {
                    match letter {
                        'L' => list = true,
                        'S' => list_rules = true,
                        'n' => options.numeric = true,
                        'v' => options.verbose = true,
                        'x' => options.exact = true,
                        't' => table = iter.next().cloned().unwrap_or_default(),
                        _ => {
                            return err(
                                format!(
                                    "iptables v1.8.7 (nf_tables): unknown option \"{other}\"\nTry `iptables -h' or 'iptables --help' for more information.\n"
                                ),
                                2,
                            );
                        }
                    }
                }
            }
            other => chain = Some(other.to_owned()),
        }
    }
    if !list && !list_rules {
        return err(
            "iptables v1.8.7 (nf_tables): no command specified\nTry `iptables -h' or 'iptables --help' for more information.\n",
            2,
        );
    }
    if !as_root {
        return err(NOT_ROOT, 4);
    }
    let Some(table) = TableKind::parse(&table).and_then(|kind| view.net.rules.table(kind)) else {
        return err(
            format!(
                "iptables v1.8.7 (nf_tables): table '{table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n"
            ),
            3,
        );
    };
    let result = if list_rules {
        iptables::list_rules(table, chain.as_deref(), options.verbose)
    } else {
        iptables::list(table, chain.as_deref(), options)
    };
    match result {
        Ok(text) => ok(text),
        Err(message) => err(message, 1),
    }
}

fn ip_cmd(view: &NodeView<'_>, args: &[String]) -> NodeOutput {
    let query = match iproute::parse(args) {
        Ok(q) => q,
        Err(Some(other)) => {
            return err(
                format!("Object \"{other}\" is unknown, try \"ip help\".\n"),
                1,
            );
        }
        Err(None) => {
            return err(
                "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       ip [ -force ] -batch filename\nwhere  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |\n                   link | macsec | maddress | monitor | mptcp | mroute | mrule |\n                   neighbor | neighbour | netconf | netns | nexthop | ntable |\n                   ntbl | route | rule | sr | tap | tcpmetrics |\n                   token | tunnel | tuntap | vrf | xfrm }\n",
                255,
            );
        }
    };
    let interfaces = node_interfaces(view);
    let Some(selected) = iproute::select(&interfaces, &query) else {
        let device = query.device.unwrap_or_default();
        return match query.object {
            iproute::Object::Route => err(iproute::no_route_device(&device), 1),
            _ => err(iproute::no_device(&device), 1),
        };
    };
    match query.object {
        iproute::Object::Route if query.family == Some(6) => ok(String::new()),
        iproute::Object::Route => {
            let text = cni::ip_route_text(&node_routes(view));
            match &query.device {
                Some(d) => ok(iproute::routes_for_device(&text, d)),
                None => ok(text),
            }
        }
        _ => ok(iproute::addr_text(&selected, &query, true)),
    }
}

/// `(local address, program)` of every TCP listener on the node.
fn tcp_listeners(view: &NodeView<'_>) -> Vec<(String, &'static str)> {
    let ip = view.node.ip;
    let mut list = vec![
        ("127.0.0.53:53".to_owned(), "systemd-resolve"),
        ("0.0.0.0:22".to_owned(), "sshd: /usr/sbin"),
        ("127.0.0.1:10248".to_owned(), "kubelet"),
        ("127.0.0.1:10249".to_owned(), "kube-proxy"),
        (":::10250".to_owned(), "kubelet"),
        (":::10256".to_owned(), "kube-proxy"),
        (":::22".to_owned(), "sshd: /usr/sbin"),
    ];
    if view.net.cni == cni::Cni::Calico {
        list.push(("0.0.0.0:179".to_owned(), "bird"));
        list.push(("127.0.0.1:9099".to_owned(), "calico-node"));
    }
    if view.is_control_plane {
        list.extend([
            (format!("{ip}:2379"), "etcd"),
            ("127.0.0.1:2379".to_owned(), "etcd"),
            (format!("{ip}:2380"), "etcd"),
            ("127.0.0.1:2381".to_owned(), "etcd"),
            ("127.0.0.1:10257".to_owned(), "kube-controller"),
            ("127.0.0.1:10259".to_owned(), "kube-scheduler"),
            (":::6443".to_owned(), "kube-apiserver"),
        ]);
    }
    list
}

fn pid_of(program: &str) -> u32 {
    let d = crate::net::hash::sha256(program.as_bytes());
    300 + u32::from(u16::from_be_bytes([d[0], d[1]])) % 9000
}

fn netstat(view: &NodeView<'_>, args: &[String], as_root: bool) -> NodeOutput {
    let flags: String = args
        .iter()
        .filter_map(|a| a.strip_prefix('-'))
        .filter(|a| !a.starts_with('-'))
        .collect();
    let listening = flags.contains('l');
    let with_programs = flags.contains('p');
    let mut out = String::from(if listening {
        "Active Internet connections (only servers)\n"
    } else {
        "Active Internet connections (w/o servers)\n"
    });
    out.push_str("Proto Recv-Q Send-Q Local Address           Foreign Address         State      ");
    if with_programs {
        out.push_str(" PID/Program name    ");
    }
    out.push('\n');
    if !listening {
        return ok(out);
    }
    let mut warned = false;
    for (local, program) in tcp_listeners(view) {
        let (proto, foreign) = if local.starts_with(":::") {
            ("tcp6", ":::*")
        } else {
            ("tcp", "0.0.0.0:*")
        };
        let _ = write!(
            out,
            "{proto:<4}  {:>6} {:>6} {local:<23} {foreign:<23} LISTEN     ",
            0, 0
        );
        if with_programs {
            if as_root {
                let _ = write!(out, " {:<20}", format!("{}/{program}", pid_of(program)));
            } else {
                out.push_str(" -                   ");
                warned = true;
            }
        }
        out.push('\n');
    }
    let mut result = ok(out);
    if warned {
        result.stderr = "(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)\n".to_owned();
    }
    result
}

const NET_TOOLS_VERSION: &str = "1.60+git20181103.0eebece-1ubuntu5.4";

fn apt(view: &NodeView<'_>, args: &[String], as_root: bool) -> NodeOutput {
    let verb = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str);
    let packages: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .skip(1)
        .collect();
    match verb {
        Some("install") => {}
        Some("update") if as_root => {
            return ok(
                "Hit:1 http://archive.ubuntu.com/ubuntu jammy InRelease\nHit:2 http://archive.ubuntu.com/ubuntu jammy-updates InRelease\nHit:3 http://archive.ubuntu.com/ubuntu jammy-backports InRelease\nHit:4 http://security.ubuntu.com/ubuntu jammy-security InRelease\nReading package lists... Done\n",
            );
        }
        _ if !as_root => {}
        _ => {
            return err(
                format!("E: Invalid operation {}\n", verb.unwrap_or("")),
                100,
            );
        }
    }
    if !as_root {
        return err(
            "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n",
            100,
        );
    }
    let mut out = String::from(
        "Reading package lists... Done\nBuilding dependency tree... Done\nReading state information... Done\n",
    );
    if let Some(unknown) = packages.iter().find(|p| p.as_str() != "net-tools") {
        let mut result = ok(out);
        result.stderr = format!("E: Unable to locate package {unknown}\n");
        result.exit_code = 100;
        return result;
    }
    if packages.is_empty() {
        return ok(format!(
            "{out}0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n"
        ));
    }
    if view.net_tools {
        let _ = writeln!(
            out,
            "net-tools is already the newest version ({NET_TOOLS_VERSION})."
        );
        out.push_str("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
        return ok(out);
    }
    out.push_str("The following NEW packages will be installed:\n  net-tools\n");
    out.push_str("0 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.\n");
    out.push_str("Need to get 204 kB of archives.\nAfter this operation, 819 kB of additional disk space will be used.\n");
    let _ = writeln!(
        out,
        "Get:1 http://archive.ubuntu.com/ubuntu jammy-updates/main amd64 net-tools amd64 {NET_TOOLS_VERSION} [204 kB]"
    );
    out.push_str("Fetched 204 kB in 1s (245 kB/s)\nSelecting previously unselected package net-tools.\n(Reading database ... 75210 files and directories currently installed.)\n");
    let _ = writeln!(
        out,
        "Preparing to unpack .../net-tools_{NET_TOOLS_VERSION}_amd64.deb ..."
    );
    let _ = writeln!(out, "Unpacking net-tools ({NET_TOOLS_VERSION}) ...");
    let _ = writeln!(out, "Setting up net-tools ({NET_TOOLS_VERSION}) ...");
    out.push_str("Processing triggers for man-db (2.10.2-1) ...\n");
    let mut result = ok(out);
    result.installed_net_tools = true;
    result.elapsed_ms = 3000;
    result
}

/// go-units `HumanDuration`, as docker and crictl print ages.
pub fn human_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    if seconds < 1 {
        return "Less than a second".to_owned();
    }
    if seconds == 1 {
        return "1 second".to_owned();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return "About a minute".to_owned();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    let hours = minutes / 60;
    if hours == 1 {
        return "About an hour".to_owned();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    let days = hours / 24;
    if days < 14 {
        return format!("{days} days");
    }
    if days < 90 {
        return format!("{} weeks", days / 7);
    }
    if days < 730 {
        return format!("{} months", days / 30);
    }
    format!("{} years", days / 365)
}

fn short_id(seed: &str, len: usize) -> String {
    let digest = crate::net::hash::sha256(seed.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..len.min(hex.len())].to_owned()
}

/// Go's text/tabwriter as docker (minwidth 10, padding 3) and crictl (20, 3) use it; widths
/// count characters, not bytes (the `…` of a truncated COMMAND is one).
fn tabwrite(rows: &[Vec<String>], min_width: usize, padding: usize) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|col| {
            rows.iter()
                .filter_map(|r| r.get(col))
                .map(|cell| cell.chars().count() + padding)
                .max()
                .unwrap_or(0)
                .max(min_width)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        for (col, cell) in row.iter().enumerate() {
            if col + 1 == row.len() {
                out.push_str(cell);
            } else {
                out.push_str(cell);
                let pad = widths[col].saturating_sub(cell.chars().count());
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    out
}

/// One docker container on the node: the sandbox (pause) or an app container.
struct DockerRow {
    id: String,
    image: String,
    command: String,
    created: i64,
    name: String,
    /// The image reference (`gasbugs/http-go`, `registry.k8s.io/pause:3.10`).
    reference: String,
    /// The pod's sandbox container name, for an app container; `None` for the sandbox.
    sandbox: Option<String>,
    namespace: String,
    pod: String,
    uid: String,
}

fn docker_rows(view: &NodeView<'_>) -> Vec<DockerRow> {
    let mut rows = Vec::new();
    for pod in view.pods {
        let sandbox_name = format!("k8s_POD_{}_{}_{}_0", pod.name, pod.namespace, pod.uid);
        rows.push(DockerRow {
            id: short_id(&sandbox_name, 12),
            image: PAUSE_IMAGE.to_owned(),
            command: "\"/pause\"".to_owned(),
            created: pod.created_unix,
            name: sandbox_name.clone(),
            reference: PAUSE_IMAGE.to_owned(),
            sandbox: None,
            namespace: pod.namespace.clone(),
            pod: pod.name.clone(),
            uid: pod.uid.clone(),
        });
        for (idx, (container, image, started)) in pod.containers.iter().enumerate() {
            if !started {
                continue;
            }
            let info = apps::lookup(image);
            let name = format!(
                "k8s_{container}_{}_{}_{}_{}",
                pod.name, pod.namespace, pod.uid, pod.restarts
            );
            rows.push(DockerRow {
                id: short_id(&name, 12),
                image: info.image_id.clone(),
                command: info.command.to_owned(),
                created: pod.created_unix + 1 + idx as i64,
                name,
                reference: image.clone(),
                sandbox: Some(sandbox_name.clone()),
                namespace: pod.namespace.clone(),
                pod: pod.name.clone(),
                uid: pod.uid.clone(),
            });
        }
    }
    // docker ps lists the newest container first.
    crate::sort::sort_by(&mut rows, |a, b| {
        b.created.cmp(&a.created).then_with(|| a.name.cmp(&b.name))
    });
    rows
}

fn docker(view: &NodeView<'_>, args: &[String], as_root: bool) -> NodeOutput {
    let sub = args.first().map(String::as_str);
    if !as_root {
        return err(
            "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.47/containers/json\": dial unix /var/run/docker.sock: connect: permission denied\n",
            1,
        );
    }
    match sub {
        Some("inspect") => return inspect::inspect(view, args.get(1..).unwrap_or_default()),
        Some("container") if args.get(1).map(String::as_str) == Some("inspect") => {
            return inspect::inspect(view, args.get(2..).unwrap_or_default());
        }
        Some("ps") | Some("container") => {}
        Some("version") | Some("--version") | Some("-v") => {
            return ok("Docker version 27.5.1, build 9f9e405\n");
        }
        Some(other) => {
            return err(
                format!("docker: '{other}' is not a docker command.\nSee 'docker --help'\n"),
                1,
            );
        }
        None => return err("Usage:  docker [OPTIONS] COMMAND\n", 0),
    }
    let mut format: Option<String> = None;
    let mut quiet = false;
    let mut no_trunc = false;
    let mut iter = args.iter().skip(1);
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--format" => format = iter.next().cloned(),
            "-q" | "--quiet" => quiet = true,
            "--no-trunc" => no_trunc = true,
            other if other.starts_with("--format=") => {
                format = Some(other["--format=".len()..].to_owned())
            }
            _ => {}
        }
    }
    let mut rows = docker_rows(view);
    if no_trunc {
        // The full 64-hex ID `docker inspect` shows as `Id`.
        for row in &mut rows {
            row.id = short_id(&row.name, 64);
        }
    }
    if quiet {
        return ok(rows
            .iter()
            .map(|r| format!("{}\n", r.id))
            .collect::<String>());
    }
    if let Some(format) = format {
        let text: String = rows
            .iter()
            .map(|r| {
                let line = format
                    .replace("{{.Names}}", &r.name)
                    .replace("{{.ID}}", &r.id)
                    .replace("{{.Image}}", &r.image)
                    .replace("{{.Command}}", &r.command)
                    .replace("\\t", "\t");
                format!("{line}\n")
            })
            .collect();
        return ok(text);
    }
    let mut table = vec![
        [
            "CONTAINER ID",
            "IMAGE",
            "COMMAND",
            "CREATED",
            "STATUS",
            "PORTS",
            "NAMES",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for r in &rows {
        let age = human_duration(view.now_unix - r.created);
        table.push(vec![
            r.id.clone(),
            r.image.clone(),
            r.command.clone(),
            format!("{age} ago"),
            format!("Up {age}"),
            String::new(),
            r.name.clone(),
        ]);
    }
    ok(tabwrite(&table, 10, 3))
}

fn crictl(view: &NodeView<'_>, args: &[String], as_root: bool) -> NodeOutput {
    if !as_root {
        return err(
            "time=\"2026-11-26T09:00:00Z\" level=fatal msg=\"validate service connection: validate CRI v1 runtime API for endpoint \\\"unix:///var/run/cri-dockerd.sock\\\": rpc error: code = Unavailable desc = connection error: desc = \\\"transport: Error while dialing: dial unix /var/run/cri-dockerd.sock: connect: permission denied\\\"\"\n",
            1,
        );
    }
    let ago = |unix: i64| format!("{} ago", human_duration(view.now_unix - unix));
    match args.first().map(String::as_str) {
        Some("pods") => {
            let mut table = vec![
                [
                    "POD ID",
                    "CREATED",
                    "STATE",
                    "NAME",
                    "NAMESPACE",
                    "ATTEMPT",
                    "RUNTIME",
                ]
                .map(str::to_owned)
                .to_vec(),
            ];
            let mut pods: Vec<&NodePod> = view.pods.iter().collect();
            crate::sort::sort_by_key(&mut pods, |p| std::cmp::Reverse(p.created_unix));
            for pod in pods {
                let sandbox = format!("k8s_POD_{}_{}_{}_0", pod.name, pod.namespace, pod.uid);
                table.push(vec![
                    short_id(&sandbox, 13),
                    ago(pod.created_unix),
                    if pod.ready { "Ready" } else { "NotReady" }.to_owned(),
                    pod.name.clone(),
                    pod.namespace.clone(),
                    "0".to_owned(),
                    "(default)".to_owned(),
                ]);
            }
            ok(tabwrite(&table, 20, 3))
        }
        Some("ps") => {
            let mut table = vec![
                [
                    "CONTAINER",
                    "IMAGE",
                    "CREATED",
                    "STATE",
                    "NAME",
                    "ATTEMPT",
                    "POD ID",
                    "POD",
                    "NAMESPACE",
                ]
                .map(str::to_owned)
                .to_vec(),
            ];
            let mut pods: Vec<&NodePod> = view.pods.iter().collect();
            crate::sort::sort_by_key(&mut pods, |p| std::cmp::Reverse(p.created_unix));
            for pod in pods {
                let sandbox = format!("k8s_POD_{}_{}_{}_0", pod.name, pod.namespace, pod.uid);
                for (container, image, started) in &pod.containers {
                    if !started {
                        continue;
                    }
                    let name = format!(
                        "k8s_{container}_{}_{}_{}_{}",
                        pod.name, pod.namespace, pod.uid, pod.restarts
                    );
                    let info = apps::lookup(image);
                    table.push(vec![
                        short_id(&name, 13),
                        format!("{}{}", info.image_id, &short_id(image, 1)),
                        ago(pod.created_unix + 1),
                        "Running".to_owned(),
                        container.clone(),
                        pod.restarts.to_string(),
                        short_id(&sandbox, 13),
                        pod.name.clone(),
                        pod.namespace.clone(),
                    ]);
                }
            }
            ok(tabwrite(&table, 20, 3))
        }
        Some("--version") | Some("-v") | Some("version") => ok("crictl version v1.32.0\n"),
        _ => err(
            "NAME:\n   crictl - client for CRI\n\nUSAGE:\n   crictl [global options] command [command options]\n",
            1,
        ),
    }
}

/// The nat-table rules as kube-proxy last wrote them, for callers that only want text.
pub fn iptables_save_text(rules: &Ruleset, now_unix: i64) -> String {
    iptables::save(rules, &iptables::ctime(now_unix))
}

#[cfg(test)]
mod tests;
