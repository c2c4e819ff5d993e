//! Optional accounts (issue 5 "Accounts and progress"): `GET/POST /signup`,
//! `GET/POST /login`, `POST /logout`. Signing up keeps the anonymous progress (the account
//! adopts the session's learner); logging in moves this browser's anonymous submissions
//! into the account. Passwords are argon2 PHC strings (password-auth), hashed off the
//! async workers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use tower_sessions::Session;

use super::identity::{Learner, MaybeUser, SessionUser, log_in};
use crate::db::CreateUserError;
use crate::domain::{Password, Username};
use crate::error::{Error, Result};
use crate::state::AppState;

pub fn router(rate_limited: bool) -> Router<AppState> {
    let router = Router::new()
        .route("/signup", get(show_signup).post(sign_up))
        .route("/login", get(show_login).post(log_in_user));
    let router = if rate_limited {
        // Password guessing: 10 tries at once, then one every 6 seconds per address.
        super::rate_limit::limit_posts(router, 10, std::time::Duration::from_secs(6))
    } else {
        router
    };
    router.route("/logout", post(log_out))
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    course_title: &'a str,
    account: Option<SessionUser>,
    /// `signup` or `login`.
    mode: &'static str,
    username: String,
    error: Option<&'static str>,
}

#[derive(Deserialize)]
struct Credentials {
    username: String,
    password: String,
}

fn account_page(
    state: &AppState,
    mode: &'static str,
    username: String,
    error: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let course = state.course();
    let page = AccountPage {
        course_title: &course.title,
        account: None,
        mode,
        username,
        error,
    };
    (status, page).into_response()
}

// GET /signup
async fn show_signup(State(state): State<AppState>, MaybeUser(account): MaybeUser) -> Response {
    if account.is_some() {
        return Redirect::to("/").into_response();
    }
    account_page(&state, "signup", String::new(), None, StatusCode::OK)
}

// POST /signup — the account takes over this browser's learner id, so progress is kept.
#[tracing::instrument(skip_all)]
async fn sign_up(
    State(state): State<AppState>,
    session: Session,
    Learner(learner_id): Learner,
    MaybeUser(account): MaybeUser,
    Form(form): Form<Credentials>,
) -> Result<Response> {
    if account.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let parsed = Username::parse(&form.username)
        .and_then(|username| Ok((username, Password::parse(&form.password)?)));
    let (username, password) = match parsed {
        Ok(pair) => pair,
        Err(message) => {
            return Ok(account_page(
                &state,
                "signup",
                form.username,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let password_hash =
        tokio::task::spawn_blocking(move || password_auth::generate_hash(password.expose()))
            .await
            .map_err(|error| Error::Internal(anyhow::anyhow!("hashing task failed: {error}")))?;
    let created = state
        .db
        .create_user(&learner_id, username.as_ref(), &password_hash, false)
        .await;
    let app_user_id = match created {
        Ok(app_user_id) => app_user_id,
        Err(CreateUserError::UsernameTaken) => {
            return Ok(account_page(
                &state,
                "signup",
                form.username,
                Some("이미 쓰이고 있는 아이디입니다."),
                StatusCode::CONFLICT,
            ));
        }
        Err(CreateUserError::Other(error)) => return Err(Error::Internal(error)),
    };
    let user = SessionUser {
        app_user_id,
        username: username.to_string(),
        is_instructor: false,
    };
    log_in(&session, &user, &learner_id).await?;
    Ok(Redirect::to("/").into_response())
}

// GET /login
async fn show_login(State(state): State<AppState>) -> Response {
    account_page(&state, "login", String::new(), None, StatusCode::OK)
}

// POST /login — the same answer for an unknown name and a wrong password.
#[tracing::instrument(skip_all)]
async fn log_in_user(
    State(state): State<AppState>,
    session: Session,
    Learner(anonymous_learner): Learner,
    Form(form): Form<Credentials>,
) -> Result<Response> {
    const WRONG: &str = "아이디 또는 비밀번호가 맞지 않습니다.";
    let user = state.db.find_user(form.username.trim()).await?;
    let Some(user) = user else {
        return Ok(account_page(
            &state,
            "login",
            form.username,
            Some(WRONG),
            StatusCode::UNAUTHORIZED,
        ));
    };
    let hash = user.password_hash.clone();
    let password = form.password;
    let verified = tokio::task::spawn_blocking(move || {
        password_auth::verify_password(password, &hash).is_ok()
    })
    .await
    .map_err(|error| Error::Internal(anyhow::anyhow!("verify task failed: {error}")))?;
    if !verified {
        return Ok(account_page(
            &state,
            "login",
            form.username,
            Some(WRONG),
            StatusCode::UNAUTHORIZED,
        ));
    }
    state
        .db
        .merge_learner(&anonymous_learner, &user.learner_id)
        .await?;
    let session_user = SessionUser {
        app_user_id: user.app_user_id,
        username: user.username,
        is_instructor: user.is_instructor,
    };
    log_in(&session, &session_user, &user.learner_id).await?;
    let target = if session_user.is_instructor {
        "/instructor"
    } else {
        "/"
    };
    Ok(Redirect::to(target).into_response())
}

// POST /logout
async fn log_out(session: Session) -> Result<Redirect> {
    session.flush().await?;
    Ok(Redirect::to("/"))
}
