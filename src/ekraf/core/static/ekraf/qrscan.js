// The shared camera QR scanner (window.EkrafQR), used by every page that scans: the check-in
// at the door and the offline certificate verifier. The browser's own BarcodeDetector when it
// has one that reads QR codes; otherwise the decoder the project ships (jsQR 1.4.0,
// Apache-2.0, static/ekraf/vendor/jsqr/), loaded from our own server on first use — no CDN,
// and it decodes on the device, so scanning keeps working with no network.
//
// The page includes <script src="…/ekraf/qrscan.js" data-jsqr="…/jsQR.js">. Its scanner element
// carries the messages (data-qr-insecure, -unsupported, -denied, -no-camera, -busy, -failed).
//
//   EkrafQR.unavailable()            → null, or why the camera cannot work here at all
//   EkrafQR.message(element, reason) → the page's text for that reason
//   EkrafQR.start(video, onCode, onError) → {stop()}; onCode(text) once per QR shown (the same
//                                      QR held in view is reported again only after 3 s)
(function () {
  "use strict";
  var script = document.currentScript;
  var decoderUrl = script && script.getAttribute("data-jsqr");
  var decoderLoading = null;

  function loadDecoder() {
    if (window.jsQR) { return Promise.resolve(window.jsQR); }
    if (!decoderLoading) {
      decoderLoading = new Promise(function (resolve, reject) {
        if (!decoderUrl) { reject(new Error("no decoder")); return; }
        var tag = document.createElement("script");
        tag.src = decoderUrl;
        tag.onload = function () { window.jsQR ? resolve(window.jsQR) : reject(new Error("no decoder")); };
        tag.onerror = function () { decoderLoading = null; reject(new Error("no decoder")); };
        document.head.appendChild(tag);
      });
    }
    return decoderLoading;
  }

  function unavailable() {
    if (!window.isSecureContext) { return "insecure"; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return "unsupported"; }
    return null;
  }

  function message(element, reason) {
    return (element && element.getAttribute("data-qr-" + reason)) ||
      (element && element.getAttribute("data-qr-failed")) || reason;
  }

  function reasonOf(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") { return "denied"; }
    if (name === "NotFoundError" || name === "OverconstrainedError") { return "no-camera"; }
    if (name === "NotReadableError" || name === "AbortError") { return "busy"; }
    return "failed";
  }

  // One way of reading a frame: the browser's detector, or jsQR on a scaled-down copy.
  function nativeReader() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    var formats = window.BarcodeDetector.getSupportedFormats
      ? window.BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]);
    return formats.then(function (list) {
      if (list.indexOf("qr_code") < 0) { return null; }
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function (video) {
        return detector.detect(video).then(function (codes) {
          return codes.length ? codes[0].rawValue || "" : null;
        });
      };
    }).catch(function () { return null; });
  }

  function decoderReader() {
    return loadDecoder().then(function (jsQR) {
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function (video) {
        var width = video.videoWidth, height = video.videoHeight;
        if (!width || !height) { return Promise.resolve(null); }
        var scale = Math.min(1, 800 / Math.max(width, height));
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
        return Promise.resolve(found ? found.data : null);
      };
    });
  }

  function start(video, onCode, onError) {
    var stopped = false, stream = null, timer = null, last = "", lastAt = 0;
    var session = {
      stop: function () {
        stopped = true;
        if (timer) { clearTimeout(timer); timer = null; }
        if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
        video.srcObject = null;
      }
    };
    var why = unavailable();
    if (why) { setTimeout(function () { onError(why); }, 0); return session; }
    var camera = navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    var reader = nativeReader().then(function (read) { return read || decoderReader(); });
    camera.then(function (s) {
      if (stopped) { s.getTracks().forEach(function (t) { t.stop(); }); return; }
      stream = s;
      video.srcObject = s;
      video.setAttribute("playsinline", "");
      return Promise.all([reader, video.play()]).then(function (results) {
        var read = results[0];
        var tick = function () {
          if (stopped) { return; }
          var pending = video.readyState >= 2 ? read(video) : Promise.resolve(null);
          pending.then(function (value) {
            if (stopped || !value) { return; }
            var now = Date.now();
            if (value === last && now - lastAt < 3000) { return; } // the same QR still in view
            last = value; lastAt = now;
            onCode(value);
          }).catch(function () {}).then(function () {
            if (!stopped) { timer = setTimeout(tick, 200); }
          });
        };
        tick();
      });
    }).catch(function (error) {
      if (stopped) { return; }
      var reason = error && error.message === "no decoder" ? "unsupported" : reasonOf(error);
      session.stop();
      onError(reason);
    });
    return session;
  }

  window.EkrafQR = { unavailable: unavailable, message: message, start: start };
})();
