// What issue 11 found the widget doing with input a site meets in ordinary
// use: images on other origins, a huge article, impossible dates, two script
// tags, a .wasm served with another type. Each test guards one fix.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { alikeMessages, articles, box, boxImagesDone, byUrl, cliQuery, INDEX, open, paths, SAMPLED, SCRIPT_TAG, scriptTag, settle, start, TIMEOUT } from './helpers.mjs';

let env;
before(async () => (env = await start()));
after(() => env?.close());

/** The demo's index with `change(articles, row)` applied to the rows of `urls`. */
function indexWith(urls, change) {
  const index = JSON.parse(readFileSync(INDEX, 'utf8'));
  urls.forEach((url, i) => change(index.articles, index.articles.url.indexOf(url), i));
  return JSON.stringify(index);
}
const serveIndex = (body) => ['**/alike/index.json', (route) => route.fulfill({ contentType: 'application/json', body })];
const elsewhere = (log) => log.requests.filter((u) => new URL(u).origin !== env.url);

test('images on other origins (https://, //host, \\\\host, /\\host) are not shown and nothing is fetched from them; data-image-origins lets them in', async () => {
  const article = SAMPLED[0];
  const related = cliQuery([article]).get(article.url);
  // The fifth keeps its own /img/… picture.
  const images = ['https://images.example.net/a.png', '//cdn.example.org/b.png', '\\\\evil.example\\c.png', '/\\evil.example/d.png'];
  const index = indexWith(related.slice(0, 4), (columns, row, i) => (columns.image[row] = images[i]));
  const served = [];
  const other = [
    /^https?:\/\/(?!127\.0\.0\.1[:/])/,
    (route) => {
      served.push(route.request().url());
      return route.fulfill({ contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="9"/>' });
    },
  ];
  const load = async (data) => {
    const log = await open(env, article.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', ...data })), routes: [serveIndex(index), other] });
    const state = await settle(log.page);
    await boxImagesDone(log.page);
    const shown = await box(log.page);
    assert.deepEqual(paths(shown.links), related);
    assert.deepEqual(log.console, []);
    assert.deepEqual(state.problems, []);
    await log.page.close();
    return { srcs: shown.images.map((img) => new URL(img.src).origin), requests: elsewhere(log) };
  };

  const byDefault = await load({});
  assert.deepEqual(byDefault.srcs, [env.url], 'only the picture on the page’s own origin is shown');
  assert.deepEqual(byDefault.requests, [], 'requests to other origins');

  // Origins, not URLs, count: any path, and the scheme matters.
  const one = await load({ 'image-origins': 'https://images.example.net/any/path https://cdn.example.org' });
  assert.deepEqual(one.srcs, ['https://images.example.net', env.url], 'data-image-origins lets https://images.example.net in, not http://cdn.example.org');
  assert.deepEqual(one.requests, ['https://images.example.net/a.png']);

  const any = await load({ 'image-origins': '*' });
  assert.deepEqual(any.srcs, ['https://images.example.net', 'http://cdn.example.org', 'http://evil.example', 'http://evil.example', env.url]);
  assert.equal(served.length, 1 + 4, 'the allowed pictures were fetched');
});

test('an invalid data-image-origins is warned about and only same-origin images are shown', async () => {
  const article = SAMPLED[0];
  const log = await open(env, article.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', 'image-origins': 'cdn.example.org' })) });
  await settle(log.page);
  assert.equal((await box(log.page)).links.length, 5);
  assert.deepEqual(alikeMessages(log).map((m) => m.text), [`[alike] data-image-origins="cdn.example.org" is not valid; using the page's own origin`]);
  await log.page.close();
});

// About 10 MB of text: the article, then the rest of the sample, again and again.
const esc = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const huge = byUrl.get(SAMPLED[4].url);
const filler = articles.map((a) => a.body).join('\n\n');
const hugeBody = [huge.body, ...Array(Math.ceil(10e6 / filler.length)).fill(filler)].join('\n\n');
const paragraphs = (text) => text.split(/\n\n+/).map((p) => `<p>${esc(p)}</p>`).join('\n');

// The length of each article's text the page posts to the engine's worker, in window.__engineBodies.
const engineBodies = (page) =>
  page.addInitScript(() => {
    window.__engineBodies = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
      if (typeof message?.article?.body === 'string') window.__engineBodies.push(message.article.body.length);
      return post.call(this, message, ...rest);
    };
  });
const cut = (lengths) => lengths.length > 0 && lengths.every((n) => n >= 100_001 && n <= 100_002);

test("a 10 MB article still gets its box; the engine is given only the start of it (its 100,000 bytes and one more), readArticle the whole reading", async () => {
  assert.ok(hugeBody.length > 10e6);
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(huge.title)}</title></head>
<body><article><h1>${esc(huge.title)}</h1>${paragraphs(hugeBody)}</article>${scriptTag({ index: '/alike/index.json', loading: 'eager' })}</body></html>`;
  const log = await open(env, '/e2e/huge.html', { routes: [['**/e2e/huge.html', (route) => route.fulfill({ contentType: 'text/html', body: page })]], before: engineBodies });
  const state = await settle(log.page, { scroll: false });
  assert.equal(state.renders.length, 1);
  assert.equal((await box(log.page)).links.length, 5);
  const given = await log.page.evaluate(() => window.__engineBodies);
  assert.ok(cut(given), `the engine was given ${given} characters`);
  const body = await log.page.evaluate(async () => (await (await import('/alike/alike.js')).readArticle()).article.body);
  // The reading stops at the page tree's own limit, a million characters (src/extract.rs MAX_TEXT).
  assert.ok(body.length > 100_002 && body.length < 1_100_000, `read ${body.length} characters`);
  assert.ok(body.startsWith(huge.body.split('\n\n')[0]), 'the text read is the start of the article');
  assert.deepEqual(log.console, []);
  await log.page.close();
});

test('a 10 MB articleBody in JSON-LD is read to four times that bound, and the engine given the same start', async () => {
  const ld = JSON.stringify({ '@type': 'NewsArticle', headline: huge.title, articleBody: hugeBody }).replace(/</g, '\\u003c');
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>T</title><script type="application/ld+json">${ld}</script></head>
<body><article><h1>${esc(huge.title)}</h1><p>${esc(huge.body.slice(0, 200))}</p></article></body></html>`;
  const log = await open(env, '/e2e/huge-ld.html', { routes: [['**/e2e/huge-ld.html', (route) => route.fulfill({ contentType: 'text/html', body: page })]], before: engineBodies });
  const { body, results } = await log.page.evaluate(async () => {
    const alike = await import('/alike/alike.js');
    return { body: (await alike.readArticle()).article.body, results: await alike.recommend(null, { index: '/alike/index.json' }) };
  });
  assert.ok(body.length > 100_002 && body.length <= 4 * 100_001, `read ${body.length} characters`);
  assert.ok(body.startsWith(huge.body.slice(0, 1000)));
  assert.ok(results.length > 0);
  const given = await log.page.evaluate(() => window.__engineBodies);
  assert.ok(cut(given), `the engine was given ${given} characters`);
  await log.page.close();
});

test('engine results with dates no calendar has (years before 0 or after 9999) show without them', async () => {
  const article = SAMPLED[2];
  const related = cliQuery([article]).get(article.url);
  const days = [-800000, 3000000];
  const index = indexWith(related.slice(0, 2), (columns, row, i) => (columns.day[row] = days[i]));
  const log = await open(env, article.url, { routes: [serveIndex(index)] });
  const state = await settle(log.page);
  const shown = await box(log.page);
  assert.deepEqual(paths(shown.links), related);
  assert.deepEqual(shown.times.map((t) => t.datetime), related.slice(2).map((url) => byUrl.get(url).date));
  assert.deepEqual(state.errors, []);
  assert.deepEqual(log.console, []);
  await log.page.close();
});

for (const [name, second] of [
  ['another copy of alike.js', '/alike/alike.js?copy'],
  ['the same alike.js', '/alike/alike.js'],
]) {
  test(`two script tags (${name}, another index): one box, one warning`, async () => {
    const article = SAMPLED[6];
    const tags = scriptTag({ index: '/alike/index.json' }) + scriptTag({ index: '/alike/other.json' }, second);
    const log = await open(env, article.url, {
      html: (h) => h.replace(SCRIPT_TAG, tags),
      routes: [['**/alike/other.json', (route) => route.fulfill({ contentType: 'application/json', body: readFileSync(INDEX, 'utf8') })]],
    });
    const state = await settle(log.page);
    assert.equal((await box(log.page)).hosts, 1);
    assert.equal(state.renders.length, 1);
    const warnings = alikeMessages(log).map((m) => m.text);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], new RegExp(`more than one alike script tag; only the first draws a box, so the one with src="${second.replace(/[?.]/g, '\\$&')}" does nothing`));
    assert.ok(!log.requests.some((u) => u.endsWith('/alike/other.json')), 'the second index was fetched');
    await log.page.close();
  });
}

test('a .wasm served as application/octet-stream still works, with nothing in the console', async () => {
  const retype = async (route) => {
    const response = await route.fetch({ timeout: TIMEOUT });
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  };
  const log = await open(env, SAMPLED[8].url, { routes: [['**/alike/pkg/alike_bg.wasm', retype]] });
  const state = await settle(log.page);
  assert.equal((await box(log.page)).links.length, 5);
  assert.equal(state.renders.length, 1);
  assert.deepEqual(log.console, []);
  await log.page.close();
});
