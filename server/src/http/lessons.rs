//! Pages: `GET /` (the Korean lesson index with the learner's progress) and
//! `GET /lessons/{slug}` (the lesson beside the lab terminal, per the DOM contract in
//! COMMON.md: `#lab[data-lesson]`, `#terminal`, `section.exercise[data-exercise-id]`).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::identity::{KnownLearner, Learner, MaybeUser, SessionUser};
use crate::content::{Block, Lesson};
use crate::error::{Error, Result};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(show_index))
        .route("/lessons/{slug}", get(show_lesson))
}

#[derive(Template, WebTemplate)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    course_title: &'a str,
    account: Option<SessionUser>,
    lessons: Vec<LessonRow<'a>>,
}

struct LessonRow<'a> {
    lesson: &'a Lesson,
    n_exercises: usize,
    n_passed: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "lesson.html")]
struct LessonPage<'a> {
    course_title: &'a str,
    account: Option<SessionUser>,
    lesson: &'a Lesson,
    /// `web/dist/app.js` exists; otherwise the page says how to build the assets.
    assets_built: bool,
    previous: Option<&'a Lesson>,
    next: Option<&'a Lesson>,
    /// Exercises of this lesson the learner has passed.
    passed: Vec<String>,
}

// GET / — every lesson in index order, with how many of its exercises this learner passed.
#[tracing::instrument(skip_all)]
async fn show_index(
    State(state): State<AppState>,
    Learner(learner_id): Learner,
    MaybeUser(account): MaybeUser,
) -> Result<Response> {
    let passed = state.db.passed_exercises(&learner_id).await?;
    let course = state.course();
    let lessons = course
        .lessons
        .iter()
        .map(|lesson| LessonRow {
            lesson,
            n_exercises: lesson.exercise_ids().count(),
            n_passed: lesson
                .exercise_ids()
                .filter(|id| passed.iter().any(|passed_id| passed_id == id.as_ref()))
                .count(),
        })
        .collect();
    let page = IndexPage {
        course_title: &course.title,
        account,
        lessons,
    };
    Ok(page.into_response())
}

// GET /lessons/{slug} — the lesson text beside the lab terminal.
#[tracing::instrument(skip_all, fields(lesson = %slug))]
async fn show_lesson(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    MaybeUser(account): MaybeUser,
    KnownLearner(learner_id): KnownLearner,
) -> Result<Response> {
    let passed = match &learner_id {
        Some(learner_id) => state.db.passed_exercises(learner_id).await?,
        None => Vec::new(),
    };
    let course = state.course();
    let position = course
        .lessons
        .iter()
        .position(|lesson| lesson.slug.as_ref() == slug)
        .ok_or(Error::LessonNotFound)?;
    let lesson = course.lessons.get(position).ok_or(Error::LessonNotFound)?;
    let page = LessonPage {
        course_title: &course.title,
        account,
        lesson,
        assets_built: state.config.static_dir.join("app.js").is_file(),
        previous: position
            .checked_sub(1)
            .and_then(|index| course.lessons.get(index)),
        next: course.lessons.get(position + 1),
        passed,
    };
    Ok(page.into_response())
}

impl LessonPage<'_> {
    fn has_passed(&self, exercise_id: &str) -> bool {
        self.passed.iter().any(|passed| passed == exercise_id)
    }
}
