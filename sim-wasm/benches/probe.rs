#![allow(clippy::disallowed_methods)]
use std::time::Instant;
fn main() {
    let start = Instant::now();
    let mut n = 0usize;
    for i in 0..11000 {
        n += sim_wasm::net::hash::chain_suffix(&format!("bench/svc-{i}tcp10.244.1.{}:8080", i % 250)).len();
    }
    println!("11000 hashes: {:?} {n}", start.elapsed());
    let start = Instant::now();
    let mut v = Vec::new();
    for i in 0..32000 {
        v.push((format!("bench/svc-{i} -> 10.244.1.1:8080"), vec![1u8, 2, 3], format!("KUBE-SEP-{i}")));
    }
    println!("32000 x 3 allocs: {:?}", start.elapsed());
    drop(v);
}
