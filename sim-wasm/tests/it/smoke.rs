//! Scratch: prints a session (run with --nocapture while developing).

use sim_wasm::{Cluster, ClusterConfig, Cni};

#[test]
fn print_a_session_for_review() {
    let mut c = Cluster::new(42, ClusterConfig { cni: Cni::Calico });
    for line in [
        "kubectl get nodes",
        "kubectl get nodes -o wide",
        "kubectl get ns",
        "kubectl get pods -A -o wide",
        "kubectl get all -n kube-system",
        "kubectl get svc -A",
        "kubectl get ep -A",
        "kubectl create namespace blue",
        "kubectl create namespace blue",
        "kubectl create deployment pod-jenkins --image=jenkins/jenkins:lts-jdk11 -n blue",
        "kubectl get pods -n blue",
        "kubectl expose deployment pod-jenkins --port=8080 -n blue --name=srv-jenkins",
        "kubectl get all -n blue",
        "kubectl get endpointslices -n blue",
        "kubectl describe svc srv-jenkins -n blue",
    ] {
        let out = c.exec(line);
        println!("$ {line}\n{}{}[exit {}]", out.stdout, out.stderr, out.exit_code);
    }
    c.settle();
    for line in ["kubectl get all -n blue -o wide", "kubectl describe svc srv-jenkins -n blue", "kubectl describe pod -n blue", "kubectl describe deploy -n blue", "kubectl get events -n blue"] {
        let out = c.exec(line);
        println!("$ {line}\n{}{}[exit {}]", out.stdout, out.stderr, out.exit_code);
    }
}
