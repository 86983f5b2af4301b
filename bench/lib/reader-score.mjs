// How bench/reader.mjs scores a reader's text against a page's expected
// text (token-shingle F1), shared with the tools that study its runs
// (bench/reader-simulate.mjs).

const BLOCK = /^(p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|section|article|main|header|footer|figure|figcaption|table|caption|tr|td|th|pre|address|details|summary|form)$/;

/** The text of an HTML fragment, blocks apart (for expected.html and Readability's output). */
export async function htmlText(html) {
  const { JSDOM } = await import('jsdom');
  const { document } = new JSDOM(`<!doctype html><body>${html}`).window;
  let out = '';
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) out += child.data;
      else if (child.nodeType === 1 && !/^(script|style|noscript|template)$/.test(child.localName)) {
        const block = BLOCK.test(child.localName);
        if (block) out += '\n';
        walk(child);
        if (block) out += '\n';
      }
    }
  };
  walk(document.body);
  return out;
}

// Words, and each Han, kana or Hangul character on its own (those scripts write no spaces).
export const tokens = (text) => String(text || '').toLowerCase().match(/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]|[^\s\p{P}\p{S}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]+/gu) || [];

/** Shingles of four tokens, counted (a text shorter than four tokens is one shingle). */
function shingles(text) {
  const words = tokens(text);
  const counts = new Map();
  const n = Math.min(4, words.length);
  for (let i = 0; n && i + n <= words.length; i++) {
    const key = words.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return counts;
}

/** Precision, recall and F1 of `predicted`'s shingles against `expected`'s. */
export function score(predicted, expected) {
  const p = shingles(predicted);
  const e = shingles(expected);
  let common = 0;
  let pTotal = 0;
  let eTotal = 0;
  for (const [k, c] of p) {
    pTotal += c;
    common += Math.min(c, e.get(k) || 0);
  }
  for (const c of e.values()) eTotal += c;
  const precision = pTotal ? common / pTotal : 0;
  const recall = eTotal ? common / eTotal : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, empty: pTotal === 0 };
}
