// The cluster layout (`alike index --layout clusters`, format version 2) on
// the demo, built in clusters of about 40 articles (9 clusters) so that a
// query reads 2 of several: an indexed page's box comes from its list file
// alone (no engine); an article not in the index is ranked by the engine
// from the engine file and exactly the cluster files it routes to, as
// `alike query` ranks it; a cluster file that cannot be had leaves a box from
// the other and one warning naming it; an engine file of format version 1
// gets the rebuild hint; a deploy caught halfway (a new manifest before its
// files, the old manifest after a rebuild) mixes no files of two builds; a
// two-level table reads its cells, then its cluster; the demo as
// `npm run demo:build` builds it by default (clusters, `--layout auto`)
// gives an indexed page its first box in at most 20 KB and 3 files.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { gzipSync } from 'node:zlib';

import { box, byUrl, CLI, cliQuery, DEFAULT_SITE, engineRan, open, paths, ROOT, SAMPLE, SAMPLED, settle, start } from './helpers.mjs';
import { listFile, urlKey } from '../../www/lib/lists.js';

let env;
let dir;
let site;
let manifestPath;
let manifest;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alike-e2e-clusters-'));
  site = join(dir, 'site');
  execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--layout', 'clusters', '--cluster-size', '40', '--out', site], { stdio: 'pipe' });
  manifestPath = join(site, 'alike/index.json');
  manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  env = await start({ root: site });
});
after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The index's requests among `urls`, as paths relative to the manifest, in order. */
const indexRequests = (urls) => urls.map((u) => new URL(u).pathname).filter((p) => p.startsWith('/alike/') && !p.startsWith('/alike/pkg/') && p !== '/alike/alike.js' && p !== '/alike/engine-path.js').map((p) => p.slice('/alike/'.length));
const clusterFiles = () => readdirSync(join(site, 'alike/c')).map((f) => `c/${f}`);

const API_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>API</title><link rel="icon" href="/favicon.svg"></head>
<body><main><h1>A page of the site's own making</h1></main></body></html>`;
const withApiPage = (routes = []) => ({ routes: [['**/e2e/api.html', (route) => route.fulfill({ contentType: 'text/html', body: API_PAGE })], ...routes] });

/** Articles the index does not hold: sample articles under new URLs. */
const FRESH = SAMPLED.slice(0, 6).map((a, i) => ({ url: `/fresh/${i}.html`, title: a.title, body: a.body }));

/** Asks the API for the related articles of `articles`, one at a time: `[{paths} | {error}]`. */
const ask = (log, articles) =>
  log.page.evaluate(async (articles) => {
    const alike = await import('/alike/alike.js');
    const out = [];
    for (const { url, title, body } of articles) {
      try {
        out.push({ paths: (await alike.recommend({ url, title, body }, { index: '/alike/index.json' })).map((r) => new URL(r.url).pathname) });
      } catch (error) {
        out.push({ error: error.message, reason: error.reason });
      }
    }
    return out;
  }, articles);

test('the demo is the cluster layout, in 9 clusters', () => {
  assert.equal(manifest.version, 2);
  assert.equal(manifest.layout, 'clusters');
  assert.equal(clusterFiles().length, 9);
});

test(`${SAMPLED.length} indexed pages: the box is the page's stored list, from the manifest and one list file; no engine`, async () => {
  for (const article of SAMPLED) {
    const log = await open(env, article.url);
    const state = await settle(log.page);
    const shown = await box(log.page);
    assert.ok(shown, `${article.url}: no box`);
    const key = urlKey(article.url, 'https://example.com/');
    const where = listFile(manifest, key);
    const stored = JSON.parse(readFileSync(join(site, 'alike', where.path), 'utf8')).pages[key];
    assert.deepEqual(paths(shown.links), stored.slice(0, 5).map((r) => r.url), `${article.url}: not its stored list`);
    assert.deepEqual(indexRequests(log.requests), ['index.json', where.path], `${article.url}: index files fetched`);
    assert.ok(!log.requests.some((u) => /\/pkg\//.test(u)), `${article.url}: the engine was loaded`);
    assert.deepEqual(log.console, [], `${article.url}: console messages`);
    assert.deepEqual(state.problems, []);
    await log.page.close();
  }
});

test('articles not in the index: ranked as `alike query` ranks them, from the engine file and one or two cluster files each', async () => {
  const answers = [];
  let refused = 0;
  // A page each: an engine keeps the clusters it loaded for the next query.
  for (const article of FRESH) {
    const log = await open(env, '/e2e/api.html', withApiPage());
    const [answer] = await ask(log, [article]);
    answers.push(answer);
    const fetched = indexRequests(log.requests);
    // The demo's manifest lists the pages it holds (`lists.members`): a page
    // it refuses looks in no list file; one it lets by (about 2%) looks in
    // vain, as every page did before.
    const where = listFile(manifest, urlKey(article.url, 'https://example.com/'));
    if (!where) refused++;
    // The manifest, the page's list file if it looked, the engine file and
    // the cluster nearest to the article, with the next where it is nearly
    // as near (`NEXT_CLUSTER_AT`).
    const clusters = fetched.filter((p) => p.startsWith('c/'));
    assert.deepEqual(fetched.filter((p) => !p.startsWith('c/')).sort(), ['index.json', manifest.engine, ...(where ? [where.path] : [])].sort(), `${article.url}: ${fetched}`);
    assert.ok(clusters.length === 1 || clusters.length === 2, `${article.url}: ${fetched}`);
    assert.equal(new Set(clusters).size, clusters.length, `${article.url}: a cluster file fetched twice`);
    for (const path of clusters) assert.ok(clusterFiles().includes(path), `${path} is no cluster file`);
    assert.deepEqual(log.console, [], `${article.url}: console messages`);
    await log.page.close();
  }
  const expected = cliQuery(FRESH, { index: manifestPath });
  assert.deepEqual(answers, FRESH.map((a) => ({ paths: expected.get(a.url) })));
  assert.ok(manifest.lists.members, 'the demo has no filter of its pages');
  assert.ok(refused >= FRESH.length - 1, `the filter refused ${refused} of ${FRESH.length} pages not in the index`);
});

test('a page not in the index: its engine file is fetched while the page is read, not after (one round trip less)', async () => {
  const article = SAMPLED[2];
  // The wasm held back 1.5 s: the page's reading waits for it; the engine
  // file, asked for with the reading (www/engine.js), does not.
  // In the order the browser reported them.
  const at = {};
  let seen = 0;
  const log = await open(env, article.url, {
    // Under a URL the index does not hold: the list misses, the engine runs.
    html: (h) => h.replaceAll(`"${article.url}"`, '"/fresh/read.html"'),
    routes: [['**/alike/pkg/alike_bg.wasm', async (route) => setTimeout(() => route.continue().catch(() => {}), 1500)]],
    before: (page) => {
      page.on('request', (r) => r.url().endsWith(`/alike/${manifest.engine}`) && (at.engineFile ??= ++seen));
      page.on('requestfinished', (r) => r.url().endsWith('/alike_bg.wasm') && (at.wasm ??= ++seen));
    },
  });
  await settle(log.page);
  assert.ok(await box(log.page), 'no box');
  assert.ok(at.engineFile && at.wasm, JSON.stringify(at));
  assert.ok(at.engineFile < at.wasm, 'the engine file was asked for only after the wasm arrived');
  assert.deepEqual(log.console, []);
  await log.page.close();
});

test("a page not in the index: the engine's worker, its wasm and the engine file are all asked for at once, each once (one round trip)", async () => {
  const article = SAMPLED[4];
  const asked = [];
  let glueDone = false;
  const early = {};
  let release;
  const released = new Promise((go) => (release = go));
  const log = await open(env, article.url, {
    html: (h) => h.replaceAll(`"${article.url}"`, '"/fresh/at-once.html"'),
    // The worker's script (the glue) is held until the shim's other files
    // are asked for, or engine-path.js has arrived: were the wasm and the
    // engine file the worker's to fetch, they would be asked for only after it.
    routes: [['**/alike/pkg/alike.js', async (route) => (await released, route.continue().catch(() => {}))]],
    before: (page) => {
      page.on('request', (r) => {
        const path = new URL(r.url()).pathname;
        asked.push(path);
        if (!glueDone && (path.endsWith('/alike_bg.wasm') || path === `/alike/${manifest.engine}`)) early[path] = true;
        if (Object.keys(early).length === 2) release();
      });
      page.on('requestfinished', (r) => {
        if (r.url().endsWith('/engine-path.js')) release();
        if (r.url().endsWith('/alike/pkg/alike.js')) glueDone = true;
      });
    },
  });
  await settle(log.page);
  assert.ok(await box(log.page), 'no box');
  assert.deepEqual(Object.keys(early).sort(), ['/alike/pkg/alike_bg.wasm', `/alike/${manifest.engine}`].sort(), `asked for before the worker's script arrived: ${asked}`);
  for (const path of ['/alike/pkg/alike_bg.wasm', `/alike/${manifest.engine}`, '/alike/pkg/alike.js']) assert.equal(asked.filter((p) => p === path).length, 1, `${path} asked for once: ${asked}`);
  assert.deepEqual(log.console, []);
  await log.page.close();
});

test('a page dated after the newest article the index holds: no list file looked in, the engine ranks it as `alike query` does', async () => {
  assert.match(manifest.lists.newest, /^\d{4}-\d\d-\d\d$/);
  const article = SAMPLED[5];
  const day = byUrl.get(article.url).date.slice(0, 10);
  const log = await open(env, article.url, {
    html: (h) => h.replaceAll(`"${article.url}"`, '"/fresh/later.html"').replaceAll(day, '2099-01-01'),
  });
  await later(log, article);
});

test('the same, dated by microdata only (no JSON-LD date, no article:published_time) after a marked element that holds no date, as the CLI reads it', async () => {
  const article = SAMPLED[6];
  const day = byUrl.get(article.url).date.slice(0, 10);
  const log = await open(env, article.url, {
    html: (h) => {
      const out = h
        .replaceAll(`"${article.url}"`, '"/fresh/later.html"')
        .replace(/"datePublished":\s*"[^"]*",?/, '')
        .replace(/<meta property="article:published_time"[^>]*>/, '')
        // A theme's label marked `published` comes first: the date is the next mark's.
        .replace(`<time datetime="${day}">`, '<span class="published">Published</span> <time itemprop="datePublished" datetime="2099-01-01">');
      assert.ok(out.includes('itemprop="datePublished"') && !out.includes('article:published_time'), 'the page was not rewritten as meant');
      return out;
    },
  });
  await later(log, article);
});

test('an index whose dates name instants: a page published later the same day looks in no list file; one published earlier does', async () => {
  // The demo's dates are days: its manifest as a build of dated-and-timed articles writes it.
  const newest = manifest.lists.newest;
  const routes = [['**/alike/index.json', async (route) => {
    const response = await route.fetch();
    const served = await response.json();
    served.lists.newest_time = `${newest}T12:00:00Z`;
    await route.fulfill({ response, body: JSON.stringify(served) });
  }]];
  const at = async (article, url, time) => {
    const day = byUrl.get(article.url).date.slice(0, 10);
    const log = await open(env, article.url, { routes, html: (h) => h.replaceAll(`"${article.url}"`, `"${url}"`).replace(new RegExp(`${day}(T[\\d:+-]+)?`, 'g'), `${newest}T${time}`) });
    await settle(log.page);
    assert.ok(await box(log.page), 'no box');
    assert.deepEqual(log.console, []);
    await log.page.close();
    return { lists: indexRequests(log.requests).filter((p) => p.startsWith('l/')), engine: engineRan(log) };
  };
  // 14:30 at +02:00 is 12:30 UTC: after the newest.
  const fresh = await at(SAMPLED[7], '/fresh/same-day.html', '14:30:00+02:00');
  assert.deepEqual(fresh.lists, [], 'a list file was looked in');
  assert.ok(fresh.engine);
  // 13:00 at +02:00 is 11:00 UTC: the index may hold it, and does.
  const indexed = await at(SAMPLED[8], SAMPLED[8].url, '13:00:00+02:00');
  assert.equal(indexed.lists.length, 1, `its list file: ${indexed.lists}`);
  assert.ok(!indexed.engine, 'the engine ran for a page its list answers');
});

/** The box of `article`'s page under /fresh/later.html, dated 2099-01-01: the engine's, no list file looked in. */
async function later(log, article) {
  await settle(log.page);
  const shown = await box(log.page);
  assert.ok(shown, 'no box');
  const fetched = indexRequests(log.requests);
  assert.deepEqual(fetched.filter((p) => p.startsWith('l/')), [], `a list file was looked in: ${fetched}`);
  assert.ok(engineRan(log));
  const expected = cliQuery([{ ...byUrl.get(article.url), url: '/fresh/later.html', date: '2099-01-01' }], { index: manifestPath });
  assert.deepEqual(paths(shown.links), expected.get('/fresh/later.html'));
  assert.deepEqual(log.console, []);
  await log.page.close();
}

test('a cluster file that cannot be had: a box from the other, and one warning naming the file', async () => {
  const article = FRESH[0];
  // Which clusters the query reads: ask once, then lose the first of them.
  const probe = await open(env, '/e2e/api.html', withApiPage());
  await ask(probe, [article]);
  const lost = indexRequests(probe.requests).find((p) => p.startsWith('c/'));
  await probe.page.close();

  const log = await open(env, '/e2e/api.html', withApiPage([[`**/alike/${lost}`, (route) => route.fulfill({ status: 404, body: 'gone' })]]));
  const [answer] = await ask(log, [article]);
  assert.ok(answer.paths?.length > 0, JSON.stringify(answer));
  const warnings = log.console.filter((m) => m.text.includes('[alike]'));
  assert.equal(warnings.length, 1, warnings.map((w) => w.text).join('\n'));
  assert.match(warnings[0].text, new RegExp(`could not load 1 file\\(s\\).*${lost.replace(/[.]/g, '\\.')}.*404`));
  await log.page.close();
});

test('an engine file of an earlier alike (format version 3, before centroid weights had 16 levels): no answer, and the rebuild hint', async () => {
  const engineFile = readFileSync(join(site, 'alike', manifest.engine), 'utf8').replace('"version":4', '"version":3');
  const log = await open(env, '/e2e/api.html', withApiPage([[`**/alike/${manifest.engine}`, (route) => route.fulfill({ contentType: 'application/json', body: engineFile })]]));
  const [answer] = await ask(log, [FRESH[1]]);
  assert.equal(answer.reason, 'index', JSON.stringify(answer));
  assert.match(answer.error, /earlier alike \(format version 3\); rebuild it with `alike index`/);
  assert.deepEqual(log.pageErrors, []);
  await log.page.close();
});

// A deploy caught halfway. The CLI writes every file before the manifest
// and names every file by its build's generation, so a host that uploads in
// that order never shows a reader these; these cover hosts that do not.

test('a deploy caught halfway: a new manifest before its files: one warning naming the missing file, nothing thrown', async () => {
  const next = manifest.generation + 1;
  const ahead = { ...manifest, generation: next, engine: `e-${next.toString(16)}.json` };
  const log = await open(env, '/e2e/api.html', withApiPage([['**/alike/index.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(ahead) })]]));
  const [answer] = await ask(log, [FRESH[2]]);
  assert.equal(answer.reason, 'index', JSON.stringify(answer));
  assert.match(answer.error, new RegExp(ahead.engine.replace(/[.]/g, '\\.')));
  // The manifest loaded: the data-index it came from is right, the deploy is not.
  assert.match(answer.error, /deploy the whole index folder, its manifest last/);
  assert.doesNotMatch(answer.error, /check data-index/);
  assert.ok(indexRequests(log.requests).includes(ahead.engine), 'the new engine file was asked for');
  assert.ok(!indexRequests(log.requests).includes(manifest.engine), 'a file of the old build was mixed in');
  assert.deepEqual(log.pageErrors, []);
  await log.page.close();

  // An indexed page: its list file of the new build is not there either.
  const article = SAMPLED[0];
  const page = await open(env, article.url, { routes: [['**/alike/index.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(ahead) })]] });
  const state = await settle(page.page);
  assert.equal(await box(page.page), null, 'a box from files of two builds');
  const warnings = page.console.filter((m) => m.text.includes('[alike]'));
  assert.equal(warnings.length, 1, warnings.map((w) => w.text).join('\n'));
  assert.match(warnings[0].text, new RegExp(`l/[0-9a-f]+-${next.toString(16)}\\.json`));
  assert.match(warnings[0].text, /deploy the whole index folder, its manifest last/);
  assert.deepEqual(page.pageErrors, []);
  assert.deepEqual(state.problems, []);
  await page.page.close();
});

test('a deploy caught halfway: the old manifest after a rebuild: the old box while the old files are there, one warning once they are gone', async () => {
  const before = readFileSync(manifestPath, 'utf8');
  const expected = cliQuery([FRESH[3]], { index: manifestPath });
  // A rebuild into the same folder (other clusters, so another generation).
  execFileSync(CLI, ['index', SAMPLE, '--out', manifestPath, '--layout', 'clusters', '--cluster-size', '30', '--quiet', '--no-widget']);
  const rebuilt = JSON.parse(readFileSync(manifestPath, 'utf8'));
  try {
    assert.notEqual(rebuilt.generation, manifest.generation);
    const old = (route) => route.fulfill({ contentType: 'application/json', body: before });
    const log = await open(env, '/e2e/api.html', withApiPage([['**/alike/index.json', old]]));
    const [answer] = await ask(log, [FRESH[3]]);
    assert.deepEqual(answer, { paths: expected.get(FRESH[3].url) });
    const fetched = indexRequests(log.requests);
    const generation = manifest.generation.toString(16);
    assert.ok(fetched.filter((p) => p !== 'index.json').every((p) => p.endsWith(`-${generation}.json`)), `files of two builds: ${fetched}`);
    assert.deepEqual(log.console, []);
    await log.page.close();

    // The old files removed (as the build after the next does): the warning names one.
    const gone = (route) => route.fulfill({ status: 404, body: 'gone' });
    const removed = await open(env, '/e2e/api.html', withApiPage([['**/alike/index.json', old], [`**/alike/**-${generation}.json`, gone]]));
    const [lost] = await ask(removed, [FRESH[3]]);
    assert.equal(lost.reason, 'index', JSON.stringify(lost));
    assert.match(lost.error, new RegExp(`-${generation}\\.json`));
    assert.deepEqual(removed.pageErrors, []);
    await removed.page.close();
  } finally {
    writeFileSync(manifestPath, before);
    chmodSync(manifestPath, 0o644);
  }
});

test('a two-level table (the demo in 4 cells): the engine reads 3 cell files (CELLS_READ), then 1 or 2 clusters, and ranks as `alike query`', async () => {
  const twoLevel = join(dir, 'two-level');
  execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--layout', 'clusters', '--cluster-size', '20', '--cells', '4', '--related-lists', '0', '--out', twoLevel], { stdio: 'pipe' });
  const index = join(twoLevel, 'alike/index.json');
  const local = await start({ root: twoLevel });
  try {
    const answers = [];
    for (const article of FRESH.slice(0, 3)) {
      const log = await open(local, '/e2e/api.html', withApiPage());
      const [answer] = await ask(log, [article]);
      answers.push(answer);
      const fetched = indexRequests(log.requests);
      assert.equal(fetched.filter((p) => p.startsWith('k/')).length, 3, `${article.url}: ${fetched}`);
      // The nearest, and the next where it is nearly as near or the box came out short (`NEXT_CLUSTER_AT`).
      const clusters = fetched.filter((p) => p.startsWith('c/')).length;
      assert.ok(clusters === 1 || clusters === 2, `${article.url}: ${fetched}`);
      assert.equal(fetched.length, 2 + 3 + clusters, `${article.url}: ${fetched}`);
      assert.deepEqual(log.console, [], `${article.url}: console messages`);
      await log.page.close();
    }
    const expected = cliQuery(FRESH.slice(0, 3), { index });
    assert.deepEqual(answers, FRESH.slice(0, 3).map((a) => ({ paths: expected.get(a.url) })));
  } finally {
    await local.close();
  }
});

test("the default demo (alike index's --layout auto): an indexed page's first box is at most 20 KB in 3 files; a page not in the index is ranked as `alike query` ranks it", async () => {
  const index = join(DEFAULT_SITE, 'alike/index.json');
  const defaults = JSON.parse(readFileSync(index, 'utf8'));
  assert.equal(defaults.layout, 'clusters', 'npm run demo:build gives the cluster layout by default');
  const local = await start({ root: DEFAULT_SITE });
  try {
    const gzipped = (path) => gzipSync(readFileSync(join(DEFAULT_SITE, path)), { level: 9 }).length;
    const sizes = [];
    for (const article of SAMPLED) {
      const log = await open(local, article.url);
      await settle(log.page);
      assert.ok(await box(log.page), `${article.url}: no box`);
      // Requests, as the bench counts them (bench/lib/pages.mjs): three
      // files, and the shim's once more for the worker that warms the dates
      // (www/alike.js, warmDates; the browser's cache has it, or revalidates
      // it), which downloads nothing again. It starts after the list is
      // read, but the browser reports a worker's request through the
      // worker's own target, in no fixed order with the page's (a loaded
      // machine reported it before the list's): the files are compared,
      // not their order.
      const own = log.requests.map((u) => new URL(u).pathname).filter((p) => p.startsWith('/alike/'));
      const list = listFile(defaults, urlKey(article.url, 'https://example.com/')).path;
      assert.deepEqual(own.slice(0, 2), ['/alike/alike.js', '/alike/index.json'], `${article.url}: alike's first requests`);
      assert.deepEqual(own.toSorted(), ['/alike/alike.js', '/alike/index.json', `/alike/${list}`, '/alike/alike.js'].sort(), `${article.url}: alike's requests`);
      sizes.push([...new Set(own)].reduce((sum, p) => sum + gzipped(p), 0));
      assert.deepEqual(log.console, [], `${article.url}: console messages`);
      await log.page.close();
    }
    sizes.sort((a, b) => a - b);
    const median = sizes[Math.floor(sizes.length / 2)];
    assert.ok(median <= 20_000, `the median first box is ${median} B gzipped`);
    const log = await open(local, '/e2e/api.html', withApiPage());
    const answers = await ask(log, FRESH.slice(0, 2));
    await log.page.close();
    const expected = cliQuery(FRESH.slice(0, 2), { index });
    assert.deepEqual(answers, FRESH.slice(0, 2).map((a) => ({ paths: expected.get(a.url) })));
  } finally {
    await local.close();
  }
});
