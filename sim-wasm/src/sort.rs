//! Stable sorting through one shared instantiation of the standard library's sort.
//!
//! `slice::sort_by` is generic over the element type *and* the closure, so every call site
//! with its own closure compiles a fresh copy of driftsort (~4 KB of wasm each; 44 copies
//! were a seventh of the browser's module). Here the standard sort runs once, on indices,
//! with the comparison behind `dyn`; each call site only adds two tiny closures. For a
//! comparison that is a total order a stable sort has exactly one result, so it is
//! `slice::sort_by`'s; a comparison that is not (NaN, mixed kinds) belongs with std's sort.
//!
//! `map_from` does the same for maps built from iterators.
//!
//! This module knows nothing about what it sorts. It is for code that is not hot: sorting
//! indices costs an allocation and an indirect call per comparison.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Sorts `items` stably by `compare`, like `<[T]>::sort_by`.
pub(crate) fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let mut order = sorted_order(
        items.len(),
        &mut |a, b| match (items.get(a), items.get(b)) {
            (Some(a), Some(b)) => compare(a, b),
            _ => Ordering::Equal,
        },
    );
    apply(items, &mut order);
}

/// Puts `items` in `order` (see `permute`). Apart from `sort_by`, which is generic over the
/// comparison too, so the swapping closure is compiled once per element type, not once per
/// call site.
fn apply<T>(items: &mut [T], order: &mut [usize]) {
    permute(order, &mut |a, b| items.swap(a, b));
}

/// Sorts `items` stably by the key `key` computes, like `<[T]>::sort_by_key`.
pub(crate) fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably in their natural order, like `<[T]>::sort`.
pub(crate) fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// A map of `pairs`, inserted one by one: `collect()` into a `BTreeMap` first sorts the pairs
/// (another copy of the sort for every key and value type). Either way a repeated key keeps
/// its last value.
pub(crate) fn map_from<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(pairs);
    map
}

/// The positions `0..len` in the order `compare` (which compares two positions) puts them.
#[inline(never)]
fn sorted_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves every element to its sorted place, given `order[i]` = the position of the element
/// that belongs at `i`, by following each cycle of the permutation with `swap`.
/// `order` ends as the identity.
#[inline(never)]
fn permute(order: &mut [usize], swap: &mut dyn FnMut(usize, usize)) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = std::mem::replace(&mut order[at], at);
            if from == start {
                break;
            }
            swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator, so the test covers many shapes without a crate.
    fn shuffled(len: usize, seed: u64) -> Vec<(u8, usize)> {
        let mut state = seed;
        (0..len)
            .map(|i| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                (((state >> 33) % 7) as u8, i)
            })
            .collect()
    }

    #[test]
    fn sorting_by_a_key_gives_what_the_standard_stable_sort_gives() {
        for len in [0, 1, 2, 3, 5, 17, 20, 21, 64, 257, 1000] {
            for seed in 0..5 {
                let mut ours = shuffled(len, seed);
                let mut theirs = ours.clone();
                // Only the first field is compared, so equal keys test stability.
                sort_by_key(&mut ours, |item| item.0);
                theirs.sort_by_key(|item| item.0);
                assert_eq!(ours, theirs, "len {len}, seed {seed}");
            }
        }
    }

    #[test]
    fn sorting_strings_by_a_reversed_comparison_matches_the_standard_sort() {
        let words = [
            "kube-proxy",
            "coredns",
            "calico-node",
            "etcd",
            "coredns",
            "a",
            "",
        ];
        let mut ours: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        let mut theirs = ours.clone();
        sort_by(&mut ours, |a, b| {
            b.len().cmp(&a.len()).then_with(|| a.cmp(b))
        });
        theirs.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        assert_eq!(ours, theirs);
        sort(&mut ours);
        theirs.sort();
        assert_eq!(ours, theirs);
    }
}
