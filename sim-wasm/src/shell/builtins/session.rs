//! Builtins that change the shell itself rather than files or text, and the table of all
//! session builtins: `cd`, `export`, `unset`, `env`, `alias`, `history`, `exit`, `read`
//! here; `sudo`, `xargs`, `watch`, `source` in `launch`; `sleep`, editors, `type`, `which`
//! in `system`.
//!
//! Messages are bash 5's (`bash: cd: x: No such file or directory`) or the tool's own.

use super::super::CommandOutput;
use super::super::run::Exec;
use super::super::syntax::is_name;
use super::{fail, ok};

/// Names bash resolves to its own builtins; `sudo` cannot run them.
pub(super) const SHELL_ONLY: &[&str] = &[
    "cd", "export", "unset", "exit", "logout", "history", "alias", "unalias", "set", "source", ".",
    "type", "break", "continue", "read", "jobs", "fg", "bg",
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
            "jobs" => self.jobs_builtin(args),
            "kill" => self.kill_builtin(args, as_root),
            "fg" | "bg" => self.fg_bg(name, args),
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
            // A directory the system provides (`cd /etc/cni/net.d`) becomes a real one.
            let absolute = self.session.files().resolve(&target);
            let location = self.session.frame().location.clone();
            let provided = error == crate::shell::FsError::NotFound
                && self.host.system_dir(&location, &absolute).is_some();
            if !provided {
                return fail(format!("bash: cd: {target}: {}\n", error.message()), 1);
            }
            let files = self.session.files_mut();
            let _ = files.mkdir_all(&absolute, crate::time::SimTime::ZERO);
            let _ = files.set_cwd(&absolute);
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
                crate::sort::sort(&mut exported);
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
            crate::sort::sort(&mut exported);
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
        let offset = self.session.history_offset;
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
            .map(|(index, line)| format!("{:>5}  {line}\n", index + 1 + offset))
            .collect();
        ok(listing)
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
