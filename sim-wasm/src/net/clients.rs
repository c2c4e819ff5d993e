//! The client programs students run to test connectivity — `curl`, BusyBox `wget`, `nc -z`,
//! `ping` — as front ends of [`dataplane::connect`]: argument parsing and the exact text each
//! version prints for success, refusal, timeouts and DNS failures (fidelity.md §6).
//!
//! Knows nothing about where it runs beyond the [`ClientContext`] it is given.

use std::fmt::Write as _;

use crate::net::addr::{Port, Protocol};
use crate::net::apps::{self, CurlFlavor, PingFlavor};
use crate::net::dataplane::{self, Connection, Network, Source};
use crate::net::trace::{Outcome, StepKind, Trace};
use crate::rand::Rng;

/// What a client printed, the traces of its attempts, and how long it took (the caller
/// advances the virtual clock by `elapsed_ms`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    pub traces: Vec<Trace>,
    pub elapsed_ms: u64,
}

/// Where a client runs.
pub struct ClientContext<'a> {
    pub net: &'a Network<'a>,
    pub source: Source,
    /// Whether stdout is a terminal (`kubectl exec -it`, a node shell): curl then hides its
    /// progress meter.
    pub tty: bool,
    /// Wall-clock seconds, for `Date:` headers.
    pub now_unix: i64,
}

/// Linux gives up on an unanswered SYN after 6 retries (1+2+4+…+64 s).
const KERNEL_CONNECT_TIMEOUT_MS: u64 = 127_000;

/// Milliseconds a connection attempt takes before it succeeds or is refused: a round trip
/// per DNS question, a little more across nodes.
fn connect_ms(connection: &Connection) -> u64 {
    connection.dns_queries as u64 * 2 + u64::from(connection.crossed_nodes)
}

struct Url {
    host: String,
    port: Port,
    path: String,
    https: bool,
}

fn parse_url(text: &str) -> Result<Url, String> {
    let (rest, default_port) = if let Some(rest) = text.strip_prefix("http://") {
        (rest, 80)
    } else if let Some(rest) = text.strip_prefix("https://") {
        (rest, 443)
    } else {
        (text, 80)
    };
    let (authority, path) = match rest.find('/') {
        Some(idx) => (&rest[..idx], &rest[idx..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => {
            let port: Port = port.parse().map_err(|_| {
                "Port number was not a decimal number between 0 and 65535".to_owned()
            })?;
            (host, port)
        }
        None => (authority, default_port),
    };
    if host.is_empty() {
        return Err("No host part in the URL".to_owned());
    }
    Ok(Url {
        host: host.to_owned(),
        port,
        path: path.to_owned(),
        https: text.starts_with("https://"),
    })
}

#[derive(Default)]
struct CurlOptions {
    silent: bool,
    show_error: bool,
    verbose: bool,
    head: bool,
    include: bool,
    output: Option<String>,
    write_out: Option<String>,
    max_time: Option<f64>,
    connect_timeout: Option<f64>,
    method: Option<String>,
    url: Option<String>,
    /// `-k`: accept the cluster's self-signed certificates.
    insecure: bool,
}

fn parse_curl(args: &[String]) -> Result<CurlOptions, String> {
    let mut options = CurlOptions::default();
    let mut iter = args.iter();
    let seconds = |value: Option<&String>, flag: &str| -> Result<f64, String> {
        value
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or_else(|| format!("curl: option {flag}: expected a proper numerical parameter"))
    };
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--silent" => options.silent = true,
            "--show-error" => options.show_error = true,
            "--verbose" => options.verbose = true,
            "--head" => options.head = true,
            "--include" => options.include = true,
            "--output" => options.output = iter.next().cloned(),
            "--write-out" => options.write_out = iter.next().cloned(),
            "--max-time" => options.max_time = Some(seconds(iter.next(), "--max-time")?),
            "--connect-timeout" => {
                options.connect_timeout = Some(seconds(iter.next(), "--connect-timeout")?)
            }
            "--request" => options.method = iter.next().cloned(),
            "--header" | "--data" | "--user-agent" => {
                iter.next();
            }
            "--insecure" => options.insecure = true,
            "--location" | "--fail" => {}
            flag if flag.starts_with("--") => {
                return Err(format!(
                    "curl: option {flag}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"
                ));
            }
            flag if flag.starts_with('-') && flag.len() > 1 => {
                let letters: Vec<char> = flag[1..].chars().collect();
                for (idx, letter) in letters.iter().enumerate() {
                    // A value-taking short option uses the rest of the word or the next one.
                    let mut value = || -> Option<String> {
                        let rest: String = letters[idx + 1..].iter().collect();
                        if rest.is_empty() {
                            iter.next().cloned()
                        } else {
                            Some(rest)
                        }
                    };
                    match letter {
                        's' => options.silent = true,
                        'S' => options.show_error = true,
                        'v' => options.verbose = true,
                        'I' => options.head = true,
                        'i' => options.include = true,
                        'k' => options.insecure = true,
                        'L' | 'f' => {}
                        'o' => {
                            options.output = value();
                            break;
                        }
                        'w' => {
                            options.write_out = value();
                            break;
                        }
                        'X' => {
                            options.method = value();
                            break;
                        }
                        'H' | 'd' | 'A' => {
                            value();
                            break;
                        }
                        'm' => {
                            options.max_time = Some(seconds(value().as_ref(), "-m")?);
                            break;
                        }
                        other => {
                            return Err(format!(
                                "curl: option -{other}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"
                            ));
                        }
                    }
                }
            }
            url => {
                if options.url.is_none() {
                    options.url = Some(url.to_owned());
                }
            }
        }
    }
    Ok(options)
}

const METER_HEADER: &str = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";

fn meter_line(size: usize, dload: u64, current: u64) -> String {
    let pct = if size > 0 { 100 } else { 0 };
    format!(
        "{pct:>3} {size:>5}  {pct:>3} {size:>5}    0     0  {dload:>5}      0 --:--:-- --:--:-- --:--:-- {current:>5}"
    )
}

fn meter_zero() -> String {
    meter_line(0, 0, 0)
}

/// `curl ARGS` (argv includes `curl`).
pub fn curl(
    ctx: &ClientContext<'_>,
    rng: &mut Rng,
    flavor: CurlFlavor,
    argv: &[String],
) -> ClientOutput {
    let mut out = ClientOutput::default();
    let args = argv.get(1..).unwrap_or_default();
    let options = match parse_curl(args) {
        Ok(options) => options,
        Err(message) => {
            out.stderr = format!("{message}\n");
            out.exit_code = 2;
            return out;
        }
    };
    let Some(url_text) = options.url.clone() else {
        out.stderr = "curl: try 'curl --help' or 'curl --manual' for more information\n".to_owned();
        out.exit_code = 2;
        return out;
    };
    let url = match parse_url(&url_text) {
        Ok(url) => url,
        Err(reason) => {
            if !options.silent || options.show_error {
                let _ = writeln!(out.stderr, "curl: (3) URL rejected: {reason}");
            }
            out.exit_code = 3;
            return out;
        }
    };
    let show_errors = !options.silent || options.show_error;
    let to_stdout = options.output.as_deref().is_none_or(|o| o == "-");
    let meter = !(options.silent || options.verbose || (ctx.tty && to_stdout));
    let command = argv.join(" ");
    let connection = dataplane::connect(
        ctx.net,
        rng,
        &ctx.source,
        &url.host,
        url.port,
        Some(Protocol::Tcp),
        &command,
    );
    let ms = connect_ms(&connection);
    let version = flavor.version();
    let host = &url.host;
    let port = url.port;
    let fail = |out: &mut ClientOutput, code: i32, message: String, meter_tail: &str| {
        if meter {
            out.stderr.push_str(METER_HEADER);
            out.stderr.push('\r');
            out.stderr.push_str(&meter_zero());
            out.stderr.push_str(meter_tail);
        }
        if show_errors {
            let _ = writeln!(out.stderr, "curl: ({code}) {message}");
        }
        out.exit_code = code;
    };
    match connection.outcome {
        Outcome::DnsFailure => {
            out.elapsed_ms = ms;
            fail(&mut out, 6, format!("Could not resolve host: {host}"), "");
        }
        Outcome::Refused | Outcome::NoRoute => {
            // Unanswered ARP: the kernel gives up after its probes with EHOSTUNREACH, which
            // curl up to 7.8x prints as strerror ("No route to host"); 7.88 prints "Couldn't
            // connect to server" for both (seen on a real netns: `after 3053 ms`).
            let no_route = connection.outcome == Outcome::NoRoute;
            let ms = if no_route {
                ms + dataplane::ARP_FAILURE_MS + 53
            } else {
                ms
            };
            let errno = if no_route {
                "No route to host"
            } else {
                "Connection refused"
            };
            out.elapsed_ms = ms;
            let reason = match flavor {
                CurlFlavor::Legacy => {
                    format!("Failed to connect to {host} port {port}: {errno}")
                }
                CurlFlavor::Ubuntu2204 => {
                    format!("Failed to connect to {host} port {port} after {ms} ms: {errno}")
                }
                CurlFlavor::Bookworm => format!(
                    "Failed to connect to {host} port {port} after {ms} ms: Couldn't connect to server"
                ),
                CurlFlavor::Modern => format!(
                    "Failed to connect to {host} port {port} after {ms} ms: Could not connect to server"
                ),
            };
            if options.verbose {
                let _ = writeln!(
                    out.stderr,
                    "*   Trying {}:{port}...",
                    connection
                        .address
                        .map(|a| a.to_string())
                        .unwrap_or_default()
                );
                let _ = writeln!(
                    out.stderr,
                    "* connect to {} port {port} failed: {errno}",
                    connection
                        .address
                        .map(|a| a.to_string())
                        .unwrap_or_default()
                );
                // curl 7.8x then repeats its verdict and closes (seen with 7.88.1: `* Failed
                // to connect to … after 3050 ms: Couldn't connect to server`, `* Closing
                // connection 0`).
                if matches!(flavor, CurlFlavor::Ubuntu2204 | CurlFlavor::Bookworm) {
                    let _ = writeln!(out.stderr, "* {reason}");
                    out.stderr.push_str("* Closing connection 0\n");
                }
            }
            let tail = format!("\r{}\n", meter_zero());
            fail(&mut out, 7, reason, &tail);
        }
        Outcome::Timeout => {
            let limit_ms = |secs: f64| (secs * 1000.0) as u64 + 1;
            let tail = format!("\r{}\n", meter_zero());
            match (options.connect_timeout, options.max_time) {
                (Some(connect), max) if max.is_none_or(|m| m >= connect) => {
                    let after = limit_ms(connect);
                    out.elapsed_ms = after;
                    let message = match flavor {
                        CurlFlavor::Legacy | CurlFlavor::Ubuntu2204 => {
                            format!("Connection timed out after {after} milliseconds")
                        }
                        _ => format!(
                            "Failed to connect to {host} port {port} after {after} ms: Timeout was reached"
                        ),
                    };
                    fail(&mut out, 28, message, &tail);
                }
                (_, Some(max)) => {
                    let after = limit_ms(max);
                    out.elapsed_ms = after;
                    fail(
                        &mut out,
                        28,
                        format!("Connection timed out after {after} milliseconds"),
                        &tail,
                    );
                }
                (_, None) => {
                    let after = KERNEL_CONNECT_TIMEOUT_MS + ms;
                    out.elapsed_ms = after;
                    let message = match flavor {
                        CurlFlavor::Legacy => {
                            format!("Failed to connect to {host} port {port}: Connection timed out")
                        }
                        CurlFlavor::Ubuntu2204 => format!(
                            "Failed to connect to {host} port {port} after {after} ms: Connection timed out"
                        ),
                        CurlFlavor::Bookworm => format!(
                            "Failed to connect to {host} port {port} after {after} ms: Couldn't connect to server"
                        ),
                        CurlFlavor::Modern => format!(
                            "Failed to connect to {host} port {port} after {after} ms: Could not connect to server"
                        ),
                    };
                    fail(&mut out, 7, message, &tail);
                }
            }
        }
        Outcome::Connected | Outcome::Resolved => {
            out.elapsed_ms = ms + 1;
            let accepted = connection.accepted_by.clone();
            let method = if options.head {
                "HEAD".to_owned()
            } else {
                options.method.clone().unwrap_or_else(|| "GET".to_owned())
            };
            let tls_only = accepted.as_ref().is_some_and(|a| a.listener.app.tls_only());
            if url.https && !tls_only {
                let message = match flavor {
                    CurlFlavor::Legacy => {
                        "error:1408F10B:SSL routines:ssl3_get_record:wrong version number"
                    }
                    CurlFlavor::Ubuntu2204 => "error:0A00010B:SSL routines::wrong version number",
                    CurlFlavor::Bookworm => {
                        "OpenSSL/3.0.15: error:0A00010B:SSL routines::wrong version number"
                    }
                    CurlFlavor::Modern => {
                        "TLS connect error: error:0A00010B:SSL routines::wrong version number"
                    }
                };
                fail(
                    &mut out,
                    35,
                    message.to_owned(),
                    &format!("\r{}\n", meter_zero()),
                );
                out.traces.push(connection.trace);
                return out;
            }
            if url.https && !options.insecure {
                // The cluster CA is not in the image's trust store.
                fail(
                    &mut out,
                    60,
                    "SSL certificate problem: unable to get local issuer certificate\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.".to_owned(),
                    &format!("\r{}\n", meter_zero()),
                );
                out.traces.push(connection.trace);
                return out;
            }
            let response = if tls_only && !url.https {
                // Go's TLS server answers plain HTTP with a fixed 400 text.
                Some(apps::HttpResponse {
                    status: 400,
                    reason: "Bad Request",
                    headers: Vec::new(),
                    body: "Client sent an HTTP request to an HTTPS server.\n".to_owned(),
                })
            } else {
                accepted.as_ref().and_then(|a| {
                    apps::http_response(a.listener.app, &a.hostname, &method, ctx.now_unix)
                })
            };
            let address = connection
                .address
                .map(|a| a.to_string())
                .unwrap_or_default();
            if options.verbose {
                // Each curl generation words its connect lines differently.
                match flavor {
                    CurlFlavor::Legacy => {
                        let _ = writeln!(out.stderr, "*   Trying {address}...");
                        out.stderr.push_str("* TCP_NODELAY set\n");
                        let _ = writeln!(
                            out.stderr,
                            "* Connected to {host} ({address}) port {port} (#0)"
                        );
                    }
                    CurlFlavor::Ubuntu2204 | CurlFlavor::Bookworm => {
                        let _ = writeln!(out.stderr, "*   Trying {address}:{port}...");
                        let _ = writeln!(
                            out.stderr,
                            "* Connected to {host} ({address}) port {port} (#0)"
                        );
                    }
                    CurlFlavor::Modern => {
                        let _ = writeln!(out.stderr, "* Host {host}:{port} was resolved.");
                        out.stderr.push_str("* IPv6: (none)\n");
                        let _ = writeln!(out.stderr, "* IPv4: {address}");
                        let _ = writeln!(out.stderr, "*   Trying {address}:{port}...");
                        let _ =
                            writeln!(out.stderr, "* Connected to {host} ({address}) port {port}");
                        out.stderr.push_str("* using HTTP/1.x\n");
                    }
                }
                let _ = writeln!(out.stderr, "> {method} {} HTTP/1.1", url.path);
                let host_header = if port == 80 {
                    host.clone()
                } else {
                    format!("{host}:{port}")
                };
                let _ = writeln!(out.stderr, "> Host: {host_header}");
                let _ = writeln!(out.stderr, "> User-Agent: curl/{version}");
                let _ = writeln!(out.stderr, "> Accept: */*\n> ");
            }
            let Some(response) = response else {
                if options.verbose {
                    out.stderr.push_str("* Empty reply from server\n");
                    let _ = writeln!(out.stderr, "* Closing connection 0");
                }
                fail(
                    &mut out,
                    52,
                    "Empty reply from server".to_owned(),
                    &format!("\r{}\n", meter_zero()),
                );
                out.traces.push(connection.trace);
                return out;
            };
            let mut head = format!("HTTP/1.1 {} {}", response.status, response.reason)
                .trim_end()
                .to_owned();
            head.push_str("\r\n");
            for (key, value) in &response.headers {
                let _ = write!(head, "{key}: {value}\r\n");
            }
            head.push_str("\r\n");
            if options.verbose {
                for line in head.split("\r\n").filter(|l| !l.is_empty()) {
                    let _ = writeln!(out.stderr, "< {line}");
                }
                out.stderr.push_str("< \n");
            }
            let body = if method == "HEAD" {
                String::new()
            } else {
                response.body.clone()
            };
            let mut document = String::new();
            if options.head || options.include {
                document.push_str(&head);
            }
            document.push_str(&body);
            if to_stdout {
                out.stdout.push_str(&document);
            }
            if meter {
                let size = body.len();
                let dload = (size as u64 * 1000) / (out.elapsed_ms.max(1) + 6);
                let mut text = String::from(METER_HEADER);
                text.push('\r');
                text.push_str(&meter_zero());
                text.push('\r');
                text.push_str(&meter_line(size, dload, dload.max(1).div_ceil(1000) * 1000));
                text.push('\n');
                out.stderr.push_str(&text);
            }
            if options.verbose {
                let _ = writeln!(out.stderr, "* Connection #0 to host {host} left intact");
            }
            if let Some(format) = &options.write_out {
                out.stdout.push_str(&write_out(
                    format,
                    response.status,
                    &address,
                    port,
                    body.len(),
                    out.elapsed_ms,
                ));
            }
        }
    }
    out.traces.push(timed(connection.trace, out.elapsed_ms));
    out
}

/// Writes how long the client waited into a trace that ended in a timeout (the dataplane
/// only knows the packet vanished; the client decides when it gives up).
fn timed(mut trace: Trace, elapsed_ms: u64) -> Trace {
    if let Some(StepKind::Timeout { after_ms }) = trace.steps.last_mut().map(|s| &mut s.kind) {
        *after_ms = elapsed_ms;
        if let Some(step) = trace.steps.last_mut() {
            step.explain =
                format!("응답이 오지 않아 {elapsed_ms} ms 뒤에 클라이언트가 포기했습니다.");
        }
    }
    trace
}

/// `-w FORMAT`: curl expands `%{variable}` and the escapes `\n`, `\t`, `\r`.
fn write_out(
    format: &str,
    status: u16,
    address: &str,
    port: Port,
    size: usize,
    elapsed_ms: u64,
) -> String {
    let mut out = String::new();
    let mut rest = format;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("%{")
            && let Some(end) = after.find('}')
        {
            {
                let value = match &after[..end] {
                    "http_code" | "response_code" => format!("{status:03}"),
                    "remote_ip" => address.to_owned(),
                    "remote_port" => port.to_string(),
                    "size_download" => size.to_string(),
                    "time_total" => format!("{:.6}", elapsed_ms as f64 / 1000.0),
                    _ => String::new(),
                };
                out.push_str(&value);
                rest = &after[end + 1..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix('\\') {
            match after.chars().next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
            rest = after.get(1..).unwrap_or("");
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

/// BusyBox `wget` (`-q`, `-O FILE`, `-O-`, `-T SECS`, `--spider`).
pub fn wget(ctx: &ClientContext<'_>, rng: &mut Rng, argv: &[String]) -> ClientOutput {
    let mut out = ClientOutput::default();
    let mut quiet = false;
    let mut output: Option<String> = None;
    let mut timeout: Option<u64> = None;
    let mut spider = false;
    let mut url_text = None;
    let mut iter = argv.iter().skip(1);
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-q" => quiet = true,
            "-O" => output = iter.next().cloned(),
            "-qO-" | "-qO" => {
                quiet = true;
                output = Some(if arg == "-qO-" {
                    "-".to_owned()
                } else {
                    iter.next().cloned().unwrap_or_default()
                });
            }
            "-T" => timeout = iter.next().and_then(|v| v.parse().ok()),
            "--spider" => spider = true,
            other if other.starts_with("-O") => output = Some(other[2..].to_owned()),
            other if other.starts_with("-T") => timeout = other[2..].parse().ok(),
            other if other.starts_with('-') => {}
            other => url_text = Some(other.to_owned()),
        }
    }
    let Some(url_text) = url_text else {
        out.stderr = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n".to_owned();
        out.exit_code = 1;
        return out;
    };
    let url = match parse_url(&url_text) {
        Ok(url) => url,
        Err(_) => {
            let _ = writeln!(out.stderr, "wget: bad address '{url_text}'");
            out.exit_code = 1;
            return out;
        }
    };
    let command = argv.join(" ");
    let connection = dataplane::connect(
        ctx.net,
        rng,
        &ctx.source,
        &url.host,
        url.port,
        Some(Protocol::Tcp),
        &command,
    );
    out.elapsed_ms = connect_ms(&connection);
    let address = connection
        .address
        .map(|a| a.to_string())
        .unwrap_or_default();
    let connecting = format!(
        "Connecting to {}:{} ({address}:{})\n",
        url.host, url.port, url.port
    );
    match connection.outcome {
        Outcome::DnsFailure => {
            let _ = writeln!(out.stderr, "wget: bad address '{}:{}'", url.host, url.port);
            out.exit_code = 1;
        }
        Outcome::Refused | Outcome::NoRoute => {
            if !quiet {
                out.stderr.push_str(&connecting);
            }
            let _ = writeln!(
                out.stderr,
                "wget: can't connect to remote host ({address}): Connection refused"
            );
            out.exit_code = 1;
        }
        Outcome::Timeout => {
            if !quiet {
                out.stderr.push_str(&connecting);
            }
            match timeout {
                Some(secs) => {
                    out.elapsed_ms = secs * 1000;
                    out.stderr.push_str("wget: download timed out\n");
                }
                None => {
                    out.elapsed_ms = KERNEL_CONNECT_TIMEOUT_MS;
                    let _ = writeln!(
                        out.stderr,
                        "wget: can't connect to remote host ({address}): Connection timed out"
                    );
                }
            }
            out.exit_code = 1;
        }
        Outcome::Connected | Outcome::Resolved => {
            if !quiet {
                out.stderr.push_str(&connecting);
            }
            let response = connection.accepted_by.as_ref().and_then(|a| {
                apps::http_response(a.listener.app, &a.hostname, "GET", ctx.now_unix)
            });
            match response {
                None => {
                    out.stderr
                        .push_str("wget: error getting response: Connection reset by peer\n");
                    out.exit_code = 1;
                }
                Some(response) if response.status >= 400 => {
                    let _ = writeln!(
                        out.stderr,
                        "wget: server returned error: HTTP/1.1 {} {}",
                        response.status, response.reason
                    );
                    out.exit_code = 1;
                }
                Some(response) => {
                    if spider {
                        if !quiet {
                            out.stderr.push_str("remote file exists\n");
                        }
                    } else {
                        let size = response.body.len();
                        let name = match output.as_deref() {
                            Some("-") => None,
                            Some(file) => Some(file.to_owned()),
                            None => Some("index.html".to_owned()),
                        };
                        match name {
                            None => {
                                if !quiet {
                                    out.stderr.push_str("writing to stdout\n");
                                }
                                out.stdout.push_str(&response.body);
                                if !quiet {
                                    let _ = writeln!(
                                        out.stderr,
                                        "-                    100% |********************************| {size:>5}  0:00:00 ETA"
                                    );
                                    out.stderr.push_str("written to stdout\n");
                                }
                            }
                            Some(file) => {
                                if !quiet {
                                    let _ = writeln!(out.stderr, "saving to '{file}'");
                                    let _ = writeln!(
                                        out.stderr,
                                        "{file:<20} 100% |********************************| {size:>5}  0:00:00 ETA"
                                    );
                                    let _ = writeln!(out.stderr, "'{file}' saved");
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out.traces.push(timed(connection.trace, out.elapsed_ms));
    out
}

/// BusyBox `nc` as a port checker: `nc -z [-v] [-w SECS] HOST PORT`.
pub fn nc(ctx: &ClientContext<'_>, rng: &mut Rng, argv: &[String]) -> ClientOutput {
    let mut out = ClientOutput::default();
    let mut verbose = false;
    let mut udp = false;
    let mut wait: Option<u64> = None;
    let mut positional = Vec::new();
    let mut iter = argv.iter().skip(1);
    while let Some(arg) = iter.next() {
        if arg == "-w" {
            wait = iter.next().and_then(|v| v.parse().ok());
        } else if let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) {
            verbose |= flags.contains('v');
            udp |= flags.contains('u');
            if let Some(idx) = flags.find('w') {
                wait = flags[idx + 1..].parse().ok().or(wait);
            }
        } else {
            positional.push(arg.clone());
        }
    }
    let (Some(host), Some(port)) = (positional.first(), positional.get(1)) else {
        out.stderr = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n".to_owned();
        out.exit_code = 1;
        return out;
    };
    let Ok(port) = port.parse::<Port>() else {
        let _ = writeln!(out.stderr, "nc: bad port '{port}'");
        out.exit_code = 1;
        return out;
    };
    let protocol = if udp { Protocol::Udp } else { Protocol::Tcp };
    let connection = dataplane::connect(
        ctx.net,
        rng,
        &ctx.source,
        host,
        port,
        Some(protocol),
        &argv.join(" "),
    );
    out.elapsed_ms = connect_ms(&connection);
    let address = connection
        .address
        .map(|a| a.to_string())
        .unwrap_or_default();
    match connection.outcome {
        Outcome::DnsFailure => {
            let _ = writeln!(out.stderr, "nc: bad address '{host}'");
            out.exit_code = 1;
        }
        Outcome::Connected | Outcome::Resolved => {
            if verbose {
                let _ = writeln!(out.stderr, "{host} ({address}:{port}) open");
            }
        }
        Outcome::Refused | Outcome::NoRoute => {
            let _ = writeln!(
                out.stderr,
                "nc: {host} ({address}:{port}): Connection refused"
            );
            out.exit_code = 1;
        }
        Outcome::Timeout => {
            out.elapsed_ms = wait.map_or(KERNEL_CONNECT_TIMEOUT_MS, |w| w * 1000);
            let _ = writeln!(
                out.stderr,
                "nc: {host} ({address}:{port}): Connection timed out"
            );
            out.exit_code = 1;
        }
    }
    out.traces.push(timed(connection.trace, out.elapsed_ms));
    out
}

/// `ping [-c N] HOST` (BusyBox or iputils). Without `-c` it stops after 4 echoes, as if the
/// student pressed Ctrl-C.
pub fn ping(
    ctx: &ClientContext<'_>,
    rng: &mut Rng,
    flavor: PingFlavor,
    argv: &[String],
) -> ClientOutput {
    let mut out = ClientOutput::default();
    let mut count: u32 = 4;
    let mut host = None;
    let mut iter = argv.iter().skip(1);
    while let Some(arg) = iter.next() {
        if arg == "-c" {
            count = iter.next().and_then(|v| v.parse().ok()).unwrap_or(4);
        } else if let Some(n) = arg.strip_prefix("-c") {
            count = n.parse().unwrap_or(4);
        } else if arg == "-W" || arg == "-w" || arg == "-i" {
            iter.next();
        } else if !arg.starts_with('-') {
            host = Some(arg.clone());
        }
    }
    let count = count.clamp(1, 100);
    let Some(host) = host else {
        out.stderr = match flavor {
            PingFlavor::Busybox => "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n".to_owned(),
            PingFlavor::Iputils => "ping: usage error: Destination address required\n".to_owned(),
        };
        out.exit_code = if flavor == PingFlavor::Iputils { 2 } else { 1 };
        return out;
    };
    let connection = dataplane::connect(ctx.net, rng, &ctx.source, &host, 0, None, &argv.join(" "));
    let address = connection
        .address
        .map(|a| a.to_string())
        .unwrap_or_default();
    if connection.outcome == Outcome::DnsFailure {
        match flavor {
            PingFlavor::Busybox => {
                let _ = writeln!(out.stderr, "ping: bad address '{host}'");
                out.exit_code = 1;
            }
            PingFlavor::Iputils => {
                let _ = writeln!(
                    out.stderr,
                    "ping: {host}: Temporary failure in name resolution"
                );
                out.exit_code = 2;
            }
        }
        out.traces.push(connection.trace);
        return out;
    }
    let replied = connection.outcome == Outcome::Connected;
    let ttl = if connection.crossed_nodes { 62 } else { 63 };
    // A node answering a machine on its own L2 network (the outside client) is no hop away.
    let to_node_from_outside = matches!(ctx.source, Source::External)
        && connection
            .address
            .is_some_and(|a| ctx.net.nodes.iter().any(|n| n.ip == a));
    let ttl = if matches!(ctx.source, Source::Node(_)) || to_node_from_outside {
        ttl + 1
    } else {
        ttl
    };
    let base = if connection.crossed_nodes { 0.45 } else { 0.06 };
    let times: Vec<f64> = (0..count)
        .map(|i| base + f64::from((i * 37 + 11) % 29) / 1000.0)
        .collect();
    out.elapsed_ms = u64::from(count) * 1000;
    match flavor {
        PingFlavor::Busybox => {
            let _ = writeln!(out.stdout, "PING {host} ({address}): 56 data bytes");
            if replied {
                for (seq, time) in times.iter().enumerate() {
                    let _ = writeln!(
                        out.stdout,
                        "64 bytes from {address}: seq={seq} ttl={ttl} time={time:.3} ms"
                    );
                }
            }
            let _ = writeln!(out.stdout, "\n--- {host} ping statistics ---");
            let received = if replied { count } else { 0 };
            let loss = if replied { 0 } else { 100 };
            let _ = writeln!(
                out.stdout,
                "{count} packets transmitted, {received} packets received, {loss}% packet loss"
            );
            if replied {
                let (min, avg, max) = stats(&times);
                let _ = writeln!(
                    out.stdout,
                    "round-trip min/avg/max = {min:.3}/{avg:.3}/{max:.3} ms"
                );
            } else {
                out.exit_code = 1;
            }
        }
        PingFlavor::Iputils => {
            let _ = writeln!(out.stdout, "PING {host} ({address}) 56(84) bytes of data.");
            if replied {
                for (seq, time) in times.iter().enumerate() {
                    let _ = writeln!(
                        out.stdout,
                        "64 bytes from {address}: icmp_seq={} ttl={ttl} time={time:.3} ms",
                        seq + 1
                    );
                }
            }
            let _ = writeln!(out.stdout, "\n--- {host} ping statistics ---");
            let total_ms = (count - 1) * 1000 + 5 * (count - 1).min(1);
            if replied {
                let _ = writeln!(
                    out.stdout,
                    "{count} packets transmitted, {count} received, 0% packet loss, time {total_ms}ms"
                );
                let (min, avg, max) = stats(&times);
                let mdev = times.iter().map(|t| (t - avg).abs()).sum::<f64>() / times.len() as f64;
                let _ = writeln!(
                    out.stdout,
                    "rtt min/avg/max/mdev = {min:.3}/{avg:.3}/{max:.3}/{mdev:.3} ms"
                );
            } else {
                let _ = writeln!(
                    out.stdout,
                    "{count} packets transmitted, 0 received, 100% packet loss, time {total_ms}ms"
                );
                let _ = writeln!(out.stdout);
                out.exit_code = 1;
            }
        }
    }
    out.traces.push(timed(connection.trace, out.elapsed_ms));
    out
}

fn stats(times: &[f64]) -> (f64, f64, f64) {
    let min = times.iter().copied().fold(f64::MAX, f64::min);
    let max = times.iter().copied().fold(0.0, f64::max);
    let avg = times.iter().sum::<f64>() / times.len().max(1) as f64;
    (min, avg, max)
}

#[cfg(test)]
mod tests;
