/*
 * One polite announcement per event (issue 18 item 7). A live region
 * (<div data-dmk-live-region aria-live="polite">) stays outside the part HTMX replaces every
 * second; each replaced part names it (data-dmk-announce-to) and carries the text for its
 * current state (data-dmk-announce: "eröffnet", or "geschlossen" with the result and one
 * sentence per Land). The region's text is changed only when that text changes, so a screen
 * reader hears "opened" and "closed + result" once each, never the ticking vote count.
 *
 * With data-dmk-announce-initial the state found at page load is announced too.
 * Loaded as a static file (strict CSP: no inline script).
 */
(function () {
  "use strict";

  var heard = {};

  function update(initial) {
    var regions = document.querySelectorAll("[data-dmk-live-region]");
    Array.prototype.forEach.call(regions, function (region) {
      var sources = document.querySelectorAll('[data-dmk-announce-to="' + region.id + '"]');
      Array.prototype.forEach.call(sources, function (source) {
        var key = region.id + "/" + source.id;
        var text = source.getAttribute("data-dmk-announce") || "";
        if (heard[key] === text) {
          return;
        }
        var first = !Object.prototype.hasOwnProperty.call(heard, key);
        heard[key] = text;
        if (text && (!first || (initial && region.hasAttribute("data-dmk-announce-initial")))) {
          region.textContent = text;
        }
      });
    });
  }

  function start() {
    // a short pause lets assistive technology register the empty region first
    window.setTimeout(function () { update(true); }, 300);
    document.body.addEventListener("htmx:afterSettle", function () { update(false); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
