//! The one piece of shared state handlers receive through `State<AppState>`.

use std::sync::Arc;

use crate::config::Config;
use crate::content::Course;
use crate::db::Db;

#[derive(Clone, Debug)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub course: Arc<Course>,
}
