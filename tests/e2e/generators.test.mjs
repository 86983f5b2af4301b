// Real site generators (issue 13): Hugo, Jekyll and Eleventy each build a
// small site from the BBC sample (tests/sites/<generator>/, content written
// by tests/sites/make-content.mjs), with their ordinary layouts and the
// script tag on article pages only. `alike index` reads the built folder,
// writes the index, the widget and related.json into the generator's data
// folder; a second build puts the related links into the pages as plain
// HTML. Then Chromium checks what readers see:
//   (a) an article page gets a box of other existing article pages, with no
//       console errors;
//   (b) listing pages (home, sections, tags, pagination) and the 404 page
//       get none;
//   (c) the index (and related.json) holds the article pages and nothing
//       else;
//   (d) without JavaScript, the article page has the related links inside
//       [data-alike];
//   (e) with JavaScript, the page shows exactly one box;
//   (f) the Netlify `_headers` file the recipes give (docs/recipes/) is
//       published and gives every file alike writes its caching; so is the
//       Apache `.htaccess` (whose rules were tried by hand, not here).
// A generator that is not installed is skipped with a message
// (`bash scripts/setup.sh` installs all three).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { posts, writeContent } from '../sites/make-content.mjs';
import { artifact, CLI, open, ROOT, start } from './helpers.mjs';

// The binary as a site owner has it: \`cargo install\` of this repository
// (scripts/test.sh installs it into target/installed/), which writes the
// widget from inside itself; nothing here copies pkg/ or www/ into a site.
const ALIKE = process.env.ALIKE_INSTALLED ? resolve(ROOT, process.env.ALIKE_INSTALLED) : CLI;

// A loaded 2-core CI machine: builds and first boxes can be slow.
const BUILD_TIMEOUT = 240_000;
const BOX_TIMEOUT = 60_000;

const GENERATORS = [
  {
    name: 'hugo',
    command: 'hugo',
    build: ['hugo', ['--quiet']],
    out: 'public',
    data: 'data',
    static: 'static',
    // Hugo's pages name their absolute URL (canonical, og:url): the box links there.
    origin: 'https://example.org',
    listings: ['/', '/page/2/', '/posts/', '/posts/page/2/', '/categories/', '/categories/business/', '/tags/', '/tags/economy/'],
  },
  {
    name: 'jekyll',
    command: 'jekyll',
    build: ['jekyll', ['build', '--quiet']],
    out: '_site',
    data: '_data',
    static: '.',
    origin: 'https://example.org',
    listings: ['/', '/categories/', '/tags/', '/about/'],
  },
  {
    name: 'eleventy',
    command: join(ROOT, 'node_modules/.bin/eleventy'),
    build: [join(ROOT, 'node_modules/.bin/eleventy'), ['--quiet']],
    out: '_site',
    data: '_data',
    static: 'content',
    origin: null,
    listings: ['/', '/blog/', '/tags/', '/tags/economy/', '/about/'],
  },
];

const ARTICLES = posts();
const ARTICLE_PATHS = new Set(ARTICLES.map((p) => p.path));
// Three article pages, each of another section.
const SAMPLED = [ARTICLES[0], ARTICLES.find((p) => p.section === 'sport'), ARTICLES.find((p) => p.section === 'tech')];

const pathOf = (url) => new URL(url, 'http://site.invalid').pathname;

function missing(generator) {
  if (generator.command.includes('/')) {
    return existsSync(generator.command) ? null : `${generator.command} is missing: run \`npm ci\``;
  }
  const found = spawnSync('sh', ['-c', `command -v ${generator.command}`]).status === 0;
  return found ? null : `\`${generator.command}\` is not installed: run \`bash scripts/setup.sh\` (Debian's ${generator.command})`;
}

/** The URLs an index in `dir` holds: one file's, or every cluster file's of the manifest's generation. */
function indexedUrls(dir) {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  if (index.layout !== 'clusters') return index.articles.url;
  const generation = `-${index.generation.toString(16)}.json`;
  return readdirSync(join(dir, 'c'))
    .filter((name) => name.endsWith(generation))
    .flatMap((name) => JSON.parse(readFileSync(join(dir, 'c', name), 'utf8')).articles.url);
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, JEKYLL_ENV: 'production' } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}) in ${cwd}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** Waits for the widget's verdict on the page: `alike:render` or `alike:error`. */
async function verdict(page) {
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForFunction(() => window.__alike.renders.length + window.__alike.errors.length > 0, null, { timeout: BOX_TIMEOUT });
  return page.evaluate(() => window.__alike);
}

/** What the page shows as related boxes: widget boxes, and plain link lists in [data-alike] still visible. */
function boxes(page) {
  return page.evaluate(() => {
    const hosts = [...document.querySelectorAll('alike-related')];
    const lists = [...document.querySelectorAll('[data-alike] ul')].filter((ul) => !ul.closest('alike-related') && ul.checkVisibility());
    return {
      widget: hosts.map((host) => ({
        inPlace: host.parentElement?.hasAttribute('data-alike') ?? false,
        links: [...(host.shadowRoot?.querySelectorAll('a') ?? [])].map((a) => a.href),
      })),
      plain: lists.map((ul) => [...ul.querySelectorAll('a')].map((a) => a.href)),
    };
  });
}

/** Netlify's `_headers` rules: `[{ pattern, headers }]`, `*` matching anything. */
function netlifyHeaders(text) {
  const rules = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const pattern = line.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
      rules.push({ pattern: new RegExp(`^${pattern}$`), headers: {} });
    } else {
      const [name, ...value] = line.trim().split(':');
      rules.at(-1).headers[name.trim().toLowerCase()] = value.join(':').trim();
    }
  }
  return rules;
}

for (const generator of GENERATORS) {
  describe(`${generator.name}: a site built from the BBC sample`, { skip: missing(generator) ?? false }, () => {
    let dir, site, out, env, noJs, related, indexed, indexError;

    before(
      async () => {
        dir = mkdtempSync(join(tmpdir(), `alike-${generator.name}-`));
        site = join(dir, 'site');
        cpSync(join(ROOT, 'tests/sites', generator.name), site, { recursive: true });
        writeContent(generator.name, site);
        out = join(site, generator.out);
        const [command, args] = generator.build;
        run(command, args, site);
        const dataFile = join(site, generator.data, 'related.json');
        const index = ['index', out, '--out', join(out, 'alike/index.json'), '--related-data', dataFile, '--quiet'];
        try {
          run(ALIKE, index, site);
        } catch (error) {
          // Failed by its own test below; the others go on with what --skip-bad keeps.
          indexError = error.message;
          run(ALIKE, [...index, '--skip-bad'], site);
        }
        // Again, now that the data folder has the related lists: they go into the pages.
        run(command, args, site);
        assert.ok(existsSync(join(out, 'alike/alike.js')), `the ${generator.name} build kept alike/ in ${generator.out}/`);
        related = JSON.parse(readFileSync(dataFile, 'utf8'));
        indexed = indexedUrls(join(out, 'alike'));
        env = await start({ root: out });
        noJs = await chromium.launch({
          executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
          headless: true,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
        });
      },
      { timeout: BUILD_TIMEOUT },
    );
    after(async () => {
      await noJs?.close();
      await env?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Asserts that each link is another article page of this site, served with 200. */
    async function assertArticleLinks(links, self, what) {
      assert.ok(links.length > 0, `${what}: no links`);
      for (const href of links) {
        const url = new URL(href);
        const origins = [new URL(env.url).origin, generator.origin].filter(Boolean);
        assert.ok(origins.includes(url.origin), `${what}: ${href} is on another site`);
        assert.ok(ARTICLE_PATHS.has(url.pathname), `${what}: ${href} is not an article page`);
        assert.notEqual(url.pathname, self, `${what}: the page links to itself`);
        const response = await env.context.request.get(env.url + url.pathname);
        assert.equal(response.status(), 200, `${what}: ${href} is not served`);
      }
      assert.equal(new Set(links).size, links.length, `${what}: a link is repeated`);
    }

    test('(a) article pages show a box of other article pages of the site, with no console errors', { timeout: 4 * BOX_TIMEOUT }, async () => {
      for (const [i, post] of SAMPLED.entries()) {
        // Errors and warnings, but for the browser's own request for /favicon.ico (the starters have none).
        const bad = [];
        const log = await open(env, post.path, {
          before(page) {
            page.on('console', (m) => {
              const favicon = pathOf(m.location().url || '/') === '/favicon.ico';
              if ((m.type() === 'error' || m.type() === 'warning') && !favicon) bad.push(`${m.type()}: ${m.text()} (${m.location().url})`);
            });
          },
        });
        const state = await verdict(log.page);
        assert.deepEqual(state.errors, [], `${post.path}: the widget gave up`);
        assert.equal(state.renders.length, 1, `${post.path}: one alike:render`);
        const shown = await boxes(log.page);
        // The template rendered the links already (from --related-data): the
        // widget keeps them (data-prerendered="keep", the default) and says
        // so; else it draws its own box there.
        if (state.renders[0].prerendered) {
          assert.equal(shown.widget.length, 0, `${post.path}: a widget box beside the rendered links`);
          assert.equal(shown.plain.length, 1, `${post.path}: the rendered links are not shown`);
          await assertArticleLinks(shown.plain[0], post.path, post.path);
        } else {
          assert.ok(shown.widget.length >= 1, `${post.path}: no <alike-related> box`);
          assert.ok(shown.widget[0].inPlace, `${post.path}: the box is not in [data-alike]`);
          await assertArticleLinks(shown.widget[0].links, post.path, post.path);
        }
        assert.deepEqual(bad, [], `${post.path}: console errors or warnings`);
        assert.deepEqual(log.pageErrors, []);
        assert.deepEqual(state.problems, []);
        if (i === 0) {
          const place = log.page.locator('[data-alike]').first();
          await place.scrollIntoViewIfNeeded();
          await place.screenshot({ path: artifact(`generator-${generator.name}.png`) });
        }
        await log.page.close();
      }
    });

    test('(b) listing and other pages (home, sections, tags, pagination, about, 404) show no box and load nothing of alike', async () => {
      for (const path of [...generator.listings, '/404.html']) {
        const log = await open(env, path);
        await log.page.waitForLoadState('load');
        const response = await env.context.request.get(env.url + path);
        assert.equal(response.status(), 200, `${path} is not served: the site has moved its listing pages`);
        assert.equal(await log.page.locator('alike-related').count(), 0, `${path} shows a box`);
        assert.deepEqual(
          log.requests.filter((r) => new URL(r).pathname.startsWith('/alike/')),
          [],
          `${path} loads the widget`,
        );
        assert.deepEqual(log.pageErrors, []);
        await log.page.close();
      }
    });

    test("(a) with the rendered links replaced, an article page's box is its stored list, found by the URL the widget reads off the generator's page; no engine", { timeout: 4 * BOX_TIMEOUT }, async () => {
      const manifest = JSON.parse(readFileSync(join(out, 'alike/index.json'), 'utf8'));
      assert.equal(manifest.layout, 'clusters', 'a small site is indexed in clusters');
      // The manifest lists the pages it holds: a key the widget reads
      // otherwise than the build would send the page to the engine.
      assert.ok(manifest.lists?.members, 'no filter of the pages the index holds');
      for (const post of SAMPLED) {
        const log = await open(env, post.path, { html: (h) => h.replace(/(<script type="module" src="[^"]*alike\.js")/, '$1 data-prerendered="replace"') });
        const state = await verdict(log.page);
        assert.deepEqual(state.errors, [], `${post.path}: the widget gave up`);
        assert.equal(state.renders.length, 1, `${post.path}: one alike:render`);
        assert.ok(!state.renders[0].prerendered, `${post.path}: the rendered links were kept`);
        const paths = log.requests.map((r) => new URL(r).pathname);
        assert.equal(paths.filter((p) => p.startsWith('/alike/l/')).length, 1, `${post.path}: ${paths}`);
        assert.deepEqual(paths.filter((p) => p.endsWith('.wasm')), [], `${post.path}: the engine ran for an indexed page`);
        await log.page.close();
      }
    });

    test('(c) `alike index` reads the built folder as it is, without --skip-bad', () => {
      assert.equal(indexError, undefined);
    });

    test('(c) the index holds every article page', () => {
      const paths = new Set(indexed.map(pathOf));
      const absent = [...ARTICLE_PATHS].filter((p) => !paths.has(p));
      assert.deepEqual(absent, [], 'article pages missing from the index');
    });

    test('(c) the index holds nothing but article pages (no listing, tag, pagination, about or 404 page)', () => {
      const others = indexed.filter((url) => !ARTICLE_PATHS.has(pathOf(url)));
      assert.deepEqual(others, [], `${others.length} of ${indexed.length} indexed pages are not articles`);
    });

    test('(c) related.json is keyed by the article pages and lists only article pages', () => {
      const keys = Object.keys(related);
      assert.deepEqual(keys.filter((k) => !ARTICLE_PATHS.has(k)), [], 'keys that are not article pages');
      assert.deepEqual([...ARTICLE_PATHS].filter((p) => !(p in related)), [], 'article pages without a list');
      const listed = keys.flatMap((k) => related[k].map((r) => r.url)).filter((url) => !ARTICLE_PATHS.has(pathOf(url)));
      assert.deepEqual([...new Set(listed)], [], 'listed pages that are not articles');
    });

    test('(d) without JavaScript, article pages have the related links inside [data-alike]', async () => {
      const context = await noJs.newContext({ javaScriptEnabled: false });
      try {
        for (const post of SAMPLED) {
          const page = await context.newPage();
          await page.goto(env.url + post.path);
          const links = await page.locator('[data-alike] a').evaluateAll((as) => as.map((a) => a.href));
          assert.deepEqual(
            links.map(pathOf),
            (related[post.path] ?? []).map((r) => pathOf(r.url)),
            `${post.path}: the links are not related.json's list`,
          );
          await assertArticleLinks(links, post.path, `${post.path} without JavaScript`);
          assert.equal(await page.locator('alike-related').count(), 0);
          await page.close();
        }
      } finally {
        await context.close();
      }
    });

    test('(e) with JavaScript, an article page shows exactly one box', { timeout: 2 * BOX_TIMEOUT }, async () => {
      const post = SAMPLED[1];
      const log = await open(env, post.path);
      const state = await verdict(log.page);
      const shown = await boxes(log.page);
      const count = shown.widget.length + shown.plain.length;
      assert.equal(
        count,
        1,
        `${post.path}: ${shown.widget.length} widget box(es) and ${shown.plain.length} visible plain list(s) in [data-alike]` +
          ` (renders: ${state.renders.length}, errors: ${JSON.stringify(state.errors)})`,
      );
      await log.page.close();
    });

    test("(f) the recipes' Netlify _headers file is published at the root and gives every alike file its caching", () => {
      const rules = netlifyHeaders(readFileSync(join(out, '_headers'), 'utf8'));
      const written = readdirSync(join(out, 'alike'), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => '/' + relative(out, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join('/'));
      assert.ok(written.includes('/alike/index.json') && written.includes('/alike/pkg/alike_bg.wasm'), written.join());
      // The cluster layout's files, as a larger site would have them (an incremental build's d/ and r/ too).
      const files = ['/alike/e-1a2b.json', '/alike/c/3f-1a2b.json', '/alike/k/3-1a2b.json', '/alike/l/2c7-1a2b.json', '/alike/d/0-1a2c.json', '/alike/r/5-1a2c.json'];
      for (const path of [...written, ...files]) {
        const matching = rules.filter((rule) => rule.pattern.test(path));
        assert.equal(matching.length, 1, `${path}: ${matching.length} rules match`);
        const want = /^\/alike\/([lckdr]\/|e-)/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
        assert.equal(matching[0].headers['cache-control'], want, path);
      }
    });

    test("(f) the recipes' Apache .htaccess is published at the root as written", () => {
      const source = join(ROOT, 'tests/sites', generator.name, generator.static, '.htaccess');
      assert.equal(readFileSync(join(out, '.htaccess'), 'utf8'), readFileSync(source, 'utf8'));
    });
  });
}
