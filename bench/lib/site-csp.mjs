// A saved page's own Content-Security-Policy as a site that installed alike
// has it: README's "Content Security Policy" asks for 'wasm-unsafe-eval' in
// script-src (the engine is WebAssembly). The reader bench serves real
// pages with the widget added, as their owner would; a page whose policy
// would refuse the wasm gets the one keyword, and nothing else changes.

const META = /<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>/gi;
// Quoted either way; a policy's own keywords are in single quotes.
const CONTENT = /(\bcontent\s*=\s*)(?:"([^"]*)"|'([^']*)')/i;
const ALLOWS = /'(?:wasm-)?unsafe-eval'/i;

// One policy's text with 'wasm-unsafe-eval' added where scripts are ruled:
// script-src, else default-src (its fallback); neither rules them, or one
// already allows eval: unchanged.
export function allowWasm(policy) {
  const directives = policy.split(';');
  const named = (name) => directives.findIndex((d) => d.trim().split(/\s+/)[0]?.toLowerCase() === name);
  const at = named('script-src') >= 0 ? named('script-src') : named('default-src');
  if (at < 0 || ALLOWS.test(directives[at])) return policy;
  directives[at] = `${directives[at].trimEnd()} 'wasm-unsafe-eval'`;
  return directives.join(';');
}

// The page (bytes) with each <meta http-equiv="Content-Security-Policy">
// allowing the wasm. Read as latin1 so that any encoding's bytes survive.
export function withWasmAllowed(body) {
  const html = Buffer.from(body).toString('latin1');
  const changed = html.replace(META, (meta) =>
    meta.replace(CONTENT, (_, name, double, single) =>
      double !== undefined ? `${name}"${allowWasm(double)}"` : `${name}'${allowWasm(single)}'`,
    ),
  );
  return changed === html ? body : Buffer.from(changed, 'latin1');
}
