// Nothing the reader feels (issue 15): the widget's work on the page's main
// thread comes in tasks of its own, none of them long on a slow phone. On a
// page answered by a stored list, the one call that would be (the page's
// first Intl.DateTimeFormat, 40-60 ms at 4x CPU slow-down: V8 lists ICU's
// date locales once per process) is paid by a worker of the shim's own
// file, and reading the list, building the date formatter and drawing the
// box are three tasks. The box is first laid out unseen and out of the
// page's flow (the browser sets up the fonts it had not used, 10-20 ms at
// 4x each), in steps, a task each, and shown in the next, so that the
// frame that shows it has little layout left; its pictures come a frame
// later. Told by the widget's yields to the page between those
// steps, not by timing (bench/mainthread.mjs measures the tasks).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { alikeMessages, box, DEFAULT_SITE, open, SAMPLED, SCRIPT_TAG, scriptTag, settle, start } from './helpers.mjs';

let env;
before(async () => (env = await start({ root: DEFAULT_SITE })));
after(() => env?.close());

// Runs in the page before its scripts: counts the widget's yields to the
// page (scheduler.yield, else a MessageChannel's message: www/alike.js
// `yieldToPage`) and notes how many had been asked for when the list file
// was parsed, when a date formatter was made, when the box was drawn and
// when it was shown (with how it stood just before: `window.__unseen`).
// A step noted after more yields than another ran in a later task.
function steps() {
  let yields = 0;
  const noted = (window.__steps = []);
  const note = (step) => noted.push([step, yields]);
  if (globalThis.scheduler?.yield) {
    const original = scheduler.yield.bind(scheduler);
    scheduler.yield = () => (yields++, original());
  } else {
    const original = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (...args) {
      yields++;
      return original.apply(this, args);
    };
  }
  const json = Response.prototype.json;
  Response.prototype.json = function () {
    const path = new URL(this.url).pathname;
    return json.call(this).then((value) => (path.startsWith('/alike/l/') && note('list'), value));
  };
  Intl.DateTimeFormat = new Proxy(Intl.DateTimeFormat, { construct: (target, args) => (note('dates'), Reflect.construct(target, args)) });
  const replace = DocumentFragment.prototype.replaceChildren;
  DocumentFragment.prototype.replaceChildren = function (...nodes) {
    if (this instanceof ShadowRoot && this.host.localName === 'alike-related') {
      note('draw');
      window.__waiting = nodes.find((n) => n.localName === 'aside').querySelectorAll('[data-wait]').length;
    }
    return replace.apply(this, nodes);
  };
  const remove = Element.prototype.removeAttribute;
  Element.prototype.removeAttribute = function (name) {
    const root = this.getRootNode();
    const ours = root instanceof ShadowRoot && root.host.localName === 'alike-related';
    // A part of the box laid out unseen, at its step.
    if (name === 'data-wait' && ours) note('part');
    if (name === 'data-unseen' && ours) {
      note('shown');
      const style = getComputedStyle(this);
      window.__unseen = {
        visibility: style.visibility,
        position: style.position,
        hostHeight: root.host.getBoundingClientRect().height,
        boxHeight: this.getBoundingClientRect().height,
        waiting: this.querySelectorAll('[data-wait]').length,
      };
      const out = remove.call(this, name);
      // The pictures as the box is shown, and in the frame that shows it (its animation frame callbacks run just before it is drawn).
      const seen = () => [...this.querySelectorAll('img')].map((img) => getComputedStyle(img).visibility);
      window.__unseen.pictures = seen();
      requestAnimationFrame(() => (window.__unseen.picturesInFrame = seen()));
      return out;
    }
    return remove.call(this, name);
  };
}

/** The box's pictures, how they stand: visible or not. */
const pictures = (page) => page.evaluate(() => [...document.querySelector('alike-related').shadowRoot.querySelectorAll('img')].map((img) => getComputedStyle(img).visibility));

/** How the box stands once shown: whether it is seen, in the page's flow, and the host as tall as the box. */
const shownBox = (page) =>
  page.evaluate(() => {
    const host = document.querySelector('alike-related');
    const aside = host.shadowRoot.querySelector('aside');
    const style = getComputedStyle(aside);
    return { unseen: aside.hasAttribute('data-unseen'), visibility: style.visibility, position: style.position, flow: host.getBoundingClientRect().height >= aside.getBoundingClientRect().height };
  });

/** Opens an indexed article's page: its log, the workers it started, and the steps noted. */
async function listPage(article, options = {}) {
  const workers = [];
  const log = await open(env, article.url, {
    ...options,
    before: async (page) => {
      page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
      await page.addInitScript(steps);
    },
  });
  const state = await settle(log.page);
  const noted = await log.page.evaluate(() => window.__steps);
  return { log, state, workers, noted };
}

test('a page answered by its stored list: a worker of the shim warms the dates; the list, the date formatter, the box unseen and the box shown each come in a task of their own', async () => {
  for (const article of SAMPLED.slice(0, 3)) {
    const { log, state, workers, noted } = await listPage(article);
    assert.equal(state.renders.length, 1, `${article.url}: one box`);
    assert.ok(await box(log.page), `${article.url}: no box`);
    // No engine: the only worker is the shim's own, for the dates.
    assert.deepEqual(workers, ['/alike/alike.js'], `${article.url}: workers`);
    const at = (step) => noted.find(([s]) => s === step)?.[1];
    const parts = noted.filter(([s]) => s === 'part').map(([, yields]) => yields);
    assert.deepEqual(noted.map(([s]) => s).filter((s) => s !== 'part'), ['list', 'dates', 'draw', 'shown'], `${article.url}: the steps, in order`);
    assert.ok(at('list') < at('dates'), `${article.url}: the date formatter was made in the list's task (${JSON.stringify(noted)})`);
    assert.ok(at('dates') < at('draw'), `${article.url}: the box was drawn in the date formatter's task (${JSON.stringify(noted)})`);
    // Built with all but its heading waiting (the list, the first result's snippet and date, the other results);
    // then laid out in four steps, a task each (its heading; the list with the first link; the first snippet
    // and date; the other results); then shown, in another.
    const waiting = await log.page.evaluate(() => window.__waiting);
    const results = state.renders[0].results;
    assert.equal(waiting, 1 + 2 + (results.length - 1), `${article.url}: the parts of the box left to wait`);
    assert.equal(parts.length, waiting, `${article.url}: every part laid out (${JSON.stringify(noted)})`);
    const steps = [...new Set(parts)];
    assert.equal(steps.length, 3, `${article.url}: the parts laid out in three steps after the heading's (${JSON.stringify(noted)})`);
    assert.ok(at('draw') < steps[0] && steps.at(-1) < at('shown'), `${article.url}: the steps between drawing and showing (${JSON.stringify(noted)})`);
    assert.ok(at('shown') - at('draw') >= 5, `${article.url}: the box was not laid out in four tasks and shown in a fifth (${JSON.stringify(noted)})`);
    // Until shown, the box was laid out whole (it has a height) but unseen, and took no room in the page.
    const { pictures: shownWith, picturesInFrame, ...unseen } = await log.page.evaluate(() => window.__unseen);
    assert.deepEqual({ ...unseen, boxHeight: unseen.boxHeight > 0 }, { visibility: 'hidden', position: 'fixed', hostHeight: 0, boxHeight: true, waiting: 0 }, `${article.url}: the box before it was shown`);
    const hidden = results.filter((r) => r.image).map(() => 'hidden');
    assert.deepEqual({ shownWith, picturesInFrame }, { shownWith: hidden, picturesInFrame: hidden }, `${article.url}: the pictures, as the box was shown and in the frame that showed it`);
    assert.deepEqual(await shownBox(log.page), { unseen: false, visibility: 'visible', position: 'static', flow: true }, `${article.url}: the box shown`);
    // Its pictures come in a later frame than its text, and come.
    assert.ok(results.some((r) => r.image), `${article.url}: a result with a picture`);
    await log.page.waitForFunction(() => !document.querySelector('alike-related').shadowRoot.querySelector('[data-bare]'));
    assert.ok((await pictures(log.page)).every((v) => v === 'visible'), `${article.url}: the pictures shown`);
    assert.deepEqual(log.console, [], `${article.url}: console messages`);
    assert.deepEqual(log.pageErrors, []);
    await log.page.close();
  }
});

test('a box of more results is laid out four results a step: none of its steps holds more', async () => {
  const { log, state, noted } = await listPage(SAMPLED[2], { html: (h) => h.replace(SCRIPT_TAG, scriptTag({ count: 10 })) });
  const n = state.renders[0].results.length;
  assert.ok(n > 5, `${n} results`);
  const parts = noted.filter(([s]) => s === 'part').map(([, yields]) => yields);
  const perStep = [...new Set(parts)].map((y) => parts.filter((p) => p === y).length);
  // The list; the first snippet and date; then the other results, four a step.
  const rest = Array.from({ length: Math.ceil((n - 1) / 4) }, (_, i) => Math.min(4, n - 1 - 4 * i));
  assert.deepEqual(perStep, [1, 2, ...rest], JSON.stringify(noted));
  assert.equal((await shownBox(log.page)).visibility, 'visible');
  assert.deepEqual(log.pageErrors, []);
  await log.page.close();
});

test("where the page's policy forbids workers, a page answered by its stored list still gets its box, its steps in tasks of their own, and no word from the widget", async () => {
  const policy = "default-src 'self'; script-src 'self'; worker-src 'none'";
  const { log, state, workers, noted } = await listPage(SAMPLED[1], { headers: { 'content-security-policy': policy } });
  assert.equal(state.renders.length, 1);
  assert.deepEqual(workers, []);
  const steps = noted.filter(([s]) => s !== 'part');
  assert.deepEqual(steps.map(([s]) => s), ['list', 'dates', 'draw', 'shown']);
  assert.ok(steps[0][1] < steps[1][1] && steps[1][1] < steps[2][1] && steps[2][1] < steps[3][1], JSON.stringify(noted));
  assert.equal((await shownBox(log.page)).visibility, 'visible');
  // Chromium reports the refused worker itself; the widget says nothing.
  assert.deepEqual(alikeMessages(log), []);
  assert.deepEqual(log.pageErrors, []);
  await log.page.close();
});
