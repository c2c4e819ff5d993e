//! Resource quantities (`250m`, `64Mi`) and the pod QoS class the API server derives from
//! them. Shared by the kubelet's pod status (`status.qosClass`) and describe's resource
//! sums, so both read a quantity the same way. Knows nothing of the store or kubectl.

use serde_json::Value;

/// A resource quantity in the unit describe adds it up in (and QoS compares): millicores
/// for `cpu`, bytes for everything else. `None` for text that is not a quantity.
pub fn quantity_value(resource: &str, text: &str) -> Option<i128> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let factor: f64 = match suffix {
        "" => 1.0,
        "m" => 0.001,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let value: f64 = number.parse().ok()?;
    let scale = if resource == "cpu" { 1000.0 } else { 1.0 };
    Some((value * factor * scale).round() as i128)
}

/// kubectl's `ComputePodQOS`: BestEffort without any cpu/memory request or limit,
/// Guaranteed when every container limits cpu and memory and requests what it limits,
/// Burstable otherwise.
pub fn qos_class(pod: &Value) -> &'static str {
    let mut any = false;
    let mut guaranteed = true;
    // The spec looked up once, then its two lists.
    let spec = pod.get("spec");
    let containers = ["containers", "initContainers"]
        .into_iter()
        .filter_map(|key| spec?.get(key)?.as_array())
        .flatten();
    for c in containers {
        // Read field by field, not by a formatted path: the scheduler and the kubelet ask
        // this on every write of every pod.
        let resources = c.get("resources");
        for resource in ["cpu", "memory"] {
            let read = |field: &str| {
                resources
                    .and_then(|r| r.get(field))
                    .and_then(|f| f.get(resource))
                    .and_then(Value::as_str)
                    .and_then(|q| quantity_value(resource, q))
                    .filter(|v| *v != 0)
            };
            let (request, limit) = (read("requests"), read("limits"));
            any |= request.is_some() || limit.is_some();
            match (request, limit) {
                (_, None) => guaranteed = false,
                (Some(r), Some(l)) if r != l => guaranteed = false,
                _ => {}
            }
        }
    }
    match (any, guaranteed) {
        (false, _) => "BestEffort",
        (true, true) => "Guaranteed",
        (true, false) => "Burstable",
    }
}
