// Loaded on every page (base.html), before any page's own scripts. Text typed while the
// session has ended is kept in this tab, in sessionStorage (never localStorage), under
// "reflect-unsaved:"; it is removed when the clinician logs out, so it never outlives the
// session it was written in.
//
// It is also the one way pages that must not lose text (static/js/autosave.js,
// static/js/keep-text.js) learn that the session has ended, wait for a sign-in in another
// tab, and keep the text meanwhile: window.ReflectSignedOut. The notice they show is
// templates/journal/_signed_out.html; its data-session-url is journal/views/session.py.
(function () {
  "use strict";
  var PREFIX = "reflect-unsaved:";
  var POLL_MS = 4000;

  // --- Is the session still there? ------------------------------------------------------

  function check(sessionUrl, form) {
    // Resolves to true (signed in; the form's CSRF token refreshed, as a sign-in rotates
    // it), false (signed out) or null (unknown: offline, or no session URL).
    if (!sessionUrl || !window.fetch) return Promise.resolve(null);
    return fetch(sessionUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) return null;
        return response.json().then(function (data) {
          if (data.signed_in && data.csrf_token && form) {
            var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
            if (token) token.value = data.csrf_token;
          }
          return !!data.signed_in;
        });
      })
      .catch(function () {
        return null;
      });
  }

  function waitForSignIn(sessionUrl, form, back) {
    // Ask on focus, when the tab is shown again and every few seconds; call back() once,
    // when the clinician has signed in again (in another tab). Returns stop().
    var done = false;
    var poller = window.setInterval(look, POLL_MS);

    function look() {
      if (done) return;
      check(sessionUrl, form).then(function (signedIn) {
        if (signedIn !== true || done) return;
        stop();
        back();
      });
    }

    function shown() {
      if (document.visibilityState !== "hidden") look();
    }

    function stop() {
      done = true;
      window.clearInterval(poller);
      window.removeEventListener("focus", look);
      document.removeEventListener("visibilitychange", shown);
    }

    window.addEventListener("focus", look);
    document.addEventListener("visibilitychange", shown);
    return stop;
  }

  // --- A copy of the text in this tab ----------------------------------------------------

  function key(owner, name) {
    // One page, one form: "reflect-unsaved:<user>:<path>" (and "#<form>" when a page has several).
    return PREFIX + owner + ":" + location.pathname + (name ? "#" + name : "");
  }

  function values(form) {
    // What can be typed or chosen: not hidden fields (the CSRF token, versions), not buttons.
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      out.push([el.name, el.type, el.value]);
    });
    return out;
  }

  function keep(storageKey, form) {
    if (!window.sessionStorage) return false;
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(values(form)));
      return true;
    } catch (e) {
      return false; // storage full or refused: the text is still in the page
    }
  }

  function kept(storageKey) {
    // The values kept under storageKey, or null.
    if (!window.sessionStorage) return null;
    var raw = null;
    try {
      raw = sessionStorage.getItem(storageKey);
    } catch (e) {
      return null;
    }
    if (!raw) return null;
    try {
      return JSON.parse(raw);
    } catch (e) {
      drop(storageKey);
      return null;
    }
  }

  function fill(form, kept) {
    kept.forEach(function (item) {
      var name = item[0], type = item[1], value = item[2];
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== name) return;
        if (type === "checkbox" || type === "radio") {
          if (el.value === value) el.checked = true;
        } else if (el.type === type || el.tagName.toLowerCase() === type) {
          el.value = value;
        }
      });
    });
  }

  function drop(storageKey) {
    if (!window.sessionStorage || !storageKey) return;
    try {
      sessionStorage.removeItem(storageKey);
    } catch (e) {
      /* nothing kept */
    }
  }

  function clearCopies() {
    if (!window.sessionStorage) return;
    try {
      for (var i = sessionStorage.length - 1; i >= 0; i--) {
        var name = sessionStorage.key(i);
        if (name && name.indexOf(PREFIX) === 0) sessionStorage.removeItem(name);
      }
    } catch (e) {
      /* storage refused: nothing was kept */
    }
  }

  window.ReflectSignedOut = {
    check: check,
    waitForSignIn: waitForSignIn,
    key: key,
    keep: keep,
    kept: kept,
    fill: fill,
    drop: drop,
  };

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.getAttribute) return;
    var action = form.getAttribute("action") || "";
    if (/\/accounts\/logout\/?(\?|$)/.test(action)) clearCopies();
  });
})();
