{% load tablet %}
/* careteams service worker (tablet/): the shell precached, the carer's kept pages (My day and
   their visits of today and tomorrow, put in the "careteams-day" cache by tablet/offline-sync.js)
   network first, falling back to the kept copy; anything else offline gets the offline page.
   It never adds a page to the kept set itself: only what the page script chose is kept. */
"use strict";
importScripts({{ workbox_sw|json_script_value }});
const MODULES = {{ modules|json_script_value }};
workbox.setConfig({ debug: false, modulePathCb: (name) => MODULES[name] });
workbox.loadModule("workbox-core");
workbox.loadModule("workbox-routing");
workbox.loadModule("workbox-strategies");
workbox.loadModule("workbox-precaching");

const DAY_CACHE = "careteams-day";
const OFFLINE_URL = {{ offline_url|json_script_value }};

self.skipWaiting();
workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute({{ precache|json_script_value }});

// Refresh a kept page when the network answers, but never keep a page that was not kept.
const onlyKept = {
  cacheWillUpdate: async ({ request, response }) => {
    if (!response || response.status !== 200 || response.redirected) return null;
    const cache = await caches.open(DAY_CACHE);
    return (await cache.match(request, { ignoreVary: true })) ? response : null;
  },
};

workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin,
  new workbox.strategies.NetworkFirst({
    cacheName: DAY_CACHE,
    networkTimeoutSeconds: 6,
    matchOptions: { ignoreVary: true },
    plugins: [onlyKept],
  }),
);

workbox.routing.setCatchHandler(async ({ request }) => {
  if (request.destination === "document" || request.mode === "navigate") {
    const page = await workbox.precaching.matchPrecache(OFFLINE_URL);
    if (page) return page;
  }
  return Response.error();
});
