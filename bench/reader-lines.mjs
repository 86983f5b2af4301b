#!/usr/bin/env node
// Which lines the CLI's reader gets wrong on development-set pages: for
// each page, the lines of its text mostly absent from the expected text
// (+, read but not expected) and the expected lines mostly absent from its
// text (-), by the four-token shingles bench/reader.mjs scores with. For
// sorting the worst pages by cause.
//
//   node bench/reader-lines.mjs DIR PAGE...   e.g. /work/devset dragnet/T119
//
// Needs the release CLI (ALIKE_BIN, default target/release/alike).
// expected.html is stripped of its tags roughly (bench/reader.mjs reads it
// with jsdom): good enough to see which lines differ, not to score.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.ALIKE_BIN || join(ROOT, 'target/release/alike');
const [dir, ...pages] = process.argv.slice(2);
if (!dir || !pages.length) {
  console.error('usage: node bench/reader-lines.mjs DIR PAGE...');
  process.exit(2);
}

// As bench/reader.mjs: words, and each Han, kana or Hangul character on its own.
const tokens = (text) => String(text || '').toLowerCase().match(/[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]|[^\s\p{P}\p{S}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]+/gu) || [];
const shingles = (text) => {
  const words = tokens(text);
  const out = [];
  for (let i = 0; i + 4 <= words.length; i++) out.push(words.slice(i, i + 4).join(' '));
  if (!out.length && words.length) out.push(words.join(' '));
  return out;
};
// Lines of `text` whose shingles are mostly not in `other`.
const missing = (text, other) => {
  const known = new Set(shingles(other));
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => {
      const own = shingles(line);
      return own.length && own.filter((s) => known.has(s)).length * 2 < own.length;
    });
};

for (const page of pages) {
  const folder = join(dir, page);
  const expected = existsSync(join(folder, 'expected.txt'))
    ? readFileSync(join(folder, 'expected.txt'), 'utf8')
    : readFileSync(join(folder, 'expected.html'), 'utf8')
        .replace(/<\/(p|div|li|h\d|tr|blockquote|figcaption|pre)>|<br\s*\/?>/gi, '\n')
        .replace(/<[^>]+>/g, ' ')
        .replace(/&amp;/g, '&')
        .replace(/&[a-z]+;/g, ' ');
  const run = spawnSync(bin, ['inspect', '--json', join(folder, 'source.html')], { encoding: 'utf8' });
  const read = JSON.parse(run.stdout);
  console.log(`${page}  read ${read.read.join(', ')}`);
  for (const line of missing(read.text, expected)) console.log(`  + ${line}`);
  for (const line of missing(expected, read.text)) console.log(`  - ${line}`);
}
