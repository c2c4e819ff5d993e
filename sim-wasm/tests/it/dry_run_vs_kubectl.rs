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
    // A port without a target is named by the flag's own text ("80"), and so is a target
    // given by name, or with a stray third field.
    "create service clusterip bare --tcp=80",
    "create service nodeport two --tcp=80,443 --node-port=30001",
    "create service clusterip named --tcp=80:http",
    "create service clusterip odd --tcp=80:8080:9",
    "create service clusterip headless --clusterip=None",
    "create service externalname ext-port --external-name=example.com --tcp=80",
    "create deployment multi --image=nginx,redis",
    // Global flags before the generator and before the service type (cobra skips them).
    "create -n blue service clusterip ns-first --tcp=80",
    "create service -n blue clusterip ns-middle --tcp=80",
    "create -n blue deployment ns-deploy --image=nginx",
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

#[test]
fn a_missing_required_flag_is_reported_before_a_missing_name() {
    let mut c = cluster();
    for (line, flag) in [
        (
            "kubectl create deployment --dry-run=client -o yaml",
            "image",
        ),
        (
            "kubectl create service externalname --dry-run=client",
            "external-name",
        ),
        ("kubectl run --dry-run=client", "image"),
    ] {
        let (out, err, code) = run(&mut c, line);
        assert_eq!((out.as_str(), code), ("", 1), "{line}");
        assert!(
            err.ends_with(&format!(
                " run.go:72] \"command failed\" err=\"required flag(s) \\\"{flag}\\\" not set\"\n"
            )),
            "{line}: {err}"
        );
    }
}

#[test]
fn run_expose_creates_the_service_first_and_prints_both() {
    let mut c = cluster();
    assert_eq!(
        ok(&mut c, "kubectl run web --image=nginx --port=80 --expose"),
        "service/web created\npod/web created\n"
    );
    assert!(ok(&mut c, "kubectl get svc web").contains("80/TCP"));
    assert_eq!(
        ok(
            &mut c,
            "kubectl get svc web -o jsonpath={.spec.selector.run}"
        ),
        "web"
    );
    assert_eq!(
        ok(
            &mut c,
            "kubectl run api --image=nginx --port=8080 --labels=app=api --expose --dry-run=client -o yaml"
        ),
        "apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: api\n  name: api\nspec:\n  ports:\n  - port: 8080\n    protocol: TCP\n    targetPort: 8080\n  selector:\n    app: api\nstatus:\n  loadBalancer: {}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: api\n  name: api\nspec:\n  containers:\n  - image: nginx\n    name: api\n    ports:\n    - containerPort: 8080\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Always\nstatus: {}\n"
    );
    // A second time the pod already exists: nothing more is created.
    assert_eq!(
        run(&mut c, "kubectl run web --image=nginx --port=80 --expose"),
        (
            String::new(),
            "Error from server (AlreadyExists): pods \"web\" already exists\n".to_owned(),
            1
        )
    );
    assert_eq!(
        run(&mut c, "kubectl run web2 --image=nginx --port=8o"),
        (
            String::new(),
            "error: strconv.Atoi: parsing \"8o\": invalid syntax\n".to_owned(),
            1
        )
    );
}

/// kubectl 1.32.4's own `version --output=yaml` (the release build; the kubectl on this
/// machine is a vendor build with another commit, so it cannot be compared directly).
#[test]
fn version_prints_the_release_build_as_yaml_and_json() {
    let mut c = cluster();
    let client = "clientVersion:\n  buildDate: \"2025-04-22T16:03:58Z\"\n  compiler: gc\n  gitCommit: 59526cd4867447956156ae3a602fcbac10a2c335\n  gitTreeState: clean\n  gitVersion: v1.32.4\n  goVersion: go1.23.6\n  major: \"1\"\n  minor: \"32\"\n  platform: linux/amd64\nkustomizeVersion: v5.5.0\n";
    assert_eq!(
        ok(&mut c, "kubectl version --client -o yaml"),
        format!("{client}\n")
    );
    let json = ok(&mut c, "kubectl version -o json");
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("version -o json is JSON");
    assert_eq!(parsed["serverVersion"]["gitVersion"], "v1.32.4");
    // Go's struct order, not sorted keys.
    assert!(json.starts_with("{\n  \"clientVersion\": {\n    \"major\": \"1\",\n    \"minor\": \"32\",\n    \"gitVersion\""));
}
