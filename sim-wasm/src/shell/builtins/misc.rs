//! Small utilities a Kubernetes session reaches for: `base64` (Secrets), `find`, `uname`,
//! `id`, `realpath`, and the pagers `less`/`more` (which print everything: the terminal is
//! not paged).

use super::super::files::DirEntry;
use super::{Ctx, fail, getopt, ok, usage_error};
use crate::shell::CommandOutput;

use crate::base64::ALPHABET as BASE64_ALPHABET;

/// The kernel of the simulated Ubuntu 22.04 nodes (COMMON contract). The build string of
/// `uname -v` is not verified against a real 5.15.0-140 kernel.
const KERNEL_RELEASE: &str = "5.15.0-140-generic";
const KERNEL_VERSION: &str = "#150-Ubuntu SMP Sat Apr 12 06:00:09 UTC 2025";

pub(super) fn base64(ctx: &mut Ctx<'_>) -> CommandOutput {
    let long = [
        ("decode", 'd', false),
        ("wrap", 'w', true),
        ("ignore-garbage", 'i', false),
    ];
    let opts = match getopt("base64", ctx.args, "dw:i", &long, 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let input = match opts.operands.first().map(String::as_str) {
        None | Some("-") => ctx.stdin.to_owned(),
        Some(path) => match ctx.read(path) {
            Ok(text) => text,
            Err(error) => return fail(format!("base64: {path}: {}\n", error.message()), 1),
        },
    };
    if opts.has('d') {
        let mut bytes = Vec::new();
        let mut buffer = 0u32;
        let mut bits = 0;
        for c in input.bytes() {
            if c == b'=' || c.is_ascii_whitespace() {
                continue;
            }
            let Some(value) = BASE64_ALPHABET.iter().position(|a| *a == c) else {
                if opts.has('i') {
                    continue;
                }
                let mut out = ok(String::from_utf8_lossy(&bytes).into_owned());
                out.stderr = "base64: invalid input\n".to_owned();
                out.exit_code = 1;
                return out;
            };
            buffer = (buffer << 6) | value as u32;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                bytes.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        return ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    let wrap = match opts.value('w') {
        None => 76,
        Some(text) => match text.parse::<usize>() {
            Ok(n) => n,
            Err(_) => return usage_error("base64", &format!("invalid wrap size: ‘{text}’"), 1),
        },
    };
    let encoded = crate::base64::encode(input.as_bytes());
    let mut out = String::new();
    if wrap == 0 {
        out.push_str(&encoded);
    } else {
        let chars: Vec<char> = encoded.chars().collect();
        for (index, line) in chars.chunks(wrap).enumerate() {
            if index > 0 {
                out.push('\n');
            }
            out.extend(line);
        }
    }
    if !encoded.is_empty() || wrap != 0 {
        out.push('\n');
    }
    ok(out)
}

pub(super) fn uname(ctx: &mut Ctx<'_>) -> CommandOutput {
    let long = [
        ("all", 'a', false),
        ("kernel-name", 's', false),
        ("nodename", 'n', false),
        ("kernel-release", 'r', false),
        ("kernel-version", 'v', false),
        ("machine", 'm', false),
        ("operating-system", 'o', false),
    ];
    let opts = match getopt("uname", ctx.args, "asnrvmpio", &long, 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let hostname = ctx.hostname().to_owned();
    let all = opts.has('a');
    let mut fields = Vec::new();
    if all || opts.has('s') || opts.flags.is_empty() {
        fields.push("Linux".to_owned());
    }
    if all || opts.has('n') {
        fields.push(hostname);
    }
    if all || opts.has('r') {
        fields.push(KERNEL_RELEASE.to_owned());
    }
    if all || opts.has('v') {
        fields.push(KERNEL_VERSION.to_owned());
    }
    if all || opts.has('m') {
        fields.push("x86_64".to_owned());
    }
    if all || opts.has('p') {
        fields.push("x86_64".to_owned());
    }
    if all || opts.has('i') {
        fields.push("x86_64".to_owned());
    }
    if all || opts.has('o') {
        fields.push("GNU/Linux".to_owned());
    }
    ok(format!("{}\n", fields.join(" ")))
}

/// `id` of the Ubuntu cloud-image user (in the `sudo` group) or of root.
pub(super) fn id(ctx: &mut Ctx<'_>) -> CommandOutput {
    if ctx.user == "root" {
        return ok("uid=0(root) gid=0(root) groups=0(root)\n".to_owned());
    }
    let user = ctx.user;
    ok(format!(
        "uid=1000({user}) gid=1000({user}) groups=1000({user}),4(adm),24(cdrom),27(sudo),30(dip),46(plugdev),110(lxd)\n"
    ))
}

pub(super) fn realpath(ctx: &mut Ctx<'_>) -> CommandOutput {
    if ctx.args.is_empty() {
        return usage_error(ctx.name, "missing operand", 1);
    }
    let mut out = CommandOutput::default();
    for path in ctx.args.iter().filter(|a| !a.starts_with('-')) {
        let absolute = ctx.files.resolve(path);
        let parent_exists =
            super::super::files::parent_of(&absolute).is_none_or(|parent| ctx.files.is_dir(parent));
        if ctx.files.exists(path) || parent_exists {
            out.stdout.push_str(&absolute);
            out.stdout.push('\n');
        } else {
            out.stderr.push_str(&format!(
                "{}: {path}: No such file or directory\n",
                ctx.name
            ));
            out.exit_code = 1;
        }
    }
    out
}

/// `less`/`more`: the files or stdin, unpaged.
pub(super) fn pager(ctx: &mut Ctx<'_>) -> CommandOutput {
    let files: Vec<&String> = ctx
        .args
        .iter()
        .filter(|a| !a.starts_with('-') && !a.starts_with('+'))
        .collect();
    if files.is_empty() {
        return ok(ctx.stdin.to_owned());
    }
    let mut out = CommandOutput::default();
    for path in files {
        match ctx.read(path) {
            Ok(text) => out.stdout.push_str(&text),
            Err(error) => {
                out.stderr
                    .push_str(&format!("{path}: {}\n", error.message()));
                out.exit_code = 1;
            }
        }
    }
    out
}

/// GNU `find PATH... [-maxdepth N] [-mindepth N] [-name GLOB] [-iname GLOB] [-type f|d]`
/// with the default `-print`; entries in name order (the real one uses directory order).
pub(super) fn find(ctx: &mut Ctx<'_>) -> CommandOutput {
    let mut roots = Vec::new();
    let mut index = 0;
    while let Some(arg) = ctx.args.get(index) {
        if arg.starts_with('-') || arg == "!" || arg == "(" {
            break;
        }
        roots.push(arg.clone());
        index += 1;
    }
    if roots.is_empty() {
        roots.push(".".to_owned());
    }
    let mut name: Option<(String, bool)> = None;
    let mut kind: Option<bool> = None;
    let mut max_depth = usize::MAX;
    let mut min_depth = 0;
    while let Some(arg) = ctx.args.get(index) {
        let value = ctx.args.get(index + 1);
        let missing = || fail(format!("find: missing argument to `{arg}'\n"), 1);
        match arg.as_str() {
            "-name" | "-iname" => {
                let Some(value) = value else { return missing() };
                name = Some((value.clone(), arg == "-iname"));
                index += 2;
            }
            "-type" => {
                let Some(value) = value else { return missing() };
                kind = match value.as_str() {
                    "f" => Some(false),
                    "d" => Some(true),
                    other => {
                        return fail(format!("find: Unknown argument to -type: {other}\n"), 1);
                    }
                };
                index += 2;
            }
            "-maxdepth" | "-mindepth" => {
                let Some(value) = value else { return missing() };
                let Ok(depth) = value.parse::<usize>() else {
                    return fail(
                        format!(
                            "find: Expected a positive decimal integer argument to {arg}, but got ‘{value}’\n"
                        ),
                        1,
                    );
                };
                if arg == "-maxdepth" {
                    max_depth = depth;
                } else {
                    min_depth = depth;
                }
                index += 2;
            }
            "-print" => index += 1,
            other => return fail(format!("find: unknown predicate `{other}'\n"), 1),
        }
    }
    let mut out = CommandOutput::default();
    for root in roots {
        if !ctx.files.exists(&root) && !ctx.is_dir(&root) {
            out.stderr
                .push_str(&format!("find: ‘{root}’: No such file or directory\n"));
            out.exit_code = 1;
            continue;
        }
        let mut stack: Vec<(String, usize, bool)> = vec![(root.clone(), 0, ctx.is_dir(&root))];
        let mut visited = 0;
        while let Some((path, depth, is_dir)) = stack.pop() {
            visited += 1;
            if visited > 20_000 {
                break;
            }
            let base = super::super::files::base_name(&path).to_owned();
            let name_ok = name.as_ref().is_none_or(|(pattern, fold)| {
                let (pattern, base) = if *fold {
                    (
                        crate::shell::casemap::lowercase(pattern),
                        crate::shell::casemap::lowercase(&base),
                    )
                } else {
                    (pattern.clone(), base.clone())
                };
                let pattern: Vec<(char, bool)> = pattern.chars().map(|c| (c, true)).collect();
                let base: Vec<char> = base.chars().collect();
                super::super::expand::glob_match(&pattern, &base)
            });
            if depth >= min_depth && name_ok && kind.is_none_or(|want_dir| want_dir == is_dir) {
                out.stdout.push_str(&path);
                out.stdout.push('\n');
            }
            if is_dir && depth < max_depth {
                let entries: Vec<DirEntry> = ctx.list(&path).unwrap_or_default();
                for entry in entries.into_iter().rev() {
                    let child = format!("{}/{}", path.trim_end_matches('/'), entry.name);
                    stack.push((child, depth + 1, entry.is_dir));
                }
            }
        }
    }
    out
}
