// Editorial controls in the browser: an article's pins (`related` in its
// input) come first in its box, in order, marked, on the stored-list path
// and on the engine's (a single file, and a sharded index queried with a
// ranking option); an article marked `recommend: false` is in no other
// box, and still has its own.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { articles, box, cliIndex, cliQuery, open, paths, ROOT, SCRIPT_TAG, scriptTag, settle, start } from './helpers.mjs';

let dir;
const sites = {};
let pinned;
let pins;
let unrecommended;
let neighbour;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alike-e2e-controls-'));
  // The article to keep out: the best match of some page, in an index
  // without controls, so that leaving it out is something to see.
  const plain = join(dir, 'plain.json');
  writeFileSync(plain, cliIndex(articles));
  const answers = cliQuery(articles.slice(40, 60), { index: plain });
  [neighbour, [unrecommended]] = [...answers].find(([, related]) => related.length);
  pinned = articles.find((a) => a.url !== neighbour && a.url !== unrecommended).url;
  const ranked = cliQuery([articles.find((a) => a.url === pinned)], { index: plain }).get(pinned);
  // Two pins the ranking would not give, from the end of the sample, in this order.
  pins = articles
    .map((a) => a.url)
    .reverse()
    .filter((url) => ![pinned, unrecommended, ...ranked].includes(url))
    .slice(0, 2);
  const edited = articles.map((a) => {
    if (a.url === pinned) return { ...a, related: [...pins, '/nowhere.html'] };
    if (a.url === unrecommended) return { ...a, recommend: false };
    return a;
  });
  const input = join(dir, 'articles.jsonl');
  writeFileSync(input, edited.map((a) => JSON.stringify(a)).join('\n') + '\n');
  for (const layout of ['single', 'sharded']) {
    const out = join(dir, layout);
    execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--articles', input, '--layout', layout, '--out', out], { stdio: 'pipe' });
    sites[layout] = await start({ root: out });
  }
});
after(async () => {
  for (const env of Object.values(sites)) await env.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const engineRan = (log) => log.requests.some((u) => new URL(u).pathname === '/alike/pkg/alike_bg.wasm');
const pinnedParts = (page) => page.evaluate(() => [...document.querySelector('alike-related').shadowRoot.querySelectorAll('li')].map((li) => li.getAttribute('part')));

for (const [name, layout, data, engine] of [
  ['a stored list', 'sharded', null, false],
  ['the engine on a single file', 'single', null, true],
  ['the engine on a sharded index (a ranking option)', 'sharded', { index: '/alike/index.json', 'section-boost': '1.2' }, true],
]) {
  const html = data && ((h) => h.replace(SCRIPT_TAG, scriptTag(data)));

  test(`pins come first, in order, marked: ${name}`, async () => {
    const log = await open(sites[layout], pinned, { html });
    const state = await settle(log.page);
    assert.deepEqual([...log.pageErrors, ...state.problems], []);
    assert.equal(engineRan(log), engine, 'the wrong path answered');
    const shown = paths((await box(log.page)).links);
    assert.deepEqual(shown.slice(0, 2), pins, `the box: ${shown.join(' ')}`);
    assert.equal(shown.length, 5);
    assert.ok(!shown.slice(2).some((u) => pins.includes(u)), 'a pin is shown twice');
    const results = state.renders[0].results;
    assert.deepEqual(results.map((r) => r.pinned === true), [true, true, false, false, false]);
    assert.deepEqual(await pinnedParts(log.page), ['item pinned', 'item pinned', 'item', 'item', 'item']);
    await log.page.close();
  });

  test(`an article not to recommend is in no other box, and has its own: ${name}`, async () => {
    const log = await open(sites[layout], neighbour, { html });
    const state = await settle(log.page);
    assert.deepEqual([...log.pageErrors, ...state.problems], []);
    const shown = paths((await box(log.page)).links);
    assert.equal(shown.length, 5);
    assert.ok(!shown.includes(unrecommended), `${neighbour} shows ${unrecommended}`);
    await log.page.close();

    const own = await open(sites[layout], unrecommended, { html });
    await settle(own.page);
    assert.equal((await box(own.page))?.links.length, 5, `${unrecommended} has no box of its own`);
    await own.page.close();
  });
}
