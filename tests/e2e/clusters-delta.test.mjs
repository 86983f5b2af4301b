// Incremental builds of the cluster layout on the demo: the sample less
// 4% built in clusters of about 40, then 2% more, then all of it into the
// same folder: each keeps the first build's cluster files and files its new
// articles in a segment of its own (delta and recent-list files), keeping
// the older segment's. A page not in the index whose text is a new
// article's is ranked by the engine in the browser as `alike query` ranks
// it, from the engine file, its two clusters and their group's delta files
// in both segments, and finds the new article; an old page whose list both
// segments patched shows the newest patch.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { box, CLI, cliQuery, open, paths, ROOT, SAMPLE, settle, start } from './helpers.mjs';
import { listFile, listOf, mayHold, urlKey } from '../../www/lib/lists.js';

let env;
let dir;
let site;
let manifestPath;
let manifest;
/** The articles the first build left out: the incremental builds' new ones, the first's and the second's. */
let held;
let firstDay;
let secondDay;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alike-e2e-delta-'));
  site = join(dir, 'site');
  execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--layout', 'clusters', '--cluster-size', '40', '--out', site], { stdio: 'pipe' });
  // The index again, as the demo's build makes it (sections, dates,
  // pictures), first without every hundredth article, then with it.
  const articles = readFileSync(SAMPLE, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  for (const a of articles) {
    a.section ||= a.url.split('/').filter(Boolean)[0];
    a.date ||= '2005-01-01';
    a.image = `/img/${a.section}.svg`;
  }
  firstDay = articles.filter((_, i) => i % 50 === 20);
  secondDay = articles.filter((_, i) => i % 50 === 45);
  held = [...firstDay, ...secondDay];
  manifestPath = join(site, 'alike/index.json');
  const build = (records) => {
    const input = join(dir, 'articles.jsonl');
    writeFileSync(input, records.map((a) => JSON.stringify(a)).join('\n') + '\n');
    const flags = ['--snippet-chars', '160', '--layout', 'clusters', '--cluster-size', '40', '--no-widget'];
    const out = execFileSync(CLI, ['index', input, '--out', manifestPath, ...flags], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    chmodSync(manifestPath, 0o644);
    return out;
  };
  build(articles.filter((a) => !held.includes(a)));
  build(articles.filter((a) => !secondDay.includes(a)));
  build(articles);
  manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  env = await start({ root: site });
});
after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const API_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>API</title><link rel="icon" href="/favicon.svg"></head>
<body><main><h1>A page of the site's own making</h1></main></body></html>`;
const withApiPage = () => ({ routes: [['**/e2e/api.html', (route) => route.fulfill({ contentType: 'text/html', body: API_PAGE })]] });
const indexRequests = (urls) => urls.map((u) => new URL(u).pathname).filter((p) => p.startsWith('/alike/') && !p.startsWith('/alike/pkg/') && p !== '/alike/alike.js').map((p) => p.slice('/alike/'.length));

test('the incremental builds kept the base, its engine file too, and wrote a segment each', () => {
  assert.equal(manifest.base.articles + held.length, manifest.articles);
  assert.equal(manifest.engine, `e-${manifest.base.generation.toString(16)}.json`);
  const engine = JSON.parse(readFileSync(join(site, 'alike', manifest.engine), 'utf8'));
  assert.equal(engine.generation, manifest.base.generation);
  assert.equal(engine.delta, undefined);
  assert.equal(typeof manifest.delta?.sizes, 'string');
  assert.equal(manifest.delta.newer.length, 1, 'two segments');
  assert.deepEqual(manifest.lists.recent.newer, manifest.delta.newer);
});

test("a page with a new article's words: the engine reads its clusters' delta file and finds the article, as `alike query` does", async () => {
  // The words in reverse order: the same terms, but not a copy (copies are never shown).
  const probes = held.map((a, i) => ({ url: `/fresh/delta-${i}.html`, title: a.title, body: a.body.split(' ').reverse().join(' ') }));
  const expected = cliQuery(probes, { index: manifestPath });
  const titleOf = new Map(readFileSync(SAMPLE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).map((a) => [a.url, a.title]));
  for (const [i, probe] of probes.entries()) {
    const log = await open(env, '/e2e/api.html', withApiPage());
    const answer = await log.page.evaluate(async ({ url, title, body }) => {
      const alike = await import('/alike/alike.js');
      return (await alike.recommend({ url, title, body }, { index: '/alike/index.json' })).map((r) => new URL(r.url).pathname);
    }, probe);
    const fetched = indexRequests(log.requests);
    const deltas = fetched.filter((p) => p.startsWith('d/'));
    // One or two clusters (`NEXT_CLUSTER_AT`), and their groups in each of
    // the two segments, those with articles.
    assert.equal(deltas.length >= 1 && deltas.length <= 4, true, `${probe.url}: ${fetched}`);
    for (const path of deltas) assert.ok(existsSync(join(site, 'alike', path)), `${path} is no file of the index`);
    const clusters = fetched.filter((p) => p.startsWith('c/')).length;
    assert.ok(clusters === 1 || clusters === 2, `${probe.url}: ${fetched}`);
    assert.deepEqual(answer, expected.get(probe.url), probe.url);
    // The article, or a copy of it that the sample holds (a story shows one of its copies).
    assert.equal(titleOf.get(answer[0]), held[i].title, `${probe.url}: ${answer}`);
    assert.deepEqual(log.console, [], `${probe.url}: console messages`);
    await log.page.close();
  }
});

test("a new article's page and an old page patched in both segments: the box is its recent list or the newest patch applied, fetched beside the list file; no engine", async () => {
  const read = (path) => JSON.parse(readFileSync(join(site, 'alike', path), 'utf8'));
  // Newest first, as listFile names them.
  const storedOf = (key) => {
    const where = listFile(manifest, key);
    const recent = where.recent.map((r) => read(r.path));
    return { where, recent, list: listOf(where, key, read(where.path), recent) };
  };
  const newUrls = held.map((a) => a.url);
  // An old page that each day's articles entered: both segments' recent files hold a patch for it, and the box is the newer one's.
  const old = readFileSync(SAMPLE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).url).find((url) => {
    if (newUrls.includes(url)) return false;
    const key = urlKey(url, 'https://example.com/');
    const { recent, list } = storedOf(key);
    return recent.length === 2 && recent.every((r) => r.patches?.[key]) && list.slice(0, 5).some((r) => newUrls.includes(r.url));
  });
  assert.ok(old, 'no old page was patched in both segments with a new article in its first five');
  const [newer, older] = storedOf(old).recent.map((r) => r.patches[old]);
  assert.notDeepEqual(newer, older, `${old}: the two segments' patches are the same`);
  assert.ok(newer.some((step) => Number.isInteger(step)) && newer.filter((step) => typeof step === 'object').length < 5, `${old}: not a patch: ${JSON.stringify(newer)}`);
  const newest = secondDay[0].url;
  assert.ok(storedOf(newest).recent[0].pages[newest], "the newest article's own list is not in the newest recent file");
  for (const url of [newest, old]) {
    const log = await open(env, url);
    const state = await settle(log.page);
    const shown = await box(log.page);
    assert.ok(shown, `${url}: no box`);
    const { where, list } = storedOf(urlKey(url, 'https://example.com/'));
    assert.deepEqual(paths(shown.links), list.slice(0, 5).map((r) => r.url), `${url}: not its recent list`);
    assert.deepEqual(indexRequests(log.requests).sort(), ['index.json', where.path, ...where.recent.map((r) => r.path)].sort(), `${url}: index files fetched`);
    assert.ok(!log.requests.some((u) => /\/pkg\//.test(u)), `${url}: the engine was loaded`);
    assert.deepEqual(state.problems, []);
    assert.deepEqual(log.console, [], `${url}: console messages`);
    await log.page.close();
  }
});

test("an old page that no recent set holds: each set's filter refuses it, and its box is its list file's alone, one index file beside the manifest", async () => {
  const read = (path) => JSON.parse(readFileSync(join(site, 'alike', path), 'utf8'));
  const recent = manifest.lists.recent;
  const sets = [recent.generation, ...recent.newer];
  assert.equal(recent.members?.length, sets.length, 'a small rebuild\'s sets each have a filter');
  // The pages each set's files hold, and the filter holds each.
  const bits = recent.bucket_bits;
  const held = new Set();
  for (const [i, generation] of sets.entries()) {
    for (let bucket = 0; bucket < 1 << bits; bucket++) {
      const file = read(`r/${bucket.toString(16)}-${generation.toString(16)}.json`);
      for (const key of [...Object.keys(file.pages), ...Object.keys(file.patches || {})]) {
        assert.ok(mayHold(recent.members[i], key), `${key}: set ${i} holds it, its filter refuses it`);
        held.add(key);
      }
    }
  }
  const urls = readFileSync(SAMPLE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).url);
  const spared = urls.filter((url) => {
    const key = urlKey(url, 'https://example.com/');
    return !held.has(key) && listFile(manifest, key).recent.length === 0;
  });
  const others = urls.filter((url) => !held.has(urlKey(url, 'https://example.com/')));
  assert.ok(spared.length >= others.length * 0.8, `${spared.length} of ${others.length} pages no set holds look in no recent file`);
  for (const url of spared.slice(0, 3)) {
    const log = await open(env, url);
    const state = await settle(log.page);
    const shown = await box(log.page);
    assert.ok(shown, `${url}: no box`);
    const key = urlKey(url, 'https://example.com/');
    const where = listFile(manifest, key);
    assert.deepEqual(paths(shown.links), listOf(where, key, read(where.path), []).slice(0, 5).map((r) => r.url), `${url}: not its list`);
    assert.deepEqual(indexRequests(log.requests).sort(), ['index.json', where.path].sort(), `${url}: index files fetched`);
    assert.ok(!log.requests.some((u) => /\/pkg\//.test(u)), `${url}: the engine was loaded`);
    assert.deepEqual(state.problems, []);
    assert.deepEqual(log.console, [], `${url}: console messages`);
    await log.page.close();
  }
});
