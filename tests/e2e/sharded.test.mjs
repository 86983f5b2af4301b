// A sharded index (`alike index --layout sharded`), queried by the engine:
// the demo built with `--layout sharded --related-lists 0` (so that every
// page ranks in the browser; lists.test.mjs covers the lists) shows what
// `alike query` gives on the same manifest,
// fetching each shard once, a few at a time, and only a fraction of them;
// shards that cannot be had make a shorter box and one warning; a manifest
// the engine cannot use leaves the page as it was.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { assertNoBox, assertOneWarning, box, cliQuery, open, paths, ROOT, SAMPLED, settle, start, TIMEOUT } from './helpers.mjs';

let env;
let dir;
let site;
let manifest;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alike-e2e-sharded-'));
  site = join(dir, 'site');
  execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--layout', 'sharded', '--related-lists', '0', '--out', site], { stdio: 'pipe' });
  manifest = join(site, 'alike/index.json');
  env = await start({ root: site });
});
after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The shard files on disk, as paths relative to the manifest: `{ t: [...], a: [...] }`. */
const shardFiles = () => Object.fromEntries(['t', 'a'].map((kind) => [kind, readdirSync(join(site, 'alike', kind)).map((f) => `${kind}/${f}`)]));
/** The URLs in an article shard. */
const shardUrls = (path) => JSON.parse(readFileSync(join(site, 'alike', path), 'utf8')).articles.url;
/** Paths (relative to the manifest) of the shard requests among `urls`, in order, repeats kept. */
const shardRequests = (urls) => urls.map((u) => new URL(u)).filter((u) => /^\/alike\/[ta]\//.test(u.pathname)).map((u) => u.pathname.slice('/alike/'.length) + u.search);
/** Requests for shards. */
const SHARDS = /\/alike\/[ta]\/[^/]+\.json$/;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const API_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>API</title><link rel="icon" href="/favicon.svg"></head>
<body><main><h1>A page of the site's own making</h1></main></body></html>`;
const withApiPage = (routes = []) => ({ routes: [['**/e2e/api.html', (route) => route.fulfill({ contentType: 'text/html', body: API_PAGE })], ...routes] });

test(`${SAMPLED.length} pages: the box matches \`alike query\` on the same manifest; each shard is fetched once, and fewer than half of them`, async () => {
  assert.ok(JSON.parse(readFileSync(manifest, 'utf8')).shards, 'the demo index is no manifest');
  const files = shardFiles();
  const total = files.t.length + files.a.length;
  const expected = cliQuery(SAMPLED, { index: manifest });
  let most = 0;
  let full = 0;
  for (const article of SAMPLED) {
    const log = await open(env, article.url);
    const state = await settle(log.page);
    const shown = await box(log.page);
    // Under the default minimum score, fewer links or none, as alike query has.
    assert.deepEqual(paths(shown?.links ?? []), expected.get(article.url), `${article.url}: the browser's list differs from alike query's`);
    if (expected.get(article.url).length === 5) full += 1;
    assert.deepEqual(log.console, [], `${article.url}: console messages`);
    assert.deepEqual(log.pageErrors, [], `${article.url}: page errors`);
    assert.deepEqual(state.problems, [], `${article.url}: uncaught errors or rejections`);

    const fetched = shardRequests(log.requests);
    assert.deepEqual(fetched, [...new Set(fetched)], `${article.url}: a shard was fetched twice`);
    for (const path of fetched) assert.ok(files[path[0]].includes(path), `${article.url}: ${path} is no shard file (or has a cache-buster)`);
    const terms = fetched.filter((p) => p.startsWith('t/')).length;
    const articles = fetched.length - terms;
    assert.ok(terms > 0 && articles > 0, `${article.url}: fetched ${terms} term and ${articles} article shards`);
    assert.ok(terms < files.t.length / 2, `${article.url}: fetched ${terms} of ${files.t.length} term shards`);
    assert.ok(articles < files.a.length / 2, `${article.url}: fetched ${articles} of ${files.a.length} article shards`);
    most = Math.max(most, fetched.length);
    assert.equal(log.requests.filter((u) => new URL(u).pathname === '/alike/index.json').length, 1, 'the manifest is fetched once');
    await log.page.close();
  }
  assert.ok(full >= SAMPLED.length * 0.9, `only ${full} of ${SAMPLED.length} boxes have five links`);
  console.log(`at most ${most} of ${total} shard files fetched by one page`);
  assert.ok(most < total / 2);
});

test('shards are fetched in parallel, at most 64 at a time', async () => {
  let inFlight = 0;
  let most = 0;
  const slow = async (route) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    // A network's latency, not a wait for anything: on a slower machine the requests overlap only more.
    await sleep(40);
    const response = await route.fetch({ timeout: TIMEOUT });
    inFlight -= 1;
    await route.fulfill({ response });
  };
  const log = await open(env, SAMPLED[3].url, { routes: [[SHARDS, slow]] });
  await settle(log.page);
  assert.equal((await box(log.page)).links.length, 5);
  assert.ok(shardRequests(log.requests).length > 12, 'too few shards to tell');
  assert.ok(most <= 64, `${most} shard requests at once`);
  assert.ok(most >= 4, `at most ${most} shard requests at once: not in parallel`);
  await log.page.close();
});

// Each engine runs in a worker of its own (www/engine.js), with its own
// shards: a second engine on the page fetches them again, from the HTTP
// cache on a real site; this test's routing turns that cache off.
test('queries on one engine take turns, fetching each shard once; a second engine on the same index answers the same', async () => {
  // Routing turns Chromium's HTTP cache off, so every fetch reaches the handler.
  const counts = new Map();
  const count = (route) => {
    const path = new URL(route.request().url()).pathname;
    counts.set(path, (counts.get(path) || 0) + 1);
    return route.continue();
  };
  const articles = SAMPLED.slice(4, 7);
  const log = await open(env, '/e2e/api.html', withApiPage([[SHARDS, count]]));
  const ask = (engine) =>
    log.page.evaluate(
      async ({ articles, engine }) => {
        const alike = await import('/alike/alike.js');
        const runs = await Promise.all(articles.map(({ url, title, body }) => alike.recommend({ url, title, body }, { index: '/alike/index.json', engine })));
        return runs.map((related) => related.map((r) => new URL(r.url).pathname));
      },
      { articles, engine },
    );
  // At once, on one engine; then on a second engine (another instance of the module) loading the same index.
  const first = await ask('/alike/pkg/alike.js');
  assert.ok(counts.size > 0, 'no shard was fetched');
  const repeated = [...counts].filter(([, n]) => n > 1);
  assert.deepEqual(repeated, [], 'shards fetched more than once');
  const second = await ask('/alike/pkg/alike.js?second');
  const expected = cliQuery(articles, { index: manifest });
  for (const run of [first, second]) assert.deepEqual(run, articles.map((a) => expected.get(a.url)));
  assert.ok(log.requests.filter((u) => u.endsWith('alike_bg.wasm')).length === 2, 'the second engine did not start');
  assert.deepEqual(log.console, []);
  assert.deepEqual(log.pageErrors, []);
  await log.page.close();
});

test('a missing article shard: the box leaves its articles out and shows the others in order, with one warning', async () => {
  const files = shardFiles();
  const expected = cliQuery(SAMPLED, { index: manifest });
  // An article whose best match is in another shard than its own.
  const ownShard = (url) => files.a.find((p) => shardUrls(p).includes(url));
  const article = SAMPLED.find((a) => ownShard(expected.get(a.url)[0]) !== ownShard(a.url));
  const lost = ownShard(expected.get(article.url)[0]);
  const lostUrls = shardUrls(lost);
  const log = await open(env, article.url, { routes: [[`**/alike/${lost}`, (route) => route.fulfill({ status: 404, body: 'Not found' })]] });
  const state = await settle(log.page);
  const shown = paths((await box(log.page)).links);
  assert.ok(shown.length > 0);
  assert.deepEqual(shown.filter((u) => lostUrls.includes(u)), [], 'the box shows articles of the missing shard');
  const kept = expected.get(article.url).filter((u) => !lostUrls.includes(u));
  assert.deepEqual(shown.filter((u) => kept.includes(u)), kept, "the box leaves out or reorders alike query's other articles");
  assert.equal(state.renders.length, 1);
  assert.deepEqual(state.errors, [], 'alike:error for a box that is shown');
  assertOneWarning(log, state, new RegExp(`could not load 1 shard\\(s\\) of the index http://127\\.0\\.0\\.1:\\d+/alike/index\\.json \\(cannot load the shard .*/alike/${lost}: the server answered 404\\)`));
  await log.page.close();
});

test('term shards lost four ways (network error, not JSON, another format version, another shard under its name): still a box, one warning', async () => {
  const article = SAMPLED[9];
  const first = await open(env, article.url);
  await settle(first.page);
  const needed = shardRequests(first.requests).filter((p) => p.startsWith('t/'));
  await first.page.close();
  assert.ok(needed.length >= 4);
  const [aborted, garbled, versioned, swapped] = needed;
  const otherVersion = JSON.stringify({ ...JSON.parse(readFileSync(join(site, 'alike', versioned), 'utf8')), version: 99 });
  // A shard the page does not need, under the name of one it does: the engine takes it, and would ask again and again.
  const stranger = readFileSync(join(site, 'alike', shardFiles().t.find((p) => !needed.includes(p))), 'utf8');
  const log = await open(env, article.url, {
    routes: [
      [`**/alike/${aborted}`, (route) => route.abort('connectionreset')],
      [`**/alike/${garbled}`, (route) => route.fulfill({ contentType: 'application/json', body: '{"format": "alike-terms", "ver' })],
      [`**/alike/${versioned}`, (route) => route.fulfill({ contentType: 'application/json', body: otherVersion })],
      [`**/alike/${swapped}`, (route) => route.fulfill({ contentType: 'application/json', body: stranger })],
    ],
  });
  const state = await settle(log.page);
  assert.ok((await box(log.page)).links.length > 0);
  assert.equal(state.renders.length, 1);
  assert.deepEqual(state.errors, []);
  assertOneWarning(
    log,
    state,
    /could not load 4 shard\(s\) of the index .*\((cannot load the shard .*(Failed to fetch|JSON)|cannot use the shard .*(format version 99 but this alike reads version 1|it holds another shard))/,
  );
  await log.page.close();
});

test('no shard to be had: no box, one warning, page unchanged', async () => {
  const log = await open(env, SAMPLED[2].url, { routes: [[SHARDS, (route) => route.fulfill({ status: 404, body: 'Not found' })]] });
  const state = await settle(log.page);
  await assertNoBox(log, state, { reason: 'index', message: /could not load \d+ shard\(s\) of the index .*the server answered 404\); copy its t\/ and a\/ folders beside it/ });
  await log.page.close();
});

for (const c of [
  {
    name: 'a manifest of another format version',
    body: () => JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), version: 99 }),
    message: /cannot use the index .*format version 99 but this alike reads version 1/,
  },
  {
    name: 'a manifest that is not JSON',
    body: () => readFileSync(manifest, 'utf8').slice(0, 200),
    message: /cannot load the index .*index\.json: .*JSON.*; check data-index, or rebuild it with `alike index`/,
  },
]) {
  test(`${c.name}: no box, one warning, page unchanged, no shard fetched`, async () => {
    const log = await open(env, SAMPLED[1].url, { routes: [['**/alike/index.json', (route) => route.fulfill({ contentType: 'application/json', body: c.body() })]] });
    const state = await settle(log.page);
    await assertNoBox(log, state, { reason: 'index', message: c.message });
    assert.deepEqual(shardRequests(log.requests), []);
    await log.page.close();
  });
}
