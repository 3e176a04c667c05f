// Beside a new entry or repair note: as soon as a client code is typed, show what I said I
// would do with that client (their open commitments), from /commitments/?client=…
(function () {
  "use strict";
  var box = document.getElementById("open-commitments");
  if (!box || !window.fetch) return;
  var input = document.getElementById(box.dataset.field || "id_client_code");
  if (!input) return;
  var shown = null;
  var timer = null;

  function load() {
    var code = input.value.trim().toUpperCase();
    if (code === shown) return;
    shown = code;
    if (!code) {
      box.innerHTML = "";
      return;
    }
    var url = box.dataset.url + "?client=" + encodeURIComponent(code);
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || response.redirected || type.indexOf("text/html") === -1) return null;
        return response.text();
      })
      .then(function (html) {
        // Our own server-rendered fragment (escaped by Django's templates).
        if (html !== null && input.value.trim().toUpperCase() === code) box.innerHTML = html;
      })
      .catch(function () {
        shown = null; // try again on the next change
      });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(load, 400);
  }

  input.addEventListener("input", soon);
  input.addEventListener("change", load);
  if (input.value.trim()) load();
})();
