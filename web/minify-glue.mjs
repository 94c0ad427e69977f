// Minifies the JavaScript glue wasm-bindgen writes for each bundle (`make build` runs it after
// Trunk). Trunk's own minifier gives up on the glue's `export default` and ships it as written;
// minified it is about 1.8 KB brotli smaller on every bundle's first view. The page names the
// file with a subresource-integrity hash, so that hash is rewritten to match.
// Usage: node web/minify-glue.mjs dist dist/station-app …
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

for (const dir of process.argv.slice(2)) {
  const page = `${dir}/index.html`;
  let html = readFileSync(page, 'utf8');
  // The glue sits beside its wasm: `name-hash.js` next to `name-hash_bg.wasm`.
  const files = readdirSync(dir);
  const glue = files.filter((f) => f.endsWith('.js') && files.includes(f.replace(/\.js$/, '_bg.wasm')));
  if (glue.length !== 1) throw new Error(`${dir}: expected one wasm-bindgen glue file, found ${glue.length}`);
  const path = `${dir}/${glue[0]}`;
  const before = readFileSync(path);
  if (!html.includes(sri(before))) throw new Error(`${page} does not name ${glue[0]} by its hash`);
  const { code } = transformSync(before.toString('utf8'), { minify: true, format: 'esm', target: 'es2020' });
  writeFileSync(path, code);
  html = html.replace(sri(before), sri(Buffer.from(code)));
  writeFileSync(page, html);
  console.log(`${path}: ${before.length} → ${code.length} bytes`);
}
