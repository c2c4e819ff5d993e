//! GNU sed 4.9, the everyday subset: `s///` (with `g`, `p`, `N`, `I`, `&` and `\1`..`\9`),
//! `p`, `d`, `q`, `=`, `a`/`i`/`c` text, `y///`; addresses by line number, `$`, `/re/`
//! and ranges, with `!`; options `-n`, `-e`, `-E`/`-r`, `-i`, `-s`.
//!
//! Hold space, branching and multi-line commands (`N`, `D`, `h`, `b`, `:label`) are not
//! simulated and are reported as unknown commands.

use super::super::regex::{Regex, Syntax};
use super::{Ctx, fail, lines};
use crate::shell::CommandOutput;

/// Where a command applies.
#[derive(Clone, Debug)]
enum Address {
    Line(usize),
    Last,
    Pattern(Box<Regex>),
}

#[derive(Clone, Debug)]
enum Action {
    Substitute {
        regex: Box<Regex>,
        replacement: Vec<Piece>,
        global: bool,
        occurrence: usize,
        print: bool,
    },
    Print,
    Delete,
    Quit,
    LineNumber,
    Append(String),
    Insert(String),
    Change(String),
    Translate(Vec<char>, Vec<char>),
}

/// A piece of an `s` replacement.
#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    Group(usize),
}

#[derive(Clone, Debug)]
struct Command {
    start: Option<Address>,
    end: Option<Address>,
    negate: bool,
    action: Action,
    /// For a range: whether it is open (between its start and end lines).
    in_range: bool,
}

pub(super) fn sed(ctx: &mut Ctx<'_>) -> CommandOutput {
    let mut quiet = false;
    let mut extended = false;
    let mut in_place = false;
    let mut scripts: Vec<String> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let mut index = 0;
    let args = ctx.args;
    while let Some(arg) = args.get(index) {
        index += 1;
        match arg.as_str() {
            "-n" | "--quiet" | "--silent" => quiet = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-s" | "--separate" | "-u" => {}
            "-e" | "--expression" => match args.get(index) {
                Some(script) => {
                    scripts.push(script.clone());
                    index += 1;
                }
                None => {
                    return fail(
                        "sed: option requires an argument -- 'e'\nUsage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n"
                            .to_owned(),
                        1,
                    );
                }
            },
            "--" => {
                files.extend(args[index..].iter().cloned());
                break;
            }
            other if other.starts_with("-i") || other.starts_with("--in-place") => in_place = true,
            other if other.starts_with("--expression=") => {
                scripts.push(other["--expression=".len()..].to_owned());
            }
            other if other.starts_with('-') && other.len() > 1 => {
                // Clustered flags such as `-ne`, `-nE`.
                let mut takes_script = false;
                for flag in other[1..].chars() {
                    match flag {
                        'n' => quiet = true,
                        'E' | 'r' => extended = true,
                        'i' => in_place = true,
                        's' | 'u' => {}
                        'e' => takes_script = true,
                        unknown => {
                            return fail(
                                format!(
                                    "sed: invalid option -- '{unknown}'\nUsage: sed [OPTION]... {{script-only-if-no-other-script}} [input-file]...\n"
                                ),
                                1,
                            );
                        }
                    }
                }
                if takes_script {
                    match args.get(index) {
                        Some(script) => {
                            scripts.push(script.clone());
                            index += 1;
                        }
                        None => {
                            return fail("sed: option requires an argument -- 'e'\n".to_owned(), 1);
                        }
                    }
                }
            }
            _ => files.push(arg.clone()),
        }
    }
    if scripts.is_empty() {
        if files.is_empty() {
            return fail(
                "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n"
                    .to_owned(),
                1,
            );
        }
        scripts.push(files.remove(0));
    }
    let syntax = if extended {
        Syntax::Extended
    } else {
        Syntax::Basic
    };
    let mut commands = Vec::new();
    for (number, script) in scripts.iter().enumerate() {
        match parse_script(script, syntax) {
            Ok(parsed) => commands.extend(parsed),
            Err((position, message)) => {
                return fail(
                    format!(
                        "sed: -e expression #{}, char {position}: {message}\n",
                        number + 1
                    ),
                    1,
                );
            }
        }
    }
    if in_place && files.is_empty() {
        return fail("sed: no input files\n".to_owned(), 1);
    }
    let mut out = CommandOutput::default();
    if in_place {
        for file in &files {
            let text = match ctx.read(file) {
                Ok(text) => text,
                Err(error) => {
                    out.stderr
                        .push_str(&format!("sed: can't read {file}: {}\n", error.message()));
                    out.exit_code = 2;
                    continue;
                }
            };
            let mut per_file = commands.clone();
            let (edited, _) = run_script(&mut per_file, &text, quiet);
            if let Err(error) = ctx.files.try_write(file, &edited, false, ctx.now) {
                out.stderr.push_str(&format!(
                    "sed: couldn't open file {file}: {}\n",
                    error.message()
                ));
                out.exit_code = 4;
            }
        }
        return out;
    }
    let mut input = String::new();
    if files.is_empty() {
        input.push_str(ctx.stdin);
    }
    for file in &files {
        if file == "-" {
            input.push_str(ctx.stdin);
            continue;
        }
        match ctx.read(file) {
            Ok(text) => input.push_str(&text),
            Err(error) => {
                out.stderr
                    .push_str(&format!("sed: can't read {file}: {}\n", error.message()));
                out.exit_code = 2;
            }
        }
    }
    let (text, _) = run_script(&mut commands, &input, quiet);
    out.stdout = text;
    out
}

/// Runs the script over every line; returns the output and whether `q` stopped it.
fn run_script(commands: &mut [Command], input: &str, quiet: bool) -> (String, bool) {
    let mut out = String::new();
    let all = lines(input);
    let last_index = all.len().saturating_sub(1);
    let ends_with_newline = input.ends_with('\n');
    for (index, line) in all.iter().enumerate() {
        let number = index + 1;
        let is_last = index == last_index;
        let mut pattern = (*line).to_owned();
        let mut deleted = false;
        let mut quit = false;
        let mut appended = String::new();
        for command in commands.iter_mut() {
            if !selects(command, number, is_last, &pattern) {
                continue;
            }
            match &command.action {
                Action::Substitute {
                    regex,
                    replacement,
                    global,
                    occurrence,
                    print,
                } => {
                    if let Some(replaced) =
                        substitute(regex, replacement, *global, *occurrence, &pattern)
                    {
                        pattern = replaced;
                        if *print {
                            out.push_str(&pattern);
                            out.push('\n');
                        }
                    }
                }
                Action::Print => {
                    out.push_str(&pattern);
                    out.push('\n');
                }
                Action::Delete => {
                    deleted = true;
                    break;
                }
                Action::Quit => {
                    quit = true;
                    break;
                }
                Action::LineNumber => out.push_str(&format!("{number}\n")),
                Action::Append(text) => {
                    appended.push_str(text);
                    appended.push('\n');
                }
                Action::Insert(text) => {
                    out.push_str(text);
                    out.push('\n');
                }
                Action::Change(text) => {
                    out.push_str(text);
                    out.push('\n');
                    deleted = true;
                    break;
                }
                Action::Translate(from, to) => {
                    pattern = pattern
                        .chars()
                        .map(|c| {
                            from.iter()
                                .position(|f| *f == c)
                                .and_then(|i| to.get(i))
                                .copied()
                                .unwrap_or(c)
                        })
                        .collect();
                }
            }
        }
        if !deleted && !quiet {
            out.push_str(&pattern);
            // GNU sed keeps a missing final newline missing.
            if !is_last || ends_with_newline {
                out.push('\n');
            }
        }
        out.push_str(&appended);
        if quit {
            return (out, true);
        }
    }
    (out, false)
}

fn selects(command: &mut Command, number: usize, is_last: bool, pattern: &str) -> bool {
    let matches = |address: &Address| match address {
        Address::Line(n) => *n == number,
        Address::Last => is_last,
        Address::Pattern(regex) => {
            let chars: Vec<char> = pattern.chars().collect();
            regex.find(&chars, 0, &|_, _| true).is_some()
        }
    };
    let selected = match (&command.start, &command.end) {
        (None, _) => true,
        (Some(start), None) => matches(start),
        (Some(start), Some(end)) => {
            if command.in_range {
                let ends_here = match end {
                    Address::Line(n) => number >= *n,
                    other => matches(other),
                };
                if ends_here {
                    command.in_range = false;
                }
                true
            } else if matches(start) {
                // A line-number end at or before the start closes the range at once.
                command.in_range = !matches!(end, Address::Line(n) if *n <= number);
                true
            } else {
                false
            }
        }
    };
    selected != command.negate
}

fn substitute(
    regex: &Regex,
    replacement: &[Piece],
    global: bool,
    occurrence: usize,
    line: &str,
) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut from = 0;
    let mut copied = 0;
    let mut count = 0;
    let mut changed = false;
    let mut previous_end: Option<usize> = None;
    while from <= chars.len() {
        let Some(spans) = regex.captures(&chars, from, &|_, _| true) else {
            break;
        };
        let Some((start, end)) = spans.first().copied().flatten() else {
            break;
        };
        // An empty match right where the previous match ended does not count (GNU).
        if start == end && previous_end == Some(start) {
            from = start + 1;
            continue;
        }
        previous_end = Some(end);
        count += 1;
        if count >= occurrence {
            out.extend(&chars[copied..start]);
            for piece in replacement {
                match piece {
                    Piece::Text(text) => out.push_str(text),
                    Piece::Group(group) => {
                        if let Some(Some((s, e))) = spans.get(*group) {
                            out.extend(&chars[*s..*e]);
                        }
                    }
                }
            }
            copied = end;
            changed = true;
            if !global {
                break;
            }
        }
        from = if end > start { end } else { end + 1 };
    }
    if !changed {
        return None;
    }
    if copied < chars.len() {
        out.extend(&chars[copied..]);
    }
    Some(out)
}

type ParseResult<T> = Result<T, (usize, String)>;

fn parse_script(script: &str, syntax: Syntax) -> ParseResult<Vec<Command>> {
    let chars: Vec<char> = script.chars().collect();
    let mut pos = 0;
    let mut commands = Vec::new();
    loop {
        while pos < chars.len() && (chars[pos].is_whitespace() || chars[pos] == ';') {
            pos += 1;
        }
        if pos >= chars.len() {
            break;
        }
        let start = parse_address(&chars, &mut pos, syntax)?;
        let mut end = None;
        if start.is_some() && chars.get(pos) == Some(&',') {
            pos += 1;
            end = parse_address(&chars, &mut pos, syntax)?;
            if end.is_none() {
                return Err((pos, "unexpected `,'".to_owned()));
            }
        }
        while chars.get(pos).is_some_and(|c| *c == ' ') {
            pos += 1;
        }
        let mut negate = false;
        if chars.get(pos) == Some(&'!') {
            negate = true;
            pos += 1;
        }
        let Some(&name) = chars.get(pos) else {
            return Err((pos, "missing command".to_owned()));
        };
        pos += 1;
        let action = match name {
            's' => parse_substitute(&chars, &mut pos, syntax)?,
            'y' => {
                let Some(&delimiter) = chars.get(pos) else {
                    return Err((pos, "unterminated `y' command".to_owned()));
                };
                pos += 1;
                let from = read_until(&chars, &mut pos, delimiter)
                    .ok_or((pos, "unterminated `y' command".to_owned()))?;
                let to = read_until(&chars, &mut pos, delimiter)
                    .ok_or((pos, "unterminated `y' command".to_owned()))?;
                let (from, to): (Vec<char>, Vec<char>) =
                    (from.chars().collect(), to.chars().collect());
                if from.len() != to.len() {
                    return Err((
                        pos,
                        "strings for `y' command are different lengths".to_owned(),
                    ));
                }
                Action::Translate(from, to)
            }
            'p' => Action::Print,
            'd' => Action::Delete,
            'q' => Action::Quit,
            '=' => Action::LineNumber,
            'a' | 'i' | 'c' => {
                if chars.get(pos) == Some(&'\\') {
                    pos += 1;
                }
                while chars.get(pos).is_some_and(|c| *c == ' ' || *c == '\n') {
                    pos += 1;
                }
                let text: String = chars[pos..].iter().take_while(|c| **c != '\n').collect();
                pos += text.chars().count();
                match name {
                    'a' => Action::Append(text),
                    'i' => Action::Insert(text),
                    _ => Action::Change(text),
                }
            }
            '}' | '{' | ':' | 'b' | 'h' | 'H' | 'g' | 'G' | 'x' | 'n' | 'N' | 'D' | 'P' | 't'
            | 'T' => {
                return Err((pos, format!("unknown command: `{name}' (not simulated)")));
            }
            other => return Err((pos, format!("unknown command: `{other}'"))),
        };
        commands.push(Command {
            start,
            end,
            negate,
            action,
            in_range: false,
        });
        while chars.get(pos).is_some_and(|c| *c == ' ') {
            pos += 1;
        }
        match chars.get(pos) {
            None => break,
            Some(';') | Some('\n') => pos += 1,
            Some('}') => return Err((pos + 1, "unexpected `}'".to_owned())),
            Some(_) => return Err((pos + 1, "extra characters after command".to_owned())),
        }
    }
    Ok(commands)
}

fn parse_address(chars: &[char], pos: &mut usize, syntax: Syntax) -> ParseResult<Option<Address>> {
    match chars.get(*pos) {
        Some(c) if c.is_ascii_digit() => {
            let mut number = String::new();
            while let Some(d) = chars.get(*pos).filter(|d| d.is_ascii_digit()) {
                number.push(*d);
                *pos += 1;
            }
            match number.parse::<usize>() {
                Ok(0) => Err((*pos, "invalid usage of line address 0".to_owned())),
                Ok(n) => Ok(Some(Address::Line(n))),
                Err(_) => Err((*pos, "expected newer version of sed".to_owned())),
            }
        }
        Some('$') => {
            *pos += 1;
            Ok(Some(Address::Last))
        }
        Some(&open @ ('/' | '\\')) => {
            *pos += 1;
            let delimiter = if open == '\\' {
                let Some(&d) = chars.get(*pos) else {
                    return Err((*pos, "unexpected end of expression".to_owned()));
                };
                *pos += 1;
                d
            } else {
                '/'
            };
            let pattern = read_until(chars, pos, delimiter)
                .ok_or((*pos, "unterminated address regex".to_owned()))?;
            let mut ignore_case = false;
            if chars.get(*pos) == Some(&'I') {
                ignore_case = true;
                *pos += 1;
            }
            let regex =
                Regex::new(&pattern, syntax, ignore_case).map_err(|message| (*pos, message))?;
            Ok(Some(Address::Pattern(Box::new(regex))))
        }
        _ => Ok(None),
    }
}

fn parse_substitute(chars: &[char], pos: &mut usize, syntax: Syntax) -> ParseResult<Action> {
    let unterminated = |pos: usize| (pos, "unterminated `s' command".to_owned());
    let Some(&delimiter) = chars.get(*pos) else {
        return Err(unterminated(*pos));
    };
    if delimiter == '\n' || delimiter == '\\' {
        return Err(unterminated(*pos));
    }
    *pos += 1;
    let pattern = read_until(chars, pos, delimiter).ok_or_else(|| unterminated(*pos))?;
    let raw_replacement =
        read_raw_until(chars, pos, delimiter).ok_or_else(|| unterminated(*pos))?;
    let mut global = false;
    let mut print = false;
    let mut ignore_case = false;
    let mut occurrence = 1;
    while let Some(&flag) = chars.get(*pos) {
        match flag {
            'g' => global = true,
            'p' => print = true,
            'i' | 'I' => ignore_case = true,
            d if d.is_ascii_digit() => {
                let mut number = String::new();
                while let Some(d) = chars.get(*pos).filter(|d| d.is_ascii_digit()) {
                    number.push(*d);
                    *pos += 1;
                }
                occurrence = number.parse::<usize>().ok().filter(|n| *n > 0).ok_or((
                    *pos,
                    "number option to `s' command may not be zero".to_owned(),
                ))?;
                continue;
            }
            _ => break,
        }
        *pos += 1;
    }
    let regex = Regex::new(&pattern, syntax, ignore_case).map_err(|message| (*pos, message))?;
    let mut replacement = Vec::new();
    let mut text = String::new();
    let mut iter = raw_replacement.chars().peekable();
    while let Some(c) = iter.next() {
        match c {
            '&' => {
                if !text.is_empty() {
                    replacement.push(Piece::Text(std::mem::take(&mut text)));
                }
                replacement.push(Piece::Group(0));
            }
            '\\' => match iter.next() {
                Some(d @ '1'..='9') => {
                    let group = d as usize - '0' as usize;
                    if group > regex_groups(&pattern, syntax) {
                        return Err((
                            *pos,
                            format!("invalid reference \\{group} on `s' command's RHS"),
                        ));
                    }
                    if !text.is_empty() {
                        replacement.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    replacement.push(Piece::Group(group));
                }
                Some('n') => text.push('\n'),
                Some('t') => text.push('\t'),
                Some(other) => text.push(other),
                None => text.push('\\'),
            },
            other => text.push(other),
        }
    }
    if !text.is_empty() {
        replacement.push(Piece::Text(text));
    }
    Ok(Action::Substitute {
        regex: Box::new(regex),
        replacement,
        global,
        occurrence,
        print,
    })
}

/// How many groups a pattern opens (for `\N` checks).
fn regex_groups(pattern: &str, syntax: Syntax) -> usize {
    match syntax {
        Syntax::Extended => pattern.matches('(').count() - pattern.matches("\\(").count(),
        _ => pattern.matches("\\(").count(),
    }
}

/// Reads up to an unescaped `delimiter`, turning `\delimiter` into the delimiter and
/// keeping other escapes for the regex; `None` if it never comes.
fn read_until(chars: &[char], pos: &mut usize, delimiter: char) -> Option<String> {
    let mut text = String::new();
    while let Some(&c) = chars.get(*pos) {
        *pos += 1;
        if c == delimiter {
            return Some(text);
        }
        if c == '\\' {
            let next = chars.get(*pos).copied()?;
            *pos += 1;
            if next == delimiter {
                text.push(next);
            } else if next == 'n' {
                text.push('\n');
            } else {
                text.push('\\');
                text.push(next);
            }
            continue;
        }
        text.push(c);
    }
    None
}

/// Like [`read_until`] but keeps every escape (the replacement interprets them).
fn read_raw_until(chars: &[char], pos: &mut usize, delimiter: char) -> Option<String> {
    let mut text = String::new();
    while let Some(&c) = chars.get(*pos) {
        *pos += 1;
        if c == delimiter {
            return Some(text);
        }
        if c == '\\' {
            let next = chars.get(*pos).copied()?;
            *pos += 1;
            if next != delimiter {
                text.push('\\');
            }
            text.push(next);
            continue;
        }
        text.push(c);
    }
    None
}
