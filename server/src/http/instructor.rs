//! The instructor's view (issue 5): `GET /instructor` (per-exercise pass rates, the
//! most-failed check, every learner), `GET /instructor/learners/{id}` (one learner's
//! attempts) and `GET /instructor/submissions.csv` (everything, for a spreadsheet).
//! Only users with `is_instructor` get here ([`Instructor`] guard).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::identity::{Instructor, SessionUser};
use crate::db::{ExerciseStat, ExportRow, LearnerStat};
use crate::error::Result;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/instructor", get(show_class))
        .route("/instructor/learners/{learner_id}", get(show_learner))
        .route("/instructor/submissions.csv", get(export_csv))
}

#[derive(Template, WebTemplate)]
#[template(path = "instructor.html")]
struct ClassPage<'a> {
    course_title: &'a str,
    account: Option<SessionUser>,
    exercises: Vec<ExerciseRow>,
    learners: Vec<LearnerRow>,
}

struct ExerciseRow {
    id: String,
    title: String,
    attempts: i64,
    learners: i64,
    passed_learners: i64,
    pass_rate: String,
    most_failed: String,
}

struct LearnerRow {
    learner_id: String,
    name: String,
    attempts: i64,
    passed_exercises: i64,
    last_at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "instructor_learner.html")]
struct LearnerPage<'a> {
    course_title: &'a str,
    account: Option<SessionUser>,
    name: String,
    attempts: Vec<AttemptRow>,
}

struct AttemptRow {
    exercise_id: String,
    status: String,
    failed_checks: String,
    created_at: String,
}

// GET /instructor
#[tracing::instrument(skip_all)]
async fn show_class(
    State(state): State<AppState>,
    Instructor(user): Instructor,
) -> Result<Response> {
    let stats = state.db.exercise_stats().await?;
    let learner_stats = state.db.learner_stats().await?;
    let course = state.course();
    // Every exercise of the course is listed, attempted or not, in course order.
    let exercises = course
        .exercises()
        .map(|entry| {
            let stat = stats
                .iter()
                .find(|stat| stat.exercise_id == entry.id.as_ref())
                .cloned()
                .unwrap_or(ExerciseStat {
                    exercise_id: entry.id.to_string(),
                    attempts: 0,
                    learners: 0,
                    passed_learners: 0,
                    failed_check_counts: Default::default(),
                });
            // The most failed check; on a tie the earlier check wins, since an early
            // failure (the object is missing) usually causes the later ones.
            let most_failed = entry
                .exercise
                .checks
                .iter()
                .filter_map(|check| Some((check, *stat.failed_check_counts.get(&check.id)?)))
                .fold(
                    None,
                    |best: Option<(&sim_wasm::grade::Check, i64)>, (check, n)| match best {
                        Some((_, best_n)) if best_n >= n => best,
                        _ => Some((check, n)),
                    },
                )
                .map_or_else(
                    || "-".to_owned(),
                    |(check, n)| format!("{} ({n}회)", check.title),
                );
            ExerciseRow {
                id: entry.id.to_string(),
                title: entry.exercise.title.clone(),
                attempts: stat.attempts,
                learners: stat.learners,
                passed_learners: stat.passed_learners,
                pass_rate: percent(stat.passed_learners, stat.learners),
                most_failed,
            }
        })
        .collect();
    let learners = learner_stats
        .into_iter()
        .filter(|learner| learner.attempts > 0)
        .map(|learner: LearnerStat| LearnerRow {
            name: display_name(learner.username.as_deref(), &learner.learner_id),
            learner_id: learner.learner_id,
            attempts: learner.attempts,
            passed_exercises: learner.passed_exercises,
            last_at: learner.last_at.map(format_time).unwrap_or_default(),
        })
        .collect();
    let page = ClassPage {
        course_title: &course.title,
        account: Some(user),
        exercises,
        learners,
    };
    Ok(page.into_response())
}

// GET /instructor/learners/{learner_id}
#[tracing::instrument(skip_all)]
async fn show_learner(
    State(state): State<AppState>,
    Instructor(user): Instructor,
    Path(learner_id): Path<String>,
) -> Result<Response> {
    let rows = state.db.export_rows(Some(&learner_id)).await?;
    let name = display_name(
        rows.iter().find_map(|row| row.username.as_deref()),
        &learner_id,
    );
    let attempts = rows
        .into_iter()
        .rev()
        .map(|row| AttemptRow {
            exercise_id: row.exercise_id,
            status: row.status,
            failed_checks: row.failed_checks.join(", "),
            created_at: format_time(row.created_at),
        })
        .collect();
    let course = state.course();
    let page = LearnerPage {
        course_title: &course.title,
        account: Some(user),
        name,
        attempts,
    };
    Ok(page.into_response())
}

// GET /instructor/submissions.csv — one row per submission, UTF-8 with a BOM so that
// spreadsheet programs show Hangul correctly.
#[tracing::instrument(skip_all)]
async fn export_csv(State(state): State<AppState>, Instructor(_): Instructor) -> Result<Response> {
    let rows = state.db.export_rows(None).await?;
    let mut csv = String::from(
        "\u{feff}submission_id,learner,username,exercise_id,status,failed_checks,created_at_utc\r\n",
    );
    for row in &rows {
        csv.push_str(&csv_line(row));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"submissions.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

fn csv_line(row: &ExportRow) -> String {
    let fields = [
        row.submission_id.to_string(),
        row.learner_id.clone(),
        row.username.clone().unwrap_or_default(),
        row.exercise_id.clone(),
        row.status.clone(),
        row.failed_checks.join(" "),
        format_time(row.created_at),
    ];
    let mut line = fields
        .iter()
        .map(|field| csv_field(field))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// RFC 4180 quoting; a leading `=`, `+`, `-` or `@` is neutralised so a spreadsheet never
/// runs a username as a formula.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn display_name(username: Option<&str>, learner_id: &str) -> String {
    match username {
        Some(name) => name.to_owned(),
        None => {
            let short: String = learner_id
                .trim_start_matches("anon-")
                .chars()
                .take(6)
                .collect();
            format!("익명 {short}")
        }
    }
}

fn percent(part: i64, whole: i64) -> String {
    if whole == 0 {
        "-".to_owned()
    } else {
        format!("{}%", part * 100 / whole)
    }
}

/// Unix seconds → `YYYY-MM-DD HH:MM` (UTC), without a date crate (Howard Hinnant's
/// days-from-civil inverse).
fn format_time(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let seconds_of_day = unix_seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        seconds_of_day / 3600,
        seconds_of_day % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::{csv_field, format_time, percent};

    #[test]
    fn times_are_formatted_as_utc_dates() {
        assert_eq!(format_time(0), "1970-01-01 00:00");
        // SimTime 0 of the simulator: 2026-11-26T09:00:00Z.
        assert_eq!(format_time(1_795_683_600), "2026-11-26 09:00");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00");
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
    }

    #[test]
    fn pass_rates_are_whole_percentages() {
        assert_eq!(percent(1, 3), "33%");
        assert_eq!(percent(0, 0), "-");
    }
}
