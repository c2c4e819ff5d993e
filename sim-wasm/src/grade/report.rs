//! The grading report (the JSON the API answers with and the CLI prints): an overall status
//! and every check in order with what was expected and what was observed.
//!
//! The shape is the HTTP contract between server and web (see COMMON.md): `status`,
//! `checks[] { id, title, status, message, hint, expected, observed }`, `error`.

use serde::Serialize;

use crate::grade::Exercise;

/// Korean explanation added after kubectl's own message when the answer does not apply.
pub(crate) const APPLY_FAILED_HINT: &str = "kubectl이 이 YAML을 적용하지 못했습니다. 위의 kubectl 메시지가 가리키는 줄과 필드를 고친 뒤 다시 제출하세요. (apiVersion, kind, metadata.name의 철자와 들여쓰기를 확인하세요.)";

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
