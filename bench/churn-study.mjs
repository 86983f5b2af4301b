#!/usr/bin/env node
// A study for issue 16's churn (not part of bench/run): rebuilds in a row
// of `--share` each, with the binary given (built with other constants to
// compare policies), printing per step the gzipped bytes the rebuild wrote
// as a share of the live index, and an estimate of one more design: the
// older segments' pages that a rebuild now rewrites whole in its recent
// files, written instead as patches on their list in the newest older
// segment holding it (churn8's patch format: a number names an entry of
// that list, an object is written whole). The estimate rewrites each new
// recent file that way and gzips it; readers would fetch the same files
// (one recent file per set of recent lists, in parallel) and apply up to one
// patch per set.
//
//   node bench/churn-study.mjs [--bin target/release/alike] [--synthetic N]
//                              [--share 0.01] [--rebuilds 10] [--out DIR]

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { snapshot, seriesInput, seriesOptions } from './lib/churn.mjs';
import { cli } from './lib/internals.mjs';
import { gzipBytes } from './lib/util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const { values: args } = parseArgs({
  options: {
    ...seriesOptions(ROOT),
  },
});

const out = resolve(args.out || join(HERE, 'out', `churn-study-${args.synthetic || 'corpus'}`));
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'index'), { recursive: true });
const { lines, day, rebuilds } = seriesInput({ ...args, corpus: resolve(args.corpus) });

/** The generations of the files `manifest` names (docs/index-format.md). */
function generations(manifest) {
  const recent = manifest.lists?.recent;
  const segments = recent ? [recent.generation, ...(recent.newer || [])] : [];
  const delta = manifest.delta ? [manifest.delta.generation, ...(manifest.delta.newer || [])] : [];
  return { base: manifest.generation, segments, delta };
}

const hex = (n) => n.toString(16);
const dir = join(out, 'index');
const steps = [];
let before = new Map();
let oldManifest = null;
for (let i = rebuilds; i >= 0; i--) {
  const part = join(out, 'articles.jsonl');
  const upto = lines.length - i * day;
  writeFileSync(part, lines.slice(0, upto).join('\n') + '\n');
  const run = spawnSync(args.bin, [...cli.index(part, join(dir, 'index.json'), { layout: 'clusters' }).filter((a) => a !== '--quiet'), '--no-widget'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`alike index failed: ${run.stderr}`);
  const now = snapshot(dir);
  const manifest = JSON.parse(now.get('index.json'));
  const { base, segments, delta } = generations(manifest);
  const live = (path) => {
    if (path === 'index.json' || path === manifest.engine) return true;
    const m = /^([ckldr])\/[0-9a-f]+-([0-9a-f]+)\.json$/.exec(path);
    if (!m) return false;
    const named = 'ckl'.includes(m[1]) ? [base] : m[1] === 'd' ? delta : segments;
    return named.some((g) => hex(g) === m[2]);
  };
  let liveBytes = 0;
  let written = 0;
  let estimate = 0;
  let wholeOlder = 0;
  const byKind = {};
  for (const [path, bytes] of now) {
    if (!live(path)) continue;
    const g = gzipBytes(bytes).length;
    liveBytes += g;
    if (before.has(path) && Buffer.compare(before.get(path), bytes) === 0) continue;
    written += g;
    const kind = path.includes('/') ? path[0] : path === 'index.json' ? 'manifest' : 'engine';
    byKind[kind] = (byKind[kind] || 0) + g;
    // The estimate: older segments' pages as patches on their newest older list.
    if (path.startsWith('r/') && oldManifest && steps.length) {
      const file = JSON.parse(bytes);
      const bucket = path.slice(2).split('-')[0];
      const older = generations(oldManifest).segments.filter((s) => segments.includes(s) && hex(s) !== path.split('-')[1].replace('.json', ''));
      // A page whose list an older kept segment holds whole: an older
      // segment's article (this build's own and merged ones have none).
      for (const [key, list] of Object.entries(file.pages || {})) {
        let previous = null;
        for (const s of [...older].reverse()) {
          const held = before.get(`r/${bucket}-${hex(s)}.json`);
          const pages = held && JSON.parse(held).pages;
          if (pages && pages[key]) {
            previous = pages[key];
            break;
          }
        }
        if (!previous) continue;
        const patch = list.map((entry) => {
          const at = previous.findIndex((p) => p.url === entry.url);
          return at >= 0 ? at : entry;
        });
        file.patches = { ...(file.patches || {}), [`~${key}`]: patch };
        delete file.pages[key];
        wholeOlder++;
      }
      estimate += gzipBytes(Buffer.from(JSON.stringify(file))).length - g;
    }
  }
  const segmentsNow = manifest.delta ? 1 + (manifest.delta.newer || []).length : 0;
  // The sets of recent-list files a page reads besides its list file.
  const recentSets = segments.length;
  const incremental = /incrementally/.test(run.stderr);
  steps.push({ articles: upto, incremental, segments: segmentsNow, recentSets, written, liveBytes, churn: written / liveBytes, estimated: (written + estimate) / liveBytes, wholeOlder, byKind });
  // Each step as it ends (a long series can be read while it runs).
  const s = steps.at(-1);
  console.error(`step ${steps.length - 1}: ${upto} articles, ${segmentsNow} segments, ${recentSets} recent sets, written ${(written / 1000).toFixed(1)} KB (${Object.entries(byKind).map(([k, b]) => `${k} ${(b / 1000).toFixed(1)}`).join(', ')}), churn ${(100 * s.churn).toFixed(2)}%`);
  before = now;
  oldManifest = manifest;
}
const load = readFileSync('/proc/loadavg', 'utf8').trim();
writeFileSync(join(out, 'study.json'), JSON.stringify({ bin: args.bin, articles: lines.length, day, load, steps }, null, 2) + '\n');
rmSync(dir, { recursive: true, force: true });
rmSync(join(out, 'articles.jsonl'), { force: true });

const pct = (x) => `${(100 * x).toFixed(2)}%`;
console.log(`${lines.length} articles, ${rebuilds} rebuilds of ${day}, ${args.bin}, load ${load}`);
console.log('step | segments / recent sets | written KB (by kind) | churn | older pages whole | churn with them as patches (estimate)');
for (const [i, s] of steps.entries()) {
  if (!i) continue;
  console.log(`${i} | ${s.segments} / ${s.recentSets}${s.incremental ? '' : ' (full)'} | ${(s.written / 1000).toFixed(1)} (${Object.entries(s.byKind).map(([k, b]) => `${k} ${(b / 1000).toFixed(1)}`).join(', ')}) | ${pct(s.churn)} | ${s.wholeOlder} | ${pct(s.estimated)}`);
}
const rest = steps.slice(1);
const mean = (f) => rest.reduce((a, s) => a + f(s), 0) / rest.length;
const worst = (f) => Math.max(...rest.map(f));
console.log(`mean ${pct(mean((s) => s.churn))} worst ${pct(worst((s) => s.churn))}; with patches: mean ${pct(mean((s) => s.estimated))} worst ${pct(worst((s) => s.estimated))}`);
// What an old indexed page reads besides its list file: one recent file per set.
console.log(`recent sets (files an old page reads besides its list file): mean ${mean((s) => s.recentSets).toFixed(1)}, most ${worst((s) => s.recentSets)}, after the last ${rest.at(-1).recentSets}`);
