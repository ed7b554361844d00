// Check-in at the door. Typed or scanned codes go to our server without reloading the page;
// the camera works through the shared scanner (ekraf/qrscan.js: BarcodeDetector, else the
// shipped jsQR decoder). The session's ticket list is kept on the device (localStorage: codes,
// names, categories, refusals, check-in times — nothing else), so when the venue's Wi-Fi drops
// scans are answered from it as the server would, queued, and synced when the network is back.
(function () {
  "use strict";
  var form = document.querySelector("[data-checkin-form]");
  if (!form) { return; }
  var input = form.querySelector("input[name=code]");
  var result = document.getElementById("checkin-result");
  var count = document.getElementById("checkin-count");
  var total = document.getElementById("checkin-total");
  var recent = document.getElementById("checkin-recent");
  var status = document.getElementById("checkin-offline");
  var session = form.getAttribute("data-session");
  var listKey = "ekraf.checkin.list." + session;
  var queueKey = "ekraf.checkin.queue." + session;
  var clock = new Intl.DateTimeFormat("id-ID", { timeZone: "Asia/Jakarta", hour: "2-digit", minute: "2-digit", hour12: false });
  var busy = false, syncing = false, offline = !navigator.onLine;

  function read(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function write(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or private */ }
  }
  var list = read(listKey, null);
  var queue = read(queueKey, []);

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return values[name] || ""; });
  }
  function hhmm(iso) { return clock.format(new Date(iso)).replace(":", "."); }
  function normalise(raw) {
    var code = String(raw || "").trim().toUpperCase().replace(/[-\s]/g, "");
    if (code.indexOf("/") >= 0) { code = code.replace(/\/+$/, "").split("/").pop(); }
    return code.replace(/[IL]/g, "1").replace(/O/g, "0").slice(0, 16);
  }

  function showStatus() {
    if (!status) { return; }
    var text = offline ? status.getAttribute("data-offline") : (list ? status.getAttribute("data-saved") : "");
    if (queue.length) { text += " " + status.getAttribute("data-pending") + " " + queue.length + "."; }
    else if (status.getAttribute("data-was-pending")) { text = status.getAttribute("data-synced") + " " + text; }
    status.textContent = text;
    status.className = "small mb-2 " + (offline ? "text-warning-emphasis fw-semibold" : "text-body-secondary");
  }

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

  // The same answers as the server's, from the kept list.
  function answerOffline(raw) {
    var code = normalise(raw);
    var ticket = list && list.tickets[code];
    if (!list) { return { outcome: "refused", message: form.getAttribute("data-offline") }; }
    if (!ticket) {
      if (list.others[code]) { return { outcome: "refused", message: fill(list.texts.other, { title: list.others[code] }) }; }
      return { outcome: "refused", message: fill(list.texts.unknown, { code: code || "—" }) + " " + status.getAttribute("data-unknown-offline") };
    }
    if (ticket.refusal) { return { outcome: "refused", message: ticket.refusal }; }
    if (ticket.at) { return { outcome: "already", message: fill(list.texts.already, { name: ticket.name, time: hhmm(ticket.at) }) }; }
    var at = new Date();
    ticket.at = at.toISOString();
    queue.push({ code: code, at: at.getTime() });
    write(listKey, list); write(queueKey, queue);
    return {
      outcome: "checked_in", name: ticket.name, category: ticket.category, time: hhmm(ticket.at),
      message: fill(list.texts.checked_in, { name: ticket.name, time: hhmm(ticket.at) }),
      checked_in: Number(count.textContent) + 1
    };
  }

  function remember(data, raw) {
    // Keep the kept list in step with what the server said, for the next offline answer.
    var ticket = list && list.tickets[normalise(raw)];
    if (ticket && (data.outcome === "checked_in" || data.outcome === "already") && !ticket.at) {
      ticket.at = new Date().toISOString();
      write(listKey, list);
    }
  }

  function csrf() { var t = form.querySelector("[name=csrfmiddlewaretoken]"); return t ? t.value : ""; }

  function loadList() {
    if (offline) { return; }
    fetch(form.getAttribute("data-tickets-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (fresh) {
        // Scans still queued keep their local time until the server has them.
        queue.forEach(function (s) { var t = fresh.tickets[s.code]; if (t && !t.at) { t.at = new Date(s.at).toISOString(); } });
        list = fresh; write(listKey, list); showStatus();
      }).catch(function () {});
  }

  function sync() {
    if (syncing || !queue.length) { return Promise.resolve(); }
    syncing = true;
    var batch = queue.slice(0, 500);
    return fetch(form.getAttribute("data-sync-url"), {
      method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ scans: batch })
    }).then(function (r) {
      if (r.status >= 500 || r.status === 0) { throw new Error(String(r.status)); }
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (answer) {
      // Sent (or refused as a whole, which re-sending would not change): off the queue.
      queue = queue.slice(batch.length); write(queueKey, queue);
      status.setAttribute("data-was-pending", "1");
      offline = false;
      if (answer.ok) {
        (answer.data.results || []).forEach(function (r) {
          var t = list && list.tickets[r.code];
          if (t && r.at) { t.at = r.at; }
        });
        if (list) { write(listKey, list); }
        count.textContent = String(answer.data.checked_in);
        total.textContent = String(answer.data.confirmed);
      }
      showStatus();
    }).catch(function () { offline = true; showStatus(); })
      .then(function () { syncing = false; if (queue.length && !offline) { return sync(); } });
  }

  function send(code, via) {
    if (busy || !code) { return Promise.resolve(); }
    if (offline) { show(answerOffline(code)); showStatus(); return Promise.resolve(); }
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
    }).then(function (data) { show(data); remember(data, code); sync(); })
      .catch(function () { offline = true; show(answerOffline(code)); showStatus(); })
      .then(function () { busy = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value.trim(), "typed").then(function () { input.value = ""; input.focus(); });
  });
  window.addEventListener("offline", function () { offline = true; showStatus(); });
  window.addEventListener("online", function () { offline = false; showStatus(); sync().then(loadList); });
  setInterval(function () { if (queue.length) { sync(); } else { loadList(); } }, 30000);
  showStatus();
  loadList();
  if (navigator.onLine) { sync(); }

  // The camera, through the shared scanner.
  var scanner = document.querySelector("[data-scanner]");
  var QR = window.EkrafQR;
  if (!scanner || !QR) { return; }
  scanner.hidden = false;
  var video = scanner.querySelector("[data-scan-video]");
  var start = scanner.querySelector("[data-scan-start]");
  var stop = scanner.querySelector("[data-scan-stop]");
  var note = scanner.querySelector("[data-scan-note]");
  var camera = null;
  var why = QR.unavailable();
  if (why) { start.disabled = true; note.textContent = QR.message(scanner, why); }

  function halt() {
    if (camera) { camera.stop(); camera = null; }
    video.hidden = true; stop.hidden = true; start.hidden = false;
  }
  start.addEventListener("click", function () {
    note.textContent = "";
    video.hidden = false; stop.hidden = false; start.hidden = true;
    camera = QR.start(video, function (value) { send(value, "scan"); }, function (reason) {
      camera = null; halt(); note.textContent = QR.message(scanner, reason);
    });
  });
  stop.addEventListener("click", halt);
  window.addEventListener("pagehide", halt);
})();
