//! Bash's history expansion of a typed line: `!!`, `!N`, `!-N`, `!prefix`, `!$`, `!^`,
//! `!*` (as in `sudo !!`). Single quotes and `\!` protect a `!`; a `!` before a blank,
//! `=`, `(` or the end of the line, or before `"` inside double quotes, stays as it is.
//!
//! It only rewrites text; the session decides when to apply it (the first line of a
//! command, never heredoc bodies) and records history.

/// The expanded line, `Ok(None)` when nothing was expanded, or bash's error message
/// (`bash: !x: event not found`).
/// `offset` is how many entries fell off the front of `history` (so `!1005` still works).
pub fn expand(line: &str, history: &[String], offset: usize) -> Result<Option<String>, String> {
    if !line.contains('!') {
        return Ok(None);
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut changed = false;
    let mut in_single = false;
    let mut in_double = false;
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        match c {
            '\'' if !in_double => {
                in_single = !in_single;
                out.push(c);
                index += 1;
                continue;
            }
            '"' if !in_single => in_double = !in_double,
            '\\' if !in_single => {
                out.push(c);
                if let Some(next) = chars.get(index + 1) {
                    out.push(*next);
                }
                index += 2;
                continue;
            }
            _ => {}
        }
        if c != '!' || in_single {
            out.push(c);
            index += 1;
            continue;
        }
        let next = chars.get(index + 1).copied();
        // `$!` and `${!name}` are parameter expansions, not history.
        let after_dollar = index > 0
            && (chars[index - 1] == '$'
                || (chars[index - 1] == '{' && index > 1 && chars[index - 2] == '$'));
        let inert = after_dollar
            || match next {
                None => true,
                Some(n) => n.is_whitespace() || n == '=' || n == '(' || (in_double && n == '"'),
            };
        if inert {
            out.push(c);
            index += 1;
            continue;
        }
        // Read the event designator.
        let (event, consumed): (Result<&str, String>, usize) = match next {
            Some('!') => (last(history, "!!"), 2),
            Some('$') | Some('^') | Some('*') => {
                let designator = next.unwrap_or('$');
                let previous = last(history, &format!("!{designator}"))?;
                let words: Vec<&str> = previous.split_whitespace().collect();
                let text = match designator {
                    '$' => words.last().copied().unwrap_or("").to_owned(),
                    '^' => words.get(1).copied().unwrap_or("").to_owned(),
                    _ => words.get(1..).map(|w| w.join(" ")).unwrap_or_default(),
                };
                out.push_str(&text);
                changed = true;
                index += 2;
                continue;
            }
            Some(d) if d.is_ascii_digit() || d == '-' => {
                let mut end = index + 1;
                if d == '-' {
                    end += 1;
                }
                while chars.get(end).is_some_and(char::is_ascii_digit) {
                    end += 1;
                }
                let spec: String = chars[index + 1..end].iter().collect();
                let found = spec.parse::<i64>().ok().and_then(|n| {
                    let position = if n < 0 {
                        history.len() as i64 + n
                    } else {
                        n - 1 - offset as i64
                    };
                    usize::try_from(position).ok().and_then(|p| history.get(p))
                });
                match found {
                    Some(line) => (Ok(line.as_str()), end - index),
                    None => (Err(format!("bash: !{spec}: event not found")), end - index),
                }
            }
            Some(_) => {
                let mut end = index + 1;
                while chars.get(end).is_some_and(|c| {
                    !c.is_whitespace() && !matches!(c, ';' | '&' | '|' | '"' | '\'' | ':')
                }) {
                    end += 1;
                }
                let prefix: String = chars[index + 1..end].iter().collect();
                match history.iter().rev().find(|line| line.starts_with(&prefix)) {
                    Some(line) => (Ok(line.as_str()), end - index),
                    None => (
                        Err(format!("bash: !{prefix}: event not found")),
                        end - index,
                    ),
                }
            }
            None => (Ok(""), 1),
        };
        out.push_str(event?);
        changed = true;
        index += consumed;
    }
    Ok(changed.then_some(out))
}

fn last<'h>(history: &'h [String], spec: &str) -> Result<&'h str, String> {
    history
        .last()
        .map(String::as_str)
        .ok_or_else(|| format!("bash: {spec}: event not found"))
}
