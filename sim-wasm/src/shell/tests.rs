//! Unit tests of the shell through [`Session::exec`], with a fake [`Host`] that records what
//! it was asked to run and answers a few commands (`kubectl`, `ssh`, `docker`).
//! Expected outputs are bash 5.2 / GNU coreutils 9.1 as run on Debian (`LANG=C.UTF-8`).

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
            ["kubectl", "exec", "-it", pod, "--", "bash"] => Some(CommandOutput {
                enter: Some(Location::Container {
                    namespace: "default".to_owned(),
                    pod: (*pod).to_owned(),
                    container: "app".to_owned(),
                }),
                enter_cwd: if *pod == "web-1" {
                    Some("/usr/src/app".to_owned())
                } else {
                    None
                },
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
            _ => None,
        }
    }

    fn sleep(&mut self, millis: u64) {
        self.slept.push(millis);
        self.now = self.now.saturating_add_millis(millis);
    }

    fn now(&self) -> SimTime {
        self.now
    }

    fn system_file(&self, location: &Location, path: &str) -> Option<String> {
        match (location, path) {
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

// ---- quoting, lists and pipes -------------------------------------------------------------

#[test]
fn single_quotes_keep_dollar_signs_and_spaces_literal() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("echo '$HOME  x'"), "$HOME  x\n");
}

#[test]
fn double_quotes_expand_variables_but_keep_spaces() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("A='1  2'; echo \"[$A]\" [$A]"), "[1  2] [1 2]\n");
}

#[test]
fn a_backslash_joins_words_and_escapes_quotes() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout(r#"echo a\ b "say \"hi\"" \$HOME"#),
        "a b say \"hi\" $HOME\n"
    );
}

#[test]
fn a_hash_starts_a_comment_only_at_the_start_of_a_word() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("echo a#b # comment"), "a#b\n");
    assert_eq!(sh.stdout("# only a comment"), "");
}

#[test]
fn and_and_or_run_the_next_command_by_the_previous_status() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("true && echo yes || echo no"), "yes\n");
    assert_eq!(sh.stdout("false && echo yes || echo no"), "no\n");
    let output = sh.run("false; echo $?; ! false; echo $?");
    assert_eq!(output.stdout, "1\n0\n");
}

#[test]
fn a_pipe_feeds_stdout_into_the_next_commands_stdin() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("kubectl get pods | grep web | wc -l"), "1\n");
    let output = sh.run("sudo docker ps | grep pause");
    expect(
        &output,
        "1111   registry.k8s.io/pause:3.10   \"/pause\"\n",
        "",
        0,
    );
}

#[test]
fn several_lines_in_one_exec_run_one_after_another() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("echo one\n\necho two\n"), "one\ntwo\n");
}

#[test]
fn an_operator_without_a_command_is_a_syntax_error() {
    let mut sh = Shell::new();
    let output = sh.run("| grep x");
    expect(
        &output,
        "",
        "bash: syntax error near unexpected token `|'\n",
        2,
    );
    let output = sh.run("echo a ;; echo b");
    expect(
        &output,
        "",
        "bash: syntax error near unexpected token `;;'\n",
        2,
    );
    let output = sh.run("echo >");
    expect(
        &output,
        "",
        "bash: syntax error near unexpected token `newline'\n",
        2,
    );
}

#[test]
fn a_syntax_error_drops_only_its_own_line() {
    let mut sh = Shell::new();
    let output = sh.run("echo a\n| b\necho c");
    expect(
        &output,
        "a\nc\n",
        "bash: syntax error near unexpected token `|'\n",
        0,
    );
}

#[test]
fn case_and_functions_are_explained_as_not_simulated() {
    let mut sh = Shell::new();
    let output = sh.run("case x in x) echo;; esac");
    assert!(
        output.stderr.starts_with("bash: case: not supported"),
        "{}",
        output.stderr
    );
    assert_eq!(output.exit_code, 2);
    let output = sh.run("function f { echo; }");
    assert!(
        output.stderr.starts_with("bash: function: not supported"),
        "{}",
        output.stderr
    );
}

#[test]
fn for_loops_iterate_over_words_and_substitutions() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("for i in 1 2 3; do echo n$i; done"),
        "n1\nn2\nn3\n"
    );
    assert_eq!(
        sh.stdout("for p in $(kubectl get pod -l app=x -o name) pod/b; do echo \"[$p]\"; done"),
        "[pod/web-1]\n[pod/b]\n"
    );
    assert_eq!(
        sh.stdout("for x in a b; do echo $x; done > out; cat out"),
        "a\nb\n"
    );
    assert_eq!(sh.stdout("for x in; do echo never; done; echo $?"), "0\n");
}

#[test]
fn a_loop_typed_over_several_lines_waits_for_done() {
    let mut sh = Shell::new();
    for line in ["for i in 1 2", "do", "  echo \"i=$i\""] {
        assert!(sh.run(line).continuation, "{line}");
        assert_eq!(sh.session.prompt(), "> ");
    }
    assert_eq!(sh.stdout("done"), "i=1\ni=2\n");
}

#[test]
fn while_and_until_loops_test_their_condition_each_time() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done"),
        "0\n1\n2\n"
    );
    assert_eq!(
        sh.stdout("i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i"),
        "2\n"
    );
}

#[test]
fn while_read_consumes_a_file_or_a_pipe_line_by_line() {
    let mut sh = Shell::new();
    sh.session.write_file("f", "a 1\nb 2 extra\n");
    assert_eq!(
        sh.stdout("while read name rest; do echo \"$rest:$name\"; done < f"),
        "1:a\n2 extra:b\n"
    );
    assert_eq!(
        sh.stdout(
            "kubectl get pods | tail -n +2 | while read name ready rest; do echo $name; done"
        ),
        "web-1\ndb-1\n"
    );
    expect(&sh.run("read x < /dev/null"), "", "", 1);
}

#[test]
fn break_and_continue_leave_or_skip_iterations() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout(
            "for i in 1 2 3 4; do if [ $i = 2 ]; then continue; fi; if [ $i = 4 ]; then break; fi; echo $i; done"
        ),
        "1\n3\n"
    );
    assert_eq!(
        sh.stdout("for a in 1 2; do for b in x y; do break 2; done; echo no; done; echo out"),
        "out\n"
    );
    let output = sh.run("break");
    expect(
        &output,
        "",
        "bash: break: only meaningful in a `for', `while', or `until' loop\n",
        0,
    );
}

#[test]
fn an_endless_loop_is_stopped_at_the_iteration_budget() {
    let mut sh = Shell::new();
    let output = sh.run("while true; do echo y; done | wc -l");
    assert_eq!(output.stdout, "1000\n");
    assert!(
        output
            .stderr
            .starts_with("bash: loop stopped after 1000 iterations"),
        "{}",
        output.stderr
    );
}

#[test]
fn if_elif_else_picks_the_first_true_branch() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout(
            "if [ -f nope ]; then echo one; elif [ -d /tmp ]; then echo two; else echo three; fi"
        ),
        "two\n"
    );
    assert_eq!(
        sh.stdout("if false; then echo one; else echo three; fi"),
        "three\n"
    );
    assert_eq!(sh.stdout("if false; then echo one; fi; echo $?"), "0\n");
}

#[test]
fn groups_share_the_shell_and_subshells_do_not() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("{ echo a; echo b; } | wc -l"), "2\n");
    assert_eq!(
        sh.stdout("(cd /tmp; X=1; pwd); pwd; echo [$X]"),
        "/tmp\n/home/user\n[]\n"
    );
    assert_eq!(sh.stdout("{ X=2; }; echo $X"), "2\n");
    let output = sh.run("done");
    expect(
        &output,
        "",
        "bash: syntax error near unexpected token `done'\n",
        2,
    );
}

#[test]
fn test_and_brackets_compare_strings_numbers_and_files() {
    let mut sh = Shell::new();
    sh.run("touch f; mkdir d");
    assert_eq!(
        sh.stdout(
            "[ -f f ] && [ -d d ] && [ ! -e nope ] && [ a = a ] && [ 2 -gt 1 ] && test -n x && echo ok"
        ),
        "ok\n"
    );
    expect(
        &sh.run("[ 1 -lt x ]"),
        "",
        "bash: [: x: integer expression expected\n",
        2,
    );
    expect(&sh.run("[ a = a"), "", "bash: [: missing `]'\n", 2);
    expect(&sh.run("[ ]"), "", "", 1);
}

#[test]
fn an_unclosed_quote_or_trailing_operator_asks_for_more_lines() {
    let mut sh = Shell::new();
    let output = sh.run("echo 'a");
    assert!(output.continuation);
    assert_eq!(sh.session.prompt(), "> ");
    assert_eq!(sh.stdout("b'"), "a\nb\n");
    assert!(sh.run("echo x |").continuation);
    assert_eq!(sh.stdout("tr x y"), "y\n");
    assert!(sh.run("echo x &&").continuation);
    assert_eq!(sh.stdout("echo z"), "x\nz\n");
    assert!(sh.run("echo long \\").continuation);
    assert_eq!(sh.stdout("line"), "long line\n");
}

// ---- heredocs ---------------------------------------------------------------------------------

#[test]
fn a_heredoc_into_a_file_expands_variables() {
    let mut sh = Shell::new();
    let output = sh.run("NS=blue\ncat <<EOF > ns.yaml\nname: $NS\ncost: \\$5\nEOF");
    expect(&output, "", "", 0);
    assert_eq!(
        sh.session.read_file("ns.yaml").as_deref(),
        Some("name: blue\ncost: $5\n")
    );
}

#[test]
fn a_quoted_heredoc_delimiter_keeps_the_body_verbatim() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("cat <<'EOF'\n$HOME `x` \\$\nEOF"),
        "$HOME `x` \\$\n"
    );
    assert_eq!(sh.stdout("cat <<\"END\"\n$HOME\nEND"), "$HOME\n");
}

#[test]
fn a_dash_heredoc_strips_leading_tabs() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("cat <<-EOF\n\t\tindented\n\tEOF"), "indented\n");
}

#[test]
fn a_heredoc_typed_line_by_line_continues_with_the_secondary_prompt() {
    let mut sh = Shell::new();
    let first = sh.run("cat <<EOF > blue.yaml");
    assert!(first.continuation);
    assert_eq!(sh.session.prompt(), "> ");
    for line in [
        "apiVersion: v1",
        "kind: Namespace",
        "metadata:",
        "  name: blue",
    ] {
        let output = sh.run(line);
        expect(&output, "", "", 0);
        assert!(output.continuation);
    }
    let done = sh.run("EOF");
    assert!(!done.continuation);
    assert_eq!(sh.session.prompt(), "user@master:~$ ");
    assert_eq!(
        sh.session.read_file("blue.yaml").as_deref(),
        Some("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n")
    );
    assert_eq!(
        sh.session.history().len(),
        1,
        "a heredoc is one history entry"
    );
}

#[test]
fn the_seeds_heredoc_then_append_builds_one_file() {
    let mut sh = Shell::new();
    sh.run("cat <<EOF > file.yaml\nkind: Deployment\nstatus: {}\nEOF");
    let output =
        sh.run("kubectl expose deploy pod-jenkins --name srv-jenkins --dry-run=client -o yaml -n blue >> file.yaml");
    expect(&output, "", "", 0);
    assert_eq!(
        sh.session.read_file("file.yaml").as_deref(),
        Some("kind: Deployment\nstatus: {}\napiVersion: v1\nkind: Service\n")
    );
}

#[test]
fn a_heredoc_is_the_stdin_of_a_host_command() {
    let mut sh = Shell::new();
    sh.run("kubectl apply -f - <<EOF\nkind: Namespace\nEOF");
    let call = sh.last_call();
    assert_eq!(call.argv, strings(&["kubectl", "apply", "-f", "-"]));
    assert_eq!(call.stdin, "kind: Namespace\n");
}

#[test]
fn a_here_string_is_one_line_of_stdin() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("X=world; cat <<< \"hello $X\""), "hello world\n");
}

// ---- redirections ---------------------------------------------------------------------------

#[test]
fn output_redirection_truncates_and_append_adds() {
    let mut sh = Shell::new();
    sh.run("echo one > f; echo two > f; echo three >> f");
    assert_eq!(sh.session.read_file("f").as_deref(), Some("two\nthree\n"));
}

#[test]
fn stderr_redirections_go_to_files_or_follow_stdout() {
    let mut sh = Shell::new();
    let output = sh.run("fail 2> err.txt");
    expect(&output, "partial\n", "", 3);
    assert_eq!(
        sh.session.read_file("err.txt").as_deref(),
        Some("fail: it broke\n")
    );
    let output = sh.run("fail > all.txt 2>&1");
    expect(&output, "", "", 3);
    assert_eq!(
        sh.session.read_file("all.txt").as_deref(),
        Some("partial\nfail: it broke\n")
    );
    let output = sh.run("fail 2>&1 | grep broke");
    expect(&output, "fail: it broke\n", "", 0);
    // `2>&1` first points stderr at the terminal (which stdout then was).
    let output = sh.run("fail 2>&1 > only-out.txt");
    expect(&output, "fail: it broke\n", "", 3);
    assert_eq!(
        sh.session.read_file("only-out.txt").as_deref(),
        Some("partial\n")
    );
    let output = sh.run("fail &> both.txt; fail 2>> both.txt");
    expect(&output, "partial\n", "", 3);
    assert_eq!(
        sh.session.read_file("both.txt").as_deref(),
        Some("partial\nfail: it broke\nfail: it broke\n")
    );
}

#[test]
fn dev_null_swallows_output() {
    let mut sh = Shell::new();
    let output = sh.run("fail > /dev/null 2>&1; echo $?");
    expect(&output, "3\n", "", 0);
    assert!(sh.run("echo x >&2").stderr == "x\n");
}

#[test]
fn redirecting_into_a_missing_directory_fails_without_running_the_command() {
    let mut sh = Shell::new();
    let output = sh.run("kubectl get pods > nodir/out.txt");
    expect(
        &output,
        "",
        "bash: nodir/out.txt: No such file or directory\n",
        1,
    );
    assert!(sh.host.calls.is_empty());
    sh.run("mkdir d");
    let output = sh.run("echo x > d");
    expect(&output, "", "bash: d: Is a directory\n", 1);
}

#[test]
fn input_redirection_reads_a_file_or_reports_it_missing() {
    let mut sh = Shell::new();
    sh.session.write_file("names", "b\na\n");
    assert_eq!(sh.stdout("sort < names"), "a\nb\n");
    let output = sh.run("sort < nope");
    expect(&output, "", "bash: nope: No such file or directory\n", 1);
}

#[test]
fn a_redirection_to_a_word_that_splits_is_ambiguous() {
    let mut sh = Shell::new();
    let output = sh.run("F='a b'; echo x > $F");
    expect(&output, "", "bash: $F: ambiguous redirect\n", 1);
}

// ---- expansion ------------------------------------------------------------------------------

#[test]
fn the_pod_name_pattern_passes_the_substituted_name_to_kubectl_exec() {
    let mut sh = Shell::new();
    let output =
        sh.run("POD=$(kubectl get pod -l app=x -o name)\nkubectl exec $POD -- curl -s srv:8080");
    expect(&output, "", "", 0);
    assert_eq!(
        sh.last_call().argv,
        strings(&[
            "kubectl",
            "exec",
            "pod/web-1",
            "--",
            "curl",
            "-s",
            "srv:8080"
        ])
    );
}

#[test]
fn command_substitution_strips_trailing_newlines_and_splits_when_unquoted() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("printf 'a\\nb\\n\\n' > f; echo [$(cat f)] \"[$(cat f)]\""),
        "[a b] [a\nb]\n"
    );
    assert_eq!(sh.stdout("echo `echo back`quote"), "backquote\n");
    assert_eq!(sh.stdout("echo $(echo $(echo nested))"), "nested\n");
}

#[test]
fn variables_set_inside_a_substitution_do_not_leak() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("X=1; Y=$(X=2; echo $X); echo $X $Y"), "1 2\n");
}

#[test]
fn an_assignment_alone_takes_the_status_of_its_substitution() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("X=$(false); echo $?"), "1\n");
    assert_eq!(sh.stdout("false; X=1; echo $?"), "0\n");
}

#[test]
fn exit_status_and_special_parameters_expand() {
    let mut sh = Shell::new();
    sh.run("fail");
    assert_eq!(sh.stdout("echo $?"), "3\n");
    assert_eq!(sh.stdout("echo $?"), "0\n");
}

#[test]
fn unset_variables_vanish_but_an_empty_quoted_string_is_an_argument() {
    let mut sh = Shell::new();
    sh.run("kubectl get $NOPE \"\" x");
    assert_eq!(sh.last_call().argv, strings(&["kubectl", "get", "", "x"]));
}

#[test]
fn braces_defaults_lengths_and_arithmetic_expand() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("N=blue; echo ${N}x ${#N} ${M:-def} ${N:+set} $((2 + 3 * 4)) $(( (1+2) * -2 ))"),
        "bluex 4 def set 14 -6\n"
    );
}

#[test]
fn tilde_expands_to_the_home_directory() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("cd /tmp; echo ~ ~/x '~' a~; F=~/y; echo $F"),
        "/home/user /home/user/x ~ a~\n/home/user/y\n"
    );
}

#[test]
fn a_glob_expands_to_sorted_matching_files_or_stays_as_typed() {
    let mut sh = Shell::new();
    sh.run("touch b.yaml a.yaml c.txt .hidden.yaml; mkdir dir; touch dir/x.yaml");
    assert_eq!(sh.stdout("echo *.yaml"), "a.yaml b.yaml\n");
    assert_eq!(sh.stdout("echo dir/*.yaml ?.txt"), "dir/x.yaml c.txt\n");
    assert_eq!(sh.stdout("echo *.json '*.yaml'"), "*.json *.yaml\n");
}

#[test]
fn deep_command_substitution_is_cut_off_instead_of_recursing_forever() {
    let mut sh = Shell::new();
    let mut line = "echo x".to_owned();
    for _ in 0..40 {
        line = format!("echo $({line})");
    }
    let output = sh.run(&line);
    assert!(output.stderr.contains("bash:"), "{}", output.stderr);
}

// ---- variables and the environment ----------------------------------------------------------

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

// ---- files and directories ------------------------------------------------------------------

#[test]
fn host_commands_read_files_relative_to_the_working_directory() {
    let mut sh = Shell::new();
    sh.run("mkdir -p lab/manifests && cd lab && echo 'kind: Pod' > pod.yaml");
    assert_eq!(sh.stdout("kubectl apply -f pod.yaml"), "read 10 bytes\n");
    assert_eq!(sh.last_call().cwd, "/home/user/lab");
    sh.run("touch manifests/b.yaml manifests/a.yaml");
    assert_eq!(
        sh.stdout("kubectl apply -f ./manifests/"),
        "a.yaml\nb.yaml\n"
    );
    let output = sh.run("kubectl apply -f missing.yaml");
    expect(
        &output,
        "",
        "error: the path \"missing.yaml\" does not exist\n",
        1,
    );
}

#[test]
fn write_file_and_read_file_are_relative_to_home_wherever_the_shell_is() {
    let mut sh = Shell::new();
    sh.run("mkdir d; cd d");
    sh.session.write_file("exercise.yaml", "kind: Namespace\n");
    assert_eq!(sh.stdout("cat ~/exercise.yaml"), "kind: Namespace\n");
    sh.run("echo hi > here.txt");
    assert_eq!(sh.session.read_file("d/here.txt").as_deref(), Some("hi\n"));
    assert_eq!(
        sh.session.read_file("/home/user/d/here.txt").as_deref(),
        Some("hi\n")
    );
}

#[test]
fn cd_and_pwd_follow_bash() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("pwd; cd /tmp; pwd; cd; pwd; cd -"),
        "/home/user\n/tmp\n/home/user\n/tmp\n"
    );
    let output = sh.run("cd /nonexistent");
    expect(
        &output,
        "",
        "bash: cd: /nonexistent: No such file or directory\n",
        1,
    );
    sh.run("cd ~; touch file");
    let output = sh.run("cd file");
    expect(&output, "", "bash: cd: file: Not a directory\n", 1);
    let output = sh.run("cd a b");
    expect(&output, "", "bash: cd: too many arguments\n", 1);
    assert_eq!(sh.stdout("cd ../..; pwd; cd ../../..; pwd"), "/\n/\n");
}

#[test]
fn cat_numbers_lines_reads_stdin_and_reports_missing_files() {
    let mut sh = Shell::new();
    sh.session.write_file("a", "x\ny\n");
    assert_eq!(sh.stdout("cat -n a"), "     1\tx\n     2\ty\n");
    assert_eq!(sh.stdout("echo in | cat a - a"), "x\ny\nin\nx\ny\n");
    let output = sh.run("cat nope a");
    expect(
        &output,
        "x\ny\n",
        "cat: nope: No such file or directory\n",
        1,
    );
    sh.run("mkdir d");
    let output = sh.run("cat d");
    expect(&output, "", "cat: d: Is a directory\n", 1);
    let output = sh.run("cat -z");
    expect(
        &output,
        "",
        "cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n",
        1,
    );
}

#[test]
fn cat_falls_back_to_system_files_the_host_provides() {
    let mut sh = Shell::new();
    sh.run("kubectl exec -it db-1 -- bash");
    assert_eq!(
        sh.stdout("cat /etc/resolv.conf | grep nameserver"),
        "nameserver 10.96.0.10\n"
    );
}

#[test]
fn ls_prints_columns_on_the_terminal_and_lines_into_a_pipe() {
    let mut sh = Shell::new();
    sh.run("touch a.yaml b.yaml c.yaml; mkdir dir");
    // GNU ls pads with tabs where a tab stop fits (`ls | cat -A` shows `^I`).
    assert_eq!(sh.stdout("ls"), "a.yaml\tb.yaml\tc.yaml\tdir\n");
    assert_eq!(sh.stdout("ls | cat"), "a.yaml\nb.yaml\nc.yaml\ndir\n");
    assert_eq!(sh.stdout("ls -1"), "a.yaml\nb.yaml\nc.yaml\ndir\n");
    assert_eq!(sh.stdout("ls nothing-here 2>/dev/null; echo $?"), "2\n");
}

#[test]
fn ls_wraps_many_names_into_columns_filled_top_to_bottom_with_tab_padding() {
    // Expected bytes from GNU ls 9.1 (`ls -C --width=80 | cat -A` on the same names).
    let mut sh = Shell::new();
    let names: Vec<String> = (1..=12)
        .map(|n| format!("deployment-{n:02}.yaml"))
        .collect();
    sh.run(&format!("touch {}", names.join(" ")));
    assert_eq!(
        sh.stdout("ls"),
        "deployment-01.yaml  deployment-04.yaml\tdeployment-07.yaml  deployment-10.yaml\n\
         deployment-02.yaml  deployment-05.yaml\tdeployment-08.yaml  deployment-11.yaml\n\
         deployment-03.yaml  deployment-06.yaml\tdeployment-09.yaml  deployment-12.yaml\n"
    );
    sh.run("touch a b");
    let first_line = sh.stdout("ls | head -0; ls");
    assert!(
        first_line
            .starts_with("a\t\t    deployment-03.yaml\tdeployment-07.yaml  deployment-11.yaml\n"),
        "{first_line:?}"
    );
}

#[test]
fn ls_columns_match_gnu_for_names_of_mixed_lengths() {
    let mut sh = Shell::new();
    sh.run("mkdir mixed; cd mixed");
    sh.run(
        "touch x13 xx15 xx2 xxx17 xxx4 xxxx19 xxxx6 xxxxx8 xxxxxx10 xxxxxxx12 xxxxxxxx1 xxxxxxxx14 \
         xxxxxxxxx16 xxxxxxxxx3 xxxxxxxxxx18 xxxxxxxxxx5 xxxxxxxxxxx20 xxxxxxxxxxx7 xxxxxxxxxxxx9 \
         xxxxxxxxxxxxx11",
    );
    assert_eq!(
        sh.stdout("ls"),
        "x13    xxx4    xxxxxx10    xxxxxxxxx16\t xxxxxxxxxxx20\n\
         xx15   xxxx19  xxxxxxx12   xxxxxxxxx3\t xxxxxxxxxxx7\n\
         xx2    xxxx6   xxxxxxxx1   xxxxxxxxxx18  xxxxxxxxxxxx9\n\
         xxx17  xxxxx8  xxxxxxxx14  xxxxxxxxxx5\t xxxxxxxxxxxxx11\n"
    );
}

#[test]
fn ls_long_format_shows_sizes_owners_and_virtual_times() {
    let mut sh = Shell::new();
    sh.run("sleep 90");
    sh.run("printf hello > b; mkdir d; touch a");
    assert_eq!(
        sh.stdout("ls -l"),
        "total 8\n\
         -rw-rw-r-- 1 user user    0 Nov 26 09:01 a\n\
         -rw-rw-r-- 1 user user    5 Nov 26 09:01 b\n\
         drwxrwxr-x 2 user user 4096 Nov 26 09:01 d\n"
    );
    let all = sh.stdout("ls -a");
    assert_eq!(all, ".  ..  a  b  d\n");
}

#[test]
fn ls_reports_missing_paths_and_bad_options() {
    let mut sh = Shell::new();
    let output = sh.run("ls nonexist");
    expect(
        &output,
        "",
        "ls: cannot access 'nonexist': No such file or directory\n",
        2,
    );
    let output = sh.run("ls -z");
    expect(
        &output,
        "",
        "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n",
        2,
    );
}

#[test]
fn rm_removes_files_and_reports_like_coreutils() {
    let mut sh = Shell::new();
    sh.run("touch a; mkdir -p d/e; touch d/e/f");
    expect(&sh.run("rm a"), "", "", 0);
    expect(
        &sh.run("rm a"),
        "",
        "rm: cannot remove 'a': No such file or directory\n",
        1,
    );
    expect(&sh.run("rm -f a"), "", "", 0);
    expect(
        &sh.run("rm d"),
        "",
        "rm: cannot remove 'd': Is a directory\n",
        1,
    );
    expect(&sh.run("rm -rf d"), "", "", 0);
    assert_eq!(sh.stdout("ls"), "");
    expect(
        &sh.run("rm"),
        "",
        "rm: missing operand\nTry 'rm --help' for more information.\n",
        1,
    );
}

#[test]
fn cp_and_mv_copy_move_and_report_like_coreutils() {
    let mut sh = Shell::new();
    sh.run("echo x > a; mkdir d");
    expect(&sh.run("cp a b && mv b d && ls d"), "b\n", "", 0);
    expect(
        &sh.run("cp"),
        "",
        "cp: missing file operand\nTry 'cp --help' for more information.\n",
        1,
    );
    expect(
        &sh.run("cp a"),
        "",
        "cp: missing destination file operand after 'a'\nTry 'cp --help' for more information.\n",
        1,
    );
    expect(
        &sh.run("cp nope z"),
        "",
        "cp: cannot stat 'nope': No such file or directory\n",
        1,
    );
    expect(
        &sh.run("cp d e"),
        "",
        "cp: -r not specified; omitting directory 'd'\n",
        1,
    );
    expect(&sh.run("cp -r d e && cat e/b"), "x\n", "", 0);
    expect(
        &sh.run("cp a a"),
        "",
        "cp: 'a' and 'a' are the same file\n",
        1,
    );
    expect(
        &sh.run("mv nope z"),
        "",
        "mv: cannot stat 'nope': No such file or directory\n",
        1,
    );
    expect(
        &sh.run("mv d d/x"),
        "",
        "mv: cannot move 'd' to a subdirectory of itself, 'd/x'\n",
        1,
    );
    expect(
        &sh.run("mv a renamed && cat renamed && ls a"),
        "x\n",
        "ls: cannot access 'a': No such file or directory\n",
        2,
    );
}

#[test]
fn mkdir_touch_and_rmdir_report_like_coreutils() {
    let mut sh = Shell::new();
    expect(&sh.run("mkdir d"), "", "", 0);
    expect(
        &sh.run("mkdir d"),
        "",
        "mkdir: cannot create directory ‘d’: File exists\n",
        1,
    );
    expect(
        &sh.run("mkdir x/y"),
        "",
        "mkdir: cannot create directory ‘x/y’: No such file or directory\n",
        1,
    );
    expect(&sh.run("mkdir -p x/y && mkdir -p x/y"), "", "", 0);
    expect(
        &sh.run("mkdir"),
        "",
        "mkdir: missing operand\nTry 'mkdir --help' for more information.\n",
        1,
    );
    expect(
        &sh.run("touch q/r"),
        "",
        "touch: cannot touch 'q/r': No such file or directory\n",
        1,
    );
    expect(
        &sh.run("touch"),
        "",
        "touch: missing file operand\nTry 'touch --help' for more information.\n",
        1,
    );
    expect(
        &sh.run("rmdir x"),
        "",
        "rmdir: failed to remove 'x': Directory not empty\n",
        1,
    );
}

// ---- text utilities -------------------------------------------------------------------------

#[test]
fn echo_handles_n_and_e_flags_like_bash() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("echo -n a; echo b"), "ab\n");
    assert_eq!(sh.stdout("echo -e 'a\\tb\\nc'"), "a\tb\nc\n");
    assert_eq!(sh.stdout("echo 'a\\tb'"), "a\\tb\n");
    assert_eq!(sh.stdout("echo -x -n"), "-x -n\n");
    assert_eq!(sh.stdout("echo -e 'stop\\cnot'"), "stop");
}

#[test]
fn grep_selects_lines_with_gnu_options() {
    let mut sh = Shell::new();
    sh.session
        .write_file("f", "Apple\nbanana\ncherry pie\napple-tart\n");
    assert_eq!(sh.stdout("grep -i apple f"), "Apple\napple-tart\n");
    assert_eq!(sh.stdout("grep -v a f"), "Apple\ncherry pie\n");
    assert_eq!(sh.stdout("grep -c an f"), "1\n");
    assert_eq!(
        sh.stdout("grep -n -E 'pie|tart' f"),
        "3:cherry pie\n4:apple-tart\n"
    );
    assert_eq!(sh.stdout("grep -w apple f"), "apple-tart\n");
    assert_eq!(sh.stdout("grep -o 'an*' f"), "an\nan\na\na\na\n");
    assert_eq!(sh.stdout("grep '^[A-Z]' f"), "Apple\n");
    assert_eq!(sh.stdout("grep 'e\\(-\\| \\)' f"), "apple-tart\n");
    assert_eq!(sh.stdout("grep 'y\\(-\\| \\)' f"), "cherry pie\n");
    assert_eq!(sh.stdout("grep -x banana f"), "banana\n");
    assert_eq!(sh.stdout("grep -F 'a.' f; echo $?"), "1\n");
}

#[test]
fn grep_exit_codes_and_errors_follow_gnu_grep() {
    let mut sh = Shell::new();
    sh.session.write_file("f", "one\n");
    expect(&sh.run("grep two f"), "", "", 1);
    expect(
        &sh.run("grep one f nope"),
        "f:one\n",
        "grep: nope: No such file or directory\n",
        2,
    );
    expect(&sh.run("grep -q one f nope"), "", "", 0);
    expect(
        &sh.run("grep -q two f nope"),
        "",
        "grep: nope: No such file or directory\n",
        2,
    );
    expect(
        &sh.run("grep"),
        "",
        "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n",
        2,
    );
    expect(
        &sh.run("grep '[a' f"),
        "",
        "grep: Unmatched [, [^, [:, [., or [=\n",
        2,
    );
    expect(
        &sh.run("grep 'a\\)' f"),
        "",
        "grep: Unmatched ) or \\)\n",
        2,
    );
    expect(&sh.run("grep -E 'a)' f"), "", "", 1);
}

#[test]
fn grep_prints_context_lines_with_separators() {
    let mut sh = Shell::new();
    sh.session
        .write_file("f", "1\n2\nhit\n4\n5\n6\n7\nhit\n9\n");
    assert_eq!(sh.stdout("grep -A1 hit f"), "hit\n4\n--\nhit\n9\n");
    assert_eq!(
        sh.stdout("grep -n -B1 hit f"),
        "2-2\n3:hit\n--\n7-7\n8:hit\n"
    );
}

#[test]
fn head_and_tail_take_line_counts_in_every_spelling() {
    let mut sh = Shell::new();
    sh.run("seq 20 > n");
    assert_eq!(sh.stdout("head -3 n"), "1\n2\n3\n");
    assert_eq!(sh.stdout("head -n 2 n"), "1\n2\n");
    assert_eq!(sh.stdout("tail -n2 n"), "19\n20\n");
    assert_eq!(sh.stdout("tail -n +19 n"), "19\n20\n");
    assert_eq!(sh.stdout("head n | tail -1"), "10\n");
    assert_eq!(sh.stdout("head -n -18 n"), "1\n2\n");
    expect(
        &sh.run("head nope"),
        "",
        "head: cannot open 'nope' for reading: No such file or directory\n",
        1,
    );
    expect(
        &sh.run("tail -n x n"),
        "",
        "tail: invalid number of lines: ‘x’\n",
        1,
    );
    sh.session.write_file("m", "a\n");
    assert_eq!(sh.stdout("head -1 n m"), "==> n <==\n1\n\n==> m <==\na\n");
}

#[test]
fn wc_pads_counts_like_gnu_wc() {
    let mut sh = Shell::new();
    sh.session.write_file("w1", "a b\nc\n");
    assert_eq!(
        sh.stdout("printf 'a b\\nc\\n' | wc"),
        "      2       3       6\n"
    );
    assert_eq!(sh.stdout("printf 'a b\\nc\\n' | wc -l"), "2\n");
    assert_eq!(sh.stdout("wc -l w1"), "2 w1\n");
    assert_eq!(sh.stdout("wc w1"), "2 3 6 w1\n");
    assert_eq!(
        sh.stdout("wc -lw w1 w1"),
        " 2  3 w1\n 2  3 w1\n 4  6 total\n"
    );
    assert_eq!(sh.stdout("printf abc | wc -c"), "3\n");
    expect(
        &sh.run("wc nope"),
        "",
        "wc: nope: No such file or directory\n",
        1,
    );
}

#[test]
fn sort_and_uniq_order_and_count_lines() {
    let mut sh = Shell::new();
    sh.session.write_file("f", "b 2\na 10\nc 1\na 10\n");
    assert_eq!(sh.stdout("sort f"), "a 10\na 10\nb 2\nc 1\n");
    assert_eq!(sh.stdout("sort -u f"), "a 10\nb 2\nc 1\n");
    assert_eq!(sh.stdout("sort -r f | head -1"), "c 1\n");
    assert_eq!(sh.stdout("sort -k2 -n f"), "c 1\nb 2\na 10\na 10\n");
    assert_eq!(
        sh.stdout("sort f | uniq -c"),
        "      2 a 10\n      1 b 2\n      1 c 1\n"
    );
    assert_eq!(sh.stdout("sort f | uniq -d"), "a 10\n");
    expect(
        &sh.run("sort nope"),
        "",
        "sort: cannot read: nope: No such file or directory\n",
        2,
    );
    expect(
        &sh.run("uniq nope"),
        "",
        "uniq: nope: No such file or directory\n",
        1,
    );
}

#[test]
fn cut_tr_tee_and_seq_transform_text() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("echo a:b:c | cut -d: -f2"), "b\n");
    assert_eq!(sh.stdout("echo a:b:c | cut -d : -f 1,3"), "a:c\n");
    assert_eq!(sh.stdout("echo hello | cut -c2-3"), "el\n");
    assert_eq!(sh.stdout("echo abc | tr a-c A-C"), "ABC\n");
    assert_eq!(sh.stdout("echo 'a  b' | tr -s ' '"), "a b\n");
    assert_eq!(sh.stdout("echo hello | tr -d l"), "heo\n");
    assert_eq!(sh.stdout("echo Hi | tr '[:lower:]' '[:upper:]'"), "HI\n");
    assert_eq!(sh.stdout("echo x | tee t1 t2"), "x\n");
    assert_eq!(
        sh.stdout("echo y | tee -a t1 > /dev/null; cat t1 t2"),
        "x\ny\nx\n"
    );
    assert_eq!(sh.stdout("seq 3"), "1\n2\n3\n");
    assert_eq!(sh.stdout("seq 2 2 6"), "2\n4\n6\n");
    assert_eq!(sh.stdout("seq -s, 3"), "1,2,3\n");
    expect(
        &sh.run("cut"),
        "",
        "cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n",
        1,
    );
    expect(
        &sh.run("echo hi | cut -d ab -f1"),
        "",
        "cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n",
        1,
    );
    expect(
        &sh.run("tr"),
        "",
        "tr: missing operand\nTry 'tr --help' for more information.\n",
        1,
    );
    expect(
        &sh.run("seq"),
        "",
        "seq: missing operand\nTry 'seq --help' for more information.\n",
        1,
    );
    expect(
        &sh.run("seq x"),
        "",
        "seq: invalid floating point argument: ‘x’\nTry 'seq --help' for more information.\n",
        1,
    );
}

#[test]
fn xargs_appends_stdin_words_to_a_command() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("printf 'a\\nb\\n' | xargs"), "a b\n");
    assert_eq!(
        sh.stdout("printf 'a b c' | xargs -n 2 echo x"),
        "x a b\nx c\n"
    );
    assert_eq!(
        sh.stdout("printf 'p1\\np2\\n' | xargs -I {} echo pod/{}"),
        "pod/p1\npod/p2\n"
    );
    sh.run("echo pod/web-1 | xargs kubectl delete");
    assert_eq!(
        sh.last_call().argv,
        strings(&["kubectl", "delete", "pod/web-1"])
    );
    expect(
        &sh.run("echo | xargs -n x echo"),
        "",
        "xargs: invalid number \"x\" for -n option\nTry 'xargs --help' for more information.\n",
        1,
    );
}

#[test]
fn printf_formats_strings_numbers_and_reuses_the_format() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("printf '%s-%d\\n' x 5 y"), "x-5\ny-0\n");
    assert_eq!(
        sh.stdout("printf '%-5s|%3d|%05.1f\\n' ab 7 2.25"),
        "ab   |  7|002.2\n"
    );
}

// ---- session builtins ---------------------------------------------------------------------------

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
    assert_eq!(sh.stdout("alias"), "alias kgp='kubectl get pods'\n");
}

// ---- robustness -----------------------------------------------------------------------------

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

#[test]
fn random_input_never_panics_and_always_returns() {
    let alphabet: Vec<char> = "ab $(){}[]'\"\\|&;<>`~*?#=!-\n\t0129EOFcatgrepls>-_.:/%+heredoc한글"
        .chars()
        .collect();
    let words = [
        "cat <<EOF",
        "EOF",
        "echo ",
        "$(",
        ")",
        "${X:-",
        "}",
        "2>&1",
        "| grep ",
        "&& ",
        "'",
        "\"",
        "sudo ",
        "exit",
        "ssh worker1",
        "kubectl exec -it web-1 -- bash",
        "cd ..",
        "ls -l ",
        "xargs ",
        "$((",
        "))",
        "<<-",
        "<<<",
        "&>",
        "vi x",
        "history",
        "sort -k",
        "seq 5",
        "for i in ",
        "; do ",
        "done",
        "while ",
        "if ",
        "then ",
        "fi",
        "{ ",
        " }",
        "( ",
        "break",
        "read x",
    ];
    let mut rng = Lcg(7);
    let mut sh = Shell::new();
    for _ in 0..3000 {
        let mut line = String::new();
        let length = rng.next() % 24;
        for _ in 0..length {
            if rng.next().is_multiple_of(3) {
                line.push_str(words[(rng.next() as usize) % words.len()]);
            } else {
                line.push(alphabet[(rng.next() as usize) % alphabet.len()]);
            }
        }
        let output = sh.run(&line);
        assert!(output.stdout.len() <= MAX_OUTPUT && output.stderr.len() <= MAX_OUTPUT + 200);
        let _ = sh.session.prompt();
    }
}

#[test]
fn huge_outputs_and_pending_input_are_capped() {
    let mut sh = Shell::new();
    let output = sh.run("seq 1000000 | sort -n | sort -rn | head -1");
    assert_eq!(output.stdout, "100000\n", "seq stops at its line budget");
    let output = sh.run("cat <<EOF");
    assert!(output.continuation);
    let chunk = "x".repeat(64 * 1024);
    let mut dropped = false;
    for _ in 0..40 {
        let output = sh.run(&chunk);
        if !output.continuation {
            dropped = true;
            assert!(
                output.stderr.contains("input too long"),
                "{}",
                output.stderr
            );
            break;
        }
    }
    assert!(dropped, "an endless heredoc must be dropped at the budget");
    assert_eq!(sh.session.prompt(), "user@master:~$ ");
}

#[test]
fn regex_budget_turns_pathological_patterns_into_no_match() {
    let regex = super::regex::Regex::new("(a*)*b", super::regex::Syntax::Extended, false);
    let Ok(regex) = regex else {
        panic!("the pattern compiles");
    };
    let text: Vec<char> = "a".repeat(5000).chars().collect();
    assert!(!regex.is_match(&text));
    let long_line: Vec<char> = format!("{}needle", "x".repeat(100_000)).chars().collect();
    let regex = super::regex::Regex::new(".*needle", super::regex::Syntax::Basic, false);
    assert!(regex.is_ok_and(|r| r.is_match(&long_line)));
}

#[test]
fn brace_expansion_makes_lists_and_ranges_before_other_expansions() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("echo {a,b}x pre{1..3} {05..10..2} {c..a} {x,{y,z}} {} {.items..a} \"{a,b}\""),
        "ax bx pre1 pre2 pre3 05 07 09 c b a x y z {} {.items..a} {a,b}\n"
    );
    assert_eq!(sh.stdout("for i in {1..3}; do echo -n $i; done"), "123");
    assert_eq!(sh.stdout("echo {1..100000} | wc -w"), "10000\n");
}

#[test]
fn tilde_names_a_users_home() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("echo ~root ~user/x ~nobody"),
        "/root /home/user/x ~nobody\n"
    );
}

#[test]
fn cat_a_shows_line_ends_and_tabs() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("printf 'a\\tb\\n' | cat -A"), "a^Ib$\n");
}

#[test]
fn sort_key_modifiers_act_like_global_flags() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("printf 'b 2\\na 10\\nc 1\\n' | sort -t' ' -k2,2n"),
        "c 1\nb 2\na 10\n"
    );
    assert_eq!(
        sh.stdout("printf 'b 2\\na 10\\nc 1\\n' | sort -k2nr"),
        "a 10\nb 2\nc 1\n"
    );
}

#[test]
fn tac_reverses_lines() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("seq 3 | tac"), "3\n2\n1\n");
}

// Expected outputs of the sed tests: GNU sed 4.9 on the same input.
fn sed_shell() -> Shell {
    let mut sh = Shell::new();
    sh.session
        .write_file("d.yaml", "replicas: 1\nimage: nginx\nname: web\n");
    sh
}

#[test]
fn sed_substitutes_with_groups_ampersand_and_occurrences() {
    let mut sh = sed_shell();
    assert_eq!(
        sh.stdout("sed 's/replicas: 1/replicas: 3/' d.yaml"),
        "replicas: 3\nimage: nginx\nname: web\n"
    );
    assert_eq!(
        sh.stdout("sed 's/\\(.*\\): \\(.*\\)/\\2=\\1/' d.yaml"),
        "1=replicas\nnginx=image\nweb=name\n"
    );
    assert_eq!(
        sh.stdout("sed -E 's/([a-z]+): (.*)/\\2 <- \\1/' d.yaml"),
        "1 <- replicas\nnginx <- image\nweb <- name\n"
    );
    assert_eq!(
        sh.stdout("sed 's/e/[&]/2' d.yaml"),
        "replicas: 1\nimage: nginx\nname: w[e]b\n"
    );
    assert_eq!(sh.stdout("echo pod/web-1 | sed 's/.*\\///'"), "web-1\n");
    assert_eq!(sh.stdout("echo abc | sed 's/b*/X/g'"), "XaXcX\n");
    assert_eq!(sh.stdout("printf 'a\\nb' | sed 's/b/c/'"), "a\nc");
}

#[test]
fn sed_addresses_select_lines_and_commands_print_delete_and_quit() {
    let mut sh = sed_shell();
    assert_eq!(sh.stdout("sed -n '/image/p' d.yaml"), "image: nginx\n");
    assert_eq!(sh.stdout("sed '2d' d.yaml"), "replicas: 1\nname: web\n");
    assert_eq!(
        sh.stdout("sed -n '2,3p' d.yaml"),
        "image: nginx\nname: web\n"
    );
    assert_eq!(sh.stdout("sed '/image/,$d' d.yaml"), "replicas: 1\n");
    assert_eq!(sh.stdout("sed '1!d' d.yaml"), "replicas: 1\n");
    assert_eq!(sh.stdout("sed 2q d.yaml"), "replicas: 1\nimage: nginx\n");
    assert_eq!(sh.stdout("sed = d.yaml | head -2"), "1\nreplicas: 1\n");
    assert_eq!(
        sh.stdout("sed 'a ---' d.yaml"),
        "replicas: 1\n---\nimage: nginx\n---\nname: web\n---\n"
    );
    assert_eq!(
        sh.stdout("sed 'y/abc/xyz/' d.yaml | head -1"),
        "replizxs: 1\n"
    );
}

#[test]
fn sed_i_edits_the_file_in_place() {
    let mut sh = sed_shell();
    expect(&sh.run("sed -i 's/nginx/httpd/' d.yaml"), "", "", 0);
    assert_eq!(
        sh.session.read_file("d.yaml").as_deref(),
        Some("replicas: 1\nimage: httpd\nname: web\n")
    );
}

#[test]
fn sed_reports_script_errors_with_gnu_positions() {
    let mut sh = sed_shell();
    expect(
        &sh.run("echo hello | sed 's/x/y'"),
        "",
        "sed: -e expression #1, char 5: unterminated `s' command\n",
        1,
    );
    expect(
        &sh.run("echo hello | sed 'k'"),
        "",
        "sed: -e expression #1, char 1: unknown command: `k'\n",
        1,
    );
    expect(
        &sh.run("echo hi | sed 's/\\(h\\)/\\2/'"),
        "",
        "sed: -e expression #1, char 11: invalid reference \\2 on `s' command's RHS\n",
        1,
    );
    expect(
        &sh.run("sed p nope"),
        "",
        "sed: can't read nope: No such file or directory\n",
        2,
    );
}

// Expected outputs of the awk tests: mawk 1.3.4 (Ubuntu's awk) on the same input.
fn awk_shell() -> Shell {
    let mut sh = Shell::new();
    sh.session.write_file(
        "pods",
        "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          5s\ndb-1    0/1     Pending   2          7m\n",
    );
    sh
}

#[test]
fn awk_prints_fields_of_selected_records() {
    let mut sh = awk_shell();
    assert_eq!(sh.stdout("awk '{print $1}' pods"), "NAME\nweb-1\ndb-1\n");
    assert_eq!(
        sh.stdout("awk 'NR>1 {print $1, $3}' pods"),
        "web-1 Running\ndb-1 Pending\n"
    );
    assert_eq!(sh.stdout("awk '/Running/ {print $1}' pods"), "web-1\n");
    assert_eq!(
        sh.stdout("awk '$3 == \"Pending\" {print $1 \" is pending\"}' pods"),
        "db-1 is pending\n"
    );
    assert_eq!(
        sh.stdout("awk '{print NF, $NF}' pods"),
        "5 AGE\n5 5s\n5 7m\n"
    );
    assert_eq!(
        sh.stdout("awk -F/ 'NR>1 {print $1}' pods"),
        "web-1   1\ndb-1    0\n"
    );
    assert_eq!(
        sh.stdout("kubectl get pods | awk 'NR>1 {print $1}'"),
        "web-1\ndb-1\n"
    );
    assert_eq!(
        sh.stdout("awk '$1 !~ /^web/ {print $1}' pods"),
        "NAME\ndb-1\n"
    );
    assert_eq!(
        sh.stdout("awk 'NR==1 || /db/ {print $1}' pods"),
        "NAME\ndb-1\n"
    );
}

#[test]
fn awk_computes_with_variables_begin_and_end() {
    let mut sh = awk_shell();
    assert_eq!(
        sh.stdout("awk 'NR>1 {sum += $4} END {print \"restarts:\", sum}' pods"),
        "restarts: 2\n"
    );
    assert_eq!(
        sh.stdout("awk 'BEGIN {print \"start\"} END {print NR}' pods"),
        "start\n3\n"
    );
    assert_eq!(sh.stdout("awk '{n++} END {print n}' pods"), "3\n");
    assert_eq!(
        sh.stdout("awk '{ if ($4 > 0) print $1; else print \"-\" }' pods"),
        "NAME\n-\ndb-1\n"
    );
    assert_eq!(
        sh.stdout("awk 'NR==2 {print length($1), toupper($3), substr($1, 1, 3)}' pods"),
        "5 RUNNING web\n"
    );
    assert_eq!(
        sh.stdout("awk -v x=5 'BEGIN {print x * 2, x / 4, 7 % 3}'"),
        "10 1.25 1\n"
    );
    assert_eq!(
        sh.stdout("awk 'BEGIN {printf \"%-5s|%3d|%.2f\\n\", \"ab\", 7, 3.14159}'"),
        "ab   |  7|3.14\n"
    );
    assert_eq!(
        sh.stdout("echo 'x y z' | awk '{$2 = \"\"; print}'"),
        "x  z\n"
    );
}

#[test]
fn awk_reports_program_and_file_errors_like_mawk() {
    let mut sh = awk_shell();
    expect(
        &sh.run("awk '{print $1' pods"),
        "",
        "awk: line 2: missing } near end of file\n",
        2,
    );
    expect(
        &sh.run("awk 1 nope"),
        "",
        "awk: cannot open nope (No such file or directory)\n",
        2,
    );
}

#[test]
fn random_patterns_and_scripts_never_panic_the_mini_languages() {
    let alphabet: Vec<char> = "ab()[]{}*+?|\\^$.-,0123456789:/&!~=<>\"' ;nNpdqsyEF{}$"
        .chars()
        .collect();
    let mut rng = Lcg(11);
    let mut sh = Shell::new();
    sh.session
        .write_file("f", "alpha beta\ngamma 42\n\tdelta (x)\n");
    for round in 0..1500 {
        let mut text = String::new();
        for _ in 0..(rng.next() % 14) {
            text.push(alphabet[(rng.next() as usize) % alphabet.len()]);
        }
        let quoted = text.replace('\'', "'\\''");
        let line = match round % 6 {
            0 => format!("grep -E '{quoted}' f"),
            1 => format!("grep '{quoted}' f"),
            2 => format!("sed '{quoted}' f"),
            3 => format!("sed -E 's/{quoted}/x/g' f"),
            4 => format!("awk '{quoted}' f"),
            _ => format!("awk '{{print {quoted}}}' f"),
        };
        let output = sh.run(&line);
        assert!(output.stdout.len() <= MAX_OUTPUT, "{line}");
    }
}
