// The cluster layout's files as the engine fetches them (moved from
// sharded.test.mjs when the term-shard layout was retired): the demo built
// with `--layout clusters --cluster-size 40 --related-lists 0` (so that
// every page ranks in the browser; lists.test.mjs covers the lists) shows
// what `alike query` gives on the same manifest, fetching each file once
// and only a few of them; queries on one engine share its files; cluster
// files lost four ways make a shorter box and one warning, and a page that
// reads one cluster and loses it reads the one it held back; none to be had,
// or a manifest the engine cannot use (another version, not JSON, the
// retired term-shard layout's), leave the page as it was.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { assertNoBox, assertOneWarning, box, cliQuery, open, paths, ROOT, SAMPLED, settle, start } from './helpers.mjs';

let env;
let dir;
let site;
let manifest;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alike-e2e-cluster-files-'));
  site = join(dir, 'site');
  execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--layout', 'clusters', '--cluster-size', '40', '--related-lists', '0', '--out', site], { stdio: 'pipe' });
  manifest = join(site, 'alike/index.json');
  env = await start({ root: site });
});
after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The cluster files on disk, as paths relative to the manifest. */
const clusterFiles = () => readdirSync(join(site, 'alike/c')).map((f) => `c/${f}`);
/** Paths (relative to the manifest) of the cluster, cell and delta file requests among `urls`, in order, repeats kept. */
const fileRequests = (urls) => urls.map((u) => new URL(u)).filter((u) => /^\/alike\/[ckd]\//.test(u.pathname)).map((u) => u.pathname.slice('/alike/'.length) + u.search);
/** Requests for cluster, cell and delta files. */
const FILES = /\/alike\/[ckd]\/[^/]+\.json$/;

const API_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>API</title><link rel="icon" href="/favicon.svg"></head>
<body><main><h1>A page of the site's own making</h1></main></body></html>`;
const withApiPage = (routes = []) => ({ routes: [['**/e2e/api.html', (route) => route.fulfill({ contentType: 'text/html', body: API_PAGE })], ...routes] });

test(`${SAMPLED.length} pages: the box matches \`alike query\` on the same manifest; each cluster file is fetched once, and fewer than half of them`, async () => {
  const parsed = JSON.parse(readFileSync(manifest, 'utf8'));
  assert.equal(parsed.layout, 'clusters', 'the demo index is not of the cluster layout');
  assert.equal(parsed.lists, undefined, 'the demo index has lists');
  const files = clusterFiles();
  assert.ok(files.length > 4, `${files.length} cluster files`);
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

    const fetched = fileRequests(log.requests);
    assert.deepEqual(fetched, [...new Set(fetched)], `${article.url}: a file was fetched twice`);
    for (const path of fetched) assert.ok(files.includes(path), `${article.url}: ${path} is no cluster file (or has a cache-buster)`);
    assert.ok(fetched.length > 0 && fetched.length < files.length / 2, `${article.url}: fetched ${fetched.length} of ${files.length} cluster files`);
    most = Math.max(most, fetched.length);
    assert.equal(log.requests.filter((u) => new URL(u).pathname === '/alike/index.json').length, 1, 'the manifest is fetched once');
    await log.page.close();
  }
  assert.ok(full >= SAMPLED.length * 0.9, `only ${full} of ${SAMPLED.length} boxes have five links`);
  console.log(`at most ${most} of ${files.length} cluster files fetched by one page`);
});

// Each engine runs in a worker of its own (www/engine.js), with its own
// files: a second engine on the page fetches them again, from the HTTP
// cache on a real site; this test's routing turns that cache off.
test('queries on one engine take turns, fetching each file once; a second engine on the same index answers the same', async () => {
  // Routing turns Chromium's HTTP cache off, so every fetch reaches the handler.
  const counts = new Map();
  const count = (route) => {
    const path = new URL(route.request().url()).pathname;
    counts.set(path, (counts.get(path) || 0) + 1);
    return route.continue();
  };
  const articles = SAMPLED.slice(4, 7).map((a, i) => ({ ...a, url: `/fresh/${i}.html` }));
  const log = await open(env, '/e2e/api.html', withApiPage([[FILES, count]]));
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
  assert.ok(counts.size > 0, 'no cluster file was fetched');
  const repeated = [...counts].filter(([, n]) => n > 1);
  assert.deepEqual(repeated, [], 'files fetched more than once');
  const second = await ask('/alike/pkg/alike.js?second');
  const expected = cliQuery(articles, { index: manifest });
  for (const run of [first, second]) assert.deepEqual(run, articles.map((a) => expected.get(a.url)));
  assert.ok(log.requests.filter((u) => u.endsWith('alike_bg.wasm')).length === 2, 'the second engine did not start');
  assert.deepEqual(log.console, []);
  assert.deepEqual(log.pageErrors, []);
  await log.page.close();
});

test('a cluster file lost four ways (network error, not JSON, another format version, another cluster under its name): still a box, one warning', async () => {
  // A page whose query reads two clusters (where one is far the nearest, a
  // query reads that one alone: the next test).
  let article;
  let needed = [];
  for (const candidate of [...SAMPLED.slice(9), ...SAMPLED.slice(0, 9)]) {
    const first = await open(env, candidate.url);
    await settle(first.page);
    needed = fileRequests(first.requests);
    await first.page.close();
    article = candidate;
    if (needed.filter((path) => path.startsWith('c/')).length >= 2) break;
  }
  assert.ok(needed.filter((path) => path.startsWith('c/')).length >= 2, `no sampled page reads two clusters: ${needed}`);
  // The file to lose: of the page's clusters, the one holding the fewest
  // of the articles its box shows, so that the others still hold some.
  const answer = cliQuery([article], { index: manifest }).get(article.url) ?? [];
  const holds = (path) => JSON.parse(readFileSync(join(site, 'alike', path), 'utf8')).articles.url.filter((url) => answer.includes(url)).length;
  const clusters = needed.filter((path) => path.startsWith('c/'));
  const lost = [...clusters].sort((a, b) => holds(a) - holds(b))[0];
  assert.ok(clusters.some((path) => path !== lost && holds(path) > 0), `${clusters} hold none of ${answer}`);
  const otherVersion = JSON.stringify({ ...JSON.parse(readFileSync(join(site, 'alike', lost), 'utf8')), version: 99 });
  // A file the page does not need, under the name of one it does: taken, the engine would ask again and again.
  const stranger = readFileSync(join(site, 'alike', clusterFiles().find((p) => !needed.includes(p))), 'utf8');
  for (const [way, handle, message] of [
    ['aborted', (route) => route.abort('connectionreset'), /cannot load the file .*Failed to fetch/],
    ['garbled', (route) => route.fulfill({ contentType: 'application/json', body: '{"format": "alike-cluster", "ver' }), /cannot load the file .*JSON/],
    ['versioned', (route) => route.fulfill({ contentType: 'application/json', body: otherVersion }), /cannot use .*format version 99 but this alike reads version 4/],
    ['swapped', (route) => route.fulfill({ contentType: 'application/json', body: stranger }), /cannot use .*holds cluster file \d+, not cluster file \d+/],
  ]) {
    const log = await open(env, article.url, { routes: [[`**/alike/${lost}`, handle]] });
    const state = await settle(log.page);
    assert.ok((await box(log.page))?.links.length > 0, `${way}: no box`);
    assert.equal(state.renders.length, 1, way);
    assert.deepEqual(state.errors, [], way);
    assertOneWarning(log, state, new RegExp(`could not load 1 file\\(s\\) of the index .*${message.source}`));
    await log.page.close();
  }
});

test('a page that reads one cluster and loses it: a box from the cluster it held back, one warning', async () => {
  // Where one cluster is far the nearest, a query reads it alone; its box,
  // left empty by the lost file, reads the next cluster after all.
  let article;
  let needed = [];
  for (const candidate of SAMPLED) {
    const first = await open(env, candidate.url);
    await settle(first.page);
    needed = fileRequests(first.requests);
    await first.page.close();
    article = candidate;
    if (needed.filter((path) => path.startsWith('c/')).length === 1) break;
  }
  const read = needed.filter((path) => path.startsWith('c/'));
  assert.equal(read.length, 1, `no sampled page reads one cluster: ${needed}`);
  const log = await open(env, article.url, { routes: [[`**/alike/${read[0]}`, (route) => route.fulfill({ status: 404, body: 'Not found' })]] });
  const state = await settle(log.page);
  assert.ok((await box(log.page))?.links.length > 0, 'no box');
  assert.equal(state.renders.length, 1);
  assert.deepEqual(state.errors, []);
  assertOneWarning(log, state, /could not load 1 file\(s\) of the index .*the server answered 404/);
  const asked = fileRequests(log.requests).filter((path) => path.startsWith('c/'));
  assert.equal(asked.filter((path) => path === read[0]).length, 1, `the lost file asked for again: ${asked}`);
  assert.ok(asked.length >= 2, `no cluster read after the lost one: ${asked}`);
  await log.page.close();
});

test('no cluster file to be had: no box, one warning, page unchanged', async () => {
  const log = await open(env, SAMPLED[2].url, { routes: [[FILES, (route) => route.fulfill({ status: 404, body: 'Not found' })]] });
  const state = await settle(log.page);
  await assertNoBox(log, state, { reason: 'index', message: /could not load \d+ file\(s\) of the index .*the server answered 404; deploy the whole index folder, its manifest last\)/ });
  await log.page.close();
});

/** A manifest as the retired term-shard layout wrote it: the header of an index of format version 1, with `shards`. */
const termShardManifest = () => {
  const engine = JSON.parse(readFileSync(join(site, 'alike', JSON.parse(readFileSync(manifest, 'utf8')).engine), 'utf8'));
  const { language, stop_words, scoring } = engine;
  const lists = { length: 10, shard_bits: 2, versions: 'BBBB', scores: 'cosine' };
  return JSON.stringify({ format: 'alike-index', version: 1, language, stop_words, scoring, shards: { generation: 7, article_shard_size: 4, article_versions: 'A', term_shard_bits: 2, term_versions: 'BBBB', head: { count: 0, hashes: '', df: '' }, lists } });
};

for (const c of [
  {
    name: 'a manifest of another format version',
    body: () => JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), version: 99 }),
    message: /cannot use the index .*format version 99 but this alike reads version/,
  },
  {
    name: 'a manifest that is not JSON',
    body: () => readFileSync(manifest, 'utf8').slice(0, 200),
    message: /cannot load the index .*index\.json: .*JSON.*; check data-index, or rebuild it with `alike index`/,
  },
  {
    name: 'a manifest of the retired term-shard layout',
    body: termShardManifest,
    message: /cannot use the index .*index\.json: this index was written by an earlier alike \(format version 1\); rebuild it with `alike index`/,
  },
]) {
  test(`${c.name}: no box, one warning, page unchanged, no index file fetched`, async () => {
    const log = await open(env, SAMPLED[1].url, { routes: [['**/alike/index.json', (route) => route.fulfill({ contentType: 'application/json', body: c.body() })]] });
    const state = await settle(log.page);
    await assertNoBox(log, state, { reason: 'index', message: c.message });
    assert.deepEqual(fileRequests(log.requests), []);
    assert.ok(!log.requests.some((u) => /\/alike\/[tal]\//.test(new URL(u).pathname)), 'a term, article or list shard was fetched');
    await log.page.close();
  });
}
