// The shim's size budget: 8 KB gzipped, for the file sites serve
// (www/alike.min.js, which scripts/build-wasm.sh minifies from www/alike.js).

import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { ROOT } from './helpers.mjs';

const BUDGET = 8000;
const gzipped = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

test(`www/alike.min.js is under ${BUDGET} bytes gzipped, and is today's www/alike.js`, () => {
  const [source, served] = [join(ROOT, 'www/alike.js'), join(ROOT, 'www/alike.min.js')];
  assert.ok(statSync(served).mtimeMs >= statSync(source).mtimeMs, 'www/alike.min.js is older than www/alike.js: run `bash scripts/build-wasm.sh`');
  console.log(`www/alike.js: ${gzipped(source)} bytes gzipped; www/alike.min.js: ${gzipped(served)}`);
  assert.ok(gzipped(served) < BUDGET, `${gzipped(served)} bytes gzipped`);
});
