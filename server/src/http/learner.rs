//! The `Learner` extractor: who is learning, from the session. Anonymous learners get an id
//! on their first visit (no signup needed to learn); it is what submissions are stored under.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tower_sessions::Session;

use crate::error::Error;

const LEARNER_KEY: &str = "learner_id";

/// The current learner's id, created and stored in the session if it had none.
pub struct Learner(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Learner {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Learner, Error> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, message)| Error::Internal(anyhow::anyhow!("session: {message}")))?;
        if let Some(learner_id) = session.get::<String>(LEARNER_KEY).await? {
            return Ok(Learner(learner_id));
        }
        // Session ids come from a CSPRNG; a fresh one is an unguessable learner id.
        let learner_id = format!("anon-{}", tower_sessions::session::Id::default());
        session.insert(LEARNER_KEY, &learner_id).await?;
        Ok(Learner(learner_id))
    }
}
