//! The field schema of each kind (the Go structs of k8s.io/api 1.32, reduced to what the
//! course needs) and strict decoding against it, worded as the API server words it:
//! `strict decoding error: unknown field "spec.replica"` and
//! `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`.
//!
//! Subtrees the course never looks into (volumes, affinity, securityContext, ...) are
//! [`Ty::Any`]: accepted as written, not checked.

use serde_json::Value;

use super::Kind;

/// A field's type.
#[derive(Debug)]
pub enum Ty {
    Str,
    Int32,
    Int64,
    Bool,
    /// `intstr.IntOrString` (ports, maxSurge).
    IntOrString,
    /// A resource quantity (`500m`, `1Gi`, or a number).
    Quantity,
    /// A Go struct: its name (for type errors) and its JSON fields.
    Struct(&'static str, &'static [(&'static str, Ty)]),
    /// `map[string]T`.
    Map(&'static Ty),
    /// `[]T`.
    List(&'static Ty),
    /// Not checked.
    Any,
}

use Ty::*;

const STR: Ty = Str;
const ANY: Ty = Any;
const QUANTITY: Ty = Quantity;

const OWNER_REFERENCE: Ty = Struct(
    "OwnerReference",
    &[
        ("apiVersion", Str),
        ("kind", Str),
        ("name", Str),
        ("uid", Str),
        ("controller", Bool),
        ("blockOwnerDeletion", Bool),
    ],
);

pub const OBJECT_META: Ty = Struct(
    "ObjectMeta",
    &[
        ("name", Str),
        ("generateName", Str),
        ("namespace", Str),
        ("selfLink", Str),
        ("uid", Str),
        ("resourceVersion", Str),
        ("generation", Int64),
        ("creationTimestamp", Any),
        ("deletionTimestamp", Any),
        ("deletionGracePeriodSeconds", Int64),
        ("labels", Map(&STR)),
        ("annotations", Map(&STR)),
        ("ownerReferences", List(&OWNER_REFERENCE)),
        ("finalizers", List(&STR)),
        ("managedFields", Any),
    ],
);

const LABEL_SELECTOR_REQUIREMENT: Ty = Struct(
    "LabelSelectorRequirement",
    &[("key", Str), ("operator", Str), ("values", List(&STR))],
);

const LABEL_SELECTOR: Ty = Struct(
    "LabelSelector",
    &[
        ("matchLabels", Map(&STR)),
        ("matchExpressions", List(&LABEL_SELECTOR_REQUIREMENT)),
    ],
);

const CONTAINER_PORT: Ty = Struct(
    "ContainerPort",
    &[
        ("name", Str),
        ("hostPort", Int32),
        ("containerPort", Int32),
        ("protocol", Str),
        ("hostIP", Str),
    ],
);

const ENV_VAR: Ty = Struct(
    "EnvVar",
    &[("name", Str), ("value", Str), ("valueFrom", Any)],
);

const RESOURCES: Ty = Struct(
    "ResourceRequirements",
    &[
        ("limits", Map(&QUANTITY)),
        ("requests", Map(&QUANTITY)),
        ("claims", Any),
    ],
);

const HTTP_GET: Ty = Struct(
    "HTTPGetAction",
    &[
        ("path", Str),
        ("port", IntOrString),
        ("host", Str),
        ("scheme", Str),
        ("httpHeaders", Any),
    ],
);

const TCP_SOCKET: Ty = Struct("TCPSocketAction", &[("port", IntOrString), ("host", Str)]);

const EXEC_ACTION: Ty = Struct("ExecAction", &[("command", List(&STR))]);

const PROBE: Ty = Struct(
    "Probe",
    &[
        ("exec", EXEC_ACTION),
        ("httpGet", HTTP_GET),
        ("tcpSocket", TCP_SOCKET),
        ("grpc", Any),
        ("initialDelaySeconds", Int32),
        ("timeoutSeconds", Int32),
        ("periodSeconds", Int32),
        ("successThreshold", Int32),
        ("failureThreshold", Int32),
        ("terminationGracePeriodSeconds", Int64),
    ],
);

const CONTAINER: Ty = Struct(
    "Container",
    &[
        ("name", Str),
        ("image", Str),
        ("command", List(&STR)),
        ("args", List(&STR)),
        ("workingDir", Str),
        ("ports", List(&CONTAINER_PORT)),
        ("envFrom", Any),
        ("env", List(&ENV_VAR)),
        ("resources", RESOURCES),
        ("resizePolicy", Any),
        ("restartPolicy", Str),
        ("volumeMounts", Any),
        ("volumeDevices", Any),
        ("livenessProbe", PROBE),
        ("readinessProbe", PROBE),
        ("startupProbe", PROBE),
        ("lifecycle", Any),
        ("terminationMessagePath", Str),
        ("terminationMessagePolicy", Str),
        ("imagePullPolicy", Str),
        ("securityContext", Any),
        ("stdin", Bool),
        ("stdinOnce", Bool),
        ("tty", Bool),
    ],
);

const POD_SPEC: Ty = Struct(
    "PodSpec",
    &[
        ("volumes", Any),
        ("initContainers", List(&CONTAINER)),
        ("containers", List(&CONTAINER)),
        ("ephemeralContainers", Any),
        ("restartPolicy", Str),
        ("terminationGracePeriodSeconds", Int64),
        ("activeDeadlineSeconds", Int64),
        ("dnsPolicy", Str),
        ("nodeSelector", Map(&STR)),
        ("serviceAccountName", Str),
        ("serviceAccount", Str),
        ("automountServiceAccountToken", Bool),
        ("nodeName", Str),
        ("hostNetwork", Bool),
        ("hostPID", Bool),
        ("hostIPC", Bool),
        ("shareProcessNamespace", Bool),
        ("securityContext", Any),
        ("imagePullSecrets", Any),
        ("hostname", Str),
        ("subdomain", Str),
        ("affinity", Any),
        ("schedulerName", Str),
        ("tolerations", Any),
        ("hostAliases", Any),
        ("priorityClassName", Str),
        ("priority", Int32),
        ("dnsConfig", Any),
        ("readinessGates", Any),
        ("runtimeClassName", Str),
        ("enableServiceLinks", Bool),
        ("preemptionPolicy", Str),
        ("overhead", Any),
        ("topologySpreadConstraints", Any),
        ("setHostnameAsFQDN", Bool),
        ("os", Any),
        ("hostUsers", Bool),
        ("schedulingGates", Any),
        ("resourceClaims", Any),
    ],
);

const POD_TEMPLATE: Ty = Struct(
    "PodTemplateSpec",
    &[("metadata", OBJECT_META), ("spec", POD_SPEC)],
);

const ROLLING_UPDATE_DEPLOYMENT: Ty = Struct(
    "RollingUpdateDeployment",
    &[("maxUnavailable", IntOrString), ("maxSurge", IntOrString)],
);

const DEPLOYMENT_STRATEGY: Ty = Struct(
    "DeploymentStrategy",
    &[("type", Str), ("rollingUpdate", ROLLING_UPDATE_DEPLOYMENT)],
);

const DEPLOYMENT_SPEC: Ty = Struct(
    "DeploymentSpec",
    &[
        ("replicas", Int32),
        ("selector", LABEL_SELECTOR),
        ("template", POD_TEMPLATE),
        ("strategy", DEPLOYMENT_STRATEGY),
        ("minReadySeconds", Int32),
        ("revisionHistoryLimit", Int32),
        ("paused", Bool),
        ("progressDeadlineSeconds", Int32),
    ],
);

const REPLICA_SET_SPEC: Ty = Struct(
    "ReplicaSetSpec",
    &[
        ("replicas", Int32),
        ("minReadySeconds", Int32),
        ("selector", LABEL_SELECTOR),
        ("template", POD_TEMPLATE),
    ],
);

const DAEMON_SET_SPEC: Ty = Struct(
    "DaemonSetSpec",
    &[
        ("selector", LABEL_SELECTOR),
        ("template", POD_TEMPLATE),
        ("updateStrategy", Any),
        ("minReadySeconds", Int32),
        ("revisionHistoryLimit", Int32),
    ],
);

const SERVICE_PORT: Ty = Struct(
    "ServicePort",
    &[
        ("name", Str),
        ("protocol", Str),
        ("appProtocol", Str),
        ("port", Int32),
        ("targetPort", IntOrString),
        ("nodePort", Int32),
    ],
);

const SERVICE_SPEC: Ty = Struct(
    "ServiceSpec",
    &[
        ("ports", List(&SERVICE_PORT)),
        ("selector", Map(&STR)),
        ("clusterIP", Str),
        ("clusterIPs", List(&STR)),
        ("type", Str),
        ("externalIPs", List(&STR)),
        ("sessionAffinity", Str),
        ("loadBalancerIP", Str),
        ("loadBalancerSourceRanges", List(&STR)),
        ("externalName", Str),
        ("externalTrafficPolicy", Str),
        ("healthCheckNodePort", Int32),
        ("publishNotReadyAddresses", Bool),
        ("sessionAffinityConfig", Any),
        ("ipFamilies", List(&STR)),
        ("ipFamilyPolicy", Str),
        ("allocateLoadBalancerNodePorts", Bool),
        ("loadBalancerClass", Str),
        ("internalTrafficPolicy", Str),
        ("trafficDistribution", Str),
    ],
);

const ENDPOINT_ADDRESS: Ty = Struct(
    "EndpointAddress",
    &[
        ("ip", Str),
        ("hostname", Str),
        ("nodeName", Str),
        ("targetRef", Any),
    ],
);

const ENDPOINT_PORT: Ty = Struct(
    "EndpointPort",
    &[
        ("name", Str),
        ("port", Int32),
        ("protocol", Str),
        ("appProtocol", Str),
    ],
);

const ENDPOINT_SUBSET: Ty = Struct(
    "EndpointSubset",
    &[
        ("addresses", List(&ENDPOINT_ADDRESS)),
        ("notReadyAddresses", List(&ENDPOINT_ADDRESS)),
        ("ports", List(&ENDPOINT_PORT)),
    ],
);

const IP_BLOCK: Ty = Struct("IPBlock", &[("cidr", Str), ("except", List(&STR))]);

const NETWORK_POLICY_PEER: Ty = Struct(
    "NetworkPolicyPeer",
    &[
        ("podSelector", LABEL_SELECTOR),
        ("namespaceSelector", LABEL_SELECTOR),
        ("ipBlock", IP_BLOCK),
    ],
);

const NETWORK_POLICY_PORT: Ty = Struct(
    "NetworkPolicyPort",
    &[("protocol", Str), ("port", IntOrString), ("endPort", Int32)],
);

const NETWORK_POLICY_INGRESS: Ty = Struct(
    "NetworkPolicyIngressRule",
    &[
        ("ports", List(&NETWORK_POLICY_PORT)),
        ("from", List(&NETWORK_POLICY_PEER)),
    ],
);

const NETWORK_POLICY_EGRESS: Ty = Struct(
    "NetworkPolicyEgressRule",
    &[
        ("ports", List(&NETWORK_POLICY_PORT)),
        ("to", List(&NETWORK_POLICY_PEER)),
    ],
);

const NETWORK_POLICY_SPEC: Ty = Struct(
    "NetworkPolicySpec",
    &[
        ("podSelector", LABEL_SELECTOR),
        ("ingress", List(&NETWORK_POLICY_INGRESS)),
        ("egress", List(&NETWORK_POLICY_EGRESS)),
        ("policyTypes", List(&STR)),
    ],
);

const TOP_META: (&str, Ty) = ("metadata", OBJECT_META);

/// The top-level fields of `kind` (apiVersion and kind included).
pub fn schema(kind: Kind) -> Ty {
    let fields: &'static [(&'static str, Ty)] = match kind {
        Kind::Namespace => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            (
                "spec",
                Struct("NamespaceSpec", &[("finalizers", List(&STR))]),
            ),
            ("status", Any),
        ],
        Kind::Node => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            ("spec", Any),
            ("status", Any),
        ],
        Kind::Pod => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            ("spec", POD_SPEC),
            ("status", Any),
        ],
        Kind::Deployment => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            ("spec", DEPLOYMENT_SPEC),
            ("status", Any),
        ],
        Kind::ReplicaSet => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            ("spec", REPLICA_SET_SPEC),
            ("status", Any),
        ],
        Kind::DaemonSet => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            ("spec", DAEMON_SET_SPEC),
            ("status", Any),
        ],
        Kind::Service => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            ("spec", SERVICE_SPEC),
            ("status", Any),
        ],
        Kind::Endpoints => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            ("subsets", List(&ENDPOINT_SUBSET)),
        ],
        Kind::EndpointSlice => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            ("addressType", Str),
            ("endpoints", Any),
            ("ports", Any),
        ],
        Kind::NetworkPolicy => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            ("spec", NETWORK_POLICY_SPEC),
        ],
        Kind::ConfigMap => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            ("data", Map(&STR)),
            ("binaryData", Map(&ANY)),
            ("immutable", Bool),
        ],
        Kind::Event => &[
            ("apiVersion", Str),
            ("kind", Str),
            TOP_META,
            ("involvedObject", Any),
            ("reason", Str),
            ("message", Str),
            ("source", Any),
            ("firstTimestamp", Any),
            ("lastTimestamp", Any),
            ("count", Int32),
            ("type", Str),
            ("eventTime", Any),
            ("series", Any),
            ("action", Str),
            ("related", Any),
            ("reportingComponent", Str),
            ("reportingInstance", Str),
        ],
    };
    Struct(kind.name(), fields)
}

/// Sorts `keys` of the object at `path` (segments; `[]` for list items) in the order of
/// the Go struct's fields, the way `encoding/json` writes a typed object: `kind` before
/// `apiVersion` (TypeMeta), then the struct's own fields; map keys stay sorted.
pub fn go_field_order(kind: Kind, path: &[String], keys: &mut [&String]) {
    let root = schema(kind);
    let mut ty = &root;
    for seg in path {
        ty = match ty {
            List(inner) if seg == "[]" => inner,
            Map(inner) => inner,
            Struct(_, fields) => match fields.iter().find(|(f, _)| f == seg) {
                Some((_, t)) => t,
                None => return,
            },
            _ => return,
        };
    }
    let Struct(_, fields) = ty else { return };
    let rank = |k: &str| -> usize {
        if path.is_empty() {
            match k {
                "kind" => return 0,
                "apiVersion" => return 1,
                _ => {}
            }
        }
        fields
            .iter()
            .position(|(f, _)| *f == k)
            .map_or(usize::MAX, |p| p + 2)
    };
    crate::sort::sort_by_key(keys, |k| rank(k));
}

/// Why an object cannot be decoded, as the API server says it after
/// `Kind in version "v1" cannot be handled as a Kind: `.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`
    Type(String),
    /// `strict decoding error: unknown field "spec.replica", unknown field "..."`
    Unknown(Vec<String>),
}

impl DecodeError {
    pub fn message(&self) -> String {
        match self {
            DecodeError::Type(m) => m.clone(),
            DecodeError::Unknown(fields) => format!(
                "strict decoding error: {}",
                fields
                    .iter()
                    .map(|f| format!("unknown field \"{f}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Decodes `value` as `kind` strictly: the first type error wins; otherwise every unknown
/// field, depth-first in key order (the order of the JSON kubectl sends).
pub fn strict_decode(kind: Kind, value: &Value) -> Result<(), DecodeError> {
    let mut unknown = Vec::new();
    // An explicit work list instead of recursion: paths are bounded by the YAML depth budget
    // anyway, but values built from JSON input are not.
    let root = schema(kind);
    let mut work: Vec<(&Value, &Ty, String, String, &'static str)> =
        vec![(value, &root, String::new(), String::new(), kind.name())];
    while let Some((value, ty, path, go_path, parent)) = work.pop() {
        let mut children = Vec::new();
        match (ty, value) {
            (_, Value::Null) | (Any, _) => {}
            (Str, Value::String(_)) | (Bool, Value::Bool(_)) => {}
            (Int32 | Int64, Value::Number(n)) => {
                let ok = match ty {
                    Int32 => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
                    _ => n.as_i64().is_some(),
                };
                if !ok {
                    return Err(type_error(value, parent, &go_path, ty));
                }
            }
            (IntOrString, Value::Number(n)) if n.as_i64().is_some() => {}
            (IntOrString, Value::String(_)) => {}
            (Quantity, Value::String(_) | Value::Number(_)) => {}
            (Struct(name, fields), Value::Object(map)) => {
                let mut keys: Vec<&String> = map.keys().collect();
                crate::sort::sort(&mut keys);
                for key in keys {
                    let child_path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    match fields.iter().find(|(f, _)| f == key) {
                        Some((_, child_ty)) => {
                            let child_go = if go_path.is_empty() {
                                key.clone()
                            } else {
                                format!("{go_path}.{key}")
                            };
                            if let Some(v) = map.get(key) {
                                children.push((v, child_ty, child_path, child_go, *name));
                            }
                        }
                        None => unknown.push(child_path),
                    }
                }
            }
            (Map(inner), Value::Object(map)) => {
                for (key, v) in map {
                    children.push((v, *inner, format!("{path}.{key}"), go_path.clone(), parent));
                }
            }
            (List(inner), Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    children.push((v, *inner, format!("{path}[{i}]"), go_path.clone(), parent));
                }
            }
            _ => return Err(type_error(value, parent, &go_path, ty)),
        }
        // Reverse so that the first child is visited first.
        work.extend(children.into_iter().rev());
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(DecodeError::Unknown(unknown))
    }
}

fn type_error(value: &Value, parent: &str, go_path: &str, ty: &Ty) -> DecodeError {
    let found = match value {
        Value::String(_) => "string",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => "null",
    };
    let expected = match ty {
        Str => "string".to_owned(),
        Int32 => "int32".to_owned(),
        Int64 => "int64".to_owned(),
        Bool => "bool".to_owned(),
        Struct(name, _) => format!("v1.{name}"),
        Map(_) => "map[string]string".to_owned(),
        List(_) => "[]".to_owned(),
        IntOrString | Quantity | Any => "string".to_owned(),
    };
    if matches!(ty, IntOrString) {
        return DecodeError::Type(
            "json: cannot unmarshal into Go value of type intstr.IntOrString".to_owned(),
        );
    }
    DecodeError::Type(format!(
        "json: cannot unmarshal {found} into Go struct field {parent}.{go_path} of type {expected}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_are_listed_depth_first_in_key_order() {
        let deploy = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "x"},
            "spec": {"replica": 1, "template": {"spec": {"containers": [{"name": "a", "image": "b", "imagePullPolice": "Always"}]}}}
        });
        assert_eq!(
            strict_decode(Kind::Deployment, &deploy).map_err(|e| e.message()),
            Err("strict decoding error: unknown field \"spec.replica\", unknown field \"spec.template.spec.containers[0].imagePullPolice\"".to_owned())
        );
    }

    #[test]
    fn a_wrong_type_names_the_go_struct_field() {
        let deploy =
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": "three"}});
        assert_eq!(
            strict_decode(Kind::Deployment, &deploy).map_err(|e| e.message()),
            Err("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32".to_owned())
        );
    }

    #[test]
    fn a_service_with_a_lowercase_target_port_is_unknown() {
        let svc = json!({"apiVersion": "v1", "kind": "Service", "spec": {"ports": [{"port": 80, "targetport": 8080}]}});
        assert_eq!(
            strict_decode(Kind::Service, &svc).map_err(|e| e.message()),
            Err("strict decoding error: unknown field \"spec.ports[0].targetport\"".to_owned())
        );
    }
}
