// BENCHMARKS.md and its chart, from one run's results.json. Nothing here
// measures; every number printed comes from `results`.

const KB = 1000;
const kb = (bytes) => (bytes == null ? '–' : `${(bytes / KB).toFixed(1)} KB`);
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const gib = (bytes) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const minutes = (x) => (x < 120 ? s(x) : `${(x / 60).toFixed(1)} min`);
const ms = (x) => (x == null || Number.isNaN(x) ? '–' : x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);
function s(x) {
  return `${x.toFixed(2)} s`;
}
const p = (x) => x.toFixed(3);
const int = (n) => Math.round(n).toLocaleString('en-US');
const times = (x) => `${x.toFixed(1)}×`;
const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const mark = (holds) => (holds ? '✅ holds' : '❌ misses');
const table = (head, rows) => [`| ${head.join(' | ')} |`, `| ${head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/**
 * Archives measured on article pages, smallest first: `{name, articles,
 * single, sharded, shardedH2, rtt, dial}` (a form not built or measured
 * is missing; `rtt` lists the sets measured with an emulated round trip,
 * `dial` those whose index queries with fewer terms).
 */
function pageSets(r) {
  const out = new Map();
  for (const set of r.pages || []) {
    if (!out.has(set.name)) out.set(set.name, { name: set.name, articles: set.articles, rtt: [], dial: [] });
    const entry = out.get(set.name);
    if (set.queryTerms) entry.dial.push(set);
    else if (set.rttMs) entry.rtt.push(set);
    else entry[set.protocol === 'h2' ? `${set.form}H2` : set.form] = set;
  }
  return [...out.values()].sort((a, b) => a.articles - b.articles);
}

/** Medians over a page set's pages. */
function pageFigures(set) {
  const m = (f) => median(set.pages.map(f));
  return {
    pages: set.pages.length,
    requests: m((q) => q.requests),
    bytes: m((q) => q.bytes),
    body: m((q) => q.body),
    index: m((q) => q.groups.index.bytes + q.groups.shards.bytes),
    fromIndexMs: m((q) => q.fromIndexMs),
    slowestMs: Math.max(...set.pages.map((q) => q.fromIndexMs)),
    minBytes: Math.min(...set.pages.map((q) => q.bytes)),
    maxBytes: Math.max(...set.pages.map((q) => q.bytes)),
  };
}

/** Issue 6's budgets (the sharded index): the demo's first box, the large archives' article pages, the million-article build. */
function issue6(r) {
  const rows = [];
  const demo = r.firstBox.cold;
  if (r.demoLayout?.layout === 'sharded' && demo[0]?.widget) {
    const w = median(demo.map((b) => b.widget.bytes));
    rows.push([
      `**Issue 6**: ${label(r, 'corpus')} demo, sharded (${int(r.files.demoIndex.files)} index files): the widget's bytes before the first box (shim, glue, wasm, manifest, shards), gzip, headers included; median of ${demo.length} pages`,
      kb(w),
      '≤ 100 KB',
      w <= 100 * KB,
    ]);
    rows.push([`**Issue 6**: ${label(r, 'corpus')} demo, sharded: P@5 of its own index (all ${int(r.demoRelevance.queries)} articles through \`alike query\`)`, p(r.demoRelevance.p5), '≥ 0.93', r.demoRelevance.p5 >= 0.93]);
  }
  for (const set of pageSets(r)) {
    // 100,000 articles and more; in quick mode the streamed archive stands in.
    const big = r.mode === 'quick' ? (r.streamed || []).some((a) => a.name === set.name) : set.articles >= 100000;
    if (set.name === 'corpus' || !set.sharded || !big) continue;
    const f = pageFigures(set.sharded);
    rows.push([`**Issue 6**: ${label(r, set.name)}, sharded, article pages: the widget's bytes before the first box (gzip, headers included); median of ${f.pages} pages`, kb(f.bytes), '≤ 150 KB', f.bytes <= 150 * KB]);
    rows.push([`**Issue 6**: ${label(r, set.name)}, sharded, article pages: the manifest's request → \`alike:render\`, 127.0.0.1, cold cache; median of ${f.pages} pages`, ms(f.fromIndexMs), '≤ 300 ms', f.fromIndexMs <= 300]);
    if (set.shardedH2) {
      const h = pageFigures(set.shardedH2);
      rows.push([`**Issue 6**: the same pages over HTTP/2: widget bytes before the first box; median of ${h.pages} pages`, kb(h.bytes), '≤ 150 KB', h.bytes <= 150 * KB]);
      rows.push([`**Issue 6**: the same pages over HTTP/2: the manifest's request → \`alike:render\`; median of ${h.pages} pages`, ms(h.fromIndexMs), '≤ 300 ms', h.fromIndexMs <= 300]);
    }
  }
  for (const a of r.streamed || []) {
    rows.push([
      `**Issue 6**: \`alike index\` builds ${label(r, a.name)} (sharded, CLI defaults): time; peak RSS`,
      `${minutes(a.build.seconds)}; ${gib(a.build.maxRss)} peak RSS`,
      `builds (${r.machine.cores} cores, ${r.machine.ramGiB.toFixed(0)} GiB)`,
      a.build.maxRss < r.machine.ramGiB * 2 ** 30,
    ]);
  }
  return rows;
}

/** The budgets of issues 5 and 6, each a figure from the results and a test. */
function budgets(r) {
  const box = r.firstBox.cold;
  const boxBytes = median(box.map((b) => b.bytes));
  const pagefindBytes = median(r.pagefind.searches.map((q) => q.bytes));
  const alikeSearchBytes = median(r.pagefind.searches.map((q) => q.alikeBytes));
  const corpus = r.engineRuns.corpus;
  const large = r.archives.at(-1);
  const largeRun = r.engineRuns[large.name];
  const rows = [
    ...issue6(r),
    ['First box on the demo, everything transferred before it, the page included (gzip)', kb(boxBytes), '≤ 150 KB', boxBytes <= 150 * KB],
    ["First box: alike's own files vs Pagefind's first search, same pages", `${kb(alikeSearchBytes)} vs ${kb(pagefindBytes)}`, "less than Pagefind's", alikeSearchBytes < pagefindBytes],
    ['wasm, gzipped', kb(r.files.wasm.gzip), '≤ 60 KB', r.files.wasm.gzip <= 60 * KB],
    ['shim (www/alike.js), gzipped', kb(r.files.shim.gzip), '≤ 8 KB', r.files.shim.gzip <= 8 * KB],
    [`Per query, ${label(r, 'corpus')} index (median; p95)`, `${ms(corpus.alike.query.median)}; ${ms(corpus.alike.query.p95)}`, '≤ 5 ms', corpus.alike.query.median <= 5],
    [`Per query, ${label(r, large.name)} (median; p95)`, `${ms(largeRun.alike.query.median)}; ${ms(largeRun.alike.query.p95)}`, '≤ 20 ms', largeRun.alike.query.median <= 20],
  ];
  for (const a of r.archives) {
    const e = r.engineRuns[a.name];
    rows.push([`Speed-up over the minimal JS cosine, ${label(r, a.name)}`, times(e.cosine.ratio), '≥ 10×', e.cosine.ratio >= 10]);
    if (e.natural) rows.push([`Speed-up over natural's TfIdf, ${label(r, a.name)}`, times(e.natural.ratio), '≥ 10×', e.natural.ratio >= 10]);
  }
  rows.push(
    ['P@5, index as shipped', p(r.relevance.shipped.p5), '≥ 0.93', r.relevance.shipped.p5 >= 0.93],
    [`Build, ${label(r, 'corpus')}`, s(r.build.corpus.seconds), '< 2 s', r.build.corpus.seconds < 2],
    [`Build, ${label(r, r.build.large.name)}`, s(r.build.large.seconds), '< 60 s', r.build.large.seconds < 60],
  );
  return rows.map(([what, value, budget, holds]) => [what, value, budget, mark(holds)]);
}

function label(r, name) {
  const a = r.archives.find((x) => x.name === name) || r.streamed?.find((x) => x.name === name);
  if (name === 'corpus') return `${r.corpus.articles === 2225 ? 'BBC' : 'corpus'} (${int(a.articles)} articles)`;
  return `synthetic ${int(a.articles)}`;
}

/** Index size (gzip) against P@5 as terms per article and weight bits move, as an SVG line chart. */
export function chart(r) {
  const W = 720;
  const H = 420;
  const m = { left: 64, right: 150, top: 36, bottom: 52 };
  const points = r.relevance.curve;
  const marked = [
    [r.relevance.single, 'defaults'],
    [r.relevance.unpruned, 'unpruned'],
    ...(r.relevance.nearlyUnpruned ? [[r.relevance.nearlyUnpruned, 'nearly unpruned']] : []),
  ];
  const xs = [...points, ...marked.map(([c]) => c)].map((c) => c.gzip / KB);
  // The y range follows the curve; a marked point far below it is drawn on the bottom edge.
  const curveYs = points.map((c) => c.p5).concat(r.sklearn ? [r.sklearn.p5] : [], [0.93, r.relevance.single.p5]);
  const ys = curveYs.concat(marked.map(([c]) => c.p5).filter((v) => v >= Math.min(...curveYs) - 0.03));
  const x0 = 0;
  const x1 = niceCeil(Math.max(...xs));
  const y0 = Math.floor(Math.min(...ys) * 50) / 50;
  const y1 = Math.min(1, Math.ceil(Math.max(...ys) * 50) / 50);
  const X = (v) => m.left + ((v - x0) / (x1 - x0)) * (W - m.left - m.right);
  const Y = (v) => H - m.bottom - ((v - y0) / (y1 - y0)) * (H - m.top - m.bottom);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${m.left}" y="20" font-size="14" font-weight="600">Index size (gzip) vs P@5 on the ${esc(label(r, 'corpus'))}</text>`);
  for (let i = 0; i <= 5; i++) {
    const v = x0 + ((x1 - x0) * i) / 5;
    out.push(`<line x1="${X(v)}" x2="${X(v)}" y1="${m.top}" y2="${H - m.bottom}" stroke="#eee"/><text x="${X(v)}" y="${H - m.bottom + 16}" text-anchor="middle">${v.toFixed(0)}</text>`);
  }
  const ySteps = Math.round((y1 - y0) / 0.02);
  for (let i = 0; i <= ySteps; i++) {
    const v = y0 + i * 0.02;
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${Y(v)}" y2="${Y(v)}" stroke="#eee"/><text x="${m.left - 6}" y="${Y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  out.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 12}" text-anchor="middle">index size, KB gzipped</text>`);
  out.push(`<text transform="translate(16 ${(m.top + H - m.bottom) / 2}) rotate(-90)" text-anchor="middle">P@5 by label</text>`);
  const hline = (v, text, color, dy = 4) =>
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${Y(v)}" y2="${Y(v)}" stroke="${color}" stroke-dasharray="5 4"/><text x="${W - m.right + 6}" y="${Y(v) + dy}" fill="${color}">${esc(text)}</text>`);
  // Two labels closer than a line of text: one above its line, one below.
  const close = r.sklearn && Math.abs(Y(r.sklearn.p5) - Y(0.93)) < 14;
  const above = (v) => (close && v === Math.max(0.93, r.sklearn.p5) ? -4 : close ? 14 : 4);
  hline(0.93, 'budget 0.93', '#888', above(0.93));
  if (r.sklearn) hline(r.sklearn.p5, `scikit-learn ${p(r.sklearn.p5)}`, '#e377c2', above(r.sklearn.p5));
  const bits = [...new Set(points.map((c) => c.setting.bits))].sort((a, b) => a - b);
  // The legend sits low in the right margin, clear of the reference lines' labels near the top.
  const legendTop = H - m.bottom - 16 * bits.length;
  bits.forEach((b, i) => {
    const series = points.filter((c) => c.setting.bits === b).sort((u, v) => u.setting.terms - v.setting.terms);
    const color = colors[i % colors.length];
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${series.map((c) => `${X(c.gzip / KB).toFixed(1)},${Y(c.p5).toFixed(1)}`).join(' ')}"/>`);
    for (const c of series) {
      out.push(`<circle cx="${X(c.gzip / KB).toFixed(1)}" cy="${Y(c.p5).toFixed(1)}" r="3" fill="${color}"><title>${c.setting.terms} terms, ${b} bits: ${kb(c.gzip)}, P@5 ${p(c.p5)}</title></circle>`);
      if (i === bits.length - 1) out.push(`<text x="${X(c.gzip / KB).toFixed(1)}" y="${(Y(c.p5) - 7).toFixed(1)}" text-anchor="middle" font-size="10" fill="#555">${c.setting.terms}</text>`);
    }
    out.push(`<text x="${W - m.right + 6}" y="${legendTop + 16 * i}" fill="${color}">${b} weight bit${b > 1 ? 's' : ''}</text>`);
  });
  out.push(`<text x="${W - m.right + 6}" y="${legendTop + 16 * bits.length}" fill="#555" font-size="10">labels: terms/article</text>`);
  const star = (c, text) => {
    const x = X(c.gzip / KB);
    if (c.p5 < y0) {
      const y = H - m.bottom;
      out.push(`<path d="M${(x - 6).toFixed(1)},${y - 10} L${(x + 6).toFixed(1)},${y - 10} L${x.toFixed(1)},${y} Z" fill="#000"/><text x="${(x - 8).toFixed(1)}" y="${y - 14}" font-size="11" text-anchor="end">${esc(text)}: P@5 ${p(c.p5)}, below the chart</text>`);
      return;
    }
    const y = Y(c.p5);
    out.push(`<rect x="${(x - 5).toFixed(1)}" y="${(y - 5).toFixed(1)}" width="10" height="10" fill="none" stroke="#000" stroke-width="1.5"/><text x="${(x + 8).toFixed(1)}" y="${(y + 14).toFixed(1)}" font-size="11">${esc(text)}</text>`);
  };
  // Points that land on one spot (the two unpruned settings when no article reaches either cap) share a label.
  const spots = new Map();
  for (const [c, text] of marked) {
    const key = `${Math.round(X(c.gzip / KB) / 6)},${Math.round((c.p5 < y0 ? -1 : Y(c.p5)) / 6)}`;
    if (spots.has(key)) spots.get(key)[1] += ` = ${text}`;
    else spots.set(key, [c, text]);
  }
  for (const [c, text] of spots.values()) star(c, text);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

const coverage = (c) => (c ? [int(c.terms), int(c.longest), `${int(c.reachable)} (${((c.reachable / c.articles) * 100).toFixed(0)}%)`] : ['–', '–', '–']);

/** Why the streamed archives have no single file: from this run's own sizes. */
function notBuiltReason(r, a) {
  const largest = r.archives.at(-1);
  return `not built: too large. A single file is downloaded whole by every first box; at ${label(r, largest.name)} it is already ${kb(largest.index.gzip)} gzipped (${(largest.index.gzip / (150 * KB)).toFixed(1)}× the 150 KB budget), and ${label(r, a.name)} has ${(a.articles / largest.articles).toFixed(0)}× as many articles (its sharded index is ${mb(a.sharded.gzip)} gzipped in all). Building it would take a second build as long as the sharded one (${minutes(a.build.seconds)}).`;
}
const notBuiltMark = '*';
const notBuiltNote = (r) => ((r.streamed || []).length ? `\\* ${(r.streamed || []).map((a) => `${label(r, a.name)}: ${notBuiltReason(r, a)}`).join(' ')}` : '');

/**
 * The widget's bytes before the first box on article pages against archive
 * size, one file and sharded: log-scale x (articles) and y (KB), with the
 * budgets of issue 6 and the BBC demo (snippets and pictures) as a point.
 */
export function boxChart(r) {
  const W = 720;
  const H = 440;
  const m = { left: 70, right: 190, top: 40, bottom: 56 };
  const sets = pageSets(r);
  const series = [
    ['single', 'one file (--layout single)', '#d62728'],
    ['sharded', 'sharded (--layout sharded)', '#1f77b4'],
  ].map(([form, name, color]) => ({ form, name, color, points: sets.filter((x) => x[form]).map((x) => ({ n: x.articles, kb: pageFigures(x[form]).bytes / KB, name: x.name })) }));
  const missing = sets.filter((x) => !x.single);
  const demo = r.firstBox?.cold?.[0]?.widget && r.demoLayout?.layout === 'sharded' ? { n: r.corpus.articles, kb: median(r.firstBox.cold.map((b) => b.widget.bytes)) / KB } : null;
  const budgetsKb = [
    [100, 'issue 6: BBC demo ≤ 100 KB'],
    [150, 'issue 6: 100k, 1M ≤ 150 KB'],
  ];
  const all = [...series.flatMap((x) => x.points.map((q) => q.kb)), ...budgetsKb.map(([v]) => v), ...(demo ? [demo.kb] : [])];
  const ns = sets.map((x) => x.articles);
  const lx0 = Math.log10(Math.min(...ns)) - 0.15;
  const lx1 = Math.log10(Math.max(...ns)) + 0.15;
  const ly0 = Math.floor(Math.log10(Math.min(...all) * 0.8) * 10) / 10;
  // Room above the highest point for the "not built" marks.
  const ly1 = Math.ceil(Math.log10(Math.max(...all) * (missing.length ? 2.2 : 1.3)) * 10) / 10;
  const X = (n) => m.left + ((Math.log10(n) - lx0) / (lx1 - lx0)) * (W - m.left - m.right);
  const Y = (v) => H - m.bottom - ((Math.log10(v) - ly0) / (ly1 - ly0)) * (H - m.top - m.bottom);
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${m.left}" y="22" font-size="14" font-weight="600">The widget's bytes before the first box (gzip, headers included) vs archive size</text>`);
  for (const n of ns) out.push(`<line x1="${X(n).toFixed(1)}" x2="${X(n).toFixed(1)}" y1="${m.top}" y2="${H - m.bottom}" stroke="#eee"/><text x="${X(n).toFixed(1)}" y="${H - m.bottom + 16}" text-anchor="middle">${int(n)}</text>`);
  for (let e = Math.floor(ly0); e <= Math.ceil(ly1); e++) {
    for (const f of [1, 2, 5]) {
      const v = f * 10 ** e;
      if (Math.log10(v) < ly0 || Math.log10(v) > ly1) continue;
      out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" stroke="#eee"/><text x="${m.left - 6}" y="${(Y(v) + 4).toFixed(1)}" text-anchor="end">${v >= 1000 ? `${v / 1000} MB` : `${v} KB`}</text>`);
    }
  }
  out.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 14}" text-anchor="middle">articles in the archive (log scale)</text>`);
  out.push(`<text transform="translate(18 ${(m.top + H - m.bottom) / 2}) rotate(-90)" text-anchor="middle">KB before alike:render (log scale)</text>`);
  budgetsKb.forEach(([v, text], i) => {
    out.push(`<line x1="${m.left}" x2="${W - m.right}" y1="${Y(v).toFixed(1)}" y2="${Y(v).toFixed(1)}" stroke="#888" stroke-dasharray="5 4"/><text x="${W - m.right + 6}" y="${(Y(v) + (i === 0 ? 12 : -2)).toFixed(1)}" fill="#666" font-size="11">${esc(text)}</text>`);
  });
  series.forEach((x, i) => {
    out.push(`<polyline fill="none" stroke="${x.color}" stroke-width="2" points="${x.points.map((q) => `${X(q.n).toFixed(1)},${Y(q.kb).toFixed(1)}`).join(' ')}"/>`);
    for (const q of x.points) {
      out.push(`<circle cx="${X(q.n).toFixed(1)}" cy="${Y(q.kb).toFixed(1)}" r="4" fill="${x.color}"><title>${esc(label(r, q.name))}, ${esc(x.name)}: ${kb(q.kb * KB)}</title></circle>`);
      // At each size, the higher of the two points has its label above it, the lower one below.
      const other = series.find((o) => o !== x).points.find((o) => o.n === q.n);
      const above = other ? q.kb >= other.kb : x.form === 'single';
      out.push(`<text x="${(X(q.n) + 7).toFixed(1)}" y="${(Y(q.kb) + (above ? -7 : 15)).toFixed(1)}" font-size="11" fill="${x.color}">${kb(q.kb * KB)}</text>`);
    }
    out.push(`<text x="${W - m.right + 6}" y="${m.top + 8 + 16 * i}" fill="${x.color}">${esc(x.name)}</text>`);
  });
  const single = series[0];
  for (const x of missing) {
    const cx = X(x.articles);
    const cy = m.top + 10;
    const last = single.points.at(-1);
    if (last) out.push(`<line x1="${X(last.n).toFixed(1)}" y1="${Y(last.kb).toFixed(1)}" x2="${cx.toFixed(1)}" y2="${cy}" stroke="${single.color}" stroke-width="1.5" stroke-dasharray="2 3"/>`);
    out.push(`<path d="M${(cx - 6).toFixed(1)},${cy + 5} L${(cx + 6).toFixed(1)},${cy + 5} L${cx.toFixed(1)},${cy - 6} Z" fill="none" stroke="${single.color}" stroke-width="1.5"/><text x="${(cx - 9).toFixed(1)}" y="${cy + 4}" text-anchor="end" font-size="11" fill="${single.color}">one file: not built, too large</text>`);
  }
  if (demo) {
    const cx = X(demo.n);
    const cy = Y(demo.kb);
    out.push(`<path d="M${cx.toFixed(1)},${(cy - 6).toFixed(1)} L${(cx + 6).toFixed(1)},${cy.toFixed(1)} L${cx.toFixed(1)},${(cy + 6).toFixed(1)} L${(cx - 6).toFixed(1)},${cy.toFixed(1)} Z" fill="#2ca02c"><title>BBC demo, sharded: ${kb(demo.kb * KB)}</title></path>`);
    out.push(`<text x="${W - m.right + 6}" y="${m.top + 8 + 16 * series.length}" fill="#2ca02c">◆ BBC demo, sharded</text><text x="${W - m.right + 6}" y="${m.top + 22 + 16 * series.length}" fill="#2ca02c" font-size="10">(snippets, pictures): ${kb(demo.kb * KB)}</text>`);
  }
  out.push(`<text x="${W - m.right + 6}" y="${H - m.bottom}" fill="#555" font-size="10">medians over article pages</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;');
function niceCeil(v) {
  const step = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / step) * step;
}

export function render(r, { svgPath, boxSvgPath }) {
  const M = r.machine;
  const rel = r.relevance;
  const out = [];
  const say = (...blocks) => blocks.filter((b) => b !== '').forEach((b) => out.push(b, ''));
  say('# Benchmarks');
  say(
    '<!-- Written by bench/run from its own measurements; edit bench/lib/report.mjs, not this file. -->',
    r.mode === 'quick'
      ? '**Quick mode** (a tiny corpus, one run each): this file checks the harness; its numbers are not for decisions.'
      : 'Every figure below was measured by one run of `bench/run` on the machine described here; rerun it after any change to the engine, the index format, the wasm or the shim.',
  );
  say(
    table(
      ['What', 'This run'],
      [
        ['Date (UTC)', M.date],
        ['Commit', M.commit],
        ['CPU', `${M.cpu}, ${M.cores} cores`],
        ['RAM', `${M.ramGiB.toFixed(1)} GiB`],
        ['OS', `${M.os} (Linux ${M.kernel})`],
        ['Toolchain', `${M.rustc}; node ${M.node}; ${M.wasmBindgen}; ${M.wasmOpt}`],
        ['Browser', `Chromium ${M.chromium}, headless, pages from 127.0.0.1`],
        ['Corpus', `\`${r.corpusPath}\`: ${int(r.corpus.articles)} articles, labels ${r.corpus.labels.join(', ')}`],
        ['Repetitions', `medians of ${r.plan.runs} runs unless a row says otherwise; the whole run took ${(r.seconds / 60).toFixed(1)} min`],
        ['Load average (1 min)', `${r.load.start.toFixed(1)} at the start, ${r.load.end.toFixed(1)} at the end, ${r.load.max.toFixed(1)} at most (sampled every 5 s; ${M.cores} cores: above ${M.cores}, other work competed with this run)`],
      ],
    ),
  );
  say('The machine is shared and noisy (2 cores): trust ratios measured side by side in one run more than absolute times. KB = 1,000 bytes.');
  if (r.notes.length) say('**Notes from this run**', ...r.notes.map((n) => `- ${n}`));

  say('## Budgets', table(['Figure', 'Measured', 'Budget', 'Verdict'], budgets(r)));

  // Relevance
  say('## Relevance');
  const idRow = (name, c) => [name, c.setting.terms ?? 'default', c.setting.bits ?? 'default', kb(c.gzip), p(c.p5), int(c.withSelf), int(c.withCopy), int(c.short)];
  say(
    `Every article of the ${label(r, 'corpus')} asked for 5 related articles with \`alike query --k 5\` against an index of all of them, built from url, title and body (the label is left out and used only to score). P@5 is the share of the 5 that carry the query's label (a short list counts its missing places as misses). The corpus has ${int(rel.identical.articles)} articles whose body another article repeats word for word (${int(rel.identical.pairs)} pairs): "with a copy" counts top-5 lists that contain one of them.`,
  );
  const layoutNote = (c) => (c.index.layout === 'sharded' ? `sharded: a manifest and ${int(c.index.files - 1)} shards, all gzipped` : 'one file');
  const rows = [idRow(`alike, index as shipped (every default; ${layoutNote(rel.shipped)})`, rel.shipped)];
  if (rel.single !== rel.shipped && rel.single.file !== rel.shipped.file) rows.push(idRow('alike, the same defaults as one file (`--layout single`)', rel.single));
  rows.push(idRow('alike, unpruned engine (one file)', rel.unpruned));
  if (rel.nearlyUnpruned) rows.push(idRow('alike, nearly unpruned (one file)', rel.nearlyUnpruned));
  if (r.sklearn) rows.push([`scikit-learn ${r.sklearn.version} TfidfVectorizer (English stop words, sublinear tf), cosine, self and identical bodies left out`, '–', '–', '–', p(r.sklearn.p5), '0 (left out)', '0 (left out)', '0']);
  say(table(['Engine', 'Terms/article', 'Weight bits', 'Index (gzip)', 'P@5', 'Lists with the query', 'Lists with a copy', 'Short lists'], rows));
  const [u, n] = [rel.unpruned, rel.nearlyUnpruned];
  if (n && u.postings === n.postings && Math.abs(u.p5 - n.p5) >= 0.01) {
    // Same postings, different scores: only the stored weights can differ.
    const range = (c) => `${c.weightRange[0].toPrecision(2)} to ${c.weightRange[1].toPrecision(2)}`;
    say(
      `The two near-unpruned indexes hold the same ${int(u.postings)} postings (no article reaches either cap) yet score ${p(u.p5)} and ${p(n.p5)}: their weights are quantised over ranges of ${range(u)} and ${range(n)} (the defaults: ${range(rel.single)}), so the gap is the quantiser's, not pruning's.`,
    );
  }
  if (r.sklearn) say(`scikit-learn's fit (vocabulary and tf-idf of ${int(r.sklearn.articles)} articles, ${int(r.sklearn.vocabulary)} terms) took ${s(r.sklearn.fitMedian)}; alike's whole index build of the same articles took ${s(r.build.corpus.seconds)}.`);
  say(`![Index size against P@5](${svgPath})`, 'The curve is of single-file indexes (`--layout single`), so that size is one number.');
  const byBits = [...new Set(rel.curve.map((c) => c.setting.bits))].sort((a, b) => a - b);
  const terms = [...new Set(rel.curve.map((c) => c.setting.terms))].sort((a, b) => a - b);
  say(
    'The same, as numbers (P@5, then gzipped index size):',
    table(
      ['Terms/article', ...byBits.map((b) => `${b} bit${b > 1 ? 's' : ''}`)],
      terms.map((t) => [String(t), ...byBits.map((b) => rel.curve.find((c) => c.setting.terms === t && c.setting.bits === b)).map((c) => `${p(c.p5)} (${kb(c.gzip)})`)]),
    ),
  );
  const synth = r.archives.filter((a) => a.relevance);
  const streamed = r.streamed || [];
  if (synth.length)
    say(
      `On the synthetic archives (a sample of queries through \`alike query\`, index as shipped${streamed.length ? `; ${streamed.map((a) => label(r, a.name)).join(', ')}: built \`--layout sharded\`, every other setting the CLI's default` : ''}):`,
      table(
        ['Archive', 'Layout', 'Queries', 'Index (gzip, all files)', 'P@5', 'Lists with the query', 'Terms', 'Longest posting list', 'Articles in a posting'],
        [
          ...synth.map((a) => [label(r, a.name), a.shipped.layout, int(a.relevance.queries), kb(a.shipped.gzip), p(a.relevance.p5), int(a.relevance.withSelf), ...coverage(a.postings)]),
          ...streamed.map((a) => [label(r, a.name), 'sharded', int(a.relevance.queries), kb(a.sharded.gzip), p(a.relevance.p5), int(a.relevance.withSelf), ...coverage(a.postings)]),
        ],
      ),
      `The last three columns are read from each archive's sharded index (the same terms and postings as its single file): an article in no posting list scores 0 for every query, so no box can show it.${r.cliDefaults ? ` Past ${int(r.cliDefaults.largeArchive.articles)} articles the CLI keeps at most ${int(r.cliDefaults.largeArchive.postings)} postings per term by default (the heaviest).` : ''} The synthetic archives reuse the corpus's paragraphs, so they have far fewer distinct terms than a real archive of their size, and each term's list is cut harder.`,
    );

  // Bytes
  say('## Bytes a reader downloads');
  const f = r.files;
  say(
    `The engine: ${r.engine.source}.`,
    table(
      ['File', 'Raw', 'gzip -9', 'brotli 11'],
      [
        ['`pkg/alike_bg.wasm` (the engine)', kb(f.wasm.raw), kb(f.wasm.gzip), kb(f.wasm.brotli)],
        ['`pkg/alike.js` (wasm-bindgen glue)', kb(f.glue.raw), kb(f.glue.gzip), kb(f.glue.brotli)],
        ['`www/alike.js` (the shim)', kb(f.shim.raw), kb(f.shim.gzip), kb(f.shim.brotli)],
        [`index of the ${label(r, 'corpus')}, as shipped (no snippets, no pictures)`, kb(f.index.raw), kb(f.index.gzip), kb(f.index.brotli)],
        [
          `the demo site's index of the same articles (pictures, 160-character snippets${f.demoIndex.layout === 'sharded' ? `; sharded: ${int(f.demoIndex.files)} files, each gzipped on its own` : ''})`,
          kb(f.demoIndex.raw),
          kb(f.demoIndex.gzip),
          f.demoIndex.brotli ? kb(f.demoIndex.brotli) : '–',
        ],
      ],
    ),
  );
  const cold = r.firstBox.cold;
  const g = (name, key = 'bytes') => median(cold.map((b) => b.groups[name][key]));
  say(
    `**The first box on the demo site**: the ${label(r, 'corpus')} built by \`www/demo/build.mjs\` (its section is the first segment of each URL and its dates are synthetic, as the generator needs both), served from 127.0.0.1 by sirv with precompressed gzip files (level 9) and \`Cache-Control: max-age=600\`, as a static host would (\`www/demo/serve.mjs\` sends no compression). A fresh Chromium context opens an article page, scrolls to the end as soon as the page is parsed (the shim loads lazily, a screen ahead of the box) and waits for the \`alike:render\` event. Bytes are Chromium's own: \`Network.loadingFinished\` encodedDataLength (body as sent plus HTTP headers) of every request started before the event; medians of ${cold.length} pages.`,
    table(
      ['What', 'Requests', 'Transferred', 'Of which body'],
      [
        ['the page (HTML, CSS, pictures, favicon)', int(g('page', 'requests')), kb(g('page')), kb(g('page', 'body'))],
        ['the shim', int(g('shim', 'requests')), kb(g('shim')), kb(g('shim', 'body'))],
        ['the glue', int(g('glue', 'requests')), kb(g('glue')), kb(g('glue', 'body'))],
        ['the wasm', int(g('wasm', 'requests')), kb(g('wasm')), kb(g('wasm', 'body'))],
        [r.files.demoIndex.layout === 'sharded' ? 'the index manifest' : 'the index', int(g('index', 'requests')), kb(g('index')), kb(g('index', 'body'))],
        ['index shards', int(g('shards', 'requests')), kb(g('shards')), kb(g('shards', 'body'))],
        ['**everything before the box**', int(median(cold.map((b) => b.requests))), `**${kb(median(cold.map((b) => b.bytes)))}**`, kb(median(cold.map((b) => b.body)))],
        ...(cold[0].widget ? [['**the widget** (all but the page)', int(median(cold.map((b) => b.widget.requests))), `**${kb(median(cold.map((b) => b.widget.bytes)))}**`, kb(median(cold.map((b) => b.widget.body)))]] : []),
      ],
    ),
    ...(cold[0].widget
      ? [
          `Per page, the widget's bytes ranged from ${kb(Math.min(...cold.map((b) => b.widget.bytes)))} to ${kb(Math.max(...cold.map((b) => b.widget.bytes)))}; from the index's request to \`alike:render\` took ${ms(median(cold.map((b) => b.fromIndexMs)))} (median; slowest ${ms(Math.max(...cold.map((b) => b.fromIndexMs)))}).`,
        ]
      : []),
  );
  const pf = r.pagefind;
  const sq = pf.searches;
  say(
    `**Pagefind ${pf.version}** over the same ${int(pf.pages)} pages: on the same article pages, after the box, \`pagefind.js\` is imported, \`init()\`, one \`search()\` for the article's title, and \`data()\` of its first 5 results (what a box of 5 would show). Pagefind searches in a Web Worker, which a page's CDP session does not see, so both tools' bytes in this table are Playwright's request sizes (Chromium's body as sent plus headers) for the whole context; Chromium reports no body for the worker's own script, so its ${kb(median(sq.map((q) => q.serverCounted)))} are the server's count of what it sent.`,
    table(
      ['Tool', 'Index build (median)', 'Its own bytes for the first box / first search', 'Requests'],
      [
        ['alike (`alike index`, the demo index: pictures and snippets)', s(pf.alikeBuildSeconds), kb(median(sq.map((q) => q.alikeBytes))), int(median(sq.map((q) => q.alikeRequests)))],
        [`Pagefind (\`pagefind --site\`, peak RSS ${mib(pf.buildMaxRss)})`, s(pf.buildSeconds), kb(median(sq.map((q) => q.bytes))), int(median(sq.map((q) => q.requests)))],
      ],
    ),
    `Pagefind's searches returned ${sq.map((q) => int(q.results)).join(', ')} results and took ${sq.map((q) => ms(q.ms)).join(', ')} (import to 5 results' data, including its downloads). Its files: ${sq[0].files.map(([f, b]) => `\`${f.replace('/pagefind/', '')}\` ${kb(b)}`).join(', ')}.`,
  );
  const sets = pageSets(r);
  if (sets.length) {
    const sizeOf = (name) => {
      const a = r.archives.find((x) => x.name === name);
      return a ? { single: { files: 1, gzip: a.index.gzip }, sharded: a.sharded } : { sharded: r.streamed.find((x) => x.name === name).sharded };
    };
    const rows = [];
    for (const set of sets) {
      const size = sizeOf(set.name);
      for (const form of ['single', 'sharded', 'shardedH2']) {
        const first = form === 'single' ? label(r, set.name) : '';
        if (form === 'shardedH2' && !set[form]) continue;
        if (!set[form]) {
          rows.push([first, form === 'single' ? 'single file' : form, '–', '–', '–', '–', '–', `not built: too large${notBuiltMark}`, '–', '–', '–']);
          continue;
        }
        const f = pageFigures(set[form]);
        const files = size[form === 'shardedH2' ? 'sharded' : form];
        rows.push([first, { single: 'single file', sharded: 'sharded', shardedH2: 'sharded, HTTP/2' }[form], int(files.files), kb(files.gzip), int(f.pages), int(f.requests), kb(f.index), `**${kb(f.bytes)}**`, form === 'shardedH2' ? '–' : kb(f.body), ms(f.fromIndexMs), ms(f.slowestMs)]);
      }
    }
    say(
      `**The first box on article pages, against archive size.** For each archive, article pages for ${int(r.plan.pages)} of its articles (spread evenly over it; ${int(Math.min(r.plan.pages, r.plan.runs))} for a single file, whose bytes do not depend on the page) are written with the demo's template (\`www/demo/templates.mjs\`: the same markup, JSON-LD and script tag), each pointing at the archive's whole index, built with the CLI's defaults (no snippets, no pictures) as one file (\`--layout single\`) or sharded (\`--layout sharded\`); a million pages are never written, only the sampled ones. They are served from 127.0.0.1 as above (sirv, precompressed gzip level 9, \`Cache-Control: public,max-age=600\`, no isolation headers), and each is opened in a fresh Chromium context (cold cache), scrolled to the end, until \`alike:render\`. Bytes are Chromium's \`Network.loadingFinished\` encodedDataLength (body plus headers; "body" without headers) of the widget's requests started before the event: the shim, the glue, the wasm, the index or its manifest, and the shards (term and article shards). The page's own requests (HTML, CSS, pictures) are left out. The time runs from the index's (or manifest's) request, its Resource Timing \`startTime\`, to the event, on the page's clock. Medians over the pages.`,
      table(['Archive', 'Form', 'Index files', 'Whole index, gzip', 'Pages', 'Requests', 'Index bytes', 'Widget bytes before the box', 'Of which body', 'Index request → box', 'Slowest page'], rows),
      sets.some((set) => set.shardedH2)
        ? `"sharded, HTTP/2": the same pages and files from the same folder, served by the same sirv handler through Node's HTTP/2 server (TLS with a self-signed certificate made for the run; HTTP/2 compresses repeated headers, and one connection carries every request, where HTTP/1.1 has six). Chromium's count of body bytes alone falls short over HTTP/2 (less than the wasm's own size), so that column is left empty there; the totals are its \`loadingFinished\` counts, as above.`
        : '',
      notBuiltNote(r),
      `![First box bytes against archive size](${boxSvgPath})`,
    );
    const dial = sets.flatMap((set) => set.dial);
    const base = sets.find((set) => set.name === 'corpus')?.sharded;
    if (dial.length && base && r.relevance.queryTerms) {
      const p5Of = (n) => r.relevance.queryTerms.find((q) => q.queryTerms === n)?.p5;
      const row = (n, set, p5) => {
        const f = pageFigures(set);
        return [n, p(p5), int(f.pages), int(f.requests), kb(f.bytes), ms(f.fromIndexMs)];
      };
      say(
        `**The query-terms dial** (\`alike index --query-terms N\`): a query scores with the article's N strongest terms, and a sharded index fetches a term shard for each. The ${label(r, 'corpus')} built sharded with fewer query terms, every other setting the default: P@5 over all ${int(r.relevance.articles)} articles through \`alike query\` (a single file ranks the same), and the first box on the same ${int(dial[0].pages.length)} article pages as above (HTTP/1.1).`,
        table(
          ['Query terms', 'P@5', 'Pages', 'Requests', 'Widget bytes before the box', 'Index request → box'],
          [...dial.map((set) => row(int(set.queryTerms), set, p5Of(set.queryTerms))), row(`${int(r.relevance.shipped.queryTerms)} (default)`, base, r.relevance.shipped.p5)],
        ),
      );
    }
    const far = sets.flatMap((set) => set.rtt);
    if (far.length)
      say(
        `**The same, a ${far[0].rttMs} ms round trip away**: the ${label(r, far[0].name)}'s sharded pages again, with Chromium adding ${far[0].rttMs} ms to every request (CDP \`Network.emulateNetworkConditions\`), over each protocol. Over HTTP/1.1 the browser makes six requests at a time; over HTTP/2 the shim's own cap${r.shimFetchCap ? ` (${r.shimFetchCap} at a time)` : ''} is the limit.`,
        table(
          ['Archive', 'Protocol', 'Pages', 'Requests', 'Widget bytes before the box', 'Index request → box', 'Slowest page'],
          far.map((set) => {
            const f = pageFigures(set);
            return [label(r, set.name), set.protocol === 'h2' ? 'HTTP/2' : 'HTTP/1.1', int(f.pages), int(f.requests), kb(f.bytes), ms(f.fromIndexMs), ms(f.slowestMs)];
          }),
        ),
      );
  }

  // Speed
  say('## Speed in the browser');
  const warm = r.firstBox.warm;
  say(
    table(
      ['What', 'Median', 'Runs'],
      [
        ['navigation start → box rendered, cold cache', ms(median(cold.map((b) => b.ms))), cold.map((b) => ms(b.ms)).join(', ')],
        [`navigation start → box rendered, warm cache (a second article in the same context: ${int(median(warm.map((w) => w.fromCache)))} of ${int(median(warm.map((w) => w.requests)))} requests from the cache, ${kb(median(warm.map((w) => w.bytes)))} transferred)`, ms(median(warm.map((w) => w.ms))), warm.map((w) => ms(w.ms)).join(', ')],
      ],
    ),
  );
  const E = r.engineRuns;
  const iso = Object.values(E).every((e) => e.crossOriginIsolated);
  say(
    `**The engine alone**, on a page that imports \`pkg/alike.js\` directly (fresh context each run, files gzipped from 127.0.0.1): \`init()\` (fetch, compile and instantiate the wasm), the index fetched and read as text, \`JSON.parse\`, \`new Engine(json)\`, then \`engine.recommend(article, {k: 5})\` for a spread of the archive's own articles (3 untimed first). The page is cross-origin isolated${iso ? '' : ' (it was NOT this run)'}, so \`performance.now()\` has 5 µs steps. Medians of ${Object.values(E)[0].runs} runs; per-query p95 is each run's p95, then the median.`,
    table(
      ['Archive', 'Instantiate wasm', 'Load index', 'Parse JSON', 'new Engine', 'Ready', 'Query median', 'Query p95', 'JS heap', 'wasm memory'],
      r.archives.map((a) => {
        const x = E[a.name].alike;
        return [label(r, a.name), ms(x.instantiateMs), ms(x.indexLoadMs), ms(x.parseMs), ms(x.engineMs), ms(x.readyMs), ms(x.query.median), ms(x.query.p95), mib(x.jsHeap), mib(x.wasmMemory)];
      }),
    ),
  );
  const nat = r.plan.natural;
  say(
    `**Peers in the same page, same queries, same run.** The minimal JS cosine decodes alike's own index (\`bench/lib/internals.mjs\`), weighs the query as the engine does (same tokenizer rules, Snowball English stemmer from npm \`snowball-stemmers\`, FNV-1a term hashes, the index's idf) and adds up scores through typed-array postings; it skips alike's feedback and same-story steps. natural's \`TfIdf\` gets every article with \`addDocument\` and scores each query's tokens against all of them with \`tfidfs\` (its documented use), on the first ${nat.queries} queries. Ratios are each run's median per-query time over alike's median on the same queries, then the median over runs. P@5 is on the page's query sample.`,
    table(
      ['Archive', 'Engine', 'Setup', 'Query median', 'Query p95', 'Slower than alike', 'P@5 (sample)', 'JS heap after'],
      r.archives.flatMap((a) => {
        const e = E[a.name];
        const rows = [
          [label(r, a.name), 'alike (wasm)', `${ms(e.alike.readyMs)} to ready`, ms(e.alike.query.median), ms(e.alike.query.p95), '1×', p(e.alike.relevance.p5), mib(e.alike.jsHeap)],
          ['', 'minimal JS cosine', `${ms(e.cosine.loadMs)} parse + decode`, ms(e.cosine.query.median), ms(e.cosine.query.p95), times(e.cosine.ratio), p(e.cosine.relevance.p5), mib(e.cosine.jsHeap)],
        ];
        if (e.natural) rows.push(['', `natural TfIdf (${e.natural.queries} queries)`, `${ms(e.natural.buildMs)} addDocument`, ms(e.natural.query.median), ms(e.natural.query.p95), times(e.natural.ratio), p(e.natural.relevance.p5), mib(e.natural.jsHeap)]);
        else rows.push(['', 'natural TfIdf', 'not run at this size', '–', '–', '–', '–', '–']);
        return rows;
      }),
    ),
  );
  say(
    "The JS heap column is the page's heap after each engine's stage, after a forced GC: alike's engine stays loaded through the later stages, the JS cosine's decoded index is dropped before natural's stage, and natural's TfIdf is kept until the heap is read.",
  );
  say(
    `**The sharded form in the same page**: the manifest fetched, parsed and loaded (\`new Engine(manifest)\`), a first query for one article (the engine asks for shards in steps: \`start\`, fetch what \`need\` lists, \`add\`, \`resume\`), then the first ${r.plan.queries.sharded} queries of the sample in turn, each fetching only the shards no earlier query loaded. Times include those fetches from 127.0.0.1.`,
    table(
      ['Archive', 'Manifest', 'First query', 'Shards for it', 'Then per query, median', 'p95', 'Shards fetched in all', 'P@5 (sample)'],
      r.archives.map((a) => {
        const x = E[a.name].sharded;
        return [label(r, a.name), ms(x.manifestMs), ms(x.firstQueryMs), `${int(x.firstFetched)} (${kb(x.firstBytes)} with the manifest)`, ms(x.query.median), ms(x.query.p95), `${int(x.fetched)} (${kb(x.allBytes)})`, p(x.relevance.p5)];
      }),
    ),
  );
  const mem = (key) => median(cold.map((b) => b.memory[key]));
  say(`**Memory after the box on the demo page**: JS heap ${mib(mem('jsHeap'))} (CDP \`Runtime.getHeapUsage\` after a forced GC), wasm memory ${mib(mem('wasm'))} (the engine's \`memory.buffer.byteLength\`).`);

  // Build
  say('## Build');
  const b = r.build;
  say(
    '`alike index` (release build) on label-free JSON Lines, timed around the process, peak memory from `/usr/bin/time -v`.',
    table(
      ['Corpus', 'Articles', 'Input', 'Time (median)', 'Articles/s', 'MB/s', 'Peak RSS', 'Runs'],
      [
        [label(r, 'corpus'), int(b.corpus.articles), mb(b.corpus.inputBytes), s(b.corpus.seconds), int(b.corpus.articlesPerSecond), b.corpus.mbPerSecond.toFixed(1), mib(b.corpus.maxRss), b.corpus.samples.map(s).join(', ')],
        [label(r, b.large.name), int(b.large.articles), mb(b.large.inputBytes), s(b.large.seconds), int(b.large.articlesPerSecond), b.large.mbPerSecond.toFixed(1), mib(b.large.maxRss), b.large.samples.map(s).join(', ')],
        ...(r.streamed || []).map((a) => [`${label(r, a.name)} (sharded)`, int(a.articles), mb(a.build.inputBytes), a.build.seconds < 120 ? s(a.build.seconds) : `${s(a.build.seconds)} (${minutes(a.build.seconds)})`, int(a.build.articlesPerSecond), a.build.mbPerSecond.toFixed(1), `${mib(a.build.maxRss)} (${gib(a.build.maxRss)})`, '1 run']),
      ],
    ),
    ...(r.streamed || []).map(
      (a) =>
        `${label(r, a.name)}: generated and written to disk as it was made in ${s(a.generateSeconds)} (${mb(a.build.inputBytes)} of JSON Lines, deleted once indexed), built once with \`alike index --layout sharded\` and every other setting the CLI's default${r.cliDefaults ? ` (past ${int(r.cliDefaults.largeArchive.articles)} articles, at most ${int(r.cliDefaults.largeArchive.postings)} postings per term)` : ''}: ${a.postings ? `its longest term has ${int(a.postings.longest)} postings; ` : ''}${int(a.sharded.files)} files, ${mb(a.sharded.raw)} raw, ${mb(a.sharded.gzip)} gzipped file by file; the manifest alone ${kb(a.sharded.manifest.gzip)} gzipped (${kb(a.sharded.manifest.raw)} raw). The machine has ${r.machine.ramGiB.toFixed(1)} GiB of RAM and ${r.machine.cores} cores.`,
    ),
  );

  if (r.churn)
    say(
      `**New articles added to a sharded archive** (issue 6): \`alike index --layout sharded\` without the last ${r.plan.dayShare ? `${r.plan.dayShare * 100}% of the archive's articles` : `${int(r.plan.day)} articles`}, then again with all of them into the same folder; files compared byte for byte. Changed and added files are what a deploy uploads and what readers' caches must fetch again (bytes: each file gzipped on its own, as the server sends it); the index itself is the files of the same articles built afresh into an empty folder, and whatever else the folder holds afterwards is left behind by the rebuild (old shard versions, kept for readers whose cached manifest still names them).`,
      table(
        ['Archive', 'New articles', 'Index files', 'Changed', 'Added', 'Rewritten files', 'Rewritten bytes (gzip)', 'Of the index\'s bytes', 'Removed', 'Left behind'],
        r.churn.map((c) => [
          label(r, c.name),
          int(c.day),
          int(c.needed),
          int(c.changed),
          int(c.added),
          `${(((c.changed + c.added) / c.needed) * 100).toFixed(0)}%`,
          c.rewrittenBytes == null ? '–' : kb(c.rewrittenBytes),
          c.rewrittenBytes == null ? '–' : `${((c.rewrittenBytes / c.neededBytes) * 100).toFixed(0)}%`,
          int(c.removed),
          int(c.files - c.needed),
        ]),
      ),
    );

  say('## How the synthetic archives are made');
  say(
    `\`bench/lib/corpus.mjs\`, seeded (mulberry32), so every run makes the same ones: each article takes a real article's first paragraph and headline, then as many paragraphs as a random article of the same label has, each from a random article of that label. Vocabulary and paragraph lengths stay the corpus's; the label is every paragraph's source label, so P@5 keeps its meaning. Being made of ${int(r.corpus.articles)} articles' paragraphs, they repeat text far more than a real archive and have a smaller vocabulary: they measure speed and size at scale, not relevance.`,
  );

  say('## What is not measured');
  const missing = [
    ...((r.streamed || []).some((a) => a.articles >= 1e6)
      ? []
      : [r.mode === 'quick' ? 'Archives of 1,000,000 articles (quick mode: a small streamed archive takes their code path).' : 'Archives of 1,000,000 articles (this run left them out: `--no-million` or `--sizes`).']),
    ...(r.streamed || []).map((a) => `${label(r, a.name)} as a single file, and on the engine page: ${notBuiltReason(r, a)}`),
    "Pagefind's relevance: it is a search engine for typed queries, not a related-articles engine; only its bytes and build time are compared.",
    'Brotli in the browser: the server sends gzip only, as the budgets are stated in gzip; the brotli column above is file sizes.',
  ];
  if (!r.sklearn) missing.push('scikit-learn (no bench/.venv in this run).');
  const noNatural = r.archives.filter((a) => !a.natural);
  if (noNatural.length)
    missing.push(
      `natural's TfIdf on ${noNatural.map((a) => label(r, a.name)).join(', ')}: it holds every article as a JS object of word counts and scans all of them for each query (${ms(r.engineRuns[r.archives.filter((a) => a.natural).at(-1).name].natural.query.median)} a query at ${int(r.archives.filter((a) => a.natural).at(-1).articles)} articles already), so the run stops at ${int(r.plan.natural.maxArticles)} articles.`,
    );
  say(...missing.map((m) => `- ${m}`));
  say(`Regenerate with \`bench/run\` (\`--corpus FILE\`, \`--runs N\`, \`--out DIR\`; \`bench/run --help\` says more; \`--quick\` writes to \`bench/out/quick/\` and leaves this file alone). Raw numbers of this run: \`${r.outDir}/results.json\`.`);
  return { markdown: out.join('\n'), svg: chart(r), boxSvg: pageSets(r).length ? boxChart(r) : null };
}
