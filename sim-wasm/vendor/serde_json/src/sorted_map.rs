//! k8s-netlab's patch: the map behind `serde_json::Map` when `preserve_order` is off.
//!
//! Upstream uses a `BTreeMap`, whose every node holds room for eleven entries: a JSON object
//! of two keys costs a 632-byte node. A simulated cluster keeps tens of thousands of small
//! objects (a settled pod is ~45 maps), and the nodes were five sixths of its memory. This
//! map keeps the entries in one `Vec`, sorted by key, so it iterates, serializes and compares
//! in exactly the order the `BTreeMap` did: every byte `serde_json` prints is unchanged.
//!
//! Inserting into the middle of a sorted `Vec` moves the entries after it, so a map built in
//! random order would cost O(n²). Past [`LARGE`] entries a map therefore becomes the
//! `BTreeMap` it used to be on its first insert or removal that is not at the end (appending
//! in key order stays cheap at any size): a hostile document with 100,000 keys in one object
//! costs what it cost upstream.

use alloc::boxed::Box;
use alloc::collections::{btree_map, BTreeMap};
use alloc::vec::{self, Vec};
use core::borrow::Borrow;
use core::fmt::{self, Debug};
use core::hash::{Hash, Hasher};
use core::iter::FusedIterator;
use core::{mem, slice};

/// Entries beyond which a map is kept as a `BTreeMap`.
const LARGE: usize = 128;

/// Below this length the entries' `Vec` grows one slot at a time (the default doubling
/// would give a one-key object room for four); above it, by doubling.
const EXACT_GROWTH: usize = 16;

pub(crate) enum SortedMap<K, V> {
    Small(Vec<(K, V)>),
    Large(Box<BTreeMap<K, V>>),
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap::Small(Vec::new())
    }
}

impl<K: Clone, V: Clone> Clone for SortedMap<K, V> {
    fn clone(&self) -> Self {
        match self {
            SortedMap::Small(v) => SortedMap::Small(v.clone()),
            SortedMap::Large(m) => SortedMap::Large(m.clone()),
        }
    }
}

/// Where `key` is, or would be inserted, in sorted `entries`.
fn search<K, V, Q>(entries: &[(K, V)], key: &Q) -> Result<usize, usize>
where
    K: Borrow<Q>,
    Q: ?Sized + Ord,
{
    entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
}

/// Maps up to this long are looked up by comparing keys for equality one after another:
/// unequal lengths settle most comparisons without reading the keys, where a binary search
/// compares bytes (a `memcmp` call) at every step.
const LINEAR: usize = 32;

/// The index of `key` in sorted `entries`.
fn find<K, V, Q>(entries: &[(K, V)], key: &Q) -> Option<usize>
where
    K: Borrow<Q>,
    Q: ?Sized + Ord,
{
    if entries.len() <= LINEAR {
        entries.iter().position(|(k, _)| k.borrow() == key)
    } else {
        search(entries, key).ok()
    }
}

/// Makes room for one more entry (see [`EXACT_GROWTH`]).
fn reserve_one<T>(entries: &mut Vec<T>) {
    if entries.len() == entries.capacity() && entries.len() < EXACT_GROWTH {
        entries.reserve_exact(1);
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    pub fn with_capacity(capacity: usize) -> Self {
        SortedMap::Small(Vec::with_capacity(capacity.min(LARGE)))
    }

    pub fn clear(&mut self) {
        *self = SortedMap::default();
    }

    pub fn len(&self) -> usize {
        match self {
            SortedMap::Small(v) => v.len(),
            SortedMap::Large(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
        Q: ?Sized + Ord,
    {
        match self {
            SortedMap::Small(v) => {
                let (k, v) = &v[find(v, key)?];
                Some((k, v))
            }
            SortedMap::Large(m) => m.get_key_value(key),
        }
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: ?Sized + Ord,
    {
        self.get_key_value(key).map(|(_, v)| v)
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: ?Sized + Ord,
    {
        self.get(key).is_some()
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: ?Sized + Ord,
    {
        match self {
            SortedMap::Small(v) => {
                let i = find(v, key)?;
                Some(&mut v[i].1)
            }
            SortedMap::Large(m) => m.get_mut(key),
        }
    }

    /// Turns a long `Small` map into a `Large` one before a change in its middle.
    fn grow_up(&mut self) {
        if let SortedMap::Small(v) = self {
            if v.len() >= LARGE {
                // Inserted one by one, not `collect()`ed: `BTreeMap`'s `FromIterator` sorts
                // its input first, which would add a copy of the sort to the wasm module
                // (the entries are sorted already).
                let mut large = BTreeMap::new();
                for (k, v) in mem::take(v) {
                    large.insert(k, v);
                }
                *self = SortedMap::Large(Box::new(large));
            }
        }
    }

    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.entry(key) {
            Entry::Occupied(mut e) => Some(e.insert(value)),
            Entry::Vacant(e) => {
                e.insert(value);
                None
            }
        }
    }

    pub fn remove_entry<Q>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
        Q: ?Sized + Ord,
    {
        if let SortedMap::Small(v) = self {
            let i = search(v, key).ok()?;
            if i + 1 == v.len() {
                return v.pop();
            }
        }
        self.grow_up();
        match self {
            SortedMap::Small(v) => {
                let i = search(v, key).ok()?;
                Some(v.remove(i))
            }
            SortedMap::Large(m) => m.remove_entry(key),
        }
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: ?Sized + Ord,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }

    /// Moves every entry of `other` into `self`; on equal keys `other`'s value wins.
    pub fn append(&mut self, other: &mut Self) {
        for (k, v) in mem::take(other) {
            self.insert(k, v);
        }
    }

    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        let long_middle = matches!(self, SortedMap::Small(v)
            if v.len() >= LARGE && search(v, &key).is_err_and(|i| i != v.len()));
        if long_middle {
            self.grow_up();
        }
        match self {
            SortedMap::Small(entries) => {
                // Objects are mostly built in key order: appending needs one comparison.
                let at = match entries.last() {
                    Some((last, _)) if *last < key => Err(entries.len()),
                    _ => search(entries, &key),
                };
                match at {
                    Ok(index) => Entry::Occupied(OccupiedEntry::Small { entries, index }),
                    Err(index) => Entry::Vacant(VacantEntry::Small {
                        entries,
                        index,
                        key,
                    }),
                }
            }
            SortedMap::Large(m) => match m.entry(key) {
                btree_map::Entry::Vacant(e) => Entry::Vacant(VacantEntry::Large(e)),
                btree_map::Entry::Occupied(e) => Entry::Occupied(OccupiedEntry::Large(e)),
            },
        }
    }

    /// The value at `key`, inserting what `make` returns when there is none: unlike
    /// `entry`, a key that is present costs no owned copy of it (`value["key"] = x`).
    pub fn get_or_insert_with<Q, F>(&mut self, key: &Q, make: F) -> &mut V
    where
        K: Borrow<Q>,
        Q: ?Sized + Ord,
        F: FnOnce() -> (K, V),
    {
        // Long `Small` maps and `Large` ones go by `entry` (which may turn the one into the
        // other), paying for the owned key.
        if !matches!(self, SortedMap::Small(entries) if entries.len() < LARGE) {
            return self.get_or_insert_by_entry(make);
        }
        let SortedMap::Small(entries) = self else {
            return self.get_or_insert_by_entry(make);
        };
        let index = match find(entries, key) {
            Some(index) => index,
            None => {
                let (k, v) = make();
                let index = match entries.last() {
                    Some((last, _)) if *last < k => entries.len(),
                    _ => search::<K, V, K>(entries, &k).unwrap_or_else(|i| i),
                };
                reserve_one(entries);
                entries.insert(index, (k, v));
                index
            }
        };
        &mut entries[index].1
    }

    fn get_or_insert_by_entry<F: FnOnce() -> (K, V)>(&mut self, make: F) -> &mut V {
        let (k, v) = make();
        match self.entry(k) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(v),
        }
    }

    pub fn retain<F>(&mut self, mut f: F)
    where
        F: FnMut(&K, &mut V) -> bool,
    {
        match self {
            SortedMap::Small(v) => v.retain_mut(|(k, v)| f(k, v)),
            SortedMap::Large(m) => m.retain(f),
        }
    }

    pub fn iter(&self) -> Iter<'_, K, V> {
        match self {
            SortedMap::Small(v) => Iter::Small(v.iter()),
            SortedMap::Large(m) => Iter::Large(m.iter()),
        }
    }

    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        match self {
            SortedMap::Small(v) => IterMut::Small(v.iter_mut()),
            SortedMap::Large(m) => IterMut::Large(m.iter_mut()),
        }
    }

    pub fn keys(&self) -> Keys<'_, K, V> {
        Keys(self.iter())
    }

    pub fn values(&self) -> Values<'_, K, V> {
        Values(self.iter())
    }

    pub fn values_mut(&mut self) -> ValuesMut<'_, K, V> {
        ValuesMut(self.iter_mut())
    }

    pub fn into_values(self) -> IntoValues<K, V> {
        IntoValues(self.into_iter())
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<T: IntoIterator<Item = (K, V)>>(iter: T) -> Self {
        let mut map = SortedMap::default();
        map.extend(iter);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<T: IntoIterator<Item = (K, V)>>(&mut self, iter: T) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V: PartialEq> PartialEq for SortedMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<K: Ord + Hash, V: Hash> Hash for SortedMap<K, V> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len());
        for entry in self.iter() {
            entry.hash(state);
        }
    }
}

impl<K: Ord + Debug, V: Debug> Debug for SortedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

pub(crate) enum Entry<'a, K, V> {
    Vacant(VacantEntry<'a, K, V>),
    Occupied(OccupiedEntry<'a, K, V>),
}

pub(crate) enum VacantEntry<'a, K, V> {
    Small {
        entries: &'a mut Vec<(K, V)>,
        index: usize,
        key: K,
    },
    Large(btree_map::VacantEntry<'a, K, V>),
}

impl<'a, K: Ord, V> VacantEntry<'a, K, V> {
    pub fn key(&self) -> &K {
        match self {
            VacantEntry::Small { key, .. } => key,
            VacantEntry::Large(e) => e.key(),
        }
    }

    pub fn insert(self, value: V) -> &'a mut V {
        match self {
            VacantEntry::Small {
                entries,
                index,
                key,
            } => {
                reserve_one(entries);
                entries.insert(index, (key, value));
                &mut entries[index].1
            }
            VacantEntry::Large(e) => e.insert(value),
        }
    }
}

pub(crate) enum OccupiedEntry<'a, K, V> {
    Small {
        entries: &'a mut Vec<(K, V)>,
        index: usize,
    },
    Large(btree_map::OccupiedEntry<'a, K, V>),
}

impl<'a, K: Ord, V> OccupiedEntry<'a, K, V> {
    pub fn key(&self) -> &K {
        match self {
            OccupiedEntry::Small { entries, index } => &entries[*index].0,
            OccupiedEntry::Large(e) => e.key(),
        }
    }

    pub fn get(&self) -> &V {
        match self {
            OccupiedEntry::Small { entries, index } => &entries[*index].1,
            OccupiedEntry::Large(e) => e.get(),
        }
    }

    pub fn get_mut(&mut self) -> &mut V {
        match self {
            OccupiedEntry::Small { entries, index } => &mut entries[*index].1,
            OccupiedEntry::Large(e) => e.get_mut(),
        }
    }

    pub fn into_mut(self) -> &'a mut V {
        match self {
            OccupiedEntry::Small { entries, index } => &mut entries[index].1,
            OccupiedEntry::Large(e) => e.into_mut(),
        }
    }

    pub fn insert(&mut self, value: V) -> V {
        mem::replace(self.get_mut(), value)
    }

    pub fn remove_entry(self) -> (K, V) {
        match self {
            OccupiedEntry::Small { entries, index } => entries.remove(index),
            OccupiedEntry::Large(e) => e.remove_entry(),
        }
    }

    pub fn remove(self) -> V {
        self.remove_entry().1
    }
}

/// Implements the iterator traits for a wrapper whose `Small` and `Large` variants hold the
/// `Vec`'s and the `BTreeMap`'s iterators, mapping each variant's item with `$small` and
/// `$large`.
macro_rules! both_iterator {
    ($name:ident $(<$($g:tt),*>)?, $item:ty, $small:expr, $large:expr) => {
        impl $(<$($g),*>)? Iterator for $name $(<$($g),*>)? {
            type Item = $item;
            #[inline]
            fn next(&mut self) -> Option<Self::Item> {
                match self {
                    $name::Small(i) => i.next().map($small),
                    $name::Large(i) => i.next().map($large),
                }
            }
            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                match self {
                    $name::Small(i) => i.size_hint(),
                    $name::Large(i) => i.size_hint(),
                }
            }
        }

        impl $(<$($g),*>)? DoubleEndedIterator for $name $(<$($g),*>)? {
            #[inline]
            fn next_back(&mut self) -> Option<Self::Item> {
                match self {
                    $name::Small(i) => i.next_back().map($small),
                    $name::Large(i) => i.next_back().map($large),
                }
            }
        }

        impl $(<$($g),*>)? ExactSizeIterator for $name $(<$($g),*>)? {
            #[inline]
            fn len(&self) -> usize {
                match self {
                    $name::Small(i) => i.len(),
                    $name::Large(i) => i.len(),
                }
            }
        }

        impl $(<$($g),*>)? FusedIterator for $name $(<$($g),*>)? {}
    };
}

pub(crate) enum Iter<'a, K, V> {
    Small(slice::Iter<'a, (K, V)>),
    Large(btree_map::Iter<'a, K, V>),
}

impl<K, V> Clone for Iter<'_, K, V> {
    fn clone(&self) -> Self {
        match self {
            Iter::Small(i) => Iter::Small(i.clone()),
            Iter::Large(i) => Iter::Large(i.clone()),
        }
    }
}

impl<K: Debug, V: Debug> Debug for Iter<'_, K, V> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

both_iterator!(Iter<'a, K, V>, (&'a K, &'a V), |(k, v)| (k, v), |kv| kv);

pub(crate) enum IterMut<'a, K, V> {
    Small(slice::IterMut<'a, (K, V)>),
    Large(btree_map::IterMut<'a, K, V>),
}

impl<K: Debug, V: Debug> Debug for IterMut<'_, K, V> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("IterMut { .. }")
    }
}

both_iterator!(
    IterMut<'a, K, V>,
    (&'a K, &'a mut V),
    |(k, v): &'a mut (K, V)| (&*k, v),
    |kv| kv
);

pub(crate) enum IntoIter<K, V> {
    Small(vec::IntoIter<(K, V)>),
    Large(btree_map::IntoIter<K, V>),
}

impl<K: Debug, V: Debug> Debug for IntoIter<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("IntoIter { .. }")
    }
}

both_iterator!(IntoIter<K, V>, (K, V), |kv| kv, |kv| kv);

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = IntoIter<K, V>;
    fn into_iter(self) -> IntoIter<K, V> {
        match self {
            SortedMap::Small(v) => IntoIter::Small(v.into_iter()),
            SortedMap::Large(m) => IntoIter::Large((*m).into_iter()),
        }
    }
}

/// Implements the iterator traits for a wrapper of one of the iterators above that keeps a
/// part of each item.
macro_rules! part_iterator {
    ($name:ident $(<$($g:tt),*>)?, $item:ty, $part:expr) => {
        impl $(<$($g),*>)? Iterator for $name $(<$($g),*>)? {
            type Item = $item;
            #[inline]
            fn next(&mut self) -> Option<Self::Item> {
                self.0.next().map($part)
            }
            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.0.size_hint()
            }
        }

        impl $(<$($g),*>)? DoubleEndedIterator for $name $(<$($g),*>)? {
            #[inline]
            fn next_back(&mut self) -> Option<Self::Item> {
                self.0.next_back().map($part)
            }
        }

        impl $(<$($g),*>)? ExactSizeIterator for $name $(<$($g),*>)? {
            #[inline]
            fn len(&self) -> usize {
                self.0.len()
            }
        }

        impl $(<$($g),*>)? FusedIterator for $name $(<$($g),*>)? {}
    };
}

#[derive(Clone, Debug)]
pub(crate) struct Keys<'a, K, V>(Iter<'a, K, V>);
part_iterator!(Keys<'a, K, V>, &'a K, |(k, _)| k);

#[derive(Clone, Debug)]
pub(crate) struct Values<'a, K, V>(Iter<'a, K, V>);
part_iterator!(Values<'a, K, V>, &'a V, |(_, v)| v);

#[derive(Debug)]
pub(crate) struct ValuesMut<'a, K, V>(IterMut<'a, K, V>);
part_iterator!(ValuesMut<'a, K, V>, &'a mut V, |(_, v)| v);

#[derive(Debug)]
pub(crate) struct IntoValues<K, V>(IntoIter<K, V>);
part_iterator!(IntoValues<K, V>, V, |(_, v)| v);
