//! The simulated world that commands act on, and the routing of a command name to the
//! module that implements it (`kubectl` → `kubectl`, `iptables-save` → `net`, ...).
//!
//! The shell (`shell`) knows nothing about Kubernetes: it parses lines, runs its builtins and
//! hands every other command to [`World`] through the [`Host`] trait.

use crate::cluster::ClusterConfig;
use crate::rand::Rng;
use crate::shell::{CommandOutput, Host, Invocation, Location};
use crate::store::Store;
use crate::time::SimTime;

/// Everything a command can observe or change apart from the student's files.
#[derive(Clone)]
pub struct World {
    pub(crate) config: ClusterConfig,
    pub(crate) store: Store,
    pub(crate) rng: Rng,
    pub(crate) now: SimTime,
    /// Seconds added to the clock when stamping objects: negative only while the cluster is
    /// being installed "10 days ago" in [`World::new`].
    pub(crate) clock_offset_secs: i64,
    /// What the network remembers between commands (net-tools installed on a node).
    pub(crate) net: crate::net::world::NetState,
    /// (store writes, clock) when the controllers last found nothing to do.
    pub(crate) reconciled: Option<(u64, i64)>,
    /// `Store::removals` when the garbage collector last ran.
    pub(crate) collected: u64,
    /// Per controller: (writes to its input kinds, clock) when it last ran.
    pub(crate) controller_marks: std::collections::BTreeMap<&'static str, (u64, i64)>,
    /// Per workload uid: what its controller last saw (see `controllers::workloads`).
    pub(crate) fingerprints: std::collections::BTreeMap<String, String>,
    /// Pods whose shell the student entered with `kubectl run -it`, by (namespace, name):
    /// what to do when that shell is left.
    pub(crate) attached_runs: std::collections::BTreeMap<(String, String), AttachedRun>,
}

/// A `kubectl run -it` session the student is inside of.
#[derive(Clone, Debug)]
pub(crate) struct AttachedRun {
    /// `--rm`: delete the pod when the session ends.
    pub remove: bool,
    /// `--restart=Always` (the default): kubectl says how to attach again.
    pub restart_always: bool,
}

/// The cluster was installed this long before `SimTime::ZERO` (system objects show `10d`).
const INSTALLED_SECONDS_AGO: i64 = 10 * 86_400;

impl World {
    pub fn new(seed: u64, config: ClusterConfig) -> World {
        let mut rng = Rng::new(seed);
        let store = Store::bootstrap(&config, &mut rng);
        let mut world = World {
            config,
            store,
            rng,
            now: SimTime::ZERO,
            clock_offset_secs: -INSTALLED_SECONDS_AGO,
            reconciled: None,
            collected: 0,
            net: crate::net::world::NetState::default(),
            controller_marks: std::collections::BTreeMap::new(),
            fingerprints: std::collections::BTreeMap::new(),
            attached_runs: std::collections::BTreeMap::new(),
        };
        crate::controllers::install_addons(&mut world);
        world.now = SimTime::ZERO;
        world.clock_offset_secs = 0;
        world.store.set_clock(crate::time::EPOCH_UNIX_SECONDS);
        world
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn advance_to(&mut self, now: SimTime) {
        crate::controllers::advance_to(self, now);
    }

    pub fn settle(&mut self) {
        crate::controllers::settle(self);
    }

    /// Controllers catch up at the current instant (after each kubectl command).
    pub fn reconcile(&mut self) {
        crate::controllers::reconcile(self);
    }
}

impl Host for World {
    fn run(&mut self, invocation: Invocation<'_>) -> Option<CommandOutput> {
        let name = invocation.argv.first()?.as_str();
        // kubectl runs on nodes; every other command goes to the network layer, which knows
        // what a node or a container's image has.
        match (name, invocation.location) {
            ("kubectl" | "k", Location::Node { .. }) => Some(crate::kubectl::run(self, invocation)),
            ("ssh", Location::Node { user, .. }) => {
                Some(crate::net::world::ssh(invocation.argv, user))
            }
            (_, Location::Node { node, .. }) => {
                let node = node.clone();
                let (argv, stdin, as_root) =
                    (invocation.argv, invocation.stdin, invocation.as_root);
                crate::net::world::run_node_command(self, &node, argv, stdin, as_root)
            }
            (
                _,
                Location::Container {
                    namespace,
                    pod,
                    container,
                },
            ) => {
                let (namespace, pod, container) =
                    (namespace.clone(), pod.clone(), container.clone());
                let (argv, stdin) = (invocation.argv, invocation.stdin);
                crate::net::world::run_in_container(
                    self, &namespace, &pod, &container, argv, stdin, true,
                )
            }
        }
    }

    fn system_file(&self, location: &Location, path: &str) -> Option<String> {
        crate::net::world::system_file(self, location, path)
    }

    fn workdir(&self, location: &Location) -> Option<String> {
        crate::net::world::workdir(self, location)
    }

    fn sleep(&mut self, millis: u64) {
        let now = self.now.saturating_add_millis(millis);
        self.advance_to(now);
    }

    fn leave(&mut self, location: &Location) -> Option<CommandOutput> {
        let Location::Container { namespace, pod, .. } = location else {
            return None;
        };
        let key = (namespace.clone(), pod.clone());
        let run = self.attached_runs.remove(&key)?;
        let mut stdout = String::new();
        if run.restart_always {
            stdout.push_str(&crate::kubectl::session_ended(pod));
        }
        if run.remove
            && crate::controllers::apiserver::delete(self, crate::api::Kind::Pod, namespace, pod)
                .is_ok()
        {
            stdout.push_str(&format!("pod \"{pod}\" deleted\n"));
        }
        Some(CommandOutput {
            stdout,
            stderr: String::new(),
            exit_code: 0,
            enter: None,
            traces: Vec::new(),
        })
    }
}
