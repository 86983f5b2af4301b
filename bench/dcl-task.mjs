#!/usr/bin/env node
// Diagnostic (issue 15): the task that holds DOMContentLoaded on demo pages
// with and without the shim's script tag (a copy of each page without it,
// PAGE-noshim.html), traced at 4x CPU slow-down with the bench's probe (its
// scroll to the page's end): wall and thread CPU time, and the biggest
// events in it. Shows what that task costs a page with no widget at all.
//
//   node bench/dcl-task.mjs SITE   (a demo site, e.g. bench/out/mainthread/sites/current-default)

import { readFileSync, writeFileSync } from 'node:fs';

import { launch, probe, serve } from './lib/browser.mjs';
import { EVENTS } from './lib/internals.mjs';
import { startTrace } from './lib/tasktrace.mjs';

const root = process.argv[2];
if (!root) throw new Error('usage: node bench/dcl-task.mjs SITE');
const pages = ['business/001', 'politics/038', 'sport/029', 'tech/022', 'entertainment/051'];
for (const p of pages) {
  const html = readFileSync(`${root}/${p}.html`, 'utf8');
  const without = html.replace(/<script type="module" src="\/alike\/alike.js"[^>]*><\/script>/, '');
  if (without === html) throw new Error('no script tag');
  writeFileSync(`${root}/${p}-noshim.html`, without);
}
const server = await serve(root);
const browser = await launch();
const session = await browser.newBrowserCDPSession();
for (const round of [0, 1]) for (const p of pages) for (const kind of round ? ['-noshim', ''] : ['', '-noshim']) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(probe, EVENTS);
  const trace = await startTrace(session);
  const url = `${server.url}/${p}${kind}.html`;
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(ok)))));
  const ev = await trace.stop();
  const nav = ev.filter((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === url).at(-1);
  const th = ev.filter((e) => e.pid === nav.pid && e.tid === nav.tid && e.ph === 'X');
  const dcl = th.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'DOMContentLoaded');
  const task = th.filter((e) => e.name === 'RunTask' && e.ts <= dcl.ts && e.ts + e.dur >= dcl.ts + dcl.dur).sort((a, b) => b.dur - a.dur)[0];
  const inside = th.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
  const top = inside.filter((e) => !inside.some((q) => q !== e && q.ts <= e.ts && q.ts + q.dur >= e.ts + e.dur));
  const load = th.some((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'load' && e.ts >= task.ts && e.ts <= task.ts + task.dur);
  console.log(`${p}${kind.padEnd(8)} DCL task: wall ${(task.dur / 1000).toFixed(1)} ms, thread CPU ${(task.tdur / 1000).toFixed(1)} ms; in traced events ${(top.reduce((a, e) => a + (e.tdur || 0), 0) / 1000).toFixed(1)} ms CPU; load in it: ${load}; ${top.filter((e) => e.dur > 1000).map((e) => `${e.name} ${(e.tdur / 1000).toFixed(1)}`).join(', ')}`);
  await context.close();
}
await browser.close();
await server.close();
