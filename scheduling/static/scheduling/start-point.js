// "Use where I am now" on the start point page: fills the latitude and longitude from the
// browser's location, for the person to check and save. Hidden without JavaScript or
// geolocation: the two numbers are typed then. Nothing is sent until the form is saved.
(function () {
  "use strict";
  if (!("geolocation" in navigator)) return;
  // Django's JavaScript catalogue (the tablet's, loaded on every page); the words as written
  // without it.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) { return values[key]; });
  };

  document.querySelectorAll("[data-start-point-here]").forEach(function (box) {
    var form = box.closest("form");
    var button = box.querySelector("button");
    var status = box.querySelector('[role="status"]');
    box.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = gettext("Finding where you are…");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var c = position.coords;
          form.querySelector('input[name="latitude"]').value = c.latitude.toFixed(5);
          form.querySelector('input[name="longitude"]').value = c.longitude.toFixed(5);
          button.disabled = false;
          status.textContent = interpolate(
            gettext("Filled in, within %(metres)s m. Check the numbers, then save."),
            { metres: Math.round(c.accuracy) },
            true
          );
        },
        function () {
          button.disabled = false;
          status.textContent = gettext("The browser did not give a location: type the numbers instead.");
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  });
})();
