//! kubectl's own errors, the ones it reports before it would contact a server, against the
//! real kubectl 1.32 on the PATH: flag types, generator flags, port specs, printers,
//! subcommands and their help, `run`'s and `wait`'s checks.

use crate::real_kubectl::assert_same_as_real;
use crate::support::{cluster, ok, run};

/// Everything kubectl rejects on its own, before it would ask a server: flag types, flags
/// of another generator, port specs, headless and external names, printers, and `run`'s
/// checks of its attach, restart and image options.
#[test]
fn client_side_errors_of_create_and_run_are_the_real_kubectls() {
    let mut c = cluster();
    assert_same_as_real(
        &mut c,
        "client-errors",
        &[
            "create service clusterip web --tcp=80:abc_def --dry-run=client -o yaml",
            "create service clusterip web --tcp=80:-http- --dry-run=client -o yaml",
            "create service clusterip web --tcp=80:verylongportname123 --dry-run=client",
            "create service clusterip web --tcp=80:70000 --dry-run=client -o yaml",
            "create service clusterip web --tcp=abc --dry-run=client -o yaml",
            "create service clusterip web --tcp=99999 --dry-run=client -o yaml",
            "create service clusterip web --tcp= --dry-run=client -o yaml",
            "create service clusterip web --dry-run=client -o yaml",
            "create service nodeport web --clusterip=None --tcp=80 --dry-run=client",
            "create service nodeport web --tcp=80 --node-port=abc --dry-run=client",
            "create service externalname ext --external-name=bad_name --dry-run=client",
            "create service foo web",
            "create service foo -o yaml",
            "create service foo web --dry-run=client -o yaml",
            "create namespace foo --image=x --dry-run=client",
            "create cm x --tcp=80 --dry-run=client",
            "create deployment web --image=nginx --port=abc --dry-run=client",
            "create deployment web --image=nginx --replicas=99999999999 --dry-run=client",
            "create ns x --dry-run=client -o jsonpath",
            "create ns x --dry-run=client -o jsonpath={.metadata.name",
            "create ns x --dry-run=client -o wide",
            "create ns x --dry-run=client -o jsonpath={.metadata.name}",
            "create ns x --dry-run=client -o jsonpath={.metadata.missing}",
            "create deployment web --image=nginx --dry-run=client -o jsonpath={.spec.template.spec.containers[0].image}",
            "run tmp --image=busybox -it --rm --restart=Never --dry-run=client -o yaml",
            "run tmp --image=busybox -i --dry-run=client -o yaml",
            "run tmp --image=busybox --attach --dry-run=client",
            "run tmp --image=busybox -t --dry-run=client",
            "run tmp --image=busybox --rm --dry-run=client",
            "run tmp --image=busybox -i --attach=false --rm --dry-run=client",
            "run tmp --image=busybox --expose --dry-run=client",
            "run tmp --image=busybox --restart=Sometimes --dry-run=client",
            "run tmp --image=busybox --image-pull-policy=Sometimes --dry-run=client",
            "run tmp --image=UPPER --dry-run=client",
            "run tmp --image=nginx: --dry-run=client",
            "run tmp --image=nginx --dry-run=client -o foo",
            "version --client -o wide",
        ],
    );
}

/// pflag rejects a value its flag's Go type cannot hold, whatever the command.
#[test]
fn integer_and_boolean_flags_are_checked_as_pflag_checks_them() {
    let mut c = cluster();
    assert_same_as_real(
        &mut c,
        "typed-flags",
        &[
            "scale --replicas=abc deploy/web",
            "scale --replicas=-1 deploy/web",
            "delete pod x --grace-period=abc",
            "delete pod x --grace-period=1_0_",
            "logs x --tail=abc",
            "get pods --chunk-size=abc",
            "get pods -v abc",
            "run x --image=nginx --rm=maybe",
            "create deployment web --image=nginx -r 99999999999 --dry-run=client",
            "create deployment web --image=nginx -r 0x1F --dry-run=client -o yaml",
            "create deployment web --image=nginx -r 010 --dry-run=client -o yaml",
            "create deployment web --image=nginx -r 08 --dry-run=client -o yaml",
            "create deployment web --image=nginx -r -0b11 --dry-run=client -o yaml",
            "create deployment web --image=nginx -r 1_000 --dry-run=client -o yaml",
            "cp x:/a /tmp/b --retries=zz",
            "rollout undo deploy/web --to-revision=x",
        ],
    );
}

/// Commands with subcommands: their help without one, `unknown command`, and the errors
/// a subcommand gives before it looks anything up.
#[test]
fn subcommands_help_and_missing_resources_are_the_real_kubectls() {
    let mut c = cluster();
    assert_same_as_real(
        &mut c,
        "subcommands",
        &[
            "rollout",
            "rollout status",
            "rollout restart",
            "rollout history",
            "rollout undo",
            "rollout bogus",
            "rollout status --bogus",
            "set",
            "set bogus",
            "set image",
            "set image --bogus",
            "set image deploy/web nginx",
            "top",
            "top bogus",
            "edit",
            "wait",
            "wait pod/x",
            "wait --for=bogus pod/x",
            "wait --for=condition pod/x",
            "wait --for=Ready pod/x",
            "wait --for=delete",
            "wait --for=jsonpath pod/x",
            "wait --for=jsonpath= pod/x",
            "wait --for=jsonpath={.a pod/x",
            "wait --for=jsonpath={.status.phase}=Running",
        ],
    );
}

#[test]
fn wait_for_jsonpath_and_create_wait_on_the_virtual_clock() {
    let mut c = cluster();
    ok(&mut c, "kubectl run web --image=nginx");
    assert_eq!(
        ok(
            &mut c,
            "kubectl wait --for=jsonpath={.status.phase}=Running pod/web"
        ),
        "pod/web condition met\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl get pod web -o jsonpath={.status.phase}"),
        "Running"
    );
    // Without a value the field only has to be there.
    assert_eq!(
        ok(&mut c, "kubectl wait --for=jsonpath=.status.podIP pod/web"),
        "pod/web condition met\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl wait --for=create pod/web"),
        "pod/web condition met\n"
    );
    assert_eq!(
        run(
            &mut c,
            "kubectl wait --for=jsonpath={.status.phase}=Failed pod/web --timeout=3s"
        ),
        (
            String::new(),
            "error: timed out waiting for the condition on pods/web\n".to_owned(),
            1
        )
    );
}

/// `label`/`annotate` split resources from changes and check label values on the client;
/// `delete` checks names against selectors and its flags against each other.
#[test]
fn label_annotate_and_delete_refuse_what_the_real_kubectl_refuses() {
    let mut c = cluster();
    assert_same_as_real(
        &mut c,
        "label-delete",
        &[
            "label",
            "label pods",
            "label pods x a=b c",
            "label pods x a=b_",
            "label pods x a=-b",
            "label pods x =b",
            "label pods x a- a=b",
            "label pods x a=b=c",
            "label pods x a=b --all -l x=y",
            "label pods x a=b --overwrite --dry-run=bogus",
            "annotate pods",
            "annotate pods x",
            "annotate pods x =b",
            "annotate pods x a=b c",
            "annotate pods x a- a=b",
            "annotate pods x a- b- a=1 b=2",
            "delete",
            "delete --all",
            "delete -l a=b",
            "delete pod x --cascade=bogus",
            "delete pod x --dry-run=bogus",
            "delete pod x --grace-period=5 --now",
        ],
    );
}

#[test]
fn a_bare_or_boolean_dry_run_is_client_with_kubectls_deprecation_warning() {
    let mut c = cluster();
    for (line, warning) in [
        (
            "kubectl create ns x --dry-run -o name",
            "helpers.go:702] --dry-run is deprecated and can be replaced with --dry-run=client.\n",
        ),
        (
            "kubectl create ns x --dry-run=true -o name",
            "helpers.go:716] --dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.\n",
        ),
    ] {
        let (out, err, code) = run(&mut c, line);
        assert_eq!((out.as_str(), code), ("namespace/x\n", 0), "{line}");
        assert!(
            err.starts_with('W') && err.ends_with(warning),
            "{line}: {err}"
        );
    }
    // --dry-run=false creates it for real.
    let (out, _, code) = run(&mut c, "kubectl create ns x --dry-run=false -o name");
    assert_eq!((out.as_str(), code), ("namespace/x\n", 0));
    assert!(ok(&mut c, "kubectl get ns x -o name").contains("namespace/x"));
}

#[test]
fn label_dry_run_changes_nothing() {
    let mut c = cluster();
    ok(&mut c, "kubectl run web --image=nginx");
    assert_eq!(
        ok(&mut c, "kubectl label pod web tier=front --dry-run=client"),
        "pod/web labeled (dry run)\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl get pod web -o jsonpath={.metadata.labels}"),
        "{\"run\":\"web\"}"
    );
}

/// `\.` keeps a dot inside a key (`ca.crt`), as in `-o jsonpath='{.data.ca\.crt}'`.
#[test]
fn jsonpath_reads_an_escaped_dot_as_part_of_the_key() {
    let dir = crate::real_kubectl::scratch("jsonpath-escape");
    let args = [
        "create",
        "cm",
        "x",
        "--from-literal=ca.crt=hello",
        "--dry-run=client",
        "-o",
        "jsonpath={.data.ca\\.crt}",
    ];
    let real = crate::real_kubectl::kubectl(&dir, &args);
    assert_eq!(real, ("hello".to_owned(), String::new(), 0));
    let mut c = cluster();
    let line = "kubectl create cm x --from-literal=ca.crt=hello --dry-run=client -o 'jsonpath={.data.ca\\.crt}'";
    assert_eq!(run(&mut c, line), real);
}
