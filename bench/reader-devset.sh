#!/usr/bin/env bash
# Prepares the reader's development set (bench/reader.mjs --devset DIR):
# Mozilla Readability's test pages (test/test-pages/*/source.html and
# expected.html; Apache-2.0 code, the pages themselves are third-party
# content, so they stay outside this repository).
#
#   bash bench/reader-devset.sh DIR              clones mozilla/readability
#   bash bench/reader-devset.sh DIR CHECKOUT     from a checkout (or bare
#                                                git directory) already here
#
# Then: node bench/reader.mjs --devset DIR/test/test-pages
set -euo pipefail
dir=${1:?usage: bash bench/reader-devset.sh DIR [CHECKOUT]}
mkdir -p "$dir"
if [[ $# -ge 2 ]]; then
  git --git-dir="$(git -C "$2" rev-parse --absolute-git-dir)" archive HEAD test/test-pages | tar -x -C "$dir"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  git clone --quiet --depth 1 --filter=blob:none --sparse https://github.com/mozilla/readability "$tmp/readability"
  git -C "$tmp/readability" sparse-checkout set test/test-pages
  cp -r "$tmp/readability/test" "$dir/"
fi
echo "reader-devset: $(ls "$dir/test/test-pages" | wc -l) pages in $dir/test/test-pages" >&2
