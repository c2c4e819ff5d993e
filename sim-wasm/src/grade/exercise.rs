//! The exercise model instructors write (`content/exercises/ID.yaml`): prompt, setup,
//! submission, checks, a reference solution and known-wrong attempts.
//!
//! Only the shape and its consistency rules live here ([`Exercise::problems`]); reading
//! files and YAML parsing belong to the server, which reports problems with `path:line`.
//! Every struct denies unknown fields so a misspelled key is an error, not a silent no-op.

use serde::Deserialize;

use crate::Cni;
use crate::grade::json_path::JsonPath;

/// One graded exercise.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Stable id used in URLs, the database and lesson blocks (`ns-blue`).
    pub id: String,
    /// Korean title shown above the exercise.
    pub title: String,
    /// Korean prompt (markdown) shown to the student.
    pub prompt: String,
    /// Seed of the fresh cluster each submission is graded on; fixed so grading is
    /// reproducible (generated pod names and addresses are the same every time).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// The CNI plugin of the cluster (`calico`, `flannel`, `weave-net`).
    #[serde(default)]
    pub cni: Cni,
    /// The cluster's load balancer (`none`, kubeadm's default: LoadBalancer Services stay
    /// `<pending>`; `metallb`: MetalLB L2 with 192.168.56.200–250).
    #[serde(default)]
    pub load_balancer: crate::LoadBalancer,
    /// Terminal lines run before the answer is applied (each must exit 0).
    #[serde(default)]
    pub setup: Vec<String>,
    /// What the student hands in.
    #[serde(default)]
    pub submission: Submission,
    /// Evaluated in order after the answer was applied.
    pub checks: Vec<Check>,
    /// A reference answer: every check must pass on it (`server check` verifies).
    pub solution: String,
    /// Attempts that must not pass, with the outcome each must get.
    pub wrong: Vec<KnownWrong>,
}

/// What the student submits: a YAML file applied with `kubectl apply -f FILE` (`kind: yaml`,
/// the default), or a terminal session replayed line by line (`kind: transcript`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    #[serde(default)]
    pub kind: SubmissionKind,
    /// The file name the answer is saved as in the student's home directory.
    #[serde(default = "default_file")]
    file: String,
    /// Text the answer editor starts with.
    #[serde(default)]
    pub starter: String,
}

/// One check: exactly one of `state` or `run`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Stable id, unique in the exercise (`namespace-exists`).
    pub id: String,
    /// Korean title: what is being checked.
    pub title: String,
    /// Korean message shown when the check fails.
    pub message: String,
    /// Korean hint shown when the check fails.
    pub hint: String,
    #[serde(default)]
    pub state: Option<StateCheck>,
    #[serde(default)]
    pub run: Option<RunCheck>,
}

/// A check on an object, read with `kubectl get KIND NAME -o json` (or `-l SELECTOR`, which
/// returns a `List`). Without `path` the object must exist (or must not, with `absent`).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateCheck {
    pub kind: String,
    #[serde(default)]
    pub name: Option<String>,
    /// A label selector (`app=http-go`) instead of a name.
    #[serde(default)]
    pub selector: Option<String>,
    #[serde(default)]
    pub namespace: Option<String>,
    /// A JSON path into the object, `.spec.ports[0].port` or `.metadata.labels["app"]`.
    #[serde(default)]
    pub path: Option<String>,
    /// The value at `path`, as text (numbers and booleans as kubectl prints them).
    #[serde(default)]
    pub equals: Option<ScalarText>,
    /// A list containing this element, an object with this key, or text containing it.
    #[serde(default)]
    pub contains: Option<ScalarText>,
    /// The value at `path` is present and not empty.
    #[serde(default)]
    pub not_empty: bool,
    /// The object must not exist.
    #[serde(default)]
    pub absent: bool,
}

/// A check on behaviour: a terminal line (optionally inside a pod chosen by label) and what
/// its result must be.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunCheck {
    /// The command; with `pod` it runs as `kubectl exec -n NS POD -- COMMAND`.
    pub command: String,
    #[serde(default)]
    pub pod: Option<PodSelector>,
    /// `true`: exit code 0; `false`: any other exit code.
    #[serde(default)]
    pub succeeds: Option<bool>,
    /// stdout or stderr must contain this text.
    #[serde(default)]
    pub output_contains: Option<String>,
    /// Neither stdout nor stderr may contain this text.
    #[serde(default)]
    pub output_not_contains: Option<String>,
}

/// The pod a behaviour check runs in: the first running pod matching the selector.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodSelector {
    #[serde(default = "default_namespace")]
    pub namespace: String,
    pub selector: String,
}

/// An attempt that must not pass: either some checks fail, or the answer does not apply.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownWrong {
    /// What is wrong with it, for instructors (Korean is fine).
    pub why: String,
    pub answer: String,
    /// Ids of the checks that must fail on this attempt (all others must pass).
    #[serde(default)]
    pub fails: Vec<String>,
    /// The attempt must not apply (the report's status is `error`).
    #[serde(default)]
    pub error: bool,
}

/// A scalar written by an instructor (`8080`, `true`, `Active`), kept as the text kubectl
/// would print, so `equals: 8080` and `equals: "8080"` mean the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalarText(pub String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl serde::de::Visitor<'_> for ScalarVisitor {
            type Value = ScalarText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<ScalarText, E> {
                Ok(ScalarText(text.to_owned()))
            }
            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<ScalarText, E> {
                Ok(ScalarText(value.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<ScalarText, E> {
                Ok(ScalarText(value.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<ScalarText, E> {
                Ok(ScalarText(value.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<ScalarText, E> {
                Ok(ScalarText(value.to_string()))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// What a known-wrong attempt must produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WrongOutcome<'a> {
    Fails(&'a [String]),
    Error,
}

/// A consistency problem in an exercise, in instructor terms; `field` names where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExerciseProblem {
    pub field: String,
    pub message: String,
}

impl Submission {
    pub fn file(&self) -> &str {
        &self.file
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubmissionKind {
    #[default]
    Yaml,
    Transcript,
}

impl Default for Submission {
    fn default() -> Submission {
        Submission {
            kind: SubmissionKind::Yaml,
            file: default_file(),
            starter: String::new(),
        }
    }
}

impl KnownWrong {
    pub fn outcome(&self) -> WrongOutcome<'_> {
        if self.error {
            WrongOutcome::Error
        } else {
            WrongOutcome::Fails(&self.fails)
        }
    }
}

impl Exercise {
    /// Everything inconsistent in the exercise that parsing could not catch. Empty means the
    /// exercise can be graded; whether its solution passes is a separate, dynamic check.
    pub fn problems(&self) -> Vec<ExerciseProblem> {
        let mut problems = Vec::new();
        let mut problem = |field: String, message: &str| {
            problems.push(ExerciseProblem {
                field,
                message: message.to_owned(),
            })
        };
        if !is_dns_label(&self.id) {
            problem(
                "id".into(),
                "id must be lowercase letters, digits and '-' (at most 63)",
            );
        }
        if !is_file_name(self.submission.file()) {
            problem(
                "submission.file".into(),
                "file must be a plain file name like answer.yaml",
            );
        }
        if self.checks.is_empty() {
            problem("checks".into(), "an exercise needs at least one check");
        }
        let mut seen = std::collections::BTreeSet::new();
        for (index, check) in self.checks.iter().enumerate() {
            let field = format!("checks[{index}]");
            if !is_dns_label(&check.id) {
                problem(
                    format!("{field}.id"),
                    "id must be lowercase letters, digits and '-'",
                );
            }
            if !seen.insert(check.id.as_str()) {
                problem(format!("{field}.id"), "check ids must be unique");
            }
            for (name, text) in [
                ("title", &check.title),
                ("message", &check.message),
                ("hint", &check.hint),
            ] {
                if text.trim().is_empty() {
                    problem(format!("{field}.{name}"), "must not be empty");
                }
            }
            match (&check.state, &check.run) {
                (Some(state), None) => {
                    for message in state.problems() {
                        problem(format!("{field}.state"), message);
                    }
                }
                (None, Some(run)) => {
                    for message in run.problems() {
                        problem(format!("{field}.run"), message);
                    }
                }
                _ => problem(field, "a check has exactly one of `state` or `run`"),
            }
        }
        if self.wrong.is_empty() {
            problem(
                "wrong".into(),
                "an exercise needs at least one known-wrong attempt",
            );
        }
        for (index, wrong) in self.wrong.iter().enumerate() {
            let field = format!("wrong[{index}]");
            match (wrong.fails.is_empty(), wrong.error) {
                (true, false) => problem(
                    field.clone(),
                    "say which checks fail (`fails`) or `error: true`",
                ),
                (false, true) => problem(
                    field.clone(),
                    "`fails` and `error: true` exclude each other",
                ),
                _ => {}
            }
            for id in &wrong.fails {
                if !seen.contains(id.as_str()) {
                    problem(
                        format!("{field}.fails"),
                        "names a check that does not exist",
                    );
                }
            }
        }
        problems
    }
}

impl StateCheck {
    fn problems(&self) -> Vec<&'static str> {
        let mut problems = Vec::new();
        if self.kind.trim().is_empty() {
            problems.push("`kind` must not be empty");
        }
        if self.name.is_some() == self.selector.is_some() {
            problems.push("give exactly one of `name` or `selector`");
        }
        let n_expectations = usize::from(self.equals.is_some())
            + usize::from(self.contains.is_some())
            + usize::from(self.not_empty);
        if n_expectations > 1 {
            problems.push("give at most one of `equals`, `contains`, `not_empty`");
        }
        match &self.path {
            Some(path) => {
                if JsonPath::parse(path).is_err() {
                    problems.push("`path` is not a valid path like .spec.ports[0].port");
                }
                if self.absent {
                    problems.push("`absent` cannot be combined with `path`");
                }
            }
            None if n_expectations > 0 => {
                problems.push("`equals`, `contains` and `not_empty` need a `path`")
            }
            None => {}
        }
        problems
    }
}

impl RunCheck {
    fn problems(&self) -> Vec<&'static str> {
        let mut problems = Vec::new();
        if self.command.trim().is_empty() || self.command.contains('\n') {
            problems.push("`command` must be one non-empty line");
        }
        if self.succeeds.is_none()
            && self.output_contains.is_none()
            && self.output_not_contains.is_none()
        {
            problems
                .push("say what must hold: `succeeds`, `output_contains` or `output_not_contains`");
        }
        problems
    }
}

fn default_seed() -> u64 {
    1
}

fn default_file() -> String {
    "answer.yaml".to_owned()
}

fn default_namespace() -> String {
    "default".to_owned()
}

fn is_dns_label(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && text
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

fn is_file_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
        && !text.starts_with('.')
}
