// Starts GOV.UK Frontend's components (loaded as a module, so no inline script is needed).
import { initAll } from "/static/govuk/govuk-frontend.min.js";

initAll();
