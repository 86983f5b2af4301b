// The benchmark's own helpers that a wrong answer would not show: the
// sections of BENCHMARKS.md other scripts write survive bench/run's
// rewrite, and the rebuild series reads a JSON Lines file a block at a
// time (a million articles are past V8's string limit) without losing or
// cutting a line.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { CLI, ROOT } from './helpers.mjs';

import { buildSteps, churnSection } from '../../bench/lib/alone-report.mjs';
import { countLines, digests, liveFiles, rebuildSeries, writeHead } from '../../bench/lib/churn.mjs';
import { parseCount, syntheticPosition } from '../../bench/lib/corpus.mjs';
import { allowWasm, withWasmAllowed } from '../../bench/lib/site-csp.mjs';
import { keepSection, markSection, replaceSection, sectionNames, writeSection } from '../../bench/lib/kept-section.mjs';

test('marked sections are found, replaced in place and carried into a fresh report', () => {
  const a = markSection('scale-synthetic-1m', '## One\nfigures', 'bench/scale.mjs');
  const b = markSection('churn-synthetic-1m', '## Two\nmore', 'bench/churn.mjs');
  const old = `# Benchmarks\n\nold body\n\n${a}\n\n${b}\n`;
  assert.deepEqual(sectionNames(old), ['scale-synthetic-1m', 'churn-synthetic-1m']);
  const fresh = sectionNames(old).reduce((md, name) => keepSection(old, md, name), '# Benchmarks\n\nnew body\n');
  assert.match(fresh, /new body/);
  assert.doesNotMatch(fresh, /old body/);
  assert.ok(fresh.includes(a) && fresh.includes(b));
  const again = replaceSection(fresh, 'scale-synthetic-1m', markSection('scale-synthetic-1m', '## One\nnewer', 'bench/scale.mjs'));
  assert.match(again, /newer/);
  assert.doesNotMatch(again, /figures/);
  assert.ok(again.includes(b), 'the other section is left as it was');
});

test('writeSection adds a section to a report, then replaces it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alike-bench-'));
  try {
    const file = join(dir, 'BENCHMARKS.md');
    writeFileSync(file, '# Benchmarks\n');
    writeSection(file, 'scale-x', 'first', 'test');
    writeSection(file, 'scale-x', 'second', 'test');
    const text = readFileSync(file, 'utf8');
    assert.equal(sectionNames(text).length, 1);
    assert.match(text, /second/);
    assert.doesNotMatch(text, /first/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeHead and countLines read across block boundaries', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alike-bench-'));
  try {
    const input = join(dir, 'in.jsonl');
    // Lines of varied lengths, over 4 MiB in all, so that lines straddle the 4 MiB blocks.
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ url: `/a/${i}`, body: 'x'.repeat((i * 7919) % 4000) }));
    writeFileSync(input, lines.join('\n') + '\n');
    assert.equal(countLines(input), lines.length);
    for (const count of [0, 1, 1234, 2999, 3000]) {
      const out = join(dir, `head-${count}.jsonl`);
      writeHead(input, count, out);
      const text = readFileSync(out, 'utf8');
      assert.equal(text, count ? lines.slice(0, count).join('\n') + '\n' : '', `the first ${count} lines, whole`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('digests tell a changed file from an unchanged one and gzip each content once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alike-bench-'));
  try {
    writeFileSync(join(dir, 'index.json'), '{"a":1}');
    writeFileSync(join(dir, 'b.json'), '{"a":1}');
    writeFileSync(join(dir, 'c.txt'), 'not the index');
    const gzipped = new Map();
    const one = digests(dir, gzipped);
    assert.deepEqual([...one.keys()].sort(), ['b.json', 'index.json']);
    assert.equal(gzipped.size, 1, 'the same bytes are gzipped once');
    writeFileSync(join(dir, 'b.json'), '{"a":2}');
    const two = digests(dir, gzipped);
    assert.equal(two.get('index.json').hash, one.get('index.json').hash);
    assert.notEqual(two.get('b.json').hash, one.get('b.json').hash);
    assert.ok(two.get('b.json').gz > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the steps alike index --verbose prints are read, and a rebuild series is counted and reported', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alike-bench-'));
  try {
    const input = join(ROOT, 'data/bbc-sample/articles.jsonl');
    const series = rebuildSeries(CLI, input, dir, 0.02, 2, 'clusters', { verbose: true });
    const steps = buildSteps(series.steps[0].stderr);
    assert.ok(steps.length >= 3, `the build's steps are read (${steps.length})`);
    for (const s of steps) assert.ok(s.wall >= 0 && s.peakMiB > 0, `step ${s.name}: ${JSON.stringify(s)}`);
    assert.equal(series.steps.length, 3);
    const total = countLines(input);
    assert.deepEqual(series.steps.map((s) => s.articles), [total - 2 * series.day, total - series.day, total]);
    // The first build writes every file; a rebuild only some, and its index names files that are there.
    assert.equal(series.steps[0].rewritten, series.steps[0].filesInFolder);
    for (const s of series.steps.slice(1)) {
      assert.ok(s.rewritten > 0 && s.rewritten < s.filesInFolder, `a rebuild rewrites some files, not all: ${JSON.stringify(s)}`);
      assert.match(s.said, /incremental/, 'the CLI says it built incrementally');
    }
    assert.equal(liveFiles(join(dir, 'series')).length, series.steps[2].liveFiles);
    const section = churnSection({ name: 'corpus', share: 0.02, queries: 0, series }, { stamp: { date: 'now', commit: 'abc', load: 0, cores: 2 }, command: 'test', endLoad: 0 });
    assert.equal(section.split('\n').filter((l) => /^\| (first build|rebuild \d)/.test(l)).length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('archive sizes are read as bench/run, scale.mjs and churn.mjs take them, and a bad one is named', () => {
  assert.deepEqual(['20k', '1m', '1,000,000', '5000', '2.5k'].map((t) => parseCount(t, '--sizes')), [20000, 1000000, 1000000, 5000, 2500]);
  assert.throws(() => parseCount('lots', '--count'), /--count: "lots" is not a count of articles/);
  assert.equal(syntheticPosition({ url: '/archive/tech/000042.html' }), 41);
});

test('a rebuild series longer than its archive is refused, saying why', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alike-bench-'));
  try {
    const input = join(dir, 'one.jsonl');
    writeFileSync(input, JSON.stringify({ url: '/a.html', title: 'One', body: 'Only one article here.' }) + '\n');
    assert.throws(() => rebuildSeries(CLI, input, dir, 0.01, 2), /2 rebuilds of 1 need more than 1 articles/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the reader bench gives a page's own CSP the one keyword its owner would add for the widget, and nothing else", () => {
  assert.equal(allowWasm("default-src 'self'; script-src 'self' https://a.test; img-src *"), "default-src 'self'; script-src 'self' https://a.test 'wasm-unsafe-eval'; img-src *");
  assert.equal(allowWasm("default-src 'self'"), "default-src 'self' 'wasm-unsafe-eval'");
  for (const kept of ['upgrade-insecure-requests', "script-src 'unsafe-eval'", "script-src 'self' 'wasm-unsafe-eval'", 'img-src *']) {
    assert.equal(allowWasm(kept), kept);
  }
  // Bytes of any encoding survive; a page without a meta policy is the same buffer.
  const page = Buffer.concat([Buffer.from('<head><meta http-equiv="Content-Security-Policy" content="script-src \'self\'"><title>'), Buffer.from([0xe9, 0xff]), Buffer.from('</title>')]);
  const served = withWasmAllowed(page);
  assert.match(served.toString('latin1'), /content="script-src 'self' 'wasm-unsafe-eval'"/);
  assert.deepEqual(served.subarray(served.length - 10, served.length - 8), Buffer.from([0xe9, 0xff]));
  const plain = Buffer.from('<p>No policy</p>');
  assert.equal(withWasmAllowed(plain), plain);
});
