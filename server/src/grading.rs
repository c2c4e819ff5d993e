//! Grading for the HTTP API and the CLI: runs [`sim_wasm::grade::grade`] off the async
//! workers with a time budget, and prints reports for people (the CLI's Korean text).

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use sim_wasm::grade::{CheckStatus, Report, Status, Transcript};

use crate::content::ExerciseEntry;
use crate::error::Error;

/// What a student handed in: the body as text, and the transcript when it came as JSON.
pub struct Submitted {
    pub answer: String,
    pub transcript: Option<Transcript>,
}

/// Grades on a blocking thread; a grading that exceeds `budget` answers
/// [`Error::GradingTimeout`] (the thread finishes on its own; the simulator has no I/O).
pub async fn grade_with_budget(
    entry: Arc<ExerciseEntry>,
    submitted: Submitted,
    budget: Duration,
) -> Result<Report, Error> {
    let span = tracing::Span::current();
    let task = tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        let prepared = entry.prepared();
        match &submitted.transcript {
            Some(transcript) => {
                sim_wasm::grade::grade_transcript_prepared(&entry.exercise, prepared, transcript)
            }
            None => sim_wasm::grade::grade_prepared(&entry.exercise, prepared, &submitted.answer),
        }
    });
    match tokio::time::timeout(budget, task).await {
        Ok(Ok(report)) => Ok(report),
        Ok(Err(join_error)) => Err(Error::Internal(anyhow::anyhow!(
            "grading task failed: {join_error}"
        ))),
        Err(_elapsed) => Err(Error::GradingTimeout),
    }
}

/// The CLI's exit code: 0 pass, 1 fail, 2 error.
pub fn exit_code(report: &Report) -> u8 {
    match report.status {
        Status::Pass => 0,
        Status::Fail => 1,
        Status::Error => 2,
    }
}

/// A report as the CLI prints it, in Korean.
pub fn render_text(exercise_id: &str, report: &Report) -> String {
    let mut out = String::new();
    let verdict = match report.status {
        Status::Pass => "통과",
        Status::Fail => "실패",
        Status::Error => "오류",
    };
    let _ = writeln!(out, "연습문제 {exercise_id}: {verdict}");
    if let Some(error) = &report.error {
        let _ = writeln!(out, "\n{}\n\n{}", error.message, error.hint);
    }
    let _ = writeln!(out);
    for check in &report.checks {
        let mark = match check.status {
            CheckStatus::Pass => "[통과]",
            CheckStatus::Fail => "[실패]",
            CheckStatus::Skip => "[건너뜀]",
        };
        let _ = writeln!(out, "{mark} {}", check.title);
        if check.status == CheckStatus::Fail {
            let _ = writeln!(out, "    {}", check.message);
            let _ = writeln!(out, "    기대: {}", check.expected);
            for (index, line) in check.observed.lines().enumerate() {
                let label = if index == 0 {
                    "    실제: "
                } else {
                    "          "
                };
                let _ = writeln!(out, "{label}{line}");
            }
            for step in &check.trace {
                let _ = writeln!(out, "    경로: {step}");
            }
            let _ = writeln!(out, "    힌트: {}", check.hint);
        }
    }
    out
}
