"use strict";
// Static behaviour of the report: it reads the page, never data, and writes no markup.
(function () {
  // Errors of this script, kept on the page for the self-test below.
  window.addEventListener("error", function (e) {
    var root = document.documentElement;
    root.dataset.errors = (root.dataset.errors || "") + e.message + ";";
  });

  // Sortable tables: click a header; numeric columns say data-type="num"; a cell's
  // data-sort, when present, is sorted on instead of its text.
  function key(cell) {
    return (cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent).trim();
  }
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
          var x = key(a.cells[col]);
          var y = key(b.cells[col]);
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

  // Pair tables (data-view="VIEW-ID"): a click on a row (or Enter) shows the row's two
  // documents (data-a, data-b: ids of hidden articles) side by side in the view, copied, with
  // the marks of this pair (data-p lists the pairs a passage is evidence for) lit.
  document.querySelectorAll("table[data-view]").forEach(function (table) {
    var view = document.getElementById(table.dataset.view);
    if (!view) { return; }
    var title = view.querySelector(".pv-title");
    var meta = view.querySelector(".pv-meta");
    var current = null;
    function show(row) {
      if (current) { current.classList.remove("on"); }
      current = row;
      row.classList.add("on");
      var n = row.dataset.pair;
      title.textContent = "Pair " + n + ": " + row.cells[1].textContent.trim() +
        ", score " + row.cells[2].textContent.trim();
      var people = row.cells[5].textContent.trim();
      meta.textContent = row.dataset.signals + (people ? " · shared people: " + people : "");
      view.hidden = false; // first, so that the texts below can be scrolled to their marks
      ["a", "b"].forEach(function (side) {
        var col = view.querySelector('[data-side="' + side + '"]');
        while (col.firstChild) { col.removeChild(col.firstChild); }
        var source = document.getElementById(row.dataset[side]);
        if (!source) { return; }
        var copy = source.cloneNode(true);
        copy.removeAttribute("id");
        copy.querySelectorAll("mark[data-p]").forEach(function (m) {
          if ((" " + m.dataset.p + " ").indexOf(" " + n + " ") >= 0) { m.classList.add("on"); }
        });
        col.appendChild(copy);
        var text = copy.querySelector(".ptext");
        var first = copy.querySelector("mark.on");
        if (text && first) {
          text.scrollTop += first.getBoundingClientRect().top - text.getBoundingClientRect().top - 24;
        }
      });
      if (view.scrollIntoView) { view.scrollIntoView({ block: "start" }); }
    }
    table.tBodies[0].addEventListener("click", function (e) {
      var row = e.target.closest("tr");
      if (row && !e.target.closest("a")) { show(row); }
    });
    table.tBodies[0].addEventListener("keydown", function (e) {
      var row = e.target.closest("tr");
      if (row && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); show(row); }
    });
    // report.html#pair-N opens pair N (a link to one pair).
    var asked = /^#pair-(\d+)$/.exec(location.hash);
    var linked = asked && table.querySelector('tr[data-pair="' + asked[1] + '"]');
    if (linked) { show(linked); }
    var close = view.querySelector(".pv-close");
    if (close) {
      close.addEventListener("click", function () {
        view.hidden = true;
        if (current) { current.classList.remove("on"); current.focus(); current = null; }
      });
    }
  });

  document.documentElement.dataset.ready = "1";

  // Self-test, only when the page is opened as report.html#selftest (the end-to-end test
  // does, in headless Chromium): drives the pair table as a person would (sort by score,
  // type in the filter, open a pair) and writes what it observed into data-selftest as
  // key=value pairs, for the test to read from the dumped DOM and judge.
  if (location.hash === "#selftest") {
    var seen = [];
    try {
      var t = document.getElementById("pairs-table");
      var rows = function () { return Array.prototype.slice.call(t.tBodies[0].rows); };
      var order = function () { return rows().map(function (r) { return r.cells[0].textContent; }).join(","); };
      var before = order();
      t.querySelectorAll("thead th")[2].click();
      var scores = rows().map(function (r) { return parseFloat(r.cells[2].textContent); });
      var ascending = scores.every(function (s, i) { return i === 0 || scores[i - 1] <= s; });
      seen.push("rows=" + scores.length, "order_changed=" + (order() !== before ? 1 : 0),
        "ascending=" + (ascending ? 1 : 0));
      var input = document.querySelector('input[data-filter="pairs-table"]');
      var word = rows()[0].cells[3].querySelector("small").textContent.split(" · ").pop();
      input.value = word;
      input.dispatchEvent(new Event("input"));
      var shown = rows().filter(function (r) { return !r.hidden; });
      var matching = shown.every(function (r) { return r.textContent.indexOf(word) >= 0; });
      seen.push("filter_shown=" + shown.length, "filter_hidden=" + (scores.length - shown.length),
        "filter_matching=" + (matching ? 1 : 0));
      input.value = "";
      input.dispatchEvent(new Event("input"));
      // The strongest pair (scores descending now), which has shared passages to mark.
      t.querySelectorAll("thead th")[2].click();
      rows()[0].click();
      var view = document.getElementById(t.dataset.view);
      seen.push("view_open=" + (view.hidden ? 0 : 1),
        "view_docs=" + view.querySelectorAll(".pv-col .pdoc").length,
        "view_marks=" + view.querySelectorAll(".pv-col mark.on").length);
    } catch (e) {
      seen.push("exception=" + String(e && e.message).replace(/\s+/g, "_"));
    }
    document.documentElement.dataset.selftest = seen.join(" ");
  }
})();
