// What holds the main thread while `/` loads: the tasks Lighthouse's total blocking time counts,
// each with what it spent its time on. Lighthouse reports a score; this says where to work.
//
//   node bench/main-thread.mjs --base http://127.0.0.1:PORT [--runs 3] [--slowdown 4]
//
// Loads the page in headless Chromium with the CPU slowed as Lighthouse's mobile profile
// assumes (4x), records a trace, and prints every main-thread task of 40 ms or more with its
// largest parts by self time (wasm.CompileLazy is the wasm compiling a function on its first
// call; Layout and UpdateLayoutTree are the browser's), then the blocking time (the sum over
// 50 ms). Runs vary by a third on a 2-core machine: compare builds alternately, several runs each.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const base = (args.base || 'http://127.0.0.1:8080').replace(/\/$/, '');
const runs = Number(args.runs || 1);
const slowdown = Number(args.slowdown || 4);
const categories = [
  // Few categories: the detailed wasm and compile ones slow the very start they would explain.
  'devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'v8.wasm',
];

async function trace() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
    // Chromium as shipped (and as Lighthouse runs it), with its field trials.
    ignoreDefaultArgs: ['--disable-field-trial-config'],
  });
  try {
    const context = await browser.newContext({
      viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true,
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yizhan-trace-')), 'trace.json');
    await browser.startTracing(page, { path: file, categories });
    await page.goto(`${base}/`, { waitUntil: 'networkidle' });
    // The list's last steps and the map's first draw come after the network is idle.
    await page.waitForTimeout(1500);
    await browser.stopTracing();
    const events = JSON.parse(fs.readFileSync(file, 'utf8')).traceEvents;
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    return events;
  } finally {
    await browser.close();
  }
}

// Self time by event name within one task: each event's duration less its children's.
function selfTimes(events) {
  const spans = events.filter((e) => e.ph === 'X').sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const open = [];
  for (const e of spans) {
    while (open.length && open[open.length - 1].ts + open[open.length - 1].dur <= e.ts) open.pop();
    if (open.length) self.set(open[open.length - 1].name, (self.get(open[open.length - 1].name) || 0) - e.dur);
    self.set(e.name, (self.get(e.name) || 0) + e.dur);
    open.push(e);
  }
  return [...self].filter(([name]) => !/RunTask|RunMicrotasks|Checkpoint|callFunction/.test(name));
}

function report(events) {
  const parses = events.filter((e) => e.name === 'ParseHTML');
  // The page's main thread: the one that parsed the most HTML (thread ids repeat across processes).
  const counts = parses.reduce((m, e) => m.set(`${e.pid}/${e.tid}`, (m.get(`${e.pid}/${e.tid}`) || 0) + 1), new Map());
  const main = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  const start = (events.find((e) => e.name === 'navigationStart') || events.find((e) => e.name === 'TracingStartedInBrowser')).ts;
  const mine = events.filter((e) => `${e.pid}/${e.tid}` === main);
  const tasks = mine.filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.dur >= 40_000);
  let blocking = 0;
  for (const t of tasks) {
    const inside = mine.filter((e) => e.ts >= t.ts && e.ts + (e.dur || 0) <= t.ts + t.dur && e !== t);
    const parts = selfTimes(inside).sort((a, b) => b[1] - a[1]).slice(0, 5)
      .map(([name, us]) => `${name} ${Math.round(us / 1000)}`).join(', ');
    blocking += Math.max(0, t.dur / 1000 - 50);
    console.log(`${String(Math.round((t.ts - start) / 1000)).padStart(6)} ms  ${String(Math.round(t.dur / 1000)).padStart(4)} ms  ${parts}`);
  }
  console.log(`blocking time (sum over 50 ms, whole load): ${Math.round(blocking)} ms\n`);
}

for (let i = 1; i <= runs; i++) {
  console.log(`run ${i}/${runs}: ${base}/ at ${slowdown}x CPU slowdown (start, duration, largest parts in ms)`);
  report(await trace());
}
