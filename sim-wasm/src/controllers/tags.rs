//! The tags the simulated registry knows for the images in the catalogue (`net/apps.rs`),
//! so that a misspelled tag of a known image (`jenkins/jenkins:lts-jdk111`) fails to pull
//! as it would from Docker Hub, while `nginx:1.27` or `busybox:1.28` pull.
//!
//! A tag exists when it is one of the image's named tags (`lts`, `alpine`, `stable`, ...),
//! or a version number (one to three dot-separated numbers) whose first number is one of the
//! image's release series, optionally followed by one of its variant suffixes
//! (`1.27-alpine`, `2.479.3-lts-jdk17`). Versions inside a series are not listed one by one:
//! the simulator cannot know every patch release, and a student who types `nginx:1.27.9`
//! meant a version, not a typo. Images outside the catalogue are not judged here (see the
//! kubelet's module doc). Knows nothing about pods.

/// One catalogued repository's tags.
struct Tags {
    repository: &'static str,
    /// Tags that are words, not version numbers.
    named: &'static [&'static str],
    /// The first numbers of the release series (`"1"` for nginx 1.x).
    series: &'static [&'static str],
    /// Variant suffixes a version may carry (`-alpine`); a named tag never takes one.
    suffixes: &'static [&'static str],
}

const CATALOGUE: &[Tags] = &[
    Tags {
        repository: "gasbugs/http-go",
        named: &["latest", "v1", "v2", "v3"],
        series: &[],
        suffixes: &[],
    },
    Tags {
        repository: "jenkins/jenkins",
        named: &[
            "latest",
            "lts",
            "lts-jdk11",
            "lts-jdk17",
            "lts-jdk21",
            "jdk11",
            "jdk17",
            "jdk21",
            "alpine",
            "alpine-jdk17",
            "alpine-jdk21",
            "lts-alpine",
            "lts-alpine-jdk17",
            "lts-alpine-jdk21",
            "slim",
            "slim-jdk17",
            "slim-jdk21",
            "lts-slim",
            "lts-slim-jdk17",
            "lts-slim-jdk21",
            "latest-jdk11",
            "latest-jdk17",
            "latest-jdk21",
            "weekly",
        ],
        series: &["1", "2"],
        suffixes: &[
            "-jdk11",
            "-jdk17",
            "-jdk21",
            "-lts",
            "-lts-jdk11",
            "-lts-jdk17",
            "-lts-jdk21",
            "-alpine",
            "-alpine-jdk17",
            "-alpine-jdk21",
            "-slim",
            "-slim-jdk17",
            "-slim-jdk21",
        ],
    },
    Tags {
        repository: "nginx",
        named: &[
            "latest",
            "stable",
            "mainline",
            "alpine",
            "alpine-slim",
            "alpine-perl",
            "perl",
            "bookworm",
            "stable-alpine",
            "stable-alpine-slim",
            "stable-perl",
            "stable-bookworm",
            "mainline-alpine",
            "mainline-alpine-slim",
            "mainline-perl",
            "mainline-bookworm",
        ],
        series: &["1"],
        suffixes: &[
            "-alpine",
            "-alpine-slim",
            "-alpine-perl",
            "-perl",
            "-bookworm",
            "-bullseye",
        ],
    },
    Tags {
        repository: "httpd",
        named: &["latest", "alpine", "bookworm"],
        series: &["2"],
        suffixes: &["-alpine", "-bookworm", "-bullseye"],
    },
    Tags {
        repository: "busybox",
        named: &[
            "latest",
            "stable",
            "unstable",
            "musl",
            "glibc",
            "uclibc",
            "stable-musl",
            "stable-glibc",
            "stable-uclibc",
        ],
        series: &["1"],
        suffixes: &["-musl", "-glibc", "-uclibc"],
    },
    Tags {
        repository: "curlimages/curl",
        named: &["latest"],
        series: &["7", "8"],
        suffixes: &[],
    },
    Tags {
        repository: "alpine",
        named: &["latest", "edge"],
        series: &["3"],
        suffixes: &[],
    },
    Tags {
        repository: "redis",
        named: &["latest", "alpine", "bookworm"],
        series: &["5", "6", "7", "8"],
        suffixes: &["-alpine", "-bookworm", "-bullseye"],
    },
    Tags {
        repository: "mysql",
        named: &["latest", "lts", "innovation", "oracle", "debian"],
        series: &["5", "8", "9"],
        suffixes: &["-oracle", "-debian", "-oraclelinux9"],
    },
    Tags {
        repository: "tomcat",
        named: &["latest"],
        series: &["8", "9", "10", "11"],
        suffixes: &[
            "-jdk8", "-jdk11", "-jdk17", "-jdk21", "-jre8", "-jre11", "-jre17", "-jre21",
        ],
    },
    Tags {
        repository: "ubuntu",
        named: &[
            "latest", "rolling", "devel", "focal", "jammy", "noble", "oracular",
        ],
        series: &["18.04", "20.04", "22.04", "24.04", "24.10"],
        suffixes: &[],
    },
    Tags {
        repository: "nicolaka/netshoot",
        named: &["latest"],
        series: &["v0"],
        suffixes: &[],
    },
];

/// Whether `version` is one to three dot-separated numbers starting with one of `series`
/// (a series may itself hold a dot, as Ubuntu's `22.04`; or a letter, as `v0`).
fn in_series(version: &str, series: &[&str]) -> bool {
    series.iter().any(|s| {
        let Some(rest) = version.strip_prefix(s) else {
            return false;
        };
        if rest.is_empty() {
            return true;
        }
        let Some(rest) = rest.strip_prefix('.') else {
            return false;
        };
        let parts: Vec<&str> = rest.split('.').collect();
        parts.len() <= 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Whether the registry has `tag` of `repository`: `None` when the repository is not in the
/// catalogue (the caller then judges by name alone).
pub fn tag_exists(repository: &str, tag: &str) -> Option<bool> {
    let entry = CATALOGUE.iter().find(|t| t.repository == repository)?;
    if entry.named.contains(&tag) {
        return Some(true);
    }
    // Every suffix is tried: `-lts-jdk17` and `-jdk17` both end `2.479.3-lts-jdk17`.
    let suffixed = entry
        .suffixes
        .iter()
        .filter_map(|s| tag.strip_suffix(s))
        .any(|v| in_series(v, entry.series));
    Some(suffixed || in_series(tag, entry.series))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_course_tags_exist() {
        for (repo, tag) in [
            ("jenkins/jenkins", "lts-jdk11"),
            ("jenkins/jenkins", "lts-jdk17"),
            ("jenkins/jenkins", "2.479.3-lts-jdk17"),
            ("gasbugs/http-go", "latest"),
            ("gasbugs/http-go", "v1"),
            ("nginx", "1.27"),
            ("nginx", "1.26.2-alpine"),
            ("busybox", "1.28"),
            ("busybox", "1"),
            ("curlimages/curl", "8.11.1"),
            ("ubuntu", "22.04"),
            ("nicolaka/netshoot", "v0.13"),
        ] {
            assert_eq!(tag_exists(repo, tag), Some(true), "{repo}:{tag}");
        }
    }

    #[test]
    fn misspelled_tags_of_catalogued_images_do_not_exist() {
        for (repo, tag) in [
            ("jenkins/jenkins", "lts-jdk111"),
            ("jenkins/jenkins", "lst"),
            ("gasbugs/http-go", "v4"),
            ("nginx", "lastest"),
            ("nginx", "1.27-alpin"),
            ("busybox", "1.28."),
            ("alpine", "4.0"),
        ] {
            assert_eq!(tag_exists(repo, tag), Some(false), "{repo}:{tag}");
        }
    }

    #[test]
    fn images_outside_the_catalogue_are_not_judged() {
        assert_eq!(tag_exists("someone/app", "anything"), None);
    }
}
