{% load tablet %}
/* careteams service worker (tablet/): the shell precached, the carer's kept pages (My day and
   their visits of today and tomorrow, put in the "careteams-day" cache by tablet/offline-sync.js)
   from the network, falling back to the kept copy only without any answer; anything else
   offline gets the offline page. It never adds or refreshes a kept page itself. */
"use strict";
importScripts({{ workbox_sw|json_script_value }});
const MODULES = {{ modules|json_script_value }};
workbox.setConfig({ debug: false, modulePathCb: (name) => MODULES[name] });
workbox.loadModule("workbox-core");
workbox.loadModule("workbox-routing");
workbox.loadModule("workbox-strategies"); // precaching is built on it
workbox.loadModule("workbox-precaching");

const DAY_CACHE = "careteams-day";
const OFFLINE_URLS = {{ offline_urls|json_script_value }};
const CATALOGUE_URLS = {{ catalogue_urls|json_script_value }};
const DEFAULT_LANGUAGE = {{ default_language|json_script_value }};
const LANGUAGE_COOKIE = {{ language_cookie|json_script_value }};

self.skipWaiting();
workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
// The words of the page scripts, one catalogue per language named in its address, from the
// precache by that address alone: the server's answer says "Vary: Accept-Language" (its locale
// middleware, on every answer), which the precache's own route honours against the page's
// request and never matches, so each page load went to the network (and, offline, had no words).
// Before the precache's route, which would answer first.
workbox.routing.registerRoute(
  ({ url }) => url.origin === self.location.origin && CATALOGUE_URLS.includes(url.pathname),
  async ({ request }) => (await workbox.precaching.matchPrecache(request.url)) || fetch(request),
);
workbox.precaching.precacheAndRoute({{ precache|json_script_value }});

// The person's language as the server picks it (LocaleMiddleware): the cookie the switch and
// signing in set (readable: not HttpOnly), through the worker's cookie store where the browser
// has one; else the browser's languages; else the site's default.
async function languageChosen() {
  try {
    const cookie = self.cookieStore ? await self.cookieStore.get(LANGUAGE_COOKIE) : null;
    if (cookie && OFFLINE_URLS[cookie.value]) return cookie.value;
  } catch (error) {
    // no cookie store in this worker: the browser's languages
  }
  for (const tag of self.navigator.languages || []) {
    const code = tag.toLowerCase();
    if (OFFLINE_URLS[code]) return code;
    if (OFFLINE_URLS[code.split("-")[0]]) return code.split("-")[0];
  }
  return DEFAULT_LANGUAGE;
}

// Page loads go to the network and wait for its answer however slow (no timeout): a kept copy
// stands in only when the network gives no answer at all, so the page after a carer's action
// (the redirect after a check-out) is always the server's, never an older kept one. The worker
// never writes a kept copy itself: only the page script's keeping does (offline-sync.js), whose
// copies carry no one-time messages ("Note saved.") that a later fallback would replay.
workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin,
  async ({ request }) => {
    try {
      return await fetch(request);
    } catch (error) {
      const cache = await caches.open(DAY_CACHE);
      const kept = await cache.match(request, { ignoreVary: true });
      if (kept) return kept;
      throw error; // the catch handler's offline page
    }
  },
);

workbox.routing.setCatchHandler(async ({ request }) => {
  if (request.destination === "document" || request.mode === "navigate") {
    const page = await workbox.precaching.matchPrecache(OFFLINE_URLS[await languageChosen()]);
    if (page) return page;
  }
  return Response.error();
});
