// Yizhan service worker: keeps the app usable with no signal.
// - Pages: only the app's own routes (/, /stations/{id}, /embed, /join, /join/status, /scan):
//   network first; offline, the cached shell of the route's bundle. /embed keeps its own copies
//   (the map's, and the station's for ?station=), because a cached response carries its route's
//   headers (frame-ancestors). Any other page
//   opened in the browser (the API docs, a GeoJSON feed, an export, a poster) is left to the
//   network and never kept: it must not become the offline map. Staff pages are never kept.
// - Hashed assets (and the shells' icons): cache first (their names change with their content).
// - Nothing marked no-store is ever kept.
// - Station data: network first; offline, the same request's last answer, else the last answer
//   of the same kind (list, map, one station), marked with the time it was fetched.
const VERSION = 'yizhan-v7';
const SHELL = '/__shell';
const STATION_SHELL = '/__station_shell';
const EMBED_SHELL = '/__embed_shell';
const EMBED_STATION_SHELL = '/__embed_station_shell';
const JOIN_SHELL = '/__join_shell';
const SCAN_SHELL = '/__scan_shell';

// The app's own pages: the only navigations answered with a shell.
const APP_PAGE = /^\/(?:|stations\/[a-z0-9-]{1,40}|embed|join|join\/status|scan)$/;
// Trunk's content-hashed files, and the static images and manifest the shells name.
const HASHED = /-[0-9a-f]{10,16}(?:_bg)?\.(?:js|wasm|css)$/;
const STATIC = /^\/(?!api\/)[^?]*\.(?:svg|png|ico|webmanifest)$/;

// Whether a response may be kept: a success the server did not mark no-store.
function keepable(response) {
  return response.ok && !/no-store/i.test(response.headers.get('Cache-Control') || '');
}

// Each bundle's shell is kept under its own key: a cached response carries its route's
// headers, and a page must never boot another bundle's code. `url` is where install fetches it
// (any station path answers with the station bundle's shell).
function shellOf(url) {
  const pathname = url.pathname;
  if (pathname === '/embed' || pathname.startsWith('/embed/')) {
    return url.searchParams.get('station') ? { key: EMBED_STATION_SHELL } : { key: EMBED_SHELL };
  }
  if (pathname.startsWith('/stations/')) return { key: STATION_SHELL, url: '/stations/0' };
  if (pathname === '/join' || pathname.startsWith('/join/')) return { key: JOIN_SHELL, url: '/join' };
  if (pathname === '/scan') return { key: SCAN_SHELL, url: '/scan' };
  return { key: SHELL, url: '/' };
}

// Keeps a shell and every asset it names.
async function keepShell(cache, { key, url }) {
  const response = await fetch(url, { cache: 'no-cache' });
  if (!keepable(response)) return;
  const html = await response.clone().text();
  await cache.put(key, response);
  // Release builds minify the HTML, which drops the quotes around attribute values.
  const named = [...html.matchAll(/(?:src|href)=["']?(\/[^"'\s>]+\.(?:js|css|wasm|svg|webmanifest))(?=["'\s>]|$)/g)].map((m) => m[1]);
  await cache.addAll([...new Set(named)]);
}

// Install: keep the shells of the bundles open right now (a rider who scanned a poster gets the
// sign-up pages, not the map's code), so the next visit works with no signal. The map and a
// station's page go together: a rider on one opens the other, also offline.
const RIDER = [shellOf(new URL('/', self.location)), shellOf(new URL('/stations/0', self.location))];
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(VERSION);
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const shells = new Map();
    for (const w of windows) {
      const s = shellOf(new URL(w.url));
      if (!s.url) continue;
      for (const kept of RIDER.some((r) => r.key === s.key) ? RIDER : [s]) shells.set(kept.key, kept);
    }
    if (shells.size === 0) for (const r of RIDER) shells.set(r.key, r);
    for (const s of shells.values()) await keepShell(cache, s);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== VERSION) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

function kindOf(url) {
  if (url.pathname === '/api/v1/stations') {
    return url.searchParams.has('bbox') ? '/__last/map' : '/__last/list';
  }
  // A station and its services card, each kept as last seen for offline use.
  if (/^\/api\/v1\/stations\/[a-z0-9-]+(\/services)?$/.test(url.pathname)) {
    return '/__last' + url.pathname;
  }
  return null;
}

async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set('X-Yizhan-Fetched-At', String(Math.floor(Date.now() / 1000)));
  const body = await response.blob();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

async function data(request, kind) {
  const cache = await caches.open(VERSION);
  try {
    // Revalidate with the server (a cheap 304 by ETag) rather than trusting the HTTP cache:
    // live status matters, and with no signal this must fail to reach the offline copy.
    const response = await fetch(new Request(request, { cache: 'no-cache' }));
    if (keepable(response)) {
      const copy = await stamped(response.clone());
      await cache.put(request, copy.clone());
      await cache.put(kind, copy);
    }
    return response;
  } catch (offline) {
    const hit = (await cache.match(request)) || (await cache.match(kind));
    if (!hit) throw offline;
    const headers = new Headers(hit.headers);
    headers.set('X-Yizhan-Offline', '1');
    return new Response(await hit.blob(), { status: 200, headers });
  }
}

async function page(request, key) {
  const cache = await caches.open(VERSION);
  try {
    const response = await fetch(request);
    const html = (response.headers.get('Content-Type') || '').startsWith('text/html');
    if (keepable(response) && html) await cache.put(key, response.clone());
    return response;
  } catch (offline) {
    const hit = await cache.match(key);
    if (!hit) throw offline;
    return hit;
  }
}

async function asset(request) {
  const cache = await caches.open(VERSION);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (keepable(response)) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Staff pages and their bundle are never kept: they are only useful signed in, and a shared
  // phone must not show them to the next person offline.
  if (/^\/(manage|admin|staff)(\/|$)/.test(url.pathname)) return;
  if (request.mode === 'navigate') {
    if (APP_PAGE.test(url.pathname)) event.respondWith(page(request, shellOf(url).key));
    return;
  }
  const kind = kindOf(url);
  if (kind) {
    event.respondWith(data(request, kind));
    return;
  }
  if (HASHED.test(url.pathname) || STATIC.test(url.pathname)) event.respondWith(asset(request));
});
