// A box the page already has: links that the site's templates rendered into
// <div data-alike> from `alike index --related-data`, for readers without
// JavaScript. The widget keeps them by default (and fetches nothing), or
// with data-prerendered="replace" draws its box in their place; never both.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { alikeMessages, box, cliQuery, open, paths, SAMPLED, SCRIPT_TAG, scriptTag, settle, start } from './helpers.mjs';

let env;
before(async () => (env = await start()));
after(() => env?.close());

const article = SAMPLED[2];
const RENDERED =
  '<div data-alike class="slot"><h2>Related articles</h2><ul>' +
  '<li><a href="/business/002.html">Dollar gains on Greenspan speech</a></li>' +
  '<li><a href="/business/003.html">Yukos unit buyer faces loan claim</a></li></ul></div>';

/** The article page with the pre-rendered links after its article and the tag carrying `data`. */
const withLinks = (data) => (html) => html.replace(SCRIPT_TAG, scriptTag(data)).replace('</article>', '</article>' + RENDERED);

test('links already in the place are kept, announced, and nothing is fetched', async () => {
  const log = await open(env, article.url, { html: withLinks({ index: '/alike/index.json' }) });
  const state = await settle(log.page);
  assert.equal(state.renders.length, 1);
  assert.equal(state.renders[0].prerendered, true);
  assert.deepEqual(
    state.renders[0].results.map((r) => new URL(r.url).pathname),
    ['/business/002.html', '/business/003.html'],
  );
  assert.equal(await box(log.page), null, 'no second box');
  const links = await log.page.locator('[data-alike] a').count();
  assert.equal(links, 2);
  assert.ok(!log.requests.some((url) => /index\.json|pkg\/|\/[tal]\/[0-9a-f]+-/.test(url)), log.requests.join('\n'));
  assert.deepEqual(alikeMessages(log), []);
  await log.page.close();
});

test('data-prerendered="replace" draws the box in their place, once drawn', async () => {
  const log = await open(env, article.url, { html: withLinks({ index: '/alike/index.json', prerendered: 'replace' }) });
  const state = await settle(log.page);
  assert.equal(state.renders.length, 1);
  assert.ok(!state.renders[0].prerendered);
  const shown = await box(log.page);
  assert.equal(shown.hosts, 1);
  assert.equal(shown.parent, 'slot');
  assert.deepEqual(paths(shown.links), cliQuery([article]).get(article.url));
  const children = await log.page.evaluate(() => [...document.querySelector('[data-alike]').children].map((c) => c.localName));
  assert.deepEqual(children, ['alike-related'], 'the pre-rendered links are gone');
  assert.deepEqual(alikeMessages(log), []);
  await log.page.close();
});
