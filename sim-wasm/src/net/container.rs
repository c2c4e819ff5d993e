//! Commands run inside a container (`kubectl exec POD -- CMD`, or typed after
//! `kubectl exec -it POD -- sh`): the network clients the image ships, the files kubelet
//! writes into every pod (`/etc/resolv.conf`, `/etc/hosts`), `hostname`, `env` with the
//! service variables, `ip addr` showing the sandbox's `lo` + `eth0`, `netstat` showing every
//! container's ports (they share the pause container's network namespace), and the real
//! runtime error for a binary the image does not have.
//!
//! Input is a [`ContainerView`] of plain values; the world builds it.

use std::fmt::Write as _;

use crate::net::addr::{Cidr, Ipv4, Port, Protocol};
use crate::net::apps::{self, ImageInfo};
use crate::net::clients::{self, ClientContext, ClientOutput};
use crate::net::cni;
use crate::net::dataplane::{Network, PodNet, Source};
use crate::net::dns::{self, ResolvConf};
use crate::net::iproute;
use crate::net::trace::Trace;
use crate::rand::Rng;

/// One container of a running pod.
pub struct ContainerView<'a> {
    pub net: &'a Network<'a>,
    pub pod: &'a PodNet,
    pub container: &'a str,
    pub image: &'a str,
    /// `spec.containers[].env`, in order.
    pub env: &'a [(String, String)],
    /// The `{SVC}_SERVICE_HOST`… variables kubelet injects (see [`service_env`]).
    pub service_env: &'a [(String, String)],
    /// `kubectl exec -t`: stdout is a terminal.
    pub tty: bool,
    pub now_unix: i64,
    /// Files `kubectl cp` put in the container (its writable layer), if any.
    pub files: Option<&'a crate::shell::Files>,
}

/// What the command printed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub traces: Vec<Trace>,
    pub elapsed_ms: u64,
}

impl From<ClientOutput> for ContainerOutput {
    fn from(out: ClientOutput) -> ContainerOutput {
        ContainerOutput {
            stdout: out.stdout,
            stderr: out.stderr,
            exit_code: out.exit_code,
            traces: out.traces,
            elapsed_ms: out.elapsed_ms,
        }
    }
}

fn ok(stdout: impl Into<String>) -> ContainerOutput {
    ContainerOutput {
        stdout: stdout.into(),
        ..ContainerOutput::default()
    }
}

fn fail(stderr: impl Into<String>, exit_code: i32) -> ContainerOutput {
    ContainerOutput {
        stderr: stderr.into(),
        exit_code,
        ..ContainerOutput::default()
    }
}

/// A Service as kubelet's environment variables see it.
pub struct EnvService<'a> {
    pub name: &'a str,
    pub cluster_ip: Ipv4,
    /// `(port name, protocol, port)`; the first is the "main" port.
    pub ports: &'a [(String, Protocol, Port)],
}

/// The Docker-links-style variables kubelet sets for every service in the pod's namespace
/// that existed when the pod started (pkg/kubelet/envvars), e.g. `SRV_JENKINS_SERVICE_HOST`.
pub fn service_env(services: &[EnvService<'_>]) -> Vec<(String, String)> {
    let mut vars = Vec::new();
    for svc in services {
        let Some((_, first_proto, first_port)) = svc.ports.first() else {
            continue;
        };
        let prefix = svc.name.to_ascii_uppercase().replace('-', "_");
        let ip = svc.cluster_ip;
        vars.push((format!("{prefix}_SERVICE_HOST"), ip.to_string()));
        vars.push((format!("{prefix}_SERVICE_PORT"), first_port.to_string()));
        for (name, _, port) in svc.ports {
            if !name.is_empty() {
                vars.push((
                    format!(
                        "{prefix}_SERVICE_PORT_{}",
                        name.to_ascii_uppercase().replace('-', "_")
                    ),
                    port.to_string(),
                ));
            }
        }
        vars.push((
            format!("{prefix}_PORT"),
            format!("{}://{ip}:{first_port}", first_proto.lower()),
        ));
        for (_, proto, port) in svc.ports {
            let base = format!("{prefix}_PORT_{port}_{}", proto.upper());
            vars.push((base.clone(), format!("{}://{ip}:{port}", proto.lower())));
            vars.push((format!("{base}_PROTO"), proto.lower().to_owned()));
            vars.push((format!("{base}_PORT"), port.to_string()));
            vars.push((format!("{base}_ADDR"), ip.to_string()));
        }
    }
    vars
}

/// `/etc/hosts` as kubelet writes it into every pod that is not on the host network.
pub fn hosts_file(pod: &PodNet) -> String {
    let mut text = String::from(
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n",
    );
    if let Some(ip) = pod.ip {
        let _ = writeln!(text, "{ip}\t{}", pod.name);
    }
    text
}

/// The files of a container the simulator knows (kubelet-managed ones).
pub fn container_file(pod: &PodNet, path: &str) -> Option<String> {
    match path {
        "/etc/resolv.conf" => Some(if pod.host_network {
            dns::NODE_RESOLV_CONF.to_owned()
        } else {
            ResolvConf::cluster_first(&pod.namespace).pod_file_text()
        }),
        "/etc/hosts" => Some(hosts_file(pod)),
        "/etc/hostname" => Some(format!("{}\n", pod.name)),
        _ => None,
    }
}

/// The runtime's answer when the image has no such program (runc via cri-dockerd). Docker
/// writes it into the exec's output stream, so it arrives on stdout; kubectl then adds
/// `command terminated with exit code 126` on stderr.
pub fn not_found(program: &str) -> ContainerOutput {
    let detail = if program.contains('/') {
        format!("exec: \"{program}\": stat {program}: no such file or directory")
    } else {
        format!("exec: \"{program}\": executable file not found in $PATH")
    };
    ContainerOutput {
        stdout: format!(
            "OCI runtime exec failed: exec failed: unable to start container process: {detail}: unknown\n"
        ),
        exit_code: 126,
        ..ContainerOutput::default()
    }
}

/// Runs `argv` in the container. `None` for a program the image has but the simulator does
/// not model (the caller decides what to print).
pub fn exec(view: &ContainerView<'_>, rng: &mut Rng, argv: &[String]) -> Option<ContainerOutput> {
    let program = argv.first()?;
    let name = program.rsplit('/').next().unwrap_or(program).to_owned();
    let info = apps::lookup(view.image);
    if !info.has(&name) {
        return Some(not_found(program));
    }
    let args = argv.get(1..).unwrap_or_default();
    let ctx = ClientContext {
        net: view.net,
        source: Source::Pod {
            namespace: view.pod.namespace.clone(),
            name: view.pod.name.clone(),
        },
        tty: view.tty,
        now_unix: view.now_unix,
    };
    let conf = view.net.resolv_conf(&ctx.source);
    let out = match name.as_str() {
        "sh" | "bash" | "ash" | "zsh" => {
            // `sh -c "CMD ARGS"` runs one simple command; pipes and the rest are the shell
            // layer's business.
            let script = args
                .iter()
                .position(|a| a == "-c")
                .and_then(|i| args.get(i + 1))?;
            let words: Vec<String> = script.split_whitespace().map(str::to_owned).collect();
            if words.is_empty() {
                return Some(ContainerOutput::default());
            }
            return match exec(view, rng, &words) {
                Some(out) if out.exit_code == 126 && out.stdout.starts_with("OCI runtime") => {
                    // Each shell words "not found" its own way: bash, BusyBox ash, Debian dash.
                    let message = if name == "bash" {
                        format!("bash: line 1: {}: command not found\n", words[0])
                    } else if info.has("ash") {
                        format!("sh: {}: not found\n", words[0])
                    } else {
                        format!("sh: 1: {}: not found\n", words[0])
                    };
                    Some(fail(message, 127))
                }
                other => other,
            };
        }
        "curl" => clients::curl(
            &ctx,
            rng,
            info.curl.unwrap_or(apps::CurlFlavor::Bookworm),
            argv,
        )
        .into(),
        "wget" => clients::wget(&ctx, rng, argv).into(),
        "nc" => clients::nc(&ctx, rng, argv).into(),
        "ping" => clients::ping(
            &ctx,
            rng,
            info.ping.unwrap_or(apps::PingFlavor::Busybox),
            argv,
        )
        .into(),
        "nslookup" | "host" | "dig" => {
            let result = if name == "host" {
                dns::host(view.net.dns, &conf, args)
            } else if name == "dig" {
                let id = (rng.next_u32() & 0xffff) as u16;
                let when = dig_date(view.now_unix);
                dns::dig(view.net.dns, &conf, args, id, &when)
            } else {
                let flavor = info.nslookup.unwrap_or(dns::NslookupFlavor::Busybox);
                dns::nslookup(flavor, view.net.dns, &conf, args)
            };
            let source = format!("포드 {}/{}", view.pod.namespace, view.pod.name);
            let trace = result.trace(&argv.join(" "), &source, conf.nameserver);
            let mut out = lookup(result);
            out.traces.push(trace);
            out
        }
        "cat" => cat(view, args),
        "hostname" => ok(format!("{}\n", view.pod.name)),
        "env" | "printenv" => ok(environment(view, &info)),
        "pwd" => ok(format!("{}\n", info.workdir)),
        "whoami" => ok(if info.repository == "curlimages/curl" {
            "curl_user\n"
        } else {
            "root\n"
        }),
        "echo" => ok(format!("{}\n", args.join(" "))),
        "true" => ok(""),
        "false" => fail("", 1),
        "sleep" => ContainerOutput {
            elapsed_ms: args
                .first()
                .and_then(|s| s.parse::<u64>().ok())
                .unwrap_or(0)
                * 1000,
            ..ContainerOutput::default()
        },
        "ip" => ip(view, args),
        "ifconfig" => ok(busybox_ifconfig(view)),
        "netstat" => ok(netstat(view)),
        "ls" => ls(&info, view.files, args),
        _ => return None,
    };
    Some(out)
}

/// `Thu Nov 26 09:00:00 UTC 2026`, dig's `WHEN:` line.
pub fn dig_date(unix_seconds: i64) -> String {
    let text = crate::net::iptables::ctime(unix_seconds);
    match text.rsplit_once(' ') {
        Some((head, year)) => format!("{head} UTC {year}"),
        None => text,
    }
}

fn lookup(out: dns::LookupOutput) -> ContainerOutput {
    ContainerOutput {
        stdout: out.stdout,
        stderr: out.stderr,
        exit_code: out.exit_code,
        ..ContainerOutput::default()
    }
}

fn cat(view: &ContainerView<'_>, args: &[String]) -> ContainerOutput {
    let mut out = ContainerOutput::default();
    for path in args {
        let copied = view.files.and_then(|f| f.read(path)).map(str::to_owned);
        match copied.or_else(|| container_file(view.pod, path)) {
            Some(text) => out.stdout.push_str(&text),
            None => {
                let _ = writeln!(out.stderr, "cat: {path}: No such file or directory");
                out.exit_code = 1;
            }
        }
    }
    out
}

fn environment(view: &ContainerView<'_>, info: &ImageInfo) -> String {
    let mut text =
        String::from("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n");
    let _ = writeln!(text, "HOSTNAME={}", view.pod.name);
    for (key, value) in view.env.iter().chain(view.service_env) {
        let _ = writeln!(text, "{key}={value}");
    }
    let home = if info.repository == "curlimages/curl" {
        "/home/curl_user"
    } else {
        "/root"
    };
    let _ = writeln!(text, "HOME={home}");
    text
}

fn ip(view: &ContainerView<'_>, args: &[String]) -> ContainerOutput {
    let Some(iface) = view.pod.iface() else {
        return ok("");
    };
    let Ok(query) = iproute::parse(args) else {
        return fail(
            "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n",
            1,
        );
    };
    let interfaces = cni::pod_interfaces(view.net.cni, &iface);
    let Some(selected) = iproute::select(&interfaces, &query) else {
        return fail(
            iproute::busybox_no_device(&query.device.unwrap_or_default()),
            1,
        );
    };
    match query.object {
        iproute::Object::Route if query.family == Some(6) => ok(""),
        iproute::Object::Route => {
            let text = cni::pod_routes_text(view.net.cni, &iface);
            match &query.device {
                Some(d) => ok(iproute::routes_for_device(&text, d)),
                None => ok(text),
            }
        }
        _ => ok(iproute::addr_text(&selected, &query, false)),
    }
}

fn busybox_ifconfig(view: &ContainerView<'_>) -> String {
    let Some(iface) = view.pod.iface() else {
        return String::new();
    };
    let mut text = String::new();
    for i in cni::pod_interfaces(view.net.cni, &iface)
        .iter()
        .filter(|i| i.state != "DOWN")
    {
        let mac = i
            .link
            .split_whitespace()
            .nth(1)
            .unwrap_or("")
            .to_ascii_uppercase();
        if i.name == "lo" {
            text.push_str("lo        Link encap:Local Loopback  \n          inet addr:127.0.0.1  Mask:255.0.0.0\n          UP LOOPBACK RUNNING  MTU:65536  Metric:1\n");
        } else {
            let _ = writeln!(text, "{:<10}Link encap:Ethernet  HWaddr {mac}  ", i.name);
            if let Some((ip, prefix, broadcast)) = i.inet {
                let mask = Cidr::new(ip, prefix).mask();
                match broadcast {
                    Some(brd) => {
                        let _ =
                            writeln!(text, "          inet addr:{ip}  Bcast:{brd}  Mask:{mask}");
                    }
                    None => {
                        let _ = writeln!(text, "          inet addr:{ip}  Mask:{mask}");
                    }
                }
            }
            let _ = writeln!(
                text,
                "          UP BROADCAST RUNNING MULTICAST  MTU:{}  Metric:1",
                i.mtu
            );
        }
        text.push_str("          RX packets:0 errors:0 dropped:0 overruns:0 frame:0\n          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0\n");
        let qlen = if i.name == "lo" { 1000 } else { 0 };
        let _ = writeln!(
            text,
            "          collisions:0 txqueuelen:{qlen} \n          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)\n"
        );
    }
    text
}

fn netstat(view: &ContainerView<'_>) -> String {
    let mut text = String::from(
        "Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       \n",
    );
    for (_, listener) in view.pod.listeners() {
        let proto = match listener.protocol {
            Protocol::Udp => "udp",
            _ => "tcp",
        };
        let local = format!(":::{}", listener.port);
        let state = if proto == "tcp" { "LISTEN" } else { "" };
        let _ = writeln!(
            text,
            "{proto:<5} {:>6} {:>6} {local:<23} {:<23} {state:<12}",
            0, 0, ":::*"
        );
    }
    text
}

fn ls(info: &ImageInfo, files: Option<&crate::shell::Files>, args: &[String]) -> ContainerOutput {
    let path = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map_or(info.workdir, String::as_str);
    // What `kubectl cp` wrote joins what the image has.
    if let Some(files) = files {
        let absolute = crate::shell::files::normalize(info.workdir, path);
        if files.is_dir(&absolute) {
            let mut names = std::collections::BTreeSet::new();
            names.extend(
                files
                    .list_dir(&absolute)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|e| e.name),
            );
            let image = ls(info, None, std::slice::from_ref(&absolute));
            if image.exit_code == 0 {
                names.extend(image.stdout.lines().map(str::to_owned));
            }
            return ok(names
                .into_iter()
                .map(|e| format!("{e}\n"))
                .collect::<String>());
        }
        if files.read(&absolute).is_some() {
            return ok(format!("{path}\n"));
        }
    }
    let entries: &[&str] = match path {
        "/" => &[
            "bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc",
            "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var",
        ],
        "/usr/src/app" if info.repository == "gasbugs/http-go" => &["main"],
        "/etc" => &["hostname", "hosts", "passwd", "resolv.conf"],
        _ if path == info.workdir => &[],
        _ => {
            return fail(
                format!("ls: cannot access '{path}': No such file or directory\n"),
                2,
            );
        }
    };
    ok(entries.iter().map(|e| format!("{e}\n")).collect::<String>())
}

#[cfg(test)]
mod tests;
