// Autosave of a story draft: every 15 s to the server (each save a revision), and a copy in
// localStorage on every keystroke until the server has it — a dropped connection loses nothing.
(function () {
  "use strict";
  var form = document.getElementById("story-form");
  if (!form || !window.fetch) return;
  var key = "ekraf-story-" + form.dataset.story;
  var status = document.getElementById("autosave-status");
  var fields = ["title", "lead", "body"].map(function (n) { return form.elements[n]; }).filter(Boolean);
  var dirty = false, sending = false;

  function current() {
    var data = {};
    fields.forEach(function (f) { data[f.name] = f.value; });
    return data;
  }
  function keep() {
    try {
      localStorage.setItem(key, JSON.stringify({ fields: current(), base: form.dataset.revision, at: Date.now() }));
    } catch (e) { /* storage full or disabled: the server copy still comes */ }
  }
  function say(text) { if (status) status.textContent = text; }

  // Restore what the server never received.
  try {
    var saved = JSON.parse(localStorage.getItem(key) || "null");
    if (saved && saved.fields) {
      var differs = fields.some(function (f) { return saved.fields[f.name] !== undefined && saved.fields[f.name] !== f.value; });
      if (differs) {
        fields.forEach(function (f) { if (saved.fields[f.name] !== undefined) f.value = saved.fields[f.name]; });
        dirty = true;
        say(form.dataset.msgRestored);
      } else {
        localStorage.removeItem(key);
      }
    }
  } catch (e) { /* a broken copy is ignored */ }

  fields.forEach(function (f) {
    f.addEventListener("input", function () { dirty = true; keep(); });
  });

  function send() {
    if (!dirty || sending || form.querySelector("fieldset[disabled]")) return;
    sending = true;
    var snapshot = JSON.stringify(current());
    var body = new FormData();
    var data = current();
    Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
    fetch(form.dataset.autosave, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": form.elements.csrfmiddlewaretoken.value },
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (answer) {
      form.dataset.revision = answer.revision;
      if (JSON.stringify(current()) === snapshot) {
        dirty = false;
        localStorage.removeItem(key);
      }
      say(form.dataset.msgSaved + " " + answer.saved_at);
    }).catch(function () {
      keep();
      say(form.dataset.msgOffline);
    }).then(function () { sending = false; });
  }

  setInterval(send, 15000);
  window.addEventListener("online", send);
  form.addEventListener("submit", function () { keep(); });
  window.newsroomAutosave = send; // for tests and a manual nudge
})();
