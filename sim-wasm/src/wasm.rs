//! The JavaScript facade (wasm32 only): an opaque `Sim` handle over [`crate::Cluster`].
//!
//! All conversions between Rust and JS values live here and nothing else does: every method
//! converts its arguments, makes exactly one call into the core, and converts the result back.
//! Structured results cross the boundary as one JSON string (parsed by `web/src/sim.js`)
//! because that costs a few hundred bytes of glue instead of the kilobytes that
//! `serde-wasm-bindgen`/`js-sys` object building would add to the download. A command's
//! output text is the exception: it is handed over as plain strings (`takeStdout` & co.),
//! because JSON-escaping a megabyte of `kubectl get pods -A` in wasm and parsing it again in
//! JS took longer than running the command (issue 3's scale benchmark).

use wasm_bindgen::prelude::*;

use crate::yaml::{Document, YamlError};
use crate::{Cluster, ClusterConfig, Cni, LoadBalancer, Output, SimTime};

/// One simulated cluster plus the student's shell, as the browser terminal sees it.
#[wasm_bindgen]
pub struct Sim {
    cluster: Cluster,
    /// The last `exec`'s output text, until JS takes it (see `takeStdout`).
    last: Output,
}

#[wasm_bindgen]
impl Sim {
    /// A fresh cluster. `seed` is a JS `BigInt` (`u64`), so every seed the native CLI accepts
    /// can be reproduced in the browser.
    #[wasm_bindgen(constructor)]
    /// A fresh cluster. `cni` (`calico`, `flannel`, `weave-net`) and `loadBalancer` (`none`,
    /// `metallb`) come from the lesson's `lab:` front matter; left out, kubeadm with Calico
    /// and no load balancer.
    pub fn new(
        seed: u64,
        cni: Option<String>,
        load_balancer: Option<String>,
    ) -> Result<Sim, JsError> {
        let cni = match cni.as_deref() {
            None => Cni::Calico,
            Some(name) => {
                Cni::from_name(name).ok_or_else(|| JsError::new(&format!("unknown CNI: {name}")))?
            }
        };
        let load_balancer = match load_balancer.as_deref() {
            None => LoadBalancer::None,
            Some(name) => LoadBalancer::from_name(name)
                .ok_or_else(|| JsError::new(&format!("unknown load balancer: {name}")))?,
        };
        Ok(Sim {
            cluster: Cluster::new(seed, ClusterConfig { cni }).with_load_balancer(load_balancer),
            last: Output::default(),
        })
    }

    /// Runs one typed line (or several separated by `\n`). Returns the JSON text of
    /// `{exitCode, continuation, prompt, traces, displayIsStdout}`; `prompt` is the prompt to
    /// show next, so the terminal needs no second call per line. The output text follows
    /// through `takeStdout`, `takeStderr` and (unless `displayIsStdout`) `takeDisplay`.
    pub fn exec(&mut self, line: &str) -> String {
        self.last = self.cluster.exec(line);
        output_json(&self.last, &self.cluster.prompt())
    }

    /// The last `exec`'s standard output (taken: a second call returns "").
    #[wasm_bindgen(js_name = takeStdout)]
    pub fn take_stdout(&mut self) -> String {
        std::mem::take(&mut self.last.stdout)
    }

    /// The last `exec`'s standard error (taken).
    #[wasm_bindgen(js_name = takeStderr)]
    pub fn take_stderr(&mut self) -> String {
        std::mem::take(&mut self.last.stderr)
    }

    /// The last `exec`'s two streams interleaved as a terminal shows them (taken).
    #[wasm_bindgen(js_name = takeDisplay)]
    pub fn take_display(&mut self) -> String {
        std::mem::take(&mut self.last.display)
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

/// The JSON the terminal reads, without the output text. Field names are JS-style
/// (`exitCode`), the contract of `web/src/sim.js`. `displayIsStdout` spares the terminal a
/// second copy of a long output when nothing went to stderr.
fn output_json(output: &Output, prompt: &str) -> String {
    serde_json::json!({
        "displayIsStdout": output.display == output.stdout,
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
