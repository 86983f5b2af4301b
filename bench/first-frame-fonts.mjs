#!/usr/bin/env node
// Diagnostic (issue 15): what the box's first frame pays for. On demo pages
// at 4x CPU slow-down, once the widget has drawn its box, a copy of the box
// is inserted after it and laid out (a forced layout, timed), then removed:
// the same box again, and with a font size or family the page has not used.
// Prints the style and layout time, then the time to the next frame's end.
//
//   node bench/first-frame-fonts.mjs SITE   (a demo site built with its lists, e.g. bench/out/mainthread/sites/current-default)

import { launch, serve } from './lib/browser.mjs';

if (!process.argv[2]) throw new Error('usage: node bench/first-frame-fonts.mjs SITE');
const server = await serve(process.argv[2]);
const browser = await launch();
const pages = ['/business/001.html', '/politics/038.html', '/sport/040.html', '/tech/011.html', '/entertainment/006.html'];
for (const p of pages) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(() => { window.__r = new Promise((ok) => document.addEventListener('alike:render', ok, { once: true })); addEventListener('DOMContentLoaded', () => scrollTo(0, document.documentElement.scrollHeight)); });
  await page.goto(server.url + p);
  const out = await page.evaluate(async () => {
    await window.__r;
    const frame = () => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0)));
    await frame(); await frame();
    await new Promise((ok) => requestIdleCallback(ok));
    const host = document.querySelector('alike-related');
    const res = {};
    const clone = (mutate) => {
      const c = document.createElement('alike-related-copy');
      const sr = c.attachShadow({ mode: 'open' });
      sr.adoptedStyleSheets = host.shadowRoot.adoptedStyleSheets;
      const aside = host.shadowRoot.querySelector('aside').cloneNode(true);
      mutate?.(aside);
      sr.append(aside);
      return c;
    };
    for (const [name, mutate] of [['same', null], ['new size 13.3px', (a) => (a.style.fontSize = '13.3px')], ['new size 15.1px', (a) => (a.style.fontSize = '15.1px')], ['monospace', (a) => (a.style.fontFamily = 'monospace')], ['same again', null]]) {
      const c = clone(mutate);
      const t0 = performance.now();
      host.after(c);
      void c.offsetHeight; // style + layout, forced
      const t1 = performance.now();
      await frame();
      res[name] = { styleLayout: +(t1 - t0).toFixed(1), thenFrame: +(performance.now() - t1).toFixed(1) };
      c.remove();
      await frame();
    }
    return res;
  });
  console.log(p, JSON.stringify(out));
  await context.close();
}
await browser.close(); await server.close();
