//! The page reader's wire format and rules (src/extract.rs): any string as
//! the tree the widget's shim builds from a live page (it reaches the wasm
//! from pages alike does not control) decodes and is read without a panic,
//! and every node the reading names is a node of the tree.

/// One input: the check this target makes.
pub fn run(data: &[u8]) {
    let wire = String::from_utf8_lossy(data);
    // The first line, when there is one, stands for the page's title.
    let (title, wire) = wire.split_once('\n').unwrap_or(("", &wire));
    let tree = alike::extract::Tree::decode(wire);
    let reading = alike::extract::read(&tree, title);
    let nodes = wire.split('\x1e').count();
    assert!(reading.read.iter().all(|&i| i < nodes), "read names a node past the tree");
    assert!(reading.left_out.iter().all(|&(i, _)| i < nodes), "left_out names a node past the tree");
    std::hint::black_box(alike::extract::choose_body(Some(&reading.text), title));
    std::hint::black_box(alike::extract::read_fragment(&tree));
}
