// The browser side: a static server on 127.0.0.1 that sends precompressed
// gzip as a real static host does, Debian's Chromium driven by
// playwright-core, and byte counts from Chromium's own network events (CDP).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';
import sirv from 'sirv';

import { EVENTS } from './internals.mjs';
import { gzipBytes } from './util.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What a static host compresses. Pagefind's own files (.pf_*, .pagefind) are gzipped by Pagefind already. */
const COMPRESSIBLE = /\.(html|css|js|mjs|json|wasm|svg|txt)$/;
/** Cache lifetime the server sends, as GitHub Pages does (max-age=600): a second page reuses the widget's files. */
export const MAX_AGE = 600;

/**
 * Writes `file.gz` (level 9) beside every compressible file under `root`,
 * but for those whose `.gz` is already newer (a folder precompressed before).
 * Returns how many it wrote.
 */
export function precompress(root) {
  let files = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (COMPRESSIBLE.test(entry.name) && !(existsSync(path + '.gz') && statSync(path + '.gz').mtimeMs >= statSync(path).mtimeMs)) {
        writeFileSync(path + '.gz', gzipBytes(readFileSync(path)));
        files++;
      }
    }
  };
  walk(root);
  return files;
}

/**
 * Serves `root` on 127.0.0.1 with sirv: precompressed `.gz` files when the
 * browser accepts gzip, ETags, `Cache-Control: public,max-age=600`.
 * `isolated` adds COOP/COEP so that performance.now() has 5 µs steps, not
 * 100 µs. Files are looked up per request (sirv's `dev`, whose no-cache is
 * replaced by the max-age above, so the headers are those of its cached
 * mode), so that a root holding a million-article index's shards starts at
 * once instead of listing them all first.
 */
export function serve(root, { isolated = false, http2 = false } = {}) {
  const files = sirv(root, {
    dev: true,
    gzip: true,
    etag: true,
    setHeaders(res) {
      res.setHeader('Cache-Control', `public,max-age=${MAX_AGE}`);
      if (isolated) {
        res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
        res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      }
    },
  });
  // The server's own count of body bytes sent per request: a cross-check,
  // and the only count for a worker's script, whose body Chromium reports as 0.
  const sent = [];
  const handle = (req, res) => {
    const entry = { path: decodeURIComponent(req.url.split('?')[0]), bytes: 0 };
    sent.push(entry);
    for (const method of ['write', 'end']) {
      const original = res[method].bind(res);
      res[method] = (chunk, ...rest) => {
        if (chunk && typeof chunk !== 'function') entry.bytes += Buffer.byteLength(chunk);
        return original(chunk, ...rest);
      };
    }
    files(req, res, () => {
      res.statusCode = 404;
      res.end('Not found\n');
    });
  };
  const server = http2 ? createSecureServer({ ...certificate(), allowHTTP1: true }, handle) : createServer(handle);
  const scheme = http2 ? 'https' : 'http';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `${scheme}://127.0.0.1:${server.address().port}`, sent, close: () => new Promise((done) => server.close(done)) }),
    );
  });
}

let cert;
/** A self-signed certificate for 127.0.0.1, made once per run with openssl. */
function certificate() {
  if (!cert) {
    const dir = mkdtempSync(join(tmpdir(), 'alike-bench-tls-'));
    const [key, crt] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    cert = { key: readFileSync(key), cert: readFileSync(crt) };
  }
  return cert;
}

/** Whether this machine can serve HTTP/2 to the browser (openssl makes its certificate). */
export function canServeHttp2() {
  try {
    certificate();
    return true;
  } catch {
    return false;
  }
}

/** A Chromium with a fresh temporary profile. Each `newContext()` has a cold cache. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Records every request of `page` from CDP: URL, start (wall-clock ms),
 * bytes on the wire (`Network.loadingFinished` encodedDataLength: body as
 * sent plus HTTP headers), body bytes, status, and whether a cache answered.
 */
export async function network(page) {
  const cdp = await page.context().newCDPSession(page);
  const requests = new Map();
  let offset = null; // wall-clock ms minus monotonic ms, from the first request
  cdp.on('Network.requestWillBeSent', (e) => {
    if (offset === null) offset = e.wallTime * 1000 - e.timestamp * 1000;
    requests.set(e.requestId, { url: e.request.url, start: e.wallTime * 1000, bytes: 0, body: 0, status: 0, cached: false, done: false });
  });
  cdp.on('Network.requestServedFromCache', (e) => requests.has(e.requestId) && (requests.get(e.requestId).cached = true));
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    r.status = e.response.status;
    r.encoding = e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || '';
    if (e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker) r.cached = true;
  });
  cdp.on('Network.dataReceived', (e) => requests.has(e.requestId) && (requests.get(e.requestId).body += e.encodedDataLength));
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (!r) return;
    r.bytes = e.encodedDataLength;
    r.end = offset === null ? null : e.timestamp * 1000 + offset;
    r.done = true;
  });
  await cdp.send('Network.enable');
  // The page's workers' requests (the engine runs in one), which this
  // session does not see: Playwright reports them, as the page's, on the
  // context. Its sizes are Chromium's too (body as sent plus headers).
  const finished = [];
  page.context().on('requestfinished', (request) => {
    let own = false;
    try {
      own = request.frame().page() === page;
    } catch {
      // A service worker's request: not the page's.
    }
    if (!own) return;
    Promise.all([request.sizes(), request.response()]).then(
      ([sizes, response]) => {
        const timing = request.timing();
        const start = timing.startTime;
        const status = response?.status() ?? 0;
        finished.push({ url: request.url(), start, end: timing.responseEnd >= 0 ? start + timing.responseEnd : null, bytes: sizes.responseBodySize + sizes.responseHeadersSize, body: sizes.responseBodySize, status, cached: false, done: true });
      },
      () => {},
    );
  });
  /**
   * The session's requests, completed by Playwright's: one the session saw
   * start but not finish (the worker's own script: the browser fetches it)
   * takes Playwright's sizes; one it never saw is added.
   */
  const all = () => {
    const mine = [...requests.values()].map((r) => ({ ...r }));
    const extra = [];
    for (const r of finished) {
      const same = mine.find((m) => m.url === r.url && !m.matched);
      if (!same) extra.push({ ...r, fromContext: true });
      else if (!same.done || !same.bytes) Object.assign(same, r, { start: same.start, matched: true, fromContext: true });
      else same.matched = true;
    }
    return [...mine, ...extra].map(({ matched, ...r }) => r);
  };
  return {
    cdp,
    list: all,
    /** Requests the page (or a worker of its) started before wall-clock time `ms`. */
    before: (ms) => all().filter((r) => r.start <= ms),
  };
}

/**
 * Every request of a browser context as Playwright reports it, workers'
 * included (Pagefind searches in a worker, which a page's CDP session does
 * not see). Sizes are Chromium's: response body as sent plus headers.
 */
export function contextRequests(context) {
  const pending = [];
  context.on('requestfinished', (request) =>
    pending.push(
      request.sizes().then((sizes) => ({
        url: request.url(),
        path: new URL(request.url()).pathname,
        body: sizes.responseBodySize,
        bytes: sizes.responseBodySize + sizes.responseHeadersSize,
      })),
    ),
  );
  return () => Promise.all(pending);
}

/** The JS heap after a full garbage collection, from CDP (bytes used). */
export async function heap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/**
 * Runs in every demo page before its scripts: notes when the box is drawn,
 * or why not, and scrolls to the end as soon as the page is parsed (and
 * again once it has loaded), as a reader heading for the box would: the
 * shim loads lazily, about a screen ahead of the box's place.
 */
export function probe(events) {
  window.__bench = { render: null, error: null, origin: performance.timeOrigin };
  // Room for every shard's timing entry (the default keeps 250).
  performance.setResourceTimingBufferSize(100000);
  document.addEventListener(events.render, () => (window.__bench.render ??= performance.now()));
  document.addEventListener(events.error, (e) => (window.__bench.error ??= e.detail));
  const toEnd = () => window.scrollTo(0, document.documentElement.scrollHeight);
  document.addEventListener('DOMContentLoaded', toEnd);
  window.addEventListener('load', toEnd);
}

export const sum = (requests, key = 'bytes') => requests.reduce((total, r) => total + r[key], 0);

/**
 * Opens `url` in `context` and waits for the box. Returns the time from
 * navigation start to the `alike:render` event and every request started
 * before it. With `index` (the index's URL, as the page asks for it), also
 * when that first request started (`indexStartMs`, the page's Resource
 * Timing `startTime`, on the same clock as the render time). The page is
 * left open for the caller (memory, a second search).
 */
export async function firstBox(context, url, { timeout = 60000, index, rttMs = 0, server } = {}) {
  const page = await context.newPage();
  const net = await network(page);
  const mark = server?.sent.length ?? 0;
  // Chromium adds the latency to every request, as a distant server would.
  if (rttMs) await net.cdp.send('Network.emulateNetworkConditions', { offline: false, latency: rttMs, downloadThroughput: -1, uploadThroughput: -1 });
  await page.addInitScript(probe, EVENTS);
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bench.render !== null || window.__bench.error !== null, null, { timeout, polling: 50 });
  const { render, error, origin } = await page.evaluate(() => window.__bench);
  if (error) throw Object.assign(new Error(`the widget gave up on ${url}: ${JSON.stringify(error)}`), { detail: error });
  const entry = index ? await page.evaluate((name) => performance.getEntriesByName(name).map((e) => ({ start: e.startTime, protocol: e.nextHopProtocol }))[0] ?? null, index) : null;
  const indexStartMs = index ? (entry?.start ?? null) : undefined;
  // Whatever the box itself starts (its pictures) comes after; let it land so the log is complete.
  await page.waitForLoadState('networkidle').catch(() => {});
  const requests = net.before(origin + render);
  // The engine's worker script: Chromium's count of it is short (over
  // HTTP/1.1 its headers alone, over HTTP/2 a few bytes); `server`'s count
  // of the body it sent (when given) stands in where a request's whole
  // count is less than that body. Each response the server sent pairs with
  // the first request for its path, in order, whatever was counted: a
  // request the browser answered from its cache has none left to pair with.
  // (Over HTTP/2 a request's body count may fall short while its whole
  // count is right: those are left as they are.)
  const served = server ? server.sent.slice(mark) : [];
  for (const r of requests) {
    const at = served.findIndex((e) => e.path === new URL(r.url).pathname);
    if (at < 0 || r.cached) continue;
    const [sent] = served.splice(at, 1);
    if ((r.status === 200 || r.status === 0) && sent.bytes > r.bytes) {
      r.bytes += sent.bytes - r.body;
      r.body = sent.bytes;
    }
  }
  return { page, cdp: net.cdp, net, renderMs: render, indexStartMs, protocol: entry?.protocol, requests, all: net.list() };
}

/**
 * The demo page's engine memory: the glue is a module the shim already
 * started, so `default()` returns its exports; in the worker that runs it
 * (www/engine.js), else in the page (no worker could start).
 */
export async function wasmMemory(page, glueUrl) {
  const worker = page.workers().find((w) => w.url() === glueUrl);
  return (worker || page).evaluate(async (url) => (await (await import(url)).default()).memory.buffer.byteLength, glueUrl);
}

/** The groups of `byGroup` that are the widget's own files (`lists`: the related-list shards, `l/`). */
const WIDGET = ['shim', 'glue', 'wasm', 'index', 'lists', 'shards'];

/** The widget's requests, bytes and body bytes, summed over its groups of a `byGroup` result. */
export function widgetTotals(groups) {
  const total = (key) => WIDGET.reduce((n, g) => n + (groups[g]?.[key] ?? 0), 0);
  return { requests: total('requests'), bytes: total('bytes'), body: total('body') };
}

/** Splits requests into groups by URL pattern: `{ name: [regex] }`, the rest in `other`. */
export function byGroup(requests, groups) {
  const out = Object.fromEntries([...Object.keys(groups), 'other'].map((g) => [g, { requests: 0, bytes: 0, body: 0 }]));
  for (const r of requests) {
    const name = Object.keys(groups).find((g) => groups[g].test(new URL(r.url).pathname)) || 'other';
    out[name].requests++;
    out[name].bytes += r.bytes;
    out[name].body += r.body;
  }
  return out;
}

export const isDir = (path) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};
