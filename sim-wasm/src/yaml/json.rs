//! JSON text as Go's `encoding/json` writes it: keys sorted (maps), `<`, `>`, `&`, U+2028 and
//! U+2029 escaped, `-o json` indented with four spaces. Written by hand so that the output
//! does not depend on serde_json's feature flags (`preserve_order` would reorder keys).

use serde_json::Value;

/// `json.MarshalIndent(v, "", "    ")` followed by a newline, as `kubectl -o json` prints.
pub fn to_json_pretty(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, Some(0));
    out.push('\n');
    out
}

/// `json.Marshal(v)`, as in the `last-applied-configuration` annotation.
pub fn to_json_compact(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, None);
    out
}

/// Orders the keys of the object found at a path (`["spec", "ports", "[]"]`).
pub type KeyOrder<'a> = &'a dyn Fn(&[String], &mut Vec<&String>);

/// Like [`to_json_pretty`], but with the key order of Go structs (what kubectl prints for
/// typed objects such as `create deployment --dry-run=client -o json`), decided by `order`.
pub fn to_json_pretty_ordered(value: &Value, order: KeyOrder<'_>) -> String {
    let mut out = String::new();
    let mut path = Vec::new();
    write_ordered(&mut out, value, 0, &mut path, order);
    out.push('\n');
    out
}

fn write_ordered(
    out: &mut String,
    value: &Value,
    depth: usize,
    path: &mut Vec<String>,
    order: KeyOrder<'_>,
) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, Some(depth + 1));
                path.push("[]".to_owned());
                write_ordered(out, item, depth + 1, path, order);
                path.pop();
            }
            newline(out, Some(depth));
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            let mut keys: Vec<&String> = map.keys().collect();
            crate::sort::sort(&mut keys);
            order(path, &mut keys);
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, Some(depth + 1));
                string(out, key);
                out.push_str(": ");
                if let Some(v) = map.get(key) {
                    path.push(key.clone());
                    write_ordered(out, v, depth + 1, path, order);
                    path.pop();
                }
            }
            newline(out, Some(depth));
            out.push('}');
        }
        other => write(out, other, Some(depth)),
    }
}

fn write(out: &mut String, value: &Value, indent: Option<usize>) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent.map(|d| d + 1));
                write(out, item, indent.map(|d| d + 1));
            }
            newline(out, indent);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            let mut keys: Vec<&String> = map.keys().collect();
            crate::sort::sort(&mut keys);
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent.map(|d| d + 1));
                string(out, key);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                if let Some(v) = map.get(key) {
                    write(out, v, indent.map(|d| d + 1));
                }
            }
            newline(out, indent);
            out.push('}');
        }
    }
}

fn newline(out: &mut String, indent: Option<usize>) {
    if let Some(depth) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("    ");
        }
    }
}

fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pretty_json_uses_four_spaces_and_go_escapes() {
        let v = json!({"b": [1, {}], "a": "<x&y>", "c": []});
        assert_eq!(
            to_json_pretty(&v),
            "{\n    \"a\": \"\\u003cx\\u0026y\\u003e\",\n    \"b\": [\n        1,\n        {}\n    ],\n    \"c\": []\n}\n"
        );
        assert_eq!(
            to_json_compact(&v),
            "{\"a\":\"\\u003cx\\u0026y\\u003e\",\"b\":[1,{}],\"c\":[]}"
        );
    }
}
