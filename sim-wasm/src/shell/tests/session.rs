//! Session builtins and nested shells: the environment, history, sudo, ssh, container
//! shells, exit, the prompt, sleep, editors and aliases.

use super::*;

#[test]
fn exported_variables_reach_host_commands_and_plain_ones_do_not() {
    let mut sh = Shell::new();
    sh.run("export NS=blue; LOCAL=1; kubectl get pods");
    let env = sh.last_call().env;
    assert_eq!(env.get("NS").map(String::as_str), Some("blue"));
    assert_eq!(env.get("LOCAL"), None);
    assert_eq!(env.get("HOME").map(String::as_str), Some("/home/user"));
}

#[test]
fn a_prefix_assignment_applies_only_to_its_command() {
    let mut sh = Shell::new();
    sh.run("KUBECONFIG=/tmp/k kubectl get pods");
    assert_eq!(
        sh.last_call().env.get("KUBECONFIG").map(String::as_str),
        Some("/tmp/k")
    );
    assert_eq!(sh.stdout("echo [$KUBECONFIG]"), "[]\n");
}

#[test]
fn export_and_unset_reject_invalid_identifiers_like_bash() {
    let mut sh = Shell::new();
    let output = sh.run("export 1a=2");
    expect(
        &output,
        "",
        "bash: export: `1a=2': not a valid identifier\n",
        1,
    );
    let output = sh.run("unset 1a");
    expect(
        &output,
        "",
        "bash: unset: `1a': not a valid identifier\n",
        1,
    );
    assert_eq!(sh.stdout("X=1; unset X; echo [$X]"), "[]\n");
}

#[test]
fn env_lists_the_exported_variables_sorted_and_runs_commands() {
    let mut sh = Shell::new();
    let listing = sh.stdout("export ZED=last; env");
    assert!(listing.starts_with("HOME=/home/user\n"), "{listing}");
    assert!(listing.ends_with("ZED=last\n"), "{listing}");
    sh.run("env A=1 kubectl version");
    assert_eq!(sh.last_call().env.get("A").map(String::as_str), Some("1"));
    assert_eq!(
        sh.stdout("export -p | grep ZED"),
        "declare -x ZED=\"last\"\n"
    );
}

#[test]
fn clear_emits_the_terminal_reset_sequence() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("clear"), "\x1b[H\x1b[2J\x1b[3J");
}

#[test]
fn history_numbers_lines_like_bash_and_skips_duplicates_and_space_prefixed_lines() {
    let mut sh = Shell::new();
    sh.run("echo a");
    sh.run("echo a");
    sh.run(" echo secret");
    sh.run("ls");
    assert_eq!(
        sh.stdout("history"),
        "    1  echo a\n    2  ls\n    3  history\n"
    );
    assert_eq!(sh.stdout("history 1"), "    4  history 1\n");
}

#[test]
fn sudo_runs_the_rest_as_root_and_knows_its_own_errors() {
    let mut sh = Shell::new();
    sh.run("sudo docker ps");
    let call = sh.last_call();
    assert_eq!(call.argv, strings(&["docker", "ps"]));
    assert!(call.as_root);
    sh.run("kubectl get pods");
    assert!(!sh.last_call().as_root);
    expect(
        &sh.run("sudo nosuch"),
        "",
        "sudo: nosuch: command not found\n",
        1,
    );
    expect(&sh.run("sudo cd /"), "", "sudo: cd: command not found\n", 1);
    assert_eq!(sh.stdout("sudo whoami; whoami"), "root\nuser\n");
}

#[test]
fn sudo_i_opens_a_root_shell_that_exit_leaves() {
    let mut sh = Shell::new();
    sh.run("sudo -i");
    assert_eq!(sh.session.prompt(), "root@master:~# ");
    assert_eq!(sh.stdout("pwd; whoami"), "/root\nroot\n");
    sh.run("docker ps");
    assert!(sh.last_call().as_root);
    let output = sh.run("exit");
    expect(&output, "", "logout\n", 0);
    assert_eq!(sh.session.prompt(), "user@master:~$ ");
    assert_eq!(sh.stdout("pwd"), "/home/user\n");
}

#[test]
fn ssh_enters_a_node_shell_and_exit_comes_back() {
    let mut sh = Shell::new();
    sh.run("cd /tmp");
    sh.run("ssh worker1");
    assert_eq!(sh.session.prompt(), "user@worker1:~$ ");
    assert_eq!(sh.stdout("hostname; pwd"), "worker1\n/home/user\n");
    sh.run("echo on-worker > w.txt");
    sh.run("sudo docker ps");
    assert_eq!(
        sh.last_call().location,
        Location::Node {
            node: "worker1".to_owned(),
            user: "user".to_owned()
        }
    );
    let output = sh.run("exit 4");
    expect(&output, "", "logout\nConnection to worker1 closed.\n", 4);
    assert_eq!(sh.session.prompt(), "user@master:/tmp$ ");
    assert_eq!(
        sh.session.read_file("w.txt"),
        None,
        "files stay on their machine"
    );
}

#[test]
fn kubectl_exec_it_enters_a_container_at_its_working_directory() {
    let mut sh = Shell::new();
    sh.run("kubectl exec -it web-1 -- bash");
    assert_eq!(sh.session.prompt(), "root@web-1:/usr/src/app# ");
    assert_eq!(sh.stdout("curl -s srv:8080"), "ok\n");
    expect(&sh.run("exit"), "", "exit\n", 0);
    sh.run("kubectl exec -it db-1 -- bash");
    assert_eq!(sh.session.prompt(), "root@db-1:/# ");
    expect(
        &sh.run("sudo ls"),
        "",
        "bash: sudo: command not found\n",
        127,
    );
}

#[test]
fn a_line_that_enters_a_shell_does_not_continue_there() {
    let mut sh = Shell::new();
    let output = sh.run("ssh worker1 && echo after");
    expect(&output, "", "", 0);
}

#[test]
fn exit_on_the_login_shell_only_prints_logout() {
    let mut sh = Shell::new();
    let output = sh.run("exit");
    expect(&output, "", "logout\n", 0);
    assert_eq!(sh.session.prompt(), "user@master:~$ ");
    let output = sh.run("exit nope");
    assert_eq!(
        output.stderr,
        "bash: exit: nope: numeric argument required\nlogout\n"
    );
}

#[test]
fn the_prompt_shows_the_directory_relative_to_home() {
    let mut sh = Shell::new();
    assert_eq!(sh.session.prompt(), "user@master:~$ ");
    sh.run("mkdir -p lab/x; cd lab/x");
    assert_eq!(sh.session.prompt(), "user@master:~/lab/x$ ");
    sh.run("cd /etc");
    assert_eq!(sh.session.prompt(), "user@master:/etc$ ");
}

#[test]
fn sleep_advances_the_virtual_clock_with_units() {
    let mut sh = Shell::new();
    expect(&sh.run("sleep 1; sleep 0.5; sleep 2s; sleep 1m"), "", "", 0);
    assert_eq!(sh.host.slept, vec![1000, 500, 2000, 60_000]);
    expect(
        &sh.run("sleep"),
        "",
        "sleep: missing operand\nTry 'sleep --help' for more information.\n",
        1,
    );
    expect(
        &sh.run("sleep x"),
        "",
        "sleep: invalid time interval ‘x’\nTry 'sleep --help' for more information.\n",
        1,
    );
}

#[test]
fn true_false_whoami_hostname_and_date_answer_simply() {
    let mut sh = Shell::new();
    expect(&sh.run("true"), "", "", 0);
    expect(&sh.run("false"), "", "", 1);
    assert_eq!(sh.stdout("whoami; hostname"), "user\nmaster\n");
    assert_eq!(sh.stdout("date"), "Thu Nov 26 09:00:00 UTC 2026\n");
}

#[test]
fn unknown_commands_are_not_found_with_status_127() {
    let mut sh = Shell::new();
    expect(
        &sh.run("foo --bar"),
        "",
        "bash: foo: command not found\n",
        127,
    );
    expect(
        &sh.run("./run.sh"),
        "",
        "bash: ./run.sh: No such file or directory\n",
        127,
    );
    assert_eq!(
        sh.last_call().argv,
        strings(&["./run.sh"]),
        "the host was asked first"
    );
}

#[test]
fn vi_and_nano_ask_the_browser_to_open_an_absolute_path() {
    let mut sh = Shell::new();
    sh.run("mkdir lab; cd lab");
    let output = sh.run("vi deploy.yaml");
    assert_eq!(
        output.open_editor.as_deref(),
        Some("/home/user/lab/deploy.yaml")
    );
    expect(&output, "", "", 0);
    assert_eq!(
        sh.run("nano ../x.yaml").open_editor.as_deref(),
        Some("/home/user/x.yaml")
    );
    let output = sh.run("vim");
    assert_eq!(output.open_editor, None);
    assert_eq!(output.exit_code, 1);
    sh.run("ssh worker1");
    assert_eq!(sh.run("vi a.yaml").open_editor, None);
}

#[test]
fn aliases_replace_the_first_word() {
    let mut sh = Shell::new();
    sh.run("alias kgp='kubectl get pods'");
    sh.run("kgp");
    assert_eq!(sh.last_call().argv, strings(&["kubectl", "get", "pods"]));
    assert_eq!(sh.stdout("alias kgp"), "alias kgp='kubectl get pods'\n");
    assert_eq!(
        sh.stdout("alias | head -2"),
        "alias kgp='kubectl get pods'\nalias l='ls -CF'\n"
    );
}

#[test]
fn in_a_container_the_world_answers_identity_and_image_files_first() {
    let mut sh = Shell::new();
    sh.run("kubectl exec -it web-1 -- bash");
    assert_eq!(
        sh.stdout("whoami; env | grep KUBERNETES"),
        "curl_user\nKUBERNETES_SERVICE_HOST=10.96.0.1\n"
    );
    assert_eq!(sh.stdout("echo mine > note.txt; cat note.txt"), "mine\n");
    assert_eq!(
        sh.last_call().argv,
        strings(&["env"]),
        "cat of the student's file stayed in the shell"
    );
    sh.run("exit");
    assert_eq!(sh.stdout("whoami"), "user\n");
}

#[test]
fn history_expansion_reruns_earlier_commands_and_shows_them() {
    let mut sh = Shell::new();
    sh.run("echo hi");
    expect(&sh.run("!!"), "hi\n", "echo hi\n", 0);
    expect(&sh.run("sudo !!"), "hi\n", "sudo echo hi\n", 0);
    expect(&sh.run("!nope"), "", "bash: !nope: event not found\n", 0);
    expect(
        &sh.run("echo \"a!b\""),
        "",
        "bash: !b: event not found\n",
        0,
    );
    assert_eq!(sh.stdout("echo \"hi!\" x! '!!'"), "hi! x! !!\n");
    expect(&sh.run("echo !$"), "!!\n", "echo '!!'\n", 0);
    expect(&sh.run("!1"), "hi\n", "echo hi\n", 0);
    sh.run("cat <<EOF\nkind: !!str\nEOF");
    assert_eq!(
        sh.session.history().last().map(String::as_str),
        Some("cat <<EOF\nkind: !!str\nEOF")
    );
}

#[test]
fn watch_shows_its_first_screen_with_the_procps_header() {
    let mut sh = Shell::new();
    let output = sh.run("watch -n 1 kubectl get pods");
    assert_eq!(
        output.stdout,
        "Every 1.0s: kubectl get pods                    master: Thu Nov 26 09:00:00 2026\n\n\
         NAME    READY   STATUS    RESTARTS   AGE\n\
         web-1   1/1     Running   0          5s\n\
         db-1    1/1     Running   0          5s\n"
    );
    assert!(
        output.stderr.contains("first screen only"),
        "{}",
        output.stderr
    );
}

#[test]
fn ctrl_c_drops_an_unfinished_heredoc_and_sets_status_130() {
    let mut sh = Shell::new();
    assert!(sh.run("cat <<EOF > half.yaml").continuation);
    assert!(sh.run("apiVersion: v1").continuation);
    assert_eq!(sh.session.prompt(), "> ");
    sh.session.interrupt();
    assert_eq!(sh.session.prompt(), "user@master:~$ ");
    assert_eq!(sh.stdout("echo $?"), "130\n");
    // The next line is a new command, not more heredoc text, and nothing was written.
    let output = sh.run("cat half.yaml");
    expect(
        &output,
        "",
        "cat: half.yaml: No such file or directory\n",
        1,
    );
}

#[test]
fn sudo_s_and_sudo_su_keep_the_directory_and_exit_prints_exit() {
    let mut sh = Shell::new();
    sh.run("mkdir d; cd d");
    sh.run("sudo -s");
    assert_eq!(sh.session.prompt(), "root@master:/home/user/d# ");
    expect(&sh.run("exit"), "", "exit\n", 0);
    sh.run("sudo su -");
    assert_eq!(sh.session.prompt(), "root@master:~# ");
    expect(&sh.run("exit"), "", "logout\n", 0);
    assert_eq!(sh.session.prompt(), "user@master:~/d$ ");
}

#[test]
fn leaving_a_plain_sh_in_a_container_prints_nothing() {
    let mut sh = Shell::new();
    sh.run("kubectl exec -it db-1 -- sh");
    assert_eq!(sh.session.prompt(), "root@db-1:/# ");
    expect(&sh.run("exit"), "", "", 0);
    assert_eq!(sh.session.prompt(), "user@master:~$ ");
}

#[test]
fn uname_and_id_describe_the_ubuntu_node_and_user() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("uname -r; uname -n"),
        "5.15.0-140-generic\nmaster\n"
    );
    assert_eq!(
        sh.stdout("id; sudo id"),
        "uid=1000(user) gid=1000(user) groups=1000(user),4(adm),24(cdrom),27(sudo),30(dip),46(plugdev),110(lxd)\nuid=0(root) gid=0(root) groups=0(root)\n"
    );
}

#[test]
fn time_reports_the_virtual_time_a_pipeline_took() {
    let mut sh = Shell::new();
    expect(
        &sh.run("time sleep 2.5"),
        "",
        "\nreal\t0m2.500s\nuser\t0m0.000s\nsys\t0m0.000s\n",
        0,
    );
    expect(
        &sh.run("time -p sleep 61"),
        "",
        "real 61.00\nuser 0.00\nsys 0.00\n",
        0,
    );
    assert_eq!(sh.stdout("echo time"), "time\n");
}

#[test]
fn a_background_job_runs_now_and_is_reported_like_bash() {
    let mut sh = Shell::new();
    expect(&sh.run("sleep 1 &"), "", "[1] 4301\n", 0);
    assert_eq!(sh.host.slept, vec![1000]);
    expect(
        &sh.run("echo next"),
        "next\n",
        "[1]+  Done                    sleep 1\n",
        0,
    );
    sh.run("fail &");
    assert_eq!(
        sh.run("true").stderr,
        "[1]+  Exit 3                  fail\n"
    );
    assert_eq!(sh.stdout("echo x &> /dev/null; echo $?"), "0\n");
}

#[test]
fn leaving_a_shell_lets_the_host_clean_up_after_it() {
    let mut sh = Shell::new();
    sh.run("kubectl exec -it tmp -- sh");
    expect(&sh.run("exit"), "pod \"tmp\" deleted\n", "", 0);
    sh.run("kubectl exec -it web-1 -- bash");
    expect(&sh.run("exit"), "", "exit\n", 0);
}

#[test]
fn the_display_keeps_the_order_in_which_both_streams_reached_the_terminal() {
    let mut sh = Shell::new();
    let output = sh.run("nope; echo one; echo two >&2; echo three");
    assert_eq!(output.stdout, "one\nthree\n");
    assert_eq!(
        output.display,
        "bash: nope: command not found\none\ntwo\nthree\n"
    );
    // Captured output reaches the display only where it is finally written.
    let output = sh.run("x=$(echo inner; nope2); { echo a; nope3; } > f.txt; echo $x");
    assert_eq!(
        output.display,
        "bash: nope2: command not found\nbash: nope3: command not found\ninner\n"
    );
}

#[test]
fn tab_completion_of_paths_follows_the_working_directory_and_marks_directories() {
    let mut sh = Shell::new();
    sh.run("mkdir -p yamls/old; echo a > yamls/svc.yaml; echo b > yamls/srv.yaml; echo c > .hidden; echo d > deploy.yaml");
    assert_eq!(sh.session.complete_path("ya"), vec!["yamls/"]);
    assert_eq!(
        sh.session.complete_path("yamls/"),
        vec!["yamls/old/", "yamls/srv.yaml", "yamls/svc.yaml"]
    );
    assert_eq!(sh.session.complete_path("yamls/sv"), vec!["yamls/svc.yaml"]);
    assert_eq!(sh.session.complete_path(""), vec!["deploy.yaml", "yamls/"]);
    assert_eq!(sh.session.complete_path(".h"), vec![".hidden"]);
    assert!(sh.session.complete_path("nowhere/x").is_empty());
    sh.run("cd yamls");
    assert_eq!(sh.session.complete_path("s"), vec!["srv.yaml", "svc.yaml"]);
    assert_eq!(sh.session.complete_path("../d"), vec!["../deploy.yaml"]);
}
