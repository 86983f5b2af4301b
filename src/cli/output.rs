//! Where `alike index` writes: the folder an index lives in, taken by one
//! build at a time; files written whole or not at all; and which shard
//! files in it belong to which manifest, so that tidying up after one
//! index never deletes another's.

use std::collections::HashSet;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use alike::{Index, IndexFile};
use anyhow::{Context, Result, bail};

/// What temporary files are called, so that those a killed build left
/// behind can be told from everything else and removed by the next one.
const TEMP_PREFIX: &str = ".alike-tmp-";

/// The folders beside a manifest that hold its shards.
pub const SHARD_FOLDERS: [&str; 3] = ["t", "a", "l"];

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
/// into one folder would mix their shards (and one's tidying would delete
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
/// index folder and its shard folders. Only call it holding the folder's
/// lock: then no other build's temporary file can be there.
pub fn remove_leftovers(dir: &Path) -> Result<usize> {
    let mut removed = 0;
    let folders = std::iter::once(dir.to_path_buf()).chain(SHARD_FOLDERS.iter().map(|f| dir.join(f)));
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

/// A shard file: written whole under a temporary name, then renamed. Not
/// synced one by one (an archive has many thousands); the manifest, which
/// is, is written after them.
pub fn write_shard(path: &Path, json: &str) -> Result<()> {
    let dir = path.parent().expect("shard paths have a folder");
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

/// The shard files that the other sharded indexes in `dir` name (any
/// `*.json` but `manifest` that is an alike manifest). Shard folders
/// belong to the folder, not to one manifest, so tidying after one index
/// must keep these. An alike manifest that cannot be read (another
/// version, corrupt) makes it impossible to tell what it needs: that is an
/// error, and nothing should be removed.
pub fn shards_of_other_indexes(dir: &Path, manifest: &Path) -> Result<HashSet<String>> {
    let mut keep = HashSet::new();
    let own_name = manifest.file_name();
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries {
        let path = entry.with_context(|| format!("cannot list {}", dir.display()))?.path();
        if path.extension().is_none_or(|e| e != "json") || path.file_name() == own_name || !path.is_file() {
            continue;
        }
        let Ok(json) = std::fs::read_to_string(&path) else { continue };
        let file = match IndexFile::from_json(&json) {
            Ok(file) => file,
            // Not an alike index at all: nothing of ours.
            Err(alike::Error::NotAnIndex(_)) => continue,
            Err(error) => bail!("{} is an alike index that cannot be read ({error})", path.display()),
        };
        if file.shards.is_none() {
            continue;
        }
        let index = Index::from_file(file)
            .with_context(|| format!("{} is an alike index that cannot be read", path.display()))?;
        keep.extend(index.shard_files());
    }
    Ok(keep)
}

/// Deletes the shard files in `dir`'s shard folders not in `keep` (paths
/// as manifests give them). Files not named as alike names shards are left
/// alone, whatever they are.
pub fn remove_old_shards(dir: &Path, keep: &HashSet<String>) -> Result<usize> {
    let mut removed = 0;
    for folder in SHARD_FOLDERS {
        let Ok(entries) = std::fs::read_dir(dir.join(folder)) else { continue };
        for entry in entries {
            let path = entry.with_context(|| format!("cannot list {}", dir.join(folder).display()))?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
            if is_shard_name(name) && !keep.contains(&format!("{folder}/{name}")) {
                std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// `<shard>-<version>.json`, both in lower-case hex: what alike names shards.
fn is_shard_name(name: &str) -> bool {
    let hex = |part: &str| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    name.strip_suffix(".json")
        .and_then(|stem| stem.split_once('-'))
        .is_some_and(|(shard, version)| hex(shard) && hex(version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_alike_gives_shards_count_as_shards() {
        for name in ["0-0.json", "1f-a3.json", "7fe-4c405536.json"] {
            assert!(is_shard_name(name), "{name}");
        }
        for name in [
            "index.json",
            "1f-a3.json.gz",
            "1F-a3.json",
            "-a3.json",
            "1f-.json",
            "1f-a3-b.json",
            "notes.txt",
            "1g-0.json",
        ] {
            assert!(!is_shard_name(name), "{name}");
        }
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
        std::fs::create_dir_all(dir.path().join("t")).expect("t/");
        for name in [".alike-tmp-x1", "t/.alike-tmp-y2", "index.json", "t/1f-a3.json", "t/.tmpAbc"] {
            std::fs::write(dir.path().join(name), "x").expect("a file");
        }
        assert_eq!(remove_leftovers(dir.path()).expect("removes"), 2);
        for name in ["index.json", "t/1f-a3.json", "t/.tmpAbc"] {
            assert!(dir.path().join(name).exists(), "{name} stays");
        }
    }
}
