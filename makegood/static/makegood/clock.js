// First-response clocks that tick every second. Each running clock carries its due time
// (`data-due`, ISO 8601); the page (or the polled queue fragment) carries the server's time
// (`data-server-now`), so that a wrong clock on the employee's computer does not mislead them.
// The text follows cases/queue.py's format_span: "4:32 left", "1:02:05 left", "3d 4h overdue".
(function () {
  "use strict";

  let offsetMs = 0;

  function syncServerTime() {
    const holder = document.querySelector("[data-server-now]");
    if (!holder) return;
    const serverNow = Date.parse(holder.dataset.serverNow);
    if (!Number.isNaN(serverNow)) offsetMs = serverNow - Date.now();
  }

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function formatSpan(ms) {
    let seconds = Math.floor(Math.abs(ms) / 1000);
    const days = Math.floor(seconds / 86400);
    seconds -= days * 86400;
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    if (days) return days + "d " + hours + "h";
    if (hours) return hours + ":" + pad(minutes) + ":" + pad(seconds);
    return minutes + ":" + pad(seconds);
  }

  function tick() {
    const now = Date.now() + offsetMs;
    document.querySelectorAll(".clock[data-due]").forEach(function (clock) {
      const due = Date.parse(clock.dataset.due);
      if (Number.isNaN(due)) return;
      const left = due - now;
      const breached = left < 0;
      clock.textContent = formatSpan(left) + (breached ? " overdue" : " left");
      clock.classList.toggle("clock--breached", breached);
      clock.classList.toggle("clock--running", !breached);
      const row = clock.closest("[data-clock-row]");
      if (row) row.classList.toggle("is-breached", breached);
      const box = clock.closest(".clock-box");
      if (box) box.classList.toggle("clock-box--breached", breached);
    });
  }

  function refresh() {
    syncServerTime();
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    refresh();
    window.setInterval(tick, 1000);
  });

  document.addEventListener("htmx:afterSettle", refresh);

  // A polled fragment that comes back as the login page means the session ended: reload, so the
  // browser shows the login page itself instead of a login form inside the queue.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login/") !== -1) {
      event.preventDefault();
      window.location.reload();
    }
  });
})();
