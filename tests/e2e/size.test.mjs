// The shim's size budgets, gzipped, for the files sites serve: since branch
// diet7 the shim is two files (www/min/, which scripts/build-wasm.sh
// minifies from www/alike.js): alike.js, what every page loads, and
// engine-path.js, which it imports where the engine runs, with the
// engine's JavaScript (pkg/alike.js: the glue and the driver www/engine.js).
// So a page answered by a stored list loads alike.js alone, and the engine
// path loads all three.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { ROOT } from './helpers.mjs';

// Issue 15 asks for 8,000 for the shim and the glue together; the shim alone
// was under it until this session's merge (8,119: the cluster layout's list
// reader, editors' picks and filters, the walk in slices, the no-article
// guard, the date warm-up), so that it can only shrink from here. The page's
// language and data-explain (issue 14, branch langs) added 355: 8,474; a
// silent no-results (a healthy outcome now that a minimum score applies by
// default) and its clearer message, 46 more: 8,520. data-fallback (its
// heading, handing an emptied list to the engine) and the page's language
// from JSON-LD inLanguage (issue 14, branch controls4): 134 more, 8,649.
// Branch diet5 (issue 15, main thread): the page's work in tasks of its own
// (+52), the shim's fetch queue dropped (−59, the engine's driver queues the
// shards): 8,655. Branch diet7: the page's reading, the engine's worker, the
// query and data-explain's words moved to engine-path.js, and the date
// warm-up to the engine's worker (www/engine.js): the list path's file is
// 6,964 (BUDGET: that plus about 100). Merged with churn7's recent lists
// (+110 on main): 7,180. Branch churn8 (patches of old lists in recent
// files): 7,159, from 7,067 (+92). Branch seg9 (a recent file per segment,
// read newest first): 7,202 measured (+43); the budget that plus about 20.
// Branch retire10 (the term-shard layout retired: lists.js's version-1
// branch, the lost-files hint): 6,978 measured (-224); the budget that plus
// about 20.
// Then branch thread10 (issue 15: no long task on the list path): a worker of
// the shim's own file pays the page's first date formatter, which is then
// made in a task of its own: +133 measured on its branch (7,333 from 7,200);
// Merged on main with retire10: 7,103 measured; the budget that plus about 20.
// Branch frame11 (issue 15: the box laid out unseen in a task of its own,
// then shown): +65 measured (7,168); the budget that plus about 20.
// Branch field13 (urlKey reads `…/index.html` as its folder): +12 measured
// (7,197 from 7,185 on int12 at 16399c81); the budget raised by that.
// Branch mt13 (issue 15: the box laid out unseen in steps, a task each,
// its pictures shown a frame after it: its heaviest layout task at 4x went
// from 34-37 ms of thread CPU, median, to 17-21): +147 measured (7,344 from
// 7,197); the budget raised by that. Merged with reader13 (readArticle's
// whole reading: +6 on its branch): 7,349 measured on int13; the budget
// that plus about 10. A list file that is not there names the deploy, not
// data-index (field14's halfway deploys): +32 measured (7,381); the budget
// that plus about 14. The engine path's first files in one round trip
// (the shim starts the engine's worker and fetches the wasm and the engine
// file for it as it imports engine-path.js; at a 40 ms round trip over
// HTTP/2 the BBC's box came in 287 ms, median, against 389 before): +271
// measured (7,652); the budget that plus about 10. A page dated after the
// newest article the index holds looks in no list file (lists.js): +15
// measured (7,667); the budget that plus about 10. The wasm handed as
// bytes, compiled by the worker under its own policy (the same code as the
// engine file's): 7,599 measured; the budget that plus about 10. A date
// marked by microdata or microformats, read as the CLI reads it (so that
// such a page, published since the build, skips the list file): +66
// measured (7,665); the budget that plus about 10. Each marked element
// tried until one holds a date, as the CLI does (review): 7,692 measured;
// the budget that plus about 10. A page whose date names an instant later
// than the newest the index holds (`lists.newest_time`: a story published
// the day of the last build, after it) looks in no list file either (+81,
// the strict ISO form's test): 7,773 measured; the budget that plus about 10.
// A page a small index's filter of its pages refuses (`lists.members`,
// `mayHold`) looks in no list file either (+126): 7,899 measured. terser's
// second pass of compression after esbuild (scripts/build-wasm.sh): 7,744
// measured; the budget that plus about 10. After incremental builds a page
// looks only in the recent sets whose filter may hold it
// (`lists.recent.members`): +40, 7,784 measured; the budget that plus about 10.
const BUDGET = 7794;
const gzipped = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
// Issue 15 asks for 8,000 for both; this is where they stand, so that they can only shrink.
// Branch langs (issue 14): 11,987 measured, with the shim above; branch
// controls4 (the fallback, inLanguage): 12,118. Branch diet5: 12,109.
// Branch diet7: the engine path's three files, each gzipped on its own (the
// split costs the engine path about 900 bytes: a second file's gzip and
// the helpers the shim hands over), 13,016; the budget that plus about 100;
// with churn7's recent lists (+110), 13,230. Branch churn8 (patches, and
// the driver handing the manifest's latest and delta to the engine): 13,229,
// from 13,119 (+110): at the budget. Merged with wasm8 (the glue holds JS
// values without reference types, +70; the driver fetches the engine file
// while the page is read): 13,329 measured on main; the budget that plus
// about 70, so that it can only shrink. Branch retire10 (the term-shard
// layout retired): 13,114 measured, from 13,372 (-258); the budget that plus
// about 70. Then branch thread10 (the list path's date warm-up, in
// www/min/alike.js): +135 on its branch; merged on main with retire10: 13,239
// measured; the budget that plus about 20. Branch frame11 (the box laid out
// unseen, in www/min/alike.js): +65, 13,304 measured; the budget that plus about 20.
// Branch field13 (urlKey's index pages, in www/min/alike.js): +12 measured
// (13,333 from 13,321); the budget raised by that. Branch mt13 (the box
// laid out in steps, in www/min/alike.js): +147 measured (13,480); the
// budget raised by that.
// reader13 (readArticle returns the whole reading; the box's MIN_TEXT and cut
// in readText of their own): +19 measured (alike.js +6, engine-path.js +13);
// the budget raised by that. Files the manifest names but the server does
// not have name the deploy, not data-index (shim +32, engine.js +21,
// engine-path.js -12): 13,540 measured; the budget that plus about 15.
// The engine path's first files in one round trip (the worker's start and
// its handed files in the shim, the date warm-up moved): 13,973 measured
// (+433: the shim +271, the worker's driver its handed files and hello); the
// budget that plus about 10. The date's shortcut to the engine: +15
// measured (13,988); the budget that plus about 10. The wasm handed as
// bytes: 13,925 measured; the budget that plus about 10. The marked date:
// 13,991 measured; the budget that plus about 10. Each marked element
// tried: 14,018 measured; the budget that plus about 10. The instant's
// shortcut: 14,099 measured; the budget that plus about 10. The filter of
// a small index's pages: 14,225 measured. terser after esbuild: 13,951
// measured; the budget that plus about 10. The recent sets' filters: 13,991
// measured (+40); the budget that plus about 10.
const WITH_GLUE_BUDGET = 14_001;
const MIN = join(ROOT, 'www/min');

const today = (served, source) =>
  assert.ok(statSync(served).mtimeMs >= statSync(source).mtimeMs, `${served} is older than ${source}: run \`bash scripts/build-wasm.sh\``);

test(`www/min/alike.js, all a page answered by a stored list loads of the shim, is under ${BUDGET} bytes gzipped, and is today's www/alike.js`, () => {
  const served = join(MIN, 'alike.js');
  today(served, join(ROOT, 'www/alike.js'));
  // Only two files: a third (esbuild's chunk of code both share) would be one more request on every page.
  assert.deepEqual(readdirSync(MIN).sort(), ['alike.js', 'engine-path.js']);
  console.log(`www/alike.js: ${gzipped(join(ROOT, 'www/alike.js'))} bytes gzipped; www/min/alike.js: ${gzipped(served)}`);
  assert.ok(gzipped(served) < BUDGET, `${gzipped(served)} bytes gzipped`);
});

test(`the engine path's JavaScript (www/min/alike.js, www/min/engine-path.js, pkg/alike.js) is under ${WITH_GLUE_BUDGET} bytes gzipped, and is today's`, () => {
  const [driver, glue] = [join(ROOT, 'www/engine.js'), join(ROOT, 'pkg/alike.js')];
  today(glue, driver);
  today(join(MIN, 'engine-path.js'), join(ROOT, 'www/lib/engine-path.js'));
  const all = gzipped(join(MIN, 'alike.js')) + gzipped(join(MIN, 'engine-path.js')) + gzipped(glue);
  console.log(`www/min/alike.js, www/min/engine-path.js and pkg/alike.js: ${all} bytes gzipped`);
  assert.ok(all < WITH_GLUE_BUDGET, `${all} bytes gzipped`);
});
