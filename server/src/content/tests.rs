//! Unit tests of the content pipeline: front matter, blocks, callouts, rendering and the
//! sanitizer, and `path:line` errors.

use std::collections::BTreeMap;
use std::path::Path;

use super::Block;
use super::load::{parse_yaml, split_front_matter};
use super::preprocess::{blocks, check_links};
use super::render::markdown;
use super::{LabSpec, LessonMeta};

#[test]
fn front_matter_is_split_from_the_body_with_the_bodys_first_line() {
    let text = "---\ntitle: 제목\nsummary: 요약\nminutes: 5\n---\n\n본문\n";
    let (front, body, body_line) = split_front_matter(text).expect("has front matter");
    assert_eq!(front, "title: 제목\nsummary: 요약\nminutes: 5\n");
    assert_eq!(body, "\n본문\n");
    assert_eq!(body_line, 6);
}

#[test]
fn a_lessons_lab_settings_choose_the_cni_and_load_balancer_and_default_to_kubeadms() {
    let path = Path::new("content/lessons/x.md");
    let plain: LessonMeta =
        parse_yaml(path, "title: t\nsummary: s\nminutes: 5\n", 1).expect("valid front matter");
    assert_eq!(plain.lab, LabSpec::default());
    assert_eq!(
        (plain.lab.cni_name(), plain.lab.load_balancer_name()),
        ("calico", "none")
    );
    let custom: LessonMeta = parse_yaml(
        path,
        "title: t\nsummary: s\nminutes: 5\nlab:\n  cni: weave-net\n  load_balancer: metallb\n",
        1,
    )
    .expect("valid front matter");
    assert_eq!(
        (custom.lab.cni_name(), custom.lab.load_balancer_name()),
        ("weave-net", "metallb")
    );
    let wrong = parse_yaml::<LessonMeta>(
        path,
        "title: t\nsummary: s\nminutes: 5\nlab:\n  cni: cilium\n",
        1,
    )
    .expect_err("cilium is not simulated");
    assert!(wrong.to_string().contains("cilium"), "{wrong}");
    assert!(wrong.to_string().contains("x.md:6"), "{wrong}");
}

#[test]
fn a_lesson_without_front_matter_is_rejected() {
    assert_eq!(split_front_matter("# 제목\n"), None);
    assert_eq!(split_front_matter("---\ntitle: never closed\n"), None);
}

#[test]
fn korean_bold_next_to_punctuation_renders_as_strong() {
    assert_eq!(
        markdown("**마크다운(Markdown)**을 사용하세요."),
        "<p><strong>마크다운(Markdown)</strong>을 사용하세요.</p>\n"
    );
    assert!(markdown("**중요:**다음 단계").contains("<strong>중요:</strong>다음"));
    assert!(
        markdown("**\"kubectl apply\"**를 실행").contains("<strong>\"kubectl apply\"</strong>를")
    );
}

#[test]
fn raw_html_and_scripts_never_reach_the_page() {
    let html = markdown("안녕 <script>alert(1)</script> <img src=x onerror=alert(1)>");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("onerror"), "{html}");
}

#[test]
fn tables_and_strikethrough_are_enabled() {
    let html = markdown("| 이름 | IP |\n|---|---|\n| master | 192.168.56.10 |\n\n~~옛날~~");
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains("<del>옛날</del>"), "{html}");
}

#[test]
fn korean_callouts_become_titled_alerts() {
    let blocks = blocks(
        Path::new("l.md"),
        "> [!참고]\n> 서비스 이름은 DNS 이름입니다.\n",
        1,
        &BTreeMap::new(),
    )
    .expect("valid");
    let [Block::Html(html)] = blocks.as_slice() else {
        panic!("one html block: {blocks:?}");
    };
    assert!(
        html.contains("<div class=\"markdown-alert markdown-alert-note\">"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"markdown-alert-title\">참고</p>"),
        "{html}"
    );
}

#[test]
fn terminal_blocks_become_runnable_commands_and_split_the_markdown() {
    let body = "앞\n\n```terminal\nkubectl get nodes\n\nkubectl get ns\n```\n\n뒤\n";
    let blocks = blocks(Path::new("l.md"), body, 1, &BTreeMap::new()).expect("valid");
    assert_eq!(blocks.len(), 3);
    let Block::Commands(commands) = &blocks[1] else {
        panic!("commands in the middle: {blocks:?}");
    };
    assert_eq!(
        commands,
        &vec!["kubectl get nodes".to_owned(), "kubectl get ns".to_owned()]
    );
}

#[test]
fn ordinary_code_blocks_stay_code_even_with_our_words_inside() {
    let body = "````yaml\n```terminal\nnot a command\n```\n````\n";
    let blocks = blocks(Path::new("l.md"), body, 1, &BTreeMap::new()).expect("valid");
    let [Block::Html(html)] = blocks.as_slice() else {
        panic!("one html block: {blocks:?}");
    };
    assert!(
        html.contains("<code class=\"language-yaml\">```terminal\nnot a command\n```\n</code>"),
        "{html}"
    );
}

#[test]
fn hints_are_collapsed_markdown() {
    let body = "```hint\n**metadata.name**을 보세요\n```\n";
    let blocks = blocks(Path::new("l.md"), body, 1, &BTreeMap::new()).expect("valid");
    let [Block::Details { summary, html }] = blocks.as_slice() else {
        panic!("one details block: {blocks:?}");
    };
    assert_eq!(*summary, "힌트");
    assert!(html.contains("<strong>metadata.name</strong>을"), "{html}");
}

#[test]
fn an_unknown_exercise_is_an_error_at_its_line() {
    let body = "첫 줄\n\n```exercise\nno-such\n```\n";
    let errors =
        blocks(Path::new("l.md"), body, 10, &BTreeMap::new()).expect_err("unknown exercise");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        "l.md:13: no exercise \"no-such\" in exercises/ (expected exercises/no-such.yaml)"
    );
}

#[test]
fn an_unclosed_fence_is_an_error_at_its_opening_line() {
    let errors = blocks(
        Path::new("l.md"),
        "a\n```terminal\nkubectl get ns\n",
        1,
        &BTreeMap::new(),
    )
    .expect_err("unclosed");
    assert_eq!(
        errors[0].to_string(),
        "l.md:2: this code block is never closed"
    );
}

#[test]
fn links_to_unknown_lessons_are_reported_with_their_line() {
    let text = "[처음](/lessons/01-a)\n\n[없음](/lessons/99-b)\n";
    let errors = check_links(Path::new("l.md"), text, &["01-a"]);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        "l.md:3: link to unknown lesson /lessons/99-b"
    );
}

#[test]
fn the_course_in_the_repository_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let course = super::Course::load(&dir).unwrap_or_else(|errors| panic!("{errors}"));
    assert_eq!(course.lessons[0].slug.as_ref(), "01-network-model");
    assert!(course.exercise("ns-blue").is_some());
    assert_eq!(
        course.lessons[0]
            .exercise_ids()
            .map(|id| id.to_string())
            .collect::<Vec<_>>(),
        vec!["ns-blue", "ns-red-terminal"]
    );
}

#[test]
fn unquoted_numbers_in_check_expectations_are_read_as_text() {
    let yaml = "kind: service\nname: srv\npath: .spec.ports[0].port\nequals: 8080\n";
    let state: sim_wasm::grade::StateCheck = serde_saphyr::from_str(yaml).expect("valid check");
    assert_eq!(
        state.equals,
        Some(sim_wasm::grade::ScalarText("8080".into()))
    );
}
