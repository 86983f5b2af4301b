// The demo site's pages. Article pages carry what real news pages carry
// around the text (navigation, a share bar, "read more" links between
// paragraphs, a link list, a source line, tags, a comment box, a sidebar and
// a footer) so that the widget's article reading is tried on the real thing.
// Nothing inline: no style attributes, no inline scripts, so every page also
// works under the strict Content-Security-Policy.

export const SITE = 'Demo News';
/** The policy the strict page is served with, in a <meta> tag and (by serve.mjs) a header. */
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
// JSON inside <script type="application/ld+json"> must not be able to close the element.
const ldJson = (value) => JSON.stringify(value, null, 2).replace(/</g, '\\u003c');
const title = (section) => section[0].toUpperCase() + section.slice(1);
const longDate = (date) =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(date + 'T00:00:00Z'));

/** Words for the page chrome; the RTL page uses Arabic ones. */
export const ENGLISH = {
  lang: 'en',
  dir: 'ltr',
  home: 'Home',
  share: 'Share this story',
  shareOn: (site) => `Share on ${site}`,
  copy: 'Copy link',
  readMore: 'Read more:',
  moreOnStory: 'More on this story',
  source: 'Source:',
  topics: 'Related topics',
  comments: 'Comments',
  yourComment: 'Your comment',
  post: 'Post comment',
  mostRead: 'Most read',
  by: 'By the Demo News staff',
  footer: 'Demo News is a demonstration site. Articles from the BBC News dataset (D. Greene and P. Cunningham, ICML 2006); all rights in them belong to the BBC.',
  about: 'About this demo',
};

export const ARABIC = {
  ...ENGLISH,
  lang: 'ar',
  dir: 'rtl',
  home: 'الرئيسية',
  share: 'شارك هذه القصة',
  shareOn: (site) => `شارك على ${site}`,
  copy: 'انسخ الرابط',
  readMore: 'اقرأ المزيد:',
  moreOnStory: 'المزيد عن هذه القصة',
  source: 'المصدر:',
  topics: 'مواضيع ذات صلة',
  comments: 'التعليقات',
  yourComment: 'تعليقك',
  post: 'أرسل التعليق',
  mostRead: 'الأكثر قراءة',
  by: 'فريق الأخبار',
  about: 'عن هذا الموقع',
};

function head({ pageTitle, words, extra = '' }) {
  return `<!doctype html>
<html lang="${words.lang}" dir="${words.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${extra}<title>${esc(pageTitle)}</title>
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="/favicon.svg">
`;
}

function masthead(sections, words) {
  const links = sections.map((s) => `<li><a href="/#${s}">${esc(title(s))}</a></li>`).join('');
  return `<header class="masthead">
  <a class="logo" href="/">${SITE}</a>
  <nav aria-label="Sections"><ul><li><a href="/">${esc(words.home)}</a></li>${links}</ul></nav>
</header>`;
}

function footer(words) {
  return `<footer class="site-footer">
  <p>${esc(words.footer)}</p>
  <p><a href="/">${esc(words.home)}</a> · <a href="/#about">${esc(words.about)}</a></p>
</footer>`;
}

/**
 * One article page. `related` are other articles of the archive for the
 * page's link blocks; `comment` is a reader's comment, deliberately about
 * something else, so that reading it as article text would show.
 */
export function articlePage({ article, sections, related, comment, words = ENGLISH, script, csp = '', canonical = article.url, placeholder = false }) {
  const paragraphs = article.body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const para = (p) => `  <p>${esc(p)}</p>\n`;
  const [readMore, ...moreOnStory] = related;
  const shareSites = ['Facebook', 'X', 'WhatsApp', 'Email'];
  const absolute = `https://demo-news.example${article.url}`;
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    datePublished: `${article.date}T09:00:00+00:00`,
    articleSection: article.section,
    url: canonical,
    image: article.image,
    author: { '@type': 'Organization', name: SITE },
    publisher: { '@type': 'Organization', name: SITE },
  };
  const meta = `${csp ? `<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">\n` : ''}<link rel="canonical" href="${esc(canonical)}">
<meta name="description" content="${esc(paragraphs[0])}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="${SITE}">
<meta property="og:title" content="${esc(article.title)}">
<meta property="og:url" content="${esc(canonical)}">
<meta property="og:image" content="${esc(article.image)}">
<meta property="article:published_time" content="${article.date}T09:00:00+00:00">
<meta property="article:section" content="${esc(article.section)}">
<script type="application/ld+json">${ldJson(ld)}</script>
`;
  return `${head({ pageTitle: `${article.title} - ${SITE}`, words, extra: meta })}</head>
<body>
${masthead(sections, words)}
<main>
<article class="story">
  <header>
    <p class="kicker"><a href="/#${esc(article.section)}">${esc(title(article.section))}</a></p>
    <h1>${esc(article.title)}</h1>
    <p class="byline">${esc(words.by)} · <time datetime="${article.date}">${longDate(article.date)}</time></p>
  </header>
  <ul class="share" aria-label="${esc(words.share)}">
${shareSites.map((s) => `    <li><a href="https://share.example/?site=${s.toLowerCase()}&amp;u=${encodeURIComponent(absolute)}">${esc(words.shareOn(s))}</a></li>`).join('\n')}
    <li><button type="button">${esc(words.copy)}</button></li>
  </ul>
  <figure class="lead">
    <img src="${esc(article.image)}" alt="" width="640" height="360">
    <figcaption>${esc(title(article.section))} · ${SITE}</figcaption>
  </figure>
  <div class="story-body">
${paragraphs.slice(0, 1).map(para).join('')}  <p class="read-more"><strong>${esc(words.readMore)}</strong> <a href="${esc(readMore.url)}">${esc(readMore.title)}</a></p>
${paragraphs.slice(1, 2).map(para).join('')}  <div class="more-links">
    <h2>${esc(words.moreOnStory)}</h2>
    <ul>
${moreOnStory.map((r) => `      <li><a href="${esc(r.url)}">${esc(r.title)}</a></li>`).join('\n')}
    </ul>
  </div>
${paragraphs.slice(2).map(para).join('')}  <p class="source">${esc(words.source)} <a href="http://news.bbc.co.uk/">BBC</a></p>
  </div>
  <aside class="topics" aria-label="${esc(words.topics)}">
    <h2>${esc(words.topics)}</h2>
    <ul><li><a href="/#${esc(article.section)}">${esc(title(article.section))}</a></li></ul>
  </aside>
${placeholder ? '  <div data-alike></div>\n' : ''}  <section class="comments" id="comments" aria-labelledby="comments-heading">
    <h2 id="comments-heading">${esc(words.comments)} (1)</h2>
    <form action="#comments" method="post">
      <label for="comment-text">${esc(words.yourComment)}</label>
      <textarea id="comment-text" name="comment" rows="3"></textarea>
      <button type="submit">${esc(words.post)}</button>
    </form>
    <ol class="comment-list">
      <li><article class="comment"><p class="comment-author">reader_42</p><p>${esc(comment)}</p></article></li>
    </ol>
  </section>
</article>
${script}
</main>
<aside class="sidebar" aria-label="${esc(words.mostRead)}">
  <h2>${esc(words.mostRead)}</h2>
  <ol>
${related.map((r) => `    <li><a href="${esc(r.url)}">${esc(r.title)}</a></li>`).join('\n')}
  </ol>
</aside>
${footer(words)}
</body>
</html>
`;
}

/** The home page: every section with its articles, newest first. */
export function homePage({ bySection, sections, extras }) {
  const blocks = sections
    .map((s) => {
      const items = bySection[s]
        .map((a) => `      <li><a href="${esc(a.url)}">${esc(a.title)}</a> <time datetime="${a.date}">${longDate(a.date)}</time></li>`)
        .join('\n');
      return `  <section id="${s}" aria-labelledby="h-${s}">
    <h2 id="h-${s}">${esc(title(s))}</h2>
    <ul class="headlines">
${items}
    </ul>
  </section>`;
    })
    .join('\n');
  return `${head({ pageTitle: SITE, words: ENGLISH })}</head>
<body>
${masthead(sections, ENGLISH)}
<main class="home">
  <section id="about" class="intro">
    <h1>${SITE}</h1>
    <p>A demonstration of <strong>alike</strong>: every article page ends with a “Related articles” box computed in your browser from a static index, with no server, no cookies and no third-party requests.</p>
    <ul>
${extras.map((e) => `      <li><a href="${esc(e.url)}">${esc(e.label)}</a></li>`).join('\n')}
    </ul>
  </section>
${blocks}
</main>
${footer(ENGLISH)}
</body>
</html>
`;
}

/** A lead picture per section, as a file so that no page needs inline SVG or data: URLs. */
export function sectionImage(section, hue) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">
<rect width="640" height="360" fill="hsl(${hue} 55% 42%)"/>
<circle cx="520" cy="80" r="140" fill="hsl(${hue} 60% 55%)"/>
<text x="40" y="320" font-family="sans-serif" font-size="56" font-weight="700" fill="#fff">${esc(title(section))}</text>
</svg>
`;
}
