//! `--dry-run=client` output of the simulator against the real kubectl 1.32 (generators that
//! need no server), and against fidelity.md's verified transcripts for `run` and `expose`
//! (which need API discovery, so the real kubectl cannot run them offline).

use crate::real_kubectl::{kubectl, scratch};
use crate::support::{cluster, ok, run};

const GENERATORS: &[&str] = &[
    "create namespace blue",
    "create ns blue",
    "create deployment pod-jenkins --image=jenkins/jenkins:lts-jdk11 -n blue",
    "create deployment http-go --image=gasbugs/http-go",
    "create deployment http-go --image=gasbugs/http-go --port=8080 --replicas=3",
    "create deploy two --image=nginx:1.27 --image=busybox",
    "create service clusterip srv-jenkins --tcp=8080:8080 -n blue",
    "create service nodeport srv-jenkins --tcp=8080:8080 -n blue",
    "create service nodeport http-go-svc --tcp=80:8080 --node-port=30080",
    "create service clusterip headless-svc --clusterip=None --tcp=80:80",
    "create service loadbalancer lb-svc --tcp=80:8080",
    "create service externalname ext-svc --external-name=example.com",
    "create svc clusterip multi --tcp=80:8080,443:8443",
    "create configmap cfg --from-literal=a=1 --from-literal=b=yes",
];

#[test]
fn generator_dry_runs_print_what_the_real_kubectl_prints() {
    let dir = scratch("generators");
    let mut mismatches = Vec::new();
    for line in GENERATORS {
        for suffix in [
            "--dry-run=client -o yaml",
            "--dry-run=client -o json",
            "--dry-run=client",
            "--dry-run=client -o name",
        ] {
            let full = format!("{line} {suffix}");
            let args: Vec<&str> = full.split_whitespace().collect();
            let real = kubectl(&dir, &args);
            let mut c = cluster();
            let ours = run(&mut c, &format!("kubectl {full}"));
            if ours != real {
                mismatches.push(format!(
                    "kubectl {full}\n--- real ({})\n{}{}--- ours ({})\n{}{}",
                    real.2, real.0, real.1, ours.2, ours.0, ours.1
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn run_dry_run_matches_the_fidelity_transcript() {
    let mut c = cluster();
    assert_eq!(
        ok(
            &mut c,
            "kubectl run http-go --image=gasbugs/http-go --dry-run=client -o yaml"
        ),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: http-go\n  name: http-go\nspec:\n  containers:\n  - image: gasbugs/http-go\n    name: http-go\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n"
    );
}

#[test]
fn expose_dry_runs_match_the_fidelity_transcripts() {
    let mut c = cluster();
    ok(&mut c, "kubectl create namespace blue");
    ok(
        &mut c,
        "kubectl create deployment pod-jenkins --image=jenkins/jenkins:lts-jdk11 -n blue",
    );
    ok(
        &mut c,
        "kubectl create deployment http-go --image=gasbugs/http-go",
    );
    ok(&mut c, "kubectl run http-go --image=gasbugs/http-go");
    assert_eq!(
        ok(
            &mut c,
            "kubectl expose deployment pod-jenkins --port=8080 -n blue --name=srv-jenkins --dry-run=client -o yaml"
        ),
        "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: pod-jenkins\n  name: srv-jenkins\n  namespace: blue\nspec:\n  ports:\n  - port: 8080\n    protocol: TCP\n    targetPort: 8080\n  selector:\n    app: pod-jenkins\nstatus:\n  loadBalancer: {}\n"
    );
    assert_eq!(
        ok(
            &mut c,
            "kubectl expose deployment http-go --type=NodePort --port=80 --target-port=8080 --dry-run=client -o yaml"
        ),
        "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: http-go\n  name: http-go\nspec:\n  ports:\n  - port: 80\n    protocol: TCP\n    targetPort: 8080\n  selector:\n    app: http-go\n  type: NodePort\nstatus:\n  loadBalancer: {}\n"
    );
    assert_eq!(
        ok(
            &mut c,
            "kubectl expose pod http-go --port=8080 --dry-run=client -o yaml"
        ),
        "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    run: http-go\n  name: http-go\nspec:\n  ports:\n  - port: 8080\n    protocol: TCP\n    targetPort: 8080\n  selector:\n    run: http-go\nstatus:\n  loadBalancer: {}\n"
    );
    assert_eq!(
        run(&mut c, "kubectl expose deployment pod-jenkins -n blue"),
        (
            String::new(),
            "error: couldn't find port via --port flag or introspection\n".to_owned(),
            1
        )
    );
    assert_eq!(
        run(&mut c, "kubectl expose deployment nosuch -n blue --port=80"),
        (
            String::new(),
            "Error from server (NotFound): deployments.apps \"nosuch\" not found\n".to_owned(),
            1
        )
    );
}

#[test]
fn expose_for_real_creates_the_service_and_a_second_time_is_already_exists() {
    let mut c = cluster();
    ok(&mut c, "kubectl create namespace blue");
    ok(
        &mut c,
        "kubectl create deployment pod-jenkins --image=jenkins/jenkins:lts-jdk11 -n blue",
    );
    assert_eq!(
        ok(
            &mut c,
            "kubectl expose deployment pod-jenkins --port=8080 -n blue --name=srv-jenkins"
        ),
        "service/srv-jenkins exposed\n"
    );
    assert_eq!(
        run(
            &mut c,
            "kubectl expose deployment pod-jenkins --port=8080 -n blue --name=srv-jenkins"
        ),
        (
            String::new(),
            "Error from server (AlreadyExists): services \"srv-jenkins\" already exists\n"
                .to_owned(),
            1
        )
    );
    assert_eq!(
        run(
            &mut c,
            "kubectl create deployment pod-jenkins --image=jenkins/jenkins:lts-jdk11 -n blue"
        ),
        (
            String::new(),
            "error: failed to create deployment: deployments.apps \"pod-jenkins\" already exists\n"
                .to_owned(),
            1
        )
    );
}
