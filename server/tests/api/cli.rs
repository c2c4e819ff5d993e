//! The binary: `server grade` (exit 0 pass, 1 fail, 2 error), `server check`, and
//! `server serve --bind 127.0.0.1:0` printing exactly one line with its URL.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::helpers::{NS_BLEU, NS_BLUE, NS_BROKEN, TempDir, content_dir};

fn server() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command.env_remove("DATABASE_URL").env("NO_COLOR", "1");
    command
}

fn grade(answer: &str) -> Output {
    let dir = TempDir::new("grade");
    let file = dir.0.join("answer.yaml");
    std::fs::write(&file, answer).expect("write the answer");
    server()
        .arg("grade")
        .arg("ns-blue")
        .arg(&file)
        .arg("--content")
        .arg(content_dir())
        .output()
        .expect("run server grade")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn grading_the_reference_answer_exits_0_and_says_pass_in_korean() {
    let output = grade(NS_BLUE);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(stdout.starts_with("연습문제 ns-blue: 통과\n"), "{stdout}");
    assert!(
        stdout.contains("[통과] 네임스페이스 blue가 있습니다"),
        "{stdout}"
    );
}

#[test]
fn grading_a_wrong_answer_exits_1_with_expected_and_observed() {
    let output = grade(NS_BLEU);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(stdout.starts_with("연습문제 ns-blue: 실패\n"), "{stdout}");
    assert!(
        stdout.contains("[실패] 네임스페이스 blue가 있습니다"),
        "{stdout}"
    );
    assert!(stdout.contains("    기대: namespace/blue 있음"), "{stdout}");
    assert!(
        stdout.contains("    실제: Error from server (NotFound): namespaces \"blue\" not found"),
        "{stdout}"
    );
}

#[test]
fn grading_yaml_that_does_not_apply_exits_2_with_kubectls_message() {
    let output = grade(NS_BROKEN);
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert!(stdout.starts_with("연습문제 ns-blue: 오류\n"), "{stdout}");
    assert!(
        stdout.contains("error: error parsing answer.yaml"),
        "{stdout}"
    );
    assert!(stdout.contains("[건너뜀]"), "{stdout}");
}

#[test]
fn grading_an_unknown_exercise_exits_2_in_korean() {
    let dir = TempDir::new("grade");
    let file = dir.0.join("answer.yaml");
    std::fs::write(&file, NS_BLUE).expect("write the answer");
    let output = server()
        .args(["grade", "no-such"])
        .arg(&file)
        .arg("--content")
        .arg(content_dir())
        .output()
        .expect("run server grade");
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("연습문제 'no-such'을(를) 찾을 수 없습니다."));
}

#[test]
fn server_check_passes_on_the_course() {
    let output = server()
        .arg("check")
        .arg("--content")
        .arg(content_dir())
        .output()
        .expect("run server check");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("강의 9개, 연습문제 10개: 문제 없음"));
}

/// A copy of the course that a test may break.
fn copy_course(into: &Path) {
    for sub in ["", "lessons", "exercises"] {
        let from = content_dir().join(sub);
        std::fs::create_dir_all(into.join(sub)).expect("create dir");
        for entry in std::fs::read_dir(&from).expect("read content") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                std::fs::copy(&path, into.join(sub).join(path.file_name().expect("name")))
                    .expect("copy");
            }
        }
    }
}

#[test]
fn server_check_reports_path_and_line_of_an_unknown_front_matter_key() {
    let dir = TempDir::new("check");
    copy_course(&dir.0);
    let lesson = dir.0.join("lessons/01-network-model.md");
    let text_before = std::fs::read_to_string(&lesson).expect("read lesson");
    std::fs::write(
        &lesson,
        text_before.replacen("minutes: 20", "minutes: 20\nminuts: 3", 1),
    )
    .expect("write lesson");
    let output = server()
        .arg("check")
        .arg("--content")
        .arg(&dir.0)
        .output()
        .expect("run server check");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let expected_prefix = format!("{}:5: ", lesson.display());
    assert!(stderr.starts_with(&expected_prefix), "{stderr}");
    assert!(stderr.contains("minuts"), "{stderr}");
}

#[test]
fn server_check_catches_a_known_wrong_attempt_that_passes() {
    let dir = TempDir::new("check");
    copy_course(&dir.0);
    let exercise = dir.0.join("exercises/ns-blue.yaml");
    let text_before = std::fs::read_to_string(&exercise).expect("read exercise");
    // The "misspelled" attempt now creates blue: it passes, so check must complain.
    std::fs::write(&exercise, text_before.replace("name: bleu", "name: blue"))
        .expect("write exercise");
    let output = server()
        .arg("check")
        .arg("--content")
        .arg(&dir.0)
        .output()
        .expect("run server check");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("known-wrong attempt wrong[0]") && stderr.contains("got status pass"),
        "{stderr}"
    );
    assert!(
        stderr.starts_with(&format!("{}:", exercise.display())),
        "{stderr}"
    );
}

#[test]
fn serve_prints_exactly_one_url_line_and_answers_on_that_port() {
    let dir = TempDir::new("serve");
    let mut child = server()
        .current_dir(&dir.0)
        .args(["serve", "--bind", "127.0.0.1:0", "--content"])
        .arg(content_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let port = first
        .strip_prefix("k8s-netlab: http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix('/'))
        .and_then(|port| port.parse::<u16>().ok());
    let health = port.map(|port| {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        response
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(port.is_some(), "first stdout line was {first:?}");
    let health = health.unwrap_or_default();
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.ends_with("ok\n"), "{health}");
    assert!(
        dir.0.join("data/netlab.db").is_file(),
        "the default SQLite database is created under data/"
    );
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert_eq!(rest, Vec::<String>::new(), "nothing else on stdout");
}

fn http_get(port: u16, path: &str) -> String {
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    let mut response = String::new();
    if stream.write_all(request.as_bytes()).is_ok() {
        let _ = stream.read_to_string(&mut response);
    }
    response
}

#[test]
fn serve_dev_reloads_a_changed_lesson_without_a_restart() {
    let dir = TempDir::new("dev");
    copy_course(&dir.0.join("content"));
    let mut child = server()
        .current_dir(&dir.0)
        .args(["serve", "--dev", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let stdout = child.stdout.take().expect("stdout");
    let first = BufReader::new(stdout)
        .lines()
        .next()
        .and_then(Result::ok)
        .unwrap_or_default();
    let port = first
        .strip_prefix("k8s-netlab: http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix('/'))
        .and_then(|port| port.parse::<u16>().ok())
        .unwrap_or_default();
    let before = http_get(port, "/lessons/01-network-model");
    let lesson = dir.0.join("content/lessons/01-network-model.md");
    let text = std::fs::read_to_string(&lesson).expect("read lesson");
    std::fs::write(
        &lesson,
        text.replacen(
            "title: 쿠버네티스 네트워크 모델 한눈에 보기",
            "title: 고친 제목",
            1,
        ),
    )
    .expect("edit lesson");
    let mut after = String::new();
    for _ in 0..50 {
        std::thread::sleep(std::time::Duration::from_millis(200));
        after = http_get(port, "/lessons/01-network-model");
        if after.contains("<h1>고친 제목</h1>") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        before.contains("<h1>쿠버네티스 네트워크 모델 한눈에 보기</h1>"),
        "{before}"
    );
    assert!(after.contains("<h1>고친 제목</h1>"), "{after}");
}

#[test]
fn a_service_whose_selector_matches_no_pod_fails_only_the_endpoints_check() {
    let dir = TempDir::new("grade");
    let file = dir.0.join("answer.yaml");
    let answer = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pod-jenkins\n  namespace: blue\nspec:\n  selector:\n    matchLabels:\n      run: pod-jenkins\n  template:\n    metadata:\n      labels:\n        run: pod-jenkins\n    spec:\n      containers:\n      - image: jenkins/jenkins:lts-jdk11\n        name: pod-jenkins\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: srv-jenkins\n  namespace: blue\nspec:\n  ports:\n  - port: 8080\n  selector:\n    app: jenkins\n";
    std::fs::write(&file, answer).expect("write the answer");
    let output = server()
        .args(["grade", "dns-jenkins"])
        .arg(&file)
        .arg("--content")
        .arg(content_dir())
        .output()
        .expect("run server grade");
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}{}",
        text(&output.stderr)
    );
    assert_eq!(stdout.matches("[통과]").count(), 5, "{stdout}");
    assert!(
        stdout.contains(
            "[실패] srv-jenkins가 pod-jenkins의 포드를 가리킵니다 (엔드포인트가 있습니다)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("    실제: .subsets[0].addresses 없음"),
        "{stdout}"
    );
}

#[test]
fn server_check_reports_an_exercise_that_no_lesson_places() {
    let dir = TempDir::new("check");
    copy_course(&dir.0);
    let lesson = dir.0.join("lessons/01-network-model.md");
    let text_before = std::fs::read_to_string(&lesson).expect("read lesson");
    std::fs::write(
        &lesson,
        text_before.replace("```exercise\nns-red-terminal\n```\n", ""),
    )
    .expect("write lesson");
    let output = server()
        .arg("check")
        .arg("--content")
        .arg(&dir.0)
        .output()
        .expect("run server check");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let expected = format!(
        "{}:1: exercise ns-red-terminal is not placed in any lesson",
        dir.0.join("exercises/ns-red-terminal.yaml").display()
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
}
