// The offline verifier's service worker: it keeps the page, its styles and script, the
// issuer's public keys (JWKS) and the status document (revoked and superseded certificates),
// and answers from them when the network is gone. Online, every file comes from the network
// first and the copy is refreshed, so new keys and revocations arrive by themselves; a new
// deploy (other file names) makes a new cache and drops the old one.
"use strict";
const FILES = {{ files|safe }};
const CACHE = "ekraf-offline-verifier-" + {{ version|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("ekraf-offline-verifier-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !FILES.includes(url.pathname)) {
    return;
  }
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
        }
        return response;
      })
      .catch(() => caches.open(CACHE).then((cache) => cache.match(url.pathname)))
      .then((response) => response || Response.error())
  );
});
