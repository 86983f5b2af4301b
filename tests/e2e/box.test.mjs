// The box on the demo's article pages: what it recommends (checked against
// the CLI on the same index), how it reads the page, its markup, keyboard
// access, events, loading and layout shift.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { alikeMessages, articles, artifact, box, byUrl, cliQuery, frames, open, paths, SAMPLED, SCRIPT_TAG, scriptTag, settle, start } from './helpers.mjs';

let env;
before(async () => (env = await start()));
after(() => env?.close());

const normalise = (text) => text.replace(/\s+/g, ' ').trim();

describe('article pages', () => {
  test(`${SAMPLED.length} pages: the box matches \`alike query\` on the same index, leaves out the page's own article, keeps to the section, and logs nothing`, async () => {
    const expected = cliQuery(SAMPLED);
    let inSection = 0;
    let shown = 0;
    let mostlyInSection = 0;
    let full = 0;
    for (const article of SAMPLED) {
      const log = await open(env, article.url);
      const state = await settle(log.page);
      const shownBox = await box(log.page);
      // Matches under the default minimum score are not shown, here as in
      // alike query: fewer links, or no box at all.
      if (expected.get(article.url).length === 0) {
        assert.equal(shownBox, null, `${article.url}: a box, where alike query has nothing`);
        await log.page.close();
        continue;
      }
      assert.ok(shownBox, `${article.url}: no box`);
      const urls = paths(shownBox.links);
      assert.deepEqual(urls, expected.get(article.url), `${article.url}: the browser's list differs from alike query's`);
      if (urls.length === 5) full += 1;
      assert.ok(!urls.includes(article.url), `${article.url} recommends itself`);
      assert.deepEqual(state.renders[0].results.map((r) => new URL(r.url).pathname), urls, 'alike:render lists what is shown');
      const same = urls.filter((u) => byUrl.get(u).section === article.section).length;
      inSection += same;
      shown += urls.length;
      if (same * 2 > urls.length) mostlyInSection += 1;
      assert.deepEqual(log.console, [], `${article.url}: console messages`);
      assert.deepEqual(log.pageErrors, [], `${article.url}: page errors`);
      assert.deepEqual(state.problems, [], `${article.url}: uncaught errors or rejections`);
      await log.page.close();
    }
    assert.ok(full >= SAMPLED.length * 0.9, `only ${full} of ${SAMPLED.length} boxes have five links`);
    // BBC's five sections are distinct enough that related stories mostly share one.
    assert.ok(mostlyInSection >= SAMPLED.length * 0.8, `only ${mostlyInSection} of ${SAMPLED.length} boxes are mostly in their article's section`);
    assert.ok(inSection >= shown * 0.75, `only ${inSection} of ${shown} links are in their article's section`);
  });

  test(`every one of the ${articles.length} article pages shows as many links as clear the minimum score (five on nearly all) and logs nothing`, async () => {
    const expected = cliQuery(articles);
    let full = 0;
    for (const article of articles) {
      const log = await open(env, article.url);
      const state = await settle(log.page);
      const shownBox = await box(log.page);
      const count = expected.get(article.url).length;
      if (count === 0) assert.equal(shownBox, null, `${article.url}: a box, where alike query has nothing`);
      else assert.equal(shownBox?.links.length, count, `${article.url}: ${shownBox?.links.length} links, alike query ${count}`);
      if (count === 5) full += 1;
      assert.deepEqual(log.console, [], `${article.url}: console messages`);
      assert.deepEqual(log.pageErrors, [], `${article.url}: page errors`);
      assert.deepEqual(state.problems, [], `${article.url}: uncaught errors or rejections`);
      await log.page.close();
    }
    // The default minimum hides only weak matches: on the demo, 8 of 333 pages have fewer than five.
    assert.ok(full >= articles.length * 0.95, `only ${full} of ${articles.length} pages show five links`);
  });

  test('the article is read as the sample has it: no navigation, share bar, read-more links, link lists, source line, topics, comments or footer', async () => {
    for (const article of SAMPLED.slice(0, 8)) {
      const log = await open(env, article.url);
      const read = await log.page.evaluate(async () => (await import('/alike/alike.js')).readArticle());
      assert.equal(normalise(read.article.body), normalise(article.body), `${article.url}: body`);
      assert.equal(read.article.title, article.title);
      assert.equal(read.article.date, article.date);
      assert.equal(read.article.section, article.section);
      assert.equal(new URL(read.article.url).pathname, article.url);
      assert.ok(read.exclude.some((u) => new URL(u).pathname === article.url), 'the page excludes itself');
      await log.page.close();
    }
  });

  test('markup: a labelled landmark, a list of links, dates, images with alt and size; screenshot saved', async () => {
    const article = SAMPLED[0];
    const log = await open(env, article.url);
    await settle(log.page);
    const shown = await box(log.page);
    assert.equal(shown.hosts, 1);
    assert.equal(shown.previous, 'article', 'the box goes right after the article element');
    assert.equal(shown.landmark, 'aside');
    assert.equal(shown.heading, 'Related articles');
    assert.equal(shown.label, 'Related articles', 'aria-labelledby names the heading');
    const roles = await log.page.evaluate(() => {
      const root = document.querySelector('alike-related').shadowRoot;
      return { list: root.querySelectorAll('ul > li').length, inItems: root.querySelectorAll('li a').length };
    });
    assert.equal(roles.list, 5);
    assert.equal(roles.inItems, 5);
    for (const [i, time] of shown.times.entries()) {
      assert.equal(time.datetime, byUrl.get(paths(shown.links)[i]).date, 'time[datetime] is the article date');
      assert.match(time.text, /\d{4}/);
    }
    assert.equal(shown.images.length, 5);
    for (const img of shown.images) {
      assert.equal(img.alt, '', 'decorative image: the title beside it is the text');
      assert.ok(Number(img.width) > 0 && Number(img.height) > 0);
      assert.equal(img.loading, 'lazy');
      assert.match(img.src, /^http:\/\/127\.0\.0\.1:\d+\/img\/\w+\.svg$/);
    }
    // The index's snippets are the start of each article's text.
    for (const [i, snippet] of shown.snippets.entries()) {
      const body = normalise(byUrl.get(paths(shown.links)[i]).body);
      assert.ok(body.startsWith(snippet.replace(/…$/, '')), `snippet ${i} is the start of its article`);
    }
    await log.page.locator('alike-related').scrollIntoViewIfNeeded();
    await log.page.locator('alike-related').screenshot({ path: artifact('box.png') });
    await log.page.close();
  });

  test("the page's CSS does not reach into the box, and the box's does not reach out", async () => {
    const log = await open(env, SAMPLED[0].url);
    await settle(log.page);
    const styles = await log.page.evaluate(() => {
      const root = document.querySelector('alike-related').shadowRoot;
      const css = (el) => getComputedStyle(el);
      return {
        boxHeading: css(root.querySelector('h2')).textTransform,
        pageHeading: css(document.querySelector('.more-links h2') || document.querySelector('h2')).textTransform,
        boxImageBorder: css(root.querySelector('img')).borderTopWidth,
        pageImageBorder: css(document.querySelector('.lead img')).borderTopWidth,
        boxList: css(root.querySelector('ul')).listStyleType,
        pageList: css(document.querySelector('.sidebar ol')).listStyleType,
      };
    });
    assert.equal(styles.pageHeading, 'uppercase');
    assert.equal(styles.boxHeading, 'none');
    assert.equal(styles.pageImageBorder, '4px');
    assert.equal(styles.boxImageBorder, '0px');
    assert.equal(styles.pageList, 'decimal');
    assert.equal(styles.boxList, 'none');
    await log.page.close();
  });

  test('Tab reaches every link of the box, in order', async () => {
    const log = await open(env, SAMPLED[1].url);
    await settle(log.page);
    const shown = await box(log.page);
    await log.page.evaluate(() => window.scrollTo(0, 0));
    const focused = [];
    for (let i = 0; i < 150 && focused.length < shown.links.length; i++) {
      await log.page.keyboard.press('Tab');
      const href = await log.page.evaluate(() => {
        const active = document.activeElement;
        return active?.localName === 'alike-related' ? active.shadowRoot.activeElement?.href : null;
      });
      if (href) focused.push(href);
    }
    assert.deepEqual(focused, shown.links.map((l) => l.href));
    await log.page.close();
  });

  test('alike:click tells the URL and position of a clicked link; alike:render lists the results', async () => {
    const log = await open(env, SAMPLED[2].url);
    const state = await settle(log.page);
    assert.equal(state.renders.length, 1);
    assert.equal(new URL(state.renders[0].article.url).pathname, SAMPLED[2].url);
    // Stay on the page: the test only wants the event.
    await log.page.evaluate(() => document.addEventListener('click', (e) => e.preventDefault()));
    const second = log.page.locator('alike-related a').nth(1);
    const href = await second.evaluate((a) => a.href);
    await second.click();
    const clicks = await log.page.evaluate(() => window.__alike.clicks);
    assert.deepEqual(clicks.map((c) => [c.url, c.position]), [[href, 2]]);
    await log.page.close();
  });
});

describe('loading', () => {
  // A long article, so that the end of it is more than a screen and the load margin below the fold.
  const long = [...byUrl.values()].sort((a, b) => b.body.length - a.body.length)[3];
  const engineRequests = (log) => log.requests.filter((u) => /\/alike\/(index\.json|engine-path\.js|pkg\/)/.test(u));

  test('lazy by default: nothing is fetched until the box nears the viewport, then each file once, without cache-busting', async () => {
    const log = await open(env, long.url);
    // An observer like the widget's (its margin) hears, in the same frame as the widget's, that the box is not near.
    const near = await log.page.evaluate(
      () =>
        new Promise((resolve) => {
          const observer = new IntersectionObserver(([entry]) => (observer.disconnect(), resolve(entry.isIntersecting)), { rootMargin: '1000px 0px' });
          observer.observe(document.querySelector('alike-related'));
        }),
    );
    assert.equal(near, false, 'the box starts within the load margin: the test tells nothing');
    await frames(log.page);
    assert.deepEqual(engineRequests(log), [], 'fetched before the reader came near the box');
    assert.deepEqual(await box(log.page).then((b) => b?.links.length ?? 0), 0);
    await settle(log.page);
    const fetched = engineRequests(log).map((u) => new URL(u).pathname + new URL(u).search).sort();
    assert.deepEqual(fetched, ['/alike/engine-path.js', '/alike/index.json', '/alike/pkg/alike.js', '/alike/pkg/alike_bg.wasm']);
    await log.page.close();
  });

  test('data-loading="eager" loads at once', async () => {
    const log = await open(env, long.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', loading: 'eager' })) });
    await settle(log.page, { scroll: false });
    assert.equal((await box(log.page)).links.length, 5);
    assert.equal(await log.page.evaluate(() => window.scrollY), 0);
    await log.page.close();
  });

  /**
   * The sum of layout-shift scores while the reader scrolls to the end, 200
   * px a frame, stopping where the widget starts loading until the box is
   * drawn (so that a slow machine scrolls no faster than a fast one loads);
   * and whether the box was then still below the viewport.
   */
  async function scrollAndMeasureShift(log) {
    const { page } = log;
    await page.evaluate(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    let below = null;
    const atEnd = () => page.evaluate(() => Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight);
    for (let step = 0; step < 500 && !(await atEnd()); step++) {
      await page.mouse.wheel(0, 200);
      await frames(page);
      if (below === null && engineRequests(log).length > 0) {
        await settle(page, { scroll: false });
        below = await page.evaluate(() => document.querySelector('alike-related').getBoundingClientRect().top > innerHeight);
      }
    }
    await frames(page);
    return { shift: await page.evaluate(() => window.__shift), below };
  }

  test('no layout shift: the box is drawn before the reader reaches it', async () => {
    const log = await open(env, long.url);
    const { shift, below } = await scrollAndMeasureShift(log);
    assert.ok((await box(log.page)).links.length === 5);
    assert.equal(below, true, 'the box was drawn inside the viewport');
    assert.ok(shift < 0.001, `cumulative layout shift ${shift}`);
    await log.page.close();
  });

  test('(control) the same measurement sees the shift of a box drawn inside the viewport', async () => {
    // The index is held back until the page has painted, so that the box comes after the first paint, as on a real network.
    let painted;
    const gate = new Promise((resolve) => (painted = resolve));
    const log = await open(env, long.url, {
      html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', target: '.byline', loading: 'eager' })),
      routes: [['**/alike/index.json', (route) => gate.then(() => route.continue())]],
    });
    await frames(log.page);
    painted();
    // The box is drawn while its place is on screen, before the reader scrolls.
    await settle(log.page, { scroll: false });
    const { shift } = await scrollAndMeasureShift(log);
    assert.ok(shift > 0.01, `cumulative layout shift ${shift}`);
    assert.equal(alikeMessages(log).length, 0);
    await log.page.close();
  });
});
