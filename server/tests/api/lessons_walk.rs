//! The lesson walker: every lesson of `content/` is typed, block by block, into one fresh
//! simulated cluster, the way a student following the page would. A ```` ```terminal ````
//! block is one command per line; a ```` ```bash ```` block (heredocs) is one input. When a
//! block is followed by an ```` ```output ```` block, what the commands printed must equal it
//! byte for byte; a block without one must succeed (exit code 0), so a lesson never tells
//! students to type something the lab refuses without showing what they will see.
//!
//! Also grades the correct variants of each exercise that its YAML cannot declare (the
//! format has one `solution`): other labels, a named targetPort, NodePort, more replicas,
//! another document order for `dns-jenkins`, and the drafts' "also passes" answers.
//!
//! Knows the lesson file format only as far as fenced blocks go; it does not render pages
//! and goes through nothing but the public API of `sim_wasm` (`Cluster`, `grade`).

use std::path::Path;

use serde::Deserialize;
use sim_wasm::{Cluster, ClusterConfig};

use crate::helpers::content_dir;

/// One seed for every lesson: the outputs a lesson shows exactly are the ones that do not
/// depend on it (names and addresses that do are shown as ```` ```text ```` instead).
const SEED: u64 = 1;

#[derive(Deserialize)]
struct Index {
    lessons: Vec<String>,
}

/// What the student types for one block, and what the lesson says it prints.
#[derive(Debug)]
struct Step {
    /// 1-based line of the block's opening fence in the lesson file.
    line: usize,
    /// Inputs for `Cluster::exec`, in order.
    inputs: Vec<String>,
    expected: Expected,
}

/// What the lesson shows right after a block.
#[derive(Debug, PartialEq)]
enum Expected {
    /// An `output` block: the exact text the lab prints.
    Exactly(String),
    /// A `text` block: an illustration whose names and addresses differ per cluster, so
    /// it is not compared; the commands may fail (the text shows how).
    Illustration,
    /// Nothing: every command must succeed.
    Success,
}

/// A fence opening: the fence characters and the info word.
fn fence_open(line: &str) -> Option<(String, String)> {
    let trimmed = line.trim_start();
    let marker = trimmed.chars().next()?;
    if marker != '`' && marker != '~' {
        return None;
    }
    let length = trimmed.chars().take_while(|c| *c == marker).count();
    if length < 3 {
        return None;
    }
    let (fence, info) = trimmed.split_at(length);
    let word = info
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    Some((fence.to_owned(), word))
}

fn is_close(line: &str, fence: &str) -> bool {
    let trimmed = line.trim();
    let marker = fence.chars().next().unwrap_or('`');
    trimmed.len() >= fence.len() && trimmed.chars().all(|c| c == marker)
}

/// Every fenced block of a lesson: (opening line, info word, inner lines).
fn blocks(text: &str) -> Vec<(usize, String, Vec<String>)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let Some((fence, word)) = fence_open(lines[index]) else {
            index += 1;
            continue;
        };
        let opening = index;
        let mut inner = Vec::new();
        index += 1;
        while index < lines.len() && !is_close(lines[index], &fence) {
            inner.push(lines[index].to_owned());
            index += 1;
        }
        // The closing fence (a missing one is `server check`'s business).
        index += 1;
        // Blank lines between this block and the next fence matter for `output` pairing.
        found.push((opening + 1, word, inner));
    }
    found
}

fn steps(text: &str) -> Vec<Step> {
    let all = blocks(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut steps = Vec::new();
    for (position, (line, word, inner)) in all.iter().enumerate() {
        let inputs = match word.as_str() {
            "terminal" => inner
                .iter()
                .map(|command| command.trim().to_owned())
                .filter(|command| !command.is_empty())
                .collect(),
            "bash" => vec![inner.join("\n")],
            _ => continue,
        };
        // An `output` or `text` block counts only if nothing but blank lines separates the two.
        let expected = all
            .get(position + 1)
            .and_then(|(next_line, next_word, body)| {
                let closing = line + inner.len() + 1;
                let adjacent = lines
                    .get(closing..next_line - 1)
                    .unwrap_or_default()
                    .iter()
                    .all(|text| text.trim().is_empty());
                match next_word.as_str() {
                    "output" if adjacent => Some(Expected::Exactly(body.join("\n"))),
                    "text" if adjacent => Some(Expected::Illustration),
                    _ => None,
                }
            })
            .unwrap_or(Expected::Success);
        steps.push(Step {
            line: *line,
            inputs,
            expected,
        });
    }
    steps
}

/// Walks one lesson; returns every mismatch as `file:line: ...`.
fn walk(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let lab = lab_spec(&text);
    let mut cluster =
        Cluster::new(SEED, ClusterConfig { cni: lab.cni }).with_load_balancer(lab.load_balancer);
    let mut problems = Vec::new();
    for step in steps(&text) {
        // Students read the explanation between blocks: controllers have caught up.
        cluster.settle();
        let mut printed = String::new();
        let mut failures = Vec::new();
        for input in &step.inputs {
            let output = cluster.exec(input);
            // What the terminal shows: both streams in the order they were written.
            printed.push_str(&output.display);
            if output.continuation {
                failures.push(format!("`{input}` left an unfinished heredoc"));
            } else if output.exit_code != 0 {
                failures.push(format!("`{input}` exited {}", output.exit_code));
            }
        }
        let at = format!("{}:{}", path.display(), step.line);
        match &step.expected {
            Expected::Exactly(expected) => {
                let printed_lines = printed.strip_suffix('\n').unwrap_or(&printed);
                if printed_lines != expected {
                    problems.push(format!(
                        "{at}: the lesson shows\n{expected}\n--- but the lab printed\n{printed}---"
                    ));
                }
            }
            Expected::Success if !failures.is_empty() => problems.push(format!(
                "{at}: {} (a failing command needs an `output` or `text` block showing what it prints)\n{printed}",
                failures.join("; ")
            )),
            Expected::Success | Expected::Illustration => {}
        }
    }
    problems
}

/// The lesson's `lab:` front matter (the cluster its terminal starts with), as the server
/// reads it.
fn lab_spec(text: &str) -> server::content::LabSpec {
    let front = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map(|(front, _)| front)
        .unwrap_or_default();
    serde_saphyr::from_str::<server::content::LessonMeta>(front)
        .map(|meta| meta.lab)
        .unwrap_or_default()
}

fn lesson_paths() -> Vec<std::path::PathBuf> {
    let dir = content_dir();
    let index_text =
        std::fs::read_to_string(dir.join("index.yaml")).expect("content/index.yaml is readable");
    let index: Index = serde_saphyr::from_str(&index_text).expect("content/index.yaml parses");
    index
        .lessons
        .iter()
        .map(|name| dir.join("lessons").join(format!("{name}.md")))
        .collect()
}

#[test]
fn every_lesson_prints_in_the_lab_what_its_page_says_it_prints() {
    let paths = lesson_paths();
    let names: Vec<String> = paths
        .iter()
        .filter_map(|path| path.file_stem()?.to_str().map(str::to_owned))
        .collect();
    assert_eq!(
        names,
        [
            "01-network-model",
            "02-lab-environment",
            "03-containers-in-a-pod",
            "04-pod-to-pod",
            "05-pod-to-service",
            "06-dns",
            "07-external-clients",
            "08-exercise-dns",
            "09-glossary",
        ],
        "the issue's eight lessons in order, then the glossary"
    );
    let problems: Vec<String> = paths.iter().flat_map(|path| walk(path)).collect();
    assert!(problems.is_empty(), "\n{}", problems.join("\n\n"));
}

#[test]
fn the_walker_pairs_an_output_block_only_when_it_follows_directly() {
    let text = "# t\n```terminal\necho a\n```\n\n```output\na\n```\n```terminal\necho b\n```\ntext\n```output\nb\n```\n```terminal\nfalse\n```\n```text\nanything\n```\n";
    let found = steps(text);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].expected, Expected::Exactly("a".to_owned()));
    assert_eq!(found[1].expected, Expected::Success);
    assert_eq!(found[2].expected, Expected::Illustration);
}

#[test]
fn the_walker_feeds_a_bash_block_as_one_input_and_a_terminal_block_line_by_line() {
    let text = "```bash\ncat <<EOF > f\nx\nEOF\n```\n```terminal\ncat f\nls\n```\n";
    let found = steps(text);
    assert_eq!(found[0].inputs, vec!["cat <<EOF > f\nx\nEOF".to_owned()]);
    assert_eq!(found[1].inputs, vec!["cat f".to_owned(), "ls".to_owned()]);
}

#[test]
fn the_walker_reports_a_lesson_whose_output_differs_from_the_lab() {
    let dir = std::env::temp_dir().join(format!("lessons-walk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("lesson.md");
    std::fs::write(
        &path,
        "```terminal\nkubectl get ns blue\n```\n\n```output\nblue   Active   0s\n```\n",
    )
    .expect("write lesson");
    let problems = walk(&path);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("NotFound"), "{}", problems[0]);
}

/// Exercises accept every correct answer, not just their reference solution; the exercise
/// format declares one solution, so the other correct variants are graded here.
fn exercise(id: &str) -> sim_wasm::grade::Exercise {
    let path = content_dir().join(format!("exercises/{id}.yaml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_saphyr::from_str(&text)
        .unwrap_or_else(|error| panic!("{} does not parse: {error}", path.display()))
}

fn assert_exercise_passes(id: &str, answer: &str) {
    let report = sim_wasm::grade::grade(&exercise(id), answer);
    let failed = report.failed_checks().join(", ");
    assert_eq!(
        report.status,
        sim_wasm::grade::Status::Pass,
        "{id}: failed [{failed}] {:?}\n{answer}",
        report.error
    );
}

const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blue\n";

fn deployment(labels: &str, replicas: u32, port: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pod-jenkins\n  namespace: blue\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      {labels}\n  template:\n    metadata:\n      labels:\n        {labels}\n    spec:\n      containers:\n      - name: jenkins\n        image: jenkins/jenkins:lts-jdk11\n        ports:\n        {port}\n"
    )
}

fn service(selector: &str, target_port: &str, kind: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: srv-jenkins\n  namespace: blue\nspec:\n  type: {kind}\n  selector:\n    {selector}\n  ports:\n  - port: 8080\n    targetPort: {target_port}\n"
    )
}

fn assert_passes(answer: &str) {
    assert_exercise_passes("dns-jenkins", answer);
}

#[test]
fn dns_jenkins_accepts_other_labels() {
    let answer = [
        NAMESPACE,
        &deployment("tier: ci", 1, "- containerPort: 8080"),
        &service("tier: ci", "8080", "ClusterIP"),
    ]
    .join("---\n");
    assert_passes(&answer);
}

#[test]
fn dns_jenkins_accepts_a_named_target_port() {
    let answer = [
        NAMESPACE,
        &deployment(
            "app: pod-jenkins",
            1,
            "- name: http\n          containerPort: 8080",
        ),
        &service("app: pod-jenkins", "http", "ClusterIP"),
    ]
    .join("---\n");
    assert_passes(&answer);
}

#[test]
fn dns_jenkins_accepts_a_node_port_service() {
    let answer = [
        NAMESPACE,
        &deployment("app: pod-jenkins", 1, "- containerPort: 8080"),
        &service("app: pod-jenkins", "8080", "NodePort"),
    ]
    .join("---\n");
    assert_passes(&answer);
}

#[test]
fn dns_jenkins_accepts_more_replicas() {
    let answer = [
        NAMESPACE,
        &deployment("app: pod-jenkins", 3, "- containerPort: 8080"),
        &service("app: pod-jenkins", "8080", "ClusterIP"),
    ]
    .join("---\n");
    assert_passes(&answer);
}

#[test]
fn dns_jenkins_accepts_the_service_before_the_deployment() {
    let answer = [
        NAMESPACE,
        &service("app: pod-jenkins", "8080", "ClusterIP"),
        &deployment("app: pod-jenkins", 1, "- containerPort: 8080"),
    ]
    .join("---\n");
    assert_passes(&answer);
}

#[test]
fn dns_jenkins_accepts_what_kubectl_generates_today() {
    // The lesson's own file: `kubectl create deployment ... --port=8080` and `kubectl expose`
    // output (app labels, container name jenkins), with the `---` the seed forgot.
    let lesson = std::fs::read_to_string(content_dir().join("lessons/08-exercise-dns.md"))
        .expect("lesson 08 is readable");
    let start = lesson
        .find("```yaml\napiVersion: v1\nkind: Namespace")
        .expect("lesson 08 shows the finished file");
    let body = &lesson[start + "```yaml\n".len()..];
    let end = body.find("```").expect("the file's block is closed");
    assert_passes(&body[..end]);
}

#[test]
fn dns_jenkins_terminal_accepts_apply_after_the_file_is_complete() {
    let commands = "kubectl create namespace blue --dry-run=client -o yaml > blue-jenkins-svc-deploy.yaml
kubectl apply -f blue-jenkins-svc-deploy.yaml
echo --- >> blue-jenkins-svc-deploy.yaml
kubectl create deployment pod-jenkins --image=jenkins/jenkins:lts-jdk11 --port=8080 -n blue --dry-run=client -o yaml >> blue-jenkins-svc-deploy.yaml
kubectl apply -f blue-jenkins-svc-deploy.yaml
echo --- >> blue-jenkins-svc-deploy.yaml
kubectl expose deploy pod-jenkins --name srv-jenkins --dry-run=client -o yaml -n blue >> blue-jenkins-svc-deploy.yaml
kubectl apply -f blue-jenkins-svc-deploy.yaml
";
    assert_exercise_passes("dns-jenkins-terminal", commands);
}

#[test]
fn hello_on_worker2_accepts_a_node_selector() {
    assert_exercise_passes(
        "hello-on-worker2",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\nspec:\n  nodeSelector:\n    kubernetes.io/hostname: worker2\n  containers:\n  - name: hello\n    image: gasbugs/http-go\n",
    );
}

#[test]
fn localhost_pair_accepts_the_client_first_and_no_ports() {
    assert_exercise_passes(
        "localhost-pair",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pair\n  labels:\n    app: pair\nspec:\n  containers:\n  - name: client\n    image: curlimages/curl\n    command: [\"sh\", \"-c\", \"sleep 3600\"]\n  - name: web\n    image: gasbugs/http-go\n",
    );
}

#[test]
fn netpol_friend_only_accepts_a_policy_without_ports_or_policy_types() {
    assert_exercise_passes(
        "netpol-friend-only",
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: friend-only\nspec:\n  podSelector:\n    matchLabels:\n      run: web\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          run: friend\n",
    );
}

#[test]
fn clusterip_http_go_accepts_an_explicit_type_and_a_named_port() {
    assert_exercise_passes(
        "clusterip-http-go",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: http-go-svc\n  namespace: default\n  labels:\n    app: http-go\nspec:\n  type: ClusterIP\n  selector:\n    app: http-go\n  ports:\n  - name: http\n    protocol: TCP\n    port: 80\n    targetPort: 8080\n",
    );
}

#[test]
fn dns_externalname_accepts_a_namespace_and_ports() {
    assert_exercise_passes(
        "dns-externalname",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: jenkins\n  namespace: default\nspec:\n  type: ExternalName\n  externalName: srv-jenkins.blue.svc.cluster.local\n  ports:\n  - port: 8080\n",
    );
}

#[test]
fn nodeport_30080_accepts_a_load_balancer_service() {
    assert_exercise_passes(
        "nodeport-30080",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: http-go-np\nspec:\n  type: LoadBalancer\n  selector:\n    app: http-go\n  ports:\n  - name: http\n    protocol: TCP\n    port: 80\n    targetPort: 8080\n    nodePort: 30080\n",
    );
}
