#!/usr/bin/env node
// The first box a round trip away, for a quick side-by-side of two widget
// builds (bench/run measures the same rows with everything else): article
// pages of a corpus (the demo's template, bench/lib/pages.mjs) pointing at
// an index in clusters, served from 127.0.0.1 over HTTP/2 (or HTTP/1.1)
// with Chromium adding `--rtt` ms to every request, each page in a fresh
// context; prints, per widget, the median time from the manifest's request
// to `alike:render`, the widget's requests and bytes (gzip, headers).
//
//   node bench/rtt.mjs --index DIR --corpus FILE.jsonl [--widget DIR ...]
//                      [--pages 12] [--rtt 40] [--http1] [--indexed]
//                      [--date YYYY-MM-DD] [--verbose]
//
// DIR: an index built with `alike index --layout clusters --out DIR/index.json`.
// --widget: a folder with alike.js, engine-path.js and pkg/ (as
// `alike index` writes them, or www/dist/); the default is www/dist/, and
// several are measured in turn, alternating, twice each. Pages are not in
// the index (their canonical URL their own) unless --indexed; --date gives
// every page that date (a story published after the build's newest).

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { firstBox, launch, precompress, serve } from './lib/browser.mjs';
import { spread } from './lib/corpus.mjs';
import { writePages, writeSiteParts } from './lib/pages.mjs';
import { median, readJsonl } from './lib/util.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    index: { type: 'string' },
    corpus: { type: 'string' },
    widget: { type: 'string', multiple: true, default: [join(ROOT, 'www/dist')] },
    pages: { type: 'string', default: '12' },
    rtt: { type: 'string', default: '40' },
    http1: { type: 'boolean', default: false },
    indexed: { type: 'boolean', default: false },
    date: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
if (!args.index || !args.corpus) throw new Error('--index DIR and --corpus FILE are required (see the comment at the top)');

const records = readJsonl(resolve(args.corpus)).map((r) => ({ ...r, label: r.label || r.section || 'news' }));
const sections = [...new Set(records.map((r) => r.label))];
const sample = spread(records, Number(args.pages));
const indexUrl = '/data/index/index.json';

/** A site of the sampled pages with `widget`'s files; its server. */
async function site(widget) {
  const www = join(tmpdir(), `alike-rtt-${process.pid}`);
  rmSync(www, { recursive: true, force: true });
  mkdirSync(www, { recursive: true });
  await writeSiteParts(www, { shim: join(widget, 'alike.js'), pkg: join(widget, 'pkg'), sections });
  cpSync(resolve(args.index), join(www, dirname(indexUrl)), { recursive: true });
  const paths = await writePages(www, '/pages', sample, { indexUrl, sections, indexed: args.indexed });
  if (args.date) for (const p of paths) writeFileSync(join(www, p), readFileSync(join(www, p), 'utf8').replace(/\b\d{4}-\d\d-\d\d(?=[T"<])/g, args.date));
  precompress(www);
  return { paths, server: await serve(www, { http2: !args.http1 }), www };
}

const browser = await launch();
try {
  for (let round = 0; round < 2; round++) {
    for (const widget of args.widget) {
      const { paths, server, www } = await site(resolve(widget));
      const rows = [];
      try {
        for (const path of paths) {
          const context = await browser.newContext({ ignoreHTTPSErrors: true });
          try {
            const first = await firstBox(context, server.url + path, { index: server.url + indexUrl, rttMs: Number(args.rtt) });
            const own = first.requests.filter((r) => /\/alike\/|\/data\/index\//.test(new URL(r.url).pathname)).sort((a, b) => a.start - b.start);
            rows.push({ ms: first.renderMs - first.indexStartMs, requests: own.length, kb: own.reduce((n, r) => n + r.bytes, 0) / 1000 });
            if (args.verbose && rows.length === 1) {
              const t0 = own.find((r) => r.url.endsWith(indexUrl)).start;
              for (const r of own) console.log(`  ${(r.start - t0).toFixed(0).padStart(5)} ms → ${r.end ? (r.end - t0).toFixed(0).padStart(5) : '    ?'} ms ${(r.bytes / 1000).toFixed(1).padStart(6)} KB  ${new URL(r.url).pathname}`);
            }
          } finally {
            await context.close();
          }
        }
      } finally {
        await server.close();
        rmSync(www, { recursive: true, force: true });
      }
      const m = (key) => median(rows.map((r) => r[key]));
      console.log(`${widget}: ${m('ms').toFixed(0)} ms (median of ${rows.length}; ${rows.map((r) => r.ms.toFixed(0)).join(', ')}), ${m('requests')} requests, ${m('kb').toFixed(1)} KB`);
    }
  }
} finally {
  await browser.close();
}
