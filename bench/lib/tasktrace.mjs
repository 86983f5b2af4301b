// Where a long task's time goes (issue 15): a Chromium trace of a page load
// (CDP Tracing, the Performance panel's categories and V8's sampling
// profiler), cut into the renderer main thread's tasks. For each task the
// Long Tasks API reported as the widget's: its wall time and its thread CPU
// time (CPU throttling pauses the thread, and other processes on the
// machine delay it; neither counts as the thread's CPU time), the kinds of
// work in it (script, style, layout, paint, HTML parsing, GC, image
// decoding) by self time, the functions V8's profiler sampled in it, and
// the thread CPU time of compiling the widget's files in it.

/** The trace categories: the Performance panel's, and V8's samples. */
export const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'loading', 'disabled-by-default-v8.cpu_profiler'];

/** Starts tracing on `session` (a browser CDP session); `stop()` resolves to the trace events. */
export async function startTrace(session) {
  const events = [];
  const collect = ({ value }) => events.push(...value);
  session.on('Tracing.dataCollected', collect);
  await session.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordAsMuchAsPossible' } });
  return {
    stop: async () => {
      const complete = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
      await session.send('Tracing.end');
      await complete;
      session.off('Tracing.dataCollected', collect);
      return events;
    },
  };
}

// Trace event names by kind of work (self time: what an event does outside its children).
const KINDS = [
  ['style', /^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|ScheduleStyleRecalculation|InvalidateLayout)$/],
  ['layout', /^(Layout|UpdateLayerTree|PrePaint|IntersectionObserverController::computeIntersections|ComputeIntersections)$/],
  ['paint', /^(Paint|PaintImage|Layerize|Commit|CompositeLayers|UpdateLayer|PaintSetup|RasterTask)$/],
  ['parse HTML', /^ParseHTML$/],
  ['GC', /GC|^BlinkGC|^V8\.GC/],
  ['image', /Decode|Image/],
  ['compile', /^(v8\.compile|v8\.compileModule|V8\.CompileCode|v8\.parseOnBackground|CompileScript|v8\.produceCache|v8\.wasm)/],
  ['script', /^(EvaluateScript|v8\.evaluateModule|FunctionCall|RunMicrotasks|TimerFire|EventDispatch|FireAnimationFrame|FireIdleCallback|v8\.run|V8\.Execute|v8\.callFunction|XHRReadyStateChange|HandlePostMessage|ResourceReceivedData|ResourceFinish)$/],
];
const kindOf = (name) => KINDS.find(([, re]) => re.test(name))?.[0] || 'other';

/** The renderer main thread of the page at `url`: the CrRendererMain whose navigationStart names it. */
function mainThread(events, url) {
  const starts = events.filter((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === url);
  const start = starts.at(-1);
  if (!start) throw new Error(`the trace holds no navigationStart of ${url}`);
  return { pid: start.pid, tid: start.tid, navigationStart: start.ts };
}

/** V8's samples on thread (pid, tid): `[{ts, stack: [{name, url}] (leaf first)}]`. */
function samples(events, pid, tid) {
  const out = [];
  const profiles = new Map();
  for (const e of events) {
    if (e.pid !== pid) continue;
    if (e.name === 'Profile' && e.tid === tid) profiles.set(e.id, { start: e.args.data.startTime, nodes: new Map(), t: e.args.data.startTime });
    if (e.name !== 'ProfileChunk' || !profiles.has(e.id)) continue;
    const p = profiles.get(e.id);
    const cpu = e.args.data.cpuProfile || {};
    for (const n of cpu.nodes || []) p.nodes.set(n.id, { name: n.callFrame.functionName || '(anonymous)', url: n.callFrame.url || '', parent: n.parent });
    const deltas = e.args.data.timeDeltas || [];
    (cpu.samples || []).forEach((id, i) => {
      p.t += deltas[i] || 0;
      out.push({ ts: p.t, id, nodes: p.nodes });
    });
  }
  return out.map(({ ts, id, nodes }) => {
    const stack = [];
    for (let n = nodes.get(id); n; n = nodes.get(n.parent)) stack.push(n);
    return { ts, stack };
  });
}

/**
 * The widget's long tasks of one page load, from its trace `events`: the
 * main thread's tasks that overlap the Long Tasks API's ones (`tasks`,
 * `{start, duration}` in the page's ms), each with `{startMs, wallMs,
 * cpuMs, kinds: {kind: ms of self wall time}, cpuKinds (the same in thread
 * CPU time), functions: [[name, samples]]}`. `ours` names the widget's
 * files (URL paths): a sample counts for the innermost of its frames in
 * them (`shim.fn`), else for its leaf.
 */
export function taskBreakdown(events, url, tasks, ours, boxMs) {
  const { pid, tid, navigationStart } = mainThread(events, url);
  const ms = (ts) => (ts - navigationStart) / 1000;
  const thread = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const top = thread.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const sampled = samples(events, pid, tid);
  const mine = (frame) => {
    try {
      return ours.includes(new URL(frame.url).pathname);
    } catch {
      return false;
    }
  };
  const file = (frame) => new URL(frame.url).pathname.split('/').pop().replace(/\.js$/, '');
  const breakdown = (t) => {
    // The trace's task that covers the API's: the longest RunTask overlapping it.
    const overlapping = top.filter((e) => ms(e.ts) < t.start + t.duration && ms(e.ts + e.dur) > t.start);
    const task = overlapping.sort((a, b) => b.dur - a.dur)[0];
    if (!task) return { startMs: t.start, wallMs: t.duration, found: false };
    const inside = thread.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
    // Self time per event: its time less its direct children's (events on one thread nest).
    const self = new Map();
    const selfCpu = new Map();
    const stack = [];
    for (const e of inside) {
      while (stack.length && stack.at(-1).ts + stack.at(-1).dur <= e.ts) stack.pop();
      const parent = stack.at(-1);
      self.set(e, (self.get(e) ?? e.dur) + 0);
      selfCpu.set(e, e.tdur ?? 0);
      if (parent) {
        self.set(parent, self.get(parent) - e.dur);
        selfCpu.set(parent, selfCpu.get(parent) - (e.tdur ?? 0));
      }
      stack.push(e);
    }
    const kinds = {};
    const cpuKinds = {};
    for (const e of inside) {
      const k = kindOf(e.name);
      kinds[k] = (kinds[k] || 0) + self.get(e) / 1000;
      cpuKinds[k] = (cpuKinds[k] || 0) + Math.max(0, selfCpu.get(e)) / 1000;
    }
    const outside = (task.dur - inside.filter((e) => !inside.some((p) => p !== e && p.ts <= e.ts && p.ts + p.dur >= e.ts + e.dur)).reduce((a, e) => a + e.dur, 0)) / 1000;
    kinds['task itself'] = outside;
    const functions = new Map();
    let count = 0;
    let widgetSamples = 0;
    for (const s of sampled) {
      if (s.ts < task.ts || s.ts > task.ts + task.dur) continue;
      count++;
      const leaf = s.stack[0];
      const widget = s.stack.find(mine);
      if (widget) widgetSamples++;
      const name = widget ? `${file(widget)}.${widget.name}${leaf !== widget ? ' > ' + leaf.name : ''}` : `${leaf?.name || '?'}${leaf?.url ? ' (' + leaf.url.split('/').pop() + ')' : ''}`;
      functions.set(name, (functions.get(name) || 0) + 1);
    }
    // Whose work: the widget's script if a sample of it or a call into its files falls in the task; the
    // bench's scroll (its probe, bench/lib/browser.mjs) if that ran; rendering (style, layout, paint)
    // if that is most of the task's CPU time, whatever caused it (the box drawn, the page scrolled).
    const called = inside.some((e) => (e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'v8.evaluateModule') && ours.some((p) => String(e.args?.data?.url || '').endsWith(p)));
    // The compilation of the widget's files in the task: Chromium compiles a
    // module as it arrives, maybe before the page is interactive, when
    // none of its code has run (bench/lib/longtasks.mjs `notTheWidgets`).
    const compileMs = inside.filter((e) => /compile/i.test(e.name) && ours.some((p) => String(e.args?.data?.url || '').endsWith(p))).reduce((a, e) => a + Math.max(0, e.tdur ?? 0), 0) / 1000;
    const named = [...functions.keys()];
    const rendering = ['style', 'layout', 'paint'].reduce((a, k) => a + (cpuKinds[k] || 0), 0);
    const cpu = (task.tdur ?? 0) / 1000;
    const owner = called || named.some((n) => n.startsWith('alike.') || n.startsWith('engine-path.')) ? 'widget script' : named.some((n) => n.startsWith('toEnd')) ? 'bench scroll' : rendering >= cpu / 2 ? 'rendering' : 'other';
    return {
      owner,
      startMs: ms(task.ts),
      wallMs: task.dur / 1000,
      cpuMs: (task.tdur ?? NaN) / 1000,
      apiMs: t.duration,
      // The widget's own script in the task: its share of the samples, of the task's thread CPU time.
      widgetCpuMs: count ? (cpu * widgetSamples) / count : 0,
      compileMs,
      kinds,
      cpuKinds,
      samples: count,
      functions: [...functions].sort((a, b) => b[1] - a[1]).slice(0, 12),
    };
  };
  const out = tasks.map(breakdown);
  // The page's first frame with the box: the first task with a layout after the box's event (`boxMs`), long or not.
  if (boxMs != null) {
    const drawn = top.find((e) => ms(e.ts) >= boxMs && thread.some((x) => x.name === 'Layout' && x.ts >= e.ts && x.ts < e.ts + e.dur));
    if (drawn) out.boxFrame = breakdown({ start: ms(drawn.ts), duration: drawn.dur / 1000 });
    // And the last task with a layout before that event: where the widget lays the box out unseen (www/alike.js `draw`), else a frame of the page's.
    const before = top.findLast((e) => ms(e.ts) < boxMs && thread.some((x) => x.name === 'Layout' && x.ts >= e.ts && x.ts < e.ts + e.dur));
    if (before) out.lastLayoutBefore = breakdown({ start: ms(before.ts), duration: before.dur / 1000 });
  }
  return out;
}
