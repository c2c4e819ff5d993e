//! `ExerciseId`: the id of a graded exercise as it appears in URLs and the database.

use std::fmt;

/// A valid exercise id (`ns-blue`); see [`super::is_url_name`] for the rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExerciseId(String);

impl ExerciseId {
    pub fn parse(text: &str) -> Result<ExerciseId, String> {
        if super::is_url_name(text) {
            Ok(ExerciseId(text.to_owned()))
        } else {
            Err(format!(
                "invalid exercise id {text:?}: use lowercase letters, digits and '-'"
            ))
        }
    }
}

impl AsRef<str> for ExerciseId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ExerciseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::ExerciseId;

    #[test]
    fn exercise_ids_are_lowercase_dns_labels() {
        assert!(ExerciseId::parse("ns-blue").is_ok());
        for bad in ["", "NS", "-a", "a-", "a/b", "파드", &"a".repeat(64)] {
            assert!(ExerciseId::parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }
}
