//! Manifest text → JSON values, as kubectl converts YAML to JSON before sending it (so a
//! repeated key silently replaces the earlier one), with positions and budgets; and JSON
//! values → YAML text as `kubectl -o yaml` prints it, and → JSON text as `-o json` prints it.
//!
//! kubectl 1.32 reads a manifest with apimachinery's `YAMLOrJSONDecoder`: the file is cut
//! into documents at `---` lines, and each document goes through sigs.k8s.io/yaml (go-yaml
//! v2, YAML 1.1 scalars) on its own — so line numbers in errors count from the start of the
//! document, exactly as kubectl prints them. We do the same with `saphyr-parser` events.
//!
//! This module knows nothing about Kubernetes kinds: it turns text into values and back.

mod emit;
mod json;
mod parse;

pub use emit::to_yaml;
pub use json::{KeyOrder, to_json_compact, to_json_pretty, to_json_pretty_ordered};
pub use parse::{Budget, Document, DuplicateKey, YamlError, parse_manifest};
