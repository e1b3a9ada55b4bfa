// Follows a PDF export until it is ready, then reveals the download link (the page works
// without it: the link appears on reload).
(function () {
  "use strict";
  var box = document.getElementById("export-progress");
  if (!box) {
    return;
  }
  var bar = document.getElementById("export-bar");
  var label = document.getElementById("export-label");
  var download = document.getElementById("export-download");
  var error = document.getElementById("export-error");
  var url = box.getAttribute("data-status-url");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json();
      })
      .then(function (state) {
        bar.value = state.progress;
        bar.textContent = state.progress + " %";
        label.textContent = state.status_label;
        if (state.status === "done") {
          download.hidden = false;
        } else if (state.status === "failed") {
          error.textContent = state.error || error.textContent;
          error.hidden = false;
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  if (download.hidden && error.hidden) {
    poll();
  }
})();
