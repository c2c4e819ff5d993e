//! MetalLB through the student's terminal: addresses, events, release, the election.

use crate::{Cluster, ClusterConfig, Cni, LoadBalancer};

fn metallb_cluster() -> Cluster {
    Cluster::new(7, ClusterConfig { cni: Cni::Calico }).with_load_balancer(LoadBalancer::Metallb)
}

fn ok(c: &mut Cluster, line: &str) -> String {
    let out = c.exec(line);
    assert_eq!(out.exit_code, 0, "{line}\n{}\n{}", out.stdout, out.stderr);
    out.stdout
}

fn web(c: &mut Cluster) {
    ok(
        c,
        "kubectl create deployment web --image=nginx --replicas=2",
    );
    ok(
        c,
        "kubectl expose deployment web --type=LoadBalancer --port=80",
    );
    c.settle();
}

#[test]
fn without_a_load_balancer_the_external_ip_stays_pending_as_on_kubeadm() {
    let mut c = Cluster::new(7, ClusterConfig { cni: Cni::Calico });
    web(&mut c);
    let out = ok(&mut c, "kubectl get svc web");
    assert!(out.contains("<pending>"), "{out}");
    assert!(!ok(&mut c, "kubectl get ns").contains("metallb-system"));
}

#[test]
fn metallb_runs_a_controller_and_a_speaker_per_node_in_metallb_system() {
    let mut c = metallb_cluster();
    let out = ok(&mut c, "kubectl get pods -n metallb-system -o wide");
    assert_eq!(out.matches("speaker-").count(), 3, "{out}");
    assert_eq!(out.matches("controller-").count(), 1, "{out}");
    assert_eq!(out.matches("Running").count(), 4, "{out}");
    for node in ["master", "worker1", "worker2"] {
        assert!(out.contains(node), "{out}");
    }
    let ds = ok(
        &mut c,
        "kubectl get ds -n metallb-system speaker -o jsonpath={.spec.template.spec.hostNetwork}",
    );
    assert_eq!(ds, "true");
}

#[test]
fn the_first_load_balancer_gets_the_first_pool_address_with_metallb_s_events() {
    let mut c = metallb_cluster();
    web(&mut c);
    let out = ok(&mut c, "kubectl get svc web");
    assert!(out.contains("192.168.56.200"), "{out}");
    let describe = ok(&mut c, "kubectl describe svc web");
    assert!(
        describe.contains("LoadBalancer Ingress:     192.168.56.200\n"),
        "{describe}"
    );
    assert!(
        describe.contains("metallb.universe.tf/ip-allocated-from-pool: first-pool"),
        "{describe}"
    );
    assert!(describe.contains("IPAllocated   "), "{describe}");
    assert!(
        describe.contains("metallb-controller  Assigned IP [\"192.168.56.200\"]"),
        "{describe}"
    );
    assert!(
        describe.contains(
            "metallb-speaker     announcing from node \"worker1\" with protocol \"layer2\""
        ),
        "{describe}"
    );
    let ip_mode = ok(
        &mut c,
        "kubectl get svc web -o jsonpath={.status.loadBalancer.ingress[0].ipMode}",
    );
    assert_eq!(ip_mode, "VIP");
}

#[test]
fn a_second_service_gets_the_next_address_and_a_deleted_service_gives_its_address_back() {
    let mut c = metallb_cluster();
    web(&mut c);
    ok(
        &mut c,
        "kubectl create service loadbalancer second --tcp=80:80",
    );
    c.settle();
    assert!(ok(&mut c, "kubectl get svc second").contains("192.168.56.201"));
    ok(&mut c, "kubectl delete svc web");
    ok(
        &mut c,
        "kubectl create service loadbalancer third --tcp=80:80",
    );
    c.settle();
    let out = ok(&mut c, "kubectl get svc third");
    assert!(out.contains("192.168.56.200"), "{out}");
}

#[test]
fn turning_a_load_balancer_into_a_node_port_service_releases_its_address() {
    let mut c = metallb_cluster();
    web(&mut c);
    c.write_file(
        "web.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n",
    );
    ok(&mut c, "kubectl apply -f web.yaml");
    c.settle();
    let out = ok(&mut c, "kubectl get svc web");
    assert!(
        out.contains("NodePort") && !out.contains("192.168.56.200"),
        "{out}"
    );
    let annotations = ok(
        &mut c,
        "kubectl get svc web -o jsonpath={.metadata.annotations}",
    );
    assert!(
        !annotations.contains("ip-allocated-from-pool"),
        "{annotations}"
    );
    ok(
        &mut c,
        "kubectl create service loadbalancer next --tcp=80:80",
    );
    c.settle();
    assert!(ok(&mut c, "kubectl get svc next").contains("192.168.56.200"));
}

#[test]
fn a_requested_address_outside_the_pool_stays_pending_with_allocation_failed() {
    let mut c = metallb_cluster();
    c.write_file(
        "lb.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: fixed\nspec:\n  type: LoadBalancer\n  loadBalancerIP: 10.0.0.5\n  ports:\n  - port: 80\n",
    );
    ok(&mut c, "kubectl apply -f lb.yaml");
    c.settle();
    assert!(ok(&mut c, "kubectl get svc fixed").contains("<pending>"));
    let describe = ok(&mut c, "kubectl describe svc fixed");
    assert!(
        describe.contains("Warning  AllocationFailed")
            && describe.contains(
                r#"Failed to allocate IP for "default/fixed": "10.0.0.5" is not allowed in config"#
            ),
        "{describe}"
    );
}

#[test]
fn a_requested_address_inside_the_pool_is_the_one_assigned() {
    let mut c = metallb_cluster();
    c.write_file(
        "lb.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: fixed\nspec:\n  type: LoadBalancer\n  loadBalancerIP: 192.168.56.240\n  ports:\n  - port: 80\n",
    );
    ok(&mut c, "kubectl apply -f lb.yaml");
    c.settle();
    assert!(ok(&mut c, "kubectl get svc fixed").contains("192.168.56.240"));
}

#[test]
fn an_exhausted_pool_leaves_the_next_service_pending_with_no_available_ips() {
    let mut c = metallb_cluster();
    let lines: Vec<String> = (0..51)
        .map(|i| format!("kubectl create service loadbalancer s{i} --tcp=80:80"))
        .collect();
    ok(&mut c, &lines.join("\n"));
    ok(
        &mut c,
        "kubectl create service loadbalancer overflow --tcp=80:80",
    );
    c.settle();
    assert!(ok(&mut c, "kubectl get svc s50").contains("192.168.56.250"));
    assert!(ok(&mut c, "kubectl get svc overflow").contains("<pending>"));
    let describe = ok(&mut c, "kubectl describe svc overflow");
    assert!(
        describe.contains(r#"Failed to allocate IP for "default/overflow": no available IPs"#),
        "{describe}"
    );
}

#[test]
fn a_service_without_endpoints_gets_an_address_but_no_speaker_announces_it() {
    let mut c = metallb_cluster();
    ok(
        &mut c,
        "kubectl create service loadbalancer lonely --tcp=80:80",
    );
    c.settle();
    let describe = ok(&mut c, "kubectl describe svc lonely");
    assert!(describe.contains("IPAllocated"), "{describe}");
    assert!(!describe.contains("nodeAssigned"), "{describe}");
}

fn lb_exercise(load_balancer: Option<&str>) -> crate::grade::Exercise {
    let mut value = serde_json::json!({
        "id": "lb-web",
        "title": "로드밸런서 서비스",
        "prompt": "web 서비스를 LoadBalancer로 만드세요.",
        "checks": [{
            "id": "has-address",
            "title": "외부 주소가 할당됐습니다",
            "message": "EXTERNAL-IP가 없습니다.",
            "hint": "kubectl get svc web을 보세요.",
            "state": { "kind": "service", "name": "web",
                "path": ".status.loadBalancer.ingress[0].ip", "equals": "192.168.56.200" }
        }],
        "solution": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 80\n",
        "wrong": []
    });
    if let Some(lb) = load_balancer {
        value["load_balancer"] = serde_json::json!(lb);
    }
    serde_json::from_value(value).unwrap_or_else(|e| panic!("the exercise is invalid: {e}"))
}

#[test]
fn an_exercise_with_load_balancer_metallb_is_graded_on_a_cluster_with_metallb() {
    let exercise = lb_exercise(Some("metallb"));
    assert_eq!(exercise.load_balancer, LoadBalancer::Metallb);
    let report = crate::grade::grade(&exercise, &exercise.solution);
    assert_eq!(report.status, crate::grade::Status::Pass, "{report:#?}");
}

#[test]
fn an_exercise_without_load_balancer_grades_on_kubeadm_s_pending_default() {
    let exercise = lb_exercise(None);
    assert_eq!(exercise.load_balancer, LoadBalancer::None);
    let report = crate::grade::grade(&exercise, &exercise.solution);
    assert_eq!(report.status, crate::grade::Status::Fail, "{report:#?}");
}

fn local_lb(c: &mut Cluster) {
    ok(
        c,
        "kubectl create deployment one --image=nginx --replicas=1",
    );
    c.write_file(
        "one.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: one\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector:\n    app: one\n  ports:\n  - port: 80\n",
    );
    ok(c, "kubectl apply -f one.yaml");
    c.settle();
}

#[test]
fn a_local_load_balancer_gets_a_health_check_node_port_that_kube_proxy_opens() {
    let mut c = metallb_cluster();
    local_lb(&mut c);
    let port = ok(
        &mut c,
        "kubectl get svc one -o jsonpath={.spec.healthCheckNodePort}",
    );
    let number: u16 = port.parse().unwrap_or_else(|_| panic!("no port: {port:?}"));
    assert!((30000..=32767).contains(&number), "{number}");
    let node_port = ok(
        &mut c,
        "kubectl get svc one -o jsonpath={.spec.ports[0].nodePort}",
    );
    assert_ne!(port, node_port);
    let describe = ok(&mut c, "kubectl describe svc one");
    assert!(
        describe.contains(&format!("HealthCheck NodePort:     {port}\n")),
        "{describe}"
    );
    let filter = ok(&mut c, "sudo iptables-save -t filter");
    assert!(
        filter.contains(&format!(
            "-A KUBE-NODEPORTS -p tcp -m comment --comment \"default/one health check node port\" -m tcp --dport {port} -j ACCEPT"
        )),
        "{filter}"
    );
}

#[test]
fn switching_back_to_cluster_policy_drops_the_health_check_node_port() {
    let mut c = metallb_cluster();
    local_lb(&mut c);
    c.write_file(
        "one.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: one\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Cluster\n  selector:\n    app: one\n  ports:\n  - port: 80\n",
    );
    ok(&mut c, "kubectl apply -f one.yaml");
    c.settle();
    assert_eq!(
        ok(
            &mut c,
            "kubectl get svc one -o jsonpath={.spec.healthCheckNodePort}"
        ),
        ""
    );
    assert!(!ok(&mut c, "kubectl describe svc one").contains("HealthCheck NodePort"));
}

#[test]
fn inside_the_cluster_the_load_balancer_address_is_caught_by_kube_proxy_without_arp() {
    let mut c = metallb_cluster();
    web(&mut c);
    let out = c.exec("kubectl exec deploy/web -- curl -s 192.168.56.200");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Welcome to nginx!"));
    let trace = out.traces.first().map(|t| t.to_text()).unwrap_or_default();
    assert!(trace.contains("default/web loadbalancer IP"), "{trace}");
    assert!(!trace.contains("ARP"), "{trace}");
}

#[test]
fn without_its_controller_pod_metallb_assigns_nothing() {
    let mut c = metallb_cluster();
    ok(&mut c, "kubectl delete ns metallb-system");
    c.settle();
    ok(
        &mut c,
        "kubectl create service loadbalancer late --tcp=80:80",
    );
    c.settle();
    let out = ok(&mut c, "kubectl get svc late");
    assert!(out.contains("<pending>"), "{out}");
    assert!(!ok(&mut c, "kubectl describe svc late").contains("IPAllocated"));
}
