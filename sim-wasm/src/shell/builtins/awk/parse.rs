//! The awk program text → rules, statements and expressions (precedence climbing as in
//! the POSIX grammar, for the subset `awk` simulates).

use super::{Expr, Pattern, Rule, Stmt};
use crate::shell::regex::{Regex, Syntax};

pub(super) struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

type Parsed<T> = Result<T, String>;

impl Parser {
    pub(super) fn new(source: &str) -> Parser {
        Parser {
            chars: source.chars().collect(),
            pos: 0,
            depth: 0,
        }
    }

    pub(super) fn program(&mut self) -> Parsed<Vec<Rule>> {
        let mut rules = Vec::new();
        loop {
            self.skip_space(true);
            if self.pos >= self.chars.len() {
                break;
            }
            let pattern = if self.word("BEGIN") {
                Pattern::Begin
            } else if self.word("END") {
                Pattern::End
            } else if self.peek() == Some('{') {
                Pattern::Always
            } else {
                Pattern::When(self.expression()?)
            };
            self.skip_space(false);
            let action = if self.peek() == Some('{') {
                Some(self.block()?)
            } else {
                if matches!(pattern, Pattern::Begin | Pattern::End) {
                    return Err(self.error());
                }
                None
            };
            rules.push(Rule { pattern, action });
            self.skip_space(false);
            if matches!(self.peek(), Some(';') | Some('\n')) {
                self.pos += 1;
            }
        }
        Ok(rules)
    }

    fn block(&mut self) -> Parsed<Vec<Stmt>> {
        self.pos += 1;
        let mut statements = Vec::new();
        loop {
            self.skip_space(true);
            match self.peek() {
                None => return Err("missing } near end of file".to_owned()),
                Some('}') => {
                    self.pos += 1;
                    return Ok(statements);
                }
                Some(';') => self.pos += 1,
                Some(_) => statements.push(self.statement()?),
            }
        }
    }

    fn statement(&mut self) -> Parsed<Stmt> {
        self.depth += 1;
        if self.depth > 64 {
            return Err("program too complex".to_owned());
        }
        let statement = if self.word("print") {
            Stmt::Print(self.expression_list()?)
        } else if self.word("printf") {
            Stmt::Printf(self.expression_list()?)
        } else if self.word("next") {
            Stmt::Next
        } else if self.word("if") {
            self.skip_space(false);
            if self.peek() != Some('(') {
                return Err(self.error());
            }
            self.pos += 1;
            let condition = self.expression()?;
            self.skip_space(false);
            if self.peek() != Some(')') {
                return Err(self.error());
            }
            self.pos += 1;
            let then = self.body()?;
            let save = self.pos;
            self.skip_space(true);
            if self.peek() == Some(';') {
                self.pos += 1;
                self.skip_space(true);
            }
            let otherwise = if self.word("else") {
                self.body()?
            } else {
                self.pos = save;
                Vec::new()
            };
            Stmt::If(condition, then, otherwise)
        } else if ["for", "while", "do", "getline", "function", "delete"]
            .iter()
            .any(|w| self.looking_at_word(w))
        {
            return Err(format!(
                "syntax error at or near {} (not simulated)",
                self.token()
            ));
        } else {
            Stmt::Expr(self.expression()?)
        };
        self.depth -= 1;
        Ok(statement)
    }

    fn body(&mut self) -> Parsed<Vec<Stmt>> {
        self.skip_space(true);
        if self.peek() == Some('{') {
            self.block()
        } else {
            Ok(vec![self.statement()?])
        }
    }

    fn expression_list(&mut self) -> Parsed<Vec<Expr>> {
        let mut list = Vec::new();
        self.skip_space(false);
        if matches!(self.peek(), None | Some(';') | Some('}') | Some('\n')) {
            return Ok(list);
        }
        list.push(self.expression()?);
        loop {
            self.skip_space(false);
            if self.peek() != Some(',') {
                break;
            }
            self.pos += 1;
            self.skip_space(true);
            list.push(self.expression()?);
        }
        Ok(list)
    }

    fn expression(&mut self) -> Parsed<Expr> {
        self.depth += 1;
        if self.depth > 128 {
            return Err("program too complex".to_owned());
        }
        let expr = self.assignment()?;
        self.depth -= 1;
        Ok(expr)
    }

    fn assignment(&mut self) -> Parsed<Expr> {
        let save = self.pos;
        self.skip_space(false);
        let name = self.identifier();
        if !name.is_empty() && !is_keyword(&name) {
            self.skip_space(false);
            for (op, kind) in [
                ("+=", Some('+')),
                ("-=", Some('-')),
                ("*=", Some('*')),
                ("/=", Some('/')),
            ] {
                if self.looking_at(op) {
                    self.pos += 2;
                    let value = self.assignment()?;
                    return Ok(Expr::Assign(name, kind, Box::new(value)));
                }
            }
            if self.peek() == Some('=') && self.peek_at(1) != Some('=') {
                self.pos += 1;
                let value = self.assignment()?;
                return Ok(Expr::Assign(name, None, Box::new(value)));
            }
        }
        self.pos = save;
        self.skip_space(false);
        if self.peek() == Some('$') {
            let field_start = self.pos;
            self.pos += 1;
            let index = self.primary()?;
            self.skip_space(false);
            if self.peek() == Some('=') && self.peek_at(1) != Some('=') {
                self.pos += 1;
                let value = self.assignment()?;
                return Ok(Expr::AssignField(Box::new(index), Box::new(value)));
            }
            self.pos = field_start;
        }
        self.or()
    }

    fn or(&mut self) -> Parsed<Expr> {
        let mut lhs = self.and()?;
        loop {
            self.skip_space(false);
            if !self.looking_at("||") {
                return Ok(lhs);
            }
            self.pos += 2;
            self.skip_space(true);
            let rhs = self.and()?;
            lhs = Expr::Binary(Box::new(lhs), "||".to_owned(), Box::new(rhs));
        }
    }

    fn and(&mut self) -> Parsed<Expr> {
        let mut lhs = self.matching()?;
        loop {
            self.skip_space(false);
            if !self.looking_at("&&") {
                return Ok(lhs);
            }
            self.pos += 2;
            self.skip_space(true);
            let rhs = self.matching()?;
            lhs = Expr::Binary(Box::new(lhs), "&&".to_owned(), Box::new(rhs));
        }
    }

    fn matching(&mut self) -> Parsed<Expr> {
        let mut lhs = self.comparison()?;
        loop {
            self.skip_space(false);
            let negate = if self.looking_at("!~") {
                self.pos += 2;
                true
            } else if self.peek() == Some('~') {
                self.pos += 1;
                false
            } else {
                return Ok(lhs);
            };
            let rhs = self.comparison()?;
            lhs = Expr::MatchOp(Box::new(lhs), negate, Box::new(rhs));
        }
    }

    fn comparison(&mut self) -> Parsed<Expr> {
        let lhs = self.concatenation()?;
        self.skip_space(false);
        for op in ["==", "!=", "<=", ">=", "<", ">"] {
            if self.looking_at(op) {
                self.pos += op.len();
                let rhs = self.concatenation()?;
                return Ok(Expr::Binary(Box::new(lhs), op.to_owned(), Box::new(rhs)));
            }
        }
        Ok(lhs)
    }

    fn concatenation(&mut self) -> Parsed<Expr> {
        let mut lhs = self.additive()?;
        loop {
            self.skip_space(false);
            let starts_operand = match self.peek() {
                Some('$') | Some('"') | Some('(') | Some('!') => true,
                Some(c) if c.is_ascii_alphanumeric() || c == '_' || c == '.' => {
                    !["in", "else"].iter().any(|w| self.looking_at_word(w))
                }
                Some('-') | Some('+') => false,
                _ => false,
            };
            if !starts_operand || self.looking_at("!=") || self.looking_at("!~") {
                return Ok(lhs);
            }
            let rhs = self.additive()?;
            lhs = Expr::Concat(Box::new(lhs), Box::new(rhs));
        }
    }

    fn additive(&mut self) -> Parsed<Expr> {
        let mut lhs = self.multiplicative()?;
        loop {
            self.skip_space(false);
            let Some(op @ ('+' | '-')) = self.peek() else {
                return Ok(lhs);
            };
            if self.peek_at(1) == Some('=') || self.peek_at(1) == Some(op) {
                return Ok(lhs);
            }
            self.pos += 1;
            let rhs = self.multiplicative()?;
            lhs = Expr::Binary(Box::new(lhs), op.to_string(), Box::new(rhs));
        }
    }

    fn multiplicative(&mut self) -> Parsed<Expr> {
        let mut lhs = self.unary()?;
        loop {
            self.skip_space(false);
            let Some(op @ ('*' | '/' | '%')) = self.peek() else {
                return Ok(lhs);
            };
            if self.peek_at(1) == Some('=') {
                return Ok(lhs);
            }
            self.pos += 1;
            let rhs = self.unary()?;
            lhs = Expr::Binary(Box::new(lhs), op.to_string(), Box::new(rhs));
        }
    }

    fn unary(&mut self) -> Parsed<Expr> {
        self.skip_space(false);
        self.depth += 1;
        if self.depth > 128 {
            return Err("program too complex".to_owned());
        }
        let expr = match self.peek() {
            Some(op @ ('!' | '-' | '+')) if self.peek_at(1) != Some('=') => {
                self.pos += 1;
                Expr::Unary(op, Box::new(self.unary()?))
            }
            _ => self.primary()?,
        };
        self.depth -= 1;
        Ok(expr)
    }

    fn primary(&mut self) -> Parsed<Expr> {
        self.skip_space(false);
        let Some(c) = self.peek() else {
            return Err(self.error());
        };
        match c {
            '$' => {
                self.pos += 1;
                let index = self.primary()?;
                Ok(Expr::Field(Box::new(index)))
            }
            '"' => {
                self.pos += 1;
                let mut text = String::new();
                loop {
                    match self.peek() {
                        None => return Err("runaway string constant \"".to_owned() + &text),
                        Some('"') => {
                            self.pos += 1;
                            break;
                        }
                        Some('\\') => {
                            self.pos += 1;
                            let escaped = self.peek().unwrap_or('\\');
                            self.pos += 1;
                            text.push(match escaped {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            });
                        }
                        Some(other) => {
                            text.push(other);
                            self.pos += 1;
                        }
                    }
                }
                Ok(Expr::Text(text))
            }
            '/' => {
                self.pos += 1;
                let mut pattern = String::new();
                loop {
                    match self.peek() {
                        None => return Err("runaway regular expression /".to_owned() + &pattern),
                        Some('/') => {
                            self.pos += 1;
                            break;
                        }
                        Some('\\') if self.peek_at(1) == Some('/') => {
                            pattern.push('/');
                            self.pos += 2;
                        }
                        Some(other) => {
                            pattern.push(other);
                            self.pos += 1;
                        }
                    }
                }
                let regex = Regex::new(&pattern, Syntax::Extended, false)
                    .map_err(|message| format!("regular expression compile failed ({message})"))?;
                Ok(Expr::Match(Box::new(regex)))
            }
            '(' => {
                self.pos += 1;
                let inner = self.expression()?;
                self.skip_space(false);
                if self.peek() != Some(')') {
                    return Err(self.error());
                }
                self.pos += 1;
                Ok(inner)
            }
            c if c.is_ascii_digit() || c == '.' => {
                let mut text = String::new();
                while let Some(d) = self
                    .peek()
                    .filter(|d| d.is_ascii_digit() || *d == '.' || *d == 'e' || *d == 'E')
                {
                    text.push(d);
                    self.pos += 1;
                }
                text.parse::<f64>()
                    .map(Expr::Number)
                    .map_err(|_| self.error())
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let name = self.identifier();
                if is_keyword(&name) {
                    return Err(format!("syntax error at or near {name}"));
                }
                if matches!(
                    name.as_str(),
                    "length" | "substr" | "toupper" | "tolower" | "int"
                ) {
                    self.skip_space(false);
                    let mut call_args = Vec::new();
                    if self.peek() == Some('(') {
                        self.pos += 1;
                        self.skip_space(false);
                        if self.peek() != Some(')') {
                            call_args.push(self.expression()?);
                            loop {
                                self.skip_space(false);
                                if self.peek() != Some(',') {
                                    break;
                                }
                                self.pos += 1;
                                call_args.push(self.expression()?);
                            }
                        }
                        self.skip_space(false);
                        if self.peek() != Some(')') {
                            return Err(self.error());
                        }
                        self.pos += 1;
                    } else if name != "length" {
                        return Err(self.error());
                    }
                    return Ok(Expr::Call(name, call_args));
                }
                if self.looking_at("++") {
                    self.pos += 2;
                    return Ok(Expr::Increment(name, 1));
                }
                if self.looking_at("--") {
                    self.pos += 2;
                    return Ok(Expr::Increment(name, -1));
                }
                Ok(Expr::Var(name))
            }
            _ => Err(self.error()),
        }
    }

    fn identifier(&mut self) -> String {
        let mut name = String::new();
        if !self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        {
            return name;
        }
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            name.push(c);
            self.pos += 1;
        }
        name
    }

    /// Consumes `word` if it is the next whole word.
    fn word(&mut self, word: &str) -> bool {
        self.skip_space(false);
        if self.looking_at_word(word) {
            self.pos += word.len();
            return true;
        }
        false
    }

    fn looking_at_word(&self, word: &str) -> bool {
        self.looking_at(word)
            && !self
                .peek_at(word.len())
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    }

    fn skip_space(&mut self, newlines: bool) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || (newlines && c == '\n') {
                self.pos += 1;
            } else if c == '\\' && self.peek_at(1) == Some('\n') {
                self.pos += 2;
            } else if c == '#' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn token(&self) -> String {
        match self.peek() {
            None => "end of file".to_owned(),
            Some(c) if c.is_ascii_alphanumeric() => self.chars[self.pos..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect(),
            Some(c) => c.to_string(),
        }
    }

    fn error(&self) -> String {
        format!("syntax error at or near {}", self.token())
    }

    fn looking_at(&self, text: &str) -> bool {
        text.chars()
            .enumerate()
            .all(|(offset, c)| self.peek_at(offset) == Some(c))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }
}

fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "BEGIN"
            | "END"
            | "print"
            | "printf"
            | "if"
            | "else"
            | "next"
            | "for"
            | "while"
            | "do"
            | "in"
            | "getline"
            | "function"
            | "delete"
            | "return"
    )
}
