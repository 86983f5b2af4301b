// The engine path: what the shim (www/alike.js) needs only for pages the
// index holds no related list for, and for boxes that rank with options:
// reading the page for the engine (the tree src/extract.rs reads), the
// query, data-explain's words and data-debug's outline (the engine's worker
// is the shim's, which starts it as soon as it knows the engine is needed).
// Pages with a list never load it: scripts/build-wasm.sh has esbuild write
// it as a chunk of its own (engine-path.js beside alike.js), which the shim
// import()s when its list path misses.
//
// It imports nothing: a module both it and the shim imported would become a
// third file (esbuild's shared chunk), one more request on every page. The
// shim hands over the helpers both use instead (`start`).

let failure, yieldToPage, once, day, squash, text, linkedData, tidy, note, sectionsOut, indexBytes, startWorker, NO_ARTICLE, MIN_TEXT, MAX_TEXT, RANKING;

/** This module's entry points, given the shim's helpers (www/alike.js, `enginePath`). */
export function start(shim) {
  ({ failure, yieldToPage, once, day, squash, text, linkedData, tidy, note, sectionsOut, indexBytes, startWorker, NO_ARTICLE, MIN_TEXT, MAX_TEXT, RANKING } = shim);
  return { read, readText, ask, explain };
}

// Reading the article on the page (moved here from www/alike.js as it was).

// The tree's wire format and limits, as src/extract.rs has them.
const FIELD = '\x1f';
const RECORD = '\x1e';
const OPAQUE = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'textarea', 'select']);
const ATTRIBUTES = ['class', 'id', 'role', 'itemprop', 'aria-label', 'aria-hidden', 'hidden', 'style', 'data-alike'];
const MAX_NODES = 100_000;
const MAX_TREE_TEXT = 1_000_000;
const SEPARATORS = /[\x1e\x1f]/g;

/** `text`'s first MAX_TEXT code units, not splitting a surrogate pair. */
function bounded(text) {
  return text.slice(0, /[\uD800-\uDBFF]/.test(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT + 1 : MAX_TEXT);
}

// The walk gives the main thread back after this many milliseconds of work
// (issue 15: no task over 50 ms on a slow phone, which is 4x slower), and
// looks at the clock every SLICE_CHECK nodes.
const SLICE_MS = 5;
const SLICE_CHECK = 256;

/**
 * The page under `root` as src/extract.rs reads it: `wire` in its format
 * (`Tree::decode`), and `nodes`, the DOM node of each record. Built in
 * document order without recursion, as the CLI builds it (src/input/html.rs),
 * in slices of about SLICE_MS that yield to the page between them.
 */
async function pageTree(root) {
  const nodes = [root];
  // Records are joined slice by slice: one join of them all would be a long task.
  let records = [root.localName];
  const joined = [];
  const stack = [];
  const below = (node, index) => {
    for (let child = node.lastChild; child; child = child.previousSibling) stack.push([child, index]);
  };
  below(root, 0);
  let units = 0;
  let sliceEnd = performance.now() + SLICE_MS;
  for (let step = 1; stack.length && nodes.length < MAX_NODES && units < MAX_TREE_TEXT; step++) {
    if (step % SLICE_CHECK === 0 && performance.now() > sliceEnd) {
      joined.push(records.join(RECORD));
      records = [''];
      await yieldToPage();
      sliceEnd = performance.now() + SLICE_MS;
    }
    const [node, parent] = stack.pop();
    if (node.nodeType === 3) {
      records.push(parent + FIELD + FIELD + node.data.replace(SEPARATORS, ' '));
      units += node.data.length;
    } else if (node.nodeType === 1) {
      let record = parent + FIELD + (node.localName || 'x');
      for (const name of ATTRIBUTES) {
        const value = node.getAttribute(name);
        if (value !== null) record += FIELD + name + '=' + value.replace(SEPARATORS, ' ');
      }
      records.push(record);
      if (!OPAQUE.has(node.localName)) below(node, nodes.length);
    } else continue;
    nodes.push(node);
  }
  joined.push(records.join(RECORD));
  return { wire: joined.join(''), nodes };
}

/**
 * Reads the article on the page with the engine's `readPage`, as `alike
 * inspect` reads it, and returns its text, whole however short or long
 * (readArticle reports it; what a box needs is `readText`'s to decide).
 * Notes the element read in `page`, and the title and date where the
 * page's metadata gave none. For a query (`ask`: the list path missed),
 * the worker loads the index meanwhile (the cluster layout's engine file is
 * a round trip of its own).
 */
async function read(page, settings, querying) {
  // The page's tree is built while the engine's files download.
  const starting = engineFor(settings);
  const { wire, nodes } = await pageTree(page.root);
  const { reading } = await (await starting)({ read: { wire, known: page.known, linked: page.linked }, ...(querying && { index: settings.index, bytes: indexBytes.get(settings.index) }) });
  const elements = reading.read.map((i) => nodes[i]);
  page.element ||= elements[0];
  if (!page.article.title) page.article.title = squash(elements[0]?.querySelector?.('h1')?.textContent || document.title);
  if (!page.article.date) {
    const time =
      document.querySelector('time[itemprop="datePublished" i][datetime],time[pubdate][datetime]') ||
      elements[0]?.querySelector?.('time[datetime]') ||
      document.querySelector('time[datetime]');
    const date = time?.getAttribute('datetime')?.trim().match(/^\d{4}-\d\d-\d\d/);
    if (day(date?.[0])) page.article.date = date[0];
  }
  if (settings.debug) debugReading(reading, elements, nodes);
  return reading.text;
}

/**
 * The box's article: the page's reading (`read`) as the engine takes it, cut
 * where the engine stops reading, into `page.article.body`; throws
 * 'no-article' when there is too little for a box.
 */
async function readText(page, settings, querying) {
  if (!page.root || typeof page.article.body === 'string') return; // an article given, or read
  const body = bounded(await read(page, settings, querying));
  if (body.replace(/\s/g, '').length < MIN_TEXT) {
    throw failure('no-article', NO_ARTICLE);
  }
  page.article.body = body;
}

/** data-debug: outlines the element(s) read and logs what was read and left out, as `alike inspect` prints it. */
function debugReading(reading, read, nodes) {
  for (const element of read) element.style?.setProperty('outline', '3px dashed #d33');
  const words = reading.text.split(/\s+/).filter(Boolean).length;
  console.info(`[alike] read ${words} words from ${reading.linked ? 'JSON-LD articleBody' : 'the page'}; element(s) read:`, ...read, `; ${reading.leftOut.length} block(s) left out`);
  for (const [i, why] of reading.leftOut) console.debug(`[alike] left out (${why}):`, nodes[i]);
  console.debug('[alike] text read:\n' + reading.text);
}

/**
 * The engine, as a function from `{index, article, query}` to `{results,
 * lost}`: in a module Web Worker (pkg/alike.js runs as one; see
 * www/engine.js), so that the page's main thread only posts the query and
 * reads the answer; on the main thread where no worker starts.
 */
function engineFor(settings) {
  return once('engine ' + settings.engine, () =>
    worker(settings).catch(async () => {
      try {
        return (await import(settings.engine)).answer;
      } catch (error) {
        throw failure('engine', `cannot start the engine ${settings.engine} (${error.message}); copy pkg/alike.js and pkg/alike_bg.wasm into a folder pkg/ beside alike.js (or set data-engine)`);
      }
    }),
  );
}

/** The shim's worker (`startWorker`), once it says it is ready; rejects when it cannot start. */
function worker(settings) {
  return new Promise((ready, fail) => {
    const thread = startWorker(settings);
    if (thread.failed) return fail();
    const calls = new Map();
    let id = 0;
    let started = false;
    let broken = null;
    // Before it is ready: no worker (its module did not load), so the main
    // thread runs the engine. After: it broke, and queries fail, under way or to come.
    thread.onerror = (event) => {
      event.preventDefault?.();
      if (!started) return fail();
      broken = failure('engine', `the engine's worker stopped (${event.message})`);
      for (const [, reject] of calls.values()) reject(broken);
      calls.clear();
    };
    thread.onmessage = ({ data }) => {
      if (data?.alike !== 1) return;
      // Any answer to the hello (id 0; an earlier build's worker answers
      // it as a failed query) says its module runs.
      if (data.ready || data.id === 0) {
        started = true;
        return ready((message) =>
          broken ? Promise.reject(broken) : new Promise((...settle) => (calls.set(++id, settle), thread.postMessage({ alike: 1, id, ...message }))),
        );
      }
      const [resolve, reject] = calls.get(data.id) || [];
      calls.delete(data.id);
      data.error ? reject?.(failure(data.error.reason, data.error.message)) : resolve?.(data);
    };
    // A message sent before it listens waits for it: the answer comes once its module runs.
    thread.postMessage({ alike: 1, id, hello: 1 });
  });
}

const pad = (n) => String(n).padStart(2, '0');
const today = (d = new Date()) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Related articles for `page` from the engine (its stored list, if any, did not do). */
async function ask(page, settings) {
  await readText(page, settings, 1);
  const engine = await engineFor(settings);
  const query = { k: settings.count, today: today(), exclude: [...page.exclude, ...settings.exclude] };
  for (const key of RANKING) if (settings[key] != null) query[key] = settings[key];
  if (settings.minScore != null) query.minScore = settings.minScore;
  if (settings.excludeSections) query.excludeSections = sectionsOut(settings);
  if (settings.onlyOlder) query.onlyOlder = 1; // a number: the engine's option decoder reads no booleans
  await yieldToPage(); // after the page's reading, before its JSON-LD is parsed again
  // The page's language (a BCP 47 tag): the engine reads the page in it and keeps to it.
  const ld = [].concat(linkedData().inLanguage || [])[0]; // a tag, or a Language node
  const language = settings.language || text(page.article.language) || text(ld) || text(ld?.alternateName) || text(ld?.name) || (page.element || page.root)?.closest?.('[lang]')?.lang || document.documentElement.lang;
  if (language) query.language = language;
  if (settings.languages === 'any') query.languages = 'any';
  if (settings.explain) query.explain = 1; // the words travel only when asked for
  if (settings.fallback === 'section') query.fallback = 'section';
  let { results, lost } = await engine({ index: settings.index, bytes: indexBytes.get(settings.index), article: page.article, query });
  results = tidy(
    results.map((r) => (r?.why ? { ...r, why: reasons(r.why) } : r)),
    [page.article.url || '', ...query.exclude],
  );
  if (lost.length) {
    const message = `could not load ${lost.length} file(s) of the index ${settings.index} (${lost[0]})`;
    if (!results.length) throw failure('index', message);
    note(page, message);
  }
  return results;
}

/** An engine's `why` (www/README.md, "Why each link"), as plain words and numbers. */
const reasons = ({ terms, sectionBoost, age }) => ({
  terms: (Array.isArray(terms) ? terms : []).filter((t) => typeof t?.[0] === 'string').map((t) => [t[0], +t[1] || 0]),
  ...(+sectionBoost && { sectionBoost: +sectionBoost }),
  ...(Array.isArray(age) && { age: [+age[0], +age[1]] }),
});

/** data-explain: a result's why under its link (`body`, the `i`th result's), made with the shim's `element`. */
function explain(body, why, i, element) {
  // A visible hint, read with the link (aria-describedby), not a tooltip.
  const { terms, sectionBoost, age } = why;
  const said = [terms.length && 'Shared words: ' + terms.map((t) => t[0]).join(', '), sectionBoost && `same section ×${+sectionBoost.toFixed(2)}`, age && `${age[0]} days old ×${age[1].toFixed(2)}`];
  body.append(element('p', { part: 'why', id: `alike-why-${i}` }, said.filter(Boolean).join(' · ')));
  body.firstChild.setAttribute('aria-describedby', `alike-why-${i}`);
}
