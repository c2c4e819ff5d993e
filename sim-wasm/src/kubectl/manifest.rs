//! `-f FILE` as kubectl's resource builder reads it: files from the student's home (or `-`
//! for stdin), documents through `yaml::parse_manifest`, `kind: List` flattened, the kind
//! mapped to a served resource, and the namespace filled in — with kubectl's messages for
//! each failure, and Korean hints for silently replaced duplicate keys.

use crate::api::Ptr;
use serde_json::Value;

use super::Ctx;
use crate::api::Kind;
use crate::yaml::{Budget, Document, parse_manifest, to_json_compact};

/// One object read from a manifest.
pub struct Item {
    pub kind: Kind,
    pub value: Value,
    pub source: String,
    pub namespace: String,
    pub name: String,
}

/// What reading the `-f` arguments produced, in order: objects, or per-object errors
/// (already formatted as kubectl prints them, without the `error: ` prefix).
pub enum Entry {
    Object(Box<Item>),
    Error(String),
}

/// Reads every `-f` argument. `Err` is a fatal error printed as `error: ...` before
/// anything happens (a path that does not exist).
pub fn read(
    ctx: &mut Ctx<'_>,
    filenames: &[String],
    namespace: &str,
    explicit_namespace: bool,
) -> Result<Vec<Entry>, String> {
    let mut texts = Vec::new();
    for f in filenames {
        if f == "-" {
            texts.push(("STDIN".to_owned(), ctx.stdin.to_owned()));
            continue;
        }
        match ctx.files.read(f) {
            Some(t) => texts.push((f.clone(), t.to_owned())),
            None => return Err(format!("the path \"{f}\" does not exist")),
        }
    }
    let mut entries = Vec::new();
    for (source, text) in texts {
        let (docs, error) = match parse_manifest(&text, Budget::default()) {
            Ok(docs) => (docs, None),
            Err((docs, e)) => (docs, Some(e)),
        };
        for doc in &docs {
            ctx.hints.extend(duplicate_hints(&source, &text, doc));
        }
        for doc in docs {
            for value in flatten(doc.value) {
                entries.push(to_entry(value, &source, namespace, explicit_namespace));
            }
        }
        if let Some(e) = error {
            entries.push(Entry::Error(format!("error parsing {source}: {e}")));
            break;
        }
    }
    Ok(entries)
}

fn flatten(value: Value) -> Vec<Value> {
    let is_list = value
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| k == "List" || k.ends_with("List"))
        && value.get("items").is_some();
    if is_list {
        value
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    } else {
        vec![value]
    }
}

fn to_entry(mut value: Value, source: &str, namespace: &str, explicit: bool) -> Entry {
    let kind_text = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if kind_text.is_empty() {
        return Entry::Error(format!(
            "unable to decode \"{source}\": Object 'Kind' is missing in '{}'",
            to_json_compact(&value)
        ));
    }
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let name = value
        .ptr("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let Some(kind) = Kind::from_type(&api_version, &kind_text) else {
        let obj_ns = value
            .ptr("/metadata/namespace")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Entry::Error(format!(
            "resource mapping not found for name: \"{name}\" namespace: \"{obj_ns}\" from \"{source}\": no matches for kind \"{kind_text}\" in version \"{api_version}\"\nensure CRDs are installed first"
        ));
    };
    let mut ns = String::new();
    if kind.namespaced() {
        let obj_ns = value
            .ptr("/metadata/namespace")
            .and_then(Value::as_str)
            .map(str::to_owned);
        match obj_ns {
            Some(o) if explicit && o != namespace => {
                return Entry::Error(format!(
                    "the namespace from the provided object \"{o}\" does not match the namespace \"{namespace}\". You must pass '--namespace={o}' to perform this operation."
                ));
            }
            Some(o) => ns = o,
            None => {
                ns = namespace.to_owned();
                if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.insert("namespace".to_owned(), Value::String(ns.clone()));
                } else if let Some(o) = value.as_object_mut() {
                    o.insert("metadata".to_owned(), serde_json::json!({"namespace": ns}));
                }
            }
        }
    }
    Entry::Object(Box::new(Item {
        kind,
        value,
        source: source.to_owned(),
        namespace: ns,
        name,
    }))
}

/// Korean hints for keys that silently replaced earlier ones (fidelity.md §9).
fn duplicate_hints(source: &str, text: &str, doc: &Document) -> Vec<String> {
    let mut hints = Vec::new();
    let top: Vec<_> = doc
        .duplicates
        .iter()
        .filter(|d| d.path.is_empty())
        .collect();
    let document_restarts = top.iter().any(|d| d.key == "apiVersion" || d.key == "kind");
    if document_restarts {
        let start = top.iter().map(|d| d.line).min().unwrap_or(0);
        let lost_kind = top
            .iter()
            .find(|d| d.key == "kind")
            .and_then(|d| text.lines().nth(d.first_line.saturating_sub(1)))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default();
        let keys: Vec<&str> = top.iter().map(|d| d.key.as_str()).collect();
        let lost = if lost_kind.is_empty() {
            "앞 문서의 오브젝트".to_owned()
        } else {
            format!("앞 문서의 {lost_kind}")
        };
        hints.push(format!(
            "{source} {start}번째 줄에서 새 오브젝트가 시작되지만 그 앞에 문서 구분선 `---`이 없습니다. kubectl은 두 오브젝트를 한 문서로 읽고 겹치는 키({})를 경고 없이 뒤의 값으로 덮어쓰므로 {lost}는 만들어지지 않았습니다. {start}번째 줄 앞에 `---` 한 줄을 넣으세요.",
            keys.join(", ")
        ));
    }
    for d in &doc.duplicates {
        if d.path.is_empty() && document_restarts {
            continue;
        }
        let full = if d.path.is_empty() {
            d.key.clone()
        } else {
            format!("{}.{}", d.path, d.key)
        };
        hints.push(format!(
            "{source} {}번째 줄의 `{full}` 키는 {}번째 줄에 이미 있습니다. kubectl은 경고 없이 뒤의 값만 사용합니다.",
            d.line, d.first_line
        ));
    }
    hints
}
