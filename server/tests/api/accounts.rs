//! Optional accounts: signup keeps anonymous progress, login from another browser brings it
//! back (and merges that browser's anonymous work), wrong credentials, logout.

use axum::http::Method;

use crate::helpers::{NS_BLEU, NS_BROKEN, TestApp, TestResponse, spawn_app};

pub async fn post_form(app: &TestApp, uri: &str, body: &str) -> TestResponse {
    app.request(
        Method::POST,
        uri,
        body.as_bytes().to_vec(),
        &[("content-type", "application/x-www-form-urlencoded")],
    )
    .await
}

async fn history_len(app: &TestApp) -> usize {
    app.get("/api/exercises/ns-blue/submissions").await.json()["submissions"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn signing_up_keeps_the_progress_made_anonymously() {
    let app = spawn_app().await;
    app.submit("ns-blue", NS_BLEU).await;
    let response = post_form(&app, "/signup", "username=student1&password=correct-horse").await;
    assert_eq!(response.status, 303, "{}", response.body);
    assert_eq!(response.header("location"), "/");
    let index = app.get("/").await.body;
    assert!(
        index.contains("<span class=\"account-name\">student1</span>"),
        "{index}"
    );
    assert_eq!(history_len(&app).await, 1);
}

#[tokio::test]
async fn logging_in_elsewhere_brings_the_history_and_merges_that_browsers_work() {
    let app = spawn_app().await;
    app.submit("ns-blue", NS_BLEU).await;
    post_form(&app, "/signup", "username=student2&password=correct-horse").await;

    let laptop = app.new_browser();
    laptop.submit("ns-blue", NS_BROKEN).await;
    let response = post_form(
        &laptop,
        "/login",
        "username=student2&password=correct-horse",
    )
    .await;
    assert_eq!(response.status, 303, "{}", response.body);
    assert_eq!(
        history_len(&laptop).await,
        2,
        "own history plus the anonymous attempt"
    );
    assert_eq!(
        history_len(&app).await,
        2,
        "the first browser sees the same account"
    );
}

#[tokio::test]
async fn a_taken_username_is_refused_in_korean() {
    let app = spawn_app().await;
    post_form(&app, "/signup", "username=taken&password=correct-horse").await;
    let other = app.new_browser();
    let response = post_form(&other, "/signup", "username=taken&password=another-one").await;
    assert_eq!(response.status, 409);
    assert!(response.body.contains("이미 쓰이고 있는 아이디입니다."));
}

#[tokio::test]
async fn a_short_password_is_refused_in_korean() {
    let app = spawn_app().await;
    let response = post_form(&app, "/signup", "username=shorty&password=short").await;
    assert_eq!(response.status, 422);
    assert!(response.body.contains("비밀번호는 8자 이상"));
    assert!(
        response.body.contains("value=\"shorty\""),
        "the name is kept in the form"
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_name_get_the_same_answer() {
    let app = spawn_app().await;
    post_form(&app, "/signup", "username=student3&password=correct-horse").await;
    let other = app.new_browser();
    let wrong_password =
        post_form(&other, "/login", "username=student3&password=wrong-horse").await;
    let unknown_name = post_form(&other, "/login", "username=nobody&password=wrong-horse").await;
    for response in [&wrong_password, &unknown_name] {
        assert_eq!(response.status, 401);
        assert!(
            response
                .body
                .contains("아이디 또는 비밀번호가 맞지 않습니다.")
        );
    }
}

#[tokio::test]
async fn logging_out_forgets_the_account() {
    let app = spawn_app().await;
    post_form(&app, "/signup", "username=student4&password=correct-horse").await;
    let response = app.request(Method::POST, "/logout", Vec::new(), &[]).await;
    assert_eq!(response.status, 303);
    let index = app.get("/").await.body;
    assert!(!index.contains("student4"));
    assert!(index.contains("<a href=\"/login\">로그인</a>"));
}

#[tokio::test]
async fn password_guessing_is_slowed_down_with_a_429() {
    let app = spawn_app().await;
    for _ in 0..10 {
        let response = post_form(&app, "/login", "username=nobody&password=guess-guess").await;
        assert_eq!(response.status, 401);
    }
    let response = post_form(&app, "/login", "username=nobody&password=guess-guess").await;
    assert_eq!(response.status, 429);
    assert_eq!(
        response.json()["error"]["message"],
        "요청이 너무 많습니다. 잠시 뒤 다시 시도하세요."
    );
    assert_eq!(
        app.get("/login").await.status,
        200,
        "reading the page is not limited"
    );
}

#[tokio::test]
async fn logging_in_issues_a_new_session_id() {
    let app = spawn_app().await;
    post_form(&app, "/signup", "username=fixated&password=correct-horse").await;
    let browser = app.new_browser();
    let before = browser.get("/").await.header("set-cookie").to_owned();
    let after = post_form(
        &browser,
        "/login",
        "username=fixated&password=correct-horse",
    )
    .await
    .header("set-cookie")
    .to_owned();
    assert!(before.starts_with("netlab_session="), "{before}");
    assert!(after.starts_with("netlab_session="), "{after}");
    assert_ne!(
        before.split(';').next(),
        after.split(';').next(),
        "a session id known before login is useless after it"
    );
}
