//! The kubeconfig of the student's user: kubeadm's `admin.conf`, copied to
//! `/home/user/.kube/config` as kubeadm's closing instructions say. The file is the truth:
//! kubectl takes its default namespace from the current context there, `kubectl config`
//! (kubectl/config.rs) reads and rewrites it, and `cat ~/.kube/config` shows it.
//!
//! Decided: without a readable kubeconfig (deleted, broken, or `sudo kubectl` as root)
//! kubectl still reaches the cluster in namespace `default`. The real kubectl would fall
//! back to `localhost:8080` and fail to connect; a lesson has nothing to teach with that.

use serde_json::Value;

use crate::api::Ptr;
use crate::rand::Rng;
use crate::shell::Files;

/// Where kubeadm's instructions put the admin kubeconfig for the user.
pub const PATH: &str = "/home/user/.kube/config";

/// kubeadm 1.32's `admin.conf` for this cluster: its CA (the same one `kube-root-ca.crt`
/// carries), the API server on the master, and a client certificate and key made from
/// `seed` (a generator of their own, so the world's names do not change with them).
pub fn admin_conf(ca_pem: &str, seed: u64) -> String {
    use crate::base64::encode;
    use crate::store::bootstrap::pem_block;
    let mut rng = Rng::new(seed ^ 0x6b75_6265_636f_6e66);
    let certificate = pem_block(&mut rng, "CERTIFICATE", "MIIDKTCCAhGgAwIBAgII", 1120, "");
    let key = pem_block(&mut rng, "RSA PRIVATE KEY", "MIIEpAIBAAKCAQEA", 1588, "");
    format!(
        "apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: {}
    server: https://192.168.56.10:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {{}}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: {}
    client-key-data: {}
",
        encode(ca_pem.as_bytes()),
        encode(certificate.as_bytes()),
        encode(key.as_bytes())
    )
}

/// `$HOME/.kube/config` on the machine `files` belongs to.
pub fn path_in(files: &Files) -> String {
    format!("{}/.kube/config", files.home())
}

/// A kubeconfig's text as JSON; `None` unless it is a YAML mapping.
pub fn parse(text: &str) -> Option<Value> {
    let docs = crate::yaml::parse_manifest(text, crate::yaml::Budget::default()).ok()?;
    docs.into_iter()
        .next()
        .map(|d| d.value)
        .filter(Value::is_object)
}

/// The namespace of the current context, where kubectl works without `-n`.
pub fn namespace(config: &Value) -> Option<&str> {
    let current = config.get("current-context")?.as_str()?;
    config
        .get("contexts")?
        .as_array()?
        .iter()
        .find(|c| c.get("name").and_then(Value::as_str) == Some(current))?
        .ptr("/context/namespace")?
        .as_str()
        .filter(|n| !n.is_empty())
}
