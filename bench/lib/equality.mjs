// The browser engine answers as `alike query` does (issue 15), over every
// article of the corpus: the wasm (pkg/, as the widget loads it, run by
// Node's V8) against the CLI, on the same index. The e2e test
// tests/e2e/engine-equality.test.mjs checks the same in Chromium on the
// sample; this covers the whole corpus.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { cli } from './internals.mjs';

/** Relative difference allowed between scores: the CLI's libm and the wasm's differ in an f32's last bits. */
export const SCORE_TOLERANCE = 1e-6;

/**
 * Queries every article of `corpus` against `indexFile` by the CLI (`bin`)
 * and by the engine in `pkgDir`; returns how many articles and results were
 * compared, how many articles differ, and the first few differences.
 */
export async function engineEquality({ bin, pkgDir, indexFile, corpus, dir, k = 5 }) {
  const articles = corpus.map(({ url, title, body, date, section }) => ({ url, title, body, ...(date ? { date } : {}), ...(section ? { section } : {}) }));
  const input = join(dir, 'equality.jsonl');
  writeFileSync(input, articles.map((a) => JSON.stringify(a)).join('\n') + '\n');
  const out = execFileSync(bin, cli.query(indexFile, input, k), { encoding: 'utf8', maxBuffer: 1 << 30 });
  const want = new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .map((line) => [line.url, line.related]),
  );
  const glue = await import(pathToFileURL(join(pkgDir, 'alike.js')).href + `?equality${Date.now()}`);
  glue.initSync({ module: readFileSync(join(pkgDir, 'alike_bg.wasm')) });
  const engine = new glue.Engine(JSON.parse(readFileSync(indexFile, 'utf8')));
  let results = 0;
  const differences = [];
  for (const article of articles) {
    const got = engine.start(article, { k }).related; // a single file answers the first step
    const expected = want.get(article.url) || [];
    results += got.length;
    const why = difference(got, expected);
    if (why) differences.push({ url: article.url, why });
  }
  engine.free();
  return { articles: articles.length, results, differing: differences.length, examples: differences.slice(0, 5), k, tolerance: SCORE_TOLERANCE };
}

/** Why two answers differ (beyond the last bits of their scores), or null. */
function difference(got, want) {
  if (got.length !== want.length) return `${got.length} results, the CLI's ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    const { score: a, ...g } = got[i];
    const { score: b, ...w } = want[i];
    const keys = new Set([...Object.keys(g), ...Object.keys(w)]);
    for (const key of keys) if (g[key] !== w[key]) return `result ${i + 1}: ${key} ${JSON.stringify(g[key])}, the CLI's ${JSON.stringify(w[key])}`;
    if (!(Math.abs(a - Math.fround(b)) <= SCORE_TOLERANCE * Math.abs(b))) return `result ${i + 1}: score ${a}, the CLI's ${b}`;
  }
  return null;
}
