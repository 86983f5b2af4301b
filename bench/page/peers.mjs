// The browser bundle of the plain-JS peers (bench/run builds it with esbuild):
// natural's TfIdf with its own word tokenizer, and the minimal JS cosine over
// alike's own index with a Snowball English stemmer (the algorithm the engine
// stems with).
import snowball from 'snowball-stemmers';
import TfIdf from 'natural/lib/natural/tfidf/tfidf.js';
import { WordTokenizer } from 'natural/lib/natural/tokenizers/regexp_tokenizer.js';

import { decodeIndex, jsCosine } from '../lib/internals.mjs';

export { TfIdf, decodeIndex };

const english = snowball.newStemmer('english');
export const stem = (word) => english.stem(word);
export const cosine = (decoded) => jsCosine(decoded, stem);

/** natural's own tokenizing of a query, as `tfidfs` does it, done once per query rather than once per document. */
const words = new WordTokenizer();
export const naturalTerms = (text) => words.tokenize(text.toLowerCase());
