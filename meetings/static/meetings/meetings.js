// Meetings: the live quorum of the attendance form, and the progress of the minutes' PDF.
// Progressive enhancement only: without JavaScript the forms and pages work the same.
(function () {
  "use strict";

  function showQuorum(data) {
    var panel = document.getElementById("quorum-panel");
    if (!panel) return;
    panel.classList.toggle("fr-alert--success", data.reached);
    panel.classList.toggle("fr-alert--warning", !data.reached);
    var text = panel.querySelector("[data-quorum-text]");
    if (text) text.textContent = data.text;
  }

  var form = document.getElementById("attendance-form");
  if (form && form.dataset.quorumUrl) {
    var pending = null;
    form.addEventListener("change", function () {
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(form.dataset.quorumUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        signal: pending.signal,
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) showQuorum(data); })
        .catch(function () {});
    });
  }

  var status = document.getElementById("pdf-status");
  if (status && (status.dataset.status === "pending" || status.dataset.status === "rendering")) {
    var delay = 1500;
    var poll = function () {
      fetch(status.dataset.statusUrl, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          if (data.status === "ready" && data.url) {
            var paragraph = document.createElement("p");
            var link = document.createElement("a");
            link.className = "fr-link fr-icon-download-line fr-link--icon-left";
            link.href = data.url;
            link.setAttribute("data-pdf-link", "");
            link.textContent = "Télécharger le compte rendu (PDF)";
            paragraph.appendChild(link);
            status.replaceChildren(paragraph);
          } else if (data.status === "failed") {
            window.location.reload();
          } else {
            var progress = status.querySelector("[data-pdf-progress]");
            if (progress) progress.textContent = data.label + "…";
            delay = Math.min(delay * 1.5, 10000);
            window.setTimeout(poll, delay);
          }
        })
        .catch(function () { window.setTimeout(poll, 10000); });
    };
    window.setTimeout(poll, delay);
  }
})();
