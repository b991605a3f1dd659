// A desk page's file import (census CSV, Camtrap DP zip): the file is checked first (the preview
// says what kiik read, or each problem by row and column), then sent with its progress.
"use strict";

(function () {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const file = document.getElementById("upload-file");
  const send = document.getElementById("upload-send");
  const progress = document.getElementById("upload-progress");
  const preview = document.getElementById("upload-preview");
  const result = document.getElementById("upload-result");
  const headers = { "X-CSRF-Token": form.dataset.csrf, "Content-Type": form.dataset.type };

  file.addEventListener("change", async () => {
    send.disabled = true;
    result.innerHTML = "";
    preview.innerHTML = "";
    if (!file.files.length) return;
    const answer = await fetch(form.dataset.preview, { method: "POST", headers, body: file.files[0] });
    preview.innerHTML = await answer.text();
    send.disabled = !answer.ok;
  });

  // A Camtrap DP preview shows the observations a page at a time: the same file, another page.
  preview.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-preview-page]");
    if (!button || !file.files.length) return;
    const address = `${form.dataset.preview}?page=${encodeURIComponent(button.dataset.previewPage)}`;
    const answer = await fetch(address, { method: "POST", headers, body: file.files[0] });
    preview.innerHTML = await answer.text();
    const title = document.getElementById("camtrap-observations-title");
    if (title) title.focus();
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send.disabled = true;
    if (progress) { progress.hidden = false; progress.value = 0; }
    result.textContent = form.dataset.sending;
    const request = new XMLHttpRequest();
    request.open("POST", form.dataset.send);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.addEventListener("progress", (step) => {
      if (progress && step.lengthComputable) progress.value = Math.round((100 * step.loaded) / step.total);
    });
    request.addEventListener("load", () => {
      if (progress) progress.value = 100;
      preview.innerHTML = "";
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
