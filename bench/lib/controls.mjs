// What issue 14's controls do on the labelled corpus, through the real
// CLI: the engine path's default minimum score (how many top-5 boxes
// shrink, how many links to another label go, how many to the same), the
// section fallback (how many pages would show it, on each path), and the
// bytes the fallback's data (`latest`) adds to an index.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { forDemo } from './corpus.mjs';
import { cli } from './internals.mjs';
import { K, listThresholds } from './relevance.mjs';
import { gzipBytes, toJsonl } from './util.mjs';

/** `alike query` over `input` with `flags`: `Map url -> [{url, fallback?}]`. */
function answers(bin, indexFile, input, flags) {
  const out = execFileSync(bin, [...cli.query(indexFile, input, K), ...flags], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return new Map(out.split('\n').filter(Boolean).map((line) => JSON.parse(line)).map((line) => [line.url, line.related]));
}

/**
 * `single`: the shipped defaults as one file, built from `input` (the
 * corpus as indexed: url, title, body). The relevance index has no sections
 * or dates (the section is the label), so the fallback is measured on the
 * demo's records (forDemo: a section and a date each), built in `dir` as
 * one file and sharded.
 */
export function controls({ bin, dir, corpus, input, single }) {
  const label = new Map(corpus.map((r) => [r.url, r.label]));
  const every = answers(bin, single, input, ['--min-score', '0']);
  const held = answers(bin, single, input, []);
  let shrunk = 0, empty = 0, rightGone = 0, weakGone = 0, weak = 0;
  for (const q of corpus) {
    const all = every.get(q.url).map((r) => r.url);
    const kept = held.get(q.url).map((r) => r.url);
    if (kept.length < all.length) shrunk++;
    if (!kept.length) empty++;
    for (const url of all) {
      const right = label.get(url) === q.label;
      if (!right) weak++;
      if (!kept.includes(url)) right ? rightGone++ : weakGone++;
    }
  }
  const demoInput = join(dir, 'controls-demo.jsonl');
  writeFileSync(demoInput, toJsonl(forDemo(corpus)));
  const build = (layout) => {
    const file = join(dir, `controls-${layout}`, 'index.json');
    mkdirSync(dirname(file), { recursive: true });
    execFileSync(bin, cli.index(demoInput, file, { layout }));
    return file;
  };
  const demoSingle = build('single');
  const demoSharded = build('sharded');
  const plain = answers(bin, demoSingle, demoInput, []);
  const fallback = answers(bin, demoSingle, demoInput, ['--fallback', 'section']);
  const engineEmpty = [...plain.values()].filter((related) => !related.length).length;
  const fellBack = [...fallback.values()].filter((related) => related.some((r) => r.fallback)).length;
  // The fallback's data in the single file and the manifest: raw and gzip bytes it adds.
  const added = (file) => {
    const text = readFileSync(file, 'utf8');
    const parsed = JSON.parse(text);
    if (!parsed.latest) return null;
    const { latest, ...rest } = parsed;
    // The CLI writes compact JSON, key order kept: the file less the field.
    const without = JSON.stringify(rest);
    const withIt = JSON.stringify(parsed);
    return {
      sections: latest.sections.length,
      ids: latest.articles.flat().length,
      raw: Buffer.byteLength(withIt) - Buffer.byteLength(without),
      gzip: gzipBytes(Buffer.from(withIt)).length - gzipBytes(Buffer.from(without)).length,
      file: Buffer.byteLength(text),
    };
  };
  return {
    engine: { minScore: 0.08, queries: corpus.length, shrunk, empty, rightGone, weakGone, weak },
    fallback: { engineEmpty, engineFellBack: fellBack, listEmpty: listThresholds(demoSharded, corpus).emptyBuilt },
    latest: { single: added(demoSingle), manifest: added(demoSharded) },
  };
}
