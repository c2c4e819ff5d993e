//! Compound commands at run time: `for`, `while`/`until` (with the iteration budget and
//! `break`/`continue`), `if`, `{ }` groups and `( )` subshells, and how their output is
//! captured and routed like a simple command's.

use std::collections::BTreeMap;

use super::{Exec, LoopControl, MAX_COMMANDS, MAX_LOOP_ITERATIONS, Sink, command_error};
use crate::shell::CommandOutput;
use crate::shell::syntax::{CompleteCommand, Compound, Redirect};

impl Exec<'_> {
    /// Runs a compound command; its output is captured and routed like a simple
    /// command's when it goes to a pipe or through redirections.
    pub(super) fn run_compound(
        &mut self,
        body: &Compound,
        redirects: &[Redirect],
        complete: &CompleteCommand,
        pipe_in: Option<&str>,
        last: bool,
    ) -> (String, i32) {
        let mut fds: BTreeMap<u32, Sink> = BTreeMap::new();
        fds.insert(1, if last { Sink::Terminal } else { Sink::Pipe });
        fds.insert(2, Sink::TerminalErr);
        let mut stdin = pipe_in.map(str::to_owned);
        for redirect in redirects {
            let mut redirected = stdin.clone().unwrap_or_default();
            if let Err(message) = self.apply_redirect(redirect, complete, &mut fds, &mut redirected)
            {
                self.emit_stderr(&message);
                return (String::new(), 1);
            }
            if redirect.fd == 0 {
                stdin = Some(redirected);
            }
        }
        // Commands inside share this stdin: `read` consumes it line by line.
        let saved_stdin = match stdin {
            Some(text) => Some(self.shared_stdin.replace(text)),
            None => None,
        };
        let capture_out = fds.get(&1) != Some(&Sink::Terminal);
        let capture_err = fds.get(&2) != Some(&Sink::TerminalErr);
        let saved_out = capture_out.then(|| std::mem::take(&mut self.stdout));
        let saved_err = capture_err.then(|| std::mem::take(&mut self.stderr));
        let saved_captured = (self.out_captured, self.err_captured);
        self.out_captured |= capture_out;
        self.err_captured |= capture_err;
        let status = self.run_compound_body(body, complete);
        (self.out_captured, self.err_captured) = saved_captured;
        if let Some(saved) = saved_stdin {
            self.shared_stdin = saved;
        }
        let out = match saved_out {
            Some(saved) => std::mem::replace(&mut self.stdout, saved),
            None => String::new(),
        };
        let err = match saved_err {
            Some(saved) => std::mem::replace(&mut self.stderr, saved),
            None => String::new(),
        };
        let mut piped = String::new();
        self.write_fd(&fds, 1, &out, &mut piped);
        self.write_fd(&fds, 2, &err, &mut piped);
        (piped, status)
    }

    fn run_compound_body(&mut self, body: &Compound, complete: &CompleteCommand) -> i32 {
        match body {
            Compound::Group(list) => self.run_list(list, complete),
            Compound::Subshell(list) => {
                let saved_vars = self.session.frame().vars.clone();
                let saved_cwd = self.session.files().cwd().to_owned();
                let saved_subshell = self.subshell;
                self.subshell = true;
                let status = self.run_list(list, complete);
                self.subshell = saved_subshell;
                self.session.frame_mut().vars = saved_vars;
                let _ = self.session.files_mut().set_cwd(&saved_cwd);
                status
            }
            Compound::If {
                branches,
                otherwise,
            } => {
                for (condition, then) in branches {
                    self.run_list(condition, complete);
                    if self.aborted || self.loop_control.is_some() {
                        return self.status();
                    }
                    if self.status() == 0 {
                        return self.run_list(then, complete);
                    }
                }
                match otherwise {
                    Some(list) => self.run_list(list, complete),
                    None => 0,
                }
            }
            Compound::For { name, words, body } => {
                let items: Vec<String> = match words {
                    Some(words) => words.iter().flat_map(|w| self.expand_word(w)).collect(),
                    None => Vec::new(),
                };
                let mut status = 0;
                self.loop_depth += 1;
                for (iteration, item) in items.into_iter().enumerate() {
                    if iteration >= MAX_LOOP_ITERATIONS {
                        self.loop_limit_reached();
                        break;
                    }
                    self.set_var(name, item);
                    status = self.run_list(body, complete);
                    if self.after_iteration() {
                        break;
                    }
                }
                self.loop_depth -= 1;
                status
            }
            Compound::While {
                condition,
                body,
                until,
            } => {
                let mut status = 0;
                self.loop_depth += 1;
                for iteration in 0.. {
                    if iteration >= MAX_LOOP_ITERATIONS {
                        self.loop_limit_reached();
                        break;
                    }
                    self.run_list(condition, complete);
                    if self.aborted || self.loop_control.is_some() {
                        self.after_iteration();
                        break;
                    }
                    if (self.status() == 0) == *until {
                        break;
                    }
                    status = self.run_list(body, complete);
                    if self.after_iteration() {
                        break;
                    }
                }
                self.loop_depth -= 1;
                status
            }
        }
    }

    /// Handles `break`/`continue` after one loop iteration; `true` to leave the loop.
    pub(super) fn after_iteration(&mut self) -> bool {
        if self.aborted || self.commands_run > MAX_COMMANDS {
            return true;
        }
        match self.loop_control.take() {
            None => false,
            Some(LoopControl::Break(levels)) => {
                if levels > 1 {
                    self.loop_control = Some(LoopControl::Break(levels - 1));
                }
                true
            }
            Some(LoopControl::Continue(levels)) => {
                if levels > 1 {
                    self.loop_control = Some(LoopControl::Continue(levels - 1));
                    return true;
                }
                false
            }
        }
    }

    pub(super) fn loop_limit_reached(&mut self) {
        self.emit_stderr(&format!(
            "bash: loop stopped after {MAX_LOOP_ITERATIONS} iterations (simulated shell limit)\n\
             (시뮬레이터 셸은 반복문을 {MAX_LOOP_ITERATIONS}번까지만 실행합니다)\n"
        ));
    }

    /// `break N` / `continue N`.
    pub(in crate::shell) fn loop_jump(&mut self, name: &str, args: &[String]) -> CommandOutput {
        let levels = match args.first() {
            None => 1,
            Some(text) => match text.parse::<usize>() {
                Ok(n) if n > 0 => n,
                Ok(_) => {
                    return command_error(
                        format!("bash: {name}: {text}: loop count out of range\n"),
                        1,
                    );
                }
                Err(_) => {
                    return command_error(
                        format!("bash: {name}: {text}: numeric argument required\n"),
                        128,
                    );
                }
            },
        };
        if self.loop_depth == 0 {
            return command_error(
                format!("bash: {name}: only meaningful in a `for', `while', or `until' loop\n"),
                0,
            );
        }
        let levels = levels.min(self.loop_depth);
        self.loop_control = Some(if name == "break" {
            LoopControl::Break(levels)
        } else {
            LoopControl::Continue(levels)
        });
        CommandOutput::default()
    }
}
