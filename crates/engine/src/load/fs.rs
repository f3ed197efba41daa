//! Reading files: the file system a scenario's paths resolve against (the disk for the
//! CLI, memory for the app), paths relative to a file, and the size limit.

use std::collections::HashMap;
use std::sync::Arc;

use crate::source::SharedText;

use super::*;

/// The largest file Cutoff reads: 512 MiB (a million-row population is about 60 MiB).
pub const MAX_FILE_BYTES: usize = 512 * 1024 * 1024;

/// Reads the files a scenario names.
pub trait FileSystem {
    /// The bytes of the file at `path`, or why it could not be read.
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;

    /// The text of the file at `path` (`Ok(None)` when it is not UTF-8), or why it could
    /// not be read. A file system that already holds text shares it, rather than copying
    /// it and checking it again.
    fn read_text(&self, path: &str) -> Result<Option<SharedText>, String> {
        self.read(path)
            .map(|bytes| String::from_utf8(bytes).ok().map(Arc::new))
    }
}

/// The real file system.
pub struct NativeFileSystem;

impl FileSystem for NativeFileSystem {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        // Refuse an oversized file before reading it into memory.
        if let Ok(meta) = std::fs::metadata(path)
            && meta.len() > MAX_FILE_BYTES as u64
        {
            return Err(too_large(meta.len()));
        }
        std::fs::read(path).map_err(|e| {
            let message = e.to_string().to_lowercase();
            // "no such file or directory (os error 2)" reads better without the number.
            match message.find(" (os error") {
                Some(cut) => message.get(..cut).unwrap_or(&message).to_owned(),
                None => message,
            }
        })
    }
}

/// Files held in memory, such as the presets compiled into the app.
#[derive(Clone, Debug, Default)]
pub struct MemoryFileSystem {
    files: HashMap<String, SharedText>,
}

impl MemoryFileSystem {
    /// Adds a file.
    pub fn insert(&mut self, path: impl Into<String>, text: impl Into<String>) {
        let text = Arc::new(text.into());
        self.files.insert(normalize_path(&path.into()), text);
    }

    fn get(&self, path: &str) -> Result<&SharedText, String> {
        self.files
            .get(&normalize_path(path))
            .ok_or_else(|| "no such file".into())
    }
}

impl FileSystem for MemoryFileSystem {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        self.get(path).map(|text| text.as_bytes().to_vec())
    }

    fn read_text(&self, path: &str) -> Result<Option<SharedText>, String> {
        self.get(path).map(|text| Some(text.clone()))
    }
}

/// Resolves `.` and `..` segments so that equal paths compare equal.
pub fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// `path` relative to the folder of `from`, unless it is absolute.
pub fn relative_to(from: &str, path: &str) -> String {
    if path.starts_with('/') {
        return path.to_owned();
    }
    match from.rfind('/') {
        Some(slash) => format!("{}/{path}", from.get(..slash).unwrap_or_default()),
        None => path.to_owned(),
    }
}

/// The path of the file `to` as written in the file `from` (both relative to one root):
/// the inverse of [`relative_to`].
pub fn path_from(from: &str, to: &str) -> String {
    let from = normalize_path(from);
    let to = normalize_path(to);
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = from_dirs.split_last().map_or(&[][..], |(_, dirs)| dirs);
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut parts: Vec<&str> = vec![".."; from_dirs.len() - common];
    parts.extend(to_parts.iter().skip(common));
    parts.join("/")
}

/// The text of the file at `relative`, beside `from`.
pub(crate) fn read_text_beside(
    fs: &dyn FileSystem,
    from: &str,
    relative: &str,
) -> Result<String, String> {
    let bytes = fs.read(&relative_to(from, relative))?;
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_owned())
}

/// The message for a file over [`MAX_FILE_BYTES`].
pub fn too_large(bytes: u64) -> String {
    format!(
        "it is {} MiB, over the limit of {} MiB; aggregate identical people into weighted rows",
        bytes / (1024 * 1024),
        MAX_FILE_BYTES / (1024 * 1024)
    )
}

pub(crate) fn decode_utf8(path: &str, bytes: Vec<u8>) -> Result<String, LoadError> {
    String::from_utf8(bytes).map_err(|_| LoadError::NotUtf8(path.to_owned()))
}

/// The text of the file at `resolved`, which the scenario names `shown`.
pub(crate) fn read_utf8(
    fs: &dyn FileSystem,
    resolved: &str,
    shown: &str,
) -> Result<SharedText, LoadError> {
    match fs.read_text(resolved) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(LoadError::NotUtf8(shown.to_owned())),
        Err(reason) => Err(LoadError::ReadFailed {
            path: shown.to_owned(),
            reason,
        }),
    }
}
