// Check-in at the door: typed codes are sent without reloading the page, and where the
// browser has BarcodeDetector the camera scans ticket QR codes. No library, no network
// beyond our own server (the page's Content-Security-Policy allows nothing else).
(function () {
  "use strict";
  var form = document.querySelector("[data-checkin-form]");
  if (!form) { return; }
  var input = form.querySelector("input[name=code]");
  var result = document.getElementById("checkin-result");
  var count = document.getElementById("checkin-count");
  var total = document.getElementById("checkin-total");
  var recent = document.getElementById("checkin-recent");
  var busy = false;

  function show(data) {
    result.classList.remove("d-none", "alert-success", "alert-warning", "alert-danger");
    var kind = data.outcome === "checked_in" ? "alert-success" : (data.outcome === "already" ? "alert-warning" : "alert-danger");
    result.classList.add(kind);
    result.textContent = data.message;
    if (typeof data.checked_in === "number") { count.textContent = String(data.checked_in); }
    if (typeof data.confirmed === "number") { total.textContent = String(data.confirmed); }
    if (data.outcome === "checked_in" && recent) {
      var item = document.createElement("li");
      item.className = "list-group-item d-flex justify-content-between";
      var who = document.createElement("span");
      who.textContent = data.name + " · " + data.category;
      var when = document.createElement("span");
      when.textContent = data.time;
      item.appendChild(who); item.appendChild(when);
      var empty = recent.querySelector(".text-secondary:only-child");
      if (empty && empty.parentNode === recent) { recent.removeChild(empty); }
      recent.insertBefore(item, recent.firstChild);
    }
    if (navigator.vibrate) { navigator.vibrate(data.outcome === "checked_in" ? 80 : [60, 60, 60]); }
  }

  function send(code, via) {
    if (busy || !code) { return Promise.resolve(); }
    busy = true;
    var body = new FormData(form);
    body.set("code", code);
    body.set("via", via);
    return fetch(form.action || window.location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(show).catch(function () {
      show({ outcome: "refused", message: form.getAttribute("data-offline") || "Gagal terhubung ke server. Coba lagi." });
    }).then(function () { busy = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value.trim(), "typed").then(function () { input.value = ""; input.focus(); });
  });

  // Camera scanning, only where the browser can decode QR codes itself.
  var scanner = document.querySelector("[data-scanner]");
  if (!scanner || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  scanner.hidden = false;
  var video = scanner.querySelector("[data-scan-video]");
  var start = scanner.querySelector("[data-scan-start]");
  var stop = scanner.querySelector("[data-scan-stop]");
  var stream = null, timer = null, last = "", lastAt = 0, detector = null;

  function halt() {
    if (timer) { clearInterval(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true; stop.hidden = true; start.hidden = false;
  }

  start.addEventListener("click", function () {
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (s) {
        stream = s; video.srcObject = s; video.hidden = false; stop.hidden = false; start.hidden = true;
        return video.play();
      })
      .then(function () {
        timer = setInterval(function () {
          if (busy || video.readyState < 2) { return; }
          detector.detect(video).then(function (codes) {
            if (!codes.length) { return; }
            var value = codes[0].rawValue || "";
            var now = Date.now();
            if (value === last && now - lastAt < 4000) { return; } // the same ticket still in view
            last = value; lastAt = now;
            send(value, "scan");
          }).catch(function () {});
        }, 300);
      })
      .catch(function () { halt(); show({ outcome: "refused", message: start.getAttribute("data-denied") || "Kamera tidak bisa dibuka. Ketik kode tiket." }); });
  });
  stop.addEventListener("click", halt);
  window.addEventListener("pagehide", halt);
})();
