// The rota pages with htmx: board forms swap only the part they change (one visit's row, the
// day's visits, the planner's panel), and an error answer (4xx, with the message and the current
// state) is shown rather than dropped. The view stays where the person was working.
(function () {
  "use strict";

  // Long actions (generating a week's visits, assigning many) say so while they run, and a
  // second press does not send them twice. Buttons stay enabled: a disabled submitter would
  // drop its own name and value from the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var words = form.getAttribute && form.getAttribute("data-busy");
    if (!words) return;
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("aria-busy", "true");
    var busy = document.getElementById("busy");
    if (busy) {
      busy.textContent = words;
      busy.classList.add("rota-busy--on");
    }
  });

  if (!window.htmx) return;

  window.htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true, error: false },
    { code: "...", swap: false, error: true }
  ];

  // "Change carers" asks for its row with the forms to change them, in place. The link itself
  // goes to the board with that row open (without JavaScript, or to open it in a new tab); the
  // row's address is built here, not sent with every row of a big day.
  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("a.rota-choose");
    var row = link && link.closest("tr[id^='visit-']");
    var rows = row && row.closest("[data-live-row-url]");
    if (!rows) return;
    event.preventDefault();
    var url = rows.getAttribute("data-live-row-url").replace("{id}", row.id.slice("visit-".length));
    window.htmx.ajax("GET", url + "?choose=1", { source: link, target: row, swap: "outerHTML" });
  });

  function clearBusy() {
    document.querySelectorAll("form[aria-busy]").forEach(function (form) { form.removeAttribute("aria-busy"); });
    var busy = document.getElementById("busy");
    if (busy) {
      busy.textContent = "";
      busy.classList.remove("rota-busy--on");
    }
  }

  // Keep the view on what the person was working on: a swap above it (the day's problems
  // growing or shrinking) must not move it on the screen.
  var anchor = null;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var focused = document.activeElement;
    var around = focused && focused !== document.body ? focused.closest("tr[id], section[id]") : null;
    var target = event.detail.target;
    var el = around || (target && target.closest ? target.closest("tr[id]") : null);
    if (el && el.id) anchor = { id: el.id, top: el.getBoundingClientRect().top };
  });

  var planState = null;
  document.body.addEventListener("htmx:afterSettle", function (event) {
    clearBusy();
    var swapped = event.detail.elt;
    if (anchor) {
      var el = document.getElementById(anchor.id);
      if (el) window.scrollBy(0, el.getBoundingClientRect().top - anchor.top);
      anchor = null;
    }
    if (!swapped || !swapped.isConnected) return;
    // After an action on one visit, focus its name (the row was replaced under the button).
    var focusTarget = swapped.querySelector && swapped.querySelector("[data-focus]");
    if (focusTarget) {
      focusTarget.focus({ preventScroll: true });
      return;
    }
    // The planner's panel: once a run finishes, the day's rows show its proposals.
    if (swapped.id === "planning") {
      var state = swapped.getAttribute("data-plan-state");
      var finished = planState && planState !== state && (state === "done" || state === "stopped");
      planState = state;
      var visits = document.getElementById("day-visits");
      if (finished && visits) {
        var url = visits.getAttribute("data-live-url").replace("part=visits", "part=day");
        window.htmx.ajax("GET", url, { target: "#day", swap: "outerHTML" });
      }
      return;
    }
    // Otherwise put keyboard and screen-reader focus on the news inside what was swapped: the
    // error summary, else the confirmation.
    var news = swapped.querySelector && (swapped.querySelector(".nhsuk-error-summary") || swapped.querySelector(".app-messages"));
    if (news) {
      if (!news.hasAttribute("tabindex")) news.setAttribute("tabindex", "-1");
      news.focus({ preventScroll: true });
    }
  });

  var panel = document.getElementById("planning");
  if (panel) planState = panel.getAttribute("data-plan-state");
})();
