//! Builtins that change the shell itself rather than files or text: `cd`, `export`, `unset`,
//! `env`, `alias`, `history`, `exit`, `sudo`, `sleep`, `xargs`, `source`, and the editors
//! (`vi`, `vim`, `nano`) whose work the browser does.
//!
//! Messages are bash 5's (`bash: cd: x: No such file or directory`) or the tool's own.

use super::super::run::{Exec, MAX_DEPTH};
use super::super::syntax::{Parser, is_name};
use super::super::{CommandOutput, FrameKind, Location};
use super::{fail, ok, status, usage_error};

/// Names bash resolves to its own builtins; `sudo` cannot run them.
const SHELL_ONLY: &[&str] = &[
    "cd", "export", "unset", "exit", "logout", "history", "alias", "unalias", "set", "source", ".",
    "type", "break", "continue", "read",
];

impl Exec<'_> {
    /// Runs a builtin that needs the session; `None` if `argv[0]` is not one.
    pub(in crate::shell) fn session_builtin(
        &mut self,
        argv: &[String],
        assignments: &[(String, String)],
        stdin: &str,
        stdout_tty: bool,
        as_root: bool,
    ) -> Option<CommandOutput> {
        let name = argv.first()?.as_str();
        let args = argv.get(1..).unwrap_or_default();
        let output = match name {
            "cd" => self.cd(args),
            "export" => self.export(args),
            "unset" => self.unset(args),
            "env" | "printenv" => self.env(name, args, assignments, stdin, stdout_tty, as_root),
            "alias" => self.alias(args),
            "unalias" => {
                for alias in args {
                    self.session.aliases.remove(alias);
                }
                CommandOutput::default()
            }
            // Completion is the browser terminal's (Tab); these only configure bash's.
            "set" | "shopt" | "hash" | "complete" | "compopt" => CommandOutput::default(),
            "history" => self.history_builtin(args),
            "exit" | "logout" => {
                let code = match args.first() {
                    None => self.status(),
                    Some(text) => match text.parse::<i64>() {
                        Ok(value) => (value & 0xff) as i32,
                        Err(_) => {
                            self.emit_stderr(&format!(
                                "bash: exit: {text}: numeric argument required\n"
                            ));
                            2
                        }
                    },
                };
                self.exit_shell(code)
            }
            "sudo" => self.sudo(args, stdin, stdout_tty),
            "su" => self.su(args),
            "sleep" => self.sleep(args),
            "xargs" => self.xargs(args, stdin),
            "source" | "." => self.source(name, args),
            "vi" | "vim" | "vim.tiny" | "nano" | "view" => self.editor(name, args),
            "type" => self.type_builtin(args),
            "break" | "continue" => self.loop_jump(name, args),
            "read" => self.read(args, stdin),
            "which" => self.which(args),
            "watch" => self.watch(args),
            _ => return None,
        };
        Some(output)
    }

    fn cd(&mut self, args: &[String]) -> CommandOutput {
        let args: Vec<&String> = args.iter().filter(|a| a.as_str() != "--").collect();
        if args.len() > 1 {
            return fail("bash: cd: too many arguments\n".to_owned(), 1);
        }
        let mut print = false;
        let target = match args.first().map(|a| a.as_str()) {
            None => match self.param("HOME") {
                Some(home) => home,
                None => return fail("bash: cd: HOME not set\n".to_owned(), 1),
            },
            Some("-") => match self.param("OLDPWD") {
                Some(old) => {
                    print = true;
                    old
                }
                None => return fail("bash: cd: OLDPWD not set\n".to_owned(), 1),
            },
            Some(dir) => dir.to_owned(),
        };
        if target.is_empty() {
            return CommandOutput::default();
        }
        let old = self.session.files().cwd().to_owned();
        if let Err(error) = self.session.files_mut().set_cwd(&target) {
            return fail(format!("bash: cd: {target}: {}\n", error.message()), 1);
        }
        let new = self.session.files().cwd().to_owned();
        self.set_var("OLDPWD", old);
        self.set_var("PWD", new.clone());
        if print {
            ok(format!("{new}\n"))
        } else {
            CommandOutput::default()
        }
    }

    fn export(&mut self, args: &[String]) -> CommandOutput {
        let mut unexport = false;
        let mut status_code = 0;
        let mut stderr = String::new();
        let mut names = Vec::new();
        for arg in args {
            match arg.as_str() {
                "-p" => {}
                "-n" => unexport = true,
                "-f" => {}
                _ => names.push(arg),
            }
        }
        if names.is_empty() {
            let listing: String = self
                .session
                .frame()
                .vars
                .iter()
                .filter(|(_, var)| var.exported)
                .map(|(name, var)| {
                    format!("declare -x {name}=\"{}\"\n", declare_escape(&var.value))
                })
                .collect();
            return ok(listing);
        }
        for arg in names {
            let (name, value) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            if !is_name(name) {
                stderr.push_str(&format!("bash: export: `{arg}': not a valid identifier\n"));
                status_code = 1;
                continue;
            }
            if let Some(value) = value {
                self.set_var(name, value);
            }
            let vars = &mut self.session.frame_mut().vars;
            match vars.get_mut(name) {
                Some(var) => var.exported = !unexport,
                None if !unexport => {
                    // `export X` of an unset variable marks it; bash lists it without a value.
                    vars.insert(
                        name.to_owned(),
                        super::super::Var {
                            value: String::new(),
                            exported: true,
                        },
                    );
                }
                None => {}
            }
        }
        fail(stderr, status_code)
    }

    fn unset(&mut self, args: &[String]) -> CommandOutput {
        let mut stderr = String::new();
        let mut code = 0;
        for arg in args.iter().filter(|a| !a.starts_with('-')) {
            if !is_name(arg) {
                stderr.push_str(&format!("bash: unset: `{arg}': not a valid identifier\n"));
                code = 1;
                continue;
            }
            self.session.frame_mut().vars.remove(arg.as_str());
        }
        fail(stderr, code)
    }

    fn env(
        &mut self,
        name: &str,
        args: &[String],
        assignments: &[(String, String)],
        stdin: &str,
        stdout_tty: bool,
        as_root: bool,
    ) -> CommandOutput {
        let mut exported: Vec<(String, String)> = self
            .session
            .frame()
            .vars
            .iter()
            .filter(|(_, var)| var.exported)
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect();
        let mut extra: Vec<(String, String)> = assignments.to_vec();
        let mut index = 0;
        if name == "env" {
            while let Some(arg) = args.get(index) {
                if arg == "-i" || arg == "--ignore-environment" {
                    exported.clear();
                } else if let Some((key, value)) =
                    arg.split_once('=').filter(|(k, _)| !k.is_empty())
                {
                    extra.push((key.to_owned(), value.to_owned()));
                } else {
                    break;
                }
                index += 1;
            }
        }
        for (key, value) in &extra {
            exported.retain(|(k, _)| k != key);
            exported.push((key.clone(), value.clone()));
        }
        let rest = args.get(index..).unwrap_or_default();
        if name == "printenv" {
            if rest.is_empty() {
                exported.sort();
                return ok(exported.iter().map(|(k, v)| format!("{k}={v}\n")).collect());
            }
            let mut out = String::new();
            let mut code = 0;
            for wanted in rest {
                match exported.iter().find(|(k, _)| k == wanted) {
                    Some((_, v)) => out.push_str(&format!("{v}\n")),
                    None => code = 1,
                }
            }
            return CommandOutput {
                stdout: out,
                exit_code: code,
                ..CommandOutput::default()
            };
        }
        if rest.is_empty() {
            exported.sort();
            return ok(exported.iter().map(|(k, v)| format!("{k}={v}\n")).collect());
        }
        if let Some(first) = rest.first()
            && SHELL_ONLY.contains(&first.as_str())
        {
            return fail(format!("env: ‘{first}’: No such file or directory\n"), 127);
        }
        let mut output = self.dispatch(rest, &extra, stdin, stdout_tty, as_root);
        if output.exit_code == 127 && output.stderr.ends_with(": command not found\n") {
            output.stderr = format!(
                "env: ‘{}’: No such file or directory\n",
                rest.first().map_or("", |s| s.as_str())
            );
        }
        output
    }

    fn alias(&mut self, args: &[String]) -> CommandOutput {
        if args.is_empty() {
            return ok(self
                .session
                .aliases
                .iter()
                .map(|(name, value)| format!("alias {name}='{value}'\n"))
                .collect());
        }
        let mut out = String::new();
        let mut stderr = String::new();
        let mut code = 0;
        for arg in args {
            match arg.split_once('=') {
                Some((name, value)) => {
                    self.session
                        .aliases
                        .insert(name.to_owned(), value.to_owned());
                }
                None => match self.session.aliases.get(arg.as_str()) {
                    Some(value) => out.push_str(&format!("alias {arg}='{value}'\n")),
                    None => {
                        stderr.push_str(&format!("bash: alias: {arg}: not found\n"));
                        code = 1;
                    }
                },
            }
        }
        CommandOutput {
            stdout: out,
            stderr,
            exit_code: code,
            ..CommandOutput::default()
        }
    }

    fn history_builtin(&mut self, args: &[String]) -> CommandOutput {
        let history = &self.session.history;
        let count = match args.first().map(|s| s.as_str()) {
            None => history.len(),
            Some("-c") => {
                self.session.history.clear();
                return CommandOutput::default();
            }
            Some(text) => match text.parse::<usize>() {
                Ok(n) => n.min(history.len()),
                Err(_) => {
                    return fail(
                        format!("bash: history: {text}: numeric argument required\n"),
                        1,
                    );
                }
            },
        };
        let start = history.len() - count;
        let listing: String = history
            .iter()
            .enumerate()
            .skip(start)
            .map(|(index, line)| format!("{:>5}  {line}\n", index + 1))
            .collect();
        ok(listing)
    }

    fn sudo(&mut self, args: &[String], stdin: &str, stdout_tty: bool) -> CommandOutput {
        if matches!(self.session.frame().location, Location::Container { .. }) {
            return fail("bash: sudo: command not found\n".to_owned(), 127);
        }
        let mut index = 0;
        let mut login = false;
        while let Some(arg) = args.get(index) {
            match arg.as_str() {
                "-i" | "-s" | "--login" | "--shell" => login = true,
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
            if login {
                self.enter_root_shell();
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
            self.enter_root_shell();
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

    fn su(&mut self, args: &[String]) -> CommandOutput {
        if self.user() == "root"
            && args
                .iter()
                .all(|a| matches!(a.as_str(), "-" | "-l" | "root"))
        {
            self.enter_root_shell();
            return CommandOutput::default();
        }
        // Without a root password there is no way in: the course uses `sudo -i`.
        fail(
            "Password: \nsu: Authentication failure\n(root 비밀번호는 없습니다. `sudo -i`를 사용하세요.)\n"
                .to_owned(),
            1,
        )
    }

    fn sleep(&mut self, args: &[String]) -> CommandOutput {
        if args.is_empty() {
            return usage_error("sleep", "missing operand", 1);
        }
        let mut total_millis: f64 = 0.0;
        for arg in args {
            let (number, unit) = match arg.char_indices().last() {
                Some((index, c)) if matches!(c, 's' | 'm' | 'h' | 'd') => (&arg[..index], c),
                _ => (arg.as_str(), 's'),
            };
            let value: Option<f64> = number
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0 && !number.starts_with('+'));
            let Some(value) = value else {
                return usage_error("sleep", &format!("invalid time interval ‘{arg}’"), 1);
            };
            let factor = match unit {
                'm' => 60_000.0,
                'h' => 3_600_000.0,
                'd' => 86_400_000.0,
                _ => 1000.0,
            };
            total_millis += value * factor;
        }
        // A year of virtual time is plenty; beyond it the clock would only overflow.
        let millis = total_millis.min(365.0 * 86_400_000.0).round() as u64;
        self.host.sleep(millis);
        CommandOutput::default()
    }

    fn xargs(&mut self, args: &[String], stdin: &str) -> CommandOutput {
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

    fn source(&mut self, name: &str, args: &[String]) -> CommandOutput {
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

    fn editor(&mut self, name: &str, args: &[String]) -> CommandOutput {
        let files: Vec<&String> = args
            .iter()
            .filter(|a| !a.starts_with('-') && !a.starts_with('+'))
            .collect();
        let Some(path) = files.first() else {
            return fail(
                format!(
                    "{name}: 편집할 파일 이름을 함께 입력하세요 (예: {name} pod.yaml).\n\
                     {name}: give a file name to edit, e.g. `{name} pod.yaml`.\n"
                ),
                1,
            );
        };
        let on_master = matches!(
            self.session.frame().kind,
            FrameKind::Login | FrameKind::Root
        ) && self.session.frame().machine == "master";
        if !on_master {
            return fail(
                format!(
                    "{name}: 이 실습에서는 master 노드의 파일만 브라우저 편집기로 열 수 있습니다.\n\
                     {name}: only files on master can be opened in the browser editor here.\n"
                ),
                1,
            );
        }
        let files = self.session.files();
        if files.is_dir(path) {
            return fail(format!("{name}: {path}: Is a directory\n"), 1);
        }
        let absolute = files.resolve(path);
        if let Some(parent) = super::super::files::parent_of(&absolute)
            && !files.is_dir(parent)
        {
            return fail(format!("{name}: {path}: No such file or directory\n"), 1);
        }
        self.note_editor(absolute);
        CommandOutput::default()
    }

    /// `read [-r] [-p PROMPT] [NAME...]`: one line of stdin split into the names (the last
    /// takes the rest); status 1 at end of input.
    fn read(&mut self, args: &[String], stdin: &str) -> CommandOutput {
        let mut raw = false;
        let mut prompt = String::new();
        let mut names = Vec::new();
        let mut index = 0;
        while let Some(arg) = args.get(index) {
            match arg.as_str() {
                "-r" => raw = true,
                "-p" => {
                    prompt = args.get(index + 1).cloned().unwrap_or_default();
                    index += 1;
                }
                "-s" | "-e" => {}
                other if other.starts_with('-') && names.is_empty() => {
                    return fail(
                        format!(
                            "bash: read: {other}: invalid option\nread: usage: read [-ers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n"
                        ),
                        2,
                    );
                }
                other => {
                    if !is_name(other) {
                        return fail(
                            format!("bash: read: `{other}': not a valid identifier\n"),
                            1,
                        );
                    }
                    names.push(other.to_owned());
                }
            }
            index += 1;
        }
        if names.is_empty() {
            names.push("REPLY".to_owned());
        }
        let at_end = stdin.is_empty();
        let line = stdin.split('\n').next().unwrap_or("");
        let line = if raw {
            line.to_owned()
        } else {
            line.replace('\\', "")
        };
        let count = names.len();
        let mut rest = line.trim_start_matches([' ', '\t']);
        for (position, name) in names.iter().enumerate() {
            let value = if position + 1 == count || name == "REPLY" && count == 1 {
                let value = if name == "REPLY" && count == 1 {
                    line.as_str()
                } else {
                    rest
                };
                value.trim_end_matches([' ', '\t']).to_owned()
            } else {
                let end = rest.find([' ', '\t']).unwrap_or(rest.len());
                let (word, tail) = rest.split_at(end);
                rest = tail.trim_start_matches([' ', '\t']);
                word.to_owned()
            };
            self.set_var(name, value);
        }
        CommandOutput {
            stderr: prompt,
            exit_code: i32::from(at_end),
            ..CommandOutput::default()
        }
    }

    /// `watch [-n SECS] [-t] COMMAND`: the first screen only (procps-ng's header, then the
    /// output), with a note that the simulator does not refresh it.
    fn watch(&mut self, args: &[String]) -> CommandOutput {
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

    fn type_builtin(&mut self, args: &[String]) -> CommandOutput {
        let mut out = CommandOutput::default();
        for name in args.iter().filter(|a| !a.starts_with('-')) {
            if let Some(value) = self.session.aliases.get(name.as_str()) {
                out.stdout
                    .push_str(&format!("{name} is aliased to `{value}'\n"));
            } else if SHELL_ONLY.contains(&name.as_str())
                || matches!(
                    name.as_str(),
                    "echo" | "printf" | "pwd" | "true" | "false" | "test" | "[" | "sudo" | "exit"
                )
            {
                out.stdout.push_str(&format!("{name} is a shell builtin\n"));
            } else if let Some(path) = program_path(name) {
                out.stdout.push_str(&format!("{name} is {path}\n"));
            } else {
                out.stderr
                    .push_str(&format!("bash: type: {name}: not found\n"));
                out.exit_code = 1;
            }
        }
        out
    }

    fn which(&mut self, args: &[String]) -> CommandOutput {
        let mut out = CommandOutput::default();
        for name in args.iter().filter(|a| !a.starts_with('-')) {
            match program_path(name) {
                Some(path) => out.stdout.push_str(&format!("{path}\n")),
                None => out.exit_code = 1,
            }
        }
        out
    }
}

/// Where a program lives on the simulated Ubuntu 22.04 nodes: the shell's own utilities and
/// the commands the course uses. Others are unknown to `which` and `type`.
fn program_path(name: &str) -> Option<String> {
    const SBIN: &[&str] = &[
        "ip",
        "iptables",
        "iptables-save",
        "sysctl",
        "route",
        "ifconfig",
    ];
    const BIN: &[&str] = &[
        "kubectl", "kubeadm", "kubelet", "docker", "ssh", "curl", "wget", "ping", "nslookup",
        "dig", "host", "apt", "apt-get", "sudo", "vi", "vim", "nano", "env", "printenv", "sleep",
        "xargs", "which", "su",
    ];
    if SBIN.contains(&name) {
        return Some(format!("/usr/sbin/{name}"));
    }
    if BIN.contains(&name) || super::is_utility(name) {
        return Some(format!("/usr/bin/{name}"));
    }
    None
}

/// Bash's `declare -x` quoting inside double quotes.
fn declare_escape(value: &str) -> String {
    let mut out = String::new();
    for c in value.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
