// Types of the widget's JavaScript API (www/README.md, "JavaScript API").

/** An article to find related articles for. */
export interface Article {
  url: string;
  title: string;
  body: string;
  /** ISO 8601 date, such as `2005-03-01`. */
  date?: string;
  section?: string;
}

/** One related article, best first. `score` is 0 for a list the index stored. */
export interface Result {
  url: string;
  title: string;
  score: number;
  date?: string;
  section?: string;
  image?: string;
  snippet?: string;
}

/** The options, named as the script tag's `data-*` attributes, in camelCase. */
export interface Options {
  /** The index `alike index` wrote; relative URLs are relative to the page. */
  index?: string;
  /** The engine's glue (`pkg/alike.js` from this package, served by your site). */
  engine?: string;
  count?: number;
  heading?: string;
  /** An element or a selector (`mount`), as `data-article`. */
  article?: string | Article;
  images?: boolean;
  imageOrigins?: string;
  snippet?: boolean;
  layout?: 'list' | 'cards';
  theme?: 'auto' | 'light' | 'dark';
  maxAgeDays?: number;
  halfLifeDays?: number;
  sectionBoost?: number;
  loading?: 'lazy' | 'eager';
  prerendered?: 'keep' | 'replace';
  /** Outline the element(s) read and log what was read and left out (`data-debug`). */
  debug?: boolean;
  /** URLs never to recommend (`recommend` only). */
  exclude?: string[];
}

/** The related articles of `article` (the page's own when null); rejects with an Error that has a `reason`. */
export function recommend(article: Article | null, options?: Options): Promise<Result[]>;

/** Draws the box at the end of `element`; resolves to what it shows, or to [] after one console warning. */
export function mount(element: Element, options?: Options): Promise<Result[]>;

/** What the widget reads from the page, by the engine's rules (it loads the engine, not the index). */
export function readArticle(selector?: string, options?: Options): Promise<{ article: Article; element: Element | undefined; exclude: string[] }>;

/** The defaults of every option. */
export const DEFAULTS: Readonly<Required<Omit<Options, 'article' | 'exclude'>>>;
