// The queue's notifications drawer stays as the employee left it (open or shut) while htmx
// replaces the queue every few seconds.
(function () {
  "use strict";

  let open = false;

  document.addEventListener(
    "toggle",
    function (event) {
      if (event.target && event.target.id === "notices") open = event.target.open;
    },
    true
  );

  document.addEventListener("htmx:afterSwap", function () {
    const drawer = document.getElementById("notices");
    if (drawer && open) drawer.open = true;
  });
})();
