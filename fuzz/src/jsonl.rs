//! The JSON Lines reader (src/input/jsonl.rs), through `alike::input::read`
//! on a `.jsonl` file: any bytes give records or errors, never a panic.

/// One input: the check this target makes.
pub fn run(data: &[u8]) {
    super::read_all("jsonl", data);
}
