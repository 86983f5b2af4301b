#!/usr/bin/env bash
# Prepares the reader's development set (bench/reader.mjs --devset DIR), one
# folder a source, each page a folder with source.html and expected.html or
# expected.txt. The pages are third-party content, so they stay outside this
# repository.
#
#   DIR/readability  Mozilla Readability's test pages (test/test-pages; the
#                    expected text is Readability's own output)
#   DIR/newspaper    newspaper4k's test pages (tests/data/html + txt; news
#                    sites in eleven languages)
#   DIR/dragnet      one page in 8 of seomoz/dragnet_data (news and blogs,
#                    2012; the text a person marked, comments left out)
#   DIR/l3s          one page in 7 of the L3S GoogleNews set (2008; the text
#                    a person marked "full text")
#   DIR/portal       one page in 3 of ppke-nlpg/CleanPortalEval (news and
#                    blog pages of five sites, 2012, CleanEval-style gold)
#   DIR/chaos        one page in 4 of MSVCode/ir-research-data's "chaos" set
#                    (news pages of 2017 from some 240 sites, gold text with
#                    the headline; research use only)
#   DIR/fundus       flairNLP/fundus's parser test pages, the newest page of
#                    each of 181 publishers in 40 countries (2023-2026; the
#                    expected text is the body its hand-written site parser's
#                    test holds)
#
# dragnet, L3S and CleanPortalEval come from j-szulc/html-cleaning-dataset-merged, which
# mirrors both in one layout.
#
#   bash bench/reader-devset.sh DIR             clones the six repositories
#   READABILITY=GIT NEWSPAPER=GIT MERGED=GIT CHAOS=GIT FUNDUS=GIT bash bench/reader-devset.sh DIR
#                                               from checkouts (or bare git
#                                               directories) already here
#
# Then: node bench/reader.mjs --devset DIR
set -euo pipefail
dir=${1:?usage: bash bench/reader-devset.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A git directory for repository $1 (owner/name): $2 if given, else a clone.
repo() {
  if [[ -n "$2" ]]; then
    git -C "$2" rev-parse --absolute-git-dir
  else
    git clone --quiet --bare --filter=blob:none "https://github.com/$1" "$tmp/${1//\//+}"
    echo "$tmp/${1//\//+}"
  fi
}

readability=$(repo mozilla/readability "${READABILITY:-}")
rm -rf "$dir/readability" "$tmp/r" && mkdir -p "$tmp/r"
git --git-dir="$readability" archive HEAD test/test-pages | tar -x -C "$tmp/r"
mv "$tmp/r/test/test-pages" "$dir/readability"
# Readability keeps its test pages as UTF-8 text (its runner reads them so),
# whatever the site sent: a legacy label left in one (qq: gb2312) no longer
# matches its bytes, so it says utf-8, as the text is (as for fundus).
python3 - "$dir/readability" <<'PY'
import os, re, sys
for name in sorted(os.listdir(sys.argv[1])):
    path = os.path.join(sys.argv[1], name, 'source.html')
    if not os.path.exists(path):
        continue
    source = open(path, 'rb').read()
    try:
        source.decode('utf-8')
    except UnicodeDecodeError:
        continue
    head = re.sub(rb'(<meta[^>]{0,200}?charset=["\']?)(?!utf-?8)[A-Za-z0-9_-]+', rb'\1utf-8', source[:1024], count=1, flags=re.I)
    if head != source[:1024]:
        open(path, 'wb').write(head + source[1024:])
PY

newspaper=$(repo AndyTheFactory/newspaper4k "${NEWSPAPER:-}")
merged=$(repo j-szulc/html-cleaning-dataset-merged "${MERGED:-}")
chaos=$(repo MSVCode/ir-research-data "${CHAOS:-}")
fundus=$(repo flairNLP/fundus "${FUNDUS:-}")
for source in newspaper dragnet l3s portal chaos fundus; do
  rm -rf "${dir:?}/$source"
  git_dir=$merged
  [[ $source == newspaper ]] && git_dir=$newspaper
  [[ $source == chaos ]] && git_dir=$chaos
  [[ $source == fundus ]] && git_dir=$fundus
  python3 "$here/lib/devset-convert.py" "$source" "$git_dir" "$dir/$source"
done
for source in readability newspaper dragnet l3s portal chaos fundus; do
  echo "reader-devset: $(ls "$dir/$source" | wc -l) pages in $dir/$source" >&2
done
