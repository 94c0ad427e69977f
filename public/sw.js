// Yizhan service worker: keeps the app usable with no signal.
// - Pages: network first; offline, the cached app shell. /embed keeps its own copy, because a
//   cached response carries its route's headers (frame-ancestors) and the shell of another
//   route must never answer it.
// - Hashed assets: cache first (their names change with their content).
// - Station data: network first; offline, the same request's last answer, else the last answer
//   of the same kind (list, map, one station), marked with the time it was fetched.
const VERSION = 'yizhan-v2';
const SHELL = '/__shell';
const EMBED_SHELL = '/__embed_shell';

// Install: keep the shell and every asset it names, so the next visit works with no signal.
self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(VERSION);
    const response = await fetch('/', { cache: 'no-cache' });
    if (response.ok) {
      const html = await response.clone().text();
      await cache.put(SHELL, response);
      const named = [...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css|wasm|svg|webmanifest))"/g)].map((m) => m[1]);
      await cache.addAll([...new Set(named)]);
    }
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
  if (/^\/api\/v1\/stations\/[a-z0-9-]+$/.test(url.pathname)) {
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
    if (response.ok) {
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
    if (response.ok) await cache.put(key, response.clone());
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
  if (response.ok) await cache.put(request, response.clone());
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
    const embed = url.pathname === '/embed' || url.pathname.startsWith('/embed/');
    event.respondWith(page(request, embed ? EMBED_SHELL : SHELL));
    return;
  }
  const kind = kindOf(url);
  if (kind) {
    event.respondWith(data(request, kind));
    return;
  }
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname === '/sw.js') return;
  event.respondWith(asset(request));
});
