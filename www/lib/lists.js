// The list path: how a page finds its related list in an index, the one
// JavaScript copy of these rules (src/text.rs `url_key`, src/layout.rs),
// used by the shim (bundled into alike.js by scripts/build-wasm.sh) and by
// the bench. tests/e2e/layout-vectors.test.mjs checks it against
// tests/fixtures/layout-vectors.json, which a Rust test writes.

/**
 * The index's key for a URL (src/text.rs `url_key`): path and query as the
 * URL parser reads them (dot segments resolved), without trailing slashes,
 * a last segment `index.html` or `index.htm`, or tracking parameters; null
 * for no URL. Relative URLs resolve against `base`.
 */
export function urlKey(href, base = globalThis.location?.href || 'https://example.invalid/') {
  let url;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  const query = url.search.slice(1).split('&').filter((p) => !/^(utm_.*|fbclid|gclid|ref|)$/i.test(p.split('=')[0]));
  // Chromium escapes ^ and | in paths, the standard does not: the key always does.
  const path = url.pathname.replace(/\^/g, '%5E').replace(/\|/g, '%7C');
  // A folder's index page is the folder (`…/x/index.html` is `…/x`).
  const folder = path.replace(/\/+$/, '').replace(/\/index\.html?$/, '').replace(/\/+$/, '');
  return (folder || '/') + (query.length ? '?' + query.join('&') : '');
}

/** The bucket of a URL key: the top `bits` bits of its 32-bit FNV-1a hash (keys are ASCII). */
export function bucketOf(key, bits) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return bits ? hash >>> (32 - bits) : 0;
}

const hex = (n) => (n >>> 0).toString(16);

/**
 * Whether the lists may hold the page with URL key `key`, by the
 * manifest's `lists.members` (src/members.rs: a Bloom filter, base64):
 * false only for a page they do not hold; true without a filter, or with
 * one that is not.
 */
export function mayHold(members, key) {
  try {
    const { bits, hashes } = members;
    const set = atob(bits);
    const size = set.length * 8;
    const h = bucketOf(key, 32);
    const r = (h << 16) | (h >>> 16) | 1;
    for (let i = 0; size && hashes <= 16 && i < hashes; i++) {
      const j = ((h + Math.imul(i, r)) >>> 0) % size;
      if (!((set.charCodeAt(j >> 3) >> (j & 7)) & 1)) return false;
    }
  } catch {}
  return true;
}

/**
 * Where the list of the page with URL key `key` is, for a manifest of the
 * cluster layout: `{path, bucket, version, length, recent}` (`path` relative
 * to the manifest; `recent`, after incremental builds, the recent-list
 * files `{path, bucket, version}` of the page's bucket, one per set of
 * recent lists that may hold the page, newest first: the newest entry for
 * the page replaces the list file's),
 * or null when the index has no lists or none are filed there, or when
 * the page's `date` (`YYYY-MM-DD`, if known) is after the newest the index
 * holds, or its `time` (milliseconds since 1970 UTC, `instant`, if its date
 * names an offset) after the newest instant: a story published since the
 * build, which no list file holds; or when the manifest's filter of the
 * pages it holds (`mayHold`) says it holds not this one.
 */
export function listFile(manifest, key, date, time) {
  if (manifest?.format !== 'alike-index') return null;
  if (manifest.version === 2 && manifest.layout === 'clusters') {
    const lists = manifest.lists;
    if (!(lists?.length > 0)) return null;
    // Dates compare as text; an unknown one is after none.
    if (typeof lists.newest === 'string' && date > lists.newest) return null;
    if (typeof lists.newest_time === 'string' && time > Date.parse(lists.newest_time)) return null;
    // A small index says which pages it holds: the others need not look.
    if (!mayHold(lists.members, key)) return null;
    const bucket = bucketOf(key, lists.bucket_bits);
    const where = { path: `l/${hex(bucket)}-${hex(manifest.generation)}.json`, bucket, version: 2, length: lists.length, minScore: minScoreOf(lists) };
    // After incremental builds, each set of recent lists that may hold the page (its filter, if
    // any, `mayHold`), newest first: a page's there replaces its base list.
    const recent = lists.recent;
    if (recent) {
      const r = bucketOf(key, recent.bucket_bits);
      const sets = [recent.generation].concat(recent.newer || []);
      // Filters that do not match the sets one for one are none (as src/build/incremental.rs reads them).
      const filters = recent.members?.length === sets.length ? recent.members : [];
      where.recent = sets.filter((g, i) => mayHold(filters[i], key)).reverse().map((g) => ({ path: `r/${hex(r)}-${hex(g)}.json`, bucket: r, version: 2 }));
    }
    return where;
  }
  // A single file has no lists; the engine refuses a retired term-shard manifest.
  return null;
}

/**
 * Milliseconds since 1970 UTC of an ISO 8601 date-time that names its
 * offset as JavaScript's Date reads it everywhere (`2005-03-01T10:00:00+01:00`,
 * `...Z`), which src/article.rs `parse_instant` reads too; undefined
 * otherwise: a date alone or a local time names no instant.
 */
export const instant = (text) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test((text = text?.trim())) ? Date.parse(text) : undefined);

/** `object[key]` if it is the object's own (a page named `constructor` is no method). */
const member = (object, key) => Object.hasOwn(Object(object), key) && object[key];

/** The score the build cut the lists at (0 when it did not cut them). */
const minScoreOf = (lists) => (typeof lists.min_score === 'number' ? lists.min_score : 0);

/**
 * The list of `key` in `file`, the parsed list file `where` (`listFile`'s
 * answer) names: an array, or undefined when the file does not hold the
 * page. Throws when the file is not the one named ("is not list ...": the
 * caller says which file).
 */
export function listIn(file, where, key) {
  if (file?.format !== 'alike-lists' || file.version !== where.version || file.bucket !== where.bucket) {
    throw Error(`is not list file ${where.bucket} of version ${where.version}`);
  }
  const list = member(file.pages, key);
  return Array.isArray(list) ? list : undefined;
}

/**
 * The list `patch` (a recent-list file's, docs/index-format.md) makes of
 * `base`, as src/list_file.rs `apply` does: a number is the base list's
 * entry at that position, an object an entry written whole. Throws when
 * the patch does not fit the base list ("is not ...": the caller says
 * which file).
 */
export function applyPatch(base, patch) {
  return patch.map((step) => {
    const entry = step && typeof step === 'object' ? step : Number.isInteger(step) && base[step];
    if (!entry) throw Error(`is not the base of patch entry ${step}`);
    return entry;
  });
}

/**
 * The list of `key` from the parsed list file and recent-list files (as
 * `where.recent`, `listFile`'s answer, names them: newest first) : the
 * newest recent file's that holds the page, its own list or its patch
 * applied to the list file's, else the list file's; undefined when none
 * holds the page.
 */
export function listOf(where, key, file, recent = []) {
  for (const [i, r] of recent.entries()) {
    const own = listIn(r, where.recent[i], key);
    if (own) return own;
    const patch = member(r.patches, key);
    if (Array.isArray(patch)) return applyPatch(listIn(file, where, key) || [], patch);
  }
  return listIn(file, where, key);
}

/**
 * The list of `key` from the files `where` (`listFile`'s answer) names,
 * fetched in parallel by `get(path)` (a parsed file): `listOf` them.
 */
export async function readList(where, key, get) {
  const [file, ...recent] = await Promise.all([where, ...(where.recent || [])].map((w) => get(w.path)));
  return listOf(where, key, file, recent);
}
