//! The API boundary of the simulator: a [`Cluster`] takes typed lines and returns [`Output`].
//!
//! `Cluster` ties the student's shell session (files, working directory, where they are
//! logged in) to the simulated world (objects, clock, randomness). Everything else in the
//! crate is reached from here.

use crate::commands::World;
pub use crate::controllers::loadbalancer::LoadBalancer;
use crate::net::trace::Trace;
use crate::shell::Session;
use crate::time::SimTime;

/// The CNI plugin the cluster was created with. It decides pod CIDRs, node devices and
/// routes, its pods in kube-system, and whether NetworkPolicy is enforced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cni {
    #[default]
    Calico,
    Flannel,
    WeaveNet,
}

impl Cni {
    pub const ALL: [Cni; 3] = [Cni::Calico, Cni::Flannel, Cni::WeaveNet];

    /// The name lessons, exercises and `kubesim --cni` use (`weave-net`).
    pub fn name(self) -> &'static str {
        match self {
            Cni::Calico => "calico",
            Cni::Flannel => "flannel",
            Cni::WeaveNet => "weave-net",
        }
    }

    pub fn from_name(name: &str) -> Option<Cni> {
        Cni::ALL.into_iter().find(|cni| cni.name() == name)
    }
}

/// How a cluster is created. There is deliberately no `Default`: callers say which CNI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClusterConfig {
    pub cni: Cni,
}

/// What a typed line produced, as a terminal shows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    /// What a terminal shows: stdout and stderr interleaved in the order they were written
    /// (`foo; echo hi` shows bash's error before `hi`). The browser terminal prints this.
    pub display: String,
    pub exit_code: i32,
    /// The line opened a heredoc (or another multi-line construct) that is not finished yet:
    /// the terminal shows the continuation prompt `> ` and sends the next line.
    pub continuation: bool,
    /// One trace per connection attempt (DNS lookups, curl, ping, ...) made by the line.
    pub traces: Vec<Trace>,
    /// `vi FILE` / `nano FILE`: the absolute path (on `master`) the browser should open in its
    /// editor; saving goes through [`Cluster::write_file`].
    pub open_editor: Option<String>,
}

/// One simulated kubeadm cluster (`master`, `worker1`, `worker2`) plus the student's shell.
#[derive(Clone)]
pub struct Cluster {
    world: World,
    session: Session,
}

impl Cluster {
    /// A freshly installed cluster. The same `seed` and the same inputs give the same bytes.
    pub fn new(seed: u64, config: ClusterConfig) -> Cluster {
        let world = World::new(seed, config);
        let mut session = Session::new();
        // After `kubeadm init`: `mkdir -p $HOME/.kube; sudo cp -i /etc/kubernetes/admin.conf
        // $HOME/.kube/config`.
        let admin_conf = crate::kubeconfig::admin_conf(world.store.ca_bundle(), seed);
        session.write_file(crate::kubeconfig::PATH, &admin_conf);
        Cluster { world, session }
    }

    /// The same cluster with a load-balancer implementation installed along with it (MetalLB
    /// in layer-2 mode, pool 192.168.56.200–192.168.56.250); kubeadm installs none, so
    /// LoadBalancer Services otherwise stay `<pending>`. Call before the first `exec`.
    pub fn with_load_balancer(mut self, load_balancer: LoadBalancer) -> Cluster {
        if load_balancer == LoadBalancer::Metallb {
            crate::controllers::loadbalancer::install(
                &mut self.world,
                crate::net::metallb::DEFAULT_POOL,
            );
        }
        self
    }

    /// Runs one typed line (or several, separated by newlines) in the student's shell.
    pub fn exec(&mut self, input: &str) -> Output {
        self.session.exec(input, &mut self.world)
    }

    /// Ctrl+C at the prompt: forgets an unfinished heredoc (or quote) so the next line is a
    /// new command, and sets `$?` to 130 like bash.
    pub fn interrupt(&mut self) {
        self.session.interrupt();
        // A foreground `kubectl port-forward` holds the terminal until Ctrl+C (see
        // kubectl/portforward.rs); background jobs (`&`) keep running, as in bash.
        self.world.net.forwards.retain(|f| f.job.is_some());
    }

    /// Moves the virtual clock forward (never backwards) and lets controllers catch up.
    pub fn advance_to(&mut self, now: SimTime) {
        self.world.advance_to(now);
    }

    /// Runs every controller until nothing changes; grading and the CLI call this before
    /// looking at the cluster so results never depend on timing.
    pub fn settle(&mut self) {
        self.world.settle();
    }

    pub fn now(&self) -> SimTime {
        self.world.now()
    }

    /// Tab completion of a file or directory path in the student's current shell (see
    /// [`Session::complete_path`]).
    pub fn complete_path(&self, word: &str) -> Vec<String> {
        self.session.complete_path(word)
    }

    /// The prompt the terminal shows before the next line (`user@master:~$ `, or `> ` inside
    /// an unfinished heredoc).
    pub fn prompt(&self) -> String {
        self.session.prompt()
    }

    /// Writes a file in the student's home directory on `master` (the browser editor saves
    /// through this; the grader puts submitted YAML here). Relative paths are under `~`.
    pub fn write_file(&mut self, path: &str, contents: &str) {
        self.session.write_file(path, contents);
    }

    pub fn read_file(&self, path: &str) -> Option<String> {
        self.session.read_file(path)
    }

    /// Read access to the API objects, for the grader and the cluster map.
    pub fn store(&self) -> &crate::store::Store {
        self.world.store()
    }
}
