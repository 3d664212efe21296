/* The tablet app on the sync protocol (docs/sync.md, "The web app on a tablet"): keeping the
 * carer's day while online (the pages listed by keep.json, in the day cache), sending the queue
 * oldest first through the same sync push as the mobile apps (each once by its mutation id),
 * the pull after it, and forgetting when access has ended. The store is offline-store.js; what
 * the page shows is offline.js, which registers its drawing with `onChange`. */
(function () {
  "use strict";
  const tablet = window.careteamsTablet;
  const store = tablet && tablet.store;
  if (!store) return;
  const { shell, me, team, meta, setMeta, mine, unsent, wipe } = store;
  const { conflictWords, refusedWords } = tablet;
  const keepDays = Number(shell.dataset.keepDays || "14");

  // notice: what the last contact with the server said, shown first until the next.
  // leaving: set at sign-out, so a keeping still under way must not write again.
  const state = { notice: "", leaving: false };
  let render = async () => {};
  function onChange(draw) {
    render = draw;
  }

  // ---- keeping the day ----------------------------------------------------------------------
  async function prepare() {
    if (!team || !navigator.onLine) return;
    let response;
    try {
      response = await fetch(shell.dataset.keepUrl, { credentials: "same-origin" });
    } catch {
      return; // no signal after all
    }
    if (await accessEnded(response)) return;
    if (!response.ok) return;
    const keep = await response.json();
    const cache = await caches.open(store.DAY_CACHE);
    const wanted = new Set(keep.urls.map((u) => new URL(u, location.origin).href));
    const missing = [];
    for (const url of keep.urls) {
      try {
        const page = await fetch(url, { credentials: "same-origin" });
        if (state.leaving) return;
        if (page.ok && !page.redirected) await cache.put(url, page);
        else missing.push(labelOf(keep, url));
      } catch {
        missing.push(labelOf(keep, url));
      }
    }
    // Pages of earlier days (and of clients no longer on the carer's visits) go.
    if (state.leaving) return;
    for (const request of await cache.keys()) {
      if (!wanted.has(request.url)) await cache.delete(request);
    }
    const visits = {};
    for (const v of keep.visits) visits[v.id] = v;
    await setMeta("ready", { team, at: keep.generated_at, missing, visits });
    await setMeta("owner", { user: me, team, seenAt: Date.now(), keepDays });
  }

  function labelOf(keep, url) {
    const visit = keep.visits.find((v) => [v.card, v.check_out, v.note].includes(url));
    return visit ? `the visit to ${visit.label}` : "a page of your day";
  }

  /** A leaver's tablet forgets on its next contact: the server no longer knows this carer in
   * this team (403, 404, 410). A 401 only means signing in again: nothing is lost then. */
  async function accessEnded(response) {
    if (response.status === 403 && /csrf/i.test(await response.clone().text())) {
      // The page's CSRF token, not the carer's access: nothing is deleted for that.
      state.notice = "Could not send: reload the page to send what is saved on this tablet.";
      return true;
    }
    if ([403, 404, 410].includes(response.status)) {
      await wipe(true);
      state.notice = "This tablet no longer has access to this team: what it kept has been deleted.";
      return true;
    }
    if (response.status === 401) {
      state.notice = "Sign in again to send what is saved on this tablet.";
      return true;
    }
    return false;
  }

  /** Whether the server answers at all: the browser may say online on a connection that
   * passes nothing (one bar in a client's kitchen). Any answer counts. */
  async function reachable() {
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 4000);
    try {
      await fetch(shell.dataset.sw, { method: "HEAD", cache: "no-store", signal: stop.signal });
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- sending ----------------------------------------------------------------------------------
  function csrf() {
    const found = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    if (found) return decodeURIComponent(found.slice("csrftoken=".length));
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function api(path, init) {
    return fetch(shell.dataset.syncUrl + path, {
      credentials: "same-origin",
      ...init,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), ...(init && init.headers) },
    });
  }

  let sending = false;
  let backoff = 5000;
  let lastHead = null; // the feed's head from the last push's answer
  /** Push the unsent items; true when the server answered them. */
  async function send() {
    if (sending || !team || !navigator.onLine) return false;
    sending = true;
    let sent = false;
    try {
      const items = unsent(await mine());
      if (!items.length) return false;
      const body = {
        mutations: items.map((i) => {
          const m = { mutation_id: i.mutation_id, kind: i.kind, recorded_at: i.recorded_at, data: i.data };
          if (i.base_version !== undefined) m.base_version = i.base_version;
          return m;
        }),
      };
      let response;
      try {
        response = await api("mutations", { method: "POST", body: JSON.stringify(body) });
      } catch {
        return later(); // no signal after all: the same ids go again
      }
      if (await accessEnded(response)) return;
      if (!response.ok) return later(); // 429, 5xx: the whole batch again later
      const answer = await response.json();
      lastHead = { cursor: answer.cursor, incarnation: answer.incarnation };
      sent = true;
      let again = false;
      for (const result of answer.results) {
        const item = items.find((i) => i.mutation_id === result.mutation_id);
        if (!item) continue;
        if (result.status === "applied") {
          Object.assign(item, { state: "sent", sentAt: Date.now(), message: "" });
        } else if (result.status === "conflict") {
          Object.assign(item, { state: "conflict", message: conflictWords(item, result.current) });
        } else if (result.status === "rejected") {
          Object.assign(item, { state: "rejected", message: refusedWords(result.problem) });
        } else {
          again = true; // retry: the same mutation, the same id, on its own later
          continue;
        }
        await store.update(item);
      }
      for (const item of items) if (item.visit_id) await store.dropVersion(item.visit_id);
      backoff = 5000;
      if (again) later();
    } finally {
      sending = false;
    }
    return sent;
  }

  function later() {
    setTimeout(() => sync(), backoff);
    backoff = Math.min(backoff * 2, 10 * 60 * 1000);
  }

  /** The pull after the push: from the feed's head that the push answered (an empty batch
   * when nothing was waiting), so the tablet checks its access on each contact (a leaver's
   * tablet forgets here) without downloading the team's changes, which carry other clients'
   * records. The kept pages are refreshed by fetching them again instead (prepare). */
  async function pull() {
    let head = lastHead;
    if (!head) {
      const response = await api("mutations", { method: "POST", body: '{"mutations": []}' });
      if (await accessEnded(response)) return false;
      if (!response.ok) return false;
      head = await response.json();
    }
    lastHead = null;
    // The cursor as the server wrote it ("<seq>.<check>", docs/sync.md, "Cursors").
    const after = encodeURIComponent(head.cursor);
    const query = `changes?after=${after}&incarnation=${encodeURIComponent(head.incarnation)}&limit=1`;
    const response = await api(query, { method: "GET" });
    if (await accessEnded(response)) return false;
    if (response.status === 409) return resync();
    if (!response.ok) return false;
    const page = await response.json();
    await setMeta("cursor", { after: page.next_cursor, incarnation: page.incarnation });
    return true;
  }

  /** The feed behind the tablet was restored (docs/sync.md, "Resync"): a new incarnation, or
   * the change its cursor named is another one. The queue stays, to be sent as ever; the
   * cursor goes, the kept day is marked out of date so that it is fetched afresh now (the
   * pages are the tablet's copy of the team's records; until then the old copy still serves
   * offline), and the next pull starts from the head its push answers. */
  async function resync() {
    await setMeta("cursor", null);
    const ready = await meta("ready");
    if (ready) await setMeta("ready", { ...ready, at: new Date(0).toISOString() });
    return true;
  }

  let running = Promise.resolve();
  function sync() {
    running = running.then(syncOnce);
    return running;
  }

  async function syncOnce() {
    if (state.leaving) return;
    state.notice = "";
    try {
      const sent = await send();
      if (!navigator.onLine || !team || state.leaving) return;
      if (!(await pull())) return;
      const ready = await meta("ready");
      // Kept again after sending (the pages show what was sent), and every few minutes.
      if (sent || !ready || ready.team !== team || Date.now() - Date.parse(ready.at) > 5 * 60 * 1000) {
        await prepare();
      }
    } catch (error) {
      console.warn("careteams tablet sync", error);
    } finally {
      await render();
    }
  }

  /** Forget everything of the day: the kept pages and what was read. With `everything`, the
   * queue too (sign-out with nothing unsent, access ended, too long without signing in). */
  async function forget(everything) {
    state.leaving = true;
    await running;
    await wipe(everything);
  }

  tablet.sync = { state, onChange, reachable, send, sync, forget };
})();
