//! The pages: the lesson index, a lesson beside the lab, static assets, headers.

use crate::helpers::{Assets, spawn_app, spawn_app_with};

#[tokio::test]
async fn the_index_lists_the_network_model_lesson_in_korean() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status, 200);
    assert!(response.header("content-type").starts_with("text/html"));
    assert!(response.body.contains("<html lang=\"ko\">"));
    assert!(response.body.contains(
        "<a href=\"/lessons/01-network-model\">쿠버네티스 네트워크 모델 한눈에 보기</a>"
    ));
    assert!(
        response
            .body
            .contains("연습문제 <span class=\"progress-count\">0/2</span> 통과")
    );
}

#[tokio::test]
async fn the_first_visit_gets_an_http_only_same_site_session_cookie() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let cookie = response.header("set-cookie");
    assert!(cookie.starts_with("netlab_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
}

#[tokio::test]
async fn the_lesson_page_renders_korean_bold_next_to_punctuation() {
    let app = spawn_app().await;
    let response = app.get("/lessons/01-network-model").await;
    assert_eq!(response.status, 200);
    // `**포드(Pod)**는` is literal asterisks in plain CommonMark; comrak's CJK option fixes it.
    assert!(
        response.body.contains("<strong>포드(Pod)</strong>는"),
        "{}",
        response.body
    );
    assert!(!response.body.contains("**"), "no unrendered emphasis");
}

#[tokio::test]
async fn the_lesson_page_follows_the_dom_contract() {
    let app = spawn_app().await;
    let body = app.get("/lessons/01-network-model").await.body;
    for expected in [
        "<html lang=\"ko\">",
        "<link rel=\"stylesheet\" href=\"/static/app.css\">",
        "<script type=\"module\" src=\"/static/app.js\"></script>",
        "<aside id=\"lab\" data-lesson=\"01-network-model\"",
        "<div id=\"terminal\"></div>",
        "<section class=\"exercise\" data-exercise-id=\"ns-blue\" data-submission-kind=\"yaml\"",
        "<section class=\"exercise\" data-exercise-id=\"ns-red-terminal\" data-submission-kind=\"transcript\"",
        "<textarea class=\"exercise-answer\"",
        "<button type=\"button\" class=\"exercise-submit\">제출</button>",
        "<div class=\"exercise-result\" aria-live=\"polite\"></div>",
        "data-command=\"kubectl get nodes\"",
        "data-command=\"kubectl get nodes -o wide\"",
        "data-command=\"kubectl get ns\"",
    ] {
        assert!(body.contains(expected), "missing {expected}");
    }
}

#[tokio::test]
async fn headings_get_ids_that_keep_hangul() {
    let app = spawn_app().await;
    let body = app.get("/lessons/01-network-model").await.body;
    assert!(
        body.contains("<h2 id=\"sec-실습-클러스터-살펴보기\">"),
        "{body}"
    );
}

#[tokio::test]
async fn the_lesson_page_says_how_to_build_missing_web_assets() {
    let app = spawn_app_with(Assets::Missing).await;
    let body = app.get("/lessons/01-network-model").await.body;
    assert!(body.contains("<code>cargo xtask web</code>"), "{body}");
    let built = spawn_app_with(Assets::Built).await;
    let body = built.get("/lessons/01-network-model").await.body;
    assert!(!body.contains("cargo xtask web"));
}

#[tokio::test]
async fn an_unknown_lesson_is_a_korean_404_page() {
    let app = spawn_app().await;
    let response = app.get("/lessons/99-nothing").await;
    assert_eq!(response.status, 404);
    assert!(response.body.contains("강의를 찾을 수 없습니다."));
}

#[tokio::test]
async fn every_response_carries_the_content_security_policy() {
    let app = spawn_app().await;
    for uri in [
        "/",
        "/lessons/01-network-model",
        "/healthz",
        "/static/app.js",
        "/nowhere",
    ] {
        let response = app.get(uri).await;
        assert_eq!(
            response.header("content-security-policy"),
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
            "{uri}"
        );
        assert_eq!(
            response.header("x-content-type-options"),
            "nosniff",
            "{uri}"
        );
    }
}

#[tokio::test]
async fn static_assets_are_served_from_the_static_directory() {
    let app = spawn_app().await;
    let response = app.get("/static/app.js").await;
    assert_eq!(response.status, 200);
    assert!(response.header("content-type").contains("javascript"));
    assert_eq!(response.body, "console.log('netlab');\n");
    assert_eq!(app.get("/static/missing.js").await.status, 404);
}

#[tokio::test]
async fn pages_are_compressed_when_the_browser_accepts_gzip() {
    let app = spawn_app().await;
    let response = app
        .request(
            axum::http::Method::GET,
            "/lessons/01-network-model",
            Vec::new(),
            &[("accept-encoding", "gzip")],
        )
        .await;
    assert_eq!(response.header("content-encoding"), "gzip");
}

#[tokio::test]
async fn the_lab_lesson_renders_its_table_callout_and_navigation() {
    let app = spawn_app().await;
    let response = app.get("/lessons/02-lab-environment").await;
    assert_eq!(response.status, 200);
    let body = response.body;
    assert!(body.contains("<td>192.168.56.11</td>"), "{body}");
    assert!(
        body.contains("<p class=\"markdown-alert-title\">참고</p>"),
        "{body}"
    );
    assert!(
        body.contains("<details class=\"lesson-details\"><summary>힌트</summary>"),
        "{body}"
    );
    assert!(
        body.contains("<details class=\"lesson-details\"><summary>풀이</summary>"),
        "{body}"
    );
    assert!(
        body.contains("<section class=\"exercise\" data-exercise-id=\"hello-on-worker2\""),
        "{body}"
    );
    assert!(
        body.contains("<a class=\"lesson-prev\" href=\"/lessons/01-network-model\">"),
        "{body}"
    );
    assert!(
        body.contains("<strong>방금 무슨 일이 일어났나</strong>"),
        "{body}"
    );
}

#[tokio::test]
async fn reading_a_lesson_does_not_create_a_session() {
    let app = spawn_app().await;
    let response = app.get("/lessons/01-network-model").await;
    assert_eq!(response.header("set-cookie"), "");
    assert!(!response.body.contains("이미 통과한 연습문제입니다."));
}

#[tokio::test]
async fn a_precompressed_asset_is_sent_as_is_to_a_browser_that_accepts_gzip() {
    let app = spawn_app().await;
    // `cargo xtask web` writes FILE.gz (zopfli) beside each asset; its bytes go out
    // unchanged, neither recompressed nor compressed twice.
    let gz: &[u8] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xffprecompressed";
    std::fs::write(app.state.config.static_dir.join("app.js.gz"), gz).expect("write app.js.gz");
    let response = app
        .request(
            axum::http::Method::GET,
            "/static/app.js",
            Vec::new(),
            &[("accept-encoding", "gzip")],
        )
        .await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-encoding"), "gzip");
    assert!(response.header("content-type").contains("javascript"));
    assert_eq!(response.header("content-length"), gz.len().to_string());
    assert!(response.body.ends_with("precompressed"));
    // A client without gzip still gets the plain file.
    assert_eq!(
        app.get("/static/app.js").await.body,
        "console.log('netlab');\n"
    );
}
