// Keeps a page live: listens on the team socket, refreshes the fragments a change touches,
// shows whether the page is live, and catches up after a dropped connection.
//
// The page opts in with, on any element (usually <main>):
//   data-live-team="<team uuid>"  data-live-cursor="<last seq rendered>"  [data-live-view="week/…"]
// Fragments to refresh carry:
//   data-live-url="<partial URL>"  data-live-entities="visit visit_assignment shift"
//   [data-live-client="<client uuid>"]  (refresh only for changes about that client)
//   [data-live-append]  (a list that only grows, such as a channel's messages: its URL is asked
//   for the items after its last child's data-live-key, which are appended, not swapped in)
//   [data-live-fallback]  (refresh only when no row below took the change: a new record)
// A list whose rows refresh one by one (a big team's board) carries, on the rows' parent:
//   data-live-rows="visit"  data-live-row-url="rows/{id}/"
// and each row the id "<entity>-<record id>": a change to a shown record refreshes its row only.
// Status goes into #live-status, presence into #live-presence (both optional).
(function () {
  "use strict";

  var root = document.querySelector("[data-live-team]");
  if (!root) return;

  var team = root.getAttribute("data-live-team");
  // The cursor sent on reconnecting: "<seq>.<check>" from the last change or "live" message
  // (docs/sync.md, "Cursors"); at first the bare seq the page was rendered at. `seq` orders them.
  var cursor = root.getAttribute("data-live-cursor") || "0";
  var seq = parseInt(cursor, 10) || 0;
  var incarnation = "";  // the feed's, from the first "live" message: sent on every reconnect
  var view = root.getAttribute("data-live-view") || "";
  var state = "connecting";
  var present = {};
  var socket = null;
  var attempt = 0;
  var pending = new Map();
  var timer = null;
  var retry = null;
  // Each fragment URL's ETag (the team's feed position when it was rendered): a refresh sends it
  // back, and a 304 (a burst of changes already shown) leaves the fragment as it is.
  var etags = new Map();

  // Marked for the JavaScript catalogue (the tablet's, loaded on every page) and translated when
  // shown: the catalogue may load after this script.
  var gettext_noop = function (text) { return text; };
  var LABELS = {
    live: gettext_noop("Live"),
    connecting: gettext_noop("Connecting…"),
    reconnecting: gettext_noop("Reconnecting…"),
    offline: gettext_noop("Offline")
  };

  // Looked up each time: the indicator may sit inside a fragment that a refresh replaces.
  function setStatus(next) {
    state = next;
    root.setAttribute("data-live-state", state);
    var status = document.getElementById("live-status");
    if (!status) return;
    status.textContent = window.gettext ? window.gettext(LABELS[state]) : LABELS[state];
    status.setAttribute("data-state", state);
  }

  function showPresence() {
    var presence = document.getElementById("live-presence");
    if (!presence) return;
    var names = Object.keys(present).map(function (id) { return present[id].name; }).sort();
    var also = window.gettext ? window.gettext("Also here: %s") : "Also here: %s";
    presence.textContent = names.length ? also.replace("%s", names.join(", ")) : "";
  }

  function rowsFor(change) {
    var rows = [];
    document.querySelectorAll("[data-live-rows]").forEach(function (list) {
      var entities = list.getAttribute("data-live-rows").split(/\s+/);
      if (entities.indexOf(change.entity) === -1) return;
      var row = document.getElementById(change.entity + "-" + change.id);
      if (row && list.contains(row)) {
        row.setAttribute("data-live-url", list.getAttribute("data-live-row-url").replace("{id}", change.id));
        rows.push(row);
      }
    });
    return rows;
  }

  function fragmentsFor(change) {
    var rows = rowsFor(change);
    return rows.concat(Array.prototype.filter.call(document.querySelectorAll("[data-live-url]"), function (el) {
      if (rows.indexOf(el) !== -1) return false;
      var entities = (el.getAttribute("data-live-entities") || "").split(/\s+/);
      var client = el.getAttribute("data-live-client");
      if (entities.indexOf(change.entity) === -1) return false;
      if (el.hasAttribute("data-live-fallback") && rows.length) return false;
      return !client || client === change.client;
    }));
  }

  function append(el) {
    var url = el.getAttribute("data-live-url");
    var last = el.lastElementChild;
    var key = last ? last.getAttribute("data-live-key") || "" : "";
    url += (url.indexOf("?") === -1 ? "?" : "&") + "after=" + encodeURIComponent(key);
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || !el.isConnected) return;
        var parsed = document.createElement("template");
        parsed.innerHTML = html;
        Array.prototype.forEach.call(parsed.content.children, function (item) {
          if (!item.id || !document.getElementById(item.id)) el.appendChild(item.cloneNode(true));
        });
        el.dispatchEvent(new CustomEvent("live:appended", { bubbles: true }));
      });
  }

  function refresh(el) {
    if (el.hasAttribute("data-live-append")) {
      append(el);
      return;
    }
    var url = el.getAttribute("data-live-url");
    var headers = etags.has(url) ? { "If-None-Match": etags.get(url) } : {};
    if (window.htmx) {
      window.htmx.ajax("GET", url, { target: el, swap: "outerHTML", headers: headers });
      return;
    }
    headers["HX-Request"] = "true";
    fetch(url, { credentials: "same-origin", headers: headers })
      .then(function (response) {
        remember(url, response.headers.get("ETag"));
        return response.ok && response.status !== 304 ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && el.isConnected) el.outerHTML = html;
        restore();
      });
  }

  function remember(url, etag) {
    if (etag) etags.set(url, etag);
  }

  // A refreshed fragment comes back as the server rendered it; put the live state back.
  function restore() {
    setStatus(state);
    showPresence();
  }

  // Several changes in a burst (a week generated, a swap taken) refresh each fragment once.
  function schedule(change) {
    fragmentsFor(change).forEach(function (el) { pending.set(el.getAttribute("data-live-url"), el); });
    if (timer) return;
    timer = setTimeout(function () {
      timer = null;
      pending.forEach(function (el) { if (el.isConnected) refresh(el); });
      pending.clear();
    }, 150);
  }

  function advance(next, checked) {
    // An event without its cursor (from a worker of before checks) moves nothing: the replay
    // from the older cursor repeats a few hints, never skips one. The same seq checked (the
    // first "live" after a rendered bare seq) replaces it.
    if (next >= seq && checked) {
      seq = next;
      cursor = String(checked);
    }
  }

  function onMessage(message) {
    var data = JSON.parse(message.data);
    if (data.type === "change") {
      advance(data.seq, data.cursor);
      schedule(data);
    } else if (data.type === "live") {
      advance(parseInt(data.cursor, 10), data.cursor);
      incarnation = data.incarnation || incarnation;
      attempt = 0;
      setStatus("live");
    } else if (data.type === "presence") {
      if (data.op === "join") present[data.user.id] = data.user;
      else delete present[data.user.id];
      showPresence();
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    var url = scheme + "//" + window.location.host + "/ws/teams/" + team + "/?cursor=" + encodeURIComponent(cursor) +
      (incarnation ? "&incarnation=" + encodeURIComponent(incarnation) : "") +
      (view ? "&view=" + encodeURIComponent(view) : "");
    setStatus(attempt ? "reconnecting" : "connecting");
    socket = new WebSocket(url);
    socket.addEventListener("message", onMessage);
    socket.addEventListener("close", function (event) {
      present = {};
      showPresence();
      // 4401/4403/4404/4428: signed out, no longer allowed, or two-factor to set up first;
      // reloading shows the reason (or the set-up page).
      if ([4401, 4403, 4404, 4428].indexOf(event.code) !== -1) {
        window.location.reload();
        return;
      }
      // 4409/4410: this page is older than the feed allows (a restored database): start afresh.
      if (event.code === 4409 || event.code === 4410) {
        window.location.reload();
        return;
      }
      setStatus(navigator.onLine === false ? "offline" : "reconnecting");
      var delay = Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.5 + Math.random() / 2);
      attempt += 1;
      retry = setTimeout(function () { retry = null; connect(); }, delay);
    });
  }

  document.addEventListener("htmx:afterSettle", restore);
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    remember(event.detail.pathInfo.requestPath, xhr.getResponseHeader("ETag"));
    if (xhr.status === 304) event.detail.shouldSwap = false;
  });
  window.addEventListener("offline", function () { setStatus("offline"); });
  window.addEventListener("online", function () {
    if (retry) {
      clearTimeout(retry);
      retry = null;
      connect();
    }
  });
  connect();
})();
