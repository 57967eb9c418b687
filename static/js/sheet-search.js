// The attendance sheet's search box, filtering as one types. Without this file the box still
// works as a plain GET form (?sok=), so the sheet never depends on it.
(function () {
  "use strict";
  var box = document.querySelector("[data-sheet-filter]");
  if (!box) {
    return;
  }
  function filter() {
    var wanted = box.value.trim().toLowerCase();
    document.querySelectorAll("[data-sheet-group]").forEach(function (group) {
      var shown = 0;
      group.querySelectorAll("[data-sheet-name]").forEach(function (person) {
        var match = !wanted || person.getAttribute("data-sheet-name").indexOf(wanted) !== -1;
        person.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      group.hidden = shown === 0;
    });
  }
  box.addEventListener("input", filter);
})();
