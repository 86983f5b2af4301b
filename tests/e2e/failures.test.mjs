// Whatever goes wrong, the page stays as the parser left it: no box, one
// `[alike]` warning with a hint, an `alike:error` event, and no uncaught
// error or unhandled rejection.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { assertNoBox, box, cliIndex, INDEX, open, SAMPLED, SCRIPT_TAG, scriptTag, settle, start } from './helpers.mjs';

let env;
before(async () => (env = await start()));
after(() => env?.close());

const realIndex = () => JSON.parse(readFileSync(INDEX, 'utf8'));
const serveIndex = (body, status = 200) => [
  '**/alike/index.json',
  (route) => route.fulfill({ status, contentType: 'application/json', body }),
];
const article = SAMPLED[5];

const NO_ARTICLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Page not found - Demo News</title><link rel="icon" href="/favicon.svg"></head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/#business">Business</a></li><li><a href="/#sport">Sport</a></li></ul></nav></header>
<main>
  <h1>Page not found</h1>
  <p>Try one of these:</p>
  <ul><li><a href="/business/001.html">Ad sales boost Time Warner profit</a></li><li><a href="/sport/001.html">Claxton hunting first major medal</a></li></ul>
</main>
<footer><p>Demo News</p></footer>
${scriptTag()}
</body></html>`;

const cases = [
  {
    name: 'the index is missing (404)',
    html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/missing.json' })),
    reason: 'index',
    message: /cannot load the index http:\/\/127\.0\.0\.1:\d+\/alike\/missing\.json: the server answered 404; check data-index/,
  },
  {
    name: 'the index is not JSON',
    routes: [serveIndex('{"format": "alike-index", "version": 1, "articles": [')],
    reason: 'index',
    message: /index\.json: .*JSON.*; check data-index, or rebuild it with `alike index`/,
  },
  {
    name: 'the index is JSON but not an alike index',
    routes: [serveIndex(JSON.stringify({ hello: 'world', items: [1, 2, 3] }))],
    reason: 'index',
    message: /not an alike index/,
  },
  {
    name: 'the index is of another format version',
    routes: [serveIndex(JSON.stringify({ ...realIndex(), version: 99 }))],
    reason: 'index',
    message: /version 99.*version 1/,
  },
  {
    name: 'the index is corrupt',
    // Columns of different lengths: one URL fewer than titles.
    routes: [serveIndex(JSON.stringify({ ...realIndex(), articles: { ...realIndex().articles, url: realIndex().articles.url.slice(1) } }))],
    reason: 'index',
    message: /corrupt/,
  },
  {
    name: 'the wasm file is missing (404)',
    routes: [['**/alike_bg.wasm', (route) => route.fulfill({ status: 404, body: 'Not found' })]],
    reason: 'engine',
    message: /cannot start the engine .*404.*copy pkg\/alike\.js and pkg\/alike_bg\.wasm/,
  },
  {
    name: 'the network refuses the wasm file',
    routes: [['**/alike_bg.wasm', (route) => route.abort('blockedbyclient')]],
    reason: 'engine',
    message: /cannot start the engine/,
  },
  {
    name: "a Content-Security-Policy without 'wasm-unsafe-eval' blocks WebAssembly",
    headers: { 'content-security-policy': "default-src 'self'; script-src 'self'" },
    // As a site sets it, on every response: the engine's worker takes the
    // policy of its own script's response, not the page's.
    routes: [
      [
        '**/alike/pkg/alike.js',
        async (route) => {
          const response = await route.fetch();
          await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': "default-src 'self'; script-src 'self'" } });
        },
      ],
    ],
    reason: 'engine',
    message: /cannot start the engine .*; add 'wasm-unsafe-eval' to script-src/,
  },
  {
    name: 'the engine module is missing',
    html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', engine: '/alike/nowhere/alike.js' })),
    reason: 'engine',
    message: /cannot start the engine http:\/\/127\.0\.0\.1:\d+\/alike\/nowhere\/alike\.js/,
  },
  {
    name: 'the page has no article text',
    path: '/e2e/not-found.html',
    routes: [['**/e2e/not-found.html', (route) => route.fulfill({ contentType: 'text/html', body: NO_ARTICLE_PAGE })]],
    reason: 'no-article',
    message: /found no article text on this page; mark it up with <article>, or set data-article/,
    // Quiet: no article markup and too little text to hold one, so neither
    // the index nor the engine is fetched (www/alike.js cannotHoldArticle).
    quiet: true,
  },
  {
    name: 'data-target matches nothing',
    html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', target: '#related-box' })),
    reason: 'place',
    message: /no element matches data-target="#related-box"/,
    quiet: true,
  },
];

for (const c of cases) {
  test(`${c.name}: no box, one warning, page unchanged`, async () => {
    const log = await open(env, c.path || article.url, { html: c.html, headers: c.headers, routes: c.routes });
    const state = await settle(log.page);
    await assertNoBox(log, state, c);
    if (c.quiet) {
      // Failing before loading anything, it fetched nothing.
      assert.ok(!log.requests.some((u) => /index\.json|alike_bg\.wasm/.test(u)));
    }
    await log.page.close();
  });
}

// Nothing related (or nothing clearing the minimum score) is a healthy
// outcome, not a fault: no box and the alike:error event, but a console
// warning only with data-debug, which is for asking why a box is missing.
test('the index has nothing related: no box, the no-results event, and a warning only with data-debug', async () => {
  const unrelated = serveIndex(
    cliIndex([
      { url: '/a', title: 'Quokka census', body: 'Quokka numbers on the island rose, rangers counted quokka colonies.' },
      { url: '/b', title: 'Quokka selfies', body: 'Tourists photograph quokka colonies; rangers warn about feeding.' },
      { url: '/c', title: 'Island ferry', body: 'The island ferry timetable changes; rangers welcome tourists.' },
    ]),
  );
  for (const debug of [false, true]) {
    const data = { index: '/alike/index.json', ...(debug ? { debug: '' } : {}) };
    const log = await open(env, article.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag(data)), routes: [unrelated] });
    const state = await settle(log.page);
    assert.equal(state.renders.length, 0);
    assert.deepEqual(state.errors.map((e) => e.reason), ['no-results']);
    assert.equal(await box(log.page), null, 'a box is shown');
    // (data-debug outlines the element read: that is the one change it makes)
    if (!debug) assert.equal(await log.page.evaluate(() => document.body.outerHTML), state.before, 'the page changed');
    const warnings = log.console.filter((m) => m.type === 'warning' && m.text.startsWith('[alike] '));
    if (debug) {
      assert.equal(warnings.length, 1, warnings.map((w) => w.text).join('\n'));
      assert.match(warnings[0].text, /the index has no articles related to .* \(none clears the minimum score, data-min-score\); the box stays hidden/);
    } else assert.deepEqual(warnings, [], 'a warning without data-debug');
    assert.deepEqual([...log.pageErrors, ...state.problems], []);
    await log.page.close();
  }
});
