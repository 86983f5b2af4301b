// bench/lib/tasktrace.mjs, which says where a long task's time went
// (bench/mainthread.mjs --trace), on a trace made by hand: the task found
// from the Long Tasks API's times, self time by kind of work, thread CPU
// time, the sampled functions, whose work, the first frame with the box and
// the last task with a layout before it.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { taskBreakdown } from '../../bench/lib/tasktrace.mjs';

const URL_ = 'http://127.0.0.1:1/business/001.html';
const SHIM = 'http://127.0.0.1:1/alike/alike.js';
const NAV = 1_000_000; // µs
const at = (ms) => NAV + ms * 1000;
const X = (name, startMs, durMs, cpuMs, args = {}) => ({ pid: 1, tid: 2, ph: 'X', name, ts: at(startMs), dur: durMs * 1000, tdur: cpuMs * 1000, args });

// The page's tasks: 100-180 ms, the widget's (a call into the shim that forced a layout, then a paint);
// 300-360 ms, rendering only (the box's frame).
const events = [
  { pid: 1, tid: 2, ph: 'R', name: 'navigationStart', ts: NAV, args: { data: { documentLoaderURL: URL_ } } },
  { pid: 1, tid: 9, ph: 'R', name: 'navigationStart', ts: NAV, args: { data: { documentLoaderURL: 'about:blank' } } },
  X('RunTask', 100, 80, 70),
  X('FunctionCall', 105, 40, 38, { data: { url: SHIM, functionName: 'draw' } }),
  X('Layout', 120, 10, 9),
  X('Paint', 150, 20, 15),
  X('RunTask', 300, 60, 50),
  X('UpdateLayoutTree', 300, 5, 5),
  X('Layout', 305, 40, 35),
  X('Paint', 345, 10, 8),
  // Another thread's task at the same time: not the page's main thread.
  { pid: 1, tid: 3, ph: 'X', name: 'RunTask', ts: at(100), dur: 500_000, tdur: 500_000 },
  // V8's samples: three in the widget's task (two in the date formatter under draw, one in draw), one in the frame.
  { pid: 1, tid: 2, ph: 'P', name: 'Profile', id: '0x1', ts: NAV, args: { data: { startTime: at(0) } } },
  {
    pid: 1,
    tid: 2,
    ph: 'P',
    name: 'ProfileChunk',
    id: '0x1',
    ts: NAV,
    args: {
      data: {
        cpuProfile: {
          nodes: [
            { id: 1, callFrame: { functionName: '(root)', url: '' } },
            { id: 2, callFrame: { functionName: 'draw', url: SHIM }, parent: 1 },
            { id: 3, callFrame: { functionName: 'DateTimeFormat', url: '' }, parent: 2 },
            { id: 4, callFrame: { functionName: '(program)', url: '' }, parent: 1 },
          ],
          samples: [3, 3, 2, 4],
        },
        timeDeltas: [110_000, 1000, 1000, 200_000],
      },
    },
  },
];

test('a long task broken down: kinds of work by self time, thread CPU, sampled functions, whose work', () => {
  const [widget, frame] = taskBreakdown(events, URL_, [{ start: 100, duration: 80 }, { start: 300, duration: 60 }], ['/alike/alike.js'], 250);
  assert.equal(widget.wallMs, 80);
  assert.equal(widget.cpuMs, 70);
  assert.deepEqual(widget.kinds, { script: 30, layout: 10, paint: 20, 'task itself': 20 });
  assert.deepEqual(widget.cpuKinds, { script: 29, layout: 9, paint: 15 });
  assert.deepEqual(widget.functions, [['alike.draw > DateTimeFormat', 2], ['alike.draw', 1]]);
  assert.equal(widget.owner, 'widget script');
  assert.equal(widget.widgetCpuMs, 70);
  assert.equal(frame.owner, 'rendering');
  assert.deepEqual(frame.cpuKinds, { style: 5, layout: 35, paint: 8 });
  assert.deepEqual(frame.functions, [['(program)', 1]]);
});

test("the first frame with the box: the first task with a layout after the box's event, long or not", () => {
  const out = taskBreakdown(events, URL_, [], ['/alike/alike.js'], 250);
  assert.deepEqual(out.slice(), []);
  assert.equal(out.boxFrame.startMs, 300);
  assert.equal(out.boxFrame.cpuMs, 50);
  // And the last task with a layout before the event: the widget's, where it lays the box out unseen.
  assert.equal(out.lastLayoutBefore.startMs, 100);
  assert.equal(out.lastLayoutBefore.owner, 'widget script');
  assert.equal(taskBreakdown(events, URL_, [], ['/alike/alike.js'], 50).lastLayoutBefore, undefined);
  assert.throws(() => taskBreakdown(events, 'http://127.0.0.1:1/other.html', [], []), /no navigationStart/);
});

test("a task's compilation of the widget's files, apart from other scripts'", () => {
  const early = [
    ...events,
    X('RunTask', 20, 60, 40),
    X('v8.compileModule', 25, 4, 3, { data: { url: SHIM } }),
    X('v8.compile', 30, 9, 8, { data: { url: 'http://127.0.0.1:1/site.js' } }),
    X('Layout', 40, 30, 25),
  ];
  const [page, widget] = taskBreakdown(early, URL_, [{ start: 20, duration: 60 }, { start: 100, duration: 80 }], ['/alike/alike.js']);
  assert.equal(page.compileMs, 3);
  assert.equal(page.cpuKinds.compile, 11);
  assert.equal(widget.compileMs, 0);
});
