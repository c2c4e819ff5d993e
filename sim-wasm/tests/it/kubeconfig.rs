//! The student's kubeconfig (`~/.kube/config`, kubeadm's admin.conf) and `kubectl config`,
//! against the real kubectl 1.32 run on a copy of the same file: every command prints the
//! same, and the file ends up byte for byte the same.

use crate::real_kubectl::scratch;
use crate::support::{cluster, ok, run};
use std::process::Command;

const SEQUENCE: &[&str] = &[
    "config current-context",
    "config view",
    "config view --raw",
    "config view --minify",
    "config get-contexts",
    "config get-contexts -o name",
    "config get-contexts --no-headers",
    "config get-contexts nope",
    "config get-clusters",
    "config get-users",
    "config view -o jsonpath={.contexts[0].name}",
    "config set-context --current --namespace=blue",
    "config get-contexts",
    "config view --minify",
    "config set-context other --namespace=red",
    "config get-contexts",
    "config use-context other",
    "config view --minify",
    "config use-context nope",
    "config use-context kubernetes-admin@kubernetes",
    "config set-context --current --namespace=",
    "config bogus",
    "config",
    "config view --bogus",
];

#[test]
fn kubectl_config_reads_and_rewrites_the_file_as_the_real_kubectl_does() {
    let mut c = cluster();
    let dir = scratch("kubeconfig");
    let file = dir.join("config");
    std::fs::write(&file, ok(&mut c, "cat ~/.kube/config"))
        .unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
    for line in SEQUENCE {
        let out = Command::new("kubectl")
            .args(line.split_whitespace())
            .env("KUBECONFIG", &file)
            .output()
            .unwrap_or_else(|e| panic!("the real kubectl 1.32 must be on PATH: {e}"));
        let real = (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.code().unwrap_or(-1),
        );
        assert_eq!(
            run(&mut c, &format!("kubectl {line}")),
            real,
            "kubectl {line}"
        );
    }
    let real_file = std::fs::read_to_string(&file).unwrap_or_default();
    assert_eq!(ok(&mut c, "cat ~/.kube/config"), real_file);
}

#[test]
fn the_kubeconfig_is_kubeadms_admin_conf_with_the_clusters_own_ca() {
    let mut c = cluster();
    let config = ok(&mut c, "cat ~/.kube/config");
    assert!(
        config.contains("\n    server: https://192.168.56.10:6443\n"),
        "{config}"
    );
    // The CA is the one every namespace's kube-root-ca.crt carries.
    let ca = ok(
        &mut c,
        "kubectl get cm kube-root-ca.crt -o 'jsonpath={.data.ca\\.crt}' | base64 -w0",
    );
    assert!(
        config.contains(&format!("certificate-authority-data: {}\n", ca.trim_end())),
        "{ca}"
    );
    let key = ok(
        &mut c,
        "grep client-key-data ~/.kube/config | awk '{print $2}' | base64 -d | head -1",
    );
    assert_eq!(key, "-----BEGIN RSA PRIVATE KEY-----\n");
}

#[test]
fn the_current_contexts_namespace_is_where_kubectl_works_without_n() {
    let mut c = cluster();
    ok(&mut c, "kubectl create namespace blue");
    ok(
        &mut c,
        "kubectl config set-context --current --namespace=blue",
    );
    assert_eq!(
        ok(&mut c, "kubectl create deployment web --image=nginx"),
        "deployment.apps/web created\n"
    );
    assert_eq!(
        ok(&mut c, "kubectl get deploy -n blue -o name"),
        "deployment.apps/web\n"
    );
    assert_eq!(
        run(&mut c, "kubectl get deploy -n default"),
        (
            String::new(),
            "No resources found in default namespace.\n".to_owned(),
            0
        )
    );
    // Client-side objects carry a namespace only when -n names it (EnforceNamespace).
    assert!(
        !ok(
            &mut c,
            "kubectl run x --image=nginx --dry-run=client -o yaml"
        )
        .contains("namespace")
    );
    // Without the file kubectl works in default (a decision, see kubeconfig.rs).
    ok(&mut c, "rm ~/.kube/config");
    assert_eq!(
        run(&mut c, "kubectl get deploy"),
        (
            String::new(),
            "No resources found in default namespace.\n".to_owned(),
            0
        )
    );
}

/// The file is the student's to break: whatever it holds, kubectl answers and nothing
/// panics (without a usable current context kubectl works in `default`).
#[test]
fn a_kubeconfig_of_any_shape_never_panics_kubectl() {
    for content in [
        "contexts: 5",
        "contexts: [5, \"x\", null]",
        "current-context: [1]",
        "- a",
        "a: &a [*a]",
        "current-context: x\ncontexts:\n- name: x\n  context: 7",
        "current-context: x\ncontexts:\n- name: x\n  context:\n    namespace: [1, 2]",
        "{{{",
        "clusters: [1]\nusers: [{user: 5}]",
        "current-context: \"\"\ncontexts:\n- 5\n- name: \"\"",
    ] {
        let mut c = cluster();
        c.write_file(".kube/config", &format!("{content}\n"));
        for line in [
            "kubectl get pods",
            "kubectl config view",
            "kubectl config view --minify",
            "kubectl config get-contexts",
            "kubectl config get-clusters",
            "kubectl config set-context --current --namespace=z",
            "kubectl config set-context n --namespace=z",
            "kubectl config set-context '' --namespace=z",
            "kubectl config use-context n",
        ] {
            // A panic here fails the test.
            run(&mut c, line);
        }
        let (out, err, code) = run(&mut c, "kubectl get pods");
        assert_eq!(code, 0, "{content:?}: {out}{err}");
        assert_eq!(err, "No resources found in z namespace.\n", "{content:?}");
    }
}
