//! Measures native grading time: `cargo run --release -p server --example bench_grade --
//! [EXERCISE] [N] [fresh]` grades the exercise's reference solution N times (default:
//! dns-jenkins, 200) and prints the median and 90th percentile; `fresh` builds a new
//! cluster and re-runs the setup every time instead of cloning the prepared one (what the
//! server does). Content is read from `content/`.

use std::time::Instant;

/// mimalloc instead of glibc's malloc: a grading clones and then drops a whole simulated
/// cluster (thousands of small B-tree nodes and strings), and under load about a fifth of
/// the server's CPU time was glibc's malloc and free (perf, `server/bench/RESULTS.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let exercise_id = args.next().unwrap_or_else(|| "dns-jenkins".to_owned());
    let n_runs: usize = args.next().map_or(Ok(200), |text| text.parse())?;
    let fresh = args.next().is_some_and(|mode| mode == "fresh");
    let course = server::content::Course::load(std::path::Path::new("content"))?;
    let entry = course
        .exercise(&exercise_id)
        .ok_or_else(|| format!("no exercise {exercise_id}"))?;
    // Like the server: the post-setup cluster is built once, then cloned per grading.
    let prepared = entry.prepared();
    let mut micros = Vec::with_capacity(n_runs);
    let mut status = None;
    for _ in 0..n_runs.max(1) {
        let started = Instant::now();
        let report = if fresh {
            sim_wasm::grade::grade(&entry.exercise, &entry.exercise.solution)
        } else {
            sim_wasm::grade::grade_prepared(&entry.exercise, prepared, &entry.exercise.solution)
        };
        micros.push(started.elapsed().as_micros());
        status = Some(report.status);
    }
    micros.sort_unstable();
    let median = micros.get(micros.len() / 2).copied().unwrap_or_default();
    let p90 = micros
        .get(micros.len() * 9 / 10)
        .copied()
        .unwrap_or_default();
    println!(
        "{exercise_id}: {n_runs} {} gradings of the reference solution ({status:?}): median {:.2} ms, p90 {:.2} ms",
        if fresh { "fresh" } else { "prepared" },
        median as f64 / 1000.0,
        p90 as f64 / 1000.0
    );
    Ok(())
}
