// www/lib/lists.js, the one JavaScript reader of the list path (used by the
// shim and the bench), must find each page's key, bucket and list file as
// the Rust side files them (src/layout.rs); tests/fixtures/layout-vectors.json
// holds the cases, written by the Rust test `layout_vectors_match_the_fixture`.
// Runs in Node: no browser needed.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { applyPatch, bucketOf, instant, listFile, listIn, listOf, mayHold, readList, urlKey } from '../../www/lib/lists.js';

const ROOT = join(fileURLToPath(import.meta.url), '../../..');
const VECTORS = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/layout-vectors.json'), 'utf8'));
// Written by the Rust test `patch_vectors_match_the_fixture` (src/list_file.rs).
const PATCHES = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/list-patch-vectors.json'), 'utf8'));
// Written by the Rust test `segment_vectors_match_the_fixture` (src/list_file.rs).
const SEGMENTS = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/list-segment-vectors.json'), 'utf8'));
// Written by the Rust test `instant_vectors_match_the_fixture` (src/article.rs).
const INSTANTS = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/instant-vectors.json'), 'utf8'));
// Relative URLs are the site's: the CLI reads them from its root.
const BASE = 'https://example.com/';

test(`key, bucket and list file agree with the Rust side on all ${VECTORS.length} vectors`, () => {
  assert.ok(VECTORS.length >= 40, 'too few vectors');
  assert.ok(VECTORS.some((v) => v.url === '/a/./b/../c.html'), 'the dot segments case is missing');
  const differ = [];
  for (const v of VECTORS) {
    const key = urlKey(v.url, BASE);
    const bucket = bucketOf(key, v.bits);
    // An incremental build's recent lists, of the bits src/layout.rs `recent_bits` gives, the next generation.
    const recent = { bucket_bits: v.recent_bits, generation: v.generation + 1 };
    const manifest = { format: 'alike-index', version: 2, layout: 'clusters', generation: v.generation, lists: { length: 10, bucket_bits: v.bits, recent } };
    const where = listFile(manifest, key);
    const got = { key, bucket, file: where?.path, recent: where?.recent?.[0]?.path };
    const want = { key: v.key, bucket: v.bucket, file: v.file, recent: v.recent };
    if (JSON.stringify(got) !== JSON.stringify(want)) differ.push(`${JSON.stringify(v.url)} at ${v.bits} bits: Rust ${JSON.stringify(want)}, lists.js ${JSON.stringify(got)}`);
  }
  assert.deepEqual(differ, []);
});

test('a page dated after the newest article the index holds has no list file to look in', () => {
  const manifest = { format: 'alike-index', version: 2, layout: 'clusters', generation: 1, lists: { length: 10, bucket_bits: 0, newest: '2026-12-01' } };
  assert.equal(listFile(manifest, '/a.html', '2026-12-02'), null);
  assert.equal(listFile(manifest, '/a.html', '2026-12-01').path, 'l/0-1.json', 'the same day may be indexed');
  assert.equal(listFile(manifest, '/a.html', '2025-01-01').path, 'l/0-1.json');
  assert.equal(listFile(manifest, '/a.html').path, 'l/0-1.json', 'an undated page looks');
  assert.equal(listFile({ ...manifest, lists: { length: 10, bucket_bits: 0 } }, '/a.html', '2026-12-02').path, 'l/0-1.json', 'an index without dates: every page looks');
});

test(`a page's date names the instant the Rust side reads on all ${INSTANTS.length} vectors`, () => {
  assert.ok(INSTANTS.some((v) => v.ms === null) && INSTANTS.some((v) => v.ms !== null));
  // The build rounds a fraction up to the second (never before the article); the shim keeps it.
  const second = (ms) => (ms === undefined ? null : Math.ceil(ms / 1000) * 1000);
  const differ = INSTANTS.map((v) => [v.date, v.ms, second(instant(v.date))]).filter(([, want, got]) => want !== got);
  assert.deepEqual(differ, []);
});

test('a page whose date names a later instant than the newest the index holds has no list file to look in, though the same day', () => {
  const lists = { length: 10, bucket_bits: 0, newest: '2026-12-01', newest_time: '2026-12-01T12:00:00Z' };
  const manifest = { format: 'alike-index', version: 2, layout: 'clusters', generation: 1, lists };
  const at = (date) => listFile(manifest, '/a.html', date.slice(0, 10), instant(date));
  assert.equal(at('2026-12-01T12:00:01Z'), null);
  assert.equal(at('2026-12-01T13:30:00+01:00'), null, 'in UTC, 12:30');
  assert.equal(at('2026-12-01T12:00:00Z').path, 'l/0-1.json', 'the newest itself is indexed');
  assert.equal(at('2026-12-01T13:00:00+02:00').path, 'l/0-1.json', 'in UTC, 11:00');
  assert.equal(at('2026-12-01T18:00:00').path, 'l/0-1.json', 'a local time names no instant: the day decides');
  assert.equal(at('2026-12-01').path, 'l/0-1.json');
  assert.equal(at('2026-12-02'), null, 'a later day, as before');
  assert.equal(listFile({ ...manifest, lists: { ...lists, newest_time: undefined } }, '/a.html', '2026-12-01', instant('2026-12-01T23:00:00Z')).path, 'l/0-1.json', 'an index without instants: the day decides');
});

test('a list file is read only when it is the one named', () => {
  const manifest = { format: 'alike-index', version: 2, layout: 'clusters', generation: 1, lists: { length: 10, bucket_bits: 0 } };
  const where = listFile(manifest, '/a.html');
  assert.deepEqual(where, { path: 'l/0-1.json', bucket: 0, version: 2, length: 10, minScore: 0 });
  assert.equal(listFile({ ...manifest, lists: { ...manifest.lists, min_score: 0.08 } }, '/a.html').minScore, 0.08);
  const file = { format: 'alike-lists', version: 2, bucket: 0, pages: { '/a.html': [{ url: '/b.html', title: 'B' }] } };
  assert.deepEqual(listIn(file, where, '/a.html'), [{ url: '/b.html', title: 'B' }]);
  assert.equal(listIn(file, where, '/c.html'), undefined);
  assert.equal(listIn(file, where, 'constructor'), undefined);
  assert.throws(() => listIn({ ...file, version: 1 }, where, '/a.html'), /not list file 0 of version 2/);
  assert.throws(() => listIn({ ...file, bucket: 3 }, where, '/a.html'), /not list file 0 of version 2/);
  // No lists, or a manifest of another kind: no list file.
  assert.equal(listFile({ ...manifest, lists: undefined }, '/a.html'), null);
  assert.equal(listFile({ format: 'other' }, '/a.html'), null);
  // A manifest of the retired term-shard layout (version 1 with `shards`): no list file is read
  // (the engine then refuses the manifest with the rebuild hint: cluster-files.test.mjs).
  const v1 = { format: 'alike-index', version: 1, shards: { generation: 5, lists: { length: 10, shard_bits: 0, versions: 'C' } } };
  assert.equal(listFile(v1, '/a.html'), null);
});

test("after an incremental build a page's recent list replaces its base list; both files are asked for at once", async () => {
  const manifest = { format: 'alike-index', version: 2, layout: 'clusters', generation: 1, lists: { length: 10, bucket_bits: 0, recent: { bucket_bits: 0, generation: 2 } } };
  const where = listFile(manifest, '/a.html');
  assert.deepEqual(where.recent, [{ path: 'r/0-2.json', bucket: 0, version: 2 }]);
  const files = {
    'l/0-1.json': { format: 'alike-lists', version: 2, bucket: 0, pages: { '/a.html': [{ url: '/old.html' }], '/b.html': [{ url: '/kept.html' }] } },
    'r/0-2.json': { format: 'alike-lists', version: 2, bucket: 0, pages: { '/a.html': [{ url: '/new.html' }], '/n.html': [{ url: '/b.html' }] } },
  };
  const asked = [];
  let release;
  const held = new Promise((go) => (release = go));
  const get = (path) => {
    asked.push(path);
    return held.then(() => files[path]);
  };
  const reading = readList(where, '/a.html', get);
  // Both requests are made before either answers: no extra round trip.
  assert.deepEqual(asked, ['l/0-1.json', 'r/0-2.json']);
  release();
  assert.deepEqual(await reading, [{ url: '/new.html' }]);
  assert.deepEqual(await readList(where, '/b.html', async (path) => files[path]), [{ url: '/kept.html' }]);
  assert.deepEqual(await readList(where, '/n.html', async (path) => files[path]), [{ url: '/b.html' }]);
  assert.equal(await readList(where, '/z.html', async (path) => files[path]), undefined);
  // Without recent lists, the list file alone.
  const plain = listFile({ ...manifest, lists: { length: 10, bucket_bits: 0 } }, '/a.html');
  const only = [];
  assert.deepEqual(await readList(plain, '/a.html', async (path) => (only.push(path), files[path])), [{ url: '/old.html' }]);
  assert.deepEqual(only, ['l/0-1.json']);
  // A recent file that is not the one named is refused.
  await assert.rejects(readList(where, '/a.html', async (path) => ({ ...files[path], bucket: 5 })), /not list file/);
});

test('segments: the newest recent file holding a page gives its list, as the Rust side combines them; all are asked for at once', async () => {
  const where = { path: 'l/0-1.json', bucket: 0, version: 2, recent: SEGMENTS.recent.map(() => ({ bucket: 0, version: 2 })) };
  const keys = Object.keys(SEGMENTS.lists);
  assert.ok(keys.length >= 6 && SEGMENTS.recent.length === 2, 'too few vectors');
  for (const key of keys) assert.deepEqual(listOf(where, key, SEGMENTS.base, SEGMENTS.recent) ?? null, SEGMENTS.lists[key], key);
  // The manifest names the oldest segment's generation and the newer ones': the files are read newest first.
  const manifest = { format: 'alike-index', version: 2, layout: 'clusters', generation: 1, lists: { length: 3, bucket_bits: 0, recent: { bucket_bits: 0, generation: 2, newer: [5, 3] } } };
  const named = listFile(manifest, 'a');
  assert.deepEqual(named.recent.map((r) => r.path), ['r/0-3.json', 'r/0-5.json', 'r/0-2.json']);
  const files = { 'l/0-1.json': SEGMENTS.base, 'r/0-3.json': SEGMENTS.recent[0], 'r/0-5.json': SEGMENTS.recent[1], 'r/0-2.json': { ...SEGMENTS.recent[1], pages: {}, patches: {} } };
  const asked = [];
  const list = await readList(named, 'a', async (path) => (asked.push(path), files[path]));
  assert.deepEqual(asked, ['l/0-1.json', 'r/0-3.json', 'r/0-5.json', 'r/0-2.json']);
  assert.deepEqual(list, SEGMENTS.lists.a);
});

test(`a patch makes of its base list what the Rust side makes, on all ${PATCHES.length} vectors`, () => {
  assert.ok(PATCHES.length >= 10 && PATCHES.some((v) => v.list === null), 'too few vectors');
  for (const v of PATCHES) {
    if (v.list === null) assert.throws(() => applyPatch(v.base, v.patch), /is not the base of patch entry/, JSON.stringify(v));
    else assert.deepEqual(applyPatch(v.base, v.patch), v.list, JSON.stringify(v));
  }
  for (const step of ['0', 'x', 0.5, -1, 1, null, 'length']) assert.throws(() => applyPatch([{ url: '/a' }], [step]), /is not the base of patch entry/, String(step));
});

test("an old page's patch in the recent file applies to its base list; a patch that does not fit is refused", async () => {
  const manifest = { format: 'alike-index', version: 2, layout: 'clusters', generation: 1, lists: { length: 3, bucket_bits: 0, recent: { bucket_bits: 0, generation: 2 } } };
  const where = listFile(manifest, '/a.html');
  const files = {
    'l/0-1.json': { format: 'alike-lists', version: 2, bucket: 0, pages: { '/a.html': [{ url: '/b.html' }, { url: '/c.html' }, { url: '/d.html' }] } },
    'r/0-2.json': { format: 'alike-lists', version: 2, bucket: 0, pages: {}, patches: { '/a.html': [0, { url: '/new.html' }, 1], '/z.html': [2] } },
  };
  const get = async (path) => files[path];
  assert.deepEqual(await readList(where, '/a.html', get), [{ url: '/b.html' }, { url: '/new.html' }, { url: '/c.html' }]);
  // A patch without its base list (a deploy caught halfway) cannot be applied.
  await assert.rejects(readList(where, '/z.html', get), /is not the base of patch entry/);
  // `patches` is no page: a key named like an Object member finds nothing.
  assert.equal(await readList(where, 'constructor', get), undefined);
});

// Written by the Rust test `member_vectors_match_the_fixture` (src/members.rs).
const MEMBERS = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/member-vectors.json'), 'utf8'));

test(`the manifest's filter of the pages it holds answers as the Rust side on all ${MEMBERS.length} filters`, () => {
  assert.ok(MEMBERS.length >= 4);
  const differ = [];
  let maybes = 0;
  for (const { hashes, bits, held, probes } of MEMBERS) {
    for (const [i, [key, want]] of probes.entries()) {
      const got = mayHold({ hashes, bits }, key);
      if (got !== want) differ.push(`${key} in filter ${bits}: Rust ${want}, lists.js ${got}`);
      if (i >= held && got) maybes++;
    }
    assert.ok(probes.slice(0, held).every(([, want]) => want), 'a held page is refused');
  }
  assert.deepEqual(differ, []);
  assert.ok(maybes > 0, 'no page not held answers maybe: the vectors test half the rule');
});

test('a page the filter refuses has no list file to look in; a filter that is not one refuses none', () => {
  const filter = MEMBERS.find((m) => m.held >= 3);
  const refused = filter.probes.find(([, want]) => !want)[0];
  const held = filter.probes[0][0];
  const lists = { length: 10, bucket_bits: 0, members: { hashes: filter.hashes, bits: filter.bits } };
  const manifest = { format: 'alike-index', version: 2, layout: 'clusters', generation: 1, lists };
  assert.equal(listFile(manifest, refused), null);
  assert.equal(listFile(manifest, held).path, 'l/0-1.json');
  for (const members of [null, 'x', {}, { hashes: 5 }, { hashes: 0, bits: filter.bits }, { hashes: 17, bits: filter.bits }, { hashes: 5, bits: '' }, { hashes: 5, bits: '!'.repeat(filter.bits.length) }]) {
    assert.equal(listFile({ ...manifest, lists: { ...lists, members } }, refused)?.path, 'l/0-1.json', JSON.stringify(members));
  }
});

test("after incremental builds a page looks only in the recent sets whose filter may hold it; a set without one, or filters that do not match the sets, are looked in", async () => {
  const [a, b] = MEMBERS.filter((m) => m.held >= 3);
  const filter = ({ hashes, bits }) => ({ hashes, bits });
  // A page held by filter `a` and refused by `b`.
  const key = a.probes.slice(0, a.held).map(([k]) => k).find((k) => !mayHold(filter(b), k));
  assert.ok(key, 'no page of one filter that the other refuses');
  const recent = { bucket_bits: 0, generation: 2, newer: [3, 4] };
  const manifest = (members) => ({ format: 'alike-index', version: 2, layout: 'clusters', generation: 1, lists: { length: 10, bucket_bits: 0, recent: { ...recent, members } } });
  const paths = (members) => listFile(manifest(members), key).recent.map((r) => r.path);
  // Oldest first, as the sets: the second refuses the page, the third has no filter.
  assert.deepEqual(paths([filter(a), filter(b), null]), ['r/0-4.json', 'r/0-2.json']);
  assert.deepEqual(paths([filter(b), filter(b), filter(b)]), []);
  for (const members of [undefined, [], [filter(b)], [filter(b), filter(b)], [filter(b), filter(b), filter(b), filter(b)]]) {
    assert.deepEqual(paths(members), ['r/0-4.json', 'r/0-3.json', 'r/0-2.json'], JSON.stringify(members));
  }
  // Refused by every set: the list file alone, fetched alone.
  const where = listFile(manifest([filter(b), filter(b), filter(b)]), key);
  const fetched = [];
  const list = [{ url: '/b.html' }];
  const got = await readList(where, key, async (path) => (fetched.push(path), { format: 'alike-lists', version: 2, bucket: 0, pages: { [key]: list } }));
  assert.deepEqual(got, list);
  assert.deepEqual(fetched, ['l/0-1.json']);
});
