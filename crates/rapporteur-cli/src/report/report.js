"use strict";
// Static behaviour of the report: it reads the page, never data, and writes no markup.
(function () {
  // Sortable tables: click a header; numeric columns say data-type="num".
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.tabIndex = 0;
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        var num = th.dataset.type === "num";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].textContent.trim();
          var y = b.cells[col].textContent.trim();
          var d = num ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  });

  // Filters: <input data-filter="TABLE-ID">, with an optional <span data-count="TABLE-ID">.
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var table = document.getElementById(input.dataset.filter);
    var count = document.querySelector('[data-count="' + input.dataset.filter + '"]');
    if (!table) { return; }
    function apply() {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      var rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var hit = !q || rows[i].textContent.toLowerCase().indexOf(q) >= 0;
        rows[i].hidden = !hit;
        if (hit) { shown++; }
      }
      if (count) { count.textContent = shown + " of " + rows.length + " shown"; }
    }
    input.addEventListener("input", apply);
    apply();
  });

  // Map legends: pick out one cluster's points (click again for all).
  document.querySelectorAll(".legend[data-map]").forEach(function (legend) {
    var svg = document.getElementById(legend.dataset.map);
    if (!svg) { return; }
    var buttons = legend.querySelectorAll("button[data-c]");
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", function () {
        var on = button.getAttribute("aria-pressed") !== "true";
        buttons.forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
        button.setAttribute("aria-pressed", on ? "true" : "false");
        svg.classList.toggle("picked", on);
        svg.querySelectorAll("circle").forEach(function (c) {
          c.classList.toggle("on", on && c.dataset.c === button.dataset.c);
        });
      });
    });
  });

  document.documentElement.dataset.ready = "1";
})();
