//! GNU grep 3: `-E -F -G -i -v -c -n -w -x -o -l -L -q -s -h -H -r -e -A -B -C`, with its
//! messages and exit codes (0 a line selected, 1 none, 2 an error).
//!
//! No colours: Ubuntu's `.bashrc` aliases `grep --color=auto`, but the simulated terminal
//! prints plain text so transcripts stay readable.

use super::super::regex::{Regex, Syntax, is_word};
use super::{Ctx, LongOpt, fail, getopt, lines};
use crate::shell::CommandOutput;

pub(super) fn grep(ctx: &mut Ctx<'_>) -> CommandOutput {
    let long: [LongOpt; 25] = [
        ("extended-regexp", 'E', false),
        ("fixed-strings", 'F', false),
        ("basic-regexp", 'G', false),
        ("ignore-case", 'i', false),
        ("invert-match", 'v', false),
        ("count", 'c', false),
        ("line-number", 'n', false),
        ("word-regexp", 'w', false),
        ("line-regexp", 'x', false),
        ("only-matching", 'o', false),
        ("files-with-matches", 'l', false),
        ("files-without-match", 'L', false),
        ("quiet", 'q', false),
        ("silent", 'q', false),
        ("no-messages", 's', false),
        ("no-filename", 'h', false),
        ("with-filename", 'H', false),
        ("recursive", 'r', false),
        ("regexp", 'e', true),
        ("after-context", 'A', true),
        ("before-context", 'B', true),
        ("context", 'C', true),
        ("max-count", 'm', true),
        ("color", '\u{1}', true),
        ("colour", '\u{1}', true),
    ];
    // `--color` without a value is allowed too.
    let args: Vec<String> = ctx
        .args
        .iter()
        .map(|a| {
            if a == "--color" || a == "--colour" {
                "--color=auto".to_owned()
            } else {
                a.clone()
            }
        })
        .collect();
    let opts = match getopt("grep", &args, "EFGivcnwxolLqshHrRe:A:B:C:Pam:", &long, 2) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let usage = || {
        fail(
            "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
                .to_owned(),
            2,
        )
    };
    let mut operands = opts.operands.clone();
    let patterns: Vec<String> = if opts.values.iter().any(|(f, _)| *f == 'e') {
        opts.all_values('e')
            .flat_map(|p| p.split('\n').map(str::to_owned).collect::<Vec<_>>())
            .collect()
    } else {
        if operands.is_empty() {
            return usage();
        }
        operands.remove(0).split('\n').map(str::to_owned).collect()
    };
    let syntax = if opts.has('P') {
        Syntax::Perl
    } else if ctx.name == "egrep" || opts.has('E') {
        Syntax::Extended
    } else if ctx.name == "fgrep" || opts.has('F') {
        Syntax::Fixed
    } else {
        Syntax::Basic
    };
    let ignore_case = opts.has('i');
    let mut warnings = String::new();
    if syntax == Syntax::Extended {
        for pattern in &patterns {
            warnings.push_str(&ere_warnings(pattern));
        }
    }
    let max_count: Option<usize> = match opts.value('m') {
        None => None,
        Some(text) => match text.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => return fail("grep: invalid max count\n".to_owned(), 2),
        },
    };
    let mut regexes = Vec::new();
    for pattern in &patterns {
        match Regex::new(pattern, syntax, ignore_case) {
            Ok(regex) => regexes.push(regex),
            Err(message) => return fail(format!("{warnings}grep: {message}\n"), 2),
        }
    }
    let context = |flag: char| -> Result<usize, String> {
        match opts.value(flag).or(opts.value('C')) {
            None => Ok(0),
            Some(text) => text
                .parse::<usize>()
                .map_err(|_| format!("grep: {text}: invalid context length argument\n")),
        }
    };
    let after = match context('A') {
        Ok(n) => n,
        Err(message) => return fail(message, 2),
    };
    let before = match context('B') {
        Ok(n) => n,
        Err(message) => return fail(message, 2),
    };
    let recursive = opts.has('r') || opts.has('R');
    if operands.is_empty() && recursive {
        operands.push(".".to_owned());
    }
    // Expand directories for -r into their files (sorted, like a directory walk).
    let mut inputs: Vec<(String, Result<String, String>)> = Vec::new();
    if operands.is_empty() {
        inputs.push(("(standard input)".to_owned(), Ok(ctx.stdin.to_owned())));
    }
    for operand in &operands {
        if operand == "-" {
            inputs.push(("(standard input)".to_owned(), Ok(ctx.stdin.to_owned())));
        } else if ctx.files.is_dir(operand) {
            if recursive {
                let mut stack = vec![operand.clone()];
                let mut found = Vec::new();
                while let Some(dir) = stack.pop() {
                    if found.len() > 10_000 {
                        break;
                    }
                    for entry in ctx.files.list_dir(&dir).unwrap_or_default() {
                        let path = if dir == "." && operands.len() == 1 && opts.operands.len() <= 1
                        {
                            entry.name.clone()
                        } else {
                            format!("{}/{}", dir.trim_end_matches('/'), entry.name)
                        };
                        if entry.is_dir {
                            stack.push(path);
                        } else {
                            found.push(path);
                        }
                    }
                }
                crate::sort::sort(&mut found);
                for path in found {
                    let contents = ctx.read(&path).map_err(|e| e.message().to_owned());
                    inputs.push((path, contents));
                }
            } else {
                inputs.push((operand.clone(), Err("Is a directory".to_owned())));
            }
        } else {
            let contents = ctx.read(operand).map_err(|e| e.message().to_owned());
            inputs.push((operand.clone(), contents));
        }
    }
    let with_names = (inputs.len() > 1 || recursive || opts.has('H')) && !opts.has('h');
    let invert = opts.has('v');
    let word = opts.has('w');
    let whole_line = opts.has('x');
    let mut out = String::new();
    let mut stderr = warnings;
    let mut any_selected = false;
    let mut error = false;
    for (name, contents) in &inputs {
        let text = match contents {
            Ok(text) => text,
            Err(message) => {
                if !opts.has('s') {
                    stderr.push_str(&format!("grep: {name}: {message}\n"));
                }
                error = true;
                continue;
            }
        };
        let all_lines = lines(text);
        let mut selected_count = 0;
        let mut last_printed: Option<usize> = None;
        let mut pending_after = 0;
        let mut file_out = String::new();
        let prefix = |number: usize, separator: char| {
            let mut p = String::new();
            if with_names {
                p.push_str(name);
                p.push(separator);
            }
            if opts.has('n') {
                p.push_str(&number.to_string());
                p.push(separator);
            }
            p
        };
        for (index, line) in all_lines.iter().enumerate() {
            if max_count.is_some_and(|max| selected_count >= max) {
                break;
            }
            let chars: Vec<char> = line.chars().collect();
            let accept_here =
                |start: usize, end: usize| accepts(&chars, start, end, word, whole_line);
            let matched = regexes
                .iter()
                .any(|regex| regex.find(&chars, 0, &accept_here).is_some());
            let selected = matched != invert;
            if !selected {
                if pending_after > 0 && !opts.has('o') {
                    file_out.push_str(&prefix(index + 1, '-'));
                    file_out.push_str(line);
                    file_out.push('\n');
                    last_printed = Some(index);
                    pending_after -= 1;
                }
                continue;
            }
            selected_count += 1;
            if opts.has('q') || opts.has('l') || opts.has('L') || opts.has('c') {
                continue;
            }
            if opts.has('o') {
                if invert {
                    continue;
                }
                let mut from = 0;
                while from <= chars.len() {
                    let best = regexes
                        .iter()
                        .filter_map(|regex| regex.find(&chars, from, &accept_here))
                        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
                    let Some((start, end)) = best else { break };
                    if end > start {
                        file_out.push_str(&prefix(index + 1, ':'));
                        file_out.extend(&chars[start..end]);
                        file_out.push('\n');
                        from = end;
                    } else {
                        from = start + 1;
                    }
                }
                continue;
            }
            if before > 0 || after > 0 {
                let first_context = index.saturating_sub(before);
                let start = match last_printed {
                    Some(last) if last + 1 >= first_context => last + 1,
                    Some(_) => {
                        file_out.push_str("--\n");
                        first_context
                    }
                    None => first_context,
                };
                for (context_index, context_line) in
                    all_lines.iter().enumerate().take(index).skip(start)
                {
                    file_out.push_str(&prefix(context_index + 1, '-'));
                    file_out.push_str(context_line);
                    file_out.push('\n');
                }
                pending_after = after;
            }
            file_out.push_str(&prefix(index + 1, ':'));
            file_out.push_str(line);
            file_out.push('\n');
            last_printed = Some(index);
        }
        if selected_count > 0 {
            any_selected = true;
        }
        if opts.has('q') {
            if any_selected {
                break;
            }
            continue;
        }
        if opts.has('l') {
            if selected_count > 0 {
                out.push_str(&format!("{name}\n"));
            }
        } else if opts.has('L') {
            if selected_count == 0 {
                out.push_str(&format!("{name}\n"));
            }
        } else if opts.has('c') {
            if with_names {
                out.push_str(&format!("{name}:{selected_count}\n"));
            } else {
                out.push_str(&format!("{selected_count}\n"));
            }
        } else {
            out.push_str(&file_out);
        }
    }
    let exit_code = if opts.has('q') && any_selected {
        0
    } else if error {
        2
    } else if any_selected {
        0
    } else {
        1
    };
    CommandOutput {
        stdout: if opts.has('q') { String::new() } else { out },
        stderr,
        exit_code,
        ..CommandOutput::default()
    }
}

/// `-x` wants the whole line; `-w` a match with no word character on either side.
fn accepts(text: &[char], start: usize, end: usize, word: bool, whole_line: bool) -> bool {
    if whole_line {
        return start == 0 && end == text.len();
    }
    if word {
        let before_ok = start == 0 || !text.get(start - 1).is_some_and(|c| is_word(*c));
        let after_ok = !text.get(end).is_some_and(|c| is_word(*c));
        return before_ok && after_ok;
    }
    true
}

/// GNU grep 3.8's warnings for an ERE that starts (or starts a branch or group) with a
/// repetition operator: `grep: warning: * at start of expression`.
fn ere_warnings(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut warnings = String::new();
    let mut at_start = true;
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if at_start {
            let what = match c {
                '*' => Some("*"),
                '+' => Some("+"),
                '?' => Some("?"),
                '{' => Some("{...}"),
                _ => None,
            };
            if let Some(what) = what {
                warnings.push_str(&format!("grep: warning: {what} at start of expression\n"));
            }
        }
        at_start = matches!(c, '(' | '|');
        if c == '\\' {
            index += 1;
        } else if c == '[' {
            // Skip a bracket expression: operators inside it are literal.
            index += 1;
            if chars.get(index) == Some(&'^') {
                index += 1;
            }
            if chars.get(index) == Some(&']') {
                index += 1;
            }
            while index < chars.len() && chars[index] != ']' {
                index += 1;
            }
        }
        index += 1;
    }
    warnings
}
