"""Turns public extraction test sets into the reader's development-set layout:
one folder a page, with source.html and expected.txt (bench/reader.mjs --devset).

  python3 devset-convert.py newspaper CHECKOUT OUT   newspaper4k's tests/data (html/ + txt/)
  python3 devset-convert.py dragnet CHECKOUT OUT     seomoz/dragnet_data as mirrored in
                                                     j-szulc/html-cleaning-dataset-merged
                                                     (input/*.html, GoldStandard/*.txt; the
                                                     comments after the marker are dropped)
  python3 devset-convert.py l3s CHECKOUT OUT         the L3S GoogleNews set (page-signal):
                                                     expected text = the spans annotated
                                                     x-nc-sel2 ("full text")
  python3 devset-convert.py portal CHECKOUT OUT      ppke-nlpg/CleanPortalEval as mirrored there
                                                     (news and blog pages of five sites, 2012;
                                                     CleanEval-style gold: <h>/<p>/<l> marks)
  python3 devset-convert.py chaos CHECKOUT OUT       MSVCode/ir-research-data's "chaos" set
                                                     (news pages of 2017 from about 240 sites,
                                                     found by 36 search queries; gold text
                                                     with the headline)
  python3 devset-convert.py fundus CHECKOUT OUT      flairNLP/fundus's parser test pages: the
                                                     newest page of each publisher (news sites
                                                     of 40 countries, 2023-2026); expected text
                                                     = the body its site parser's test holds
                                                     (summary, section headings, paragraphs)

CHECKOUT is a bare or plain git directory; files are read with `git show HEAD:path`.
EVERY keeps one page in EVERY (sorted by name) so a run stays short.
"""
import gzip, html, html.parser, json, os, re, subprocess, sys

EVERY = {'newspaper': 1, 'dragnet': 8, 'l3s': 7, 'portal': 3, 'chaos': 4}
BASE = {'dragnet': 'dragnet_data', 'l3s': 'page-signal-master', 'portal': 'CleanPortalEval-master'}


# Golds checked by hand and found cut short: the annotator stopped at a box
# inside the story (DailyMail's "RELATED ARTICLES" carousel in mid-article),
# though the story's own paragraphs go on after it. For each: where the box
# starts, the end of the story's last paragraph, and the class of the
# story's paragraphs (captions, which these golds leave out, are not added).
CHAOS_CUT_GOLDS = {
    'global-warming-1': ('related-carousel', "geological past.'</p>", 'mol-para-with-font'),
}


def uncut(gold, page, box, end, paragraph_class):
    start = page.index(box)
    stop = page.index(end, start) + len(end)
    pattern = r'<p class="' + re.escape(paragraph_class) + r'">(.*?)</p>'
    rest = [html.unescape(re.sub(r'<[^>]+>', '', p)).strip() for p in re.findall(pattern, page[start:stop], re.S)]
    return gold.rstrip('\n') + '\n\n' + '\n\n'.join(p for p in rest if p) + '\n'


def git_files(repo, prefix):
    out = subprocess.run(['git', '--git-dir', repo, 'ls-tree', '-r', '--name-only', 'HEAD', prefix],
                         capture_output=True, check=True).stdout.decode()
    return sorted(line for line in out.split('\n') if line)


def show(repo, path):
    return subprocess.run(['git', '--git-dir', repo, 'show', f'HEAD:{path}'], capture_output=True, check=True).stdout


def text(data):
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError:
        return data.decode('cp1252', errors='replace')


def write(out, name, source, expected):
    os.makedirs(os.path.join(out, name), exist_ok=True)
    with open(os.path.join(out, name, 'source.html'), 'wb') as f:
        f.write(source)
    with open(os.path.join(out, name, 'expected.txt'), 'w', encoding='utf-8') as f:
        f.write(expected.strip() + '\n')


class Annotated(html.parser.HTMLParser):
    """The text inside elements of class x-nc-sel2 (L3S's "full text" label)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ('br', 'img', 'hr', 'meta', 'link', 'input'):
            return
        cls = dict(attrs).get('class') or ''
        self.stack.append((tag, 'x-nc-sel2' in cls.split()))
        if tag in ('p', 'div', 'li', 'h1', 'h2', 'h3', 'h4', 'td', 'tr'):
            self.parts.append('\n')

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        if tag in ('p', 'div', 'li', 'h1', 'h2', 'h3', 'h4', 'td', 'tr'):
            self.parts.append('\n')

    def handle_data(self, data):
        if any(on for _, on in self.stack) and not any(t in ('script', 'style') for t, _ in self.stack):
            self.parts.append(data)


def main(kind, repo, out):
    kept = 0
    if kind == 'fundus':
        base = 'tests/resources/parser/test_data'
        for country in sorted({p.split('/')[4] for p in git_files(repo, base + '/') if p.count('/') == 5}):
            files = git_files(repo, f'{base}/{country}/')
            meta = json.loads(show(repo, f'{base}/{country}/meta.info')) if f'{base}/{country}/meta.info' in files else {}
            for path in files:
                if not path.endswith('.json'):
                    continue
                publisher = os.path.basename(path)[:-5]
                pages = [os.path.basename(p) for p in files if re.fullmatch(re.escape(publisher) + r'(_\d{4}_\d\d_\d\d)?\.html\.gz', os.path.basename(p))]
                versions = json.loads(show(repo, path))
                # One html file a parser version, in the order of their crawl
                # dates; the newest page goes with the newest version (the last).
                if not pages or len(pages) != len(versions) or not all(p in meta for p in pages):
                    continue
                page = max(pages, key=lambda p: meta[p]['crawl_date'])
                body = list(versions.values())[-1].get('body') or {}
                parts = list(body.get('summary') or [])
                for section in body.get('sections') or []:
                    parts += (section.get('headline') or []) + (section.get('paragraphs') or [])
                gold = '\n\n'.join(parts)
                if len(gold.split()) < 20 and len(gold) < 200:
                    continue  # no body in the test (or too short to score)
                source = gzip.decompress(show(repo, f'{base}/{country}/{page}'))
                # Fundus stores every page as UTF-8 text, whatever the site
                # sent: a legacy label left in it (GB2312, ISO-8859-1) would
                # no longer match the bytes, so it says utf-8, as the text is.
                # (Only where the sniffer looks: the first 1024 bytes.)
                source = re.sub(rb'(<meta[^>]{0,200}?charset=["\']?)(?!utf-?8)[A-Za-z0-9_-]+', rb'\1utf-8', source[:1024], count=1, flags=re.I) + source[1024:]
                write(out, f'{country}-{publisher.lower()}', source, gold)
                kept += 1
    elif kind == 'chaos':
        golds = git_files(repo, 'Extraction/chaos-all/gold/')
        for i, path in enumerate(golds):
            if i % EVERY[kind] or not path.endswith('.txt'):
                continue
            name = os.path.basename(path)[:-4]
            try:
                source = show(repo, f'Extraction/chaos-all/html/{name}.htm')
            except subprocess.CalledProcessError:
                continue
            gold = text(show(repo, path))
            if len(gold.split()) < 20:
                continue
            slug = re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')
            if slug in CHAOS_CUT_GOLDS:
                gold = uncut(gold, text(source), *CHAOS_CUT_GOLDS[slug])
            write(out, slug, source, gold)
            kept += 1
    elif kind == 'newspaper':
        for path in git_files(repo, 'tests/data/txt/'):
            name = os.path.basename(path)[:-4]
            src = f'tests/data/html/{name}.html'
            try:
                source = show(repo, src)
            except subprocess.CalledProcessError:
                continue
            write(out, name, source, text(show(repo, path)))
            kept += 1
    else:
        base = BASE[kind]
        golds = [p for p in git_files(repo, f'{base}/GoldStandard/') if p.endswith('.txt')]
        for i, path in enumerate(golds):
            if i % EVERY[kind]:
                continue
            name = os.path.basename(path)[:-4]
            source = show(repo, f'{base}/input/{name}.html')
            if kind == 'portal':
                # CleanEval wraps each page in <text id=URL> ... </text>: unwrap it.
                source = re.sub(rb'^\s*<text id="[^"]*">\s*', b'', source)
                source = re.sub(rb'\s*</text>\s*$', b'', source)
            gold = text(show(repo, path))
            if kind == 'dragnet':
                # The marker is typed by hand: "!@#$%^&*()  COMMENTS" and variants
                # (dragnet 419 lost its "!").
                gold = re.split(r'\n\s*[!@#$%^&*()]{4,}[^\n]*COMMENTS', gold)[0]
            elif kind == 'portal':
                # "URL: ..." first, then <h>/<p>/<l> opening each block, entities kept.
                gold = re.sub(r'^\s*URL:[^\n]*\n', '', gold)
                gold = html.unescape(re.sub(r'<(?:h|p|l)>', '\n', gold))
            else:
                parser = Annotated()
                parser.feed(gold)
                gold = ''.join(parser.parts)
            if len(gold.split()) < 20:
                continue  # no article text marked: nothing to score
            write(out, name, source, gold)
            kept += 1
    print(f'devset-convert: {kept} {kind} pages in {out}', file=sys.stderr)


if __name__ == '__main__':
    main(*sys.argv[1:4])
