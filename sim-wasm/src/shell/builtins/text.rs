//! Text filters with GNU coreutils 9's behaviour: `head`, `tail`, `wc`, `sort`, `uniq`,
//! `tee`, `cut`, `tr`, `tac` (`seq` and `printf` are in `format`).
//!
//! Sorting compares bytes (`LC_ALL=C`); Ubuntu's `C.UTF-8` gives the same order.

use super::{Ctx, fail, getopt, interpret_escapes, lines, ok, usage_error};
use crate::shell::CommandOutput;

/// Inputs named on the command line (`-` or none means stdin), with GNU's error for the
/// ones that cannot be read.
fn read_inputs(
    ctx: &Ctx<'_>,
    operands: &[String],
    error: impl Fn(&str, &str) -> String,
) -> (Vec<(String, Option<String>)>, String) {
    let mut inputs = Vec::new();
    let mut stderr = String::new();
    if operands.is_empty() {
        inputs.push(("-".to_owned(), Some(ctx.stdin.to_owned())));
        return (inputs, stderr);
    }
    for operand in operands {
        if operand == "-" {
            inputs.push((operand.clone(), Some(ctx.stdin.to_owned())));
            continue;
        }
        match ctx.read(operand) {
            Ok(contents) => inputs.push((operand.clone(), Some(contents))),
            Err(fs_error) => {
                stderr.push_str(&error(operand, fs_error.message()));
                inputs.push((operand.clone(), None));
            }
        }
    }
    (inputs, stderr)
}

pub(super) fn head_tail(ctx: &mut Ctx<'_>, head: bool) -> CommandOutput {
    let name = if head { "head" } else { "tail" };
    // `head -5` is `head -n 5`; `tail +5` is `tail -n +5`.
    let mut args: Vec<String> = Vec::new();
    for arg in ctx.args {
        let takes_value = matches!(args.last().map(String::as_str), Some("-n") | Some("-c"));
        let digits = arg
            .strip_prefix('-')
            .filter(|d| !takes_value && !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()));
        match digits {
            Some(d) => args.push(format!("-n{d}")),
            None => args.push(arg.clone()),
        }
    }
    let long = [
        ("lines", 'n', true),
        ("bytes", 'c', true),
        ("quiet", 'q', false),
        ("silent", 'q', false),
        ("verbose", 'v', false),
        ("follow", 'f', false),
    ];
    let opts = match getopt(name, &args, "n:c:qvfF", &long, 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let (count_text, bytes) = match (opts.value('n'), opts.value('c')) {
        (_, Some(c)) => (c.to_owned(), true),
        (Some(n), None) => (n.to_owned(), false),
        (None, None) => ("10".to_owned(), false),
    };
    let from_start = !head && count_text.starts_with('+');
    let all_but = head && count_text.starts_with('-');
    let digits = count_text.trim_start_matches(['+', '-']);
    let Ok(count) = digits.parse::<usize>() else {
        let what = if bytes { "bytes" } else { "lines" };
        return fail(
            format!("{name}: invalid number of {what}: ‘{count_text}’\n"),
            1,
        );
    };
    let (inputs, stderr) = read_inputs(ctx, &opts.operands, |operand, message| {
        format!("{name}: cannot open '{operand}' for reading: {message}\n")
    });
    let headers = (inputs.len() > 1 || opts.has('v')) && !opts.has('q');
    let mut out = String::new();
    let mut first = true;
    let mut code = if stderr.is_empty() { 0 } else { 1 };
    for (operand, contents) in &inputs {
        let Some(contents) = contents else {
            code = 1;
            continue;
        };
        if headers {
            if !first {
                out.push('\n');
            }
            let shown = if operand == "-" {
                "standard input"
            } else {
                operand.as_str()
            };
            out.push_str(&format!("==> {shown} <==\n"));
        }
        first = false;
        if bytes {
            let data = contents.as_bytes();
            let slice = if head {
                if all_but {
                    &data[..data.len().saturating_sub(count)]
                } else {
                    &data[..count.min(data.len())]
                }
            } else if from_start {
                &data[count.saturating_sub(1).min(data.len())..]
            } else {
                &data[data.len().saturating_sub(count)..]
            };
            out.push_str(&String::from_utf8_lossy(slice));
            continue;
        }
        let all: Vec<&str> = contents.split_inclusive('\n').collect();
        let selected: &[&str] = if head {
            if all_but {
                &all[..all.len().saturating_sub(count)]
            } else {
                &all[..count.min(all.len())]
            }
        } else if from_start {
            &all[count.saturating_sub(1).min(all.len())..]
        } else {
            &all[all.len().saturating_sub(count)..]
        };
        for line in selected {
            out.push_str(line);
        }
    }
    CommandOutput {
        stdout: out,
        stderr,
        exit_code: code,
        ..CommandOutput::default()
    }
}

pub(super) fn wc(ctx: &mut Ctx<'_>) -> CommandOutput {
    let long = [
        ("lines", 'l', false),
        ("words", 'w', false),
        ("chars", 'm', false),
        ("bytes", 'c', false),
        ("max-line-length", 'L', false),
    ];
    let opts = match getopt("wc", ctx.args, "lwcmL", &long, 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let mut selected: Vec<char> = ['l', 'w', 'm', 'c', 'L']
        .into_iter()
        .filter(|f| opts.has(*f))
        .collect();
    if selected.is_empty() {
        selected = vec!['l', 'w', 'c'];
    }
    let (inputs, stderr) = read_inputs(ctx, &opts.operands, |operand, message| {
        format!("wc: {operand}: {message}\n")
    });
    let counts = |text: &str| -> Vec<usize> {
        selected
            .iter()
            .map(|flag| match flag {
                'l' => text.matches('\n').count(),
                'w' => text.split_whitespace().count(),
                'm' => text.chars().count(),
                'c' => text.len(),
                _ => text.lines().map(|l| l.chars().count()).max().unwrap_or(0),
            })
            .collect()
    };
    // coreutils' compute_number_width: one count of one input is unpadded; otherwise the
    // width of the total size of regular files, at least 7 when stdin (a pipe) is read.
    let width = if (selected.len() == 1 && inputs.len() == 1)
        || inputs.first().is_some_and(|(_, c)| c.is_none())
    {
        1
    } else {
        let mut minimum = 1;
        let mut total = 0usize;
        for (operand, contents) in &inputs {
            match contents {
                Some(_) if operand == "-" => minimum = 7,
                Some(text) => total += text.len(),
                None => {}
            }
        }
        total.to_string().len().max(minimum)
    };
    let mut out = String::new();
    let mut totals = vec![0usize; selected.len()];
    let mut code = 0;
    for (operand, contents) in &inputs {
        let Some(text) = contents else {
            code = 1;
            continue;
        };
        let values = counts(text);
        for (total, value) in totals.iter_mut().zip(&values) {
            *total += value;
        }
        let row: Vec<String> = values.iter().map(|v| format!("{v:>width$}")).collect();
        out.push_str(&row.join(" "));
        if operand != "-" || !opts.operands.is_empty() {
            out.push(' ');
            out.push_str(operand);
        }
        out.push('\n');
    }
    if inputs.len() > 1 {
        let row: Vec<String> = totals.iter().map(|v| format!("{v:>width$}")).collect();
        out.push_str(&row.join(" "));
        out.push_str(" total\n");
    }
    CommandOutput {
        stdout: out,
        stderr,
        exit_code: code,
        ..CommandOutput::default()
    }
}

pub(super) fn sort(ctx: &mut Ctx<'_>) -> CommandOutput {
    let long = [
        ("reverse", 'r', false),
        ("numeric-sort", 'n', false),
        ("unique", 'u', false),
        ("key", 'k', true),
        ("field-separator", 't', true),
        ("ignore-case", 'f', false),
        ("human-numeric-sort", 'h', false),
        ("version-sort", 'V', false),
        ("stable", 's', false),
    ];
    let opts = match getopt("sort", ctx.args, "rnuk:t:fhVsbzo:", &long, 2) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let separator = match opts.value('t') {
        Some(t) if t.chars().count() == 1 => t.chars().next(),
        Some("") => return fail("sort: empty tab\n".to_owned(), 2),
        Some(t) => return fail(format!("sort: multi-character tab ‘{t}’\n"), 2),
        None => None,
    };
    let key = match opts.value('k') {
        None => None,
        Some(spec) => {
            let spec_fields: String = spec
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
                .collect();
            let (start, end) = match spec_fields.split_once(',') {
                Some((s, e)) => (s.to_owned(), Some(e.to_owned())),
                None => (spec_fields.clone(), None),
            };
            let field = |text: &str| text.split('.').next().and_then(|n| n.parse::<usize>().ok());
            match field(&start) {
                Some(s) if s > 0 => Some((s, end.as_deref().and_then(field))),
                _ => {
                    return fail(
                        format!(
                            "sort: invalid number at field start: invalid count at start of ‘{spec}’\n"
                        ),
                        2,
                    );
                }
            }
        }
    };
    let (inputs, stderr) = read_inputs(ctx, &opts.operands, |operand, message| {
        format!("sort: cannot read: {operand}: {message}\n")
    });
    if !stderr.is_empty() {
        return fail(stderr, 2);
    }
    let mut all: Vec<String> = Vec::new();
    for (_, contents) in inputs {
        if let Some(text) = contents {
            all.extend(lines(&text).into_iter().map(str::to_owned));
        }
    }
    let key_of = |line: &str| -> String {
        let Some((start, end)) = key else {
            return line.to_owned();
        };
        let fields: Vec<&str> = match separator {
            Some(sep) => line.split(sep).collect(),
            None => split_blank_fields(line),
        };
        let last = end.unwrap_or(fields.len()).min(fields.len());
        if start > last {
            return String::new();
        }
        let joiner = separator.map(|c| c.to_string()).unwrap_or_default();
        fields[start - 1..last].join(&joiner)
    };
    // Modifiers written on the key (`-k2,2n`) act like the global flags for this sort.
    let key_modifiers: String = opts
        .value('k')
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphabetic)
        .collect();
    let numeric = opts.has('n') || opts.has('h') || key_modifiers.contains(['n', 'h']);
    let fold = opts.has('f') || key_modifiers.contains('f');
    let reverse = opts.has('r') || key_modifiers.contains('r');
    let compare = |a: &String, b: &String| -> std::cmp::Ordering {
        let (ka, kb) = (key_of(a), key_of(b));
        if numeric {
            numeric_value(&ka)
                .partial_cmp(&numeric_value(&kb))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else if fold {
            // GNU sort folds with toupper() byte by byte: only ASCII letters change.
            ka.to_ascii_uppercase().cmp(&kb.to_ascii_uppercase())
        } else {
            ka.cmp(&kb)
        }
    };
    let unique = opts.has('u');
    let stable = opts.has('s') || unique;
    crate::sort::sort_by(&mut all, |a, b| {
        let primary = compare(a, b);
        if primary.is_eq() && !stable {
            a.cmp(b)
        } else {
            primary
        }
    });
    if reverse {
        all.reverse();
    }
    if unique {
        all.dedup_by(|later, earlier| compare(earlier, later).is_eq());
    }
    let mut out = String::new();
    for line in all {
        out.push_str(&line);
        out.push('\n');
    }
    ok(out)
}

/// Fields as sort sees them without `-t`: each starts with the blanks before it.
fn split_blank_fields(line: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut start = 0;
    let mut in_blank = true;
    for (index, c) in line.char_indices() {
        let blank = c == ' ' || c == '\t';
        if blank && !in_blank {
            fields.push(&line[start..index]);
            start = index;
        }
        in_blank = blank;
    }
    fields.push(&line[start..]);
    fields
}

/// The leading number of a sort key (`-n`); text without one sorts as zero.
fn numeric_value(key: &str) -> f64 {
    let trimmed = key.trim_start();
    let mut end = 0;
    for (index, c) in trimmed.char_indices() {
        let ok = c.is_ascii_digit() || c == '.' || (index == 0 && c == '-');
        if !ok {
            break;
        }
        end = index + c.len_utf8();
    }
    let mut value = trimmed[..end].parse::<f64>().unwrap_or(0.0);
    // `-h`: 2K < 1M.
    match trimmed[end..].chars().next() {
        Some('K') | Some('k') => value *= 1e3,
        Some('M') => value *= 1e6,
        Some('G') => value *= 1e9,
        _ => {}
    }
    value
}

pub(super) fn uniq(ctx: &mut Ctx<'_>) -> CommandOutput {
    let long = [
        ("count", 'c', false),
        ("repeated", 'd', false),
        ("unique", 'u', false),
        ("ignore-case", 'i', false),
    ];
    let opts = match getopt("uniq", ctx.args, "cdui", &long, 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let input = match opts.operands.first() {
        None => ctx.stdin.to_owned(),
        Some(path) if path == "-" => ctx.stdin.to_owned(),
        Some(path) => match ctx.read(path) {
            Ok(text) => text,
            Err(error) => return fail(format!("uniq: {path}: {}\n", error.message()), 1),
        },
    };
    let same = |a: &str, b: &str| {
        if opts.has('i') {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let mut groups: Vec<(&str, usize)> = Vec::new();
    for line in lines(&input) {
        match groups.last_mut() {
            Some((previous, count)) if same(previous, line) => *count += 1,
            _ => groups.push((line, 1)),
        }
    }
    let mut out = String::new();
    for (line, count) in groups {
        if (opts.has('d') && count < 2) || (opts.has('u') && count > 1) {
            continue;
        }
        if opts.has('c') {
            out.push_str(&format!("{count:>7} {line}\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    let output = ok(out);
    if let Some(target) = opts.operands.get(1) {
        return match ctx.files.try_write(target, &output.stdout, false, ctx.now) {
            Ok(()) => CommandOutput::default(),
            Err(error) => fail(format!("uniq: {target}: {}\n", error.message()), 1),
        };
    }
    output
}

pub(super) fn tee(ctx: &mut Ctx<'_>) -> CommandOutput {
    let opts = match getopt("tee", ctx.args, "ai", &[("append", 'a', false)], 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let mut out = ok(ctx.stdin.to_owned());
    for path in &opts.operands {
        if path == "/dev/null" {
            continue;
        }
        if let Err(error) = ctx.files.try_write(path, ctx.stdin, opts.has('a'), ctx.now) {
            out.stderr
                .push_str(&format!("tee: {path}: {}\n", error.message()));
            out.exit_code = 1;
        }
    }
    out
}

/// A cut LIST (`1,3`, `2-`, `-4`) as inclusive 1-based ranges.
fn parse_list(list: &str) -> Option<Vec<(usize, usize)>> {
    let mut ranges = Vec::new();
    for item in list.split(',') {
        let range = match item.split_once('-') {
            None => {
                let n: usize = item.parse().ok().filter(|n| *n > 0)?;
                (n, n)
            }
            Some(("", "")) => return None,
            Some((start, "")) => (start.parse().ok().filter(|n: &usize| *n > 0)?, usize::MAX),
            Some(("", end)) => (1, end.parse().ok().filter(|n: &usize| *n > 0)?),
            Some((start, end)) => {
                let s: usize = start.parse().ok().filter(|n| *n > 0)?;
                let e: usize = end.parse().ok()?;
                if e < s {
                    return None;
                }
                (s, e)
            }
        };
        ranges.push(range);
    }
    Some(ranges)
}

pub(super) fn cut(ctx: &mut Ctx<'_>) -> CommandOutput {
    let long = [
        ("delimiter", 'd', true),
        ("fields", 'f', true),
        ("characters", 'c', true),
        ("bytes", 'b', true),
        ("only-delimited", 's', false),
    ];
    let opts = match getopt("cut", ctx.args, "d:f:c:b:s", &long, 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let (list, by_fields) = match (opts.value('f'), opts.value('c').or(opts.value('b'))) {
        (Some(f), None) => (f, true),
        (None, Some(c)) => (c, false),
        (Some(_), Some(_)) => {
            return usage_error("cut", "only one type of list may be specified", 1);
        }
        (None, None) => {
            return usage_error(
                "cut",
                "you must specify a list of bytes, characters, or fields",
                1,
            );
        }
    };
    let Some(ranges) = parse_list(list) else {
        let what = if by_fields { "field" } else { "byte/character" };
        return usage_error("cut", &format!("invalid {what} value ‘{list}’"), 1);
    };
    let delimiter = match opts.value('d') {
        None => '\t',
        Some(d) if d.chars().count() == 1 => d.chars().next().unwrap_or('\t'),
        Some(_) => return usage_error("cut", "the delimiter must be a single character", 1),
    };
    if opts.value('d').is_some() && !by_fields {
        return usage_error(
            "cut",
            "an input delimiter may be specified only when operating on fields",
            1,
        );
    }
    let (inputs, stderr) = read_inputs(ctx, &opts.operands, |operand, message| {
        format!("cut: {operand}: {message}\n")
    });
    let wanted = |index: usize| ranges.iter().any(|(s, e)| *s <= index && index <= *e);
    let mut out = String::new();
    for (_, contents) in &inputs {
        let Some(text) = contents else { continue };
        for line in lines(text) {
            if by_fields {
                if !line.contains(delimiter) {
                    if !opts.has('s') {
                        out.push_str(line);
                        out.push('\n');
                    }
                    continue;
                }
                let picked: Vec<&str> = line
                    .split(delimiter)
                    .enumerate()
                    .filter(|(index, _)| wanted(index + 1))
                    .map(|(_, field)| field)
                    .collect();
                out.push_str(&picked.join(&delimiter.to_string()));
            } else {
                let picked: String = line
                    .chars()
                    .enumerate()
                    .filter(|(index, _)| wanted(index + 1))
                    .map(|(_, c)| c)
                    .collect();
                out.push_str(&picked);
            }
            out.push('\n');
        }
    }
    CommandOutput {
        stdout: out,
        exit_code: i32::from(!stderr.is_empty()),
        stderr,
        ..CommandOutput::default()
    }
}

/// A `[:name:]` class of tr and its test.
type CharClass = (&'static str, fn(char) -> bool);

/// A tr SET: ranges, escapes and `[:class:]` expanded into characters.
fn expand_set(set: &str) -> Vec<char> {
    let classes: [CharClass; 8] = [
        ("[:lower:]", |c| c.is_ascii_lowercase()),
        ("[:upper:]", |c| c.is_ascii_uppercase()),
        ("[:digit:]", |c| c.is_ascii_digit()),
        ("[:alpha:]", |c| c.is_ascii_alphabetic()),
        ("[:alnum:]", |c| c.is_ascii_alphanumeric()),
        ("[:space:]", |c| c.is_ascii_whitespace()),
        ("[:blank:]", |c| c == ' ' || c == '\t'),
        ("[:punct:]", |c| c.is_ascii_punctuation()),
    ];
    let (unescaped, _) = interpret_escapes(set);
    let chars: Vec<char> = unescaped.chars().collect();
    let mut out = Vec::new();
    let mut index = 0;
    'outer: while index < chars.len() {
        for (name, test) in &classes {
            let name_chars: Vec<char> = name.chars().collect();
            if chars[index..].starts_with(&name_chars) {
                out.extend((0u8..128).map(char::from).filter(|c| test(*c)));
                index += name_chars.len();
                continue 'outer;
            }
        }
        if index + 2 < chars.len() && chars[index + 1] == '-' && chars[index] <= chars[index + 2] {
            let (low, high) = (chars[index] as u32, chars[index + 2] as u32);
            out.extend((low..=high).filter_map(char::from_u32).take(65_536));
            index += 3;
            continue;
        }
        out.push(chars[index]);
        index += 1;
    }
    out
}

pub(super) fn tr(ctx: &mut Ctx<'_>) -> CommandOutput {
    let long = [
        ("delete", 'd', false),
        ("squeeze-repeats", 's', false),
        ("complement", 'c', false),
    ];
    let opts = match getopt("tr", ctx.args, "dscC", &long, 1) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let delete = opts.has('d');
    let squeeze = opts.has('s');
    let Some(first) = opts.operands.first() else {
        return usage_error("tr", "missing operand", 1);
    };
    let set1 = expand_set(first);
    let set2 = opts.operands.get(1).map(|s| expand_set(s));
    if !delete && !squeeze && set2.is_none() {
        return fail(
            format!(
                "tr: missing operand after ‘{first}’\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n"
            ),
            1,
        );
    }
    if let Some(extra) = opts.operands.get(if delete && !squeeze { 1 } else { 2 }) {
        return usage_error("tr", &format!("extra operand ‘{extra}’"), 1);
    }
    let complement = opts.has('c') || opts.has('C');
    let in_set1 = |c: char| set1.contains(&c) != complement;
    let mut out = String::new();
    let squeeze_set: Vec<char> = if delete || set2.is_none() {
        set1.clone()
    } else {
        set2.clone().unwrap_or_default()
    };
    let mut last: Option<char> = None;
    for c in ctx.stdin.chars() {
        let mapped = if delete {
            if in_set1(c) {
                continue;
            }
            c
        } else if let Some(set2) = &set2 {
            match set1.iter().position(|s| *s == c) {
                Some(index) if !complement => *set2.get(index).or(set2.last()).unwrap_or(&c),
                None if complement => *set2.last().unwrap_or(&c),
                _ => c,
            }
        } else {
            c
        };
        if squeeze && last == Some(mapped) && squeeze_set.contains(&mapped) {
            continue;
        }
        last = Some(mapped);
        out.push(mapped);
    }
    ok(out)
}

/// `tac`: the lines of the inputs in reverse order.
pub(super) fn tac(ctx: &mut Ctx<'_>) -> CommandOutput {
    let (inputs, stderr) = read_inputs(ctx, ctx.args, |operand, message| {
        format!("tac: failed to open '{operand}' for reading: {message}\n")
    });
    let mut out = String::new();
    for (_, contents) in &inputs {
        let Some(text) = contents else { continue };
        for line in lines(text).into_iter().rev() {
            out.push_str(line);
            out.push('\n');
        }
    }
    CommandOutput {
        stdout: out,
        exit_code: i32::from(!stderr.is_empty()),
        stderr,
        ..CommandOutput::default()
    }
}
