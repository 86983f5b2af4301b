// One reading of a page in both runtimes (issue 12): every page of
// tests/fixtures/pages gives the CLI (`alike inspect --json`) and the widget
// (readArticle() in Chromium, with the real wasm) the same text, and that
// text is the page's expected.txt. The debug switch outlines what was read
// and logs it without a warning; an indexed page whose article cannot be
// read still gets its stored list.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { assertNoBox, box, CLI, open, ROOT, SAMPLED, scriptTag, settle, start } from './helpers.mjs';

const FIXTURES = join(ROOT, 'tests/fixtures/pages');
const pages = readdirSync(FIXTURES).sort();
const normalise = (text) => text.replace(/\s+/g, ' ').trim();

let env;
before(async () => (env = await start()));
after(() => env?.close());

/** Serves a fixture's bytes as they are, with no charset in the header: the page's own label (or none) decides. */
const fixture = (name) => ({
  routes: [[`**/e2e/reader/${name}/`, (route) => route.fulfill({ body: readFileSync(join(FIXTURES, name, 'source.html')), headers: { 'content-type': 'text/html' } })]],
});

function cliTexts() {
  const out = execFileSync(CLI, ['inspect', '--json', ...pages.map((p) => join(FIXTURES, p, 'source.html'))], { encoding: 'utf8' });
  return new Map(out.trim().split('\n').map((line) => JSON.parse(line)).map((page) => [page.page.split('/').at(-2), page.text]));
}

test(`the ${pages.length} fixture pages: the CLI and the widget read the same text, the expected one`, async () => {
  assert.ok(pages.length >= 7, 'a fixture of each kind the issue lists');
  const cli = cliTexts();
  for (const name of pages) {
    const expected = normalise(readFileSync(join(FIXTURES, name, 'expected.txt'), 'utf8'));
    const log = await open(env, `/e2e/reader/${name}/`, fixture(name));
    const widget = await log.page.evaluate(async () => (await (await import('/alike/alike.js')).readArticle()).article.body);
    assert.equal(normalise(cli.get(name)), expected, `${name}: the CLI's text`);
    assert.equal(normalise(widget), normalise(cli.get(name)), `${name}: the widget's text differs from the CLI's`);
    assert.deepEqual(log.console, [], name);
    await log.page.close();
  }
});

test('a long page is read in slices that give the main thread back, into the same text as the CLI reads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'alike-e2e-long-'));
  try {
    // About 60,000 nodes: far more than one slice of the walk.
    const paragraphs = Array.from({ length: 6000 }, (_, i) => `<p>Paragraph ${i} of the long report, with <b>some</b> words <i>in</i> <em>several</em> elements.</p>`);
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A long report</title></head><body><article><h1>A long report</h1>${paragraphs.join('')}</article></body></html>`;
    writeFileSync(join(dir, 'long.html'), html);
    const cli = JSON.parse(execFileSync(CLI, ['inspect', '--json', join(dir, 'long.html')], { encoding: 'utf8', maxBuffer: 1 << 26 })).text;
    const log = await open(env, '/e2e/reader/long/', { routes: [['**/e2e/reader/long/', (route) => route.fulfill({ body: html, contentType: 'text/html' })]] });
    const { body, yields } = await log.page.evaluate(async () => {
      // Count the walk's breaks, whichever way this browser offers them.
      let yields = 0;
      if (globalThis.scheduler?.yield) {
        const original = scheduler.yield.bind(scheduler);
        scheduler.yield = () => (yields++, original());
      } else {
        const original = MessagePort.prototype.postMessage;
        MessagePort.prototype.postMessage = function (...args) {
          yields++;
          return original.apply(this, args);
        };
      }
      const { article } = await (await import('/alike/alike.js')).readArticle();
      return { body: article.body, yields };
    });
    assert.ok(yields >= 1, 'the walk never gave the main thread back');
    assert.ok(cli.length > 400_000, `the CLI read ${cli.length} characters`);
    assert.equal(normalise(body), normalise(cli), "the widget reads the CLI's text, all of it");
    assert.deepEqual(log.console, []);
    await log.page.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("readArticle returns a short page's text as the CLI reads it, where the box and recommend() refuse it with 'no-article'", async () => {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Closed</title></head><body><article><h1>Closed</h1><p>The library is closed on Monday.</p></article><div data-alike></div>${scriptTag()}</body></html>`;
  const dir = mkdtempSync(join(tmpdir(), 'alike-e2e-short-'));
  try {
    writeFileSync(join(dir, 'short.html'), html);
    const cli = JSON.parse(execFileSync(CLI, ['inspect', '--json', join(dir, 'short.html')], { encoding: 'utf8' })).text;
    assert.equal(cli, 'The library is closed on Monday.');
    const log = await open(env, '/e2e/reader/short/', { routes: [['**/e2e/reader/short/', (route) => route.fulfill({ body: html, contentType: 'text/html' })]] });
    await assertNoBox(log, await settle(log.page), { reason: 'no-article', message: /found no article text on this page/ });
    const { body, refused } = await log.page.evaluate(async () => {
      const alike = await import('/alike/alike.js');
      const refused = await alike.recommend(null, { index: '/alike/index.json' }).then(() => 'none', (error) => error.reason);
      return { body: (await alike.readArticle()).article.body, refused };
    });
    assert.equal(refused, 'no-article', 'recommend()');
    assert.equal(body, cli, 'readArticle()');
    await log.page.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a page with no article markup and almost no text fetches neither the index nor the engine', async () => {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><main><h1>Not found</h1><p>Try <a href="/">the front page</a>.</p></main><div data-alike></div>${scriptTag()}</body></html>`;
  const log = await open(env, '/e2e/reader/empty/', { routes: [['**/e2e/reader/empty/', (route) => route.fulfill({ body: html, contentType: 'text/html' })]] });
  const state = await settle(log.page);
  assert.deepEqual(state.errors.map((e) => e.reason), ['no-article']);
  const paths = log.requests.map((u) => new URL(u).pathname);
  assert.ok(!paths.some((p) => p.endsWith('.json') || p.startsWith('/alike/pkg/')), `fetched: ${paths.join(' ')}`);
  await log.page.close();
});

test('data-debug outlines the element read and logs what was read and left out, with no warning', async () => {
  const name = 'boilerplate';
  const html = readFileSync(join(FIXTURES, name, 'source.html'), 'utf8').replace('</body>', `<div data-alike></div>${scriptTag({ index: '/alike/index.json', debug: '' })}</body>`);
  const log = await open(env, '/e2e/reader/debug/', { routes: [['**/e2e/reader/debug/', (route) => route.fulfill({ body: html, contentType: 'text/html' })]] });
  await settle(log.page);
  assert.ok(await box(log.page), 'the box is drawn');
  const outlined = await log.page.evaluate(() => [...document.querySelectorAll('[style*="outline"]')].map((e) => e.localName));
  assert.deepEqual(outlined, ['article']);
  const types = new Set(log.console.map((m) => m.type));
  assert.ok(!types.has('warning') && !types.has('error'), JSON.stringify(log.console));
  const info = log.console.find((m) => m.type === 'info');
  assert.match(info?.text || '', /\[alike\] read \d+ words from the page/);
  const leftOut = log.console.filter((m) => m.type === 'debug' && m.text.includes('left out'));
  assert.ok(leftOut.some((m) => m.text.includes('(boilerplate)')) && leftOut.some((m) => m.text.includes('(mostly links)')), JSON.stringify(leftOut));
  await log.page.close();
});

test('without data-debug nothing is outlined or logged', async () => {
  const html = readFileSync(join(FIXTURES, 'boilerplate', 'source.html'), 'utf8').replace('</body>', `<div data-alike></div>${scriptTag()}</body>`);
  const log = await open(env, '/e2e/reader/quiet/', { routes: [['**/e2e/reader/quiet/', (route) => route.fulfill({ body: html, contentType: 'text/html' })]] });
  await settle(log.page);
  assert.equal(await log.page.evaluate(() => document.querySelectorAll('[style*="outline"]').length), 0);
  assert.deepEqual(log.console, []);
  await log.page.close();
});

test('an indexed page of the cluster layout whose article cannot be read still gets its stored list, without the engine', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'alike-e2e-reader-'));
  const site = join(dir, 'site');
  execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--layout', 'clusters', '--out', site], { stdio: 'pipe' });
  const clusters = await start({ root: site });
  try {
    const article = SAMPLED[3];
    // The story's paragraphs gone: nothing left to read, as on a page whose markup defeats the reader.
    const log = await open(clusters, article.url, { html: (page) => page.replace(/<p>[\s\S]*?<\/p>/g, '') });
    const state = await settle(log.page);
    assert.equal(state.renders.length, 1, JSON.stringify(state.errors));
    assert.equal((await box(log.page)).links.length, 5);
    const paths = log.requests.map((u) => new URL(u).pathname);
    assert.ok(!paths.some((p) => p.startsWith('/alike/pkg/')), `the engine was loaded: ${paths.join(' ')}`);
    assert.deepEqual(log.console, []);
    await log.page.close();
  } finally {
    await clusters.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
