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

  // Ranking: a row's weighted score as its criteria are scored, computed as
  // sessions.services.score_total does (the page shows the stored score without this), and
  // the count and cost of the utama as decisions change.
  var ranking = document.querySelector("form[data-ranking]");
  if (ranking) {
    // Python's round(): halves go to the even neighbour.
    var roundHalfEven = function (x) {
      var r = Math.round(x);
      return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    };
    var rescore = function (row) {
      var total = row.querySelector("[data-score-total]");
      if (!total) return;
      var weights = 0, points = 0, scored = false;
      row.querySelectorAll("select[data-weight]").forEach(function (select) {
        var weight = Number(select.dataset.weight);
        weights += weight;
        if (select.value) {
          scored = true;
          points += weight * Number(select.value);
        }
      });
      total.textContent = scored ? roundHalfEven(points * 100 / (5 * (weights || 1))) : "—";
    };
    var rupiah = function (n) {
      return "Rp " + String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    };
    // The pagu indikatif panel, as sessions.ceilings.Standing counts it.
    var ceilingPanel = function (cost, cadangan) {
      var panel = document.querySelector("[data-ceiling]");
      if (!panel) return;
      var ceiling = Number(panel.dataset.ceiling);
      var over = Math.max(0, cost - ceiling);
      var used = ceiling ? Math.min(100, Math.round(cost * 100 / ceiling)) : 0;
      var set = function (selector, value) {
        var el = panel.querySelector(selector);
        if (el) (el.querySelector("strong") || el).textContent = rupiah(value);
      };
      set("[data-ceiling-utama]", cost);
      set("[data-ceiling-left]", Math.max(0, ceiling - cost));
      set("[data-ceiling-over]", over);
      set("[data-ceiling-cadangan]", cadangan);
      set("[data-ceiling-with-cadangan]", cost + cadangan);
      panel.querySelector("[data-ceiling-left]").hidden = over > 0;
      panel.querySelector("[data-ceiling-over]").hidden = over === 0;
      var meter = panel.querySelector("[data-ceiling-bar]");
      meter.value = Math.min(cost, ceiling);
      meter.textContent = used + " %";
    };
    var recount = function () {
      var count = 0, cost = 0, cadangan = 0;
      ranking.querySelectorAll("tr[data-cost]").forEach(function (row) {
        var decision = row.querySelector("select[data-decision]");
        var utama = !!decision && decision.value === "utama";
        row.classList.toggle("table-success", utama);
        if (utama) {
          count += 1;
          cost += Number(row.dataset.cost);
        } else if (decision && decision.value === "cadangan") {
          cadangan += Number(row.dataset.cost);
        }
      });
      ceilingPanel(cost, cadangan);
      document.querySelectorAll("[data-utama-count] strong").forEach(function (el) {
        el.textContent = count;
      });
      document.querySelectorAll("[data-utama-cost]").forEach(function (el) {
        (el.querySelector("strong") || el).textContent = rupiah(cost);
      });
    };
    ranking.addEventListener("change", function (event) {
      var row = event.target.closest("tr");
      if (event.target.matches("select[data-weight]")) rescore(row);
      if (event.target.matches("select[data-decision]")) recount();
    });
  }

  // The proposals table: the box in the heading selects or clears every row of the page.
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    all.addEventListener("change", function () {
      var name = all.dataset.selectAll;
      document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(
        function (box) { box.checked = all.checked; }
      );
    });
  });
})();
