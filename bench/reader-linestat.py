#!/usr/bin/env python3
# Lines of the CLI text in a bench/reader.mjs --out results file that match a regex, each marked GOLD
# (its words are in the page's expected text) or XTRA, and the counts: how often a kind of line
# (photo credits, bylines) is in the gold. expected.html is stripped of tags roughly.
#   python3 bench/reader-linestat.py RESULTS.json REGEX [DEVSET]
import json, re, sys, html, os
res = json.load(open(sys.argv[1]))
rx = re.compile(sys.argv[2], re.I)
dev = sys.argv[3] if len(sys.argv) > 3 else '/work/devset'
tok = re.compile(r'[\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]|[^\W_]+', re.U)
def gold(name):
    d = os.path.join(dev, name)
    if os.path.exists(d + '/expected.txt'): return open(d + '/expected.txt', encoding='utf8', errors='replace').read()
    t = open(d + '/expected.html', encoding='utf8', errors='replace').read()
    t = re.sub(r'<[^>]+>', ' ', t)
    return html.unescape(t)
ing = out = 0
for p in res['results']['cli']['pages']:
    g = None
    for line in p['text'].split('\n'):
        if line.strip() and rx.search(line):
            if g is None: g = ' '.join(tok.findall(gold(p['name']).lower()))
            lt = ' '.join(tok.findall(line.lower()))
            has = lt in g
            ing += has; out += not has
            print(('GOLD ' if has else 'XTRA ') + p['name'][:40].ljust(40) + ' ' + line[:110])
print('in gold', ing, 'not', out)
