//! `kubectl cp`: files and directories between the student's machine and a container, the
//! way kubectl 1.32 does it — by running `tar` in the container through exec — so that its
//! failures are tar's and exec's: `tar: Removing leading `/' from member names` (which
//! kubectl prints on *stdout* when copying out, because it wires tar's stderr there), tar's
//! `Cannot stat` lines, the runtime's error for an image without `tar`, and kubectl's own
//! argument errors (checked against the real kubectl in the tests).
//!
//! The container's side lives in `net::world::NetState::container_files` (its writable
//! layer), where the container's `cat` and `ls` find it. This module knows nothing about
//! how those commands print.

use crate::api::Ptr;
use serde_json::Value;

use super::Ctx;
use super::args::{self, FlagSpec, boolean, int, value};
use super::misc::exec_target;
use super::printers::str_at;
use crate::commands::World;
use crate::net::apps;
use crate::net::world::container_files_key;
use crate::shell::files::{base_name, normalize, parent_of};
use crate::shell::{Files, Location};

/// kubectl's error for a malformed `[[namespace/]pod:]file/path`.
const BAD_SPEC: &str = "filespec must match the canonical format: [[namespace/]pod:]file/path";

/// One side of the copy.
#[derive(Debug, PartialEq, Eq)]
enum Spec {
    Local(String),
    Remote {
        namespace: Option<String>,
        pod: String,
        path: String,
    },
}

impl Spec {
    fn path(&self) -> &str {
        match self {
            Spec::Local(path) | Spec::Remote { path, .. } => path,
        }
    }
}

/// kubectl's `extractFileSpec`: the first `:` separates `[namespace/]pod` from the path.
fn parse_spec(arg: &str) -> Result<Spec, &'static str> {
    let Some(colon) = arg.find(':') else {
        return Ok(Spec::Local(arg.to_owned()));
    };
    if colon == 0 {
        return Err(BAD_SPEC);
    }
    let (pod, path) = (&arg[..colon], &arg[colon + 1..]);
    let pieces: Vec<&str> = pod.split('/').collect();
    match pieces.as_slice() {
        [pod] => Ok(Spec::Remote {
            namespace: None,
            pod: (*pod).to_owned(),
            path: path.to_owned(),
        }),
        [namespace, pod] => Ok(Spec::Remote {
            namespace: Some((*namespace).to_owned()),
            pod: (*pod).to_owned(),
            path: path.to_owned(),
        }),
        _ => Err(BAD_SPEC),
    }
}

/// Which tar the image ships: their messages differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tar {
    /// GNU tar (Debian-based images).
    Gnu,
    /// BusyBox tar (busybox, alpine, curlimages/curl).
    Busybox,
}

/// Every catalogue image with a shell also ships tar; images without one (distroless,
/// `pause`, CoreDNS) have neither.
fn tar_of(image: &str) -> Option<Tar> {
    let info = apps::lookup(image);
    if !info.has("sh") {
        None
    } else if info.has("ash") {
        Some(Tar::Busybox)
    } else {
        Some(Tar::Gnu)
    }
}

/// Go's `path.Dir`/`filepath.Clean` for the paths kubectl prints.
fn clean(path: &str) -> String {
    if path.starts_with('/') {
        return normalize("/", path);
    }
    if path.split('/').any(|c| c == "..") {
        return path.trim_end_matches('/').to_owned();
    }
    let cleaned = normalize("/", path);
    match cleaned.strip_prefix('/') {
        Some("") | None => ".".to_owned(),
        Some(rest) => rest.to_owned(),
    }
}

fn dir_of(path: &str) -> String {
    let cleaned = clean(path);
    match cleaned.rsplit_once('/') {
        Some(("", _)) => "/".to_owned(),
        Some((dir, _)) => dir.to_owned(),
        None => ".".to_owned(),
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Everything under `root` (absolute) in `files`: `(path relative to root, file contents or
/// `None` for a directory)`, parents before children.
fn walk(files: &Files, root: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    let mut pending = vec![String::new()];
    while let Some(rel) = pending.pop() {
        let dir = if rel.is_empty() {
            root.to_owned()
        } else {
            join(root, &rel)
        };
        for entry in files.list_dir(&dir).unwrap_or_default() {
            let child = if rel.is_empty() {
                entry.name.clone()
            } else {
                format!("{rel}/{}", entry.name)
            };
            if entry.is_dir {
                found.push((child.clone(), None));
                pending.push(child);
            } else {
                let contents = files.read(&join(&dir, &entry.name)).map(str::to_owned);
                found.push((child, Some(contents.unwrap_or_default())));
            }
        }
    }
    crate::sort::sort(&mut found);
    found
}

/// The container's file system as `tar` sees it: the image's directories, the files kubelet
/// writes (`/etc/hosts`, `/etc/resolv.conf`, `/etc/hostname`) and whatever was copied in
/// before. Taken out of the world; [`put_back`] returns it.
fn take_container_files(world: &mut World, pod: &Value, container: &str, image: &str) -> Files {
    let key = container_files_key(str_at(pod, "/metadata/uid"), container);
    if let Some(files) = world.net.container_files.remove(&key) {
        return files;
    }
    let workdir = apps::lookup(image).workdir;
    let mut files = Files::with_home("/root");
    let now = world.now();
    for dir in [
        "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/media", "/mnt", "/opt", "/proc",
        "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var", workdir,
    ] {
        let _ = files.mkdir_all(dir, now);
    }
    let location = Location::Container {
        namespace: str_at(pod, "/metadata/namespace").to_owned(),
        pod: str_at(pod, "/metadata/name").to_owned(),
        container: container.to_owned(),
    };
    for path in ["/etc/hosts", "/etc/resolv.conf", "/etc/hostname"] {
        if let Some(text) = crate::net::world::system_file(world, &location, path) {
            files.write(path, &text);
        }
    }
    let _ = files.set_cwd(workdir);
    files
}

fn put_back(world: &mut World, pod: &Value, container: &str, files: Files) {
    let key = container_files_key(str_at(pod, "/metadata/uid"), container);
    world.net.container_files.insert(key, files);
}

pub fn cp(ctx: &mut Ctx<'_>, rest: &[String]) {
    const FLAGS: &[FlagSpec] = &[
        value("container", Some('c')),
        boolean("no-preserve", None),
        int("retries", None),
    ];
    let p = match args::parse(rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error("cp", &e.0),
    };
    let [src, dest] = p.positional.as_slice() else {
        return ctx.fail("source and destination are required");
    };
    let (src, dest) = match (parse_spec(src), parse_spec(dest)) {
        (Ok(s), Ok(d)) => (s, d),
        (Err(e), _) | (_, Err(e)) => return ctx.fail(e),
    };
    if matches!(src, Spec::Remote { .. }) && matches!(dest, Spec::Remote { .. }) {
        return ctx.fail("one of src or dest must be a local file specification");
    }
    if src.path().is_empty() || dest.path().is_empty() {
        return ctx.fail("filepath can not be empty");
    }
    let default_namespace = ctx.namespace(&p).0;
    let container = p.get("container").map(str::to_owned);
    match (src, dest) {
        (
            Spec::Remote {
                namespace,
                pod,
                path,
            },
            Spec::Local(local),
        ) => {
            let namespace = namespace.unwrap_or(default_namespace);
            copy_from_pod(ctx, &namespace, &pod, container.as_deref(), &path, &local);
        }
        (
            Spec::Local(local),
            Spec::Remote {
                namespace,
                pod,
                path,
            },
        ) => {
            let namespace = namespace.unwrap_or(default_namespace);
            copy_to_pod(ctx, &local, &namespace, &pod, container.as_deref(), &path);
        }
        _ => ctx.fail("one of src or dest must be a remote file specification"),
    }
}

/// The image of `container` in `pod`.
fn image_of<'p>(pod: &'p Value, container: &str) -> &'p str {
    pod.ptr("/spec/containers")
        .and_then(Value::as_array)
        .and_then(|cs| cs.iter().find(|c| str_at(c, "/name") == container))
        .map_or("", |c| str_at(c, "/image"))
}

/// What kubectl reports when the image has no `tar` (cri-dockerd writes the runtime's
/// error into the exec's output stream).
fn no_tar(ctx: &mut Ctx<'_>, output_reaches_terminal: bool) {
    if output_reaches_terminal {
        ctx.io.print(
            "OCI runtime exec failed: exec failed: unable to start container process: exec: \"tar\": executable file not found in $PATH: unknown\n",
        );
    }
    // Copying out, that output went into the tar stream kubectl was reading, so only exec's
    // exit status is left to print.
    ctx.io.eprint("command terminated with exit code 126\n");
    ctx.code = 126;
}

fn copy_to_pod(
    ctx: &mut Ctx<'_>,
    local: &str,
    namespace: &str,
    pod_name: &str,
    container: Option<&str>,
    remote: &str,
) {
    // kubectl stats the local file before it contacts the server.
    if !ctx.files.exists(local) {
        return ctx.fail(&format!("{local} doesn't exist in local filesystem"));
    }
    let Some((pod, container)) = exec_target(ctx, pod_name, namespace, container) else {
        return;
    };
    let image = image_of(&pod, &container).to_owned();
    let Some(tar) = tar_of(&image) else {
        return no_tar(ctx, true);
    };
    let mut files = take_container_files(ctx.world, &pod, &container, &image);
    // `test -d DEST` first: into an existing directory the source keeps its name.
    let mut dest = remote.to_owned();
    if files.is_dir(&dest) {
        dest = join(&dest, base_name(&clean(local)));
    }
    let dest_dir = dir_of(&dest);
    let now = ctx.world.now();
    let result = if !files.is_dir(&dest_dir) {
        let reason = if files.exists(&dest_dir) {
            "Not a directory"
        } else {
            "No such file or directory"
        };
        Err(match tar {
            Tar::Gnu => (
                format!(
                    "tar: {dest_dir}: Cannot open: {reason}\ntar: Error is not recoverable: exiting now\n"
                ),
                2,
            ),
            Tar::Busybox => (
                format!("tar: can't change directory to '{dest_dir}': {reason}\n"),
                1,
            ),
        })
    } else if ctx.files.is_dir(local) {
        let root = ctx.files.resolve(local);
        let entries = walk(ctx.files, &root);
        let _ = files.mkdir_all(&dest, now);
        for (rel, contents) in entries {
            let target = join(&dest, &rel);
            match contents {
                None => {
                    let _ = files.mkdir_all(&target, now);
                }
                Some(text) => {
                    if let Some(parent) = parent_of(&files.resolve(&target)) {
                        let _ = files.mkdir_all(parent, now);
                    }
                    let _ = files.try_write(&target, &text, false, now);
                }
            }
        }
        Ok(())
    } else if files.is_dir(&dest) {
        // [MEM] GNU tar refuses to replace a directory with a file.
        Err(match tar {
            Tar::Gnu => (
                format!(
                    "tar: {}: Cannot open: File exists\ntar: Exiting with failure status due to previous errors\n",
                    base_name(&dest)
                ),
                2,
            ),
            Tar::Busybox => (
                format!(
                    "tar: can't remove old file {}: Is a directory\n",
                    base_name(&dest)
                ),
                1,
            ),
        })
    } else {
        let text = ctx.files.read(local).unwrap_or_default().to_owned();
        let _ = files.try_write(&dest, &text, false, now);
        Ok(())
    };
    put_back(ctx.world, &pod, &container, files);
    if let Err((message, code)) = result {
        ctx.io.eprint(&message);
        ctx.io
            .eprint(&format!("command terminated with exit code {code}\n"));
        ctx.code = code;
    }
}

fn copy_from_pod(
    ctx: &mut Ctx<'_>,
    namespace: &str,
    pod_name: &str,
    container: Option<&str>,
    remote: &str,
    local: &str,
) {
    // kubectl gives `tar cf -` its own stdout as stderr: exec's "Defaulted container" line
    // and tar's warnings land on stdout.
    let err_before = ctx.io.err.len();
    let target = exec_target(ctx, pod_name, namespace, container);
    if target.is_some() {
        ctx.io.move_err_to_out(err_before);
    }
    let Some((pod, container)) = target else {
        return;
    };
    let image = image_of(&pod, &container).to_owned();
    let Some(tar) = tar_of(&image) else {
        return no_tar(ctx, false);
    };
    let files = take_container_files(ctx.world, &pod, &container, &image);
    let exists = files.exists(remote);
    let absolute = remote.starts_with('/');
    match tar {
        Tar::Gnu => {
            if absolute {
                ctx.io
                    .print("tar: Removing leading `/' from member names\n");
            }
            if !exists {
                ctx.io.print(&format!(
                    "tar: {remote}: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n"
                ));
            }
        }
        Tar::Busybox => {
            if !exists {
                ctx.io.print(&format!(
                    "tar: {remote}: No such file or directory\ntar: error exit delayed from previous errors\n"
                ));
            } else if absolute {
                ctx.io
                    .print("tar: removing leading '/' from member names\n");
            }
        }
    }
    let result = if !exists {
        // tar still ends its (empty) archive, so kubectl finishes reading before it sees
        // tar's exit status, and exits 0 (kubernetes/kubectl#980).
        Ok(())
    } else if files.is_dir(remote) {
        let root = files.resolve(remote);
        extract_dir(ctx, &walk(&files, &root), local)
    } else {
        let text = files.read(remote).unwrap_or_default().to_owned();
        extract_file(ctx, &text, local)
    };
    put_back(ctx.world, &pod, &container, files);
    if let Err(message) = result {
        ctx.fail(&message);
    }
}

/// `os.MkdirAll` of the parent directory of `local`, with Go's error text.
fn make_parents(files: &mut Files, local: &str, now: crate::time::SimTime) -> Result<(), String> {
    let absolute = files.resolve(local);
    let Some(parent) = parent_of(&absolute) else {
        return Ok(());
    };
    files
        .mkdir_all(parent, now)
        .map_err(|_| format!("mkdir {}: not a directory", dir_of(&clean(local))))
}

fn extract_file(ctx: &mut Ctx<'_>, text: &str, local: &str) -> Result<(), String> {
    let now = ctx.world.now();
    make_parents(ctx.files, local, now)?;
    if ctx.files.is_dir(local) {
        return Err(format!("open {}: is a directory", clean(local)));
    }
    ctx.files.try_write(local, text, false, now).map_err(|e| {
        format!(
            "open {}: {}",
            clean(local),
            e.message().to_ascii_lowercase()
        )
    })
}

fn extract_dir(
    ctx: &mut Ctx<'_>,
    entries: &[(String, Option<String>)],
    local: &str,
) -> Result<(), String> {
    let now = ctx.world.now();
    make_parents(ctx.files, local, now)?;
    ctx.files
        .mkdir_all(local, now)
        .map_err(|_| format!("mkdir {}: not a directory", clean(local)))?;
    for (rel, contents) in entries {
        let target = join(local, rel);
        match contents {
            None => {
                ctx.files
                    .mkdir_all(&target, now)
                    .map_err(|_| format!("mkdir {}: not a directory", clean(&target)))?;
            }
            Some(text) => extract_file(ctx, text, &target)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_specs_split_at_the_first_colon_into_namespace_pod_and_path() {
        assert_eq!(parse_spec("a.txt"), Ok(Spec::Local("a.txt".to_owned())));
        assert_eq!(
            parse_spec("blue/web:/tmp/a:b"),
            Ok(Spec::Remote {
                namespace: Some("blue".to_owned()),
                pod: "web".to_owned(),
                path: "/tmp/a:b".to_owned(),
            })
        );
        assert_eq!(parse_spec(":x"), Err(BAD_SPEC));
        assert_eq!(parse_spec("a/b/c:x"), Err(BAD_SPEC));
    }

    #[test]
    fn paths_are_cleaned_the_way_go_prints_them() {
        assert_eq!(clean("out/"), "out");
        assert_eq!(clean("./out"), "out");
        assert_eq!(clean("/tmp//x/"), "/tmp/x");
        assert_eq!(dir_of("/tmp/x"), "/tmp");
        assert_eq!(dir_of("/x"), "/");
        assert_eq!(dir_of("x"), ".");
    }
}
