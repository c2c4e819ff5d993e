//! The seed's exercise, end to end: `kubectl create -f`, `expose --dry-run=client -o yaml`
//! appended to the same file without `---`, then apply/create/get/describe. The appended
//! Service silently replaces the Deployment (fidelity.md §9), and a Korean hint follows the
//! real output.

use crate::support::{cluster, ok, run};

/// The seed's file before the `>>` (namespace + deployment).
const SEED_FILE: &str = "apiVersion: v1
kind: Namespace
metadata:
  creationTimestamp: null
  name: blue
spec: {}
status: {}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    run: pod-jenkins
  name: pod-jenkins
  namespace: blue
spec:
  replicas: 1
  selector:
    matchLabels:
      run: pod-jenkins
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        run: pod-jenkins
    spec:
      containers:
      - image: jenkins/jenkins:lts-jdk11
        name: pod-jenkins
        ports:
        - containerPort: 8080
        resources: {}
status: {}
";

/// What the seed shows `expose` appending.
const SEED_SERVICE: &str = "apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    run: pod-jenkins
  name: srv-jenkins
  namespace: blue
spec:
  ports:
  - port: 8080
    protocol: TCP
    targetPort: 8080
  selector:
    run: pod-jenkins
status:
  loadBalancer: {}
";

const FILE: &str = "blue-jenkins-svc-deploy.yaml";

fn hint() -> String {
    format!(
        "힌트: {FILE} 36번째 줄에서 새 오브젝트가 시작되지만 그 앞에 문서 구분선 `---`이 없습니다. kubectl은 두 오브젝트를 한 문서로 읽고 겹치는 키(apiVersion, kind, metadata, spec, status)를 경고 없이 뒤의 값으로 덮어쓰므로 앞 문서의 Deployment는 만들어지지 않았습니다. 36번째 줄 앞에 `---` 한 줄을 넣으세요.\n"
    )
}

#[test]
fn the_seed_sequence_runs_with_kubectls_output() {
    let mut c = cluster();
    // Typed as a heredoc, as a student would.
    let heredoc = c.exec(&format!("cat <<EOF > {FILE}\n{SEED_FILE}EOF"));
    assert_eq!(
        (heredoc.exit_code, heredoc.continuation),
        (0, false),
        "{heredoc:?}"
    );
    assert_eq!(c.read_file(FILE).as_deref(), Some(SEED_FILE));
    assert_eq!(
        ok(&mut c, &format!("kubectl create -f {FILE}")),
        "namespace/blue created\ndeployment.apps/pod-jenkins created\n"
    );
    let exposed = ok(
        &mut c,
        "kubectl expose deploy pod-jenkins --name srv-jenkins --dry-run=client -o yaml -n blue",
    );
    assert_eq!(exposed, SEED_SERVICE);
    // The seed's own line: the shell appends exactly those bytes, without a `---`.
    assert_eq!(
        ok(
            &mut c,
            &format!(
                "kubectl expose deploy pod-jenkins --name srv-jenkins --dry-run=client -o yaml -n blue >> {FILE}"
            )
        ),
        ""
    );
    assert_eq!(
        c.read_file(FILE),
        Some(format!("{SEED_FILE}{SEED_SERVICE}"))
    );
    let applied = c.exec(&format!("kubectl apply -f {FILE}"));
    let (out, err, code) = (applied.stdout, applied.stderr, applied.exit_code);
    assert_eq!(code, 0, "{err}");
    // The terminal shows kubectl's warning where kubectl prints it: before the line of the
    // object it is about, and the Korean hint after everything.
    assert!(
        applied
            .display
            .starts_with("Warning: resource namespaces/blue is missing"),
        "{}",
        applied.display
    );
    assert!(
        applied.display.ends_with(&format!(
            "automatically.\nnamespace/blue configured\nservice/srv-jenkins created\n{}",
            hint()
        )),
        "{}",
        applied.display
    );
    assert_eq!(
        out,
        "namespace/blue configured\nservice/srv-jenkins created\n"
    );
    // The Korean hint comes after everything kubectl printed, its warning included.
    assert!(
        err.starts_with("Warning: resource namespaces/blue is missing"),
        "{err}"
    );
    assert!(err.ends_with(&hint()), "{err}");
    c.settle();
    let all = ok(&mut c, "kubectl get all -n blue");
    assert!(
        all.contains("deployment.apps/pod-jenkins   1/1     1            1"),
        "{all}"
    );
    assert!(all.contains("service/srv-jenkins   ClusterIP"), "{all}");
    let describe = ok(&mut c, "kubectl describe svc srv-jenkins -n blue");
    let endpoints = describe
        .lines()
        .find(|l| l.starts_with("Endpoints:"))
        .unwrap_or_default();
    assert!(
        endpoints.ends_with(":8080") && endpoints.contains("192.168."),
        "{describe}"
    );
}

#[test]
fn creating_the_seeds_finished_file_on_a_fresh_cluster_silently_drops_the_deployment() {
    let mut c = cluster();
    c.write_file(FILE, &format!("{SEED_FILE}{SEED_SERVICE}"));
    assert_eq!(
        run(
            &mut c,
            &format!("kubectl create -f {FILE} --dry-run=client -o name")
        ),
        (
            format!("namespace/blue\nservice/srv-jenkins\n{}", hint()),
            String::new(),
            0
        )
    );
    assert_eq!(
        run(&mut c, &format!("kubectl apply -f {FILE} --dry-run=client")),
        (
            format!(
                "namespace/blue created (dry run)\nservice/srv-jenkins created (dry run)\n{}",
                hint()
            ),
            String::new(),
            0
        )
    );
    assert_eq!(
        run(&mut c, &format!("kubectl create -f {FILE}")),
        (
            format!(
                "namespace/blue created\nservice/srv-jenkins created\n{}",
                hint()
            ),
            String::new(),
            0
        )
    );
    assert_eq!(
        run(&mut c, "kubectl get deploy -n blue"),
        (
            String::new(),
            "No resources found in blue namespace.\n".to_owned(),
            0
        )
    );
}

#[test]
fn with_the_separator_both_objects_are_created_and_no_hint_is_printed() {
    let mut c = cluster();
    c.write_file(FILE, &format!("{SEED_FILE}---\n{SEED_SERVICE}"));
    assert_eq!(
        ok(&mut c, &format!("kubectl apply -f {FILE}")),
        "namespace/blue created\ndeployment.apps/pod-jenkins created\nservice/srv-jenkins created\n"
    );
    assert_eq!(
        ok(&mut c, &format!("kubectl apply -f {FILE}")),
        "namespace/blue unchanged\ndeployment.apps/pod-jenkins unchanged\nservice/srv-jenkins unchanged\n"
    );
}
