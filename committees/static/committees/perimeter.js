// Perimeter of a CLE: filter the long list of communes by name or INSEE code as one types.
// Progressive enhancement: without JavaScript the whole list stays visible and usable.
(function () {
  "use strict";
  var group = document.getElementById("commune-filter-group");
  var input = document.getElementById("commune-filter");
  var status = document.getElementById("commune-filter-status");
  if (!group || !input || !status) {
    return;
  }
  var normalise = function (text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  };
  var items = Array.prototype.map.call(
    document.querySelectorAll("#commune-choices [data-filter-text]"),
    function (element) {
      return { element: element, text: normalise(element.getAttribute("data-filter-text")) };
    }
  );
  group.hidden = false;
  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var query = normalise(input.value.trim());
      var shown = 0;
      items.forEach(function (item) {
        var match = query === "" || item.text.indexOf(query) !== -1;
        item.element.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      status.textContent =
        shown + (shown > 1 ? " communes affichées" : " commune affichée") + " sur " + items.length + ".";
    }, 150);
  });
})();
