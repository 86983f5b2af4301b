// bench/lib/longtasks.mjs's attribution (issue 15): what is taken off the
// long tasks counted as the widget's, on tasks and page marks made by hand.
// Plain node; it sits in tests/e2e/ so that the e2e glob runs it.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { blocking, notTheWidgets } from '../../bench/lib/longtasks.mjs';

const task = (start, duration) => ({ start, duration });

test("the bench's scroll is taken off a task while no box is drawn; what is left stays the widget's if still long", () => {
  const tasks = [task(100, 80), task(300, 120), task(600, 90), task(900, 70)];
  const scrolls = [
    { at: 150, ms: 40, drawn: false }, // 80 − 40 = 40: not long, the bench's
    { at: 350, ms: 30, drawn: false }, // 120 − 30 = 90: still the widget's, 90 ms
    { at: 650, ms: 60, drawn: true }, // the box was drawn: the scroll laid it out too, nothing taken off
  ];
  const { widget, bench } = notTheWidgets(tasks, { scrolls, interactiveMs: null });
  assert.deepEqual(widget, [{ start: 300, duration: 90, scrollMs: 30, parseMs: 0 }, task(600, 90), task(900, 70)]);
  assert.deepEqual(bench, [{ start: 100, duration: 80, scrollMs: 40, parseMs: 0 }]);
  assert.deepEqual(blocking(widget), { longest: 90, longTasks: 3, tbt: 40 + 40 + 20 });
});

test("the end of the page's parsing (before readyState interactive) is the page's, not the widget's", () => {
  const { widget, bench } = notTheWidgets([task(100, 100), task(300, 60)], { scrolls: [], interactiveMs: 130 });
  // 100 − 30 ms of parsing = 70: the widget's (its module ran after); the other task holds no mark.
  assert.deepEqual(widget, [{ start: 100, duration: 70, scrollMs: 0, parseMs: 30 }, task(300, 60)]);
  assert.deepEqual(bench, []);
  // Both in one task: both taken off.
  const both = notTheWidgets([task(100, 100)], { scrolls: [{ at: 190, ms: 30, drawn: false }], interactiveMs: 130 });
  assert.deepEqual(both.bench, [{ start: 100, duration: 100, scrollMs: 30, parseMs: 30 }]);
});

test('a task over before the page turned interactive is the page\'s, whole: the widget\'s module had not run', () => {
  const { widget, bench } = notTheWidgets([task(100, 300), task(450, 100), task(700, 80)], { scrolls: [], interactiveMs: 500 });
  // The second: 100 − 50 ms before interactive = 50, not over 50: the page's too. The third is the widget's, whole.
  assert.deepEqual(bench, [
    { start: 100, duration: 300, scrollMs: 0, parseMs: 300 },
    { start: 450, duration: 100, scrollMs: 0, parseMs: 50 },
  ]);
  assert.deepEqual(widget, [task(700, 80)]);
});

test("a task over before the widget's module ran (its first yield to the page) is the page's, whole", () => {
  const tasks = [task(100, 300), task(500, 100), task(700, 80)];
  // The page turned interactive at 450; the module's fetch ended later, and it ran (and yielded) at 640.
  const { widget, bench } = notTheWidgets(tasks, { scrolls: [], interactiveMs: 450, startedMs: 640 });
  assert.deepEqual(bench, [{ start: 100, duration: 300, scrollMs: 0, parseMs: 300 }, { start: 500, duration: 100, scrollMs: 0, parseMs: 100 }]);
  // The task holding the first yield is the widget's: its module ran there.
  assert.deepEqual(notTheWidgets([task(600, 80)], { scrolls: [], interactiveMs: 450, startedMs: 640 }).widget, [task(600, 80)]);
  assert.deepEqual(widget, [task(700, 80)]);
});

test('a task with no mark in it is left whole', () => {
  const tasks = [task(100, 51), task(200, 300)];
  const { widget, bench } = notTheWidgets(tasks, { scrolls: [{ at: 99, ms: 20, drawn: false }, { at: 501, ms: 20, drawn: false }], interactiveMs: 50 });
  assert.deepEqual(widget, tasks);
  assert.deepEqual(bench, []);
});
