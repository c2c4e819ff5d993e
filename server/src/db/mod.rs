//! The database: connecting (SQLite file by default, PostgreSQL by URL), migrations (one
//! directory per dialect under `migrations/`), and the queries the handlers use.
//!
//! Queries are runtime `sqlx::query` over `AnyPool` with `$1` placeholders and portable SQL,
//! so one code path serves both databases (ecosystem.md §4.5). Timestamps are unix seconds.
//! Sessions use tower-sessions' own sqlx store, which needs the concrete pool type.

mod account;
mod class;

pub use account::{CreateUserError, UserRow};
pub use class::{ExerciseStat, ExportRow, LearnerStat};

use std::path::Path;
use std::str::FromStr;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AnyPool, PgPool, Row, SqlitePool};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// The application's connections: `AnyPool`s for our queries, the concrete pool for sessions.
///
/// On SQLite every write of ours goes through `writer`, a pool of one connection: writers
/// then queue in the pool (first come, first served) instead of colliding on SQLite's write
/// lock, where a loser sleeps in the busy handler for up to 100 ms at a time, which was
/// the tail of the submission latency under load. Reads use `pool` and never wait for a
/// writer (WAL). On PostgreSQL, which has row locks, `writer` is the same pool as `pool`.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    writer: AnyPool,
    pub sessions: SessionPool,
}

#[derive(Clone, Debug)]
pub enum SessionPool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// One stored submission, for a student's history.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SubmissionRow {
    pub submission_id: i64,
    pub exercise_id: String,
    pub status: String,
    pub answer: String,
    pub report: serde_json::Value,
    pub created_at: i64,
}

/// A new submission (its learner row is created with the first one).
pub struct NewSubmission<'a> {
    pub learner_id: &'a str,
    pub exercise_id: &'a str,
    pub answer: &'a str,
    pub status: &'a str,
    pub report_json: &'a str,
}

impl Db {
    /// Connects, creating the SQLite file (and its directory) if needed, and migrates.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let is_postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
        let (sessions, pool, writer) = if is_postgres {
            let sessions = PgPoolOptions::new()
                .max_connections(4)
                .connect(url)
                .await
                .context("cannot connect to PostgreSQL (DATABASE_URL)")?;
            let pool = AnyPoolOptions::new()
                .max_connections(8)
                .connect(url)
                .await
                .context("cannot connect to the database (DATABASE_URL)")?;
            (SessionPool::Postgres(sessions), pool.clone(), pool)
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .context("DATABASE_URL is not a valid sqlite URL")?
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .create_if_missing(true);
            if let Some(parent) = Path::new(options.get_filename()).parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent).with_context(|| {
                    format!("cannot create the database directory {}", parent.display())
                })?;
            }
            // This first connection creates the file and switches it to WAL (a property of
            // the file, so the AnyPool connections below use it too).
            let sessions = SqlitePoolOptions::new()
                .max_connections(2)
                .connect_with(options)
                .await
                .context("cannot open the SQLite database (DATABASE_URL)")?;
            let pool = sqlite_any_pool(4, &["pragma synchronous = normal"])
                .connect(url)
                .await;
            // The writer never checkpoints: `checkpoint_continuously` does, on a reader.
            let writer = sqlite_any_pool(
                1,
                &[
                    "pragma synchronous = normal",
                    "pragma wal_autocheckpoint = 0",
                ],
            )
            .connect(url)
            .await;
            let (pool, writer) = pool
                .and_then(|pool| Ok((pool, writer?)))
                .context("cannot open the SQLite database (DATABASE_URL)")?;
            (SessionPool::Sqlite(sessions), pool, writer)
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres://, got {url}");
        };
        let migrator = if is_postgres {
            &POSTGRES_MIGRATIONS
        } else {
            &SQLITE_MIGRATIONS
        };
        migrator
            .run(&writer)
            .await
            .context("cannot apply the database migrations")?;
        match &sessions {
            SessionPool::Sqlite(pool) => SqliteStore::new(pool.clone()).migrate().await,
            SessionPool::Postgres(pool) => PostgresStore::new(pool.clone()).migrate().await,
        }
        .context("cannot create the session table")?;
        Ok(Db {
            pool,
            writer,
            sessions,
        })
    }

    /// Stores a graded submission; the learner row is created on their first submission.
    ///
    /// Almost every submission comes from a learner who already has a row, so it is one
    /// statement and one commit on the writer. The first one of a learner fails the foreign
    /// key; then the learner row is created and the insert repeated (before, every
    /// submission paid for a transaction with an `insert .. on conflict do nothing` of the
    /// learner: four round trips to the writer instead of one).
    #[tracing::instrument(skip_all, fields(exercise = submission.exercise_id))]
    pub async fn insert_submission(&self, submission: NewSubmission<'_>) -> anyhow::Result<i64> {
        let now = unix_now();
        match self.insert_submission_row(&submission, now).await {
            Err(sqlx::Error::Database(error)) if error.is_foreign_key_violation() => {
                self.ensure_learner(submission.learner_id).await?;
                self.insert_submission_row(&submission, now)
                    .await
                    .context("insert submission")
            }
            result => result.context("insert submission"),
        }
    }

    async fn insert_submission_row(
        &self,
        submission: &NewSubmission<'_>,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        let row = sqlx::query(
            "insert into submission (learner_id, exercise_id, answer, status, report, created_at) \
             values ($1, $2, $3, $4, $5, $6) returning submission_id",
        )
        .bind(submission.learner_id)
        .bind(submission.exercise_id)
        .bind(submission.answer)
        .bind(submission.status)
        .bind(submission.report_json)
        .bind(now)
        .fetch_one(&self.writer)
        .await?;
        row.try_get("submission_id")
    }

    /// A learner's submissions to one exercise, newest first.
    #[tracing::instrument(skip_all, fields(exercise = exercise_id))]
    pub async fn submissions(
        &self,
        learner_id: &str,
        exercise_id: &str,
        limit: i64,
    ) -> anyhow::Result<Vec<SubmissionRow>> {
        let rows = sqlx::query(
            "select submission_id, exercise_id, status, answer, report, created_at \
             from submission where learner_id = $1 and exercise_id = $2 \
             order by submission_id desc limit $3",
        )
        .bind(learner_id)
        .bind(exercise_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .context("select submissions")?;
        rows.iter()
            .map(|row| {
                let report: String = row.try_get("report")?;
                Ok(SubmissionRow {
                    submission_id: row.try_get("submission_id")?,
                    exercise_id: row.try_get("exercise_id")?,
                    status: row.try_get("status")?,
                    answer: row.try_get("answer")?,
                    report: serde_json::from_str(&report).unwrap_or(serde_json::Value::Null),
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .context("decode submissions")
    }

    /// The exercises a learner has passed at least once.
    #[tracing::instrument(skip_all)]
    pub async fn passed_exercises(&self, learner_id: &str) -> anyhow::Result<Vec<String>> {
        let rows = sqlx::query(
            "select distinct exercise_id from submission \
             where learner_id = $1 and status = 'pass' order by exercise_id",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await
        .context("select passed exercises")?;
        rows.iter()
            .map(|row| row.try_get("exercise_id"))
            .collect::<Result<_, sqlx::Error>>()
            .context("decode passed exercises")
    }

    /// SQLite: copies the write-ahead log into the database file every `period`, from a
    /// reader connection. By default the connection whose commit fills the log to 1,000
    /// pages checkpoints right then, with two fsyncs, so with one writer every submission
    /// queued behind that commit waited for them; the writer has `wal_autocheckpoint = 0`
    /// instead. A `PASSIVE` checkpoint never blocks the writer or readers. PostgreSQL
    /// checkpoints on its own: returns at once.
    pub async fn checkpoint_continuously(self, period: std::time::Duration) {
        if matches!(self.sessions, SessionPool::Postgres(_)) {
            return;
        }
        let mut ticks = tokio::time::interval(period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = self.checkpoint().await {
                tracing::warn!(error = %format!("{error:#}"), "SQLite checkpoint failed");
            }
        }
    }

    /// One passive checkpoint (SQLite only).
    async fn checkpoint(&self) -> anyhow::Result<()> {
        sqlx::query("pragma wal_checkpoint(PASSIVE)")
            .execute(&self.pool)
            .await
            .context("wal_checkpoint")?;
        Ok(())
    }

    /// Counts all stored submissions (health and tests).
    pub async fn count_submissions(&self) -> anyhow::Result<i64> {
        let row = sqlx::query("select count(*) as n from submission")
            .fetch_one(&self.pool)
            .await
            .context("count submissions")?;
        row.try_get("n").context("decode count")
    }
}

/// SQLite connections for `AnyPool`, which cannot take `SqliteConnectOptions`: `pragmas`
/// run when each connection opens. In WAL mode `synchronous = NORMAL` commits without
/// waiting for fsync (≈ 0.1 ms instead of ≈ 5 ms on this disk, and an fsync can take far
/// longer on a busy one); the database stays consistent, and what a power cut (not a crash
/// of the server) can lose is the last commits before the next checkpoint.
fn sqlite_any_pool(max_connections: u32, pragmas: &'static [&'static str]) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max_connections)
        .after_connect(move |connection, _metadata| {
            Box::pin(async move {
                for pragma in pragmas {
                    sqlx::query(pragma).execute(&mut *connection).await?;
                }
                Ok(())
            })
        })
}

pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn sqlite_db(label: &str) -> (Db, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "netlab-db-{label}-{}-{}",
            std::process::id(),
            unix_now()
        ));
        let url = format!("sqlite://{}?mode=rwc", dir.join("netlab.db").display());
        let db = Db::connect(&url)
            .await
            .expect("connect to a new SQLite file");
        (db, dir)
    }

    async fn pragma(pool: &AnyPool, name: &str) -> String {
        let row = sqlx::query(&format!("pragma {name}"))
            .fetch_one(pool)
            .await
            .expect("read the pragma");
        row.try_get::<String, _>(0)
            .or_else(|_| row.try_get::<i64, _>(0).map(|value| value.to_string()))
            .expect("decode the pragma")
    }

    #[tokio::test]
    async fn sqlite_writes_go_through_one_wal_connection_that_commits_without_fsync() {
        let (db, dir) = sqlite_db("pragmas").await;
        assert_eq!(db.writer.options().get_max_connections(), 1);
        for pool in [&db.writer, &db.pool] {
            assert_eq!(pragma(pool, "journal_mode").await, "wal");
            // 1 = NORMAL (2 = FULL, SQLite's default, an fsync per commit).
            assert_eq!(pragma(pool, "synchronous").await, "1");
            assert_eq!(pragma(pool, "foreign_keys").await, "1");
        }
        assert_eq!(pragma(&db.writer, "wal_autocheckpoint").await, "0");
        assert_eq!(pragma(&db.pool, "wal_autocheckpoint").await, "1000");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_learners_first_submission_creates_the_learner_and_later_ones_reuse_it() {
        let (db, dir) = sqlite_db("learner").await;
        for status in ["fail", "pass"] {
            db.insert_submission(NewSubmission {
                learner_id: "anon-1",
                exercise_id: "ns-blue",
                answer: "kind: Namespace\n",
                status,
                report_json: "{}",
            })
            .await
            .expect("store the submission");
        }
        let learners = sqlx::query("select count(*) as n from learner")
            .fetch_one(&db.pool)
            .await
            .and_then(|row| row.try_get::<i64, _>("n"))
            .expect("count learners");
        assert_eq!(learners, 1);
        assert_eq!(db.count_submissions().await.expect("count"), 2);
        assert_eq!(
            db.passed_exercises("anon-1").await.expect("passed"),
            ["ns-blue"]
        );
        // The background checkpoint empties the log into the file; the rows stay.
        db.checkpoint().await.expect("checkpoint");
        let row = sqlx::query("pragma wal_checkpoint(PASSIVE)")
            .fetch_one(&db.pool)
            .await
            .expect("checkpoint again");
        let (busy, log, done): (i64, i64, i64) = (
            row.try_get(0).expect("busy"),
            row.try_get(1).expect("log"),
            row.try_get(2).expect("checkpointed"),
        );
        assert_eq!(
            (busy, log),
            (0, done),
            "every frame of the log is in the file"
        );
        assert_eq!(db.count_submissions().await.expect("count"), 2);
        let _ = std::fs::remove_dir_all(dir);
    }
}
