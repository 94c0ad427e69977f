// Builds web/build/leaflet.js and web/build/leaflet.css (`make build` runs it when its inputs
// change): Leaflet as the map uses it, instead of the full dist files the rider would otherwise
// download. Run from the repository root, after `npm ci`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const out = 'web/build';
const dist = 'node_modules/leaflet/dist';
mkdirSync(out, { recursive: true });

// Leaflet is BSD-2-Clause: its notice opens our build as it opens its own.
const notice = readFileSync(`${dist}/leaflet.js`, 'utf8').match(/^\/\* @preserve[\s\S]*?\*\//);
if (!notice) throw new Error(`no licence notice at the top of ${dist}/leaflet.js`);

// Leaflet's getRenderer falls back to its SVG renderer when canvas is not preferred. The map
// prefers canvas and hands every circle its own, so that fallback (1 KB brotli) never runs.
const canvasOnly = {
  name: 'canvas-only',
  setup(b) {
    b.onResolve({ filter: /^\.\/SVG$/ }, (args) =>
      args.importer.endsWith('Renderer.getRenderer.js') ? { path: 'svg', namespace: 'canvas-only' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'canvas-only' }, () => ({ contents: 'export function svg() { return null; }' }));
  },
};

await build({
  entryPoints: ['web/leaflet.js'],
  outfile: `${out}/leaflet.js`,
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'L',
  target: 'es2017',
  banner: { js: notice[0] },
  plugins: [canvasOnly],
  logLevel: 'warning',
});

// leaflet.css less the rules for what web/leaflet.js leaves out; without the marker and
// layers-control rules nothing refers to Leaflet's images any more. The file is flat rules and
// one @media block; anything else stops the build rather than being cut wrongly.
const unused = new RegExp([
  'marker-icon', 'marker-shadow', 'marker-draggable', '(marker|shadow)-pane img', 'default-icon-path', 'div-icon',
  '\\bsvg\\b', 'vml', 'image-layer', 'control-layers', 'control-scale', 'zoom-box', 'crosshair',
  'oldie', // Internet Explorer 8 and older
].join('|'));
const css = readFileSync(`${dist}/leaflet.css`, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
let kept = '';
let end = 0;
for (const m of css.matchAll(/([^{}@]+)\{([^{}]*)\}|(@media[^{}]+)\{|\}/g)) {
  if (css.slice(end, m.index).trim()) throw new Error(`leaflet.css: cannot read "${css.slice(end, m.index).trim()}"`);
  end = m.index + m[0].length;
  if (m[3] || !m[1]) {
    kept += m[3] ? `${m[3].trim()} {\n` : '}\n';
    continue;
  }
  const selectors = m[1].split(',').map((s) => s.trim()).filter((s) => !unused.test(s));
  if (selectors.length) kept += `${selectors.join(', ')} {${m[2].trim().replace(/\s+/g, ' ')}}\n`;
}
if (css.slice(end).trim()) throw new Error('leaflet.css: unread text at the end');
if (kept.includes('url(')) throw new Error('leaflet.css: a kept rule still refers to a file');
writeFileSync(`${out}/leaflet.css`, kept);
