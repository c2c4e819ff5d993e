//! Numbers and formats: GNU `seq` (`-s`, `-w`, decimals) and bash's `printf` (`%s %d %i
//! %f %x %o %c %b %%` with flags, width and precision; the format repeats while arguments
//! remain).

use super::{Ctx, fail, interpret_escapes, ok, usage_error};
use crate::shell::CommandOutput;

/// The most lines `seq` prints, so `seq 1000000000` stays cheap.
const MAX_SEQ_LINES: usize = 100_000;

pub(super) fn seq(ctx: &mut Ctx<'_>) -> CommandOutput {
    let mut separator = "\n".to_owned();
    let mut equal_width = false;
    let mut numbers: Vec<&String> = Vec::new();
    let mut index = 0;
    while let Some(arg) = ctx.args.get(index) {
        index += 1;
        match arg.as_str() {
            "-s" => {
                separator = ctx.args.get(index).cloned().unwrap_or_default();
                index += 1;
            }
            "-w" => equal_width = true,
            other if other.starts_with("-s") => separator = other[2..].to_owned(),
            _ => numbers.push(arg),
        }
    }
    if numbers.is_empty() {
        return usage_error("seq", "missing operand", 1);
    }
    if numbers.len() > 3 {
        return usage_error("seq", &format!("extra operand ‘{}’", numbers[3]), 1);
    }
    let mut values = Vec::new();
    for text in &numbers {
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => values.push(v),
            _ => {
                return usage_error(
                    "seq",
                    &format!("invalid floating point argument: ‘{text}’"),
                    1,
                );
            }
        }
    }
    let decimals = numbers
        .iter()
        .map(|t| t.split_once('.').map_or(0, |(_, frac)| frac.len()))
        .max()
        .unwrap_or(0)
        .min(20);
    let (first, step, last) = match values.as_slice() {
        [last] => (1.0, 1.0, *last),
        [first, last] => (*first, 1.0, *last),
        [first, step, last] => (*first, *step, *last),
        _ => return CommandOutput::default(),
    };
    if step == 0.0 {
        return usage_error(
            "seq",
            &format!("invalid Zero increment value: ‘{}’", numbers[1]),
            1,
        );
    }
    let mut items = Vec::new();
    let mut n = 0usize;
    loop {
        let value = first + step * n as f64;
        if (step > 0.0 && value > last + 1e-9) || (step < 0.0 && value < last - 1e-9) {
            break;
        }
        if items.len() >= MAX_SEQ_LINES {
            break;
        }
        items.push(format!("{value:.decimals$}"));
        n += 1;
    }
    if equal_width {
        let width = items.iter().map(String::len).max().unwrap_or(0);
        for item in &mut items {
            let negative = item.starts_with('-');
            let digits = item.trim_start_matches('-').to_owned();
            let pad = width.saturating_sub(item.len());
            *item = format!(
                "{}{}{digits}",
                if negative { "-" } else { "" },
                "0".repeat(pad)
            );
        }
    }
    if items.is_empty() {
        return CommandOutput::default();
    }
    ok(format!("{}\n", items.join(&separator)))
}

/// bash's `printf FORMAT [ARGS...]`: `%s %d %i %f %x %o %c %b %%` with flags and width; the
/// format is reused while arguments remain.
pub(super) fn printf(ctx: &mut Ctx<'_>) -> CommandOutput {
    let Some(format) = ctx.args.first() else {
        return fail(
            "printf: usage: printf [-v var] format [arguments]\n".to_owned(),
            2,
        );
    };
    let args = &ctx.args[1..];
    let mut out = String::new();
    let mut stderr = String::new();
    let mut next = 0;
    let chars: Vec<char> = format.chars().collect();
    loop {
        let mut index = 0;
        let mut consumed_any = false;
        while index < chars.len() {
            let c = chars[index];
            if c == '\\' {
                let end = (index + 2).min(chars.len());
                let escape: String = chars[index..end].iter().collect();
                let (text, stop) = interpret_escapes(&escape);
                if stop {
                    return ok(out);
                }
                out.push_str(&text);
                index = end;
                continue;
            }
            if c != '%' {
                out.push(c);
                index += 1;
                continue;
            }
            index += 1;
            let spec_start = index;
            while index < chars.len() && "-+ 0#.123456789".contains(chars[index]) {
                index += 1;
            }
            let spec: String = chars[spec_start..index].iter().collect();
            let Some(conversion) = chars.get(index).copied() else {
                out.push('%');
                out.push_str(&spec);
                break;
            };
            index += 1;
            if conversion == '%' {
                out.push('%');
                continue;
            }
            let arg = args.get(next).map(String::as_str).unwrap_or("");
            if next < args.len() {
                next += 1;
                consumed_any = true;
            }
            let left = spec.starts_with('-');
            let zero = spec.starts_with('0');
            let (width_text, precision) = match spec
                .trim_start_matches(['-', '+', ' ', '0', '#'])
                .split_once('.')
            {
                Some((w, p)) => (w.to_owned(), p.parse::<usize>().ok()),
                None => (
                    spec.trim_start_matches(['-', '+', ' ', '0', '#'])
                        .to_owned(),
                    None,
                ),
            };
            let width: usize = width_text.parse().unwrap_or(0).min(4096);
            let body = match conversion {
                's' => match precision {
                    Some(p) => arg.chars().take(p).collect(),
                    None => arg.to_owned(),
                },
                'b' => interpret_escapes(arg).0,
                'c' => arg.chars().next().map(String::from).unwrap_or_default(),
                'd' | 'i' | 'x' | 'X' | 'o' | 'u' => {
                    let value = if arg.is_empty() {
                        0
                    } else {
                        match arg.trim().parse::<i64>() {
                            Ok(v) => v,
                            Err(_) => {
                                stderr.push_str(&format!("bash: printf: {arg}: invalid number\n"));
                                0
                            }
                        }
                    };
                    match conversion {
                        'x' => format!("{value:x}"),
                        'X' => format!("{value:X}"),
                        'o' => format!("{value:o}"),
                        _ => value.to_string(),
                    }
                }
                'f' | 'e' | 'g' => {
                    let value = arg.trim().parse::<f64>().unwrap_or(0.0);
                    format!("{value:.*}", precision.unwrap_or(6).min(64))
                }
                other => {
                    stderr.push_str(&format!(
                        "bash: printf: `{other}': invalid format character\n"
                    ));
                    return CommandOutput {
                        stdout: out,
                        stderr,
                        exit_code: 1,
                        ..CommandOutput::default()
                    };
                }
            };
            let pad = width.saturating_sub(body.chars().count());
            if left {
                out.push_str(&body);
                out.push_str(&" ".repeat(pad));
            } else if zero && conversion != 's' {
                out.push_str(&"0".repeat(pad));
                out.push_str(&body);
            } else {
                out.push_str(&" ".repeat(pad));
                out.push_str(&body);
            }
        }
        if next >= args.len() || !consumed_any {
            break;
        }
    }
    CommandOutput {
        stdout: out,
        exit_code: i32::from(!stderr.is_empty()),
        stderr,
        ..CommandOutput::default()
    }
}
