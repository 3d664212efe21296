/* The tablet app on the sync protocol (docs/sync.md, "The web app on a tablet"): keeping the
 * carer's day while online (its pages in one bundle, written to the day cache, fetched at low
 * priority once the carer's own requests are answered; a 304 keeps the copies), sending the
 * queue oldest first through the same sync push as the mobile apps (each once by its mutation
 * id, to the team it was saved for), the pull after it, and what happens when access has ended
 * (the queue goes only once the server has answered every item). The store is
 * offline-store.js; what the page shows is offline.js, which registers its drawing with
 * `onChange`. */
(function () {
  "use strict";
  const tablet = window.careteamsTablet;
  const store = tablet && tablet.store;
  if (!store) return;
  const { shell, me, team, meta, setMeta, mineAnywhere, unsent, drop, wipe } = store;
  const { conflictWords, refusedWords, lateWords, heldWords, gettext, words } = tablet;
  const keepDays = Number(shell.dataset.keepDays || "14");
  const syncBase = shell.dataset.syncBase || "";

  // notice: what the last contact with the server said, shown first until the next.
  // leaving: set at sign-out, so a keeping still under way must not write again.
  // ended: what happened to the items of a team this tablet no longer has access to.
  const state = { notice: "", leaving: false, ended: null };
  let render = async () => {};
  function onChange(draw) {
    render = draw;
  }

  // ---- keeping the day ----------------------------------------------------------------------
  // The carer's own requests go first: keeping is one request for the whole day (the bundle,
  // tablet/bundle.py) at low priority, sent only once no request of the carer's is under way
  // (`acting`), and cut short when they leave the page, so that a check-in never queues behind
  // it on the tablet or the server.
  let acting = 0;
  let keeping = null; // the AbortController of the keeping under way
  function actionStarted() {
    acting += 1;
  }
  function actionEnded() {
    acting = Math.max(0, acting - 1);
  }
  /** The carer is leaving the page (a link, a form posted): stop keeping now. */
  function stopKeeping() {
    if (keeping) keeping.abort();
  }
  async function quiet() {
    while (acting > 0) await new Promise((done) => setTimeout(done, 250));
  }

  /** The bundle of the day's pages; null when the copies kept already are the server's
   * (a 304 for the ETag they came with). */
  async function fetchBundle(ready, signal) {
    const held = ready && ready.team === team && ready.etag && (await caches.has(store.DAY_CACHE));
    await quiet();
    const headers = held ? { "If-None-Match": ready.etag } : {};
    const response = await fetch(shell.dataset.bundleUrl, { credentials: "same-origin", priority: "low", signal, headers });
    if (response.status === 304) return null;
    return response;
  }

  async function prepare() {
    if (!team || !navigator.onLine) return;
    keeping = new AbortController();
    const { signal } = keeping;
    const ready = await meta("ready");
    let bundle;
    try {
      const response = await fetchBundle(ready, signal);
      if (response === null) {
        // Nothing changed for the pages kept: they are as current as a new bundle would be.
        await setMeta("ready", { ...ready, at: new Date().toISOString() });
        await setMeta("owner", { user: me, team, seenAt: Date.now(), keepDays });
        return;
      }
      if (await accessEnded(response, team)) return;
      if (!response.ok) return;
      bundle = { etag: response.headers.get("ETag"), ...(await response.json()) };
    } catch {
      return; // no signal after all, or the carer left the page
    }
    if (state.leaving) return;
    const cache = await caches.open(store.DAY_CACHE);
    const missing = [];
    for (const page of bundle.pages) {
      if (state.leaving) return;
      // Each page as the server made it, with the policy naming its scripts' nonce.
      if (page.status === 200) await cache.put(page.url, new Response(page.body, { headers: page.headers }));
      else missing.push(labelOf(bundle, page.url));
    }
    // Pages of earlier days (and of clients no longer on the carer's visits) go.
    const wanted = new Set(bundle.pages.map((p) => new URL(p.url, location.origin).href));
    for (const request of await cache.keys()) {
      if (!wanted.has(request.url)) await cache.delete(request);
    }
    const visits = {};
    for (const v of bundle.visits) visits[v.id] = v;
    await setMeta("ready", { team, at: bundle.generated_at, etag: bundle.etag, missing, visits });
    await setMeta("owner", { user: me, team, seenAt: Date.now(), keepDays });
  }

  function labelOf(bundle, url) {
    const visit = bundle.visits.find((v) => [v.card, v.check_out, v.note].includes(url));
    return visit ? words(gettext("the visit to %(label)s"), { label: visit.label }) : gettext("a page of your day");
  }

  /** A leaver's tablet forgets on its next contact: the server no longer knows this carer in
   * this team (403, 404, 410). A 401 only means signing in again: nothing is lost then. */
  async function accessEnded(response, teamId) {
    if (response.status === 403 && /csrf/i.test(await response.clone().text())) {
      // The page's CSRF token, not the carer's access: nothing is deleted for that.
      state.notice = gettext("Could not send: reload the page to send what is saved on this tablet.");
      return true;
    }
    if ([403, 404, 410].includes(response.status)) {
      await ended(teamId);
      return true;
    }
    if (response.status === 401) {
      state.notice = gettext("Sign in again to send what is saved on this tablet.");
      return true;
    }
    return false;
  }

  /** Access to the team has ended: the kept day goes, and so do the items the server has
   * answered (a leaver's notes are taken as late entries, the rest they recorded while a member
   * is held for the team, mobile_api/late.py). An item the server has not taken stays on the
   * tablet: nothing written is deleted unsent. */
  async function ended(teamId) {
    const items = (await mineAnywhere()).filter((i) => i.team === teamId);
    const waiting = unsent(items);
    if (teamId === team) await wipe("day");
    await drop(items.filter((i) => i.state !== "queued"));
    state.ended = { team: teamId, answered: items.filter((i) => i.state !== "queued"), waiting };
    state.notice = gettext("This tablet no longer has access to this team: what it kept for your day has been deleted.");
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

  async function api(teamId, path, init) {
    return fetch(`${syncBase}${teamId}/${path}`, {
      credentials: "same-origin",
      ...init,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), ...(init && init.headers) },
    });
  }

  let sending = false;
  let backoff = 5000;
  const lastHead = {}; // the feed's head from the last push's answer, by team
  /** Push the carer's unsent items of one team; true when the server answered them. */
  async function send(teamId) {
    if (sending || !me || !navigator.onLine) return false;
    sending = true;
    let sent = false;
    try {
      const items = unsent(await mineAnywhere()).filter((i) => i.team === teamId);
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
        response = await api(teamId, "mutations", { method: "POST", body: JSON.stringify(body) });
      } catch {
        return later(); // no signal after all: the same ids go again
      }
      if (await accessEnded(response, teamId)) return false;
      if (!response.ok) return later(); // 429, 5xx: the whole batch again later
      const answer = await response.json();
      lastHead[teamId] = { cursor: answer.cursor, incarnation: answer.incarnation };
      sent = true;
      // Anything but a final answer (retry, or none for an item) keeps the item queued, to go
      // again later with the same id.
      let again = false;
      for (const item of items) {
        const result = answer.results.find((r) => r.mutation_id === item.mutation_id);
        if (result && result.status === "applied") {
          Object.assign(item, { state: "sent", sentAt: Date.now(), message: result.late ? lateWords() : "", late: !!result.late });
        } else if (result && result.status === "held") {
          Object.assign(item, { state: "held", message: heldWords() });
        } else if (result && result.status === "conflict") {
          Object.assign(item, { state: "conflict", message: conflictWords(item, result.current, result.problem) });
        } else if (result && result.status === "rejected") {
          Object.assign(item, { state: "rejected", message: refusedWords(result.problem) });
        } else {
          again = true;
          continue;
        }
        await store.update(item);
        if (item.visit_id) await store.dropVersion(item.visit_id);
      }
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
   * records. The kept pages are refreshed by fetching their bundle again instead (prepare). */
  async function pull(teamId) {
    let head = lastHead[teamId];
    if (!head) {
      const response = await api(teamId, "mutations", { method: "POST", body: '{"mutations": []}' });
      if (await accessEnded(response, teamId)) return false;
      if (!response.ok) return false;
      head = await response.json();
    }
    delete lastHead[teamId];
    // The cursor as the server wrote it ("<seq>.<check>", docs/sync.md, "Cursors").
    const after = encodeURIComponent(head.cursor);
    const query = `changes?after=${after}&incarnation=${encodeURIComponent(head.incarnation)}&limit=1`;
    const response = await api(teamId, query, { method: "GET" });
    if (await accessEnded(response, teamId)) return false;
    // Only the open team's cursor is kept: another team's tablet items need no resync.
    if (response.status === 409) return teamId === team ? resync() : true;
    if (!response.ok) return false;
    const page = await response.json();
    if (teamId === team) await setMeta("cursor", { after: page.next_cursor, incarnation: page.incarnation });
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

  /** The teams to contact: this page's, and every team the carer has items waiting for. */
  async function teamsToSync() {
    const teams = new Set(team ? [team] : []);
    for (const item of unsent(await mineAnywhere())) teams.add(item.team);
    return [...teams];
  }

  async function syncOnce() {
    if (state.leaving || !me) return;
    state.notice = "";
    try {
      let sent = false;
      let here = false; // this page's team answered the pull: its day may be kept
      for (const teamId of await teamsToSync()) {
        if (!navigator.onLine || state.leaving) return;
        sent = (await send(teamId)) || sent;
        if (!navigator.onLine || state.leaving) return;
        const pulled = await pull(teamId);
        if (teamId === team) here = pulled;
      }
      if (!here) return;
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

  /** Forget the day at sign-out: the kept pages and what was read; with `mine`, the carer's
   * items too (nothing of theirs is unsent). */
  async function forget(mine) {
    state.leaving = true;
    await running;
    await wipe(mine ? "mine" : "day");
  }

  /** Send everything of the carer's now (sign-out's "Send them first"). */
  async function sendAll() {
    for (const teamId of await teamsToSync()) await send(teamId);
  }

  tablet.sync = {
    state, onChange, reachable, sendAll, sync, forget, actionStarted, actionEnded, stopKeeping,
  };
})();
