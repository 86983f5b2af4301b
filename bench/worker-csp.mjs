#!/usr/bin/env node
// Which kinds of worker script a page's Content-Security-Policy lets the
// shim start, and what the page's console and CSP reports show when it does
// not (issue 16: the date warm-up's worker is a request of its own when its
// script is the shim's file; a blob: or data: URL is none). Each policy is
// sent as a header on a page that tries `new Worker(URL, {type: 'module'})`
// for one kind of URL, catching what it throws, and waits for the worker's
// message or error.
//
//   node bench/worker-csp.mjs

import { createServer } from 'node:http';

import { launch } from './lib/browser.mjs';

const WORKER = "postMessage(new Intl.DateTimeFormat('en',{dateStyle:'medium',timeZone:'UTC'}).format(0))";
const POLICIES = ['', "script-src 'self'", "script-src 'self'; worker-src 'self'", "script-src 'self' blob:", "default-src 'self'", "worker-src 'none'"];
const KINDS = {
  'same file': "new URL('/worker.js', location.href).href",
  'blob:': `URL.createObjectURL(new Blob([${JSON.stringify(WORKER)}], { type: 'text/javascript' }))`,
  'data:': `'data:text/javascript,' + encodeURIComponent(${JSON.stringify(WORKER)})`,
};
// The page's own script is a file of its own, which `script-src 'self'` allows.
const script = (kind) => `window.violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
window.result = new Promise((done) => {
  try {
    const w = new Worker(${KINDS[kind]}, { type: 'module' });
    w.onmessage = (e) => done('answered ' + e.data);
    w.onerror = () => done('error event');
  } catch (e) {
    done('threw ' + e.name);
  }
});
`;

const server = createServer((q, r) => {
  const url = new URL(q.url, 'http://x');
  if (url.pathname === '/worker.js') return r.writeHead(200, { 'content-type': 'text/javascript' }).end(WORKER);
  if (url.pathname === '/page.js') return r.writeHead(200, { 'content-type': 'text/javascript' }).end(script(url.searchParams.get('kind')));
  const csp = url.searchParams.get('csp');
  const html = `<!doctype html><title>w</title><script type="module" src="/page.js?kind=${encodeURIComponent(url.searchParams.get('kind'))}"></script>`;
  r.writeHead(200, { 'content-type': 'text/html', ...(csp && { 'content-security-policy': csp }) }).end(html);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const browser = await launch();
console.log('| Policy | Worker script | Outcome | Console | CSP violation events |\n| --- | --- | --- | --- | --- |');
try {
  for (const csp of POLICIES) {
    for (const kind of Object.keys(KINDS)) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      const console_ = [];
      tab.on('console', (m) => console_.push(`${m.type()}: ${m.text().slice(0, 90)}`));
      await tab.goto(`http://127.0.0.1:${server.address().port}/?kind=${encodeURIComponent(kind)}&csp=${encodeURIComponent(csp)}`);
      const outcome = await tab.evaluate(() => window.result);
      await tab.waitForTimeout(200); // late console messages
      const violations = await tab.evaluate(() => window.violations);
      console.log(`| ${csp || '(none)'} | ${kind} | ${outcome} | ${console_.join('<br>') || '-'} | ${violations.join(', ') || '-'} |`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
