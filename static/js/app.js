// Small conveniences on top of plain forms; every page works without them.
(function () {
  "use strict";

  // Filters: choosing a kecamatan or kelurahan reloads the dependent choices. With the arrow
  // keys every press is a change, so there the reload waits for Enter or the submit button
  // rather than pull the page, and the focus, from under the user.
  document.querySelectorAll("[data-filter-form]").forEach(function (form) {
    ["kecamatan", "kelurahan"].forEach(function (name) {
      var select = form.elements[name];
      if (!select) return;
      var byKeyboard = false;
      select.addEventListener("keydown", function () { byKeyboard = true; });
      select.addEventListener("pointerdown", function () { byKeyboard = false; });
      select.addEventListener("change", function () {
        if (name === "kecamatan" && form.elements.kelurahan) form.elements.kelurahan.value = "";
        if (form.elements.rw) form.elements.rw.value = "";
        if (!byKeyboard) form.requestSubmit();
      });
    });
  });

  // Proposal form: a catalogue item fills in its unit, price and category.
  var item = document.getElementById("id_catalogue_item");
  if (item) {
    var fill = function () {
      var option = item.options[item.selectedIndex];
      var outside = !option || !option.value;
      document.querySelectorAll("[data-outside-catalogue]").forEach(function (el) {
        el.hidden = !outside;
      });
      if (outside) return;
      var measure = document.getElementById("id_measure");
      var price = document.getElementById("id_unit_price");
      if (measure) measure.value = option.dataset.measure || "";
      if (price) price.value = option.dataset.price || "";
    };
    item.addEventListener("change", fill);
    fill();
  }

  // Survey form: the reason only matters when the proposal is not recommended.
  var reason = document.querySelector("[data-reason]");
  if (reason) {
    var radios = document.querySelectorAll("input[name=recommendation]");
    var toggle = function () {
      var checked = document.querySelector("input[name=recommendation]:checked");
      reason.hidden = !checked || checked.value === reason.dataset.reason;
    };
    radios.forEach(function (r) { r.addEventListener("change", toggle); });
    toggle();
  }
})();
