//! Exercise checks evaluated on a settled cluster, and the report the grader returns.
//!
//! An [`Exercise`] (declared by instructors in `content/exercises/*.yaml`, parsed by the
//! server) says how to prepare a fresh cluster, where the student's answer goes and which
//! checks decide the result. [`grade`] applies a submission to a fresh, seeded cluster and
//! evaluates every check in order, producing a [`Report`] with the evidence (expected and
//! observed values).
//!
//! This module uses only the simulator's public API (`Cluster::new`, `exec`, `write_file`,
//! `settle`): it sees the cluster exactly as a student at the terminal does, so a check can
//! never depend on simulator internals. It does no I/O and reads no clock; the time budget
//! is the caller's business (the server grades off its async workers with a timeout).

mod check;
mod exercise;
mod json_path;
mod report;

#[cfg(test)]
mod tests;

pub use exercise::{
    Check, Exercise, ExerciseProblem, KnownWrong, PodSelector, RunCheck, ScalarText, StateCheck,
    Submission, SubmissionKind, WrongOutcome,
};
pub use json_path::JsonPath;
pub use report::{CheckResult, CheckStatus, Report, ReportError, Status};

use std::collections::BTreeMap;

use crate::{Cluster, ClusterConfig};

/// A terminal session to replay: files the student saved in the editor (written first),
/// then every typed line in order (heredoc bodies are lines too, as the terminal sent them).
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transcript {
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    pub commands: Vec<String>,
}

/// An exercise's cluster right after its setup: built once ([`prepare`]) and cloned for
/// every submission, so a grading pays only for the answer and the checks. A clone carries
/// the PRNG state and the clock, so the result is byte-identical to a fresh cluster's.
#[derive(Clone)]
pub struct Prepared {
    ready: Result<Cluster, Report>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("setup_succeeded", &self.ready.is_ok())
            .finish()
    }
}

/// Builds the exercise's cluster (seed, CNI) and runs its setup; a failing setup is kept as
/// the error report every grading then returns.
pub fn prepare(exercise: &Exercise) -> Prepared {
    let mut cluster = fresh_cluster(exercise);
    let ready = match run_setup(exercise, &mut cluster) {
        Some(report) => Err(report),
        None => Ok(cluster),
    };
    Prepared { ready }
}

/// Grades an answer as the exercise's submission kind says: for `yaml`, the text is the
/// file; for `transcript`, each line of the text is one typed line.
///
/// YAML that kubectl refuses gives [`Status::Error`] with kubectl's exact message; every check
/// is then reported as skipped, so the student sees what would have been checked.
pub fn grade(exercise: &Exercise, answer: &str) -> Report {
    grade_prepared(exercise, &prepare(exercise), answer)
}

/// [`grade`] on a cluster prepared earlier with [`prepare`] for this exercise.
pub fn grade_prepared(exercise: &Exercise, prepared: &Prepared, answer: &str) -> Report {
    match exercise.submission.kind {
        SubmissionKind::Yaml => grade_yaml(exercise, prepared, answer),
        SubmissionKind::Transcript => grade_transcript_prepared(
            exercise,
            prepared,
            &Transcript {
                files: BTreeMap::new(),
                commands: answer.lines().map(str::to_owned).collect(),
            },
        ),
    }
}

/// Replays a terminal session on a fresh cluster, then evaluates every check. A command
/// that fails is part of the session (students mistype), not an error of the submission.
pub fn grade_transcript(exercise: &Exercise, transcript: &Transcript) -> Report {
    grade_transcript_prepared(exercise, &prepare(exercise), transcript)
}

/// [`grade_transcript`] on a cluster prepared earlier with [`prepare`].
pub fn grade_transcript_prepared(
    exercise: &Exercise,
    prepared: &Prepared,
    transcript: &Transcript,
) -> Report {
    let mut cluster = match &prepared.ready {
        Ok(cluster) => cluster.clone(),
        Err(report) => return report.clone(),
    };
    for (path, contents) in &transcript.files {
        cluster.write_file(path, contents);
    }
    for line in &transcript.commands {
        cluster.exec(line);
    }
    cluster.settle();
    evaluate_checks(exercise, &mut cluster)
}

fn fresh_cluster(exercise: &Exercise) -> Cluster {
    Cluster::new(exercise.seed, ClusterConfig { cni: exercise.cni })
        .with_load_balancer(exercise.load_balancer)
}

fn evaluate_checks(exercise: &Exercise, cluster: &mut Cluster) -> Report {
    let checks = exercise
        .checks
        .iter()
        .map(|one| check::evaluate(one, cluster))
        .collect();
    Report::from_checks(checks)
}

/// The prepared cluster, `kubectl apply -f FILE`, then every check in order.
fn grade_yaml(exercise: &Exercise, prepared: &Prepared, answer: &str) -> Report {
    let mut cluster = match &prepared.ready {
        Ok(cluster) => cluster.clone(),
        Err(report) => return report.clone(),
    };
    let file = exercise.submission.file();
    cluster.write_file(file, answer);
    let applied = cluster.exec(&format!("kubectl apply -f {file}"));
    if applied.exit_code != 0 {
        let message = if applied.stderr.trim().is_empty() {
            applied.stdout.clone()
        } else {
            applied.stderr.clone()
        };
        let message = message.trim_end().to_owned();
        let hint = report::explain_apply_error(&message);
        return Report::error(exercise, message, hint);
    }
    cluster.settle();
    evaluate_checks(exercise, &mut cluster)
}

/// Runs the exercise's setup commands; a failing setup is the instructor's bug, reported as
/// an error (and caught earlier by `server check`).
fn run_setup(exercise: &Exercise, cluster: &mut Cluster) -> Option<Report> {
    for command in &exercise.setup {
        let output = cluster.exec(command);
        if output.exit_code != 0 || output.continuation {
            let detail = format!("$ {command}\n{}{}", output.stdout, output.stderr.trim_end());
            return Some(Report::error(
                exercise,
                detail,
                report::SETUP_FAILED_HINT.to_owned(),
            ));
        }
    }
    cluster.settle();
    None
}
