// The corpora the benchmark runs on: a labelled corpus (the BBC one, or the
// committed sample in quick mode), what alike gets to see of it, and
// synthetic archives grown from its text with a seeded PRNG.

import { closeSync, openSync, writeSync } from 'node:fs';

import { prng } from './util.mjs';

/**
 * `{url, title, body, label}` records from a labelled corpus. The label is
 * `label` (the BBC corpus) or else `section` (the committed sample).
 */
export function labelled(records) {
  return records.map((r, i) => {
    const label = r.label ?? r.section;
    if (!r.url || !label) throw new Error(`corpus record ${i + 1} has no url or no label/section`);
    return { url: r.url, title: r.title || '', body: r.body || '', label };
  });
}

/** What `alike index` reads for relevance runs: url, title, body; never the label. */
export const forIndex = (records) => records.map(({ url, title, body }) => ({ url, title, body }));

const DAY = 86400000;
const START = Date.UTC(2004, 0, 1);
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

/**
 * What the demo site generator needs besides the text: `section` (the first
 * segment of the article's own URL, as a site has it, not the label field)
 * and `date` (synthetic, spread over 2004-2005 by a seeded PRNG, as the
 * committed sample's are: the BBC corpus has none).
 */
export function forDemo(records, seed = 2004) {
  const random = prng(seed);
  return records.map(({ url, title, body }) => {
    const section = url.split('/').filter(Boolean)[0] || 'news';
    return { url, title, body, section, date: isoDay(START + Math.floor(random() * 731) * DAY) };
  });
}

/**
 * A synthetic archive of `count` articles, deterministic for a seed: each
 * takes a real article's lede and headline, then as many paragraphs as a
 * random article of the same label has, each drawn from a random article
 * of that label. The vocabulary and paragraph statistics stay the BBC's;
 * the label is the label of every paragraph's source, so P@5 means the same.
 * One article at a time: a million of them (3 GB of text) is written to disk
 * as it is made (`writeSynthetic`), never held. For one seed, the first n
 * articles of any archive are the archive of n.
 */
export function* syntheticArticles(records, count, seed = 20250) {
  const random = prng(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const byLabel = new Map();
  for (const r of records) {
    const paragraphs = r.body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    if (!paragraphs.length) continue;
    if (!byLabel.has(r.label)) byLabel.set(r.label, { articles: [], paragraphs: [] });
    const group = byLabel.get(r.label);
    group.articles.push({ title: r.title, paragraphs });
    group.paragraphs.push(...paragraphs.slice(1));
  }
  // Labels in proportion to the source corpus.
  const labels = records.map((r) => r.label).filter((l) => byLabel.has(l));
  for (let i = 0; i < count; i++) {
    const label = pick(labels);
    const group = byLabel.get(label);
    const lead = pick(group.articles);
    const length = pick(group.articles).paragraphs.length;
    const paragraphs = [lead.paragraphs[0]];
    for (let p = 1; p < length && group.paragraphs.length; p++) paragraphs.push(pick(group.paragraphs));
    yield { url: `/archive/${label}/${String(i + 1).padStart(6, '0')}.html`, title: lead.title, body: paragraphs.join('\n\n'), label };
  }
}

/** A synthetic article's label, from its URL (`/archive/<label>/<n>.html`). */
export const syntheticLabel = (url) => /^\/archive\/([^/]+)\//.exec(url)?.[1];

/** A synthetic article's position in its archive, from 0 (its URL ends in its number, from 1). */
export const syntheticPosition = (r) => Number(/(\d+)\.html$/.exec(r.url)[1]) - 1;

/** `20k`, `1m`, `1,000,000` or `5000` as a count of articles; `option` names the flag in the error. */
export function parseCount(text, option) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim().replace(/[,_]/g, ''));
  if (!m) throw new Error(`${option}: "${text}" is not a count of articles (e.g. 20k, 100k, 1m, 5000)`);
  return Math.round(Number(m[1]) * { '': 1, k: 1e3, m: 1e6 }[m[2].toLowerCase()]);
}

/** A synthetic archive's name in results and paths: `synthetic-20k`, `synthetic-1m`, `synthetic-1500`. */
export const nameOf = (n) => `synthetic-${n % 1e6 === 0 ? `${n / 1e6}m` : n % 1e3 === 0 ? `${n / 1e3}k` : n}`;

/** The synthetic archive of `count` articles as a list (archives that fit in memory). */
export const synthetic = (records, count, seed) => [...syntheticArticles(records, count, seed)];

/**
 * Writes the synthetic archive of `count` articles to `file` as the JSON
 * Lines `alike index` reads (url, title, body), a block at a time, and keeps
 * only the articles `keep(i)` asks for (with their label, for pages and
 * scoring). Returns the kept articles, the count and the bytes written.
 */
export function writeSynthetic(records, count, file, { keep = () => false, seed } = {}) {
  const fd = openSync(file, 'w');
  const kept = [];
  let bytes = 0;
  let block = [];
  let blockBytes = 0;
  const flush = () => {
    const text = block.join('');
    writeSync(fd, text);
    bytes += Buffer.byteLength(text);
    block = [];
    blockBytes = 0;
  };
  try {
    let i = 0;
    for (const a of syntheticArticles(records, count, seed)) {
      const line = JSON.stringify({ url: a.url, title: a.title, body: a.body }) + '\n';
      block.push(line);
      blockBytes += line.length;
      if (blockBytes > 1 << 22) flush();
      if (keep(i)) kept.push(a);
      i++;
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return { articles: count, bytes, kept };
}

/** `n` records spread evenly over the list (every list[i * step]), for query samples. */
export function spread(records, n) {
  if (n >= records.length) return records;
  const step = records.length / n;
  return Array.from({ length: n }, (_, i) => records[Math.floor(i * step)]);
}
