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

  // The camera under a scanning field: `found(code)` is called with each code it reads.
  function camera(box, found) {
    const cameraButton = box.querySelector("[data-camera]");
    const status = box.querySelector("[data-camera-status]");
    const view = box.querySelector("[data-camera-view]");
    let stream = null;
    let lastCode = "";
    let lastAt = 0;

    function stop() {
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
      view.hidden = true;
      cameraButton.textContent = box.dataset.cameraOn;
    }

    function seen(code) {
      const now = Date.now();
      if (code === lastCode && now - lastAt < 3000) return; // the same code still in front of the camera
      lastCode = code;
      lastAt = now;
      found(code, stop);
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
            for (const code of await detector.detect(view)) seen(code.rawValue.trim());
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
      cameraButton.addEventListener("click", () => {
        status.textContent = "";
        if (stream) stop();
        else start();
      });
    }
  }

  // A list of codes, each checked by kiik as soon as it is typed, scanned or read by the camera.
  function list(box) {
    const codes = box.querySelector("textarea");
    const checks = box.querySelector("[data-checks]");
    let pending = null;
    let asked = 0; // the latest check asked for: an older answer arriving late is dropped

    // `whole`: the list as it stands; else only its finished lines (a code still being typed waits for its Enter).
    async function check(whole) {
      const mine = ++asked;
      const text = whole === true ? codes.value : codes.value.slice(0, codes.value.lastIndexOf("\n") + 1);
      const body = new URLSearchParams({ purpose: box.dataset.purpose, codes: text, csrf: box.dataset.csrf });
      const answer = await fetch("/floor/check", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": box.dataset.csrf },
        body,
      });
      const html = await answer.text();
      if (answer.ok && mine === asked) checks.innerHTML = html;
    }

    function soon(whole) {
      clearTimeout(pending);
      pending = setTimeout(() => check(whole), 250);
    }

    codes.addEventListener("keyup", (event) => {
      if (event.key === "Enter") soon();
    });
    codes.addEventListener("change", () => soon(true));
    codes.addEventListener("paste", () => setTimeout(() => soon(true), 0));
    camera(box, (code) => {
      const lines = codes.value.split("\n").map((line) => line.trim()).filter(Boolean);
      if (!lines.includes(code)) {
        lines.push(code);
        codes.value = lines.join("\n") + "\n";
        check(true);
      }
    });
  }

  // One code that leads to its page: the camera fills it in and opens the page.
  function single(box) {
    const input = box.querySelector("input");
    camera(box, (code, stop) => {
      stop();
      input.value = code;
      input.form.submit();
    });
  }

  document.querySelectorAll("[data-scan]").forEach(list);
  document.querySelectorAll("[data-scan-single]").forEach(single);
})();
