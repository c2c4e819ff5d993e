//! Parsed identifiers that cross the HTTP boundary. Constructors check once; code further
//! in takes the newtype and never re-checks. They know nothing about storage or content.

mod exercise_id;
mod lesson_slug;
mod username;

pub use exercise_id::ExerciseId;
pub use lesson_slug::LessonSlug;
pub use username::{Password, Username};

/// The shared rule for URL-safe names: lowercase ASCII letters, digits and '-', 1..=63 bytes,
/// not starting or ending with '-' (a DNS label, as Kubernetes names are).
fn is_url_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 63
        && text
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}
