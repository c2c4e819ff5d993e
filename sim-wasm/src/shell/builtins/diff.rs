//! GNU `diff` for comparing manifests: the normal format (`2c2`, `< old`, `---`, `> new`)
//! and `-u` (unified, three lines of context), exit 0 when equal, 1 when different, 2 on
//! trouble. The edit script is a longest common subsequence of lines (GNU's may differ in
//! rare ties).

use super::{Ctx, fail, lines};
use crate::shell::CommandOutput;
use crate::time::{EPOCH_UNIX_SECONDS, SimTime, rfc3339};

/// Inputs larger than this many lines per side are reported, not compared (the table is
/// quadratic).
const MAX_LINES: usize = 3000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Edit {
    Same,
    Delete,
    Insert,
}

pub(super) fn diff(ctx: &mut Ctx<'_>) -> CommandOutput {
    let mut unified = false;
    let mut quiet = false;
    let mut operands = Vec::new();
    for arg in ctx.args {
        match arg.as_str() {
            "-u" | "--unified" => unified = true,
            "-q" | "--brief" => quiet = true,
            other if other.starts_with('-') && other != "-" => {
                return fail(
                    format!(
                        "diff: unrecognized option '{other}'\ndiff: Try 'diff --help' for more information.\n"
                    ),
                    2,
                );
            }
            _ => operands.push(arg.clone()),
        }
    }
    let [left_name, right_name] = operands.as_slice() else {
        let message = match operands.len() {
            0 => "diff: missing operand\n".to_owned(),
            1 => format!("diff: missing operand after '{}'\n", operands[0]),
            _ => format!("diff: extra operand '{}'\n", operands[2]),
        };
        return fail(
            format!("{message}diff: Try 'diff --help' for more information.\n"),
            2,
        );
    };
    let mut texts = Vec::new();
    for name in [left_name, right_name] {
        let text = if name == "-" {
            Ok(ctx.stdin.to_owned())
        } else {
            ctx.read(name)
        };
        match text {
            Ok(text) => texts.push(text),
            Err(error) => return fail(format!("diff: {name}: {}\n", error.message()), 2),
        }
    }
    let (left, right) = (lines(&texts[0]), lines(&texts[1]));
    if left == right && texts[0].ends_with('\n') == texts[1].ends_with('\n') {
        return CommandOutput::default();
    }
    if quiet {
        return CommandOutput {
            stdout: format!("Files {left_name} and {right_name} differ\n"),
            exit_code: 1,
            ..CommandOutput::default()
        };
    }
    if left.len() > MAX_LINES || right.len() > MAX_LINES {
        return CommandOutput {
            stdout: format!("Files {left_name} and {right_name} differ\n"),
            stderr: "diff: inputs too large to compare line by line in the simulator\n".to_owned(),
            exit_code: 1,
            ..CommandOutput::default()
        };
    }
    let script = edit_script(&left, &right);
    let stdout = if unified {
        let stamp = |name: &str| {
            let modified = ctx.files.stat(name).map_or(SimTime::ZERO, |m| m.modified);
            let text = rfc3339(EPOCH_UNIX_SECONDS + (modified.as_millis() / 1000) as i64);
            format!(
                "{} {}.000000000 +0000",
                text.get(..10).unwrap_or(""),
                text.get(11..19).unwrap_or("")
            )
        };
        let mut out = format!(
            "--- {left_name}\t{}\n+++ {right_name}\t{}\n",
            stamp(left_name),
            stamp(right_name)
        );
        out.push_str(&unified_hunks(&script, &left, &right));
        out
    } else {
        normal_hunks(&script, &left, &right)
    };
    CommandOutput {
        stdout,
        exit_code: 1,
        ..CommandOutput::default()
    }
}

/// The edits turning `left` into `right`, from a longest-common-subsequence table.
fn edit_script(left: &[&str], right: &[&str]) -> Vec<Edit> {
    let (n, m) = (left.len(), right.len());
    let mut table = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[at(i, j)] = if left[i] == right[j] {
                table[at(i + 1, j + 1)] + 1
            } else {
                table[at(i + 1, j)].max(table[at(i, j + 1)])
            };
        }
    }
    let mut script = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && left[i] == right[j] {
            script.push(Edit::Same);
            i += 1;
            j += 1;
        } else if j < m && (i == n || table[at(i, j + 1)] > table[at(i + 1, j)]) {
            script.push(Edit::Insert);
            j += 1;
        } else {
            script.push(Edit::Delete);
            i += 1;
        }
    }
    script
}

fn range(start: usize, count: usize) -> String {
    if count <= 1 {
        start.to_string()
    } else {
        format!("{start},{}", start + count - 1)
    }
}

fn normal_hunks(script: &[Edit], left: &[&str], right: &[&str]) -> String {
    let mut out = String::new();
    let (mut i, mut j, mut k) = (0, 0, 0);
    while k < script.len() {
        if script[k] == Edit::Same {
            i += 1;
            j += 1;
            k += 1;
            continue;
        }
        let (start_i, start_j) = (i, j);
        while k < script.len() && script[k] != Edit::Same {
            match script[k] {
                Edit::Delete => i += 1,
                _ => j += 1,
            }
            k += 1;
        }
        let (deleted, inserted) = (i - start_i, j - start_j);
        let header = match (deleted, inserted) {
            (_, 0) => format!("{}d{}", range(start_i + 1, deleted), start_j),
            (0, _) => format!("{}a{}", start_i, range(start_j + 1, inserted)),
            _ => format!(
                "{}c{}",
                range(start_i + 1, deleted),
                range(start_j + 1, inserted)
            ),
        };
        out.push_str(&header);
        out.push('\n');
        for line in &left[start_i..i] {
            out.push_str(&format!("< {line}\n"));
        }
        if deleted > 0 && inserted > 0 {
            out.push_str("---\n");
        }
        for line in &right[start_j..j] {
            out.push_str(&format!("> {line}\n"));
        }
    }
    out
}

fn unified_hunks(script: &[Edit], left: &[&str], right: &[&str]) -> String {
    const CONTEXT: usize = 3;
    // Positions (in the script) of changes, grouped into hunks whose contexts touch.
    let changes: Vec<usize> = script
        .iter()
        .enumerate()
        .filter(|(_, e)| **e != Edit::Same)
        .map(|(index, _)| index)
        .collect();
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &index in &changes {
        match hunks.last_mut() {
            Some((_, end)) if index <= *end + 2 * CONTEXT + 1 => *end = index,
            _ => hunks.push((index, index)),
        }
    }
    let mut out = String::new();
    for (first, last) in hunks {
        let start = first.saturating_sub(CONTEXT);
        let end = (last + CONTEXT + 1).min(script.len());
        // Line numbers where the hunk starts on each side.
        let left_before = script[..start]
            .iter()
            .filter(|e| **e != Edit::Insert)
            .count();
        let right_before = script[..start]
            .iter()
            .filter(|e| **e != Edit::Delete)
            .count();
        let left_count = script[start..end]
            .iter()
            .filter(|e| **e != Edit::Insert)
            .count();
        let right_count = script[start..end]
            .iter()
            .filter(|e| **e != Edit::Delete)
            .count();
        let side = |before: usize, count: usize| {
            let first_line = if count == 0 { before } else { before + 1 };
            if count == 1 {
                format!("{first_line}")
            } else {
                format!("{first_line},{count}")
            }
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            side(left_before, left_count),
            side(right_before, right_count)
        ));
        let (mut i, mut j) = (left_before, right_before);
        for edit in &script[start..end] {
            match edit {
                Edit::Same => {
                    out.push_str(&format!(" {}\n", left.get(i).copied().unwrap_or("")));
                    i += 1;
                    j += 1;
                }
                Edit::Delete => {
                    out.push_str(&format!("-{}\n", left.get(i).copied().unwrap_or("")));
                    i += 1;
                }
                Edit::Insert => {
                    out.push_str(&format!("+{}\n", right.get(j).copied().unwrap_or("")));
                    j += 1;
                }
            }
        }
    }
    out
}
