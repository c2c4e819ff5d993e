//! The image reference grammar kubectl checks `kubectl run --image` against (the
//! `ReferenceRegexp` of distribution's `reference` package), so `--image=UPPER` or
//! `--image="bad image"` fail with `Invalid image name "...": invalid reference format`
//! before anything reaches the API server. Written out as a matcher: a regex engine would
//! cost the browser download more than these few rules.
//!
//! ```text
//! reference := name [ ":" tag ] [ "@" digest ]
//! name      := [ domain "/" ] path-component ( "/" path-component )*
//! domain    := host [ ":" port ]          host: DNS labels (any case) joined by "."
//! path-component := [a-z0-9]+ ( separator [a-z0-9]+ )*    separator: "." "_" "__" "-"+
//! tag       := [\w][\w.-]{0,127}
//! digest    := algorithm ":" hex{32,}
//! ```

/// Whether `image` is a reference kubectl accepts.
pub fn is_valid(image: &str) -> bool {
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (image, None),
    };
    if digest.is_some_and(|d| !is_digest(d)) {
        return false;
    }
    // A `:` is the tag's when no `/` follows it; before a `/` it is the registry's port.
    let (name, tag) = match rest.rfind(':') {
        Some(i) if !rest[i + 1..].contains('/') => (&rest[..i], Some(&rest[i + 1..])),
        _ => (rest, None),
    };
    tag.is_none_or(is_tag) && is_name(name)
}

fn is_name(name: &str) -> bool {
    let path_ok = |components: &str| components.split('/').all(is_path_component);
    if path_ok(name) {
        return true;
    }
    // The first component may be a registry (`registry.k8s.io`, `localhost:5000`).
    match name.split_once('/') {
        Some((domain, path)) => is_domain(domain) && path_ok(path),
        None => false,
    }
}

fn is_path_component(component: &str) -> bool {
    let b = component.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut i = 0;
    loop {
        // One run of [a-z0-9]+.
        let start = i;
        while i < b.len() && alnum(b[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if i == b.len() {
            return true;
        }
        // A separator: ".", "_", "__" or one or more "-".
        match b[i] {
            b'.' => i += 1,
            b'_' => i += if b.get(i + 1) == Some(&b'_') { 2 } else { 1 },
            b'-' => {
                while b.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            _ => return false,
        }
    }
}

fn is_domain(domain: &str) -> bool {
    // An IPv6 host is bracketed (`[::1]:5000`), so its colons are not the port's.
    let (host, port) = if domain.starts_with('[') {
        match domain.find(']') {
            Some(end) => (&domain[..=end], &domain[end + 1..]),
            None => return false,
        }
    } else {
        match domain.find(':') {
            Some(colon) => (&domain[..colon], &domain[colon..]),
            None => (domain, ""),
        }
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()));
    if !port_ok {
        return false;
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !inner.is_empty() && inner.bytes().all(|c| c.is_ascii_hexdigit() || c == b':');
    }
    host.split('.').all(|label| {
        let b = label.as_bytes();
        !b.is_empty()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    })
}

fn is_tag(tag: &str) -> bool {
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let b = tag.as_bytes();
    (1..=128).contains(&b.len())
        && word(b[0])
        && b[1..].iter().all(|&c| word(c) || c == b'.' || c == b'-')
}

fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    // [A-Za-z][A-Za-z0-9]* ( [-_+.] [A-Za-z][A-Za-z0-9]* )*
    let algorithm_ok = algorithm.split(['-', '_', '+', '.']).all(|part| {
        part.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && part.bytes().all(|c| c.is_ascii_alphanumeric())
    });
    algorithm_ok && hex.len() >= 32 && hex.bytes().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn images_people_run_are_valid() {
        for image in [
            "nginx",
            "busybox:1.28",
            "jenkins/jenkins:lts-jdk11",
            "gasbugs/http-go",
            "registry.k8s.io/pause:3.10",
            "localhost:5000/team/app:v1.2_rc-3",
            "Registry.Example.com/app",
            "[::1]:5000/app",
            "[::1]/app",
            "my_app__x.y---z",
            "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "nginx:1.27@sha256:0123456789abcdef0123456789abcdef",
        ] {
            assert!(is_valid(image), "{image} should be valid");
        }
    }

    #[test]
    fn references_kubectl_rejects_are_invalid() {
        for image in [
            "",
            "UPPER",
            "bad image",
            "nginx:",
            ":latest",
            "nginx:-tag",
            "-nginx",
            "nginx-",
            "a._b",
            "a___b",
            "team//app",
            "/app",
            "app/",
            "nginx@sha256:short",
            "nginx@sha256",
            "host:port/app",
            "-host.io/app",
            "nginx:tag:more",
        ] {
            assert!(!is_valid(image), "{image:?} should be invalid");
        }
    }
}
