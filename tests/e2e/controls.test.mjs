// Editorial controls in the browser: an article's pins (`related` in its
// input) come first in its box, in order, marked, on the stored-list path
// and on the engine's (a single file, and the cluster layout queried with a
// ranking option); an article marked `recommend: false` is in no other
// box, and still has its own. `data-exclude-sections` and `data-only-older`
// hold on both paths, and a stored list filtered below the box's count
// leaves the answer to the engine.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { articles, box, byUrl, cliIndex, cliQuery, demoSites, engineRan, open, paths, SAMPLED, SCRIPT_TAG, scriptTag, settle } from './helpers.mjs';

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
  Object.assign(sites, await demoSites(dir, edited, ['single', 'clusters']));
});
after(async () => {
  for (const env of Object.values(sites)) await env.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const pinnedParts = (page) => page.evaluate(() => [...document.querySelector('alike-related').shadowRoot.querySelectorAll('li')].map((li) => li.getAttribute('part')));

for (const [name, layout, data, engine] of [
  ['a stored list', 'clusters', null, false],
  ['the engine on a single file', 'single', null, true],
  ['the engine on the cluster layout (a ranking option)', 'clusters', { index: '/alike/index.json', 'section-boost': '1.2' }, true],
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

/** The related list the cluster layout's site stores for `url` (the sample's URLs are their own keys). */
function storedList(url) {
  const folder = join(dir, 'clusters/alike/l');
  for (const f of readdirSync(folder)) {
    const pages = JSON.parse(readFileSync(join(folder, f), 'utf8')).pages;
    if (Object.hasOwn(pages, url)) return pages[url];
  }
}

const FILTERED = SAMPLED.slice(1, 9);

test('data-exclude-sections: no article of those sections, on either path', async () => {
  let fromLists = 0;
  let fromEngine = 0;
  const all = [...new Set(articles.map((a) => a.section))];
  for (const article of FILTERED) {
    const listed = storedList(article.url).map((r) => r.section);
    // The page's own section (most of its list: the engine must answer), and a section its list
    // does not hold (the list answers as stored), each in another case, with one that does not exist.
    for (const out of [article.section, all.find((s) => !listed.includes(s))]) {
      // Every match, however weak: without its own section a page's matches are.
      const data = { index: '/alike/index.json', 'exclude-sections': ` ${out.toUpperCase()} ,nowhere`, 'min-score': '0' };
      for (const layout of ['single', 'clusters']) {
        const log = await open(sites[layout], article.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag(data)) });
        const state = await settle(log.page);
        assert.deepEqual([...log.pageErrors, ...state.problems], []);
        const shown = paths((await box(log.page))?.links || []);
        assert.equal(shown.length, 5, `${layout} ${article.url} without ${out}: ${shown.join(' ')}`);
        assert.ok(shown.every((u) => byUrl.get(u).section !== out), `${layout} ${article.url} shows ${out}: ${shown.join(' ')}`);
        if (layout === 'clusters') {
          // The stored list answers when at least 5 of its entries pass; else the engine.
          const passing = storedList(article.url).filter((r) => r.section !== out);
          assert.equal(engineRan(log), passing.length < 5, `${article.url} without ${out}: ${passing.length} entries pass`);
          if (passing.length < 5) fromEngine++;
          else {
            fromLists++;
            assert.deepEqual(shown, passing.slice(0, 5).map((r) => r.url));
          }
        }
        await log.page.close();
      }
    }
  }
  assert.ok(fromLists > 0 && fromEngine > 0, `${fromLists} stored lists and ${fromEngine} engine answers: both paths should be seen`);
});

test('data-only-older: only articles published before the page, on either path', async () => {
  for (const article of FILTERED) {
    for (const layout of ['single', 'clusters']) {
      const data = { index: '/alike/index.json', 'only-older': '' };
      const log = await open(sites[layout], article.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag(data)) });
      const state = await settle(log.page);
      assert.deepEqual([...log.pageErrors, ...state.problems], []);
      const shown = paths((await box(log.page))?.links || []);
      assert.ok(shown.every((u) => byUrl.get(u).date < article.date), `${layout} ${article.url} (${article.date}): ${shown.map((u) => byUrl.get(u).date).join(' ')}`);
      if (!shown.length) assert.equal(state.errors[0]?.reason, 'no-results');
      // The same as alike query says, on the same index.
      const expected = cliQuery([article], { index: join(dir, layout, 'alike/index.json'), flags: ['--only-older'] }).get(article.url);
      if (layout === 'single' || engineRan(log)) assert.deepEqual(shown, expected, `${layout} ${article.url}`);
      await log.page.close();
    }
  }
});
