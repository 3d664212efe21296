// Channels with htmx: a refused message (4xx, with the form's errors) is shown rather than
// dropped, a message appended twice (by the post's answer and by the live event) is kept once,
// and "No messages yet" goes when the first one arrives.
(function () {
  "use strict";
  if (!window.htmx) return;

  window.htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true, error: false },
    { code: "...", swap: false, error: true }
  ];

  function tidy() {
    var list = document.getElementById("message-list");
    if (!list) return;
    var seen = {};
    Array.prototype.forEach.call(list.children, function (item) {
      if (seen[item.id]) item.remove();
      else seen[item.id] = true;
    });
    var empty = document.getElementById("no-messages");
    if (empty && list.children.length) empty.remove();
  }

  document.body.addEventListener("htmx:afterSettle", function () {
    tidy();
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
  document.body.addEventListener("live:appended", tidy);
})();
