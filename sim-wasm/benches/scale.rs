//! The scale benchmark: 1,000 Deployments (5,000 Pods) and 1,000 Services applied
//! from one manifest and settled; then `kubectl get pods -A` and one `describe`. Prints the
//! median of a few runs. Run with `cargo bench -p sim-wasm --bench scale` (release build);
//! `-- N R` sets the number of deployments (default 1000) and of runs (default 3).
//!
//! Wall-clock time is measured here, outside the simulator, which itself never reads a clock.
//! Next to it, the time the thread actually ran on a CPU (Linux's `schedstat`): on a shared,
//! loaded machine the wall clock also counts waiting for a core, the CPU time does not.
//!
//! The allocator is mimalloc, the one the server (which grades on this simulator) ships.
//!
//! Memory is counted by a global allocator wrapper: the peak of live heap bytes while one
//! cluster is applied and settled (the "memory" budget), and what stays live once it
//! has settled. Unlike the process's peak RSS this does not depend on the system allocator's
//! caching, and it counts one cluster, not the runs before it.
#![allow(clippy::disallowed_methods)]

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The system allocator, counting live bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { mimalloc::MiMalloc.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: f64 = 1024.0 * 1024.0;

use sim_wasm::{Cluster, ClusterConfig, Cni};

fn manifest(deployments: usize) -> String {
    let mut text = String::new();
    for i in 0..deployments {
        text.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{i}\nspec:\n  replicas: 5\n  selector:\n    matchLabels:\n      app: app{i}\n  template:\n    metadata:\n      labels:\n        app: app{i}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        ports:\n        - containerPort: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc{i}\nspec:\n  selector:\n    app: app{i}\n  ports:\n  - port: 80\n"
        ));
    }
    text
}

/// Nanoseconds this thread has run on a CPU (0 where `/proc` does not say).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Wall-clock and on-CPU time of one step.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Sample {
    wall: Duration,
    cpu: Duration,
}

fn measure<T>(step: impl FnOnce() -> T) -> (T, Sample) {
    let (t, c) = (Instant::now(), cpu_ns());
    let out = step();
    let cpu = Duration::from_nanos(cpu_ns().saturating_sub(c));
    (
        out,
        Sample {
            wall: t.elapsed(),
            cpu,
        },
    )
}

/// Medians of wall-clock and of CPU time, each on its own.
fn median(samples: &[Sample]) -> String {
    let mid = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let wall = mid(samples.iter().map(|s| s.wall).collect());
    let cpu = mid(samples.iter().map(|s| s.cpu).collect());
    format!("{wall:>12.2?} wall {cpu:>12.2?} cpu")
}

fn main() {
    let deployments: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let runs: u64 = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let text = manifest(deployments);
    let (mut apply, mut settle, mut get, mut describe) = (vec![], vec![], vec![], vec![]);
    let (mut peak, mut settled) = (0, 0);
    for seed in 0..runs {
        // Counted from here: the manifest text is the benchmark's, not the cluster's.
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let mut c = Cluster::new(seed, ClusterConfig { cni: Cni::Calico });
        c.write_file("big.yaml", &text);
        let (out, s) = measure(|| c.exec("kubectl apply -f big.yaml"));
        apply.push(s);
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
        let ((), s) = measure(|| c.settle());
        settle.push(s);
        settled = LIVE.load(Ordering::Relaxed) - base;
        let (out, s) = measure(|| c.exec("kubectl get pods -A"));
        get.push(s);
        assert!(out.stdout.lines().count() > deployments * 5);
        let (_, s) = measure(|| c.exec("kubectl describe svc svc1"));
        describe.push(s);
        peak = PEAK.load(Ordering::Relaxed) - base;
        drop(c);
    }
    println!(
        "{deployments} deployments ({} pods), {deployments} services, {} bytes of YAML, median of {runs}:",
        deployments * 5,
        text.len()
    );
    println!("  kubectl apply -f:     {}", median(&apply));
    println!("  settle:               {}", median(&settle));
    println!("  kubectl get pods -A:  {}", median(&get));
    println!("  kubectl describe svc: {}", median(&describe));
    println!(
        "  heap: peak {:.1} MB, live after settle {:.1} MB (last run)",
        peak as f64 / MB,
        settled as f64 / MB
    );
}
