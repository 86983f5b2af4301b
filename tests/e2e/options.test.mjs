// Each data-* option of the script tag changes what it should. Pages are the
// demo's, with the widget's tag rewritten on the way to the browser.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { alikeMessages, box, byUrl, cliQuery, open, paths, SAMPLED, SCRIPT_TAG, scriptTag, settle, start } from './helpers.mjs';

let env;
before(async () => (env = await start()));
after(() => env?.close());

const INDEX = { index: '/alike/index.json' };
/** Opens `article` with the widget's tag carrying `data`, waits for it, returns `{ log, state, shown }`. */
async function withOptions(article, data, extra = {}) {
  const log = await open(env, article.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag(data)), ...extra });
  const state = await settle(log.page, extra.settle);
  return { log, state, shown: await box(log.page) };
}
const article = SAMPLED[3];

test('data-count sets the number of links', async () => {
  for (const count of [3, 8]) {
    const { log, shown } = await withOptions(article, { ...INDEX, count });
    assert.deepEqual(paths(shown.links), cliQuery([article], { k: count }).get(article.url));
    assert.equal(shown.links.length, count);
    assert.deepEqual(log.console, []);
    await log.page.close();
  }
});

test('an invalid value is warned about and the default used; an unknown option is warned about', async () => {
  const { log, shown } = await withOptions(article, { ...INDEX, count: 'lots', layout: 'grid', colour: 'red' });
  assert.equal(shown.links.length, 5);
  assert.equal(shown.layout, 'list');
  const messages = alikeMessages(log).map((m) => m.text);
  assert.equal(messages.length, 3, messages.join('\n'));
  assert.ok(messages.some((m) => m.includes('data-count="lots"') && m.includes('5')));
  assert.ok(messages.some((m) => m.includes('data-layout="grid"')));
  assert.ok(messages.some((m) => m.includes('unknown option data-colour')));
  assert.ok(alikeMessages(log).every((m) => m.type === 'warning'));
  await log.page.close();
});

test('data-heading sets the heading and the landmark name', async () => {
  const { log, shown } = await withOptions(article, { ...INDEX, heading: 'Lire aussi' });
  assert.equal(shown.heading, 'Lire aussi');
  assert.equal(shown.label, 'Lire aussi');
  const name = await log.page.locator('alike-related aside').getAttribute('aria-labelledby');
  assert.ok(name);
  await log.page.close();
});

test('data-target puts the box where it says; a [data-alike] element is the default place', async () => {
  let { log, shown } = await withOptions(article, { ...INDEX, target: '#comments' });
  assert.equal(shown.parent, 'comments');
  await log.page.close();

  ({ log, shown } = await withOptions(
    article,
    INDEX,
    { html: (h) => h.replace(SCRIPT_TAG, scriptTag(INDEX)).replace('<section class="comments"', '<div data-alike class="slot"></div><section class="comments"') },
  ));
  assert.equal(shown.parent, 'slot');
  // The place inside the article is not read as article text.
  assert.deepEqual(paths(shown.links), cliQuery([article]).get(article.url));
  await log.page.close();
});

test('data-article names the element holding the article; the box follows it', async () => {
  const { log, shown } = await withOptions(article, { ...INDEX, article: '.story-body' });
  assert.equal(shown.previous, 'div');
  const previous = await log.page.evaluate(() => document.querySelector('alike-related').previousElementSibling.className);
  assert.equal(previous, 'story-body');
  assert.deepEqual(paths(shown.links), cliQuery([article]).get(article.url));
  await log.page.close();

  // Pointed at something that is no article, there is nothing to recommend from.
  const other = await open(env, article.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag({ ...INDEX, article: '.byline' })) });
  const state = await settle(other.page);
  assert.equal(state.errors[0].reason, 'no-article');
  assert.equal(await box(other.page), null);
  await other.page.close();
});

test('data-images and data-snippet turn pictures and snippets off', async () => {
  let { log, shown } = await withOptions(article, INDEX);
  assert.equal(shown.images.length, 5);
  assert.equal(shown.snippets.length, 5);
  await log.page.close();
  ({ log, shown } = await withOptions(article, { ...INDEX, images: 'false', snippet: 'off' }));
  assert.equal(shown.links.length, 5);
  assert.equal(shown.images.length, 0);
  assert.equal(shown.snippets.length, 0);
  assert.deepEqual(log.console, []);
  await log.page.close();
});

test('data-layout="cards" lays the links out in columns with large pictures', async () => {
  const measure = (page) =>
    page.evaluate(() => {
      const root = document.querySelector('alike-related').shadowRoot;
      const items = [...root.querySelectorAll('li')].map((li) => li.getBoundingClientRect());
      return {
        rows: new Set(items.map((r) => Math.round(r.top))).size,
        columns: new Set(items.map((r) => Math.round(r.left))).size,
        imageWidth: root.querySelector('img').getBoundingClientRect().width,
      };
    });
  let { log } = await withOptions(article, INDEX);
  const list = await measure(log.page);
  await log.page.close();
  let shown;
  ({ log, shown } = await withOptions(article, { ...INDEX, layout: 'cards' }));
  const cards = await measure(log.page);
  assert.equal(shown.layout, 'cards');
  assert.deepEqual([list.rows, list.columns], [5, 1]);
  assert.ok(cards.columns >= 2, `cards in ${cards.columns} column(s)`);
  assert.ok(cards.rows < 5);
  assert.ok(cards.imageWidth > list.imageWidth * 1.5);
  assert.equal(shown.images[0].width, '320');
  await log.page.close();
});

test('data-theme: light and dark set their colours; auto follows the page, in light and dark mode', async () => {
  const colours = async (page) =>
    page.evaluate(() => {
      const aside = document.querySelector('alike-related').shadowRoot.querySelector('aside');
      return { background: getComputedStyle(aside).backgroundColor, color: getComputedStyle(aside).color, page: getComputedStyle(document.body).color };
    });
  const seen = {};
  for (const theme of ['light', 'dark', 'auto']) {
    const { log } = await withOptions(article, { ...INDEX, theme });
    seen[theme] = await colours(log.page);
    await log.page.close();
  }
  assert.equal(seen.light.background, 'rgb(255, 255, 255)');
  assert.equal(seen.dark.background, 'rgb(23, 24, 28)');
  assert.equal(seen.dark.color, 'rgb(236, 237, 241)');
  assert.equal(seen.auto.background, 'rgba(0, 0, 0, 0)');
  assert.equal(seen.auto.color, seen.auto.page);

  const { log } = await withOptions(article, INDEX, { before: (page) => page.emulateMedia({ colorScheme: 'dark' }) });
  const dark = await colours(log.page);
  assert.notEqual(dark.page, seen.auto.page, 'the demo page has a dark mode');
  assert.equal(dark.color, dark.page);
  await log.page.close();
});

test("data-max-age-days leaves out articles older than that, counted from the reader's today", async () => {
  const today = '2005-06-30';
  const fixClock = (page) => page.clock.setFixedTime(new Date(`${today}T12:00:00Z`));
  const oldest = new Date(Date.parse(`${today}T00:00:00Z`) - 90 * 86400000).toISOString().slice(0, 10);
  let changed = 0;
  for (const a of SAMPLED.slice(0, 6)) {
    const expected = cliQuery([a], { flags: ['--max-age-days', '90', '--today', today] }).get(a.url);
    const unfiltered = cliQuery([a]).get(a.url);
    if (expected.join() !== unfiltered.join()) changed += 1;
    const { log, shown } = await withOptions(a, { ...INDEX, 'max-age-days': 90 }, { before: fixClock });
    if (expected.length === 0) {
      assert.equal(shown, null);
    } else {
      assert.deepEqual(paths(shown.links), expected, a.url);
      for (const url of paths(shown.links)) assert.ok(byUrl.get(url).date >= oldest, `${url} is older than 90 days`);
    }
    await log.page.close();
  }
  assert.ok(changed >= 3, 'the age limit changed the lists');
});

test('data-half-life-days and data-section-boost weigh as the CLI does', async () => {
  const today = '2005-12-31';
  const fixClock = (page) => page.clock.setFixedTime(new Date(`${today}T12:00:00Z`));
  let changed = 0;
  for (const a of SAMPLED.slice(4, 8)) {
    const flags = ['--half-life-days', '60', '--section-boost', '1.5', '--today', today];
    const expected = cliQuery([a], { flags }).get(a.url);
    if (expected.join() !== cliQuery([a]).get(a.url).join()) changed += 1;
    const { log, shown } = await withOptions(a, { ...INDEX, 'half-life-days': 60, 'section-boost': 1.5 }, { before: fixClock });
    assert.deepEqual(paths(shown.links), expected, a.url);
    await log.page.close();
  }
  assert.ok(changed >= 2, 'the weights changed the lists');
});

test('data-index and data-engine are relative to the page; by default both sit beside alike.js', async () => {
  let { log, shown } = await withOptions(article, {});
  assert.equal(shown.links.length, 5);
  assert.deepEqual(log.console, []);
  await log.page.close();
  ({ log, shown } = await withOptions(article, { index: '../alike/index.json', engine: '../alike/pkg/alike.js' }));
  assert.equal(shown.links.length, 5);
  assert.ok(log.requests.some((u) => u.endsWith('/alike/pkg/alike_bg.wasm')));
  await log.page.close();
});
