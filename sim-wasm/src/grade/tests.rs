//! Tests of the grader: exercise validation, paths, and grading the `ns-blue` exercise on
//! the simulated cluster (reference answer passes, a misspelled name fails, YAML that does
//! not apply is an error with kubectl's message).

use serde_json::json;

use super::*;

fn ns_blue() -> Exercise {
    serde_json::from_value(json!({
        "id": "ns-blue",
        "title": "네임스페이스 blue 만들기",
        "prompt": "blue 네임스페이스를 만드는 YAML을 쓰세요.",
        "checks": [{
            "id": "namespace-exists",
            "title": "네임스페이스 blue가 있습니다",
            "message": "blue 네임스페이스를 찾지 못했습니다.",
            "hint": "metadata.name을 확인하세요.",
            "state": { "kind": "namespace", "name": "blue" }
        }, {
            "id": "namespace-active",
            "title": "네임스페이스 blue가 Active 상태입니다",
            "message": "blue 네임스페이스가 Active가 아닙니다.",
            "hint": "kubectl get ns blue로 상태를 보세요.",
            "state": { "kind": "namespace", "name": "blue", "path": ".status.phase", "equals": "Active" }
        }],
        "solution": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n",
        "wrong": [{
            "why": "이름 철자 틀림",
            "answer": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bleu\n",
            "fails": ["namespace-exists", "namespace-active"]
        }]
    }))
    .expect("the test exercise is valid JSON for Exercise")
}

#[test]
fn the_reference_answer_to_ns_blue_passes_every_check() {
    let exercise = ns_blue();
    let report = grade(&exercise, &exercise.solution);
    assert_eq!(report.status, Status::Pass, "{report:#?}");
    assert_eq!(report.checks.len(), 2);
    assert_eq!(report.checks[1].observed, ".status.phase = Active");
    assert_eq!(report.error, None);
}

#[test]
fn a_misspelled_namespace_fails_with_kubectls_not_found_as_evidence() {
    let exercise = ns_blue();
    let report = grade(&exercise, &exercise.wrong[0].answer);
    assert_eq!(report.status, Status::Fail, "{report:#?}");
    assert_eq!(
        report.failed_checks(),
        vec!["namespace-exists", "namespace-active"]
    );
    let first = &report.checks[0];
    assert_eq!(first.expected, "namespace/blue 있음");
    assert_eq!(
        first.observed,
        "Error from server (NotFound): namespaces \"blue\" not found"
    );
    assert_eq!(first.message, "blue 네임스페이스를 찾지 못했습니다.");
    assert_eq!(first.hint, "metadata.name을 확인하세요.");
}

#[test]
fn yaml_that_kubectl_refuses_is_an_error_with_every_check_skipped() {
    let exercise = ns_blue();
    let report = grade(
        &exercise,
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [blue\n",
    );
    assert_eq!(report.status, Status::Error);
    let error = report.error.expect("an error report carries the error");
    assert!(
        error
            .message
            .starts_with("error: error parsing answer.yaml"),
        "kubectl's own message comes first: {}",
        error.message
    );
    assert!(
        error
            .hint
            .starts_with("YAML 문법 오류입니다. 4번째 줄 근처의"),
        "a Korean explanation follows: {}",
        error.hint
    );
    assert!(
        report
            .checks
            .iter()
            .all(|check| check.status == CheckStatus::Skip)
    );
}

#[test]
fn grading_is_deterministic_for_the_same_answer() {
    let exercise = ns_blue();
    let first = grade(&exercise, &exercise.wrong[0].answer);
    let second = grade(&exercise, &exercise.wrong[0].answer);
    assert_eq!(first, second);
}

#[test]
fn the_report_serializes_to_the_http_contract_shape() {
    let exercise = ns_blue();
    let report = Report::error(&exercise, "error: boom".into(), "힌트".into());
    let value = serde_json::to_value(&report).expect("reports serialize");
    assert_eq!(value["status"], "error");
    assert_eq!(value["error"]["message"], "error: boom");
    assert_eq!(value["error"]["hint"], "힌트");
    let check = &value["checks"][0];
    for key in [
        "id", "title", "status", "message", "hint", "expected", "observed",
    ] {
        assert!(check.get(key).is_some(), "check has {key}: {check}");
    }
    assert_eq!(check["status"], "skip");
    assert!(check.get("trace").is_none(), "an empty trace is omitted");
}

#[test]
fn a_valid_exercise_has_no_problems() {
    assert_eq!(ns_blue().problems(), vec![]);
}

#[test]
fn unknown_fields_in_an_exercise_are_rejected() {
    let mut value = serde_json::to_value(json!({
        "id": "x", "title": "t", "prompt": "p", "checks": [], "solution": "", "wrong": [],
        "sollution": "typo"
    }))
    .expect("literal JSON");
    let error =
        serde_json::from_value::<Exercise>(value.take()).expect_err("a misspelled key is an error");
    assert!(error.to_string().contains("sollution"), "{error}");
}

#[test]
fn inconsistent_exercises_report_each_problem_with_its_field() {
    let mut exercise = ns_blue();
    exercise.checks[1].id = "namespace-exists".into();
    exercise.checks[0].state = None;
    exercise.wrong[0].fails = vec!["no-such-check".into()];
    exercise.wrong.push(KnownWrong {
        why: "nothing said".into(),
        answer: String::new(),
        fails: Vec::new(),
        error: false,
    });
    let fields: Vec<String> = exercise
        .problems()
        .into_iter()
        .map(|problem| problem.field)
        .collect();
    assert_eq!(
        fields,
        vec!["checks[0]", "checks[1].id", "wrong[0].fails", "wrong[1]"]
    );
}

#[test]
fn state_checks_need_a_path_for_value_expectations() {
    let mut exercise = ns_blue();
    if let Some(state) = exercise.checks[0].state.as_mut() {
        state.equals = Some(ScalarText("Active".into()));
        state.selector = Some("a=b".into());
    }
    let messages: Vec<String> = exercise
        .problems()
        .into_iter()
        .map(|problem| problem.message)
        .collect();
    assert_eq!(
        messages,
        vec![
            "give exactly one of `name` or `selector`",
            "`equals`, `contains` and `not_empty` need a `path`"
        ]
    );
}

#[test]
fn json_paths_follow_keys_indexes_and_quoted_keys() {
    let object = json!({
        "metadata": { "labels": { "app.kubernetes.io/name": "web" } },
        "spec": { "ports": [ { "port": 8080 } ] }
    });
    let port = JsonPath::parse(".spec.ports[0].port").expect("valid path");
    assert_eq!(port.lookup(&object), Some(&json!(8080)));
    let label = JsonPath::parse(".metadata.labels[\"app.kubernetes.io/name\"]").expect("valid");
    assert_eq!(label.lookup(&object), Some(&json!("web")));
    let missing = JsonPath::parse(".spec.ports[3].port").expect("valid path");
    assert_eq!(missing.lookup(&object), None);
}

#[test]
fn malformed_json_paths_are_rejected_without_panicking() {
    for text in ["", "spec", ".a..b", ".a[", ".a[x]", ".a]b", "[-1]"] {
        assert!(JsonPath::parse(text).is_err(), "{text:?} must be rejected");
    }
}

#[test]
fn a_transcript_is_replayed_line_by_line_with_its_files() {
    let mut exercise = ns_blue();
    exercise.submission.kind = SubmissionKind::Transcript;
    let transcript = Transcript {
        files: [("ns.yaml".to_owned(), exercise.solution.clone())].into(),
        commands: vec![
            "kubectl get ns".to_owned(),
            "kubectl apply -f ns.yaml".to_owned(),
        ],
    };
    let report = grade_transcript(&exercise, &transcript);
    assert_eq!(report.status, Status::Pass, "{report:#?}");
}

#[test]
fn a_transcript_with_a_typo_fails_its_checks_instead_of_erroring() {
    let mut exercise = ns_blue();
    exercise.submission.kind = SubmissionKind::Transcript;
    let report = grade(&exercise, "kubectl create namespace bleu\nkubect get ns\n");
    assert_eq!(report.status, Status::Fail, "{report:#?}");
    assert_eq!(
        report.failed_checks(),
        vec!["namespace-exists", "namespace-active"]
    );
}

#[test]
fn a_heredoc_in_a_transcript_writes_the_file_it_then_applies() {
    let mut exercise = ns_blue();
    exercise.submission.kind = SubmissionKind::Transcript;
    let answer = "cat <<EOF > blue.yaml\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\nEOF\nkubectl apply -f blue.yaml\n";
    let report = grade(&exercise, answer);
    assert_eq!(report.status, Status::Pass, "{report:#?}");
}

#[test]
fn kubectls_common_apply_errors_get_specific_korean_explanations() {
    let cases = [
        (
            "error: error parsing a.yaml: error converting YAML to JSON: yaml: line 7: did not find expected key",
            "7번째 줄",
        ),
        (
            "error: error parsing a.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing",
            "별칭",
        ),
        (
            "error: resource mapping not found for name: \"blue\" namespace: \"\" from \"a.yaml\": no matches for kind \"Namespce\" in version \"v1\"",
            "apps/v1",
        ),
        (
            "Error from server (BadRequest): error when creating \"a.yaml\": Namespace in version \"v1\" cannot be handled as a Namespace: strict decoding error: unknown field \"metadata.nme\"",
            "모르는 필드",
        ),
        (
            "The Namespace \"Blue\" is invalid: metadata.name: Invalid value: \"Blue\"",
            "소문자",
        ),
        ("something new", "kubectl이 이 YAML을 적용하지 못했습니다"),
    ];
    for (message, expected) in cases {
        let hint = report::explain_apply_error(message);
        assert!(hint.contains(expected), "{message} → {hint}");
    }
}

fn with_checks(checks: serde_json::Value) -> Exercise {
    let mut value = serde_json::to_value(ns_blue_json()).expect("literal JSON");
    value["checks"] = checks;
    value["wrong"][0]["fails"] = json!(["first"]);
    serde_json::from_value(value).expect("valid exercise")
}

fn ns_blue_json() -> serde_json::Value {
    json!({
        "id": "ns-blue", "title": "t", "prompt": "p",
        "solution": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n",
        "checks": [],
        "wrong": [{ "why": "w", "answer": "", "fails": [] }]
    })
}

#[test]
fn run_checks_test_exit_code_and_output_of_a_terminal_line() {
    let exercise = with_checks(json!([{
        "id": "first", "title": "kubectl get ns blue가 Active를 보여 줍니다",
        "message": "m", "hint": "h",
        "run": { "command": "kubectl get ns blue", "succeeds": true, "output_contains": "Active" }
    }, {
        "id": "second", "title": "없는 네임스페이스는 찾지 못합니다",
        "message": "m", "hint": "h",
        "run": { "command": "kubectl get ns bleu", "succeeds": false, "output_not_contains": "Active" }
    }]));
    let report = grade(&exercise, &exercise.solution);
    assert_eq!(report.status, Status::Pass, "{report:#?}");
    assert!(
        report.checks[0]
            .observed
            .starts_with("$ kubectl get ns blue\nNAME   STATUS   AGE\nblue   Active"),
        "{}",
        report.checks[0].observed
    );
    assert_eq!(
        report.checks[0].expected,
        "`kubectl get ns blue`: 성공 (종료 코드 0), 출력에 \"Active\" 포함"
    );
}

#[test]
fn a_run_check_in_a_pod_that_does_not_exist_fails_saying_so_in_korean() {
    let exercise = with_checks(json!([{
        "id": "first", "title": "t", "message": "m", "hint": "h",
        "run": {
            "pod": { "namespace": "default", "selector": "app=nothing" },
            "command": "curl -s srv-jenkins.blue:8080", "succeeds": true
        }
    }]));
    let report = grade(&exercise, &exercise.solution);
    assert_eq!(report.status, Status::Fail);
    assert_eq!(
        report.checks[0].observed,
        "default 네임스페이스에 레이블 app=nothing인 포드가 없습니다"
    );
}

#[test]
fn grading_on_a_prepared_cluster_equals_grading_on_a_fresh_one() {
    let mut exercise = ns_blue();
    exercise.setup = vec!["kubectl create deployment http-go --image=gasbugs/http-go".to_owned()];
    let prepared = prepare(&exercise);
    // The wrong answer first: its namespace must not leak into the next grading.
    for answer in [
        &exercise.wrong[0].answer,
        &exercise.solution,
        &exercise.wrong[0].answer,
    ] {
        assert_eq!(
            grade_prepared(&exercise, &prepared, answer),
            grade(&exercise, answer)
        );
    }
    assert_eq!(
        grade_prepared(&exercise, &prepared, &exercise.solution).status,
        Status::Pass
    );
}

#[test]
fn a_failing_setup_is_an_error_for_every_submission() {
    let mut exercise = ns_blue();
    exercise.setup = vec!["kubectl get pod no-such-pod".to_owned()];
    let report = grade_prepared(&exercise, &prepare(&exercise), &exercise.solution);
    assert_eq!(report.status, Status::Error);
    let error = report.error.expect("an error report carries the error");
    assert!(
        error.message.starts_with("$ kubectl get pod no-such-pod\n"),
        "{}",
        error.message
    );
}
