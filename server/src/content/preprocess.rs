//! Preprocess stage: a lesson body → ordered [`Block`]s. Instructors write plain markdown;
//! fenced blocks with these info words become lesson blocks:
//!
//! - ```` ```terminal ````: commands to run in the lesson's terminal (one per line);
//! - ```` ```exercise ````: places the exercise whose id is the block's content;
//! - ```` ```hint ```` / ```` ```solution ````: markdown shown collapsed.
//!
//! Callouts use GitHub's alert syntax with Korean names: `> [!참고]`, `> [!주의]`, `> [!팁]`.
//! Everything else is left to comrak. Errors carry the line in the lesson file.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::{Block, ContentError, ExerciseEntry};
use crate::domain::ExerciseId;

/// Korean callout names → comrak alert types (with the Korean name as the title).
const CALLOUTS: [(&str, &str); 3] = [("참고", "NOTE"), ("주의", "WARNING"), ("팁", "TIP")];

pub(super) fn blocks(
    path: &Path,
    body: &str,
    first_line: u64,
    exercises: &BTreeMap<ExerciseId, Arc<ExerciseEntry>>,
) -> Result<Vec<Block>, Vec<ContentError>> {
    let mut blocks = Vec::new();
    let mut errors = Vec::new();
    let mut markdown = String::new();
    let mut lines = body.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let line_number = first_line + index as u64;
        let Some((fence, info)) = fence_open(line) else {
            markdown.push_str(&callout(line));
            markdown.push('\n');
            continue;
        };
        let kind = info.split_whitespace().next().unwrap_or_default();
        let is_ours = matches!(kind, "terminal" | "exercise" | "hint" | "solution");
        let mut inner = Vec::new();
        let mut closed = false;
        for (_, inner_line) in lines.by_ref() {
            if is_fence_close(inner_line, fence) {
                closed = true;
                break;
            }
            inner.push(inner_line);
        }
        if !closed {
            errors.push(ContentError::new(
                path,
                Some(line_number),
                "this code block is never closed",
            ));
        }
        if !is_ours {
            // An ordinary code block: keep it verbatim for comrak.
            markdown.push_str(line);
            markdown.push('\n');
            for inner_line in &inner {
                markdown.push_str(inner_line);
                markdown.push('\n');
            }
            markdown.push_str(fence);
            markdown.push('\n');
            continue;
        }
        flush(&mut markdown, &mut blocks);
        match kind {
            "terminal" => {
                let commands: Vec<String> = inner
                    .iter()
                    .map(|command| command.trim().to_owned())
                    .filter(|command| !command.is_empty())
                    .collect();
                if commands.is_empty() {
                    errors.push(ContentError::new(
                        path,
                        Some(line_number),
                        "a terminal block needs at least one command",
                    ));
                }
                blocks.push(Block::Commands(commands));
            }
            "exercise" => {
                let id_text = inner
                    .iter()
                    .map(|text| text.trim())
                    .collect::<Vec<_>>()
                    .join("");
                let entry = ExerciseId::parse(&id_text)
                    .ok()
                    .and_then(|id| exercises.get(&id));
                match entry {
                    Some(entry) => blocks.push(Block::Exercise(entry.clone())),
                    None => errors.push(ContentError::new(
                        path,
                        Some(line_number + 1),
                        format!("no exercise {id_text:?} in exercises/ (expected exercises/{id_text}.yaml)"),
                    )),
                }
            }
            _ => {
                let summary = if kind == "hint" { "힌트" } else { "풀이" };
                blocks.push(Block::Details {
                    summary,
                    html: super::render::markdown(&inner.join("\n")),
                });
            }
        }
    }
    flush(&mut markdown, &mut blocks);
    if errors.is_empty() {
        Ok(blocks)
    } else {
        Err(errors)
    }
}

/// Links to other lessons (`/lessons/NAME`) must name a lesson of the course.
pub(super) fn check_links(path: &Path, text: &str, slugs: &[&str]) -> Vec<ContentError> {
    let mut errors = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for (at, _) in line.match_indices("](/lessons/") {
            let target: String = line[at + "](/lessons/".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if !slugs.contains(&target.as_str()) {
                errors.push(ContentError::new(
                    path,
                    Some(index as u64 + 1),
                    format!("link to unknown lesson /lessons/{target}"),
                ));
            }
        }
    }
    errors
}

fn flush(markdown: &mut String, blocks: &mut Vec<Block>) {
    if !markdown.trim().is_empty() {
        blocks.push(Block::Html(super::render::markdown(markdown)));
    }
    markdown.clear();
}

/// A fence opening: up to three spaces, then three or more backticks or tildes; returns
/// the fence (to find its close) and the info string.
fn fence_open(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = trimmed.chars().take_while(|c| *c == marker).count();
    if length < 3 {
        return None;
    }
    let (fence, info) = trimmed.split_at(length);
    if marker == '`' && info.contains('`') {
        return None;
    }
    Some((fence, info.trim()))
}

fn is_fence_close(line: &str, fence: &str) -> bool {
    let trimmed = line.trim();
    let Some(marker) = fence.chars().next() else {
        return false;
    };
    trimmed.len() >= fence.len() && trimmed.chars().all(|c| c == marker)
}

/// `> [!참고]` → `> [!NOTE] 참고`, so comrak renders a callout with the Korean title.
fn callout(line: &str) -> String {
    for (korean, alert) in CALLOUTS {
        let marker = format!("> [!{korean}]");
        if let Some(rest) = line.trim_start().strip_prefix(&marker) {
            let title = if rest.trim().is_empty() {
                korean
            } else {
                rest.trim()
            };
            return format!("> [!{alert}] {title}");
        }
    }
    line.to_owned()
}
