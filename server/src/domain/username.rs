//! `Username` and `Password`: what signup accepts, checked once at the form boundary.

use std::fmt;

/// 3–32 characters: letters (Hangul included), digits, `_`, `-`, `.`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username(String);

/// 8–128 characters. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Username {
    pub fn parse(text: &str) -> Result<Username, &'static str> {
        let text = text.trim();
        let n_chars = text.chars().count();
        if !(3..=32).contains(&n_chars) {
            return Err("아이디는 3자 이상 32자 이하로 입력하세요.");
        }
        if !text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Err("아이디에는 글자, 숫자, _, -, . 만 쓸 수 있습니다.");
        }
        Ok(Username(text.to_owned()))
    }
}

impl Password {
    pub fn parse(text: &str) -> Result<Password, &'static str> {
        let n_chars = text.chars().count();
        if !(8..=128).contains(&n_chars) {
            return Err("비밀번호는 8자 이상 128자 이하로 입력하세요.");
        }
        Ok(Password(text.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

impl AsRef<str> for Username {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::{Password, Username};

    #[test]
    fn usernames_allow_hangul_and_reject_spaces_and_symbols() {
        assert!(Username::parse("김철수").is_ok());
        assert!(Username::parse("student_01").is_ok());
        for bad in ["ab", "a b c", "x<script>", &"가".repeat(33)] {
            assert!(Username::parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn passwords_need_eight_characters_and_never_print() {
        assert!(Password::parse("short").is_err());
        let password = Password::parse("비밀번호는여덟자").expect("eight Hangul characters");
        assert_eq!(format!("{password:?}"), "Password(***)");
    }
}
