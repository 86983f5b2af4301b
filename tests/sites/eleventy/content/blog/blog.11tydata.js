// Every post: the post layout, and the address /YYYY/MM/slug/.
export default {
  layout: 'layouts/post.njk',
  permalink: (data) => {
    const date = data.page.date;
    const month = String(date.getUTCMonth() + 1).padStart(2, '0');
    return `/${date.getUTCFullYear()}/${month}/${data.page.fileSlug}/`;
  },
};
