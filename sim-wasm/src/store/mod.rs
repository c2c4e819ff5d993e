//! API objects as the API server keeps them: uid, resourceVersion and timestamps on the
//! virtual clock.

use crate::cluster::ClusterConfig;
use crate::rand::Rng;

#[derive(Clone, Debug, Default)]
pub struct Store {}

impl Store {
    /// The objects a fresh kubeadm cluster has.
    pub fn bootstrap(_config: &ClusterConfig, _rng: &mut Rng) -> Store {
        Store {}
    }
}
