// Autosave of a story draft: every 15 s to the server (each save a revision), and a copy in
// localStorage on every keystroke, before any network attempt, until a page load shows the
// server has it — a dropped connection or a reload, even one racing a save, loses nothing.
(function () {
  "use strict";
  var form = document.getElementById("story-form");
  if (!form || !window.fetch) return;
  var key = "ekraf-story-" + form.dataset.story;
  var status = document.getElementById("autosave-status");
  var fields = ["title", "lead", "body"].map(function (n) { return form.elements[n]; }).filter(Boolean);
  var serverAt = Number(form.dataset.savedAt || 0);
  var dirty = false, sending = false, again = false;

  function current() {
    var data = {};
    fields.forEach(function (f) { data[f.name] = f.value; });
    return data;
  }
  function keep() {
    try {
      localStorage.setItem(key, JSON.stringify({ fields: current(), base: Number(form.dataset.revision || 0), at: Date.now() }));
    } catch (e) { /* storage full or disabled: the server copy still comes */ }
  }
  function say(text) { if (status) status.textContent = text; }
  // Against the text the server rendered (defaultValue), not what is in the field now: the
  // writer may have typed before this deferred script ran.
  function differs(saved) {
    return fields.some(function (f) { return saved.fields[f.name] !== undefined && saved.fields[f.name] !== f.defaultValue; });
  }
  function apply(saved) {
    fields.forEach(function (f) { if (saved.fields[f.name] !== undefined) f.value = saved.fields[f.name]; });
    dirty = true;
    say(form.dataset.msgRestored);
  }

  // Text typed on a slow phone before this script ran has no copy anywhere yet: it is the
  // newest, so it is kept on the device and sent like any other keystroke.
  var typedEarly = fields.some(function (f) { return f.value !== f.defaultValue; });

  // On load: a local copy the server never received is restored when it is newer than the
  // server's text (typed after the revision the page had, or later than the server's last save)
  // and nothing was typed since; otherwise it is offered, never silently dropped.
  try {
    var saved = JSON.parse(localStorage.getItem(key) || "null");
    if (saved && saved.fields) {
      if (!differs(saved)) {
        if (!typedEarly) localStorage.removeItem(key);
      } else if (!typedEarly && (saved.base >= Number(form.dataset.revision || 0) || saved.at > serverAt)) {
        apply(saved);
        keep();
      } else if (status) {
        var offer = document.createElement("button");
        offer.type = "button";
        offer.className = "btn btn-sm btn-outline-secondary ms-2";
        offer.textContent = form.dataset.msgOffer;
        offer.addEventListener("click", function () { apply(saved); keep(); offer.remove(); });
        status.appendChild(offer);
      }
    }
  } catch (e) { /* a broken copy is ignored */ }

  if (typedEarly) { dirty = true; keep(); }
  fields.forEach(function (f) {
    f.addEventListener("input", function () { dirty = true; keep(); });
  });

  function send() {
    if (!dirty || form.querySelector("fieldset[disabled]")) return;
    if (sending) { again = true; return; }
    keep();
    // Known to be offline (a phone in a tunnel): say so now rather than when a request that
    // cannot leave the device finally fails; the `online` event sends the copy.
    if (navigator.onLine === false) { say(form.dataset.msgOffline); return; }
    sending = true;
    // A connection that hangs (one bar of signal) counts as offline after 20 s (data-save-timeout,
    // in ms, for tests), so the writer learns the text is only on the device; the next save
    // tries again.
    var abort = window.AbortController ? new AbortController() : null;
    var timer = abort && setTimeout(function () { abort.abort(); }, Number(form.dataset.saveTimeout || 20000));
    var snapshot = JSON.stringify(current());
    var body = new FormData();
    var data = current();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    fetch(form.dataset.autosave, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      // keepalive: a reload or leaving the page does not abort a save already sent
      keepalive: snapshot.length < 60000,
      signal: abort ? abort.signal : undefined,
      headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (answer) {
      form.dataset.revision = answer.revision;
      // The copy stays on the device, now based on the server's new revision, until a page
      // shows the server has the text (the check on load removes it then): a reload racing
      // this save may be rendered from before it, and must still find the text here.
      if (JSON.stringify(current()) === snapshot) dirty = false;
      keep();
      say(form.dataset.msgSaved + " " + answer.saved_at);
    }).catch(function () {
      keep();
      say(form.dataset.msgOffline);
    }).then(function () {
      if (timer) clearTimeout(timer);
      sending = false;
      if (again) { again = false; send(); }
    });
  }

  setInterval(send, 15000);
  window.addEventListener("online", function () { keep(); send(); });
  window.addEventListener("offline", function () { if (dirty) { keep(); say(form.dataset.msgOffline); } });
  window.addEventListener("pagehide", function () { if (dirty) keep(); });
  form.addEventListener("submit", function () { keep(); });
  window.newsroomAutosave = send; // for tests and a manual nudge
})();
