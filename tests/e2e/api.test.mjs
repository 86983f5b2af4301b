// The JS API for sites with a bundler: recommend() and mount(), on a page
// without the script tag.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { byUrl, cliQuery, open, SAMPLED, settle, start } from './helpers.mjs';

let env;
before(async () => (env = await start()));
after(() => env?.close());

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>API</title><link rel="icon" href="/favicon.svg"></head>
<body><main><h1>A page of the site's own making</h1><div id="slot"></div></main></body></html>`;
const withPage = { routes: [['**/e2e/api.html', (route) => route.fulfill({ contentType: 'text/html', body: PAGE })]] };

test('recommend(article, options) gives what `alike query` gives; importing the module alone renders nothing', async () => {
  const log = await open(env, '/e2e/api.html', withPage);
  const articles = SAMPLED.slice(0, 4);
  const results = await log.page.evaluate(async (articles) => {
    const alike = await import('/alike/alike.js');
    const out = [];
    for (const { url, title, body, date, section } of articles) {
      out.push(await alike.recommend({ url, title, body, date, section }, { index: '/alike/index.json', count: 4 }));
    }
    return out;
  }, articles);
  const expected = cliQuery(articles, { k: 4 });
  for (const [i, article] of articles.entries()) {
    assert.deepEqual(results[i].map((r) => new URL(r.url).pathname), expected.get(article.url));
    for (const r of results[i]) {
      const source = byUrl.get(new URL(r.url).pathname);
      assert.equal(r.title, source.title);
      assert.equal(r.date, source.date);
      assert.equal(r.section, source.section);
      assert.equal(typeof r.score, 'number');
    }
  }
  assert.equal(await log.page.locator('alike-related').count(), 0);
  assert.deepEqual(log.console, []);
  await log.page.close();
});

test('recommend() rejects with a reason; mount() renders into an element, and resolves to [] with one warning when it cannot', async () => {
  const log = await open(env, '/e2e/api.html', withPage);
  const article = SAMPLED[7];
  const outcome = await log.page.evaluate(async ({ url, title, body }) => {
    const alike = await import('/alike/alike.js');
    const rejected = await alike.recommend({ url, title, body }, { index: '/alike/nothing.json' }).then(
      () => null,
      (error) => ({ isError: error instanceof Error, reason: error.reason, message: error.message }),
    );
    const mounted = await alike.mount(document.getElementById('slot'), {
      index: '/alike/index.json',
      article: { url, title, body },
      count: 3,
      layout: 'cards',
      heading: 'See also',
      loading: 'eager',
    });
    const failed = await alike.mount(document.querySelector('h1'), { index: '/alike/nothing.json', article: { url, title, body } });
    const host = document.querySelector('#slot > alike-related');
    return {
      rejected,
      mounted: mounted.map((r) => r.url),
      failed,
      heading: host.shadowRoot.querySelector('h2').textContent,
      links: [...host.shadowRoot.querySelectorAll('a')].map((a) => a.href),
      hosts: document.querySelectorAll('alike-related').length,
    };
  }, article);
  assert.deepEqual(outcome.rejected.isError, true);
  assert.equal(outcome.rejected.reason, 'index');
  assert.match(outcome.rejected.message, /404/);
  const expected = cliQuery([article], { k: 3 }).get(article.url);
  assert.deepEqual(outcome.mounted.map((u) => new URL(u).pathname), expected);
  assert.deepEqual(outcome.links, outcome.mounted);
  assert.equal(outcome.heading, 'See also');
  assert.deepEqual(outcome.failed, []);
  assert.equal(outcome.hosts, 1);
  const state = await settle(log.page, { scroll: false });
  assert.equal(state.renders.length, 1);
  assert.equal(state.errors.length, 1);
  // recommend() reports to its caller only; mount() warns once.
  assert.equal(log.console.filter((m) => m.text.startsWith('[alike]')).length, 1);
  await log.page.close();
});
