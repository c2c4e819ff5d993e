//! Redirections: opening files for `>`/`>>`/`&>`, reading `<` and heredocs, duplicating
//! descriptors (`2>&1`), `/dev/null` and friends, and writing a command's output to the
//! sinks its descriptors point at.

use std::collections::BTreeMap;

use super::{Exec, Sink, push_capped};
use crate::shell::files::FsError;
use crate::shell::syntax::{CompleteCommand, Redirect, RedirectOp, word_source_text};

impl Exec<'_> {
    pub(super) fn write_fd(
        &mut self,
        fds: &BTreeMap<u32, Sink>,
        fd: u32,
        text: &str,
        piped: &mut String,
    ) {
        if text.is_empty() {
            return;
        }
        match fds.get(&fd) {
            Some(Sink::Pipe) => {
                let mut truncated = false;
                push_capped(piped, text, &mut truncated);
                self.truncated |= truncated;
            }
            Some(Sink::Terminal) => self.emit_stdout(text),
            Some(Sink::TerminalErr) => self.emit_stderr(text),
            Some(Sink::File(path)) => {
                let now = self.host.now();
                if let Err(error) = self.session.files_mut().try_write(path, text, true, now) {
                    self.emit_stderr(&format!("bash: {path}: {}\n", error.message()));
                }
            }
            Some(Sink::Null) | None => {}
        }
    }

    pub(super) fn apply_redirect(
        &mut self,
        redirect: &Redirect,
        complete: &CompleteCommand,
        fds: &mut BTreeMap<u32, Sink>,
        stdin: &mut String,
    ) -> Result<(), String> {
        let fd = redirect.fd;
        match &redirect.op {
            RedirectOp::HereDoc { index } => {
                let Some(heredoc) = complete.heredocs.get(*index) else {
                    return Ok(());
                };
                let body = if heredoc.expand {
                    self.expand_heredoc(&heredoc.body)
                } else {
                    heredoc.body.clone()
                };
                if fd == 0 {
                    *stdin = body;
                }
                return Ok(());
            }
            RedirectOp::HereString => {
                let text = self.expand_single(&redirect.target);
                if fd == 0 {
                    *stdin = format!("{text}\n");
                }
                return Ok(());
            }
            _ => {}
        }
        let fields = self.expand_word(&redirect.target);
        let [target] = fields.as_slice() else {
            let text = word_source_text(&redirect.target);
            return Err(format!("bash: {text}: ambiguous redirect\n"));
        };
        let target = target.clone();
        match &redirect.op {
            RedirectOp::Output { append } | RedirectOp::Both { append } => {
                let sink = self.open_output(&target, *append, fds)?;
                if matches!(redirect.op, RedirectOp::Both { .. }) {
                    fds.insert(1, sink.clone());
                    fds.insert(2, sink);
                } else {
                    fds.insert(fd, sink);
                }
            }
            RedirectOp::Input => {
                if target == "/dev/null" {
                    if fd == 0 {
                        stdin.clear();
                    }
                    return Ok(());
                }
                let contents = self.read_for_redirect(&target)?;
                if fd == 0 {
                    *stdin = contents;
                }
            }
            RedirectOp::Duplicate => {
                let source: u32 = target.parse().unwrap_or(u32::MAX);
                if source == 0 {
                    // `>&0` writes to the terminal, which stdin is.
                    fds.insert(fd, Sink::Terminal);
                } else {
                    match fds.get(&source).cloned() {
                        Some(sink) => {
                            fds.insert(fd, sink);
                        }
                        None => return Err(format!("bash: {target}: Bad file descriptor\n")),
                    }
                }
            }
            RedirectOp::Close => {
                fds.insert(fd, Sink::Null);
            }
            RedirectOp::HereDoc { .. } | RedirectOp::HereString => {}
        }
        Ok(())
    }

    fn open_output(
        &mut self,
        target: &str,
        append: bool,
        fds: &BTreeMap<u32, Sink>,
    ) -> Result<Sink, String> {
        match target {
            "/dev/null" => return Ok(Sink::Null),
            "/dev/stdout" => return Ok(fds.get(&1).cloned().unwrap_or(Sink::Terminal)),
            "/dev/stderr" => return Ok(fds.get(&2).cloned().unwrap_or(Sink::TerminalErr)),
            "/dev/tty" => return Ok(Sink::Terminal),
            "" => return Err("bash: : No such file or directory\n".to_owned()),
            _ => {}
        }
        let now = self.host.now();
        let files = self.session.files_mut();
        let absolute = files.resolve(target);
        files
            .try_write(&absolute, "", append, now)
            .map_err(|error| format!("bash: {target}: {}\n", error.message()))?;
        Ok(Sink::File(absolute))
    }

    fn read_for_redirect(&mut self, target: &str) -> Result<String, String> {
        let location = self.session.frame().location.clone();
        let files = self.session.files();
        match files.try_read(target) {
            Ok(contents) => Ok(contents.to_owned()),
            Err(FsError::NotFound) => {
                let absolute = files.resolve(target);
                self.host
                    .system_file(&location, &absolute)
                    .ok_or_else(|| format!("bash: {target}: No such file or directory\n"))
            }
            Err(FsError::IsADirectory) => Err(format!("bash: {target}: Is a directory\n")),
            Err(error) => Err(format!("bash: {target}: {}\n", error.message())),
        }
    }
}
