//! Compound commands: `for NAME in WORDS; do ...; done`, `while`/`until ...; do ...; done`,
//! `if ...; then ...; elif ...; else ...; fi`, `{ ...; }` and `( ... )`, with the reserved
//! words that delimit them.

use super::{
    AndOr, Command, Compound, MAX_NESTING, ParseError, Parser, is_name, is_operator_start,
    is_reserved,
};

impl Parser {
    /// A simple command, or a compound command when a reserved word starts it.
    pub(super) fn parse_command(&mut self) -> Result<Command, ParseError> {
        self.skip_blanks();
        let keyword = self.keyword_ahead();
        let body = match keyword.as_deref() {
            Some("for") => self.parse_for()?,
            Some(word @ ("while" | "until")) => {
                let until = word == "until";
                self.pos += word.len();
                let condition = self.parse_compound_list(&["do"])?;
                self.expect_keyword("do")?;
                let body = self.parse_compound_list(&["done"])?;
                self.expect_keyword("done")?;
                Compound::While {
                    condition,
                    body,
                    until,
                }
            }
            Some("if") => self.parse_if()?,
            Some("{") => {
                self.pos += 1;
                let body = self.parse_compound_list(&["}"])?;
                self.expect_keyword("}")?;
                Compound::Group(body)
            }
            _ if self.peek() == Some('(') => {
                if self.peek_at(1) == Some('(') {
                    return Err(ParseError::Unsupported("((".to_owned()));
                }
                self.pos += 1;
                let body = self.parse_compound_list(&[")"])?;
                self.skip_blanks();
                if self.peek() != Some(')') {
                    return Err(ParseError::Incomplete);
                }
                self.pos += 1;
                Compound::Subshell(body)
            }
            _ => return Ok(Command::Simple(self.parse_simple()?)),
        };
        let mut redirects = Vec::new();
        loop {
            self.skip_blanks();
            match self.peek() {
                Some('<') | Some('>') => self.parse_redirect(&mut redirects)?,
                Some('&') if self.peek_at(1) == Some('>') => self.parse_redirect(&mut redirects)?,
                Some('0'..='9') if self.fd_redirect_ahead() => {
                    self.parse_redirect(&mut redirects)?
                }
                _ => break,
            }
        }
        match self.peek() {
            None | Some('\n' | ';' | '&' | '|' | ')' | '#') => {}
            Some(_) => {
                let token = self.word_ahead();
                return Err(ParseError::Unexpected(token));
            }
        }
        Ok(Command::Compound {
            body: Box::new(body),
            redirects,
        })
    }

    fn parse_for(&mut self) -> Result<Compound, ParseError> {
        self.pos += 3;
        self.skip_blanks();
        if self.looking_at("((") {
            return Err(ParseError::Unsupported("for ((".to_owned()));
        }
        let name = self.word_ahead();
        if name.is_empty() {
            return match self.peek() {
                None => Err(ParseError::Incomplete),
                Some(_) => Err(ParseError::Unexpected(self.operator_token())),
            };
        }
        if !is_name(&name) {
            return Err(ParseError::Unexpected(name));
        }
        self.pos += name.chars().count();
        self.skip_blanks();
        let mut words = None;
        if self.keyword_ahead().as_deref() == Some("in") {
            self.pos += 2;
            let mut list = Vec::new();
            loop {
                self.skip_blanks();
                match self.peek() {
                    None => return Err(ParseError::Incomplete),
                    Some(';') | Some('\n') => break,
                    Some(c) if is_operator_start(c) => {
                        return Err(ParseError::Unexpected(self.operator_token()));
                    }
                    Some(_) => list.push(self.parse_word()?),
                }
            }
            words = Some(list);
        }
        // `;` or newlines, then `do`.
        self.skip_blanks();
        if self.peek() == Some(';') {
            self.pos += 1;
        }
        self.skip_separators()?;
        self.expect_keyword("do")?;
        let body = self.parse_compound_list(&["done"])?;
        self.expect_keyword("done")?;
        Ok(Compound::For { name, words, body })
    }

    fn parse_if(&mut self) -> Result<Compound, ParseError> {
        self.pos += 2;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let condition = self.parse_compound_list(&["then"])?;
            self.expect_keyword("then")?;
            let body = self.parse_compound_list(&["elif", "else", "fi"])?;
            branches.push((condition, body));
            match self.keyword_ahead().as_deref() {
                Some("elif") => {
                    self.pos += 4;
                }
                Some("else") => {
                    self.pos += 4;
                    otherwise = Some(self.parse_compound_list(&["fi"])?);
                    self.expect_keyword("fi")?;
                    break;
                }
                _ => {
                    self.expect_keyword("fi")?;
                    break;
                }
            }
        }
        Ok(Compound::If {
            branches,
            otherwise,
        })
    }

    /// Commands separated by `;`, `&` or newlines, up to one of `terminators` (a reserved
    /// word in command position, or `)`), which is not consumed.
    fn parse_compound_list(&mut self, terminators: &[&str]) -> Result<Vec<AndOr>, ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING * 4 {
            return Err(ParseError::TooComplex);
        }
        let mut list = Vec::new();
        loop {
            self.skip_separators()?;
            if self.at_terminator(terminators) {
                break;
            }
            list.push(self.parse_and_or()?);
            self.skip_blanks();
            match self.peek() {
                None => return Err(ParseError::Incomplete),
                Some(';') | Some('&') if !self.looking_at(";;") && !self.looking_at("&&") => {
                    self.pos += 1;
                }
                Some('\n') | Some('#') => {}
                Some(_) if self.at_terminator(terminators) => {}
                Some(_) => return Err(ParseError::Unexpected(self.operator_token())),
            }
        }
        self.depth -= 1;
        if list.is_empty() {
            let token = if terminators == [")"] {
                ")".to_owned()
            } else {
                self.word_ahead()
            };
            return Err(ParseError::Unexpected(token));
        }
        Ok(list)
    }

    fn at_terminator(&self, terminators: &[&str]) -> bool {
        if terminators.contains(&")") && self.peek() == Some(')') {
            return true;
        }
        self.keyword_ahead()
            .is_some_and(|word| terminators.contains(&word.as_str()))
    }

    /// Blanks, newlines (reading heredoc bodies) and comments; EOF means more input.
    fn skip_separators(&mut self) -> Result<(), ParseError> {
        loop {
            self.skip_blanks();
            match self.peek() {
                None => return Err(ParseError::Incomplete),
                Some('\n') => self.newline()?,
                Some('#') => self.skip_comment(),
                Some(_) => return Ok(()),
            }
        }
    }

    fn expect_keyword(&mut self, keyword: &str) -> Result<(), ParseError> {
        self.skip_separators()?;
        if self.keyword_ahead().as_deref() == Some(keyword) {
            self.pos += keyword.chars().count();
            return Ok(());
        }
        let token = self.word_ahead();
        Err(ParseError::Unexpected(if token.is_empty() {
            self.operator_token()
        } else {
            token
        }))
    }

    /// The plain word at the cursor if it is a reserved word (`do`, `{`, ...).
    fn keyword_ahead(&self) -> Option<String> {
        let word = self.word_ahead();
        let after = self.peek_at(word.chars().count());
        let delimited = matches!(
            after,
            None | Some(' ' | '\t' | '\n' | ';' | '&' | '|' | ')' | '<' | '>')
        );
        (delimited && (is_reserved(&word) || word == "in")).then_some(word)
    }

    /// The unquoted plain text at the cursor up to a blank or operator (for keywords and
    /// error messages).
    pub(super) fn word_ahead(&self) -> String {
        let mut word = String::new();
        let mut offset = 0;
        while let Some(c) = self.peek_at(offset) {
            if c.is_whitespace()
                || is_operator_start(c)
                || matches!(c, '\'' | '"' | '\\' | '$' | '`')
            {
                break;
            }
            word.push(c);
            offset += 1;
        }
        word
    }
}
