// The projected self check-in QR: reload the image just after each time window changes.
(function () {
  "use strict";
  var box = document.querySelector("[data-projector]");
  if (!box) { return; }
  var img = box.querySelector("[data-projector-qr]");
  var windowMs = parseInt(box.getAttribute("data-refresh"), 10) * 1000 || 30000;
  var base = img.getAttribute("src");
  function refresh() {
    img.setAttribute("src", base + "?t=" + Date.now());
    var wait = windowMs - (Date.now() % windowMs) + 500;
    setTimeout(refresh, wait);
  }
  setTimeout(refresh, windowMs - (Date.now() % windowMs) + 500);
  var full = box.querySelector("[data-fullscreen]");
  if (full && document.documentElement.requestFullscreen) {
    full.addEventListener("click", function () { box.requestFullscreen(); });
  } else if (full) { full.hidden = true; }
})();
