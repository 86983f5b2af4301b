// The engine's driver: loads the wasm and the index and answers queries,
// fetching, in the cluster layout, the engine file its manifest names, then
// the cell and cluster files as the engine asks.
// scripts/build-wasm.sh bundles it with wasm-bindgen's glue into
// pkg/alike.js, which the shim starts as a module Web Worker, so that
// fetching and parsing the index, decoding it and scoring run off the
// page's main thread; where no worker can start (an old browser, a
// Content-Security-Policy without worker-src for it, a shim loaded from
// another origin), the shim imports the same module and calls `answer`.
// Only plain data crosses: the query in, `{results, lost}` or an error out.

import init, { Engine, readPage } from 'alike-glue';

// What the glue exports, for those who drive the engine themselves.
export * from 'alike-glue';
export { default } from 'alike-glue';

const failure = (reason, message) => Object.assign(Error(message), { reason });

const loaded = new Map();
const once = (key, load) => (loaded.has(key) ? loaded.get(key) : loaded.set(key, load()).get(key));

// Under HTTP/2's 100 streams; low priority lets the page's own go first.
const MAX_FILE_FETCHES = 64;
let fetching = 0;
const waiting = [];

// A file the manifest names is missing: a manifest of another build than
// the files beside it (a deploy caught halfway, an old manifest cached), not
// a wrong data-index.
const DEPLOY = '; deploy the whole index folder, its manifest last';

// Files the shim fetches for this worker as it starts it, a round trip
// before the worker could ask (www/alike.js, `startWorker`): URL → a promise
// of their bytes, or of nothing (not had: the worker fetches the file, and
// says why it failed). Announced first, then sent.
const handed = new Map();
function hand({ hand: url, content }) {
  if (!handed.has(url)) {
    let take;
    handed.set(url, new Promise((resolve) => (take = resolve)));
    handed.get(url).take = take;
  }
  if (content !== undefined) handed.get(url).take(content || null);
}

async function json(url, what, hint = '') {
  const given = await handed.get(url);
  if (!given) {
    if (fetching < MAX_FILE_FETCHES) fetching++;
    else await new Promise((go) => waiting.push(go)); // a finished fetch hands over its turn
  }
  try {
    if (given) return JSON.parse(new TextDecoder().decode(given));
    const response = await fetch(url, { priority: 'low' });
    if (!response.ok) throw Error(`the server answered ${response.status}`);
    return await response.json();
  } catch (error) {
    throw failure('index', `cannot load ${what} ${url}: ${error.message}${hint}`);
  } finally {
    if (!given) waiting.length ? waiting.shift()() : fetching--;
  }
}

/**
 * The engine's wasm, compiled: while it downloads when served as
 * application/wasm, else from its bytes, so that a server's wrong type costs
 * a little time, not the box, and no warning.
 */
async function wasm(url) {
  const given = await handed.get(url.href);
  if (given) return WebAssembly.compile(given);
  const response = await fetch(url);
  if (!response.ok) throw Error(`the server answered ${response.status} for ${url}`);
  return /^application\/wasm\b/i.test(response.headers.get('content-type'))
    ? WebAssembly.compileStreaming(response)
    : WebAssembly.compile(await response.arrayBuffer());
}

const started = () =>
  once('', async () => {
    const here = import.meta.url;
    try {
      await init({ module_or_path: await wasm(new URL('alike_bg.wasm', here)) });
    } catch (error) {
      const hint = /Content.Security|unsafe-eval/i.test(error.message)
        ? "add 'wasm-unsafe-eval' to script-src in the page's Content-Security-Policy"
        : 'copy pkg/alike.js and pkg/alike_bg.wasm into a folder pkg/ beside alike.js (or set data-engine), and serve .wasm as application/wasm';
      throw failure('engine', `cannot start the engine ${here} (${error.message}); ${hint}`);
    }
  });

/** The engine of the index at `index`, from its `bytes` when the shim has fetched them already. */
const engineFor = (index, bytes) =>
  once(index, async () => {
    const hint = '; check data-index, or rebuild it with `alike index`';
    const parse = async () => {
      try {
        return JSON.parse(new TextDecoder().decode(bytes));
      } catch (error) {
        throw failure('index', `cannot load the index ${index}: ${error.message}${hint}`);
      }
    };
    // The cluster layout's manifest names the engine file, which the engine
    // loads as soon as the manifest is read, while the wasm starts, with what
    // the manifest holds for it (each build's own: the sections' newest
    // articles, an incremental build's delta).
    const [file] = await Promise.all([
      (bytes ? parse() : json(index, 'the index', hint)).then(async (file) =>
        file?.version === 2 && file.layout === 'clusters' && typeof file.engine === 'string'
          ? { ...(await json(new URL(file.engine, index).href, 'the engine file', DEPLOY)), latest: file.latest, delta: file.delta }
          : file,
      ),
      started(),
    ]);
    try {
      return new Engine(file);
    } catch (error) {
      throw failure('index', `cannot use the index ${index}: ${error.message}`);
    }
  });

// The first Intl.DateTimeFormat of a process costs 80-200 ms at 4x CPU
// slow-down (V8 lists ICU's date locales once per process): paid in the
// shim's worker, off the page's main thread, while the query's files
// download (not sooner: at its start it would hold up the page's reading
// and the query), so that the box's date formatter then takes a few ms.
// Pages answered by a stored list start no worker: their box pays it
// (branch diet7: a worker of its own for it was a request more, or, from a
// blob: URL, a CSP refusal in the console).
const warmDates = () =>
  self.name === 'alike' && typeof WorkerGlobalScope !== 'undefined' && once('dates', () => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(0));

/**
 * Related articles for `article` from the index at `index` (a URL; its
 * `bytes` when already fetched), with the engine's `query` options:
 * `{results, lost}`, `lost` the messages of the files that could not be
 * used. Rejects with an Error with a `reason`. Given `read` instead
 * (`{wire, known, linked}`: the page's tree as the shim builds it, the title
 * its metadata gives, its JSON-LD articleBody), reads the page's article by
 * the engine's rules: `{reading}`, `readPage`'s answer; with `index` (and
 * `bytes`) too, it starts loading that index for the query that follows.
 */
export async function answer({ index, bytes, article, query, read }) {
  // Reading the page: the shim sends the page's tree (src/extract.rs).
  if (read) {
    // A query's reading: its index loads meanwhile (the query gets any error).
    if (index) engineFor(index, bytes).catch(() => {});
    await started();
    return { reading: readPage(read.wire, read.known, read.linked) };
  }
  const engine = await engineFor(index, bytes);
  const lost = [];
  // The cluster layout answers in steps, each naming the files it needs.
  const run = async () => {
    let step = engine.start(article, query); // a single file answers at once
    setTimeout(warmDates); // once this step's fetches are under way, or the answer sent
    const given = new Set();
    while (step.need) {
      await Promise.all(
        step.need.map((path) => {
          const url = new URL(path, index).href;
          return once(url, () => json(url, 'the file', DEPLOY))
            .then((file) => {
              // Asked for again, it holds another file: lost, lest the query loop.
              if (given.has(path)) throw Error('it holds another file');
              given.add(path);
              engine.add(path, file);
            })
            .catch((error) => {
              engine.lose(path);
              lost.push(error.reason ? error.message : `cannot use ${url}: ${error.message}`);
            });
        }),
      );
      step = engine.resume();
    }
    return step.related;
  };
  try {
    // The engine holds one query at a time: queries on it take turns.
    return { results: await (engine.turn = (engine.turn || Promise.resolve()).then(run, run)), lost };
  } catch (error) {
    throw failure('query', `cannot query the index: ${error.message}`);
  }
}

// In a worker the shim started: answer its messages, tagged so that a
// worker of the site's own that imports this module is left alone.
if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  self.addEventListener('message', async ({ data }) => {
    if (data?.alike !== 1) return;
    if (data.hand) return hand(data);
    if (data.hello) return self.postMessage({ alike: 1, id: data.id, ready: true });
    let reply;
    try {
      reply = { alike: 1, id: data.id, ...(await answer(data)) };
    } catch (error) {
      reply = { alike: 1, id: data.id, error: { reason: error.reason || 'unexpected', message: error.message } };
    }
    self.postMessage(reply);
  });
  // For a shim of an earlier build (a deploy under way), which waits for this.
  self.postMessage({ alike: 1, ready: true });
}
