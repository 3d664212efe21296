// The rota pages with htmx: board forms swap the board in place (see week.html), and an error
// answer (4xx, with the message and the current state) is shown rather than dropped.
(function () {
  "use strict";
  if (!window.htmx) return;

  window.htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true, error: false },
    { code: "...", swap: false, error: true }
  ];

  // After a swap, put keyboard and screen-reader focus where the news is: the error summary,
  // else the confirmation.
  document.body.addEventListener("htmx:afterSettle", function () {
    var target = document.getElementById("error-summary") || document.querySelector(".rota-messages");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });
})();
