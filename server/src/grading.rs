//! Grading for the HTTP API and the CLI: the [`Grader`] runs [`sim_wasm::grade`] off the
//! async workers, at most one grading per core at a time and within a time budget, and
//! prints reports for people (the CLI's Korean text).

use std::fmt::Write as _;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use sim_wasm::grade::{CheckStatus, Report, Status, Transcript};
use tokio::sync::Semaphore;

use crate::content::ExerciseEntry;
use crate::error::Error;

/// What a student handed in: the body as text, and the transcript when it came as JSON.
pub struct Submitted {
    pub answer: String,
    pub transcript: Option<Transcript>,
}

/// A finished grading: the verdict and the report already serialized, once, for both the
/// response and the stored submission.
#[derive(Debug)]
pub struct Graded {
    pub status: Status,
    pub report_json: String,
    /// The answer, handed back for storing (it moved into the grading thread).
    pub answer: String,
}

/// Runs gradings on the blocking pool, at most as many at once as there are cores.
///
/// A grading is pure CPU work (≈ 2 ms for the seed's DNS exercise). Started without a
/// limit, 16 concurrent submissions on 2 cores became 16 threads time-slicing the cores
/// with the async workers that accept and answer requests, so every grading took 8 times
/// longer and requests already graded waited for a core to be written back. With the limit
/// a submission waits (fairly, first come first served) before its grading starts.
#[derive(Clone, Debug)]
pub struct Grader {
    permits: Arc<Semaphore>,
    budget: Duration,
}

impl Grader {
    /// `budget` bounds the wait for a core plus the grading itself.
    pub fn new(budget: Duration) -> Grader {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        Grader {
            permits: Arc::new(Semaphore::new(cores)),
            budget,
        }
    }

    /// Grades on a blocking thread; when the wait plus the grading exceed the budget the
    /// answer is [`Error::GradingTimeout`] (a grading already running finishes on its own
    /// and keeps its core until then; the simulator has no I/O).
    pub async fn grade(
        &self,
        entry: Arc<ExerciseEntry>,
        submitted: Submitted,
    ) -> Result<Graded, Error> {
        let span = tracing::Span::current();
        let permits = Arc::clone(&self.permits);
        let graded = async move {
            let permit = permits
                .acquire_owned()
                .await
                .map_err(|closed| anyhow::anyhow!("grading semaphore: {closed}"))?;
            tokio::task::spawn_blocking(move || {
                let _entered = span.enter();
                let _permit = permit;
                let report = grade_now(&entry, &submitted);
                serde_json::to_string(&report).map(|report_json| Graded {
                    status: report.status,
                    report_json,
                    answer: submitted.answer,
                })
            })
            .await
            .map_err(|join_error| anyhow::anyhow!("grading task failed: {join_error}"))?
            .map_err(anyhow::Error::from)
        };
        match tokio::time::timeout(self.budget, graded).await {
            Ok(Ok(graded)) => Ok(graded),
            Ok(Err(error)) => Err(Error::Internal(error)),
            Err(_elapsed) => Err(Error::GradingTimeout),
        }
    }
}

fn grade_now(entry: &ExerciseEntry, submitted: &Submitted) -> Report {
    let prepared = entry.prepared();
    match &submitted.transcript {
        Some(transcript) => {
            sim_wasm::grade::grade_transcript_prepared(&entry.exercise, prepared, transcript)
        }
        None => sim_wasm::grade::grade_prepared(&entry.exercise, prepared, &submitted.answer),
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
