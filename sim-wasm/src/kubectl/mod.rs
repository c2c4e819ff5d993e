//! kubectl 1.32: argument parsing, verbs and printers, byte-identical to the real client.
//!
//! kubectl is the *client*: it parses flags, reads manifests (`yaml`), asks the simulated
//! API server (`controllers::apiserver`, the `store`) and prints what a real kubectl prints.
//! It never changes the store directly.
//!
//! Korean hints (for example the missing `---` that makes a Deployment disappear when a
//! Service is appended with `>>`) are written **after** kubectl's real output, on stdout, as
//! lines starting with `힌트:` — so that the real output stays byte-identical and a student
//! reading the terminal sees the explanation right below it.

mod args;
mod config;
mod cp;
mod describe;
mod get;
mod image_ref;
mod manifest;
mod misc;
mod portforward;
mod printers;
mod write;

use crate::commands::World;
use crate::shell::{CommandOutput, Files, Invocation, Location};

pub(crate) use portforward::lost_connections as lost_port_forwards;
pub use printers::render as render_table;
pub(crate) use write::session_ended;

/// The resource builder's error when a command is given nothing to act on.
pub(crate) const NO_RESOURCES: &str = "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// The resource builder's error for `TYPE TYPE/NAME`.
pub(crate) const SEPARATE_TYPE: &str = "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'";

/// What `kubectl top` prints without a subcommand (on stderr, exit 1).
const TOP_HELP: &str = "Display resource (CPU/memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.

Available Commands:
  node          Display resource (CPU/memory) usage of nodes
  pod           Display resource (CPU/memory) usage of pods

Usage:
  kubectl top [flags] [options]

Use \"kubectl top <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

/// Everything one kubectl invocation reads and writes.
pub(crate) struct Ctx<'a> {
    pub world: &'a mut World,
    pub files: &'a mut Files,
    pub stdin: &'a str,
    /// What kubectl printed so far.
    pub io: Streams,
    pub hints: Vec<String>,
    pub code: i32,
    pub enter: Option<Location>,
    /// Connection traces of `kubectl exec ... -- curl` and friends.
    pub traces: Vec<crate::net::trace::Trace>,
    /// The node kubectl runs on (where `port-forward` listens).
    pub node: String,
    /// Where kubectl works without `-n`: the current context's namespace in the
    /// kubeconfig, else `default`.
    pub default_namespace: String,
    /// Started with `sudo` (may bind ports below 1024).
    pub as_root: bool,
}

/// kubectl's stdout and stderr, and both in the order written (an apply's `Warning:` for the
/// first object comes before the second object's line). A field of its own so printing
/// borrows only it while the world is being read.
#[derive(Default)]
pub(crate) struct Streams {
    pub out: String,
    pub err: String,
    display: String,
}

impl Streams {
    /// Writes to stdout.
    pub fn print(&mut self, text: &str) {
        self.out.push_str(text);
        self.display.push_str(text);
    }

    /// Writes to stderr.
    pub fn eprint(&mut self, text: &str) {
        self.err.push_str(text);
        self.display.push_str(text);
    }

    /// Moves what was written to stderr since `from` (a length of `err`) to stdout, where it
    /// appears in the same place on the terminal (`kubectl cp` hands tar's stderr to stdout).
    pub fn move_err_to_out(&mut self, from: usize) {
        if from <= self.err.len() && self.err.is_char_boundary(from) {
            let moved = self.err.split_off(from);
            self.out.push_str(&moved);
        }
    }
}

impl Ctx<'_> {
    /// The namespace a command works in (`-n`, else the kubeconfig's) and whether `-n`
    /// named it (kubectl's `EnforceNamespace`: client-side objects then carry it).
    pub fn namespace(&self, p: &args::Parsed) -> (String, bool) {
        match p.get("namespace") {
            Some(n) => (n.to_owned(), true),
            None => (self.default_namespace.clone(), false),
        }
    }

    /// `error: MESSAGE`, exit 1.
    pub fn fail(&mut self, message: &str) {
        self.io.eprint(&format!("error: {message}\n"));
        self.code = 1;
    }

    /// A line to stderr as is, exit 1.
    pub fn fail_raw(&mut self, line: &str) {
        self.io.eprint(line);
        if !line.ends_with('\n') {
            self.io.eprint("\n");
        }
        self.code = 1;
    }

    /// cobra's flag errors.
    pub fn usage_error(&mut self, command: &str, message: &str) {
        self.io.eprint(&format!(
            "Error: {message}\nSee 'kubectl {command} --help' for usage.\n"
        ));
        self.code = 1;
    }

    /// A klog line as kubectl writes it to stderr: `E1126 09:00:00.000000    4242 run.go:72]
    /// MESSAGE`, stamped with the virtual clock (the PID is fixed: a simulation has none).
    pub fn klog(&mut self, severity: char, source: &str, message: &str) {
        let now = self.world.store.now_unix();
        let stamp = crate::time::rfc3339(now);
        // 2026-11-26T09:00:00Z → 1126 09:00:00.000000
        let (date, time) = stamp.split_once('T').unwrap_or((&stamp, ""));
        let mmdd: String = date.chars().skip(5).filter(|c| *c != '-').collect();
        let hms = time.trim_end_matches('Z');
        self.io.eprint(&format!(
            "{severity}{mmdd} {hms}.000000    4242 {source}] {message}\n"
        ));
    }

    /// klog's fatal line for a missing required flag, as kubectl prints it.
    pub fn required_flag(&mut self, flag: &str) {
        self.klog(
            'E',
            "run.go:72",
            &format!("\"command failed\" err=\"required flag(s) \\\"{flag}\\\" not set\""),
        );
        self.code = 1;
    }
}

/// kubectl's top-level commands in the order kubectl registers them (its help groups, then
/// config, plugin, version, api-versions, api-resources, options): cobra lists "Did you mean
/// this?" suggestions in this order.
const COMMANDS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "config",
    "plugin",
    "version",
    "api-versions",
    "api-resources",
    "options",
    "help",
];

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = crate::shell::casemap::lowercase(a).chars().collect();
    let b: Vec<char> = crate::shell::casemap::lowercase(b).chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let v = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn unknown_command(ctx: &mut Ctx<'_>, name: &str) {
    let suggestions: Vec<&str> = COMMANDS
        .iter()
        .copied()
        .filter(|c| {
            levenshtein(name, c) <= 2
                || crate::shell::casemap::lowercase(c)
                    .starts_with(&crate::shell::casemap::lowercase(name))
        })
        .collect();
    ctx.io.eprint(&format!(
        "Error: unknown command \"{name}\" for \"kubectl\"\n"
    ));
    if !suggestions.is_empty() {
        ctx.io.eprint("\nDid you mean this?\n");
        for s in suggestions {
            ctx.io.eprint(&format!("\t{s}\n"));
        }
        ctx.io.eprint("\n");
    }
    ctx.code = 1;
}

/// Runs `kubectl ARGS...` (argv[0] is `kubectl` or `k`).
pub fn run(world: &mut World, invocation: Invocation<'_>) -> CommandOutput {
    let Invocation {
        argv,
        stdin,
        location,
        files,
        as_root,
        ..
    } = invocation;
    let node = match location {
        Location::Node { node, .. } => node.clone(),
        Location::Container { .. } => String::new(),
    };
    let default_namespace = if as_root {
        // root has no kubeconfig of its own (see `kubeconfig`).
        "default".to_owned()
    } else {
        world.kubeconfig_namespace(files)
    };
    let mut ctx = Ctx {
        world,
        default_namespace,
        files,
        stdin,
        io: Streams::default(),
        hints: Vec::new(),
        code: 0,
        enter: None,
        traces: Vec::new(),
        node,
        as_root,
    };
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    // Global flags may come before the verb (`kubectl -n blue get pods`).
    let mut verb_index = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if !a.starts_with('-') {
            verb_index = Some(i);
            break;
        }
        let takes_value = args::GLOBAL.iter().any(|f| {
            f.takes_value
                && (a == &format!("--{}", f.long) || f.short.is_some_and(|s| a == &format!("-{s}")))
        });
        i += if takes_value { 2 } else { 1 };
    }
    match verb_index {
        None => {
            if args.iter().any(|a| a == "--version") {
                misc::version(&mut ctx, &[]);
            } else {
                ctx.io.print(misc::HELP);
            }
        }
        Some(index) => {
            let verb = args[index].clone();
            let mut rest: Vec<String> = args[..index].to_vec();
            rest.extend_from_slice(&args[index + 1..]);
            dispatch(&mut ctx, &verb, &rest);
        }
    }
    ctx.world.reconcile();
    // Korean hints come after everything kubectl printed, on the stream written last.
    for hint in std::mem::take(&mut ctx.hints) {
        let line = format!("힌트: {hint}\n");
        if ctx.io.err.is_empty() {
            ctx.io.print(&line);
        } else {
            ctx.io.eprint(&line);
        }
    }
    let Streams { out, err, display } = ctx.io;
    CommandOutput {
        stdout: out,
        stderr: err,
        display: Some(display),
        exit_code: ctx.code,
        enter: ctx.enter,
        traces: ctx.traces,
        ..CommandOutput::default()
    }
}

fn dispatch(ctx: &mut Ctx<'_>, verb: &str, rest: &[String]) {
    match verb {
        "get" => get::get(ctx, rest),
        "describe" => describe::describe(ctx, rest),
        "create" => write::create(ctx, rest),
        "apply" => write::apply(ctx, rest),
        "delete" => write::delete(ctx, rest),
        "expose" => write::expose(ctx, rest),
        "run" => write::run(ctx, rest),
        "scale" => write::scale(ctx, rest),
        "label" => write::label(ctx, rest, "label"),
        "annotate" => write::label(ctx, rest, "annotate"),
        "set" => write::set(ctx, rest),
        "rollout" => write::rollout(ctx, rest),
        "logs" => misc::logs(ctx, rest),
        "exec" => misc::exec(ctx, rest),
        "cp" => cp::cp(ctx, rest),
        "port-forward" => {
            let node = ctx.node.clone();
            portforward::port_forward(ctx, rest, &node);
        }
        "version" => misc::version(ctx, rest),
        "cluster-info" => misc::cluster_info(ctx, rest),
        "api-resources" => misc::api_resources(ctx, rest),
        "wait" => misc::wait(ctx, rest),
        "explain" => misc::explain(ctx, rest),
        "config" => config::config(ctx, rest),
        // kubeadm installs no metrics-server, so the Metrics API is missing as in a real
        // fresh cluster.
        "top" => match args::subcommand_index(rest, &[args::GLOBAL]).map(|i| rest[i].as_str()) {
            None => {
                ctx.io.eprint(TOP_HELP);
                ctx.code = 1;
            }
            Some("node" | "nodes" | "no" | "pod" | "pods" | "po") => {
                ctx.fail("Metrics API not available");
            }
            Some(other) => ctx.fail(&format!(
                "unknown command \"{other}\"\nSee 'kubectl top -h' for help and examples"
            )),
        },
        "edit" if rest.iter().all(|a| a.starts_with('-')) => ctx.fail(NO_RESOURCES),
        "edit" => ctx.fail(
            "\"kubectl edit\" needs an editor: open the file in the editor, then `kubectl apply -f FILE`",
        ),
        "help" | "--help" | "-h" => ctx.io.print(misc::HELP),
        _ if COMMANDS.contains(&verb) => {
            ctx.fail(&format!(
                "\"kubectl {verb}\" is not available in this simulated cluster"
            ));
        }
        _ => unknown_command(ctx, verb),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_use_cobras_distance_of_two() {
        assert_eq!(levenshtein("foo", "top"), 2);
        assert_eq!(levenshtein("gett", "get"), 1);
        assert!(levenshtein("xyzzy", "get") > 2);
    }
}
