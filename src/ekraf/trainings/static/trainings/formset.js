// Add a form to a Django formset: <fieldset data-formset="prefix"> with a <template
// data-formset-empty> holding empty_form (its __prefix__ is replaced by the next index).
(function () {
  "use strict";
  document.querySelectorAll("[data-formset]").forEach(function (fieldset) {
    var prefix = fieldset.getAttribute("data-formset");
    var total = fieldset.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = fieldset.querySelector("template[data-formset-empty]");
    var list = fieldset.querySelector("[data-formset-forms]");
    var button = fieldset.querySelector("[data-formset-add]");
    if (!total || !template || !list || !button) { return; }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var form = holder.firstElementChild;
      list.appendChild(form);
      total.value = String(index + 1);
      var first = form.querySelector("input:not([type=hidden]), select");
      if (first) { first.focus(); }
    });
  });
})();
