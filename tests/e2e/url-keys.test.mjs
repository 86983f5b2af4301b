// The shim finds a page's related list by its URL key, which must be the
// key `alike index` filed it under (src/text.rs `url_key`). Both follow the
// WHATWG URL parser; tests/fixtures/url-keys.json holds the cases, written
// by the Rust test `url_key_vectors_match_the_fixture`. Here the shim's key,
// from Chromium's own parser, must be the CLI's on every one, and so must the
// copy in bench/lib/internals.mjs, from Node's.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { urlKey as benchUrlKey } from '../../bench/lib/internals.mjs';
import { open, ROOT, start } from './helpers.mjs';

const VECTORS = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/url-keys.json'), 'utf8'));

let env;
before(async () => (env = await start()));
after(() => env?.close());

// At the site's root, where the CLI reads relative URLs from.
const PAGE = '/url-keys.html';
const withPage = { routes: [[`**${PAGE}`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>keys</title>' })]] };

test(`the shim's URL key is the CLI's on all ${VECTORS.length} vectors of tests/fixtures/url-keys.json`, async () => {
  assert.ok(VECTORS.length >= 60, 'too few vectors');
  const log = await open(env, PAGE, withPage);
  const keys = await log.page.evaluate(async (urls) => {
    const { internals } = await import('/alike/alike.js');
    return urls.map((url) => internals.urlKey(url));
  }, VECTORS.map((v) => v.url));
  const differ = VECTORS.filter((v, i) => keys[i] !== v.key).map((v) => `${JSON.stringify(v.url)}: CLI ${v.key}, shim ${keys[VECTORS.indexOf(v)]}`);
  assert.deepEqual(differ, []);
  assert.deepEqual(log.console, []);
  await log.page.close();
});

test("bench/lib/internals.mjs's URL key is the CLI's on every vector", () => {
  const differ = VECTORS.filter((v) => benchUrlKey(v.url) !== v.key).map((v) => `${JSON.stringify(v.url)}: CLI ${v.key}, bench ${benchUrlKey(v.url)}`);
  assert.deepEqual(differ, []);
});
