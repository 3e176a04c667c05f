// Marks what the identifier check finds, under the box it is in, while the clinician
// writes: the passage with the finding marked, its kind in words, and a "Not an
// identifier" button that remembers the choice for this text (journal/privacy.py
// mark_not_identifier). Fed by static/js/autosave.js, which dispatches
// "reflect:autosaved" with the autosave answer after every save; each finding carries its
// field's name, its place in the text (start, end), its kind and its key.
//
// A list under each box, not a layer behind the text: it reads the same to a screen
// reader, survives any font, zoom or resize, and fits a 360 px screen.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch) return;

  var marked = {}; // keys marked "not an identifier" in this page, until the next answer

  function csrfToken() {
    var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  // The "Not an identifier" address sits beside the autosave address of a saved text.
  function markUrl(autosaveUrl) {
    if (!autosaveUrl || !/\/autosave\/$/.test(autosaveUrl)) return null;
    return autosaveUrl.replace(/autosave\/$/, "not-an-identifier/");
  }

  function box(name) {
    var fields = form.elements.namedItem(name);
    if (!fields) return null;
    if (fields.length && !fields.tagName) fields = fields[0];
    return fields.tagName === "TEXTAREA" || fields.tagName === "INPUT" ? fields : null;
  }

  function listFor(field) {
    var id = "identifiers-" + field.name;
    var list = document.getElementById(id);
    if (list) return list;
    list = document.createElement("div");
    list.id = id;
    list.className = "identifier-marks";
    var title = document.createElement("p");
    title.className = "identifier-marks-title";
    title.textContent = "This may identify a client. A code or a general description is safer:";
    list.appendChild(title);
    list.appendChild(document.createElement("ul"));
    // After the field's whole block (label, box, help), so the box keeps its layout.
    var block = field.closest(".mb-3") || field.parentNode;
    block.parentNode.insertBefore(list, block.nextSibling);
    var described = (field.getAttribute("aria-describedby") || "").split(" ");
    if (described.indexOf(id) === -1) {
      described.push(id);
      field.setAttribute("aria-describedby", described.join(" ").trim());
    }
    return list;
  }

  function clear() {
    var lists = form.querySelectorAll(".identifier-marks");
    for (var i = 0; i < lists.length; i++) lists[i].parentNode.removeChild(lists[i]);
  }

  function item(finding, url) {
    var li = document.createElement("li");
    li.className = "identifier-item";
    li.dataset.key = finding.key;
    li.finding = finding;
    var passage = document.createElement("span");
    passage.className = "identifier-passage";
    passage.appendChild(document.createTextNode(finding.before || ""));
    var mark = document.createElement("mark");
    mark.className = "identifier-mark";
    mark.dataset.kind = finding.code;
    mark.textContent = finding.text;
    passage.appendChild(mark);
    passage.appendChild(document.createTextNode(finding.after || ""));
    li.appendChild(passage);
    var kind = document.createElement("span");
    kind.className = "identifier-kind";
    kind.textContent = " (" + finding.kind + ")";
    li.appendChild(kind);
    if (url) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-secondary identifier-ok";
      button.textContent = "Not an identifier";
      button.setAttribute(
        "aria-label",
        "Not an identifier: \u201c" + finding.text + "\u201d (" + finding.kind + ")"
      );
      button.addEventListener("click", function () {
        notIdentifier(url, finding, button);
      });
      li.appendChild(button);
    }
    return li;
  }

  function show(data) {
    if (!data || !data.saved) return;
    clear();
    var findings = (data.identifiers || []).filter(function (f) {
      return f.field && f.key && !marked[f.key];
    });
    var url = markUrl(data.autosave_url);
    findings.forEach(function (finding) {
      var field = box(finding.field);
      if (!field) return;
      listFor(field).querySelector("ul").appendChild(item(finding, url));
    });
    summarise(findings);
  }

  // The save bar's line (autosave.js) names every finding; with all of them marked under
  // their boxes, name the first few only, and say it again when one is let go. Written
  // after autosave.js has written its own.
  var SHOWN_IN_BAR = 3;

  function summarise(findings) {
    var notice = document.getElementById("identifier-notice");
    if (!notice) return;
    window.setTimeout(function () {
      if (!findings.length) {
        notice.textContent = "";
        return;
      }
      var parts = findings.slice(0, SHOWN_IN_BAR).map(function (f) {
        return "\u201c" + f.text + "\u201d (" + f.kind + ")";
      });
      var more = findings.length - parts.length;
      notice.textContent =
        "This may identify a client: " +
        parts.join(", ") +
        (more ? " and " + more + " more, marked under the boxes" : "") +
        ". A code or a general description is safer.";
    }, 0);
  }

  function shown() {
    var items = form.querySelectorAll(".identifier-item");
    var out = [];
    for (var i = 0; i < items.length; i++) out.push(items[i].finding);
    return out;
  }

  function forget(key) {
    var items = form.querySelectorAll(".identifier-item");
    for (var i = 0; i < items.length; i++) {
      if (items[i].dataset.key !== key) continue;
      var list = items[i].closest(".identifier-marks");
      items[i].parentNode.removeChild(items[i]);
      if (list && !list.querySelector(".identifier-item")) list.parentNode.removeChild(list);
    }
    summarise(shown());
  }

  function notIdentifier(url, finding, button) {
    button.disabled = true;
    var body = new FormData();
    body.append("key", finding.key);
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch", Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("not saved");
        marked[finding.key] = true;
        forget(finding.key);
        var status = document.getElementById("autosave-status");
        if (status) {
          status.textContent =
            "\u201c" + finding.text + "\u201d will not be flagged again in this text.";
        }
      })
      .catch(function () {
        button.disabled = false;
        var status = document.getElementById("autosave-status");
        if (status) status.textContent = "Could not remember that choice. Try again in a moment.";
      });
  }

  document.addEventListener("reflect:autosaved", function (event) {
    show(event.detail);
  });
})();
