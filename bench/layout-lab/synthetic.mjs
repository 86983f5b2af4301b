// Writes the bench's synthetic archive of COUNT articles as JSON Lines with
// their labels (url, title, body, label), from the BBC corpus, with the
// very generator `bench/run` uses (bench/lib/corpus.mjs), so that the lab's
// 20k and 100k are the bench's 20k and 100k.
//   node synthetic.mjs CORPUS.jsonl COUNT OUT.jsonl
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';

import { labelled, syntheticArticles } from '../lib/corpus.mjs';

const [corpusFile, countText, out] = process.argv.slice(2);
if (!corpusFile || !countText || !out) {
  console.error('usage: node synthetic.mjs CORPUS.jsonl COUNT OUT.jsonl');
  process.exit(2);
}
const records = labelled(readFileSync(corpusFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)));
const fd = openSync(out, 'w');
let block = '';
for (const a of syntheticArticles(records, Number(countText))) {
  block += JSON.stringify({ url: a.url, title: a.title, body: a.body, label: a.label }) + '\n';
  if (block.length > 1 << 22) {
    writeSync(fd, block);
    block = '';
  }
}
writeSync(fd, block);
closeSync(fd);
