// The corpora the benchmark runs on: a labelled corpus (the BBC one, or the
// committed sample in quick mode), what alike gets to see of it, and
// synthetic archives grown from its text with a seeded PRNG.

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
 */
export function synthetic(records, count, seed = 20250) {
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
  const out = [];
  for (let i = 0; i < count; i++) {
    const label = pick(labels);
    const group = byLabel.get(label);
    const lead = pick(group.articles);
    const length = pick(group.articles).paragraphs.length;
    const paragraphs = [lead.paragraphs[0]];
    for (let p = 1; p < length && group.paragraphs.length; p++) paragraphs.push(pick(group.paragraphs));
    out.push({ url: `/archive/${label}/${String(i + 1).padStart(6, '0')}.html`, title: lead.title, body: paragraphs.join('\n\n'), label });
  }
  return out;
}

/** `n` records spread evenly over the list (every list[i * step]), for query samples. */
export function spread(records, n) {
  if (n >= records.length) return records;
  const step = records.length / n;
  return Array.from({ length: n }, (_, i) => records[Math.floor(i * step)]);
}
