// The widget's work on the reader's main thread (issue 15): long tasks as
// the Long Tasks API reports them (every task over 50 ms), and the total
// blocking time they add up to (the sum over tasks of duration − 50 ms),
// on article pages opened in Chromium with the CPU at its own speed or
// slowed down by CDP `Emulation.setCPUThrottlingRate`.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probe } from './browser.mjs';
import { EVENTS, WIDGET_TAG } from './internals.mjs';
import { median } from './util.mjs';

/** A long task is one over this many ms; the blocking time of a task is what it lasts beyond it. */
export const LONG_TASK_MS = 50;
/** The control task each page runs once the widget's work is over: a busy loop this long, which the API must report. */
export const CONTROL_MS = 80;
/** The fixed piece of work each page times once the widget's work is over, to show that throttling took effect. */
const CALIBRATION_ROUNDS = 5e5;

/**
 * Runs in the page before its scripts: a PerformanceObserver for `longtask`
 * entries (buffered, so that nothing before it is lost), and a promise
 * that settles on the widget's first `alike:render` or `alike:error`.
 */
function observe(events) {
  const tasks = [];
  const seen = new Set();
  const keep = (entries) => {
    for (const e of entries) {
      const key = `${e.startTime}/${e.duration}`;
      if (!seen.has(key)) seen.add(key), tasks.push({ start: e.startTime, duration: e.duration });
    }
  };
  const state = { tasks, error: null };
  try {
    state.observer = new PerformanceObserver((list) => keep(list.getEntries()));
    state.observer.observe({ type: 'longtask', buffered: true });
    state.flush = () => keep(state.observer.takeRecords());
  } catch (error) {
    state.error = String(error);
  }
  // Long animation frames (Chromium's LoAF API) name the scripts that ran
  // in each frame over 50 ms, with the style and layout they forced: what
  // the Long Tasks API cannot say (whose work a long task was).
  state.frames = [];
  const frame = (f) =>
    state.frames.push({
      start: f.startTime,
      duration: f.duration,
      blocking: f.blockingDuration,
      scripts: f.scripts.map((x) => ({ url: x.sourceURL, invoker: x.invoker, duration: x.duration, forced: x.forcedStyleAndLayoutDuration })),
    });
  try {
    const frames = new PerformanceObserver((list) => list.getEntries().forEach(frame));
    frames.observe({ type: 'long-animation-frame', buffered: true });
    const flush = state.flush;
    state.flush = () => {
      flush?.();
      frames.takeRecords().forEach(frame);
    };
  } catch {
    state.frames = null;
  }
  // Work in the window that is not the widget's (`notTheWidgets`): the end
  // of the page's HTML parsing (when its readyState turned interactive,
  // just before module scripts run), and the bench's own scroll
  // (bench/lib/browser.mjs `probe`, whose listeners run between these:
  // DOMContentLoaded reaches a capture listener on window before them;
  // load comes just after readyState turns complete, in the same task; a
  // listener added after them runs after them): how long it took, and
  // whether the widget had drawn its box by then (an <aside> in its host's
  // shadow root).
  state.scrolls = [];
  let from;
  const before = () => (from = performance.now());
  const after = () => {
    const at = performance.now();
    state.scrolls.push({ at, ms: at - from, drawn: Boolean(document.querySelector(events.tag)?.shadowRoot?.querySelector('aside')) });
  };
  document.addEventListener('readystatechange', () => (document.readyState === 'interactive' ? (state.interactive = performance.now()) : before()));
  // When the widget's module ran: its evaluation ends with its first yield
  // to the page (www/alike.js `yieldToPage`, scheduler.yield in Chromium);
  // the page has no other script that yields.
  if (globalThis.scheduler?.yield) {
    const original = scheduler.yield.bind(scheduler);
    scheduler.yield = () => ((state.started ??= performance.now()), original());
  }
  window.addEventListener('DOMContentLoaded', before, { capture: true });
  document.addEventListener('DOMContentLoaded', after);
  window.addEventListener('load', after);
  state.done = new Promise((resolve) => {
    document.addEventListener(events.render, () => resolve({ event: 'render', at: performance.now() }), { once: true });
    document.addEventListener(events.error, (e) => resolve({ event: 'error', at: performance.now(), detail: e.detail }), { once: true });
  });
  window.__longtasks = state;
}

/**
 * Opens `url` in a fresh context (cold cache) with the CPU slowed `rate`
 * times, waits for the box (its event), then for the page to have drawn a
 * frame after it and gone idle (two requestAnimationFrame callbacks, then a
 * requestIdleCallback: whatever the widget queued before or at its event
 * has run), and reads the long tasks the API reported. `paths` maps the
 * widget's files to URL paths: `shim` (its script; `enginePath`, its second
 * file, where the engine runs), `glue` and `wasm` (the
 * engine: the path the box took is the engine's if the page, or a worker
 * of its, requested either before the box's event).
 *
 * Attribution: the Long Tasks API names no script, so a task counts as the
 * widget's when it ends after the shim's script arrived (Resource Timing
 * `responseEnd` of the shim): the shim is a module script, which runs
 * after that, and the page has no other script. Tasks over before it are
 * the page's own (parsing, style), reported apart. The window closes at
 * the idle moment after the box. Work in the window that is not the
 * widget's is taken off (`notTheWidgets`): the end of the page's parsing,
 * tasks over before the shim's module ran, and the probe's scroll to the
 * page's end (on DOMContentLoaded and on load) made while no box was drawn.
 *
 * Then two checks, outside the window: a fixed loop is timed (the fastest
 * of five; its time at 4x over its time at 1x shows the throttling took
 * effect) and a busy loop
 * of CONTROL_MS runs as a task of its own, which the API must report (or
 * the observer saw nothing and every figure would be a false zero).
 */
export async function mainThreadWork(browser, url, { rate, paths, timeout = 120000, hooks = {} }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    await page.addInitScript(probe, EVENTS);
    await page.addInitScript(observe, { ...EVENTS, tag: WIDGET_TAG });
    // bench/mainthread.mjs --trace: a Chromium trace of the same page load.
    await hooks.before?.(page, cdp);
    // The engine's files as the context sees them requested: a worker's requests too, which the page's Resource Timing lacks.
    const engineRequests = [];
    context.on('request', (q) => {
      const path = new URL(q.url()).pathname;
      if (path === paths.glue || path === paths.wasm) engineRequests.push(q);
    });
    await page.goto(url, { waitUntil: 'commit', timeout });
    // A box that never comes (no event) must fail the run, not hang it.
    let timer;
    const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${url}: no alike:render or alike:error within ${timeout / 1000} s at ${rate}x`)), timeout)));
    const measured = page.evaluate(
      async ({ paths, rounds }) => {
        const state = window.__longtasks;
        if (state.error) return { observerError: state.error };
        const done = await state.done;
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        await new Promise((resolve) => requestIdleCallback(resolve));
        const idle = performance.now();
        state.flush();
        const tasks = state.tasks.slice();
        const frames = state.frames && state.frames.slice();
        const resources = performance.getEntriesByType('resource');
        const pathOf = (e) => new URL(e.name).pathname;
        const shim = resources.find((e) => pathOf(e) === paths.shim);
        const nav = performance.getEntriesByType('navigation')[0];
        const fetched = (path) => resources.some((e) => pathOf(e) === path && e.startTime <= done.at);
        // The fixed loop, five times, each in a task of its own; the fastest
        // counts (the least disturbed by whatever else the machine runs).
        let loopMs = Infinity;
        for (let run = 0; run < 5; run++) {
          const took = await new Promise((resolve) =>
            setTimeout(() => {
              const t = performance.now();
              let x = 0;
              for (let i = 0; i < rounds; i++) x += Math.sqrt(i + x) % 7;
              resolve(performance.now() - t + (x < 0 ? 1 : 0));
            }, 0),
          );
          loopMs = Math.min(loopMs, took);
        }
        // The control task: busy for a fixed wall-clock time.
        const control = await new Promise((resolve) =>
          setTimeout(() => {
            const t = performance.now();
            while (performance.now() - t < paths.controlMs);
            resolve(t);
          }, 0),
        );
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        await new Promise((resolve) => requestIdleCallback(resolve));
        state.flush();
        const controlTask = state.tasks.find((t) => t.start <= control + 1 && t.start + t.duration >= control + paths.controlMs - 1);
        return {
          event: done.event,
          error: done.detail ?? null,
          origin: performance.timeOrigin,
          eventMs: done.at,
          idleMs: idle,
          shimEndMs: shim ? shim.responseEnd : null,
          domContentLoadedMs: nav ? nav.domContentLoadedEventStart : null,
          loadMs: nav ? nav.loadEventStart : null,
          engine: fetched(paths.glue) || fetched(paths.wasm),
          tasks,
          frames,
          scrolls: state.scrolls,
          interactiveMs: state.interactive ?? null,
          startedMs: state.started ?? null,
          loopMs,
          controlMs: controlTask ? controlTask.duration : null,
        };
      },
      { paths: { ...paths, controlMs: CONTROL_MS }, rounds: CALIBRATION_ROUNDS },
    );
    const out = await Promise.race([measured, late]).finally(() => clearTimeout(timer));
    if (out.observerError) throw new Error(`${url}: no Long Tasks API in this Chromium (${out.observerError})`);
    if (out.shimEndMs == null) throw new Error(`${url}: the page never fetched the shim (${paths.shim})`);
    // The engine path: the glue or the wasm requested before the box's event, by the page or a worker.
    const engine = out.engine || engineRequests.some((q) => !(q.timing().startTime > 0) || q.timing().startTime <= out.origin + out.eventMs);
    const inWindow = (t) => t.start + t.duration > out.shimEndMs && t.start < out.idleMs;
    const ours = [paths.shim, paths.enginePath, paths.glue].filter(Boolean);
    const windowed = out.tasks.filter(inWindow);
    const { widget, bench } = notTheWidgets(windowed, out);
    const pageOwn = out.tasks.filter((t) => t.start + t.duration <= out.shimEndMs);
    const extra = (await hooks.after?.(page, cdp, { ...out, widget, bench })) || {};
    return {
      ...extra,
      url,
      rate,
      event: out.event,
      error: out.error,
      took: engine ? 'engine' : 'list',
      eventMs: out.eventMs,
      idleMs: out.idleMs,
      shimEndMs: out.shimEndMs,
      domContentLoadedMs: out.domContentLoadedMs,
      loadMs: out.loadMs,
      tasks: widget,
      pageTasks: pageOwn,
      benchTasks: bench,
      ...blocking(widget),
      // As counted before the page's parsing and the bench's scroll were taken off (session 11).
      withBench: blocking(windowed),
      frames: out.frames && framesOf(out.frames.filter(inWindow), ours),
      loopMs: out.loopMs,
      controlMs: out.controlMs,
    };
  } finally {
    await context.close();
  }
}

/**
 * The long tasks in the window less the work in them that is not the
 * widget's, measured in the page by `observe`: the page's own HTML parsing
 * up to its readyState turning interactive (`interactiveMs`: Chromium may
 * end the parsing, run the shim's module and fire DOMContentLoaded in one
 * task), and the bench's own scroll (`scrolls`) when no box was drawn yet.
 * A task counts for what it lasted beyond those, and is the widget's if
 * that is still over LONG_TASK_MS; else it is the bench's and the page's
 * (`bench`, reported apart, with `parseMs` and `scrollMs` taken off).
 * - The scroll's cost is the page's layout it forces, which the page's
 *   first frame would do without the bench. Only the time the probe's
 *   listener took is taken off; the rest of its task (the shim's module,
 *   when Chromium ran it there) stays. The widget's host may be in the
 *   page by then, but with no box it is an empty block in that layout.
 *   Once a box is drawn, the scroll lays it out too: nothing is taken off.
 * - Before the shim's module has run (`startedMs`: its evaluation ends with
 *   its first yield to the page; else when the page turned interactive,
 *   before which no module script runs), none of the widget's script has:
 *   a task over by then is the page's own (its parsing, first layout and
 *   paint, an SVG picture's document), whole (`parseMs` is its duration).
 *   The one piece of the widget's such a task may hold is the compilation
 *   of its module as it arrives: `--trace` shows how long that took in
 *   each task (bench/lib/tasktrace.mjs `compileMs`; 0.1-12 ms of thread
 *   CPU at 4x, session 13), so that the rule is checked, not assumed.
 */
export function notTheWidgets(tasks, { scrolls, interactiveMs, startedMs }) {
  const widget = [];
  const bench = [];
  const started = startedMs ?? interactiveMs;
  for (const t of tasks) {
    const within = (at) => at != null && at >= t.start && at <= t.start + t.duration;
    const scrollMs = scrolls.filter((s) => !s.drawn && within(s.at)).reduce((a, s) => a + s.ms, 0);
    const early = started != null && t.start + t.duration < started;
    const parseMs = early ? t.duration : within(interactiveMs) ? interactiveMs - t.start : 0;
    const rest = t.duration - scrollMs - parseMs;
    if (!(scrollMs || parseMs)) widget.push(t);
    else if (rest > LONG_TASK_MS) widget.push({ ...t, duration: rest, scrollMs, parseMs });
    else bench.push({ ...t, scrollMs, parseMs });
  }
  return { widget, bench };
}

/**
 * Of the long animation frames in the window: how many; in the worst one,
 * the widget's script time (scripts whose source is one of `ours`, paths
 * of the shim and the glue) and the style and layout those scripts forced;
 * the longest frame in which the widget's scripts ran; and the most script
 * time of any other source in one frame (the bench's own probe included).
 */
export function framesOf(frames, ours) {
  const mine = (x) => {
    try {
      return ours.includes(new URL(x.url).pathname);
    } catch {
      return false;
    }
  };
  const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
  let script = 0;
  let forced = 0;
  let withWidget = 0;
  let other = 0;
  for (const f of frames) {
    const widget = f.scripts.filter(mine);
    script = Math.max(script, sum(widget, (x) => x.duration));
    forced = Math.max(forced, sum(widget, (x) => x.forced));
    if (widget.length) withWidget = Math.max(withWidget, f.duration);
    other = Math.max(other, sum(f.scripts.filter((x) => !mine(x)), (x) => x.duration));
  }
  return { count: frames.length, script, forced, withWidget, other };
}

/**
 * Of the long tasks the API reported: the longest (0 when it reported
 * none), how many, and their total blocking time. The API reports tasks
 * over 50 ms with durations rounded to whole ms, so one may read 50.
 */
export function blocking(tasks) {
  return {
    longest: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
    longTasks: tasks.length,
    tbt: tasks.reduce((sum, t) => sum + Math.max(0, t.duration - LONG_TASK_MS), 0),
  };
}

/** A path's pages at one rate, summed up: medians and maxima over pages. */
export function summarize(pages) {
  const pick = (f) => pages.map(f);
  const longest = pick((q) => q.longest);
  const tbt = pick((q) => q.tbt);
  const count = pick((q) => q.longTasks);
  return {
    pages: pages.length,
    longest: { median: median(longest), max: Math.max(...longest) },
    longTasks: { median: median(count), max: Math.max(...count), total: count.reduce((a, b) => a + b, 0) },
    tbt: { median: median(tbt), max: Math.max(...tbt) },
    // Tasks that were not the widget's once the page's parsing and the bench's scroll were taken off (notTheWidgets), and the figures had nothing been taken off.
    benchTasks: pages.reduce((n, q) => n + (q.benchTasks?.length || 0), 0),
    withBench: {
      longest: { median: median(pick((q) => q.withBench?.longest ?? q.longest)), max: Math.max(...pick((q) => q.withBench?.longest ?? q.longest)) },
      tbt: { median: median(pick((q) => q.withBench?.tbt ?? q.tbt)), max: Math.max(...pick((q) => q.withBench?.tbt ?? q.tbt)) },
      pagesWithLongTask: pick((q) => q.withBench?.longTasks ?? q.longTasks).filter((n) => n > 0).length,
    },
    pagesWithLongTask: count.filter((n) => n > 0).length,
    pageTasks: pages.reduce((n, q) => n + q.pageTasks.length, 0),
    // The widget's long tasks that began before the page's load event (the shim runs before it: a module script).
    beforeLoad: pages.reduce((n, q) => n + q.tasks.filter((t) => q.loadMs != null && t.start < q.loadMs).length, 0),
    eventMs: median(pick((q) => q.eventMs)),
    loopMs: median(pick((q) => q.loopMs)),
    took: [...new Set(pick((q) => q.took))],
    // Long animation frames: null when this Chromium has no LoAF API.
    frames: pages.every((q) => q.frames)
      ? Object.fromEntries(['count', 'script', 'forced', 'withWidget', 'other'].map((k) => [k, { median: median(pick((q) => q.frames[k])), max: Math.max(...pick((q) => q.frames[k])) }]))
      : null,
  };
}

/**
 * Pages not in the index, as a site shows a newer article: copies of the
 * article pages at `paths` (site paths under `root`) under `/fresh/`, whose
 * own URL (canonical, og:url, JSON-LD url) is the copy's, so that the list
 * lookup misses and the engine ranks the page's text. Returns their paths.
 */
export function freshCopies(root, paths) {
  mkdirSync(join(root, 'fresh'), { recursive: true });
  return paths.map((path) => {
    const copy = `/fresh/${path.slice(1).replaceAll('/', '-')}`;
    const html = readFileSync(join(root, path), 'utf8').replace(/(["'])([^"']*)(["'])/g, (m, a, url, b) => (url === path || url.endsWith(`//${url.split('/')[2]}${path}`) ? a + url.slice(0, url.length - path.length) + copy + b : m));
    writeFileSync(join(root, copy), html);
    return copy;
  });
}
