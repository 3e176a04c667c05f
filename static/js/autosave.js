// Autosave for entry and repair forms (form[data-autosave-url]): every few
// seconds while typing, and when the page is hidden or closed. The form works without this script; with it, a
// closed tab or a crash loses at most a few seconds of writing.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) return;

  var status = document.getElementById("autosave-status");
  var INTERVAL_MS = 3000;
  var dirty = false;
  var inFlight = false;
  var stopped = false;
  var timer = null;

  function say(text) {
    if (status) status.textContent = text;
  }

  function field(name) {
    return form.querySelector('input[name="' + name + '"]');
  }

  var notice = document.getElementById("identifier-notice");

  function mention(identifiers) {
    // A gentle word, never a block: the clinician decides.
    if (!notice) return;
    if (!identifiers || !identifiers.length) {
      notice.textContent = "";
      return;
    }
    var parts = identifiers.map(function (item) {
      return "\u201c" + item.text + "\u201d (" + item.kind + ")";
    });
    notice.textContent =
      "This may identify a client: " + parts.join(", ") + ". A code or a general description is safer.";
  }

  function adopt(data) {
    // The first autosave of a new entry creates it: write to it from now on.
    form.dataset.autosaveUrl = data.autosave_url;
    form.action = data.edit_url;
    if (field("version")) field("version").value = data.version;
    if (window.history && window.history.replaceState && location.pathname !== data.edit_url) {
      window.history.replaceState(null, "", data.edit_url);
    }
  }

  function save() {
    if (!dirty || inFlight || stopped) return;
    dirty = false;
    inFlight = true;
    say("Saving…");
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, status: response.status, data: data };
        });
      })
      .then(function (result) {
        if (result.ok && result.data.saved) {
          adopt(result.data);
          mention(result.data.identifiers);
          var note = "Draft saved at " + result.data.saved_at + ".";
          if (result.data.not_saved && result.data.not_saved.length) {
            note += " Some fields need a look before they can be saved; press Save to see which.";
          }
          say(note);
        } else {
          if (result.status === 409) stopped = true;
          // The journal is briefly unavailable: keep the text and try again next tick.
          if (result.status === 503) dirty = true;
          say(result.data.error || "Could not save the draft. Your text is still here.");
        }
      })
      .catch(function () {
        dirty = true; // try again on the next tick
        say("Offline? The draft will be saved when the connection is back. Your text is still here.");
      })
      .finally(function () {
        inFlight = false;
      });
  }

  function flush() {
    // Leaving the page: a beacon survives the tab closing where fetch may not.
    if (!dirty || stopped || !navigator.sendBeacon) return;
    if (navigator.sendBeacon(form.dataset.autosaveUrl, new FormData(form))) dirty = false;
  }

  function changed() {
    dirty = true;
    if (!timer) timer = window.setInterval(save, INTERVAL_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    stopped = true; // the real save takes over
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);
})();
