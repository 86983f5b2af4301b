// The browser engine answers as `alike query` does: every article of the
// BBC sample, queried against the demo's index by the real wasm in
// Chromium and by the CLI, gets the same related articles, in the same
// order, with the same titles, dates, sections, images and snippets, and
// the same scores to a few parts in ten million: the CLI's logarithms and
// powers come from the system's libm and the wasm's from Rust's port of
// musl's, which differ in the last bit of an f32 now and then. And the wasm
// stays within its size budget.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { CLI, INDEX, ROOT, articles, open, start } from './helpers.mjs';

// gzip -9 of pkg/alike_bg.wasm (English), as scripts/build-wasm.sh writes it.
// Issue 15 asks for 40 KB; this is where the engine stands now (see
// scripts/wasm-size.sh for where the bytes go), so that it can only shrink.
// This session's merge measured 75,333: the cluster layout (issue 16) added
// 6.1 KB, editors' picks and filters (issue 14) 2.2 KB, new reading rules
// (issue 12) 1.2 KB; wasm-opt flags and the browser's sort saved 1.4 KB.
// Then (branch diet3, this test's count, which gzip's header makes 14 B
// more than scripts/wasm-size.sh's) 73,932: powers as exp(y ln x) instead
// of powf (1,054 B), wasm-opt --merge-similar-functions and no `join` in
// error.rs (248 B), no unused `Engine.language` getter (99 B).
// Reader stage three (issue 12) measured 75,649 against 75,319 before:
// +330 for the rule that same-class sibling sections are the story.
// Several languages in one index and explanations (issue 14, branch langs)
// added 3.9 KB: 79,187 measured (notes-langs.md says where).
// The cluster layout's two-level table (cell files, routing in two steps)
// added 2,283 B (77,616 measured).
// The merge of those four branches with the furniture rule and the default
// minimum score measured 81,114 (this test's count).
// Reader stage four (issue 12): 81,524 against 81,139 before (+385) for
// two rules, blocks of one furniture class across the page that hold half
// its prose are the story, and a teaser list is no sibling of the story.
// The section fallback (issue 14, branch controls4: the `latest` decoder and
// check, the fallback step, `fallback` on results) added 1,476: 82,590.
// The two merged with the default layout switch (layout4, no wasm change):
// 83,035 by gzip -9 of the rebuilt wasm.
// reader5's three reading rules (gallery and slideshow names, placeholder
// copies compared by their text, JSON-LD entities decoded twice) added 254:
// 83,289 measured on that branch alone.
// controls5's optional `scores` field of the lists' manifest entry (one
// decoder line) and its cosine scoring: 83,357 after both merges.
// diet6's cuts of the decoders' per-type copies (`format::Fields`, `list`,
// plain loops for `collect` into a `Result`) took 1,898: 81,459 by this
// count (gzip -9 with the file name; wasm-size.sh says 81,445).
// reader6's feed-of-teasers rule (about 180) and JSON-LD entities decoded
// twice only where escaped twice (about 110), with the three review fixes:
// +395 on that branch alone. Both merged: 81,849 (wasm-size.sh), about 81,863 here.
// Branch churn7 (issue 16): an incremental build's delta files (routing a
// cluster's group, the delta table's decoder): +1,245, 83,064 here.
// reader7: two reading rules (blocks a CSS framework's class hides; the box
// about the author) and the entity decoder asked by the double-escape test:
// 81,833 -> 82,042 on that branch (ALIKE_ONLY_ENGLISH=1 build), +209.
// Both merged: see the merge commit.
// Branch wasm8 (issue 15), from 83,206: no `Engine.recommend` beside
// `start` (a second copy of the query's code; -407) and the wasm built
// without reference types, the glue holding the JS values (-872), and
// wasm-opt leaving the data in one segment (-300): 81,627, the budget that
// plus about 70. Merged with reader8 (two reading rules, +118) and scale8
// (the query's w / length once per term): 81,672 on main.
// Branch reader9 (issue 12), three reading rules: embedded posts +13, an
// "About the author" heading +24, a table's cells kept +63: 81,772; the
// budget raised by those 100 bytes.
// Branch wasm9: messages built by `msg!` instead of `format!`, and errors
// handed to JS by `Error::message`, so no `core::fmt` at all (-547), and
// no `join` (text.rs, extract.rs: each joined type was a copy; -626), and
// no `str::contains` (extract.rs `has`, a byte search; -828): 79,671, the
// budget that plus about 30.
// Branch seg9 (issue 16): the engine reads a cluster's group in every
// segment of incremental builds (`delta.newer`): 81,942 measured (+284 on
// the 81,658 this branch started from), the budget that plus about 60.
// All three merged on main: 80,122 measured; the budget that plus about 30.
// Review mends after them: 80,104.
// Branch retire10 (issues 15, 16): the term-shard layout retired, its
// readers gone from the engine (term and article shards, v1 list versions,
// the walk's per-batch article fetches): 75,252 measured (-4,852), the
// budget that plus about 50.
// Branch reader10 (issue 12): five reading rules (nocontent modules, refrains
// between <br>s, caption/video/player/meta/timestamp classes): 80,224
// measured, +134 on the 80,090 of www/dist at 2192c61f; the budget raised by
// that.
// Both merged on main (with seg10's, which left the wasm as it was): 75,358
// measured; the budget that plus about 40.
// Branch wasm11 (issue 15): wasm-opt inlines a function with one caller
// only if it is tiny (-ocimfs 15): 72,671 measured (-2,687), the budget that
// plus about 30.
// reader11's rules (sentence-long headings, a JSON-LD body the page already
// holds, the standfirst): 77,424 measured, +2,066 on the 75,358 of www/dist
// at bf55086e (the standfirst about 1.6 KB of it); the budget raised by that.
// All four merged on main (wasm11, reader11, merge11, frame11): 74,149
// measured (reader11's standfirst rule 914 B of it, measured by building
// without it: 73,235); the budget that plus about 30.
// reader12: the standfirst a JSON-LD body lacks is read before it (+273,
// after a first form with a sort of 4-grams and a `&str` split cost 1,350),
// and one loop for the rules that read class and id words (-30): 74,393
// measured against 74,150 of www/dist at 95a2f691 (+243); the budget raised by that.
// wasm12 (word table's checkpoints built on first use, the decoders in one
// straight line, letters and digits from the word table, small cuts):
// 69,648 measured; the budget that plus about 40.
// Merged (reader12, wasm12, index12, field12, the lead's scoring check): 69,832
// measured; the budget that plus about 40.
// reader13 (a link named as furniture read with its sentence): 69,863 ->
// 69,915 measured (+52); the budget raised by that.
// reader14 (a form with few of the page's paragraphs is furniture; a
// gallery's captions beside a story stay furniture; the opening paragraphs
// above the densest block): 69,901 -> 70,285 measured (+384); the budget
// raised by that.
// head17 (cluster, cell and delta files name common terms by their place
// in the engine file's head: the decoder reads places and merges them with
// the hashed terms): 72,573 -> 73,535 measured (+962), for 2-5 KB less of
// index files on every engine-path view (a cluster file -14% to -19%, the
// engine file -1.0 to -1.2 KB, a cell file -26%); the budget that plus 10.
// The head decoded once, not once for the routing and again for the
// engine (review): 73,510 measured; the budget that plus 10.
// The manifest's `lists.newest_time` (the engine reads the manifest whole):
// 73,530 measured (+20); the budget that plus 10.
// Picks in clusters a query did not read are fetched (their cells first in
// a two-level table) rather than dropped, now that a small site's index is
// several clusters past 140 articles (2026-12-03): 73,516 -> 73,910
// measured (+394); the budget that plus 10.
// `Index::missing_rows` written over `missing_clusters` and `missing_cells`
// (review): 73,762 measured (-148); the budget that plus 10.
// A query reads the next cluster only where it scores at least 0.65 of the
// nearest's (`NEXT_CLUSTER_AT`, 2026-12-04: 2.7-5.2 KB less of index files
// on a page not in the index): 73,868 measured (+106); the budget that
// plus 10. The clusters it held back read after all when the box comes out
// short (as many empty and short boxes as always reading two): 74,099
// measured (+231); the budget that plus 10.
// A word without apostrophes looked up among the stop words once, not
// twice (a build reads its archive about a tenth faster; 2026-12-04):
// 74,113 measured (+15); the budget that plus 10.
const WASM_BUDGET = 74_123;

let env;
before(async () => {
  env = await start();
});
after(() => env?.close());

/** `alike query` over every sample article (or `records`, on `index`): its JSON lines, by URL. */
function cli(flags, records = articles, index = INDEX) {
  const dir = mkdtempSync(join(tmpdir(), 'alike-e2e-equality-'));
  try {
    const input = join(dir, 'articles.jsonl');
    writeFileSync(input, records.map((a) => JSON.stringify(a)).join('\n') + '\n');
    const out = execFileSync(CLI, ['query', '--index', index, '--k', '5', ...flags, input], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    return new Map(out.split('\n').filter(Boolean).map((line) => [JSON.parse(line).url, JSON.parse(line).related]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same queries by the demo's engine (pkg/alike.js) in Chromium, as the shim loads it (on `index`'s text when given). */
async function browser(options, records = articles, index = null) {
  const { page } = await open(env, '/');
  try {
    return new Map(
      await page.evaluate(
        async ({ articles, options, index }) => {
          const glue = await import('/alike/pkg/alike.js');
          await glue.default({ module_or_path: '/alike/pkg/alike_bg.wasm' });
          const engine = new glue.Engine(index ? JSON.parse(index) : await (await fetch('/alike/index.json')).json());
          // A single file answers `start`'s first step.
          return articles.map((article) => [article.url, engine.start(article, options).related]);
        },
        { articles: records, options, index },
      ),
    );
  } finally {
    await page.close();
  }
}

// Relative difference allowed between the CLI's and the browser's scores: a few f32 steps.
const SCORE_TOLERANCE = 1e-6;

/** Asserts that two answers are the same but for the last bits of their scores. */
function assertSame(got, want, url) {
  const scoreless = (results) => results.map(({ score, ...rest }) => rest);
  assert.deepEqual(scoreless(got), scoreless(want), url);
  got.forEach((result, i) => {
    const [a, b] = [result.score, Math.fround(want[i].score)];
    assert.ok(Math.abs(a - b) <= SCORE_TOLERANCE * Math.abs(b), `${url}, result ${i + 1}: score ${a}, the CLI's ${b}`);
  });
}

for (const [name, flags, options] of [
  ['default options', [], { k: 5 }],
  [
    'age limit, half-life and section boost',
    ['--today', '2005-06-01', '--max-age-days', '365', '--half-life-days', '30', '--section-boost', '1.5'],
    { k: 5, today: '2005-06-01', maxAgeDays: 365, halfLifeDays: 30, sectionBoost: 1.5 },
  ],
]) {
  test(`every sample article: the browser engine answers as alike query does (${name})`, { timeout: 120000 }, async () => {
    const [expected, got] = [cli(flags), await browser(options)];
    assert.equal(got.size, articles.length);
    let results = 0;
    for (const article of articles) {
      const want = expected.get(article.url);
      assertSame(got.get(article.url), want, article.url);
      results += want.length;
    }
    assert.ok(results > 4 * articles.length, `only ${results} results in all`);
  });
}

// Scripts with and without spaces, case mappings of every kind (final
// sigma, dotted capital I, capital sharp s, fullwidth, Cherokee, Georgian,
// astral Deseret), apostrophes, Hebrew quotes, emoji sequences and flags:
// where the engine's own word and case tables (src/words.rs, src/case.rs)
// could part from the CLI's, were they built differently.
const MULTILINGUAL = readFileSync(join(ROOT, 'tests/fixtures/multilingual.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));

for (const language of ['english', 'none']) {
  test(`every article of tests/fixtures/multilingual.jsonl (--language ${language}): the browser engine answers as alike query does`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alike-e2e-multilingual-'));
    try {
      const input = join(dir, 'articles.jsonl');
      const index = join(dir, 'index.json');
      writeFileSync(input, MULTILINGUAL.map((a) => JSON.stringify(a)).join('\n') + '\n');
      // One file: the test hands the engine the index's text.
      execFileSync(CLI, ['index', input, '--out', index, '--quiet', '--language', language, '--layout', 'single']);
      const [expected, got] = [cli([], MULTILINGUAL, index), await browser({ k: 5 }, MULTILINGUAL, readFileSync(index, 'utf8'))];
      let results = 0;
      for (const article of MULTILINGUAL) {
        assertSame(got.get(article.url), expected.get(article.url), article.url);
        results += expected.get(article.url).length;
      }
      assert.ok(results >= MULTILINGUAL.length, `only ${results} results in all`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test(`the wasm is at most ${WASM_BUDGET} bytes gzip -9`, () => {
  // GNU gzip, as the budget is stated; node's zlib differs by a few percent.
  const size = execFileSync('gzip', ['-9', '-c', join(ROOT, 'pkg/alike_bg.wasm')], { maxBuffer: 1 << 26 }).length;
  console.log(`pkg/alike_bg.wasm: ${size} bytes gzip -9 (bash scripts/wasm-size.sh says where they go)`);
  assert.ok(size <= WASM_BUDGET, `${size} bytes gzip -9: over the budget of ${WASM_BUDGET}`);
});
