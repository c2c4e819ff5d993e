//! Bash's grammar for the subset the course uses: a line of text → complete commands
//! (lists of `&&`/`||` chains of pipelines of simple commands with redirections, and the
//! compound commands `for`, `while`, `until`, `if`, `{ }`, `( )`), with quoting, `$...`
//! expansions kept unexpanded, comments, line continuations and heredocs. `case`,
//! functions, `[[ ]]` and `(( ))` are reported as not simulated.
//!
//! It only builds syntax trees; it expands nothing and runs nothing. An input that stops in
//! the middle of a construct (an open quote, a heredoc without its delimiter, a trailing `|`)
//! is [`ParseError::Incomplete`] so the session can ask for more lines with `> `.

/// The most commands one pipeline may have.
pub const MAX_PIPELINE: usize = 64;
/// The deepest nesting of `$(...)` inside words, counted while parsing.
pub const MAX_NESTING: usize = 16;

/// A piece of a word, before expansion.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Unquoted text: subject to globbing.
    Literal(String),
    /// Text quoted with `'...'`, `"..."` or `\`: taken as is.
    Quoted(String),
    /// A leading unquoted `~` (home directory) or `~user` (the user's).
    Tilde(String),
    /// `$NAME`, `${NAME}`, `${NAME:-word}`, `$?`, ...
    Param {
        name: String,
        op: ParamOp,
        quoted: bool,
    },
    /// `$(...)` or `` `...` ``: the source text to run.
    Command { source: String, quoted: bool },
    /// `$((...))`: the expression text.
    Arithmetic { source: String, quoted: bool },
}

/// What to do with a parameter besides substituting it.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamOp {
    Plain,
    /// `${#NAME}`.
    Length,
    /// `${NAME:-word}` (`colon`: also when empty) and `${NAME-word}`.
    Default {
        word: String,
        colon: bool,
    },
    /// `${NAME:+word}`.
    Alternative {
        word: String,
        colon: bool,
    },
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Word {
    pub parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RedirectOp {
    /// `>` / `>|` (`append: false`) or `>>`.
    Output { append: bool },
    /// `<`.
    Input,
    /// `&>` and `&>>`: stdout and stderr to one file.
    Both { append: bool },
    /// `N>&M` / `N<&M`.
    Duplicate,
    /// `N>&-`.
    Close,
    /// `<<`, `<<-`: index into [`CompleteCommand::heredocs`].
    HereDoc { index: usize },
    /// `<<<`.
    HereString,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Redirect {
    pub fd: u32,
    pub op: RedirectOp,
    pub target: Word,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SimpleCommand {
    pub assignments: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

/// A command of a pipeline: a simple command or a compound one with its redirections.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Simple(SimpleCommand),
    Compound {
        body: Box<Compound>,
        redirects: Vec<Redirect>,
    },
}

/// `for`, `while`/`until`, `if`, `{ ...; }` and `( ... )`.
#[derive(Clone, Debug, PartialEq)]
pub enum Compound {
    For {
        name: String,
        /// `None` for `for NAME; do` (the positional parameters, always empty here).
        words: Option<Vec<Word>>,
        body: Vec<AndOr>,
    },
    While {
        condition: Vec<AndOr>,
        body: Vec<AndOr>,
        /// `until`: loop while the condition fails.
        until: bool,
    },
    If {
        /// `if`/`elif` conditions with their `then` lists, in order.
        branches: Vec<(Vec<AndOr>, Vec<AndOr>)>,
        otherwise: Option<Vec<AndOr>>,
    },
    Group(Vec<AndOr>),
    Subshell(Vec<AndOr>),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pipeline {
    pub negated: bool,
    pub commands: Vec<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    And,
    Or,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AndOr {
    pub first: Pipeline,
    pub rest: Vec<(Connector, Pipeline)>,
}

/// One heredoc body as read, and whether `$` expansions apply to it.
#[derive(Clone, Debug, PartialEq)]
pub struct HereDoc {
    pub body: String,
    pub expand: bool,
}

/// Everything up to an unquoted newline (plus the heredoc bodies that follow it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CompleteCommand {
    pub list: Vec<AndOr>,
    pub heredocs: Vec<HereDoc>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ParseError {
    /// More input is needed (the terminal shows `> `).
    Incomplete,
    /// `bash: syntax error near unexpected token `TOKEN'`.
    Unexpected(String),
    /// A construct this shell does not simulate (`if`, `for`, `(`...).
    Unsupported(String),
    /// Nesting or pipeline length beyond the budget.
    TooComplex,
}

/// Parses `source` one complete command at a time.
pub struct Parser {
    chars: Vec<char>,
    pos: usize,
    pending: Vec<PendingHereDoc>,
    heredocs: Vec<HereDoc>,
    depth: usize,
}

struct PendingHereDoc {
    index: usize,
    delimiter: String,
    strip_tabs: bool,
}

impl Parser {
    pub fn new(source: &str) -> Parser {
        Parser::with_depth(source, 0)
    }

    fn with_depth(source: &str, depth: usize) -> Parser {
        Parser {
            chars: source.chars().collect(),
            pos: 0,
            pending: Vec::new(),
            heredocs: Vec::new(),
            depth,
        }
    }

    /// The character offset the next command starts at.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The source between two character offsets (for history and pending input).
    pub fn slice(&self, from: usize, to: usize) -> String {
        let to = to.min(self.chars.len());
        let from = from.min(to);
        self.chars[from..to].iter().collect()
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    /// Skips to just after the next newline (after a syntax error bash drops the line).
    pub fn skip_line(&mut self) {
        self.pending.clear();
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == '\n' {
                break;
            }
        }
    }

    /// The next complete command; `Ok(None)` at the end of the input.
    pub fn next_command(&mut self) -> Result<Option<CompleteCommand>, ParseError> {
        self.heredocs.clear();
        self.pending.clear();
        loop {
            self.skip_blanks();
            match self.peek() {
                None => return Ok(None),
                Some('\n') => self.pos += 1,
                Some('#') => self.skip_comment(),
                Some(_) => break,
            }
        }
        let mut list = Vec::new();
        loop {
            list.push(self.parse_and_or()?);
            self.skip_blanks();
            match self.peek() {
                None => break,
                Some('\n') => {
                    self.newline()?;
                    break;
                }
                Some('#') => {
                    self.skip_comment();
                    if self.peek() == Some('\n') {
                        self.newline()?;
                    }
                    break;
                }
                Some(';') | Some('&') => {
                    let token = self.operator_token();
                    if token == ";;" || token == ";&" || token == "&&" {
                        return Err(ParseError::Unexpected(token));
                    }
                    self.pos += 1;
                    self.skip_blanks();
                    match self.peek() {
                        None => break,
                        Some('\n') => {
                            self.newline()?;
                            break;
                        }
                        Some('#') => {
                            self.skip_comment();
                            if self.peek() == Some('\n') {
                                self.newline()?;
                            }
                            break;
                        }
                        Some(_) => {}
                    }
                }
                Some(_) => return Err(ParseError::Unexpected(self.operator_token())),
            }
        }
        if !self.pending.is_empty() {
            return Err(ParseError::Incomplete);
        }
        Ok(Some(CompleteCommand {
            list,
            heredocs: std::mem::take(&mut self.heredocs),
        }))
    }

    fn parse_and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            self.skip_blanks();
            let connector = if self.looking_at("&&") {
                Connector::And
            } else if self.looking_at("||") {
                Connector::Or
            } else {
                break;
            };
            self.pos += 2;
            self.skip_linebreaks()?;
            rest.push((connector, self.parse_pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn parse_pipeline(&mut self) -> Result<Pipeline, ParseError> {
        self.skip_blanks();
        let mut negated = false;
        if self.peek() == Some('!') && matches!(self.peek_at(1), Some(' ') | Some('\t')) {
            negated = true;
            self.pos += 1;
            self.skip_blanks();
        }
        let mut commands = vec![self.parse_command()?];
        loop {
            self.skip_blanks();
            if self.peek() != Some('|') || self.looking_at("||") {
                break;
            }
            self.pos += 1;
            if self.peek() == Some('&') {
                // `|&` pipes stderr too; it becomes a `2>&1` on the left command.
                self.pos += 1;
                let last_redirects = match commands.last_mut() {
                    Some(Command::Simple(simple)) => Some(&mut simple.redirects),
                    Some(Command::Compound { redirects, .. }) => Some(redirects),
                    None => None,
                };
                if let Some(redirects) = last_redirects {
                    redirects.push(Redirect {
                        fd: 2,
                        op: RedirectOp::Duplicate,
                        target: Word {
                            parts: vec![Part::Literal("1".to_owned())],
                        },
                    });
                }
            }
            self.skip_linebreaks()?;
            if commands.len() >= MAX_PIPELINE {
                return Err(ParseError::TooComplex);
            }
            commands.push(self.parse_command()?);
        }
        Ok(Pipeline { negated, commands })
    }

    fn parse_simple(&mut self) -> Result<SimpleCommand, ParseError> {
        let mut command = SimpleCommand::default();
        loop {
            self.skip_blanks();
            let Some(c) = self.peek() else { break };
            match c {
                '\n' | ';' | '&' | '|' | ')' => {
                    if c == '&' && self.peek_at(1) == Some('>') {
                        self.parse_redirect(&mut command.redirects)?;
                        continue;
                    }
                    break;
                }
                '#' => break,
                '(' => return Err(ParseError::Unexpected("(".to_owned())),
                '<' | '>' => self.parse_redirect(&mut command.redirects)?,
                '0'..='9' if self.fd_redirect_ahead() => {
                    self.parse_redirect(&mut command.redirects)?
                }
                _ => {
                    let word = self.parse_word()?;
                    if command.words.is_empty() {
                        if let Some(assignment) = as_assignment(&word) {
                            command.assignments.push(assignment);
                            continue;
                        }
                        if let Some(Part::Literal(text)) = word.parts.first()
                            && word.parts.len() == 1
                            && is_reserved(text)
                            && command.redirects.is_empty()
                        {
                            return Err(
                                if matches!(
                                    text.as_str(),
                                    "case" | "function" | "select" | "[[" | "]]" | "esac"
                                ) {
                                    ParseError::Unsupported(text.clone())
                                } else {
                                    ParseError::Unexpected(text.clone())
                                },
                            );
                        }
                    }
                    command.words.push(word);
                }
            }
        }
        if command.words.is_empty()
            && command.assignments.is_empty()
            && command.redirects.is_empty()
        {
            return match self.peek() {
                None => Err(ParseError::Incomplete),
                Some('\n') => Err(ParseError::Unexpected("newline".to_owned())),
                Some(_) => Err(ParseError::Unexpected(self.operator_token())),
            };
        }
        Ok(command)
    }

    /// A simple command, or a compound command when a reserved word starts it.
    fn parse_command(&mut self) -> Result<Command, ParseError> {
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
    fn word_ahead(&self) -> String {
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

    fn fd_redirect_ahead(&self) -> bool {
        let mut offset = 0;
        while let Some(c) = self.peek_at(offset) {
            if c.is_ascii_digit() {
                offset += 1;
                continue;
            }
            return offset > 0 && (c == '<' || c == '>');
        }
        false
    }

    fn parse_redirect(&mut self, redirects: &mut Vec<Redirect>) -> Result<(), ParseError> {
        let mut digits = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            digits.push(c);
            self.pos += 1;
        }
        let explicit_fd: Option<u32> = if digits.is_empty() {
            None
        } else {
            Some(digits.parse().unwrap_or(u32::MAX))
        };
        let (op_text, default_fd): (&str, u32) = if self.looking_at("&>>") {
            ("&>>", 1)
        } else if self.looking_at("&>") {
            ("&>", 1)
        } else if self.looking_at("<<<") {
            ("<<<", 0)
        } else if self.looking_at("<<-") {
            ("<<-", 0)
        } else if self.looking_at("<<") {
            ("<<", 0)
        } else if self.looking_at("<&") {
            ("<&", 0)
        } else if self.looking_at(">>") {
            (">>", 1)
        } else if self.looking_at(">&") {
            (">&", 1)
        } else if self.looking_at(">|") {
            (">|", 1)
        } else if self.looking_at("<>") {
            return Err(ParseError::Unsupported("<>".to_owned()));
        } else if self.looking_at(">") {
            (">", 1)
        } else {
            ("<", 0)
        };
        self.pos += op_text.chars().count();
        let fd = explicit_fd.unwrap_or(default_fd);
        self.skip_blanks();
        match self.peek() {
            None => return Err(ParseError::Unexpected("newline".to_owned())),
            Some('\n') => return Err(ParseError::Unexpected("newline".to_owned())),
            Some(c) if is_operator_start(c) => {
                return Err(ParseError::Unexpected(self.operator_token()));
            }
            Some(_) => {}
        }
        if op_text == "<<" || op_text == "<<-" {
            let word = self.parse_word()?;
            let quoted = word
                .parts
                .iter()
                .any(|part| !matches!(part, Part::Literal(_)));
            let delimiter = word_source_text(&word);
            let index = self.heredocs.len();
            self.heredocs.push(HereDoc {
                body: String::new(),
                expand: !quoted,
            });
            self.pending.push(PendingHereDoc {
                index,
                delimiter,
                strip_tabs: op_text == "<<-",
            });
            redirects.push(Redirect {
                fd,
                op: RedirectOp::HereDoc { index },
                target: Word::default(),
            });
            return Ok(());
        }
        let target = self.parse_word()?;
        let op = match op_text {
            "&>" => RedirectOp::Both { append: false },
            "&>>" => RedirectOp::Both { append: true },
            "<<<" => RedirectOp::HereString,
            ">>" => RedirectOp::Output { append: true },
            ">" | ">|" => RedirectOp::Output { append: false },
            "<" => RedirectOp::Input,
            _ => {
                // `>&` and `<&`: a number duplicates, `-` closes, a file name means `&>`.
                let text = word_source_text(&target);
                if text == "-" {
                    RedirectOp::Close
                } else if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
                    RedirectOp::Duplicate
                } else if op_text == ">&" && explicit_fd.is_none() {
                    RedirectOp::Both { append: false }
                } else {
                    return Err(ParseError::Unsupported(format!("{op_text}{text}")));
                }
            }
        };
        redirects.push(Redirect { fd, op, target });
        Ok(())
    }

    /// Reads one word up to an unquoted metacharacter.
    fn parse_word(&mut self) -> Result<Word, ParseError> {
        let mut parts: Vec<Part> = Vec::new();
        let mut literal = String::new();
        let start = self.pos;
        while let Some(c) = self.peek() {
            match c {
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
    fn parse_dollar(&mut self, quoted: bool) -> Result<Option<Part>, ParseError> {
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

    /// Consumes a newline and then the bodies of the heredocs opened on that line.
    fn newline(&mut self) -> Result<(), ParseError> {
        self.pos += 1;
        let pending = std::mem::take(&mut self.pending);
        for heredoc in pending {
            let mut body = String::new();
            loop {
                if self.pos >= self.chars.len() {
                    return Err(ParseError::Incomplete);
                }
                let mut line = String::new();
                let mut terminated = false;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == '\n' {
                        terminated = true;
                        break;
                    }
                    line.push(c);
                }
                let line = if heredoc.strip_tabs {
                    line.trim_start_matches('\t').to_owned()
                } else {
                    line
                };
                if line == heredoc.delimiter {
                    break;
                }
                if !terminated {
                    // The last line has no newline yet: the delimiter may still come.
                    return Err(ParseError::Incomplete);
                }
                if body.len() + line.len() < crate::shell::files::MAX_FILE_BYTES {
                    body.push_str(&line);
                    body.push('\n');
                }
            }
            if let Some(slot) = self.heredocs.get_mut(heredoc.index) {
                slot.body = body;
            }
        }
        Ok(())
    }

    /// After `|`, `&&`, `||`: newlines (and comments) may follow before the next command.
    fn skip_linebreaks(&mut self) -> Result<(), ParseError> {
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

    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(' ') | Some('\t') | Some('\r') => self.pos += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => self.pos += 2,
                _ => return,
            }
        }
    }

    fn skip_comment(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                return;
            }
            self.pos += 1;
        }
    }

    /// The operator at the cursor, as bash names it in syntax errors.
    fn operator_token(&self) -> String {
        for op in [
            ";;", ";&", "&&", "||", "|&", ">>", "<<", ";", "&", "|", ")", "(", "<", ">",
        ] {
            if self.looking_at(op) {
                return op.to_owned();
            }
        }
        match self.peek() {
            Some('\n') | None => "newline".to_owned(),
            Some(c) => c.to_string(),
        }
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

/// A shell variable name: `[A-Za-z_][A-Za-z0-9_]*`.
pub fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

fn is_special(text: &str) -> bool {
    matches!(text, "?" | "$" | "#" | "!" | "@" | "*" | "-")
        || (!text.is_empty() && text.chars().all(|c| c.is_ascii_digit()))
}

fn is_reserved(text: &str) -> bool {
    matches!(
        text,
        "if" | "then"
            | "else"
            | "elif"
            | "fi"
            | "for"
            | "while"
            | "until"
            | "do"
            | "done"
            | "case"
            | "esac"
            | "function"
            | "select"
            | "{"
            | "}"
            | "[["
            | "]]"
    )
}

fn is_operator_start(c: char) -> bool {
    matches!(c, ';' | '&' | '|' | '<' | '>' | '(' | ')')
}

fn flush(parts: &mut Vec<Part>, literal: &mut String) {
    if !literal.is_empty() {
        parts.push(Part::Literal(std::mem::take(literal)));
    }
}

/// `NAME=value` at the start of a command is an assignment when `NAME=` is unquoted.
fn as_assignment(word: &Word) -> Option<(String, Word)> {
    let Some(Part::Literal(first)) = word.parts.first() else {
        return None;
    };
    let (name, value_start) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(rest) = value_start.strip_prefix('~')
        && (rest.is_empty() || rest.starts_with('/'))
    {
        parts.push(Part::Tilde(String::new()));
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_owned()));
        }
    } else if !value_start.is_empty() {
        parts.push(Part::Literal(value_start.to_owned()));
    }
    parts.extend(word.parts.iter().skip(1).cloned());
    Some((name.to_owned(), Word { parts }))
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
        }
    }
    text
}
