//! The server's one HTTP error type. 4xx variants carry Korean text for the student; internal
//! failures are logged with their cause chain and answered with an opaque 500.
//!
//! API errors are JSON `{ "error": { "message", "hint" } }` (the same shape as a grading
//! report's `error`), page errors are a small Korean HTML page.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("강의를 찾을 수 없습니다.")]
    LessonNotFound,
    #[error("연습문제 '{0}'을(를) 찾을 수 없습니다.")]
    ExerciseNotFound(String),
    #[error("{0}")]
    BadRequest(&'static str),
    #[error("로그인이 필요합니다.")]
    LoginRequired,
    #[error("강사만 볼 수 있는 페이지입니다.")]
    Forbidden,
    #[error("요청이 너무 많습니다. 잠시 뒤 다시 시도하세요.")]
    TooManyRequests,
    #[error("답안이 너무 큽니다. 256 KiB 이하로 제출하세요.")]
    PayloadTooLarge,
    #[error("채점이 제한 시간 안에 끝나지 않았습니다.")]
    GradingTimeout,
    #[error("서버 내부 오류가 발생했습니다.")]
    Internal(#[from] anyhow::Error),
    #[error("서버 내부 오류가 발생했습니다.")]
    Session(#[from] tower_sessions::session::Error),
}

impl Error {
    fn status_code(&self) -> StatusCode {
        match self {
            Error::LessonNotFound | Error::ExerciseNotFound(_) => StatusCode::NOT_FOUND,
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::LoginRequired => StatusCode::SEE_OTHER,
            Error::Forbidden => StatusCode::FORBIDDEN,
            Error::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Error::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::GradingTimeout => StatusCode::SERVICE_UNAVAILABLE,
            Error::Internal(_) | Error::Session(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn hint(&self) -> &'static str {
        match self {
            Error::LessonNotFound => "강의 목록에서 다시 골라 주세요.",
            Error::ExerciseNotFound(_) => "페이지를 새로 고친 뒤 다시 제출하세요.",
            Error::BadRequest(_) => "답안 칸에 YAML을 입력한 뒤 제출하세요.",
            Error::LoginRequired => "강사 계정으로 로그인하세요.",
            Error::Forbidden => "강사 계정으로 로그인하세요.",
            Error::TooManyRequests => "잠시 기다린 뒤 다시 시도하세요.",
            Error::PayloadTooLarge => "답안에 필요한 매니페스트만 남겨 보세요.",
            Error::GradingTimeout => "잠시 뒤 다시 제출하세요. 계속되면 강사에게 알려 주세요.",
            Error::Internal(_) | Error::Session(_) => "잠시 뒤 다시 시도하세요.",
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        match &self {
            Error::Internal(cause) => tracing::error!(error = ?cause, "internal error"),
            Error::Session(cause) => tracing::error!(error = ?cause, "session store error"),
            _ => {}
        }
        let status = self.status_code();
        if let Error::LoginRequired = self {
            return (status, [(axum::http::header::LOCATION, "/login")]).into_response();
        }
        if let Error::LessonNotFound | Error::Forbidden = self {
            let page = format!(
                "<!doctype html><html lang=\"ko\"><meta charset=\"utf-8\"><title>찾을 수 없음</title>\
                 <p>{self}</p><p><a href=\"/\">강의 목록으로</a></p></html>"
            );
            return (status, Html(page)).into_response();
        }
        let body = serde_json::json!({
            "error": { "message": self.to_string(), "hint": self.hint() }
        });
        (status, Json(body)).into_response()
    }
}
