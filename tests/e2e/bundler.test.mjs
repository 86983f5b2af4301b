// For bundlers (issue 13): `npm pack` of the widget's folder (www/dist/, the
// files `alike index` writes) gives a package with the shim, the engine and
// its types; installed into a scratch project, `import { mount } from
// 'alike-related'` bundles with esbuild, and the bundle draws a box.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { box, open, ROOT, SAMPLED, SCRIPT_TAG, settle, SITE, start } from './helpers.mjs';

let env;
let scratch;
before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'alike-bundler-'));
});
after(async () => {
  await env?.close();
  rmSync(scratch, { recursive: true, force: true });
});

test('the package carries the shim, the engine and types, at the crate\'s version', () => {
  const npm = (...args) => execFileSync('npm', args, { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  npm('pack', join(ROOT, 'www/dist'), '--pack-destination', scratch, '--silent');
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  const project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(scratch, tarball)], { cwd: project, stdio: 'ignore' });
  const installed = join(project, 'node_modules/alike-related');
  for (const file of ['api.js', 'alike.js', 'engine-path.js', 'alike.d.ts', 'pkg/alike.js', 'pkg/alike_bg.wasm', 'all-languages/alike_bg.wasm', 'package.json']) {
    assert.ok(readFileSync(join(installed, file)).length > 0, `${file} is in the package`);
  }
  // The engine with every stemmer, for indexes in other languages, is another build.
  assert.notDeepEqual(readFileSync(join(installed, 'all-languages/alike_bg.wasm')), readFileSync(join(installed, 'pkg/alike_bg.wasm')));
  const version = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8').match(/^version = "(.+)"/m)[1];
  assert.equal(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version, version, 'the package and the CLI are one version');
  const types = readFileSync(join(installed, 'alike.d.ts'), 'utf8');
  for (const name of ['mount', 'recommend', 'readArticle', 'DEFAULTS']) assert.match(types, new RegExp(`export (function|const) ${name}\\b`));
});

test('a bundle that imports mount from the package draws a box', async () => {
  const project = join(scratch, 'project');
  const site = join(scratch, 'site');
  // The demo site's index and one article page, whose script tag becomes the bundle.
  cpSync(SITE, site, { recursive: true });
  writeFileSync(
    join(project, 'main.js'),
    "import { mount } from 'alike-related';\n" +
      "mount(document.querySelector('#related'), { index: '/alike/index.json', engine: '/vendor/alike/pkg/alike.js' });\n",
  );
  execFileSync(join(ROOT, 'node_modules/.bin/esbuild'), ['main.js', '--bundle', '--format=esm', `--outfile=${join(site, 'bundle.js')}`, '--log-level=warning'], { cwd: project });
  cpSync(join(project, 'node_modules/alike-related/pkg'), join(site, 'vendor/alike/pkg'), { recursive: true });
  const article = SAMPLED[1];
  const page = join(site, article.url.replace(/^\//, ''));
  const html = readFileSync(page, 'utf8').replace(SCRIPT_TAG, '<div id="related" class="related"></div><script type="module" src="/bundle.js"></script>');
  writeFileSync(page, html);
  env = await start({ root: site });
  const log = await open(env, article.url);
  const state = await settle(log.page);
  assert.equal(state.errors.length, 0, JSON.stringify(state.errors));
  const shown = await box(log.page);
  assert.equal(shown.hosts, 1);
  assert.equal(shown.parent, 'related');
  assert.equal(shown.links.length, 5);
  assert.ok(log.requests.some((url) => url.endsWith('/vendor/alike/pkg/alike_bg.wasm')), 'the engine came from the package');
  assert.ok(!log.requests.some((url) => url.endsWith('/alike/alike.js')), 'not the script-tag shim');
  await log.page.close();
});
