//! Line and column shapers: util-linux `column -t` (aligned table, two spaces between
//! columns), and coreutils `paste`, `rev`, `nl`.

use super::{Ctx, fail, lines, ok};
use crate::shell::CommandOutput;

/// The text of the operands (or stdin), or the first error as `NAME: PATH: reason`.
fn inputs(ctx: &Ctx<'_>, operands: &[String]) -> Result<Vec<String>, String> {
    if operands.is_empty() {
        return Ok(vec![ctx.stdin.to_owned()]);
    }
    operands
        .iter()
        .map(|path| {
            if path == "-" {
                Ok(ctx.stdin.to_owned())
            } else {
                ctx.read(path)
                    .map_err(|error| format!("{}: {path}: {}\n", ctx.name, error.message()))
            }
        })
        .collect()
}

/// `column -t [-s SEPARATORS]` (without `-t` it prints the input as is: no terminal width
/// to fill).
pub(super) fn column(ctx: &mut Ctx<'_>) -> CommandOutput {
    let mut table = false;
    let mut separators: Option<String> = None;
    let mut operands = Vec::new();
    let mut index = 0;
    while let Some(arg) = ctx.args.get(index) {
        match arg.as_str() {
            "-t" | "--table" => table = true,
            "-s" | "--separator" => {
                separators = ctx.args.get(index + 1).cloned();
                index += 1;
            }
            other if other.starts_with("-s") && other.len() > 2 => {
                separators = Some(other[2..].to_owned());
            }
            other if other.starts_with("-t") && other.len() > 2 => {
                table = true;
                if let Some(rest) = other.strip_prefix("-ts") {
                    separators = Some(rest.to_owned());
                }
            }
            _ => operands.push(arg.clone()),
        }
        index += 1;
    }
    let texts = match inputs(ctx, &operands) {
        Ok(texts) => texts,
        Err(message) => return fail(message, 1),
    };
    let text: String = texts.concat();
    if !table {
        return ok(text);
    }
    let rows: Vec<Vec<&str>> = lines(&text)
        .into_iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| match &separators {
            Some(chars) => line.split(|c| chars.contains(c)).collect(),
            None => line.split_whitespace().collect(),
        })
        .collect();
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|col| {
            rows.iter()
                .filter_map(|row| row.get(col))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let count = row.len();
        for (col, cell) in row.into_iter().enumerate() {
            out.push_str(cell);
            if col + 1 < count {
                let pad = widths[col] - cell.chars().count() + 2;
                out.push_str(&" ".repeat(pad));
            }
        }
        out.push('\n');
    }
    ok(out)
}

/// `paste [-s] [-d LIST] FILE...`: lines side by side (tab-joined), or each file's lines
/// joined into one with `-s`.
pub(super) fn paste(ctx: &mut Ctx<'_>) -> CommandOutput {
    let mut serial = false;
    let mut delimiters: Vec<char> = vec!['\t'];
    let mut operands = Vec::new();
    let mut index = 0;
    while let Some(arg) = ctx.args.get(index) {
        let text = arg.as_str();
        if text == "-" || !text.starts_with('-') {
            operands.push(arg.clone());
        } else {
            let mut flags = text[1..].chars();
            while let Some(flag) = flags.next() {
                match flag {
                    's' => serial = true,
                    'd' => {
                        let rest: String = flags.by_ref().collect();
                        let list = if rest.is_empty() {
                            index += 1;
                            ctx.args.get(index).cloned().unwrap_or_default()
                        } else {
                            rest
                        };
                        let (unescaped, _) = super::interpret_escapes(&list);
                        delimiters = unescaped.chars().collect();
                        if delimiters.is_empty() {
                            delimiters.push('\t');
                        }
                        break;
                    }
                    other => {
                        return super::usage_error(
                            "paste",
                            &format!("invalid option -- '{other}'"),
                            1,
                        );
                    }
                }
            }
        }
        index += 1;
    }
    let texts = match inputs(ctx, &operands) {
        Ok(texts) => texts,
        Err(message) => return fail(message, 1),
    };
    let delimiter = |n: usize| delimiters[n % delimiters.len()];
    let mut out = String::new();
    if serial {
        for text in &texts {
            for (n, line) in lines(text).into_iter().enumerate() {
                if n > 0 {
                    out.push(delimiter(n - 1));
                }
                out.push_str(line);
            }
            out.push('\n');
        }
        return ok(out);
    }
    let columns: Vec<Vec<&str>> = texts.iter().map(|t| lines(t)).collect();
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    for row in 0..rows {
        for (col, column) in columns.iter().enumerate() {
            if col > 0 {
                out.push(delimiter(col - 1));
            }
            out.push_str(column.get(row).copied().unwrap_or(""));
        }
        out.push('\n');
    }
    ok(out)
}

/// `rev`: each line's characters reversed.
pub(super) fn rev(ctx: &mut Ctx<'_>) -> CommandOutput {
    let texts = match inputs(ctx, ctx.args) {
        Ok(texts) => texts,
        Err(message) => return fail(message.replacen("rev: ", "rev: cannot open ", 1), 1),
    };
    let mut out = String::new();
    for text in &texts {
        for line in lines(text) {
            out.extend(line.chars().rev());
            out.push('\n');
        }
    }
    ok(out)
}

/// `nl`: numbers non-empty lines (`%6d\t`); empty lines get the blank margin.
pub(super) fn nl(ctx: &mut Ctx<'_>) -> CommandOutput {
    let texts = match inputs(ctx, ctx.args) {
        Ok(texts) => texts,
        Err(message) => return fail(message, 1),
    };
    let mut out = String::new();
    let mut number = 0;
    for text in &texts {
        for line in lines(text) {
            if line.is_empty() {
                out.push_str("       \n");
                continue;
            }
            number += 1;
            out.push_str(&format!("{number:>6}\t{line}\n"));
        }
    }
    ok(out)
}
