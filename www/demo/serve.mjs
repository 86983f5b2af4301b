#!/usr/bin/env node
// Serves the demo site on 127.0.0.1 with sirv (a maintained static server
// that sends .wasm as application/wasm). /csp.html gets the strict
// Content-Security-Policy as a header too, besides its <meta> tag.
//
//   node www/demo/serve.mjs [DIR] [--port 8080]

import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import sirv from 'sirv';

import { STRICT_CSP } from './templates.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Starts a server over `root`; resolves to `{ url, close }`. Port 0 picks a free one. */
export function serve({ root = join(HERE, 'site'), port = 0, host = '127.0.0.1', quiet = true } = {}) {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`no demo site in ${root}; run \`npm run demo:build\` first`);
  }
  const files = sirv(root, {
    etag: true,
    setHeaders(res, pathname) {
      if (pathname === '/csp.html') res.setHeader('Content-Security-Policy', STRICT_CSP);
    },
  });
  const server = createServer((req, res) => {
    if (!quiet) res.on('finish', () => console.log(`${res.statusCode} ${req.method} ${req.url}`));
    files(req, res, () => {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Not found\n');
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const url = `http://${host}:${server.address().port}`;
      resolvePromise({ url, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: 'string', default: '8080' } } });
  try {
    const { url } = await serve({ root: resolve(positionals[0] || join(HERE, 'site')), port: Number(values.port), quiet: false });
    console.log(`demo site on ${url}/ (Ctrl-C stops it)`);
  } catch (error) {
    console.error(`demo: ${error.message}`);
    process.exit(1);
  }
}
