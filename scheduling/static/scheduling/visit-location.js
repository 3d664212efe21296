// The visit card's check-in may carry the tablet's location, only when the carer ticks "Share
// this tablet's location". The box stays hidden without JavaScript or geolocation, so nothing is
// sent then; unticking clears what was found.
(function () {
  "use strict";
  if (!("geolocation" in navigator)) return;
  // Django's JavaScript catalogue (the tablet's, loaded on every page); the words as written
  // without it.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) { return values[key]; });
  };

  function field(box, name) {
    return box.querySelector('input[name="' + name + '"]');
  }

  function fill(box, latitude, longitude, accuracy) {
    field(box, "latitude").value = latitude;
    field(box, "longitude").value = longitude;
    field(box, "accuracy_m").value = accuracy;
  }

  function say(box, words) {
    var status = box.querySelector('[role="status"]');
    if (status) status.textContent = words;
  }

  function share(box, tick) {
    if (!tick.checked) {
      fill(box, "", "", "");
      say(box, gettext("The location will not be sent."));
      return;
    }
    say(box, gettext("Finding the tablet’s location…"));
    navigator.geolocation.getCurrentPosition(
      function (position) {
        if (!tick.checked) return;
        var c = position.coords;
        fill(box, c.latitude.toFixed(6), c.longitude.toFixed(6), Math.round(c.accuracy));
        say(box, interpolate(
          gettext("Location found, within %(metres)s m: sent with the check-in."),
          { metres: Math.round(c.accuracy) },
          true
        ));
      },
      function () {
        tick.checked = false;
        fill(box, "", "", "");
        say(box, gettext("The tablet did not give its location: the check-in goes without it."));
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  document.querySelectorAll("[data-share-location]").forEach(function (box) {
    var tick = box.querySelector('input[type="checkbox"]');
    box.hidden = false;
    tick.addEventListener("change", function () {
      share(box, tick);
    });
  });
})();
