//! A small path language into JSON objects for state checks: `.spec.ports[0].port`,
//! `.metadata.labels["app.kubernetes.io/name"]`. It is kubectl's JSONPath without braces,
//! filters or wildcards: checks name one value, so one value is all a path can reach.

use serde_json::Value;

/// A parsed path; [`JsonPath::parse`] never panics and rejects anything it cannot follow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonPath {
    segments: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl JsonPath {
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let mut segments = Vec::new();
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err("empty path".to_owned());
        }
        if !rest.starts_with(['.', '[']) {
            return Err(format!("path must start with '.': {text}"));
        }
        while !rest.is_empty() {
            if let Some(after_dot) = rest.strip_prefix('.') {
                let end = after_dot.find(['.', '[']).unwrap_or(after_dot.len());
                let (key, tail) = after_dot.split_at(end);
                if key.is_empty() || key.contains([']', '"', ' ']) {
                    return Err(format!("bad key {key:?} in path: {text}"));
                }
                segments.push(Segment::Key(key.to_owned()));
                rest = tail;
            } else if let Some(after_bracket) = rest.strip_prefix('[') {
                let end = after_bracket
                    .find(']')
                    .ok_or_else(|| format!("unclosed '[' in path: {text}"))?;
                let (inside, tail) = after_bracket.split_at(end);
                let segment = match inside
                    .strip_prefix('"')
                    .and_then(|quoted| quoted.strip_suffix('"'))
                {
                    Some(key) => Segment::Key(key.to_owned()),
                    None => Segment::Index(
                        inside
                            .parse()
                            .map_err(|_| format!("bad index [{inside}] in path: {text}"))?,
                    ),
                };
                segments.push(segment);
                rest = tail.get(1..).unwrap_or_default();
            } else {
                return Err(format!("unexpected text in path: {text}"));
            }
        }
        Ok(JsonPath { segments })
    }

    /// The value the path names, or `None` when any step is missing.
    pub fn lookup<'v>(&self, root: &'v Value) -> Option<&'v Value> {
        self.segments
            .iter()
            .try_fold(root, |value, segment| match segment {
                Segment::Key(key) => value.get(key.as_str()),
                Segment::Index(index) => value.get(*index),
            })
    }
}
