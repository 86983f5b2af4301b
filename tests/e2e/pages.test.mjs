// The demo's special pages: the strict Content-Security-Policy page and the
// right-to-left page.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { artifact, box, cliQuery, open, paths, SCRIPT_TAG, scriptTag, settle, start, byUrl, TIMEOUT } from './helpers.mjs';

let env;
before(async () => (env = await start()));
after(() => env?.close());

// Both pages carry the sample's first article, with a canonical link to its own URL.
const first = byUrl.get('/business/001.html');

test("under default-src 'self'; script-src 'self' 'wasm-unsafe-eval' the box renders, styled, with no violation", async () => {
  const log = await open(env, '/csp.html');
  const state = await settle(log.page);
  const response = await log.page.request.get(env.url + '/csp.html', { timeout: TIMEOUT });
  assert.match(response.headers()['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/, 'served with the header');
  assert.ok(await log.page.locator('meta[http-equiv="Content-Security-Policy"]').count(), 'and the meta tag');

  const shown = await box(log.page);
  assert.deepEqual(paths(shown.links), cliQuery([first]).get(first.url), 'the canonical article is excluded, as the CLI excludes it');
  assert.deepEqual(state.violations, []);
  assert.deepEqual(log.console, []);
  assert.deepEqual(log.pageErrors, []);
  // The constructed stylesheet applies under the policy (no 'unsafe-inline' needed).
  const styled = await log.page.evaluate(() => {
    const root = document.querySelector('alike-related').shadowRoot;
    return { sheets: root.adoptedStyleSheets.length, styleElements: root.querySelectorAll('style').length, listStyle: getComputedStyle(root.querySelector('ul')).listStyleType, display: getComputedStyle(root.host).display };
  });
  assert.deepEqual(styled, { sheets: 1, styleElements: 0, listStyle: 'none', display: 'block' });
  await log.page.close();
});

test('a browser without constructed stylesheets styles the box with a <style> element, which drawing the box keeps', async () => {
  // Older Safari and some embedded browsers: no CSSStyleSheet.replaceSync.
  const log = await open(env, '/business/001.html', { before: (page) => page.addInitScript(() => delete CSSStyleSheet.prototype.replaceSync) });
  await settle(log.page);
  await box(log.page);
  const styled = await log.page.evaluate(() => {
    const root = document.querySelector('alike-related').shadowRoot;
    return { sheets: root.adoptedStyleSheets.length, styleElements: root.querySelectorAll('style').length, listStyle: getComputedStyle(root.querySelector('ul')).listStyleType };
  });
  assert.deepEqual(styled, { sheets: 0, styleElements: 1, listStyle: 'none' });
  assert.deepEqual(log.pageErrors, []);
  await log.page.close();
});

test('(control) the policy is enforced: an inline script on the same page is refused', async () => {
  const log = await open(env, '/csp.html', { html: (h) => h.replace('</body>', '<script>window.__inline = 1</script></body>') });
  await settle(log.page);
  const state = await log.page.evaluate(() => ({ inline: window.__inline, violations: window.__alike.violations }));
  assert.equal(state.inline, undefined);
  assert.ok(state.violations.some((v) => v.startsWith('script-src')), state.violations.join());
  await log.page.close();
});

test('a right-to-left page: the box sits in its [data-alike] place, reads right to left, in the page language', async () => {
  const log = await open(env, '/rtl.html');
  await settle(log.page);
  const shown = await box(log.page);
  assert.equal(shown.heading, 'مقالات ذات صلة');
  assert.equal(shown.layout, 'cards');
  assert.deepEqual(paths(shown.links), cliQuery([first]).get(first.url));
  const layout = await log.page.evaluate(() => {
    const host = document.querySelector('alike-related');
    const root = host.shadowRoot;
    const english = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });
    const time = root.querySelector('time');
    return {
      inPlace: host.parentElement.hasAttribute('data-alike'),
      direction: getComputedStyle(root.querySelector('aside')).direction,
      headingAlign: [root.querySelector('h2').getBoundingClientRect().right, root.querySelector('aside').getBoundingClientRect().right],
      time: [time.textContent, english.format(new Date(time.dateTime + 'T00:00:00Z'))],
    };
  });
  assert.ok(layout.inPlace);
  assert.equal(layout.direction, 'rtl');
  assert.ok(layout.headingAlign[1] - layout.headingAlign[0] < 40, 'the heading starts on the right');
  assert.notEqual(layout.time[0], layout.time[1], 'the date is written in the page language, not English');
  await log.page.locator('alike-related').scrollIntoViewIfNeeded();
  await log.page.locator('alike-related').screenshot({ path: artifact('box-rtl-cards.png') });
  await log.page.close();

  // In the list layout, the picture is on the right of the title.
  const list = await open(env, '/rtl.html', { html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', layout: 'list' })) });
  await settle(list.page);
  const sides = await list.page.evaluate(() => {
    const li = document.querySelector('alike-related').shadowRoot.querySelector('li');
    return { image: li.querySelector('img').getBoundingClientRect().left, title: li.querySelector('a').getBoundingClientRect().left };
  });
  assert.ok(sides.image > sides.title, 'right to left: the picture comes first, on the right');
  await list.page.close();
});
