//! Words: quoting (`'...'`, `"..."`, `\`, `$'...'`), `$VAR`, `${VAR...}`, `$(...)`,
//! `` `...` ``, `$((...))` and a leading `~`, read into [`Part`]s without expanding them.

use super::{MAX_NESTING, ParamOp, ParseError, Parser, Part, Word, is_name, is_special};

impl Parser {
    /// Reads one word up to an unquoted metacharacter.
    pub(super) fn parse_word(&mut self) -> Result<Word, ParseError> {
        let mut parts: Vec<Part> = Vec::new();
        let mut literal = String::new();
        let start = self.pos;
        while let Some(c) = self.peek() {
            match c {
                '<' if self.pos == start && self.peek_at(1) == Some('(') => {
                    self.pos += 2;
                    let source = self.scan_balanced(0)?;
                    parts.push(Part::ProcessSubstitution { source });
                }
                ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')' => break,
                '~' if self.pos == start => {
                    // `~` or `~user`, ended by `/` or the end of the word.
                    let mut user = String::new();
                    let mut offset = 1;
                    while let Some(c) = self
                        .peek_at(offset)
                        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    {
                        user.push(c);
                        offset += 1;
                    }
                    let ends = matches!(
                        self.peek_at(offset),
                        None | Some('/' | ' ' | '\t' | '\n' | ';' | '|' | '&' | ')' | '<' | '>')
                    );
                    if ends {
                        parts.push(Part::Tilde(user));
                        self.pos += offset;
                    } else {
                        literal.push('~');
                        self.pos += 1;
                    }
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        None => return Err(ParseError::Incomplete),
                        Some('\n') => self.pos += 1,
                        Some(escaped) => {
                            flush(&mut parts, &mut literal);
                            parts.push(Part::Quoted(escaped.to_string()));
                            self.pos += 1;
                        }
                    }
                }
                '\'' => {
                    flush(&mut parts, &mut literal);
                    self.pos += 1;
                    let mut text = String::new();
                    loop {
                        match self.peek() {
                            None => return Err(ParseError::Incomplete),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(ch) => {
                                text.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                    parts.push(Part::Quoted(text));
                }
                '"' => {
                    flush(&mut parts, &mut literal);
                    self.pos += 1;
                    self.parse_double_quoted(&mut parts)?;
                }
                '$' => {
                    if self.peek_at(1) == Some('\'') {
                        flush(&mut parts, &mut literal);
                        self.pos += 2;
                        parts.push(Part::Quoted(self.parse_ansi_c()?));
                    } else if self.peek_at(1) == Some('"') {
                        self.pos += 1;
                    } else {
                        match self.parse_dollar(false)? {
                            Some(part) => {
                                flush(&mut parts, &mut literal);
                                parts.push(part);
                            }
                            None => literal.push('$'),
                        }
                    }
                }
                '`' => {
                    flush(&mut parts, &mut literal);
                    self.pos += 1;
                    let source = self.parse_backquote()?;
                    parts.push(Part::Command {
                        source,
                        quoted: false,
                    });
                }
                _ => {
                    literal.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut parts, &mut literal);
        Ok(Word { parts })
    }

    fn parse_double_quoted(&mut self, parts: &mut Vec<Part>) -> Result<(), ParseError> {
        let mut text = String::new();
        // An empty `""` must still make a (empty) word.
        let mut pushed_any = false;
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError::Incomplete);
            };
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        None => return Err(ParseError::Incomplete),
                        Some('\n') => self.pos += 1,
                        Some(escaped @ ('$' | '`' | '"' | '\\')) => {
                            text.push(escaped);
                            self.pos += 1;
                        }
                        Some(_) => text.push('\\'),
                    }
                }
                '$' => match self.parse_dollar(true)? {
                    Some(part) => {
                        if !text.is_empty() {
                            parts.push(Part::Quoted(std::mem::take(&mut text)));
                        }
                        parts.push(part);
                        pushed_any = true;
                    }
                    None => text.push('$'),
                },
                '`' => {
                    self.pos += 1;
                    let source = self.parse_backquote()?;
                    if !text.is_empty() {
                        parts.push(Part::Quoted(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Command {
                        source,
                        quoted: true,
                    });
                    pushed_any = true;
                }
                _ => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
        if !text.is_empty() || !pushed_any {
            parts.push(Part::Quoted(text));
        }
        Ok(())
    }

    /// At a `$`: returns the expansion, or `None` (and consumes the `$`) for a lone `$`.
    pub(super) fn parse_dollar(&mut self, quoted: bool) -> Result<Option<Part>, ParseError> {
        self.pos += 1;
        match self.peek() {
            Some('(') => {
                if self.peek_at(1) == Some('(') {
                    self.pos += 2;
                    let source = self.scan_balanced(1)?;
                    if self.peek() != Some(')') {
                        return Err(ParseError::Unsupported("$((".to_owned()));
                    }
                    self.pos += 1;
                    return Ok(Some(Part::Arithmetic { source, quoted }));
                }
                self.pos += 1;
                if self.depth + 1 > MAX_NESTING {
                    return Err(ParseError::TooComplex);
                }
                let source = self.scan_balanced(0)?;
                // Parse it now so that an unfinished inner construct asks for more lines.
                let mut inner = Parser::with_depth(&source, self.depth + 1);
                loop {
                    match inner.next_command() {
                        Ok(Some(_)) => {}
                        Ok(None) => break,
                        Err(ParseError::Incomplete) => return Err(ParseError::Incomplete),
                        Err(ParseError::TooComplex) => return Err(ParseError::TooComplex),
                        // Other errors are reported when the substitution runs, as bash does.
                        Err(_) => break,
                    }
                }
                Ok(Some(Part::Command { source, quoted }))
            }
            Some('{') => {
                self.pos += 1;
                let mut inner = String::new();
                loop {
                    match self.peek() {
                        None => return Err(ParseError::Incomplete),
                        Some('}') => {
                            self.pos += 1;
                            break;
                        }
                        Some(c) => {
                            inner.push(c);
                            self.pos += 1;
                        }
                    }
                }
                Ok(Some(parse_braced(&inner, quoted)?))
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let mut name = String::new();
                while let Some(c) = self
                    .peek()
                    .filter(|c| *c == '_' || c.is_ascii_alphanumeric())
                {
                    name.push(c);
                    self.pos += 1;
                }
                Ok(Some(Part::Param {
                    name,
                    op: ParamOp::Plain,
                    quoted,
                }))
            }
            Some(c @ ('?' | '$' | '#' | '!' | '@' | '*' | '-' | '0'..='9')) => {
                self.pos += 1;
                Ok(Some(Part::Param {
                    name: c.to_string(),
                    op: ParamOp::Plain,
                    quoted,
                }))
            }
            _ => Ok(None),
        }
    }

    /// Reads up to the `)` that closes an already consumed `(`, honouring quotes and nesting;
    /// the closing `)` is consumed. `extra` more closing parens are expected (`$((`).
    fn scan_balanced(&mut self, extra: usize) -> Result<String, ParseError> {
        let mut depth = 1 + extra;
        let mut text = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError::Incomplete);
            };
            self.pos += 1;
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == extra {
                        if extra == 0 {
                            return Ok(text);
                        }
                        // `$((a))`: the first of the two closing parens.
                        return Ok(text);
                    }
                }
                '\\' => {
                    text.push(c);
                    match self.peek() {
                        None => return Err(ParseError::Incomplete),
                        Some(next) => {
                            text.push(next);
                            self.pos += 1;
                        }
                    }
                    continue;
                }
                '\'' => {
                    text.push(c);
                    loop {
                        match self.peek() {
                            None => return Err(ParseError::Incomplete),
                            Some(inner) => {
                                text.push(inner);
                                self.pos += 1;
                                if inner == '\'' {
                                    break;
                                }
                            }
                        }
                    }
                    continue;
                }
                '"' => {
                    text.push(c);
                    loop {
                        match self.peek() {
                            None => return Err(ParseError::Incomplete),
                            Some(inner) => {
                                text.push(inner);
                                self.pos += 1;
                                if inner == '\\' {
                                    if let Some(escaped) = self.peek() {
                                        text.push(escaped);
                                        self.pos += 1;
                                    }
                                } else if inner == '"' {
                                    break;
                                }
                            }
                        }
                    }
                    continue;
                }
                _ => {}
            }
            text.push(c);
        }
    }

    fn parse_backquote(&mut self) -> Result<String, ParseError> {
        let mut text = String::new();
        loop {
            match self.peek() {
                None => return Err(ParseError::Incomplete),
                Some('`') => {
                    self.pos += 1;
                    return Ok(text);
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        None => return Err(ParseError::Incomplete),
                        Some(c @ ('`' | '\\' | '$')) => {
                            text.push(c);
                            self.pos += 1;
                        }
                        Some(_) => text.push('\\'),
                    }
                }
                Some(c) => {
                    text.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// `$'...'`: backslash escapes as `echo -e` knows them.
    fn parse_ansi_c(&mut self) -> Result<String, ParseError> {
        let mut raw = String::new();
        loop {
            match self.peek() {
                None => return Err(ParseError::Incomplete),
                Some('\'') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => {
                    raw.push('\\');
                    self.pos += 1;
                    if let Some(c) = self.peek() {
                        raw.push(c);
                        self.pos += 1;
                    }
                }
                Some(c) => {
                    raw.push(c);
                    self.pos += 1;
                }
            }
        }
        Ok(crate::shell::builtins::interpret_escapes(&raw).0)
    }
}

/// Reads the `$...` expansion at the start of `text` (heredoc bodies) and how many chars
/// it took; `None` for a lone `$`.
pub fn parse_dollar_prefix(text: &str) -> Option<(Part, usize)> {
    let mut parser = Parser::new(text);
    match parser.parse_dollar(true) {
        Ok(Some(part)) => Some((part, parser.pos)),
        _ => None,
    }
}

/// Parses a string as a single word (the text of `${X:-word}`, xargs' arguments).
pub fn parse_word_text(text: &str) -> Word {
    let mut parser = Parser::new(text);
    let mut parts = Vec::new();
    while parser.peek().is_some() {
        match parser.parse_word() {
            Ok(word) => parts.extend(word.parts),
            Err(_) => {
                parts.push(Part::Literal(parser.slice(parser.pos, parser.len())));
                break;
            }
        }
        if let Some(c) = parser.peek() {
            // Metacharacters inside `${X:-a b}` are plain text.
            parts.push(Part::Literal(c.to_string()));
            parser.pos += 1;
        }
    }
    Word { parts }
}

fn parse_braced(inner: &str, quoted: bool) -> Result<Part, ParseError> {
    let bad = || ParseError::Unsupported(format!("${{{inner}}}"));
    if let Some(name) = inner.strip_prefix('#')
        && !name.is_empty()
    {
        if !is_name(name) && !is_special(name) {
            return Err(bad());
        }
        return Ok(Part::Param {
            name: name.to_owned(),
            op: ParamOp::Length,
            quoted,
        });
    }
    let name_len = if inner
        .chars()
        .next()
        .is_some_and(|c| is_special(&c.to_string()))
    {
        1
    } else {
        inner
            .char_indices()
            .find(|(_, c)| !(*c == '_' || c.is_ascii_alphanumeric()))
            .map_or(inner.len(), |(index, _)| index)
    };
    let (name, rest) = inner.split_at(name_len);
    if name.is_empty() || !(is_name(name) || is_special(name)) {
        return Err(bad());
    }
    let op = if rest.is_empty() {
        ParamOp::Plain
    } else if let Some(word) = rest.strip_prefix(":-") {
        ParamOp::Default {
            word: word.to_owned(),
            colon: true,
        }
    } else if let Some(word) = rest.strip_prefix('-') {
        ParamOp::Default {
            word: word.to_owned(),
            colon: false,
        }
    } else if let Some(word) = rest.strip_prefix(":+") {
        ParamOp::Alternative {
            word: word.to_owned(),
            colon: true,
        }
    } else if let Some(word) = rest.strip_prefix('+') {
        ParamOp::Alternative {
            word: word.to_owned(),
            colon: false,
        }
    } else {
        return Err(bad());
    };
    Ok(Part::Param {
        name: name.to_owned(),
        op,
        quoted,
    })
}

fn flush(parts: &mut Vec<Part>, literal: &mut String) {
    if !literal.is_empty() {
        parts.push(Part::Literal(std::mem::take(literal)));
    }
}

/// The text of a word with its quotes removed and nothing expanded (heredoc delimiters,
/// `>&2` targets).
pub fn word_source_text(word: &Word) -> String {
    let mut text = String::new();
    for part in &word.parts {
        match part {
            Part::Literal(s) | Part::Quoted(s) => text.push_str(s),
            Part::Tilde(user) => {
                text.push('~');
                text.push_str(user);
            }
            Part::Param { name, .. } => {
                text.push('$');
                text.push_str(name);
            }
            Part::Command { source, .. } => {
                text.push_str("$(");
                text.push_str(source);
                text.push(')');
            }
            Part::Arithmetic { source, .. } => {
                text.push_str("$((");
                text.push_str(source);
                text.push_str("))");
            }
            Part::ProcessSubstitution { source } => {
                text.push_str("<(");
                text.push_str(source);
                text.push(')');
            }
        }
    }
    text
}
