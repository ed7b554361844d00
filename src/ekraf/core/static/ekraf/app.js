// Ekraf: small behaviours of our own, no inline scripts (CSP).
(function () {
  "use strict";
  // Confirm dangerous actions: <form data-confirm="Yakin?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Filter forms: <form data-autosubmit> has its own visible submit button (works without
  // JavaScript and by keyboard); as an enhancement, picking an option with the mouse or a
  // finger submits at once. A select changed from the keyboard does not: arrow keys change a
  // closed select option by option, and submitting on each would jump away before the person
  // reaches the option they want. They press Enter or the button instead.
  function isAutosubmitSelect(target) {
    return target && target.tagName === "SELECT" && target.form && target.form.hasAttribute("data-autosubmit");
  }
  document.addEventListener("keydown", function (event) {
    if (!isAutosubmitSelect(event.target)) { return; }
    if (event.key === "Enter") {
      event.preventDefault();
      if (event.target.form.requestSubmit) { event.target.form.requestSubmit(); } else { event.target.form.submit(); }
      return;
    }
    if (event.key !== "Tab") { event.target.setAttribute("data-keyboard", ""); }
  });
  document.addEventListener("pointerdown", function (event) {
    if (isAutosubmitSelect(event.target)) { event.target.removeAttribute("data-keyboard"); }
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!isAutosubmitSelect(select) || select.hasAttribute("data-keyboard")) { return; }
    if (select.form.requestSubmit) { select.form.requestSubmit(); } else { select.form.submit(); }
  });
  // Copy buttons: <button data-copy="text">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
      var old = button.textContent; button.textContent = button.getAttribute("data-copied") || "✓";
      setTimeout(function () { button.textContent = old; }, 1500);
    });
  });
})();
