//! `POST /api/exercises/{id}/submissions` and `GET` (history): grading on the simulator,
//! storage, and the bad-input paths that must store nothing.

use axum::http::Method;

use crate::helpers::{NS_BLEU, NS_BLUE, NS_BROKEN, spawn_app};

#[tokio::test]
async fn the_reference_answer_passes_every_check_and_is_stored() {
    let app = spawn_app().await;
    let response = app.submit("ns-blue", NS_BLUE).await;
    assert_eq!(response.status, 200, "{}", response.body);
    assert!(
        response
            .header("content-type")
            .starts_with("application/json")
    );
    let report = response.json();
    assert_eq!(report["status"], "pass", "{report}");
    assert_eq!(report["error"], serde_json::Value::Null);
    let checks = report["checks"].as_array().expect("checks");
    assert_eq!(checks.len(), 2);
    assert_eq!(checks[0]["id"], "namespace-exists");
    assert_eq!(checks[0]["status"], "pass");
    assert_eq!(checks[1]["observed"], ".status.phase = Active");
    assert_eq!(app.count_submissions().await, 1);
}

#[tokio::test]
async fn a_misspelled_namespace_fails_every_check_with_evidence_and_hints() {
    let app = spawn_app().await;
    let report = app.submit("ns-blue", NS_BLEU).await.json();
    assert_eq!(report["status"], "fail", "{report}");
    let first = &report["checks"][0];
    assert_eq!(first["status"], "fail");
    assert_eq!(first["title"], "네임스페이스 blue가 있습니다");
    assert_eq!(first["expected"], "namespace/blue 있음");
    assert_eq!(
        first["observed"],
        "Error from server (NotFound): namespaces \"blue\" not found"
    );
    assert!(
        first["hint"]
            .as_str()
            .is_some_and(|hint| hint.contains("metadata.name"))
    );
    assert_eq!(report["checks"][1]["status"], "fail");
}

#[tokio::test]
async fn yaml_that_does_not_apply_is_an_error_with_kubectls_message() {
    let app = spawn_app().await;
    let response = app.submit("ns-blue", NS_BROKEN).await;
    assert_eq!(response.status, 200);
    let report = response.json();
    assert_eq!(report["status"], "error");
    let message = report["error"]["message"].as_str().expect("error message");
    assert!(
        message.starts_with(
            "error: error parsing answer.yaml: error converting YAML to JSON: yaml: line 4"
        ),
        "{message}"
    );
    assert!(
        report["error"]["hint"]
            .as_str()
            .is_some_and(|hint| hint.starts_with("YAML 문법 오류입니다. 4번째 줄 근처의")),
        "{report}"
    );
    assert!(
        report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .all(|check| check["status"] == "skip")
    );
    assert_eq!(
        app.count_submissions().await,
        1,
        "errors are part of the history"
    );
}

#[tokio::test]
async fn an_unknown_exercise_is_a_json_404_and_nothing_is_stored() {
    let app = spawn_app().await;
    let response = app.submit("no-such-exercise", NS_BLUE).await;
    assert_eq!(response.status, 404);
    assert_eq!(
        response.header("set-cookie"),
        "",
        "a rejected request starts no session"
    );
    assert_eq!(
        response.json()["error"]["message"],
        "연습문제 'no-such-exercise'을(를) 찾을 수 없습니다."
    );
    assert_eq!(app.count_submissions().await, 0);
}

#[tokio::test]
async fn an_empty_answer_is_a_400_and_nothing_is_stored() {
    let app = spawn_app().await;
    for empty in ["", "  \n\t\n"] {
        let response = app.submit("ns-blue", empty).await;
        assert_eq!(response.status, 400);
        assert_eq!(response.json()["error"]["message"], "답안이 비어 있습니다.");
    }
    assert_eq!(app.count_submissions().await, 0);
}

#[tokio::test]
async fn an_answer_that_is_not_utf8_is_a_400() {
    let app = spawn_app().await;
    let response = app.submit("ns-blue", vec![b'a', 0xff, 0xfe, b'\n']).await;
    assert_eq!(response.status, 400);
    assert_eq!(
        response.json()["error"]["message"],
        "답안이 UTF-8 텍스트가 아닙니다."
    );
    assert_eq!(app.count_submissions().await, 0);
}

#[tokio::test]
async fn an_answer_over_256_kib_is_a_413_and_nothing_is_stored() {
    let app = spawn_app().await;
    let mut answer = String::from(NS_BLUE);
    answer.push_str(&"# padding\n".repeat(26_215));
    assert!(answer.len() > 256 * 1024);
    let response = app.submit("ns-blue", answer).await;
    assert_eq!(response.status, 413);
    assert!(
        response.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("256 KiB"))
    );
    assert_eq!(app.count_submissions().await, 0);
}

#[tokio::test]
async fn a_cross_site_submission_is_refused_by_the_csrf_layer() {
    let app = spawn_app().await;
    let response = app
        .request(
            Method::POST,
            "/api/exercises/ns-blue/submissions",
            NS_BLUE.into(),
            &[
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://evil.example"),
            ],
        )
        .await;
    assert_eq!(response.status, 403);
    assert_eq!(app.count_submissions().await, 0);
    let same_origin = app
        .request(
            Method::POST,
            "/api/exercises/ns-blue/submissions",
            NS_BLUE.into(),
            &[
                ("sec-fetch-site", "same-origin"),
                ("origin", "http://127.0.0.1:8080"),
            ],
        )
        .await;
    assert_eq!(same_origin.status, 200);
}

#[tokio::test]
async fn the_history_lists_only_this_learners_submissions_newest_first() {
    let app = spawn_app().await;
    app.get("/").await;
    app.submit("ns-blue", NS_BLEU).await;
    app.submit("ns-blue", NS_BROKEN).await;
    let other_browser = app.new_browser();
    other_browser.submit("ns-blue", NS_BLUE).await;

    let history = app.get("/api/exercises/ns-blue/submissions").await;
    assert_eq!(history.status, 200);
    let history = history.json();
    assert_eq!(history["exercise_id"], "ns-blue");
    let submissions = history["submissions"].as_array().expect("submissions");
    assert_eq!(submissions.len(), 2);
    assert_eq!(submissions[0]["answer"], NS_BROKEN);
    assert_eq!(submissions[1]["answer"], NS_BLEU);
    assert_eq!(submissions[0]["report"]["status"], submissions[0]["status"]);

    let theirs = other_browser
        .get("/api/exercises/ns-blue/submissions")
        .await
        .json();
    assert_eq!(theirs["submissions"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_history_of_an_unknown_exercise_is_a_404() {
    let app = spawn_app().await;
    assert_eq!(app.get("/api/exercises/nope/submissions").await.status, 404);
}

#[tokio::test]
async fn passing_an_exercise_shows_as_progress_on_the_index() {
    let app = spawn_app().await;
    app.get("/").await;
    app.submit("ns-blue", NS_BLEU).await;
    assert!(
        app.get("/")
            .await
            .body
            .contains("<span class=\"progress-count\">0/2</span>")
    );
    let report = app.submit("ns-blue", NS_BLUE).await.json();
    assert_eq!(report["status"], "pass", "{report}");
    let index = app.get("/").await.body;
    assert!(
        index.contains("<span class=\"progress-count\">1/2</span>"),
        "{index}"
    );
    assert!(!index.contains("완료"), "one exercise is still open");
    let lesson = app.get("/lessons/01-network-model").await.body;
    assert_eq!(
        lesson.matches("이미 통과한 연습문제입니다.").count(),
        1,
        "{lesson}"
    );
    let report = app
        .submit("ns-red-terminal", "kubectl create namespace red\n")
        .await
        .json();
    assert_eq!(report["status"], "pass", "{report}");
    let index = app.get("/").await.body;
    assert!(index.contains("<span class=\"progress-count\">2/2</span> 통과 <span class=\"progress-done\">완료</span>"), "{index}");
}

#[tokio::test]
async fn a_terminal_exercise_takes_the_transcript_as_json() {
    let app = spawn_app().await;
    let transcript = serde_json::json!({
        "files": { "red.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: red\n" },
        "commands": ["kubectl get ns", "kubectl apply -f red.yaml"]
    });
    let response = app
        .request(
            Method::POST,
            "/api/exercises/ns-red-terminal/submissions",
            transcript.to_string().into_bytes(),
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.json()["status"], "pass", "{}", response.body);
    let typo = app
        .submit("ns-red-terminal", "kubectl create namespace rde\n")
        .await
        .json();
    assert_eq!(typo["status"], "fail");
    assert_eq!(typo["checks"][0]["status"], "fail");
    assert_eq!(typo["checks"][1]["status"], "pass");
}

#[tokio::test]
async fn a_malformed_transcript_is_a_400_and_nothing_is_stored() {
    let app = spawn_app().await;
    let response = app
        .request(
            Method::POST,
            "/api/exercises/ns-red-terminal/submissions",
            b"{\"commands\": 3}".to_vec(),
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(response.status, 400);
    assert_eq!(
        response.json()["error"]["message"],
        "터미널 기록(JSON)을 읽지 못했습니다."
    );
    assert_eq!(app.count_submissions().await, 0);
}

#[tokio::test]
async fn an_alias_bomb_is_answered_as_an_error_not_a_hang() {
    let app = spawn_app().await;
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut previous = 'a';
    for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
        let refs = vec![format!("*{previous}"); 9].join(",");
        bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = name;
    }
    let report = app.submit("ns-blue", bomb).await.json();
    assert_eq!(report["status"], "error", "{report}");
    assert!(
        report["error"]["message"]
            .as_str()
            .is_some_and(|message| message.ends_with("yaml: document contains excessive aliasing")),
        "{report}"
    );
}

#[tokio::test]
async fn deeply_nested_yaml_is_answered_as_an_error_not_a_crash() {
    let app = spawn_app().await;
    let deep = format!("a: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    let report = app.submit("ns-blue", deep).await.json();
    assert_eq!(report["status"], "error", "{report}");
    assert!(
        report["error"]["message"]
            .as_str()
            .is_some_and(|message| message.ends_with("yaml: recursion limit exceeded")),
        "{report}"
    );
}

#[tokio::test]
async fn progress_and_the_session_survive_a_server_restart() {
    let app = spawn_app().await;
    app.submit("ns-blue", NS_BLEU).await;
    app.submit("ns-blue", NS_BROKEN).await;
    let app = app.restart().await;
    let history = app.get("/api/exercises/ns-blue/submissions").await.json();
    assert_eq!(
        history["submissions"].as_array().map(Vec::len),
        Some(2),
        "{history}"
    );
}

#[tokio::test]
async fn a_transcript_over_a_thousand_lines_is_a_400_and_nothing_is_stored() {
    let app = spawn_app().await;
    let answer = "kubectl get ns\n".repeat(1001);
    let response = app.submit("ns-red-terminal", answer).await;
    assert_eq!(response.status, 400);
    assert!(
        response.json()["error"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("1,000줄")),
    );
    assert_eq!(app.count_submissions().await, 0);
}

#[tokio::test]
async fn only_a_browsers_first_submission_writes_its_session() {
    let app = spawn_app().await;
    let first = app.submit("ns-blue", NS_BLEU).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(
        first.header("set-cookie").starts_with("netlab_session="),
        "the first submission starts the session: {:?}",
        first.headers
    );
    let second = app.submit("ns-blue", NS_BLUE).await;
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(
        second.header("set-cookie"),
        "",
        "nothing changed in the session, so it is not written again"
    );
    assert_eq!(app.count_submissions().await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_submissions_from_many_browsers_are_all_graded_and_stored() {
    // More submissions at once than there are cores and database connections: they queue
    // for a core and for the single writer, and every one is answered and stored.
    let app = spawn_app().await;
    let mut submissions = tokio::task::JoinSet::new();
    for index in 0..12 {
        let browser = app.new_browser();
        let answer = format!("{NS_BLUE}# browser {index}\n");
        submissions.spawn(async move { browser.submit("ns-blue", answer).await });
    }
    let responses = submissions.join_all().await;
    assert_eq!(responses.len(), 12);
    for response in &responses {
        assert_eq!(response.status, 200, "{}", response.body);
        assert_eq!(response.json()["status"], "pass", "{}", response.body);
    }
    assert_eq!(app.count_submissions().await, 12);
}
