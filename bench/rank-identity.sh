#!/usr/bin/env bash
# Whether two builds of alike write byte-identical cluster indexes: BBC
# (without its labels) and synthetic archives, each built by both binaries
# (`alike index … --layout clusters`, niced, under /usr/bin/time -v), the
# folders compared with `diff -r`. Prints each build's user CPU seconds
# and peak RSS.
#
#   bash bench/rank-identity.sh OLD_BIN NEW_BIN [COUNT...]   (default counts: 20000)
#   WORK=/tmp/rank-identity by default; inputs are kept there between runs.
set -euo pipefail
old=$(realpath "$1") new=$(realpath "$2")
shift 2
counts=("${@:-20000}")
work=${WORK:-/tmp/rank-identity}
here=$(dirname "$0")
mkdir -p "$work/in"
node "$here/rank-inputs.mjs" "$work/in" "${counts[@]}"
names=(bbc)
for count in "${counts[@]}"; do
  names+=("$(node -e "import('$(realpath "$here")/lib/corpus.mjs').then((m) => console.log(m.nameOf(Number(process.argv[1]))))" "$count")")
done
status=0
for name in "${names[@]}"; do
  for side in old new; do
    bin=${!side}
    out="$work/$side/$name"
    rm -rf "$out" && mkdir -p "$out"
    /usr/bin/time -v nice -n 10 "$bin" index "$work/in/$name.jsonl" --out "$out/index.json" --quiet --layout clusters \
      2> "$work/$side-$name.time"
    printf '%-16s %-4s user %6s s  peak %8s kB\n' "$name" "$side" \
      "$(grep 'User time' "$work/$side-$name.time" | awk '{print $NF}')" \
      "$(grep 'Maximum resident' "$work/$side-$name.time" | awk '{print $NF}')"
  done
  if diff -r "$work/old/$name" "$work/new/$name" > /dev/null; then
    echo "$name: identical ($(find "$work/new/$name" -type f | wc -l) files)"
  else
    echo "$name: DIFFERENT"
    status=1
  fi
done
exit $status
