#!/usr/bin/env bash
# A short fuzzing pass over alike's parsers: about a minute per target,
# cheap targets first, one at a time (see FUZZING.md). Not part of
# scripts/test.sh: it needs nightly Rust and cargo-fuzz, and its point is
# to find new inputs, not to pass or fail the same way each time.
#
#   scripts/fuzz.sh            # every target, 60 s each
#   scripts/fuzz.sh 600 index  # one target, ten minutes
#
# New corpus entries go to fuzz/target/new-corpus/<target>, not into the
# committed corpus; crash reproducers go to fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds=${1:-60}
shift || true
all_targets=(codec url_key tokenize jsonl index clusters feed html page_tree)
targets=("${@:-${all_targets[@]}}")

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# Longest input per target: enough for real URLs and VLQ fields, for real
# pages, feeds and index files; longer inputs mostly slow the fuzzer down.
max_len() {
  case "$1" in
    codec | url_key) echo 4096 ;;
    tokenize | jsonl) echo 16384 ;;
    *) echo 65536 ;;
  esac
}

dict() {
  case "$1" in
    index | clusters) echo "-dict=dict/index.dict" ;;
    jsonl) echo "-dict=dict/jsonl.dict" ;;
    feed) echo "-dict=dict/feed.dict" ;;
    html) echo "-dict=dict/html.dict" ;;
  esac
}

# No sanitizer: alike forbids `unsafe`, so AddressSanitizer would mostly
# slow the search down. Debug assertions and overflow checks stay on.
cargo +nightly fuzz build --sanitizer none

for target in "${targets[@]}"; do
  printf '\n== %s (%ss)\n' "$target" "$seconds" >&2
  mkdir -p "target/new-corpus/$target"
  # shellcheck disable=SC2046  # dict() gives zero or one word
  nice -n 10 cargo +nightly fuzz run --sanitizer none "$target" \
    "target/new-corpus/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -max_len="$(max_len "$target")" $(dict "$target") -print_final_stats=1
done
