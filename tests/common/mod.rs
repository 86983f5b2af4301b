//! What the CLI test files share: running the real `alike` binary.

use std::path::Path;
use std::process::Command;

/// What one run of `alike` did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(self.code, 0, "alike failed\nstderr: {}\nstdout: {}", self.stderr, self.stdout);
        self
    }
}

/// Runs `alike` in `dir`.
pub fn alike(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_alike"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the alike binary runs");
    Run {
        code: output.status.code().expect("alike exits rather than being killed"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `alike` in `dir` and fails the test unless it succeeded.
#[allow(dead_code)] // not every test file needs a success
pub fn ok(dir: &Path, args: &[&str]) -> Run {
    let run = alike(dir, args);
    run.assert_ok();
    run
}

/// Every file under `dir`, by path relative to it (`/`-separated), with its bytes.
#[allow(dead_code)] // not every test file compares folders
pub fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("a folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative =
                    path.strip_prefix(dir).expect("inside").to_str().expect("UTF-8").replace('\\', "/");
                out.insert(relative, std::fs::read(&path).expect("readable"));
            }
        }
    }
    out
}
