//! `LessonSlug`: the URL name of a lesson (`01-network-model`), also its file stem.

use std::fmt;

/// A valid lesson slug; see [`super::is_url_name`] for the rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LessonSlug(String);

impl LessonSlug {
    pub fn parse(text: &str) -> Result<LessonSlug, String> {
        if super::is_url_name(text) {
            Ok(LessonSlug(text.to_owned()))
        } else {
            Err(format!(
                "invalid lesson name {text:?}: use lowercase letters, digits and '-'"
            ))
        }
    }
}

impl AsRef<str> for LessonSlug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LessonSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::LessonSlug;

    #[test]
    fn lesson_slugs_reject_path_tricks() {
        assert!(LessonSlug::parse("01-network-model").is_ok());
        for bad in ["..", "a/../b", "Lesson", "a b", ""] {
            assert!(LessonSlug::parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }
}
