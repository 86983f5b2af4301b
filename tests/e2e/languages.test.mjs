// Several languages in one index, in the browser: a site built from
// tests/fixtures/languages/articles.jsonl (English, French and Japanese
// articles on the same stories), its widget the one `alike index` wrote
// for that index. A page gets links in its language (its <html lang>),
// read with its language's stemmer, on the engine path (equal to `alike
// query`) and on the stored-list path; data-language overrides the page's;
// data-languages="any" mixes them, through the engine.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { box, CLI, cliQuery, engineRan, open, paths, ROOT, SCRIPT_TAG, scriptTag, settle, start } from './helpers.mjs';

const FIXTURE = join(ROOT, 'tests/fixtures/languages/articles.jsonl');
const records = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));
const byUrl = new Map(records.map((r) => [r.url, r]));
/** The fixture's language of a URL: its first path segment. */
const languageOf = (url) => url.split('/')[1];

let dir;
const sites = {};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alike-e2e-languages-'));
  // The widget the CLI writes beside this index: the demo site serves it.
  execFileSync(CLI, ['index', FIXTURE, '--out', join(dir, 'widget/index.json'), '--quiet']);
  for (const layout of ['single', 'clusters']) {
    const out = join(dir, layout);
    execFileSync(process.execPath, [join(ROOT, 'www/demo/build.mjs'), '--articles', FIXTURE, '--layout', layout, '--out', out, '--pkg', join(dir, 'widget/pkg')], { stdio: 'pipe' });
    sites[layout] = await start({ root: out });
  }
});
after(async () => {
  for (const env of Object.values(sites)) await env.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The demo's pages say `lang="en"`: each page here says its article's language. */
const inItsLanguage = (url, data) => (html) => {
  const tag = byUrl.get(url).language || 'en';
  const page = html.replace(/<html lang="en"/, `<html lang="${tag}"`);
  return data ? page.replace(SCRIPT_TAG, scriptTag(data)) : page;
};

async function shown(layout, url, data) {
  const log = await open(sites[layout], url, { html: inItsLanguage(url, data) });
  const state = await settle(log.page);
  assert.deepEqual([...log.pageErrors, ...state.problems], [], url);
  const links = paths((await box(log.page))?.links || []);
  const ran = engineRan(log);
  await log.page.close();
  return { links, engine: ran };
}

test('the widget the CLI wrote carries every stemmer, and the index holds French and Japanese', () => {
  const wasm = readFileSync(join(dir, 'single/alike/pkg/alike_bg.wasm'));
  assert.ok(wasm.equals(readFileSync(join(ROOT, 'www/dist/all-languages/alike_bg.wasm'))), 'not the all-languages engine');
  assert.ok(!wasm.equals(readFileSync(join(ROOT, 'www/dist/pkg/alike_bg.wasm'))));
  const index = JSON.parse(readFileSync(join(dir, 'single/alike/index.json'), 'utf8'));
  assert.deepEqual(index.languages.map((l) => l[0]), ['french', 'japanese']);
});

test('each page gets links in its own language, as alike query answers (engine, single file)', async () => {
  const index = join(dir, 'single/alike/index.json');
  for (const url of ['/fr/sport/1.html', '/fr/sport/3.html', '/fr/economie/2.html', '/en/sport/1.html', '/en/business/1.html', '/ja/keizai/1.html', '/ja/sport/1.html']) {
    const { links, engine } = await shown('single', url);
    assert.ok(engine, url);
    assert.ok(links.length >= 1, `${url}: no box`);
    assert.ok(links.every((u) => languageOf(u) === languageOf(url)), `${url}: ${links.join(' ')}`);
    assert.deepEqual(links, cliQuery([byUrl.get(url)], { index }).get(url), url);
  }
});

test('stored lists hold the page language only (clusters)', async () => {
  for (const url of ['/fr/sport/2.html', '/en/business/3.html', '/ja/keizai/2.html']) {
    const { links, engine } = await shown('clusters', url);
    assert.ok(!engine, `${url}: the engine answered, not the stored list`);
    assert.ok(links.length >= 1 && links.every((u) => languageOf(u) === languageOf(url)), `${url}: ${links.join(' ')}`);
  }
});

test('data-language overrides the page; data-languages="any" mixes, through the engine', async () => {
  const url = '/fr/sport/1.html';
  const english = await shown('single', url, { index: '/alike/index.json', language: 'en-GB' });
  assert.ok(english.links.length && english.links.every((u) => languageOf(u) === 'en'), english.links.join(' '));

  const index = join(dir, 'single/alike/index.json');
  for (const layout of ['single', 'clusters']) {
    const mixed = await shown(layout, url, { index: '/alike/index.json', languages: 'any' });
    assert.ok(mixed.engine, `${layout}: a stored list answered "any"`);
    assert.ok(new Set(mixed.links.map(languageOf)).size > 1, `${layout}: ${mixed.links.join(' ')}`);
    if (layout === 'single') assert.deepEqual(mixed.links, cliQuery([byUrl.get(url)], { index, flags: ['--languages', 'any'] }).get(url));
  }
});

test("JSON-LD inLanguage names the page's language over <html lang>, as in the CLI", async () => {
  const url = '/fr/sport/1.html';
  // The demo's page says lang="en"; its JSON-LD article says French, as a tag or a Language node.
  const saying = (inLanguage) => (html) => html.replace('<script type="application/ld+json">{', `<script type="application/ld+json">{"inLanguage": ${JSON.stringify(inLanguage)},`);
  const links = async (html) => {
    const log = await open(sites.single, url, { html });
    const state = await settle(log.page);
    assert.deepEqual([...log.pageErrors, ...state.problems], [], url);
    const found = paths((await box(log.page))?.links || []);
    await log.page.close();
    return found;
  };
  const english = await links((html) => html);
  assert.ok(english.length && english.every((u) => languageOf(u) === 'en'), `without inLanguage: ${english.join(' ')}`);
  for (const inLanguage of ['fr-FR', { '@type': 'Language', name: 'French', alternateName: 'fr' }, ['fr']]) {
    const french = await links(saying(inLanguage));
    assert.ok(french.length && french.every((u) => languageOf(u) === 'fr'), `${JSON.stringify(inLanguage)}: ${french.join(' ')}`);
  }
  // The CLI reads the same page the same way.
  const index = join(dir, 'single/alike/index.json');
  assert.deepEqual(await links(saying('fr-FR')), cliQuery([{ ...byUrl.get(url), language: 'fr-FR' }], { index }).get(url));
});
