//! Job control builtins (`jobs`, `kill`, `fg`, `bg`) against the fake host, where a
//! `sleep` of 100 s or more started with `&` keeps running, and the same lines compared
//! byte for byte with a real interactive bash.

use super::*;

/// Runs `lines` one at a time in a real interactive bash (job control needs a terminal:
/// `script` gives it one) and returns what the terminal showed after each line, without
/// the echoed line itself. Lines are typed 300 ms apart, as a person would, so that bash
/// has noticed a killed job's end by the following prompt.
fn real_bash(lines: &[&str]) -> Vec<String> {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("netlab-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
    let rc = dir.join("rc");
    std::fs::write(&rc, "PS1='@@PROMPT@@ '\n").unwrap_or_else(|e| panic!("rcfile: {e}"));
    let command = format!("bash --noprofile --rcfile {} -i", rc.display());
    let mut child = std::process::Command::new("script")
        .args(["-qc", &command, "/dev/null"])
        .env("TERM", "dumb")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("these tests compare with a real bash run under `script` (util-linux): {e}")
        });
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    // The last two lines end the jobs still running (no stray `sleep` outlives the test)
    // and leave bash.
    for line in lines.iter().chain(&["kill $(jobs -p) 2>/dev/null", "exit"]) {
        writeln!(stdin, "{line}").unwrap_or_else(|e| panic!("writing to bash: {e}"));
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    drop(stdin);
    let output = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("bash did not finish: {e}"));
    let text = String::from_utf8_lossy(&output.stdout).replace('\r', "");
    let mut segments: Vec<String> = text
        .split("@@PROMPT@@ ")
        .skip(1)
        .map(|segment| {
            // The terminal echoes the typed line first.
            segment
                .split_once('\n')
                .map(|(_, rest)| rest.to_owned())
                .unwrap_or_default()
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        segments.len(),
        lines.len() + 2,
        "bash showed a prompt for each line typed:\n{text}"
    );
    segments.truncate(lines.len());
    segments
}

/// The same lines in the simulated shell: what its terminal shows for each.
fn simulated(lines: &[&str]) -> Vec<String> {
    let mut sh = Shell::new();
    lines.iter().map(|line| sh.run(line).display).collect()
}

/// bash's PIDs differ from run to run: each real `[N] PID` is replaced, everywhere, by
/// the PID the simulator gave the same job.
fn with_simulated_pids(real: &[String], simulated: &[String]) -> Vec<String> {
    let pids = |outputs: &[String]| -> Vec<String> {
        outputs
            .iter()
            .flat_map(|o| o.lines().map(str::to_owned).collect::<Vec<_>>())
            .filter_map(|line| {
                let rest = line.strip_prefix('[')?;
                let (_, pid) = rest.split_once("] ")?;
                pid.chars()
                    .all(|c| c.is_ascii_digit())
                    .then(|| pid.to_owned())
            })
            .collect()
    };
    let (real_pids, sim_pids) = (pids(real), pids(simulated));
    assert_eq!(
        real_pids.len(),
        sim_pids.len(),
        "jobs started: {real:?} vs {simulated:?}"
    );
    real.iter()
        .map(|output| {
            let mut renamed = String::new();
            for line in output.split_inclusive('\n') {
                let mut line = line.to_owned();
                for (from, to) in real_pids.iter().zip(&sim_pids) {
                    // `jobs -l` pads PIDs to five columns (`[1]+  4301 Running`): keep
                    // that width when renaming there.
                    if !line.starts_with('[') || line.contains(&format!("] {from}\n")) {
                        line = line.replace(from.as_str(), to);
                    } else {
                        let (from5, to5) = (format!("{from:>5}"), format!("{to:>5}"));
                        line = line.replace(&from5, &to5).replace(from.as_str(), to);
                    }
                }
                renamed.push_str(&line);
            }
            renamed
        })
        .collect()
}

/// A line saying a job ended (`[1]+  Terminated  CMD`), from a notice or from `jobs`.
fn is_ended_job(line: &str) -> bool {
    line.starts_with('[')
        && !line.contains("  Running  ")
        && line
            .split_once(']')
            .and_then(|(_, rest)| rest.get(1..))
            .is_some_and(|rest| rest.starts_with("  "))
}

/// Compares line by line, except where bash reports a job's end: whether it notices that
/// before the very next prompt or the one after depends on when the kernel delivers
/// SIGCHLD (a race the simulator resolves one way, see the shell module), so the lines
/// about ended jobs are compared as one sequence, in order, and the rest line by line.
fn compare_with_bash(lines: &[&str]) {
    let sim = simulated(lines);
    let real = with_simulated_pids(&real_bash(lines), &sim);
    let split = |outputs: &[String]| -> (Vec<String>, Vec<String>) {
        let mut ended = Vec::new();
        let rest = outputs
            .iter()
            .map(|output| {
                let mut kept = String::new();
                for line in output.split_inclusive('\n') {
                    if is_ended_job(line) {
                        ended.push(line.to_owned());
                    } else {
                        kept.push_str(line);
                    }
                }
                kept
            })
            .collect();
        (rest, ended)
    };
    let (sim_rest, sim_ended) = split(&sim);
    let (real_rest, real_ended) = split(&real);
    for ((line, real), sim) in lines.iter().zip(&real_rest).zip(&sim_rest) {
        assert_eq!(sim, real, "after `{line}`");
    }
    assert_eq!(sim_rest.len(), real_rest.len());
    assert_eq!(sim_ended, real_ended, "the ended jobs bash reported");
}

#[test]
fn jobs_lists_running_jobs_with_markers_pids_and_errors_exactly_as_bash_does() {
    compare_with_bash(&[
        "sleep 100 &",
        "sleep 200 &",
        "jobs",
        "jobs -l",
        "jobs -p",
        "jobs %1",
        "jobs %4",
        "jobs %- %+ %%",
        "jobs %sleep",
        "bg",
        "bg %1",
    ]);
}

#[test]
fn kill_reports_bad_arguments_with_bashs_messages() {
    compare_with_bash(&[
        "sleep 100 &",
        "kill %3",
        "kill 99999",
        "kill abc",
        "kill",
        "kill -FOO %1",
        "kill -s FOO %1",
        "kill -s",
        "kill -l 9 TERM sigint 99 137",
        "kill 0x %1 %2",
        "jobs",
    ]);
}

#[test]
fn a_killed_job_is_reported_after_the_next_line_as_bash_does() {
    compare_with_bash(&[
        "sleep 100 &",
        "sleep 200 &",
        "sleep 300 &",
        "kill %1",
        "echo next",
        "jobs",
        "kill -9 %3",
        "jobs",
        "jobs",
        "kill -s HUP %2",
        "echo after",
        "fg",
        "fg %1",
        "bg %2",
    ]);
}

#[test]
fn kill_l_lists_the_signal_table_as_bash_does() {
    compare_with_bash(&["kill -l"]);
}

#[test]
fn killing_a_job_ends_it_in_the_host_and_numbers_start_again_from_one() {
    let mut sh = Shell::new();
    expect(&sh.run("sleep 100 &"), "", "[1] 4301\n", 0);
    expect(&sh.run("sleep 100 &"), "", "[2] 4302\n", 0);
    expect(&sh.run("kill 4301"), "", "", 0);
    assert_eq!(sh.host.ended, vec![4301]);
    expect(
        &sh.run("echo x"),
        "x\n",
        "[1]-  Terminated              sleep 100\n",
        0,
    );
    // Job 2 still runs: the next job is 3; once the table is empty numbering restarts.
    expect(&sh.run("sleep 100 &"), "", "[3] 4303\n", 0);
    sh.run("kill %2 %3");
    assert_eq!(sh.host.ended, vec![4301, 4302, 4303]);
    sh.run("true");
    expect(&sh.run("sleep 100 &"), "", "[1] 4304\n", 0);
}

#[test]
fn fg_prints_the_command_and_hands_the_job_to_the_host() {
    let mut sh = Shell::new();
    sh.run("sleep 100 &");
    expect(&sh.run("fg %1"), "sleep 100\n(held until Ctrl+C)\n", "", 0);
    assert_eq!(sh.host.foregrounded, vec![4301]);
    // In the foreground it is no longer a job: nothing to list, nothing to bring back.
    expect(&sh.run("jobs"), "", "", 0);
    expect(&sh.run("fg"), "", "bash: fg: current: no such job\n", 1);
}

#[test]
fn kill_cannot_touch_init_or_the_shell_and_garbage_never_panics() {
    let mut sh = Shell::new();
    expect(
        &sh.run("kill 1"),
        "",
        "bash: kill: (1) - Operation not permitted\n",
        1,
    );
    // As root the signal is sent, and init and the interactive shell ignore it.
    expect(&sh.run("sudo -i"), "", "", 0);
    expect(&sh.run("kill -9 1; kill $$; echo alive"), "alive\n", "", 0);
    sh.run("exit");
    for line in [
        "kill -- -1",
        "kill -9999999999999999999 %1",
        "kill %",
        "kill %%%",
        "kill %?",
        "kill -s",
        "kill -n 9",
        "kill -l abc",
        "kill 99999999999999999999999",
        "kill -- --",
        "jobs -z",
        "fg -- %x",
        "bg %0",
        "kill %-1",
    ] {
        let output = sh.run(line);
        assert_ne!(output.exit_code, 0, "{line}: {output:?}");
        assert!(
            output.stderr.starts_with("bash: ")
                || output.stderr.starts_with("kill: ")
                || output.stderr.starts_with("jobs: "),
            "{line}: {output:?}"
        );
    }
    assert!(sh.host.ended.is_empty());
    assert_eq!(sh.stdout("echo still here"), "still here\n");
}

#[test]
fn a_job_that_ends_by_itself_is_reported_with_its_exit_status() {
    let mut sh = Shell::new();
    sh.run("sleep 100 &");
    // The host lets the job end (a port-forward whose pod went away).
    sh.host.running.clear();
    expect(&sh.run("echo x"), "x\n", "", 0);
    expect(
        &sh.run("echo y"),
        "y\n",
        "[1]+  Exit 1                  sleep 100\n",
        0,
    );
    expect(&sh.run("jobs"), "", "", 0);
}

#[test]
fn each_nested_shell_has_its_own_job_table_as_each_bash_does() {
    let mut sh = Shell::new();
    sh.run("sleep 100 &");
    expect(&sh.run("sudo -i"), "", "", 0);
    expect(&sh.run("jobs"), "", "", 0);
    expect(&sh.run("kill %1"), "", "bash: kill: %1: no such job\n", 1);
    expect(&sh.run("sleep 100 &"), "", "[1] 4302\n", 0);
    sh.run("exit");
    // Back in the login shell its job is still there and still running.
    expect(
        &sh.run("jobs"),
        "[1]+  Running                 sleep 100 &\n",
        "",
        0,
    );
    assert!(sh.host.ended.is_empty());
}

#[test]
fn type_calls_the_job_builtins_shell_builtins_and_which_finds_procps_kill() {
    let mut sh = Shell::new();
    expect(
        &sh.run("type jobs kill fg bg; which kill"),
        "jobs is a shell builtin\nkill is a shell builtin\nfg is a shell builtin\nbg is a shell builtin\n/usr/bin/kill\n",
        "",
        0,
    );
}
