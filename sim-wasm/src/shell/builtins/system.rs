//! Builtins about the system around the shell: `sleep` (the virtual clock), the editors
//! (`vi`, `vim`, `nano`: the browser opens them), `type` and `which`.

use super::super::run::Exec;
use super::super::{CommandOutput, FrameKind};
use super::session::SHELL_ONLY;
use super::{fail, usage_error};

impl Exec<'_> {
    pub(super) fn sleep(&mut self, args: &[String]) -> CommandOutput {
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

    pub(super) fn editor(&mut self, name: &str, args: &[String]) -> CommandOutput {
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
            FrameKind::Login | FrameKind::Root { .. }
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

    pub(super) fn type_builtin(&mut self, args: &[String]) -> CommandOutput {
        let mut out = CommandOutput::default();
        for name in args.iter().filter(|a| !a.starts_with('-')) {
            if let Some(value) = self.session.aliases.get(name.as_str()) {
                out.stdout
                    .push_str(&format!("{name} is aliased to `{value}'\n"));
            } else if SHELL_ONLY.contains(&name.as_str())
                || matches!(
                    name.as_str(),
                    "echo"
                        | "printf"
                        | "pwd"
                        | "true"
                        | "false"
                        | "test"
                        | "["
                        | "sudo"
                        | "exit"
                        | "kill"
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

    pub(super) fn which(&mut self, args: &[String]) -> CommandOutput {
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
        "xargs", "which", "su", "kill",
    ];
    if SBIN.contains(&name) {
        return Some(format!("/usr/sbin/{name}"));
    }
    if BIN.contains(&name) || super::is_utility(name) {
        return Some(format!("/usr/bin/{name}"));
    }
    None
}
