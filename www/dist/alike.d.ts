// Types of the widget's JavaScript API (www/README.md, "JavaScript API").

/** An article to find related articles for. */
export interface Article {
  url: string;
  title: string;
  body: string;
  /** ISO 8601 date, such as `2005-03-01`. */
  date?: string;
  section?: string;
  /** A BCP 47 tag (`fr-CA`): the page's language, as `data-language`. */
  language?: string;
}

/** One related article, best first. `score`: from 0 to 1, the engine's similarity of the pair, whether the engine or a stored list answers (a list's, in hundredths, need not decrease; 0 in lists of older builds); 0 for a fallback. */
export interface Result {
  url: string;
  title: string;
  score: number;
  date?: string;
  section?: string;
  image?: string;
  snippet?: string;
  /** An editor's pick (`related` in the index's input): first, whatever its score. */
  pinned?: true;
  /** One of the newest articles of the page's section, not a match (`fallback: 'section'`); its score is 0. */
  fallback?: true;
  /** Why it came (`explain: true`): shared words with their part of the score, and the factors applied. */
  why?: { terms: [string, number][]; sectionBoost?: number; age?: [number, number] };
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
  /** 0 to 1: weaker matches are not shown (www/README.md, "Threshold"). */
  minScore?: number;
  /** Comma-separated sections never shown. */
  excludeSections?: string;
  /** Only articles published before the page's. */
  onlyOlder?: boolean;
  /** The page's language, a BCP 47 tag; '' = found from the page. */
  language?: string;
  /** 'any': articles in every language the index holds. */
  languages?: 'page' | 'any';
  /** Each result says why it came (`Result.why`), shown under its link. */
  explain?: boolean;
  /** 'section': with no match, the newest articles of the page's section, under `fallbackHeading`. */
  fallback?: 'none' | 'section';
  /** The heading of a fallback box; `{section}` is the section's name. */
  fallbackHeading?: string;
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
