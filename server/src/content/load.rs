//! Load stage: reads the index, the lessons' front matter and the exercise files, then hands
//! each lesson body to `preprocess`. All file access of the content pipeline is here.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use sim_wasm::grade::Exercise;

use super::{ContentError, ContentErrors, Course, ExerciseEntry, Lesson, LessonMeta};
use crate::domain::{ExerciseId, LessonSlug};

/// `content/index.yaml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseIndex {
    title: String,
    lessons: Vec<String>,
}

pub(super) fn course(dir: &Path) -> Result<Course, ContentErrors> {
    let mut errors = Vec::new();
    let index_path = dir.join("index.yaml");
    let index =
        match read(&index_path).and_then(|text| parse_yaml::<CourseIndex>(&index_path, &text, 0)) {
            Ok(index) => index,
            Err(error) => return Err(ContentErrors(vec![error])),
        };
    let exercises = exercises(&dir.join("exercises"), &mut errors);
    let mut lessons = Vec::new();
    let mut sources = Vec::new();
    for (position, name) in index.lessons.iter().enumerate() {
        let index_line = Some(position as u64 + 3);
        let slug = match LessonSlug::parse(name) {
            Ok(slug) => slug,
            Err(message) => {
                errors.push(ContentError::new(&index_path, index_line, message));
                continue;
            }
        };
        if lessons.iter().any(|lesson: &Lesson| lesson.slug == slug) {
            errors.push(ContentError::new(
                &index_path,
                index_line,
                format!("lesson {slug} is listed twice"),
            ));
            continue;
        }
        let path = dir.join("lessons").join(format!("{slug}.md"));
        match lesson(slug, &path, &exercises) {
            Ok((lesson, source)) => {
                lessons.push(lesson);
                sources.push(source);
            }
            Err(mut lesson_errors) => errors.append(&mut lesson_errors),
        }
    }
    for (id, entry) in &exercises {
        let placed = lessons
            .iter()
            .any(|lesson| lesson.exercise_ids().any(|placed_id| placed_id == id));
        if !placed && errors.is_empty() {
            errors.push(ContentError::new(
                &entry.source_path,
                Some(1),
                format!("exercise {id} is not placed in any lesson (add an `exercise` block with `{id}`)"),
            ));
        }
    }
    let slugs: Vec<&str> = lessons.iter().map(|lesson| lesson.slug.as_ref()).collect();
    for (lesson, source) in lessons.iter().zip(&sources) {
        errors.extend(super::preprocess::check_links(
            &lesson.source_path,
            source,
            &slugs,
        ));
    }
    if errors.is_empty() {
        Ok(Course {
            title: index.title,
            lessons,
            exercises,
        })
    } else {
        Err(ContentErrors(errors))
    }
}

fn lesson(
    slug: LessonSlug,
    path: &Path,
    exercises: &BTreeMap<ExerciseId, Arc<ExerciseEntry>>,
) -> Result<(Lesson, String), Vec<ContentError>> {
    let text = read(path).map_err(|error| vec![error])?;
    let Some((front, body, body_line)) = split_front_matter(&text) else {
        return Err(vec![ContentError::new(
            path,
            Some(1),
            "a lesson starts with `---` front matter (title, summary, minutes)",
        )]);
    };
    // The front matter starts on line 2, right after the opening `---`.
    let meta = parse_yaml::<LessonMeta>(path, front, 1).map_err(|error| vec![error])?;
    let blocks = super::preprocess::blocks(path, body, body_line, exercises)?;
    let lesson = Lesson {
        slug,
        meta,
        source_path: path.to_owned(),
        blocks,
    };
    Ok((lesson, text))
}

fn exercises(
    dir: &Path,
    errors: &mut Vec<ContentError>,
) -> BTreeMap<ExerciseId, Arc<ExerciseEntry>> {
    let mut exercises = BTreeMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push(ContentError::new(
                dir,
                None,
                format!("cannot read directory: {error}"),
            ));
            return exercises;
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    for path in paths {
        match exercise(&path) {
            Ok(entry) => {
                exercises.insert(entry.id.clone(), Arc::new(entry));
            }
            Err(mut exercise_errors) => errors.append(&mut exercise_errors),
        }
    }
    exercises
}

fn exercise(path: &Path) -> Result<ExerciseEntry, Vec<ContentError>> {
    let text = read(path).map_err(|error| vec![error])?;
    let exercise = parse_yaml::<Exercise>(path, &text, 0).map_err(|error| vec![error])?;
    let mut errors: Vec<ContentError> = exercise
        .problems()
        .into_iter()
        .map(|problem| {
            let line = line_of_key(
                &text,
                problem.field.split(['.', '[']).next().unwrap_or_default(),
            );
            ContentError::new(
                path,
                line,
                format!("{}: {}", problem.field, problem.message),
            )
        })
        .collect();
    let stem = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default();
    if exercise.id != stem {
        errors.push(ContentError::new(
            path,
            line_of_key(&text, "id"),
            format!("id {:?} must equal the file name {stem:?}", exercise.id),
        ));
    }
    let id = ExerciseId::parse(&exercise.id);
    match id {
        Ok(id) if errors.is_empty() => Ok(ExerciseEntry {
            id,
            prompt_html: super::render::markdown(&exercise.prompt),
            exercise,
            source_path: path.to_owned(),
            prepared: std::sync::OnceLock::new(),
        }),
        Ok(_) => Err(errors),
        Err(message) => {
            errors.push(ContentError::new(path, line_of_key(&text, "id"), message));
            Err(errors)
        }
    }
}

/// The 1-based line of a top-level `key:` in a YAML file, for pointing instructors at it.
pub(crate) fn line_of_key(text: &str, key: &str) -> Option<u64> {
    let prefix = format!("{key}:");
    text.lines()
        .position(|line| line.starts_with(&prefix))
        .map(|index| index as u64 + 1)
}

fn read(path: &Path) -> Result<String, ContentError> {
    std::fs::read_to_string(path)
        .map_err(|error| ContentError::new(path, None, format!("cannot read: {error}")))
}

/// YAML → `T` with serde-saphyr (whose budgets refuse alias bombs and deep nesting);
/// `line_offset` is how many lines of the file precede `text`.
pub(super) fn parse_yaml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    line_offset: u64,
) -> Result<T, ContentError> {
    serde_saphyr::from_str::<T>(text).map_err(|error| {
        let line = error
            .location()
            .map(|location| location.line() + line_offset);
        let message = error.without_snippet().to_string();
        // serde-saphyr appends " at line L column C"; our prefix already says where.
        let message = match message.find(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message,
        };
        ContentError::new(path, line, message)
    })
}

/// Splits `---\nFRONT\n---\nBODY` into the front matter, the body and the body's first line.
pub(super) fn split_front_matter(text: &str) -> Option<(&str, &str, u64)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((front, body, index as u64 + 3));
        }
        offset += line.len();
    }
    None
}
