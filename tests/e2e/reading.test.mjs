// How the widget reads pages unlike the demo's: JSON-LD in an @graph with
// the text in articleBody, and a page with only Open Graph tags and a <main>
// full of furniture in another language.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { box, byUrl, cliQuery, open, paths, scriptTag, settle, start } from './helpers.mjs';

let env;
before(async () => (env = await start()));
after(() => env?.close());

const esc = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const normalise = (text) => text.replace(/\s+/g, ' ').trim();
const page = (path, html) => ({ routes: [[`**${path}`, (route) => route.fulfill({ contentType: 'text/html', body: html })]] });

test('JSON-LD in an @graph: headline, articleBody, date, section and url are used; the box goes in [data-alike]', async () => {
  const article = byUrl.get('/politics/010.html');
  const graph = {
    '@context': 'https://schema.org',
    '@graph': [
      { '@type': 'WebSite', name: 'Elsewhere' },
      { '@type': ['ReportageNewsArticle'], headline: article.title, articleBody: article.body, datePublished: article.date, articleSection: [article.section], url: `https://elsewhere.example${article.url}` },
    ],
  };
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Elsewhere</title><link rel="icon" href="/favicon.svg">
<script type="application/ld+json">{ not json</script>
<script type="application/ld+json">${JSON.stringify(graph).replace(/</g, '\\u003c')}</script></head>
<body><div class="app"><p>${esc(article.title)}</p><div data-alike></div></div>${scriptTag({ index: '/alike/index.json' })}</body></html>`;
  const log = await open(env, '/e2e/graph.html', page('/e2e/graph.html', html));
  await settle(log.page);
  const read = await log.page.evaluate(async () => (await import('/alike/alike.js')).readArticle());
  assert.equal(read.article.title, article.title);
  assert.equal(read.article.body, article.body);
  assert.equal(read.article.date, article.date);
  assert.equal(read.article.section, article.section);
  assert.equal(read.article.url, `https://elsewhere.example${article.url}`);
  const shown = await box(log.page);
  assert.deepEqual(paths(shown.links), cliQuery([article]).get(article.url), 'its own url (on another host) is left out too');
  assert.deepEqual(log.console, []);
  await log.page.close();
});

test('Open Graph tags and a <main> with German furniture: the text is the article alone', async () => {
  const article = byUrl.get('/tech/020.html');
  const [first, ...rest] = article.body.split('\n\n');
  const html = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${esc(article.title)} | Nachrichten</title>
<link rel="icon" href="/favicon.svg">
<meta property="og:title" content="${esc(article.title)}"><meta property="og:url" content="${article.url}">
<meta property="article:published_time" content="${article.date}T08:00:00+01:00"><meta property="article:section" content="${article.section}"></head>
<body>
<div role="navigation"><a href="/">Startseite</a> <a href="/tech">Technik</a></div>
<main>
  <h1>${esc(article.title)}</h1>
  <div class="teilen"><a href="#">Teilen</a> <a href="#">Twittern</a> <a href="#">E-Mail</a></div>
  <p>${esc(first)}</p>
  <p><b>Lesen Sie auch:</b> <a href="/tech/001.html">${esc(byUrl.get('/tech/001.html').title)}</a></p>
  ${rest.map((p) => `<p>${esc(p)}</p>`).join('\n  ')}
  <ul><li><a href="/tech/002.html">${esc(byUrl.get('/tech/002.html').title)}</a></li><li><a href="/tech/003.html">${esc(byUrl.get('/tech/003.html').title)}</a></li></ul>
  <p>Quelle: <a href="https://example.org">dpa</a></p>
  <div id="comments-area"><p>Toller Artikel über Fußball und die Bundesliga am Wochenende!</p></div>
  <div hidden>Versteckter Text über Kochrezepte und Urlaub.</div>
</main>
${scriptTag({ index: '/alike/index.json' })}
</body></html>`;
  const log = await open(env, '/e2e/og.html', page('/e2e/og.html', html));
  await settle(log.page);
  const read = await log.page.evaluate(async () => (await import('/alike/alike.js')).readArticle());
  assert.equal(read.article.title, article.title);
  assert.equal(normalise(read.article.body), normalise(article.body));
  assert.equal(read.article.date, article.date);
  assert.equal(read.article.section, article.section);
  assert.equal(new URL(read.article.url).pathname, article.url);
  const shown = await box(log.page);
  assert.deepEqual(paths(shown.links), cliQuery([article]).get(article.url));
  assert.equal(shown.previous, 'main', 'the box follows the element the article was read from');
  assert.deepEqual(log.console, []);
  await log.page.close();
});
