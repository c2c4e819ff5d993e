//! `server check`: builds the whole course (front matter, blocks, links, exercise files) and
//! then grades every exercise's reference solution (must pass) and known-wrong attempts
//! (must get exactly their declared outcome). Problems are `path:line: message`.

use std::path::Path;

use sim_wasm::grade::{Status, WrongOutcome};

use crate::content::{ContentError, Course, ExerciseEntry};

/// What `server check` found: the course's size and every problem.
pub struct CheckSummary {
    pub n_lessons: usize,
    pub n_exercises: usize,
    pub problems: Vec<ContentError>,
}

pub fn run(content_dir: &Path) -> CheckSummary {
    let course = match Course::load(content_dir) {
        Ok(course) => course,
        Err(errors) => {
            return CheckSummary {
                n_lessons: 0,
                n_exercises: 0,
                problems: errors.0,
            };
        }
    };
    let problems = course
        .exercises()
        .flat_map(|entry| grade_examples(entry))
        .collect();
    CheckSummary {
        n_lessons: course.lessons.len(),
        n_exercises: course.exercises().count(),
        problems,
    }
}

fn grade_examples(entry: &ExerciseEntry) -> Vec<ContentError> {
    let exercise = &entry.exercise;
    let text = std::fs::read_to_string(&entry.source_path).unwrap_or_default();
    let mut problems = Vec::new();
    let prepared = entry.prepared();
    let solution = sim_wasm::grade::grade_prepared(exercise, prepared, &exercise.solution);
    if solution.status != Status::Pass {
        let detail = match &solution.error {
            Some(error) => error.message.clone(),
            None => solution
                .checks
                .iter()
                .filter(|check| check.status != sim_wasm::grade::CheckStatus::Pass)
                .map(|check| {
                    format!(
                        "{} (expected {}, observed {})",
                        check.id, check.expected, check.observed
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        };
        problems.push(ContentError::new(
            &entry.source_path,
            line_of(&text, "solution:"),
            format!("the reference solution does not pass: {detail}"),
        ));
    }
    for (index, wrong) in exercise.wrong.iter().enumerate() {
        let report = sim_wasm::grade::grade_prepared(exercise, prepared, &wrong.answer);
        let line = nth_line_of(&text, "- why:", index).or_else(|| line_of(&text, "wrong:"));
        let got = match report.status {
            Status::Error => "status error".to_owned(),
            Status::Pass => "status pass".to_owned(),
            Status::Fail => format!("failed checks [{}]", report.failed_checks().join(", ")),
        };
        let as_expected = match wrong.outcome() {
            WrongOutcome::Error => report.status == Status::Error,
            WrongOutcome::Fails(ids) => {
                report.status == Status::Fail
                    && report.failed_checks() == ids.iter().map(String::as_str).collect::<Vec<_>>()
            }
        };
        if !as_expected {
            let wanted = match wrong.outcome() {
                WrongOutcome::Error => "status error".to_owned(),
                WrongOutcome::Fails(ids) => format!("failed checks [{}]", ids.join(", ")),
            };
            problems.push(ContentError::new(
                &entry.source_path,
                line,
                format!(
                    "known-wrong attempt wrong[{index}] ({}) should give {wanted}, got {got}",
                    wrong.why
                ),
            ));
        }
    }
    problems
}

fn line_of(text: &str, prefix: &str) -> Option<u64> {
    nth_line_of(text, prefix, 0)
}

fn nth_line_of(text: &str, prefix: &str, n: usize) -> Option<u64> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with(prefix))
        .nth(n)
        .map(|(index, _)| index as u64 + 1)
}
