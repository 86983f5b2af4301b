// An Eleventy site laid out as the eleventy-base-blog starter: content/ in,
// _site/ out, Nunjucks layouts in _includes/layouts/, posts in content/blog/
// (tests/sites/make-content.mjs writes them) published at /YYYY/MM/slug/.
export default function (eleventyConfig) {
  // The caching rules for Netlify (_headers) and Apache (.htaccess), copied as they are.
  eleventyConfig.addPassthroughCopy('content/_headers');
  eleventyConfig.addPassthroughCopy('content/.htaccess');
  eleventyConfig.addFilter('readableDate', (date) =>
    new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(date),
  );
  eleventyConfig.addFilter('htmlDateString', (date) => date.toISOString().slice(0, 10));
  eleventyConfig.addFilter('min', (...numbers) => Math.min(...numbers));
  eleventyConfig.addFilter('head', (array, n) => (n < 0 ? array.slice(n) : array.slice(0, n)));
  // Every tag but the collections the site uses for itself.
  eleventyConfig.addFilter('filterTagList', (tags) => (tags || []).filter((tag) => !['all', 'posts'].includes(tag)));
  eleventyConfig.addCollection('tagList', (collections) => {
    const tags = new Set();
    for (const item of collections.getAll()) for (const tag of item.data.tags || []) tags.add(tag);
    return [...tags].filter((tag) => !['all', 'posts'].includes(tag)).sort();
  });
}

export const config = {
  templateFormats: ['md', 'njk', 'html'],
  markdownTemplateEngine: 'njk',
  htmlTemplateEngine: 'njk',
  dir: {
    input: 'content',
    includes: '../_includes',
    data: '../_data',
    output: '_site',
  },
};
