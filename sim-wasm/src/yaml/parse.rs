//! YAML text → `serde_json::Value`, following sigs.k8s.io/yaml over go-yaml v2.
//!
//! The value is built from `saphyr-parser` events with an explicit stack (never recursion),
//! so hostile nesting fails with an error at [`Budget::max_depth`] instead of overflowing
//! the 1 MB wasm stack; aliases are expanded against [`Budget::max_nodes`].

use std::collections::BTreeMap;
use std::fmt;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};
use serde_json::{Map, Number, Value};

/// Limits that turn hostile input into errors instead of hangs or crashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Whole input, in bytes.
    pub max_bytes: usize,
    /// Nested mappings and sequences in one document.
    pub max_depth: usize,
    /// Nodes in one document after alias expansion (billion laughs).
    pub max_nodes: usize,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            max_bytes: 1024 * 1024,
            max_depth: 100,
            max_nodes: 100_000,
        }
    }
}

/// One non-empty document of a manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub value: Value,
    /// The 1-based line of the whole text where this document starts.
    pub first_line: usize,
    /// Keys that appeared twice in one mapping; the later value won, as in kubectl.
    pub duplicates: Vec<DuplicateKey>,
}

/// A repeated mapping key: kubectl keeps the last value without a word, which is how the
/// seed's Deployment disappears when a Service is appended without `---`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key as written.
    pub key: String,
    /// Dotted path of the mapping that holds the key (`""` for the document's top level).
    pub path: String,
    /// 1-based line (of the whole text) of the first occurrence.
    pub first_line: usize,
    /// 1-based line (of the whole text) of the occurrence that replaced it.
    pub line: usize,
}

/// A manifest that kubectl could not read. `Display` gives the text kubectl prints after
/// `error parsing FILE: `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// The line as kubectl prints it (relative to the document), when there is one.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl YamlError {
    fn yaml(line: Option<usize>, problem: &str) -> YamlError {
        let message = match line {
            Some(line) if line > 0 => {
                format!("error converting YAML to JSON: yaml: line {line}: {problem}")
            }
            _ => format!("error converting YAML to JSON: yaml: {problem}"),
        };
        YamlError { line, message }
    }

    fn plain(message: String) -> YamlError {
        YamlError {
            line: None,
            message,
        }
    }
}

/// Cuts `text` into documents the way kubectl's `YAMLOrJSONDecoder` does and converts each.
/// Empty documents (only comments, or `null`) are skipped, as kubectl skips them.
///
/// `Err` carries the documents read before the failing one, because `kubectl create`
/// creates those before it reports the error.
pub fn parse_manifest(
    text: &str,
    budget: Budget,
) -> Result<Vec<Document>, (Vec<Document>, YamlError)> {
    if text.len() > budget.max_bytes {
        return Err((
            Vec::new(),
            YamlError::plain(format!(
                "the manifest is {} bytes; the simulator reads at most {} bytes",
                text.len(),
                budget.max_bytes
            )),
        ));
    }
    if text.trim_start().starts_with('{') {
        return parse_json_stream(text);
    }
    let mut docs = Vec::new();
    for chunk in split_documents(text) {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(e) => return Err((docs, e)),
        };
        match parse_document(chunk.text, budget) {
            Ok(None) => {}
            Ok(Some((value, duplicates))) => docs.push(Document {
                value,
                first_line: chunk.first_line,
                duplicates: duplicates
                    .into_iter()
                    .map(|d| DuplicateKey {
                        first_line: d.first_line + chunk.first_line - 1,
                        line: d.line + chunk.first_line - 1,
                        ..d
                    })
                    .collect(),
            }),
            Err(e) => return Err((docs, e)),
        }
    }
    Ok(docs)
}

fn parse_json_stream(text: &str) -> Result<Vec<Document>, (Vec<Document>, YamlError)> {
    let mut docs = Vec::new();
    let stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    for item in stream {
        match item {
            Ok(Value::Null) => {}
            Ok(value) => docs.push(Document {
                value,
                first_line: 1,
                duplicates: Vec::new(),
            }),
            Err(e) => {
                let line = e.line();
                let message = e.to_string();
                // serde_json appends " at line L column C"; Go's decoder does not.
                let message = message
                    .rsplit_once(" at line ")
                    .map_or(message.as_str(), |(m, _)| m)
                    .to_owned();
                return Err((
                    docs,
                    YamlError {
                        line: Some(line),
                        message,
                    },
                ));
            }
        }
    }
    Ok(docs)
}

struct Chunk<'a> {
    text: &'a str,
    first_line: usize,
}

/// apimachinery's `YAMLReader`: a line starting with `---` ends a document; only spaces or a
/// comment may follow the dashes.
fn split_documents(text: &str) -> Vec<Result<Chunk<'_>, YamlError>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1usize;
    let mut offset = 0usize;
    for (line_no, line) in (1usize..).zip(text.split_inclusive('\n')) {
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                out.push(Err(YamlError::plain(format!(
                    "invalid Yaml document separator: {trimmed}"
                ))));
                return out;
            }
            if offset > start {
                out.push(Ok(Chunk {
                    text: &text[start..offset],
                    first_line: start_line,
                }));
            }
            start = offset + line.len();
            start_line = line_no + 1;
        }
        offset += line.len();
    }
    if text.len() > start {
        out.push(Ok(Chunk {
            text: &text[start..],
            first_line: start_line,
        }));
    }
    out
}

/// A mapping key while its value is being read.
struct PendingKey {
    text: String,
    line: usize,
    merge: bool,
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
    },
    Map {
        map: Map<String, Value>,
        lines: BTreeMap<String, usize>,
        key: Option<PendingKey>,
        anchor: usize,
    },
}

type Parsed = (Value, Vec<DuplicateKey>);

/// One document → its value (`None` when empty or `null`) and its duplicate keys, with
/// lines relative to the document.
fn parse_document(text: &str, budget: Budget) -> Result<Option<Parsed>, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: BTreeMap<usize, (Value, usize)> = BTreeMap::new();
    let mut sizes: Vec<usize> = Vec::new();
    let mut nodes = 0usize;
    let mut duplicates = Vec::new();
    let mut root: Option<Value> = None;
    let mut started = false;

    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| scan_error(&e, text))?;
        let line = span.start.line();
        let completed: Option<(Value, usize)> = match event {
            Event::StreamStart | Event::Nothing => None,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                if started {
                    // go-yaml's Unmarshal reads the first document only.
                    break;
                }
                started = true;
                None
            }
            Event::DocumentEnd => break,
            Event::Alias(id) => {
                let Some((value, size)) = anchors.get(&id) else {
                    return Err(YamlError::yaml(Some(line), "unknown anchor referenced"));
                };
                nodes = nodes.saturating_add(*size);
                if nodes > budget.max_nodes {
                    return Err(YamlError::yaml(
                        None,
                        "document contains excessive aliasing",
                    ));
                }
                Some((value.clone(), *size))
            }
            Event::Scalar(text, style, anchor, tag) => {
                nodes += 1;
                if nodes > budget.max_nodes {
                    return Err(YamlError::yaml(
                        None,
                        "document contains excessive aliasing",
                    ));
                }
                // A plain `<<` in key position is go-yaml's merge key.
                if style == ScalarStyle::Plain
                    && text == "<<"
                    && tag.is_none()
                    && let Some(Frame::Map {
                        key: key @ None, ..
                    }) = stack.last_mut()
                {
                    *key = Some(PendingKey {
                        text: "<<".to_owned(),
                        line,
                        merge: true,
                    });
                    continue;
                }
                let value = resolve_scalar(&text, style, tag.as_deref());
                if anchor > 0 {
                    anchors.insert(anchor, (value.clone(), 1));
                }
                Some((value, 1))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                nodes += 1;
                if stack.len() >= budget.max_depth {
                    return Err(YamlError::yaml(
                        Some(line),
                        &format!("exceeded max depth of {}", budget.max_depth),
                    ));
                }
                if matches!(event, Event::SequenceStart(..)) {
                    stack.push(Frame::Seq {
                        items: Vec::new(),
                        anchor,
                    });
                } else {
                    stack.push(Frame::Map {
                        map: Map::new(),
                        lines: BTreeMap::new(),
                        key: None,
                        anchor,
                    });
                }
                sizes.push(nodes);
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let start_nodes = sizes.pop().unwrap_or(nodes);
                let size = nodes.saturating_sub(start_nodes) + 1;
                match stack.pop() {
                    Some(Frame::Seq { items, anchor }) => {
                        let value = Value::Array(items);
                        if anchor > 0 {
                            anchors.insert(anchor, (value.clone(), size));
                        }
                        Some((value, size))
                    }
                    Some(Frame::Map { map, anchor, .. }) => {
                        let value = Value::Object(map);
                        if anchor > 0 {
                            anchors.insert(anchor, (value.clone(), size));
                        }
                        Some((value, size))
                    }
                    None => None,
                }
            }
        };
        let Some((value, _size)) = completed else {
            continue;
        };
        let path = current_path(&stack);
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map {
                map, lines, key, ..
            }) => match key.take() {
                None => {
                    let text = key_text(&value).ok_or_else(|| {
                        YamlError::plain(format!(
                            "error converting YAML to JSON: Unsupported map key of type: {}",
                            go_type_name(&value)
                        ))
                    })?;
                    *key = Some(PendingKey {
                        text,
                        line,
                        merge: false,
                    });
                }
                Some(PendingKey {
                    merge: true, line, ..
                }) => merge_into(map, lines, value, line)?,
                Some(PendingKey { text, line, .. }) => {
                    if let Some(first_line) = lines.get(&text) {
                        duplicates.push(DuplicateKey {
                            key: text.clone(),
                            path,
                            first_line: *first_line,
                            line,
                        });
                    }
                    lines.insert(text.clone(), line);
                    map.insert(text, value);
                }
            },
        }
    }
    match root {
        None | Some(Value::Null) => Ok(None),
        Some(value) => Ok(Some((value, duplicates))),
    }
}

/// go-yaml's `<<`: the keys of a mapping (or of each mapping in a sequence) are merged in.
fn merge_into(
    map: &mut Map<String, Value>,
    lines: &mut BTreeMap<String, usize>,
    value: Value,
    line: usize,
) -> Result<(), YamlError> {
    let sources = match value {
        Value::Object(m) => vec![m],
        Value::Array(items) => {
            let mut maps = Vec::new();
            for item in items {
                match item {
                    Value::Object(m) => maps.push(m),
                    _ => {
                        return Err(YamlError::yaml(
                            Some(line),
                            "map merge requires map or sequence of maps as the value",
                        ));
                    }
                }
            }
            maps
        }
        _ => {
            return Err(YamlError::yaml(
                Some(line),
                "map merge requires map or sequence of maps as the value",
            ));
        }
    };
    for source in sources {
        for (k, v) in source {
            if !map.contains_key(&k) {
                lines.insert(k.clone(), line);
                map.insert(k, v);
            }
        }
    }
    Ok(())
}

fn current_path(stack: &[Frame]) -> String {
    let mut path = String::new();
    let len = stack.len();
    for frame in stack.iter().take(len.saturating_sub(1)) {
        match frame {
            Frame::Seq { items, .. } => path.push_str(&format!("[{}]", items.len())),
            Frame::Map { key, .. } => {
                if let Some(key) = key {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&key.text);
                }
            }
        }
    }
    path
}

/// sigs.k8s.io/yaml turns non-string keys into strings (`true`, `1`, `null`).
fn key_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null => Some("null".to_owned()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

fn go_type_name(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "[]interface {}",
        _ => "map[interface {}]interface {}",
    }
}

/// go-yaml v2's `resolve` for a scalar: quoted and block scalars are strings; plain ones
/// may be null, bool (YAML 1.1: `yes`/`no`/`on`/`off`/`y`/`n`), int (with `0x`, `0o`,
/// `0b`, leading-zero octal and `_`), float, or a string. Timestamps stay strings, as
/// go-yaml v2 does for `interface{}` targets.
fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag
        && (tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!")
    {
        match tag.suffix.as_str() {
            "str" => return Value::String(text.to_owned()),
            "null" => return Value::Null,
            "bool" | "int" | "float" => return resolve_plain(text),
            _ => {}
        }
    }
    if style != ScalarStyle::Plain {
        return Value::String(text.to_owned());
    }
    resolve_plain(text)
}

/// What go-yaml v2 makes of an unquoted scalar. Shared with the emitter, which must quote
/// every string that would read back as something else.
pub(crate) fn resolve_plain(text: &str) -> Value {
    match plain_kind(text) {
        PlainKind::Null => Value::Null,
        PlainKind::Bool(b) => Value::Bool(b),
        PlainKind::Int(i) => Value::Number(Number::from(i)),
        PlainKind::Uint(u) => Value::Number(Number::from(u)),
        PlainKind::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        PlainKind::String | PlainKind::Timestamp => Value::String(text.to_owned()),
    }
}

#[derive(Debug, PartialEq)]
pub(crate) enum PlainKind {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Timestamp,
    String,
}

pub(crate) fn plain_kind(text: &str) -> PlainKind {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return PlainKind::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return PlainKind::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return PlainKind::Bool(false);
        }
        ".nan" | ".NaN" | ".NAN" => return PlainKind::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return PlainKind::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return PlainKind::Float(f64::NEG_INFINITY),
        _ => {}
    }
    let Some(first) = text.bytes().next() else {
        return PlainKind::Null;
    };
    match first {
        b'.' => match parse_go_float(text) {
            Some(f) => PlainKind::Float(f),
            None => PlainKind::String,
        },
        b'0'..=b'9' | b'+' | b'-' => {
            if is_timestamp(text) {
                return PlainKind::Timestamp;
            }
            let plain: String = text.chars().filter(|c| *c != '_').collect();
            if let Some(i) = parse_go_int(&plain) {
                return PlainKind::Int(i);
            }
            if let Some(u) = parse_go_uint(&plain) {
                return PlainKind::Uint(u);
            }
            if is_yaml_style_float(&plain)
                && let Some(f) = parse_go_float(&plain)
            {
                return PlainKind::Float(f);
            }
            PlainKind::String
        }
        _ => PlainKind::String,
    }
}

/// `strconv.ParseInt(s, 0, 64)`.
fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = parse_go_uint(digits)?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            Some((magnitude as i128).wrapping_neg() as i64)
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// `strconv.ParseUint(s, 0, 64)`: base from the prefix (`0x`, `0o`, `0b`, `0`).
fn parse_go_uint(s: &str) -> Option<u64> {
    let (radix, digits) = if let Some(rest) = s.strip_prefix("0x").or(s.strip_prefix("0X")) {
        (16, rest)
    } else if let Some(rest) = s.strip_prefix("0o").or(s.strip_prefix("0O")) {
        (8, rest)
    } else if let Some(rest) = s.strip_prefix("0b").or(s.strip_prefix("0B")) {
        (2, rest)
    } else if s.len() > 1 && s.starts_with('0') {
        (8, &s[1..])
    } else {
        (10, s)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

fn parse_go_float(s: &str) -> Option<f64> {
    if !is_yaml_style_float(s) {
        return None;
    }
    s.parse::<f64>().ok()
}

/// go-yaml v2's `parseTimestamp`: four digits and a dash, then one of the allowed layouts
/// (`2006-1-2`, with an optional `T`/`t`/space time and zone).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let year = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if year != 4 || b.get(4) != Some(&b'-') {
        return false;
    }
    let mut i = 5;
    let number = |i: &mut usize, max: usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            *i += 1;
        }
        *i > start
    };
    if !number(&mut i, 2) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !number(&mut i, 2) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    if !matches!(b.get(i), Some(b'T' | b't' | b' ')) {
        return false;
    }
    i += 1;
    for part in 0..3 {
        if !number(&mut i, 2) {
            return false;
        }
        if part < 2 {
            if b.get(i) != Some(&b':') {
                return false;
            }
            i += 1;
        }
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !number(&mut i, 9) {
            return false;
        }
    }
    match b.get(i) {
        None => true,
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i += 1;
            number(&mut i, 2)
                && b.get(i) == Some(&b':')
                && {
                    i += 1;
                    number(&mut i, 2)
                }
                && i == b.len()
        }
        _ => false,
    }
}

/// saphyr's scanner/parser error → go-yaml's wording and line numbering. go-yaml reports
/// scanner errors at the problem's 1-based line but parser errors at its 0-based line
/// (`yaml.v2` `parser.fail`), which is why `did not find expected key` names the line
/// *before* the offending one.
fn scan_error(e: &ScanError, text: &str) -> YamlError {
    let info = e.info();
    let line = e.marker().line();
    // saphyr insists on indentation inside multi-line quoted scalars; go-yaml does not and
    // runs to the end of the input looking for the closing quote.
    let eof_line = text.matches('\n').count() + 1;
    if info == "invalid indentation in quoted scalar"
        || info == "unexpected eof"
        || info.contains("end of stream")
    {
        return YamlError::yaml(Some(eof_line), "found unexpected end of stream");
    }
    if info.starts_with("did not find expected <document") && text.trim_start().starts_with('%') {
        let directive_line = text
            .lines()
            .position(|l| l.trim_start().starts_with('%'))
            .map_or(1, |i| i + 1);
        // A scanner error: go-yaml omits the line when it is the first one.
        let shown = if directive_line <= 1 {
            None
        } else {
            Some(directive_line)
        };
        return YamlError::yaml(shown, "found unknown directive name");
    }
    if info == "while parsing node, found unknown anchor" {
        // go-yaml names the anchor and gives no line.
        let name: String = text
            .chars()
            .skip(e.marker().index())
            .skip_while(|c| *c == '*')
            .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
            .collect();
        return YamlError::yaml(None, &format!("unknown anchor '{name}' referenced"));
    }
    let (parser_error, problem) = if let Some(rest) = info.strip_prefix("while parsing a ") {
        let problem = rest.split_once(", ").map_or(rest, |(_, p)| p);
        let problem = match problem {
            "expected ',' or ']'" => "did not find expected ',' or ']'",
            other => other,
        };
        let scanner = rest.starts_with("quoted scalar") || rest.starts_with("tag");
        (!scanner, problem.to_owned())
    } else if info.starts_with("unexpected character")
        || info.starts_with("tab")
        || info.starts_with("tabs")
    {
        (
            false,
            "found character that cannot start any token".to_owned(),
        )
    } else if info == "misplaced bracket" {
        (true, "did not find expected node content".to_owned())
    } else if info == "illegal placement of ':' indicator" {
        // An unclosed `[` followed by the next `key:` line.
        (true, "did not find expected ',' or ']'".to_owned())
    } else if info == "simple key expect ':'" {
        (false, "could not find expected ':'".to_owned())
    } else if info == "unexpected eof" || info.contains("end of stream") {
        (false, "found unexpected end of stream".to_owned())
    } else if info.starts_with("did not find expected <document") {
        (true, "did not find expected <document start>".to_owned())
    } else if info == "while parsing node, found unknown anchor" {
        (true, "found undefined alias".to_owned())
    } else {
        (false, info.to_owned())
    };
    // go-yaml prints no line when the problem is on the first line (its 0-based line 0).
    let line = if parser_error || line <= 1 {
        line.saturating_sub(1)
    } else {
        line
    };
    YamlError::yaml(Some(line), &problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(text: &str) -> Value {
        let docs = parse_manifest(text, Budget::default()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(docs.len(), 1, "{docs:?}");
        docs.into_iter().next().map(|d| d.value).unwrap_or_default()
    }

    #[test]
    fn plain_scalars_resolve_like_go_yaml_v2() {
        let cases: &[(&str, Value)] = &[
            ("yes", json!(true)),
            ("Off", json!(false)),
            ("n", json!(false)),
            ("~", Value::Null),
            ("", Value::Null),
            ("8080", json!(8080)),
            ("0x1F", json!(31)),
            ("010", json!(8)),
            ("0o17", json!(15)),
            ("1_000", json!(1000)),
            ("-42", json!(-42)),
            ("1.5", json!(1.5)),
            ("1e3", json!(1000.0)),
            ("2026-11-26", json!("2026-11-26")),
            ("12:30", json!("12:30")),
            (
                "jenkins/jenkins:lts-jdk11",
                json!("jenkins/jenkins:lts-jdk11"),
            ),
            ("18446744073709551615", json!(18_446_744_073_709_551_615u64)),
        ];
        for (text, expected) in cases {
            assert_eq!(&resolve_plain(text), expected, "{text:?}");
        }
    }

    #[test]
    fn quoted_scalars_and_str_tags_stay_strings() {
        let v = one("a: '8080'\nb: \"true\"\nc: !!str 12\nd: |\n  x\n");
        assert_eq!(v, json!({"a": "8080", "b": "true", "c": "12", "d": "x\n"}));
    }

    #[test]
    fn a_repeated_key_replaces_the_earlier_value_and_is_recorded_with_its_lines() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 1\nkind: Service\n";
        let docs = parse_manifest(text, Budget::default()).unwrap_or_default();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].value["kind"], json!("Service"));
        assert_eq!(
            docs[0].duplicates,
            vec![DuplicateKey {
                key: "kind".to_owned(),
                path: String::new(),
                first_line: 2,
                line: 5
            }]
        );
    }

    #[test]
    fn documents_are_split_at_dash_lines_and_empty_ones_are_skipped() {
        let text = "---\na: 1\n---\n# only a comment\n---\nb: 2\n";
        let docs = parse_manifest(text, Budget::default()).unwrap_or_default();
        let values: Vec<_> = docs.iter().map(|d| d.value.clone()).collect();
        assert_eq!(values, vec![json!({"a": 1}), json!({"b": 2})]);
        assert_eq!(docs[1].first_line, 6);
    }

    #[test]
    fn duplicate_lines_count_from_the_start_of_the_whole_file() {
        let text = "a: 1\n---\nb: 1\nb: 2\n";
        let docs = parse_manifest(text, Budget::default()).unwrap_or_default();
        assert_eq!(docs[1].duplicates[0].line, 4);
        assert_eq!(docs[1].duplicates[0].first_line, 3);
    }

    #[test]
    fn json_input_is_read_as_json() {
        let v = one("{\"kind\": \"Namespace\", \"metadata\": {\"name\": \"blue\"}}");
        assert_eq!(v["metadata"]["name"], json!("blue"));
    }

    #[test]
    fn anchors_aliases_and_merge_keys_expand() {
        let v = one("base: &b {x: 1, z: 2}\nother:\n  <<: *b\n  z: 3\nlist: [*b]\ny: n\n");
        assert_eq!(v["other"], json!({"x": 1, "z": 3}));
        assert_eq!(v["list"], json!([{"x": 1, "z": 2}]));
        // YAML 1.1: the key `y` is the boolean true, and `n` is false.
        assert_eq!(v["true"], json!(false));
    }

    #[test]
    fn an_alias_bomb_is_refused_with_go_yamls_message() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let err = parse_manifest(&text, Budget::default())
            .err()
            .map(|(_, e)| e.message);
        assert_eq!(
            err.as_deref(),
            Some("error converting YAML to JSON: yaml: document contains excessive aliasing")
        );
    }

    #[test]
    fn deep_nesting_stops_at_the_depth_budget() {
        let deep = "[".repeat(5000);
        let err = parse_manifest(&format!("a: {deep}"), Budget::default())
            .err()
            .map(|(_, e)| e.message);
        assert!(
            err.as_deref()
                .is_some_and(|m| m.contains("max depth") || m.contains("recursion limit")),
            "{err:?}"
        );
        let mut block = String::new();
        for i in 0..300 {
            block.push_str(&" ".repeat(i));
            block.push_str("a:\n");
        }
        let err = parse_manifest(&block, Budget::default())
            .err()
            .map(|(_, e)| e.message);
        assert_eq!(
            err.as_deref(),
            Some("error converting YAML to JSON: yaml: line 101: exceeded max depth of 100")
        );
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        let budget = Budget {
            max_bytes: 10,
            ..Budget::default()
        };
        assert!(parse_manifest("a: 123456789012", budget).is_err());
    }

    #[test]
    fn a_separator_followed_by_text_is_kubectls_error() {
        let err = parse_manifest("a: 1\n--- x\nb: 2\n", Budget::default())
            .err()
            .map(|(docs, e)| (docs.len(), e.message));
        assert_eq!(
            err,
            Some((0, "invalid Yaml document separator: x".to_owned()))
        );
    }

    #[test]
    fn timestamps_are_recognised_only_in_go_yamls_layouts() {
        assert!(is_timestamp("2026-11-26"));
        assert!(is_timestamp("2026-11-26T09:00:00Z"));
        assert!(is_timestamp("2026-1-2 3:04:05.5"));
        assert!(is_timestamp("2026-11-26T09:00:00+09:00"));
        assert!(!is_timestamp("2026-11"));
        assert!(!is_timestamp("20261-1-1"));
        assert!(!is_timestamp("2026-11-26x"));
    }
}
