export default {
  title: 'BBC sample on Eleventy',
  url: 'https://example.org/',
  language: 'en',
  description: 'Forty-two stories from the BBC News sample, built with Eleventy and given a related-articles box by alike.',
  author: { name: 'The editor', email: 'editor@example.org' },
};
