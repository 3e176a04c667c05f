// Loaded on every page. Text kept in this tab while signed out (static/js/autosave.js keeps
// it in sessionStorage, never localStorage) is removed when the clinician logs out, so it
// never outlives the session it was written in.
(function () {
  "use strict";
  var PREFIX = "reflect-unsaved:";

  function clearCopies() {
    if (!window.sessionStorage) return;
    try {
      for (var i = sessionStorage.length - 1; i >= 0; i--) {
        var key = sessionStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) sessionStorage.removeItem(key);
      }
    } catch (e) {
      /* storage refused: nothing was kept */
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.getAttribute) return;
    var action = form.getAttribute("action") || "";
    if (/\/accounts\/logout\/?(\?|$)/.test(action)) clearCopies();
  });
})();
