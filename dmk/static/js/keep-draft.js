/*
 * No lost text (issue 18 item 6): every editing form marked data-dmk-keep-draft keeps what
 * the user types as a draft in sessionStorage (this browser tab only; never passwords, files
 * or hidden fields). When saving fails because the session expired, the login brings the
 * user back to the form and the draft is put back into it, with a notice.
 *
 * - A draft is written on every input and at submit; the submit also remembers the form as
 *   "pending".
 * - The next signed-in page without that form means the submit succeeded: the draft goes.
 * - A page with the form and a draft: when the page already shows the draft's values (the
 *   save went through) the draft goes; otherwise the draft is restored and announced.
 *
 * Loaded as a static file from base.html (strict CSP: no inline script).
 */
(function () {
  "use strict";

  var PREFIX = "dmk-draft:";
  var PENDING = "dmk-draft-pending";
  var SKIPPED = ["password", "file", "hidden", "submit", "button", "reset", "image"];
  var store;
  try {
    store = window.sessionStorage;
    store.setItem("dmk-draft-probe", "1");
    store.removeItem("dmk-draft-probe");
  } catch (error) {
    return; // no storage (private mode, blocked): the forms work as before
  }

  function keyOf(form, index) {
    // the address the form posts to: after a re-login the user comes back to it
    var target = new URL(form.getAttribute("action") || "", window.location.href).pathname;
    return PREFIX + target + "#" + (form.getAttribute("data-dmk-keep-draft") || index);
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      var type = (field.type || "").toLowerCase();
      return field.name && !field.disabled && field.name !== "csrfmiddlewaretoken" &&
        SKIPPED.indexOf(type) < 0;
    });
  }

  function snapshot(form) {
    var values = {};
    var seen = {};
    fieldsOf(form).forEach(function (field) {
      var type = (field.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        values[field.name + "=" + field.value] = field.checked;
        return;
      }
      seen[field.name] = (seen[field.name] || 0) + 1;
      var name = field.name + "#" + seen[field.name];
      if (field.tagName === "SELECT" && field.multiple) {
        values[name] = Array.prototype.filter.call(field.options, function (option) {
          return option.selected;
        }).map(function (option) { return option.value; });
      } else {
        values[name] = field.value;
      }
    });
    return values;
  }

  function apply(form, values) {
    var seen = {};
    fieldsOf(form).forEach(function (field) {
      var type = (field.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        var choice = field.name + "=" + field.value;
        if (Object.prototype.hasOwnProperty.call(values, choice)) {
          field.checked = values[choice];
        }
        return;
      }
      seen[field.name] = (seen[field.name] || 0) + 1;
      var name = field.name + "#" + seen[field.name];
      if (!Object.prototype.hasOwnProperty.call(values, name)) {
        return;
      }
      if (field.tagName === "SELECT" && field.multiple) {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = values[name].indexOf(option.value) >= 0;
        });
      } else {
        field.value = values[name];
      }
    });
  }

  function same(a, b) {
    return JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());
  }

  function notice(form, key) {
    var body = document.body;
    var box = document.createElement("div");
    box.className = "kern-alert kern-alert--info dmk-draft-notice";
    box.setAttribute("role", "status");
    var inner = document.createElement("div");
    inner.className = "kern-alert__body";
    var text = document.createElement("p");
    text.className = "kern-body";
    text.textContent = body.getAttribute("data-dmk-draft-restored") || "";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "kern-btn kern-btn--secondary";
    discard.textContent = body.getAttribute("data-dmk-draft-discard") || "";
    discard.addEventListener("click", function () {
      store.removeItem(key);
      window.location.reload();
    });
    inner.appendChild(text);
    inner.appendChild(discard);
    box.appendChild(inner);
    form.parentNode.insertBefore(box, form);
  }

  function start() {
    var signedIn = document.body.hasAttribute("data-dmk-signed-in");
    var pending = store.getItem(PENDING);
    var here = [];
    var forms = document.querySelectorAll("form[data-dmk-keep-draft]");
    Array.prototype.forEach.call(forms, function (form, index) {
      var key = keyOf(form, index);
      here.push(key);
      var saved = store.getItem(key);
      if (saved) {
        var draft = JSON.parse(saved);
        if (same(snapshot(form), draft)) {
          store.removeItem(key);
        } else {
          apply(form, draft);
          notice(form, key);
        }
      }
      var save = function () { store.setItem(key, JSON.stringify(snapshot(form))); };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
      form.addEventListener("submit", function () {
        save();
        store.setItem(PENDING, key);
      });
    });
    if (pending && signedIn && here.indexOf(pending) < 0) {
      store.removeItem(pending);
      store.removeItem(PENDING);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
