// The till's service worker. It keeps the till's shell (the page, its script, wasm, styles and
// icons) in a cache so that the till opens without a connection. What the till sells and makes
// is kept by the till itself, in the browser's storage; nothing of it passes through here.
//
// The built files under /pkg/ are named by their content (till-<hash>.js, till-<hash>_bg.wasm,
// sc1-<hash>.css): a name always means the same bytes, so they are answered from the cache first
// and downloaded only once. The page is fetched from the network first, so a till that is online
// runs the newest version, and it names that version's files; the cache keeps the page it last
// had, with the files that page names, for when the connection is gone.
const CACHE = "sc1-pos-v4";
const PAGE = "/pos";
const PLAIN = [PAGE, "/manifest.webmanifest", "/icons/icon.svg", "/icons/icon-192.png"];
const HASHED = /^\/pkg\/((?:till|sc1)-)[0-9a-f]{16}(_bg\.wasm|\.js|\.css)$/;

// The built files a version of the site names, from the list the build writes beside them.
async function builtFiles() {
  const response = await fetch("/pkg/assets.txt", { cache: "no-cache" });
  if (!response.ok) return [];
  const files = [];
  for (const line of (await response.text()).split("\n")) {
    const [kind, name] = line.trim().split(" ");
    if (kind === "till") files.push(`/pkg/${name}.js`, `/pkg/${name}_bg.wasm`);
    if (kind === "css") files.push(`/pkg/${name}`);
  }
  return files;
}

// Removes built files of other versions than the one these belong to.
async function keepOnly(cache, files) {
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (HASHED.test(path) && !files.includes(path)) await cache.delete(request);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const files = await builtFiles();
      await cache.addAll([...PLAIN, ...files]);
      await keepOnly(cache, files);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// A built file: from the cache, or downloaded once and kept. A new version's file replaces the
// kept one of the same kind: only a page of the new version, kept just before, asks for it.
async function builtFile(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreSearch: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
    const path = new URL(request.url).pathname;
    const [, stem, kind] = path.match(HASHED);
    for (const other of await cache.keys()) {
      const otherPath = new URL(other.url).pathname;
      const match = otherPath.match(HASHED);
      if (match && match[1] === stem && match[2] === kind && otherPath !== path) await cache.delete(other);
    }
  }
  return response;
}

// The page or a plain file: from the network, kept for later; the kept copy when offline.
async function fresh(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw offline;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (HASHED.test(url.pathname)) {
    event.respondWith(builtFile(request));
  } else if (PLAIN.includes(url.pathname)) {
    event.respondWith(fresh(request));
  }
});
