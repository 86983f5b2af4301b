#!/usr/bin/env node
// Writes BBC-sample articles as a site generator's content: Markdown files
// with front matter (title, date, categories, tags), in the folder and under
// the file names the generator expects, so that each becomes the page
// /YYYY/MM/slug/ (the permalink settings are in each site's config).
//
//   node tests/sites/make-content.mjs hugo|jekyll|eleventy SITE_DIR [--count 42]
//
// The articles are every 8th line of data/bbc-sample/articles.jsonl (42
// articles over all five sections); tags come from a fixed list of words
// found in the title and text, so that tag listing pages exist.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLE = join(ROOT, 'data/bbc-sample/articles.jsonl');

/** Where each generator reads its posts from, relative to the site. */
export const CONTENT = { hugo: 'content/posts', jekyll: '_posts', eleventy: 'content/blog' };

const TAGS = ['economy', 'election', 'europe', 'china', 'film', 'music', 'mobile', 'internet', 'football', 'tennis', 'rugby', 'games', 'tax', 'oil'];

/** The sample articles this writes, with their slug, date, section and tags. */
export function posts({ count = 42, every = 8 } = {}) {
  const lines = readFileSync(SAMPLE, 'utf8').split('\n').filter((line) => line.trim());
  const chosen = lines
    .map((line) => JSON.parse(line))
    .filter((_, i) => i % every === 0)
    .slice(0, count);
  const slugs = new Set();
  return chosen.map((a) => {
    let slug = slugify(a.title);
    while (slugs.has(slug)) slug += '-2';
    slugs.add(slug);
    const words = new Set(`${a.title} ${a.body}`.toLowerCase().match(/[a-z]+/g));
    const tags = TAGS.filter((t) => words.has(t)).slice(0, 3);
    const [year, month, day] = a.date.split('-');
    return { ...a, slug, tags, year, month, day, path: `/${year}/${month}/${slug}/` };
  });
}

export function slugify(title) {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The article's text as Markdown: its paragraphs, with `<`, `&` and template delimiters made harmless. */
function markdown(body) {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\{([{%])/g, '{ $1'))
    .filter(Boolean)
    .join('\n\n');
}

// JSON strings are YAML strings too, so titles with colons and quotes stay whole.
const yaml = (value) => JSON.stringify(value);

function frontMatter(post, generator) {
  const lines = ['---'];
  // As `jekyll new`'s first post does: Jekyll gives posts no layout of their own.
  if (generator === 'jekyll') lines.push('layout: post');
  lines.push(`title: ${yaml(post.title)}`, `date: ${post.date}`);
  if (generator === 'eleventy') {
    // Eleventy's collections are tags: "posts" puts the page in the blog (as the starter blog does).
    lines.push(`section: ${yaml(post.section)}`, `tags: ${yaml(['posts', ...post.tags])}`);
  } else {
    lines.push(`categories: ${yaml([post.section])}`, `tags: ${yaml(post.tags)}`);
  }
  if (generator === 'hugo') lines.push(`slug: ${yaml(post.slug)}`);
  lines.push('---', '');
  return lines.join('\n');
}

/** Writes the posts into `site`; returns them. */
export function writeContent(generator, site, options) {
  if (!CONTENT[generator]) throw new Error(`unknown generator ${generator}: hugo, jekyll or eleventy`);
  const folder = join(site, CONTENT[generator]);
  mkdirSync(folder, { recursive: true });
  const written = posts(options);
  for (const post of written) {
    const name = generator === 'jekyll' ? `${post.date}-${post.slug}.md` : `${post.slug}.md`;
    writeFileSync(join(folder, name), frontMatter(post, generator) + markdown(post.body) + '\n');
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { count: { type: 'string', default: '42' } } });
  const [generator, site] = positionals;
  if (!generator || !site) {
    console.error('usage: node tests/sites/make-content.mjs hugo|jekyll|eleventy SITE_DIR [--count N]');
    process.exit(2);
  }
  const written = writeContent(generator, resolve(site), { count: Number(values.count) });
  console.log(`wrote ${written.length} posts into ${join(site, CONTENT[generator])}`);
}
