// Tables wider than the screen scroll sideways (390 px phones): their scrolling box takes the
// keyboard focus, so that keyboard users can scroll them too (RGAA 12.13, axe
// "scrollable-region-focusable"). The DSFR wraps some tables in a shadow box after this script
// has run: the boxes are marked again whenever the page changes.
(function () {
  "use strict";
  var SCROLLERS = ".fr-table__shadow, .fr-table__container, .fr-table > table";

  function nameOf(box) {
    var caption = box.querySelector("caption");
    var text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    return text ? "Tableau : " + text : "Tableau";
  }

  function mark() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      if (box.hasAttribute("tabindex")) {
        return;
      }
      box.setAttribute("tabindex", "0");
      if (box.tagName !== "TABLE") {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOf(box));
      }
    });
  }

  var pending = false;
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        mark();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    mark();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", mark);
})();
