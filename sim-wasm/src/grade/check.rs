//! Evaluates one [`Check`] on a settled cluster by typing commands into its terminal, exactly
//! as a student would (`kubectl get ... -o json`, `kubectl exec POD -- curl ...`), and turns
//! what came back into a [`CheckResult`] with the expected and observed evidence.

use crate::api::Ptr;
use serde_json::Value;

use crate::Cluster;
use crate::grade::exercise::{Check, PodSelector, RunCheck, ScalarText, StateCheck};
use crate::grade::json_path::JsonPath;
use crate::grade::report::{CheckResult, CheckStatus};

/// What a check found, before the instructor's texts are attached.
struct Verdict {
    passed: bool,
    expected: String,
    observed: String,
    trace: Vec<String>,
}

pub(crate) fn evaluate(check: &Check, cluster: &mut Cluster) -> CheckResult {
    let verdict = match (&check.state, &check.run) {
        (Some(state), _) => evaluate_state(state, cluster),
        (None, Some(run)) => evaluate_run(run, cluster),
        // `Exercise::problems` rejects this; grading it as a failure keeps a bad exercise
        // from ever passing a student by accident.
        (None, None) => Verdict {
            passed: false,
            expected: "state 또는 run".to_owned(),
            observed: "검사 내용이 없습니다".to_owned(),
            trace: Vec::new(),
        },
    };
    let (status, message, hint) = if verdict.passed {
        (CheckStatus::Pass, String::new(), String::new())
    } else {
        (CheckStatus::Fail, check.message.clone(), check.hint.clone())
    };
    CheckResult {
        id: check.id.clone(),
        title: check.title.clone(),
        status,
        message,
        hint,
        expected: verdict.expected,
        observed: verdict.observed,
        trace: verdict.trace,
    }
}

fn evaluate_state(state: &StateCheck, cluster: &mut Cluster) -> Verdict {
    let mut command = format!("kubectl get {}", state.kind);
    let target = match (&state.name, &state.selector) {
        (Some(name), _) => {
            command.push(' ');
            command.push_str(name);
            format!("{}/{name}", state.kind)
        }
        (None, Some(selector)) => {
            command.push_str(" -l ");
            command.push_str(selector);
            format!("{} -l {selector}", state.kind)
        }
        (None, None) => state.kind.clone(),
    };
    if let Some(namespace) = &state.namespace {
        command.push_str(" -n ");
        command.push_str(namespace);
    }
    command.push_str(" -o json");
    let output = cluster.exec(&command);
    let object = if output.exit_code == 0 {
        serde_json::from_str::<Value>(&output.stdout).ok()
    } else {
        None
    };
    let where_ = match &state.namespace {
        Some(namespace) => format!("{target} (네임스페이스 {namespace})"),
        None => target,
    };
    let Some(object) = object else {
        let observed = first_line_or(&output.stderr, "없음");
        return Verdict {
            passed: state.absent,
            expected: if state.absent {
                format!("{where_} 없음")
            } else {
                format!("{where_} 있음")
            },
            observed,
            trace: Vec::new(),
        };
    };
    if state.absent {
        return Verdict {
            passed: false,
            expected: format!("{where_} 없음"),
            observed: format!("{where_} 있음"),
            trace: Vec::new(),
        };
    }
    let Some(path_text) = &state.path else {
        return Verdict {
            passed: true,
            expected: format!("{where_} 있음"),
            observed: format!("{where_} 있음"),
            trace: Vec::new(),
        };
    };
    let value = JsonPath::parse(path_text)
        .ok()
        .and_then(|path| path.lookup(&object).cloned())
        .filter(|value| !value.is_null());
    let observed = match &value {
        Some(value) => format!("{path_text} = {}", display(value)),
        None => format!("{path_text} 없음"),
    };
    let (passed, expected) = match (&state.equals, &state.contains, state.not_empty) {
        (Some(ScalarText(wanted)), _, _) => (
            value
                .as_ref()
                .is_some_and(|value| display(value) == *wanted),
            format!("{path_text} = {wanted}"),
        ),
        (None, Some(ScalarText(wanted)), _) => (
            value.as_ref().is_some_and(|value| contains(value, wanted)),
            format!("{path_text}에 {wanted} 포함"),
        ),
        (None, None, true) => (
            value.as_ref().is_some_and(|value| !is_empty(value)),
            format!("{path_text} 비어 있지 않음"),
        ),
        (None, None, false) => (value.is_some(), format!("{path_text} 있음")),
    };
    Verdict {
        passed,
        expected,
        observed,
        trace: Vec::new(),
    }
}

fn evaluate_run(run: &RunCheck, cluster: &mut Cluster) -> Verdict {
    let expected = describe_run_expectation(run);
    let command = match &run.pod {
        None => run.command.clone(),
        Some(selector) => match find_pod(selector, cluster) {
            Ok(pod) => format!(
                "kubectl exec -n {} {pod} -- {}",
                selector.namespace, run.command
            ),
            Err(observed) => {
                return Verdict {
                    passed: false,
                    expected,
                    observed,
                    trace: Vec::new(),
                };
            }
        },
    };
    let output = cluster.exec(&command);
    let combined = format!("{}{}", output.stdout, output.stderr);
    let exit_ok = match run.succeeds {
        Some(true) => output.exit_code == 0,
        Some(false) => output.exit_code != 0,
        None => true,
    };
    let contains_ok = run
        .output_contains
        .as_ref()
        .is_none_or(|wanted| combined.contains(wanted.as_str()));
    let not_contains_ok = run
        .output_not_contains
        .as_ref()
        .is_none_or(|unwanted| !combined.contains(unwanted.as_str()));
    let passed = exit_ok && contains_ok && not_contains_ok;
    let trace = if passed {
        Vec::new()
    } else {
        output
            .traces
            .iter()
            .flat_map(|trace| {
                trace
                    .to_text()
                    .lines()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    Verdict {
        passed,
        expected,
        observed: format!(
            "$ {command}\n{}(종료 코드 {})",
            clip(&combined),
            output.exit_code
        ),
        trace,
    }
}

/// The first running pod (by name) matching the selector, else the first matching pod.
fn find_pod(selector: &PodSelector, cluster: &mut Cluster) -> Result<String, String> {
    let output = cluster.exec(&format!(
        "kubectl get pods -n {} -l {} -o json",
        selector.namespace, selector.selector
    ));
    let missing = || {
        format!(
            "{} 네임스페이스에 레이블 {}인 포드가 없습니다",
            selector.namespace, selector.selector
        )
    };
    if output.exit_code != 0 {
        return Err(first_line_or(&output.stderr, &missing()));
    }
    let list: Value = serde_json::from_str(&output.stdout).map_err(|_| missing())?;
    let mut pods: Vec<(bool, String)> = list
        .get("items")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|pod| {
                    let name = pod.ptr("/metadata/name")?.as_str()?.to_owned();
                    let running =
                        pod.ptr("/status/phase").and_then(Value::as_str) == Some("Running");
                    Some((!running, name))
                })
                .collect()
        })
        .unwrap_or_default();
    crate::sort::sort(&mut pods);
    pods.into_iter()
        .next()
        .map(|(_, name)| name)
        .ok_or_else(missing)
}

fn describe_run_expectation(run: &RunCheck) -> String {
    let mut parts = Vec::new();
    match run.succeeds {
        Some(true) => parts.push("성공 (종료 코드 0)".to_owned()),
        Some(false) => parts.push("실패 (종료 코드 0이 아님)".to_owned()),
        None => {}
    }
    if let Some(wanted) = &run.output_contains {
        parts.push(format!("출력에 \"{wanted}\" 포함"));
    }
    if let Some(unwanted) = &run.output_not_contains {
        parts.push(format!("출력에 \"{unwanted}\" 없음"));
    }
    let place = match &run.pod {
        Some(pod) => format!(
            "{} 네임스페이스의 {} 포드에서 ",
            pod.namespace, pod.selector
        ),
        None => String::new(),
    };
    format!("{place}`{}`: {}", run.command, parts.join(", "))
}

/// Text as a student would read it: strings without quotes, everything else as JSON.
fn display(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn contains(value: &Value, wanted: &str) -> bool {
    match value {
        Value::Array(items) => items.iter().any(|item| display(item) == wanted),
        Value::Object(map) => map.contains_key(wanted),
        other => display(other).contains(wanted),
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

fn first_line_or(text: &str, fallback: &str) -> String {
    text.lines()
        .find(|line| !line.trim().is_empty())
        .map_or_else(|| fallback.to_owned(), str::to_owned)
}

/// Keeps reports small when a command prints a whole web page.
fn clip(text: &str) -> String {
    const LIMIT: usize = 2000;
    if text.len() <= LIMIT {
        return text.to_owned();
    }
    let mut end = LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n…(생략)\n", &text[..end])
}
