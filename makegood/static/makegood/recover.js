// The guided recovery screen: on a phone the steps scroll sideways, so bring the current one
// into view whenever the screen is loaded or swapped in by htmx.
(function () {
  "use strict";

  function showCurrentStep() {
    const current = document.querySelector(".stepper .is-current");
    const stepper = current && current.closest(".stepper");
    if (!stepper || stepper.scrollWidth <= stepper.clientWidth) return;
    stepper.scrollLeft = current.offsetLeft - stepper.offsetLeft - 16;
  }

  document.addEventListener("DOMContentLoaded", showCurrentStep);
  document.addEventListener("htmx:afterSettle", showCurrentStep);
  window.addEventListener("resize", showCurrentStep);
})();
