//! The grading API (COMMON.md "HTTP"):
//! - `POST /api/exercises/{id}/submissions`: the YAML answer as the body (or, for a terminal
//!   exercise, the transcript as JSON) → the report JSON (`status`, `checks[]`, `error`);
//!   the submission is stored with its report.
//! - `GET /api/exercises/{id}/submissions`: the current learner's history, newest first.
//!
//! Bad input gets a JSON error and stores nothing: unknown id 404, empty or non-UTF-8 body
//! 400, over 256 KiB 413.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Serialize;
use sim_wasm::grade::{Status, SubmissionKind, Transcript};
use tower_sessions::Session;

use super::identity::Learner;
use crate::db::{NewSubmission, SubmissionRow};
use crate::error::{Error, Result};
use crate::grading::Submitted;
use crate::state::AppState;

/// The largest answer accepted: far more than any manifest a lesson asks for.
pub const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// The most typed lines a terminal exercise replays: a session of a lesson is far shorter,
/// and each line may run controllers on the simulated cluster.
const MAX_TRANSCRIPT_LINES: usize = 1000;

/// How many past submissions the history returns.
const HISTORY_LIMIT: i64 = 50;

pub fn router(rate_limited: bool) -> Router<AppState> {
    let router = Router::new()
        .route(
            "/api/exercises/{id}/submissions",
            post(submit_answer).get(list_submissions),
        )
        .layer(DefaultBodyLimit::max(MAX_ANSWER_BYTES));
    if rate_limited {
        // A student retrying quickly gets 30 at once, then one every 200 ms per address.
        super::rate_limit::limit_posts(router, 30, std::time::Duration::from_millis(200))
    } else {
        router
    }
}

#[derive(Serialize)]
struct History {
    exercise_id: String,
    submissions: Vec<SubmissionRow>,
}

// POST /api/exercises/{id}/submissions
#[tracing::instrument(skip_all, fields(exercise = %id))]
async fn submit_answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    session: Session,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response> {
    let entry = state
        .course()
        .exercise(&id)
        .cloned()
        .ok_or_else(|| Error::ExerciseNotFound(id.clone()))?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::PayloadTooLarge
        } else {
            Error::BadRequest("답안을 읽지 못했습니다.")
        }
    })?;
    let answer = std::str::from_utf8(&body)
        .map_err(|_| Error::BadRequest("답안이 UTF-8 텍스트가 아닙니다."))?
        .to_owned();
    if answer.trim().is_empty() {
        return Err(Error::BadRequest("답안이 비어 있습니다."));
    }
    // A terminal exercise may send its transcript as JSON `{ "files": {..}, "commands": [..] }`;
    // any other body is graded as the exercise's kind says (YAML file, or one line per command).
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    let transcript = match (entry.exercise.submission.kind, is_json) {
        (SubmissionKind::Transcript, true) => Some(
            serde_json::from_str::<Transcript>(&answer)
                .map_err(|_| Error::BadRequest("터미널 기록(JSON)을 읽지 못했습니다."))?,
        ),
        _ => None,
    };
    let n_lines = match &transcript {
        Some(transcript) => transcript.commands.len(),
        None if entry.exercise.submission.kind == SubmissionKind::Transcript => {
            answer.lines().count()
        }
        None => 0,
    };
    if n_lines > MAX_TRANSCRIPT_LINES {
        return Err(Error::BadRequest(
            "터미널 기록이 너무 깁니다. 명령은 1,000줄까지 제출할 수 있습니다.",
        ));
    }
    let graded = state
        .grader
        .grade(Arc::clone(&entry), Submitted { answer, transcript })
        .await?;
    let learner = Learner::of(&session).await?;
    let status = match graded.status {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Error => "error",
    };
    state
        .db
        .insert_submission(NewSubmission {
            learner_id: &learner.0,
            exercise_id: entry.id.as_ref(),
            answer: &graded.answer,
            status,
            report_json: &graded.report_json,
        })
        .await?;
    // The stored text is the response: the report is serialized once.
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        graded.report_json,
    )
        .into_response())
}

// GET /api/exercises/{id}/submissions
#[tracing::instrument(skip_all, fields(exercise = %id))]
async fn list_submissions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    learner: Learner,
) -> Result<Json<History>> {
    let course = state.course();
    let entry = course
        .exercise(&id)
        .ok_or_else(|| Error::ExerciseNotFound(id.clone()))?;
    let submissions = state
        .db
        .submissions(&learner.0, entry.id.as_ref(), HISTORY_LIMIT)
        .await?;
    Ok(Json(History {
        exercise_id: entry.id.to_string(),
        submissions,
    }))
}
