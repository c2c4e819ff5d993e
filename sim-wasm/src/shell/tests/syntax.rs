//! Parsing and expansion: quoting, lists, pipes, compound commands, heredocs,
//! redirections, parameters, substitutions, braces, tildes and globs.

use super::*;

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
fn windows_line_ends_in_pasted_text_are_ignored() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("echo one\r\necho two\r\n"), "one\ntwo\n");
}

#[test]
fn arithmetic_follows_c_precedence_and_bash_literals() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("x=3; echo $(( 2 ** 10 )) $(( 7 > 3 && 1 )) $(( 0x10 )) $(( 010 )) $(( 1 ? 2 : 3 )) $(( x * 2 + y ))"),
        "1024 1 16 8 2 6\n"
    );
}

#[test]
fn an_arithmetic_error_abandons_the_rest_of_the_line_like_bash() {
    let mut sh = Shell::new();
    expect(
        &sh.run("echo $((1/0)); echo next"),
        "",
        "bash: 1/0: division by 0 (error token is \"0\")\n",
        1,
    );
    expect(
        &sh.run("echo $(( 5 % 0 ))"),
        "",
        "bash: 5 % 0 : division by 0 (error token is \"0 \")\n",
        1,
    );
    expect(
        &sh.run("echo $((1 +))"),
        "",
        "bash: 1 +: syntax error: operand expected (error token is \"+\")\n",
        1,
    );
    assert_eq!(sh.stdout("echo after"), "after\n");
}

#[test]
fn process_substitution_names_a_file_holding_the_output() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("cat <(echo hi) <(echo there)"), "hi\nthere\n");
    assert_eq!(sh.stdout("echo <(true)"), "/dev/fd/63\n");
    expect(&sh.run("source <(kubectl completion bash)"), "", "", 0);
    expect(
        &sh.run("complete -o default -F __start_kubectl k"),
        "",
        "",
        0,
    );
}

#[test]
fn a_long_heredoc_typed_line_by_line_is_collected_without_reparsing() {
    let mut sh = Shell::new();
    assert!(sh.run("cat <<-EOF > big.yaml").continuation);
    for number in 0..20_000 {
        let output = sh.run(&format!("\tline: {number}"));
        assert!(output.continuation);
    }
    assert!(!sh.run("\tEOF").continuation);
    let text = sh.session.read_file("big.yaml").unwrap_or_default();
    assert_eq!(text.lines().count(), 20_000);
    assert!(text.starts_with("line: 0\nline: 1\n"));
}

#[test]
fn ctrl_c_drops_an_unfinished_command() {
    let mut sh = Shell::new();
    assert!(sh.run("cat <<EOF").continuation);
    assert!(sh.session.cancel_pending());
    assert_eq!(sh.session.prompt(), "user@master:~$ ");
    assert_eq!(sh.stdout("echo $?"), "130\n");
    assert!(!sh.session.cancel_pending());
}

#[test]
fn unquoted_expansions_are_globbed_and_quoted_ones_are_not() {
    let mut sh = Shell::new();
    sh.run("touch a.yaml b.yaml");
    assert_eq!(
        sh.stdout("F='*.yaml'; echo $F \"$F\""),
        "a.yaml b.yaml *.yaml\n"
    );
}

#[test]
fn bash_special_variables_have_values() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("echo $UID $EUID [$!]"), "1000 1000 []\n");
    sh.run("sleep 5 &");
    assert_eq!(sh.run("echo $! $SECONDS").stdout, "4301 5\n");
    let first = sh.stdout("echo $RANDOM $RANDOM");
    let mut other = Shell::new();
    assert_eq!(
        other.stdout("echo $RANDOM $RANDOM"),
        first,
        "RANDOM is reproducible"
    );
    assert!(
        first
            .split_whitespace()
            .all(|n| n.parse::<u32>().is_ok_and(|n| n < 32768))
    );
    sh.run("sudo -i");
    assert_eq!(sh.stdout("echo $UID"), "0\n");
}
