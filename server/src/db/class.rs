//! The instructor's view of the class: per-exercise pass rates, the learners and their
//! attempts, and the rows of the CSV export.

use std::collections::BTreeMap;

use anyhow::Context;
use sqlx::Row;

use super::Db;

#[derive(Clone, Debug, PartialEq)]
pub struct ExerciseStat {
    pub exercise_id: String,
    pub attempts: i64,
    pub learners: i64,
    pub passed_learners: i64,
    /// How often each check failed, over all failed attempts.
    pub failed_check_counts: BTreeMap<String, i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LearnerStat {
    pub learner_id: String,
    pub username: Option<String>,
    pub attempts: i64,
    pub passed_exercises: i64,
    pub last_at: Option<i64>,
}

/// One submission as exported.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportRow {
    pub submission_id: i64,
    pub learner_id: String,
    pub username: Option<String>,
    pub exercise_id: String,
    pub status: String,
    pub failed_checks: Vec<String>,
    pub created_at: i64,
}

impl Db {
    #[tracing::instrument(skip_all)]
    pub async fn exercise_stats(&self) -> anyhow::Result<Vec<ExerciseStat>> {
        let rows = sqlx::query(
            "select exercise_id, count(*) as attempts, count(distinct learner_id) as learners, \
             count(distinct case when status = 'pass' then learner_id end) as passed_learners \
             from submission group by exercise_id order by exercise_id",
        )
        .fetch_all(&self.pool)
        .await
        .context("select exercise stats")?;
        let mut stats = Vec::new();
        for row in rows {
            let exercise_id: String = row.try_get("exercise_id")?;
            let failed_check_counts = self.failed_check_counts(&exercise_id).await?;
            stats.push(ExerciseStat {
                attempts: row.try_get("attempts")?,
                learners: row.try_get("learners")?,
                passed_learners: row.try_get("passed_learners")?,
                exercise_id,
                failed_check_counts,
            });
        }
        Ok(stats)
    }

    async fn failed_check_counts(
        &self,
        exercise_id: &str,
    ) -> anyhow::Result<BTreeMap<String, i64>> {
        let rows =
            sqlx::query("select report from submission where exercise_id = $1 and status = 'fail'")
                .bind(exercise_id)
                .fetch_all(&self.pool)
                .await
                .context("select failed reports")?;
        let mut counts: BTreeMap<String, i64> = BTreeMap::new();
        for row in rows {
            let report: String = row.try_get("report")?;
            for check_id in failed_checks(&report) {
                *counts.entry(check_id).or_default() += 1;
            }
        }
        Ok(counts)
    }

    #[tracing::instrument(skip_all)]
    pub async fn learner_stats(&self) -> anyhow::Result<Vec<LearnerStat>> {
        let rows = sqlx::query(
            "select learner.learner_id, app_user.username, count(submission.submission_id) as attempts, \
             count(distinct case when submission.status = 'pass' then submission.exercise_id end) as passed_exercises, \
             max(submission.created_at) as last_at \
             from learner \
             left join app_user on app_user.learner_id = learner.learner_id \
             left join submission on submission.learner_id = learner.learner_id \
             group by learner.learner_id, app_user.username \
             order by attempts desc, learner.learner_id",
        )
        .fetch_all(&self.pool)
        .await
        .context("select learner stats")?;
        rows.iter()
            .map(|row| {
                Ok(LearnerStat {
                    learner_id: row.try_get("learner_id")?,
                    username: row.try_get("username")?,
                    attempts: row.try_get("attempts")?,
                    passed_exercises: row.try_get("passed_exercises")?,
                    last_at: row.try_get("last_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .context("decode learner stats")
    }

    /// Every submission of every learner, oldest first (the CSV export).
    #[tracing::instrument(skip_all)]
    pub async fn export_rows(&self, learner_id: Option<&str>) -> anyhow::Result<Vec<ExportRow>> {
        let rows = sqlx::query(
            "select submission.submission_id, submission.learner_id, app_user.username, \
             submission.exercise_id, submission.status, submission.report, submission.created_at \
             from submission left join app_user on app_user.learner_id = submission.learner_id \
             where $1 = '' or submission.learner_id = $1 \
             order by submission.submission_id",
        )
        .bind(learner_id.unwrap_or_default())
        .fetch_all(&self.pool)
        .await
        .context("select export rows")?;
        rows.iter()
            .map(|row| {
                let report: String = row.try_get("report")?;
                Ok(ExportRow {
                    submission_id: row.try_get("submission_id")?,
                    learner_id: row.try_get("learner_id")?,
                    username: row.try_get("username")?,
                    exercise_id: row.try_get("exercise_id")?,
                    status: row.try_get("status")?,
                    failed_checks: failed_checks(&report),
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .context("decode export rows")
    }
}

/// The ids of failed checks in a stored report (JSON written by the grader).
fn failed_checks(report: &str) -> Vec<String> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(report) else {
        return Vec::new();
    };
    value
        .get("checks")
        .and_then(serde_json::Value::as_array)
        .map(|checks| {
            checks
                .iter()
                .filter(|check| {
                    check.get("status").and_then(serde_json::Value::as_str) == Some("fail")
                })
                .filter_map(|check| check.get("id")?.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
