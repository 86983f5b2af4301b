#!/usr/bin/env node
// What a page's first Intl calls cost on the main thread (issue 15): each
// sequence of steps runs in a fresh context with the CPU slowed --rate
// times, one step per task, and prints each step's wall time (ms). The
// first Intl.DateTimeFormat of a process builds V8's list of ICU date
// locales; `worker` builds one in a worker first (the widget's warm-up).
//
//   node bench/intl-cost.mjs [--rate 4] [--runs 3] SEQUENCE ...
//   e.g. node bench/intl-cost.mjs dates,format supported,dates worker,dates collator,dates
//
// Steps: dates (new Intl.DateTimeFormat('en-GB', {dateStyle:'medium',
// timeZone:'UTC'})), format (the same, formatting), supported
// (DateTimeFormat.supportedLocalesOf), worker (a worker builds `dates`;
// printed: its start on the main thread, then the wait for its answer),
// collator, number, segmenter, list, plural (the other Intl services).

import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { launch } from './lib/browser.mjs';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { rate: { type: 'string', default: '4' }, runs: { type: 'string', default: '3' } } });
const STEPS = ['dates', 'format', 'supported', 'worker', 'collator', 'number', 'segmenter', 'list', 'plural'];
for (const s of positionals.flatMap((p) => p.split(','))) if (!STEPS.includes(s)) throw new Error(`intl-cost: "${s}" is none of ${STEPS.join(', ')}`);

const WORKER = "new Intl.DateTimeFormat('en-GB',{dateStyle:'medium',timeZone:'UTC'}).format(0);postMessage(1)";
const PAGE = `<!doctype html><html lang="en-GB"><body><p>x</p><script>
window.results = (async () => {
  const out = [];
  const dates = () => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
  for (const step of new URLSearchParams(location.search).get('steps').split(',')) {
    await new Promise((next) => setTimeout(next, 20)); // a task of its own
    const t = performance.now();
    if (step === 'worker') {
      const w = new Worker('/worker.js');
      out.push(['worker start', performance.now() - t]);
      const t2 = performance.now();
      await new Promise((done) => (w.onmessage = done));
      out.push(['worker answer', performance.now() - t2]);
      w.terminate();
      continue;
    }
    ({
      dates,
      format: () => dates().format(0),
      supported: () => Intl.DateTimeFormat.supportedLocalesOf(['en-GB']),
      collator: () => new Intl.Collator('en-GB'),
      number: () => new Intl.NumberFormat('en-GB'),
      segmenter: () => new Intl.Segmenter('en'),
      list: () => new Intl.ListFormat('en-GB'),
      plural: () => new Intl.PluralRules('en-GB'),
    })[step]();
    out.push([step, performance.now() - t]);
  }
  return out;
})();
</script></body></html>`;

const server = createServer((q, r) => {
  const js = q.url.startsWith('/worker.js');
  r.setHeader('content-type', js ? 'text/javascript' : 'text/html');
  r.end(js ? WORKER : PAGE);
});
await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
const port = server.address().port;
const browser = await launch();
try {
  for (let run = 0; run < Number(args.runs); run++) {
    for (const steps of positionals) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: Number(args.rate) });
      await page.goto(`http://127.0.0.1:${port}/?steps=${steps}`);
      const out = await page.evaluate(() => window.results);
      console.log(`${args.rate}x: ${out.map(([s, ms]) => `${s} ${ms.toFixed(1)} ms`).join(', ')}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
