// Sections of BENCHMARKS.md that a script other than bench/run writes
// (bench/similarity.mjs, which needs data alike does not ship), marked
// `<!-- NAME:start ... -->` … `<!-- NAME:end -->` so that bench/run, which
// rewrites the report, carries them over as they were. Also the builds and
// rebuild series measured on their own (bench/scale.mjs, bench/churn.mjs
// with --report): a million articles take longer than bench/run should.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const start = (name) => `<!-- ${name}:start`;
const end = (name) => `<!-- ${name}:end -->`;

/** `markdown` with the NAME section replaced by `section` (or appended). */
export function replaceSection(markdown, name, section) {
  const from = markdown.indexOf(start(name));
  const to = markdown.indexOf(end(name));
  if (from >= 0 && to > from) return markdown.slice(0, from) + section + markdown.slice(to + end(name).length);
  return `${markdown.trimEnd()}\n\n${section}\n`;
}

/** `fresh` with the NAME section of `old` (the report about to be overwritten), if it had one. */
export function keepSection(old, fresh, name) {
  const from = old.indexOf(start(name));
  const to = old.indexOf(end(name));
  return from >= 0 && to > from ? replaceSection(fresh, name, old.slice(from, to + end(name).length)) : fresh;
}

/** The section, marked, from its markdown. */
export function markSection(name, markdown, writer) {
  return `${start(name)} (written by ${writer}; bench/run keeps it) -->\n${markdown.trim()}\n${end(name)}`;
}

/** The names of every marked section of `markdown`, in order. */
export const sectionNames = (markdown) => [...markdown.matchAll(/<!-- ([\w-]+):start \(written by /g)].map((m) => m[1]);

/** Writes the NAME section into the report `file` (BENCHMARKS.md), replacing the one it had. */
export function writeSection(file, name, markdown, writer) {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, replaceSection(old, name, markSection(name, markdown, writer)));
}
