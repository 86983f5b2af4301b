// The "Reading article pages" section of BENCHMARKS.md, written by
// bench/reader.mjs from its own measurements, and kept as it is when
// bench/run rewrites the rest of the file.

const START = '<!-- reader:start (written by bench/reader.mjs; bench/run keeps it) -->';
const END = '<!-- reader:end -->';
/** The heading the section goes before when the file has none yet. */
const BEFORE = '## How the synthetic archives are made';

const f3 = (x) => x.toFixed(3);
// The whole set's figures to four places: the issue's bar is 0.95, and 0.94985 is not past it.
const f4 = (x) => x.toFixed(4);

/** The section's markdown, markers included. */
export function readerSection({ dir, pages, results, trafilaturaVersion, readabilityVersion, commit, date, reused = [] }) {
  const names = {
    cli: "alike's CLI (`alike inspect`, the reader `alike index` uses)",
    widget: "alike's widget (`readArticle()` in Chromium with the real wasm, page scripts off)",
    readability: `Readability.js ${readabilityVersion} with jsdom`,
    trafilatura: `trafilatura ${trafilaturaVersion}`,
  };
  const readers = Object.keys(names).filter((k) => results[k]);
  const rows = readers.map((k) => `| ${names[k]} | ${f4(results[k].f1)} | ${f4(results[k].precision)} | ${f4(results[k].recall)} | ${results[k].empty} of ${pages} |`);
  // Per source, when the set has several: F1 (empty pages) of each reader.
  const sources = Object.keys(results[readers[0]]?.sources || {});
  const short = { cli: 'CLI', widget: 'widget', readability: 'Readability.js', trafilatura: 'trafilatura' };
  const perSource = sources.length
    ? [
        '',
        'By source, F1 (pages with no text):',
        '',
        `| Source | Pages | ${readers.map((k) => short[k]).join(' | ')} |`,
        `| --- | ---: | ${readers.map(() => '---:').join(' | ')} |`,
        ...sources.map((s) => `| ${s} | ${results[readers[0]].sources[s].pages} | ${readers.map((k) => `${f3(results[k].sources[s].f1)} (${results[k].sources[s].empty})`).join(' | ')} |`),
      ]
    : [];
  const lines = [
    START,
    '## Reading article pages',
    '',
    `Token-shingle F1 (shingles of four words; Han, kana and Hangul characters count one each) of each reader's text against the expected text, averaged over ${pages} pages of ${dir}; precision and recall likewise; "no text" counts pages left empty. Measured ${date} at ${commit} by \`node bench/reader.mjs --devset DIR --report BENCHMARKS.md\`${reused.length ? ` (${reused.join(' and ')}: their texts of an earlier run on the same pages, scored again, \`--reuse\`)` : ''}.`,
    '',
    '| Reader | F1 | Precision | Recall | Pages with no text |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    ...perSource,
  ];
  if (results.agreement) {
    lines.push('', `The CLI and the widget: mean F1 of one's text against the other's ${f3(results.agreement.f1)}; ${results.agreement.same} of ${pages} pages token-identical.`);
  }
  if (results.widget?.guarded) {
    const guarded = results.widget.guarded;
    lines.push('', `The widget's no-article guard (no article markup or metadata, under 40 characters of text outside links: no index or engine fetched) shows no box on ${guarded.length} of ${pages} pages${guarded.length ? ` (${guarded.join(', ')})` : ''}; the text read from them is scored above all the same.`);
  }
  if (results.readability && /readability/i.test(dir)) {
    lines.push('', "The expected texts of Mozilla Readability's test pages are Readability's own output (its regression tests), so Readability.js is scored here against itself: its figure is a ceiling of agreement with Readability, not an independent measure.");
  }
  lines.push(END);
  return lines.join('\n');
}

/** `markdown` with its reader section replaced by `section` (or added). */
export function replaceReaderSection(markdown, section) {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start >= 0 && end > start) return markdown.slice(0, start) + section + markdown.slice(end + END.length);
  const at = markdown.indexOf(BEFORE);
  return at >= 0 ? `${markdown.slice(0, at)}${section}\n\n${markdown.slice(at)}` : `${markdown.trimEnd()}\n\n${section}\n`;
}

/** `fresh` with the reader section of `old` (a report bench/run is about to overwrite), if it had one. */
export function keepReaderSection(old, fresh) {
  const start = old.indexOf(START);
  const end = old.indexOf(END);
  return start >= 0 && end > start ? replaceReaderSection(fresh, old.slice(start, end + END.length)) : fresh;
}
