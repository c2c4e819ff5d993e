//! The student's shell: a typed line → words → a pipeline of commands with redirections and
//! heredocs; builtins (`echo`, `cat`, `grep`, ...); the files of each machine; where the
//! student is logged in (`master`, `ssh worker1`, a container after `kubectl exec -it`).
//!
//! The shell knows nothing about Kubernetes. Every command that is not a builtin goes to a
//! [`Host`] (implemented by the simulated world); `None` from the host means
//! `bash: NAME: command not found`.
//!
//! Layout: `history` expands `!!`, `syntax` parses, `expand` expands words (with `arith` for
//! `$(( ))`), `run` executes parsed commands and routes their output, `builtins/` are the
//! commands the shell itself implements (coreutils, grep, sed, awk, bash builtins), `files`
//! is each machine's directory tree, `regex` is POSIX regular expressions for grep/sed/awk.
//!
//! Which command answers: session builtins (`cd`, `export`, `sudo`, `exit`, ...) first; in a
//! container the world first for `cat`, `ls`, `env`, `whoami`, `hostname` (it knows the
//! image) unless the student made the file; then the shell's utilities; then the host.
//!
//! Deliberate simplifications (documented for instructors): `ls` lays out columns for an
//! 80-column terminal; no colours (`ls`/`grep` aliases with `--color` are not applied);
//! stdout and stderr are returned separately, so their interleaving is not kept; `sort`
//! compares bytes (`LC_ALL=C`); loops stop after 1000 iterations; `watch` shows one screen;
//! no `case`, functions or `[[ ]]`.
//!
//! Jobs (`builtins/jobs.rs`): a `CMD &` job runs to completion at once unless the host keeps
//! it running (`kubectl port-forward ... &`, see [`Host::job_running`]). Each nested shell has
//! bash's job table: `jobs` (`-l`, `-p`, `%N`, `%+`, `%-`, `%prefix`), `kill` (`%N`, PIDs,
//! `-9`, `-s SIG`, `-l`), `fg`, `bg`, with bash 5's messages and columns (compared byte for
//! byte with a real interactive bash in the tests). A job's end (`[1]+  Done`,
//! `Terminated`, `Killed`, `Exit 1`) is reported after the output of the line that follows
//! the one it ended in: bash notices a job's end at the prompt after the next command when
//! it ended while bash sat at the prompt, which is what a typed `kill %1` looks like.
//! Simplifications: stopping a job (Ctrl+Z, `kill -STOP`) is not simulated, so `bg` only says
//! the job already runs and stop signals leave it running; PID 1 and the shell ignore
//! signals (a user may not signal init at all); `sudo kill` uses bash's builtin messages,
//! not procps `kill`'s; a signal ends a job with `strsignal`'s word, whatever the program
//! would do with it. `fg` on a port-forward hands it to the host as a foreground command:
//! like a plain `kubectl port-forward` here the prompt comes back with a Korean hint and
//! Ctrl+C ends it, since the browser terminal must never block.

mod arith;
mod builtins;
pub(crate) mod casemap;
mod expand;
pub mod files;
mod history;
mod regex;
mod run;
mod syntax;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::cluster::Output;
use crate::net::trace::Trace;
use crate::time::SimTime;

pub use files::{DirEntry, Files, FsError, Metadata};

/// The most bytes of unfinished input (an open heredoc) the session keeps between lines.
pub const MAX_PENDING_INPUT: usize = 1 << 20;
/// The most bytes of stdout or stderr one `exec` returns; the rest is cut with a note.
pub const MAX_OUTPUT: usize = 1 << 20;
/// `$!` and the `[1] PID` of `&` jobs count up from here.
const FIRST_JOB_PID: u32 = 4300;
/// `$$`: the PID of the student's shell.
pub(crate) const SHELL_PID: u32 = 4242;
/// How many lines `history` keeps (bash's default `HISTSIZE`).
pub const HISTORY_SIZE: usize = 1000;

/// Where the terminal is: a node shell, or a shell inside a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Node {
        node: String,
        user: String,
    },
    Container {
        namespace: String,
        pod: String,
        container: String,
    },
}

/// One command to run, after the shell expanded its words.
pub struct Invocation<'a> {
    pub argv: &'a [String],
    pub stdin: &'a str,
    pub location: &'a Location,
    /// The files of the machine the command runs on. Paths the student typed are resolved
    /// against its working directory: `files.read("blue.yaml")`, `files.list_dir("./dir/")`,
    /// `files.resolve(path)` for the absolute form, `files.cwd()`.
    pub files: &'a mut Files,
    /// The exported environment (`export POD=...`, `FOO=1 cmd`), sorted by name.
    pub env: &'a BTreeMap<String, String>,
    /// The command was started with `sudo` (or from a root shell).
    pub as_root: bool,
}

static EMPTY_ENV: BTreeMap<String, String> = BTreeMap::new();

impl<'a> Invocation<'a> {
    /// An invocation with an empty environment, not as root (for tests of host commands).
    pub fn new(
        argv: &'a [String],
        stdin: &'a str,
        location: &'a Location,
        files: &'a mut Files,
    ) -> Invocation<'a> {
        Invocation {
            argv,
            stdin,
            location,
            files,
            env: &EMPTY_ENV,
            as_root: false,
        }
    }
}

/// What a command printed, and what it asks the shell to do next.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// Open a nested shell there (`ssh worker1`, `kubectl exec -it POD -- bash`).
    pub enter: Option<Location>,
    /// With `enter`: run this line in that shell and come back, its output and status being
    /// the command's (`ssh worker1 sudo iptables-save | grep KUBE`).
    pub remote_command: Option<String>,
    /// `stdout` and `stderr` interleaved as written, when the command knows the order (kubectl
    /// does); shown instead of stdout-then-stderr when both streams reach the terminal.
    pub display: Option<String>,
    pub traces: Vec<Trace>,
}

/// Runs commands that are not shell builtins.
pub trait Host {
    /// `None` when no such command exists at `invocation.location`.
    fn run(&mut self, invocation: Invocation<'_>) -> Option<CommandOutput>;
    /// `sleep N` advances the virtual clock.
    fn sleep(&mut self, millis: u64);
    /// The virtual time, for file modification times (`ls -l`), `date` and `time`.
    fn now(&self) -> SimTime {
        SimTime::ZERO
    }
    /// A file the system provides at `location` that the student did not write
    /// (`/etc/resolv.conf` in a pod, `/etc/hosts`). The shell's `cat`, `grep`, `head`, ...
    /// read the student's files first and ask here for an absolute path they do not have.
    fn system_file(&self, location: &Location, path: &str) -> Option<String> {
        let _ = (location, path);
        None
    }
    /// The entries of a directory the system provides at `location` (`/etc/cni/net.d` on a
    /// node, `/usr/share/nginx/html` in a pod) that the student did not create; merged into
    /// `ls` listings and accepted by `cd`. `None`: no such directory.
    fn system_dir(&self, location: &Location, path: &str) -> Option<Vec<DirEntry>> {
        let _ = (location, path);
        None
    }
    /// The student left a shell the host opened (`exit` after `ssh`, `kubectl exec -it`,
    /// `kubectl run -it --rm`): what to print then (`pod "tmp" deleted`). Default: nothing.
    fn leave(&mut self, location: &Location) -> Option<CommandOutput> {
        let _ = location;
        None
    }
    /// The commands that follow run as background job `pid` (`CMD &`); `None` once they
    /// have returned. Default: nothing to remember.
    fn background(&mut self, pid: Option<u32>) {
        let _ = pid;
    }
    /// Whether background job `pid` is still running after its commands returned
    /// (`kubectl port-forward ... &` keeps listening): bash then reports no `Done` for it.
    fn job_running(&self, pid: u32) -> bool {
        let _ = pid;
        false
    }
    /// What running background jobs wrote to the terminal meanwhile (`Handling connection
    /// for 8080` from a port-forward), taken after each command the host runs. It reaches
    /// the terminal past pipes and redirections, ahead of that command's own output.
    fn take_job_output(&mut self) -> String {
        String::new()
    }
    /// `kill` ended background job `pid`: whatever it kept running stops now.
    fn end_job(&mut self, pid: u32) {
        let _ = pid;
    }
    /// `fg` brought background job `pid` to the foreground: it now holds the terminal
    /// as if started without `&`. Returns what to print after its command line.
    fn foreground_job(&mut self, pid: u32) -> String {
        let _ = pid;
        String::new()
    }
    /// The directory a shell opened at `location` starts in: a container's working
    /// directory (`root@POD:/usr/src/app#`). `None`: the user's home on a node, `/` in a
    /// container.
    fn workdir(&self, location: &Location) -> Option<String> {
        let _ = location;
        None
    }
}

/// How a nested shell was opened, which decides what `exit` prints when leaving it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FrameKind {
    /// The student's own login shell on `master`.
    Login,
    /// A shell opened by a host command (`ssh worker1`, `kubectl exec -it POD -- bash`);
    /// `bash` says whether it is bash (which prints `exit` when left) or a plain `sh`.
    Entered { bash: bool },
    /// `sudo -i`, `sudo su -` (a login shell: starts in `/root`, `exit` prints `logout`) or
    /// `sudo -s`, `sudo su` (stays in the directory, `exit` prints `exit`) as root.
    Root { login: bool },
}

/// One shell in the stack of nested shells.
#[derive(Clone, Debug)]
struct Frame {
    location: Location,
    kind: FrameKind,
    /// The key of this shell's machine in [`Session::machines`].
    machine: String,
    vars: BTreeMap<String, Var>,
    status: i32,
    /// The working and home directory to restore on the machine when this frame is on top
    /// again (a root shell on the same machine moves them to `/root`).
    saved_cwd: String,
    saved_home: String,
    /// This shell's job table (each bash has its own), oldest first: the last is bash's
    /// current job (`+`), the one before it the previous (`-`). A job that ended stays
    /// until bash has reported it.
    jobs: Vec<Job>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Var {
    value: String,
    exported: bool,
}

/// The student's terminal session: nested shells, files per machine, history, aliases and
/// an unfinished multi-line command.
#[derive(Clone)]
pub struct Session {
    machines: BTreeMap<String, Files>,
    frames: Vec<Frame>,
    pending: String,
    /// When `pending` ends inside a heredoc body: the delimiter awaited and `<<-`.
    pending_heredoc: Option<(String, bool)>,
    history: Vec<String>,
    /// How many old entries fell off the front of `history` (numbers keep counting).
    history_offset: usize,
    /// The PID given to the last `&` job (deterministic, counting up).
    last_job_pid: u32,
    /// Counts the lines run, to report a job's end after the line that follows it (bash
    /// notices the end only at the prompt after next, the job having ended meanwhile).
    line: u64,
    /// `$RANDOM`'s generator state (the shell's own, so the world's PRNG is untouched).
    random_state: RandomState,
    aliases: BTreeMap<String, String>,
}

/// A background job that is still running.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    /// bash's job number: one more than the highest in the table, from 1.
    number: u32,
    pid: u32,
    /// The command as typed, without the `&`.
    text: String,
    /// How it ended (`Done`, `Exit 1`, `Terminated`) and during which line; `None` while
    /// it runs.
    ended: Option<(String, u64)>,
}

/// `$RANDOM`'s linear congruential generator. Expansion reads variables through `&Session`,
/// hence interior mutability; an atomic rather than a `Cell` keeps `Session` (and so
/// `Cluster`) `Sync` for the server's blocking pool. One thread at a time touches it, so
/// `Relaxed` is enough.
#[derive(Debug)]
pub(crate) struct RandomState(AtomicU32);

impl RandomState {
    /// The next value in bash's range 0..=32767.
    pub(crate) fn next(&self) -> u32 {
        let next = self
            .0
            .load(Ordering::Relaxed)
            .wrapping_mul(1_103_515_245)
            .wrapping_add(12_345);
        self.0.store(next, Ordering::Relaxed);
        (next >> 16) & 0x7fff
    }
}

impl Clone for RandomState {
    fn clone(&self) -> RandomState {
        RandomState(AtomicU32::new(self.0.load(Ordering::Relaxed)))
    }
}

impl Default for Session {
    fn default() -> Session {
        Session::new()
    }
}

impl Session {
    pub fn new() -> Session {
        let location = Location::Node {
            node: "master".to_owned(),
            user: "user".to_owned(),
        };
        let files = Files::default();
        let frame = Frame {
            vars: default_vars(&location, files.home()),
            location,
            kind: FrameKind::Login,
            machine: "master".to_owned(),
            status: 0,
            saved_cwd: files.cwd().to_owned(),
            saved_home: files.home().to_owned(),
            jobs: Vec::new(),
        };
        let mut machines = BTreeMap::new();
        machines.insert("master".to_owned(), files);
        // Ubuntu's default ~/.bashrc defines these.
        let aliases = crate::sort::map_from(
            [("ll", "ls -alF"), ("la", "ls -A"), ("l", "ls -CF")]
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned())),
        );
        Session {
            machines,
            frames: vec![frame],
            pending: String::new(),
            pending_heredoc: None,
            history: Vec::new(),
            history_offset: 0,
            last_job_pid: FIRST_JOB_PID,
            line: 0,
            random_state: RandomState(AtomicU32::new(2026)),
            aliases,
        }
    }

    /// Runs one typed line, or several separated by `\n`. An unfinished heredoc (or quote,
    /// or trailing `|`) is kept and `continuation` is set; the next call continues it.
    pub fn exec(&mut self, input: &str, host: &mut dyn Host) -> Output {
        run::exec_input(self, input, host)
    }

    /// Ctrl+C at the prompt: drops an unfinished multi-line command (a heredoc being typed)
    /// and leaves `$?` at 130, as bash does after SIGINT.
    pub fn interrupt(&mut self) {
        self.cancel_pending();
        // bash sets `$?` to 130 after Ctrl+C, at an empty prompt too.
        self.frame_mut().status = 130;
    }

    /// `user@master:~$ `, `root@worker1:~# `, `root@POD:/# `, or `> ` while a multi-line
    /// command is unfinished.
    pub fn prompt(&self) -> String {
        if !self.pending.is_empty() {
            return "> ".to_owned();
        }
        let frame = self.frame();
        let files = self.files();
        let cwd = files.cwd();
        let home = files.home();
        let shown = if cwd == home {
            "~".to_owned()
        } else if let Some(rest) = cwd.strip_prefix(home).filter(|rest| rest.starts_with('/')) {
            format!("~{rest}")
        } else {
            cwd.to_owned()
        };
        let (user, host) = match &frame.location {
            Location::Node { node, user } => (user.as_str(), node.as_str()),
            Location::Container { pod, .. } => ("root", pod.as_str()),
        };
        let sigil = if user == "root" { '#' } else { '$' };
        format!("{user}@{host}:{shown}{sigil} ")
    }

    /// Tab completion of a path as bash does it for the student's current shell: the
    /// entries of the directory `word` names (relative to the working directory) that start
    /// with its last component, each as the whole word to insert, directories ending in
    /// `/`. Hidden entries only when the component starts with a dot.
    pub fn complete_path(&self, word: &str) -> Vec<String> {
        let (dir, stem) = match word.rfind('/') {
            Some(at) => (&word[..=at], &word[at + 1..]),
            None => ("", word),
        };
        let files = self.files();
        let listed = match dir {
            "" => files.list_dir("."),
            _ => files.list_dir(dir),
        };
        let Ok(entries) = listed else {
            return Vec::new();
        };
        entries
            .into_iter()
            .filter(|entry| entry.name.starts_with(stem))
            .filter(|entry| stem.starts_with('.') || !entry.name.starts_with('.'))
            .map(|entry| {
                let slash = if entry.is_dir { "/" } else { "" };
                format!("{dir}{}{slash}", entry.name)
            })
            .collect()
    }

    /// Writes a file on `master`; relative paths are under `/home/user` whatever the
    /// working directory is (the browser editor and the grader use this).
    pub fn write_file(&mut self, path: &str, contents: &str) {
        let absolute = files::normalize("/home/user", path);
        if let Some(files) = self.machines.get_mut("master") {
            files.write(&absolute, contents);
        }
    }

    /// Reads a file on `master`; relative paths are under `/home/user`.
    pub fn read_file(&self, path: &str) -> Option<String> {
        let absolute = files::normalize("/home/user", path);
        self.machines
            .get("master")
            .and_then(|files| files.read(&absolute))
            .map(str::to_owned)
    }

    /// Ctrl-C at the `> ` prompt: drops the unfinished command (bash prints `^C` and a new
    /// prompt; the terminal draws that). Returns whether anything was pending.
    pub fn cancel_pending(&mut self) -> bool {
        let had = !self.pending.is_empty();
        self.pending.clear();
        self.pending_heredoc = None;
        if had {
            // bash sets `$?` to 130 after an interrupt.
            self.frame_mut().status = 130;
        }
        had
    }

    /// Where the student is now (the innermost shell).
    pub fn location(&self) -> &Location {
        &self.frame().location
    }

    /// The commands typed so far, as `history` lists them.
    pub fn history(&self) -> &[String] {
        &self.history
    }

    fn frame(&self) -> &Frame {
        // The stack is never empty: `exit` on the login shell does not pop it.
        self.frames.last().unwrap_or_else(|| unreachable_frame())
    }

    fn frame_mut(&mut self) -> &mut Frame {
        if self.frames.is_empty() {
            *self = Session::new();
        }
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    fn files(&self) -> &Files {
        let machine = &self.frame().machine;
        self.machines
            .get(machine)
            .unwrap_or_else(|| unreachable_files())
    }

    fn files_mut(&mut self) -> &mut Files {
        let machine = self.frame().machine.clone();
        self.machines.entry(machine).or_default()
    }

    /// Opens a nested shell at `location` (after `ssh`, `kubectl exec -it`, `sudo -i`).
    fn push_frame(&mut self, location: Location, kind: FrameKind, cwd: Option<String>) {
        let (machine, home) = match &location {
            Location::Node { node, user } => (
                node.clone(),
                if user == "root" {
                    "/root".to_owned()
                } else {
                    format!("/home/{user}")
                },
            ),
            Location::Container {
                namespace,
                pod,
                container,
            } => (
                format!("pod:{namespace}/{pod}/{container}"),
                "/root".to_owned(),
            ),
        };
        let (parent_cwd, parent_home) = {
            let files = self.files();
            (files.cwd().to_owned(), files.home().to_owned())
        };
        let frame = self.frame_mut();
        frame.saved_cwd = parent_cwd;
        frame.saved_home = parent_home;
        let is_container = matches!(location, Location::Container { .. });
        let files = self
            .machines
            .entry(machine.clone())
            .or_insert_with(|| Files::with_home(&home));
        files.set_home(&home);
        let start = cwd.unwrap_or_else(|| {
            if is_container {
                "/".to_owned()
            } else {
                home.clone()
            }
        });
        if files.set_cwd(&start).is_err() {
            let _ = files.mkdir_all(&start, SimTime::ZERO);
            let _ = files.set_cwd(&start);
        }
        let vars = default_vars(&location, files.home());
        let saved_cwd = files.cwd().to_owned();
        self.frames.push(Frame {
            location,
            kind,
            machine,
            vars,
            status: 0,
            saved_cwd,
            saved_home: home,
            jobs: Vec::new(),
        });
    }

    /// Leaves the innermost nested shell; `false` on the login shell.
    fn pop_frame(&mut self) -> bool {
        if self.frames.len() <= 1 {
            return false;
        }
        self.frames.pop();
        let (cwd, home) = {
            let frame = self.frame();
            (frame.saved_cwd.clone(), frame.saved_home.clone())
        };
        let files = self.files_mut();
        files.set_home(&home);
        let _ = files.set_cwd(&cwd);
        true
    }
}

fn unreachable_frame() -> &'static Frame {
    // `Session` keeps at least one frame; this only exists to avoid a panic path.
    static FALLBACK: std::sync::OnceLock<Frame> = std::sync::OnceLock::new();
    FALLBACK.get_or_init(|| {
        let location = Location::Node {
            node: "master".to_owned(),
            user: "user".to_owned(),
        };
        Frame {
            vars: default_vars(&location, "/home/user"),
            location,
            kind: FrameKind::Login,
            machine: "master".to_owned(),
            status: 0,
            saved_cwd: "/home/user".to_owned(),
            saved_home: "/home/user".to_owned(),
            jobs: Vec::new(),
        }
    })
}

fn unreachable_files() -> &'static Files {
    static FALLBACK: std::sync::OnceLock<Files> = std::sync::OnceLock::new();
    FALLBACK.get_or_init(Files::default)
}

/// The variables a fresh login shell has (Ubuntu 22.04's defaults for the user).
fn default_vars(location: &Location, home: &str) -> BTreeMap<String, Var> {
    let mut vars = BTreeMap::new();
    let (user, hostname) = match location {
        Location::Node { node, user } => (user.as_str(), node.as_str()),
        Location::Container { pod, .. } => ("root", pod.as_str()),
    };
    let exported = |value: &str| Var {
        value: value.to_owned(),
        exported: true,
    };
    let path = match location {
        Location::Node { .. } if user != "root" => {
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games:/usr/local/games:/snap/bin"
        }
        _ => "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    };
    vars.insert("HOME".to_owned(), exported(home));
    vars.insert("PATH".to_owned(), exported(path));
    vars.insert("PWD".to_owned(), exported(home));
    vars.insert(
        "HOSTNAME".to_owned(),
        Var {
            value: hostname.to_owned(),
            exported: matches!(location, Location::Container { .. }),
        },
    );
    if let Location::Node { .. } = location {
        vars.insert("USER".to_owned(), exported(user));
        vars.insert("LOGNAME".to_owned(), exported(user));
        vars.insert("SHELL".to_owned(), exported("/bin/bash"));
        vars.insert("LANG".to_owned(), exported("C.UTF-8"));
        vars.insert("TERM".to_owned(), exported("xterm-256color"));
    } else {
        vars.insert("TERM".to_owned(), exported("xterm"));
    }
    vars
}
