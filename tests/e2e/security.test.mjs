// The index is untrusted: an index whose titles, URLs, images and snippets
// carry script payloads renders as text, links only to http(s), and changes
// nothing outside the box.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { articles, box, boxImagesDone, cliIndex, cliQuery, frames, open, SAMPLED, SCRIPT_TAG, scriptTag, settle, start } from './helpers.mjs';

let env;
before(async () => (env = await start()));
after(() => env?.close());

const article = SAMPLED[0];
const mark = (what) => `window.__alike.pwned.push('${what}')`;

// The ten articles the real index finds most related, made hostile one way each.
const HOSTILE = [
  (a) => ({ ...a, title: `<script>${mark('title script')}</script>${a.title}` }),
  (a) => ({ ...a, title: `<img src=x onerror="${mark('title img')}">`, url: `javascript:${mark('href')}` }),
  (a) => ({ ...a, url: ` JaVaScRiPt:${mark('mixed case')}` }),
  (a) => ({ ...a, url: `java\tscript:${mark('tab')}` }),
  (a) => ({ ...a, url: `\u0001javascript:${mark('control character')}` }),
  (a) => ({ ...a, url: `data:text/html,<script>${mark('data url')}</script>` }),
  (a) => ({ ...a, url: 'vbscript:msgbox(1)' }),
  (a) => ({ ...a, image: `javascript:${mark('image url')}` }),
  (a) => ({ ...a, image: `x" onerror="${mark('image attribute')}`, body: `<img src=x onerror="${mark('snippet')}"> ${a.body}` }),
  (a) => ({ ...a, image: `data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="${mark('svg')}"/>`, title: `"><iframe srcdoc="<script>${mark('iframe')}</script>">` }),
];

// What a browser would make of a URL, by Node's WHATWG URL parser: only http(s) may be shown.
const safe = (url) => {
  try {
    return ['http:', 'https:'].includes(new URL(url, 'http://example.com/').protocol);
  } catch {
    return false;
  }
};

test('a hostile index: nothing runs, no unsafe link or image exists, nothing outside the box changes', async () => {
  const top = cliQuery([article], { k: HOSTILE.length }).get(article.url);
  const hostile = new Map(top.map((url, i) => [url, HOSTILE[i]]));
  const records = articles.map((a) => (hostile.has(a.url) ? hostile.get(a.url)(a) : a));
  // `alike index` refuses such URLs and drops such images, but whoever
  // serves an index need not have used it: the index is built with
  // stand-ins, which are then swapped for the hostile values in its JSON.
  const standIns = new Map();
  const standIn = (value) => {
    const url = `https://stand-in.invalid/${standIns.size}`;
    standIns.set(url, value);
    return url;
  };
  const buildable = records.map((r, i) => ({
    ...r,
    url: r.url === articles[i].url ? r.url : standIn(r.url),
    ...(r.image ? { image: standIn(r.image) } : {}),
  }));
  let index = cliIndex(buildable, ['--snippet-chars', '160', '--image-origins', '*']);
  for (const [url, value] of standIns) index = index.replaceAll(url, JSON.stringify(value).slice(1, -1));
  // What the engine returns from this index, through the CLI: the box must show exactly its safe part.
  const expected = withTempFile(index, (file) => cliQuery([article], { k: 10, index: file }).get(article.url));
  const hostileUrls = new Set(records.filter((r, i) => hostile.has(articles[i].url)).map((r) => r.url));
  assert.ok(expected.filter((u) => hostileUrls.has(u)).length >= 8, 'the hostile articles are among the related ones');

  const log = await open(env, article.url, {
    html: (h) => h.replace(SCRIPT_TAG, scriptTag({ index: '/alike/index.json', count: 10 })),
    routes: [['**/alike/index.json', (route) => route.fulfill({ contentType: 'application/json', body: index })]],
  });
  const state = await settle(log.page);
  // Give any payload every chance: hover and focus each link, let images load.
  for (const link of await log.page.locator('alike-related a').all()) {
    await link.hover();
    await link.focus();
  }
  await boxImagesDone(log.page);
  await frames(log.page);

  const shown = await box(log.page);
  const shownUrls = shown.links.map((l) => l.raw);
  const expectedShown = expected.filter(safe).map((u) => new URL(u, env.url + '/').href);
  assert.deepEqual(shownUrls, expectedShown, 'the box shows the safe results, in order');
  assert.ok(expected.length - expectedShown.length >= 5, 'unsafe results were left out');

  const dom = await log.page.evaluate(() => {
    const root = document.querySelector('alike-related').shadowRoot;
    const all = [...document.querySelectorAll('*'), ...root.querySelectorAll('*')];
    return {
      hrefs: all.filter((el) => el.hasAttribute('href')).map((el) => el.href),
      srcs: all.filter((el) => el.hasAttribute('src')).map((el) => el.src),
      handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.localName} ${a.name}`)),
      tagsInBox: [...new Set([...root.querySelectorAll('*')].map((el) => el.localName))].sort(),
      titles: [...root.querySelectorAll('a')].map((a) => a.textContent),
      snippets: [...root.querySelectorAll('p')].map((p) => p.textContent),
      outside: (() => {
        const body = document.body.cloneNode(true);
        body.querySelectorAll('alike-related').forEach((el) => el.remove());
        return body.outerHTML;
      })(),
    };
  });
  assert.deepEqual(state.pwned, [], 'a payload ran');
  for (const url of [...dom.hrefs, ...dom.srcs]) assert.match(url, /^https?:/, `unsafe URL ${url}`);
  assert.deepEqual(dom.handlers, []);
  assert.deepEqual(dom.tagsInBox, ['a', 'aside', 'div', 'h2', 'img', 'li', 'p', 'time', 'ul']);
  assert.ok(dom.titles.some((t) => t.startsWith('<script>')), 'a title with markup shows as text');
  assert.ok(dom.snippets.some((t) => t.startsWith('<img src=x onerror=')), 'a snippet with markup shows as text');
  assert.equal(dom.outside, state.before, 'the page outside the box changed');
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(state.problems, []);
  // The image named `x" onerror=...` is a harmless relative URL, so the browser asks for it and gets a 404.
  assert.deepEqual(log.console.filter((m) => m.type === 'error' && !/^Failed to load resource: .* 404/.test(m.text)), []);
  assert.ok(log.requests.some((u) => u.includes('/x%22%20onerror=')));
  await log.page.close();
});

function withTempFile(text, use) {
  const dir = mkdtempSync(join(tmpdir(), 'alike-e2e-hostile-'));
  try {
    writeFileSync(join(dir, 'index.json'), text);
    return use(join(dir, 'index.json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
