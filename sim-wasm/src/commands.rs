//! The simulated world that commands act on, and the routing of a command name to the
//! module that implements it (`kubectl` → `kubectl`, `iptables-save` → `net`, ...).
//!
//! The shell (`shell`) knows nothing about Kubernetes: it parses lines, runs its builtins and
//! hands every other command to [`World`] through the [`Host`] trait.

use crate::cluster::ClusterConfig;
use crate::rand::Rng;
use crate::shell::{CommandOutput, Host, Invocation};
use crate::store::Store;
use crate::time::SimTime;

/// Everything a command can observe or change apart from the student's files.
pub struct World {
    pub(crate) config: ClusterConfig,
    pub(crate) store: Store,
    pub(crate) rng: Rng,
    pub(crate) now: SimTime,
}

impl World {
    pub fn new(seed: u64, config: ClusterConfig) -> World {
        let mut rng = Rng::new(seed);
        let store = Store::bootstrap(&config, &mut rng);
        World {
            config,
            store,
            rng,
            now: SimTime::ZERO,
        }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn advance_to(&mut self, now: SimTime) {
        if now > self.now {
            self.now = now;
        }
        self.settle();
    }

    pub fn settle(&mut self) {
        crate::controllers::settle(self);
    }
}

impl Host for World {
    fn run(&mut self, invocation: Invocation<'_>) -> Option<CommandOutput> {
        let name = invocation.argv.first()?.as_str();
        match name {
            "kubectl" | "k" => Some(crate::kubectl::run(self, invocation)),
            _ => None,
        }
    }

    fn sleep(&mut self, millis: u64) {
        let now = self.now.saturating_add_millis(millis);
        self.advance_to(now);
    }
}
