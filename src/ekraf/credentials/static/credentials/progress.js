// Issuance progress: polls the job's status and moves the <progress> bar (no inline script: CSP).
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status]");
  if (!box || box.getAttribute("data-job-finished") === "1") { return; }
  var bar = box.querySelector("progress");
  function set(selector, text) { var el = box.querySelector(selector); if (el) { el.textContent = text; } }
  function poll() {
    fetch(box.getAttribute("data-job-status"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.max = Math.max(job.total, 1);
        bar.value = job.done;
        bar.textContent = job.done + "/" + job.total;
        set("[data-job-done]", job.done);
        set("[data-job-total]", job.total);
        set("[data-job-label]", job.status_label);
        if (job.finished || job.stalled) { window.location.reload(); } else { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
