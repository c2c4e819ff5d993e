//! `GET /healthz`.

use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_answers_ok_when_the_database_is_reachable() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.body, "ok\n");
}
