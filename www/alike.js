// alike: a "Related articles" box computed in the reader's browser. Nothing
// is sent anywhere; whatever goes wrong, the page stays as it was and one
// console warning says why. See www/README.md.

import { listFile, readList, urlKey } from './lib/lists.js';

const HERE = import.meta.url;
const TAG = 'alike-related';

/** The options and their defaults (www/README.md); `data-max-age-days` sets `maxAgeDays`. */
export const DEFAULTS = Object.freeze({
  index: 'index.json', // relative to this file, as is engine
  engine: 'pkg/alike.js',
  count: 5,
  heading: 'Related articles',
  target: '', // '' = [data-alike], else after the article
  article: '', // '' = found from the page
  images: true,
  snippet: true,
  layout: 'list',
  theme: 'auto',
  maxAgeDays: null,
  halfLifeDays: null,
  sectionBoost: null,
  minScore: null, // 0 to 1: weaker matches are not shown
  excludeSections: '', // comma-separated sections never shown
  onlyOlder: false, // only articles published before the page
  language: '', // '' = the page's: its article's lang, else <html lang>
  languages: 'page', // 'any': articles in every language the index holds
  explain: false, // each result says why it came (its shared words, the factors), shown in the box
  fallback: 'none', // 'section': with no match, the newest articles of the page's section
  fallbackHeading: 'Latest in {section}', // the box's heading then
  loading: 'lazy',
  imageOrigins: '', // '' = the page's own origin only, '*' = any
  prerendered: 'keep', // links already in the box's place: kept as they are, or replaced by the box
  debug: false, // outline the element read and log what was read (www/README.md)
});

// The options that change the ranking: a stored list cannot answer them.
const RANKING = ['maxAgeDays', 'halfLifeDays', 'sectionBoost'];
const CHOICES = { layout: ['list', 'cards'], theme: ['auto', 'light', 'dark'], loading: ['lazy', 'eager'], prerendered: ['keep', 'replace'], languages: ['page', 'any'], fallback: ['none', 'section'] };
// [min, max, whole]; the engine allows k up to 100, a box needs far fewer.
const NUMBERS = { count: [1, 20, 1], maxAgeDays: [0, 1e6, 1], halfLifeDays: [1e-3, 1e6], sectionBoost: [1e-3, 1e3], minScore: [0, 1] };
const YES = /^(|true|on|yes|1)$/i;
const NO = /^(false|off|no|0)$/i;

// Less text is no article (a 404 page, a listing): better no box than a guess from a headline.
const MIN_TEXT = 80;
// Loading starts a screen ahead of the box's place, so it is drawn before the reader gets there.
const LOAD_MARGIN = '1000px 0px';

const kebab = (key) => key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
const warn = (message) => console.warn('[alike] ' + message);

const failure = (reason, message) => Object.assign(Error(message), { reason });

/** Options from a script tag's dataset or an API object, over the defaults. */
function configure(given, fromTag) {
  const name = (key) => (fromTag ? 'data-' + kebab(key) : key);
  const options = { ...DEFAULTS, exclude: [] };
  const base = { index: HERE, engine: HERE };
  for (const [key, raw] of Object.entries(given || {})) {
    if (!(key in DEFAULTS) && (fromTag || key !== 'exclude')) {
      warn(`unknown option ${name(key)} ignored; the options are ${Object.keys(DEFAULTS).map(name).join(', ')}`);
      continue;
    }
    if (raw == null) continue;
    const value = coerce(key, raw);
    if (value === undefined) warn(`${name(key)}="${raw}" is not valid; using ${key === 'imageOrigins' ? "the page's own origin" : DEFAULTS[key] ?? 'no limit'}`);
    else {
      options[key] = value;
      base[key] = document.baseURI; // what the site writes is relative to the page
    }
  }
  options.index = new URL(options.index, base.index).href;
  options.engine = new URL(options.engine, base.engine).href;
  return options;
}

function coerce(key, raw) {
  if (key === 'exclude') return Array.isArray(raw) ? raw.map(String) : undefined;
  const value = String(raw).trim();
  if (key === 'imageOrigins') return origins(value);
  if (CHOICES[key]) return CHOICES[key].find((c) => c === value.toLowerCase());
  if (typeof DEFAULTS[key] === 'boolean') return YES.test(value) || (NO.test(value) ? false : undefined);
  if (NUMBERS[key]) {
    const [min, max, whole] = NUMBERS[key];
    const n = value ? Number(value) : NaN;
    return n >= min && n <= max && (!whole || Number.isInteger(n)) ? n : undefined;
  }
  // An empty selector means "find it"; an empty heading or URL is an error.
  return value || (key === 'target' || key === 'article' || key === 'excludeSections' || key === 'language' ? '' : undefined);
}

/** `*`, or the origins of a space-separated list of http(s) URLs; undefined when one is not. */
function origins(value) {
  if (value === '*') return value;
  try {
    const urls = value.split(/\s+/).filter(Boolean).map((u) => new URL(u));
    if (urls.every((u) => /^https?:$/.test(u.protocol))) return urls.map((u) => u.origin).join(' ');
  } catch {
    // Not a URL: invalid.
  }
}

// Reading the article on the page. The rules are the engine's
// (src/extract.rs), the same the CLI reads pages by: the shim reduces the
// page to a small tree of elements and text, the engine says which part is
// the article. Only pages the index holds no list for are read.

// The tree's wire format and limits, as src/extract.rs has them.
const FIELD = '\x1f';
const RECORD = '\x1e';
const OPAQUE = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'textarea', 'select']);
const ATTRIBUTES = ['class', 'id', 'role', 'itemprop', 'aria-label', 'aria-hidden', 'hidden', 'style', 'data-alike'];
const MAX_NODES = 100_000;
const MAX_TREE_TEXT = 1_000_000;
const SEPARATORS = /[\x1e\x1f]/g;

// The engine reads the first 100,000 bytes of an article's text, cut at a
// word (src/query.rs). The page's text is read no further: one code unit
// more, so at least one byte more, leaves that cut to the engine, where it
// falls as in the CLI.
const MAX_TEXT = 100_001;

const squash = (text) => text.replace(/\s+/g, ' ').trim();

/** `text`'s first MAX_TEXT code units, not splitting a surrogate pair. */
function bounded(text) {
  return text.slice(0, /[\uD800-\uDBFF]/.test(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT + 1 : MAX_TEXT);
}

// The walk gives the main thread back after this many milliseconds of work
// (issue 15: no task over 50 ms on a slow phone, which is 4x slower), and
// looks at the clock every SLICE_CHECK nodes.
const SLICE_MS = 5;
const SLICE_CHECK = 256;

/** A promise that resolves in a later task, so that the page's input and rendering go first. */
function yieldToPage() {
  return (
    globalThis.scheduler?.yield?.() ||
    new Promise((resume) => {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => resume(port1.close());
      port2.postMessage(0);
    })
  );
}

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

/** The first schema.org article in the page's JSON-LD, looking inside arrays and nodes, as the CLI does (src/input/jsonld.rs). */
function linkedData() {
  const find = (node, depth) => {
    if (depth > 32 || !node || typeof node !== 'object') return;
    if (!Array.isArray(node) && [].concat(node['@type'] || []).some((t) => /(Article|BlogPosting)$/.test(String(t).split(/[/:#]/).pop()))) return node;
    for (const value of Object.values(node)) {
      const found = find(value, depth + 1);
      if (found) return found;
    }
  };
  for (const script of document.querySelectorAll('script[type^="application/ld+json" i]')) {
    let json = script.textContent.trim();
    for (const [open, close] of [['<!--', '-->'], ['//<![CDATA[', '//]]>'], ['<![CDATA[', ']]>']]) {
      if (json.startsWith(open) && json.trimEnd().endsWith(close)) json = json.trimEnd().slice(open.length, -close.length).trim();
    }
    try {
      const found = find(JSON.parse(json.replace(/[\n\r\t]/g, ' ')), 0);
      if (found) return found;
    } catch {
      // Someone else's broken JSON-LD: the meta tags remain.
    }
  }
  return {};
}

const text = (value) => (typeof value === 'string' ? value.trim() : Array.isArray(value) ? text(value[0]) : '');
const absolute = (url) => {
  try {
    return url ? new URL(url, document.baseURI).href.split('#')[0] : '';
  } catch {
    return '';
  }
};

/** The element `selector` matches, or null, also when the selector is invalid. */
function find(selector) {
  try {
    return document.querySelector(selector);
  } catch {
    return null;
  }
}

/**
 * What the page says of its article without reading its text:
 * `{article: {url, title, date?, section?}, exclude, root, known, linked}`.
 * Enough for a stored list; `readText` adds the body.
 */
function pageFacts(selector = '') {
  const ld = linkedData();
  const meta = (name) => document.querySelector(`meta[property="${name}"],meta[name="${name}"]`)?.content?.trim() || '';
  const root = selector ? find(selector) : document.documentElement;
  if (!root) throw failure('no-article', `no element matches data-article="${selector}"; point it at the element holding the article`);
  const canonical = absolute(document.querySelector('link[rel~="canonical"]')?.getAttribute('href'));
  const ids = [canonical, absolute(meta('og:url')), absolute(text(ld.url)), absolute(location.href)];
  // The title as metadata gives it tells the story from other posts on the page.
  const title = squash(text(ld.headline) || meta('og:title'));
  const known = title || squash(document.title);
  const article = { url: ids.find(Boolean), title };
  const date = (text(ld.datePublished) || meta('article:published_time')).match(/^\d{4}-\d\d-\d\d/);
  if (day(date?.[0])) article.date = date[0];
  const section = text(ld.articleSection) || meta('article:section');
  if (section) article.section = section;
  // A huge articleBody is read no further than four times what is used of it.
  const linked = text(ld.articleBody) || text(ld.text);
  // Article markup or metadata: a page that has some may be in the index by its URL.
  const marked = Boolean(selector || ld['@type'] || linked || meta('article:published_time') || /^article$/i.test(meta('og:type')) || root.querySelector('article,[itemprop~="articleBody" i]'));
  return { article, exclude: [...new Set(ids.filter(Boolean))], root, known, marked, linked: linked.slice(0, 4 * MAX_TEXT) || undefined };
}

// Text outside links below this many characters holds no article: even a
// paragraph half links (more is a link list to the reader) needs MIN_TEXT.
const LEAST_PROSE = MIN_TEXT / 2;

/**
 * Whether the page cannot hold an article, told without the index or the
 * engine: no article markup or metadata, and less than LEAST_PROSE
 * characters of text outside links (a "page not found", a bare landing
 * page). Such a page costs no download. Stops counting at LEAST_PROSE.
 */
function cannotHoldArticle(page) {
  if (!page.root || page.marked || typeof page.article.body === 'string') return false;
  const walker = document.createTreeWalker(page.root, NodeFilter.SHOW_TEXT);
  let prose = 0;
  while (prose < LEAST_PROSE && walker.nextNode()) {
    if (!walker.currentNode.parentElement?.closest('a,script,style,noscript,template,title')) prose += walker.currentNode.data.replace(/\s/g, '').length;
  }
  return prose < LEAST_PROSE;
}

/** Throws 'no-article' for a page that cannot hold one, before anything is fetched. */
const guard = (page) => {
  if (cannotHoldArticle(page)) throw failure('no-article', NO_ARTICLE);
};

const NO_ARTICLE = 'found no article text on this page; mark it up with <article>, or set data-article to the selector of the element holding it (data-debug shows what was read)';

/** Reads the article's text into `page` with the engine's `readPage`; throws 'no-article' when there is too little. */
async function readText(page, settings) {
  if (!page.root || typeof page.article.body === 'string') return; // an article given, not read
  const engine = await engineFor(settings);
  const { wire, nodes } = await pageTree(page.root);
  const { reading } = await engine({ read: { wire, known: page.known, linked: page.linked } });
  const read = reading.read.map((i) => nodes[i]);
  page.element ||= read[0];
  if (!page.article.title) page.article.title = squash(read[0]?.querySelector?.('h1')?.textContent || document.title);
  if (!page.article.date) {
    const time =
      document.querySelector('time[itemprop="datePublished" i][datetime],time[pubdate][datetime]') ||
      read[0]?.querySelector?.('time[datetime]') ||
      document.querySelector('time[datetime]');
    const date = time?.getAttribute('datetime')?.trim().match(/^\d{4}-\d\d-\d\d/);
    if (day(date?.[0])) page.article.date = date[0];
  }
  if (settings.debug) debugReading(reading, read, nodes);
  const body = bounded(reading.text);
  if (body.replace(/\s/g, '').length < MIN_TEXT) {
    throw failure('no-article', NO_ARTICLE);
  }
  page.article.body = body;
}

/** Where the box goes without a [data-alike] place: after the <article> holding the <h1>, the only <article>, or <main>. */
function placeOf(root) {
  const articles = [...root.querySelectorAll('article')].filter((a) => !a.parentElement?.closest('article'));
  return root.querySelector('article h1')?.closest('article') || (articles.length === 1 && articles[0]) || root.querySelector('main,[role=main]') || undefined;
}

/** data-debug: outlines the element(s) read and logs what was read and left out, as `alike inspect` prints it. */
function debugReading(reading, read, nodes) {
  for (const element of read) element.style?.setProperty('outline', '3px dashed #d33');
  const words = reading.text.split(/\s+/).filter(Boolean).length;
  console.info(`[alike] read ${words} words from ${reading.linked ? 'JSON-LD articleBody' : 'the page'}; element(s) read:`, ...read, `; ${reading.leftOut.length} block(s) left out`);
  for (const [i, why] of reading.leftOut) console.debug(`[alike] left out (${why}):`, nodes[i]);
  console.debug('[alike] text read:\n' + reading.text);
}

/** The page's article `{url, title, body, date?, section?}`, its element and the URLs it goes by, as the widget reads it. */
export async function readArticle(selector = '', options = {}) {
  const settings = configure(options);
  const page = pageFacts(selector);
  await readText(page, settings);
  return { article: page.article, element: page.element, exclude: page.exclude };
}

// The engine and the index, loaded once per page, cached by the browser

const loaded = new Map();
const once = (key, load) => (loaded.has(key) ? loaded.get(key) : loaded.set(key, load()).get(key));

// The shim fetches two files at most (the manifest, a list file): the
// engine's driver queues the shards' fetches. Low priority lets the page's
// own go first.
async function json(url, what, hint = '', keep) {
  try {
    const response = await fetch(url, { priority: 'low' });
    if (!response.ok) throw Error(`the server answered ${response.status}`);
    if (!keep) return await response.json();
    const bytes = await response.arrayBuffer();
    keep(bytes);
    const text = new TextDecoder().decode(bytes);
    // A large index with no lists (a single file) is the engine's alone: its
    // worker parses it. Parsed here, it would be a long task on the page's
    // main thread for nothing. ("lists" spelled with escapes only sends a
    // page to the engine, which answers the same.)
    return text.length > PARSED_HERE && !text.includes('"lists"') ? {} : JSON.parse(text);
  } catch (error) {
    throw failure('index', `cannot load ${what} ${url}: ${error.message}${hint}`);
  }
}

// Index files up to this many characters are parsed by the shim whatever
// they hold (a few ms at 4x CPU slow-down); larger ones only when they may
// hold related lists.
const PARSED_HERE = 32_768;

// The index's bytes as fetched, handed to the engine's worker so that it
// need not fetch the file again.
const indexBytes = new Map();
const indexFile = ({ index }) =>
  once(index, () => json(index, 'the index', '; check data-index, or rebuild it with `alike index`', (bytes) => indexBytes.set(index, bytes)));

/**
 * The engine, as a function from `{index, article, query}` to `{results,
 * lost}`: in a module Web Worker (pkg/alike.js runs as one; see
 * www/engine.js), so that the page's main thread only posts the query and
 * reads the answer; on the main thread where no worker starts.
 */
function engineFor({ engine }) {
  return once(engine, () =>
    worker(engine).catch(async () => {
      try {
        return (await import(engine)).answer;
      } catch (error) {
        throw failure('engine', `cannot start the engine ${engine} (${error.message}); copy pkg/alike.js and pkg/alike_bg.wasm into a folder pkg/ beside alike.js (or set data-engine)`);
      }
    }),
  );
}

/** A worker running the engine module at `url`, once it says it is ready; rejects when it cannot start. */
function worker(url) {
  return new Promise((ready, fail) => {
    const calls = new Map();
    let id = 0;
    const thread = new Worker(url, { type: 'module', name: 'alike' });
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
      if (data.ready) {
        started = true;
        return ready((message) =>
          broken ? Promise.reject(broken) : new Promise((...settle) => (calls.set(++id, settle), thread.postMessage({ alike: 1, id, ...message }))),
        );
      }
      const [resolve, reject] = calls.get(data.id);
      calls.delete(data.id);
      data.error ? reject(failure(data.error.reason, data.error.message)) : resolve(data);
    };
  });
}

const pad = (n) => String(n).padStart(2, '0');
const today = (d = new Date()) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Only http(s) URLs, as the browser's own parser reads them, become links or images; relative ones are site-relative. */
function safeUrl(raw) {
  if (typeof raw !== 'string' || !raw.trim()) return null;
  try {
    const url = new URL(raw, location.origin + '/');
    return /^https?:$/.test(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** A `YYYY-MM-DD` date of a real day (`2005-13-45` is none), or undefined. */
function day(value) {
  if (!/^\d{4}-\d\d-\d\d$/.test(value)) return;
  const date = new Date(value + 'T00:00:00Z');
  return !isNaN(date) && date.toISOString().startsWith(value) ? value : undefined;
}

function tidy(results, exclude) {
  const own = new Set(exclude.map((u) => u.split('#')[0]));
  return results
    .map((r) => ({
      url: safeUrl(r?.url),
      title: squash(text(r?.title)),
      date: day(r?.date),
      section: text(r?.section) || undefined,
      image: safeUrl(r?.image) || undefined,
      snippet: squash(text(r?.snippet)) || undefined,
      score: typeof r?.score === 'number' ? r.score : 0,
      // An editor's pick (docs/index-format.md): first, whatever its score.
      ...(r?.pinned === true && { pinned: true }),
      // The newest of the page's section, not a match (data-fallback="section").
      ...(r?.fallback === true && { fallback: true }),
      ...(r?.why && { why: reasons(r.why) }),
    }))
    .filter((r) => r.url && r.title && !own.has(r.url.split('#')[0]));
}

/** An engine's `why` (www/README.md, "Why each link"), as plain words and numbers. */
const reasons = ({ terms, sectionBoost, age }) => ({
  terms: (Array.isArray(terms) ? terms : []).filter((t) => typeof t?.[0] === 'string').map((t) => [t[0], +t[1] || 0]),
  ...(+sectionBoost && { sectionBoost: +sectionBoost }),
  ...(Array.isArray(age) && { age: [+age[0], +age[1]] }),
});

/** For alike's own tests (tests/e2e/url-keys.test.mjs): no API, it may change. */
export const internals = Object.freeze({ urlKey });

/** Related articles for `article` (the page's when null), best first; rejects with an Error with a `reason`. */
export async function recommend(article, options) {
  const settings = configure(options);
  const page = article ? { article, exclude: [] } : pageFacts(settings.article);
  const results = await ask(page, settings);
  tell(page);
  return results;
}

// What went wrong but left a box: noted on the page's query, told in one
// warning with whatever else went wrong for it (one failure, one warning).
const note = (page, message) => (page.notes ||= []).push(message);
const tell = (page) => page.notes && once('incomplete', () => warn(page.notes.join('; ')));

// The related list of an indexed article, ranked by `alike index` with the
// engine's own query: one small file and no engine to load. Pages the index
// does not hold, and boxes that rank with options, go to the engine.

// The page's key, its list file and reading it: www/lib/lists.js, shared
// with the bench.

async function fromList(page, settings) {
  // Lists hold their article's language only (docs/index-format.md).
  if (settings.exclude.length || settings.languages === 'any' || settings.explain || RANKING.some((key) => settings[key] != null)) return;
  const manifest = await indexFile(settings);
  const key = typeof page.article.url === 'string' && urlKey(page.article.url);
  const where = key && listFile(manifest, key);
  if (!where || !(settings.count <= where.length)) return;
  const url = new URL(where.path, settings.index).href;
  try {
    const list = await readList(where, key, (path) => {
      const href = new URL(path, settings.index).href;
      return once(href, () => json(href, 'the related lists'));
    });
    if (!Array.isArray(list)) return;
    // Lists of builds before scores were stored have none: they pass.
    const strong = (r) => !(settings.minScore > 0) || !(typeof r?.score === 'number') || r.score >= settings.minScore;
    const scored = list.filter(strong);
    const kept = scored.filter((r) => shown(r, page, settings));
    // Nothing left: the engine knows each section's newest (data-fallback).
    if (!kept.length && settings.fallback === 'section') return;
    // A full list that data-exclude-sections or data-only-older filter
    // below the box's count may leave out articles the engine would find
    // past its end: then the engine answers. A list shorter than its
    // length was cut by the build's minimum score: the engine has no more
    // to give, unless the page asks for weaker matches than the build kept.
    const full = list.length >= where.length;
    if (kept.length < settings.count && (full ? kept.length < scored.length : settings.minScore != null && settings.minScore < where.minScore)) return;
    return tidy(kept.slice(0, settings.count), page.exclude);
  } catch (error) {
    note(page, `${error.reason ? error.message : `${url} ${error.message}`}; ranking in the browser instead`);
  }
}

/** The sections data-exclude-sections names, trimmed and lower-cased. */
const sectionsOut = (settings) => settings.excludeSections.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);

/** Whether a stored list's entry passes data-exclude-sections and data-only-older (as the engine's filters do). */
function shown(r, page, settings) {
  const section = typeof r?.section === 'string' && r.section.trim().toLowerCase();
  if (section && sectionsOut(settings).includes(section)) return false;
  // Only older: both dates known and the entry's earlier; YYYY-MM-DD compares as text.
  return !settings.onlyOlder || (day(r?.date) !== undefined && page.article.date !== undefined && r.date < page.article.date);
}

async function ask(page, settings) {
  guard(page);
  await yieldToPage(); // the page's first fetch() costs a task's worth on a slow phone
  const listed = await fromList(page, settings);
  if (listed) return listed;
  await readText(page, settings);
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
  results = tidy(results, [page.article.url || '', ...query.exclude]);
  if (lost.length) {
    const message = `could not load ${lost.length} shard(s) of the index ${settings.index} (${lost[0]}); copy its ${/\/[ck]\/[0-9a-f]+-/.test(lost[0]) ? 'c/ and k/ folders' : 't/ and a/ folders'} beside it`;
    if (!results.length) throw failure('index', message);
    note(page, message);
  }
  return results;
}

// The box

const CSS = `
:host{display:block;--_muted:var(--alike-muted,color-mix(in srgb,currentColor 68%,transparent));--_line:var(--alike-border,color-mix(in srgb,currentColor 18%,transparent))}
:host([theme=light]){--_bg:#fff;--_fg:#1b1b1f;color-scheme:light}
:host([theme=dark]){--_bg:#17181c;--_fg:#ecedf1;color-scheme:dark}
aside{margin:var(--alike-margin,2rem 0);padding:var(--alike-padding,1rem 1.25rem);border:1px solid var(--_line);border-radius:var(--alike-radius,.5rem);background:var(--alike-background,var(--_bg,transparent));color:var(--alike-color,var(--_fg,inherit));font:var(--alike-font,inherit);text-align:start}
h2{margin:0 0 .75rem;font-size:var(--alike-heading-size,1.125rem);line-height:1.3}
ul{list-style:none;margin:0;padding:0;display:grid;gap:var(--alike-gap,.875rem)}
li{position:relative;display:flex;gap:.75rem;align-items:flex-start;min-width:0}
.cards ul{grid-template-columns:repeat(auto-fill,minmax(min(100%,13rem),1fr))}
.cards li{flex-direction:column;gap:.5rem}
img{flex:none;display:block;width:6rem;height:auto;aspect-ratio:16/9;object-fit:cover;border-radius:calc(var(--alike-radius,.5rem)/2);background:var(--_line)}
.cards img{width:100%}
div{min-width:0}
a{color:var(--alike-link,inherit);font-weight:600;line-height:1.35;text-decoration:none;overflow-wrap:anywhere;unicode-bidi:plaintext}
a::after{content:"";position:absolute;inset:0}
li:hover a{text-decoration:underline}
a:focus-visible{outline:2px solid var(--alike-focus,currentColor);outline-offset:2px;border-radius:2px}
p{margin:.25rem 0 0;font-size:.9em;line-height:1.45;color:var(--_muted);unicode-bidi:plaintext;text-align:match-parent}
time{display:block;margin-top:.25rem;font-size:.8em;color:var(--_muted)}
`;
let sheet;

function styles(shadow) {
  try {
    // A constructed sheet needs no 'unsafe-inline' in a CSP.
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.append(Object.assign(document.createElement('style'), { textContent: CSS }));
  }
}

function element(name, attributes = {}, ...children) {
  const el = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  el.append(...children);
  return el;
}

function dates(lang) {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  } catch {
    return dates(); // the page's lang is no valid language tag
  }
}

function draw(host, results, options) {
  const format = dates(host.closest('[lang]')?.lang || undefined);
  const items = results.map((r, i) => {
    const body = element('div', {}, element('a', { href: r.url, part: 'link', 'data-position': i + 1 }, r.title));
    if (options.snippet && r.snippet) body.append(element('p', { part: 'snippet' }, r.snippet));
    if (r.date) body.append(element('time', { datetime: r.date, part: 'date' }, format.format(new Date(r.date + 'T00:00:00Z'))));
    if (options.explain && r.why) {
      // A visible hint, read with the link (aria-describedby), not a tooltip.
      const { terms, sectionBoost, age } = r.why;
      const said = [terms.length && 'Shared words: ' + terms.map((t) => t[0]).join(', '), sectionBoost && `same section ×${+sectionBoost.toFixed(2)}`, age && `${age[0]} days old ×${age[1].toFixed(2)}`];
      body.append(element('p', { part: 'why', id: `alike-why-${i}` }, said.filter(Boolean).join(' · ')));
      body.firstChild.setAttribute('aria-describedby', `alike-why-${i}`);
    }
    const item = element('li', { part: r.pinned ? 'item pinned' : 'item' });
    // alt="": the title beside it says it all.
    const [width, height] = options.layout === 'cards' ? [320, 180] : [96, 54];
    if (options.images && r.image) item.append(element('img', { src: r.image, alt: '', width, height, loading: 'lazy', decoding: 'async', part: 'image' }));
    item.append(body);
    return item;
  });
  const box = element(
    'aside',
    { 'aria-labelledby': 'alike-heading', class: options.layout, part: 'box' },
    // Labelled as what it is: the section's newest, not related articles.
    element('h2', { id: 'alike-heading', part: 'heading' }, results[0].fallback ? options.fallbackHeading.replace('{section}', results[0].section || '') : options.heading),
    element('ul', { role: 'list', part: 'list' }, ...items),
  );
  box.addEventListener('click', (event) => {
    const link = event.target.closest?.('a[data-position]');
    if (link) emit(host, 'alike:click', { url: link.href, position: Number(link.dataset.position), title: link.textContent });
  });
  host.shadowRoot.replaceChildren(box);
}

/** Whether the box may show an image at `url`: one from the page's own origin, or from one data-image-origins allows. */
function imageAllowed(url, allowed) {
  const origin = new URL(url).origin;
  return origin === location.origin || allowed === '*' || allowed.split(' ').includes(origin);
}

function emit(target, type, detail) {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

function nearViewport(host, loading) {
  if (loading === 'eager') return Promise.resolve();
  return new Promise((resolve) => {
    const seen = (entries) => entries.some((e) => e.isIntersecting) && (observer.disconnect(), resolve());
    const observer = new IntersectionObserver(seen, { rootMargin: LOAD_MARGIN });
    observer.observe(host);
  });
}

/** Draws the box at the end of `element`; resolves to the results shown, or to [] after one warning. */
export function mount(element, options = {}) {
  const { article, ...rest } = options || {};
  const settings = configure(typeof article === 'string' ? { ...rest, article } : rest);
  const given = article && typeof article === 'object' ? { article, exclude: [] } : null;
  return show(settings, (host) => element.append(host), given);
}

async function show(settings, insert, given, drawn = () => {}, needsArticle = false) {
  let host;
  let page;
  try {
    page = given || pageFacts(settings.article);
    await yieldToPage(); // the facts (JSON-LD parsed) and the box's place: a task each
    // Placed after the article: its <article> or <main> when the markup
    // says, so that a page with a stored list needs no reading; else the
    // box waits for the article to be read.
    if (!given && needsArticle && !(page.element = placeOf(page.root))) {
      guard(page);
      await readText(page, settings);
    }
    host = document.createElement(TAG);
    host.attachShadow({ mode: 'open' });
    styles(host.shadowRoot);
    host.setAttribute('theme', settings.theme);
    host.setAttribute('layout', settings.layout);
    // Empty, the host takes no room: nothing moves while it waits.
    insert(host, page.element);
    await nearViewport(host, settings.loading);
    const results = (await ask(page, settings)).map((r) => (r.image && !imageAllowed(r.image, settings.imageOrigins) ? { ...r, image: undefined } : r));
    if (!results.length) throw failure('no-results', `the index has no articles related to ${page.article.url} (none clears the minimum score, data-min-score); the box stays hidden`);
    draw(host, results, settings);
    drawn(host);
    tell(page);
    emit(host, 'alike:render', { results, article: { url: page.article.url, title: page.article.title }, ...(results[0].fallback && { fallback: 'section' }) });
    return results;
  } catch (error) {
    const reason = error.reason || 'unexpected';
    const message = reason === 'unexpected' ? `something went wrong (${error.message}); the box stays hidden` : error.message;
    // Nothing related is a healthy page's outcome: said only when asked why.
    if (reason !== 'no-results' || settings.debug) warn([...(page?.notes || []), message].join('; '));
    emit(host?.isConnected ? host : document, 'alike:error', { reason, message: error.message });
    host?.remove();
    return [];
  }
}

// One box per page from script tags: the first tag that runs claims the
// page, for every copy of this module (a symbol all copies share), and any
// other tag says so and does nothing. A second box is mount()'s job.
const CLAIMED = Symbol.for('alike-related');

function autoMount([tag, ...others]) {
  const ignored = document[CLAIMED] ? tag : others[0];
  if (ignored) warn(`this page has more than one alike script tag; only the first draws a box, so the one with src="${ignored.getAttribute('src')}" does nothing; remove it, or call mount() for a second box`);
  if (document[CLAIMED]) return;
  document[CLAIMED] = true;
  const settings = configure(tag.dataset, true);
  const run = () => {
    const place = find(settings.target || '[data-alike]');
    // Links the page already has there (rendered by the site's templates
    // from `alike index --related-data`, for readers without JavaScript)
    // are the box: kept, or replaced once the box is drawn. Never two.
    const links = place ? [...place.querySelectorAll('a[href]')] : [];
    if (links.length && settings.prerendered === 'keep') {
      const results = links.map((a) => ({ url: a.href, title: a.textContent.trim() }));
      return emit(place, 'alike:render', { results, prerendered: true });
    }
    const replace = (host) => links.length && place.replaceChildren(host);
    show(settings, (host, article) => {
      if (place) place.append(host);
      else if (settings.target) throw failure('place', `no element matches data-target="${settings.target}"; point it at where the box should go`);
      else if (article) article.after(host);
      else throw failure('place', 'found nowhere to put the box; add <div data-alike></div> where it should go');
    }, null, replace, !place && !settings.target);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
  else run();
}

// A script tag draws the box. A bundle has a tag of its own, whose src is
// this module's URL too: bundlers import the package's api.js, built from
// this file with ALIKE_AUTO_MOUNT defined false (scripts/build-wasm.sh).
const drawsByItself = typeof ALIKE_AUTO_MOUNT === 'undefined' || ALIKE_AUTO_MOUNT;
const tags = typeof document !== 'undefined' && drawsByItself ? [...document.querySelectorAll('script[src]')].filter((s) => s.src === HERE) : [];
// Issue 15: the module's own evaluation does nothing more than schedule;
// starting the date worker, reading the page's facts and placing the box
// each come in a task of their own, so that none is a long task on a slow
// phone.
if (tags.length) yieldToPage().then(() => (warmDates(), yieldToPage())).then(() => autoMount(tags));

// The first Intl.DateTimeFormat of a page costs 80-200 ms at 4x CPU slow-down
// (V8 lists ICU's date locales once per process). Started here as a worker
// (this very module, from the HTTP cache), it is paid off the main thread,
// and draw()'s formatter then takes a few ms. Where no worker may start
// (CSP, a shim from another origin), draw() pays it as before.
function warmDates() {
  try {
    new Worker(HERE, { type: 'module', name: 'alike-dates' }).onerror = (event) => event.preventDefault?.();
  } catch {
    // no worker: draw() formats the dates itself
  }
}
if (typeof document === 'undefined' && typeof WorkerGlobalScope !== 'undefined' && self.name === 'alike-dates') {
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(0);
  self.close();
}
