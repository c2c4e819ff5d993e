//! Builtins that run other commands: `sudo` (and `sudo -i`, `su`), `xargs`, `watch` and
//! `source`.

use super::super::run::{Exec, MAX_DEPTH};
use super::super::syntax::Parser;
use super::super::{CommandOutput, Location};
use super::session::SHELL_ONLY;
use super::{fail, status, usage_error};

impl Exec<'_> {
    pub(super) fn sudo(&mut self, args: &[String], stdin: &str, stdout_tty: bool) -> CommandOutput {
        if matches!(self.session.frame().location, Location::Container { .. }) {
            return fail("bash: sudo: command not found\n".to_owned(), 127);
        }
        let mut index = 0;
        let mut login = false;
        let mut shell = false;
        while let Some(arg) = args.get(index) {
            match arg.as_str() {
                "-i" | "--login" => login = true,
                "-s" | "--shell" => shell = true,
                "-u" | "-g" | "-C" | "-D" | "-h" | "-p" | "-r" | "-t" | "-U" => index += 1,
                "--" => {
                    index += 1;
                    break;
                }
                other if other.starts_with('-') => {}
                _ => break,
            }
            index += 1;
        }
        let rest = args.get(index..).unwrap_or_default();
        if rest.is_empty() {
            if login || shell {
                self.enter_root_shell(login);
                return CommandOutput::default();
            }
            return fail(
                "usage: sudo -h | -K | -k | -V\n\
                 usage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\n\
                 usage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user]\n            [-u user] [command [arg ...]]\n\
                 usage: sudo [-ABbEHkNnPS] [-r role] [-t type] [-C num] [-D directory]\n            [-g group] [-h host] [-p prompt] [-R directory] [-T timeout]\n            [-u user] [VAR=value] [-i | -s] [command [arg ...]]\n\
                 usage: sudo -e [-ABkNnS] [-r role] [-t type] [-C num] [-D directory]\n            [-g group] [-h host] [-p prompt] [-R directory] [-T timeout]\n            [-u user] file ...\n"
                    .to_owned(),
                1,
            );
        }
        let command = rest[0].as_str();
        let shell_request = matches!(command, "su" | "bash" | "sh")
            && rest[1..]
                .iter()
                .all(|a| matches!(a.as_str(), "-" | "-l" | "--login" | "-i" | "root"));
        if shell_request {
            let login_shell = rest[1..]
                .iter()
                .any(|a| matches!(a.as_str(), "-" | "-l" | "--login" | "-i"));
            self.enter_root_shell(login_shell);
            return CommandOutput::default();
        }
        if SHELL_ONLY.contains(&command) {
            return fail(format!("sudo: {command}: command not found\n"), 1);
        }
        let mut output = self.dispatch(rest, &[], stdin, stdout_tty, true);
        if output.exit_code == 127
            && output.stderr == format!("bash: {command}: command not found\n")
        {
            output.stderr = format!("sudo: {command}: command not found\n");
            output.exit_code = 1;
        }
        output
    }

    pub(super) fn su(&mut self, args: &[String]) -> CommandOutput {
        if self.user() == "root"
            && args
                .iter()
                .all(|a| matches!(a.as_str(), "-" | "-l" | "root"))
        {
            self.enter_root_shell(args.iter().any(|a| a == "-" || a == "-l"));
            return CommandOutput::default();
        }
        // Without a root password there is no way in: the course uses `sudo -i`.
        fail(
            "Password: \nsu: Authentication failure\n(root 비밀번호는 없습니다. `sudo -i`를 사용하세요.)\n"
                .to_owned(),
            1,
        )
    }

    pub(super) fn xargs(&mut self, args: &[String], stdin: &str) -> CommandOutput {
        let mut index = 0;
        let mut per_call: Option<usize> = None;
        let mut replace: Option<String> = None;
        let mut no_run_if_empty = false;
        while let Some(arg) = args.get(index) {
            match arg.as_str() {
                "-n" | "-L" => {
                    let Some(value) = args.get(index + 1) else {
                        return usage_error(
                            "xargs",
                            &format!("option requires an argument -- '{}'", &arg[1..]),
                            1,
                        );
                    };
                    match value.parse::<usize>() {
                        Ok(n) if n > 0 => per_call = Some(n),
                        _ => {
                            return usage_error(
                                "xargs",
                                &format!("invalid number \"{value}\" for {arg} option"),
                                1,
                            );
                        }
                    }
                    index += 2;
                }
                "-I" | "-i" => {
                    replace = Some(
                        args.get(index + 1)
                            .cloned()
                            .unwrap_or_else(|| "{}".to_owned()),
                    );
                    index += 2;
                }
                "-r" | "--no-run-if-empty" => {
                    no_run_if_empty = true;
                    index += 1;
                }
                "-0" | "-t" | "-p" => index += 1,
                other if other.starts_with("-n") && other.len() > 2 => {
                    match other[2..].parse::<usize>() {
                        Ok(n) if n > 0 => per_call = Some(n),
                        _ => {
                            return usage_error(
                                "xargs",
                                &format!("invalid number \"{}\" for -n option", &other[2..]),
                                1,
                            );
                        }
                    }
                    index += 1;
                }
                _ => break,
            }
        }
        let mut command: Vec<String> = args.get(index..).unwrap_or_default().to_vec();
        if command.is_empty() {
            command.push("echo".to_owned());
        }
        if self.depth >= MAX_DEPTH {
            return fail("xargs: too deeply nested\n".to_owned(), 1);
        }
        let calls: Vec<Vec<String>> = if let Some(token) = &replace {
            stdin
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(|line| {
                    command
                        .iter()
                        .map(|word| word.replace(token.as_str(), line.trim()))
                        .collect()
                })
                .collect()
        } else {
            let items = xargs_items(stdin);
            if items.is_empty() {
                if no_run_if_empty {
                    Vec::new()
                } else {
                    vec![command.clone()]
                }
            } else {
                let chunk = per_call.unwrap_or(items.len()).max(1);
                items
                    .chunks(chunk)
                    .map(|chunk| {
                        let mut call = command.clone();
                        call.extend(chunk.iter().cloned());
                        call
                    })
                    .collect()
            }
        };
        let mut combined = CommandOutput::default();
        self.depth += 1;
        for call in calls {
            let name = call.first().cloned().unwrap_or_default();
            if SHELL_ONLY.contains(&name.as_str()) {
                combined
                    .stderr
                    .push_str(&format!("xargs: {name}: No such file or directory\n"));
                combined.exit_code = 127;
                break;
            }
            let output = self.dispatch(&call, &[], "", false, false);
            combined.stdout.push_str(&output.stdout);
            if output.exit_code == 127 && output.stderr.ends_with(": command not found\n") {
                combined
                    .stderr
                    .push_str(&format!("xargs: {name}: No such file or directory\n"));
                combined.exit_code = 127;
                break;
            }
            combined.stderr.push_str(&output.stderr);
            combined.traces.extend(output.traces);
            if output.exit_code != 0 {
                combined.exit_code = 123;
            }
        }
        self.depth -= 1;
        combined
    }

    pub(super) fn source(&mut self, name: &str, args: &[String]) -> CommandOutput {
        let Some(path) = args.first() else {
            return fail(
                format!(
                    "bash: {name}: filename argument required\n{name}: usage: {name} filename [arguments]\n"
                ),
                2,
            );
        };
        let contents = match self.session.files().try_read(path) {
            Ok(contents) => contents.to_owned(),
            Err(error) => return fail(format!("bash: {path}: {}\n", error.message()), 1),
        };
        if self.depth >= MAX_DEPTH {
            return fail(format!("bash: {path}: maximum nesting exceeded\n"), 1);
        }
        // `source <(kubectl completion bash)`: the browser terminal completes on its own.
        if contents.contains("__start_kubectl") || contents.starts_with("# bash completion") {
            return CommandOutput::default();
        }
        self.depth += 1;
        let mut parser = Parser::new(&contents);
        while let Ok(Some(command)) = parser.next_command() {
            self.run_complete(&command);
        }
        self.depth -= 1;
        status(self.status())
    }

    /// `watch [-n SECS] [-t] COMMAND`: the first screen only (procps-ng's header, then the
    /// output), with a note that the simulator does not refresh it.
    pub(super) fn watch(&mut self, args: &[String]) -> CommandOutput {
        let mut interval = "2.0".to_owned();
        let mut title = true;
        let mut index = 0;
        while let Some(arg) = args.get(index) {
            match arg.as_str() {
                "-n" | "--interval" => {
                    let value = args.get(index + 1).cloned().unwrap_or_default();
                    match value.parse::<f64>() {
                        Ok(seconds) if seconds.is_finite() && seconds >= 0.0 => {
                            interval = format!("{:.1}", seconds.max(0.1));
                        }
                        _ => {
                            return fail(
                                format!("watch: failed to parse argument: '{value}'\n"),
                                1,
                            );
                        }
                    }
                    index += 2;
                    continue;
                }
                "-t" | "--no-title" => title = false,
                "-d" | "--differences" | "-c" | "--color" | "-x" | "--exec" => {}
                _ => break,
            }
            index += 1;
        }
        let command = args.get(index..).unwrap_or_default().join(" ");
        if command.is_empty() {
            return fail("\nUsage:\n watch [options] command\n".to_owned(), 1);
        }
        let screen = self.substitute_raw(&command);
        let mut stdout = String::new();
        if title {
            let left = format!("Every {interval}s: {command}");
            let hostname = match &self.session.frame().location {
                Location::Node { node, .. } => node.clone(),
                Location::Container { pod, .. } => pod.clone(),
            };
            let right = format!("{hostname}: {}", super::watch_date(self.host.now()));
            let width = 80usize;
            let pad = width
                .saturating_sub(left.chars().count() + right.chars().count())
                .max(1);
            stdout.push_str(&format!("{left}{}{right}\n\n", " ".repeat(pad)));
        }
        stdout.push_str(&screen);
        CommandOutput {
            stdout,
            stderr: "(watch: 시뮬레이터에서는 한 번만 보여 줍니다. 다시 보려면 명령을 다시 실행하세요 / \
                     the simulator shows the first screen only)\n"
                .to_owned(),
            ..CommandOutput::default()
        }
    }
}

/// xargs' input items: blank-separated, with simple single/double quotes.
fn xargs_items(stdin: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut in_item = false;
    let mut quote: Option<char> = None;
    for c in stdin.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => current.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                in_item = true;
            }
            None if c.is_whitespace() => {
                if in_item {
                    items.push(std::mem::take(&mut current));
                    in_item = false;
                }
            }
            None => {
                current.push(c);
                in_item = true;
            }
        }
    }
    if in_item {
        items.push(current);
    }
    items
}
