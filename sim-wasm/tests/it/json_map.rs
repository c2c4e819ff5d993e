//! `serde_json::Map` as patched in `sim-wasm/vendor/serde_json` (a sorted `Vec`, a
//! `BTreeMap` once long): it must behave exactly like upstream's `BTreeMap`-backed map, so
//! every operation here is run on both and compared after each step.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

/// A deterministic sequence of numbers (xorshift), so a failure can be replayed.
struct Steps(u64);

impl Steps {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

fn key(n: u64) -> String {
    // Keys of several lengths and shared prefixes, like JSON objects have.
    format!("k{}{}", "x".repeat((n % 3) as usize), n)
}

fn assert_same(map: &Map<String, Value>, model: &BTreeMap<String, Value>) {
    assert_eq!(map.len(), model.len());
    assert!(map.iter().eq(model.iter()), "entries or their order differ");
    assert!(map.iter().rev().eq(model.iter().rev()));
    assert_eq!(
        serde_json::to_string(map).ok(),
        serde_json::to_string(model).ok()
    );
}

#[test]
fn random_inserts_removals_and_entries_match_a_btreemap_small_and_large() {
    for (seed, keys) in [(1, 6), (2, 40), (3, 400), (4, 3000)] {
        let mut steps = Steps(0x9e37_79b9_7f4a_7c15 ^ seed);
        let (mut map, mut model) = (Map::new(), BTreeMap::new());
        for i in 0..keys * 4 {
            let k = key(steps.next(keys));
            match steps.next(6) {
                0 | 1 => assert_eq!(map.insert(k.clone(), json!(i)), model.insert(k, json!(i))),
                2 => assert_eq!(map.remove(&k), model.remove(&k)),
                3 => {
                    let v = map.entry(k.clone()).or_insert(json!(i)).clone();
                    assert_eq!(&v, model.entry(k).or_insert(json!(i)));
                }
                4 => assert_eq!(map.get(&k), model.get(&k)),
                _ => {
                    if let Some(v) = map.get_mut(&k) {
                        *v = json!([i]);
                    }
                    if let Some(v) = model.get_mut(&k) {
                        *v = json!([i]);
                    }
                }
            }
            // Comparing whole maps after every step of the long runs would take seconds.
            if keys <= 40 || i % 101 == 0 {
                assert_same(&map, &model);
            }
        }
        assert_same(&map, &model);
        map.retain(|k, _| k.len() % 2 == 0);
        model.retain(|k, _| k.len() % 2 == 0);
        assert_same(&map, &model);
    }
}

#[test]
fn maps_with_the_same_entries_are_equal_however_they_were_built() {
    let ascending: Map<String, Value> = (0..300).map(|n| (key(n), json!(n))).collect();
    let descending: Map<String, Value> = (0..300).rev().map(|n| (key(n), json!(n))).collect();
    assert_eq!(ascending, descending);
    assert_eq!(Value::Object(ascending.clone()), Value::Object(descending));
    let mut fewer = ascending.clone();
    fewer.remove(&key(7));
    assert_ne!(ascending, fewer);
}

#[test]
fn a_document_with_thousands_of_keys_in_reverse_order_parses_in_key_order() {
    let text: String = (0..20_000)
        .rev()
        .map(|n| format!("key{n:05}: {n}\n"))
        .collect();
    let docs = sim_wasm::yaml::parse_manifest(&text, sim_wasm::yaml::Budget::default());
    let Ok(docs) = docs else {
        panic!("the document did not parse: {docs:?}");
    };
    let Some(Value::Object(map)) = docs.first().map(|d| &d.value) else {
        panic!("not one object: {docs:?}");
    };
    assert_eq!(map.len(), 20_000);
    assert_eq!(map.keys().next().map(String::as_str), Some("key00000"));
    assert_eq!(map.get("key19999"), Some(&json!(19_999)));
}

#[test]
fn assigning_through_an_index_inserts_or_replaces_like_a_btreemap() {
    for keys in [5, 60, 500] {
        let mut steps = Steps(0x2545_f491_4f6c_dd1d ^ keys);
        let (mut value, mut model) = (json!({}), BTreeMap::new());
        for i in 0..keys * 3 {
            let k = key(steps.next(keys));
            value[k.as_str()] = json!(i);
            model.insert(k, json!(i));
        }
        let Value::Object(map) = &value else {
            panic!("indexing turned the object into {value}");
        };
        assert_same(map, &model);
    }
}
