//! The JavaScript facade (wasm32 only): an opaque `Sim` handle over [`crate::Cluster`].
//!
//! All conversions between Rust and JS values live here and nothing else does: every method
//! converts its arguments, makes exactly one call into the core, and converts the result back.
//! Structured results cross the boundary as one JSON string (parsed by `web/src/sim.js`)
//! because that costs a few hundred bytes of glue instead of the kilobytes that
//! `serde-wasm-bindgen`/`js-sys` object building would add to the download.

use wasm_bindgen::prelude::*;

use crate::yaml::{Document, YamlError};
use crate::{Cluster, ClusterConfig, Cni, Output, SimTime};

/// One simulated cluster plus the student's shell, as the browser terminal sees it.
#[wasm_bindgen]
pub struct Sim {
    cluster: Cluster,
}

#[wasm_bindgen]
impl Sim {
    /// A fresh cluster. `seed` is a JS `BigInt` (`u64`), so every seed the native CLI accepts
    /// can be reproduced in the browser.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u64) -> Sim {
        Sim {
            cluster: Cluster::new(seed, ClusterConfig { cni: Cni::Calico }),
        }
    }

    /// Runs one typed line (or several separated by `\n`). Returns the JSON text of
    /// `{stdout, stderr, display, exitCode, continuation, prompt, traces}`; `prompt` is the prompt to
    /// show next, so the terminal needs no second call per line.
    pub fn exec(&mut self, line: &str) -> String {
        let output = self.cluster.exec(line);
        output_json(&output, &self.cluster.prompt())
    }

    /// Ctrl+C: drops an unfinished heredoc and sets `$?` to 130.
    pub fn interrupt(&mut self) {
        self.cluster.interrupt();
    }

    /// The prompt to show before the next line (`user@master:~$ `, or `> ` in a heredoc).
    pub fn prompt(&self) -> String {
        self.cluster.prompt()
    }

    /// Writes a file in the student's home directory (the editor's save).
    #[wasm_bindgen(js_name = writeFile)]
    pub fn write_file(&mut self, path: &str, contents: &str) {
        self.cluster.write_file(path, contents);
    }

    /// Paths that complete `word` in the student's current directory (directories end in
    /// `/`), for the terminal's Tab.
    #[wasm_bindgen(js_name = completePath)]
    pub fn complete_path(&self, word: &str) -> Vec<String> {
        self.cluster.complete_path(word)
    }

    /// The file's text, or `undefined` when it does not exist.
    #[wasm_bindgen(js_name = readFile)]
    pub fn read_file(&self, path: &str) -> Option<String> {
        self.cluster.read_file(path)
    }

    /// Moves the virtual clock to `ms` milliseconds after the cluster's creation. A JS number
    /// arrives as `f64`; `as` saturates (negative and NaN become 0), and the core never moves
    /// the clock backwards.
    #[wasm_bindgen(js_name = advanceTo)]
    pub fn advance_to(&mut self, ms: f64) {
        self.cluster.advance_to(SimTime::from_millis(ms as u64));
    }

    /// The JSON text of the cluster map's [`crate::view::ClusterView`] (nodes, pods,
    /// services with endpoints). Serializing plain structs cannot fail; an empty string
    /// would make the map keep its last drawing.
    pub fn view(&self) -> String {
        serde_json::to_string(&crate::view::cluster_view(self.cluster.store())).unwrap_or_default()
    }

    /// What `kubectl apply -f` would say about a manifest's YAML, without applying it (the
    /// editor's live diagnostics): JSON of `{documents: [{firstLine, kind, name}],
    /// duplicates: [{key, path, firstLine, line}], error: null | {message, line}}`. Error
    /// lines count from the failing document's start, as kubectl prints them.
    #[wasm_bindgen(js_name = checkManifest)]
    pub fn check_manifest(&self, text: &str) -> String {
        manifest_json(crate::yaml::parse_manifest(
            text,
            crate::yaml::Budget::default(),
        ))
    }

    /// The virtual clock in milliseconds.
    pub fn now(&self) -> f64 {
        self.cluster.now().as_millis() as f64
    }
}

/// The JSON the terminal reads. Field names are JS-style (`exitCode`), the contract of
/// `web/src/sim.js`.
fn output_json(output: &Output, prompt: &str) -> String {
    serde_json::json!({
        "stdout": output.stdout,
        "stderr": output.stderr,
        "display": output.display,
        "exitCode": output.exit_code,
        "continuation": output.continuation,
        "prompt": prompt,
        "traces": output.traces,
    })
    .to_string()
}

/// The JSON of a manifest check (see [`Sim::check_manifest`]).
fn manifest_json(result: Result<Vec<Document>, (Vec<Document>, YamlError)>) -> String {
    let (documents, error) = match result {
        Ok(documents) => (documents, None),
        Err((documents, error)) => (documents, Some(error)),
    };
    let duplicates: Vec<serde_json::Value> = documents
        .iter()
        .flat_map(|document| &document.duplicates)
        .map(|duplicate| {
            serde_json::json!({
                "key": duplicate.key,
                "path": duplicate.path,
                "firstLine": duplicate.first_line,
                "line": duplicate.line,
            })
        })
        .collect();
    let documents: Vec<serde_json::Value> = documents
        .iter()
        .map(|document| {
            serde_json::json!({
                "firstLine": document.first_line,
                "kind": document.value["kind"].as_str().unwrap_or_default(),
                "name": document.value["metadata"]["name"].as_str().unwrap_or_default(),
            })
        })
        .collect();
    serde_json::json!({
        "documents": documents,
        "duplicates": duplicates,
        "error": error.map(|e| serde_json::json!({ "message": e.message, "line": e.line })),
    })
    .to_string()
}
