// Shared plumbing of the end-to-end tests: the demo site served on a free
// loopback port, Debian's Chromium driven by playwright-core, the real
// `alike` CLI for expected answers, and a probe in every page that records
// what the widget did and whatever went wrong.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { serve } from '../../www/demo/serve.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * The demo built as one file (`npm run demo:build` writes it beside the
 * default site): the suites compare the widget's boxes with `alike query`'s
 * engine, which the default site's stored lists bypass on indexed pages.
 */
export const SITE = join(ROOT, 'www/demo/site-single');
export const INDEX = join(SITE, 'alike/index.json');
/** The demo as `alike index` builds it by default (clusters, stored lists). */
export const DEFAULT_SITE = join(ROOT, 'www/demo/site');
export const CLI = join(ROOT, 'target/release/alike');
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
export const SAMPLE = join(ROOT, 'data/bbc-sample/articles.jsonl');

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

/**
 * How long a navigation, or a wait for the widget, may take. Generous: on a
 * 2-core CI machine busy with other builds, a page that takes 2 s alone can
 * take 30. Tests wait for events (the widget's, load states), never for a
 * fixed time, so a fast machine does not wait longer.
 */
export const TIMEOUT = 120_000;

/** The sample articles, in file order, and by URL. */
export const articles = readFileSync(SAMPLE, 'utf8')
  .split('\n')
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line));
export const byUrl = new Map(articles.map((a) => [a.url, a]));

/** Every 16th sample article: 21 pages over all five sections. */
export const SAMPLED = articles.filter((_, i) => i % 16 === 0);

/**
 * Starts the server over `root` (the demo site) and Chromium. Returns
 * `{ url, context, close }`. `widget` is where the site's shim must be. Chromium gets a fresh profile in a temporary
 * folder of its own.
 */
export async function start({ root = SITE, widget = join(root, 'alike/alike.js') } = {}) {
  for (const [path, hint] of [
    [widget, 'run `npm run demo:build` first'],
    [CLI, 'run `cargo build --release` first'],
  ]) {
    if (!existsSync(path)) throw new Error(`missing ${path}: ${hint}`);
  }
  const server = await serve({ root });
  const profile = mkdtempSync(join(tmpdir(), 'alike-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  // The persistent context's first page is not needed; tests open their own.
  await Promise.all(context.pages().map((p) => p.close()));
  return {
    url: server.url,
    context,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The demo site built from `records` once per layout (under `dir/<layout>`),
 * each served: `{ layout: env }`. Close each env when done.
 */
export async function demoSites(dir, records, layouts) {
  const input = join(dir, 'articles.jsonl');
  writeFileSync(input, records.map((a) => JSON.stringify(a)).join('\n') + '\n');
  const sites = {};
  for (const layout of layouts) {
    const out = join(dir, layout);
    execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--articles', input, '--layout', layout, '--out', out], { stdio: 'pipe' });
    sites[layout] = await start({ root: out });
  }
  return sites;
}

/** Whether the page downloaded the engine (the wasm): the list path never does. */
export const engineRan = (log) => log.requests.some((u) => new URL(u).pathname === '/alike/pkg/alike_bg.wasm');

// Runs in every page before its own scripts: records the widget's events,
// uncaught errors and rejections, CSP violations, any alert(), and the body
// as the parser left it, before any module script ran ('interactive' comes
// before deferred and module scripts).
function probe() {
  const record = {
    renders: [],
    errors: [],
    clicks: [],
    problems: [],
    violations: [],
    pwned: [],
    before: null,
  };
  window.__alike = record;
  window.alert = window.confirm = window.prompt = (what) => record.pwned.push(`dialog: ${what}`);
  document.addEventListener('alike:render', (e) => record.renders.push(JSON.parse(JSON.stringify(e.detail))));
  document.addEventListener('alike:error', (e) => record.errors.push(e.detail));
  document.addEventListener('alike:click', (e) => record.clicks.push(e.detail));
  window.addEventListener('error', (e) => record.problems.push(`error: ${e.message}`));
  window.addEventListener('unhandledrejection', (e) => record.problems.push(`unhandled rejection: ${e.reason}`));
  document.addEventListener('securitypolicyviolation', (e) => record.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  document.addEventListener('readystatechange', () => {
    if (document.readyState === 'interactive') record.before = document.body.outerHTML;
  });
}

/** The widget's tag on the demo pages, to rewrite per test. */
export const SCRIPT_TAG = /<script type="module" src="\/alike\/alike\.js"[^>]*><\/script>/;

/** A script tag with these data-* attributes (`{ count: 3 }` → `data-count="3"`). */
export function scriptTag(data = { index: '/alike/index.json' }, src = '/alike/alike.js') {
  const attrs = Object.entries(data)
    .map(([key, value]) => ` data-${key}="${String(value).replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
    .join('');
  return `<script type="module" src="${src}"${attrs}></script>`;
}

/**
 * Opens `path` in a new page with the probe, console and network logs.
 * `html(text)` may rewrite the page's HTML; `headers` adds response headers;
 * `routes` are extra `[pattern, handler]` pairs. Returns `{ page, console, requests }`.
 */
export async function open(env, path, { html, headers, routes = [], before } = {}) {
  const page = await env.context.newPage();
  const log = { page, console: [], requests: [], pageErrors: [] };
  page.on('console', (m) => log.console.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => log.pageErrors.push(e.message));
  page.on('request', (r) => log.requests.push(r.url()));
  await page.addInitScript(probe);
  for (const [pattern, handler] of routes) await page.route(pattern, handler);
  if (html || headers) {
    await page.route(env.url + path, async (route) => {
      const response = await route.fetch({ timeout: TIMEOUT });
      const body = html ? html(await response.text()) : await response.text();
      await route.fulfill({ response, body, headers: { ...response.headers(), ...headers } });
    });
  }
  if (before) await before(page);
  await page.goto(env.url + path);
  return log;
}

/**
 * Scrolls to the end, as a reader would, and waits for the widget to render
 * or give up. The widget warns before it sends either event, so its
 * warnings are in `log.console` by then.
 */
export async function settle(page, { scroll = true } = {}) {
  if (scroll) await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForFunction(() => window.__alike.renders.length + window.__alike.errors.length > 0);
  return page.evaluate(() => window.__alike);
}

/** Resolves after the page has rendered two more frames: what was due to be drawn or observed has been. */
export const frames = (page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

/** Resolves once every image in the box has loaded or failed (so any onload or onerror has had its turn). */
export const boxImagesDone = (page) =>
  page.waitForFunction(() => [...(document.querySelector('alike-related')?.shadowRoot?.querySelectorAll('img') || [])].every((img) => img.complete));

/** What the box shows: `{ heading, links: [{href, text}], ... }`, or null when there is no box. */
export function box(page) {
  return page.evaluate(() => {
    const hosts = document.querySelectorAll('alike-related');
    if (hosts.length === 0) return null;
    const root = hosts[0].shadowRoot;
    const aside = root.querySelector('aside');
    return {
      hosts: hosts.length,
      parent: hosts[0].parentElement.className || hosts[0].parentElement.localName,
      previous: hosts[0].previousElementSibling?.localName || null,
      heading: root.querySelector('h2')?.textContent ?? null,
      label: aside && root.getElementById(aside.getAttribute('aria-labelledby'))?.textContent,
      landmark: aside?.localName ?? null,
      layout: aside?.className ?? null,
      links: [...root.querySelectorAll('a')].map((a) => ({ href: a.href, text: a.textContent, raw: a.getAttribute('href') })),
      images: [...root.querySelectorAll('img')].map((img) => ({
        src: img.getAttribute('src'),
        alt: img.getAttribute('alt'),
        width: img.getAttribute('width'),
        height: img.getAttribute('height'),
        loading: img.getAttribute('loading'),
      })),
      snippets: [...root.querySelectorAll('p')].map((p) => p.textContent),
      times: [...root.querySelectorAll('time')].map((t) => ({ datetime: t.getAttribute('datetime'), text: t.textContent })),
    };
  });
}

/** Site paths of links (the CLI speaks in the index's site-relative URLs). */
export const paths = (links) => links.map((l) => new URL(l.href).pathname);

/** Console messages from the widget. */
export const alikeMessages = (log) => log.console.filter((m) => m.text.includes('[alike]'));

// Network failures show in Chromium's console on their own; the widget adds only its warning.
const BROWSER_NOISE = /^Failed to load resource|^Refused to compile or instantiate WebAssembly/;

/** Asserts that the page has exactly one `[alike]` warning, matching `message`, and nothing else went wrong. */
export function assertOneWarning(log, state, message) {
  const warnings = alikeMessages(log);
  assert.equal(warnings.length, 1, warnings.map((w) => w.text).join('\n'));
  assert.equal(warnings[0].type, 'warning');
  assert.match(warnings[0].text, /^\[alike\] /);
  assert.match(warnings[0].text, message);
  const others = log.console.filter((m) => !m.text.includes('[alike]') && !BROWSER_NOISE.test(m.text));
  assert.deepEqual(others, [], 'other console messages');
  assert.deepEqual(log.pageErrors, []);
  assert.deepEqual(state.problems, []);
}

/**
 * Asserts that the widget gave up as it must: no box, the page as the
 * parser left it, one `alike:error` event with `reason`, and one warning
 * matching `message`.
 */
export async function assertNoBox(log, state, { reason, message }) {
  assert.equal(state.renders.length, 0);
  assert.equal(state.errors.length, 1);
  assert.equal(state.errors[0].reason, reason);
  assert.equal(await box(log.page), null, 'a box is shown');
  assert.equal(await log.page.evaluate(() => document.body.outerHTML), state.before, 'the page changed');
  assertOneWarning(log, state, message);
}

/**
 * Runs `alike query` over `records` (sample articles) against `index` and
 * returns a Map from each URL to the related URLs, best first.
 */
export function cliQuery(records, { k = 5, index = INDEX, flags = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'alike-e2e-query-'));
  try {
    const input = join(dir, 'articles.jsonl');
    writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const out = execFileSync(CLI, ['query', '--index', index, '--k', String(k), ...flags, input], { encoding: 'utf8' });
    return new Map(
      out
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
        .map((line) => [line.url, line.related.map((r) => r.url)]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds an index of one file with the real CLI from `records`; returns its text. */
export function cliIndex(records, flags = []) {
  const dir = mkdtempSync(join(tmpdir(), 'alike-e2e-index-'));
  try {
    const input = join(dir, 'articles.jsonl');
    writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    execFileSync(CLI, ['index', input, '--out', join(dir, 'index.json'), '--quiet', '--layout', 'single', ...flags]);
    return readFileSync(join(dir, 'index.json'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function artifact(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
