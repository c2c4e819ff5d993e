//! A map of String to serde_json::Value.
//!
//! k8s-netlab's copy (see `vendor/README.md`): the map keeps its entries sorted by key, like
//! upstream's default `BTreeMap`, so iteration order, equality, hashing and serialization are
//! byte-for-byte the same. Small maps (at most [`FLAT_MAX`] entries — nearly every JSON object)
//! are a sorted `Vec`: one allocation of 56 bytes per entry instead of a B-tree node of 11
//! slots (~630 bytes) per map, and a binary search instead of a linear scan per node. A map
//! that grows past [`FLAT_MAX`] becomes a `BTreeMap`, so inserting many keys one at a time
//! stays O(n log n). The `preserve_order` feature is not supported.

use crate::error::Error;
use crate::value::Value;
use alloc::collections::{btree_map, BTreeMap};
use alloc::string::String;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt::{self, Debug};
use core::hash::{Hash, Hasher};
use core::iter::FusedIterator;
use core::mem;
use core::ops;
use serde::de;

/// Largest map kept as a sorted vector; beyond it inserting in the middle would cost more than
/// a B-tree.
pub const FLAT_MAX: usize = 32;

/// Represents a JSON key/value type.
pub struct Map<K, V> {
    map: MapImpl<K, V>,
}

enum MapImpl<K, V> {
    Flat(Vec<(K, V)>),
    Tree(BTreeMap<K, V>),
}

fn search<Q>(entries: &[(String, Value)], key: &Q) -> Result<usize, usize>
where
    String: Borrow<Q>,
    Q: ?Sized + Ord,
{
    entries.binary_search_by(|(k, _)| Borrow::<Q>::borrow(k).cmp(key))
}

/// The index of `key` for a lookup. A flat map is scanned comparing for equality, which
/// rejects keys of another length without reading their bytes (a binary search follows a
/// pointer to every key it compares, which measured slower on 5,000-pod listings).
#[inline]
fn find<Q>(entries: &[(String, Value)], key: &Q) -> Option<usize>
where
    String: Borrow<Q>,
    Q: ?Sized + Ord + Eq,
{
    if entries.len() <= FLAT_MAX {
        entries.iter().position(|(k, _)| Borrow::<Q>::borrow(k) == key)
    } else {
        search(entries, key).ok()
    }
}

impl Map<String, Value> {
    /// Makes a new empty Map.
    #[inline]
    pub fn new() -> Self {
        Map {
            map: MapImpl::Flat(Vec::new()),
        }
    }

    /// Makes a new empty Map with the given initial capacity.
    #[inline]
    pub fn with_capacity(capacity: usize) -> Self {
        Map {
            map: if capacity <= FLAT_MAX {
                MapImpl::Flat(Vec::with_capacity(capacity))
            } else {
                MapImpl::Tree(BTreeMap::new())
            },
        }
    }

    /// Clears the map, removing all values.
    #[inline]
    pub fn clear(&mut self) {
        self.map = MapImpl::Flat(Vec::new());
    }

    /// Returns a reference to the value corresponding to the key.
    ///
    /// The key may be any borrowed form of the map's key type, but the ordering
    /// on the borrowed form *must* match the ordering on the key type.
    #[inline]
    pub fn get<Q>(&self, key: &Q) -> Option<&Value>
    where
        String: Borrow<Q>,
        Q: ?Sized + Ord + Eq + Hash,
    {
        match &self.map {
            MapImpl::Flat(v) => find(v, key).map(|i| &v[i].1),
            MapImpl::Tree(m) => m.get(key),
        }
    }

    /// Returns true if the map contains a value for the specified key.
    #[inline]
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        String: Borrow<Q>,
        Q: ?Sized + Ord + Eq + Hash,
    {
        self.get(key).is_some()
    }

    /// Returns a mutable reference to the value corresponding to the key.
    #[inline]
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut Value>
    where
        String: Borrow<Q>,
        Q: ?Sized + Ord + Eq + Hash,
    {
        match &mut self.map {
            MapImpl::Flat(v) => match find(v, key) {
                Some(i) => Some(&mut v[i].1),
                None => None,
            },
            MapImpl::Tree(m) => m.get_mut(key),
        }
    }

    /// Returns the key-value pair matching the given key.
    #[inline]
    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&String, &Value)>
    where
        String: Borrow<Q>,
        Q: ?Sized + Ord + Eq + Hash,
    {
        match &self.map {
            MapImpl::Flat(v) => find(v, key).map(|i| (&v[i].0, &v[i].1)),
            MapImpl::Tree(m) => m.get_key_value(key),
        }
    }

    /// Turns a full flat map into a tree before it grows further.
    fn grow(&mut self) -> &mut BTreeMap<String, Value> {
        if let MapImpl::Flat(v) = &mut self.map {
            let entries = mem::take(v);
            self.map = MapImpl::Tree(entries.into_iter().collect());
        }
        match &mut self.map {
            MapImpl::Tree(m) => m,
            MapImpl::Flat(_) => unreachable!(),
        }
    }

    /// Inserts a key-value pair into the map.
    ///
    /// If the map did not have this key present, `None` is returned.
    ///
    /// If the map did have this key present, the value is updated, and the old
    /// value is returned.
    #[inline]
    pub fn insert(&mut self, k: String, v: Value) -> Option<Value> {
        match &mut self.map {
            MapImpl::Flat(entries) => {
                // Objects are mostly built in key order: appending needs no search.
                let at = match entries.last() {
                    Some((last, _)) if last.as_str() < k.as_str() => Err(entries.len()),
                    None => Err(0),
                    _ => search(entries, k.as_str()),
                };
                match at {
                    Ok(i) => Some(mem::replace(&mut entries[i].1, v)),
                    Err(i) if entries.len() < FLAT_MAX => {
                        entries.insert(i, (k, v));
                        None
                    }
                    Err(_) => self.grow().insert(k, v),
                }
            }
            MapImpl::Tree(m) => m.insert(k, v),
        }
    }

    /// Removes a key from the map, returning the value at the key if the key
    /// was previously in the map.
    #[inline]
    pub fn remove<Q>(&mut self, key: &Q) -> Option<Value>
    where
        String: Borrow<Q>,
        Q: ?Sized + Ord + Eq + Hash,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }

    /// Removes a key from the map, returning the stored key and value if the
    /// key was previously in the map.
    #[inline]
    pub fn remove_entry<Q>(&mut self, key: &Q) -> Option<(String, Value)>
    where
        String: Borrow<Q>,
        Q: ?Sized + Ord + Eq + Hash,
    {
        match &mut self.map {
            MapImpl::Flat(v) => find(v, key).map(|i| v.remove(i)),
            MapImpl::Tree(m) => m.remove_entry(key),
        }
    }

    /// Moves all elements from other into self, leaving other empty.
    #[inline]
    pub fn append(&mut self, other: &mut Self) {
        let other = mem::take(other);
        self.extend(other);
    }

    /// Gets the given key's corresponding entry in the map for in-place
    /// manipulation.
    pub fn entry<S>(&mut self, key: S) -> Entry<'_>
    where
        S: Into<String>,
    {
        let key = key.into();
        if let MapImpl::Flat(v) = &self.map {
            if v.len() >= FLAT_MAX && search(v, key.as_str()).is_err() {
                self.grow();
            }
        }
        match &mut self.map {
            MapImpl::Flat(v) => match search(v, key.as_str()) {
                Ok(index) => Entry::Occupied(OccupiedEntry {
                    occupied: OccupiedEntryImpl::Flat { entries: v, index },
                }),
                Err(index) => Entry::Vacant(VacantEntry {
                    vacant: VacantEntryImpl::Flat {
                        entries: v,
                        index,
                        key,
                    },
                }),
            },
            MapImpl::Tree(m) => match m.entry(key) {
                btree_map::Entry::Vacant(vacant) => Entry::Vacant(VacantEntry {
                    vacant: VacantEntryImpl::Tree(vacant),
                }),
                btree_map::Entry::Occupied(occupied) => Entry::Occupied(OccupiedEntry {
                    occupied: OccupiedEntryImpl::Tree(occupied),
                }),
            },
        }
    }

    /// Returns the number of elements in the map.
    #[inline]
    pub fn len(&self) -> usize {
        match &self.map {
            MapImpl::Flat(v) => v.len(),
            MapImpl::Tree(m) => m.len(),
        }
    }

    /// Returns true if the map contains no elements.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Gets an iterator over the entries of the map.
    #[inline]
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            iter: match &self.map {
                MapImpl::Flat(v) => Either::Flat(v.iter()),
                MapImpl::Tree(m) => Either::Tree(m.iter()),
            },
        }
    }

    /// Gets a mutable iterator over the entries of the map.
    #[inline]
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut {
            iter: match &mut self.map {
                MapImpl::Flat(v) => Either::Flat(v.iter_mut()),
                MapImpl::Tree(m) => Either::Tree(m.iter_mut()),
            },
        }
    }

    /// Gets an iterator over the keys of the map.
    #[inline]
    pub fn keys(&self) -> Keys<'_> {
        Keys {
            iter: match &self.map {
                MapImpl::Flat(v) => Either::Flat(v.iter()),
                MapImpl::Tree(m) => Either::Tree(m.keys()),
            },
        }
    }

    /// Gets an iterator over the values of the map.
    #[inline]
    pub fn values(&self) -> Values<'_> {
        Values {
            iter: match &self.map {
                MapImpl::Flat(v) => Either::Flat(v.iter()),
                MapImpl::Tree(m) => Either::Tree(m.values()),
            },
        }
    }

    /// Gets an iterator over mutable values of the map.
    #[inline]
    pub fn values_mut(&mut self) -> ValuesMut<'_> {
        ValuesMut {
            iter: match &mut self.map {
                MapImpl::Flat(v) => Either::Flat(v.iter_mut()),
                MapImpl::Tree(m) => Either::Tree(m.values_mut()),
            },
        }
    }

    /// Gets an iterator over the values of the map.
    #[inline]
    pub fn into_values(self) -> IntoValues {
        IntoValues {
            iter: match self.map {
                MapImpl::Flat(v) => Either::Flat(v.into_iter()),
                MapImpl::Tree(m) => Either::Tree(m.into_values()),
            },
        }
    }

    /// Retains only the elements specified by the predicate.
    ///
    /// In other words, remove all pairs `(k, v)` such that `f(&k, &mut v)`
    /// returns `false`.
    #[inline]
    pub fn retain<F>(&mut self, mut f: F)
    where
        F: FnMut(&String, &mut Value) -> bool,
    {
        match &mut self.map {
            MapImpl::Flat(v) => v.retain_mut(|(k, v)| f(k, v)),
            MapImpl::Tree(m) => m.retain(f),
        }
    }

    /// Shrinks the capacity of the map as much as possible (k8s-netlab's addition: a
    /// long-lived map built by inserts keeps no spare room).
    #[inline]
    pub fn shrink_to_fit(&mut self) {
        if let MapImpl::Flat(v) = &mut self.map {
            v.shrink_to_fit();
        }
    }

    /// Sorts this map's entries in-place using `str`'s usual ordering.
    ///
    /// This method does no work because all JSON maps are always kept in a
    /// sorted state.
    #[inline]
    pub fn sort_keys(&mut self) {}
}

#[allow(clippy::derivable_impls)] // clippy bug: https://github.com/rust-lang/rust-clippy/issues/7655
impl Default for Map<String, Value> {
    #[inline]
    fn default() -> Self {
        Map::new()
    }
}

impl Clone for Map<String, Value> {
    #[inline]
    fn clone(&self) -> Self {
        Map {
            map: match &self.map {
                MapImpl::Flat(v) => MapImpl::Flat(v.clone()),
                MapImpl::Tree(m) => MapImpl::Tree(m.clone()),
            },
        }
    }
}

impl PartialEq for Map<String, Value> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        match (&self.map, &other.map) {
            (MapImpl::Flat(a), MapImpl::Flat(b)) => a == b,
            (MapImpl::Tree(a), MapImpl::Tree(b)) => a == b,
            _ => self.len() == other.len() && self.iter().eq(other.iter()),
        }
    }
}

impl Eq for Map<String, Value> {}

impl Hash for Map<String, Value> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // As `BTreeMap` hashes: the length, then every (key, value) in order.
        state.write_usize(self.len());
        for (k, v) in self {
            k.hash(state);
            v.hash(state);
        }
    }
}

/// Access an element of this map. Panics if the given key is not present in the
/// map.
impl<Q> ops::Index<&Q> for Map<String, Value>
where
    String: Borrow<Q>,
    Q: ?Sized + Ord + Eq + Hash,
{
    type Output = Value;

    fn index(&self, index: &Q) -> &Value {
        self.get(index).expect("no entry found for key")
    }
}

/// Mutably access an element of this map. Panics if the given key is not
/// present in the map.
impl<Q> ops::IndexMut<&Q> for Map<String, Value>
where
    String: Borrow<Q>,
    Q: ?Sized + Ord + Eq + Hash,
{
    fn index_mut(&mut self, index: &Q) -> &mut Value {
        self.get_mut(index).expect("no entry found for key")
    }
}

impl Debug for Map<String, Value> {
    #[inline]
    fn fmt(&self, formatter: &mut fmt::Formatter) -> Result<(), fmt::Error> {
        formatter.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(any(feature = "std", feature = "alloc"))]
impl serde::ser::Serialize for Map<String, Value> {
    #[inline]
    fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: serde::ser::Serializer,
    {
        use serde::ser::SerializeMap;
        let mut map = tri!(serializer.serialize_map(Some(self.len())));
        for (k, v) in self {
            tri!(map.serialize_entry(k, v));
        }
        map.end()
    }
}

impl<'de> de::Deserialize<'de> for Map<String, Value> {
    #[inline]
    fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
    where
        D: de::Deserializer<'de>,
    {
        struct Visitor;

        impl<'de> de::Visitor<'de> for Visitor {
            type Value = Map<String, Value>;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a map")
            }

            #[inline]
            fn visit_unit<E>(self) -> Result<Self::Value, E>
            where
                E: de::Error,
            {
                Ok(Map::new())
            }

            #[cfg(any(feature = "std", feature = "alloc"))]
            #[inline]
            fn visit_map<V>(self, mut visitor: V) -> Result<Self::Value, V::Error>
            where
                V: de::MapAccess<'de>,
            {
                let mut values = Map::new();

                while let Some((key, value)) = tri!(visitor.next_entry()) {
                    values.insert(key, value);
                }

                Ok(values)
            }
        }

        deserializer.deserialize_map(Visitor)
    }
}

impl FromIterator<(String, Value)> for Map<String, Value> {
    fn from_iter<T>(iter: T) -> Self
    where
        T: IntoIterator<Item = (String, Value)>,
    {
        let mut map = Map::new();
        map.extend(iter);
        map
    }
}

impl Extend<(String, Value)> for Map<String, Value> {
    fn extend<T>(&mut self, iter: T)
    where
        T: IntoIterator<Item = (String, Value)>,
    {
        let iter = iter.into_iter();
        // Collecting into an empty map allocates exactly what the iterator announces, so a
        // map rebuilt from another (`into_iter().collect()`) carries no spare capacity.
        if let MapImpl::Flat(entries) = &mut self.map {
            let (lower, _) = iter.size_hint();
            if entries.is_empty() && lower <= FLAT_MAX {
                entries.reserve_exact(lower);
            }
        }
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<'de> de::IntoDeserializer<'de, Error> for Map<String, Value> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self::Deserializer {
        self
    }
}

impl<'de> de::IntoDeserializer<'de, Error> for &'de Map<String, Value> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self::Deserializer {
        self
    }
}

//////////////////////////////////////////////////////////////////////////////

/// A view into a single entry in a map, which may either be vacant or occupied.
/// This enum is constructed from the [`entry`] method on [`Map`].
///
/// [`entry`]: Map::entry
pub enum Entry<'a> {
    /// A vacant Entry.
    Vacant(VacantEntry<'a>),
    /// An occupied Entry.
    Occupied(OccupiedEntry<'a>),
}

/// A vacant Entry. It is part of the [`Entry`] enum.
pub struct VacantEntry<'a> {
    vacant: VacantEntryImpl<'a>,
}

/// An occupied Entry. It is part of the [`Entry`] enum.
pub struct OccupiedEntry<'a> {
    occupied: OccupiedEntryImpl<'a>,
}

enum VacantEntryImpl<'a> {
    /// The flat map has room (`Map::entry` turned a full one into a tree).
    Flat {
        entries: &'a mut Vec<(String, Value)>,
        index: usize,
        key: String,
    },
    Tree(btree_map::VacantEntry<'a, String, Value>),
}

enum OccupiedEntryImpl<'a> {
    Flat {
        entries: &'a mut Vec<(String, Value)>,
        index: usize,
    },
    Tree(btree_map::OccupiedEntry<'a, String, Value>),
}

impl<'a> Entry<'a> {
    /// Returns a reference to this entry's key.
    pub fn key(&self) -> &String {
        match self {
            Entry::Vacant(e) => e.key(),
            Entry::Occupied(e) => e.key(),
        }
    }

    /// Ensures a value is in the entry by inserting the default if empty, and
    /// returns a mutable reference to the value in the entry.
    pub fn or_insert(self, default: Value) -> &'a mut Value {
        match self {
            Entry::Vacant(entry) => entry.insert(default),
            Entry::Occupied(entry) => entry.into_mut(),
        }
    }

    /// Ensures a value is in the entry by inserting the result of the default
    /// function if empty, and returns a mutable reference to the value in the
    /// entry.
    pub fn or_insert_with<F>(self, default: F) -> &'a mut Value
    where
        F: FnOnce() -> Value,
    {
        match self {
            Entry::Vacant(entry) => entry.insert(default()),
            Entry::Occupied(entry) => entry.into_mut(),
        }
    }

    /// Provides in-place mutable access to an occupied entry before any
    /// potential inserts into the map.
    pub fn and_modify<F>(self, f: F) -> Self
    where
        F: FnOnce(&mut Value),
    {
        match self {
            Entry::Occupied(mut entry) => {
                f(entry.get_mut());
                Entry::Occupied(entry)
            }
            Entry::Vacant(entry) => Entry::Vacant(entry),
        }
    }
}

impl<'a> VacantEntry<'a> {
    /// Gets a reference to the key that would be used when inserting a value
    /// through the VacantEntry.
    #[inline]
    pub fn key(&self) -> &String {
        match &self.vacant {
            VacantEntryImpl::Flat { key, .. } => key,
            VacantEntryImpl::Tree(e) => e.key(),
        }
    }

    /// Sets the value of the entry with the VacantEntry's key, and returns a
    /// mutable reference to it.
    #[inline]
    pub fn insert(self, value: Value) -> &'a mut Value {
        match self.vacant {
            VacantEntryImpl::Flat {
                entries,
                index,
                key,
            } => {
                entries.insert(index, (key, value));
                &mut entries[index].1
            }
            VacantEntryImpl::Tree(e) => e.insert(value),
        }
    }
}

impl<'a> OccupiedEntry<'a> {
    /// Gets a reference to the key in the entry.
    #[inline]
    pub fn key(&self) -> &String {
        match &self.occupied {
            OccupiedEntryImpl::Flat { entries, index } => &entries[*index].0,
            OccupiedEntryImpl::Tree(e) => e.key(),
        }
    }

    /// Gets a reference to the value in the entry.
    #[inline]
    pub fn get(&self) -> &Value {
        match &self.occupied {
            OccupiedEntryImpl::Flat { entries, index } => &entries[*index].1,
            OccupiedEntryImpl::Tree(e) => e.get(),
        }
    }

    /// Gets a mutable reference to the value in the entry.
    #[inline]
    pub fn get_mut(&mut self) -> &mut Value {
        match &mut self.occupied {
            OccupiedEntryImpl::Flat { entries, index } => &mut entries[*index].1,
            OccupiedEntryImpl::Tree(e) => e.get_mut(),
        }
    }

    /// Converts the entry into a mutable reference to its value.
    #[inline]
    pub fn into_mut(self) -> &'a mut Value {
        match self.occupied {
            OccupiedEntryImpl::Flat { entries, index } => &mut entries[index].1,
            OccupiedEntryImpl::Tree(e) => e.into_mut(),
        }
    }

    /// Sets the value of the entry with the `OccupiedEntry`'s key, and returns
    /// the entry's old value.
    #[inline]
    pub fn insert(&mut self, value: Value) -> Value {
        mem::replace(self.get_mut(), value)
    }

    /// Takes the value of the entry out of the map, and returns it.
    #[inline]
    pub fn remove(self) -> Value {
        self.remove_entry().1
    }

    /// Removes the entry from the map, returning the stored key and value.
    #[inline]
    pub fn remove_entry(self) -> (String, Value) {
        match self.occupied {
            OccupiedEntryImpl::Flat { entries, index } => entries.remove(index),
            OccupiedEntryImpl::Tree(e) => e.remove_entry(),
        }
    }
}

//////////////////////////////////////////////////////////////////////////////

/// A flat map's iterator or a tree's.
#[derive(Clone, Debug)]
enum Either<F, T> {
    Flat(F),
    Tree(T),
}

macro_rules! either_iterator {
    (($name:ident $($generics:tt)*) => $item:ty, $flat:pat => $out:expr) => {
        impl $($generics)* Iterator for $name $($generics)* {
            type Item = $item;
            #[inline]
            fn next(&mut self) -> Option<Self::Item> {
                match &mut self.iter {
                    Either::Flat(i) => i.next().map(|$flat| $out),
                    Either::Tree(i) => i.next(),
                }
            }
            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                match &self.iter {
                    Either::Flat(i) => i.size_hint(),
                    Either::Tree(i) => i.size_hint(),
                }
            }
        }

        impl $($generics)* DoubleEndedIterator for $name $($generics)* {
            #[inline]
            fn next_back(&mut self) -> Option<Self::Item> {
                match &mut self.iter {
                    Either::Flat(i) => i.next_back().map(|$flat| $out),
                    Either::Tree(i) => i.next_back(),
                }
            }
        }

        impl $($generics)* ExactSizeIterator for $name $($generics)* {
            #[inline]
            fn len(&self) -> usize {
                match &self.iter {
                    Either::Flat(i) => i.len(),
                    Either::Tree(i) => i.len(),
                }
            }
        }

        impl $($generics)* FusedIterator for $name $($generics)* {}
    }
}

impl<'a> IntoIterator for &'a Map<String, Value> {
    type Item = (&'a String, &'a Value);
    type IntoIter = Iter<'a>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// An iterator over a serde_json::Map's entries.
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    iter: Either<core::slice::Iter<'a, (String, Value)>, btree_map::Iter<'a, String, Value>>,
}

either_iterator!((Iter<'a>) => (&'a String, &'a Value), (k, v) => (k, v));

//////////////////////////////////////////////////////////////////////////////

impl<'a> IntoIterator for &'a mut Map<String, Value> {
    type Item = (&'a String, &'a mut Value);
    type IntoIter = IterMut<'a>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

/// A mutable iterator over a serde_json::Map's entries.
#[derive(Debug)]
pub struct IterMut<'a> {
    iter: Either<core::slice::IterMut<'a, (String, Value)>, btree_map::IterMut<'a, String, Value>>,
}

either_iterator!((IterMut<'a>) => (&'a String, &'a mut Value), (k, v) => (&*k, v));

//////////////////////////////////////////////////////////////////////////////

impl IntoIterator for Map<String, Value> {
    type Item = (String, Value);
    type IntoIter = IntoIter;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        IntoIter {
            iter: match self.map {
                MapImpl::Flat(v) => Either::Flat(v.into_iter()),
                MapImpl::Tree(m) => Either::Tree(m.into_iter()),
            },
        }
    }
}

/// An owning iterator over a serde_json::Map's entries.
#[derive(Debug)]
pub struct IntoIter {
    iter: Either<alloc::vec::IntoIter<(String, Value)>, btree_map::IntoIter<String, Value>>,
}

either_iterator!((IntoIter) => (String, Value), entry => entry);

//////////////////////////////////////////////////////////////////////////////

/// An iterator over a serde_json::Map's keys.
#[derive(Clone, Debug)]
pub struct Keys<'a> {
    iter: Either<core::slice::Iter<'a, (String, Value)>, btree_map::Keys<'a, String, Value>>,
}

either_iterator!((Keys<'a>) => &'a String, (k, _) => k);

//////////////////////////////////////////////////////////////////////////////

/// An iterator over a serde_json::Map's values.
#[derive(Clone, Debug)]
pub struct Values<'a> {
    iter: Either<core::slice::Iter<'a, (String, Value)>, btree_map::Values<'a, String, Value>>,
}

either_iterator!((Values<'a>) => &'a Value, (_, v) => v);

//////////////////////////////////////////////////////////////////////////////

/// A mutable iterator over a serde_json::Map's values.
#[derive(Debug)]
pub struct ValuesMut<'a> {
    iter: Either<core::slice::IterMut<'a, (String, Value)>, btree_map::ValuesMut<'a, String, Value>>,
}

either_iterator!((ValuesMut<'a>) => &'a mut Value, (_, v) => v);

//////////////////////////////////////////////////////////////////////////////

/// An owning iterator over a serde_json::Map's values.
#[derive(Debug)]
pub struct IntoValues {
    iter: Either<alloc::vec::IntoIter<(String, Value)>, btree_map::IntoValues<String, Value>>,
}

either_iterator!((IntoValues) => Value, (_, v) => v);
