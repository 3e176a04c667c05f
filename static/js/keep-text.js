// Forms that post once and must not lose what was typed (form[data-keep-text="<name>"]:
// comments on a shared packet, the supervisor's sign-off). Without this script they post
// as any form does.
//
// Pressing the button asks first whether the session is still there. If it has ended (the
// idle logout), the form is not sent: the text stays in the page and in this tab
// (sessionStorage, cleared at logout), the signed-out notice (the form's
// <template data-signed-out>, templates/journal/_signed_out.html) shows beside it, and once
// signed in again in another tab the form is sent as it was, with the fresh CSRF token.
// The same check, wait and copy as static/js/autosave.js: window.ReflectSignedOut
// (static/js/session-clear.js).
//
// Sending one form leaves the page: text typed in the page's other such forms is kept too,
// and put back in its box when the page comes back ("Your unsent comment was kept").
(function () {
  "use strict";
  var kit = window.ReflectSignedOut;
  var forms = document.querySelectorAll("form[data-keep-text]");
  if (!kit || !forms.length || !window.fetch) return;

  var pending = null; // { form, button } pressed while signed out, sent once signed in
  var stopWaiting = null;
  var notice = null; // the signed-out notice, beside the pending form
  var sending = null; // the form being sent, its session checked
  var checking = false;

  function template(form) {
    var tpl = form.querySelector("template[data-signed-out]");
    return tpl ? tpl.content.firstElementChild : null;
  }

  function sessionUrl(form) {
    var banner = template(form);
    return banner ? banner.dataset.sessionUrl : null;
  }

  function copyKey(form) {
    var banner = template(form);
    return kit.key(banner ? banner.dataset.owner : "", form.dataset.keepText);
  }

  function say(form, text) {
    var status = form.querySelector("[data-keep-text-status]");
    if (status) status.textContent = text;
  }

  function typed(form) {
    // Anything that differs from what the page came with.
    return Array.prototype.some.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") {
        return false;
      }
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      if (el.tagName.toLowerCase() === "select") {
        return Array.prototype.some.call(el.options, function (option) {
          return option.selected !== option.defaultSelected;
        });
      }
      return el.value !== el.defaultValue;
    });
  }

  function keepOrDrop(form) {
    if (typed(form)) kit.keep(copyKey(form), form);
    else kit.drop(copyKey(form));
  }

  function keepOthers(sent) {
    // The page is about to be left: whatever is typed in the other boxes comes back with it.
    Array.prototype.forEach.call(forms, function (form) {
      if (form !== sent) keepOrDrop(form);
    });
  }

  function buttonText(button) {
    var text = button && button.textContent ? button.textContent.trim() : "";
    return text || "the button";
  }

  function showNotice(form) {
    if (notice) notice.remove();
    var banner = template(form);
    if (!banner) return;
    notice = document.importNode(banner, true);
    notice.hidden = false;
    form.appendChild(notice);
  }

  function send(form, button) {
    kit.drop(copyKey(form));
    keepOthers(form);
    if (!form.requestSubmit) {
      form.submit();
      return;
    }
    sending = form; // requestSubmit fires "submit" at once: let that one through
    try {
      form.requestSubmit(button && button.form === form ? button : undefined);
    } finally {
      sending = null;
    }
    // On its way: a second press must not send it twice (the page leaves in a moment).
    form.dataset.keepTextSent = "1";
  }

  function stopWaitingHere() {
    if (stopWaiting) stopWaiting();
    stopWaiting = null;
    if (notice) notice.remove();
    notice = null;
    if (pending) say(pending.form, "");
    pending = null;
  }

  function signedInAgain() {
    var waiting = pending;
    stopWaitingHere();
    if (!waiting) return;
    say(waiting.form, "Signed in again. Sending…");
    send(waiting.form, waiting.button);
  }

  function signOutSeen(form, button) {
    if (pending && pending.form !== form) say(pending.form, "");
    pending = { form: form, button: button };
    Array.prototype.forEach.call(forms, keepOrDrop);
    kit.keep(copyKey(form), form); // even if nothing differs from the page: it is unsent
    showNotice(form);
    say(form, "Not sent yet: waiting for you to sign in again.");
    if (!stopWaiting) stopWaiting = kit.waitForSignIn(sessionUrl(form), form, signedInAgain);
  }

  function submitted(event) {
    var form = event.currentTarget;
    if (sending === form) return; // checked already: let the browser send it
    if (form.dataset.keepTextSent) {
      event.preventDefault(); // pressed again while it goes
      return;
    }
    var url = sessionUrl(form);
    if (!url) return;
    // A POST without a session would lose the text on the login page: ask first.
    event.preventDefault();
    if (checking) return; // pressed twice: one answer is enough
    checking = true;
    var button = event.submitter || null;
    kit.check(url, form).then(function (signedIn) {
      checking = false;
      if (signedIn === false) {
        signOutSeen(form, button);
      } else if (signedIn === null) {
        keepOrDrop(form);
        say(form, "Could not reach Reflect. Your text is still here; press " +
          buttonText(button) + " again in a moment.");
      } else {
        // Signed in (perhaps again, before the next look): this one goes now; what is
        // typed in any other box is kept for when the page comes back.
        stopWaitingHere();
        send(form, button);
      }
    });
  }

  function restore(form) {
    // Back on the page in this tab: put the unsent text back, and say so.
    var values = kit.kept(copyKey(form));
    if (!values) return;
    kit.fill(form, values);
    say(form, form.dataset.keepTextKept || "Your unsent text was kept: it is back in the form.");
  }

  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", submitted);
    // While signed out, or once a copy was put back, the copy follows what is typed.
    form.addEventListener("input", function () {
      if (pending || kit.kept(copyKey(form))) keepOrDrop(form);
    });
    restore(form);
  });
  // Back on the page from the browser's history: its forms can be sent again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(forms, function (form) {
      delete form.dataset.keepTextSent;
    });
  });
})();
