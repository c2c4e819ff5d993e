//! `ls` with GNU coreutils 9's output: columns for an 80-column terminal when stdout is the
//! terminal (the `-C` layout, tab-padded), one name per line into a pipe or file, `-l`
//! with modes, owners, sizes and virtual-clock times, `-a`, `-A`, `-d`, `-h`, `-r`, `-t`,
//! `-S`, `-R`.

use super::super::files::DirEntry;
use super::{Ctx, getopt};
use crate::shell::CommandOutput;
use crate::time::{EPOCH_UNIX_SECONDS, SimTime, rfc3339};

/// The terminal width `ls` lays its columns out for.
const TERMINAL_COLUMNS: usize = 80;

struct Listed {
    name: String,
    path: String,
    is_dir: bool,
    len: usize,
    modified: SimTime,
}

pub(super) fn ls(ctx: &mut Ctx<'_>) -> CommandOutput {
    let long = [
        ("all", 'a', false),
        ("almost-all", 'A', false),
        ("directory", 'd', false),
        ("human-readable", 'h', false),
        ("reverse", 'r', false),
        ("recursive", 'R', false),
    ];
    let opts = match getopt("ls", ctx.args, "alAdh1rtSFRC", &long, 2) {
        Ok(opts) => opts,
        Err(output) => return output,
    };
    let long_format = opts.has('l');
    let columns = ctx.stdout_tty && !opts.has('1') && !long_format || opts.has('C');
    let mut operands = opts.operands.clone();
    if operands.is_empty() {
        operands.push(".".to_owned());
    }
    let mut stderr = String::new();
    let mut code = 0;
    let mut plain: Vec<Listed> = Vec::new();
    let mut dirs: Vec<String> = Vec::new();
    for operand in &operands {
        match ctx.files.stat(operand) {
            Ok(meta) if meta.is_dir && !opts.has('d') => dirs.push(operand.clone()),
            Ok(meta) => plain.push(Listed {
                name: operand.clone(),
                path: ctx.files.resolve(operand),
                is_dir: meta.is_dir,
                len: meta.len,
                modified: meta.modified,
            }),
            Err(_) if ctx.is_dir(operand) && !opts.has('d') => dirs.push(operand.clone()),
            Err(_) if ctx.is_dir(operand) => plain.push(Listed {
                name: operand.clone(),
                path: ctx.files.resolve(operand),
                is_dir: true,
                len: 4096,
                modified: SimTime::ZERO,
            }),
            Err(_) if ctx.read(operand).is_ok() => {
                let len = ctx.read(operand).map(|c| c.len()).unwrap_or(0);
                plain.push(Listed {
                    name: operand.clone(),
                    path: ctx.files.resolve(operand),
                    is_dir: false,
                    len,
                    modified: SimTime::ZERO,
                });
            }
            Err(error) => {
                stderr.push_str(&format!(
                    "ls: cannot access '{operand}': {}\n",
                    error.message()
                ));
                code = 2;
            }
        }
    }
    sort_listing(&mut plain, &opts);
    crate::sort::sort(&mut dirs);
    if opts.has('r') {
        dirs.reverse();
    }
    let mut out = String::new();
    let show_headers = operands.len() > 1 || opts.has('R');
    if !plain.is_empty() {
        out.push_str(&render(
            ctx,
            &plain,
            long_format,
            columns,
            opts.has('h'),
            false,
        ));
    }
    let mut queue: Vec<String> = dirs;
    let mut first = plain.is_empty();
    let mut visited = 0;
    while !queue.is_empty() && visited < 1000 {
        let dir = queue.remove(0);
        visited += 1;
        let Ok(entries) = ctx.list(&dir) else {
            continue;
        };
        let mut listed: Vec<Listed> = Vec::new();
        if opts.has('a') {
            for dot in [".", ".."] {
                let path = ctx.files.resolve(&format!("{dir}/{dot}"));
                listed.push(Listed {
                    name: dot.to_owned(),
                    path,
                    is_dir: true,
                    len: 4096,
                    modified: SimTime::ZERO,
                });
            }
        }
        let mut subdirs = Vec::new();
        for DirEntry { name, is_dir } in entries {
            if name.starts_with('.') && !opts.has('a') && !opts.has('A') {
                continue;
            }
            let shown_path = if dir.ends_with('/') {
                format!("{dir}{name}")
            } else {
                format!("{dir}/{name}")
            };
            let meta = ctx.files.stat(&shown_path).ok();
            if is_dir {
                subdirs.push(shown_path.clone());
            }
            // Entries the system provides have no metadata in the student's files.
            let len = match &meta {
                Some(m) => m.len,
                None if is_dir => 4096,
                None => ctx.read(&shown_path).map_or(0, |text| text.len()),
            };
            listed.push(Listed {
                name,
                path: ctx.files.resolve(&shown_path),
                is_dir,
                len,
                modified: meta.map_or(SimTime::ZERO, |m| m.modified),
            });
        }
        sort_listing(&mut listed, &opts);
        if !first {
            out.push('\n');
        }
        first = false;
        if show_headers {
            out.push_str(&format!("{dir}:\n"));
        }
        out.push_str(&render(
            ctx,
            &listed,
            long_format,
            columns,
            opts.has('h'),
            true,
        ));
        if opts.has('R') {
            queue.splice(0..0, subdirs);
        }
    }
    CommandOutput {
        stdout: out,
        stderr,
        exit_code: code,
        ..CommandOutput::default()
    }
}

/// Sorts a listing by name (or `-t` time, `-S` size); `-F` then marks directories with `/`
/// (after sorting, as GNU sorts the bare names).
fn sort_listing(listed: &mut [Listed], opts: &super::Opts) {
    if opts.has('t') {
        crate::sort::sort_by(listed, |a, b| {
            b.modified.cmp(&a.modified).then(a.name.cmp(&b.name))
        });
    } else if opts.has('S') {
        crate::sort::sort_by(listed, |a, b| b.len.cmp(&a.len).then(a.name.cmp(&b.name)));
    } else {
        crate::sort::sort_by(listed, |a, b| a.name.cmp(&b.name));
    }
    if opts.has('r') {
        listed.reverse();
    }
    if opts.has('F') {
        for item in listed.iter_mut().filter(|item| item.is_dir) {
            item.name.push('/');
        }
    }
}

fn render(
    ctx: &Ctx<'_>,
    listed: &[Listed],
    long_format: bool,
    columns: bool,
    human: bool,
    with_total: bool,
) -> String {
    if long_format {
        let mut out = String::new();
        if with_total {
            let blocks: usize = listed
                .iter()
                .map(|item| {
                    if item.is_dir {
                        4
                    } else {
                        item.len.div_ceil(4096) * 4
                    }
                })
                .sum();
            out.push_str(&format!("total {blocks}\n"));
        }
        let rows: Vec<[String; 6]> = listed
            .iter()
            .map(|item| {
                let owner = owner_of(&item.path, ctx.user);
                let mode = match (item.is_dir, owner == "root") {
                    (true, true) => "drwxr-xr-x",
                    (true, false) => "drwxrwxr-x",
                    (false, true) => "-rw-r--r--",
                    (false, false) => "-rw-rw-r--",
                };
                let links = if item.is_dir {
                    2 + ctx
                        .files
                        .list_dir(&item.path)
                        .map(|entries| entries.iter().filter(|e| e.is_dir).count())
                        .unwrap_or(0)
                } else {
                    1
                };
                let size = if human {
                    human_size(item.len)
                } else {
                    item.len.to_string()
                };
                [
                    mode.to_owned(),
                    links.to_string(),
                    owner.clone(),
                    owner,
                    size,
                    ls_time(item.modified),
                ]
            })
            .collect();
        let width = |column: usize| rows.iter().map(|r| r[column].len()).max().unwrap_or(0);
        let (links_w, owner_w, group_w, size_w) = (width(1), width(2), width(3), width(4));
        for (row, item) in rows.iter().zip(listed) {
            out.push_str(&format!(
                "{} {:>links_w$} {:<owner_w$} {:<group_w$} {:>size_w$} {} {}\n",
                row[0], row[1], row[2], row[3], row[4], row[5], item.name
            ));
        }
        return out;
    }
    let names: Vec<&str> = listed.iter().map(|item| item.name.as_str()).collect();
    if !columns {
        return names.iter().map(|name| format!("{name}\n")).collect();
    }
    columns_layout(&names)
}

/// GNU ls' `-C` layout (`calculate_columns` and `print_many_per_line` in coreutils
/// `ls.c`): the most columns whose line stays under the width, filled top to bottom, and
/// padding written with tabs to 8-column stops where they fit, as `indent()` does.
fn columns_layout(names: &[&str]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let widths: Vec<usize> = names.iter().map(|n| n.chars().count()).collect();
    let count = names.len();
    let max_idx = TERMINAL_COLUMNS / 3 + usize::from(!TERMINAL_COLUMNS.is_multiple_of(3));
    let max_cols = max_idx.min(count);
    // column_info[i] describes a layout of i + 1 columns.
    let mut column_widths: Vec<Vec<usize>> = (1..=max_cols).map(|cols| vec![0; cols]).collect();
    let mut line_lengths = vec![0usize; max_cols];
    let mut valid = vec![true; max_cols];
    for (file_index, width) in widths.iter().enumerate() {
        for i in 0..max_cols {
            if !valid[i] {
                continue;
            }
            let rows = (count + i) / (i + 1);
            let idx = file_index / rows;
            let real_length = width + if idx == i { 0 } else { 2 };
            if let Some(slot) = column_widths[i].get_mut(idx)
                && *slot < real_length
            {
                line_lengths[i] += real_length - *slot;
                *slot = real_length;
                valid[i] = line_lengths[i] < TERMINAL_COLUMNS;
            }
        }
    }
    let mut cols = max_cols;
    while cols > 1 && !valid[cols - 1] {
        cols -= 1;
    }
    let rows = count.div_ceil(cols);
    let layout = &column_widths[cols - 1];
    let mut out = String::new();
    for row in 0..rows {
        let mut index = row;
        let mut col = 0;
        let mut pos = 0;
        while let Some(name) = names.get(index) {
            out.push_str(name);
            let max_name_length = layout.get(col).copied().unwrap_or(0);
            col += 1;
            index += rows;
            if index >= count {
                break;
            }
            let mut from = pos + widths[index - rows];
            let to = pos + max_name_length;
            while from < to {
                if to / 8 > (from + 1) / 8 {
                    out.push('\t');
                    from += 8 - from % 8;
                } else {
                    out.push(' ');
                    from += 1;
                }
            }
            pos += max_name_length;
        }
        out.push('\n');
    }
    out
}

fn owner_of(path: &str, user: &str) -> String {
    if let Some(rest) = path.strip_prefix("/home/") {
        let owner = rest.split('/').next().unwrap_or(user);
        if !owner.is_empty() {
            return owner.to_owned();
        }
    }
    if path.starts_with("/tmp/") && user != "root" {
        return user.to_owned();
    }
    "root".to_owned()
}

/// `ls -l`'s date column for a recent file: `Nov 26 09:00` (UTC).
fn ls_time(modified: SimTime) -> String {
    let stamp = rfc3339(EPOCH_UNIX_SECONDS + (modified.as_millis() / 1000) as i64);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month: usize = stamp.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let day: u32 = stamp.get(8..10).and_then(|d| d.parse().ok()).unwrap_or(1);
    format!(
        "{} {day:>2} {}",
        months.get(month.saturating_sub(1)).unwrap_or(&"Jan"),
        stamp.get(11..16).unwrap_or("00:00")
    )
}

/// `ls -h`: `1.5K`, `4.0K`, `12K`, `1.1M` (rounded up, as GNU does).
fn human_size(len: usize) -> String {
    if len < 1024 {
        return len.to_string();
    }
    let units = ['K', 'M', 'G', 'T'];
    let mut value = len as f64;
    for unit in units {
        value /= 1024.0;
        if value < 1024.0 || unit == 'T' {
            return if value < 10.0 {
                format!("{:.1}{unit}", (value * 10.0).ceil() / 10.0)
            } else {
                format!("{}{unit}", value.ceil() as u64)
            };
        }
    }
    len.to_string()
}
