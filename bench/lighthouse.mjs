// Lighthouse 13 (npm), default mobile profile (Moto G Power, simulated slow 4G, 4x CPU), on `/` of a
// running Yizhan server, plus the first view's transfer in brotli.
//
//   node bench/lighthouse.mjs --base http://127.0.0.1:PORT [--runs 3]
//
// Reports: bench/out/lighthouse-N.json (Lighthouse's own), bench/out/lighthouse.json (summary).
// First-view transfer: every wasm, JS and CSS file and every /api/v1/stations request that
// Lighthouse saw loading `/`, each fetched again here with `Accept-Encoding: br` and counted on
// the wire (body bytes as sent, no headers). Lighthouse's own transferSize is given beside it.

import { execFileSync } from 'node:child_process';
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
const lighthouse = path.join(here, 'node_modules', '.bin', 'lighthouse');
const chromeFlags = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
].join(' ');

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function wireBytes(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'br' } }, (res) => {
      let n = 0;
      res.on('data', (c) => { n += c.length; });
      res.on('end', () => resolve({ bytes: n, encoding: res.headers['content-encoding'] || 'identity' }));
    }).on('error', reject);
  });
}

const isFirstView = (r) => /\.(wasm|js|css)(\?|$)/.test(new URL(r.url).pathname) || new URL(r.url).pathname === '/api/v1/stations';

async function main() {
  const results = [];
  for (let i = 1; i <= runs; i++) {
    const file = path.join(outDir, `lighthouse-${i}.json`);
    execFileSync(lighthouse, [
      `${base}/`, '--output=json', `--output-path=${file}`, '--quiet',
      '--only-categories=performance,accessibility,best-practices', `--chrome-flags=${chromeFlags}`,
    ], { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH || '/usr/bin/chromium' }, stdio: ['ignore', 'ignore', 'inherit'] });
    const lhr = JSON.parse(fs.readFileSync(file, 'utf8'));
    const score = (c) => Math.round((lhr.categories[c]?.score ?? NaN) * 100);
    const metric = (a) => lhr.audits[a]?.numericValue;
    const requests = lhr.audits['network-requests']?.details?.items ?? [];
    // Failed pass/fail audits, with the first few things each one names.
    const failed = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
      .map((a) => ({
        id: a.id,
        title: a.title,
        items: (a.details?.items ?? []).slice(0, 3).map((it) => it.description || it.node?.selector || it.scriptUrl || it.source?.url || ''),
      }));
    const r = {
      run: i,
      performance: score('performance'),
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      fcp: metric('first-contentful-paint'),
      lcp: metric('largest-contentful-paint'),
      tbt: metric('total-blocking-time'),
      cls: metric('cumulative-layout-shift'),
      si: metric('speed-index'),
      benchmarkIndex: lhr.environment?.benchmarkIndex,
      failedAudits: failed,
      runtimeError: lhr.runtimeError?.message,
      requests: requests.map((q) => ({ url: q.url, type: q.resourceType, transferSize: q.transferSize, resourceSize: q.resourceSize })),
    };
    console.error(`lighthouse ${i}/${runs}: performance ${r.performance}, accessibility ${r.accessibility}, best practices ${r.bestPractices} (LCP ${Math.round(r.lcp)} ms, TBT ${Math.round(r.tbt)} ms)`);
    results.push(r);
  }

  // First view: the last run's requests (all runs load the same files).
  const seen = new Map();
  for (const q of results.at(-1).requests.filter(isFirstView)) if (!seen.has(q.url)) seen.set(q.url, q);
  const files = [];
  for (const q of seen.values()) {
    const w = await wireBytes(q.url);
    files.push({ path: new URL(q.url).pathname + new URL(q.url).search, lighthouseTransfer: q.transferSize, raw: q.resourceSize, brBytes: w.bytes, encoding: w.encoding });
  }
  const sum = (k, f = () => true) => files.filter(f).reduce((s, x) => s + (x[k] || 0), 0);
  const isData = (x) => x.path.startsWith('/api/');
  const summary = {
    when: new Date().toISOString(),
    base,
    runs,
    median: Object.fromEntries(['performance', 'accessibility', 'bestPractices', 'fcp', 'lcp', 'tbt', 'cls', 'si', 'benchmarkIndex'].map((k) => [k, median(results.map((r) => r[k]))])),
    failedAudits: [...new Map(results.flatMap((r) => r.failedAudits).map((a) => [a.id, a])).values()],
    firstView: {
      files,
      codeBr: sum('brBytes', (x) => !isData(x)),
      dataBr: sum('brBytes', isData),
      totalBr: sum('brBytes'),
      totalLighthouseTransfer: sum('lighthouseTransfer'),
    },
    runsDetail: results.map(({ requests, ...r }) => r),
  };
  fs.writeFileSync(path.join(outDir, 'lighthouse.json'), JSON.stringify(summary, null, 2));

  const kb = (n) => (n / 1000).toFixed(1); // KB = 1,000 bytes, as in the README
  console.log(`\nlighthouse 13, mobile, ${base}/, median of ${runs}: performance ${summary.median.performance}, accessibility ${summary.median.accessibility}, best practices ${summary.median.bestPractices}`);
  console.log(`  FCP ${Math.round(summary.median.fcp)} ms, LCP ${Math.round(summary.median.lcp)} ms, TBT ${Math.round(summary.median.tbt)} ms, CLS ${summary.median.cls.toFixed(3)}, SI ${Math.round(summary.median.si)} ms`);
  for (const a of summary.failedAudits) console.log(`  failed: ${a.id} (${a.title})${a.items[0] ? `: ${a.items[0]}` : ''}`);
  console.log(`first view transfer (KB on the wire with Accept-Encoding: br):`);
  for (const f of files) console.log(`  ${f.path.padEnd(60)} ${kb(f.brBytes).padStart(8)} ${f.encoding.padEnd(8)} (raw ${kb(f.raw)}, Lighthouse saw ${kb(f.lighthouseTransfer)})`);
  console.log(`  ${'code (wasm + js + css)'.padEnd(60)} ${kb(summary.firstView.codeBr).padStart(8)}`);
  console.log(`  ${'first data'.padEnd(60)} ${kb(summary.firstView.dataBr).padStart(8)}`);
  console.log(`  ${'total'.padEnd(60)} ${kb(summary.firstView.totalBr).padStart(8)}   (budget 250 KB)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
