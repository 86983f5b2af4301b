//! The candidate layouts' files, written in the format's own encodings
//! (JSON with base64 VLQ streams) so that their gzipped sizes are the sizes
//! a real build of that layout would have.

use serde_json::json;

use crate::model::{Model, encode_terms};
use crate::vlq::{put_digit, put_vlq};

/// One cluster's file: its members' display data and fingerprints, their
/// global ids, and their kept terms as postings over local ids. Everything
/// the engine needs to score and show them, in one request.
pub fn cluster_file(model: &Model, cluster: u32, members: &[u32]) -> String {
    let articles = model.single.articles.as_ref().expect("a single file has articles");
    let mut ids = String::new();
    let mut previous = 0;
    for &a in members {
        put_vlq(&mut ids, u64::from(a - previous));
        previous = a;
    }
    let mut postings: Vec<(u64, u32, u8)> = members
        .iter()
        .enumerate()
        .flat_map(|(local, &a)| model.vectors[a as usize].iter().map(move |&(h, l)| (h, local as u32, l)))
        .collect();
    postings.sort_unstable();
    let fingerprints: String =
        members.iter().map(|&a| &articles.fingerprints[3 * a as usize..3 * a as usize + 3]).collect();
    let file = json!({
        "format": "alike-cluster",
        "version": 2,
        "cluster": cluster,
        "ids": ids,
        "articles": {
            "url": members.iter().map(|&a| &articles.url[a as usize]).collect::<Vec<_>>(),
            "title": members.iter().map(|&a| &articles.title[a as usize]).collect::<Vec<_>>(),
            "fingerprints": fingerprints,
        },
        "terms": encode_terms(&postings, &model.df),
    });
    file.to_string()
}

/// The centroid table: the union of the centroids' first `terms` terms as
/// one ascending hash list, then per centroid the positions of its terms in
/// that list (gaps) and their weights in 4 bits.
pub fn centroid_table(centroids: &[Vec<(u64, f32)>], terms: usize) -> serde_json::Value {
    let mut vocabulary: Vec<u64> =
        centroids.iter().flat_map(|c| c[..terms.min(c.len())].iter().map(|t| t.0)).collect();
    vocabulary.sort_unstable();
    vocabulary.dedup();
    let mut hashes = String::new();
    let mut previous = 0;
    for &h in &vocabulary {
        put_vlq(&mut hashes, h - previous);
        previous = h;
    }
    let rows: Vec<serde_json::Value> = centroids
        .iter()
        .map(|c| {
            let mut row: Vec<(usize, f32)> = c[..terms.min(c.len())]
                .iter()
                .map(|&(h, w)| (vocabulary.binary_search(&h).expect("in the vocabulary"), w))
                .collect();
            row.sort_unstable_by_key(|t| t.0);
            let top = row.iter().map(|t| t.1).fold(0f32, f32::max).max(f32::MIN_POSITIVE);
            let (mut at, mut weights, mut previous) = (String::new(), String::new(), 0);
            for (position, w) in row {
                put_vlq(&mut at, (position - previous) as u64);
                previous = position;
                put_digit(&mut weights, ((w / top) * 15.0).round() as u8);
            }
            json!({ "terms": at, "weights": weights })
        })
        .collect();
    json!({ "hashes": hashes, "centroids": rows })
}

pub fn fnv1a32(key: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in key.bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    hash
}

/// Which of `2^bits` files a page's list is filed in (alike's rule).
pub fn list_file_of(url: &str, bits: u8) -> u32 {
    fnv1a32(url).checked_shr(32 - u32::from(bits)).unwrap_or(0)
}
