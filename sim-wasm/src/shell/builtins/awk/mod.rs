//! `awk` as Ubuntu's default (mawk 1.3.4) runs the one-liners of kubectl pipelines:
//! `pattern { action }` rules with `BEGIN`/`END`, fields (`$1`, `$NF`, `-F`), `NR`, `NF`,
//! `print`, `printf`, assignments, `+=`, `++`, `next`, `if`/`else`, comparisons, `~`,
//! `&&`, `||`, `!`, arithmetic, string concatenation, `length`, `substr`, `toupper`,
//! `tolower`, and `-v name=value`.
//!
//! Arrays, user functions, `getline` and loops are not simulated (a syntax error says so).

mod parse;

use std::collections::BTreeMap;

use super::{Ctx, fail, lines};
use crate::shell::CommandOutput;
use crate::shell::regex::{Regex, Syntax};
use parse::Parser;

/// How many evaluation steps one awk run may take.
const STEP_BUDGET: usize = 2_000_000;

#[derive(Clone, Debug)]
enum Expr {
    Number(f64),
    Text(String),
    Var(String),
    Field(Box<Expr>),
    Match(Box<Regex>),
    Unary(char, Box<Expr>),
    Binary(Box<Expr>, String, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Assign(String, Option<char>, Box<Expr>),
    /// `$N = value`: changes one field and rebuilds `$0` with single spaces.
    AssignField(Box<Expr>, Box<Expr>),
    Increment(String, i8),
    MatchOp(Box<Expr>, bool, Box<Expr>),
    Call(String, Vec<Expr>),
}

#[derive(Clone, Debug)]
enum Stmt {
    Print(Vec<Expr>),
    Printf(Vec<Expr>),
    Expr(Expr),
    Next,
    If(Expr, Vec<Stmt>, Vec<Stmt>),
}

#[derive(Clone, Debug)]
enum Pattern {
    Begin,
    End,
    Always,
    When(Expr),
}

#[derive(Clone, Debug)]
struct Rule {
    pattern: Pattern,
    /// `None`: the default action, `print $0`.
    action: Option<Vec<Stmt>>,
}

pub(super) fn awk(ctx: &mut Ctx<'_>) -> CommandOutput {
    let mut separator: Option<String> = None;
    let mut assignments: Vec<(String, String)> = Vec::new();
    let mut index = 0;
    let args = ctx.args;
    while let Some(arg) = args.get(index) {
        if arg == "--" {
            index += 1;
            break;
        }
        if let Some(rest) = arg.strip_prefix("-F") {
            let value = if rest.is_empty() {
                index += 1;
                args.get(index).cloned().unwrap_or_default()
            } else {
                rest.to_owned()
            };
            // `-F '\t'` and `-Ft` both mean a tab, as in mawk.
            let value = if value == "t" {
                "\t".to_owned()
            } else {
                super::interpret_escapes(&value).0
            };
            separator = Some(value);
        } else if let Some(rest) = arg.strip_prefix("-v") {
            let value = if rest.is_empty() {
                index += 1;
                args.get(index).cloned().unwrap_or_default()
            } else {
                rest.to_owned()
            };
            match value.split_once('=') {
                Some((name, v)) => assignments.push((name.to_owned(), v.to_owned())),
                None => return fail(format!("awk: improper assignment: -v {value}\n"), 2),
            }
        } else if arg.starts_with('-') && arg.len() > 1 {
            return fail(format!("awk: not an option: {arg}\n"), 2);
        } else {
            break;
        }
        index += 1;
    }
    let Some(program) = args.get(index) else {
        return fail(
            "usage: mawk [-F value] [-v var=value] [--] 'program text' [file ...]\n".to_owned(),
            2,
        );
    };
    let rules = match Parser::new(program).program() {
        Ok(rules) => rules,
        Err(message) => {
            // mawk counts the end of the program as one more line.
            let line = if message.contains("end of file") {
                program.lines().count() + 1
            } else {
                1
            };
            return fail(format!("awk: line {line}: {message}\n"), 2);
        }
    };
    let mut machine = Machine {
        vars: BTreeMap::new(),
        fields: Vec::new(),
        record: String::new(),
        separator: separator.unwrap_or_else(|| " ".to_owned()),
        out: String::new(),
        steps: 0,
    };
    for (name, value) in assignments {
        machine.vars.insert(name, value);
    }
    let mut out = CommandOutput::default();
    for rule in rules.iter().filter(|r| matches!(r.pattern, Pattern::Begin)) {
        machine.run_action(rule);
    }
    let files = &args[index + 1..];
    let mut inputs = Vec::new();
    if files.is_empty() {
        inputs.push(ctx.stdin.to_owned());
    }
    for file in files {
        if file == "-" {
            inputs.push(ctx.stdin.to_owned());
            continue;
        }
        match ctx.read(file) {
            Ok(text) => inputs.push(text),
            Err(error) => {
                out.stderr
                    .push_str(&format!("awk: cannot open {file} ({})\n", error.message()));
                out.exit_code = 2;
                out.stdout = machine.out;
                return out;
            }
        }
    }
    // Input is read when a rule other than BEGIN exists (END sees the final NR).
    let has_main = rules.iter().any(|r| !matches!(r.pattern, Pattern::Begin));
    let mut record_number = 0usize;
    if has_main {
        'records: for text in &inputs {
            for line in lines(text) {
                record_number += 1;
                machine.set_record(line);
                machine
                    .vars
                    .insert("NR".to_owned(), record_number.to_string());
                for rule in &rules {
                    let selected = match &rule.pattern {
                        Pattern::Begin | Pattern::End => false,
                        Pattern::Always => true,
                        Pattern::When(expr) => truthy(&machine.eval(expr)),
                    };
                    if selected && machine.run_action(rule) == Flow::Next {
                        break;
                    }
                    if machine.steps > STEP_BUDGET {
                        break 'records;
                    }
                }
            }
        }
    }
    for rule in rules.iter().filter(|r| matches!(r.pattern, Pattern::End)) {
        machine.run_action(rule);
    }
    out.stdout = machine.out;
    out
}

#[derive(PartialEq)]
enum Flow {
    Continue,
    Next,
}

struct Machine {
    vars: BTreeMap<String, String>,
    fields: Vec<String>,
    record: String,
    separator: String,
    out: String,
    steps: usize,
}

impl Machine {
    fn set_record(&mut self, line: &str) {
        self.record = line.to_owned();
        self.fields = if self.separator == " " {
            line.split_whitespace().map(str::to_owned).collect()
        } else if line.is_empty() {
            Vec::new()
        } else {
            line.split(self.separator.as_str())
                .map(str::to_owned)
                .collect()
        };
        self.vars
            .insert("NF".to_owned(), self.fields.len().to_string());
    }

    fn run_action(&mut self, rule: &Rule) -> Flow {
        match &rule.action {
            None => {
                let record = self.record.clone();
                self.out.push_str(&record);
                self.out.push('\n');
                Flow::Continue
            }
            Some(statements) => self.run(statements),
        }
    }

    fn run(&mut self, statements: &[Stmt]) -> Flow {
        for statement in statements {
            self.steps += 1;
            if self.steps > STEP_BUDGET {
                return Flow::Next;
            }
            match statement {
                Stmt::Print(exprs) => {
                    let text = if exprs.is_empty() {
                        self.record.clone()
                    } else {
                        let values: Vec<String> = exprs.iter().map(|e| self.eval(e)).collect();
                        values.join(" ")
                    };
                    if self.out.len() < crate::shell::MAX_OUTPUT {
                        self.out.push_str(&text);
                        self.out.push('\n');
                    }
                }
                Stmt::Printf(exprs) => {
                    let values: Vec<String> = exprs.iter().map(|e| self.eval(e)).collect();
                    if let Some((format, rest)) = values.split_first() {
                        let text = format_printf(format, rest);
                        if self.out.len() < crate::shell::MAX_OUTPUT {
                            self.out.push_str(&text);
                        }
                    }
                }
                Stmt::Expr(expr) => {
                    self.eval(expr);
                }
                Stmt::Next => return Flow::Next,
                Stmt::If(condition, then, otherwise) => {
                    let branch = if truthy(&self.eval(condition)) {
                        then
                    } else {
                        otherwise
                    };
                    if self.run(branch) == Flow::Next {
                        return Flow::Next;
                    }
                }
            }
        }
        Flow::Continue
    }

    fn field(&self, index: usize) -> String {
        if index == 0 {
            return self.record.clone();
        }
        self.fields.get(index - 1).cloned().unwrap_or_default()
    }

    fn eval(&mut self, expr: &Expr) -> String {
        self.steps += 1;
        match expr {
            Expr::Number(n) => format_number(*n),
            Expr::Text(text) => text.clone(),
            Expr::Var(name) => self.vars.get(name).cloned().unwrap_or_default(),
            Expr::Field(index) => {
                let index = number(&self.eval(index)).max(0.0) as usize;
                self.field(index)
            }
            Expr::Match(regex) => {
                let chars: Vec<char> = self.record.chars().collect();
                bool_text(regex.find(&chars, 0, &|_, _| true).is_some())
            }
            Expr::Unary(op, inner) => {
                let value = self.eval(inner);
                match op {
                    '!' => bool_text(!truthy(&value)),
                    '-' => format_number(-number(&value)),
                    _ => format_number(number(&value)),
                }
            }
            Expr::Binary(lhs, op, rhs) => {
                if op == "&&" {
                    return bool_text(truthy(&self.eval(lhs)) && truthy(&self.eval(rhs)));
                }
                if op == "||" {
                    return bool_text(truthy(&self.eval(lhs)) || truthy(&self.eval(rhs)));
                }
                let (a, b) = (self.eval(lhs), self.eval(rhs));
                match op.as_str() {
                    "+" => format_number(number(&a) + number(&b)),
                    "-" => format_number(number(&a) - number(&b)),
                    "*" => format_number(number(&a) * number(&b)),
                    "/" => format_number(number(&a) / number(&b)),
                    "%" => format_number(number(&a) % number(&b)),
                    comparison => {
                        let ordering = if looks_numeric(&a) && looks_numeric(&b) {
                            number(&a)
                                .partial_cmp(&number(&b))
                                .unwrap_or(std::cmp::Ordering::Equal)
                        } else {
                            a.cmp(&b)
                        };
                        bool_text(match comparison {
                            "==" => ordering.is_eq(),
                            "!=" => !ordering.is_eq(),
                            "<" => ordering.is_lt(),
                            "<=" => ordering.is_le(),
                            ">" => ordering.is_gt(),
                            _ => ordering.is_ge(),
                        })
                    }
                }
            }
            Expr::Concat(lhs, rhs) => {
                let mut text = self.eval(lhs);
                text.push_str(&self.eval(rhs));
                text
            }
            Expr::Assign(name, op, value) => {
                let value = self.eval(value);
                let result = match op {
                    None => value,
                    Some(op) => {
                        let current = number(&self.vars.get(name).cloned().unwrap_or_default());
                        let operand = number(&value);
                        format_number(match op {
                            '+' => current + operand,
                            '-' => current - operand,
                            '*' => current * operand,
                            _ => current / operand,
                        })
                    }
                };
                self.vars.insert(name.clone(), result.clone());
                result
            }
            Expr::AssignField(index, value) => {
                let index = number(&self.eval(index)).max(0.0) as usize;
                let value = self.eval(value);
                if index == 0 {
                    self.set_record(&value);
                } else if index <= 10_000 {
                    if self.fields.len() < index {
                        self.fields.resize(index, String::new());
                    }
                    self.fields[index - 1] = value.clone();
                    self.record = self.fields.join(" ");
                    self.vars
                        .insert("NF".to_owned(), self.fields.len().to_string());
                }
                value
            }
            Expr::Increment(name, delta) => {
                let current = number(&self.vars.get(name).cloned().unwrap_or_default());
                self.vars
                    .insert(name.clone(), format_number(current + f64::from(*delta)));
                format_number(current)
            }
            Expr::MatchOp(lhs, negate, pattern) => {
                let text: Vec<char> = self.eval(lhs).chars().collect();
                let matched = match pattern.as_ref() {
                    Expr::Match(regex) => regex.find(&text, 0, &|_, _| true).is_some(),
                    other => {
                        let source = self.eval(other);
                        Regex::new(&source, Syntax::Extended, false)
                            .is_ok_and(|regex| regex.find(&text, 0, &|_, _| true).is_some())
                    }
                };
                bool_text(matched != *negate)
            }
            Expr::Call(name, call_args) => {
                let values: Vec<String> = call_args.iter().map(|a| self.eval(a)).collect();
                let first = values
                    .first()
                    .cloned()
                    .unwrap_or_else(|| self.record.clone());
                match name.as_str() {
                    "length" => first.chars().count().to_string(),
                    // mawk (Ubuntu's awk) and BusyBox awk map bytes with C's toupper():
                    // only ASCII letters change in a UTF-8 locale.
                    "toupper" => first.to_ascii_uppercase(),
                    "tolower" => first.to_ascii_lowercase(),
                    "int" => format_number(number(&first).trunc()),
                    _ => {
                        // substr(s, m[, n]) with awk's 1-based, clamped positions.
                        let chars: Vec<char> = first.chars().collect();
                        let start = values.get(1).map_or(1.0, |v| number(v)).round() as i64;
                        let length = values
                            .get(2)
                            .map_or(i64::MAX / 4, |v| number(v).round() as i64);
                        let from = start.max(1);
                        let to = start.saturating_add(length).min(chars.len() as i64 + 1);
                        if to <= from {
                            String::new()
                        } else {
                            chars[(from - 1) as usize..(to - 1) as usize]
                                .iter()
                                .collect()
                        }
                    }
                }
            }
        }
    }
}

fn truthy(value: &str) -> bool {
    if looks_numeric(value) {
        number(value) != 0.0
    } else {
        !value.is_empty()
    }
}

fn bool_text(value: bool) -> String {
    if value { "1" } else { "0" }.to_owned()
}

fn looks_numeric(value: &str) -> bool {
    let trimmed = value.trim();
    !trimmed.is_empty() && trimmed.parse::<f64>().is_ok_and(f64::is_finite)
}

/// awk's string → number: the longest numeric prefix, 0 without one.
fn number(value: &str) -> f64 {
    let trimmed = value.trim_start();
    let mut best = 0.0;
    for (index, c) in trimmed.char_indices() {
        let end = index + c.len_utf8();
        match trimmed[..end].parse::<f64>() {
            Ok(parsed) if parsed.is_finite() => best = parsed,
            _ if matches!(c, '-' | '+' | '.' | 'e' | 'E') => {}
            _ => break,
        }
    }
    best
}

/// Numbers print as integers when integral, else like `%.6g` (awk's `OFMT`).
fn format_number(value: f64) -> String {
    if value.is_finite() && value.fract() == 0.0 && value.abs() < 1e16 {
        return format!("{}", value as i64);
    }
    if !value.is_finite() {
        return if value.is_nan() {
            "nan".to_owned()
        } else if value > 0.0 {
            "inf".to_owned()
        } else {
            "-inf".to_owned()
        };
    }
    let magnitude = value.abs().log10().floor() as i32;
    if (-5..6).contains(&magnitude) {
        let decimals = (5 - magnitude).max(0) as usize;
        let text = format!("{value:.decimals$}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        text.to_owned()
    } else {
        format!("{value:e}")
    }
}

/// awk's printf: `%s %d %i %f %x %c %%` with flags, width and precision.
fn format_printf(format: &str, args: &[String]) -> String {
    let mut out = String::new();
    let chars: Vec<char> = format.chars().collect();
    let mut index = 0;
    let mut next = 0;
    while index < chars.len() {
        let c = chars[index];
        index += 1;
        if c != '%' {
            out.push(c);
            continue;
        }
        let start = index;
        while index < chars.len() && "-+ 0#.0123456789".contains(chars[index]) {
            index += 1;
        }
        let spec: String = chars[start..index].iter().collect();
        let Some(&conversion) = chars.get(index) else {
            out.push('%');
            out.push_str(&spec);
            break;
        };
        index += 1;
        if conversion == '%' {
            out.push('%');
            continue;
        }
        let arg = args.get(next).cloned().unwrap_or_default();
        next += 1;
        let left = spec.starts_with('-');
        let digits = spec.trim_start_matches(['-', '+', ' ', '0', '#']);
        let (width, precision) = match digits.split_once('.') {
            Some((w, p)) => (w.parse::<usize>().unwrap_or(0), p.parse::<usize>().ok()),
            None => (digits.parse::<usize>().unwrap_or(0), None),
        };
        let width = width.min(1024);
        let body = match conversion {
            'd' | 'i' => format!("{}", number(&arg).trunc() as i64),
            'f' => format!("{:.*}", precision.unwrap_or(6).min(64), number(&arg)),
            'x' => format!("{:x}", number(&arg) as i64),
            'c' => arg.chars().next().map(String::from).unwrap_or_default(),
            _ => match precision {
                Some(p) => arg.chars().take(p).collect(),
                None => arg,
            },
        };
        let pad = width.saturating_sub(body.chars().count());
        if left {
            out.push_str(&body);
            out.push_str(&" ".repeat(pad));
        } else if spec.starts_with('0') && conversion != 's' {
            out.push_str(&"0".repeat(pad));
            out.push_str(&body);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&body);
        }
    }
    out
}
