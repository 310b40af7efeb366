// Small behaviours of the desk pages; everything else is plain forms and HTMX attributes.
(function () {
  "use strict";
  // Ask before irreversible or client-visible transitions (buttons carrying data-confirm).
  document.addEventListener("submit", function (event) {
    const button = event.submitter;
    const message = button && button.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Re-open the panel the URL anchor points to (after a redirect to #voyants, #checklist, ...).
  window.addEventListener("DOMContentLoaded", function () {
    if (window.location.hash) {
      const target = document.querySelector(window.location.hash);
      if (target) target.scrollIntoView({block: "start"});
    }
  });
})();
