// The engine runs off the page's main thread (issue 15): the shim starts
// pkg/alike.js as a module Web Worker, which fetches, parses and scores;
// where a Content-Security-Policy forbids the worker, the shim runs the same
// module on the main thread, with the same box and no warning of its own.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { alikeMessages, box, cliQuery, open, paths, SAMPLED, settle, start } from './helpers.mjs';

let env;
before(async () => (env = await start()));
after(() => env?.close());

const article = SAMPLED[3];

/** Opens the article page; returns its log, the workers it started, and the box's links. */
async function boxOf(options = {}) {
  const workers = [];
  const log = await open(env, article.url, {
    ...options,
    before: (page) => page.on('worker', (w) => workers.push(new URL(w.url()).pathname)),
  });
  await settle(log.page);
  const shown = await box(log.page);
  return { log, workers, links: paths(shown.links) };
}

test('the engine runs in a worker: pkg/alike.js, with the answers of `alike query`', async () => {
  const { log, workers, links } = await boxOf();
  // One worker: the engine's, which also warms the browser's date formatting (www/engine.js).
  assert.deepEqual(workers, ['/alike/pkg/alike.js']);
  assert.equal(log.requests.filter((u) => u.endsWith('/alike/alike.js')).length, 1, 'the shim is fetched once');
  assert.deepEqual(links, cliQuery([article]).get(article.url));
  // The worker fetched the engine; the page fetched the index once, for both.
  assert.equal(log.requests.filter((u) => u.endsWith('/alike/index.json')).length, 1);
  assert.deepEqual(log.console, []);
  assert.deepEqual(log.pageErrors, []);
  await log.page.close();
});

test("where the page's policy forbids workers, the engine runs on the main thread, with the same box and no warning", async () => {
  const policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'none'";
  const { log, workers, links } = await boxOf({ headers: { 'content-security-policy': policy } });
  assert.deepEqual(workers, []);
  assert.deepEqual(links, cliQuery([article]).get(article.url));
  // Chromium reports the refused worker itself, once (the shim tries once a
  // page); the widget says nothing.
  assert.equal(log.console.filter((m) => /worker/i.test(m.text)).length, 1, JSON.stringify(log.console));
  assert.deepEqual(alikeMessages(log), []);
  assert.deepEqual(log.pageErrors, []);
  await log.page.close();
});

test("a page whose policy (the page's only) lacks 'wasm-unsafe-eval': the worker compiles the wasm under its own, once fetched, with no violation", async () => {
  // The shim fetches the wasm for the worker (one round trip sooner) but
  // leaves compiling it to the worker, whose policy is its script's.
  const policy = "default-src 'self'; script-src 'self'";
  const { log, workers, links } = await boxOf({ headers: { 'content-security-policy': policy } });
  assert.deepEqual(workers, ['/alike/pkg/alike.js']);
  assert.deepEqual(links, cliQuery([article]).get(article.url));
  assert.equal(log.requests.filter((u) => u.endsWith('/alike_bg.wasm')).length, 1, 'the wasm is fetched once');
  assert.deepEqual(log.console, []);
  assert.deepEqual(log.pageErrors, []);
  await log.page.close();
});
