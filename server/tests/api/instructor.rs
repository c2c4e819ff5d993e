//! The instructor's view: guarded, per-exercise pass rates and the most-failed check, each
//! learner's attempts, and the CSV export.

use crate::accounts::post_form;
use crate::helpers::{NS_BLEU, NS_BLUE, TestApp, spawn_app};

async fn instructor_browser(app: &TestApp) -> TestApp {
    let message = server::cli::make_instructor(
        &app.state.config.database_url,
        "teacher",
        Some("teacher-password".to_owned()),
    )
    .await
    .expect("create the instructor");
    assert_eq!(message, "teacher: 강사 계정을 만들었습니다.");
    let browser = app.new_browser();
    let response = post_form(
        &browser,
        "/login",
        "username=teacher&password=teacher-password",
    )
    .await;
    assert_eq!(response.status, 303);
    assert_eq!(response.header("location"), "/instructor");
    browser
}

#[tokio::test]
async fn the_class_view_needs_an_instructor() {
    let app = spawn_app().await;
    let anonymous = app.get("/instructor").await;
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.header("location"), "/login");
    post_form(&app, "/signup", "username=student&password=correct-horse").await;
    assert_eq!(app.get("/instructor").await.status, 403);
    assert_eq!(app.get("/instructor/submissions.csv").await.status, 403);
}

#[tokio::test]
async fn the_class_view_shows_pass_rates_and_the_most_failed_check() {
    let app = spawn_app().await;
    let first = app.new_browser();
    first.submit("ns-blue", NS_BLEU).await;
    first.submit("ns-blue", NS_BLUE).await;
    let second = app.new_browser();
    post_form(&second, "/signup", "username=minji&password=correct-horse").await;
    second.submit("ns-blue", NS_BLEU).await;

    let teacher = instructor_browser(&app).await;
    let page = teacher.get("/instructor").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<tr data-exercise-id=\"ns-blue\"><td>네임스페이스 blue 만들기 <code>ns-blue</code></td><td>3</td><td>2</td><td>1</td><td>50%</td><td>네임스페이스 blue가 있습니다 (2회)</td></tr>"),
        "{}",
        page.body
    );
    assert!(page.body.contains(">minji</a>"), "{}", page.body);
}

#[tokio::test]
async fn the_csv_export_has_one_row_per_submission() {
    let app = spawn_app().await;
    let student = app.new_browser();
    post_form(&student, "/signup", "username=jisoo&password=correct-horse").await;
    student.submit("ns-blue", NS_BLEU).await;
    student.submit("ns-blue", NS_BLUE).await;

    let teacher = instructor_browser(&app).await;
    let csv = teacher.get("/instructor/submissions.csv").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    let lines: Vec<&str> = csv
        .body
        .split("\r\n")
        .filter(|line| !line.is_empty())
        .collect();
    assert_eq!(
        lines[0],
        "\u{feff}submission_id,learner,username,exercise_id,status,failed_checks,created_at_utc"
    );
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1].contains(",jisoo,ns-blue,fail,namespace-exists namespace-active,"),
        "{}",
        lines[1]
    );
    assert!(lines[2].contains(",jisoo,ns-blue,pass,,"), "{}", lines[2]);
}

#[tokio::test]
async fn the_instructor_sees_one_learners_attempts() {
    let app = spawn_app().await;
    let student = app.new_browser();
    post_form(&student, "/signup", "username=hana&password=correct-horse").await;
    student.submit("ns-blue", NS_BLEU).await;
    let teacher = instructor_browser(&app).await;
    let class = teacher.get("/instructor").await.body;
    let link_start = class.find("/instructor/learners/").expect("a learner link");
    let link: String = class[link_start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let page = teacher.get(&link).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("hana의 제출 기록"), "{}", page.body);
    assert!(
        page.body
            .contains("<td>실패</td><td>namespace-exists, namespace-active</td>"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn an_existing_student_can_be_made_an_instructor() {
    let app = spawn_app().await;
    post_form(&app, "/signup", "username=promoted&password=correct-horse").await;
    let message = server::cli::make_instructor(&app.state.config.database_url, "promoted", None)
        .await
        .expect("promote the student");
    assert_eq!(message, "promoted: 이제 강사입니다.");
    let browser = app.new_browser();
    let response = post_form(
        &browser,
        "/login",
        "username=promoted&password=correct-horse",
    )
    .await;
    assert_eq!(response.header("location"), "/instructor");
    assert_eq!(browser.get("/instructor").await.status, 200);
}
