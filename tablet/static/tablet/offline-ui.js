/* Building blocks of the tablet app's page script (offline.js): the words and tags of a saved
 * item, the task buttons drawn after an offline check-in, and the plain words of a conflict or a
 * refusal. Pure DOM and text: no store, no network. */
(function () {
  "use strict";
  // Django's JavaScript catalogue (tablet/jsi18n/, precached); the words as written without it.
  const gettext = window.gettext || ((text) => text);
  const ngettext = window.ngettext || ((one, many, count) => (count === 1 ? one : many));
  const interpolate = window.interpolate || ((text, values, named) => (named
    ? text.replace(/%\((\w+)\)s/g, (match, key) => values[key])
    : text.replace(/%s/g, () => values.shift())));
  /** A count put into its sentence, written as ngettext(one, many, count) for the catalogue. */
  const counted = (sentence, count) => interpolate(sentence, [count]);
  /** A translated sentence with its named places ("%(time)s") filled in. */
  const words = (text, values) => interpolate(text, values, true);

  /** "7 items on this tablet are waiting to be sent". */
  function waitingWords(count) {
    return counted(ngettext(
      "%s item on this tablet is waiting to be sent.",
      "%s items on this tablet are waiting to be sent.",
      count,
    ), count);
  }

  function lateWords() {
    return gettext(
      "Sent after you left the team: it is in the team's record as a late entry, under your name and the time you wrote it, and the team has been told.",
    );
  }
  /** A leaver's item other than a note (a check-in, a task, a rating): kept on the server as
   * sent, for the team to enter into the record by hand (mobile_api/late.py). */
  function heldWords() {
    return gettext(
      "Held for your team to review: it reached the server after you left the team, so it was not entered on its own; the team will enter it into the record if it is still right.",
    );
  }
  const time = (iso) =>
    new Date(iso).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) node.append(child);
    return node;
  }

  const STATE_WORDS = {
    queued: gettext("Saved on this tablet, not sent yet"),
    sent: gettext("Sent"),
    conflict: gettext("Not sent: changed by someone else"),
    rejected: gettext("Not sent: refused"),
    held: gettext("Sent: held for your team to review"),
  };
  // A visit's state and a dose's outcome as the server names them, in the page's words.
  const VISIT_STATES = {
    planned: gettext("Planned"),
    in_progress: gettext("In progress"),
    done: gettext("Done"),
    cancelled: gettext("Cancelled"),
    missed: gettext("Missed"),
  };
  const DOSE_OUTCOMES = {
    given: gettext("Given"),
    prompted: gettext("Prompted and taken"),
    partly: gettext("Partly taken"),
    refused: gettext("Refused"),
    not_given: gettext("Not given"),
    not_available: gettext("Not available"),
  };
  const STATE_TAGS = { queued: "yellow", sent: "green", conflict: "red", rejected: "red", held: "blue" };

  function tag(state) {
    return el("strong", {
      class: `nhsuk-tag nhsuk-tag--${STATE_TAGS[state]} tablet-tag`,
      text: STATE_WORDS[state],
    });
  }

  function taskForms(info, task, index, reasons) {
    const action = info.card.replace(/card\/$/, "tasks/");
    const done = el("form", { method: "post", action, class: "visit-task__done" },
      el("input", { type: "hidden", name: "task_key", value: task.key }),
      el("input", { type: "hidden", name: "outcome", value: "done" }),
      el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "submit" }, gettext("Done"),
        el("span", { class: "nhsuk-u-visually-hidden", text: `: ${task.label}` })));
    const radios = el("div", { class: "nhsuk-radios" });
    for (const r of reasons) {
      const id = `tablet-task-${index}-reason-${r.value}`;
      radios.append(el("div", { class: "nhsuk-radios__item" },
        el("input", { class: "nhsuk-radios__input", id, name: "reason", type: "radio", value: r.value, required: "" }),
        el("label", { class: "nhsuk-label nhsuk-radios__label", for: id, text: r.label })));
    }
    const noteId = `tablet-task-${index}-note`;
    const notDone = el("form", { method: "post", action },
      el("input", { type: "hidden", name: "task_key", value: task.key }),
      el("input", { type: "hidden", name: "outcome", value: "not_done" }),
      el("fieldset", { class: "nhsuk-fieldset" },
        el("legend", { class: "nhsuk-fieldset__legend nhsuk-fieldset__legend--s", text: gettext("Why not?") }), radios),
      el("div", { class: "nhsuk-form-group" },
        el("label", { class: "nhsuk-label", for: noteId, text: gettext("Note (needed when you could not)") }),
        el("textarea", { class: "nhsuk-textarea", id: noteId, name: "note", rows: "2" })),
      el("button", { class: "nhsuk-button nhsuk-button--secondary", type: "submit" }, gettext("Save: not done"),
        el("span", { class: "nhsuk-u-visually-hidden", text: `: ${task.label}` })));
    const details = el("details", { class: "nhsuk-details" },
      el("summary", { class: "nhsuk-details__summary" },
        el("span", { class: "nhsuk-details__summary-text" }, gettext("Not done"),
          el("span", { class: "nhsuk-u-visually-hidden", text: `: ${task.label}` }))),
      el("div", { class: "nhsuk-details__text" }, notDone));
    return el("div", { class: "tablet-task-forms" }, done, details);
  }

  function conflictWords(item, current, problem) {
    if (item.kind && item.kind.startsWith("dose.")) {
      // Another tablet recorded this dose first (the server names who and when): the first
      // record stands, this one was not added.
      const first = gettext("Not recorded: someone else recorded this dose first.");
      const after = gettext("Open the visit to see the team's record; record a correction there if this one is right.");
      return [first, problem && problem.detail, after].filter(Boolean).join(" ");
    }
    const parts = [gettext("Someone else changed this visit while this tablet was offline, so this was not recorded.")];
    if (current && current.status) {
      const state = VISIT_STATES[current.status] || String(current.status).replace("_", " ");
      parts.push(current.checked_in_at
        ? words(gettext("It is now %(state)s, checked in at %(time)s."), { state, time: time(current.checked_in_at) })
        : words(gettext("It is now %(state)s."), { state }));
    }
    parts.push(gettext("Open the visit to see what the team's record has now, and do it again there if it is still needed."));
    return parts.join(" ");
  }

  function refusedWords(problem) {
    if (problem && problem.code === "confirmation_required") {
      return gettext("The check-in is far from the visit's time: open the visit and check in again with a reason.");
    }
    return problem && problem.detail ? words(gettext("Refused: %(why)s"), { why: problem.detail }) : gettext("Refused by the server.");
  }

  /** The visit card as this tablet knows it: a check-in, tasks and check-out saved here but
   * not sent yet are shown on the kept (older) page, with the buttons to go on. */
  function showOnCard(visitId, info, items, reasons) {
    const own = items.filter((i) => i.visit_id === visitId && i.state !== "sent");
    const checkIn = own.find((i) => i.kind === "visit.check_in" && i.state === "queued");
    const checkOut = own.find((i) => i.kind === "visit.check_out" && i.state === "queued");
    const state = document.getElementById("visit-state");
    if (state && checkIn) {
      const block = el("div", { class: "tablet-visit-state" },
        el("p", {}, words(gettext("You checked in at %(time)s."), { time: time(checkIn.recorded_at) }), " ", tag("queued")));
      if (checkOut) {
        block.append(el("p", {}, words(gettext("You checked out at %(time)s."), { time: time(checkOut.recorded_at) }), " ", tag("queued")));
      } else {
        const out = el("form", { method: "post", action: info ? info.check_out : "" });
        out.append(
          el("input", { type: "hidden", name: "version", value: "0" }),
          el("button", { class: "nhsuk-button", type: "submit", text: gettext("Check out") }),
        );
        block.append(out);
      }
      state.querySelectorAll(":scope > form, :scope > .rota-buttons, :scope > details, .tablet-visit-state")
        .forEach((n) => n.remove());
      const status = state.querySelector(".nhsuk-tag");
      if (status) status.textContent = checkOut ? gettext("Done (on this tablet)") : gettext("In progress (on this tablet)");
      document.querySelectorAll(".visit-tasks + p.nhsuk-body-s").forEach((n) => n.remove());
      state.append(block);
    }
    own.filter((i) => i.kind.startsWith("dose.")).forEach(showDose);
    // Tasks: what was ticked here, and the buttons to tick them once checked in offline.
    if (info) {
      info.tasks.forEach((task, index) => {
        const row = document.getElementById(`task-${index + 1}`);
        if (!row) return;
        const saved = own.filter((i) => i.kind === "visit.task_outcome" && i.data.task_key === task.key).pop();
        const stateText = row.querySelector(".visit-task__state");
        if (saved && stateText) {
          const reason = reasons.find((r) => r.value === saved.data.reason);
          stateText.replaceChildren(
            saved.data.outcome === "done"
              ? gettext("Done.")
              : words(gettext("Not done: %(reason)s."), { reason: reason ? reason.label.toLowerCase() : saved.data.reason.replace("_", " ") }),
            " ",
            tag(saved.state),
          );
        }
        if (checkIn && !checkOut && !row.querySelector("form")) row.append(taskForms(info, task, index + 1, reasons));
      });
    }
  }

  /** The row of the card (medicines/visit_doses.py's keys) a dose item saved here is about. */
  function doseRow(item) {
    const data = item.data;
    if (item.kind === "dose.follow_up") return document.getElementById(`worked-${data.dose_id}`);
    if (!data.due_at) return document.getElementById(`prn-${data.line_id}`);
    return document.getElementById(`${data.line_id}-${Math.round(Date.parse(data.due_at) / 1000)}`);
  }

  /** A dose saved on this tablet, on its row: what was recorded and that it is not sent yet,
   * in place of the row's forms (also on the kept page opened again offline, which shows the
   * dose as not recorded): one outcome per dose, so nothing invites a second. */
  function showDose(item) {
    const row = doseRow(item);
    if (!row) return;
    const stateText = row.querySelector(".visit-task__state");
    const onState = item.kind === "dose.record" && item.data.due_at && stateText;
    if (onState) {
      const raw = item.data.outcome.replace("_", " ");
      const outcome = DOSE_OUTCOMES[item.data.outcome] || `${raw[0].toUpperCase()}${raw.slice(1)}`;
      stateText.replaceChildren(`${outcome}. `, tag(item.state));
    }
    row.querySelectorAll("form, details, .visit-task__actions").forEach((n) => n.remove());
    row.querySelector(".tablet-saved")?.remove();
    const words = gettext("Kept on this tablet and sent when there is signal. The team's record checks the medicine's rules again then.");
    row.append(el("div", { class: "tablet-saved", role: "status" }, ...(onState ? [words] : [tag(item.state), " ", words])));
  }

  /** A plain page in place of the team's page: access has ended; what happened to each item
   * saved on this tablet (sent, late entry, held for the team, refused), and what is still on it. */
  function endedPage(main, ended) {
    const section = el("div", { class: "tablet-ended", id: "tablet-ended" },
      el("h1", { text: gettext("This tablet no longer has access to this team") }),
      el("p", { text: gettext("Your access to the team has ended. What this tablet kept for your day has been deleted.") }));
    if (ended.answered.length) {
      const ul = el("ul", { class: "nhsuk-list tablet-queue__list" });
      for (const item of ended.answered) {
        const li = el("li", { class: "tablet-queue__item" }, tag(item.state), " ", el("span", { text: item.label }));
        if (item.message) li.append(el("p", { class: "nhsuk-body-s tablet-queue__why", text: item.message }));
        ul.append(li);
      }
      section.append(
        el("h2", { class: "nhsuk-heading-s", text: gettext("What was saved on this tablet") }),
        el("p", { text: gettext("The server has answered every item below: none of them is on this tablet any more.") }),
        ul);
    }
    if (ended.waiting.length) {
      section.append(el("p", { class: "nhsuk-body", text: counted(ngettext(
        "%s item could not be sent and stays on this tablet: it goes when the server takes it. Tell the team what it was.",
        "%s items could not be sent and stay on this tablet: they go when the server takes them. Tell the team what they were.",
        ended.waiting.length), ended.waiting.length) }));
    }
    main.replaceChildren(section);
  }

  window.careteamsTablet = {
    time, el, tag, showOnCard, conflictWords, refusedWords, lateWords, heldWords, waitingWords, endedPage,
    gettext, words,
  };
})();
