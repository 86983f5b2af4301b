// A reason for every link: `explain: true` in the JS API gives each result
// the words it shares with the page (from the page's own text) and the
// factors applied, as `alike query --explain` does; `data-explain` shows
// them in the box as a visible hint each link is described by. Without it
// no result carries them.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { CLI, INDEX, open, SAMPLED, SCRIPT_TAG, scriptTag, settle, start } from './helpers.mjs';

let env;
before(async () => (env = await start()));
after(() => env?.close());

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>API</title><link rel="icon" href="/favicon.svg"></head>
<body><main><h1>A page of the site's own making</h1></main></body></html>`;
const withPage = { routes: [['**/e2e/explain.html', (route) => route.fulfill({ contentType: 'text/html', body: PAGE })]] };

/** `alike query --explain` lines by URL. */
function cliExplain(records, flags) {
  const dir = mkdtempSync(join(tmpdir(), 'alike-e2e-explain-'));
  try {
    const input = join(dir, 'articles.jsonl');
    writeFileSync(input, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const out = execFileSync(CLI, ['query', '--index', INDEX, '--explain', ...flags, input], { encoding: 'utf8' });
    return new Map(out.split('\n').filter(Boolean).map((line) => JSON.parse(line)).map((line) => [line.url, line]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('recommend(article, {explain: true}) gives each result the words and factors alike query --explain gives', async () => {
  const articles = SAMPLED.slice(0, 4);
  const log = await open(env, '/e2e/explain.html', withPage);
  const [explained, plain] = await log.page.evaluate(async (articles) => {
    const alike = await import('/alike/alike.js');
    const ask = (explain) =>
      Promise.all(articles.map(({ url, title, body, date, section }) => alike.recommend({ url, title, body, date, section }, { index: '/alike/index.json', count: 4, sectionBoost: 1.2, explain })));
    return [await ask(true), await ask(false)];
  }, articles);
  const expected = cliExplain(articles, ['--k', '4', '--section-boost', '1.2']);
  let boosted = 0;
  for (const [i, article] of articles.entries()) {
    const line = expected.get(article.url);
    assert.deepEqual(explained[i].map((r) => new URL(r.url).pathname), line.related.map((r) => r.url));
    for (const [j, r] of explained[i].entries()) {
      const why = line.why[j];
      assert.ok(r.why.terms.length > 0, `${r.url}: no shared words`);
      assert.deepEqual(r.why.terms.map((t) => t[0]), why.terms.map((t) => t[0]), r.url);
      for (const [k, [word, part]] of r.why.terms.entries()) {
        assert.ok(Math.abs(part - why.terms[k][1]) < 1e-5, `${word}: ${part} against ${why.terms[k][1]}`);
        assert.ok(`${article.title} ${article.body}`.toLowerCase().includes(word), `${word} is not in the page's text`);
      }
      // The engine's numbers are f32: 1.2 arrives as 1.2000000476837158.
      assert.equal(r.why.sectionBoost === undefined, why.section_boost === undefined, r.url);
      if (why.section_boost) assert.ok(Math.abs(r.why.sectionBoost - why.section_boost) < 1e-6);
      if (r.why.sectionBoost) boosted++;
    }
    // Asked without explain: the same links, and no reasons travel.
    assert.deepEqual(plain[i].map((r) => r.url), explained[i].map((r) => r.url));
    assert.ok(plain[i].every((r) => !('why' in r)));
  }
  assert.ok(boosted > 0, 'no result in its page section: the boost went unchecked');
  await log.page.close();
});

const hints = (page) =>
  page.evaluate(() =>
    [...document.querySelector('alike-related').shadowRoot.querySelectorAll('li')].map((li) => {
      const link = li.querySelector('a');
      const hint = li.querySelector('[part="why"]');
      return {
        describedBy: link.getAttribute('aria-describedby'),
        id: hint?.id,
        text: hint?.textContent,
        visible: Boolean(hint && hint.getBoundingClientRect().height > 0 && getComputedStyle(hint).visibility === 'visible'),
      };
    }),
  );

test('data-explain shows why each link came, as a visible hint the link is described by', async () => {
  const article = SAMPLED[5];
  const data = { index: '/alike/index.json', explain: '' };
  const log = await open(env, article.url, { html: (h) => h.replace(SCRIPT_TAG, scriptTag(data)) });
  const state = await settle(log.page);
  assert.deepEqual([...log.pageErrors, ...state.problems], []);
  const results = state.renders[0].results;
  const shown = await hints(log.page);
  assert.equal(shown.length, 5);
  for (const [i, hint] of shown.entries()) {
    assert.ok(hint.visible, `hint ${i} is not visible`);
    assert.equal(hint.describedBy, hint.id);
    const words = results[i].why.terms.map((t) => t[0]);
    assert.ok(words.length > 0);
    assert.equal(hint.text, `Shared words: ${words.join(', ')}`);
  }
  await log.page.close();

  const plain = await open(env, article.url);
  const plainState = await settle(plain.page);
  assert.ok(plainState.renders[0].results.every((r) => !('why' in r)));
  assert.ok((await hints(plain.page)).every((h) => h.id === undefined && h.describedBy === null));
  await plain.page.close();
});
