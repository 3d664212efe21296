// Starts the NHS.UK frontend components (header menu, error summary focus, checkboxes…).
// Only browsers that run modules get here, which is the support test the frontend asks for.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

// The unread count in the header's menu arrives (and changes) after the header has fitted its
// items to the width: fit them again, or the longer item pushes the page sideways.
document.addEventListener("htmx:afterSettle", () => {
  if (document.querySelector(".nhsuk-header #messages-unread")) {
    window.dispatchEvent(new Event("resize"));
  }
});
