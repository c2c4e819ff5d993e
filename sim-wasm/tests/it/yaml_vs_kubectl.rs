//! The YAML reader and writer against the real kubectl: the same JSON must print as the same
//! YAML, and broken manifests must fail with the same message and line.

use crate::real_kubectl::{kubectl, scratch};
use sim_wasm::yaml::{Budget, parse_manifest, to_json_pretty, to_yaml};

/// Dry-run objects that exercise quoting, folding, block scalars and empty collections.
const DRY_RUNS: &[&[&str]] = &[
    &["create", "namespace", "blue"],
    &[
        "create",
        "deployment",
        "pod-jenkins",
        "--image=jenkins/jenkins:lts-jdk11",
        "-n",
        "blue",
    ],
    &[
        "create",
        "deployment",
        "http-go",
        "--image=gasbugs/http-go",
        "--port=8080",
        "--replicas=3",
    ],
    &[
        "create",
        "service",
        "nodeport",
        "http-go-svc",
        "--tcp=80:8080",
        "--node-port=30080",
    ],
    &[
        "create",
        "service",
        "clusterip",
        "headless-svc",
        "--clusterip=None",
        "--tcp=80:80",
    ],
    &[
        "create",
        "configmap",
        "quoting",
        "--from-literal=a=8080",
        "--from-literal=b=true",
        "--from-literal=c=",
        "--from-literal=d=hello: world",
        "--from-literal=e=#x",
        "--from-literal=f=line1\nline2",
        "--from-literal=g=line1\nline2\n",
        "--from-literal=h=- x",
        "--from-literal=i=yes",
        "--from-literal=j=1.5",
        "--from-literal=k=null",
        "--from-literal=l=a long string with many words that goes past the eighty column limit for sure yes it does",
        "--from-literal=m={x}",
        "--from-literal=n=x: ",
        "--from-literal=o= lead",
        "--from-literal=p=trail ",
        "--from-literal=q=it's",
        "--from-literal=r=~",
        "--from-literal=s=0x1F",
        "--from-literal=t=1e3",
        "--from-literal=u=*a",
        "--from-literal=v=a\"b",
        "--from-literal=w=tab\there",
        "--from-literal=y=12:30",
        "--from-literal=z=.inf",
        "--from-literal=k1=한국어 문자열",
        "--from-literal=k2=2026-11-26",
        "--from-literal=k3=a\n b",
        "--from-literal=k4=a \nb",
        "--from-literal=k5= \n",
        "--from-literal=k6=\nlead",
        "--from-literal=k7=x\n\n",
        "--from-literal=k8=---",
        "--from-literal=k9=a # b",
        "--from-literal=k10=a#b",
        "--from-literal=k11=@x",
        "--from-literal=k12=\"double\" 'single' with a long tail of words to push it past eighty columns",
        "--from-literal=k13=0755",
        "--from-literal=k14=+1",
        "--from-literal=k15=-",
        "--from-literal=k16=?",
    ],
];

#[test]
fn json_from_kubectl_prints_as_the_same_yaml_kubectl_prints() {
    let dir = scratch("emit");
    for args in DRY_RUNS {
        let mut yaml_args = args.to_vec();
        yaml_args.extend(["--dry-run=client", "-o", "yaml"]);
        let mut json_args = args.to_vec();
        json_args.extend(["--dry-run=client", "-o", "json"]);
        let (yaml, err, code) = kubectl(&dir, &yaml_args);
        assert_eq!(code, 0, "{args:?}: {err}");
        let (json, err, code) = kubectl(&dir, &json_args);
        assert_eq!(code, 0, "{args:?}: {err}");
        let value: serde_json::Value = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("kubectl printed invalid JSON for {args:?}: {e}"));
        assert_eq!(to_yaml(&value), yaml, "{args:?}");
        // And reading kubectl's YAML back gives the same value.
        let docs = parse_manifest(&yaml, Budget::default())
            .unwrap_or_else(|(_, e)| panic!("{args:?}: {e}"));
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].value, value, "{args:?}");
    }
}

#[test]
fn pretty_json_matches_kubectl_for_a_dry_run_list_free_object() {
    // kubectl prints typed dry-run objects in struct order, but after a round trip through
    // a map (what `get -o json` does) keys are sorted; compare sorted key sets line by line.
    let dir = scratch("json");
    let (json, err, code) = kubectl(
        &dir,
        &[
            "create",
            "configmap",
            "c",
            "--from-literal=a=<&>",
            "--dry-run=client",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
    let ours = to_json_pretty(&value);
    let mut a: Vec<&str> = ours.lines().map(|l| l.trim_end_matches(',')).collect();
    let mut b: Vec<&str> = json.lines().map(|l| l.trim_end_matches(',')).collect();
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b);
}

/// Broken manifests: the message and line kubectl prints for each.
const BROKEN: &[(&str, &str)] = &[
    (
        "over-indented key",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n   labels: x\n",
    ),
    (
        "at sign",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n  x: @foo\n",
    ),
    (
        "under-indented key",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n labels: x\n",
    ),
    (
        "second document",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n labels: x\n",
    ),
    (
        "tab indentation",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: blue\n",
    ),
    ("unclosed flow sequence", "a: [1, 2\nb: 3\n"),
    ("unclosed flow mapping", "a: {x: 1\nb: 3\n"),
    ("unclosed quote", "a: \"abc\nb: 3\n"),
    ("bad escape", "a: \"\\q\"\n"),
    ("sequence in mapping", "a: 1\n- b\n"),
    ("invalid document separator", "a: 1\n--- x\nb: 2\n"),
    ("mapping in sequence", "a:\n- b\nc\n"),
    ("dash without space", "a:\n  -b: 1\n  - c\n"),
    (
        "two values on a line",
        "apiVersion: v1\nkind: Pod\nmetadata: name: x\n",
    ),
    ("sequence then mapping", "- a\nb: c\n"),
    ("unclosed single quote", "a: 'abc\n"),
    ("stray closing bracket", "a: ]\n"),
    ("anchor undefined", "a: *nope\n"),
    (
        "indented second document key",
        "apiVersion: v1\nkind: Service\nspec:\n  ports:\n  - port: 80\n   targetPort: 8080\n",
    ),
    (
        "list item less indented",
        "spec:\n  containers:\n    - name: a\n  - name: b\n",
    ),
    ("colon in plain value", "a: b: c\n"),
    ("percent at start", "%x\n"),
    ("backtick", "a: `b`\n"),
];

#[test]
fn broken_manifests_fail_with_kubectls_message_and_line() {
    let dir = scratch("broken");
    let mut mismatches = Vec::new();
    for (name, text) in BROKEN {
        let file = dir.join("f.yaml");
        std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
        let (_, stderr, code) = kubectl(
            &dir,
            &[
                "create",
                "-f",
                "f.yaml",
                "--dry-run=client",
                "-o",
                "yaml",
                "--validate=false",
            ],
        );
        assert_eq!(code, 1, "{name}: {stderr}");
        let expected = stderr
            .lines()
            .find_map(|l| {
                l.split_once("error parsing f.yaml: ")
                    .map(|(_, m)| m.to_owned())
            })
            .unwrap_or_else(|| panic!("{name}: kubectl printed no parse error: {stderr}"));
        let ours = match parse_manifest(text, Budget::default()) {
            Ok(docs) => format!("parsed {} documents", docs.len()),
            Err((_, e)) => e.message,
        };
        if ours != expected {
            mismatches.push(format!("{name}:\n  kubectl: {expected}\n  ours:    {ours}"));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
