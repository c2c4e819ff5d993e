//! `test EXPR` and `[ EXPR ]` as bash's builtin evaluates them: string and integer
//! comparisons, file tests on the machine's files, `!`, `-a`, `-o` and parentheses.

use super::{Ctx, fail, status};
use crate::shell::CommandOutput;

pub(super) fn test(ctx: &mut Ctx<'_>) -> CommandOutput {
    let name = ctx.name;
    let mut args: Vec<&str> = ctx.args.iter().map(String::as_str).collect();
    if name == "[" {
        if args.last() != Some(&"]") {
            return fail("bash: [: missing `]'\n".to_owned(), 2);
        }
        args.pop();
    }
    let mut parser = Expr {
        ctx,
        args: &args,
        pos: 0,
        depth: 0,
    };
    if args.is_empty() {
        return status(1);
    }
    match parser.or() {
        Ok(value) if parser.pos == args.len() => status(i32::from(!value)),
        Ok(_) => {
            let extra = args.get(parser.pos).copied().unwrap_or("");
            fail(
                format!("bash: {name}: {extra}: binary operator expected\n"),
                2,
            )
        }
        Err(message) => fail(format!("bash: {name}: {message}\n"), 2),
    }
}

struct Expr<'c, 'a, 'x> {
    ctx: &'c Ctx<'x>,
    args: &'a [&'a str],
    pos: usize,
    depth: usize,
}

impl<'a> Expr<'_, 'a, '_> {
    fn or(&mut self) -> Result<bool, String> {
        let mut value = self.and()?;
        while self.peek() == Some("-o") {
            self.pos += 1;
            let rhs = self.and()?;
            value = value || rhs;
        }
        Ok(value)
    }

    fn and(&mut self) -> Result<bool, String> {
        let mut value = self.not()?;
        while self.peek() == Some("-a") {
            self.pos += 1;
            let rhs = self.not()?;
            value = value && rhs;
        }
        Ok(value)
    }

    fn not(&mut self) -> Result<bool, String> {
        self.depth += 1;
        if self.depth > 256 {
            return Err("expression too complex".to_owned());
        }
        // `[ ! ]` tests the string "!"; `!` followed by something negates it.
        let value = if self.peek() == Some("!") && self.args.len() > self.pos + 1 {
            self.pos += 1;
            !self.not()?
        } else {
            self.primary()?
        };
        self.depth -= 1;
        Ok(value)
    }

    fn primary(&mut self) -> Result<bool, String> {
        let Some(first) = self.peek() else {
            return Err("argument expected".to_owned());
        };
        if first == "(" && self.args.len() > self.pos + 2 {
            self.pos += 1;
            let value = self.or()?;
            if self.peek() != Some(")") {
                return Err("`)' expected".to_owned());
            }
            self.pos += 1;
            return Ok(value);
        }
        if let Some(op) = self.args.get(self.pos + 1).copied()
            && is_binary(op)
            && self.args.len() > self.pos + 2
        {
            let rhs = self.args[self.pos + 2];
            self.pos += 3;
            return self.binary(first, op, rhs);
        }
        if first.starts_with('-') && first.len() == 2 && self.args.len() > self.pos + 1 {
            let operand = self.args[self.pos + 1];
            self.pos += 2;
            return self.unary(first, operand);
        }
        self.pos += 1;
        Ok(!first.is_empty())
    }

    fn unary(&self, op: &str, operand: &str) -> Result<bool, String> {
        let files = &self.ctx.files;
        Ok(match op {
            "-n" => !operand.is_empty(),
            "-z" => operand.is_empty(),
            "-e" | "-a" => files.exists(operand) || self.ctx.read(operand).is_ok(),
            "-f" => {
                (files.exists(operand) && !files.is_dir(operand)) || self.ctx.read(operand).is_ok()
            }
            "-d" => files.is_dir(operand),
            "-s" => files.stat(operand).is_ok_and(|m| m.len > 0),
            "-r" | "-w" | "-x" => files.exists(operand),
            "-L" | "-h" | "-p" | "-S" | "-b" | "-c" => false,
            _ => return Err(format!("{op}: unary operator expected")),
        })
    }

    fn binary(&self, lhs: &str, op: &str, rhs: &str) -> Result<bool, String> {
        let number = |text: &str| -> Result<i64, String> {
            text.trim()
                .parse::<i64>()
                .map_err(|_| format!("{text}: integer expression expected"))
        };
        Ok(match op {
            "=" | "==" => lhs == rhs,
            "!=" => lhs != rhs,
            "<" => lhs < rhs,
            ">" => lhs > rhs,
            "-eq" => number(lhs)? == number(rhs)?,
            "-ne" => number(lhs)? != number(rhs)?,
            "-lt" => number(lhs)? < number(rhs)?,
            "-le" => number(lhs)? <= number(rhs)?,
            "-gt" => number(lhs)? > number(rhs)?,
            "-ge" => number(lhs)? >= number(rhs)?,
            _ => return Err(format!("{op}: binary operator expected")),
        })
    }

    fn peek(&self) -> Option<&'a str> {
        self.args.get(self.pos).copied()
    }
}

fn is_binary(op: &str) -> bool {
    matches!(
        op,
        "=" | "==" | "!=" | "<" | ">" | "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"
    )
}
