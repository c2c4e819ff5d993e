//! `serde_json::Value` → YAML text exactly as `kubectl -o yaml` prints it: sigs.k8s.io/yaml's
//! `JSONToYAML` over go-yaml v2's emitter (keys sorted bytewise, two-space indentation,
//! sequences at their parent's indentation, `{}`/`[]` for empty collections, strings quoted
//! when they would read back as another type, lines folded after column 80).

use serde_json::Value;

use super::parse::{PlainKind, plain_kind};

/// go-yaml's `best_width`: plain and quoted scalars fold at a space once past this column.
const BEST_WIDTH: usize = 80;

/// The YAML document kubectl prints for `value` (ends with a newline).
pub fn to_yaml(value: &Value) -> String {
    let mut e = Emitter::default();
    match value {
        Value::Object(map) if !map.is_empty() => e.mapping(value, 0),
        Value::Array(items) if !items.is_empty() => e.sequence(value, 0),
        other => {
            e.scalar_or_empty(other, 0, false);
            e.newline();
        }
    }
    e.out
}

#[derive(Default)]
struct Emitter {
    out: String,
    column: usize,
}

impl Emitter {
    fn put(&mut self, s: &str) {
        self.out.push_str(s);
        self.column += s.chars().count();
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn indent_to(&mut self, indent: usize) {
        self.newline();
        for _ in 0..indent {
            self.out.push(' ');
        }
        self.column = indent;
    }

    /// Block mapping whose keys start at column `indent`; the cursor is at that column
    /// (or after `- ` of a sequence item) when called. Ends after a newline.
    fn mapping(&mut self, value: &Value, indent: usize) {
        let Value::Object(map) = value else {
            return;
        };
        let mut keys: Vec<&String> = map.keys().collect();
        crate::sort::sort_by(&mut keys, |a, b| go_yaml_key_order(a, b));
        for (i, key) in keys.into_iter().enumerate() {
            if i > 0 {
                for _ in 0..indent {
                    self.out.push(' ');
                }
                self.column = indent;
            }
            self.string(key, indent + 2, true);
            self.put(":");
            let Some(child) = map.get(key) else {
                continue;
            };
            match child {
                Value::Object(m) if !m.is_empty() => {
                    self.newline();
                    for _ in 0..indent + 2 {
                        self.out.push(' ');
                    }
                    self.column = indent + 2;
                    self.mapping(child, indent + 2);
                }
                Value::Array(items) if !items.is_empty() => {
                    self.newline();
                    for _ in 0..indent {
                        self.out.push(' ');
                    }
                    self.column = indent;
                    self.sequence(child, indent);
                }
                other => {
                    self.put(" ");
                    self.scalar_or_empty(other, indent + 2, false);
                    self.newline();
                }
            }
        }
    }

    /// Block sequence with `- ` at column `indent`; the cursor is at that column.
    fn sequence(&mut self, value: &Value, indent: usize) {
        let Value::Array(items) = value else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                for _ in 0..indent {
                    self.out.push(' ');
                }
                self.column = indent;
            }
            self.put("-");
            match item {
                Value::Object(m) if !m.is_empty() => {
                    self.put(" ");
                    self.mapping(item, indent + 2);
                }
                Value::Array(inner) if !inner.is_empty() => {
                    self.put(" ");
                    self.sequence(item, indent + 2);
                }
                other => {
                    self.put(" ");
                    self.scalar_or_empty(other, indent + 2, false);
                    self.newline();
                }
            }
        }
    }

    fn scalar_or_empty(&mut self, value: &Value, indent: usize, key: bool) {
        match value {
            Value::Null => self.put("null"),
            Value::Bool(b) => self.put(if *b { "true" } else { "false" }),
            Value::Number(n) => {
                let text = go_number(n);
                self.put(&text);
            }
            Value::String(s) => self.string(s, indent, key),
            Value::Array(_) => self.put("[]"),
            Value::Object(_) => self.put("{}"),
        }
    }

    /// go-yaml v2 `encoder.stringv` + the emitter's style selection.
    fn string(&mut self, s: &str, indent: usize, key: bool) {
        let analysis = Analysis::of(s);
        let resolves_to_string = matches!(plain_kind(s), PlainKind::String) && !is_base60_float(s);
        let wants_literal = s.contains('\n');
        let style = if wants_literal {
            if analysis.block_allowed && !key {
                Style::Literal
            } else {
                Style::Double
            }
        } else if resolves_to_string {
            if analysis.block_plain_allowed {
                Style::Plain
            } else if analysis.single_quoted_allowed {
                Style::Single
            } else {
                Style::Double
            }
        } else {
            Style::Double
        };
        let allow_breaks = !key;
        match style {
            Style::Plain => self.plain(s, indent, allow_breaks),
            Style::Single => self.single(s, indent, allow_breaks),
            Style::Double => self.double(s, indent, allow_breaks),
            Style::Literal => self.literal(s, indent),
        }
    }

    fn plain(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_is_space {
                    self.indent_to(indent);
                } else {
                    self.put(" ");
                }
                spaces = true;
            } else {
                self.put_char(c);
                spaces = false;
            }
        }
    }

    fn single(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        self.put("'");
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i != chars.len() - 1
                    && !next_is_space
                {
                    self.indent_to(indent);
                } else {
                    self.put(" ");
                }
                spaces = true;
            } else {
                if c == '\'' {
                    self.put("'");
                }
                self.put_char(c);
                spaces = false;
            }
        }
        self.put("'");
    }

    fn double(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        let chars: Vec<char> = s.chars().collect();
        self.put("\"");
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{feff}' || c == '\n' || c == '"' || c == '\\' {
                let escaped = match c {
                    '\0' => "\\0".to_owned(),
                    '\u{7}' => "\\a".to_owned(),
                    '\u{8}' => "\\b".to_owned(),
                    '\t' => "\\t".to_owned(),
                    '\n' => "\\n".to_owned(),
                    '\u{b}' => "\\v".to_owned(),
                    '\u{c}' => "\\f".to_owned(),
                    '\r' => "\\r".to_owned(),
                    '\u{1b}' => "\\e".to_owned(),
                    '"' => "\\\"".to_owned(),
                    '\\' => "\\\\".to_owned(),
                    '\u{85}' => "\\N".to_owned(),
                    '\u{a0}' => "\\_".to_owned(),
                    '\u{2028}' => "\\L".to_owned(),
                    '\u{2029}' => "\\P".to_owned(),
                    c if (c as u32) <= 0xff => format!("\\x{:02X}", c as u32),
                    c if (c as u32) <= 0xffff => format!("\\u{:04X}", c as u32),
                    c => format!("\\U{:08X}", c as u32),
                };
                self.put(&escaped);
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i != chars.len() - 1
                {
                    self.indent_to(indent);
                    if chars.get(i + 1) == Some(&' ') {
                        self.put("\\");
                    }
                } else {
                    self.put(" ");
                }
                spaces = true;
            } else {
                self.put_char(c);
                spaces = false;
            }
        }
        self.put("\"");
    }

    fn literal(&mut self, s: &str, indent: usize) {
        self.put("|");
        if s.starts_with(' ') || s.starts_with('\n') {
            self.put("2");
        }
        let chomp = if !s.ends_with('\n') {
            "-"
        } else if s == "\n" || s[..s.len() - 1].ends_with('\n') {
            "+"
        } else {
            ""
        };
        self.put(chomp);
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            self.newline();
            if !line.is_empty() {
                for _ in 0..indent {
                    self.out.push(' ');
                }
                self.column = indent;
                self.put(line);
            }
        }
    }

    fn put_char(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }
}

/// go-yaml v2's `keyList.Less`: runs of digits compare as numbers (`k2` before `k10`), and
/// a letter sorts after a non-letter.
fn go_yaml_key_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let less = |x: bool| if x { Ordering::Less } else { Ordering::Greater };
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return less(bl);
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// libyaml's `yaml_emitter_analyze_scalar`, reduced to the block-context answers.
struct Analysis {
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

impl Analysis {
    fn of(s: &str) -> Analysis {
        if s.is_empty() {
            return Analysis {
                block_plain_allowed: true,
                single_quoted_allowed: true,
                block_allowed: false,
            };
        }
        let chars: Vec<char> = s.chars().collect();
        let mut block_indicators = s.starts_with("---") || s.starts_with("...");
        let mut special = false;
        let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
            (false, false, false, false);
        let (mut break_space, mut space_break, mut line_breaks) = (false, false, false);
        let (mut previous_space, mut previous_break) = (false, false);
        let mut preceded_by_whitespace = true;
        let last = chars.len() - 1;
        for (i, &c) in chars.iter().enumerate() {
            let followed_by_whitespace = chars.get(i + 1).is_none_or(|n| is_blank_or_break(*n));
            if i == 0 {
                match c {
                    '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\''
                    | '"' | '%' | '@' | '`' => block_indicators = true,
                    '?' | ':' if followed_by_whitespace => block_indicators = true,
                    '-' if followed_by_whitespace => block_indicators = true,
                    _ => {}
                }
            } else {
                match c {
                    ':' if followed_by_whitespace => block_indicators = true,
                    '#' if preceded_by_whitespace => block_indicators = true,
                    _ => {}
                }
            }
            if !is_printable(c) || c == '\u{feff}' {
                special = true;
            }
            if c == ' ' {
                if i == 0 {
                    leading_space = true;
                }
                if i == last {
                    trailing_space = true;
                }
                if previous_break {
                    break_space = true;
                }
                previous_space = true;
                previous_break = false;
            } else if is_break(c) {
                line_breaks = true;
                if i == 0 {
                    leading_break = true;
                }
                if i == last {
                    trailing_break = true;
                }
                if previous_space {
                    space_break = true;
                }
                previous_break = true;
                previous_space = false;
            } else {
                previous_space = false;
                previous_break = false;
            }
            preceded_by_whitespace = is_blank_or_break(c);
        }
        let mut block_plain_allowed = true;
        let mut single_quoted_allowed = true;
        let mut block_allowed = true;
        if leading_space || leading_break || trailing_space || trailing_break {
            block_plain_allowed = false;
        }
        if trailing_space {
            block_allowed = false;
        }
        if break_space {
            block_plain_allowed = false;
            single_quoted_allowed = false;
        }
        if space_break || special {
            block_plain_allowed = false;
            single_quoted_allowed = false;
            block_allowed = false;
        }
        if line_breaks || block_indicators {
            block_plain_allowed = false;
        }
        Analysis {
            block_plain_allowed,
            single_quoted_allowed,
            block_allowed,
        }
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank_or_break(c: char) -> bool {
    c == ' ' || c == '\t' || is_break(c)
}

/// libyaml's `is_printable` (tab is not printable, so tabs force double quotes).
fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || u == 0x85
        || (0xA0..=0xD7FF).contains(&u)
        || (0xE000..=0xFFFD).contains(&u) && u != 0xFEFF
        || (0x10000..=0x10FFFF).contains(&u)
}

/// go-yaml v2 quotes strings like `12:30` that YAML 1.1 would read as sexagesimal numbers.
fn is_base60_float(s: &str) -> bool {
    // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) && i - start < 2 {
            i += 1;
        }
        let group = &b[start..i];
        let ok = match group {
            [d] => d.is_ascii_digit(),
            [a, _] => (b'0'..=b'5').contains(a),
            _ => false,
        };
        if !ok {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// Numbers as go-yaml prints Go's `int`/`float64` (`strconv.FormatFloat(f, 'g', -1, 64)`).
fn go_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.is_nan() {
        return ".nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    let exp = if f == 0.0 {
        0
    } else {
        f.abs().log10().floor() as i32
    };
    if !(-4..21).contains(&exp) {
        let s = format!("{f:e}");
        // Rust: 1e21, 1.5e-5; Go: 1e+21, 1.5e-05.
        if let Some((mantissa, e)) = s.split_once('e') {
            let (sign, digits) = match e.strip_prefix('-') {
                Some(d) => ("-", d),
                None => ("+", e),
            };
            return format!("{mantissa}e{sign}{digits:0>2}");
        }
        return s;
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_objects_sort_keys_and_put_sequences_at_the_parent_indent() {
        let v = json!({
            "kind": "Service",
            "apiVersion": "v1",
            "spec": {"ports": [{"port": 8080, "protocol": "TCP", "targetPort": 8080}], "selector": {"app": "x"}},
            "status": {"loadBalancer": {}},
            "metadata": {"creationTimestamp": null, "labels": {}, "list": []}
        });
        assert_eq!(
            to_yaml(&v),
            "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels: {}\n  list: []\nspec:\n  ports:\n  - port: 8080\n    protocol: TCP\n    targetPort: 8080\n  selector:\n    app: x\nstatus:\n  loadBalancer: {}\n"
        );
    }

    #[test]
    fn nested_sequences_and_scalar_items_are_dashed() {
        let v = json!({"a": [["x", "y"], "z", {}]});
        assert_eq!(to_yaml(&v), "a:\n- - x\n  - \"y\"\n- z\n- {}\n");
    }

    #[test]
    fn base60_lookalikes_are_detected() {
        assert!(is_base60_float("12:30"));
        assert!(is_base60_float("1:2:3.5"));
        assert!(!is_base60_float("12:60"));
        assert!(!is_base60_float("8080"));
        assert!(!is_base60_float("a:1"));
    }

    #[test]
    fn floats_print_like_go() {
        assert_eq!(to_yaml(&json!(1.5)), "1.5\n");
        assert_eq!(to_yaml(&json!(1e21)), "1e+21\n");
        assert_eq!(to_yaml(&json!(0.00001)), "1e-05\n");
    }

    #[test]
    fn literal_blocks_get_an_indentation_hint_when_they_start_with_a_space() {
        assert_eq!(to_yaml(&json!({"a": " x\ny\n"})), "a: |2\n   x\n  y\n");
        assert_eq!(to_yaml(&json!({"a": "x\n\n"})), "a: |+\n  x\n\n");
        assert_eq!(to_yaml(&json!(["x\ny"])), "- |-\n  x\n  y\n");
    }
}
