//! Text utilities against GNU coreutils, grep, sed and mawk outputs: `echo`, `grep`,
//! `head`, `tail`, `wc`, `sort`, `uniq`, `cut`, `tr`, `tee`, `seq`, `xargs`, `printf`,
//! `tac`, `sed`, `awk`.

use super::*;

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
fn awk_field_separator_understands_escapes() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("printf 'a\\tb c\\n' | awk -F'\\t' '{print $2}'"),
        "b c\n"
    );
}

#[test]
fn grep_max_count_perl_digits_and_gnu_38_warnings() {
    let mut sh = Shell::new();
    sh.session.write_file("g", "aa\nabc\nx1\n");
    assert_eq!(sh.stdout("grep -m1 a g"), "aa\n");
    assert_eq!(sh.stdout("grep -P '\\d' g"), "x1\n");
    expect(&sh.run("grep '\\d' g"), "", "", 1);
    expect(
        &sh.run("grep -E '*a' g"),
        "aa\nabc\n",
        "grep: warning: * at start of expression\n",
        0,
    );
    expect(
        &sh.run("grep -E 'x|+1' g"),
        "x1\n",
        "grep: warning: + at start of expression\n",
        0,
    );
    expect(
        &sh.run("grep '[' g"),
        "",
        "grep: Invalid regular expression\n",
        2,
    );
}

#[test]
fn base64_encodes_wraps_and_decodes_like_coreutils() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("echo -n admin | base64"), "YWRtaW4=\n");
    assert_eq!(sh.stdout("echo YWRtaW4= | base64 -d"), "admin");
    assert_eq!(
        sh.stdout("echo -n 'a longer string that wraps at seventy six characters for sure because it is long enough yes' | base64"),
        "YSBsb25nZXIgc3RyaW5nIHRoYXQgd3JhcHMgYXQgc2V2ZW50eSBzaXggY2hhcmFjdGVycyBmb3Ig\nc3VyZSBiZWNhdXNlIGl0IGlzIGxvbmcgZW5vdWdoIHllcw==\n"
    );
    expect(
        &sh.run("echo 'bad!' | base64 -d"),
        "m\u{fffd}",
        "base64: invalid input\n",
        1,
    );
}

// Expected outputs of the diff tests: GNU diffutils 3.8 on the same files.
#[test]
fn diff_prints_normal_and_unified_hunks_like_gnu_diff() {
    let mut sh = Shell::new();
    sh.session.write_file("x", "a\nb\nc\nd\n");
    sh.session.write_file("y", "a\nc\nd\ne\n");
    sh.session
        .write_file("p1", "replicas: 1\nimage: nginx\nport: 80\n");
    sh.session
        .write_file("p2", "replicas: 3\nimage: nginx\nport: 80\nextra: 1\n");
    expect(&sh.run("diff x y"), "2d1\n< b\n4a4\n> e\n", "", 1);
    expect(
        &sh.run("diff p1 p2"),
        "1c1\n< replicas: 1\n---\n> replicas: 3\n3a4\n> extra: 1\n",
        "",
        1,
    );
    expect(&sh.run("diff x x"), "", "", 0);
    expect(
        &sh.run("diff -u x y"),
        "--- x\t2026-11-26 09:00:00.000000000 +0000\n+++ y\t2026-11-26 09:00:00.000000000 +0000\n@@ -1,4 +1,4 @@\n a\n-b\n c\n d\n+e\n",
        "",
        1,
    );
    expect(
        &sh.run("diff <(echo a) <(echo b)"),
        "1c1\n< a\n---\n> b\n",
        "",
        1,
    );
    expect(
        &sh.run("diff x nope"),
        "",
        "diff: nope: No such file or directory\n",
        2,
    );
}

#[test]
fn column_paste_rev_and_nl_shape_lines_like_their_gnu_versions() {
    let mut sh = Shell::new();
    assert_eq!(
        sh.stdout("printf 'NAME READY STATUS\\nweb-1 1/1 Running\\ndb 0/1 Pending\\n' | column -t"),
        "NAME   READY  STATUS\nweb-1  1/1    Running\ndb     0/1    Pending\n"
    );
    assert_eq!(
        sh.stdout("printf 'a:b\\nccc:d\\n' | column -t -s:"),
        "a    b\nccc  d\n"
    );
    assert_eq!(sh.stdout("printf 'a\\nb\\nc\\n' | paste -sd, -"), "a,b,c\n");
    assert_eq!(
        sh.stdout("printf 'x\\ny\\n' > p1; printf '1\\n2\\n' > p2; paste p1 p2"),
        "x\t1\ny\t2\n"
    );
    assert_eq!(sh.stdout("echo abc | rev"), "cba\n");
    assert_eq!(
        sh.stdout("printf 'a\\n\\nb\\n' | nl"),
        "     1\ta\n       \n     2\tb\n"
    );
    assert_eq!(sh.stdout("echo -e '\\u00e9'"), "é\n");
}
