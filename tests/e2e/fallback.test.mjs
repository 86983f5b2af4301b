// data-fallback="section" in the browser: when nothing clears the minimum
// score, the box shows the newest articles of the page's section instead,
// under a heading that says so, each result marked `fallback`, the render
// event saying `fallback: "section"`; as `alike query --fallback section`
// answers, on every layout (a single file, and the cluster layout, whose
// emptied stored list hands over to the engine). The page itself, an
// article not to recommend and (with data-only-older) newer articles are
// never among them; without data-fallback the box stays hidden.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { articles, box, cliQuery, demoSites, engineRan, open, paths, SCRIPT_TAG, scriptTag, settle } from './helpers.mjs';

const LAYOUTS = ['single', 'clusters'];
let dir;
const sites = {};
let page;
let unrecommended;
let edited;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alike-e2e-fallback-'));
  // A page among its section's newest (the index lists each section's 12
  // newest, so that data-only-older leaves some), and its section's newest
  // article kept out of every box.
  const section = articles[0].section;
  const dated = articles.filter((a) => a.section === section && a.date).sort((a, b) => (a.date < b.date ? 1 : -1));
  unrecommended = dated[0].url;
  page = dated[3];
  edited = articles.map((a) => (a.url === unrecommended ? { ...a, recommend: false } : a));
  Object.assign(sites, await demoSites(dir, edited, LAYOUTS));
});
after(async () => {
  for (const env of Object.values(sites)) await env.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// No match scores 0.99: nothing clears it.
const NOTHING = { index: '/alike/index.json', 'min-score': '0.99' };

async function shown(layout, data) {
  const log = await open(sites[layout], page.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag(data)) });
  const state = await settle(log.page);
  assert.deepEqual([...log.pageErrors, ...state.problems], []);
  const found = await box(log.page);
  const engine = engineRan(log);
  await log.page.close();
  return { state, found, engine };
}

for (const layout of LAYOUTS) {
  test(`with nothing related, the newest of the page's section, labelled, as alike query says (${layout})`, async () => {
    const index = join(dir, layout, 'alike/index.json');
    const { state, found, engine } = await shown(layout, { ...NOTHING, fallback: 'section' });
    assert.ok(engine, 'the engine did not answer');
    assert.equal(found.heading, `Latest in ${page.section}`);
    const links = paths(found.links);
    assert.deepEqual(links, cliQuery([page], { index, flags: ['--min-score', '0.99', '--fallback', 'section'] }).get(page.url));
    assert.equal(links.length, 5);
    assert.ok(!links.includes(page.url) && !links.includes(unrecommended), links.join(' '));
    const { results, fallback } = state.renders[0];
    assert.equal(fallback, 'section');
    assert.ok(results.every((r) => r.fallback === true && r.section === page.section && r.score === 0), JSON.stringify(results));
    // Newest first.
    const dates = results.map((r) => r.date);
    assert.deepEqual(dates, [...dates].sort().reverse());

    // Only older: none after the page.
    const older = await shown(layout, { ...NOTHING, fallback: 'section', 'only-older': '' });
    assert.ok(older.found.links.length > 0);
    assert.ok(older.state.renders[0].results.every((r) => r.date < page.date), JSON.stringify(older.state.renders[0].results));
    assert.deepEqual(paths(older.found.links), cliQuery([page], { index, flags: ['--min-score', '0.99', '--fallback', 'section', '--only-older'] }).get(page.url));

    // Without the fallback, no box.
    const hidden = await shown(layout, NOTHING);
    assert.equal(hidden.found, null);
    assert.equal(hidden.state.errors[0].reason, 'no-results');
  });
}

test('a page with related articles gets them, not the fallback, and a custom heading names the section', async () => {
  const plain = await shown('clusters', { index: '/alike/index.json', fallback: 'section' });
  assert.ok(!plain.engine, 'a stored list with entries should answer');
  assert.equal(plain.found.heading, 'Related articles');
  assert.ok(plain.state.renders[0].results.every((r) => !r.fallback) && plain.state.renders[0].fallback === undefined);
  const custom = await shown('single', { ...NOTHING, fallback: 'section', 'fallback-heading': 'More from {section}' });
  assert.equal(custom.found.heading, `More from ${page.section}`);
});
