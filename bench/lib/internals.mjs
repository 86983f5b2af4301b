// Everything the harness knows about alike's insides, in one place, so that
// a change to the CLI, the index format or the wasm binding is one edit
// here. It runs in Node and, bundled, in the browser: no Node imports.
//
// Mirrors, at the time of writing:
//   src/cli/index.rs, src/cli/query.rs   the CLI's flags and output
//   src/index.rs, src/codec.rs           the single-file index (format v1)
//   src/weight.rs                        term hash, tf, idf, quantizer
//   src/tokenize.rs, src/text.rs         the text pipeline (English part)
//   src/wasm.rs                          `new Engine(json)`, `engine.start(article, options)`
//   www/alike.js                         the `alike:render` / `alike:error` events,
//                                        and when it takes the related-list path
//   src/build.rs, src/text.rs            related lists: `l/` shards, `url_key`
//   www/lib/lists.js (imported)          the list path of both layouts

import { bucketOf, listFile as listFileOf, listOf, urlKey } from '../../www/lib/lists.js';

export const FORMAT_NAME = 'alike-index';
export const FORMAT_VERSIONS = [1, 2];

/** `alike index` flags for a build setting. */
export const cli = {
  /** `layout`: 'single', 'clusters', or nothing for the CLI's default (auto: clusters unless one file costs a reader no more). */
  index: (input, out, { terms, bits, snippetChars, layout, queryTerms, relatedLists, cells, recentLimit, recentBits, verbose } = {}) => [
    'index',
    input,
    '--out',
    out,
    '--quiet',
    // With --quiet, --verbose prints only what each step of the build took.
    ...(verbose ? ['--verbose'] : []),
    ...(terms != null ? ['--terms-per-article', String(terms)] : []),
    ...(bits != null ? ['--weight-bits', String(bits)] : []),
    ...(snippetChars != null ? ['--snippet-chars', String(snippetChars)] : []),
    ...(layout ? ['--layout', layout] : []),
    ...(queryTerms != null ? ['--query-terms', String(queryTerms)] : []),
    // Cluster builds write each article's related list unless told 0 (default 10).
    ...(relatedLists != null ? ['--related-lists', String(relatedLists)] : []),
    // A two-level table's cell count (the CLI's default: about 2 √clusters).
    ...(cells != null ? ['--cells', String(cells)] : []),
    // Incremental builds: how many times its list file an indexed page may read of recent lists (the CLI's default: 2).
    ...(recentLimit != null ? ['--recent-limit', String(recentLimit)] : []),
    // Incremental builds: the most bits of recent-list buckets (the CLI's default: 11, 2,048 files a set).
    ...(recentBits != null ? ['--recent-bits', String(recentBits)] : []),
  ],
  /** `alike query` prints one `{"url", "related": [{url, ...}]}` line per input article. */
  query: (index, input, k) => ['query', '--index', index, '--k', String(k), input],
  parseQueryLine: (line) => {
    const { url, related } = JSON.parse(line);
    return [url, related.map((r) => r.url)];
  },
  /** Past this many articles the CLI keeps at most `postings` postings per term unless told otherwise (src/cli/index.rs). */
  largeArchive: { articles: 20000, postings: 128 },
  /** The setting the unpruned engine uses: every term of every article, finest weights. */
  unpruned: { terms: 10000, bits: 6 },
  /** The same with a cap no BBC article reaches either, but one the weight range is set from (src/build.rs). */
  nearlyUnpruned: { terms: 1000, bits: 6 },
};

/** Postings in a single-file index (one weight character each), or null for a manifest. */
export const postingCount = (file) => (typeof file?.terms?.weights === 'string' ? file.terms.weights.length : null);

/** A manifest of the cluster layout (format version 2, `alike index --layout clusters`). */
export const isClustered = (file) => file?.version === 2 && file.layout === 'clusters';

/** How many shard fetches the engine's driver runs at once (www/engine.js MAX_FILE_FETCHES), or null. */
export const shimFetchCap = (source) => Number(/const MAX_FILE_FETCHES = (\d+)/.exec(source)?.[1]) || null;

// ---------------------------------------------------------------------------
// Related lists (src/build.rs, src/build/clusters.rs): a cluster build ranks
// every article's list and files it in `l/<bucket hex>-<generation hex>.json`
// by URL key.

export const LISTS_FORMAT = 'alike-lists';

/** A manifest's lists (the cluster layout's `lists`), or null. */
export const manifestLists = (manifest) => {
  const lists = isClustered(manifest) ? manifest.lists : null;
  return lists?.length > 0 ? lists : null;
};

/** Whether a shim (its source) reads related lists at all. */
export const shimReadsLists = (source) => source.includes(`'${LISTS_FORMAT}'`) || source.includes(`"${LISTS_FORMAT}"`);

/**
 * The one place that says which path the shim takes for a page's first
 * box: 'list' (shim, manifest, one list file; no glue, no wasm) on a page
 * whose canonical URL the index holds, when the shim reads lists, the
 * manifest has them, and the box asks for no more than they hold with no
 * ranking option (the bench's pages never set one); else 'engine' (glue,
 * wasm, the engine file and the cluster files the query reads).
 */
export function expectedPath({ shimSource, manifest, indexed, count = 5 }) {
  const lists = manifestLists(manifest);
  return indexed && lists && count <= lists.length && shimReadsLists(shimSource) ? 'list' : 'engine';
}

/** The path a first box took, from its requests grouped by `byGroup`: the engine's if it fetched the glue or the wasm. */
export const tookPath = (groups) => (groups.wasm.requests > 0 || groups.glue.requests > 0 ? 'engine' : 'list');

// The list path's rules (URL key, bucket, list file) live in one module,
// www/lib/lists.js, which the shim bundles: the bench uses the same code.
export { urlKey };

/** The list bucket of a URL key. */
export const listBucket = bucketOf;

/**
 * The stored related lists of `urls` (top `k` urls each; [] when the index
 * has none for it), read from the list files beside `manifest`:
 * `readIndexFile(relativePath)` returns the parsed file.
 */
export function storedLists(manifest, urls, readIndexFile, k, { full = false } = {}) {
  if (!manifestLists(manifest)) throw new Error('this index has no related lists');
  const files = new Map();
  const out = new Map();
  for (const url of urls) {
    const key = urlKey(url);
    const where = listFileOf(manifest, key);
    let list;
    if (where) {
      const read = (path) => (files.has(path) ? files : files.set(path, readIndexFile(path))).get(path);
      try {
        // After an incremental build, a page's recent list or patch replaces its base list (as the shim reads them).
        list = listOf(where, key, read(where.path), (where.recent || []).map((r) => read(r.path)));
      } catch (error) {
        throw new Error(`${where.path} ${error.message}: update bench/lib/internals.mjs`);
      }
    }
    list ||= [];
    out.set(url, full ? list.slice(0, k) : list.slice(0, k).map((r) => r.url));
  }
  return { lists: out, filesRead: files.size };
}

/** The widget's DOM events (www/alike.js). */
export const EVENTS = { render: 'alike:render', error: 'alike:error' };
/** The widget's element, whose shadow root holds the box (www/alike.js `TAG`). */
export const WIDGET_TAG = 'alike-related';

/**
 * The browser engine, as the shim drives it: `init` the glue, construct an
 * Engine from the parsed index, ask for k related articles. Returns handles
 * the benchmark page times one by one.
 */
export const engine = {
  /** Resolves to the wasm exports (whose `memory` is the engine's heap). */
  init: (glue, wasmUrl) => glue.default({ module_or_path: wasmUrl }),
  load: (glue, json) => new glue.Engine(json),
  // A single file answers `start`'s first step.
  recommend: (handle, article, k) => handle.start({ url: article.url, title: article.title, body: article.body }, { k }).related,
  /**
   * A query on the cluster layout, in the engine's steps: `start`, then
   * while it answers `{need: [paths]}`, fetch each (relative to the
   * manifest), `add` it, `resume`. `fetchJson(path)` resolves to the parsed file.
   */
  async recommendInSteps(handle, article, k, fetchJson) {
    let step = handle.start({ url: article.url, title: article.title, body: article.body }, { k });
    let fetched = 0;
    while (step.need) {
      const files = await Promise.all(step.need.map(fetchJson));
      step.need.forEach((path, i) => handle.add(path, files[i]));
      fetched += step.need.length;
      step = handle.resume();
    }
    return { related: step.related, fetched };
  },
  urls: (results) => results.map((r) => r.url),
  free: (handle) => handle.free?.(),
};

// ---------------------------------------------------------------------------
// The index format: base64 VLQ streams (src/codec.rs)

const DIGIT = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (DIGIT[c.charCodeAt(0)] = i));

function reader(field, text) {
  let position = 0;
  const digit = () => {
    if (position >= text.length) throw new Error(`index: ${field} ends early`);
    const d = DIGIT[text.charCodeAt(position++)];
    if (d < 0) throw new Error(`index: ${field} has a non-base64 character`);
    return d;
  };
  return {
    digit,
    // Values here stay far below 2^53 (hashes have at most hash_bits <= 53 bits, checked below).
    vlq() {
      let value = 0;
      let scale = 1;
      for (;;) {
        const d = digit();
        value += (d & 31) * scale;
        if (!(d & 32)) return value;
        scale *= 32;
      }
    },
    done: () => position === text.length,
  };
}

/**
 * What an index's postings cover, from its parsed term tables: terms,
 * postings, the longest posting list, and how many of its `articles` are in
 * at least one posting (no query can score the others, so no box shows them).
 */
export function postingStats(tables, articles) {
  const seen = new Uint8Array(articles);
  let terms = 0;
  let postings = 0;
  let longest = 0;
  for (const table of tables) {
    const lengths = reader('lengths', table.lengths);
    const ids = reader('articles', table.articles);
    for (let t = 0; t < table.count; t++) {
      const length = lengths.vlq();
      let article = 0;
      for (let i = 0; i < length; i++) {
        article += ids.vlq();
        seen[article] = 1;
      }
      terms++;
      postings += length;
      longest = Math.max(longest, length);
    }
    if (!lengths.done() || !ids.done()) throw new Error('terms: streams do not add up; the format changed, update bench/lib/internals.mjs');
  }
  let reachable = 0;
  for (const s of seen) reachable += s;
  return { terms, postings, longest, reachable, articles };
}

/** alike's log-scale weight quantizer (src/weight.rs `Quantizer::dequantize`). */
function dequantizer(min, max, bits) {
  const levels = 2 ** bits;
  return (level) => (levels === 1 || max === min ? max : min * Math.pow(max / min, Math.min(level, levels - 1) / (levels - 1)));
}

/**
 * Decodes a parsed single-file index into typed arrays: the same sparse
 * vectors the engine scores with. Throws on a format it does not know.
 */
export function decodeIndex(file) {
  if (file.format !== FORMAT_NAME || !FORMAT_VERSIONS.includes(file.version)) {
    throw new Error(`bench/lib/internals.mjs reads ${FORMAT_NAME} versions ${FORMAT_VERSIONS}, not ${file.format} ${file.version}: update it`);
  }
  const { scoring, terms, articles } = file;
  if (scoring.hash_bits > 53) throw new Error('hash_bits above 53 do not fit a JS number');
  const count = articles.url.length;
  const weightOf = dequantizer(scoring.weight_min, scoring.weight_max, scoring.weight_bits);
  const levels = new Float32Array(2 ** scoring.weight_bits).map((_, l) => weightOf(l));
  const hashesIn = reader('hashes', terms.hashes);
  const dfIn = reader('df', terms.df);
  const lengthsIn = reader('lengths', terms.lengths);
  const articlesIn = reader('articles', terms.articles);
  const weightsIn = reader('weights', terms.weights);
  const hashes = new Float64Array(terms.count);
  const idf = new Float32Array(terms.count);
  const starts = new Uint32Array(terms.count + 1);
  const postingArticles = new Uint32Array(terms.weights.length);
  const postingWeights = new Float32Array(terms.weights.length);
  let hash = 0;
  let p = 0;
  for (let t = 0; t < terms.count; t++) {
    hash += hashesIn.vlq();
    hashes[t] = hash;
    idf[t] = idfOf(count, dfIn.vlq(), scoring.idf_power);
    const length = lengthsIn.vlq();
    let article = 0;
    for (let i = 0; i < length; i++, p++) {
      article += articlesIn.vlq();
      postingArticles[p] = article;
      postingWeights[p] = levels[weightsIn.digit()];
    }
    starts[t + 1] = p;
  }
  if (![hashesIn, dfIn, lengthsIn, articlesIn, weightsIn].every((r) => r.done()) || p !== postingArticles.length) {
    throw new Error('index: streams do not add up; the format changed, update bench/lib/internals.mjs');
  }
  const termOf = new Map();
  for (let t = 0; t < terms.count; t++) termOf.set(hashes[t], t);
  return {
    count,
    urls: articles.url,
    stopWords: new Set(file.stop_words),
    scoring,
    termOf,
    idf,
    starts,
    postingArticles,
    postingWeights,
  };
}

// ---------------------------------------------------------------------------
// Weighting (src/weight.rs)

export const tf = (count) => (count >= 1 ? 1 + Math.log(count) : count);
export const idfOf = (articles, df, power) => Math.pow(Math.log((1 + articles) / (1 + df)) + 1, power);

/**
 * 64-bit FNV-1a of a term's UTF-8 bytes, top `bits` bits, as a number.
 * The 64-bit product is done in two 32-bit halves: prime = 2^40 + 0x1b3.
 */
const encoder = new TextEncoder();
export function termHash(term, bits) {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (const byte of encoder.encode(term)) {
    lo = (lo ^ byte) >>> 0;
    const low = lo * 0x1b3;
    hi = (Math.imul(hi, 0x1b3) + Math.floor(low / 4294967296) + (lo << 8)) >>> 0;
    lo = low >>> 0;
  }
  return bits <= 32 ? hi >>> (32 - bits) : hi * 2 ** (bits - 32) + (lo >>> (64 - bits));
}

// ---------------------------------------------------------------------------
// The text pipeline, English part (src/tokenize.rs). Unspaced scripts (CJK,
// Thai) are not ported: the benchmark corpora are English.

const looksLikeAddress = (chunk) => chunk.includes('://') || /^www\./i.test(chunk) || /@.*\./.test(chunk);
// UAX #29 words, as far as English needs: letters and digits, kept whole
// across an inner apostrophe, period or comma (`don't`, `1.13bn`, `1,000`) and
// split at hyphens. A regular expression, because Intl.Segmenter is several
// times slower and a careful baseline should not pay for generality.
const WORD = /[\p{L}\p{M}\p{N}_]+(?:['\u2019.,:][\p{L}\p{M}\p{N}_]+)*/gu;

/** A tokenizer over `stopWords` (a Set) and `stem` (word => stem); returns text => terms. */
export function tokenizer(stopWords, stem) {
  const cache = new Map();
  const term = (word) => {
    if (/^[0-9]/.test(word)) return /^[0-9]{4}$/.test(word) ? word : null;
    const lower = word.toLowerCase().replace(/[\u2019\u02bc]/g, "'");
    if (stopWords.has(lower)) return null;
    let bare = lower;
    if (bare.includes("'")) bare = (bare.endsWith("'s") ? bare.slice(0, -2) : bare.endsWith("'") ? bare.slice(0, -1) : bare).replace(/'/g, '');
    if ([...bare].length < 2 || stopWords.has(bare)) return null;
    let stemmed = cache.get(bare);
    if (stemmed === undefined) cache.set(bare, (stemmed = stem(bare)));
    return stemmed || null;
  };
  return (text, emit) => {
    for (const chunk of text.split(/\s+/)) {
      if (!chunk || looksLikeAddress(chunk)) continue;
      for (const [word] of chunk.matchAll(WORD)) {
        const t = term(word);
        if (t) emit(t);
      }
    }
  };
}

/**
 * The minimal careful JS cosine over alike's own sparse vectors: the query
 * weighed as the engine weighs it (title words count `title_weight`,
 * sublinear tf, the index's idf, unknown terms lengthen the vector, the
 * strongest `query_terms` kept), scores added up through the postings,
 * the best k other articles kept. No feedback and no same-story walk:
 * those are alike's extras, not plain TF-IDF.
 */
export function jsCosine(decoded, stem) {
  const { count, scoring, termOf, idf, starts, postingArticles, postingWeights, urls } = decoded;
  const tokens = tokenizer(decoded.stopWords, stem);
  const scores = new Float32Array(count);
  const unknownIdf = idfOf(count + 1, 1, scoring.idf_power);
  const idOf = new Map(urls.map((u, i) => [u, i]));
  return (article, k) => {
    const counts = new Map();
    const add = (weight) => (t) => counts.set(t, (counts.get(t) || 0) + weight);
    tokens(article.title || '', add(scoring.title_weight));
    tokens(article.body || '', add(1));
    const byHash = new Map();
    for (const [t, c] of counts) {
      const h = termHash(t, scoring.hash_bits);
      byHash.set(h, (byHash.get(h) || 0) + c);
    }
    let length = 0;
    let query = [];
    for (const [h, c] of byHash) {
      const term = termOf.get(h);
      const w = tf(c) * (term === undefined ? unknownIdf : idf[term]);
      length += w * w;
      if (term !== undefined) query.push([term, w]);
    }
    length = Math.sqrt(length);
    if (scoring.query_terms > 0 && query.length > scoring.query_terms) {
      query.sort((a, b) => b[1] - a[1]);
      query = query.slice(0, scoring.query_terms);
    }
    scores.fill(0);
    for (const [term, w] of query) {
      const weight = w / length;
      for (let p = starts[term], end = starts[term + 1]; p < end; p++) scores[postingArticles[p]] += weight * postingWeights[p];
    }
    const self = idOf.get(article.url);
    // Top k by insertion into a short sorted list.
    const best = [];
    for (let a = 0; a < count; a++) {
      const s = scores[a];
      if (s <= 0 || a === self || (best.length === k && s <= best[k - 1][1])) continue;
      let i = best.length === k ? k - 1 : best.length;
      while (i > 0 && best[i - 1][1] < s) {
        best[i] = best[i - 1];
        i--;
      }
      best[i] = [a, s];
    }
    return best.map(([a]) => urls[a]);
  };
}
