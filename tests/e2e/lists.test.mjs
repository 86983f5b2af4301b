// Related lists (`alike index --related-lists`, on by default in the
// cluster layout): an indexed article's page fetches the manifest and one
// list file and shows what `alike query` gives, without loading the engine;
// a page the index does not hold, a box with ranking options, or a list
// file that cannot be had go to the engine; hostile list content stays text.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { assertOneWarning, box, cliQuery, frames, open, paths, ROOT, SAMPLED, SCRIPT_TAG, scriptTag, settle, start, TIMEOUT } from './helpers.mjs';

let env;
let dir;
let site;
let manifest;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alike-e2e-lists-'));
  site = join(dir, 'site');
  execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--layout', 'clusters', '--cluster-size', '40', '--out', site], { stdio: 'pipe' });
  manifest = join(site, 'alike/index.json');
  env = await start({ root: site });
});
after(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The top `k` of each related list the index stores, by URL key (the sample's URLs are their own keys), with scores. */
const storedLists = (k = 5) => {
  const lists = new Map();
  for (const f of readdirSync(join(site, 'alike/l'))) {
    for (const [key, list] of Object.entries(JSON.parse(readFileSync(join(site, 'alike/l', f), 'utf8')).pages)) lists.set(key, list.slice(0, k));
  }
  return lists;
};
const stored = () => new Map([...storedLists()].map(([key, list]) => [key, list.map((r) => r.url)]));
const pathsOf = (log) => log.requests.map((u) => new URL(u).pathname);
const ENGINE = ['/alike/pkg/alike.js', '/alike/pkg/alike_bg.wasm'];
const listRequests = (log) => pathsOf(log).filter((p) => p.startsWith('/alike/l/'));
const usedEngine = (log) => ENGINE.every((p) => pathsOf(log).includes(p));
const touchedEngine = (log) => pathsOf(log).some((p) => ENGINE.includes(p) || /^\/alike\/(e-|[ckd]\/)/.test(p));
/** The page as if published after the last build: the same text under a URL the index does not hold. */
const fresh = (html) => html.replaceAll(/(href|content)="(\/[a-z]+\/\d+\.html)"/g, '$1="/fresh$2"').replaceAll(/"url": ?"(\/[a-z]+\/\d+\.html)"/g, '"url":"/fresh$1"');

test(`${SAMPLED.length} indexed pages: one list file, no engine, and the box is the stored list`, async () => {
  const lists = JSON.parse(readFileSync(manifest, 'utf8')).lists;
  assert.equal(lists?.length, 10, 'the demo manifest has no related lists');
  const files = readdirSync(join(site, 'alike/l')).map((f) => `/alike/l/${f}`);
  const expected = stored();
  for (const article of SAMPLED) {
    const log = await open(env, article.url);
    const state = await settle(log.page);
    const shown = await box(log.page);
    assert.ok(shown, `${article.url}: no box`);
    assert.deepEqual(paths(shown.links), expected.get(article.url), `${article.url}: the box differs from the stored list`);
    const fetched = listRequests(log);
    assert.equal(fetched.length, 1, `${article.url}: ${fetched.length} list files fetched`);
    assert.ok(files.includes(fetched[0]), `${fetched[0]} is no list file`);
    assert.equal(touchedEngine(log), false, `${article.url}: the engine or its files were loaded: ${pathsOf(log).join(' ')}`);
    assert.deepEqual(log.console, [], `${article.url}: console messages`);
    assert.deepEqual([...log.pageErrors, ...state.problems], [], article.url);
    // The build's minimum score may leave a list under five.
    assert.equal(state.renders[0].results.length, expected.get(article.url).length);
    await log.page.close();
  }
  assert.ok(SAMPLED.some((a) => expected.get(a.url).length === 5), 'no sampled list holds five entries');
});

test('a page the index does not hold goes to the engine, quietly', async () => {
  const article = SAMPLED[3];
  const log = await open(env, article.url, { html: fresh });
  const state = await settle(log.page);
  assert.equal(state.renders[0]?.article.url.endsWith(`/fresh${article.url}`), true, 'the page did not take its fresh URL');
  const shown = await box(log.page);
  assert.ok(shown && shown.links.length === 5, 'no box of 5');
  assert.ok(usedEngine(log), 'the engine did not run');
  assert.ok(!paths(shown.links).includes(article.url), 'the indexed copy of the page is shown');
  assert.deepEqual(log.console, []);
  await log.page.close();
});

for (const [name, data] of [
  ['a section boost', { index: '/alike/index.json', 'section-boost': '1.5' }],
  ['more results than a list holds', { index: '/alike/index.json', count: '12' }],
]) {
  test(`a box asking for ${name} goes to the engine`, async () => {
    const log = await open(env, SAMPLED[5].url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag(data)) });
    const state = await settle(log.page);
    assert.equal(state.renders.length, 1);
    assert.ok(usedEngine(log), 'the engine did not run');
    assert.deepEqual(listRequests(log), []);
    assert.deepEqual(log.console, []);
    await log.page.close();
  });
}

test('a list file that cannot be had: the engine ranks instead, with one warning', async () => {
  const article = SAMPLED[7];
  const expected = cliQuery([article], { index: manifest });
  const log = await open(env, article.url, { routes: [['**/alike/l/*', (route) => route.fulfill({ status: 404, body: 'Not found' })]] });
  const state = await settle(log.page);
  assert.deepEqual(paths((await box(log.page)).links), expected.get(article.url));
  assert.ok(usedEngine(log));
  assertOneWarning(log, state, /cannot load the related lists .*\/alike\/l\/[0-9a-f]+-[0-9a-f]+\.json: the server answered 404; deploy the whole index folder, its manifest last; ranking in the browser instead/);
  await log.page.close();
});

test('a list file of another version or bucket is not used', async () => {
  const article = SAMPLED[8];
  for (const change of [{ version: 1 }, { bucket: 99999 }]) {
    const swap = async (route) => {
      const response = await route.fetch({ timeout: TIMEOUT });
      await route.fulfill({ response, body: JSON.stringify({ ...(await response.json()), ...change }) });
    };
    const log = await open(env, article.url, { routes: [['**/alike/l/*', swap]] });
    const state = await settle(log.page);
    assert.equal((await box(log.page)).links.length, 5);
    assert.ok(usedEngine(log), `${JSON.stringify(change)}: the list was used`);
    assertOneWarning(log, state, /is not list file \d+ of version 2; ranking in the browser instead/);
    await log.page.close();
  }
});

test('hostile list entries stay text and never become script links', async () => {
  const article = SAMPLED[10];
  const key = article.url;
  const hostile = async (route) => {
    const response = await route.fetch({ timeout: TIMEOUT });
    const file = await response.json();
    file.pages[key] = [
      { url: 'javascript:window.__alike.pwned.push("href")', title: 'Click me', score: 9 },
      { url: '/ok.html', title: '<img src=x onerror="window.__alike.pwned.push(\'title\')">', score: 8, image: 'javascript:alert(1)', date: '<b>' },
      { url: '/fine.html', title: 'Fine', score: 7, snippet: { toString: 1 } },
      'not an entry',
      null,
    ];
    await route.fulfill({ response, body: JSON.stringify(file) });
  };
  const log = await open(env, article.url, { routes: [['**/alike/l/*', hostile]] });
  const state = await settle(log.page);
  const shown = await box(log.page);
  assert.deepEqual(shown.links.map((l) => l.raw), [`${env.url}/ok.html`, `${env.url}/fine.html`]);
  assert.equal(shown.links[0].text, '<img src=x onerror="window.__alike.pwned.push(\'title\')">');
  assert.deepEqual(shown.images, []);
  assert.deepEqual(shown.times, []);
  await frames(log.page);
  assert.deepEqual((await log.page.evaluate(() => window.__alike)).pwned, []);
  assert.equal(touchedEngine(log), false);
  assert.deepEqual([...log.pageErrors, ...state.problems], []);
  await log.page.close();
});

test('list entries with impossible dates (2005-13-45, 0000-00-00, 2005-02-30) show without them; the box stays', async () => {
  const article = SAMPLED[11];
  const bad = ['2005-13-45', '0000-00-00', '2005-02-30'];
  const expected = stored().get(article.url);
  const misdate = async (route) => {
    const response = await route.fetch({ timeout: TIMEOUT });
    const file = await response.json();
    file.pages[article.url].forEach((entry, i) => i < bad.length && (entry.date = bad[i]));
    await route.fulfill({ response, body: JSON.stringify(file) });
  };
  const log = await open(env, article.url, { routes: [['**/alike/l/*', misdate]] });
  const state = await settle(log.page);
  const shown = await box(log.page);
  assert.ok(shown, 'no box');
  assert.deepEqual(paths(shown.links), expected);
  assert.equal(shown.times.length, expected.length - bad.length, 'the entries with good dates keep them');
  assert.deepEqual(state.errors, []);
  assert.equal(touchedEngine(log), false);
  assert.deepEqual(log.console, []);
  await log.page.close();
});

test('a missing list file and missing cluster files: one warning that tells both, with a box and without', async () => {
  const article = SAMPLED[12];
  const missing = (route) => route.fulfill({ status: 404, body: 'Not found' });
  // One of the two cluster files the query reads (of 9) missing: the engine shows what the other gives.
  let failed = 0;
  const someClusters = (route) => (failed++ < 1 ? missing(route) : route.continue());
  const some = await open(env, article.url, { routes: [['**/alike/l/*', missing], ['**/alike/c/*', someClusters]] });
  const shownState = await settle(some.page);
  assert.ok((await box(some.page))?.links.length > 0, 'no box');
  assert.equal(shownState.renders.length, 1);
  assertOneWarning(some, shownState, /cannot load the related lists .*ranking in the browser instead; could not load 1 file\(s\) of the index/);
  await some.page.close();

  // Every cluster file missing: nothing to show.
  const none = await open(env, article.url, { routes: [['**/alike/l/*', missing], ['**/alike/c/*', missing]] });
  const hiddenState = await settle(none.page);
  assert.equal(await box(none.page), null);
  assert.equal(hiddenState.errors[0]?.reason, 'index');
  assertOneWarning(none, hiddenState, /cannot load the related lists .*ranking in the browser instead; could not load \d+ file\(s\) of the index .*the server answered 404; deploy the whole index folder, its manifest last\)/);
  await none.page.close();
});

test('data-min-score on the list path: the box shows only the stored entries scoring that much; none, and it stays hidden (no-results)', async () => {
  // A list of five with scores that differ (lists are in the build's
  // order, which is not always the order of their scores).
  const lists = storedLists();
  const article = SAMPLED.find((a) => lists.get(a.url)?.length === 5 && new Set(lists.get(a.url).map((r) => r.score)).size > 1);
  assert.ok(article, 'no sampled list of five with differing scores');
  const list = lists.get(article.url);
  const scores = list.map((r) => r.score).sort((a, b) => b - a);
  const cut = (scores[0] + scores[4]) / 2;
  const strong = list.filter((r) => r.score >= cut).map((r) => r.url);
  assert.ok(strong.length > 0 && strong.length < 5);
  const log = await open(env, article.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', 'min-score': cut })) });
  const state = await settle(log.page);
  assert.deepEqual(paths((await box(log.page)).links), strong);
  assert.equal(touchedEngine(log), false, 'a minimum score is answered from the list');
  assert.deepEqual(log.console, []);
  await log.page.close();

  const none = await open(env, article.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', 'min-score': 1 })) });
  const hidden = await settle(none.page);
  assert.equal(await box(none.page), null, 'a box is shown');
  assert.equal(hidden.errors[0]?.reason, 'no-results');
  await none.page.close();
  assert.deepEqual(state.problems, []);
});

test('a stored list the build cut short, and data-min-score under the build\'s: the engine finds the weaker matches', async () => {
  const lists = storedLists(10);
  const article = SAMPLED.find((a) => lists.get(a.url)?.length < 5);
  assert.ok(article, 'no sampled list was cut under five by the build');
  const expected = cliQuery([article], { index: manifest, flags: ['--min-score', '0'] }).get(article.url);
  assert.ok(expected.length > lists.get(article.url).length, `alike query finds no more than the list: ${expected.join(' ')}`);
  const log = await open(env, article.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', 'min-score': '0' })) });
  const state = await settle(log.page);
  assert.ok(usedEngine(log), 'the engine did not run');
  assert.deepEqual(paths((await box(log.page)).links), expected);
  assert.deepEqual([...log.pageErrors, ...state.problems], []);
  await log.page.close();
});

test('data-min-score on the engine path: the box is what `alike query --min-score` gives; none, and it stays hidden (no-results)', async () => {
  const article = SAMPLED[3];
  const asFresh = [{ ...article, url: `/fresh${article.url}` }];
  const all = cliQuery(asFresh, { index: manifest }).get(asFresh[0].url);
  const strong = cliQuery(asFresh, { index: manifest, flags: ['--min-score', '0.18'] }).get(asFresh[0].url);
  assert.ok(strong.length > 0 && strong.length < all.length, `choose another threshold: ${strong.length} of ${all.length}`);
  for (const [minScore, expected] of [['0.18', strong], ['0.99', []]]) {
    const log = await open(env, article.url, { html: (h) => fresh(h).replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', 'min-score': minScore })) });
    const state = await settle(log.page);
    assert.ok(usedEngine(log), 'the engine did not run');
    if (expected.length) assert.deepEqual(paths((await box(log.page)).links), expected);
    else {
      assert.equal(await box(log.page), null, 'a box is shown');
      assert.equal(state.errors[0]?.reason, 'no-results');
    }
    await log.page.close();
  }
});
