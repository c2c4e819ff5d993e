//! Development reloading (`server serve --dev`): polls `content/` once a second and, when a
//! file changed, rebuilds the whole course and swaps it in. A course with problems is not
//! swapped in: the errors are logged as `path:line` and the previous course keeps serving.

use std::path::Path;
use std::time::{Duration, SystemTime};

use super::Course;
use crate::state::AppState;

/// Runs until the process ends.
pub async fn reload_on_change(state: AppState) {
    let dir = state.config.content_dir.clone();
    let mut last = fingerprint(&dir);
    let mut interval = tokio::time::interval(Duration::from_secs(1));
    loop {
        interval.tick().await;
        let current = fingerprint(&dir);
        if current == last {
            continue;
        }
        last = current;
        let load_dir = dir.clone();
        match tokio::task::spawn_blocking(move || Course::load(&load_dir)).await {
            Ok(Ok(course)) => {
                state.replace_course(course);
                tracing::info!("content reloaded");
            }
            Ok(Err(errors)) => tracing::warn!("content not reloaded:\n{errors}"),
            Err(error) => tracing::error!(%error, "content reload task failed"),
        }
    }
}

/// The newest modification time and the number of files under `dir`: changes when a file
/// is edited, added or removed.
fn fingerprint(dir: &Path) -> (Option<SystemTime>, usize) {
    let mut newest = None;
    let mut n_files = 0;
    let mut pending = vec![dir.to_owned()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(modified) = entry.metadata().and_then(|meta| meta.modified()) {
                n_files += 1;
                newest = newest.max(Some(modified));
            }
        }
    }
    (newest, n_files)
}
