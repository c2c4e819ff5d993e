//! `kubectl port-forward`: kubectl 1.32's `Forwarding from` lines, its errors in the order it
//! checks them, and `curl localhost:PORT` on the node reaching the pod while the forward
//! lasts (until Ctrl+C). Argument errors are compared with the real kubectl.

use crate::real_kubectl::assert_same_as_real;
use crate::support::{cluster, ok, run};
use sim_wasm::Cluster;

/// A cluster with the course's http-go pod `go`, an nginx deployment `web` (2 replicas) and
/// its service `web` (8080 → 80, named `http`).
fn with_apps() -> Cluster {
    let mut c = cluster();
    ok(&mut c, "kubectl run go --image=gasbugs/http-go --port=8080");
    ok(
        &mut c,
        "kubectl create deployment web --image=nginx --replicas=2 --port=80",
    );
    ok(
        &mut c,
        "cat > svc.yaml <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 8080\n    targetPort: 80\nEOF",
    );
    ok(&mut c, "kubectl apply -f svc.yaml");
    ok(&mut c, "kubectl wait --for=condition=Ready pod --all");
    c
}

/// The real output of a forward, without the Korean hint that follows it.
fn forwarding(out: &str) -> String {
    out.lines()
        .filter(|l| !l.starts_with("힌트:"))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn a_pod_port_is_forwarded_on_both_loopback_addresses() {
    let mut c = with_apps();
    let out = ok(&mut c, "kubectl port-forward pod/go 8080");
    assert_eq!(
        forwarding(&out),
        "Forwarding from 127.0.0.1:8080 -> 8080\nForwarding from [::1]:8080 -> 8080\n"
    );
    assert!(
        out.contains("힌트:") && out.contains("Ctrl+C"),
        "the hint explains why the prompt came back: {out}"
    );
}

#[test]
fn curl_on_the_node_reaches_the_pod_and_kubectl_announces_the_connection() {
    let mut c = with_apps();
    ok(&mut c, "kubectl port-forward go 8888:8080");
    let out = c.exec("curl -s localhost:8888");
    assert_eq!(out.stdout, "Handling connection for 8888\nWelcome! go\n");
    let trace = out
        .traces
        .first()
        .map(|t| format!("{t:?}"))
        .unwrap_or_default();
    assert!(
        trace.contains("kubectl port-forward"),
        "the packet view shows the hop: {trace}"
    );
    // The announcement is kubectl's, not curl's: a pipe does not see it.
    assert_eq!(
        ok(&mut c, "curl -s 127.0.0.1:8888 | wc -l"),
        "Handling connection for 8888\n1\n"
    );
}

#[test]
fn ctrl_c_ends_the_forward() {
    let mut c = with_apps();
    ok(&mut c, "kubectl port-forward go 8888:8080");
    c.interrupt();
    let (out, _, code) = run(&mut c, "curl -s localhost:8888");
    assert_eq!((out.as_str(), code), ("", 7));
    // The port is free again.
    ok(&mut c, "kubectl port-forward go 8888:8080");
}

#[test]
fn a_service_port_is_translated_to_the_pods_target_port() {
    let mut c = with_apps();
    let out = ok(&mut c, "kubectl port-forward svc/web 9090:8080");
    assert_eq!(
        forwarding(&out),
        "Forwarding from 127.0.0.1:9090 -> 80\nForwarding from [::1]:9090 -> 80\n"
    );
    let out = ok(&mut c, "curl -s localhost:9090");
    assert!(out.contains("Welcome to nginx!"), "{out}");
    // A named service port: the local port defaults to the service port.
    let out = ok(
        &mut c,
        "kubectl port-forward service/web http --address 127.0.0.1",
    );
    assert_eq!(forwarding(&out), "Forwarding from 127.0.0.1:8080 -> 80\n");
}

#[test]
fn a_deployment_forwards_to_one_of_its_pods() {
    let mut c = with_apps();
    let out = ok(&mut c, "kubectl port-forward deploy/web 8000:80");
    assert_eq!(
        forwarding(&out),
        "Forwarding from 127.0.0.1:8000 -> 80\nForwarding from [::1]:8000 -> 80\n"
    );
    assert!(ok(&mut c, "curl -s localhost:8000").contains("nginx"));
}

#[test]
fn an_empty_local_port_is_drawn_from_the_seeded_generator() {
    let first = ok(&mut with_apps(), "kubectl port-forward go :8080");
    let again = ok(&mut with_apps(), "kubectl port-forward go :8080");
    assert_eq!(first, again, "the same seed gives the same port");
    let line = first.lines().next().unwrap_or_default();
    let port: u16 = line
        .trim_start_matches("Forwarding from 127.0.0.1:")
        .trim_end_matches(" -> 8080")
        .parse()
        .unwrap_or(0);
    assert!((32768..=60999).contains(&port), "{line}");
    assert!(first.contains(&format!("Forwarding from [::1]:{port} -> 8080")));
}

#[test]
fn address_all_interfaces_listens_once() {
    let mut c = with_apps();
    let out = ok(&mut c, "kubectl port-forward --address 0.0.0.0 pod/go 8080");
    assert_eq!(forwarding(&out), "Forwarding from 0.0.0.0:8080 -> 8080\n");
    assert_eq!(
        ok(&mut c, "curl -s localhost:8080"),
        "Handling connection for 8080\nWelcome! go\n"
    );
}

#[test]
fn a_port_in_use_fails_every_listener_with_gos_bind_error() {
    let mut c = with_apps();
    ok(&mut c, "kubectl port-forward go 8080");
    let (out, err, code) = run(&mut c, "kubectl port-forward go 8080");
    assert_eq!(out, "");
    assert_eq!(
        err,
        "Unable to listen on port 8080: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:8080: bind: address already in use unable to create listener: Error listen tcp6 [::1]:8080: bind: address already in use]\nerror: unable to listen on any of the requested ports: [{8080 8080}]\n"
    );
    assert_eq!(code, 1);
    // sshd already has port 22 on master.
    let (_, err, _) = run(&mut c, "sudo kubectl port-forward go 22:8080");
    assert!(
        err.contains("127.0.0.1:22: bind: address already in use"),
        "{err}"
    );
}

#[test]
fn ports_below_1024_need_root() {
    let mut c = with_apps();
    let (_, err, code) = run(&mut c, "kubectl port-forward go 80:8080");
    assert_eq!(
        err,
        "Unable to listen on port 80: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:80: bind: permission denied unable to create listener: Error listen tcp6 [::1]:80: bind: permission denied]\nerror: unable to listen on any of the requested ports: [{80 8080}]\n"
    );
    assert_eq!(code, 1);
    let out = ok(&mut c, "sudo kubectl port-forward go 80:8080");
    assert!(
        out.starts_with("Forwarding from 127.0.0.1:80 -> 8080\n"),
        "{out}"
    );
}

#[test]
fn one_failing_port_among_several_is_reported_and_the_others_forward() {
    let mut c = with_apps();
    let (out, err, code) = run(&mut c, "kubectl port-forward go 80:8080 8081:8080");
    assert_eq!(
        forwarding(&out),
        "Forwarding from 127.0.0.1:8081 -> 8080\nForwarding from [::1]:8081 -> 8080\n"
    );
    assert!(err.starts_with("Unable to listen on port 80: "), "{err}");
    assert_eq!(code, 0);
}

#[test]
fn an_address_the_node_does_not_have_cannot_be_bound() {
    let mut c = with_apps();
    let (_, err, code) = run(&mut c, "kubectl port-forward go 8080 --address 10.1.2.3");
    assert_eq!(
        err,
        "Unable to listen on port 8080: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 10.1.2.3:8080: bind: cannot assign requested address]\nerror: unable to listen on any of the requested ports: [{8080 8080}]\n"
    );
    assert_eq!(code, 1);
    let (_, err, _) = run(&mut c, "kubectl port-forward go 8080 --address master");
    assert_eq!(err, "error: master is not a valid IP\n");
}

#[test]
fn port_errors_are_client_gos_and_kubectls() {
    let mut c = with_apps();
    for (line, expected) in [
        (
            "kubectl port-forward go abc:8080",
            "error: error parsing local port 'abc': strconv.ParseUint: parsing \"abc\": invalid syntax\n",
        ),
        (
            "kubectl port-forward go 70000",
            "error: error parsing local port '70000': strconv.ParseUint: parsing \"70000\": value out of range\n",
        ),
        (
            "kubectl port-forward go 8080:0",
            "error: remote port must be > 0\n",
        ),
        (
            "kubectl port-forward go 8080:",
            "error: remote port cannot be empty\n",
        ),
        (
            "kubectl port-forward go 8080:http",
            "error: Pod 'go' does not have a named port 'http'\n",
        ),
        (
            "kubectl port-forward svc/web 9090:80",
            "error: Service web does not have a service port 80\n",
        ),
        (
            "kubectl port-forward svc/web 9090:https",
            "error: Service 'web' does not have a named port 'https'\n",
        ),
        (
            "kubectl port-forward svc/kubernetes 6443:443",
            "error: invalid service 'kubernetes': Service is defined without a selector\n",
        ),
        (
            "kubectl port-forward svc/nope 80",
            "Error from server (NotFound): services \"nope\" not found\n",
        ),
        (
            "kubectl port-forward deploy/nope 80",
            "Error from server (NotFound): deployments.apps \"nope\" not found\n",
        ),
        (
            "kubectl port-forward ns/default 80",
            "error: cannot attach to *v1.Namespace: not implemented\n",
        ),
        (
            "kubectl port-forward foo/x 80",
            "error: the server doesn't have a resource type \"foo\"\n",
        ),
    ] {
        let (out, err, code) = run(&mut c, line);
        assert_eq!(
            (out.as_str(), err.as_str(), code),
            ("", expected, 1),
            "{line}"
        );
    }
}

#[test]
fn udp_only_ports_are_refused() {
    let mut c = with_apps();
    ok(
        &mut c,
        "cat > dns.yaml <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: udp\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 53\n    protocol: UDP\nEOF",
    );
    ok(&mut c, "kubectl apply -f dns.yaml");
    let (_, err, code) = run(&mut c, "kubectl port-forward svc/udp 5353:53");
    assert_eq!(
        (err.as_str(), code),
        ("error: UDP protocol is not supported for 53\n", 1)
    );
}

#[test]
fn a_pod_that_is_not_running_cannot_be_forwarded() {
    let mut c = cluster();
    ok(&mut c, "kubectl run late --image=nginx");
    let (_, err, code) = run(&mut c, "kubectl port-forward late 8080:80");
    assert_eq!(
        (err.as_str(), code),
        (
            "error: unable to forward port because pod is not running. Current status=Pending\n",
            1
        )
    );
}

#[test]
fn a_deployment_without_pods_times_out_on_the_virtual_clock() {
    let mut c = cluster();
    ok(
        &mut c,
        "kubectl create deployment none --image=nginx --replicas=0",
    );
    let before = c.now();
    let (_, err, code) = run(
        &mut c,
        "kubectl port-forward deploy/none 8080:80 --pod-running-timeout=5s",
    );
    assert_eq!(
        (err.as_str(), code),
        ("error: timed out waiting for the condition\n", 1)
    );
    assert!(c.now().as_millis() >= before.as_millis() + 5000);
}

#[test]
fn argument_errors_are_the_real_kubectls() {
    let mut c = cluster();
    assert_same_as_real(
        &mut c,
        "port-forward-args",
        &[
            "port-forward",
            "port-forward pod/x",
            "port-forward x 80 --bogus",
        ],
    );
}

#[test]
fn in_the_background_it_keeps_running_as_in_bash_without_a_done_notice_or_hint() {
    let mut c = with_apps();
    let out = c.exec("kubectl port-forward pod/go 8888:8080 &");
    assert_eq!(
        out.display,
        "[1] 4301\nForwarding from 127.0.0.1:8888 -> 8080\nForwarding from [::1]:8888 -> 8080\n"
    );
    // The job is still running: the next line gets no `[1]+  Done`, and the forward's
    // announcement comes before curl's answer, past the pipe.
    let out = c.exec("echo before; curl -s localhost:8888 | wc -l");
    assert_eq!(out.display, "before\nHandling connection for 8888\n1\n");
    // Ctrl+C at the prompt does not stop a background job.
    c.interrupt();
    let out = c.exec("curl -s localhost:8888");
    assert_eq!(out.display, "Handling connection for 8888\nWelcome! go\n");
}

#[test]
fn a_background_forward_that_fails_is_reported_done_with_its_exit_status() {
    let mut c = with_apps();
    let out = c.exec("kubectl port-forward pod/go 80:8080 &");
    assert!(
        out.display
            .starts_with("[1] 4301\nUnable to listen on port 80"),
        "{}",
        out.display
    );
    let out = c.exec("true");
    assert_eq!(
        out.display,
        "[1]+  Exit 1                  kubectl port-forward pod/go 80:8080\n"
    );
}

#[test]
fn a_substitution_captures_curls_answer_but_not_the_forwards_announcement() {
    let mut c = with_apps();
    ok(&mut c, "kubectl port-forward pod/go 8888:8080 &");
    let out = c.exec("X=$(curl -s localhost:8888); echo \"[$X]\"");
    assert_eq!(out.display, "Handling connection for 8888\n[Welcome! go]\n");
}

#[test]
fn deleting_the_pod_ends_the_forward_with_kubectls_lost_connection_error() {
    let mut c = with_apps();
    ok(&mut c, "kubectl port-forward pod/go 8888:8080 &");
    let out = c.exec("kubectl delete pod go");
    assert_eq!(out.display, "pod \"go\" deleted\n");
    let out = c.exec("curl -s localhost:8888");
    // kubectl exits 1 after its error; bash reports the job before the next prompt.
    assert_eq!(
        out.display,
        "error: lost connection to pod\n[1]+  Exit 1                  kubectl port-forward pod/go 8888:8080\n"
    );
    assert_eq!(out.exit_code, 7);
    assert_eq!(c.exec("jobs").display, "");
    // The port is free again.
    let out = c.exec("kubectl port-forward deploy/web 8888:80");
    assert!(
        out.stdout
            .starts_with("Forwarding from 127.0.0.1:8888 -> 80\n"),
        "{out:?}"
    );
}

#[test]
fn jobs_lists_a_background_forward_and_kill_stops_it_as_bash_and_curl_show() {
    let mut c = with_apps();
    c.exec("kubectl port-forward pod/go 8080:8080 &");
    let out = c.exec("jobs; jobs -l; jobs -p");
    assert_eq!(
        out.display,
        "[1]+  Running                 kubectl port-forward pod/go 8080:8080 &\n\
         [1]+  4301 Running                 kubectl port-forward pod/go 8080:8080 &\n\
         4301\n"
    );
    let out = c.exec("kill %1");
    assert_eq!((out.display.as_str(), out.exit_code), ("", 0));
    // bash notices the end at the prompt after the next line, and the port is closed.
    let out = c.exec("curl localhost:8080");
    assert_eq!(
        (out.display.as_str(), out.exit_code),
        (
            // The node's curl is 7.81.0 (Ubuntu 22.04), which says `Connection refused`.
            "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Connection refused\n\
             [1]+  Terminated              kubectl port-forward pod/go 8080:8080\n",
            7
        )
    );
    let out = c.exec("jobs; kill %1");
    assert_eq!(out.display, "bash: kill: %1: no such job\n");
    // The port is free again for a new forward.
    ok(&mut c, "kubectl port-forward go 8080:8080");
}

#[test]
fn kill_by_pid_with_sigkill_stops_the_forward_too() {
    let mut c = with_apps();
    c.exec("kubectl port-forward pod/go 8888:8080 &");
    let out = c.exec("kill -9 $!");
    assert_eq!(out.display, "");
    let out = c.exec("curl -s localhost:8888; echo $?");
    assert_eq!(
        out.display,
        "7\n[1]+  Killed                  kubectl port-forward pod/go 8888:8080\n"
    );
}

#[test]
fn fg_holds_the_forward_in_the_foreground_until_ctrl_c() {
    let mut c = with_apps();
    c.exec("kubectl port-forward pod/go 8888:8080 &");
    let out = c.exec("fg");
    let mut lines = out.stdout.lines();
    assert_eq!(lines.next(), Some("kubectl port-forward pod/go 8888:8080"));
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("힌트: ") && l.contains("Ctrl+C")),
        "{}",
        out.stdout
    );
    assert_eq!(c.exec("jobs").display, "");
    // Still forwarding, as the real command would be, until Ctrl+C.
    assert_eq!(
        c.exec("curl -s localhost:8888").display,
        "Handling connection for 8888\nWelcome! go\n"
    );
    c.interrupt();
    assert_eq!(c.exec("curl -s localhost:8888; echo $?").display, "7\n");
    assert_eq!(c.exec("fg").display, "bash: fg: current: no such job\n");
}
