// The engine benchmark page: loads alike's wasm and an index the way the
// shim does, times each piece, then runs the plain-JS peers on the same
// queries in the same page. bench/lib/browser.mjs calls the stages in turn
// and reads the JS heap between them.

import { engine as alike } from '/bench/internals.mjs';

const now = () => performance.now();
const state = {};

async function json(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

/** Times `ask(query)` over every query; the first `warmup` are asked but not timed. */
function timeQueries(queries, ask, warmup) {
  for (const q of queries.slice(0, warmup)) ask(q);
  const times = [];
  const lists = {};
  for (const q of queries) {
    const started = now();
    const urls = ask(q);
    times.push(now() - started);
    lists[q.url] = urls;
  }
  return { times, lists };
}

const stages = {
  /** alike as a reader's browser runs it. */
  async alike({ data, warmup }) {
    const t0 = now();
    const glue = await import('/pkg/alike.js');
    const exports = await alike.init(glue, new URL('/pkg/alike_bg.wasm', location.href));
    const t1 = now();
    const response = await fetch(data + 'index.json');
    const text = await response.text();
    const t2 = now();
    const parsed = JSON.parse(text);
    const t3 = now();
    const handle = alike.load(glue, parsed);
    const t4 = now();
    state.queries = await json(data + 'queries.json');
    const { times, lists } = timeQueries(state.queries, (q) => alike.urls(alike.recommend(handle, q, 5)), warmup);
    state.alike = handle;
    return {
      instantiateMs: t1 - t0,
      indexLoadMs: t2 - t1,
      parseMs: t3 - t2,
      engineMs: t4 - t3,
      readyMs: t4 - t0,
      queryMs: times,
      lists,
      size: handle.size,
      wasmMemory: exports.memory.buffer.byteLength,
      crossOriginIsolated: self.crossOriginIsolated,
    };
  },

  /**
   * The same archive in the cluster layout: the manifest and the engine
   * file it names (handed over with the manifest's `latest` and `delta`,
   * as www/engine.js does), a first query for one article (what a reader's
   * first box costs), then every query in turn, each fetching the cluster
   * files it needs that earlier ones did not.
   */
  async clusters({ data, first, queries: limit }) {
    const glue = await import('/pkg/alike.js');
    const base = new URL(data, location.href);
    const t0 = now();
    const manifest = await json(data + 'index.json');
    const engineFile = await json(new URL(manifest.engine, base).href);
    const handle = alike.load(glue, { ...engineFile, latest: manifest.latest, delta: manifest.delta });
    const t1 = now();
    const fetchJson = (path) => json(new URL(path, base).href);
    const q0 = state.queries[first % state.queries.length];
    const s0 = now();
    const opening = await alike.recommendInSteps(handle, q0, 5, fetchJson);
    const s1 = now();
    const times = [];
    const lists = {};
    let fetched = opening.fetched;
    for (const q of state.queries.slice(0, limit)) {
      const started = now();
      const { related, fetched: n } = await alike.recommendInSteps(handle, q, 5, fetchJson);
      times.push(now() - started);
      lists[q.url] = alike.urls(related);
      fetched += n;
    }
    return { manifestMs: t1 - t0, firstQueryMs: s1 - s0, firstFetched: opening.fetched, firstDoneWall: performance.timeOrigin + s1, queryMs: times, lists, fetched };
  },

  /** The minimal careful JS cosine over the same index. */
  async cosine({ data, warmup }) {
    const peers = await import('/bench/peers.js');
    const text = await (await fetch(data + 'index.json')).text();
    const t0 = now();
    const decoded = peers.decodeIndex(JSON.parse(text));
    const ask = peers.cosine(decoded);
    const t1 = now();
    const { times, lists } = timeQueries(state.queries, (q) => ask(q, 5), warmup);
    state.cosine = decoded;
    return { loadMs: t1 - t0, queryMs: times, lists };
  },

  /** natural's TfIdf: every article added, each query scored against all, top 5 kept. */
  async natural({ data, warmup, queries: limit }) {
    const peers = await import('/bench/peers.js');
    state.cosine = null;
    const articles = await json(data + 'articles.json');
    const t0 = now();
    const tfidf = new peers.TfIdf();
    for (const a of articles) tfidf.addDocument(`${a.title}\n${a.body}`, a.url);
    const t1 = now();
    const urls = articles.map((a) => a.url);
    const queries = state.queries.slice(0, limit);
    const ask = (q) => {
      const scores = tfidf.tfidfs(peers.naturalTerms(`${q.title}\n${q.body}`));
      const best = [];
      scores.forEach((s, i) => urls[i] !== q.url && s > 0 && best.push([s, i]));
      return best.sort((a, b) => b[0] - a[0]).slice(0, 5).map(([, i]) => urls[i]);
    };
    const { times, lists } = timeQueries(queries, ask, Math.min(warmup, queries.length));
    state.natural = tfidf; // kept, so that the heap measured next holds it
    return { buildMs: t1 - t0, queryMs: times, lists };
  },
};

window.benchStage = async (name, config) => stages[name](config);
window.benchReady = true;
