// Starts the NHS.UK frontend components (header menu, error summary focus, checkboxes…).
// Only browsers that run modules get here, which is the support test the frontend asks for.
import { initAll } from "../vendor/nhsuk-frontend/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
