// Copy buttons: <button data-copy-from="input-id" data-copied="message" hidden>.
// The button stays hidden without JavaScript (the field can still be selected and copied by hand).
"use strict";
document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
  var field = document.getElementById(button.getAttribute("data-copy-from"));
  var status = button.parentElement.querySelector("[data-copy-status]");
  if (!field) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () {
      if (status) {
        status.textContent = button.getAttribute("data-copied");
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        field.select();
      });
    } else {
      field.select();
      if (document.execCommand("copy")) {
        done();
      }
    }
  });
});
