// The field sheet page: preview what kiik reads, then send the sheet with its progress, under the
// page's idempotency key (sending again after a lost connection records the sheet once).
"use strict";

(function () {
  const form = document.getElementById("sheet-form");
  const file = document.getElementById("sheet-file");
  const send = document.getElementById("sheet-send");
  const progress = document.getElementById("sheet-progress");
  const preview = document.getElementById("sheet-preview");
  const result = document.getElementById("sheet-result");
  const headers = { "X-CSRF-Token": form.dataset.csrf, "Content-Type": "text/csv" };

  file.addEventListener("change", async () => {
    send.disabled = true;
    result.innerHTML = "";
    preview.innerHTML = "";
    if (!file.files.length) return;
    const answer = await fetch("/harvest/sheets/preview", { method: "POST", headers, body: file.files[0] });
    preview.innerHTML = await answer.text();
    send.disabled = !answer.ok;
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    result.textContent = form.dataset.sending;
    // The upload's own address: reopened after leaving the page, it says whether the sheet is recorded.
    history.replaceState(null, "", form.dataset.address);
    const request = new XMLHttpRequest();
    request.open("POST", "/harvest/sheets");
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.setRequestHeader("Idempotency-Key", form.dataset.key);
    request.upload.addEventListener("progress", (step) => {
      if (step.lengthComputable) progress.value = Math.round((100 * step.loaded) / step.total);
    });
    request.addEventListener("load", () => {
      progress.value = 100;
      result.innerHTML = request.responseText;
      send.disabled = request.status < 300;
    });
    request.addEventListener("error", () => {
      result.textContent = form.dataset.lost;
      send.disabled = false;
    });
    request.send(file.files[0]);
  });
})();
