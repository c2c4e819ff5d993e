//! Who is asking, from the session: the [`Learner`] (everyone, anonymous from the first
//! visit: no signup needed to learn), the optional logged-in [`SessionUser`] and the
//! [`Instructor`] guard. Sessions live in the database (tower-sessions' sqlx store).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::error::Error;

const LEARNER_KEY: &str = "learner_id";
const USER_KEY: &str = "user";

/// The current learner's id, created and stored in the session if it had none.
pub struct Learner(pub String);

/// The learner if this browser already has one; never creates a session (pages that only
/// read progress stay cheap for first-time visitors and crawlers).
pub struct KnownLearner(pub Option<String>);

/// A logged-in user as remembered by the session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub app_user_id: i64,
    pub username: String,
    pub is_instructor: bool,
}

/// The logged-in user, if any. A session that cannot be read is an error, not anonymous.
pub struct MaybeUser(pub Option<SessionUser>);

/// A logged-in instructor; anyone else gets 403 (or is sent to the login page).
pub struct Instructor(pub SessionUser);

/// Starts a logged-in session: a new session id (against fixation), the account's learner.
pub async fn log_in(session: &Session, user: &SessionUser, learner_id: &str) -> Result<(), Error> {
    session.cycle_id().await?;
    session.insert(LEARNER_KEY, learner_id).await?;
    session.insert(USER_KEY, user).await?;
    Ok(())
}

async fn session_of<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<Session, Error> {
    Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, message)| Error::Internal(anyhow::anyhow!("session: {message}")))
}

impl Learner {
    /// The session's learner, created if it has none. Handlers that validate input first
    /// call this afterwards, so a rejected request never starts a session.
    pub async fn of(session: &Session) -> Result<Learner, Error> {
        if let Some(learner_id) = session.get::<String>(LEARNER_KEY).await? {
            return Ok(Learner(learner_id));
        }
        // Session ids come from a CSPRNG; a fresh one is an unguessable learner id.
        let learner_id = format!("anon-{}", tower_sessions::session::Id::default());
        session.insert(LEARNER_KEY, &learner_id).await?;
        Ok(Learner(learner_id))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Learner {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Learner, Error> {
        let session = session_of(parts, state).await?;
        Learner::of(&session).await
    }
}

impl<S: Send + Sync> FromRequestParts<S> for KnownLearner {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<KnownLearner, Error> {
        let session = session_of(parts, state).await?;
        Ok(KnownLearner(session.get::<String>(LEARNER_KEY).await?))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<MaybeUser, Error> {
        let session = session_of(parts, state).await?;
        Ok(MaybeUser(session.get::<SessionUser>(USER_KEY).await?))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Instructor {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Instructor, Error> {
        match MaybeUser::from_request_parts(parts, state).await?.0 {
            Some(user) if user.is_instructor => Ok(Instructor(user)),
            Some(_) => Err(Error::Forbidden),
            None => Err(Error::LoginRequired),
        }
    }
}
