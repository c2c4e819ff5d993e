//! Bash's grammar for the subset the course uses: a line of text → complete commands
//! (lists of `&&`/`||` chains of pipelines of simple commands with redirections, and the
//! compound commands `for`, `while`, `until`, `if`, `{ }`, `( )`), with quoting, `$...`
//! expansions kept unexpanded, comments, line continuations and heredocs. `case`,
//! functions, `[[ ]]` and `(( ))` are reported as not simulated.
//!
//! It only builds syntax trees; it expands nothing and runs nothing. An input that stops in
//! the middle of a construct (an open quote, a heredoc without its delimiter, a trailing `|`)
//! is [`ParseError::Incomplete`] so the session can ask for more lines with `> `.

mod compound;
mod word;

pub use word::{parse_dollar_prefix, parse_word_text, word_source_text};

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
    /// `<(...)`: the command's output as a file name (`/dev/fd/63`).
    ProcessSubstitution { source: String },
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
    /// `time PIPELINE` (or `time -p`): report the elapsed (virtual) time after it.
    pub timed: Option<TimeFormat>,
    pub commands: Vec<Command>,
}

/// How `time` prints: bash's default (`real\t0m1.000s`) or POSIX `-p` (`real 1.00`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeFormat {
    Bash,
    Posix,
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
    /// Ended by `&`: bash reports it as a job (`[1] PID`, later `[1]+  Done  CMD`).
    pub background: bool,
    /// The source text, for job reports.
    pub text: String,
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
    /// Set when the input ended inside a heredoc body: its delimiter and `<<-`.
    awaiting: Option<(String, bool)>,
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
            awaiting: None,
        }
    }

    /// After [`ParseError::Incomplete`]: the delimiter (and whether tabs are stripped) of
    /// the heredoc whose body the input ended in. Until a line equal to it arrives, more
    /// body lines cannot change the parse, so the session may just collect them.
    pub fn awaiting_delimiter(&self) -> Option<&(String, bool)> {
        self.awaiting.as_ref()
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
        self.skip_blanks();
        let start = self.pos;
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
        let text = self.slice(start, self.pos).trim_end().to_owned();
        // A single `&` (not `&&` or `&>`) after it makes it a background job.
        self.skip_blanks();
        let background = self.peek() == Some('&') && !matches!(self.peek_at(1), Some('&' | '>'));
        Ok(AndOr {
            first,
            rest,
            background,
            text,
        })
    }

    fn parse_pipeline(&mut self) -> Result<Pipeline, ParseError> {
        self.skip_blanks();
        let mut timed = None;
        if self.word_ahead() == "time"
            && matches!(self.peek_at(4), None | Some(' ' | '\t' | '\n' | ';'))
        {
            self.pos += 4;
            self.skip_blanks();
            timed = Some(TimeFormat::Bash);
            if self.word_ahead() == "-p" {
                self.pos += 2;
                self.skip_blanks();
                timed = Some(TimeFormat::Posix);
            }
        }
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
        Ok(Pipeline {
            negated,
            timed,
            commands,
        })
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
                '<' if self.peek_at(1) == Some('(') => {
                    let word = self.parse_word()?;
                    command.words.push(word);
                }
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

    /// Consumes a newline and then the bodies of the heredocs opened on that line.
    fn newline(&mut self) -> Result<(), ParseError> {
        self.pos += 1;
        let pending = std::mem::take(&mut self.pending);
        for heredoc in pending {
            let mut body = String::new();
            self.awaiting = Some((heredoc.delimiter.clone(), heredoc.strip_tabs));
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
            self.awaiting = None;
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
