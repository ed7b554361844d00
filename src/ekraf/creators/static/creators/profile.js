// Profile form: "+ Tambah kanal" adds a channel row from the formset's empty form (no inline JS: CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-formset-add]");
    if (!button) { return; }
    var prefix = button.getAttribute("data-formset-prefix");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.querySelector("template[data-formset-template]");
    var list = document.querySelector("[data-formset-list]");
    if (!total || !template || !list) { return; }
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) { button.disabled = true; return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    var label = row.querySelector(".small");
    if (label) { label.textContent = label.textContent.trim() + " " + (index + 1); }
    list.appendChild(row);
    total.value = String(index + 1);
    var input = row.querySelector("input[type=text]");
    if (input) { input.focus(); }
  });
})();
