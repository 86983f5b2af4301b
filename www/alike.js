// alike: a "Related articles" box computed in the reader's browser. Nothing
// is sent anywhere; whatever goes wrong, the page stays as it was and one
// console warning says why. See www/README.md.

import { instant, listFile, readList, urlKey } from './lib/lists.js';

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
// the article. Only pages the index holds no list for are read: the tree
// and the reading are www/lib/engine-path.js's; here, what the page says of
// itself and whether it can hold an article.

// The engine reads the first 100,000 bytes of an article's text, cut at a
// word (src/query.rs). A box gives it no more of the page's text: one code
// unit more, so at least one byte more, leaves that cut to the engine, where
// it falls as in the CLI.
const MAX_TEXT = 100_001;

const squash = (text) => text.replace(/\s+/g, ' ').trim();

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
  // The first that is a date of: JSON-LD, the meta tag, then each element microdata or
  // microformats mark as the publication date, as the CLI reads them (src/input/page.rs).
  const stamps = [...document.querySelectorAll('[pubdate],[itemprop="datePublished" i],.published,.dt-published')];
  const dates = [text(ld.datePublished), meta('article:published_time'), ...stamps.map((e) => ['datetime', 'content', 'title', 'value'].map((a) => e.getAttribute(a)).find(Boolean))];
  const stamp = dates.find((d) => day(d?.match(/^\d{4}-\d\d-\d\d/)?.[0]));
  if (stamp) article.date = stamp.slice(0, 10);
  const section = text(ld.articleSection) || meta('article:section');
  if (section) article.section = section;
  // A huge articleBody is read no further than four times what is used of it.
  const linked = text(ld.articleBody) || text(ld.text);
  // Article markup or metadata: a page that has some may be in the index by its URL.
  const marked = Boolean(selector || ld['@type'] || linked || meta('article:published_time') || /^article$/i.test(meta('og:type')) || root.querySelector('article,[itemprop~="articleBody" i]'));
  return { article, time: instant(stamp), exclude: [...new Set(ids.filter(Boolean))], root, known, marked, linked: linked.slice(0, 4 * MAX_TEXT) || undefined };
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

/** Where the box goes without a [data-alike] place: after the <article> holding the <h1>, the only <article>, or <main>. */
function placeOf(root) {
  const articles = [...root.querySelectorAll('article')].filter((a) => !a.parentElement?.closest('article'));
  return root.querySelector('article h1')?.closest('article') || (articles.length === 1 && articles[0]) || root.querySelector('main,[role=main]') || undefined;
}

/**
 * The page's article `{url, title, body, date?, section?}`, its element and
 * the URLs it goes by, as the widget reads it: `body` is the text read, the
 * same as `alike inspect` prints, however short or long (whether it is
 * enough for a box, and how much the engine takes, is the box's to decide).
 */
export async function readArticle(selector = '', options = {}) {
  const settings = configure(options);
  const page = pageFacts(selector);
  page.article.body = await (await enginePath()).read(page, settings);
  return { article: page.article, element: page.element, exclude: page.exclude };
}

// The engine and the index, loaded once per page, cached by the browser

const loaded = new Map();
const once = (key, load) => (loaded.has(key) ? loaded.get(key) : loaded.set(key, load()).get(key));

/**
 * The engine path's code (www/lib/engine-path.js: reading the page, the
 * engine's worker, the query), a file of its own beside this one that pages
 * answered by a stored list never download.
 */
let enginePathLoaded;
const enginePath = () =>
  once('engine-path', () =>
    import('./lib/engine-path.js').then(
      ({ start }) => (enginePathLoaded = start({ failure, yieldToPage, once, day, squash, text, linkedData, tidy, note, sectionsOut, indexBytes, startWorker, NO_ARTICLE, MIN_TEXT, MAX_TEXT, RANKING })),
      (error) => {
        throw failure('engine', `cannot load ${new URL('engine-path.js', HERE)} (${error.message}); copy it beside alike.js`);
      },
    ),
  );

/**
 * The engine's worker (pkg/alike.js: www/engine.js with the glue), which
 * engine-path.js talks to; started as soon as the engine is needed, with
 * engine-path.js's import, and handed the files it would otherwise ask for
 * a round trip later, fetched here at the same time: the wasm (compiled
 * there, under the worker's own Content-Security-Policy) and the index's
 * engine file (named by `manifest`). So the engine path's first files come
 * in one round trip. `failed` where no worker can start.
 */
const startWorker = (settings, manifest) =>
  once(settings.engine, () => {
    let thread;
    try {
      thread = new Worker(settings.engine, { type: 'module', name: 'alike' });
    } catch {
      return { failed: true }; // a policy forbids it: once a page, not once a call
    }
    // Its module did not load, maybe before engine-path.js listens: kept for it.
    thread.onerror = (event) => {
      event.preventDefault();
      thread.failed = true;
    };
    // Each handed file is announced at once (the worker waits for it, not
    // fetching it itself), then sent, or null when it could not be had here
    // (the worker then tries, and says why it failed).
    const hand = (path, base) => {
      const url = new URL(path, base).href;
      const send = (content) => thread.postMessage({ alike: 1, hand: url, content }, content ? [content] : []);
      send();
      fetch(url)
        .then((response) => response.ok && response.arrayBuffer())
        .then(send, () => send(null));
    };
    hand('alike_bg.wasm', settings.engine);
    if (manifest?.version === 2 && typeof manifest.engine === 'string') hand(manifest.engine, settings.index);
    return thread;
  });

// The shim fetches two files at most (the manifest, a list file): the
// engine's driver queues the index files' fetches. Low priority lets the page's
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
      // Already plain words and numbers (www/lib/engine-path.js, `reasons`).
      ...(r?.why && { why: r.why }),
    }))
    .filter((r) => r.url && r.title && !own.has(r.url.split('#')[0]));
}

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
  const where = key && listFile(manifest, key, page.article.date, page.time);
  if (!where || !(settings.count <= where.length)) return;
  const url = new URL(where.path, settings.index).href;
  try {
    const list = await readList(where, key, (path) => {
      const href = new URL(path, settings.index).href;
      return once(href, () => json(href, 'the related lists', '; deploy the whole index folder, its manifest last'));
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
  // The engine's code and its worker's files, all at once (no worker, no
  // index: the engine path says why).
  const code = enginePath();
  indexFile(settings)
    .then((manifest) => startWorker(settings, manifest))
    .catch(() => {});
  return (await code).ask(page, settings);
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
[data-unseen]{position:fixed;inset:0 auto auto 0;visibility:hidden}
[data-wait]{display:none}
[data-bare] img{visibility:hidden}
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

// A page's first Intl.DateTimeFormat is one call of 40-60 ms at 4x CPU
// slow-down (V8 lists ICU's date locales, once per process, for all its
// threads): too long a task for the page's main thread. The engine's
// worker pays it (www/engine.js); a page answered by a stored list starts
// none, so a worker of this module pays it there (named as the box's tag),
// and the box's formatter then takes a few ms. Its script is this file,
// from the browser's cache or revalidated (a blob: would need the page's
// Content-Security-Policy to allow it). No worker (a bundle, whose file is
// the site's; the shim on another origin; a policy forbidding workers):
// the page pays it.
function warmDates() {
  return new Promise((done) => {
    try {
      if (!drawsByItself) return done();
      const thread = new Worker(HERE, { type: 'module', name: TAG });
      thread.onmessage = thread.onerror = () => done(thread.terminate());
    } catch {
      done();
    }
  });
}

/**
 * The box for `results`, put in `host` unseen and out of the page's flow
 * (`data-unseen`), its pictures unseen (`data-bare`), and all but its
 * heading left out of its layout until their step (`data-wait`: 1, the
 * list with the first link; 2, the first snippet and date; 3 on, the
 * other results, four a step; each step sets up a new font or two at
 * most), and returned; `format`, a date formatter when a result has a date
 * (`dates`).
 */
function draw(host, results, options, format) {
  const wait = (step) => ({ 'data-wait': step });
  const items = results.map((r, i) => {
    const body = element('div', {}, element('a', { href: r.url, part: 'link', 'data-position': i + 1 }, r.title));
    if (options.snippet && r.snippet) body.append(element('p', { part: 'snippet', ...(!i && wait(2)) }, r.snippet));
    if (r.date) body.append(element('time', { datetime: r.date, part: 'date', ...(!i && wait(2)) }, format.format(new Date(r.date + 'T00:00:00Z'))));
    // Only the engine explains: its path's code is loaded when a result has a why.
    if (options.explain && r.why) enginePathLoaded.explain(body, r.why, i, element);
    const item = element('li', { part: r.pinned ? 'item pinned' : 'item', ...(i && wait(2 + Math.ceil(i / 4))) });
    // alt="": the title beside it says it all.
    const [width, height] = options.layout === 'cards' ? [320, 180] : [96, 54];
    if (options.images && r.image) item.append(element('img', { src: r.image, alt: '', width, height, loading: 'lazy', decoding: 'async', part: 'image' }));
    item.append(body);
    return item;
  });
  const box = element(
    'aside',
    { 'aria-labelledby': 'alike-heading', class: options.layout, part: 'box', 'data-unseen': '', 'data-bare': '' },
    // Labelled as what it is: the section's newest, not related articles.
    element('h2', { id: 'alike-heading', part: 'heading' }, results[0].fallback ? options.fallbackHeading.replace('{section}', results[0].section || '') : options.heading),
    element('ul', { role: 'list', part: 'list', ...wait(1) }, ...items),
  );
  box.addEventListener('click', (event) => {
    const link = event.target.closest?.('a[data-position]');
    if (link) emit(host, 'alike:click', { url: link.href, position: Number(link.dataset.position), title: link.textContent });
  });
  // Keeps the <style> that styles() adds where constructed sheets are missing.
  const root = host.shadowRoot;
  root.replaceChildren(...root.querySelectorAll('style'), box);
  return box;
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
      await (await enginePath()).readText(page, settings);
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
    let format;
    if (results.some((r) => r.date)) {
      // The engine's worker warmed the dates (www/engine.js); else a worker of this module does, once a page.
      if (!enginePathLoaded) await once('dates', warmDates);
      // A task of its own, apart from reading the list and drawing the box:
      // where no worker could warm them, this is the 40-60 ms call.
      await yieldToPage();
      format = dates(host.closest('[lang]')?.lang || undefined);
      await yieldToPage();
    }
    // The box's first layout is mostly the browser setting up fonts it had
    // not used yet (each new size or weight, 10-20 ms at 4x CPU slow-down;
    // all of them at once, 20-60 ms). Built, then laid out unseen in steps
    // (`draw`: its heading, then each `data-wait` step; four for five
    // results), a task each, then shown: none of them is a long task, and the frame that
    // shows the box has little layout left. Its pictures come a frame
    // later: the browser draws an SVG on the page's thread, 2-20 ms at 4x
    // each the first time.
    const box = draw(host, results, settings, format);
    for (let step = 0; step < 3 + Math.ceil((results.length - 1) / 4); step++) {
      await yieldToPage();
      for (const part of box.querySelectorAll(`[data-wait="${step}"]`)) part.removeAttribute('data-wait');
      void box.offsetWidth; // its layout, unless a frame has done it since
    }
    await yieldToPage();
    box.removeAttribute('data-unseen');
    requestAnimationFrame(() => setTimeout(() => box.removeAttribute('data-bare')));
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
// reading the page's facts and placing the box each come in a task of
// their own, so that none is a long task on a slow phone.
if (tags.length) yieldToPage().then(() => autoMount(tags));
// This module as the date warm-up's worker (`warmDates`).
if (typeof document === 'undefined' && globalThis.name === TAG) postMessage(dates().format(0));
