// The reply coach in the browser. htmx asks the server for the coach's findings as the employee
// types (debounced, `hx-trigger="input delay:400ms"`) and swaps them in; this file only keeps the
// Send button in step with them: a finding that blocks this employee (a frontline "no") turns
// Send off, with the coach's explanation attached, until the words are changed. The server runs
// the coach again on send and refuses a blocked reply, so nothing here is trusted.
(function () {
  "use strict";

  function sync(form) {
    const button = form.querySelector("[data-coach-send]");
    if (!button) return;
    const kind = form.querySelector('input[name="kind"]:checked');
    const label = kind && button.getAttribute("data-label-" + kind.value);
    if (label) button.textContent = label;
    const coach = form.querySelector("[data-blocking]");
    const blocked = Boolean(coach && coach.dataset.blocking === "true");
    button.disabled = blocked;
    const note = form.querySelector("[data-coach-blocked]");
    if (blocked && note) {
      button.setAttribute("aria-describedby", note.id);
    } else {
      button.removeAttribute("aria-describedby");
    }
  }

  function syncAll() {
    document.querySelectorAll("form[data-coach-form]").forEach(sync);
  }

  document.addEventListener("DOMContentLoaded", syncAll);

  document.addEventListener("htmx:afterSwap", function (event) {
    const form = event.detail.target && event.detail.target.closest("form[data-coach-form]");
    if (form) sync(form);
  });

  // "Send the reply" or "Record the contact", as the employee switches between them.
  document.addEventListener("change", function (event) {
    const target = event.target;
    if (!(target instanceof HTMLInputElement) || target.name !== "kind") return;
    const form = target.closest("form[data-coach-form]");
    if (form) sync(form);
  });
})();
