/* What the tablet app keeps on the tablet (docs/sync.md, "The web app on a tablet"): the
 * IndexedDB store with the send queue (each saved form as a sync push mutation) and its facts
 * ("meta": owner, readiness, local visit versions, cursor), and the name of the cache of kept
 * pages. No network here: sending and pulling are in offline-sync.js, the page in offline.js. */
(function () {
  "use strict";
  const shell = document.getElementById("tablet-status");
  if (!shell || !("indexedDB" in window) || !window.idb || !window.careteamsTablet) return;

  const DAY_CACHE = "careteams-day";
  const me = shell.dataset.user || "";
  const team = shell.dataset.team || "";

  const dbReady = idb.openDB("careteams-tablet", 1, {
    upgrade(db) {
      db.createObjectStore("queue", { keyPath: "mutation_id" }).createIndex("order", "order");
      db.createObjectStore("meta");
    },
  });

  async function meta(key) {
    return (await dbReady).get("meta", key);
  }
  async function setMeta(key, value) {
    return (await dbReady).put("meta", value, key);
  }
  /** Every item on this tablet, anyone's, oldest first. */
  async function everything() {
    return (await dbReady).getAllFromIndex("queue", "order");
  }
  /** The queue of the signed-in carer in this team, oldest first. */
  async function mine() {
    return (await everything()).filter((item) => item.user === me && item.team === team);
  }
  /** The signed-in carer's items of every team: each is sent to the team it was saved for,
   * whichever page is open. */
  async function mineAnywhere() {
    return (await everything()).filter((item) => item.user === me);
  }
  const unsent = (items) => items.filter((i) => i.state === "queued");

  /** Items the server has answered, gone from the queue; when nothing is left on the tablet,
   * its facts go too. */
  async function drop(items) {
    const db = await dbReady;
    for (const item of items) await db.delete("queue", item.mutation_id);
    if (!(await db.count("queue"))) await db.clear("meta");
  }

  /** Delete the kept pages and what was read. `scope` "day": that only; "mine": the signed-in
   * carer's items too, and anything answered (another carer's unsent items stay theirs, sent at
   * their next sign-in); "all": the whole store (too long without signing in). */
  async function wipe(scope) {
    await caches.delete(DAY_CACHE);
    const db = await dbReady;
    if (scope === "all") {
      await db.clear("queue");
    } else if (scope === "mine") {
      const tx = db.transaction("queue", "readwrite");
      for (const item of await tx.store.getAll()) {
        if (item.user === me || item.state !== "queued") await tx.store.delete(item.mutation_id);
      }
      await tx.done;
    }
    if (scope !== "day" && !(await db.count("queue"))) {
      await db.clear("meta");
      return;
    }
    const tx = db.transaction("meta", "readwrite");
    for (const key of await tx.store.getAllKeys()) {
      if (key !== "owner") await tx.store.delete(key);
    }
    await tx.done;
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

  /** An item again after the server's answer (sent, conflict, refused). */
  async function update(item) {
    return (await dbReady).put("queue", item);
  }

  /** Sent or answered: the server's version is the truth again for this visit. */
  async function dropVersion(visitId) {
    return (await dbReady).delete("meta", `visit:${visitId}`);
  }

  window.careteamsTablet.store = {
    DAY_CACHE, shell, me, team, meta, setMeta, everything, mine, mineAnywhere, unsent, drop, wipe,
    visitInfo, baseVersion, queue, update, dropVersion,
  };
})();
