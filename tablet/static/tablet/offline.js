/* The tablet app's page script (docs/sync.md, "The web app on a tablet").
 *
 * While online it keeps the carer's day on the tablet (the pages listed by keep.json, in the
 * service worker's "careteams-day" cache) and says how ready the tablet is. Offline, the
 * visit's forms (check in, tasks, check out, the visit note) are saved as sync push mutations in
 * IndexedDB instead of being posted; back online they are sent oldest first through the same
 * sync push as the mobile apps, each once by its mutation id, then the feed is pulled.
 * Without JavaScript, or online, the forms post as they always did.
 */
(function () {
  "use strict";
  const shell = document.getElementById("tablet-status");
  if (!shell || !("indexedDB" in window) || !window.idb || !window.careteamsTablet) return;

  const DAY_CACHE = "careteams-day";
  const DAY_MS = 24 * 60 * 60 * 1000;
  const me = shell.dataset.user || "";
  const team = shell.dataset.team || "";
  const keepDays = Number(shell.dataset.keepDays || "14");
  const line = document.getElementById("tablet-ready");
  const list = document.getElementById("tablet-queue");
  const reasons = JSON.parse(document.getElementById("tablet-reasons").textContent);

  const dbReady = idb.openDB("careteams-tablet", 1, {
    upgrade(db) {
      db.createObjectStore("queue", { keyPath: "mutation_id" }).createIndex("order", "order");
      db.createObjectStore("meta");
    },
  });

  // ---- the store --------------------------------------------------------------------------
  async function meta(key) {
    return (await dbReady).get("meta", key);
  }
  async function setMeta(key, value) {
    return (await dbReady).put("meta", value, key);
  }
  async function mine() {
    const all = await (await dbReady).getAllFromIndex("queue", "order");
    return all.filter((item) => item.user === me && item.team === team);
  }
  const unsent = (items) => items.filter((i) => i.state === "queued");

  /** Forget everything of the day: the kept pages and what was read. With `everything`, the
   * queue too (sign-out with nothing unsent, access ended, too long without signing in). */
  let leaving = false; // set at sign-out: a keeping still under way must not write again
  async function forget(everything) {
    leaving = true;
    await running;
    await wipe(everything);
  }

  async function wipe(everything) {
    await caches.delete(DAY_CACHE);
    const db = await dbReady;
    if (everything) {
      await db.clear("queue");
      await db.clear("meta");
    } else {
      const tx = db.transaction("meta", "readwrite");
      for (const key of await tx.store.getAllKeys()) {
        if (key !== "owner") await tx.store.delete(key);
      }
      await tx.done;
    }
  }

  // ---- what the carer sees ----------------------------------------------------------------
  const { time, el, tag, showOnCard, conflictWords, refusedWords } = window.careteamsTablet;

  let notice = ""; // what the last contact with the server said, shown first until the next
  async function render() {
    const items = await mine();
    const ready = await meta("ready");
    const waiting = unsent(items).length;
    const parts = notice ? [notice] : [];
    if (!navigator.onLine) parts.push("No signal: working on this tablet.");
    if (ready && ready.team === team) {
      parts.push(
        ready.missing.length
          ? `Not ready to work offline, updated ${time(ready.at)}: missing ${ready.missing.join("; ")}.`
          : `Ready to work offline, updated ${time(ready.at)}.`,
      );
    } else if (team) {
      parts.push("Not ready to work offline yet: open this page once with signal.");
    }
    if (waiting) {
      parts.push(`${waiting} ${waiting === 1 ? "item" : "items"} saved on this tablet, not sent yet.`);
    }
    line.textContent = parts.join(" ");
    list.replaceChildren();
    const shown = items.filter((i) => i.state !== "sent" || Date.now() - i.sentAt < DAY_MS);
    if (shown.length) {
      const ul = el("ul", { class: "nhsuk-list tablet-queue__list" });
      for (const item of shown) {
        const li = el("li", { class: "tablet-queue__item", "data-mutation": item.mutation_id });
        li.append(tag(item.state), " ", el("span", { text: item.label }));
        if (item.message) li.append(el("p", { class: "nhsuk-body-s tablet-queue__why", text: item.message }));
        ul.append(li);
      }
      list.append(el("h2", { class: "nhsuk-heading-s", text: "Saved on this tablet" }), ul);
    }
    shell.hidden = !team && !waiting;
    await showOnPage(items);
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
    const cache = await caches.open(DAY_CACHE);
    const wanted = new Set(keep.urls.map((u) => new URL(u, location.origin).href));
    const missing = [];
    for (const url of keep.urls) {
      try {
        const page = await fetch(url, { credentials: "same-origin" });
        if (leaving) return;
        if (page.ok && !page.redirected) await cache.put(url, page);
        else missing.push(labelOf(keep, url));
      } catch {
        missing.push(labelOf(keep, url));
      }
    }
    // Pages of earlier days (and of clients no longer on the carer's visits) go.
    if (leaving) return;
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
      notice = "Could not send: reload the page to send what is saved on this tablet.";
      return true;
    }
    if ([403, 404, 410].includes(response.status)) {
      await wipe(true);
      notice = "This tablet no longer has access to this team: what it kept has been deleted.";
      return true;
    }
    if (response.status === 401) {
      notice = "Sign in again to send what is saved on this tablet.";
      return true;
    }
    return false;
  }

  // ---- saving offline -------------------------------------------------------------------------
  const FORMS = [
    [/\/teams\/([^/]+)\/visits\/([^/]+)\/check-in\/withdraw\/$/, "visit.withdraw"],
    [/\/teams\/([^/]+)\/visits\/([^/]+)\/check-in\/$/, "visit.check_in"],
    [/\/teams\/([^/]+)\/visits\/([^/]+)\/check-out\/$/, "visit.check_out"],
    [/\/teams\/([^/]+)\/visits\/([^/]+)\/tasks\/$/, "visit.task_outcome"],
    [/\/clients\/([^/]+)\/notes\/new\/$/, "note.create"],
    [/\/clients\/([^/]+)\/problems\/([^/]+)\/ratings\/$/, "outcome.rate"],
  ];

  function kindOf(form) {
    const path = new URL(form.action, location.href).pathname;
    for (const [pattern, kind] of FORMS) {
      const match = path.match(pattern);
      if (match) return { kind, match };
    }
    return null;
  }

  async function visitInfo(visitId) {
    const ready = await meta("ready");
    return (ready && ready.visits && ready.visits[visitId]) || null;
  }

  /** The version the next change of a visit is based on: each queued check-in, check-out or
   * withdrawal raises it by one, as the server will (docs/sync.md). */
  async function baseVersion(visitId, posted) {
    const local = await meta(`visit:${visitId}`);
    return local ? local.version : Number(posted);
  }

  async function queue(kind, data, baseVersionOf, label, visitId) {
    const item = {
      mutation_id: crypto.randomUUID(),
      kind,
      recorded_at: new Date().toISOString(),
      data,
      user: me,
      team,
      label,
      visit_id: visitId,
      state: "queued",
      order: Date.now() + Math.random() / 10,
    };
    if (baseVersionOf !== null) item.base_version = baseVersionOf;
    const db = await dbReady;
    await db.put("queue", item);
    if (baseVersionOf !== null) {
      const state = (await meta(`visit:${visitId}`)) || {};
      await setMeta(`visit:${visitId}`, { ...state, version: baseVersionOf + 1 });
    }
    return item;
  }

  async function saveOffline(form, found) {
    const fields = new FormData(form);
    const { kind, match } = found;
    if (kind === "note.create") {
      const visitId = fields.get("visit") || null;
      const info = visitId ? await visitInfo(visitId) : null;
      await queue(
        kind,
        {
          id: fields.get("note_id") || crypto.randomUUID(),
          client_id: match[1],
          body: fields.get("body") || "",
          shareable: fields.get("shareable") === "on",
          problem_ids: fields.getAll("problems"),
          visit_id: visitId,
        },
        null,
        `Note${info ? ` on the visit to ${info.label}` : ""}`,
        visitId,
      );
      const back = info ? info.card : null;
      form.replaceWith(
        el("div", { class: "tablet-saved", role: "status" },
          tag("queued"), " ", "Your note is kept on this tablet and will be sent when there is signal.",
          ...(back ? [el("p", {}, el("a", { href: back, class: "nhsuk-button", text: "Back to the visit" }))] : [])),
      );
      return;
    }
    if (kind === "outcome.rate") {
      const heading = document.querySelector("h1");
      const scores = ["knowledge", "behaviour", "status"].map((name) => Number(fields.get(name)));
      await queue(
        kind,
        {
          problem_id: match[2],
          knowledge: scores[0],
          behaviour: scores[1],
          status: scores[2],
          rated_on: fields.get("rated_on") || new Date().toISOString().slice(0, 10),
        },
        null,
        `Rating K${scores[0]} B${scores[1]} S${scores[2]}: ${heading ? heading.textContent.trim() : "a problem"}`,
        null,
      );
      form.replaceWith(
        el("div", { class: "tablet-saved", role: "status" }, tag("queued"), " ",
          "The rating is kept on this tablet and will be sent when there is signal."),
      );
      await render();
      return;
    }
    const visitId = match[2];
    const info = await visitInfo(visitId);
    const who = info ? info.label : "this visit";
    if (kind === "visit.task_outcome") {
      const key = fields.get("task_key");
      const outcome = fields.get("outcome");
      const task = info && info.tasks.find((t) => t.key === key);
      await queue(
        kind,
        {
          id: crypto.randomUUID(),
          visit_id: visitId,
          task_key: key,
          outcome,
          reason: fields.get("reason") || "",
          note: fields.get("note") || "",
        },
        null,
        `${task ? task.label : "Task"}: ${outcome === "done" ? "done" : "not done"} (${who})`,
        visitId,
      );
    } else {
      const base = await baseVersion(visitId, fields.get("version"));
      const data = { visit_id: visitId };
      if (kind === "visit.check_in") {
        data.confirm = fields.get("confirm") === "1";
        data.reason = fields.get("reason") || "";
        data.extra = fields.get("extra") === "1";
      }
      if (kind === "visit.withdraw") data.reason = fields.get("reason") || "";
      const words = { "visit.check_in": "Check in", "visit.check_out": "Check out", "visit.withdraw": "Check-in withdrawn" };
      await queue(kind, data, base, `${words[kind]}: ${who}`, visitId);
    }
    if (kind === "visit.check_out" && info) {
      location.assign(info.card);
      return;
    }
    await render();
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

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !team) return;
      if (form.dataset.tabletPost) {
        delete form.dataset.tabletPost; // checked: the server answers, post as always
        return;
      }
      const found = kindOf(form);
      if (!found) return;
      // Before htmx and before the browser's own post, which would only find no signal.
      event.preventDefault();
      event.stopImmediatePropagation();
      const submitter = event.submitter;
      (navigator.onLine ? reachable() : Promise.resolve(false))
        .then((online) => {
          if (!online) return saveOffline(form, found);
          form.dataset.tabletPost = "1";
          form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
          return undefined;
        })
        .catch((error) => {
          notice = `Could not save on this tablet: ${error}`;
          render();
        });
    },
    true,
  );

  // ---- the page shows what is saved on the tablet -------------------------------------------
  async function showOnPage(items) {
    const card = location.pathname.match(/\/teams\/[^/]+\/visits\/([^/]+)\/card\/$/);
    if (!card) return;
    showOnCard(card[1], await visitInfo(card[1]), items, reasons);
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
      const db = await dbReady;
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
        await db.put("queue", item);
      }
      // Sent or answered: the server's version is the truth again for this visit.
      for (const item of items) if (item.visit_id) await db.delete("meta", `visit:${item.visit_id}`);
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
    const query = `changes?after=${head.cursor}&incarnation=${encodeURIComponent(head.incarnation)}&limit=1`;
    const response = await api(query, { method: "GET" });
    if (await accessEnded(response)) return false;
    if (!response.ok) return false;
    const page = await response.json();
    await setMeta("cursor", { after: page.next_cursor, incarnation: page.incarnation });
    return true;
  }

  let running = Promise.resolve();
  function sync() {
    running = running.then(syncOnce);
    return running;
  }

  async function syncOnce() {
    if (leaving) return;
    notice = "";
    try {
      const sent = await send();
      if (!navigator.onLine || !team || leaving) return;
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

  // ---- sign-out, another carer, too long without signing in ------------------------------------
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      if (new URL(form.action, location.href).pathname !== shell.dataset.logout) return;
      if (form.dataset.tabletChecked) return;
      event.preventDefault();
      mine().then(async (items) => {
        const waiting = unsent(items);
        if (!waiting.length) {
          await forget(true);
          form.dataset.tabletChecked = "1";
          form.submit();
          return;
        }
        warnBeforeSignOut(form, waiting.length);
      });
    },
    true,
  );

  function warnBeforeSignOut(form, count) {
    const keep = el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", text: "Sign out and keep them on this tablet" });
    const sendNow = el("button", { class: "nhsuk-button", type: "button", text: "Send them first" });
    const box = el("div", { class: "nhsuk-warning-callout tablet-signout", id: "tablet-signout", tabindex: "-1" },
      el("h2", { class: "nhsuk-warning-callout__label" },
        el("span", { role: "text" }, el("span", { class: "nhsuk-u-visually-hidden", text: "Important: " }),
          `${count} ${count === 1 ? "item is" : "items are"} not sent yet`)),
      el("p", { text: "They are saved on this tablet only. Send them first (this needs signal), or sign out and keep them here: they are sent when you sign in again on this tablet. Everything else kept for your day is deleted at sign-out." }),
      el("div", { class: "rota-buttons" }, sendNow, keep));
    document.getElementById("tablet-signout")?.remove();
    shell.hidden = false;
    shell.prepend(box);
    box.focus();
    sendNow.addEventListener("click", async () => {
      await send();
      await render();
      const left = unsent(await mine()).length;
      if (!left) {
        await forget(true);
        form.dataset.tabletChecked = "1";
        form.submit();
      } else {
        box.querySelector("p").textContent = `${left} still not sent: there is no signal. Try again with signal, or sign out and keep them here.`;
      }
    });
    keep.addEventListener("click", async () => {
      await forget(false);
      form.dataset.tabletChecked = "1";
      form.submit();
    });
  }

  async function start() {
    const owner = await meta("owner");
    if (owner && Date.now() - owner.seenAt > (owner.keepDays || keepDays) * DAY_MS) {
      await wipe(true); // too long without signing in
    } else if (owner && me && (owner.user !== me || owner.team !== team)) {
      await wipe(false); // another carer (or team) on this tablet: not their day
    }
    if (me) await setMeta("owner", { user: me, team, seenAt: Date.now(), keepDays });
    if ("serviceWorker" in navigator && me) {
      navigator.serviceWorker.register(shell.dataset.sw, { scope: "/" }).catch((error) => {
        console.warn("careteams service worker", error);
      });
    }
    await render();
    if (navigator.onLine) await sync();
  }

  window.addEventListener("online", () => sync());
  window.addEventListener("offline", () => render());
  start();
})();
