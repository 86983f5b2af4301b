#!/usr/bin/env node
// Diagnostic (issue 15): the tasks in which the widget lays out and shows
// its box, from the traces of a `bench/mainthread.mjs --trace --keep-traces
// --json FILE` run: per page, each main-thread task from 1.5 s before the
// box's event (`alike:render`) to 300 ms after it, with its wall and thread
// CPU time, its style, layout (and the layout objects it found dirty), paint
// (of which the pictures' own) and script time; then per path and variant,
// the tasks with a layout between DOMContentLoaded and the event, less
// those with the bench's scroll (the box's unseen layout, www/alike.js
// `show`, and the pictures' SVG documents), and the first two frames
// after the event (the box's text; its pictures), thread CPU medians and
// maxima; and every long task the Long Tasks API reported, by what it
// holds (the shim's module run with DOMContentLoaded; the page's own work
// before it; a step of the box's unseen layout; a frame; an SVG picture's
// document; other), with its thread CPU time. Thread CPU time holds under
// load where wall time does not.
//
//   node bench/box-tasks.mjs --json FILE --traces OUT/traces [--pages]   (--pages: every task of every page)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { median } from './lib/util.mjs';

const { values: args } = parseArgs({ options: { json: { type: 'string' }, traces: { type: 'string' }, pages: { type: 'boolean', default: false } } });
if (!args.json || !args.traces) throw new Error('usage: node bench/box-tasks.mjs --json FILE --traces DIR [--pages]');
const run = JSON.parse(readFileSync(args.json, 'utf8'));

/** The main thread's tasks around the box's event `eventMs` in the trace of `url`. */
function tasksAround(events, url, eventMs, dclMs) {
  const nav = events.filter((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === url).at(-1);
  if (!nav) throw new Error(`no navigationStart of ${url}`);
  const ms = (ts) => (ts - nav.ts) / 1000;
  const thread = events.filter((e) => e.pid === nav.pid && e.tid === nav.tid && e.ph === 'X' && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts);
  const cpu = (e) => Math.max(0, e.tdur ?? 0) / 1000;
  const out = [];
  for (const task of thread.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')) {
    const at = ms(task.ts);
    if (at < eventMs - 1500 || at > eventMs + 300) continue;
    const inside = thread.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
    // Outermost events of a name only: Paint nests in Paint.
    const outer = (name) => inside.filter((e) => e.name === name && !inside.some((p) => p !== e && p.name === name && p.ts <= e.ts && p.ts + p.dur >= e.ts + e.dur));
    const sum = (name) => outer(name).reduce((a, e) => a + cpu(e), 0);
    const scripts = [...outer('RunMicrotasks'), ...outer('FunctionCall')];
    const layouts = outer('Layout');
    out.push({
      at,
      afterEvent: at >= eventMs,
      wallMs: task.dur / 1000,
      cpuMs: cpu(task),
      style: sum('UpdateLayoutTree'),
      layout: sum('Layout'),
      dirty: layouts.map((l) => l.args?.beginData?.dirtyObjects ?? '?'),
      paint: sum('Paint'),
      pictures: sum('PaintImage'),
      script: scripts.reduce((a, e) => a + cpu(e), 0),
      // A layout inside a script: forced by it (the widget's unseen layout steps; the bench's scroll).
      forced: layouts.some((l) => scripts.some((s) => s.ts <= l.ts && s.ts + s.dur >= l.ts + l.dur)),
      boxLayout: at >= dclMs && at < eventMs && layouts.length > 0 && !scripts.some((s) => s.args?.data?.functionName === 'toEnd'),
    });
  }
  return out;
}

/**
 * What a long task the Long Tasks API reported (`{start, duration}`) holds,
 * told from the trace's task that covers it: its thread CPU time and a kind.
 */
function longTaskKind(events, url, t, { eventMs, domContentLoadedMs }) {
  const nav = events.filter((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === url).at(-1);
  const ms = (ts) => (ts - nav.ts) / 1000;
  const thread = events.filter((e) => e.pid === nav.pid && e.tid === nav.tid && e.ph === 'X' && typeof e.dur === 'number');
  const task = thread
    .filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && ms(e.ts) < t.start + t.duration && ms(e.ts + e.dur) > t.start)
    .sort((a, b) => b.dur - a.dur)[0];
  if (!task) return { kind: 'not found in the trace', cpuMs: NaN };
  const inside = thread.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
  const has = (name, test = () => true) => inside.some((e) => e.name === name && test(e));
  const at = ms(task.ts);
  const scripts = inside.filter((e) => e.name === 'RunMicrotasks' || e.name === 'FunctionCall');
  const forced = inside.some((l) => l.name === 'Layout' && scripts.some((s) => s.ts <= l.ts && s.ts + s.dur >= l.ts + l.dur && s.args?.data?.functionName !== 'toEnd'));
  const kind =
    has('v8.evaluateModule') || has('EventDispatch', (e) => e.args?.data?.type === 'DOMContentLoaded')
      ? "the shim's module run, DOMContentLoaded (the bench's scroll), load"
      : domContentLoadedMs != null && at + task.dur / 1000 < domContentLoadedMs
        ? "the page's own, before DOMContentLoaded (parsing, first layout and paint)"
        : forced && at < eventMs
          ? "the box's unseen layout (a step of it)"
          : at >= eventMs && (has('Paint') || has('Layout'))
            ? 'a frame after the box was shown (its text, its pictures)'
            : has('DocumentLoader::CommitNavigation')
              ? "an SVG picture's document (the page's or the box's)"
              : has('Paint') || has('Layout')
                ? 'a frame before the box was shown'
                : 'other (script, no layout)';
  return { kind, cpuMs: (task.tdur ?? NaN) / 1000, wallMs: task.dur / 1000 };
}

const f = (x) => x.toFixed(1);
const kinds = new Map();
const groups = new Map();
for (const [i, r] of run.results.entries()) {
  const page = run.results.filter((q) => q.path === r.path && q.rate === r.rate && q.variant === r.variant).indexOf(r);
  const file = join(args.traces, `${r.variant}-${r.path}-${r.rate}x-${page}.json`);
  let events;
  try {
    events = JSON.parse(readFileSync(file, 'utf8')).traceEvents;
  } catch {
    console.error(`box-tasks: no trace ${file} (result ${i}); run bench/mainthread.mjs with --trace --keep-traces`);
    continue;
  }
  const tasks = tasksAround(events, r.url, r.eventMs, r.domContentLoadedMs ?? 0);
  for (const [whose, list] of [['widget', r.tasks], ['not', r.benchTasks || []]]) {
    for (const t of list) {
      const k = longTaskKind(events, r.url, t, r);
      const id = `${r.path} ${r.rate}x ${r.variant}|${whose}|${k.kind}`;
      if (!kinds.has(id)) kinds.set(id, []);
      kinds.get(id).push({ ...k, apiMs: t.duration });
    }
  }
  const key = `${r.path} ${r.rate}x ${r.variant}`;
  if (!groups.has(key)) groups.set(key, []);
  const steps = tasks.filter((t) => t.boxLayout);
  const frames = tasks.filter((t) => t.afterEvent && (t.layout > 0 || t.paint > 0));
  groups.get(key).push({ steps, frames });
  if (args.pages) {
    console.log(`${key} ${r.url} (event at ${r.eventMs.toFixed(0)} ms):`);
    for (const t of tasks.filter((t) => t.cpuMs >= 3)) {
      console.log(`  ${t.at.toFixed(0)} ms${t.afterEvent ? ' (after the event)' : ''}${t.forced ? ' (forced layout)' : ''}: wall ${f(t.wallMs)}, CPU ${f(t.cpuMs)}; style ${f(t.style)}, layout ${f(t.layout)} [${t.dirty.join(',')}], paint ${f(t.paint)} (pictures ${f(t.pictures)}), script ${f(t.script)}`);
    }
  }
}
console.log('\nThe box\'s tasks, thread CPU ms at the rate given: median (max) over pages\n');
console.log('| Path, rate, variant | Pages | Tasks with a layout, DOMContentLoaded to the event, per page | The heaviest of them | First frame after the event | Second frame |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [key, pages] of groups) {
  const stat = (xs) => (xs.length ? `${f(median(xs))} (${f(Math.max(...xs))})` : '-');
  const heaviest = pages.filter((p) => p.steps.length).map((p) => Math.max(...p.steps.map((t) => t.cpuMs)));
  console.log(`| ${key} | ${pages.length} | ${stat(pages.map((p) => p.steps.length))} | ${stat(heaviest)} | ${stat(pages.filter((p) => p.frames[0]).map((p) => p.frames[0].cpuMs))} | ${stat(pages.filter((p) => p.frames[1]).map((p) => p.frames[1].cpuMs))} |`);
}

console.log("\nThe long tasks the Long Tasks API reported, by what they hold (bench/lib/longtasks.mjs counts them as the widget's, or not); thread CPU ms: median (max)\n");
console.log("| Path, rate, variant | Counted as | What the task holds | Tasks | API duration | Thread CPU |");
console.log('| --- | --- | --- | ---: | ---: | ---: |');
for (const [id, ts] of [...kinds].sort()) {
  const [key, whose, kind] = id.split('|');
  const stat = (xs) => `${f(median(xs))} (${f(Math.max(...xs))})`;
  console.log(`| ${key} | ${whose === 'widget' ? "the widget's" : "not the widget's"} | ${kind} | ${ts.length} | ${stat(ts.map((t) => t.apiMs))} | ${stat(ts.map((t) => t.cpuMs))} |`);
}
