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
    /// What controllers concluded about objects that have not changed since.
    pub(crate) memo: crate::controllers::Memo,
    /// Pods whose shell the student entered with `kubectl run -it`, by (namespace, name):
    /// what to do when that shell is left. A list, not a map: there are one or two, and a
    /// map type of its own costs the download its own copy of the map's removal code.
    pub(crate) attached_runs: Vec<((String, String), AttachedRun)>,
    /// The background job (`CMD &`) whose commands are running now, by its PID.
    pub(crate) background_job: Option<u32>,
    /// The last kubeconfig text read and the namespace of its current context: kubectl
    /// reads the file on every command, and it rarely changes.
    pub(crate) kubeconfig_seen: Option<(String, String)>,
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
            memo: crate::controllers::Memo::default(),
            attached_runs: Vec::new(),
            background_job: None,
            kubeconfig_seen: None,
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

    /// The namespace of the current context in the kubeconfig of `files` (`default`
    /// without one), parsed again only when the file's text changed.
    pub(crate) fn kubeconfig_namespace(&mut self, files: &crate::shell::Files) -> String {
        let text = files
            .read(&crate::kubeconfig::path_in(files))
            .unwrap_or_default();
        if let Some((seen, namespace)) = &self.kubeconfig_seen
            && seen == text
        {
            return namespace.clone();
        }
        let namespace = crate::kubeconfig::parse(text)
            .as_ref()
            .and_then(crate::kubeconfig::namespace)
            .unwrap_or("default")
            .to_owned();
        self.kubeconfig_seen = Some((text.to_owned(), namespace.clone()));
        namespace
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

impl World {
    /// The container's own `cat` and `ls` know no working directory: a path that names
    /// something the container has is given to them as the shell resolves it (`cd /tmp;
    /// cat copied.txt`), and a bare `ls` there lists the shell's directory. Other paths stay as
    /// typed, so their errors read as typed.
    fn in_shell_directory(
        &self,
        location: &Location,
        argv: &[String],
        files: &crate::shell::Files,
    ) -> Vec<String> {
        let Some(program) = argv.first() else {
            return Vec::new();
        };
        if !matches!(program.as_str(), "cat" | "ls") {
            return argv.to_vec();
        }
        let mut out = vec![program.clone()];
        let mut paths = 0;
        for arg in argv.iter().skip(1) {
            if arg.starts_with('-') {
                out.push(arg.clone());
                continue;
            }
            paths += 1;
            let absolute = files.resolve(arg);
            let known = crate::net::world::system_file(self, location, &absolute).is_some()
                || crate::net::world::system_dir(self, location, &absolute).is_some();
            out.push(if known { absolute } else { arg.clone() });
        }
        if program == "ls"
            && paths == 0
            && crate::net::world::system_dir(self, location, files.cwd()).is_some()
        {
            out.push(files.cwd().to_owned());
        }
        out
    }
}

impl Host for World {
    fn run(&mut self, invocation: Invocation<'_>) -> Option<CommandOutput> {
        let name = invocation.argv.first()?.as_str();
        // kubectl runs on nodes; every other command goes to the network layer, which knows
        // what a node or a container's image has.
        match (name, invocation.location) {
            // The machine outside the cluster (`ssh client`): no kubectl, its own network.
            (_, Location::Node { node, .. })
                if node == crate::net::client_host::NAME && name != "ssh" =>
            {
                crate::net::world::run_client_command(self, invocation.argv)
            }
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
                let argv =
                    self.in_shell_directory(invocation.location, invocation.argv, invocation.files);
                crate::net::world::run_in_container(
                    self,
                    &namespace,
                    &pod,
                    &container,
                    &argv,
                    invocation.stdin,
                    true,
                )
            }
        }
    }

    fn system_file(&self, location: &Location, path: &str) -> Option<String> {
        crate::net::world::system_file(self, location, path)
    }

    fn system_dir(&self, location: &Location, path: &str) -> Option<Vec<crate::shell::DirEntry>> {
        crate::net::world::system_dir(self, location, path)
    }

    fn workdir(&self, location: &Location) -> Option<String> {
        crate::net::world::workdir(self, location)
    }

    fn sleep(&mut self, millis: u64) {
        let now = self.now.saturating_add_millis(millis);
        self.advance_to(now);
    }

    fn background(&mut self, pid: Option<u32>) {
        self.background_job = pid;
    }

    fn job_running(&self, pid: u32) -> bool {
        self.net.forwards.iter().any(|f| f.job == Some(pid))
    }

    fn take_job_output(&mut self) -> String {
        let text = std::mem::take(&mut self.net.forward_log);
        // A forward whose pod went away during this command ends after the command's own
        // output (`pod "x" deleted` first): its error is shown with the next command.
        self.net.forward_log = crate::kubectl::lost_port_forwards(self);
        text
    }

    fn end_job(&mut self, pid: u32) {
        // The forward's kubectl is gone: its port on the node's loopback closes with it.
        self.net.forwards.retain(|f| f.job != Some(pid));
    }

    fn foreground_job(&mut self, pid: u32) -> String {
        // In the foreground a forward is what a plain `kubectl port-forward` is here: the
        // prompt comes back at once and Ctrl+C (`Cluster::interrupt`) ends it.
        let mut ports = Vec::new();
        for forward in self.net.forwards.iter_mut().filter(|f| f.job == Some(pid)) {
            forward.job = None;
            if !ports.contains(&forward.local) {
                ports.push(forward.local);
            }
        }
        match ports.first() {
            Some(port) => format!(
                "힌트: 실제 bash의 fg는 이 작업을 포그라운드로 가져와, kubectl port-forward가 Ctrl+C를 누를 때까지 터미널을 붙잡습니다. 이 실습 터미널은 프롬프트를 바로 돌려주고, 포워딩(localhost:{port})은 Ctrl+C를 누를 때 끝납니다.\n"
            ),
            None => String::new(),
        }
    }

    fn leave(&mut self, location: &Location) -> Option<CommandOutput> {
        let Location::Container { namespace, pod, .. } = location else {
            return None;
        };
        let key = (namespace.clone(), pod.clone());
        let at = self.attached_runs.iter().position(|(k, _)| *k == key)?;
        let (_, run) = self.attached_runs.swap_remove(at);
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
            ..CommandOutput::default()
        })
    }
}
