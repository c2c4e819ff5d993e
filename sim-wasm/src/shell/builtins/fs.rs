//! File utilities with GNU coreutils 9's messages: `cat`, `rm`, `cp`, `mv`, `mkdir`,
//! `rmdir`, `touch`, `basename`, `dirname` (`ls` has its own module).

use super::super::files::{FsError, base_name, parent_of};
use super::{Ctx, fail, getopt, lines, ok, usage_error};
use crate::shell::CommandOutput;

pub(super) fn cat(ctx: &mut Ctx<'_>) -> CommandOutput {
    let opts = match getopt("cat", ctx.args, "nbAEsvTu", &[("number", 'n', false)], 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let mut operands = opts.operands.clone();
    if operands.is_empty() {
        operands.push("-".to_owned());
    }
    let mut text = String::new();
    let mut stderr = String::new();
    let mut code = 0;
    for operand in &operands {
        if operand == "-" {
            text.push_str(ctx.stdin);
            continue;
        }
        match ctx.read(operand) {
            Ok(contents) => text.push_str(&contents),
            Err(error) => {
                stderr.push_str(&format!("cat: {operand}: {}\n", error.message()));
                code = 1;
            }
        }
    }
    if opts.has('A') || opts.has('E') || opts.has('T') || opts.has('v') {
        // `-A` is `-vET`: `$` at line ends, `^I` for tabs, `^X` for control characters.
        let show_ends = opts.has('A') || opts.has('E');
        let show_tabs = opts.has('A') || opts.has('T');
        let show_nonprinting = opts.has('A') || opts.has('v');
        let mut shown = String::new();
        for c in text.chars() {
            match c {
                '\n' if show_ends => shown.push_str("$\n"),
                '\t' if show_tabs => shown.push_str("^I"),
                c if show_nonprinting && c != '\n' && c != '\t' && (c as u32) < 32 => {
                    shown.push('^');
                    shown.push(char::from_u32(c as u32 + 64).unwrap_or('?'));
                }
                '\x7f' if show_nonprinting => shown.push_str("^?"),
                c => shown.push(c),
            }
        }
        text = shown;
    }
    if opts.has('n') || opts.has('b') {
        let mut numbered = String::new();
        let mut number = 0;
        let ends_with_newline = text.ends_with('\n');
        let all = lines(&text);
        let count = all.len();
        for (index, line) in all.into_iter().enumerate() {
            if opts.has('b') && line.is_empty() {
                numbered.push('\n');
                continue;
            }
            number += 1;
            numbered.push_str(&format!("{number:>6}\t{line}"));
            if index + 1 < count || ends_with_newline {
                numbered.push('\n');
            }
        }
        text = numbered;
    }
    CommandOutput {
        stdout: text,
        stderr,
        exit_code: code,
        ..CommandOutput::default()
    }
}

pub(super) fn rm(ctx: &mut Ctx<'_>) -> CommandOutput {
    let long = [
        ("force", 'f', false),
        ("recursive", 'r', false),
        ("verbose", 'v', false),
        ("dir", 'd', false),
    ];
    let opts = match getopt("rm", ctx.args, "frRivdI", &long, 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let force = opts.has('f');
    let recursive = opts.has('r') || opts.has('R');
    if opts.operands.is_empty() {
        if force {
            return CommandOutput::default();
        }
        return usage_error("rm", "missing operand", 1);
    }
    let mut out = CommandOutput::default();
    for operand in &opts.operands {
        let absolute = ctx.files.resolve(operand);
        if absolute == "/" && recursive {
            out.stderr.push_str(
                "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n",
            );
            out.exit_code = 1;
            continue;
        }
        if base_name(operand) == "." || base_name(operand) == ".." {
            out.stderr.push_str(&format!(
                "rm: refusing to remove '.' or '..' directory: skipping '{operand}'\n"
            ));
            out.exit_code = 1;
            continue;
        }
        let is_empty_dir = ctx.files.list_dir(operand).is_ok_and(|e| e.is_empty());
        let recursive_here = recursive || (opts.has('d') && is_empty_dir);
        // `-v` names every file and directory removed, innermost first.
        let removed = if opts.has('v') && recursive_here {
            removal_order(ctx, operand)
        } else {
            vec![(operand.clone(), ctx.files.is_dir(operand))]
        };
        match ctx.files.remove(operand, recursive_here) {
            Ok(()) => {
                if opts.has('v') {
                    for (path, is_dir) in removed {
                        let what = if is_dir {
                            "removed directory"
                        } else {
                            "removed"
                        };
                        out.stdout.push_str(&format!("{what} '{path}'\n"));
                    }
                }
            }
            Err(FsError::NotFound) if force => {}
            Err(error) => {
                out.stderr.push_str(&format!(
                    "rm: cannot remove '{operand}': {}\n",
                    error.message()
                ));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// The paths under `path` (and `path` itself) in the order `rm -rv` removes them: each
/// directory's entries (sorted) before the directory.
fn removal_order(ctx: &Ctx<'_>, path: &str) -> Vec<(String, bool)> {
    let mut order = Vec::new();
    let mut stack = vec![(path.to_owned(), false)];
    while let Some((current, expanded)) = stack.pop() {
        if order.len() > 10_000 {
            break;
        }
        let is_dir = ctx.files.is_dir(&current);
        if !is_dir || expanded {
            order.push((current, is_dir));
            continue;
        }
        stack.push((current.clone(), true));
        for entry in ctx
            .files
            .list_dir(&current)
            .unwrap_or_default()
            .into_iter()
            .rev()
        {
            let child = format!("{}/{}", current.trim_end_matches('/'), entry.name);
            stack.push((child, false));
        }
    }
    order
}

pub(super) fn cp_mv(ctx: &mut Ctx<'_>, moving: bool) -> CommandOutput {
    let name = if moving { "mv" } else { "cp" };
    let long = [
        ("recursive", 'r', false),
        ("force", 'f', false),
        ("verbose", 'v', false),
        ("archive", 'a', false),
        ("no-clobber", 'n', false),
    ];
    let opts = match getopt(name, ctx.args, "rRfvainpuT", &long, 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let recursive = moving || opts.has('r') || opts.has('R') || opts.has('a');
    let operands = &opts.operands;
    match operands.len() {
        0 => return usage_error(name, "missing file operand", 1),
        1 => {
            return usage_error(
                name,
                &format!("missing destination file operand after '{}'", operands[0]),
                1,
            );
        }
        _ => {}
    }
    let (sources, target) = operands.split_at(operands.len() - 1);
    let target = &target[0];
    let target_is_dir = ctx.files.is_dir(target);
    if sources.len() > 1 && !target_is_dir {
        let message = if ctx.files.exists(target) {
            format!("{name}: target '{target}' is not a directory\n")
        } else {
            format!("{name}: target '{target}': No such file or directory\n")
        };
        return fail(message, 1);
    }
    let mut out = CommandOutput::default();
    for source in sources {
        let stat = match ctx.files.stat(source) {
            Ok(meta) => meta,
            Err(_) if !moving && ctx.read(source).is_ok() => {
                // A system file (`/etc/resolv.conf`): copy its text.
                let contents = ctx.read(source).unwrap_or_default();
                let destination = if target_is_dir {
                    format!("{}/{}", target.trim_end_matches('/'), base_name(source))
                } else {
                    target.clone()
                };
                if let Err(error) = ctx.files.try_write(&destination, &contents, false, ctx.now) {
                    out.stderr.push_str(&format!(
                        "{name}: cannot create regular file '{destination}': {}\n",
                        error.message()
                    ));
                    out.exit_code = 1;
                }
                continue;
            }
            Err(error) => {
                out.stderr.push_str(&format!(
                    "{name}: cannot stat '{source}': {}\n",
                    error.message()
                ));
                out.exit_code = 1;
                continue;
            }
        };
        if stat.is_dir && !recursive {
            out.stderr.push_str(&format!(
                "cp: -r not specified; omitting directory '{source}'\n"
            ));
            out.exit_code = 1;
            continue;
        }
        let destination = if target_is_dir {
            format!("{}/{}", target.trim_end_matches('/'), base_name(source))
        } else {
            target.clone()
        };
        let from_abs = ctx.files.resolve(source);
        let to_abs = ctx.files.resolve(&destination);
        if from_abs == to_abs {
            if moving {
                out.stderr.push_str(&format!(
                    "mv: '{source}' and '{destination}' are the same file\n"
                ));
            } else {
                out.stderr.push_str(&format!(
                    "cp: '{source}' and '{destination}' are the same file\n"
                ));
            }
            out.exit_code = 1;
            continue;
        }
        if to_abs.starts_with(&format!("{from_abs}/")) {
            let verb = if moving { "move" } else { "copy a directory," };
            let message = if moving {
                format!(
                    "mv: cannot {verb} '{source}' to a subdirectory of itself, '{destination}'\n"
                )
            } else {
                format!("cp: cannot copy a directory, '{source}', into itself, '{destination}'\n")
            };
            out.stderr.push_str(&message);
            out.exit_code = 1;
            continue;
        }
        if stat.is_dir && ctx.files.exists(&destination) && !ctx.files.is_dir(&destination) {
            out.stderr.push_str(&format!(
                "{name}: cannot overwrite non-directory '{destination}' with directory '{source}'\n"
            ));
            out.exit_code = 1;
            continue;
        }
        if stat.is_dir && ctx.files.is_dir(&destination) {
            // Replacing an existing directory: mv needs it empty, cp merges into it.
            let _ = ctx.files.remove(&destination, true);
        }
        if let Err(error) = ctx.files.copy(source, &destination, ctx.now) {
            let message = match error {
                FsError::NotFound | FsError::NotADirectory => format!(
                    "{name}: cannot {} '{destination}': {}\n",
                    if moving {
                        "move"
                    } else {
                        "create regular file"
                    },
                    error.message()
                ),
                _ => format!(
                    "{name}: cannot create '{destination}': {}\n",
                    error.message()
                ),
            };
            out.stderr.push_str(&message);
            out.exit_code = 1;
            continue;
        }
        if moving {
            let _ = ctx.files.remove(source, true);
        }
        if opts.has('v') {
            if moving {
                out.stdout
                    .push_str(&format!("renamed '{source}' -> '{destination}'\n"));
            } else {
                out.stdout
                    .push_str(&format!("'{source}' -> '{destination}'\n"));
            }
        }
    }
    out
}

pub(super) fn mkdir(ctx: &mut Ctx<'_>) -> CommandOutput {
    let long = [("parents", 'p', false), ("verbose", 'v', false)];
    let opts = match getopt("mkdir", ctx.args, "pvm:", &long, 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    if opts.operands.is_empty() {
        return usage_error("mkdir", "missing operand", 1);
    }
    let mut out = CommandOutput::default();
    for operand in &opts.operands {
        let result = if opts.has('p') {
            if ctx.files.is_dir(operand) {
                continue;
            }
            ctx.files.mkdir_all(operand, ctx.now)
        } else {
            ctx.files.mkdir(operand, ctx.now)
        };
        match result {
            Ok(()) => {
                if opts.has('v') {
                    out.stdout
                        .push_str(&format!("mkdir: created directory '{operand}'\n"));
                }
            }
            Err(error) => {
                out.stderr.push_str(&format!(
                    "mkdir: cannot create directory ‘{operand}’: {}\n",
                    error.message()
                ));
                out.exit_code = 1;
            }
        }
    }
    out
}

pub(super) fn rmdir(ctx: &mut Ctx<'_>) -> CommandOutput {
    let opts = match getopt("rmdir", ctx.args, "pv", &[("parents", 'p', false)], 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    if opts.operands.is_empty() {
        return usage_error("rmdir", "missing operand", 1);
    }
    let mut out = CommandOutput::default();
    for operand in &opts.operands {
        let error = match ctx.files.list_dir(operand) {
            Ok(entries) if entries.is_empty() => match ctx.files.remove(operand, true) {
                Ok(()) => continue,
                Err(error) => error,
            },
            Ok(_) => FsError::NotEmpty,
            Err(error) => error,
        };
        out.stderr.push_str(&format!(
            "rmdir: failed to remove '{operand}': {}\n",
            error.message()
        ));
        out.exit_code = 1;
    }
    out
}

pub(super) fn touch(ctx: &mut Ctx<'_>) -> CommandOutput {
    let opts = match getopt("touch", ctx.args, "acmd:t:r:", &[], 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    if opts.operands.is_empty() {
        return usage_error("touch", "missing file operand", 1);
    }
    let mut out = CommandOutput::default();
    for operand in &opts.operands {
        if opts.has('c') && !ctx.files.exists(operand) {
            continue;
        }
        if let Err(error) = ctx.files.touch(operand, ctx.now) {
            out.stderr.push_str(&format!(
                "touch: cannot touch '{operand}': {}\n",
                error.message()
            ));
            out.exit_code = 1;
        }
    }
    out
}

pub(super) fn basename(ctx: &mut Ctx<'_>) -> CommandOutput {
    let Some(path) = ctx.args.first() else {
        return usage_error("basename", "missing operand", 1);
    };
    let mut name = base_name(path).to_owned();
    if let Some(suffix) = ctx.args.get(1)
        && name != *suffix
        && let Some(stripped) = name.strip_suffix(suffix.as_str())
    {
        name = stripped.to_owned();
    }
    ok(format!("{name}\n"))
}

pub(super) fn dirname(ctx: &mut Ctx<'_>) -> CommandOutput {
    if ctx.args.is_empty() {
        return usage_error("dirname", "missing operand", 1);
    }
    let mut out = String::new();
    for path in ctx.args {
        let trimmed = path.trim_end_matches('/');
        let dir = if trimmed.is_empty() {
            "/".to_owned()
        } else if !trimmed.contains('/') {
            ".".to_owned()
        } else if trimmed.starts_with('/') {
            parent_of(trimmed).unwrap_or("/").to_owned()
        } else {
            trimmed
                .rsplit_once('/')
                .map_or(".", |(dir, _)| dir)
                .to_owned()
        };
        out.push_str(&dir);
        out.push('\n');
    }
    ok(out)
}
