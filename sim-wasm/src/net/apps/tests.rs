use super::*;

#[test]
fn http_go_answers_with_the_pod_name_on_8080() {
    let info = lookup("gasbugs/http-go:v1");
    assert_eq!(info.listeners.first().map(|l| l.port), Some(8080));
    assert_eq!(info.workdir, "/usr/src/app");
    assert!(info.has("bash") && info.has("curl"));
    let Some(response) = http_response(App::HttpGo, "http-go-5c6f458dc9-wtpdq", "GET", 0) else {
        panic!("http-go speaks HTTP")
    };
    assert_eq!(response.body, "Welcome! http-go-5c6f458dc9-wtpdq\n");
}

#[test]
fn busybox_1_28_and_latest_ship_different_nslookups() {
    assert_eq!(
        lookup("busybox:1.28").nslookup,
        Some(NslookupFlavor::Busybox128)
    );
    assert_eq!(lookup("busybox").nslookup, Some(NslookupFlavor::Busybox));
    assert!(!lookup("busybox").has("curl"));
    assert_eq!(lookup("busybox").shell(), Some("sh"));
}

#[test]
fn image_references_split_into_repository_and_tag() {
    assert_eq!(split_image("nginx"), ("nginx", "latest"));
    assert_eq!(
        split_image("docker.io/library/nginx:1.27"),
        ("nginx", "1.27")
    );
    assert_eq!(
        split_image("localhost:5000/app"),
        ("localhost:5000/app", "latest")
    );
    assert_eq!(
        split_image("registry.k8s.io/pause:3.10"),
        ("registry.k8s.io/pause", "3.10")
    );
    assert_eq!(
        split_image("jenkins/jenkins:lts-jdk11@sha256:abc"),
        ("jenkins/jenkins", "lts-jdk11")
    );
    assert_eq!(
        split_image("localhost:5000/app:v2"),
        ("localhost:5000/app", "v2")
    );
}

#[test]
fn the_nginx_welcome_page_is_the_615_byte_original() {
    let Some(response) = http_response(App::Nginx, "web", "GET", 0) else {
        panic!("nginx speaks HTTP")
    };
    assert_eq!(response.body.len(), 615);
}

#[test]
fn http_dates_follow_imf_fixdate() {
    assert_eq!(
        http_date(crate::time::EPOCH_UNIX_SECONDS),
        "Thu, 26 Nov 2026 09:00:00 GMT"
    );
    assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

#[test]
fn two_containers_listening_on_one_port_conflict_in_the_shared_sandbox() {
    let conflicts = port_conflicts(&[
        ("web", "nginx"),
        ("web2", "nginx:1.27"),
        ("app", "gasbugs/http-go"),
    ]);
    assert_eq!(
        conflicts,
        vec![(
            "web2".to_owned(),
            80,
            "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)".to_owned()
        )]
    );
    assert!(port_conflicts(&[("a", "nginx"), ("b", "gasbugs/http-go")]).is_empty());
}
