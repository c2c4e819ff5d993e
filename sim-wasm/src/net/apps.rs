//! The image catalog: what each container image the lessons use listens on, how it answers
//! HTTP, which binaries it ships (and so which `curl`, `wget`, `nslookup`, `ping` a student
//! gets inside it), its working directory and the command `docker ps` shows.
//!
//! Facts about the course's own image (gasbugs/http-go) come from fidelity.md §10; the rest
//! from the images' Dockerfiles as published (marked [MEM] where not verified here).
//! Knows nothing about pods or the network.

use crate::net::addr::{Port, Protocol};
use crate::net::dns::NslookupFlavor;
use crate::net::iptables::ctime;

/// Which curl an image ships; the error texts differ by version (fidelity.md §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurlFlavor {
    /// curl 7.52–7.74 (Debian stretch/buster/bullseye): `Failed to connect to H port P:
    /// Connection refused`.
    Legacy,
    /// curl 7.81.0 (Ubuntu 22.04 nodes): `... after N ms: Connection refused`.
    Ubuntu2204,
    /// curl 7.88.1 (Debian bookworm): `... after N ms: Couldn't connect to server`.
    Bookworm,
    /// curl 8.x (curlimages/curl, netshoot): `... after N ms: Could not connect to server`.
    Modern,
}

impl CurlFlavor {
    pub fn version(self) -> &'static str {
        match self {
            CurlFlavor::Legacy => "7.64.0",
            CurlFlavor::Ubuntu2204 => "7.81.0",
            CurlFlavor::Bookworm => "7.88.1",
            CurlFlavor::Modern => "8.11.1",
        }
    }
}

/// Which `ping` an image ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PingFlavor {
    Busybox,
    Iputils,
}

/// A server process inside an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum App {
    HttpGo,
    Jenkins,
    JenkinsAgent,
    Nginx,
    Httpd,
    Tomcat,
    Redis,
    Mysql,
    CoreDns,
    CoreDnsMetrics,
    /// kube-apiserver on the control plane (HTTPS only).
    KubeApiserver,
    /// kubelet's API on every node (HTTPS only).
    Kubelet,
    /// Any other node daemon (sshd, etcd, ...): no HTTP.
    NodeDaemon,
}

impl App {
    /// Whether the server speaks only TLS (a plain-HTTP request gets Go's 400 text).
    pub fn tls_only(self) -> bool {
        matches!(self, App::KubeApiserver | App::Kubelet)
    }
}

/// One listening socket of an image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listener {
    pub port: Port,
    pub protocol: Protocol,
    /// The process name `netstat -p` shows.
    pub process: &'static str,
    pub app: App,
}

/// What we know about one image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub repository: String,
    pub tag: String,
    pub listeners: Vec<Listener>,
    /// Programs on `$PATH` (beyond the shell builtins).
    pub binaries: &'static [&'static str],
    pub curl: Option<CurlFlavor>,
    pub nslookup: Option<NslookupFlavor>,
    pub ping: Option<PingFlavor>,
    pub workdir: &'static str,
    /// `docker ps`'s quoted COMMAND (already truncated the way the CLI does).
    pub command: &'static str,
    /// Short image ID `docker ps` shows for a container created from an image ID.
    pub image_id: String,
}

const BUSYBOX_BINS: &[&str] = &[
    "sh", "ash", "cat", "ls", "env", "hostname", "ip", "ifconfig", "route", "netstat", "ping",
    "nslookup", "wget", "nc", "telnet", "echo", "ps", "sleep", "pwd", "id", "whoami", "uname",
    "date", "head", "tail", "grep", "mkdir", "rm", "touch", "df", "free", "top", "vi",
];
const DEBIAN_BINS: &[&str] = &[
    "bash", "sh", "cat", "ls", "env", "hostname", "echo", "ps", "sleep", "pwd", "id", "whoami",
    "uname", "date", "head", "tail", "grep", "mkdir", "rm", "touch", "df",
];
const DEBIAN_CURL_BINS: &[&str] = &[
    "bash", "sh", "curl", "cat", "ls", "env", "hostname", "echo", "ps", "sleep", "pwd", "id",
    "whoami", "uname", "date", "head", "tail", "grep", "mkdir", "rm", "touch", "df",
];
const ALPINE_CURL_BINS: &[&str] = &[
    "sh", "ash", "curl", "cat", "ls", "env", "hostname", "ip", "ifconfig", "route", "netstat",
    "ping", "nslookup", "wget", "nc", "echo", "ps", "sleep", "pwd", "id", "whoami", "uname",
    "date", "head", "tail", "grep", "mkdir", "rm", "touch",
];
const NETSHOOT_BINS: &[&str] = &[
    "bash", "sh", "zsh", "curl", "cat", "ls", "env", "hostname", "ip", "ifconfig", "route",
    "netstat", "ping", "nslookup", "dig", "host", "wget", "nc", "echo", "ps", "sleep", "pwd",
    "iptables", "tcpdump", "ss",
];

fn listener(port: Port, process: &'static str, app: App) -> Listener {
    Listener {
        port,
        protocol: Protocol::Tcp,
        process,
        app,
    }
}

/// Splits `registry/repo:tag` (a missing tag is `latest`; `docker.io/library/` is dropped).
/// Borrowed, not copied: the kubelet asks it of every container of every pod it checks.
pub fn split_image(image: &str) -> (&str, &str) {
    let without_digest = image.split('@').next().unwrap_or(image);
    let (repo, tag) = match without_digest.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, tag),
        _ => (without_digest, "latest"),
    };
    let repo = strip_all(strip_all(repo, "docker.io/"), "library/");
    (repo, tag)
}

/// `s` without any leading copies of `prefix`: `trim_start_matches`, without the string
/// searcher that a `&str` pattern builds on every call (the kubelet's image checks showed it).
fn strip_all<'a>(mut s: &'a str, prefix: &str) -> &'a str {
    while let Some(rest) = s.strip_prefix(prefix) {
        s = rest;
    }
    s
}

fn image_id(image: &str) -> String {
    let digest = crate::net::hash::sha256(image.as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The catalog entry for an image reference. Unknown images get a plain Debian-like shell
/// with no listeners, so students can still exec into them.
pub fn lookup(image: &str) -> ImageInfo {
    let (repository, tag) = split_image(image);
    let (repository, tag) = (repository.to_owned(), tag.to_owned());
    let mut info = ImageInfo {
        repository: repository.clone(),
        tag: tag.clone(),
        listeners: Vec::new(),
        binaries: DEBIAN_BINS,
        curl: None,
        nslookup: None,
        ping: None,
        workdir: "/",
        command: "\"/bin/sh\"",
        image_id: image_id(image),
    };
    match repository.as_str() {
        "gasbugs/http-go" => {
            info.listeners = vec![listener(8080, "main", App::HttpGo)];
            info.binaries = DEBIAN_CURL_BINS;
            info.curl = Some(CurlFlavor::Legacy);
            info.workdir = "/usr/src/app";
            info.command = "\"./main\"";
        }
        "jenkins/jenkins" => {
            info.listeners = vec![
                listener(8080, "java", App::Jenkins),
                listener(50000, "java", App::JenkinsAgent),
            ];
            info.binaries = DEBIAN_CURL_BINS;
            info.curl = Some(CurlFlavor::Bookworm);
            info.workdir = "/";
            info.command = "\"/usr/bin/tini -- /u…\"";
        }
        "nginx" => {
            info.listeners = vec![listener(80, "nginx", App::Nginx)];
            info.binaries = DEBIAN_CURL_BINS;
            info.curl = Some(CurlFlavor::Bookworm);
            info.command = "\"/docker-entrypoint.…\"";
        }
        "httpd" => {
            info.listeners = vec![listener(80, "httpd", App::Httpd)];
            info.workdir = "/usr/local/apache2";
            info.command = "\"httpd-foreground\"";
        }
        "tomcat" => {
            info.listeners = vec![listener(8080, "java", App::Tomcat)];
            info.workdir = "/usr/local/tomcat";
            info.command = "\"catalina.sh run\"";
        }
        "redis" => {
            info.listeners = vec![listener(6379, "redis-server", App::Redis)];
            info.workdir = "/data";
            info.command = "\"docker-entrypoint.s…\"";
        }
        "mysql" => {
            info.listeners = vec![
                listener(3306, "mysqld", App::Mysql),
                listener(33060, "mysqld", App::Mysql),
            ];
            info.command = "\"docker-entrypoint.s…\"";
        }
        "busybox" => {
            info.binaries = BUSYBOX_BINS;
            info.nslookup = Some(if tag.starts_with("1.28") || tag.starts_with("1.29") {
                NslookupFlavor::Busybox128
            } else {
                NslookupFlavor::Busybox
            });
            info.ping = Some(PingFlavor::Busybox);
            info.command = "\"sh\"";
        }
        "alpine" => {
            info.binaries = BUSYBOX_BINS;
            info.nslookup = Some(NslookupFlavor::Busybox);
            info.ping = Some(PingFlavor::Busybox);
            info.command = "\"/bin/sh\"";
        }
        "curlimages/curl" => {
            info.binaries = ALPINE_CURL_BINS;
            info.curl = Some(CurlFlavor::Modern);
            info.nslookup = Some(NslookupFlavor::Busybox);
            info.ping = Some(PingFlavor::Busybox);
            info.workdir = "/home/curl_user";
            info.command = "\"/entrypoint.sh slee…\"";
        }
        "nicolaka/netshoot" => {
            info.binaries = NETSHOOT_BINS;
            info.curl = Some(CurlFlavor::Modern);
            info.nslookup = Some(NslookupFlavor::Bind);
            info.ping = Some(PingFlavor::Iputils);
            info.workdir = "/root";
            info.command = "\"zsh\"";
        }
        "registry.k8s.io/pause" | "k8s.gcr.io/pause" => {
            info.binaries = &[];
            info.command = "\"/pause\"";
        }
        "registry.k8s.io/coredns/coredns" | "coredns/coredns" => {
            info.binaries = &[];
            info.listeners = vec![
                Listener {
                    port: 53,
                    protocol: Protocol::Udp,
                    process: "coredns",
                    app: App::CoreDns,
                },
                listener(53, "coredns", App::CoreDns),
                listener(9153, "coredns", App::CoreDnsMetrics),
            ];
            info.command = "\"/coredns -conf /etc…\"";
        }
        // kube-system's images: only what `docker ps` shows (COMMAND cut to 20 characters).
        "registry.k8s.io/kube-proxy" => info.command = "\"/usr/local/bin/kube…\"",
        "registry.k8s.io/etcd" => info.command = "\"etcd --advertise-cl…\"",
        "registry.k8s.io/kube-apiserver" => info.command = "\"kube-apiserver --ad…\"",
        "registry.k8s.io/kube-controller-manager" => info.command = "\"kube-controller-man…\"",
        "registry.k8s.io/kube-scheduler" => info.command = "\"kube-scheduler --au…\"",
        "calico/node" => info.command = "\"start_runit\"",
        "calico/kube-controllers" => info.command = "\"/usr/bin/kube-contr…\"",
        "ghcr.io/flannel-io/flannel" | "flannel/flannel" => {
            info.command = "\"/opt/bin/flanneld -…\""
        }
        "weaveworks/weave-kube" => info.command = "\"/home/weave/launch.…\"",
        "weaveworks/weave-npc" => info.command = "\"/usr/bin/launch.sh\"",
        _ => {}
    }
    info
}

impl ImageInfo {
    pub fn has(&self, binary: &str) -> bool {
        let name = binary.rsplit('/').next().unwrap_or(binary);
        self.binaries.contains(&name)
    }

    /// The shell `kubectl exec -it ... -- sh|bash` would find.
    pub fn shell(&self) -> Option<&'static str> {
        ["bash", "sh"].into_iter().find(|s| self.has(s))
    }
}

/// Containers of one pod that cannot start because an earlier container already listens on
/// the same port (they share the pause container's network namespace): `(container name,
/// port, the line the failing server logs)`. kubelet then restarts it into CrashLoopBackOff.
pub fn port_conflicts(containers: &[(&str, &str)]) -> Vec<(String, Port, String)> {
    let mut taken: Vec<(Port, Protocol)> = Vec::new();
    let mut conflicts = Vec::new();
    for (name, image) in containers {
        let info = lookup(image);
        let clash = info
            .listeners
            .iter()
            .find(|l| taken.contains(&(l.port, l.protocol)));
        match clash {
            Some(listener) => {
                let port = listener.port;
                let line = match listener.app {
                    App::Nginx => format!(
                        "nginx: [emerg] bind() to 0.0.0.0:{port} failed (98: Address already in use)"
                    ),
                    App::Httpd => format!(
                        "(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:{port}"
                    ),
                    App::Redis => format!(
                        "# Warning: Could not create server TCP listening socket *:{port}: bind: Address already in use"
                    ),
                    _ => format!("listen tcp :{port}: bind: address already in use"),
                };
                conflicts.push(((*name).to_owned(), port, line));
            }
            None => taken.extend(info.listeners.iter().map(|l| (l.port, l.protocol))),
        }
    }
    conflicts
}

/// An HTTP response from an app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub reason: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// `Thu, 26 Nov 2026 09:00:00 GMT` (RFC 7231 IMF-fixdate).
pub fn http_date(unix_seconds: i64) -> String {
    let text = ctime(unix_seconds);
    let parts: Vec<&str> = text.split_whitespace().collect();
    match parts.as_slice() {
        [weekday, month, day, time, year] => {
            format!("{weekday}, {:0>2} {month} {year} {time} GMT", day)
        }
        _ => text,
    }
}

const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// What Jenkins answers an anonymous request for `/` with (403 and a redirect page to the
/// login form) [MEM: recent LTS markup; the static hash is illustrative].
const JENKINS_FORBIDDEN: &str = "<html><head><meta http-equiv='refresh' content='1;url=/login?from=%2F'/><script id='redirect' data-redirect-url='/login?from=%2F' src='/static/2b9d5a8b/scripts/redirect.js'></script></head><body style='background-color:white; color:white;'>
Authentication required
<!--
-->

</body></html>";

/// The HTTP response `app` gives to `method path` in pod `hostname`; `None` when the
/// service does not speak HTTP (the client sees an empty reply or garbage).
pub fn http_response(
    app: App,
    hostname: &str,
    method: &str,
    unix_seconds: i64,
) -> Option<HttpResponse> {
    let date = http_date(unix_seconds);
    let header = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    let response = match app {
        App::HttpGo => {
            // The course image answers every path with the pod's hostname (fidelity.md §10).
            let body = format!("Welcome! {hostname}\n");
            HttpResponse {
                status: 200,
                reason: "OK",
                headers: vec![
                    header("Date", &date),
                    header("Content-Length", &body.len().to_string()),
                    header("Content-Type", "text/plain; charset=utf-8"),
                ],
                body,
            }
        }
        App::Jenkins => HttpResponse {
            status: 403,
            reason: "Forbidden",
            headers: vec![
                header("Date", &date),
                header("X-Content-Type-Options", "nosniff"),
                header("Content-Type", "text/html;charset=utf-8"),
                header("X-Hudson", "1.395"),
                header("X-Jenkins", "2.479.3"),
                header("Content-Length", &JENKINS_FORBIDDEN.len().to_string()),
                header("Server", "Jetty(12.0.16)"),
            ],
            body: JENKINS_FORBIDDEN.to_owned(),
        },
        App::Nginx => HttpResponse {
            status: 200,
            reason: "OK",
            headers: vec![
                header("Server", "nginx/1.27.3"),
                header("Date", &date),
                header("Content-Type", "text/html"),
                header("Content-Length", &NGINX_WELCOME.len().to_string()),
                header("Last-Modified", "Tue, 26 Nov 2024 15:55:00 GMT"),
                header("Connection", "keep-alive"),
                header("ETag", "\"6745ef54-267\""),
                header("Accept-Ranges", "bytes"),
            ],
            body: NGINX_WELCOME.to_owned(),
        },
        App::Httpd => {
            let body = "<html><body><h1>It works!</h1></body></html>\n".to_owned();
            HttpResponse {
                status: 200,
                reason: "OK",
                headers: vec![
                    header("Date", &date),
                    header("Server", "Apache/2.4.62 (Unix)"),
                    header("Last-Modified", "Mon, 11 Jun 2007 18:53:14 GMT"),
                    header("ETag", "\"2d-432a5e4a73a80\""),
                    header("Accept-Ranges", "bytes"),
                    header("Content-Length", &body.len().to_string()),
                    header("Content-Type", "text/html"),
                ],
                body,
            }
        }
        App::Tomcat => {
            let body = "<!doctype html><html lang=\"en\"><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1></body></html>".to_owned();
            HttpResponse {
                status: 404,
                reason: "",
                headers: vec![
                    header("Content-Type", "text/html;charset=utf-8"),
                    header("Content-Language", "en"),
                    header("Content-Length", &body.len().to_string()),
                    header("Date", &date),
                ],
                body,
            }
        }
        App::CoreDnsMetrics => {
            let body = "# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\ncoredns_build_info{goversion=\"go1.21.11\",revision=\"a6338e9\",version=\"1.11.3\"} 1\n".to_owned();
            HttpResponse {
                status: 404,
                reason: "Not Found",
                headers: vec![
                    header("Content-Type", "text/plain; charset=utf-8"),
                    header("X-Content-Type-Options", "nosniff"),
                    header("Date", &date),
                    header("Content-Length", "19"),
                ],
                body: if method == "GET" {
                    "404 page not found\n".to_owned()
                } else {
                    body
                },
            }
        }
        App::KubeApiserver => {
            // What an anonymous request for `/` gets (RBAC allows anonymous nothing there).
            let body = "{\n  \"kind\": \"Status\",\n  \"apiVersion\": \"v1\",\n  \"metadata\": {},\n  \"status\": \"Failure\",\n  \"message\": \"forbidden: User \\\"system:anonymous\\\" cannot get path \\\"/\\\"\",\n  \"reason\": \"Forbidden\",\n  \"details\": {},\n  \"code\": 403\n}".to_owned();
            HttpResponse {
                status: 403,
                reason: "Forbidden",
                headers: vec![
                    header("Audit-Id", "5b0c6f3e-4a0e-4f8e-9a55-2d1c7c0e3b11"),
                    header("Cache-Control", "no-cache, private"),
                    header("Content-Type", "application/json"),
                    header("X-Content-Type-Options", "nosniff"),
                    header("Date", &date),
                    header("Content-Length", &body.len().to_string()),
                ],
                body,
            }
        }
        App::Kubelet => HttpResponse {
            status: 401,
            reason: "Unauthorized",
            headers: vec![
                header("Content-Type", "text/plain; charset=utf-8"),
                header("Date", &date),
                header("Content-Length", "12"),
            ],
            body: "Unauthorized".to_owned(),
        },
        App::JenkinsAgent | App::Redis | App::Mysql | App::CoreDns | App::NodeDaemon => {
            return None;
        }
    };
    Some(response)
}

#[cfg(test)]
mod tests;
