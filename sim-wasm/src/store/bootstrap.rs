//! The API objects `kubeadm init` + `kubeadm join` leave behind before any workload runs:
//! namespaces, the three nodes, the `kubernetes` and `kube-dns` services and the
//! apiserver-managed `kubernetes` endpoints. kube-system's pods are created by the
//! controllers (`controllers::addons`) on the same backdated clock.

use serde_json::{Value, json};

use super::{PodBlock, Store};
use crate::api::Kind;
use crate::cluster::Cni;
use crate::rand::Rng;

/// Facts about one node of the course's cluster.
#[derive(Clone, Copy, Debug)]
pub struct NodeFacts {
    pub name: &'static str,
    pub ip: &'static str,
    pub control_plane: bool,
}

pub const NODES: [NodeFacts; 3] = [
    NodeFacts {
        name: "master",
        ip: "192.168.56.10",
        control_plane: true,
    },
    NodeFacts {
        name: "worker1",
        ip: "192.168.56.11",
        control_plane: false,
    },
    NodeFacts {
        name: "worker2",
        ip: "192.168.56.12",
        control_plane: false,
    },
];

fn must_create(store: &mut Store, kind: Kind, obj: Value, rng: &mut Rng) {
    // Bootstrap objects have fixed, distinct names, so creation cannot collide.
    let _ = store.create(kind, obj, rng);
}

pub(super) fn populate(store: &mut Store, rng: &mut Rng) {
    for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
        must_create(
            store,
            Kind::Namespace,
            json!({
                "metadata": {"name": ns, "labels": {"kubernetes.io/metadata.name": ns}},
                "spec": {"finalizers": ["kubernetes"]},
                "status": {"phase": "Active"}
            }),
            rng,
        );
    }
    if store.cni == Cni::Flannel {
        must_create(
            store,
            Kind::Namespace,
            json!({
                "metadata": {"name": "kube-flannel", "labels": {
                    "kubernetes.io/metadata.name": "kube-flannel",
                    "k8s-app": "flannel",
                    "pod-security.kubernetes.io/enforce": "privileged"}},
                "spec": {"finalizers": ["kubernetes"]},
                "status": {"phase": "Active"}
            }),
            rng,
        );
    }
    for (index, node) in NODES.iter().enumerate() {
        let block = pod_block(store.cni, index, rng);
        store.set_pod_block(node.name, block);
        must_create(
            store,
            Kind::Node,
            node_object(node, index, store.cni, block),
            rng,
        );
    }
    must_create(
        store,
        Kind::Service,
        json!({
            "metadata": {"name": "kubernetes", "namespace": "default",
                "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {
                "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
                "ipFamilyPolicy": "SingleStack",
                "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                "sessionAffinity": "None", "type": "ClusterIP"
            },
            "status": {"loadBalancer": {}}
        }),
        rng,
    );
    must_create(
        store,
        Kind::Endpoints,
        json!({
            "metadata": {"name": "kubernetes", "namespace": "default",
                "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": "192.168.56.10"}],
                "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]
        }),
        rng,
    );
    must_create(
        store,
        Kind::EndpointSlice,
        json!({
            "metadata": {"name": "kubernetes", "namespace": "default",
                "labels": {"kubernetes.io/service-name": "kubernetes"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": ["192.168.56.10"],
                "conditions": {"ready": true, "serving": true, "terminating": false}}],
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]
        }),
        rng,
    );
    must_create(
        store,
        Kind::Service,
        json!({
            "metadata": {"name": "kube-dns", "namespace": "kube-system",
                "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
                "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                    "kubernetes.io/name": "CoreDNS"}},
            "spec": {
                "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
                "internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
                "ipFamilyPolicy": "SingleStack",
                "ports": [
                    {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                    {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                    {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}
                ],
                "selector": {"k8s-app": "kube-dns"},
                "sessionAffinity": "None", "type": "ClusterIP"
            },
            "status": {"loadBalancer": {}}
        }),
        rng,
    );
}

/// Each CNI hands out pod addresses differently (fidelity.md §5).
fn pod_block(cni: Cni, index: usize, rng: &mut Rng) -> PodBlock {
    let index = index as u8;
    match cni {
        // Calico IPAM: a /26 block per node somewhere in 192.168.0.0/16.
        Cni::Calico => {
            let third = 64 + (rng.below(160) as u8);
            let fourth = (rng.below(4) as u8) * 64;
            PodBlock {
                base: [192, 168, third.wrapping_add(index), fourth],
                prefix: 26,
            }
        }
        // node.spec.podCIDR, allocated in node order by kube-controller-manager.
        Cni::Flannel => PodBlock {
            base: [10, 244, index, 0],
            prefix: 24,
        },
        // Weave IPAM splits 10.32.0.0/12 between peers.
        Cni::WeaveNet => PodBlock {
            base: [[10, 32, 0, 0], [10, 44, 0, 0], [10, 40, 0, 0]][usize::from(index) % 3],
            prefix: 14,
        },
    }
}

fn node_object(node: &NodeFacts, index: usize, cni: Cni, block: PodBlock) -> Value {
    let mut labels = json!({
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": node.name,
        "kubernetes.io/os": "linux"
    });
    let mut spec = json!({});
    if node.control_plane {
        labels["node-role.kubernetes.io/control-plane"] = json!("");
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = json!("");
        spec["taints"] =
            json!([{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]);
    }
    let mut annotations = json!({
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/cri-dockerd.sock",
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true"
    });
    match cni {
        Cni::Calico => {
            annotations["projectcalico.org/IPv4Address"] = json!(format!("{}/24", node.ip));
            let [a, b, c, d] = block.base;
            annotations["projectcalico.org/IPv4VXLANTunnelAddr"] =
                json!(format!("{a}.{b}.{c}.{d}"));
        }
        Cni::Flannel => {
            annotations["flannel.alpha.coreos.com/backend-type"] = json!("vxlan");
            annotations["flannel.alpha.coreos.com/public-ip"] = json!(node.ip);
            spec["podCIDR"] = json!(block.cidr());
            spec["podCIDRs"] = json!([block.cidr()]);
        }
        Cni::WeaveNet => {}
    }
    let _ = index;
    json!({
        "metadata": {"name": node.name, "labels": labels, "annotations": annotations},
        "spec": spec,
        "status": {
            "addresses": [
                {"address": node.ip, "type": "InternalIP"},
                {"address": node.name, "type": "Hostname"}
            ],
            "allocatable": {"cpu": "2", "ephemeral-storage": "28819139742", "hugepages-2Mi": "0",
                "memory": "3911852Ki", "pods": "110"},
            "capacity": {"cpu": "2", "ephemeral-storage": "31270768Ki", "hugepages-2Mi": "0",
                "memory": "4014252Ki", "pods": "110"},
            "conditions": [
                {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory",
                    "message": "kubelet has sufficient memory available"},
                {"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure",
                    "message": "kubelet has no disk pressure"},
                {"type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID",
                    "message": "kubelet has sufficient PID available"},
                {"type": "Ready", "status": "True", "reason": "KubeletReady",
                    "message": "kubelet is posting ready status"}
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": "",
                "containerRuntimeVersion": "docker://27.5.1",
                "kernelVersion": "5.15.0-140-generic",
                "kubeProxyVersion": "v1.32.4",
                "kubeletVersion": "v1.32.4",
                "machineID": "",
                "operatingSystem": "linux",
                "osImage": "Ubuntu 22.04.5 LTS",
                "systemUUID": ""
            }
        }
    })
}
