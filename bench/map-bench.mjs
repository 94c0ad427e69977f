// Map benchmark in headless Chromium (playwright-core, Debian's /usr/bin/chromium):
// Yizhan (server clustering, per-viewport loading) against supercluster and against
// Leaflet.markercluster (client clustering of every point), on the SAME points.
//
//   node bench/map-bench.mjs --base http://127.0.0.1:PORT [--runs 3] [--lat 39.904 --lng 116.407 --zoom 11]
//
// Needs a running Yizhan server at --base (`make bench` starts one seeded with 100k stations).
// The comparison pages get that server's stations from /api/v1/stations.geojson, cut down to
// point + id, and served by a static file server started here.
//
// Measured for each contender, per run, in the page's own clock (performance.now()):
//   dataToMarkers  from the data response arriving to the first frame after the markers are in
//                  the DOM (Yizhan: the /api/v1/stations?bbox= response; others: the GeoJSON)
//   longestTask    the longest main-thread task (PerformanceObserver 'longtask', so >= 50 ms
//                  are seen; 0 means none) while the map is dragged 10 times
//   maxFrameGap    the longest gap between animation frames over the same drags
// Results: bench/out/map-bench.json, and a table of medians on stdout.

import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, 'out');
fs.mkdirSync(outDir, { recursive: true });

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const base = (args.base || process.env.YIZHAN_BENCH_BASE || 'http://127.0.0.1:8080').replace(/\/$/, '');
const runs = Number(args.runs || 3);
const view = { lat: Number(args.lat || 39.904), lng: Number(args.lng || 116.407), zoom: Number(args.zoom || 11) };
const PANS = 10;
const SETTLE_MS = Number(args.settle || 1500);

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

// ---- the same points for every contender ---------------------------------------------------
async function preparePoints() {
  const t = Date.now();
  const res = await fetch(`${base}/api/v1/stations.geojson`);
  if (!res.ok) throw new Error(`GET stations.geojson: ${res.status}`);
  const fc = await res.json();
  const features = fc.features.map((f) => ({
    type: 'Feature',
    geometry: { type: 'Point', coordinates: f.geometry.coordinates },
    properties: { id: f.id },
  }));
  const body = JSON.stringify({ type: 'FeatureCollection', features });
  fs.writeFileSync(path.join(outDir, 'points.geojson'), body);
  console.error(`points: ${features.length} from ${base} (${(body.length / 1e6).toFixed(1)} MB as served to the comparison pages, ${Date.now() - t} ms)`);
  return features.length;
}

// ---- static server for compare.html --------------------------------------------------------
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png',
                '.geojson': 'application/geo+json', '.json': 'application/json' };
function staticServer() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const file = path.normalize(path.join(here, decodeURIComponent(url.pathname)));
    if (!file.startsWith(here + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---- in-page instrumentation ---------------------------------------------------------------
function instrument() {
  const b = (window.__bench = window.__bench || {});
  b.longtasks = [];
  b.markersAt = []; // [mutation time, first frame after it]
  const afterPaint = (f) => requestAnimationFrame(() => setTimeout(f, 0));
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { b.longtaskError = String(e); }
  const isMarker = (n) => n.nodeType === 1 &&
    (n.matches('.cluster-count, .marker-cluster') || n.querySelector('.cluster-count, .marker-cluster'));
  new MutationObserver((records) => {
    if (!records.some((r) => Array.from(r.addedNodes).some(isMarker))) return;
    const at = performance.now();
    afterPaint(() => b.markersAt.push([at, performance.now()]));
  }).observe(document, { childList: true, subtree: true });
  // Frame gaps, only while b.frames is on.
  b.maxGap = 0;
  let last = 0;
  const tick = (t) => {
    if (b.frames) {
      if (last) b.maxGap = Math.max(b.maxGap, t - last);
      last = t;
    } else {
      last = 0;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

async function drag(page, box, dx, dy) {
  const x = box.x + box.width / 2, y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 12 });
  await page.mouse.up();
}

// Up, right, down, left... so the view stays over the city.
const PAN_STEPS = [[0, 160], [-140, 0], [0, -160], [140, 0], [100, 100], [-100, -100], [0, 200], [0, -200], [-120, 60], [120, -60]];

async function measure(browser, name, url, mapSelector, dataArrival) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.addInitScript(instrument);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  // Wait for markers drawn after the data arrived.
  await page.waitForFunction(dataArrival.ready, null, { timeout: 180_000, polling: 100 });
  const first = await page.evaluate(dataArrival.first);
  await page.waitForTimeout(SETTLE_MS);
  const box = await page.locator(mapSelector).boundingBox();
  const panStart = await page.evaluate(() => { window.__bench.frames = true; return performance.now(); });
  for (const [dx, dy] of PAN_STEPS.slice(0, PANS)) {
    await drag(page, box, dx, dy);
    await page.waitForTimeout(SETTLE_MS);
  }
  const pan = await page.evaluate((t0) => {
    const b = window.__bench;
    b.frames = false;
    const during = b.longtasks.filter(([s]) => s >= t0);
    // Proof that the drags moved the map: Yizhan fetches per viewport, the others count moveend.
    const fetches = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/stations?bbox=') && e.startTime >= t0).length;
    return {
      moved: b.moves !== undefined ? b.moves : fetches,
      panTasks: during.map(([, d]) => Math.round(d)),
      longestTask: during.reduce((m, [, d]) => Math.max(m, d), 0),
      longTasks: during.length,
      maxFrameGap: b.maxGap,
      longtaskError: b.longtaskError,
    };
  }, panStart);
  await context.close();
  const result = { name, ...first, ...pan, errors };
  console.error(`  ${name.padEnd(14)} data→markers ${fmt(result.dataToMarkers)} ms  longest pan task ${fmt(result.longestTask)} ms  max frame gap ${fmt(result.maxFrameGap)} ms  moves ${result.moved}${errors.length ? `  errors: ${errors.join('; ')}` : ''}`);
  return result;
}

// Yizhan: data arrival = responseEnd of the first /api/v1/stations?bbox= request.
const yizhanArrival = {
  ready: () => {
    const b = window.__bench;
    const r = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/stations?bbox='));
    return r && r.responseEnd > 0 && b.markersAt.some(([m]) => m >= r.responseEnd);
  },
  first: () => {
    const b = window.__bench;
    const r = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/v1/stations?bbox='));
    const [, drawn] = b.markersAt.find(([m]) => m >= r.responseEnd);
    return {
      dataToMarkers: drawn - r.responseEnd,
      responseBytes: r.encodedBodySize,
      clusters: document.querySelectorAll('.cluster-count').length,
      loadLongestTask: b.longtasks.filter(([s, d]) => s + d >= r.responseEnd && s <= drawn).reduce((m, [, d]) => Math.max(m, d), 0),
    };
  },
};

// Comparison pages set their own marks.
const pageArrival = {
  ready: () => window.__bench && (window.__bench.drawnAt > 0 || window.__bench.error),
  first: () => {
    const b = window.__bench;
    if (b.error) throw new Error(b.error);
    return {
      dataToMarkers: b.drawnAt - b.responseAt,
      parse: b.parsedAt - b.responseAt,
      indexAndDraw: b.drawnAt - b.parsedAt,
      points: b.points,
      clusters: document.querySelectorAll('.cluster-count, .marker-cluster').length,
      loadLongestTask: b.longtasks.filter(([s, d]) => s + d >= b.responseAt && s <= b.drawnAt).reduce((m, [, d]) => Math.max(m, d), 0),
    };
  },
};

const fmt = (v) => (v === undefined || v === null || Number.isNaN(v) ? '-' : Math.round(v).toString());
const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const points = await preparePoints();
  const server = await staticServer();
  const compareBase = `http://127.0.0.1:${server.address().port}`;
  const q = `lat=${view.lat}&lng=${view.lng}&zoom=${view.zoom}`;
  const contenders = [
    ['yizhan', `${base}/?${q}`, '.map', yizhanArrival],
    ['supercluster', `${compareBase}/compare.html?mode=supercluster&${q}`, '#map', pageArrival],
    ['markercluster', `${compareBase}/compare.html?mode=markercluster&${q}`, '#map', pageArrival],
  ];
  const all = [];
  try {
    for (let run = 1; run <= runs; run++) {
      console.error(`run ${run}/${runs}`);
      // A fresh browser per run; contenders in the same browser, one fresh context each.
      const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
      try {
        for (const [name, url, sel, arrival] of contenders) {
          all.push({ run, ...(await measure(browser, name, url, sel, arrival)) });
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    server.close();
  }
  const summary = {};
  for (const [name] of contenders) {
    const rs = all.filter((r) => r.name === name);
    summary[name] = Object.fromEntries(
      ['dataToMarkers', 'parse', 'indexAndDraw', 'loadLongestTask', 'longestTask', 'longTasks', 'maxFrameGap', 'clusters', 'moved']
        .map((k) => [k, median(rs.map((r) => r[k]))])
        .filter(([, v]) => !Number.isNaN(v)),
    );
  }
  const report = { when: new Date().toISOString(), base, points, view, viewport: '360x640 @2x', runs, pans: PANS, summary, all };
  fs.writeFileSync(path.join(outDir, 'map-bench.json'), JSON.stringify(report, null, 2));
  console.log(`\nmap benchmark: ${points} points, ${view.lat},${view.lng} zoom ${view.zoom}, 360x640, ${PANS} drags, median of ${runs} runs (ms)`);
  console.log(`${'contender'.padEnd(14)} ${'data→markers'.padStart(13)} ${'(parse)'.padStart(8)} ${'(index+draw)'.padStart(13)} ${'load task'.padStart(10)} ${'longest pan task'.padStart(17)} ${'max frame gap'.padStart(14)}`);
  for (const [name, s] of Object.entries(summary)) {
    console.log(`${name.padEnd(14)} ${fmt(s.dataToMarkers).padStart(13)} ${fmt(s.parse).padStart(8)} ${fmt(s.indexAndDraw).padStart(13)} ${fmt(s.loadLongestTask).padStart(10)} ${fmt(s.longestTask).padStart(17)} ${fmt(s.maxFrameGap).padStart(14)}`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
