//! bash's job-control builtins: `jobs`, `kill`, `fg`, `bg`, over the session's table of
//! background jobs that are still running (`kubectl port-forward ... &`).
//!
//! Knows nothing about what a job does: ending one, or bringing it to the foreground, is
//! the host's business ([`Host::end_job`], [`Host::foreground_job`]). Messages and column
//! widths are bash 5's, compared byte for byte with a real bash in the tests.
//!
//! [`Host::end_job`]: crate::shell::Host::end_job
//! [`Host::foreground_job`]: crate::shell::Host::foreground_job

use super::super::CommandOutput;
use super::super::run::Exec;
use super::{fail, ok};

const KILL_USAGE: &str = "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n";

/// Linux signal numbers and names, as `kill -l` lists them (real-time ones aside).
const SIGNALS: &[(u32, &str)] = &[
    (1, "HUP"),
    (2, "INT"),
    (3, "QUIT"),
    (4, "ILL"),
    (5, "TRAP"),
    (6, "ABRT"),
    (7, "BUS"),
    (8, "FPE"),
    (9, "KILL"),
    (10, "USR1"),
    (11, "SEGV"),
    (12, "USR2"),
    (13, "PIPE"),
    (14, "ALRM"),
    (15, "TERM"),
    (16, "STKFLT"),
    (17, "CHLD"),
    (18, "CONT"),
    (19, "STOP"),
    (20, "TSTP"),
    (21, "TTIN"),
    (22, "TTOU"),
    (23, "URG"),
    (24, "XCPU"),
    (25, "XFSZ"),
    (26, "VTALRM"),
    (27, "PROF"),
    (28, "WINCH"),
    (29, "IO"),
    (30, "PWR"),
    (31, "SYS"),
];

/// What bash prints for a job a signal ended (glibc's `strsignal`).
fn signal_state(signal: u32) -> &'static str {
    match signal {
        1 => "Hangup",
        2 => "Interrupt",
        3 => "Quit",
        4 => "Illegal instruction",
        5 => "Trace/breakpoint trap",
        6 => "Aborted",
        7 => "Bus error",
        8 => "Floating point exception",
        9 => "Killed",
        10 => "User defined signal 1",
        11 => "Segmentation fault",
        12 => "User defined signal 2",
        13 => "Broken pipe",
        14 => "Alarm clock",
        16 => "Stack fault",
        24 => "CPU time limit exceeded",
        25 => "File size limit exceeded",
        26 => "Virtual timer expired",
        27 => "Profiling timer expired",
        29 => "I/O possible",
        30 => "Power failure",
        31 => "Bad system call",
        _ => "Terminated",
    }
}

/// Signals whose default action leaves a process running (`0` only checks it exists;
/// CHLD, CONT, URG, WINCH are ignored). Stopping a job (STOP, TSTP, TTIN, TTOU) is not
/// simulated either: the job keeps running, as documented in the shell module.
fn leaves_running(signal: u32) -> bool {
    matches!(signal, 0 | 17..=23 | 28)
}

/// A signal given as `9`, `KILL`, `SIGKILL` or `sigkill`; `None` if bash would not know it.
fn parse_signal(text: &str) -> Option<u32> {
    if let Ok(number) = text.parse::<u32>() {
        return (number <= 64).then_some(number);
    }
    let upper = text.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    SIGNALS
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(number, _)| *number)
}

/// `kill -l`'s table: five signals a line, `NN) SIGNAME` separated by tabs.
fn signal_table() -> String {
    let mut names: Vec<(u32, String)> = SIGNALS
        .iter()
        .map(|(number, name)| (*number, format!("SIG{name}")))
        .collect();
    for number in 34..=64u32 {
        let name = match number {
            34 => "SIGRTMIN".to_owned(),
            35..=49 => format!("SIGRTMIN+{}", number - 34),
            50..=63 => format!("SIGRTMAX-{}", 64 - number),
            _ => "SIGRTMAX".to_owned(),
        };
        names.push((number, name));
    }
    let mut out = String::new();
    for (index, (number, name)) in names.iter().enumerate() {
        out.push_str(&format!("{number:>2}) {name}"));
        // bash ends every entry with a tab except the fifth of a line; the last line
        // keeps its tab before the newline.
        out.push(if index % 5 == 4 { '\n' } else { '\t' });
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `[1]+  Running                 CMD &`: the state padded to 24 columns, as bash does.
fn job_line(number: u32, marker: char, pid: Option<u32>, state: &str, text: &str) -> String {
    match pid {
        // `jobs -l` right-aligns the PID in five columns.
        Some(pid) => format!("[{number}]{marker} {pid:>5} {state:<24}{text}\n"),
        None => format!("[{number}]{marker}  {state:<24}{text}\n"),
    }
}

impl Exec<'_> {
    /// `+` for the current job (the newest), `-` for the previous one, else a space.
    fn marker(&self, index: usize) -> char {
        let count = self.session.frame().jobs.len();
        if index + 1 == count {
            '+'
        } else if index + 2 == count {
            '-'
        } else {
            ' '
        }
    }

    /// The index in the job table a jobspec names: `%1`, `1` (where bash accepts it),
    /// `%%`, `%+`, `%-`, `%kubectl` (a command prefix), `%?forward` (a substring). The
    /// error is bash's: `%3: no such job`, preceded by `sleep: ambiguous job spec` when a
    /// prefix names several jobs.
    fn find_job(&self, name: &str, spec: &str) -> Result<usize, String> {
        let jobs = &self.session.frame().jobs;
        let bare = spec.strip_prefix('%').unwrap_or(spec);
        let no_such = format!("bash: {name}: {spec}: no such job\n");
        let found = match bare {
            "" | "%" | "+" => jobs.len().checked_sub(1),
            "-" => jobs.len().checked_sub(2),
            _ => {
                if let Ok(number) = bare.parse::<u32>() {
                    jobs.iter().position(|j| j.number == number)
                } else {
                    let matches: Vec<usize> = match bare.strip_prefix('?') {
                        Some(part) => (0..jobs.len())
                            .filter(|&i| jobs.get(i).is_some_and(|j| j.text.contains(part)))
                            .collect(),
                        None => (0..jobs.len())
                            .filter(|&i| jobs.get(i).is_some_and(|j| j.text.starts_with(bare)))
                            .collect(),
                    };
                    match matches.as_slice() {
                        [one] => Some(*one),
                        [] => None,
                        _ => {
                            return Err(format!(
                                "bash: {name}: {bare}: ambiguous job spec\n{no_such}"
                            ));
                        }
                    }
                }
            }
        };
        found.ok_or(no_such)
    }

    /// Asks the host which running jobs ended on their own (a port-forward whose pod went
    /// away): kubectl exits 1 after `error: lost connection to pod`.
    pub(in crate::shell) fn reap_jobs(&mut self) {
        let line = self.session.line;
        for job in &mut self.session.frame_mut().jobs {
            if job.ended.is_none() && !self.host.job_running(job.pid) {
                job.ended = Some(("Exit 1".to_owned(), line));
            }
        }
    }

    /// bash's notices for jobs that ended before this line (`[1]+  Done  CMD`), which
    /// leave the table once reported.
    pub(in crate::shell) fn job_notices(&mut self) -> String {
        self.reap_jobs();
        let line = self.session.line;
        let mut out = String::new();
        for (index, job) in self.session.frame().jobs.iter().enumerate() {
            if let Some((state, ended)) = &job.ended
                && *ended != line
            {
                let marker = self.marker(index);
                out.push_str(&job_line(job.number, marker, None, state, &job.text));
            }
        }
        self.session
            .frame_mut()
            .jobs
            .retain(|j| j.ended.as_ref().is_none_or(|(_, ended)| *ended == line));
        out
    }

    pub(in crate::shell) fn jobs_builtin(&mut self, args: &[String]) -> CommandOutput {
        self.reap_jobs();
        let mut long = false;
        let mut pids_only = false;
        let mut specs = Vec::new();
        let mut options_done = false;
        for arg in args {
            if !options_done && arg == "--" {
                options_done = true;
            } else if !options_done && arg.len() > 1 && arg.starts_with('-') {
                for flag in arg.chars().skip(1) {
                    match flag {
                        'l' => long = true,
                        'p' => pids_only = true,
                        // -n (changed since last notice), -r (running), -s (stopped): every
                        // listed job is running and unchanged.
                        'n' | 'r' => {}
                        's' => return CommandOutput::default(),
                        _ => {
                            return fail(
                                format!(
                                    "bash: jobs: -{flag}: invalid option\njobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]\n"
                                ),
                                2,
                            );
                        }
                    }
                }
            } else {
                specs.push(arg.clone());
            }
        }
        let mut stderr = String::new();
        let mut indices = Vec::new();
        if specs.is_empty() {
            indices.extend(0..self.session.frame().jobs.len());
        }
        for spec in &specs {
            match self.find_job("jobs", spec) {
                Ok(index) => indices.push(index),
                Err(message) => stderr.push_str(&message),
            }
        }
        let mut stdout = String::new();
        let mut reported = Vec::new();
        for index in indices {
            let marker = self.marker(index);
            let Some(job) = self.session.frame().jobs.get(index) else {
                continue;
            };
            if pids_only {
                stdout.push_str(&format!("{}\n", job.pid));
                continue;
            }
            let pid = long.then_some(job.pid);
            match &job.ended {
                Some((state, _)) => {
                    stdout.push_str(&job_line(job.number, marker, pid, state, &job.text));
                    reported.push(job.pid);
                }
                None => {
                    let text = format!("{} &", job.text);
                    stdout.push_str(&job_line(job.number, marker, pid, "Running", &text));
                }
            }
        }
        // An ended job `jobs` showed is not reported again at the prompt.
        self.session
            .frame_mut()
            .jobs
            .retain(|j| !reported.contains(&j.pid));
        let exit_code = if stderr.is_empty() { 0 } else { 1 };
        CommandOutput {
            stdout,
            stderr,
            exit_code,
            ..CommandOutput::default()
        }
    }

    pub(in crate::shell) fn kill_builtin(
        &mut self,
        args: &[String],
        as_root: bool,
    ) -> CommandOutput {
        self.reap_jobs();
        let mut signal = 15;
        let mut rest = args;
        match rest.first().map(String::as_str) {
            None => return fail(KILL_USAGE.to_owned(), 2),
            Some("-l" | "-L") => return kill_list(rest.get(1..).unwrap_or_default()),
            Some(option @ ("-s" | "-n")) => {
                let Some(spec) = rest.get(1) else {
                    return fail(
                        format!("bash: kill: {option}: option requires an argument\n"),
                        1,
                    );
                };
                match parse_signal(spec) {
                    Some(number) => signal = number,
                    None => {
                        return fail(
                            format!("bash: kill: {spec}: invalid signal specification\n"),
                            1,
                        );
                    }
                }
                rest = rest.get(2..).unwrap_or_default();
            }
            Some("--") => rest = rest.get(1..).unwrap_or_default(),
            Some(first) if first.len() > 1 && first.starts_with('-') => {
                let spec = first.get(1..).unwrap_or_default();
                // `kill -5 PID` is signal 5; a negative PID needs `--` first.
                match parse_signal(spec) {
                    Some(number) => signal = number,
                    None => {
                        return fail(
                            format!("bash: kill: {spec}: invalid signal specification\n"),
                            1,
                        );
                    }
                }
                rest = rest.get(1..).unwrap_or_default();
                if rest.first().is_some_and(|a| a == "--") {
                    rest = rest.get(1..).unwrap_or_default();
                }
            }
            Some(_) => {}
        }
        if rest.is_empty() {
            return fail(KILL_USAGE.to_owned(), 2);
        }
        let mut stderr = String::new();
        for target in rest {
            let index = if target.starts_with('%') {
                match self.find_job("kill", target) {
                    Ok(index) => Some(index),
                    Err(message) => {
                        stderr.push_str(&message);
                        continue;
                    }
                }
            } else {
                let Ok(pid) = target.parse::<i64>() else {
                    stderr.push_str(&format!(
                        "bash: kill: {target}: arguments must be process or job IDs\n"
                    ));
                    continue;
                };
                // A job is its own process group, so `kill -- -PID` reaches it too.
                let job = self
                    .session
                    .frame()
                    .jobs
                    .iter()
                    .position(|j| j.ended.is_none() && i64::from(j.pid) == pid.abs());
                match job {
                    Some(index) => Some(index),
                    // PID 1 (systemd, or a container's main process) and the shell itself
                    // ignore the signal; a user may not signal root's init at all.
                    None if pid == 1 && !as_root => {
                        stderr
                            .push_str(&format!("bash: kill: ({pid}) - Operation not permitted\n"));
                        continue;
                    }
                    None if pid == 1 || pid == i64::from(super::super::SHELL_PID) => None,
                    None => {
                        stderr.push_str(&format!("bash: kill: ({pid}) - No such process\n"));
                        continue;
                    }
                }
            };
            let Some(index) = index else { continue };
            let line = self.session.line;
            let Some(job) = self.session.frame_mut().jobs.get_mut(index) else {
                continue;
            };
            if job.ended.is_some() {
                // Ended but not yet reported: its process is gone.
                stderr.push_str(&format!("bash: kill: ({}) - No such process\n", job.pid));
                continue;
            }
            if !leaves_running(signal) {
                job.ended = Some((signal_state(signal).to_owned(), line));
                let pid = job.pid;
                self.host.end_job(pid);
            }
        }
        let exit_code = if stderr.is_empty() { 0 } else { 1 };
        fail(stderr, exit_code)
    }

    /// `fg` and `bg`. A job here is always running, so `bg` only says so; `fg` prints its
    /// command line and hands it to the host as the foreground command.
    pub(in crate::shell) fn fg_bg(&mut self, name: &str, args: &[String]) -> CommandOutput {
        self.reap_jobs();
        let args: Vec<&String> = args.iter().filter(|a| a.as_str() != "--").collect();
        let spec = args.first().map(|s| s.as_str());
        if self.session.frame().jobs.is_empty() && spec.is_none() {
            return fail(format!("bash: {name}: current: no such job\n"), 1);
        }
        let index = match self.find_job(name, spec.unwrap_or("%+")) {
            Ok(index) => index,
            Err(message) => return fail(message, 1),
        };
        let Some(job) = self.session.frame().jobs.get(index).cloned() else {
            return fail(format!("bash: {name}: current: no such job\n"), 1);
        };
        if job.ended.is_some() {
            return fail(format!("bash: {name}: job has terminated\n"), 1);
        }
        if name == "bg" {
            return fail(
                format!("bash: bg: job {} already in background\n", job.number),
                0,
            );
        }
        self.session.frame_mut().jobs.remove(index);
        let mut out = ok(format!("{}\n", job.text));
        out.stdout.push_str(&self.host.foreground_job(job.pid));
        out
    }
}

fn kill_list(args: &[String]) -> CommandOutput {
    if args.is_empty() {
        return ok(signal_table());
    }
    let mut stdout = String::new();
    let mut stderr = String::new();
    // A bad name comes between the good ones on the terminal.
    let mut display = String::new();
    for arg in args {
        let (out_before, err_before) = (stdout.len(), stderr.len());
        match arg.parse::<u32>() {
            // An exit status above 128 names the signal that ended a process.
            Ok(number) => {
                let number = if number > 128 { number - 128 } else { number };
                match SIGNALS.iter().find(|(n, _)| *n == number) {
                    Some((_, name)) => stdout.push_str(&format!("{name}\n")),
                    None => stderr.push_str(&format!(
                        "bash: kill: {arg}: invalid signal specification\n"
                    )),
                }
            }
            Err(_) => match parse_signal(arg) {
                Some(number) => stdout.push_str(&format!("{number}\n")),
                None => stderr.push_str(&format!(
                    "bash: kill: {arg}: invalid signal specification\n"
                )),
            },
        }
        display.push_str(stdout.get(out_before..).unwrap_or_default());
        display.push_str(stderr.get(err_before..).unwrap_or_default());
    }
    let exit_code = if stderr.is_empty() { 0 } else { 1 };
    CommandOutput {
        stdout,
        stderr,
        exit_code,
        display: Some(display),
        ..CommandOutput::default()
    }
}
