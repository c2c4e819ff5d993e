//! Every error case kubectl and the API server report for manifests and objects, in their
//! words (fidelity.md §3.4).

use crate::support::{cluster, fails, ok, run};

const BAD_FIELD: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: http-go
spec:
  replica: 2
  selector:
    matchLabels:
      app: http-go
  template:
    metadata:
      labels:
        app: http-go
    spec:
      containers:
      - name: http-go
        image: gasbugs/http-go
        imagePullPolice: Always
";

#[test]
fn unknown_fields_are_strict_decoding_errors_for_apply_and_create() {
    let mut c = cluster();
    c.write_file("manifests/bad-field.yaml", BAD_FIELD);
    let expected = "Error from server (BadRequest): error when creating \"manifests/bad-field.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\", unknown field \"spec.template.spec.containers[0].imagePullPolice\"\n";
    assert_eq!(
        fails(&mut c, "kubectl apply -f manifests/bad-field.yaml"),
        expected
    );
    assert_eq!(
        fails(&mut c, "kubectl create -f manifests/bad-field.yaml"),
        expected
    );
    c.write_file(
        "manifests/bad-svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  selector:\n    app: x\n  ports:\n  - port: 80\n    targetport: 8080\n",
    );
    assert_eq!(
        fails(&mut c, "kubectl create -f manifests/bad-svc.yaml"),
        "Error from server (BadRequest): error when creating \"manifests/bad-svc.yaml\": Service in version \"v1\" cannot be handled as a Service: strict decoding error: unknown field \"spec.ports[0].targetport\"\n"
    );
}

#[test]
fn a_wrong_type_is_a_bad_request_naming_the_go_field() {
    let mut c = cluster();
    c.write_file(
        "d.yaml",
        &BAD_FIELD
            .replace("replica: 2", "replicas: three")
            .replace("        imagePullPolice: Always\n", ""),
    );
    assert_eq!(
        fails(&mut c, "kubectl apply -f d.yaml"),
        "Error from server (BadRequest): error when creating \"d.yaml\": Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n"
    );
}

#[test]
fn objects_for_a_missing_namespace_are_not_found() {
    let mut c = cluster();
    c.write_file("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: blue\nspec:\n  ports:\n  - port: 80\n");
    assert_eq!(
        fails(&mut c, "kubectl create -f svc.yaml"),
        "Error from server (NotFound): error when creating \"svc.yaml\": namespaces \"blue\" not found\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl create deployment x --image=nginx -n nope"),
        "error: failed to create deployment: namespaces \"nope\" not found\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl run x --image=nginx -n nope"),
        "Error from server (NotFound): namespaces \"nope\" not found\n"
    );
}

#[test]
fn invalid_names_get_the_dns_1123_and_1035_messages() {
    let mut c = cluster();
    assert_eq!(
        fails(&mut c, "kubectl create namespace Blue"),
        "The Namespace \"Blue\" is invalid: metadata.name: Invalid value: \"Blue\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n"
    );
    c.write_file(
        "d.yaml",
        &BAD_FIELD
            .replace("replica: 2", "replicas: 2")
            .replace("        imagePullPolice: Always\n", "")
            .replace("name: http-go\nspec", "name: Pod_Jenkins\nspec"),
    );
    assert_eq!(
        fails(&mut c, "kubectl apply -f d.yaml"),
        "The Deployment \"Pod_Jenkins\" is invalid: metadata.name: Invalid value: \"Pod_Jenkins\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl create service clusterip 1svc --tcp=80:80"),
        "The Service \"1svc\" is invalid: metadata.name: Invalid value: \"1svc\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')\n"
    );
}

#[test]
fn a_selector_that_misses_the_template_labels_is_invalid() {
    let mut c = cluster();
    c.write_file(
        "d.yaml",
        &BAD_FIELD
            .replace("replica: 2", "replicas: 2")
            .replace("        imagePullPolice: Always\n", "")
            .replace(
                "      labels:\n        app: http-go",
                "      labels:\n        app: other",
            ),
    );
    assert_eq!(
        fails(&mut c, "kubectl apply -f d.yaml"),
        "The Deployment \"http-go\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`\n"
    );
}

#[test]
fn missing_required_fields_are_listed_one_per_line() {
    let mut c = cluster();
    c.write_file(
        "p.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n",
    );
    assert_eq!(
        fails(&mut c, "kubectl apply -f p.yaml"),
        "The Pod \"p\" is invalid: spec.containers[0].image: Required value\n"
    );
    c.write_file("d.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx\n");
    assert_eq!(
        fails(&mut c, "kubectl apply -f d.yaml"),
        "The Deployment \"d\" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`]\n"
    );
}

#[test]
fn manifests_without_kind_or_with_unknown_kinds_are_refused_by_the_client() {
    let mut c = cluster();
    c.write_file("g.yaml", "metadata:\n  name: blue\n");
    assert_eq!(
        fails(&mut c, "kubectl apply -f g.yaml"),
        "error: unable to decode \"g.yaml\": Object 'Kind' is missing in '{\"metadata\":{\"name\":\"blue\"}}'\n"
    );
    c.write_file(
        "h.yaml",
        "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: x\n",
    );
    assert_eq!(
        fails(&mut c, "kubectl apply -f h.yaml"),
        "error: resource mapping not found for name: \"x\" namespace: \"\" from \"h.yaml\": no matches for kind \"Deployment\" in version \"v1\"\nensure CRDs are installed first\n"
    );
}

#[test]
fn yaml_syntax_errors_name_the_line_inside_the_document() {
    let mut c = cluster();
    c.write_file(
        "manifests/bad-yaml.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n labels: x\n",
    );
    // apply reads every document before changing anything...
    assert_eq!(
        run(&mut c, "kubectl apply -f manifests/bad-yaml.yaml"),
        (
            String::new(),
            "error: error parsing manifests/bad-yaml.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key\n".to_owned(),
            1
        )
    );
    // ...while create creates the documents before the broken one.
    assert_eq!(
        run(&mut c, "kubectl create -f manifests/bad-yaml.yaml"),
        (
            "namespace/a created\n".to_owned(),
            "error: error parsing manifests/bad-yaml.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key\n".to_owned(),
            1
        )
    );
}

#[test]
fn hostile_yaml_is_refused_with_an_error_instead_of_hanging() {
    let mut c = cluster();
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    c.write_file("bomb.yaml", &bomb);
    assert_eq!(
        fails(&mut c, "kubectl apply -f bomb.yaml"),
        "error: error parsing bomb.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing\n"
    );
    c.write_file("deep.yaml", &format!("a: {}\n", "[".repeat(100_000)));
    let err = fails(&mut c, "kubectl apply -f deep.yaml");
    assert!(
        err.starts_with("error: error parsing deep.yaml: error converting YAML to JSON: yaml: "),
        "{err}"
    );
}

#[test]
fn already_existing_objects_from_files_say_when_creating() {
    let mut c = cluster();
    ok(&mut c, "kubectl create namespace blue");
    c.write_file(
        "ns.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n",
    );
    assert_eq!(
        fails(&mut c, "kubectl create -f ns.yaml"),
        "Error from server (AlreadyExists): error when creating \"ns.yaml\": namespaces \"blue\" already exists\n"
    );
}

#[test]
fn several_errors_are_printed_one_per_line_without_the_error_prefix() {
    let mut c = cluster();
    ok(&mut c, "kubectl create namespace blue");
    c.write_file(
        "two.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n---\nmetadata:\n  name: x\n",
    );
    assert_eq!(
        fails(&mut c, "kubectl create -f two.yaml"),
        "Error from server (AlreadyExists): error when creating \"two.yaml\": namespaces \"blue\" already exists\nunable to decode \"two.yaml\": Object 'Kind' is missing in '{\"metadata\":{\"name\":\"x\"}}'\n"
    );
}

#[test]
fn immutable_fields_cannot_change_on_apply() {
    let mut c = cluster();
    let deploy = |label: &str| {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: {label}\n  template:\n    metadata:\n      labels:\n        app: {label}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n"
        )
    };
    c.write_file("web.yaml", &deploy("web"));
    ok(&mut c, "kubectl apply -f web.yaml");
    c.write_file("web.yaml", &deploy("other"));
    assert_eq!(
        fails(&mut c, "kubectl apply -f web.yaml"),
        "The Deployment \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"other\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n"
    );
}

#[test]
fn node_ports_must_be_in_range_and_free() {
    let mut c = cluster();
    ok(
        &mut c,
        "kubectl create service nodeport a --tcp=80:8080 --node-port=30080",
    );
    assert_eq!(
        fails(
            &mut c,
            "kubectl create service nodeport b --tcp=80:8080 --node-port=30080"
        ),
        "The Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n"
    );
    assert_eq!(
        fails(
            &mut c,
            "kubectl create service nodeport c --tcp=80:8080 --node-port=80"
        ),
        "The Service \"c\" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767\n"
    );
}

#[test]
fn cluster_ips_must_be_in_the_service_range_and_free() {
    let mut c = cluster();
    assert_eq!(
        fails(
            &mut c,
            "kubectl create service clusterip dns2 --tcp=53:53 --clusterip=10.96.0.10"
        ),
        "The Service \"dns2\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: failed to allocate IP 10.96.0.10: provided IP is already allocated\n"
    );
    assert_eq!(
        fails(
            &mut c,
            "kubectl create service clusterip far --tcp=80:80 --clusterip=10.0.0.5"
        ),
        "The Service \"far\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.0.0.5\"}: failed to allocate IP 10.0.0.5: the provided network does not match the current range\n"
    );
}

#[test]
fn a_namespace_flag_that_contradicts_the_manifest_is_refused() {
    let mut c = cluster();
    ok(&mut c, "kubectl create namespace blue");
    c.write_file("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: blue\nspec:\n  ports:\n  - port: 80\n");
    assert_eq!(
        fails(&mut c, "kubectl apply -f svc.yaml -n default"),
        "error: the namespace from the provided object \"blue\" does not match the namespace \"default\". You must pass '--namespace=blue' to perform this operation.\n"
    );
}

#[test]
fn bad_flag_values_get_kubectls_messages() {
    let mut c = cluster();
    assert_eq!(
        fails(&mut c, "kubectl create namespace blue --dry-run=maybe"),
        "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl get pods -o bogus"),
        "error: unable to match a printer suitable for the output format \"bogus\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n"
    );
    let err = fails(&mut c, "kubectl create deployment x");
    assert!(
        err.ends_with(
            "run.go:72] \"command failed\" err=\"required flag(s) \\\"image\\\" not set\"\n"
        ),
        "{err}"
    );
    let err = fails(&mut c, "kubectl scale deploy x");
    assert!(
        err.contains("required flag(s) \\\"replicas\\\" not set"),
        "{err}"
    );
}

#[test]
fn exec_and_logs_explain_why_they_cannot_run() {
    let mut c = cluster();
    ok(&mut c, "kubectl run web --image=nginx");
    assert_eq!(
        fails(&mut c, "kubectl logs web"),
        "Error from server (BadRequest): container \"web\" in pod \"web\" is waiting to start: ContainerCreating\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl exec web -- ls"),
        "error: unable to upgrade connection: container not found (\"web\")\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl exec web ls"),
        "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl logs nosuch"),
        "Error from server (NotFound): pods \"nosuch\" not found\n"
    );
}

#[test]
fn the_system_namespaces_cannot_be_deleted() {
    let mut c = cluster();
    assert_eq!(
        fails(&mut c, "kubectl delete namespace kube-system"),
        "Error from server (Forbidden): namespaces \"kube-system\" is forbidden: this namespace may not be deleted\n"
    );
    assert!(ok(&mut c, "kubectl get pods -n kube-system").contains("coredns-"));
}
