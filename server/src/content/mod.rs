//! The course as served: `content/` → **load** → **preprocess** → **render**, built once at
//! startup (and by `server check`), failing with `path:line` messages for instructors.
//!
//! - `load`: reads `index.yaml` (the order of lessons), each lesson's `---` front matter
//!   ([`LessonMeta`], unknown keys rejected) and every `exercises/*.yaml`.
//! - `preprocess`: splits a lesson into blocks (markdown, terminal commands, exercises,
//!   hints), maps Korean callout names, checks exercise references and links.
//! - `render`: comrak (CJK-friendly emphasis) → HTML → ammonia.
//!
//! The model is plain data with `source_path` kept apart from the slug. It knows nothing
//! about HTTP or the database; pages and handlers only read it.

mod load;
mod preprocess;
mod render;
pub mod watch;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use sim_wasm::grade::Exercise;

use crate::domain::{ExerciseId, LessonSlug};

/// The whole course, in index order.
#[derive(Debug)]
pub struct Course {
    pub title: String,
    pub lessons: Vec<Lesson>,
    exercises: BTreeMap<ExerciseId, Arc<ExerciseEntry>>,
}

/// A lesson's front matter.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonMeta {
    pub title: String,
    /// One or two sentences for the lesson index.
    pub summary: String,
    /// Estimated time in minutes.
    pub minutes: u32,
    /// The cluster the lesson's terminal starts with.
    #[serde(default)]
    pub lab: LabSpec,
}

/// A lesson's `lab:` front matter: how its simulated cluster is created (exercises say the
/// same in their own files). Left out: kubeadm with Calico and no load balancer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabSpec {
    #[serde(default)]
    pub cni: sim_wasm::Cni,
    #[serde(default)]
    pub load_balancer: sim_wasm::LoadBalancer,
}

impl LabSpec {
    /// For `data-cni` on the page (what `web/src/lab.js` passes to the simulator).
    pub fn cni_name(&self) -> &'static str {
        self.cni.name()
    }

    /// For `data-load-balancer` on the page.
    pub fn load_balancer_name(&self) -> &'static str {
        self.load_balancer.name()
    }
}

#[derive(Debug)]
pub struct Lesson {
    pub slug: LessonSlug,
    pub meta: LessonMeta,
    pub source_path: PathBuf,
    pub blocks: Vec<Block>,
}

/// One piece of a rendered lesson, in order.
#[derive(Debug)]
pub enum Block {
    /// Sanitized HTML rendered from markdown.
    Html(String),
    /// A ```` ```terminal ```` block: commands the student can run in the lesson's terminal.
    Commands(Vec<String>),
    /// A ```` ```exercise ```` block placing an exercise.
    Exercise(Arc<ExerciseEntry>),
    /// A ```` ```hint ```` or ```` ```solution ```` block, collapsed until opened.
    Details { summary: &'static str, html: String },
}

/// An exercise with what the page needs next to it.
#[derive(Debug)]
pub struct ExerciseEntry {
    pub id: ExerciseId,
    pub exercise: Exercise,
    pub prompt_html: String,
    pub source_path: PathBuf,
    /// The exercise's cluster after its setup, built on first use and cloned per grading.
    pub(crate) prepared: std::sync::OnceLock<sim_wasm::grade::Prepared>,
}

/// One problem in the content, reported as `path:line: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentError {
    pub path: PathBuf,
    pub line: Option<u64>,
    pub message: String,
}

/// Every problem found while building the course.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentErrors(pub Vec<ContentError>);

impl Course {
    /// Builds the course from a `content/` directory; any problem fails the whole build.
    pub fn load(dir: &Path) -> Result<Course, ContentErrors> {
        load::course(dir)
    }

    pub fn lesson(&self, slug: &str) -> Option<&Lesson> {
        self.lessons
            .iter()
            .find(|lesson| lesson.slug.as_ref() == slug)
    }

    pub fn exercise(&self, id: &str) -> Option<&Arc<ExerciseEntry>> {
        let id = ExerciseId::parse(id).ok()?;
        self.exercises.get(&id)
    }

    pub fn exercises(&self) -> impl Iterator<Item = &Arc<ExerciseEntry>> {
        self.exercises.values()
    }
}

impl Lesson {
    /// The exercises placed in this lesson, in order.
    pub fn exercise_ids(&self) -> impl Iterator<Item = &ExerciseId> {
        self.blocks.iter().filter_map(|block| match block {
            Block::Exercise(entry) => Some(&entry.id),
            _ => None,
        })
    }
}

impl ExerciseEntry {
    /// The post-setup cluster to grade on (built on the first call; blocking work, call it
    /// off the async workers).
    pub fn prepared(&self) -> &sim_wasm::grade::Prepared {
        self.prepared
            .get_or_init(|| sim_wasm::grade::prepare(&self.exercise))
    }

    /// `yaml` or `transcript`, for the page's `data-submission-kind`.
    pub fn submission_kind(&self) -> &'static str {
        match self.exercise.submission.kind {
            sim_wasm::grade::SubmissionKind::Yaml => "yaml",
            sim_wasm::grade::SubmissionKind::Transcript => "transcript",
        }
    }
}

impl ContentError {
    pub fn new(path: &Path, line: Option<u64>, message: impl Into<String>) -> ContentError {
        ContentError {
            path: path.to_owned(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.0 {
            writeln!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContentErrors {}
