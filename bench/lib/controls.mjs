// What issue 14's controls do on the labelled corpus, through the real
// CLI: the engine path's default minimum score (how many top-5 boxes
// shrink, how many links to another label go, how many to the same), one
// table of minimum scores on both paths (the engine's answers and the
// stored lists, both uncut, from the same articles: the scores are on one
// scale when a minimum cuts both alike), the
// section fallback (how many pages would show it, on each path), and the
// bytes the fallback's data (`latest`) adds to an index.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { forDemo } from './corpus.mjs';
import { cli } from './internals.mjs';
import { K, listThresholds } from './relevance.mjs';
import { storedLists } from './internals.mjs';
import { gzipBytes, toJsonl } from './util.mjs';

/** The minimum scores the table of both paths tries. */
export const THRESHOLDS = [0.05, 0.08, 0.1, 0.12, 0.15, 0.2];

/** `alike query` over `input` with `flags`: `Map url -> [{url, score, fallback?}]`. */
function answers(bin, indexFile, input, flags) {
  const out = execFileSync(bin, [...cli.query(indexFile, input, K), ...flags], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return new Map(out.split('\n').filter(Boolean).map((line) => JSON.parse(line)).map((line) => [line.url, line.related]));
}

/**
 * `single`: the shipped defaults as one file, built from `input` (the
 * corpus as indexed: url, title, body). The relevance index has no sections
 * or dates (the section is the label), so the fallback is measured on the
 * demo's records (forDemo: a section and a date each), built in `dir` as
 * one file and in clusters.
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
  // The stored lists of the same articles, built uncut (CLI's default layout).
  const listed = join(dir, 'controls-lists', 'index.json');
  mkdirSync(dirname(listed), { recursive: true });
  execFileSync(bin, [...cli.index(input, listed), '--min-score', '0']);
  const manifest = JSON.parse(readFileSync(listed, 'utf8'));
  const read = (path) => JSON.parse(readFileSync(join(dirname(listed), path), 'utf8'));
  const lists = storedLists(manifest, corpus.map((r) => r.url), read, K, { full: true }).lists;
  const scales = { engine: scale(every, label), lists: scale(lists, label), thresholds: THRESHOLDS.map((t) => ({ threshold: t, engine: cut(every, label, t), lists: cut(lists, label, t) })) };
  const demoInput = join(dir, 'controls-demo.jsonl');
  writeFileSync(demoInput, toJsonl(forDemo(corpus)));
  const build = (layout) => {
    const file = join(dir, `controls-${layout}`, 'index.json');
    mkdirSync(dirname(file), { recursive: true });
    execFileSync(bin, cli.index(demoInput, file, { layout }));
    return file;
  };
  const demoSingle = build('single');
  const demoClusters = build('clusters');
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
    scales,
    fallback: { engineEmpty, engineFellBack: fellBack, listEmpty: listThresholds(demoClusters, corpus).emptyBuilt },
    latest: { single: added(demoSingle), manifest: added(demoClusters) },
  };
}

/** What the minimum `t` does to top-5 boxes (`Map url -> [{url, score}]`): boxes that shrink, empty, links to another label and to the same that go. */
function cut(boxes, label, t) {
  let shrunk = 0, empty = 0, rightGone = 0, weakGone = 0, weak = 0;
  for (const [url, box] of boxes) {
    const top = box.slice(0, K);
    // Pins carry no score and are never cut.
    const kept = top.filter((r) => typeof r.score !== 'number' || r.score >= t);
    if (kept.length < top.length) shrunk++;
    if (top.length && !kept.length) empty++;
    for (const r of top) {
      const right = label.get(r.url) === label.get(url);
      if (!right) weak++;
      if (!kept.includes(r)) right ? rightGone++ : weakGone++;
    }
  }
  return { shrunk, empty, rightGone, weakGone, weak };
}

/** The spread of top-5 scores: percentiles of links to the same label and to another. */
function scale(boxes, label) {
  const right = [], wrong = [];
  for (const [url, box] of boxes) for (const r of box.slice(0, K)) if (typeof r.score === 'number') (label.get(r.url) === label.get(url) ? right : wrong).push(r.score);
  const at = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? null;
  return { right: { p1: at(right, 0.01), median: at(right, 0.5), max: at(right, 1) }, wrong: { median: at(wrong, 0.5), p95: at(wrong, 0.95) } };
}
