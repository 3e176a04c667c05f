// Autosave for entry, repair and identity map forms (form[data-autosave-url]): every few
// seconds while typing, and when the page is hidden or closed. The form works without this
// script; with it, a closed tab or a crash loses at most a few seconds of writing.
//
// When the session has ended (the idle logout), the page says so, keeps the text, and
// waits for the clinician to sign in again in another tab (#signed-out): it asks
// /session/ on focus and every few seconds, then takes the fresh CSRF token and saves.
// Pressing Save while signed out never leaves the page. The session check, the waiting and
// the copy in this tab are window.ReflectSignedOut (static/js/session-clear.js).
//
// After every autosave answer it dispatches "reflect:autosaved" (detail: the JSON).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  var signedOutKit = window.ReflectSignedOut;
  if (!form || !window.fetch || !window.FormData || !signedOutKit) return;

  var status = document.getElementById("autosave-status");
  var banner = document.getElementById("signed-out");
  var sessionUrl = banner ? banner.dataset.sessionUrl : null;
  var owner = banner ? banner.dataset.owner : "";
  var INTERVAL_MS = 3000;
  var dirty = false;
  var inFlight = false;
  var stopped = false;
  var timer = null;
  var signedOut = false;
  var stopWaiting = null;
  var pendingSubmit = null; // the button pressed while signed out, to press again after
  var submitting = false;

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

  function announce(data) {
    document.dispatchEvent(new CustomEvent("reflect:autosaved", { detail: data, bubbles: true }));
  }

  function adopt(data) {
    // The first autosave of a new entry creates it: write to it from now on.
    if (!data.autosave_url) return;
    form.dataset.autosaveUrl = data.autosave_url;
    form.action = data.edit_url;
    if (field("version")) field("version").value = data.version;
    if (window.history && window.history.replaceState && location.pathname !== data.edit_url) {
      window.history.replaceState(null, "", data.edit_url);
    }
  }

  // --- A copy in this tab while signed out (sessionStorage only: it dies with the tab,
  // and static/js/session-clear.js removes it at logout). ---------------------------------

  var keptKey = null; // where the copy went: a new entry's address changes once it is saved

  function copyKey() {
    return signedOutKit.key(owner);
  }

  function keepCopy() {
    if (keptKey && keptKey !== copyKey()) signedOutKit.drop(keptKey);
    keptKey = copyKey();
    signedOutKit.keep(keptKey, form);
  }

  function dropCopy() {
    signedOutKit.drop(keptKey);
    signedOutKit.drop(copyKey());
    keptKey = null;
  }

  function restoreCopy() {
    // Back on this page in the same tab after being signed out: put the text back.
    var values = signedOutKit.kept(copyKey());
    if (!values) return;
    keptKey = copyKey();
    signedOutKit.fill(form, values);
    changed();
    say("The text you wrote while signed out is back in the form.");
  }

  // --- Signed out, and back --------------------------------------------------------------

  function looksSignedOut(response) {
    if (response.status === 401 || response.status === 403) return true;
    if (response.redirected && /\/accounts\/login\//.test(response.url)) return true;
    var type = response.headers.get("Content-Type") || "";
    return response.ok && type.indexOf("application/json") === -1;
  }

  function checkSession() {
    // Resolves to true (signed in, token refreshed), false (signed out) or null (unknown).
    return signedOutKit.check(sessionUrl, form);
  }

  function signOutSeen() {
    dirty = true; // nothing was saved
    if (signedOut) return;
    signedOut = true;
    keepCopy();
    if (banner) banner.hidden = false;
    // Without the banner (a page that has none), the status line says it alone.
    say(banner ? "Waiting for you to sign in again." : "Signed out — sign in to keep this text.");
    if (!stopWaiting) stopWaiting = signedOutKit.waitForSignIn(sessionUrl, form, signedInAgain);
  }

  function signedInAgain() {
    signedOut = false;
    if (stopWaiting) stopWaiting();
    stopWaiting = null;
    if (banner) banner.hidden = true;
    say("Signed in again. Saving…");
    dirty = true;
    save();
  }

  // --- Autosave ----------------------------------------------------------------------------

  function save() {
    if (!dirty || inFlight || stopped || signedOut) return;
    dirty = false;
    inFlight = true;
    say("Saving…");
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
    })
      .then(function (response) {
        if (looksSignedOut(response)) {
          // A 403 may also be a CSRF token that a sign-in elsewhere rotated: ask.
          return checkSession().then(function (signedIn) {
            if (signedIn === false) {
              signOutSeen();
            } else {
              dirty = true; // token refreshed (or unknown): try again next tick
              if (signedIn === null) say("Could not save the draft yet. Your text is still here.");
            }
            return null;
          });
        }
        return response.json().then(function (data) {
          return { ok: response.ok, status: response.status, data: data };
        });
      })
      .then(function (result) {
        if (!result) return;
        announce(result.data);
        if (result.ok && result.data.saved) {
          adopt(result.data);
          dropCopy();
          mention(result.data.identifiers);
          var note = "Draft saved at " + result.data.saved_at + ".";
          if (result.data.not_saved && result.data.not_saved.length) {
            note += " Some fields need a look before they can be saved; press Save to see which.";
          }
          say(note);
          if (pendingSubmit) pressAgain();
        } else if (result.ok && result.data.empty) {
          say(""); // nothing written yet: nothing kept
          if (pendingSubmit) pressAgain();
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
    if (!dirty || stopped || signedOut || submitting || !navigator.sendBeacon) return;
    if (navigator.sendBeacon(form.dataset.autosaveUrl, new FormData(form))) dirty = false;
  }

  function changed() {
    dirty = true;
    if (signedOut) keepCopy();
    if (!timer) timer = window.setInterval(save, INTERVAL_MS);
  }

  // --- Save --------------------------------------------------------------------------------

  function pressAgain() {
    var button = pendingSubmit;
    pendingSubmit = null;
    submitting = true;
    stopped = true; // the real save takes over
    if (form.requestSubmit) {
      form.requestSubmit(button && button.form === form ? button : undefined);
    } else {
      form.submit();
    }
  }

  form.addEventListener("submit", function (event) {
    if (submitting) return; // checked already: let the browser send it
    // Ask first whether the session is still there: a POST without one would lose the
    // text on the login page.
    event.preventDefault();
    var button = event.submitter || null;
    checkSession().then(function (signedIn) {
      if (signedIn === false) {
        pendingSubmit = button || true;
        signOutSeen();
        return;
      }
      if (signedIn === null && sessionUrl) {
        say("Could not reach your journal. Your text is still here; press Save again in a moment.");
        return;
      }
      pendingSubmit = button || true;
      dropCopy();
      pressAgain();
    });
  });

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);
  restoreCopy();
})();
