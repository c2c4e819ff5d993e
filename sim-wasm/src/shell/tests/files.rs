//! Files and directories: paths relative to the working directory, `cd`, `cat`, `ls`,
//! `rm`, `cp`, `mv`, `mkdir`, `touch`, `rmdir`.

use super::*;

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
#[test]
fn cat_a_shows_line_ends_and_tabs() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("printf 'a\\tb\\n' | cat -A"), "a^Ib$\n");
}

#[test]
fn ubuntus_ll_alias_lists_everything_with_type_marks() {
    let mut sh = Shell::new();
    sh.run("mkdir dir; touch a.yaml");
    assert_eq!(
        sh.stdout("ll"),
        "total 12\n\
         drwxrwxr-x 3 user user 4096 Nov 26 09:00 ./\n\
         drwxr-xr-x 3 root root 4096 Nov 26 09:00 ../\n\
         -rw-rw-r-- 1 user user    0 Nov 26 09:00 a.yaml\n\
         drwxrwxr-x 2 user user 4096 Nov 26 09:00 dir/\n"
    );
    assert_eq!(sh.stdout("ls -F"), "a.yaml\tdir/\n");
}

#[test]
fn rm_rv_names_each_removal_innermost_first_and_dev_null_reads_empty() {
    let mut sh = Shell::new();
    sh.run("mkdir -p t/u; touch t/a t/b");
    assert_eq!(
        sh.stdout("rm -rv t"),
        "removed 't/a'\nremoved 't/b'\nremoved directory 't/u'\nremoved directory 't'\n"
    );
    expect(&sh.run("grep -c x /dev/null"), "0\n", "", 1);
    assert_eq!(sh.stdout("cat /dev/null | wc -l"), "0\n");
}

#[test]
fn directories_the_system_provides_can_be_listed_entered_and_read() {
    let mut sh = Shell::new();
    assert_eq!(sh.stdout("ls /etc/cni/net.d"), "10-calico.conflist\n");
    assert_eq!(
        sh.stdout("ls -l /etc/cni/net.d"),
        "total 4\n-rw-r--r-- 1 root root 32 Nov 26 09:00 10-calico.conflist\n"
    );
    assert_eq!(
        sh.stdout("cd /etc/cni/net.d; pwd; cat 10-calico.conflist | grep name"),
        "/etc/cni/net.d\n  \"name\": \"k8s-pod-network\"\n"
    );
    assert_eq!(sh.session.prompt(), "user@master:/etc/cni/net.d$ ");
    expect(
        &sh.run("cd /etc/nothing"),
        "",
        "bash: cd: /etc/nothing: No such file or directory\n",
        1,
    );
}

#[test]
fn find_walks_directories_with_name_type_and_depth_filters() {
    let mut sh = Shell::new();
    sh.run("mkdir -p fdemo/sub && touch fdemo/a.yaml fdemo/sub/b.yaml fdemo/c.txt; cd fdemo");
    assert_eq!(
        sh.stdout("find . -name '*.yaml'"),
        "./a.yaml\n./sub/b.yaml\n"
    );
    assert_eq!(sh.stdout("find . -type d"), ".\n./sub\n");
    assert_eq!(sh.stdout("find . -maxdepth 1 -name '*.yaml'"), "./a.yaml\n");
    assert_eq!(sh.stdout("find sub"), "sub\nsub/b.yaml\n");
    expect(
        &sh.run("find nope"),
        "",
        "find: ‘nope’: No such file or directory\n",
        1,
    );
}

#[test]
fn globs_with_many_stars_stay_cheap() {
    let mut sh = Shell::new();
    sh.run(&format!("touch {}", "a".repeat(200)));
    assert_eq!(
        sh.stdout(&format!("echo {}b | wc -c", "*a".repeat(30))),
        "62\n"
    );
}
