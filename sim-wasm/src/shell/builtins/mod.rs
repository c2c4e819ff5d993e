//! The commands the shell implements itself, with GNU coreutils' and bash's messages and exit
//! codes (Debian/Ubuntu, `LANG=C.UTF-8`): session builtins that change the shell (`cd`,
//! `export`, `exit`, `sudo`, ...) in `session`, file utilities in `fs`, text filters in
//! `text`, `grep` in `grep`.
//!
//! Utilities see a [`Ctx`]: their arguments, stdin, the machine's files and the host (for
//! system files and the clock). They know nothing about Kubernetes.

mod awk;
mod columns;
mod diff;
mod format;
mod fs;
mod grep;
mod jobs;
mod launch;
mod ls;
mod misc;
mod sed;
mod session;
mod system;
mod test_expr;
mod text;

use super::files::{Files, FsError};
use super::{CommandOutput, Host, Location};
use crate::time::SimTime;

/// What a utility may look at and change.
pub(super) struct Ctx<'a> {
    pub name: &'a str,
    pub args: &'a [String],
    pub stdin: &'a str,
    pub files: &'a mut Files,
    pub host: &'a mut dyn Host,
    pub location: &'a Location,
    /// Whether stdout is the terminal (`ls` prints columns) or a pipe/file (one per line).
    pub stdout_tty: bool,
    pub now: SimTime,
    pub user: &'a str,
}

impl Ctx<'_> {
    /// Reads a file the student wrote, or one the system provides (`/etc/resolv.conf`).
    pub fn read(&self, path: &str) -> Result<String, FsError> {
        if self.files.resolve(path) == "/dev/null" {
            return Ok(String::new());
        }
        match self.files.try_read(path) {
            Ok(contents) => Ok(contents.to_owned()),
            Err(FsError::NotFound) => {
                let absolute = self.files.resolve(path);
                self.host
                    .system_file(self.location, &absolute)
                    .ok_or(FsError::NotFound)
            }
            Err(error) => Err(error),
        }
    }

    /// A directory's entries: the student's, plus those the system provides there.
    pub fn list(&self, path: &str) -> Result<Vec<super::files::DirEntry>, FsError> {
        let absolute = self.files.resolve(path);
        let system = self.host.system_dir(self.location, &absolute);
        match (self.files.list_dir(path), system) {
            (Ok(mut entries), Some(extra)) => {
                for entry in extra {
                    if !entries.iter().any(|e| e.name == entry.name) {
                        entries.push(entry);
                    }
                }
                crate::sort::sort_by(&mut entries, |a, b| a.name.cmp(&b.name));
                Ok(entries)
            }
            (Ok(entries), None) => Ok(entries),
            (Err(FsError::NotFound), Some(mut extra)) => {
                crate::sort::sort_by(&mut extra, |a, b| a.name.cmp(&b.name));
                Ok(extra)
            }
            (Err(error), _) => Err(error),
        }
    }

    /// Whether `path` is a directory of the student's or of the system's.
    pub fn is_dir(&self, path: &str) -> bool {
        self.files.is_dir(path)
            || self
                .host
                .system_dir(self.location, &self.files.resolve(path))
                .is_some()
    }

    /// The hostname of the machine (`master`, `worker1`, the pod's name).
    pub fn hostname(&self) -> &str {
        match self.location {
            Location::Node { node, .. } => node,
            Location::Container { pod, .. } => pod,
        }
    }
}

/// Runs a utility the shell implements; `None` if `ctx.name` is not one.
pub(super) fn run_utility(ctx: &mut Ctx<'_>) -> Option<CommandOutput> {
    let output = match ctx.name {
        "echo" => echo(ctx.args),
        "printf" => format::printf(ctx),
        "true" | ":" => CommandOutput::default(),
        "false" => status(1),
        "pwd" => ok(format!("{}\n", ctx.files.cwd())),
        "whoami" => ok(format!("{}\n", ctx.user)),
        // `hostname -I` (addresses) is the host's; the name forms are answered here.
        "hostname"
            if ctx
                .args
                .iter()
                .all(|a| matches!(a.as_str(), "-s" | "--short" | "-f" | "--fqdn" | "-A")) =>
        {
            ok(format!("{}\n", ctx.hostname()))
        }
        "clear" => ok("\x1b[H\x1b[2J\x1b[3J".to_owned()),
        "date" => ok(format!("{}\n", date(ctx.now))),
        "basename" => fs::basename(ctx),
        "dirname" => fs::dirname(ctx),
        "cat" => fs::cat(ctx),
        "ls" => ls::ls(ctx),
        "rm" => fs::rm(ctx),
        "cp" => fs::cp_mv(ctx, false),
        "mv" => fs::cp_mv(ctx, true),
        "mkdir" => fs::mkdir(ctx),
        "rmdir" => fs::rmdir(ctx),
        "touch" => fs::touch(ctx),
        "grep" | "egrep" | "fgrep" => grep::grep(ctx),
        "head" => text::head_tail(ctx, true),
        "tail" => text::head_tail(ctx, false),
        "wc" => text::wc(ctx),
        "sort" => text::sort(ctx),
        "uniq" => text::uniq(ctx),
        "tee" => text::tee(ctx),
        "cut" => text::cut(ctx),
        "tr" => text::tr(ctx),
        "seq" => format::seq(ctx),
        "tac" => text::tac(ctx),
        "sed" => sed::sed(ctx),
        "base64" => misc::base64(ctx),
        "uname" => misc::uname(ctx),
        "id" => misc::id(ctx),
        "realpath" | "readlink" => misc::realpath(ctx),
        "less" | "more" => misc::pager(ctx),
        "find" => misc::find(ctx),
        "diff" => diff::diff(ctx),
        "column" => columns::column(ctx),
        "paste" => columns::paste(ctx),
        "rev" => columns::rev(ctx),
        "nl" => columns::nl(ctx),
        "awk" | "mawk" => awk::awk(ctx),
        "test" | "[" => test_expr::test(ctx),
        _ => return None,
    };
    Some(output)
}

/// Whether the shell implements `name` as a utility (for `which` and `type`).
pub(super) fn is_utility(name: &str) -> bool {
    matches!(
        name,
        "echo"
            | "printf"
            | "true"
            | "false"
            | "pwd"
            | "whoami"
            | "hostname"
            | "clear"
            | "date"
            | "basename"
            | "dirname"
            | "cat"
            | "ls"
            | "rm"
            | "cp"
            | "mv"
            | "mkdir"
            | "rmdir"
            | "touch"
            | "grep"
            | "egrep"
            | "fgrep"
            | "head"
            | "tail"
            | "wc"
            | "sort"
            | "uniq"
            | "tee"
            | "cut"
            | "tr"
            | "seq"
            | "tac"
            | "sed"
            | "awk"
            | "mawk"
            | "test"
    )
}

pub(super) fn ok(stdout: String) -> CommandOutput {
    CommandOutput {
        stdout,
        ..CommandOutput::default()
    }
}

pub(super) fn status(exit_code: i32) -> CommandOutput {
    CommandOutput {
        exit_code,
        ..CommandOutput::default()
    }
}

pub(super) fn fail(stderr: String, exit_code: i32) -> CommandOutput {
    CommandOutput {
        stderr,
        exit_code,
        ..CommandOutput::default()
    }
}

/// `NAME: MESSAGE` + `Try 'NAME --help' for more information.`, as GNU tools print usage
/// errors.
pub(super) fn usage_error(name: &str, message: &str, exit_code: i32) -> CommandOutput {
    fail(
        format!("{name}: {message}\nTry '{name} --help' for more information.\n"),
        exit_code,
    )
}

/// Options parsed the GNU way: clustered short flags, values attached or separate, long
/// options with `=`, operands anywhere, `--` ends options.
#[derive(Debug, Default)]
pub(super) struct Opts {
    pub flags: Vec<char>,
    pub values: Vec<(char, String)>,
    pub operands: Vec<String>,
}

impl Opts {
    pub fn has(&self, flag: char) -> bool {
        self.flags.contains(&flag)
    }

    pub fn value(&self, flag: char) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(f, _)| *f == flag)
            .map(|(_, v)| v.as_str())
    }

    pub fn all_values(&self, flag: char) -> impl Iterator<Item = &str> {
        self.values
            .iter()
            .filter(move |(f, _)| *f == flag)
            .map(|(_, v)| v.as_str())
    }
}

/// A long option: its name, the short flag it stands for, and whether it takes a value.
pub(super) type LongOpt = (&'static str, char, bool);

/// Parses `args` with a getopt spec (`"n:rf"`: `n` takes a value). `exit_code` is the
/// tool's status for usage errors (2 for `ls`, `grep`, `sort`; 1 for most others).
// The error is the command's whole (cold-path) output, returned once; boxing buys nothing.
#[allow(clippy::result_large_err)]
pub(super) fn getopt(
    name: &str,
    args: &[String],
    spec: &str,
    long: &[LongOpt],
    exit_code: i32,
) -> Result<Opts, CommandOutput> {
    let mut opts = Opts::default();
    let mut index = 0;
    while index < args.len() {
        let arg = &args[index];
        index += 1;
        if arg == "--" {
            opts.operands.extend(args[index..].iter().cloned());
            break;
        }
        if let Some(long_text) = arg.strip_prefix("--") {
            let (long_name, attached) = match long_text.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long_text, None),
            };
            if long_name == "help" {
                return Err(ok(format!(
                    "Usage: {name} [OPTION]... [FILE]...\n\
                     (simulated {name}: see `man {name}` on a real system / 실제 시스템의 `man {name}`을 참고하세요)\n"
                )));
            }
            let candidates: Vec<&LongOpt> = long
                .iter()
                .filter(|(full, _, _)| full.starts_with(long_name))
                .collect();
            let found =
                long.iter()
                    .find(|(full, _, _)| *full == long_name)
                    .or(if candidates.len() == 1 {
                        candidates.first().copied()
                    } else {
                        None
                    });
            let Some((full, flag, takes_value)) = found else {
                return Err(usage_error(
                    name,
                    &format!("unrecognized option '{arg}'"),
                    exit_code,
                ));
            };
            if *takes_value {
                let value = match attached {
                    Some(v) => v,
                    None => match args.get(index) {
                        Some(v) => {
                            index += 1;
                            v.clone()
                        }
                        None => {
                            return Err(usage_error(
                                name,
                                &format!("option '--{full}' requires an argument"),
                                exit_code,
                            ));
                        }
                    },
                };
                opts.values.push((*flag, value));
            } else {
                if attached.is_some() {
                    return Err(usage_error(
                        name,
                        &format!("option '--{full}' doesn't allow an argument"),
                        exit_code,
                    ));
                }
                opts.flags.push(*flag);
            }
            continue;
        }
        if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg.chars().skip(1).collect();
            let mut position = 0;
            while position < chars.len() {
                let flag = chars[position];
                position += 1;
                let Some(spec_index) = spec.find(flag) else {
                    return Err(usage_error(
                        name,
                        &format!("invalid option -- '{flag}'"),
                        exit_code,
                    ));
                };
                let takes_value = spec[spec_index + flag.len_utf8()..].starts_with(':');
                if takes_value {
                    let rest: String = chars[position..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest
                    } else if let Some(v) = args.get(index) {
                        index += 1;
                        v.clone()
                    } else {
                        return Err(usage_error(
                            name,
                            &format!("option requires an argument -- '{flag}'"),
                            exit_code,
                        ));
                    };
                    opts.values.push((flag, value));
                    break;
                }
                opts.flags.push(flag);
            }
            continue;
        }
        opts.operands.push(arg.clone());
    }
    Ok(opts)
}

/// `echo`: `-n`, `-e`, `-E` (only as leading words made of those letters), as bash's builtin.
fn echo(args: &[String]) -> CommandOutput {
    let mut newline = true;
    let mut escapes = false;
    let mut index = 0;
    while let Some(arg) = args.get(index) {
        let Some(letters) = arg.strip_prefix('-') else {
            break;
        };
        if letters.is_empty() || !letters.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for c in letters.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        index += 1;
    }
    let joined = args.get(index..).unwrap_or_default().join(" ");
    let (mut text, stop) = if escapes {
        interpret_escapes(&joined)
    } else {
        (joined, false)
    };
    if newline && !stop {
        text.push('\n');
    }
    ok(text)
}

/// Backslash escapes of `echo -e` and `$'...'`; the flag is `\c` (stop output here).
pub(crate) fn interpret_escapes(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(next) = chars.next() else {
            out.push('\\');
            break;
        };
        match next {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'e' | 'E' => out.push('\x1b'),
            'f' => out.push('\x0c'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'c' => return (out, true),
            '0' => {
                let mut value = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(digit) => {
                            value = value * 8 + digit;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
            }
            'u' | 'U' => {
                let limit = if next == 'u' { 4 } else { 8 };
                let mut value = 0u32;
                let mut digits = 0;
                while digits < limit {
                    match chars.peek().and_then(|d| d.to_digit(16)) {
                        Some(digit) => {
                            value = value * 16 + digit;
                            chars.next();
                            digits += 1;
                        }
                        None => break,
                    }
                }
                if digits == 0 {
                    out.push('\\');
                    out.push(next);
                } else {
                    out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
                }
            }
            'x' => {
                let mut value = 0u32;
                let mut digits = 0;
                while digits < 2 {
                    match chars.peek().and_then(|d| d.to_digit(16)) {
                        Some(digit) => {
                            value = value * 16 + digit;
                            chars.next();
                            digits += 1;
                        }
                        None => break,
                    }
                }
                if digits == 0 {
                    out.push_str("\\x");
                } else {
                    out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// `watch`'s header date (`%a %b %e %H:%M:%S %Y`): `Thu Nov 26 09:00:00 2026`.
pub(super) fn watch_date(now: SimTime) -> String {
    let full = date(now);
    // `date` prints `Thu Nov 26 09:00:00 UTC 2026`; watch omits the zone.
    full.replace(" UTC ", " ")
}

/// `date`'s default format in UTC: `Thu Nov 26 09:00:00 UTC 2026`.
fn date(now: SimTime) -> String {
    let seconds = crate::time::EPOCH_UNIX_SECONDS + (now.as_millis() / 1000) as i64;
    let stamp = crate::time::rfc3339(seconds);
    let days = seconds.div_euclid(86_400);
    // 1970-01-01 was a Thursday.
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    let month_names = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month: usize = stamp.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let month = month_names.get(month.saturating_sub(1)).unwrap_or(&"Jan");
    let day: u32 = stamp.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(1);
    let time = stamp.get(11..19).unwrap_or("00:00:00");
    let year = stamp.get(0..4).unwrap_or("1970");
    format!("{weekday} {month} {day:>2} {time} UTC {year}")
}

/// Splits text into lines without their `\n` (a last line without one still counts).
pub(super) fn lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if text.ends_with('\n') || text.is_empty() {
        lines.pop();
    }
    lines
}
