// The map of the day (templates/scheduling/week_map.html): each member's route and the open
// visits drawn with Leaflet (vendored, loaded only once a map is asked for) over the tiles of
// MAP_TILE_URL. The same stops are listed below it in order, so the map is never needed: when
// the tiles cannot load, the canvas says so and the list is all there is. The canvas keeps its
// height whatever happens, so nothing on the page moves.
(function () {
  "use strict";

  var me = document.currentScript;
  var leafletUrl = me && me.getAttribute("data-leaflet");
  var leafletCss = me && me.getAttribute("data-leaflet-css");
  var loading = null;
  // One colour per member's route, in the list's order (the keys beside the names: rota.css).
  var COLOURS = ["#005eb8", "#007f3b", "#330072", "#ae2573", "#8a4b00", "#00a499",
                 "#425563", "#d5281b", "#41b6e6", "#006747", "#7c2855", "#768692"];
  var OPEN = "#212b32";

  function leaflet() {
    if (window.L) return Promise.resolve(window.L);
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = leafletCss;
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = leafletUrl;
      script.onload = function () { resolve(window.L); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loading;
  }

  function failed(canvas) {
    if (canvas.getAttribute("data-state") === "failed") return;
    canvas.setAttribute("data-state", "failed");
    if (canvas._map) canvas._map.remove();
    canvas._map = null;
    canvas.textContent = "";
    var note = document.createElement("p");
    note.className = "day-map__note";
    note.textContent = canvas.getAttribute("data-failed");
    canvas.appendChild(note);
  }

  function draw(L, canvas, data) {
    canvas.textContent = "";
    var map = L.map(canvas, { scrollWheelZoom: false });
    canvas._map = map;
    var loaded = 0;
    var tiles = L.tileLayer(canvas.getAttribute("data-tiles"), {
      maxZoom: 19, attribution: canvas.getAttribute("data-attribution")
    });
    tiles.on("tileload", function () { loaded += 1; });
    // Not one tile in a while: the tile server cannot be reached from here (offline, blocked).
    tiles.on("tileerror", function () {
      setTimeout(function () { if (!loaded) failed(canvas); }, 1500);
    });
    tiles.addTo(map);
    var all = [];
    data.routes.forEach(function (route, n) {
      var colour = COLOURS[n % COLOURS.length];
      var line = route.stops.map(function (s) { return [s[0], s[1]]; });
      if (line.length > 1) L.polyline(line, { color: colour, weight: 4 }).addTo(map);
      route.stops.forEach(function (s, i) {
        L.circleMarker([s[0], s[1]], { radius: 8, color: colour, fillOpacity: 0.9 })
          .bindTooltip(route.name + " " + (i + 1) + ": " + s[2]).addTo(map);
      });
      all = all.concat(line);
    });
    data.open.forEach(function (s) {
      L.circleMarker([s[0], s[1]], { radius: 8, color: OPEN, dashArray: "3", fillOpacity: 0.2 })
        .bindTooltip(s[2]).addTo(map);
      all.push([s[0], s[1]]);
    });
    if (all.length) map.fitBounds(all, { padding: [24, 24], maxZoom: 15 });
    else map.setView([54.5, -3], 5);
  }

  function start(root) {
    var canvas = root.querySelector ? root.querySelector("#day-map-canvas") : null;
    if (!canvas || canvas.getAttribute("data-state")) return;
    canvas.setAttribute("data-state", "loading");
    var data = JSON.parse(canvas.getAttribute("data-routes"));
    leaflet().then(function (L) {
      if (canvas.isConnected && canvas.getAttribute("data-state") === "loading") {
        canvas.setAttribute("data-state", "drawn");
        draw(L, canvas, data);
      }
    }, function () { failed(canvas); });
  }

  start(document);
  // New content from htmx (the map asked for, or its live refresh): htmx:load fires on it.
  document.body.addEventListener("htmx:load", function () { start(document); });
})();
