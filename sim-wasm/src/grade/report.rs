//! The grading report (the JSON the API answers with and the CLI prints): an overall status
//! and every check in order with what was expected and what was observed.
//!
//! The shape is the HTTP contract between server and web (see COMMON.md): `status`,
//! `checks[] { id, title, status, message, hint, expected, observed }`, `error`.

use serde::Serialize;

use crate::grade::Exercise;

/// Korean explanation added after kubectl's own message when the answer does not apply and
/// no more specific explanation matches.
const APPLY_FAILED_HINT: &str = "kubectl이 이 YAML을 적용하지 못했습니다. 위의 kubectl 메시지가 가리키는 줄과 필드를 고친 뒤 다시 제출하세요. (apiVersion, kind, metadata.name의 철자와 들여쓰기를 확인하세요.)";

/// A Korean explanation of kubectl's message, chosen by the message's well-known phrases
/// (the phrases are kubectl's and the API server's, fidelity.md); it always follows the
/// real message, never replaces it.
pub(crate) fn explain_apply_error(message: &str) -> String {
    let line = message
        .split("line ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .filter(|digits| !digits.is_empty());
    if message.contains("excessive aliasing") {
        "YAML 별칭(&이름, *이름)이 너무 많이 펼쳐집니다. 별칭 없이 필요한 내용만 적으세요."
            .to_owned()
    } else if message.contains("recursion limit exceeded") {
        "YAML이 너무 깊게 중첩되어 있습니다. 괄호나 들여쓰기가 끝없이 이어지지 않는지 확인하세요."
            .to_owned()
    } else if message.contains("error converting YAML to JSON") {
        match line {
            Some(line) => format!(
                "YAML 문법 오류입니다. {line}번째 줄 근처의 들여쓰기(스페이스만, 탭 금지), 콜론 뒤의 공백, 닫히지 않은 괄호나 따옴표를 확인하세요."
            ),
            None => "YAML 문법 오류입니다. 들여쓰기(스페이스만, 탭 금지), 콜론 뒤의 공백, 닫히지 않은 괄호나 따옴표를 확인하세요.".to_owned(),
        }
    } else if message.contains("no matches for kind") {
        "이 apiVersion에는 그런 kind가 없습니다. kind의 철자와 대소문자, 그리고 apiVersion과의 짝(Namespace·Service·Pod는 v1, Deployment는 apps/v1)을 확인하세요.".to_owned()
    } else if message.contains("unknown field") {
        "쿠버네티스가 모르는 필드가 있습니다. 따옴표 안의 필드 이름 철자와, 그 필드가 올바른 들여쓰기 위치에 있는지 확인하세요.".to_owned()
    } else if message.contains("cannot unmarshal") {
        "필드 값의 형식이 맞지 않습니다. 예를 들어 포트 번호는 따옴표 없는 숫자로 적어야 합니다."
            .to_owned()
    } else if message.contains("is invalid") {
        "값이 쿠버네티스의 규칙에 맞지 않습니다. 이름은 영문 소문자, 숫자, '-'만 쓸 수 있고 문자나 숫자로 시작하고 끝나야 합니다.".to_owned()
    } else if message.contains("already exists") {
        "같은 이름의 오브젝트가 이미 있습니다. 이름을 확인하세요.".to_owned()
    } else {
        APPLY_FAILED_HINT.to_owned()
    }
}

/// Korean explanation when the exercise's own setup failed: not the student's fault.
pub(crate) const SETUP_FAILED_HINT: &str =
    "연습문제 준비 단계가 실패했습니다. 답안의 문제가 아니니 강사에게 알려 주세요.";

const SKIPPED_MESSAGE: &str = "답안이 적용되지 않아 확인하지 않았습니다.";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    Pass,
    Fail,
    Skip,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub status: Status,
    pub checks: Vec<CheckResult>,
    pub error: Option<ReportError>,
}

/// One evaluated check. `message` and `hint` are the instructor's Korean texts, filled in
/// only when the check did not pass.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckResult {
    pub id: String,
    pub title: String,
    pub status: CheckStatus,
    pub message: String,
    pub hint: String,
    pub expected: String,
    pub observed: String,
    /// For a failed behaviour check: the simulator's packet trace steps that explain it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<String>,
}

/// Why nothing was checked: kubectl's exact message and a Korean explanation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReportError {
    pub message: String,
    pub hint: String,
}

impl Report {
    pub(crate) fn from_checks(checks: Vec<CheckResult>) -> Report {
        let status = if checks.iter().all(|check| check.status == CheckStatus::Pass) {
            Status::Pass
        } else {
            Status::Fail
        };
        Report {
            status,
            checks,
            error: None,
        }
    }

    pub(crate) fn error(exercise: &Exercise, message: String, hint: String) -> Report {
        let checks = exercise
            .checks
            .iter()
            .map(|check| CheckResult {
                id: check.id.clone(),
                title: check.title.clone(),
                status: CheckStatus::Skip,
                message: SKIPPED_MESSAGE.to_owned(),
                hint: String::new(),
                expected: String::new(),
                observed: String::new(),
                trace: Vec::new(),
            })
            .collect();
        Report {
            status: Status::Error,
            checks,
            error: Some(ReportError { message, hint }),
        }
    }

    /// Ids of the checks that failed, in order.
    pub fn failed_checks(&self) -> Vec<&str> {
        self.checks
            .iter()
            .filter(|check| check.status == CheckStatus::Fail)
            .map(|check| check.id.as_str())
            .collect()
    }
}
