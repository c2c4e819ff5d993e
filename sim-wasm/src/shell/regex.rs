//! POSIX regular expressions as GNU grep reads them: basic (BRE, with GNU's `\+ \? \|`),
//! extended (`-E`) and fixed strings (`-F`), with `[...]` classes, `[:alpha:]`, anchors,
//! `\w \s \b \< \>`, intervals and groups. Matching is backtracking with a step budget, so
//! a pathological pattern gives "no match" instead of hanging; matches are leftmost-longest
//! as POSIX asks.
//!
//! Back-references are not supported (`\1` matches a literal `1`).

/// How many matcher steps one search may take before giving up.
const STEP_BUDGET: usize = 200_000;
/// The deepest recursion of the matcher (about four stack frames each): small enough for
/// wasm's 1 MiB stack, large enough for any pattern a student types.
const MAX_DEPTH: usize = 400;
/// The longest pattern accepted (characters).
const MAX_PATTERN: usize = 4096;
/// The largest `{n,m}` bound.
const MAX_REPEAT: u32 = 255;

/// The spans of a match: index 0 the whole match, `n` the n-th group (`None` when the
/// group did not take part).
pub type Spans = Vec<Option<(usize, usize)>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Basic,
    Extended,
    Fixed,
    /// `grep -P`: extended syntax plus Perl's `\d`, `\D` (the rest of PCRE is not simulated).
    Perl,
}

#[derive(Clone, Debug)]
enum Node {
    Char(char),
    Any,
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
    LineStart,
    LineEnd,
    WordBoundary,
    NotWordBoundary,
    WordStart,
    WordEnd,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    /// A parenthesized group; its index (1-based) names its capture (`\1` in sed).
    Group(usize, Box<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

#[derive(Clone, Debug)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Named(fn(char) -> bool),
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub struct Regex {
    root: Node,
    groups: usize,
    ignore_case: bool,
    /// The pattern when it is plain text (`grep pause`): searched without the matcher.
    literal: Option<Vec<char>>,
}

impl Regex {
    /// Compiles `pattern`; the error is GNU grep's message without the `grep: ` prefix.
    pub fn new(pattern: &str, syntax: Syntax, ignore_case: bool) -> Result<Regex, String> {
        let chars: Vec<char> = pattern.chars().collect();
        if chars.len() > MAX_PATTERN {
            return Err("regular expression too big".to_owned());
        }
        let (root, groups) = match syntax {
            Syntax::Fixed => (Node::Concat(chars.into_iter().map(Node::Char).collect()), 0),
            _ => {
                let mut parser = PatternParser {
                    chars,
                    pos: 0,
                    extended: matches!(syntax, Syntax::Extended | Syntax::Perl),
                    perl: syntax == Syntax::Perl,
                    depth: 0,
                    groups: 0,
                };
                let node = parser.alternation()?;
                if parser.pos < parser.chars.len() {
                    return Err("Unmatched ) or \\)".to_owned());
                }
                (node, parser.groups)
            }
        };
        let literal = match &root {
            Node::Concat(nodes) => nodes
                .iter()
                .map(|node| match node {
                    Node::Char(c) => Some(*c),
                    _ => None,
                })
                .collect::<Option<Vec<char>>>(),
            _ => None,
        };
        Ok(Regex {
            root,
            groups,
            ignore_case,
            literal,
        })
    }

    /// The leftmost-longest match in `text` starting at or after `from` that `accept`
    /// approves (grep `-w` rejects matches not surrounded by non-word characters).
    pub fn find(
        &self,
        text: &[char],
        from: usize,
        accept: &dyn Fn(usize, usize) -> bool,
    ) -> Option<(usize, usize)> {
        self.captures(text, from, accept)
            .and_then(|captures| captures.first().copied().flatten())
    }

    /// Like [`Regex::find`], with the span of every group: index 0 is the whole match,
    /// `n` the n-th parenthesized group (`None` if it did not take part).
    pub fn captures(
        &self,
        text: &[char],
        from: usize,
        accept: &dyn Fn(usize, usize) -> bool,
    ) -> Option<Spans> {
        let matcher = Matcher {
            text,
            ignore_case: self.ignore_case,
            budget: std::cell::Cell::new(STEP_BUDGET),
            depth: std::cell::Cell::new(0),
            groups: std::cell::RefCell::new(vec![None; self.groups + 1]),
        };
        if let Some(literal) = &self.literal {
            let len = literal.len();
            if len > text.len() {
                return None;
            }
            for start in from..=text.len() - len {
                let window = &text[start..start + len];
                if window
                    .iter()
                    .zip(literal)
                    .all(|(t, c)| matcher.same(*t, *c))
                    && accept(start, start + len)
                {
                    return Some(vec![Some((start, start + len))]);
                }
            }
            return None;
        }
        for start in from..=text.len() {
            let mut best: Option<(usize, Spans)> = None;
            matcher.node(&self.root, start, &mut |end| {
                if accept(start, end) && best.as_ref().is_none_or(|(b, _)| end > *b) {
                    let mut spans = matcher.groups.borrow().clone();
                    if let Some(whole) = spans.first_mut() {
                        *whole = Some((start, end));
                    }
                    best = Some((end, spans));
                }
                false
            });
            if let Some((_, spans)) = best {
                return Some(spans);
            }
            if matcher.budget.get() == 0 {
                return None;
            }
        }
        None
    }

    #[cfg(test)]
    pub fn is_match(&self, text: &[char]) -> bool {
        self.find(text, 0, &|_, _| true).is_some()
    }
}

struct Matcher<'t> {
    text: &'t [char],
    ignore_case: bool,
    budget: std::cell::Cell<usize>,
    depth: std::cell::Cell<usize>,
    /// The spans of the groups on the path being tried.
    groups: std::cell::RefCell<Spans>,
}

impl Matcher<'_> {
    /// Calls `k` with every end position where `node` can match from `pos`; stops as soon
    /// as `k` returns true.
    fn node(&self, node: &Node, pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        let budget = self.budget.get();
        let depth = self.depth.get();
        if budget == 0 || depth > MAX_DEPTH {
            // Too deep for the stack (wasm has little): give up as if out of budget.
            self.budget.set(0);
            return false;
        }
        self.budget.set(budget - 1);
        self.depth.set(depth + 1);
        let matched = self.node_inner(node, pos, k);
        self.depth.set(depth);
        matched
    }

    fn node_inner(&self, node: &Node, pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        match node {
            Node::Char(c) => match self.text.get(pos) {
                Some(t) if self.same(*t, *c) => k(pos + 1),
                _ => false,
            },
            Node::Any => pos < self.text.len() && k(pos + 1),
            Node::Class { negated, items } => match self.text.get(pos) {
                Some(t) if self.in_class(*t, items) != *negated => k(pos + 1),
                _ => false,
            },
            Node::LineStart => pos == 0 && k(pos),
            Node::LineEnd => pos == self.text.len() && k(pos),
            Node::WordBoundary => self.at_boundary(pos) && k(pos),
            Node::NotWordBoundary => !self.at_boundary(pos) && k(pos),
            Node::WordStart => !self.word_before(pos) && self.word_after(pos) && k(pos),
            Node::WordEnd => self.word_before(pos) && !self.word_after(pos) && k(pos),
            Node::Concat(nodes) => self.sequence(nodes, pos, k),
            Node::Alt(options) => options.iter().any(|option| self.node(option, pos, k)),
            Node::Repeat { node, min, max } => self.repeat(node, *min, *max, 0, pos, k),
            Node::Group(index, inner) => self.node(inner, pos, &mut |end| {
                let previous = self.set_group(*index, Some((pos, end)));
                if k(end) {
                    return true;
                }
                self.set_group(*index, previous);
                false
            }),
        }
    }

    fn sequence(&self, nodes: &[Node], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        match nodes.split_first() {
            None => k(pos),
            Some((first, rest)) => self.node(first, pos, &mut |next| self.sequence(rest, next, k)),
        }
    }

    /// Greedy repetition; an iteration that matches the empty string ends the loop so
    /// `(a*)*` terminates.
    fn repeat(
        &self,
        node: &Node,
        min: u32,
        max: Option<u32>,
        count: u32,
        pos: usize,
        k: &mut dyn FnMut(usize) -> bool,
    ) -> bool {
        if let Some(single) = self.single_char(node) {
            // Runs of one-character atoms (`.*`, `[a-z]+`) are matched in a loop, not by
            // recursion, so long lines do not deepen the stack.
            let mut end = pos;
            let limit = max.map_or(usize::MAX, |m| m as usize);
            while end - pos < limit && self.text.get(end).is_some_and(|c| single(self, *c)) {
                end += 1;
            }
            let min = min as usize;
            if end - pos < min {
                return false;
            }
            for candidate in (pos + min..=end).rev() {
                let budget = self.budget.get();
                if budget == 0 {
                    return false;
                }
                self.budget.set(budget - 1);
                if k(candidate) {
                    return true;
                }
            }
            return false;
        }
        if max.is_none_or(|max| count < max)
            && self.node(node, pos, &mut |next| {
                if next == pos && count >= min {
                    return false;
                }
                self.repeat(node, min, max, count + 1, next, k)
            })
        {
            return true;
        }
        count >= min && k(pos)
    }

    #[allow(clippy::type_complexity)]
    fn single_char<'n>(&self, node: &'n Node) -> Option<Box<dyn Fn(&Self, char) -> bool + 'n>> {
        match node {
            Node::Char(c) => Some(Box::new(move |m: &Self, t| m.same(t, *c))),
            Node::Any => Some(Box::new(|_: &Self, _| true)),
            Node::Class { negated, items } => Some(Box::new(move |m: &Self, t| {
                m.in_class(t, items) != *negated
            })),
            _ => None,
        }
    }

    fn set_group(&self, index: usize, span: Option<(usize, usize)>) -> Option<(usize, usize)> {
        let mut groups = self.groups.borrow_mut();
        match groups.get_mut(index) {
            Some(slot) => std::mem::replace(slot, span),
            None => None,
        }
    }

    fn same(&self, a: char, b: char) -> bool {
        a == b || (self.ignore_case && fold(a) == fold(b))
    }

    fn in_class(&self, c: char, items: &[ClassItem]) -> bool {
        let test = |c: char| {
            items.iter().any(|item| match item {
                ClassItem::Char(x) => *x == c,
                ClassItem::Range(low, high) => *low <= c && c <= *high,
                ClassItem::Named(test) => test(c),
            })
        };
        test(c)
            || (self.ignore_case && (test(c.to_ascii_lowercase()) || test(c.to_ascii_uppercase())))
    }

    fn word_before(&self, pos: usize) -> bool {
        pos > 0 && self.text.get(pos - 1).is_some_and(|c| is_word(*c))
    }

    fn word_after(&self, pos: usize) -> bool {
        self.text.get(pos).is_some_and(|c| is_word(*c))
    }

    fn at_boundary(&self, pos: usize) -> bool {
        self.word_before(pos) != self.word_after(pos)
    }
}

fn fold(c: char) -> char {
    super::casemap::lower(c)
}

/// A word constituent for `\w`, `\b` and `grep -w`: letters, digits, underscore.
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

struct PatternParser {
    chars: Vec<char>,
    pos: usize,
    extended: bool,
    perl: bool,
    depth: usize,
    groups: usize,
}

impl PatternParser {
    fn alternation(&mut self) -> Result<Node, String> {
        let mut options = vec![self.concatenation()?];
        while self.at_alternation() {
            self.pos += if self.extended { 1 } else { 2 };
            options.push(self.concatenation()?);
        }
        Ok(if options.len() == 1 {
            options.pop().unwrap_or(Node::Concat(Vec::new()))
        } else {
            Node::Alt(options)
        })
    }

    fn at_alternation(&self) -> bool {
        if self.extended {
            self.peek() == Some('|')
        } else {
            self.peek() == Some('\\') && self.peek_at(1) == Some('|')
        }
    }

    fn at_group_end(&self) -> bool {
        if self.depth == 0 {
            return false;
        }
        if self.extended {
            self.peek() == Some(')')
        } else {
            self.peek() == Some('\\') && self.peek_at(1) == Some(')')
        }
    }

    fn concatenation(&mut self) -> Result<Node, String> {
        let mut nodes = Vec::new();
        let start = self.pos;
        while self.pos < self.chars.len() && !self.at_alternation() && !self.at_group_end() {
            if !self.extended && self.peek() == Some('\\') && self.peek_at(1) == Some(')') {
                return Err("Unmatched ) or \\)".to_owned());
            }
            let at_start = self.pos == start;
            let atom = self.atom(at_start)?;
            let atom = self.postfix(atom)?;
            nodes.push(atom);
        }
        Ok(Node::Concat(nodes))
    }

    fn atom(&mut self, at_start: bool) -> Result<Node, String> {
        let Some(c) = self.peek() else {
            return Ok(Node::Concat(Vec::new()));
        };
        self.pos += 1;
        match c {
            '.' => Ok(Node::Any),
            '[' => self.class(),
            '^' if self.extended || at_start => Ok(Node::LineStart),
            '$' if self.extended || self.at_end_of_branch() => Ok(Node::LineEnd),
            // A leading `*` is literal in a BRE; in an ERE (GNU) a leading repetition is
            // ignored, with a warning printed by grep.
            '*' if at_start && !self.extended => Ok(Node::Char('*')),
            '*' | '+' | '?' if at_start && self.extended => Ok(Node::Concat(Vec::new())),
            '(' if self.extended => self.group(),
            '{' if self.extended && at_start => {
                self.pos -= 1;
                match self.interval(1)? {
                    Some((_, _, width)) => {
                        self.pos += width;
                        Ok(Node::Concat(Vec::new()))
                    }
                    None => {
                        self.pos += 1;
                        Ok(Node::Char('{'))
                    }
                }
            }
            '\\' => {
                let Some(next) = self.peek() else {
                    return Err("Trailing backslash".to_owned());
                };
                self.pos += 1;
                match next {
                    '(' if !self.extended => self.group(),
                    'w' => Ok(Node::Class {
                        negated: false,
                        items: vec![ClassItem::Named(is_word)],
                    }),
                    'W' => Ok(Node::Class {
                        negated: true,
                        items: vec![ClassItem::Named(is_word)],
                    }),
                    's' => Ok(Node::Class {
                        negated: false,
                        items: vec![ClassItem::Named(char::is_whitespace)],
                    }),
                    'S' => Ok(Node::Class {
                        negated: true,
                        items: vec![ClassItem::Named(char::is_whitespace)],
                    }),
                    'd' | 'D' if self.perl => Ok(Node::Class {
                        negated: next == 'D',
                        items: vec![ClassItem::Range('0', '9')],
                    }),
                    'b' => Ok(Node::WordBoundary),
                    'B' => Ok(Node::NotWordBoundary),
                    '<' => Ok(Node::WordStart),
                    '>' => Ok(Node::WordEnd),
                    other => Ok(Node::Char(other)),
                }
            }
            other => Ok(Node::Char(other)),
        }
    }

    /// In a BRE, `$` is an anchor only at the end of the pattern or of a branch.
    fn at_end_of_branch(&self) -> bool {
        self.pos >= self.chars.len()
            || (self.peek() == Some('\\') && matches!(self.peek_at(1), Some(')') | Some('|')))
    }

    fn group(&mut self) -> Result<Node, String> {
        self.depth += 1;
        if self.depth > 64 {
            return Err("regular expression too big".to_owned());
        }
        self.groups += 1;
        let index = self.groups;
        let inner = self.alternation()?;
        self.depth -= 1;
        let closed = if self.extended {
            self.peek() == Some(')')
        } else {
            self.peek() == Some('\\') && self.peek_at(1) == Some(')')
        };
        if !closed {
            return Err("Unmatched ( or \\(".to_owned());
        }
        self.pos += if self.extended { 1 } else { 2 };
        Ok(Node::Group(index, Box::new(inner)))
    }

    fn postfix(&mut self, mut atom: Node) -> Result<Node, String> {
        loop {
            let (min, max, width) = match (self.peek(), self.peek_at(1)) {
                (Some('*'), _) => (0, None, 1),
                (Some('+'), _) if self.extended => (1, None, 1),
                (Some('?'), _) if self.extended => (0, Some(1), 1),
                (Some('\\'), Some('+')) if !self.extended => (1, None, 2),
                (Some('\\'), Some('?')) if !self.extended => (0, Some(1), 2),
                (Some('{'), _) if self.extended => match self.interval(1)? {
                    Some((min, max, width)) => (min, max, width),
                    None => return Ok(atom),
                },
                (Some('\\'), Some('{')) if !self.extended => match self.interval(2)? {
                    Some((min, max, width)) => (min, max, width),
                    None => return Err("Unmatched \\{".to_owned()),
                },
                _ => return Ok(atom),
            };
            self.pos += width;
            atom = Node::Repeat {
                node: Box::new(atom),
                min,
                max,
            };
        }
    }

    /// Reads `{n}`, `{n,}`, `{,m}`, `{n,m}` (the opening is `open` chars long); `None` if
    /// it is not an interval (an ERE then takes `{` literally).
    #[allow(clippy::type_complexity)]
    fn interval(&self, open: usize) -> Result<Option<(u32, Option<u32>, usize)>, String> {
        let mut index = self.pos + open;
        let mut body = String::new();
        while let Some(c) = self.chars.get(index) {
            if c.is_ascii_digit() || *c == ',' {
                body.push(*c);
                index += 1;
            } else {
                break;
            }
        }
        let close_len = if self.extended { 1 } else { 2 };
        let closes = if self.extended {
            self.chars.get(index) == Some(&'}')
        } else {
            self.chars.get(index) == Some(&'\\') && self.chars.get(index + 1) == Some(&'}')
        };
        if !closes || body.is_empty() {
            return Ok(None);
        }
        let parse = |text: &str| -> Result<Option<u32>, String> {
            if text.is_empty() {
                return Ok(None);
            }
            match text.parse::<u32>() {
                Ok(n) if n <= MAX_REPEAT => Ok(Some(n)),
                _ => Err("Regular expression too big".to_owned()),
            }
        };
        let (min, max) = match body.split_once(',') {
            None => {
                let n = parse(&body)?.unwrap_or(0);
                (n, Some(n))
            }
            Some((low, high)) => (parse(low)?.unwrap_or(0), parse(high)?),
        };
        if max.is_some_and(|max| max < min) {
            return Err("Invalid content of \\{\\}".to_owned());
        }
        Ok(Some((min, max, index + close_len - self.pos)))
    }

    fn class(&mut self) -> Result<Node, String> {
        if self.pos >= self.chars.len() {
            // A pattern ending in `[` is rejected before bracket parsing (gnulib's dfa).
            return Err("Invalid regular expression".to_owned());
        }
        let unmatched = || "Unmatched [, [^, [:, [., or [=".to_owned();
        let mut negated = false;
        if self.peek() == Some('^') {
            negated = true;
            self.pos += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(unmatched());
            };
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if c == '[' && self.peek_at(1) == Some(':') {
                let rest: String = self.chars[self.pos + 2..].iter().collect();
                let Some(end) = rest.find(":]") else {
                    return Err(unmatched());
                };
                let name = &rest[..end];
                let test: fn(char) -> bool = match name {
                    "alpha" => char::is_alphabetic,
                    "digit" => |c| c.is_ascii_digit(),
                    "alnum" => char::is_alphanumeric,
                    "upper" => char::is_uppercase,
                    "lower" => char::is_lowercase,
                    "space" => char::is_whitespace,
                    "blank" => |c| c == ' ' || c == '\t',
                    "punct" => |c| c.is_ascii_punctuation(),
                    "xdigit" => |c| c.is_ascii_hexdigit(),
                    "print" => |c| !c.is_control(),
                    "graph" => |c| !c.is_control() && !c.is_whitespace(),
                    "cntrl" => char::is_control,
                    _ => return Err("Invalid character class name".to_owned()),
                };
                items.push(ClassItem::Named(test));
                self.pos += 2 + name.chars().count() + 2;
                continue;
            }
            self.pos += 1;
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|n| n != ']') {
                let high = self.peek_at(1).unwrap_or(c);
                if high < c {
                    return Err("Invalid range end".to_owned());
                }
                items.push(ClassItem::Range(c, high));
                self.pos += 2;
            } else {
                items.push(ClassItem::Char(c));
            }
        }
        Ok(Node::Class { negated, items })
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }
}
