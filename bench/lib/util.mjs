// Small helpers of the harness: statistics, a seeded PRNG, sizes, processes,
// and a description of the machine.

import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const log = (...parts) => console.error('bench:', ...parts);

/** The value below which `q` of the values lie (nearest rank). */
export function quantile(values, q) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
export const median = (values) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
export const p95 = (values) => quantile(values, 0.95);

/** mulberry32: a tiny, fixed, seeded PRNG, so that generated corpora are the same on every run. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** gzip at level 9 and brotli at quality 11: what a static host precompresses. */
export const gzipBytes = (buffer) => gzipSync(buffer, { level: 9 });
export const brotliBytes = (buffer) =>
  brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length } });

export function sizes(path) {
  const raw = readFileSync(path);
  return { raw: raw.length, gzip: gzipBytes(raw).length, brotli: brotliBytes(raw).length };
}

export const fileBytes = (path) => statSync(path).size;

/**
 * Calls `each(path, bytes, name)` on every JSON file under `dir`, depth
 * first (an index's files; `name` is the path relative to `dir`).
 */
export function eachJsonFile(dir, each) {
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) each(path, readFileSync(path), relative(dir, path));
    }
  };
  walk(dir);
}

/**
 * Runs a command under /usr/bin/time -v; returns wall seconds (measured
 * here, around the process), user and system CPU seconds, and the peak
 * resident set in bytes.
 */
export function timed(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-v', command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  // CPU time too: on a shared machine the wall time says little on its own.
  const cpu = (what) => Number(new RegExp(`${what} time \\(seconds\\): ([\\d.]+)`).exec(result.stderr)?.[1] ?? NaN);
  return { seconds, userSeconds: cpu('User'), systemSeconds: cpu('System'), maxRss: rss ? Number(rss[1]) * 1024 : NaN, stdout: result.stdout, stderr: result.stderr };
}

/** Seconds a function takes. */
export function clock(fn) {
  const started = process.hrtime.bigint();
  const value = fn();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

function firstLine(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
  } catch {
    return 'unknown';
  }
}

/** What this machine is: the top of BENCHMARKS.md. */
export function machine({ chromium, wasmOpt = 'wasm-opt' }) {
  const os = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] || 'unknown';
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: cpus()[0]?.model || 'unknown',
    cores: cpus().length,
    ramGiB: totalmem() / 2 ** 30,
    os,
    kernel: firstLine('uname', ['-r']),
    rustc: firstLine('rustc', ['--version']),
    node: process.version,
    chromium: firstLine(chromium, ['--version']).replace(/^Chromium\s*/, ''),
    wasmOpt: firstLine(wasmOpt, ['--version']),
    wasmBindgen: firstLine('wasm-bindgen', ['--version']),
    commit: firstLine('git', ['rev-parse', '--short', 'HEAD']) + (firstLine('git', ['status', '--porcelain', '--untracked-files=no']) !== '' ? ' (+ uncommitted changes)' : ''),
  };
}

/** When, at which commit and on how loaded a machine a run on its own was made (its report's header). */
export function runStamp() {
  const clean = firstLine('git', ['status', '--porcelain', '--untracked-files=no']) === '';
  return {
    date: new Date().toISOString().replace(/:\d\d\.\d+Z$/, ' UTC').replace('T', ' '),
    commit: firstLine('git', ['rev-parse', '--short', 'HEAD']) + (clean ? '' : ' (+ uncommitted changes)'),
    load: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    cores: cpus().length,
  };
}

export function readJsonl(path) {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

export const toJsonl = (records) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
