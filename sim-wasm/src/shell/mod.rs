//! The student's shell: a typed line → words → a pipeline of commands with redirections and
//! heredocs; builtins (`echo`, `cat`, `grep`, ...); the files in the home directory; where the
//! student is logged in (`master`, `ssh worker1`, a container after `kubectl exec -it`).
//!
//! The shell knows nothing about Kubernetes. Every command that is not a builtin goes to a
//! [`Host`] (implemented by the simulated world); `None` from the host means
//! `bash: NAME: command not found`.

use crate::cluster::Output;
use crate::net::trace::Trace;

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
    pub files: &'a mut Files,
}

/// What a command printed, and what it asks the shell to do next.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommandOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// Open a nested shell there (`ssh worker1`, `kubectl exec -it POD -- bash`).
    pub enter: Option<Location>,
    pub traces: Vec<Trace>,
}

/// Runs commands that are not shell builtins.
pub trait Host {
    /// `None` when no such command exists at `invocation.location`.
    fn run(&mut self, invocation: Invocation<'_>) -> Option<CommandOutput>;
    /// `sleep N` advances the virtual clock.
    fn sleep(&mut self, millis: u64);
}

/// The student's files (a home directory on `master`).
#[derive(Clone, Debug, Default)]
pub struct Files {
    entries: std::collections::BTreeMap<String, String>,
}

impl Files {
    pub fn read(&self, path: &str) -> Option<&str> {
        self.entries.get(path).map(String::as_str)
    }

    pub fn write(&mut self, path: &str, contents: &str) {
        self.entries.insert(path.to_owned(), contents.to_owned());
    }
}

pub struct Session {
    files: Files,
    location: Location,
}

impl Session {
    pub fn new() -> Session {
        Session {
            files: Files::default(),
            location: Location::Node {
                node: "master".to_owned(),
                user: "user".to_owned(),
            },
        }
    }

    pub fn exec(&mut self, input: &str, host: &mut dyn Host) -> Output {
        let argv: Vec<String> = input.split_whitespace().map(str::to_owned).collect();
        let Some(name) = argv.first().cloned() else {
            return Output::default();
        };
        let invocation = Invocation {
            argv: &argv,
            stdin: "",
            location: &self.location,
            files: &mut self.files,
        };
        match host.run(invocation) {
            Some(out) => Output {
                stdout: out.stdout,
                stderr: out.stderr,
                exit_code: out.exit_code,
                continuation: false,
                traces: out.traces,
            },
            None => Output {
                stderr: format!("bash: {name}: command not found\n"),
                exit_code: 127,
                ..Output::default()
            },
        }
    }

    pub fn prompt(&self) -> String {
        "user@master:~$ ".to_owned()
    }

    pub fn write_file(&mut self, path: &str, contents: &str) {
        self.files.write(path, contents);
    }

    pub fn read_file(&self, path: &str) -> Option<String> {
        self.files.read(path).map(str::to_owned)
    }
}
