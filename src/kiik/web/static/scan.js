// Scanning lists (receive, ship, process, endorse, seize): each code typed, scanned with a USB
// scanner (it types the code and Enter) or read by the camera is checked at once by kiik, and the
// verdicts are shown under the list. The camera's barcode reader is loaded only when its button is
// pressed: the browser's own BarcodeDetector where it has one, else the barcode-detector package
// (ZXing compiled to WebAssembly), served from /static/vendor like the other libraries.
"use strict";

(function () {
  const VENDOR = "/static/vendor/";
  let reader = null;

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  async function detectorClass() {
    if ("BarcodeDetector" in window) return window.BarcodeDetector;
    if (!reader) {
      await loadScript(VENDOR + "barcode-detector.js");
      window.BarcodeDetectionAPI.prepareZXingModule({
        overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? VENDOR + path : prefix + path) },
      });
      reader = window.BarcodeDetectionAPI.BarcodeDetector;
    }
    return reader;
  }

  function setUp(box) {
    const list = box.querySelector("textarea");
    const checks = box.querySelector("[data-checks]");
    const cameraButton = box.querySelector("[data-camera]");
    const status = box.querySelector("[data-camera-status]");
    const view = box.querySelector("[data-camera-view]");
    let pending = null;
    let stream = null;
    let lastCode = "";
    let lastAt = 0;

    async function check() {
      const body = new URLSearchParams({ purpose: box.dataset.purpose, codes: list.value, csrf: box.dataset.csrf });
      const answer = await fetch("/floor/check", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": box.dataset.csrf },
        body,
      });
      if (answer.ok) checks.innerHTML = await answer.text();
    }

    function soon() {
      clearTimeout(pending);
      pending = setTimeout(check, 250);
    }

    list.addEventListener("keyup", (event) => {
      if (event.key === "Enter") soon();
    });
    list.addEventListener("change", soon);
    list.addEventListener("paste", () => setTimeout(soon, 0));

    function add(code) {
      const now = Date.now();
      if (code === lastCode && now - lastAt < 3000) return; // the same code still in front of the camera
      lastCode = code;
      lastAt = now;
      const lines = list.value.split("\n").map((line) => line.trim()).filter(Boolean);
      if (!lines.includes(code)) {
        lines.push(code);
        list.value = lines.join("\n") + "\n";
        check();
      }
    }

    function stop() {
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
      view.hidden = true;
      cameraButton.textContent = box.dataset.cameraOn;
      status.textContent = "";
    }

    async function start() {
      try {
        const Detector = await detectorClass();
        const detector = new Detector({ formats: ["data_matrix", "qr_code", "code_128", "ean_13"] });
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
        view.srcObject = stream;
        view.hidden = false;
        await view.play();
        cameraButton.textContent = box.dataset.cameraOff;
        status.textContent = box.dataset.cameraLooking;
        const look = async () => {
          if (!stream) return;
          try {
            for (const found of await detector.detect(view)) add(found.rawValue.trim());
          } catch (ignored) {
            // a frame the reader could not take (the video not ready yet): the next one will do
          }
          setTimeout(look, 200);
        };
        look();
      } catch (failure) {
        stop();
        status.textContent = box.dataset.cameraFailed;
      }
    }

    if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
      cameraButton.hidden = false;
      cameraButton.addEventListener("click", () => (stream ? stop() : start()));
    }
  }

  document.querySelectorAll("[data-scan]").forEach(setUp);
})();
