//! The JavaScript facade (wasm32 only): an opaque `Sim` handle over [`crate::Cluster`].
//! All conversions between Rust and JS values live here; no simulation logic does.

use wasm_bindgen::prelude::*;

use crate::{Cluster, ClusterConfig, Cni};

#[wasm_bindgen]
pub struct Sim {
    cluster: Cluster,
}

#[wasm_bindgen]
impl Sim {
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u64) -> Sim {
        Sim {
            cluster: Cluster::new(seed, ClusterConfig { cni: Cni::Calico }),
        }
    }
}
