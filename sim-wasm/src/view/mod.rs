//! The cluster as the browser's map draws it: nodes, pods (node, IP, phase, containers) and
//! services (ClusterIP, ports, endpoints), as plain serializable data.
//!
//! A read-only projection of [`Store`] objects, computed on demand; it never changes the
//! cluster and the map holds no other truth. Field names are the JSON keys `web/src/map.js`
//! reads (camelCase). Knows nothing about drawing.

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::api::Kind;
use crate::store::Store;

/// Everything the map shows, sorted the way the store lists (namespace, then name).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterView {
    pub nodes: Vec<NodeView>,
    pub pods: Vec<PodView>,
    pub services: Vec<ServiceView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeView {
    pub name: String,
    /// The node's InternalIP.
    pub ip: String,
    /// From the `node-role.kubernetes.io/ROLE` labels, as `kubectl get nodes` shows ROLES.
    pub roles: Vec<String>,
    pub ready: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    /// Unset while the pod is not scheduled.
    pub node: Option<String>,
    /// Unset until the sandbox (pause container) has its address.
    pub ip: Option<String>,
    pub phase: String,
    /// The pod uses its node's network namespace (no pause-owned netns, the node's IP).
    pub host_network: bool,
    pub containers: Vec<ContainerView>,
    pub labels: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerView {
    pub name: String,
    pub image: String,
    pub ready: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceView {
    pub namespace: String,
    pub name: String,
    /// `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Unset for ExternalName services; `"None"` for headless ones, as kubectl shows.
    pub cluster_ip: Option<String>,
    pub ports: Vec<PortView>,
    pub selector: BTreeMap<String, String>,
    /// `IP:PORT` of every ready address of the service's Endpoints object.
    pub endpoints: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortView {
    pub port: u64,
    /// A number or a named container port, as written in the spec.
    pub target_port: String,
    pub protocol: String,
    pub node_port: Option<u64>,
}

/// The map's view of `store`.
pub fn cluster_view(store: &Store) -> ClusterView {
    ClusterView {
        nodes: store
            .list(Kind::Node, None)
            .into_iter()
            .map(node_view)
            .collect(),
        pods: store
            .list(Kind::Pod, None)
            .into_iter()
            .map(pod_view)
            .collect(),
        services: store
            .list(Kind::Service, None)
            .into_iter()
            .map(|service| service_view(store, service))
            .collect(),
    }
}

fn node_view(node: &Value) -> NodeView {
    let addresses = node["status"]["addresses"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let ip = addresses
        .iter()
        .find(|a| a["type"] == "InternalIP")
        .map(|a| text(&a["address"]))
        .unwrap_or_default();
    let roles = string_map(&node["metadata"]["labels"])
        .into_keys()
        .filter_map(|key| {
            key.strip_prefix("node-role.kubernetes.io/")
                .map(str::to_owned)
        })
        .collect();
    let conditions = node["status"]["conditions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let ready = conditions
        .iter()
        .any(|c| c["type"] == "Ready" && c["status"] == "True");
    NodeView {
        name: text(&node["metadata"]["name"]),
        ip,
        roles,
        ready,
    }
}

fn pod_view(pod: &Value) -> PodView {
    let statuses = pod["status"]["containerStatuses"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let containers = pod["spec"]["containers"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|container| {
            let name = text(&container["name"]);
            let ready = statuses
                .iter()
                .any(|s| s["name"].as_str() == Some(name.as_str()) && s["ready"] == true);
            ContainerView {
                image: text(&container["image"]),
                name,
                ready,
            }
        })
        .collect();
    let phase = pod["status"]["phase"].as_str().unwrap_or("Pending");
    PodView {
        namespace: text(&pod["metadata"]["namespace"]),
        name: text(&pod["metadata"]["name"]),
        node: optional_text(&pod["spec"]["nodeName"]),
        ip: optional_text(&pod["status"]["podIP"]),
        phase: phase.to_owned(),
        host_network: pod["spec"]["hostNetwork"] == true,
        containers,
        labels: string_map(&pod["metadata"]["labels"]),
    }
}

fn service_view(store: &Store, service: &Value) -> ServiceView {
    let namespace = text(&service["metadata"]["namespace"]);
    let name = text(&service["metadata"]["name"]);
    let spec = &service["spec"];
    let ports = spec["ports"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|port| PortView {
            port: port["port"].as_u64().unwrap_or(0),
            target_port: match &port["targetPort"] {
                Value::Null => port["port"].as_u64().unwrap_or(0).to_string(),
                Value::String(named) => named.clone(),
                other => other.to_string(),
            },
            protocol: port["protocol"].as_str().unwrap_or("TCP").to_owned(),
            node_port: port["nodePort"].as_u64(),
        })
        .collect();
    let mut endpoints = Vec::new();
    if let Some(object) = store.get(Kind::Endpoints, &namespace, &name) {
        for subset in object["subsets"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
        {
            let ports = subset["ports"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            for address in subset["addresses"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                for port in ports {
                    endpoints.push(format!("{}:{}", text(&address["ip"]), port["port"]));
                }
            }
        }
    }
    ServiceView {
        kind: spec["type"].as_str().unwrap_or("ClusterIP").to_owned(),
        cluster_ip: optional_text(&spec["clusterIP"]),
        ports,
        selector: string_map(&spec["selector"]),
        endpoints,
        namespace,
        name,
    }
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn optional_text(value: &Value) -> Option<String> {
    value.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

/// A `map[string]string` field (labels, selector); non-string values are skipped.
fn string_map(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .map(|object| {
            crate::sort::map_from(
                object
                    .iter()
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned()))),
            )
        })
        .unwrap_or_default()
}
