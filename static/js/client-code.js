// "Use C-7Q4": put the suggested client code in the box, as if typed (so autosave and the
// open-commitments lookup see it). Without JavaScript the code is still shown to copy.
(function () {
  "use strict";
  // With JavaScript the code itself becomes the button (one line, as before).
  document.querySelectorAll("[data-use-code]").forEach(function (button) {
    button.hidden = false;
    var text = button.parentNode.querySelector("[data-code-text]");
    if (text) text.hidden = true;
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-use-code]");
    if (!button) return;
    var input = document.getElementById(button.dataset.field || "id_client_code");
    if (!input) return;
    input.value = button.dataset.useCode;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.focus();
  });
})();
