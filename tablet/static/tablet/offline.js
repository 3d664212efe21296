/* The tablet app's page script (docs/sync.md, "The web app on a tablet"): the page's glue.
 *
 * It says how ready the tablet is and what is saved on it, and intercepts the visit's forms
 * (check in, tasks, check out, the visit note, a rating): offline they are saved in the queue
 * (offline-store.js) instead of being posted; back online the queue is sent and the day kept
 * (offline-sync.js). At sign-out it warns about unsent items and forgets the day. Without
 * JavaScript, or online, the forms post as they always did.
 */
(function () {
  "use strict";
  const tablet = window.careteamsTablet;
  if (!tablet || !tablet.store || !tablet.sync) return;
  const { shell, me, team, meta, setMeta, everything, mine, mineAnywhere, unsent, wipe, visitInfo, baseVersion, queue } = tablet.store;
  const { state, onChange, reachable, sendAll, sync, forget, actionStarted, actionEnded, stopKeeping } = tablet.sync;
  const { time, el, tag, showOnCard, waitingWords, endedPage, gettext, words } = tablet;
  const ngettext = window.ngettext || ((one, many, count) => (count === 1 ? one : many));

  const DAY_MS = 24 * 60 * 60 * 1000;
  const keepDays = Number(shell.dataset.keepDays || "14");
  const line = document.getElementById("tablet-ready");
  const list = document.getElementById("tablet-queue");
  const reasons = JSON.parse(document.getElementById("tablet-reasons").textContent);

  // ---- what the carer sees ----------------------------------------------------------------
  async function render() {
    const items = await mine();
    const ready = await meta("ready");
    // Signed in: the carer's own items of every team; signed out (the sign-in page): every
    // item on the tablet, counted only.
    const waiting = unsent(me ? await mineAnywhere() : await everything()).length;
    const hook = document.getElementById("tablet-waiting");
    if (hook) {
      hook.querySelector(".tablet-waiting__count").textContent = waiting ? waitingWords(waiting) : "";
      hook.hidden = !waiting;
    }
    if (state.ended) {
      // This page's team: the page becomes the plain one. Another team's (items saved there,
      // sent from here): the same words above this page, which stays.
      const main = document.getElementById("maincontent");
      if (state.ended.team === team && main) {
        endedPage(main, state.ended);
      } else {
        const box = el("div", { class: "tablet-ended-elsewhere" });
        shell.prepend(box);
        endedPage(box, state.ended);
      }
      state.ended = null;
    }
    const parts = state.notice ? [state.notice] : [];
    if (!navigator.onLine) parts.push(gettext("No signal: working on this tablet."));
    if (ready && ready.team === team) {
      parts.push(
        ready.missing.length
          ? words(gettext("Not ready to work offline, updated %(time)s: missing %(missing)s."), { time: time(ready.at), missing: ready.missing.join("; ") })
          : words(gettext("Ready to work offline, updated %(time)s."), { time: time(ready.at) }),
      );
    } else if (team) {
      parts.push(gettext("Not ready to work offline yet: open this page once with signal."));
    }
    if (waiting && !hook) parts.push(waitingWords(waiting));
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
      list.append(el("h2", { class: "nhsuk-heading-s", text: gettext("Saved on this tablet") }), ul);
    }
    shell.hidden = !team && !(waiting && !hook) && !state.notice && !shell.querySelector(".tablet-ended-elsewhere");
    await showOnPage(items);
  }

  // ---- saving offline -------------------------------------------------------------------------
  const FORMS = [
    [/\/teams\/([^/]+)\/visits\/([^/]+)\/check-in\/withdraw\/$/, "visit.withdraw"],
    [/\/teams\/([^/]+)\/visits\/([^/]+)\/check-in\/$/, "visit.check_in"],
    [/\/teams\/([^/]+)\/visits\/([^/]+)\/check-out\/$/, "visit.check_out"],
    [/\/teams\/([^/]+)\/visits\/([^/]+)\/tasks\/$/, "visit.task_outcome"],
    [/\/clients\/([^/]+)\/notes\/new\/$/, "note.create"],
    [/\/clients\/([^/]+)\/problems\/([^/]+)\/ratings\/$/, "outcome.rate"],
    // The visit card's medicines (issue 25): a dose's outcome, a PRN dose, whether it worked.
    [/\/teams\/([^/]+)\/visits\/([^/]+)\/doses\/record\/$/, "dose.record"],
    [/\/teams\/([^/]+)\/visits\/([^/]+)\/doses\/prn\/$/, "dose.record"],
    [/\/teams\/([^/]+)\/visits\/([^/]+)\/doses\/worked\/$/, "dose.follow_up"],
  ];

  function kindOf(form) {
    const path = new URL(form.action, location.href).pathname;
    for (const [pattern, kind] of FORMS) {
      const match = path.match(pattern);
      if (match) return { kind, match };
    }
    return null;
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
        info ? words(gettext("Note on the visit to %(label)s"), { label: info.label }) : gettext("Note"),
        visitId,
      );
      const back = info ? info.card : null;
      form.replaceWith(
        el("div", { class: "tablet-saved", role: "status" },
          tag("queued"), " ", gettext("Your note is kept on this tablet and will be sent when there is signal."),
          ...(back ? [el("p", {}, el("a", { href: back, class: "nhsuk-button", text: gettext("Back to the visit") }))] : [])),
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
        words(gettext("Rating K%(k)s B%(b)s S%(s)s: %(problem)s"), {
          k: scores[0], b: scores[1], s: scores[2], problem: heading ? heading.textContent.trim() : gettext("a problem"),
        }),
        null,
      );
      form.replaceWith(
        el("div", { class: "tablet-saved", role: "status" }, tag("queued"), " ",
          gettext("The rating is kept on this tablet and will be sent when there is signal.")),
      );
      await render();
      return;
    }
    const visitId = match[2];
    const info = await visitInfo(visitId);
    const who = info ? info.label : gettext("this visit");
    if (kind === "dose.record" || kind === "dose.follow_up") {
      await queue(kind, doseData(kind, fields, visitId), null, doseLabel(kind, form, fields, who), visitId);
      // The dose's row then shows what was saved in place of all its forms (showOnCard): one
      // outcome per dose, so the other form of the row ("Something else") must not stay.
      await render();
      return;
    }
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
        words(outcome === "done" ? gettext("%(task)s: done (%(visit)s)") : gettext("%(task)s: not done (%(visit)s)"), {
          task: task ? task.label : gettext("Task"), visit: who,
        }),
        visitId,
      );
    } else {
      const base = await baseVersion(visitId, fields.get("version"));
      const data = { visit_id: visitId };
      if (kind === "visit.check_in") {
        data.confirm = fields.get("confirm") === "1";
        data.reason = fields.get("reason") || "";
        data.extra = fields.get("extra") === "1";
        // The tablet's location, only when the carer ticked to share it (visit-location.js).
        if (fields.get("share_location") === "1" && fields.get("latitude")) {
          data.latitude = Number(fields.get("latitude"));
          data.longitude = Number(fields.get("longitude"));
          if (fields.get("accuracy_m")) data.accuracy_m = Number(fields.get("accuracy_m"));
        }
      }
      if (kind === "visit.withdraw") data.reason = fields.get("reason") || "";
      const names = {
        "visit.check_in": gettext("Check in"),
        "visit.check_out": gettext("Check out"),
        "visit.withdraw": gettext("Check-in withdrawn"),
      };
      await queue(kind, data, base, `${names[kind]}: ${who}`, visitId);
    }
    if (kind === "visit.check_out" && info) {
      location.assign(info.card);
      return;
    }
    await render();
  }

  /** A dose form's fields as its mutation's data (docs/sync.md): the scheduled dose's time
   * comes as seconds since 1970; a PRN dose has none. */
  function doseData(kind, fields, visitId) {
    if (kind === "dose.follow_up") {
      return {
        id: crypto.randomUUID(),
        dose_id: fields.get("dose"),
        effective: fields.get("effective") === "yes",
        note: fields.get("note") || "",
      };
    }
    const due = fields.get("due_at");
    return {
      id: fields.get("record_id") || crypto.randomUUID(),
      line_id: fields.get("line"),
      visit_id: visitId,
      due_at: due ? new Date(Number(due) * 1000).toISOString() : null,
      outcome: fields.get("outcome") || "given",
      amount: fields.get("amount") || null,
      reason: fields.get("reason") || "",
      note: fields.get("note") || "",
      prn_reason: fields.get("prn_reason") || "",
      witness_id: fields.get("witness") || null,
    };
  }

  /** The queue's words for a dose: the medicine and its time as the card shows them (the
   * team's time zone), so that two doses saved at one visit are told apart. */
  function doseLabel(kind, form, fields, who) {
    if (kind === "dose.follow_up") {
      return words(fields.get("effective") === "yes" ? gettext("Whether a dose worked: yes (%(visit)s)") : gettext("Whether a dose worked: no (%(visit)s)"), { visit: who });
    }
    const row = form.closest(".visit-dose");
    const name = row && row.querySelector(".visit-task__name strong");
    const at = row && row.querySelector(".visit-dose__time");
    const medicine = name ? name.textContent.trim() : gettext("Medicine");
    const chosen = row && row.querySelector(`input[name="outcome"][value="${fields.get("outcome") || "given"}"] + label`);
    const outcome = chosen ? chosen.textContent.trim().toLowerCase() : (fields.get("outcome") || "given").replace("_", " ");
    const values = { medicine, outcome, visit: who, time: at ? at.textContent.trim() : "" };
    if (at) return words(gettext("%(medicine)s at %(time)s: %(outcome)s (%(visit)s)"), values);
    if (fields.get("due_at")) return words(gettext("%(medicine)s: %(outcome)s (%(visit)s)"), values);
    return words(gettext("%(medicine)s, when required: %(outcome)s (%(visit)s)"), values);
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
      actionStarted();
      (navigator.onLine ? reachable() : Promise.resolve(false))
        .finally(actionEnded)
        .then((online) => {
          if (!online) return saveOffline(form, found);
          form.dataset.tabletPost = "1";
          form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
          return undefined;
        })
        .catch((error) => {
          state.notice = words(gettext("Could not save on this tablet: %(error)s"), { error });
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
        const waiting = unsent(await mineAnywhere());
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
    const keep = el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "button", text: gettext("Sign out and keep them on this tablet") });
    const sendNow = el("button", { class: "nhsuk-button", type: "button", text: gettext("Send them first") });
    const box = el("div", { class: "nhsuk-warning-callout tablet-signout", id: "tablet-signout", tabindex: "-1" },
      el("h2", { class: "nhsuk-warning-callout__label" },
        el("span", { role: "text" }, el("span", { class: "nhsuk-u-visually-hidden", text: `${gettext("Important:")} ` }),
          words(ngettext("%(count)s item is not sent yet", "%(count)s items are not sent yet", count), { count }))),
      el("p", { text: gettext("They are saved on this tablet only. Send them first (this needs signal), or sign out and keep them here: they are sent when you sign in again on this tablet. Everything else kept for your day is deleted at sign-out.") }),
      el("div", { class: "rota-buttons" }, sendNow, keep));
    document.getElementById("tablet-signout")?.remove();
    shell.hidden = false;
    shell.prepend(box);
    box.focus();
    sendNow.addEventListener("click", async () => {
      await sendAll();
      await render();
      const left = unsent(await mineAnywhere()).length;
      if (!left) {
        await forget(true);
        form.dataset.tabletChecked = "1";
        form.submit();
      } else {
        box.querySelector("p").textContent = words(
          ngettext(
            "%(count)s still not sent: there is no signal. Try again with signal, or sign out and keep them here.",
            "%(count)s still not sent: there is no signal. Try again with signal, or sign out and keep them here.",
            left,
          ),
          { count: left },
        );
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
      await wipe("all"); // too long without signing in
    } else if (owner && me && (owner.user !== me || owner.team !== team)) {
      await wipe("day"); // another carer (or team) on this tablet: not their day
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

  // The carer's own requests go first (offline-sync.js, "keeping the day"): leaving the page
  // stops keeping; an htmx request of the page holds the bundle back until answered.
  document.addEventListener("submit", stopKeeping, true);
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a[href]")) stopKeeping();
  }, true);
  window.addEventListener("pagehide", stopKeeping);
  document.addEventListener("htmx:beforeRequest", actionStarted);
  document.addEventListener("htmx:afterRequest", actionEnded);

  onChange(render);
  window.addEventListener("online", () => sync());
  window.addEventListener("offline", () => render());
  start();
})();
