//! Account queries: users, and moving a learner's anonymous progress into their account.

use anyhow::Context;
use sqlx::Row;

use super::{Db, unix_now};

/// A stored user.
#[derive(Clone, Debug)]
pub struct UserRow {
    pub app_user_id: i64,
    pub learner_id: String,
    pub username: String,
    pub password_hash: String,
    pub is_instructor: bool,
}

/// Why a user could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("username taken")]
    UsernameTaken,
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl Db {
    /// Makes sure a learner row exists (accounts and submissions reference it).
    pub async fn ensure_learner(&self, learner_id: &str) -> anyhow::Result<()> {
        sqlx::query(
            "insert into learner (learner_id, created_at) values ($1, $2) \
             on conflict (learner_id) do nothing",
        )
        .bind(learner_id)
        .bind(unix_now())
        .execute(&self.writer)
        .await
        .context("insert learner")?;
        Ok(())
    }

    /// Creates a user owning `learner_id`. Uniqueness of the name is the database's job
    /// (constraint `app_user_username_key`), never a check-then-insert.
    #[tracing::instrument(skip_all)]
    pub async fn create_user(
        &self,
        learner_id: &str,
        username: &str,
        password_hash: &str,
        is_instructor: bool,
    ) -> Result<i64, CreateUserError> {
        self.ensure_learner(learner_id).await?;
        let result = sqlx::query(
            "insert into app_user (learner_id, username, password_hash, is_instructor, created_at) \
             values ($1, $2, $3, $4, $5) returning app_user_id",
        )
        .bind(learner_id)
        .bind(username)
        .bind(password_hash)
        .bind(i64::from(is_instructor))
        .bind(unix_now())
        .fetch_one(&self.writer)
        .await;
        match result {
            Ok(row) => Ok(row.try_get("app_user_id").context("app_user_id")?),
            Err(sqlx::Error::Database(error)) if is_username_conflict(error.as_ref()) => {
                Err(CreateUserError::UsernameTaken)
            }
            Err(error) => Err(CreateUserError::Other(
                anyhow::Error::from(error).context("insert app_user"),
            )),
        }
    }

    pub async fn find_user(&self, username: &str) -> anyhow::Result<Option<UserRow>> {
        let row = sqlx::query(
            "select app_user_id, learner_id, username, password_hash, is_instructor \
             from app_user where username = $1",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await
        .context("select app_user")?;
        row.map(|row| {
            Ok(UserRow {
                app_user_id: row.try_get("app_user_id")?,
                learner_id: row.try_get("learner_id")?,
                username: row.try_get("username")?,
                password_hash: row.try_get("password_hash")?,
                is_instructor: row.try_get::<i64, _>("is_instructor")? != 0,
            })
        })
        .transpose()
        .map_err(|error: sqlx::Error| anyhow::Error::from(error).context("decode app_user"))
    }

    /// Makes an existing user an instructor; false when there is no such user.
    pub async fn promote_to_instructor(&self, username: &str) -> anyhow::Result<bool> {
        let result = sqlx::query("update app_user set is_instructor = 1 where username = $1")
            .bind(username)
            .execute(&self.writer)
            .await
            .context("update app_user")?;
        Ok(result.rows_affected() > 0)
    }

    /// After logging in from a browser that was used anonymously: that browser's submissions
    /// move to the account's learner, so no progress is lost. One transaction.
    #[tracing::instrument(skip_all)]
    pub async fn merge_learner(&self, from: &str, into: &str) -> anyhow::Result<()> {
        if from == into {
            return Ok(());
        }
        let mut tx = self.writer.begin().await.context("begin merge")?;
        sqlx::query("update submission set learner_id = $1 where learner_id = $2")
            .bind(into)
            .bind(from)
            .execute(&mut *tx)
            .await
            .context("move submissions")?;
        sqlx::query(
            "delete from learner where learner_id = $1 \
             and not exists (select 1 from app_user where app_user.learner_id = $1)",
        )
        .bind(from)
        .execute(&mut *tx)
        .await
        .context("delete anonymous learner")?;
        tx.commit().await.context("commit merge")?;
        Ok(())
    }
}

/// PostgreSQL names the constraint; SQLite only says which column.
fn is_username_conflict(error: &dyn sqlx::error::DatabaseError) -> bool {
    error.is_unique_violation()
        && (error.constraint() == Some("app_user_username_key")
            || error.message().contains("app_user.username"))
}
