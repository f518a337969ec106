// Life Logger's service worker (served at /sw.js by lifelogger/ui/pwa.py).
//
// It keeps the app shell (page shells, CSS, scripts, icons) in a cache named
// after a hash of those files, so the app opens without a connection. Pages
// are fetched from the network first (so a deploy shows at once) and come from
// the cache only when the network fails; static files come from the cache.
// Requests to /api/ are never answered or stored here: they always go to the
// server, and the tracker queues taps in IndexedDB when they cannot.

const CACHE_NAME = {{ cache_name|tojson }};
const CACHE_PREFIX = {{ cache_prefix|tojson }};
const SHELL = {{ shell|tojson }};
// Page shells and the manifest: network first. Static files: cache first.
const PAGES = new Set(SHELL.filter((url) => !url.startsWith("/static/")));
const FILES = new Set(SHELL.filter((url) => url.startsWith("/static/")));
// A page that does not answer within this time comes from the cache instead.
const PAGE_TIMEOUT_MS = 5000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      // "reload": past any HTTP cache, so a deploy's files are stored, not a stale copy.
      await cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (PAGES.has(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname));
  } else if (FILES.has(url.pathname)) {
    event.respondWith(cacheFirst(request, url.pathname));
  }
});

/** The page from the network (refreshing the cached copy), else the cached copy. */
async function networkFirst(request, path) {
  const cache = await caches.open(CACHE_NAME);
  const fromNetwork = fetch(request).then((response) => {
    if (response.ok && !response.redirected) cache.put(path, response.clone());
    return response;
  });
  fromNetwork.catch(() => {}); // handled below; not an unhandled rejection when the cache answered first
  const timeout = new Promise((resolve) => setTimeout(resolve, PAGE_TIMEOUT_MS));
  try {
    const response = await Promise.race([fromNetwork, timeout.then(() => cache.match(path))]);
    if (response) return response;
    return await fromNetwork;
  } catch (error) {
    const cached = await cache.match(path);
    if (cached) return cached;
    throw error;
  }
}

/** A shell file from this deploy's cache, else from the network. */
async function cacheFirst(request, path) {
  const cache = await caches.open(CACHE_NAME);
  return (await cache.match(path)) || fetch(request);
}
