//! Word expansion in bash's order: tilde, parameters (`$VAR`, `${VAR:-x}`, `$?`), command
//! substitution, arithmetic, field splitting of unquoted results, and pathname expansion
//! (`*`, `?` in one directory), then quote removal.
//!
//! Variables live in the session's current frame; command substitutions run through
//! [`Exec::substitute`]. Nothing here prints except substitution errors.

use super::run::Exec;
use super::syntax::{ParamOp, Part, Word, parse_word_text};
use super::{FIRST_JOB_PID, Var};

/// One field being built, with the characters that may still act as glob wildcards.
#[derive(Default)]
struct Field {
    text: String,
    /// Parallel to `text`'s chars: whether the char came from unquoted source text.
    active: Vec<bool>,
    has_glob: bool,
}

impl Field {
    fn push(&mut self, text: &str, active: bool) {
        for c in text.chars() {
            self.text.push(c);
            self.active.push(active);
            if active && matches!(c, '*' | '?' | '[') {
                self.has_glob = true;
            }
        }
    }
}

impl Exec<'_> {
    /// Expands a command word into zero or more fields (brace expansion first).
    pub(super) fn expand_word(&mut self, word: &Word) -> Vec<String> {
        let mut budget = MAX_BRACE_WORDS;
        let words = brace_expand(word, &mut budget, 0);
        let mut fields = Vec::new();
        for word in &words {
            fields.extend(self.expand_fields(word));
        }
        fields
    }

    fn expand_fields(&mut self, word: &Word) -> Vec<String> {
        let mut fields: Vec<Field> = Vec::new();
        let mut current: Option<Field> = None;
        for part in &word.parts {
            match part {
                Part::Literal(text) => current.get_or_insert_default().push(text, true),
                Part::Quoted(text) => current.get_or_insert_default().push(text, false),
                Part::Tilde(user) => {
                    let home = self.tilde(user);
                    current.get_or_insert_default().push(&home, false);
                }
                Part::ProcessSubstitution { source } => {
                    let path = self.process_substitution(source);
                    current.get_or_insert_default().push(&path, false);
                }
                Part::Param { quoted, .. }
                | Part::Command { quoted, .. }
                | Part::Arithmetic { quoted, .. } => {
                    let value = self.expand_part(part);
                    if *quoted {
                        current.get_or_insert_default().push(&value, false);
                        continue;
                    }
                    // Field splitting on IFS whitespace (space, tab, newline); the pieces are
                    // then subject to pathname expansion, as in bash (`F='*.yaml'; ls $F`).
                    let starts_blank = value.starts_with([' ', '\t', '\n']);
                    let ends_blank = value.ends_with([' ', '\t', '\n']);
                    let pieces: Vec<&str> = value
                        .split([' ', '\t', '\n'])
                        .filter(|p| !p.is_empty())
                        .collect();
                    if pieces.is_empty() {
                        if starts_blank && let Some(field) = current.take() {
                            fields.push(field);
                        }
                        continue;
                    }
                    if starts_blank && let Some(field) = current.take() {
                        fields.push(field);
                    }
                    let count = pieces.len();
                    for (index, piece) in pieces.into_iter().enumerate() {
                        current.get_or_insert_default().push(piece, true);
                        if index + 1 < count
                            && let Some(field) = current.take()
                        {
                            fields.push(field);
                        }
                    }
                    if ends_blank && let Some(field) = current.take() {
                        fields.push(field);
                    }
                }
            }
        }
        if let Some(field) = current {
            fields.push(field);
        }
        let mut out = Vec::new();
        for field in fields {
            if field.has_glob {
                let matches = self.glob(&field);
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(field.text);
        }
        out
    }

    /// Expands a word without splitting or globbing (assignments, here-strings).
    pub(super) fn expand_single(&mut self, word: &Word) -> String {
        let mut text = String::new();
        for part in &word.parts {
            match part {
                Part::Literal(s) | Part::Quoted(s) => text.push_str(s),
                Part::Tilde(user) => text.push_str(&self.tilde(user)),
                _ => text.push_str(&self.expand_part(part)),
            }
        }
        text
    }

    /// A heredoc body: `$` expansions and `\$`, `\\`, `` \` `` escapes; quotes stay.
    pub(super) fn expand_heredoc(&mut self, body: &str) -> String {
        let mut out = String::new();
        let mut literal = String::new();
        let mut parser_input = String::new();
        let chars: Vec<char> = body.chars().collect();
        let mut index = 0;
        while index < chars.len() {
            let c = chars[index];
            if c == '\\' && matches!(chars.get(index + 1), Some('$' | '`' | '\\')) {
                literal.push(chars[index + 1]);
                index += 2;
                continue;
            }
            if c == '$' || c == '`' {
                // Let the word parser read one expansion, then continue after it.
                parser_input.clear();
                parser_input.extend(&chars[index..]);
                let word = parse_word_text_prefix(&parser_input);
                if let Some((part, consumed)) = word {
                    out.push_str(&literal);
                    literal.clear();
                    out.push_str(&self.expand_part(&part));
                    index += consumed;
                    continue;
                }
            }
            literal.push(c);
            index += 1;
        }
        out.push_str(&literal);
        out
    }

    fn expand_part(&mut self, part: &Part) -> String {
        match part {
            Part::Literal(s) | Part::Quoted(s) => s.clone(),
            Part::Tilde(user) => self.tilde(user),
            Part::Param { name, op, .. } => {
                let value = self.param(name);
                match op {
                    ParamOp::Plain => value.unwrap_or_default(),
                    ParamOp::Length => value.unwrap_or_default().chars().count().to_string(),
                    ParamOp::Default { word, colon } => match value {
                        Some(v) if !(*colon && v.is_empty()) => v,
                        _ => {
                            let word = parse_word_text(word);
                            self.expand_single(&word)
                        }
                    },
                    ParamOp::Alternative { word, colon } => match value {
                        Some(v) if !(*colon && v.is_empty()) => {
                            let word = parse_word_text(word);
                            self.expand_single(&word)
                        }
                        _ => String::new(),
                    },
                }
            }
            Part::Command { source, .. } => self.substitute(source),
            Part::ProcessSubstitution { source } => self.process_substitution(source),
            Part::Arithmetic { source, .. } => {
                let expanded = self.expand_single(&parse_word_text(source));
                match super::arith::evaluate(&expanded, &|name| self.param(name)) {
                    Ok(value) => value.to_string(),
                    Err(message) => {
                        // Bash abandons the rest of the command line after this error.
                        self.emit_stderr(&format!("bash: {message}\n"));
                        self.expansion_failed();
                        String::new()
                    }
                }
            }
        }
    }

    /// A parameter's value; `None` when unset.
    pub(super) fn param(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status().to_string()),
            "$" => Some(super::SHELL_PID.to_string()),
            "#" => Some("0".to_owned()),
            "0" => Some("-bash".to_owned()),
            "-" => Some("himBHs".to_owned()),
            "@" | "*" => Some(String::new()),
            "!" => (self.session.last_job_pid > FIRST_JOB_PID)
                .then(|| self.session.last_job_pid.to_string()),
            "PWD" => Some(self.session.files().cwd().to_owned()),
            "UID" | "EUID" => Some(if self.user() == "root" { "0" } else { "1000" }.to_owned()),
            "PPID" => Some("4241".to_owned()),
            "SECONDS" => Some((self.host.now().as_millis() / 1000).to_string()),
            // bash's RANDOM is 0..32767; a fixed-seed sequence keeps sessions reproducible.
            "RANDOM" => Some(self.session.random_state.next().to_string()),
            _ => self
                .session
                .frame()
                .vars
                .get(name)
                .map(|var| var.value.clone()),
        }
    }

    pub(super) fn set_var(&mut self, name: &str, value: String) {
        let vars = &mut self.session.frame_mut().vars;
        match vars.get_mut(name) {
            Some(var) => var.value = value,
            None => {
                vars.insert(
                    name.to_owned(),
                    Var {
                        value,
                        exported: false,
                    },
                );
            }
        }
    }

    /// `~` is `$HOME`; `~root` and `~user` are their homes; an unknown user stays as typed.
    fn tilde(&self, user: &str) -> String {
        match user {
            "" => self.home(),
            "root" => "/root".to_owned(),
            "user" => "/home/user".to_owned(),
            other => format!("~{other}"),
        }
    }

    pub(super) fn home(&self) -> String {
        self.session
            .frame()
            .vars
            .get("HOME")
            .map(|var| var.value.clone())
            .unwrap_or_else(|| self.session.files().home().to_owned())
    }

    /// Pathname expansion in one directory (`*.yaml`, `dir/*.yaml`); sorted like bash in the
    /// C locale; hidden files only for patterns starting with `.`.
    fn glob(&self, field: &Field) -> Vec<String> {
        let chars: Vec<(char, bool)> = field
            .text
            .chars()
            .zip(field.active.iter().copied())
            .collect();
        let split = chars.iter().rposition(|(c, _)| *c == '/');
        let (dir_chars, pattern) = match split {
            Some(index) => (&chars[..=index], &chars[index + 1..]),
            None => (&chars[..0], &chars[..]),
        };
        if dir_chars
            .iter()
            .any(|(c, active)| *active && matches!(c, '*' | '?' | '['))
        {
            return Vec::new();
        }
        let dir_text: String = dir_chars.iter().map(|(c, _)| *c).collect();
        let files = self.session.files();
        let listing_dir = if dir_text.is_empty() {
            ".".to_owned()
        } else {
            dir_text.clone()
        };
        let Ok(entries) = files.list_dir(&listing_dir) else {
            return Vec::new();
        };
        let hidden_ok = matches!(pattern.first(), Some(('.', _)));
        let mut matches: Vec<String> = entries
            .into_iter()
            .filter(|entry| hidden_ok || !entry.name.starts_with('.'))
            .filter(|entry| {
                let name: Vec<char> = entry.name.chars().collect();
                glob_match(pattern, &name)
            })
            .map(|entry| format!("{dir_text}{}", entry.name))
            .collect();
        crate::sort::sort(&mut matches);
        matches
    }
}

/// The most words one brace expansion makes (`{1..100000}` stops there).
const MAX_BRACE_WORDS: usize = 10_000;

/// Bash's brace expansion on unquoted text: `{a,b}`, `{1..5}`, `{01..10..3}`, `{a..e}`.
fn brace_expand(word: &Word, budget: &mut usize, depth: usize) -> Vec<Word> {
    if depth > 32 {
        return vec![word.clone()];
    }
    for (index, part) in word.parts.iter().enumerate() {
        let Part::Literal(text) = part else { continue };
        let Some((open, close, alternatives)) = find_brace(text) else {
            continue;
        };
        let prefix = &text[..open];
        let suffix = &text[close + 1..];
        let mut out = Vec::new();
        for alternative in alternatives {
            let mut parts = word.parts[..index].to_vec();
            parts.push(Part::Literal(format!("{prefix}{alternative}{suffix}")));
            parts.extend(word.parts[index + 1..].iter().cloned());
            for expanded in brace_expand(&Word { parts }, budget, depth + 1) {
                if *budget == 0 {
                    return out;
                }
                *budget -= 1;
                out.push(expanded);
            }
        }
        return out;
    }
    vec![word.clone()]
}

/// The first valid brace group in `text`: its byte span and the words it stands for.
fn find_brace(text: &str) -> Option<(usize, usize, Vec<String>)> {
    let bytes = text.as_bytes();
    for (open, _) in text.match_indices('{') {
        let mut depth = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for (offset, byte) in bytes[open..].iter().enumerate() {
            match byte {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(open + offset);
                        break;
                    }
                }
                b',' if depth == 1 => commas.push(open + offset),
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        let inner = &text[open + 1..close];
        if !commas.is_empty() {
            let mut alternatives = Vec::new();
            let mut start = open + 1;
            for comma in commas.iter().copied().chain(std::iter::once(close)) {
                alternatives.push(text[start..comma].to_owned());
                start = comma + 1;
            }
            return Some((open, close, alternatives));
        }
        if let Some(range) = brace_range(inner) {
            return Some((open, close, range));
        }
    }
    None
}

fn brace_range(inner: &str) -> Option<Vec<String>> {
    let pieces: Vec<&str> = inner.split("..").collect();
    let (first, last, step) = match pieces.as_slice() {
        [first, last] => (*first, *last, None),
        [first, last, step] => (*first, *last, Some(step.parse::<i64>().ok()?)),
        _ => return None,
    };
    let step = step.map(i64::abs).filter(|s| *s != 0).unwrap_or(1);
    if let (Ok(from), Ok(to)) = (first.parse::<i64>(), last.parse::<i64>()) {
        let zero_padded = |t: &str| {
            t.trim_start_matches('-').len() > 1 && t.trim_start_matches('-').starts_with('0')
        };
        let width = if zero_padded(first) || zero_padded(last) {
            first.len().max(last.len())
        } else {
            0
        };
        let mut out = Vec::new();
        let mut value = from;
        while (from <= to && value <= to) || (from > to && value >= to) {
            out.push(format!("{value:0width$}"));
            if out.len() >= MAX_BRACE_WORDS {
                break;
            }
            value = if from <= to {
                value.checked_add(step)?
            } else {
                value.checked_sub(step)?
            };
        }
        return Some(out);
    }
    let (mut a, mut b) = (first.chars(), last.chars());
    let (Some(from), None, Some(to), None) = (a.next(), a.next(), b.next(), b.next()) else {
        return None;
    };
    if !from.is_ascii_alphabetic() || !to.is_ascii_alphabetic() {
        return None;
    }
    let (from, to) = (from as u8, to as u8);
    let step = usize::try_from(step).ok()?;
    let letters: Vec<String> = if from <= to {
        (from..=to)
            .step_by(step)
            .map(|c| (c as char).to_string())
            .collect()
    } else {
        (to..=from)
            .rev()
            .step_by(step)
            .map(|c| (c as char).to_string())
            .collect()
    };
    Some(letters)
}

/// Reads one `$...` or `` `...` `` expansion at the start of `text` (heredoc bodies).
fn parse_word_text_prefix(text: &str) -> Option<(Part, usize)> {
    let first = text.chars().next()?;
    if first == '`' {
        let end = text[1..].find('`')?;
        let source = text[1..1 + end].to_owned();
        let consumed = source.chars().count() + 2;
        return Some((
            Part::Command {
                source,
                quoted: true,
            },
            consumed,
        ));
    }
    super::syntax::parse_dollar_prefix(text)
}

/// Matches a glob pattern (`*`, `?`, `[...]` from active chars) against a name. Only the
/// last `*` is ever backtracked to, so the work stays linear-ish in both lengths (the
/// classic wildcard algorithm; enough because `*` matches any sequence).
pub(super) fn glob_match(pattern: &[(char, bool)], name: &[char]) -> bool {
    let mut p = 0;
    let mut n = 0;
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        let step = match pattern.get(p) {
            Some(('*', true)) => {
                star = Some((p + 1, n));
                p += 1;
                continue;
            }
            Some(('?', true)) => Some(1),
            Some(('[', true)) => class_match(&pattern[p + 1..], name[n]).map(|width| width + 1),
            Some((c, _)) => (*c == name[n]).then_some(1),
            None => None,
        };
        match step {
            Some(width) => {
                p += width;
                n += 1;
            }
            None => match star {
                Some((after_star, matched_from)) => {
                    p = after_star;
                    n = matched_from + 1;
                    star = Some((after_star, matched_from + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..]
        .iter()
        .all(|(c, active)| *c == '*' && *active)
}

/// A bracket expression right after `[`: how many pattern chars it spans (including `]`)
/// when `c` matches it; `None` when it does not match. A `[` without `]` is literal.
fn class_match(rest: &[(char, bool)], c: char) -> Option<usize> {
    let Some(close) = rest
        .iter()
        .skip(1)
        .position(|(ch, _)| *ch == ']')
        .map(|p| p + 1)
    else {
        return (c == '[').then_some(0);
    };
    let items = &rest[..close];
    let (negate, items) = match items.first() {
        Some(('!', _)) | Some(('^', _)) => (true, &items[1..]),
        _ => (false, items),
    };
    let mut matched = false;
    let mut index = 0;
    while index < items.len() {
        let low = items[index].0;
        if index + 2 < items.len() && items[index + 1].0 == '-' {
            matched |= low <= c && c <= items[index + 2].0;
            index += 3;
        } else {
            matched |= low == c;
            index += 1;
        }
    }
    (matched != negate).then_some(close + 1)
}
