//! Running parsed commands: `&&`/`||` lists, pipelines (each command's stdout is the next
//! one's stdin), redirections to files, `/dev/null` and other descriptors, and the dispatch
//! of a command name to a session builtin, a utility, or the [`Host`].
//!
//! It does not parse (see `syntax`) and does not implement utilities (see `builtins/`).

mod compound;
mod redirect;

use std::collections::BTreeMap;

use super::builtins::{self, Ctx};
use super::files::base_name;
use super::syntax::{
    AndOr, Command, CompleteCommand, Connector, ParseError, Parser, Pipeline, RedirectOp,
    SimpleCommand, TimeFormat,
};
use super::{
    CommandOutput, FrameKind, HISTORY_SIZE, Host, Invocation, Location, MAX_OUTPUT,
    MAX_PENDING_INPUT, Session,
};
use crate::cluster::Output;
use crate::net::trace::Trace;

/// The deepest nesting of command substitutions (and `xargs`) at run time.
pub const MAX_DEPTH: usize = 16;
/// Commands that, inside a container, the world answers before the shell's own utilities:
/// it knows the image's files, the user and the pod's environment.
const WORLD_FIRST_IN_CONTAINERS: &[&str] = &[
    "cat", "ls", "env", "printenv", "whoami", "id", "hostname", "head", "tail",
];

/// The most iterations one loop runs (`while true` must end in a browser tab).
pub const MAX_LOOP_ITERATIONS: usize = 1000;
/// The most simple commands one `exec` runs (xargs and substitutions included).
pub const MAX_COMMANDS: usize = 10_000;

/// Runs `input` (continuing any pending multi-line command) and collects what the
/// terminal shows.
pub fn exec_input(session: &mut Session, input: &str, host: &mut dyn Host) -> Output {
    // Text pasted from Windows keeps no `\r` at line ends (bash would choke on `$'\r'`).
    let mut input = input.replace("\r\n", "\n");
    // Inside a heredoc body, a line that is not the delimiter only adds to the body: keep
    // it without parsing everything again (a long YAML typed line by line stays linear).
    if let Some((delimiter, strip_tabs)) = &session.pending_heredoc
        && !input.contains('\n')
        && session.pending.len() + input.len() < MAX_PENDING_INPUT
    {
        let line = if *strip_tabs {
            input.trim_start_matches('\t')
        } else {
            input.as_str()
        };
        if line != delimiter {
            session.pending.push('\n');
            session.pending.push_str(&input);
            return Output {
                exit_code: session.frame().status,
                continuation: true,
                ..Output::default()
            };
        }
    }
    session.pending_heredoc = None;
    let mut notes = String::new();
    if session.pending.is_empty() {
        // History expansion applies to the line that starts a command (never to heredoc
        // bodies); bash shows the expanded line before running it.
        let (first, rest) = match input.split_once('\n') {
            Some((first, rest)) => (first.to_owned(), Some(rest.to_owned())),
            None => (input.clone(), None),
        };
        match super::history::expand(&first, &session.history, session.history_offset) {
            Ok(None) => {}
            Ok(Some(expanded)) => {
                notes = format!("{expanded}\n");
                input = match rest {
                    Some(rest) => format!("{expanded}\n{rest}"),
                    None => expanded,
                };
            }
            Err(message) => {
                notes = format!("{message}\n");
                input = rest.unwrap_or_default();
            }
        }
    }
    let source = if session.pending.is_empty() {
        input
    } else {
        format!("{}\n{input}", std::mem::take(&mut session.pending))
    };
    session.line = session.line.wrapping_add(1);
    let mut exec = Exec::new(session, host);
    exec.emit_stderr(&notes);
    let mut parser = Parser::new(&source);
    let mut continuation = false;
    loop {
        let start = parser.position();
        match parser.next_command() {
            Ok(None) => break,
            Ok(Some(command)) => {
                let text = parser.slice(start, parser.position());
                exec.record_history(&text);
                exec.run_complete(&command);
            }
            Err(ParseError::Incomplete) => {
                let rest = parser.slice(start, parser.len());
                if rest.len() > MAX_PENDING_INPUT {
                    exec.emit_stderr("bash: input too long: the unfinished command was dropped\n");
                    exec.set_status(2);
                } else {
                    exec.session.pending = rest;
                    exec.session.pending_heredoc = parser.awaiting_delimiter().cloned();
                    continuation = true;
                }
                break;
            }
            Err(error) => {
                parser.skip_line();
                let text = parser.slice(start, parser.position());
                exec.record_history(&text);
                exec.emit_stderr(&syntax_message(&error));
                exec.set_status(2);
            }
        }
    }
    let notices = exec.job_notices();
    exec.emit_stderr(&notices);
    exec.finish(continuation)
}

fn syntax_message(error: &ParseError) -> String {
    match error {
        ParseError::Unexpected(token) => {
            format!("bash: syntax error near unexpected token `{token}'\n")
        }
        ParseError::Unsupported(what) => format!(
            "bash: {what}: not supported by this simulated shell\n\
             (이 실습 셸은 `{what}` 구문을 지원하지 않습니다. 명령을 한 줄씩 실행해 보세요.)\n"
        ),
        ParseError::TooComplex => "bash: command too complex for this simulated shell\n".to_owned(),
        ParseError::Incomplete => "bash: syntax error: unexpected end of file\n".to_owned(),
    }
}

/// Where a file descriptor writes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Sink {
    /// The next command of the pipeline.
    Pipe,
    /// The terminal's stdout.
    Terminal,
    /// The terminal's stderr.
    TerminalErr,
    /// A file (absolute path), appended to after the redirection opened it.
    File(String),
    Null,
}

/// The state of one `exec` call: the session, the host and what was printed so far.
pub(super) struct Exec<'s> {
    pub(super) session: &'s mut Session,
    pub(super) host: &'s mut dyn Host,
    stdout: String,
    stderr: String,
    /// Both streams as the terminal receives them, in order.
    display: String,
    /// `stdout` / `stderr` are capturing for a substitution or a redirected compound
    /// command just now: what is written there does not reach the terminal (yet).
    out_captured: bool,
    err_captured: bool,
    truncated: bool,
    traces: Vec<Trace>,
    open_editor: Option<String>,
    pub(super) depth: usize,
    commands_run: usize,
    /// Inside a pipeline of several commands or a substitution (a subshell in bash):
    /// `exit` and nested shells do not affect the session.
    subshell: bool,
    /// The status of the last `$(...)` of the command being expanded.
    substitution_status: Option<i32>,
    /// The rest of the line is skipped (it opened or left a nested shell, or ran too long).
    aborted: bool,
    /// How many loops enclose the running command.
    loop_depth: usize,
    /// A pending `break` or `continue` with its level count.
    loop_control: Option<LoopControl>,
    /// The stdin of the innermost compound command that was given one (`done < file`,
    /// `... | while read x`).
    shared_stdin: Option<String>,
    /// Process substitutions made by this `exec` (their `/dev/fd/N` names count down).
    fd_counter: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LoopControl {
    Break(usize),
    Continue(usize),
}

impl<'s> Exec<'s> {
    fn new(session: &'s mut Session, host: &'s mut dyn Host) -> Exec<'s> {
        Exec {
            session,
            host,
            stdout: String::new(),
            stderr: String::new(),
            display: String::new(),
            out_captured: false,
            err_captured: false,
            truncated: false,
            traces: Vec::new(),
            open_editor: None,
            depth: 0,
            commands_run: 0,
            subshell: false,
            substitution_status: None,
            aborted: false,
            loop_depth: 0,
            loop_control: None,
            shared_stdin: None,
            fd_counter: 0,
        }
    }

    fn finish(mut self, continuation: bool) -> Output {
        if self.truncated {
            const NOTE: &str =
                "(output truncated: more than 1 MiB / 출력이 너무 길어 잘랐습니다)\n";
            self.stderr.push_str(NOTE);
            self.display.push_str(NOTE);
        }
        Output {
            stdout: self.stdout,
            stderr: self.stderr,
            display: self.display,
            exit_code: self.session.frame().status,
            continuation,
            traces: self.traces,
            open_editor: self.open_editor,
        }
    }

    /// Bash with Ubuntu's `HISTCONTROL=ignoreboth`: no lines starting with a space, no
    /// immediate duplicates.
    fn record_history(&mut self, text: &str) {
        let entry = text.trim_end_matches(['\n', ' ', '\t', '\r']);
        if entry.trim().is_empty() || entry.starts_with(' ') || entry.starts_with('\t') {
            return;
        }
        if self
            .session
            .history
            .last()
            .is_some_and(|last| last == entry)
        {
            return;
        }
        if self.session.history.len() >= HISTORY_SIZE {
            self.session.history.remove(0);
            self.session.history_offset += 1;
        }
        self.session.history.push(entry.to_owned());
    }

    pub(super) fn emit_stdout(&mut self, text: &str) {
        push_capped(&mut self.stdout, text, &mut self.truncated);
        if !self.out_captured {
            push_capped(&mut self.display, text, &mut self.truncated);
        }
    }

    pub(super) fn emit_stderr(&mut self, text: &str) {
        push_capped(&mut self.stderr, text, &mut self.truncated);
        if !self.err_captured {
            push_capped(&mut self.display, text, &mut self.truncated);
        }
    }

    pub(super) fn status(&self) -> i32 {
        self.session.frame().status
    }

    pub(super) fn set_status(&mut self, status: i32) {
        self.session.frame_mut().status = status;
    }

    pub(super) fn run_complete(&mut self, command: &CompleteCommand) {
        self.aborted = false;
        self.run_list(&command.list, command);
        self.aborted = false;
        self.loop_control = None;
    }

    /// Runs `&&`/`||` chains in order; stops early after `break`/`continue`, or when the
    /// line opened or left a nested shell (the rest of a line typed in one shell does not
    /// run in another).
    fn run_list(&mut self, list: &[AndOr], complete: &CompleteCommand) -> i32 {
        for and_or in list {
            if self.aborted || self.loop_control.is_some() {
                break;
            }
            self.run_and_or(and_or, complete);
        }
        self.status()
    }

    fn run_and_or(&mut self, and_or: &AndOr, complete: &CompleteCommand) {
        if and_or.background && !self.subshell {
            // The job runs to completion now unless the host keeps it running (a
            // port-forward); bash's `Done` line comes after the next line's output.
            self.session.last_job_pid = self.session.last_job_pid.saturating_add(1);
            let pid = self.session.last_job_pid;
            let number = self
                .session
                .frame()
                .jobs
                .iter()
                .map(|j| j.number)
                .max()
                .unwrap_or(0)
                + 1;
            self.emit_stderr(&format!("[{number}] {pid}\n"));
            let saved = self.aborted;
            self.host.background(Some(pid));
            self.run_and_or_now(and_or, complete);
            self.host.background(None);
            self.aborted = saved;
            let status = self.status();
            // Still running (a port-forward listens on): bash says nothing until it ends;
            // `jobs`, `kill`, `fg` find it in the table.
            let ended = (!self.host.job_running(pid)).then(|| {
                let state = if status == 0 {
                    "Done".to_owned()
                } else {
                    format!("Exit {status}")
                };
                (state, self.session.line)
            });
            self.session.frame_mut().jobs.push(super::Job {
                number,
                pid,
                text: and_or.text.clone(),
                ended,
            });
            self.set_status(0);
            return;
        }
        self.run_and_or_now(and_or, complete);
    }

    fn run_and_or_now(&mut self, and_or: &AndOr, complete: &CompleteCommand) {
        let frames_before = self.session.frames.len();
        self.run_pipeline(&and_or.first, complete);
        for (connector, pipeline) in &and_or.rest {
            if self.session.frames.len() != frames_before {
                self.aborted = true;
            }
            if self.aborted || self.loop_control.is_some() {
                return;
            }
            let run = match connector {
                Connector::And => self.status() == 0,
                Connector::Or => self.status() != 0,
            };
            if run {
                self.run_pipeline(pipeline, complete);
            }
        }
        if self.session.frames.len() != frames_before {
            self.aborted = true;
        }
    }

    fn run_pipeline(&mut self, pipeline: &Pipeline, complete: &CompleteCommand) {
        let started = self.host.now();
        let count = pipeline.commands.len();
        let was_subshell = self.subshell;
        if count > 1 {
            self.subshell = true;
        }
        // The first command reads the enclosing loop's stdin (or the terminal: nothing).
        let mut input: Option<String> = None;
        let mut status = 0;
        for (index, command) in pipeline.commands.iter().enumerate() {
            let last = index + 1 == count;
            let (piped, command_status) = match command {
                Command::Simple(simple) => {
                    self.run_simple(simple, complete, input.as_deref(), last)
                }
                Command::Compound { body, redirects } => {
                    self.run_compound(body, redirects, complete, input.as_deref(), last)
                }
            };
            input = Some(piped);
            status = command_status;
        }
        self.subshell = was_subshell;
        if pipeline.negated {
            status = i32::from(status == 0);
        }
        self.set_status(status);
        if let Some(format) = pipeline.timed {
            // Virtual time: only `sleep`, waits and the world's own delays take any.
            let millis = self
                .host
                .now()
                .as_millis()
                .saturating_sub(started.as_millis());
            let report = match format {
                TimeFormat::Bash => {
                    let line = |label: &str, millis: u64| {
                        format!(
                            "{label}\t{}m{}.{:03}s\n",
                            millis / 60_000,
                            (millis / 1000) % 60,
                            millis % 1000
                        )
                    };
                    format!(
                        "\n{}{}{}",
                        line("real", millis),
                        line("user", 0),
                        line("sys", 0)
                    )
                }
                TimeFormat::Posix => format!(
                    "real {}.{:02}\nuser 0.00\nsys 0.00\n",
                    millis / 1000,
                    (millis % 1000) / 10
                ),
            };
            self.emit_stderr(&report);
        }
    }

    /// Runs one command; returns what it wrote to the pipe and its exit status.
    fn run_simple(
        &mut self,
        command: &SimpleCommand,
        complete: &CompleteCommand,
        pipe_in: Option<&str>,
        last: bool,
    ) -> (String, i32) {
        self.commands_run += 1;
        if self.commands_run > MAX_COMMANDS {
            if !self.aborted {
                self.emit_stderr("bash: too many commands in one line (simulated shell limit)\n");
            }
            self.aborted = true;
            return (String::new(), 1);
        }
        // Substitutions in the words set `$?` for an assignment-only command.
        self.substitution_status = None;
        let mut argv: Vec<String> = Vec::new();
        for word in &command.words {
            argv.extend(self.expand_word(word));
        }
        let mut assignments = Vec::new();
        for (name, value) in &command.assignments {
            assignments.push((name.clone(), self.expand_single(value)));
        }
        if self.aborted {
            return (String::new(), 1);
        }
        if let Some(alias) = argv.first().and_then(|name| self.session.aliases.get(name)) {
            let mut replaced: Vec<String> = alias.split_whitespace().map(str::to_owned).collect();
            replaced.extend(argv.drain(1..));
            argv = replaced;
        }

        let mut fds: BTreeMap<u32, Sink> = BTreeMap::new();
        fds.insert(1, if last { Sink::Terminal } else { Sink::Pipe });
        fds.insert(2, Sink::TerminalErr);
        let reads_input = command.redirects.iter().any(|r| {
            r.fd == 0
                && matches!(
                    r.op,
                    RedirectOp::Input | RedirectOp::HereDoc { .. } | RedirectOp::HereString
                )
        });
        let mut stdin = match pipe_in {
            Some(text) => text.to_owned(),
            None if reads_input => String::new(),
            // `read` takes one line of the loop's stdin; other commands see what is left.
            None if argv.first().is_some_and(|name| name == "read") => {
                let shared = self.shared_stdin.take().unwrap_or_default();
                let (line, rest) = match shared.split_once('\n') {
                    Some((line, rest)) => (format!("{line}\n"), rest.to_owned()),
                    None => (shared, String::new()),
                };
                self.shared_stdin = Some(rest);
                line
            }
            None => self.shared_stdin.clone().unwrap_or_default(),
        };
        for redirect in &command.redirects {
            if let Err(message) = self.apply_redirect(redirect, complete, &mut fds, &mut stdin) {
                self.emit_stderr(&message);
                return (String::new(), 1);
            }
        }

        if argv.is_empty() {
            let status = if command.words.is_empty() {
                // `X=$(false)` has the status of the substitution.
                if command.assignments.is_empty() {
                    0
                } else {
                    self.last_substitution_status()
                }
            } else {
                0
            };
            for (name, value) in assignments {
                self.set_var(&name, value);
            }
            return (String::new(), status);
        }

        let stdout_tty = fds.get(&1) == Some(&Sink::Terminal);
        let mut output = self.dispatch(&argv, &assignments, &stdin, stdout_tty, false);
        if let Some(line) = output.remote_command.take()
            && let Some(location) = output.enter.take()
        {
            let (stdout, status) = self.run_remote(location, &line);
            output.stdout.push_str(&stdout);
            output.exit_code = status;
        }
        let status = output.exit_code;
        self.traces.extend(output.traces);
        if let Some(location) = output.enter
            && !self.subshell
        {
            // `kubectl exec -it POD -- sh` opens a plain shell; ssh and `-- bash` open bash.
            let bash = matches!(location, Location::Node { .. })
                || argv.iter().skip(1).any(|word| base_name(word) == "bash");
            self.session.push_frame(
                location.clone(),
                FrameKind::Entered { bash },
                self.host.workdir(&location),
            );
        }
        let mut piped = String::new();
        let both_to_terminal =
            fds.get(&1) == Some(&Sink::Terminal) && fds.get(&2) == Some(&Sink::TerminalErr);
        match output.display {
            Some(display) if both_to_terminal => {
                self.emit_interleaved(&output.stdout, &output.stderr, &display)
            }
            _ => {
                self.write_fd(&fds, 1, &output.stdout, &mut piped);
                self.write_fd(&fds, 2, &output.stderr, &mut piped);
            }
        }
        (piped, status)
    }

    /// A command's two streams, both bound for the terminal, in the order it wrote them.
    fn emit_interleaved(&mut self, stdout: &str, stderr: &str, display: &str) {
        push_capped(&mut self.stdout, stdout, &mut self.truncated);
        push_capped(&mut self.stderr, stderr, &mut self.truncated);
        let shown = match (self.out_captured, self.err_captured) {
            (false, false) => display,
            (false, true) => stdout,
            (true, false) => stderr,
            (true, true) => "",
        };
        push_capped(&mut self.display, shown, &mut self.truncated);
    }

    /// `ssh HOST CMD`: runs `line` in a shell opened at `location`, leaves it, and returns
    /// what it printed on stdout (stderr reaches the terminal) and its status.
    fn run_remote(&mut self, location: Location, line: &str) -> (String, i32) {
        let workdir = self.host.workdir(&location);
        self.session
            .push_frame(location, FrameKind::Entered { bash: true }, workdir);
        let depth = self.session.frames.len();
        let stdout = self.substitute_raw(line);
        let status = self.status();
        // The remote line may itself have entered or left shells; drop back to ours.
        while self.session.frames.len() >= depth && self.session.pop_frame() {}
        (stdout, status)
    }

    fn last_substitution_status(&self) -> i32 {
        self.substitution_status.unwrap_or(0)
    }

    /// Runs a command by name: a session builtin, a utility, or the host's.
    pub(super) fn dispatch(
        &mut self,
        argv: &[String],
        assignments: &[(String, String)],
        stdin: &str,
        stdout_tty: bool,
        as_root: bool,
    ) -> CommandOutput {
        let Some(name) = argv.first() else {
            return CommandOutput::default();
        };
        let as_root = as_root || self.user() == "root";
        let location = self.session.frame().location.clone();
        // In a container the world knows the image's files, identity and environment
        // (`cat /etc/resolv.conf`, `env`, `whoami`), unless the student made the file here.
        if matches!(location, Location::Container { .. })
            && WORLD_FIRST_IN_CONTAINERS.contains(&name.as_str())
            && !argv
                .iter()
                .skip(1)
                .any(|arg| !arg.starts_with('-') && self.session.files().exists(arg))
            && let Some(output) = self.run_on_host(argv, assignments, stdin, as_root)
        {
            return output;
        }
        if let Some(output) = self.session_builtin(argv, assignments, stdin, stdout_tty, as_root) {
            return output;
        }
        let user = if as_root {
            "root".to_owned()
        } else {
            self.user()
        };
        let now = self.host.now();
        let machine = self.session.frame().machine.clone();
        let files = self.session.machines.entry(machine).or_default();
        {
            let mut ctx = Ctx {
                name,
                args: argv.get(1..).unwrap_or_default(),
                stdin,
                files: &mut *files,
                host: &mut *self.host,
                location: &location,
                stdout_tty,
                now,
                user: &user,
            };
            if let Some(output) = builtins::run_utility(&mut ctx) {
                return output;
            }
        }
        match self.run_on_host(argv, assignments, stdin, as_root) {
            Some(output) => output,
            None if name.contains('/') => {
                let files = self.session.files();
                if files.is_dir(name) {
                    command_error(format!("bash: {name}: Is a directory\n"), 126)
                } else if files.exists(name) {
                    command_error(format!("bash: {name}: Permission denied\n"), 126)
                } else {
                    command_error(format!("bash: {name}: No such file or directory\n"), 127)
                }
            }
            None => command_error(format!("bash: {name}: command not found\n"), 127),
        }
    }

    /// Asks the host to run `argv` with the exported environment (plus `assignments`).
    fn run_on_host(
        &mut self,
        argv: &[String],
        assignments: &[(String, String)],
        stdin: &str,
        as_root: bool,
    ) -> Option<CommandOutput> {
        let mut env: BTreeMap<String, String> = crate::sort::map_from(
            self.session
                .frame()
                .vars
                .iter()
                .filter(|(_, var)| var.exported)
                .map(|(name, var)| (name.clone(), var.value.clone())),
        );
        for (key, value) in assignments {
            env.insert(key.clone(), value.clone());
        }
        let location = self.session.frame().location.clone();
        let machine = self.session.frame().machine.clone();
        let files = self.session.machines.entry(machine).or_default();
        let output = self.host.run(Invocation {
            argv,
            stdin,
            location: &location,
            files,
            env: &env,
            as_root,
        });
        let jobs = self.host.take_job_output();
        if !jobs.is_empty() {
            if !self.out_captured {
                push_capped(&mut self.stdout, &jobs, &mut self.truncated);
            }
            push_capped(&mut self.display, &jobs, &mut self.truncated);
        }
        output
    }

    pub(super) fn user(&self) -> String {
        match &self.session.frame().location {
            Location::Node { user, .. } => user.clone(),
            Location::Container { .. } => "root".to_owned(),
        }
    }

    /// Runs `source` as a command substitution: a subshell whose stdout is captured, with
    /// trailing newlines removed.
    pub(super) fn substitute(&mut self, source: &str) -> String {
        self.substitute_raw(source)
            .trim_end_matches('\n')
            .to_owned()
    }

    /// A subshell's whole stdout (also `watch`'s screen).
    pub(in crate::shell) fn substitute_raw(&mut self, source: &str) -> String {
        if self.depth >= MAX_DEPTH {
            self.emit_stderr("bash: maximum command substitution depth exceeded\n");
            return String::new();
        }
        let saved_stdout = std::mem::take(&mut self.stdout);
        let saved_captured = std::mem::replace(&mut self.out_captured, true);
        let saved_vars = self.session.frame().vars.clone();
        let saved_cwd = self.session.files().cwd().to_owned();
        let saved_subshell = self.subshell;
        let frames = self.session.frames.len();
        self.subshell = true;
        self.depth += 1;
        let mut parser = Parser::new(source);
        loop {
            match parser.next_command() {
                Ok(Some(command)) => self.run_complete(&command),
                Ok(None) => break,
                Err(error) => {
                    self.emit_stderr(&syntax_message(&error));
                    self.set_status(2);
                    break;
                }
            }
        }
        self.depth -= 1;
        self.subshell = saved_subshell;
        let captured = std::mem::replace(&mut self.stdout, saved_stdout);
        self.out_captured = saved_captured;
        self.session.frames.truncate(frames.max(1));
        self.session.frame_mut().vars = saved_vars;
        let _ = self.session.files_mut().set_cwd(&saved_cwd);
        self.substitution_status = Some(self.status());
        captured
    }

    /// An expansion error (`$((1/0))`): the command does not run and the rest of the line
    /// is abandoned, with status 1.
    pub(super) fn expansion_failed(&mut self) {
        self.aborted = true;
        self.set_status(1);
    }

    /// `<(cmd)`: runs `cmd` and leaves its output in `/dev/fd/63` (62, 61, ... for more in
    /// one line), whose name replaces the word.
    pub(super) fn process_substitution(&mut self, source: &str) -> String {
        let output = self.substitute_raw(source);
        self.fd_counter = self.fd_counter.saturating_add(1);
        let path = format!("/dev/fd/{}", 64u32.saturating_sub(self.fd_counter).max(10));
        let now = self.host.now();
        let files = self.session.files_mut();
        let _ = files.mkdir_all("/dev/fd", now);
        let _ = files.try_write(&path, &output, false, now);
        path
    }

    pub(super) fn note_editor(&mut self, path: String) {
        self.open_editor = Some(path);
    }

    pub(super) fn exit_shell(&mut self, status: i32) -> CommandOutput {
        let kind = self.session.frame().kind;
        let message = match (&self.session.frame().location, kind) {
            (_, FrameKind::Login) => "logout\n".to_owned(),
            (Location::Node { node, .. }, FrameKind::Entered { .. }) => {
                format!("logout\nConnection to {node} closed.\n")
            }
            (_, FrameKind::Root { login: true }) => "logout\n".to_owned(),
            (_, FrameKind::Root { login: false }) => "exit\n".to_owned(),
            (Location::Container { .. }, FrameKind::Entered { bash: false }) => String::new(),
            (Location::Container { .. }, _) => "exit\n".to_owned(),
        };
        if self.subshell {
            return CommandOutput {
                exit_code: status,
                ..CommandOutput::default()
            };
        }
        let left = self.session.frame().location.clone();
        let mut output = CommandOutput {
            stderr: message,
            ..CommandOutput::default()
        };
        if self.session.pop_frame() {
            self.set_status(status);
            // The world may clean up after the session (`kubectl run --rm -it`).
            if matches!(kind, FrameKind::Entered { .. })
                && let Some(after) = self.host.leave(&left)
            {
                output.stdout.push_str(&after.stdout);
                output.stderr.push_str(&after.stderr);
                output.traces.extend(after.traces);
            }
        }
        output.exit_code = if kind == FrameKind::Login {
            self.status()
        } else {
            status
        };
        output
    }

    /// A root shell on this node; a login shell starts in `/root`, another stays here.
    pub(super) fn enter_root_shell(&mut self, login: bool) {
        let node = match &self.session.frame().location {
            Location::Node { node, .. } => node.clone(),
            Location::Container { .. } => return,
        };
        let cwd = (!login).then(|| self.session.files().cwd().to_owned());
        self.session.push_frame(
            Location::Node {
                node,
                user: "root".to_owned(),
            },
            FrameKind::Root { login },
            cwd,
        );
    }
}

pub(super) fn command_error(stderr: String, exit_code: i32) -> CommandOutput {
    CommandOutput {
        stderr,
        exit_code,
        ..CommandOutput::default()
    }
}

fn push_capped(buffer: &mut String, text: &str, truncated: &mut bool) {
    if buffer.len() >= MAX_OUTPUT {
        *truncated |= !text.is_empty();
        return;
    }
    let room = MAX_OUTPUT - buffer.len();
    if text.len() <= room {
        buffer.push_str(text);
        return;
    }
    let mut end = room;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    buffer.push_str(&text[..end]);
    *truncated = true;
}
