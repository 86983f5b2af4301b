//! Where `alike index` writes: the folder an index lives in, taken by one
//! build at a time, and files written whole or not at all.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// What temporary files are called, so that those a killed build left
/// behind can be told from everything else and removed by the next one.
const TEMP_PREFIX: &str = ".alike-tmp-";

/// The folders beside a manifest that hold the cluster layout's files
/// (`layout.rs`).
pub const INDEX_FOLDERS: [&str; 5] = ["c", "k", "l", "d", "r"];

/// The manifest's file for `--out` (and `alike query --index`): a folder
/// holds it as `index.json`, beside the widget, which looks for it there.
/// A path names a folder when it is one, or when nothing is there yet and
/// it ends in a separator or has no extension (`--out public/alike`, as
/// Pagefind's output is a folder); an existing file is always the file, so
/// an index once written at a name without an extension stays there.
pub fn index_file(path: &Path) -> PathBuf {
    let folder = match std::fs::metadata(path) {
        Ok(meta) => meta.is_dir(),
        Err(_) => {
            path.as_os_str().to_string_lossy().ends_with(std::path::is_separator)
                || path.extension().is_none()
        }
    };
    if folder { path.join("index.json") } else { path.to_path_buf() }
}

/// The folder an index at `out` is written into.
pub fn folder_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses an output file that is one of the inputs: the build would
/// replace the articles it reads.
pub fn check_not_an_input(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Ok(out_path) = std::fs::canonicalize(out) else { return Ok(()) };
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|input| input == out_path) {
            bail!(
                "{} is one of the inputs: writing there would replace the articles; choose another file",
                out.display()
            );
        }
    }
    Ok(())
}

/// The right to write into an index folder, held until dropped. Two builds
/// into one folder would mix their files (and one's failure would take back
/// the other's new files), so a second build stops with a clear message.
/// The lock is the operating system's, on the folder itself: it goes with
/// the process however that ends, and leaves no file to deploy.
pub struct FolderLock {
    _handle: File,
}

impl FolderLock {
    pub fn take(dir: &Path) -> Result<FolderLock> {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let handle = lock_handle(dir)?;
        match handle.try_lock() {
            Ok(()) => Ok(FolderLock { _handle: handle }),
            Err(std::fs::TryLockError::WouldBlock) => bail!(
                "another `alike index` is writing into {} right now; wait for it to finish and run this \
                 one again (builds into one folder take turns)",
                dir.display()
            ),
            Err(std::fs::TryLockError::Error(error)) => {
                Err(error).with_context(|| format!("cannot lock {} for writing", dir.display()))
            }
        }
    }
}

#[cfg(unix)]
fn lock_handle(dir: &Path) -> Result<File> {
    File::open(dir).with_context(|| format!("cannot open {}", dir.display()))
}

/// Elsewhere a folder cannot be opened as a file: a lock file stands in.
#[cfg(not(unix))]
fn lock_handle(dir: &Path) -> Result<File> {
    let path = dir.join(".alike.lock");
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))
}

/// Removes the temporary files that builds killed half-way left in the
/// index folder and its `INDEX_FOLDERS`. Only call it holding the folder's
/// lock: then no other build's temporary file can be there.
pub fn remove_leftovers(dir: &Path) -> Result<usize> {
    let mut removed = 0;
    let folders = std::iter::once(dir.to_path_buf()).chain(INDEX_FOLDERS.iter().map(|f| dir.join(f)));
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            let is_temp = entry.file_name().to_str().is_some_and(|name| name.starts_with(TEMP_PREFIX));
            if is_temp && entry.file_type().is_ok_and(|t| t.is_file()) {
                let path = entry.path();
                std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// A file of a multi-file index: written whole under a temporary name, then renamed. Not
/// synced one by one (an archive has many thousands); the manifest, which
/// is, is written after them.
pub fn write_index_file(path: &Path, json: &str) -> Result<()> {
    let dir = path.parent().expect("index file paths have a folder");
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut temp = temp_file(path, dir)?;
    temp.write_all(json.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    let permissions = readable_by_all(temp.as_file().metadata()?.permissions());
    temp.as_file()
        .set_permissions(permissions)
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path).map_err(|e| e.error).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Writes to a temporary file beside `path`, then renames it over `path`,
/// so that readers never see half an index and a failure keeps the old one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = folder_of(path);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut temp = temp_file(path, &dir)?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    // The temporary file is private (0600); an index is for a web server to
    // read, so it takes the old index's mode, or 0644.
    let permissions = match std::fs::metadata(path) {
        Ok(old) => old.permissions(),
        Err(_) => readable_by_all(temp.as_file().metadata()?.permissions()),
    };
    temp.as_file()
        .set_permissions(permissions)
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path).map_err(|e| e.error).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn temp_file(path: &Path, dir: &Path) -> Result<tempfile::NamedTempFile> {
    tempfile::Builder::new().prefix(TEMP_PREFIX).tempfile_in(dir).with_context(|| {
        format!("cannot write {}: cannot create a file in {}", path.display(), dir.display())
    })
}

#[cfg(unix)]
fn readable_by_all(mut permissions: std::fs::Permissions) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    permissions.set_mode(0o644);
    permissions
}

#[cfg(not(unix))]
fn readable_by_all(permissions: std::fs::Permissions) -> std::fs::Permissions {
    permissions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_holds_the_index_as_index_json() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let at = |name: &str| dir.path().join(name);
        std::fs::create_dir(at("existing")).expect("a folder");
        std::fs::write(at("plain"), "{}").expect("a file without an extension");
        // Folders: one that exists, a new name without an extension, a trailing separator.
        assert_eq!(index_file(&at("existing")), at("existing/index.json"));
        assert_eq!(index_file(&at("alike")), at("alike/index.json"));
        assert_eq!(index_file(Path::new("public/new.d/")), Path::new("public/new.d/index.json"));
        assert_eq!(index_file(Path::new(".")), Path::new("./index.json"));
        // Files: a name with an extension, and an existing file without one.
        assert_eq!(index_file(&at("news-2005.json")), at("news-2005.json"));
        assert_eq!(index_file(&at("plain")), at("plain"));
    }

    #[test]
    fn a_second_build_into_a_locked_folder_is_refused() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let first = FolderLock::take(dir.path()).expect("the first build takes the folder");
        let error = FolderLock::take(dir.path()).err().expect("the second is refused");
        assert!(error.to_string().contains("another `alike index` is writing"), "{error}");
        drop(first);
        FolderLock::take(dir.path()).expect("free again once the first is done");
    }

    #[test]
    fn leftover_temporary_files_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().expect("a temp dir");
        std::fs::create_dir_all(dir.path().join("c")).expect("c/");
        std::fs::create_dir_all(dir.path().join("r")).expect("r/");
        let files = [
            ".alike-tmp-x1",
            "c/.alike-tmp-y2",
            "r/.alike-tmp-z3",
            "index.json",
            "c/1f-a3.json",
            "c/.tmpAbc",
        ];
        for name in files {
            std::fs::write(dir.path().join(name), "x").expect("a file");
        }
        assert_eq!(remove_leftovers(dir.path()).expect("removes"), 3);
        for name in ["index.json", "c/1f-a3.json", "c/.tmpAbc"] {
            assert!(dir.path().join(name).exists(), "{name} stays");
        }
    }
}
