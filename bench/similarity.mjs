#!/usr/bin/env node
// Are alike's scores graded similarity? Pearson and Spearman correlation of
// the scores `alike query` gives pairs of texts with people's ratings of
// how similar the pairs are, beside textbook TF-IDF (stop words, sublinear
// tf, cosine) on the same texts. A threshold (`--min-score`) only means
// something if the scores track similarity, not only the order.
//
//   node bench/similarity.mjs --lee DIR     Lee, Pincombe & Welsh (2005): 50
//                                           news texts, 1,225 pairs rated by
//                                           people; DIR holds lee.cor (a text
//                                           a line) and similarities0-1.txt
//                                           (the 50×50 mean ratings), as in
//                                           gensim's test data
//   node bench/similarity.mjs --pairs FILE  any rated set as JSON Lines:
//                                           {"a": text, "b": text, "score": n}
//   --alike PATH     the CLI (default target/release/alike)
//   --report FILE    write the figures into the "Graded similarity" section
//                    of FILE (BENCHMARKS.md)
//
// Neither set ships with alike (their licences are not ours to grant): point
// the command at a copy. A pair whose other text is not among a text's 100
// results (alike's most) scores 0, as it would in a box.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markSection, replaceSection } from './lib/kept-section.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const alike = option('--alike') ?? join(root, 'target/release/alike');

/** The set as distinct texts and rated pairs of their indexes. */
function loadSet() {
  const lee = option('--lee');
  if (lee) {
    const texts = readFileSync(join(lee, 'lee.cor'), 'latin1').trim().split('\n');
    const rows = readFileSync(join(lee, 'similarities0-1.txt'), 'utf8').trim().split('\n');
    const pairs = [];
    for (let i = 0; i < texts.length; i++) {
      const row = rows[i].trim().split(/\s+/).map(Number);
      for (let j = i + 1; j < texts.length; j++) pairs.push([i, j, row[j]]);
    }
    return { name: `Lee et al. 2005 (${texts.length} news texts, ${pairs.length} rated pairs)`, texts, pairs };
  }
  const file = option('--pairs');
  if (!file) throw new Error('give --lee DIR or --pairs FILE (see the comment at the top)');
  const texts = [];
  const ids = new Map();
  const id = (text) => {
    if (!ids.has(text)) ids.set(text, texts.push(text) - 1);
    return ids.get(text);
  };
  const pairs = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line))
    .map((p) => [id(p.a), id(p.b), Number(p.score)]);
  return { name: `${file} (${texts.length} texts, ${pairs.length} rated pairs)`, texts, pairs };
}

/** alike's score for every ordered pair (i, j) it returns, through the CLI. */
function alikeScores(texts) {
  const dir = mkdtempSync(join(tmpdir(), 'alike-similarity-'));
  try {
    // A text's first words stand in for the title these sets do not have.
    const lines = texts.map((body, i) =>
      JSON.stringify({ url: `/t/${i}`, title: body.split(/\s+/).slice(0, 8).join(' '), body }),
    );
    writeFileSync(join(dir, 'texts.jsonl'), lines.join('\n'));
    const run = (argv) => execFileSync(alike, argv, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    run(['index', 'texts.jsonl', '--out', 'index.json', '--layout', 'single', '--no-widget', '--quiet']);
    const k = Math.min(100, texts.length - 1);
    const out = run(['query', '--index', 'index.json', '--k', String(k), '--min-score', '0', 'texts.jsonl']);
    const scores = new Map();
    scores.stopWords = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).stop_words;
    for (const line of out.trim().split('\n')) {
      const result = JSON.parse(line);
      const i = Number(result.url.split('/').pop());
      for (const r of result.related) scores.set(`${i} ${Number(r.url.split('/').pop())}`, r.score);
    }
    return scores;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Textbook TF-IDF: letters-only words, lower case, alike's English stop
 * words, sublinear tf, smoothed idf, cosine. No stemming. */
function textbookScores(texts, stopWords) {
  const stop = new Set(stopWords);
  const docs = texts.map((t) => {
    const tf = new Map();
    for (const w of t.toLowerCase().match(/\p{L}+/gu) ?? []) if (!stop.has(w)) tf.set(w, (tf.get(w) ?? 0) + 1);
    return tf;
  });
  const df = new Map();
  for (const d of docs) for (const w of d.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const n = docs.length;
  const vectors = docs.map((d) => {
    const v = new Map();
    for (const [w, c] of d) v.set(w, (1 + Math.log(c)) * (Math.log((1 + n) / (1 + df.get(w))) + 1));
    const norm = Math.hypot(...v.values()) || 1;
    for (const [w, x] of v) v.set(w, x / norm);
    return v;
  });
  return (i, j) => {
    let sum = 0;
    for (const [w, x] of vectors[i]) sum += x * (vectors[j].get(w) ?? 0);
    return sum;
  };
}

function pearson(x, y) {
  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  const [mx, my] = [mean(x), mean(y)];
  let [sxy, sxx, syy] = [0, 0, 0];
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Ranks with ties sharing their mean rank. */
function ranks(v) {
  const order = v.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]);
  const out = new Array(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let t = i; t <= j; t++) out[order[t][1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

const spearman = (x, y) => pearson(ranks(x), ranks(y));

const set = loadSet();
const human = set.pairs.map((p) => p[2]);
const fromAlike = alikeScores(set.texts);
const textbook = textbookScores(set.texts, fromAlike.stopWords);
const systems = [
  // A box shows a's list on a's page: the pair's score is the one a gives b;
  // the pair as a whole takes the higher of the two directions.
  ['alike query (a → b)', set.pairs.map(([a, b]) => fromAlike.get(`${a} ${b}`) ?? 0)],
  [
    'alike query (higher of a → b, b → a)',
    set.pairs.map(([a, b]) => Math.max(fromAlike.get(`${a} ${b}`) ?? 0, fromAlike.get(`${b} ${a}`) ?? 0)),
  ],
  ['textbook TF-IDF (stop words, sublinear tf)', set.pairs.map(([a, b]) => textbook(a, b))],
];
const rows = systems.map(([name, scores]) => ({
  name,
  pearson: pearson(scores, human),
  spearman: spearman(scores, human),
  unscored: scores.filter((s) => s === 0).length,
}));

const table = [
  `On ${set.name}, measured ${new Date().toISOString().slice(0, 10)} by \`node bench/similarity.mjs\`.`,
  '',
  '| scores | Pearson | Spearman | pairs scored 0 |',
  '|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${r.pearson.toFixed(3)} | ${r.spearman.toFixed(3)} | ${r.unscored} |`),
].join('\n');
console.log(table);

const report = option('--report');
if (report) {
  const section = `## Graded similarity\n\nHow well alike's scores follow people's ratings of how similar two news texts are (see \`bench/similarity.mjs\`).\n\n${table}`;
  const marked = markSection('similarity', section, 'bench/similarity.mjs');
  writeFileSync(report, replaceSection(readFileSync(report, 'utf8'), 'similarity', marked));
}
