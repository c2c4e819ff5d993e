//! The one piece of shared state handlers receive through `State<AppState>`.

use std::sync::{Arc, RwLock};

use crate::config::Config;
use crate::content::Course;
use crate::db::Db;
use crate::grading::Grader;

#[derive(Clone, Debug)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    /// Runs gradings, one per core at a time.
    pub grader: Grader,
    /// The course; replaced as a whole when `--dev` reloads `content/`.
    course: Arc<RwLock<Arc<Course>>>,
}

impl AppState {
    pub fn new(config: Config, db: Db, course: Course) -> AppState {
        AppState {
            grader: Grader::new(config.grading_budget),
            config: Arc::new(config),
            db,
            course: Arc::new(RwLock::new(Arc::new(course))),
        }
    }

    /// The current course. Handlers take one snapshot per request, so a reload never
    /// changes a page halfway through rendering.
    pub fn course(&self) -> Arc<Course> {
        match self.course.read() {
            Ok(course) => course.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn replace_course(&self, course: Course) {
        let mut slot = match self.course.write() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        *slot = Arc::new(course);
    }
}
