//! Bash arithmetic (`$(( ))`): 64-bit integers with C precedence — `?:`, `|| &&`, `| ^ &`,
//! comparisons, shifts, `+ -`, `* / %`, `**`, unary `! ~ - +`, parentheses, variables and
//! `0x`/octal literals — and bash's error messages (`division by 0 (error token is "0")`).
//!
//! It knows nothing about the shell: variables are looked up through a closure.

/// The deepest parenthesis/operator nesting evaluated.
const MAX_DEPTH: usize = 64;

/// Evaluates `text`; the error is bash's message after `bash: `.
pub fn evaluate(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<i64, String> {
    let shown = text.trim_start();
    let mut parser = Arith {
        text: shown,
        pos: 0,
        lookup,
        depth: 0,
    };
    parser.skip_space();
    if parser.pos >= shown.len() {
        return Ok(0);
    }
    let value = parser.ternary()?;
    parser.skip_space();
    if parser.pos < shown.len() {
        return Err(parser.error("syntax error in expression"));
    }
    Ok(value)
}

struct Arith<'t, 'l> {
    text: &'t str,
    pos: usize,
    lookup: &'l dyn Fn(&str) -> Option<String>,
    depth: usize,
}

impl Arith<'_, '_> {
    fn error(&self, what: &str) -> String {
        let token = self.text.get(self.pos..).unwrap_or("");
        format!("{}: {what} (error token is \"{token}\")", self.text)
    }

    fn operand_error(&self) -> String {
        // Bash names the operator that is missing its operand.
        let mut start = self.pos;
        while start > 0
            && !self.text[..start]
                .ends_with(|c: char| c.is_whitespace() || c.is_ascii_alphanumeric())
        {
            start -= self.text[..start]
                .chars()
                .next_back()
                .map_or(1, char::len_utf8);
        }
        let token = self.text[start..].trim_start();
        format!(
            "{}: syntax error: operand expected (error token is \"{token}\")",
            self.text
        )
    }

    fn skip_space(&mut self) {
        while self.text[self.pos..].starts_with(char::is_whitespace) {
            self.pos += self.text[self.pos..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        self.skip_space();
        let rest = &self.text[self.pos..];
        if !rest.starts_with(op) {
            return false;
        }
        // `<` must not take the first half of `<<` or `<=`, `&` of `&&`, and so on.
        let next = rest[op.len()..].chars().next();
        let longer = match op {
            "<" => matches!(next, Some('<' | '=')),
            ">" => matches!(next, Some('>' | '=')),
            "&" => matches!(next, Some('&')),
            "|" => matches!(next, Some('|')),
            "*" => matches!(next, Some('*')),
            "!" | "=" => matches!(next, Some('=')),
            _ => false,
        };
        if longer {
            return false;
        }
        self.pos += op.len();
        true
    }

    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("expression recursion level exceeded"));
        }
        Ok(())
    }

    fn ternary(&mut self) -> Result<i64, String> {
        self.enter()?;
        let condition = self.binary(0)?;
        let value = if self.eat("?") {
            let then = self.ternary()?;
            if !self.eat(":") {
                return Err(self.error("`:' expected for conditional expression"));
            }
            let otherwise = self.ternary()?;
            if condition != 0 { then } else { otherwise }
        } else {
            condition
        };
        self.depth -= 1;
        Ok(value)
    }

    /// Precedence climbing over the binary operators, loosest first.
    fn binary(&mut self, level: usize) -> Result<i64, String> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<=", ">=", "<", ">"],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        let Some(operators) = LEVELS.get(level) else {
            return self.power();
        };
        let mut value = self.binary(level + 1)?;
        'outer: loop {
            for op in operators.iter() {
                if self.eat(op) {
                    let divisor_at = {
                        self.skip_space();
                        self.pos
                    };
                    let rhs = self.binary(level + 1)?;
                    value = match *op {
                        "||" => i64::from(value != 0 || rhs != 0),
                        "&&" => i64::from(value != 0 && rhs != 0),
                        "|" => value | rhs,
                        "^" => value ^ rhs,
                        "&" => value & rhs,
                        "==" => i64::from(value == rhs),
                        "!=" => i64::from(value != rhs),
                        "<=" => i64::from(value <= rhs),
                        ">=" => i64::from(value >= rhs),
                        "<" => i64::from(value < rhs),
                        ">" => i64::from(value > rhs),
                        "<<" => value.wrapping_shl(rhs as u32),
                        ">>" => value.wrapping_shr(rhs as u32),
                        "+" => value.wrapping_add(rhs),
                        "-" => value.wrapping_sub(rhs),
                        "*" => value.wrapping_mul(rhs),
                        _ => {
                            if rhs == 0 {
                                let token = self.text.get(divisor_at..).unwrap_or("");
                                return Err(format!(
                                    "{}: division by 0 (error token is \"{token}\")",
                                    self.text
                                ));
                            }
                            if *op == "/" {
                                value.wrapping_div(rhs)
                            } else {
                                value.wrapping_rem(rhs)
                            }
                        }
                    };
                    continue 'outer;
                }
            }
            return Ok(value);
        }
    }

    fn power(&mut self) -> Result<i64, String> {
        let base = self.unary()?;
        if self.eat("**") {
            self.enter()?;
            let exponent = self.power()?;
            self.depth -= 1;
            if exponent < 0 {
                return Err(self.error("exponent less than 0"));
            }
            return Ok(base.wrapping_pow(exponent.min(u32::MAX as i64) as u32));
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.enter()?;
        let value = if self.eat("!") {
            i64::from(self.unary()? == 0)
        } else if self.eat("~") {
            !self.unary()?
        } else if self.eat("-") {
            self.unary()?.wrapping_neg()
        } else if self.eat("+") {
            self.unary()?
        } else {
            self.primary()?
        };
        self.depth -= 1;
        Ok(value)
    }

    fn primary(&mut self) -> Result<i64, String> {
        self.skip_space();
        let rest = &self.text[self.pos..];
        let Some(first) = rest.chars().next() else {
            return Err(self.operand_error());
        };
        if first == '(' {
            self.pos += 1;
            let value = self.ternary()?;
            if !self.eat(")") {
                return Err(self.error("missing `)'"));
            }
            return Ok(value);
        }
        if first.is_ascii_digit() {
            let length = rest
                .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
                .unwrap_or(rest.len());
            let literal = &rest[..length];
            let value =
                parse_literal(literal).ok_or_else(|| self.error("value too great for base"))?;
            self.pos += length;
            return Ok(value);
        }
        if first == '_' || first.is_ascii_alphabetic() {
            let length = rest
                .find(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
                .unwrap_or(rest.len());
            let name = &rest[..length];
            self.pos += length;
            let value = (self.lookup)(name).unwrap_or_default();
            let value = value.trim();
            if value.is_empty() {
                return Ok(0);
            }
            return parse_literal(value).ok_or_else(|| {
                format!(
                    "{value}: syntax error: invalid arithmetic operator (error token is \"{value}\")"
                )
            });
        }
        Err(self.operand_error())
    }
}

/// `10`, `0x1f`, `017` (octal), `2#101`.
fn parse_literal(literal: &str) -> Option<i64> {
    if let Some(hex) = literal
        .strip_prefix("0x")
        .or_else(|| literal.strip_prefix("0X"))
    {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some((base, digits)) = literal.split_once('#') {
        let base: u32 = base.parse().ok().filter(|b| (2..=36).contains(b))?;
        return i64::from_str_radix(digits, base).ok();
    }
    if literal.len() > 1 && literal.starts_with('0') {
        return i64::from_str_radix(&literal[1..], 8).ok();
    }
    literal.parse().ok()
}
