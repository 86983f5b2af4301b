// The shim's size budget: 8 KB gzipped.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { ROOT } from './helpers.mjs';

const BUDGET = 8 * 1024;

test(`www/alike.js is under ${BUDGET} bytes gzipped`, () => {
  const source = readFileSync(join(ROOT, 'www/alike.js'));
  const gzipped = gzipSync(source, { level: 9 }).length;
  console.log(`www/alike.js: ${source.length} bytes, ${gzipped} gzipped`);
  assert.ok(gzipped < BUDGET, `${gzipped} bytes gzipped`);
});
