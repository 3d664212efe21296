// The rota grid (templates/scheduling/week_grid.html): pick a visit up, see who could take it
// (the hints sheet), put it on a member's row. Three ways, one request: a tap on the visit then
// a tap on the row (or on "Move to …" in the hints), the keyboard (arrows between visits and
// rows, Enter to pick up and Enter on a member's name to put down, Escape to let go), and drag
// and drop where the pointer allows it. The server answers the day's grid, swapped in place:
// the grid's scroll, the picked visit and the focus are kept, so the view does not jump.
(function () {
  "use strict";

  if (!window.htmx) return;
  var picked = null;  // {key, v, version, from}

  function grid() { return document.getElementById("grid"); }
  function sheet() { return document.getElementById("grid-sheet"); }

  // The page's words in the person's language: Django's JavaScript catalogue (scheduling/jsi18n/,
  // loaded before this script), the words as written without it. Each is written as
  // gettext("…") where it is used, so that makemessages finds it.
  var gettext = window.gettext || function (text) { return text; };
  function t(words, named) {
    return words.replace(/%\((\w+)\)s/g, function (all, key) { return named[key]; });
  }

  function say(text) {
    var status = document.getElementById("grid-status");
    if (status) status.textContent = text;
  }

  function label(block) {
    var text = block.querySelector(".grid-visit__text");
    return text ? text.textContent : "";
  }

  function items(row) {
    return Array.prototype.slice.call(row.querySelectorAll("[data-grid-head], .grid-visit"));
  }

  function rove(el) {
    var root = grid();
    if (!root || !el) return;
    root.querySelectorAll("[data-grid-head], .grid-visit").forEach(function (item) {
      item.setAttribute("tabindex", item === el ? "0" : "-1");
    });
  }

  function closeSheet() {
    var panel = sheet();
    if (panel) {
      panel.hidden = true;
      panel.innerHTML = "";
    }
    // The room made below the page for the sheet stays: taking it away could pull the page
    // up under the person's finger (the browser clamps the scroll to the shorter page).
  }

  function showPicked() {
    var root = grid();
    if (!root) return;
    root.querySelectorAll(".grid-visit[aria-pressed='true']").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    var block = picked && document.getElementById(picked.key);
    if (picked && !block) picked = null;  // moved or gone meanwhile
    if (block) {
      block.setAttribute("aria-pressed", "true");
      picked.version = block.getAttribute("data-version");
    }
    root.classList.toggle("grid--picking", !!picked);
  }

  function drop() {
    picked = null;
    showPicked();
    closeSheet();
  }

  // The hints of the picked visit into the sheet, shown; or, with `dropping` (a visit dragged
  // onto a row), shown only when that row's member needs a reason, else the move is sent.
  function loadHints(dropping) {
    var root = grid();
    var panel = sheet();
    if (!root || !panel) return;
    var url = root.getAttribute("data-grid-hints") + picked.v + "/?from=" + encodeURIComponent(picked.from);
    var key = picked.key;
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || !picked || picked.key !== key) return;
        panel.innerHTML = html;
        if (dropping && !reasonIn(panel, dropping)) {
          move(dropping);
          return;
        }
        panel.hidden = false;
        document.body.classList.add("grid-sheet-open");
        if (dropping) move(dropping);
      });
  }

  function pick(block, quiet) {
    if (picked && picked.key === block.id) {
      drop();
      say(t(gettext("Let go of %(visit)s."), { visit: label(block) }));
      return;
    }
    picked = {
      key: block.id,
      v: block.getAttribute("data-v"),
      version: block.getAttribute("data-version"),
      from: block.getAttribute("data-from")
    };
    showPicked();
    say(t(gettext("Picked up %(visit)s: choose a member’s name."), { visit: label(block) }));
    // Not while dragging: the sheet would come up over the rows it is dragged to.
    if (!quiet) loadHints();
  }

  // The reason field of a member's hint, when moving there breaks a hard rule (the sheet asks
  // for it before the move is sent; the server refuses such a move without one all the same).
  function reasonIn(panel, to) {
    var hint = panel.querySelector("[data-grid-hint='" + to + "']");
    return hint ? hint.querySelector("[data-grid-reason]") : null;
  }

  function reasonFor(to) {
    var panel = sheet();
    return panel && !panel.hidden ? reasonIn(panel, to) : null;
  }

  function move(to) {
    var root = grid();
    if (!root || !picked) {
      say(gettext("Pick a visit up first: tap it, or press Enter on it."));
      return;
    }
    var field = reasonFor(to);
    if (field && !field.value.trim()) {
      say(gettext("This move breaks a rule: say why in the list of who could take it, then move it."));
      field.scrollIntoView({ block: "nearest" });
      field.focus({ preventScroll: true });
      return;
    }
    var token = root.querySelector("input[name=csrfmiddlewaretoken]");
    var values = {
      visit: picked.v, version: picked.version, from: picked.from, to: to,
      day: root.getAttribute("data-grid-day"), view: "grid",
      reason: field ? field.value.trim() : "",
      csrfmiddlewaretoken: token ? token.value : ""
    };
    picked = null;
    closeSheet();
    window.htmx.ajax("POST", root.getAttribute("data-grid-move"), { target: "#grid", swap: "outerHTML", values: values });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    if (target.closest("[data-grid-close]")) {
      var back = picked && document.getElementById(picked.key);
      drop();
      if (back) back.focus({ preventScroll: true });
      return;
    }
    var root = grid();
    if (!root || !root.contains(target)) return;
    var block = target.closest(".grid-visit");
    if (block) {
      rove(block);
      pick(block);
      return;
    }
    var row = target.closest("[data-grid-to]");
    if (row && (target.closest("[data-grid-head]") || target.closest("[data-grid-lane]"))) {
      move(row.getAttribute("data-grid-to"));
    }
  });

  // A "Move to …" button in the hints: the same move, without leaving the page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.closest || !form.closest("#grid-sheet") || !picked) return;
    event.preventDefault();
    var to = form.querySelector("input[name=to]");
    if (to) move(to.value);
  });

  function nearest(row, from) {
    var blocks = Array.prototype.slice.call(row.querySelectorAll(".grid-visit"));
    if (!blocks.length || !from.classList.contains("grid-visit")) return row.querySelector("[data-grid-head]");
    var x = from.getBoundingClientRect().left;
    return blocks.reduce(function (best, b) {
      return Math.abs(b.getBoundingClientRect().left - x) < Math.abs(best.getBoundingClientRect().left - x) ? b : best;
    });
  }

  document.addEventListener("keydown", function (event) {
    var root = grid();
    var here = document.activeElement;
    if (!root || !here || !root.contains(here)) return;
    if (event.key === "Escape" && picked) {
      drop();
      say(gettext("Let go."));
      event.preventDefault();
      return;
    }
    var row = here.closest("[data-grid-to]");
    if (!row || ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].indexOf(event.key) === -1) return;
    var next = null;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      var all = items(row);
      next = all[all.indexOf(here) + (event.key === "ArrowLeft" ? -1 : 1)];
    } else {
      var rows = Array.prototype.slice.call(root.querySelectorAll("[data-grid-to]"));
      var other = rows[rows.indexOf(row) + (event.key === "ArrowUp" ? -1 : 1)];
      // While a visit is picked up, up and down go from name to name: Enter then puts it there.
      if (other) next = picked ? other.querySelector("[data-grid-head]") : nearest(other, here);
    }
    if (!next) return;
    event.preventDefault();
    rove(next);
    next.focus();
  });

  document.addEventListener("dragstart", function (event) {
    var block = event.target.closest && event.target.closest("#grid .grid-visit");
    if (!block) return;
    event.dataTransfer.setData("text/plain", label(block));
    event.dataTransfer.effectAllowed = "move";
    closeSheet();
    if (!picked || picked.key !== block.id) pick(block, true);
  });
  document.addEventListener("dragover", function (event) {
    var row = picked && event.target.closest && event.target.closest("#grid [data-grid-to]");
    if (!row) return;
    event.preventDefault();
    document.querySelectorAll(".grid-row--over").forEach(function (r) { if (r !== row) r.classList.remove("grid-row--over"); });
    row.classList.add("grid-row--over");
  });
  document.addEventListener("drop", function (event) {
    var row = picked && event.target.closest && event.target.closest("#grid [data-grid-to]");
    if (!row) return;
    event.preventDefault();
    // The sheet was closed for the drag: the hints say first whether the move needs a reason.
    loadHints(row.getAttribute("data-grid-to"));
  });

  // A new copy of the grid (a move answered, another tablet's change through live.js) is put in
  // here, not by htmx: in the same task the grid's time scroll, the picked visit and the focus
  // are given back, so nothing moves on the screen in between.
  function swapGrid(old, html) {
    var box = old.querySelector("[data-grid-scroll]");
    var left = box ? box.scrollLeft : 0;
    var focused = document.activeElement;
    var inside = !!(focused && old.contains(focused));
    var focusId = inside ? focused.id : "";
    var headRow = inside && focused.hasAttribute("data-grid-head") ? focused.closest("[data-grid-to]").id : "";
    var parsed = document.createElement("template");
    parsed.innerHTML = html.trim();
    var fresh = parsed.content.querySelector("#grid");
    if (!fresh) return;
    old.replaceWith(fresh);
    var newBox = fresh.querySelector("[data-grid-scroll]");
    if (newBox) newBox.scrollLeft = left;
    showPicked();
    var row = headRow && document.getElementById(headRow);
    var again = fresh.querySelector("[data-focus]") || (focusId && document.getElementById(focusId)) ||
      (row && row.querySelector("[data-grid-head]"));
    if (again) {
      rove(again);
      if (inside || again.hasAttribute("data-focus")) again.focus({ preventScroll: true });
    }
    window.htmx.process(fresh);
  }

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "grid" || !event.detail.shouldSwap || event.detail.xhr.status === 304) return;
    event.detail.shouldSwap = false;
    swapGrid(target, event.detail.serverResponse);
  });
})();
