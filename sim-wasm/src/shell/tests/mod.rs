//! Unit tests of the shell through [`Session::exec`], with a fake [`Host`] that records what
//! it was asked to run and answers a few commands (`kubectl`, `ssh`, `docker`).
//! Expected outputs are bash 5.2 / GNU coreutils 9.1 as run on Debian (`LANG=C.UTF-8`).

mod files;
mod jobs;
mod robustness;
mod session;
mod syntax;
mod text;

use super::*;

#[derive(Clone, Debug, PartialEq)]
struct Recorded {
    argv: Vec<String>,
    stdin: String,
    cwd: String,
    as_root: bool,
    env: BTreeMap<String, String>,
    location: Location,
}

#[derive(Default)]
struct FakeHost {
    calls: Vec<Recorded>,
    slept: Vec<u64>,
    now: SimTime,
    /// The background job whose commands are running now.
    background: Option<u32>,
    /// Background jobs that keep running: a `sleep` of 100 s or more started with `&`
    /// (standing in for a port-forward, as `sleep 100 &` does in the bash comparisons).
    running: std::collections::BTreeSet<u32>,
    /// Jobs `kill` ended, and jobs `fg` brought to the foreground, in order.
    ended: Vec<u32>,
    foregrounded: Vec<u32>,
}

impl Host for FakeHost {
    fn run(&mut self, invocation: Invocation<'_>) -> Option<CommandOutput> {
        let argv: Vec<String> = invocation.argv.to_vec();
        self.calls.push(Recorded {
            argv: argv.clone(),
            stdin: invocation.stdin.to_owned(),
            cwd: invocation.files.cwd().to_owned(),
            as_root: invocation.as_root,
            env: invocation.env.clone(),
            location: invocation.location.clone(),
        });
        let words: Vec<&str> = argv.iter().map(String::as_str).collect();
        let out = |stdout: &str| CommandOutput {
            stdout: stdout.to_owned(),
            ..CommandOutput::default()
        };
        match words.as_slice() {
            ["kubectl", "get", "pod", "-l", "app=x", "-o", "name"] => Some(out("pod/web-1\n")),
            ["kubectl", "get", "pods"] => Some(out(
                "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          5s\ndb-1    1/1     Running   0          5s\n",
            )),
            ["kubectl", "expose", ..] => Some(out("apiVersion: v1\nkind: Service\n")),
            ["kubectl", "apply", "-f", path] if *path != "-" => {
                let text = invocation.files.read(path).map(str::to_owned);
                let listing = invocation.files.list_dir(path).ok();
                Some(match (text, listing) {
                    (Some(text), _) => out(&format!("read {} bytes\n", text.len())),
                    (None, Some(entries)) => out(&entries
                        .iter()
                        .map(|e| format!("{}\n", e.name))
                        .collect::<String>()),
                    (None, None) => CommandOutput {
                        stderr: format!("error: the path \"{path}\" does not exist\n"),
                        exit_code: 1,
                        ..CommandOutput::default()
                    },
                })
            }
            ["kubectl", "exec", "-it", pod, "--", "bash" | "sh"] => Some(CommandOutput {
                enter: Some(Location::Container {
                    namespace: "default".to_owned(),
                    pod: (*pod).to_owned(),
                    container: "app".to_owned(),
                }),
                ..CommandOutput::default()
            }),
            ["kubectl", ..] => Some(out("")),
            ["ssh", node] => Some(CommandOutput {
                enter: Some(Location::Node {
                    node: (*node).to_owned(),
                    user: "user".to_owned(),
                }),
                ..CommandOutput::default()
            }),
            ["docker", "ps"] => Some(out(
                "CONTAINER ID   IMAGE                  COMMAND\n1111   registry.k8s.io/pause:3.10   \"/pause\"\n2222   nginx   \"nginx\"\n",
            )),
            ["fail"] => Some(CommandOutput {
                stdout: "partial\n".to_owned(),
                stderr: "fail: it broke\n".to_owned(),
                exit_code: 3,
                ..CommandOutput::default()
            }),
            ["curl", ..] => Some(out("ok\n")),
            ["whoami"] if matches!(invocation.location, Location::Container { .. }) => {
                Some(out("curl_user\n"))
            }
            ["env"] if matches!(invocation.location, Location::Container { .. }) => {
                Some(out("KUBERNETES_SERVICE_HOST=10.96.0.1\n"))
            }
            _ => None,
        }
    }

    fn sleep(&mut self, millis: u64) {
        if let Some(pid) = self.background
            && millis >= 100_000
        {
            self.running.insert(pid);
            return;
        }
        self.slept.push(millis);
        self.now = self.now.saturating_add_millis(millis);
    }

    fn now(&self) -> SimTime {
        self.now
    }

    fn background(&mut self, pid: Option<u32>) {
        self.background = pid;
    }

    fn job_running(&self, pid: u32) -> bool {
        self.running.contains(&pid)
    }

    fn end_job(&mut self, pid: u32) {
        self.running.remove(&pid);
        self.ended.push(pid);
    }

    fn foreground_job(&mut self, pid: u32) -> String {
        self.running.remove(&pid);
        self.foregrounded.push(pid);
        "(held until Ctrl+C)\n".to_owned()
    }

    fn system_dir(&self, location: &Location, path: &str) -> Option<Vec<DirEntry>> {
        match (location, path) {
            (Location::Node { .. }, "/etc/cni/net.d") => Some(vec![DirEntry {
                name: "10-calico.conflist".to_owned(),
                is_dir: false,
            }]),
            _ => None,
        }
    }

    fn leave(&mut self, location: &Location) -> Option<CommandOutput> {
        match location {
            Location::Container { pod, .. } if pod == "tmp" => Some(CommandOutput {
                stdout: "pod \"tmp\" deleted\n".to_owned(),
                ..CommandOutput::default()
            }),
            _ => None,
        }
    }

    fn workdir(&self, location: &Location) -> Option<String> {
        match location {
            Location::Container { pod, .. } if pod == "web-1" => Some("/usr/src/app".to_owned()),
            _ => None,
        }
    }

    fn system_file(&self, location: &Location, path: &str) -> Option<String> {
        match (location, path) {
            (Location::Node { .. }, "/etc/cni/net.d/10-calico.conflist") => {
                Some("{\n  \"name\": \"k8s-pod-network\"\n}\n".to_owned())
            }
            (Location::Container { .. }, "/etc/resolv.conf") => Some(
                "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

struct Shell {
    session: Session,
    host: FakeHost,
}

impl Shell {
    fn new() -> Shell {
        Shell {
            session: Session::new(),
            host: FakeHost::default(),
        }
    }

    fn run(&mut self, input: &str) -> Output {
        self.session.exec(input, &mut self.host)
    }

    fn stdout(&mut self, input: &str) -> String {
        let output = self.run(input);
        assert_eq!(output.stderr, "", "unexpected stderr for {input:?}");
        output.stdout
    }

    fn last_call(&self) -> Recorded {
        self.host.calls.last().cloned().unwrap_or_else(|| Recorded {
            argv: Vec::new(),
            stdin: String::new(),
            cwd: String::new(),
            as_root: false,
            env: BTreeMap::new(),
            location: Location::Node {
                node: String::new(),
                user: String::new(),
            },
        })
    }
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_owned()).collect()
}

fn expect(output: &Output, stdout: &str, stderr: &str, exit_code: i32) {
    assert_eq!(output.stdout, stdout, "stdout");
    assert_eq!(output.stderr, stderr, "stderr");
    assert_eq!(output.exit_code, exit_code, "exit code");
}

/// A small deterministic generator (the tests read no OS randomness).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}
