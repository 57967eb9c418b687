// The menu button on small screens. Without this file the menu is simply shown in full.
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  var small = window.matchMedia("(max-width: 991.98px)");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-closed", !open);
  }

  button.hidden = false;
  setOpen(!small.matches);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Turning a tablet or widening a window opens the menu again, so nothing stays hidden.
  small.addEventListener("change", function (event) {
    setOpen(!event.matches);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && small.matches && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
