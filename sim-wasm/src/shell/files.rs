//! One machine's file system as the student sees it: a tree of directories and text files,
//! and the working directory that relative paths are resolved against.
//!
//! It knows paths, not commands: the GNU messages built on its errors live in `builtins/`.
//! There are no permissions, owners or links; modification times are virtual-clock values
//! the caller passes in.

use std::collections::BTreeMap;

use crate::time::SimTime;

/// The largest file the shell keeps (a heredoc or `>>` beyond it is cut), so a loop of
/// appends cannot exhaust memory in the browser.
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// The most entries (files and directories) one machine holds.
pub const MAX_ENTRIES: usize = 10_000;

/// Why a file operation failed, as `strerror` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    IsADirectory,
    NotADirectory,
    Exists,
    NotEmpty,
    NoSpace,
}

impl FsError {
    /// The C library's message (`strerror(errno)`), which GNU tools print after a colon.
    pub fn message(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::IsADirectory => "Is a directory",
            FsError::NotADirectory => "Not a directory",
            FsError::Exists => "File exists",
            FsError::NotEmpty => "Directory not empty",
            FsError::NoSpace => "No space left on device",
        }
    }
}

/// One entry of a directory listing ([`Files::list_dir`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    pub name: String,
    pub is_dir: bool,
}

/// What [`Files::stat`] knows about a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metadata {
    pub is_dir: bool,
    pub len: usize,
    pub modified: SimTime,
}

#[derive(Clone, Debug)]
enum Node {
    Dir { modified: SimTime },
    File { contents: String, modified: SimTime },
}

/// A machine's files, keyed by absolute normalized path (`/home/user/blue.yaml`), plus the
/// current working directory. `read`/`write` take paths as the student typed them.
#[derive(Clone, Debug)]
pub struct Files {
    nodes: BTreeMap<String, Node>,
    cwd: String,
    home: String,
}

impl Default for Files {
    /// The student's home on `master`: `/home/user`, which is also the working directory.
    fn default() -> Files {
        Files::with_home("/home/user")
    }
}

impl Files {
    /// A file system with the usual top-level directories, `home` created and current.
    pub fn with_home(home: &str) -> Files {
        let mut files = Files {
            nodes: BTreeMap::new(),
            cwd: "/".to_owned(),
            home: "/".to_owned(),
        };
        for dir in [
            "/", "/etc", "/home", "/root", "/tmp", "/usr", "/usr/bin", "/var",
        ] {
            files.nodes.insert(
                dir.to_owned(),
                Node::Dir {
                    modified: SimTime::ZERO,
                },
            );
        }
        let home = normalize("/", home);
        let _ = files.mkdir_all(&home, SimTime::ZERO);
        files.cwd = home.clone();
        files.home = home;
        files
    }

    /// The working directory (absolute).
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// The home directory (absolute) that `~` stands for.
    pub fn home(&self) -> &str {
        &self.home
    }

    /// Changes the working directory; the path must name a directory.
    pub fn set_cwd(&mut self, path: &str) -> Result<(), FsError> {
        let absolute = self.resolve(path);
        match self.nodes.get(&absolute) {
            Some(Node::Dir { .. }) => {
                self.cwd = absolute;
                Ok(())
            }
            Some(Node::File { .. }) => Err(FsError::NotADirectory),
            None => Err(self.missing_error(&absolute)),
        }
    }

    /// Changes the home directory (`sudo -i` on the same machine goes to `/root`).
    pub fn set_home(&mut self, home: &str) {
        let home = normalize("/", home);
        let _ = self.mkdir_all(&home, SimTime::ZERO);
        self.home = home;
    }

    /// The absolute, normalized form of `path` (`~`, `.`, `..` and relative paths resolved
    /// against the working directory). Never fails: `..` of `/` is `/`.
    pub fn resolve(&self, path: &str) -> String {
        if path == "~" {
            return self.home.clone();
        }
        if let Some(rest) = path.strip_prefix("~/") {
            return normalize(&self.home, rest);
        }
        normalize(&self.cwd, path)
    }

    /// The contents of a regular file; `None` if it is missing or a directory.
    pub fn read(&self, path: &str) -> Option<&str> {
        match self.nodes.get(&self.resolve(path)) {
            Some(Node::File { contents, .. }) => Some(contents),
            _ => None,
        }
    }

    /// Like [`Files::read`], with the reason it failed.
    pub fn try_read(&self, path: &str) -> Result<&str, FsError> {
        let absolute = self.resolve(path);
        match self.nodes.get(&absolute) {
            Some(Node::File { contents, .. }) => Ok(contents),
            Some(Node::Dir { .. }) => Err(FsError::IsADirectory),
            None => Err(self.missing_error(&absolute)),
        }
    }

    /// Writes a file, creating missing parent directories (the browser editor and the grader
    /// use this; the shell's own redirections use [`Files::try_write`]).
    pub fn write(&mut self, path: &str, contents: &str) {
        let absolute = self.resolve(path);
        if let Some(parent) = parent_of(&absolute) {
            let _ = self.mkdir_all(parent, SimTime::ZERO);
        }
        let _ = self.put_file(&absolute, truncate(contents).to_owned(), SimTime::ZERO);
    }

    /// Writes (or with `append`, extends) a file whose parent directory must exist.
    pub fn try_write(
        &mut self,
        path: &str,
        contents: &str,
        append: bool,
        now: SimTime,
    ) -> Result<(), FsError> {
        let absolute = self.resolve(path);
        self.check_parent(&absolute)?;
        let new_contents = match self.nodes.get(&absolute) {
            Some(Node::Dir { .. }) => return Err(FsError::IsADirectory),
            Some(Node::File { contents: old, .. }) if append => {
                let mut joined = String::with_capacity(old.len() + contents.len());
                joined.push_str(old);
                joined.push_str(contents);
                truncate(&joined).to_owned()
            }
            _ => truncate(contents).to_owned(),
        };
        self.put_file(&absolute, new_contents, now)
    }

    /// Whether anything (file or directory) exists at `path`.
    pub fn exists(&self, path: &str) -> bool {
        self.nodes.contains_key(&self.resolve(path))
    }

    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.nodes.get(&self.resolve(path)), Some(Node::Dir { .. }))
    }

    pub fn stat(&self, path: &str) -> Result<Metadata, FsError> {
        let absolute = self.resolve(path);
        match self.nodes.get(&absolute) {
            Some(Node::Dir { modified }) => Ok(Metadata {
                is_dir: true,
                len: 4096,
                modified: *modified,
            }),
            Some(Node::File { contents, modified }) => Ok(Metadata {
                is_dir: false,
                len: contents.len(),
                modified: *modified,
            }),
            None => Err(self.missing_error(&absolute)),
        }
    }

    /// The entries of a directory, sorted by name (byte order, like `LC_COLLATE=C`).
    /// `kubectl apply -f dir/` reads the files it lists.
    pub fn list_dir(&self, path: &str) -> Result<Vec<DirEntry>, FsError> {
        let absolute = self.resolve(path);
        match self.nodes.get(&absolute) {
            Some(Node::Dir { .. }) => {}
            Some(Node::File { .. }) => return Err(FsError::NotADirectory),
            None => return Err(self.missing_error(&absolute)),
        }
        let prefix = if absolute == "/" {
            "/".to_owned()
        } else {
            format!("{absolute}/")
        };
        Ok(self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(key, _)| key.starts_with(&prefix))
            .filter(|(key, _)| key.len() > prefix.len() && !key[prefix.len()..].contains('/'))
            .map(|(key, node)| DirEntry {
                name: key[prefix.len()..].to_owned(),
                is_dir: matches!(node, Node::Dir { .. }),
            })
            .collect())
    }

    /// `mkdir` (one level; the parent must exist).
    pub fn mkdir(&mut self, path: &str, now: SimTime) -> Result<(), FsError> {
        let absolute = self.resolve(path);
        if self.nodes.contains_key(&absolute) {
            return Err(FsError::Exists);
        }
        self.check_parent(&absolute)?;
        self.insert(absolute, Node::Dir { modified: now })
    }

    /// `mkdir -p`: creates every missing directory; fails only where a file is in the way.
    pub fn mkdir_all(&mut self, path: &str, now: SimTime) -> Result<(), FsError> {
        let absolute = self.resolve(path);
        let mut current = String::new();
        for component in absolute.split('/').filter(|c| !c.is_empty()) {
            current.push('/');
            current.push_str(component);
            match self.nodes.get(&current) {
                Some(Node::Dir { .. }) => {}
                Some(Node::File { .. }) => return Err(FsError::NotADirectory),
                None => self.insert(current.clone(), Node::Dir { modified: now })?,
            }
        }
        Ok(())
    }

    /// Removes a file, or with `recursive` a directory and everything under it.
    pub fn remove(&mut self, path: &str, recursive: bool) -> Result<(), FsError> {
        let absolute = self.resolve(path);
        match self.nodes.get(&absolute) {
            None => Err(self.missing_error(&absolute)),
            Some(Node::File { .. }) => {
                self.nodes.remove(&absolute);
                Ok(())
            }
            Some(Node::Dir { .. }) if !recursive => Err(FsError::IsADirectory),
            Some(Node::Dir { .. }) => {
                let prefix = format!("{absolute}/");
                let doomed: Vec<String> = self
                    .nodes
                    .range(prefix.clone()..)
                    .take_while(|(key, _)| key.starts_with(&prefix))
                    .map(|(key, _)| key.clone())
                    .collect();
                for key in doomed {
                    self.nodes.remove(&key);
                }
                if absolute != "/" {
                    self.nodes.remove(&absolute);
                }
                Ok(())
            }
        }
    }

    /// Copies a file or (the caller checked `-r`) a directory tree to `to`, which is the
    /// final name (the caller decides whether `to` was a directory to copy into).
    pub fn copy(&mut self, from: &str, to: &str, now: SimTime) -> Result<(), FsError> {
        let from_abs = self.resolve(from);
        let to_abs = self.resolve(to);
        let prefix = format!("{from_abs}/");
        let mut copies: Vec<(String, Node)> = Vec::new();
        match self.nodes.get(&from_abs) {
            None => return Err(self.missing_error(&from_abs)),
            Some(node) => copies.push((to_abs.clone(), node.clone())),
        }
        if to_abs.starts_with(&prefix) {
            // `cp -r dir dir/sub` would copy forever; GNU refuses it too.
            return Err(FsError::Exists);
        }
        for (key, node) in self
            .nodes
            .range(prefix.clone()..)
            .take_while(|(key, _)| key.starts_with(&prefix))
        {
            copies.push((format!("{to_abs}/{}", &key[prefix.len()..]), node.clone()));
        }
        self.check_parent(&to_abs)?;
        if matches!(self.nodes.get(&to_abs), Some(Node::Dir { .. }))
            && matches!(copies.first(), Some((_, Node::File { .. })))
        {
            return Err(FsError::IsADirectory);
        }
        for (key, node) in copies {
            let node = match node {
                Node::Dir { .. } => Node::Dir { modified: now },
                Node::File { contents, .. } => Node::File {
                    contents,
                    modified: now,
                },
            };
            self.insert(key, node)?;
        }
        Ok(())
    }

    /// Sets a file's modification time, creating it empty if missing (`touch`).
    pub fn touch(&mut self, path: &str, now: SimTime) -> Result<(), FsError> {
        let absolute = self.resolve(path);
        match self.nodes.get_mut(&absolute) {
            Some(Node::Dir { modified }) | Some(Node::File { modified, .. }) => {
                *modified = now;
                Ok(())
            }
            None => {
                self.check_parent(&absolute)?;
                self.insert(
                    absolute,
                    Node::File {
                        contents: String::new(),
                        modified: now,
                    },
                )
            }
        }
    }

    fn put_file(
        &mut self,
        absolute: &str,
        contents: String,
        modified: SimTime,
    ) -> Result<(), FsError> {
        self.insert(absolute.to_owned(), Node::File { contents, modified })
    }

    fn insert(&mut self, absolute: String, node: Node) -> Result<(), FsError> {
        if !self.nodes.contains_key(&absolute) && self.nodes.len() >= MAX_ENTRIES {
            return Err(FsError::NoSpace);
        }
        self.nodes.insert(absolute, node);
        Ok(())
    }

    fn check_parent(&self, absolute: &str) -> Result<(), FsError> {
        match parent_of(absolute) {
            None => Ok(()),
            Some(parent) => match self.nodes.get(parent) {
                Some(Node::Dir { .. }) => Ok(()),
                Some(Node::File { .. }) => Err(FsError::NotADirectory),
                None => Err(self.missing_error(parent)),
            },
        }
    }

    /// `ENOENT`, or `ENOTDIR` when a file stands where a directory of the path should be
    /// (`cat a.yaml/x`).
    fn missing_error(&self, absolute: &str) -> FsError {
        let mut current = absolute;
        while let Some(parent) = parent_of(current) {
            if let Some(node) = self.nodes.get(parent) {
                return match node {
                    Node::File { .. } => FsError::NotADirectory,
                    Node::Dir { .. } => FsError::NotFound,
                };
            }
            current = parent;
        }
        FsError::NotFound
    }
}

/// Joins `path` to `base` (unless absolute) and folds `.`, `..` and repeated slashes.
pub fn normalize(base: &str, path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let joined_base = if path.starts_with('/') { "" } else { base };
    for component in joined_base.split('/').chain(path.split('/')) {
        match component {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut out = String::new();
    for part in &parts {
        out.push('/');
        out.push_str(part);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// The parent directory of an absolute normalized path; `None` for `/`.
pub fn parent_of(absolute: &str) -> Option<&str> {
    if absolute == "/" {
        return None;
    }
    match absolute.rfind('/') {
        Some(0) => Some("/"),
        Some(index) => absolute.get(..index),
        None => None,
    }
}

/// The last component of a path (`basename`), ignoring trailing slashes.
pub fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

fn truncate(contents: &str) -> &str {
    if contents.len() <= MAX_FILE_BYTES {
        return contents;
    }
    let mut end = MAX_FILE_BYTES;
    while !contents.is_char_boundary(end) {
        end -= 1;
    }
    &contents[..end]
}
