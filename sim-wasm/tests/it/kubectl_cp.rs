//! `kubectl cp` both ways: the copied file is visible to `kubectl exec ... cat` and to the
//! student's shell; tar's and exec's messages; argument errors compared with the real
//! kubectl 1.32 (it checks them before contacting a server).

use crate::real_kubectl::assert_same_as_real;
use crate::support::{cluster, ok, run};
use sim_wasm::Cluster;

/// A cluster with a running nginx pod `web` (GNU tar) and a busybox pod `bb` (BusyBox tar)
/// and a file `a.txt` in the student's home.
fn with_pods() -> Cluster {
    let mut c = cluster();
    ok(&mut c, "kubectl run web --image=nginx");
    ok(&mut c, "kubectl run bb --image=busybox -- sleep 3600");
    ok(&mut c, "kubectl wait --for=condition=Ready pod/web pod/bb");
    ok(&mut c, "echo hello > a.txt");
    c
}

#[test]
fn a_file_copied_into_a_pod_is_what_cat_prints_there() {
    let mut c = with_pods();
    assert_eq!(ok(&mut c, "kubectl cp a.txt web:/tmp/a.txt"), "");
    assert_eq!(ok(&mut c, "kubectl exec web -- cat /tmp/a.txt"), "hello\n");
    assert_eq!(ok(&mut c, "kubectl exec web -- ls /tmp"), "a.txt\n");
}

#[test]
fn copying_into_an_existing_directory_keeps_the_files_name() {
    let mut c = with_pods();
    ok(&mut c, "kubectl cp a.txt web:/tmp");
    assert_eq!(ok(&mut c, "kubectl exec web -- cat /tmp/a.txt"), "hello\n");
}

#[test]
fn a_relative_pod_path_is_relative_to_the_containers_working_directory() {
    let mut c = with_pods();
    ok(&mut c, "kubectl run go --image=gasbugs/http-go");
    ok(&mut c, "kubectl wait --for=condition=Ready pod/go");
    ok(&mut c, "kubectl cp a.txt go:notes.txt");
    assert_eq!(
        ok(&mut c, "kubectl exec go -- cat /usr/src/app/notes.txt"),
        "hello\n"
    );
    assert_eq!(ok(&mut c, "kubectl exec go -- ls"), "main\nnotes.txt\n");
}

#[test]
fn copying_out_of_a_pod_prints_tars_warning_on_stdout_and_writes_the_local_file() {
    let mut c = with_pods();
    let (out, err, code) = run(&mut c, "kubectl cp web:/etc/hostname host.txt");
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("tar: Removing leading `/' from member names\n", "", 0)
    );
    assert_eq!(ok(&mut c, "cat host.txt"), "web\n");
    assert_eq!(c.read_file("host.txt").as_deref(), Some("web\n"));
}

#[test]
fn a_relative_source_path_has_no_leading_slash_to_remove() {
    let mut c = with_pods();
    ok(&mut c, "kubectl cp a.txt web:/tmp/a.txt");
    let (out, _, code) = run(&mut c, "kubectl cp web:tmp/a.txt back.txt");
    assert_eq!((out.as_str(), code), ("", 0));
    assert_eq!(ok(&mut c, "cat back.txt"), "hello\n");
}

#[test]
fn busybox_tar_words_its_warning_in_lower_case() {
    let mut c = with_pods();
    let out = ok(&mut c, "kubectl cp bb:/etc/hosts hosts");
    assert_eq!(out, "tar: removing leading '/' from member names\n");
    assert!(ok(&mut c, "cat hosts").starts_with("# Kubernetes-managed hosts file."));
}

#[test]
fn directories_go_in_with_their_name_and_come_out_as_their_contents() {
    let mut c = with_pods();
    ok(
        &mut c,
        "mkdir -p d/sub && echo 1 > d/one && echo 2 > d/sub/two && mkdir d/empty",
    );
    ok(&mut c, "kubectl cp d web:/tmp");
    assert_eq!(
        ok(&mut c, "kubectl exec web -- ls /tmp/d"),
        "empty\none\nsub\n"
    );
    assert_eq!(ok(&mut c, "kubectl exec web -- cat /tmp/d/sub/two"), "2\n");
    // kubectl strips the source directory's own name: `out` receives what `d` held.
    ok(&mut c, "kubectl cp web:/tmp/d out");
    assert_eq!(ok(&mut c, "ls out"), "empty  one  sub\n");
    assert_eq!(ok(&mut c, "cat out/sub/two"), "2\n");
}

#[test]
fn a_namespace_prefix_and_the_container_flag_choose_the_target() {
    let mut c = with_pods();
    ok(&mut c, "kubectl create namespace blue");
    ok(&mut c, "kubectl run web --image=nginx -n blue");
    ok(&mut c, "kubectl wait --for=condition=Ready pod/web -n blue");
    ok(&mut c, "kubectl cp a.txt blue/web:/tmp/blue.txt -c web");
    assert_eq!(
        ok(&mut c, "kubectl exec web -n blue -- cat /tmp/blue.txt"),
        "hello\n"
    );
    let (_, err, code) = run(&mut c, "kubectl exec web -- cat /tmp/blue.txt");
    assert_eq!(
        code, 1,
        "the default namespace's web has no such file: {err}"
    );
    ok(&mut c, "kubectl cp a.txt web:/tmp/ns-flag.txt -n blue");
    assert_eq!(
        ok(&mut c, "kubectl exec web -n blue -- cat /tmp/ns-flag.txt"),
        "hello\n"
    );
}

#[test]
fn a_missing_file_in_the_pod_prints_tars_errors_and_still_exits_zero() {
    let mut c = with_pods();
    let (out, err, code) = run(&mut c, "kubectl cp web:/tmp/nope got.txt");
    assert_eq!(
        out,
        "tar: Removing leading `/' from member names\ntar: /tmp/nope: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n"
    );
    assert_eq!((err.as_str(), code), ("", 0));
    assert!(c.read_file("got.txt").is_none());
    let (out, _, code) = run(&mut c, "kubectl cp bb:/nope got.txt");
    assert_eq!(
        (out.as_str(), code),
        (
            "tar: /nope: No such file or directory\ntar: error exit delayed from previous errors\n",
            0
        )
    );
}

#[test]
fn a_missing_directory_in_the_pod_is_tars_fatal_error_with_execs_exit_code() {
    let mut c = with_pods();
    let (out, err, code) = run(&mut c, "kubectl cp a.txt web:/nodir/a.txt");
    assert_eq!(out, "");
    assert_eq!(
        err,
        "tar: /nodir: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\ncommand terminated with exit code 2\n"
    );
    assert_eq!(code, 2);
    let (_, err, code) = run(&mut c, "kubectl cp a.txt bb:/nodir/a.txt");
    assert_eq!(
        (err.as_str(), code),
        (
            "tar: can't change directory to '/nodir': No such file or directory\ncommand terminated with exit code 1\n",
            1
        )
    );
}

#[test]
fn copying_a_file_out_onto_a_local_directory_is_gos_open_error() {
    let mut c = with_pods();
    let (out, err, code) = run(&mut c, "kubectl cp web:/etc/hosts /tmp");
    assert_eq!(out, "tar: Removing leading `/' from member names\n");
    assert_eq!(
        (err.as_str(), code),
        ("error: open /tmp: is a directory\n", 1)
    );
}

#[test]
fn an_image_without_tar_fails_the_way_cri_dockerd_reports_it() {
    let mut c = with_pods();
    ok(
        &mut c,
        "kubectl run dns --image=registry.k8s.io/coredns/coredns:v1.11.3",
    );
    ok(&mut c, "kubectl wait --for=condition=Ready pod/dns");
    let (out, err, code) = run(&mut c, "kubectl cp a.txt dns:/tmp");
    assert_eq!(
        out,
        "OCI runtime exec failed: exec failed: unable to start container process: exec: \"tar\": executable file not found in $PATH: unknown\n"
    );
    assert_eq!(
        (err.as_str(), code),
        ("command terminated with exit code 126\n", 126)
    );
    let (out, err, code) = run(&mut c, "kubectl cp dns:/etc/hosts h");
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("", "command terminated with exit code 126\n", 126)
    );
}

#[test]
fn pods_that_cannot_exec_fail_like_kubectl_exec() {
    let mut c = with_pods();
    let (_, err, code) = run(&mut c, "kubectl cp a.txt nope:/tmp");
    assert_eq!(
        (err.as_str(), code),
        ("Error from server (NotFound): pods \"nope\" not found\n", 1)
    );
    let (_, err, code) = run(&mut c, "kubectl cp a.txt web:/tmp -c sidecar");
    assert_eq!(
        (err.as_str(), code),
        ("error: container sidecar is not valid for pod web\n", 1)
    );
    let (_, err, _) = run(&mut c, "kubectl cp nope.txt web:/tmp");
    assert_eq!(err, "error: nope.txt doesn't exist in local filesystem\n");
}

#[test]
fn argument_errors_are_the_real_kubectls() {
    let mut c = cluster();
    assert_same_as_real(
        &mut c,
        "cp-args",
        &[
            "cp",
            "cp a",
            "cp a b c",
            "cp a b",
            "cp a:x b:y",
            "cp :x b",
            "cp ns/pod/extra:x y",
            "cp pod: x",
            "cp missing.txt pod:/tmp",
            "cp a b --bogus",
        ],
    );
}

#[test]
fn a_shell_opened_in_the_container_sees_the_copied_file() {
    let mut c = with_pods();
    ok(&mut c, "kubectl cp a.txt bb:/tmp/a.txt");
    ok(&mut c, "kubectl exec -it bb -- sh");
    assert_eq!(ok(&mut c, "cat /tmp/a.txt"), "hello\n");
    assert_eq!(ok(&mut c, "grep -c hello /tmp/a.txt"), "1\n");
    assert_eq!(ok(&mut c, "ls /tmp"), "a.txt\n");
    // Relative to the shell's directory, like any file there.
    ok(&mut c, "cd /tmp");
    assert_eq!(ok(&mut c, "cat a.txt"), "hello\n");
    assert_eq!(ok(&mut c, "ls"), "a.txt\n");
}

#[test]
fn a_completed_or_unstarted_pod_cannot_run_tar() {
    let mut c = with_pods();
    ok(
        &mut c,
        "kubectl run once --image=busybox --restart=Never -- true",
    );
    ok(&mut c, "sleep 30");
    let (_, err, code) = run(&mut c, "kubectl cp a.txt once:/tmp");
    assert_eq!(
        (err.as_str(), code),
        (
            "error: cannot exec into a container in a completed pod; current phase is Succeeded\n",
            1
        )
    );
    ok(&mut c, "kubectl run late --image=nginx");
    let (_, err, code) = run(&mut c, "kubectl cp late:/etc/hosts h");
    assert_eq!(
        (err.as_str(), code),
        (
            "error: unable to upgrade connection: container not found (\"late\")\n",
            1
        )
    );
}

#[test]
fn copying_out_of_a_pod_with_two_containers_names_the_default_one_on_stdout() {
    let mut c = with_pods();
    c.write_file(
        "two.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: two\nspec:\n  containers:\n  - name: web\n    image: nginx\n  - name: side\n    image: busybox\n    command: [\"sleep\", \"3600\"]\n",
    );
    ok(&mut c, "kubectl apply -f two.yaml");
    ok(&mut c, "kubectl wait --for=condition=Ready pod/two");
    let (out, err, code) = run(&mut c, "kubectl cp two:/etc/hostname h");
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        (
            "Defaulted container \"web\" out of: web, side\ntar: Removing leading `/' from member names\n",
            "",
            0
        )
    );
    // Into the pod the line goes to stderr, and -c picks the other container.
    let (_, err, _) = run(&mut c, "kubectl cp a.txt two:/tmp/a.txt");
    assert_eq!(err, "Defaulted container \"web\" out of: web, side\n");
    let (out, err, code) = run(&mut c, "kubectl cp a.txt two:/tmp/b.txt -c side");
    assert_eq!((out.as_str(), err.as_str(), code), ("", "", 0));
    assert_eq!(
        ok(&mut c, "kubectl exec two -c side -- cat /tmp/b.txt"),
        "hello\n"
    );
}
