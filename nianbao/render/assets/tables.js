/* nianbao tables: sort by a click on a header, filter rows by the controls above them.
   For the compare and quality pages. Rows carry data-* attributes; each control names one with
   data-filter. Runs when loaded (Material re-runs page scripts after instant navigation) and on
   document$ when loaded site-wide; a root is set up once. */
(function () {
  "use strict";

  function number(text) {
    if (text === "" || text === undefined || text === null) return null;
    var n = Number(text);
    return isNaN(n) ? undefined : n;
  }

  function compare(a, b) {
    var x = number(a), y = number(b);
    if (x === null && y === null) return 0;
    if (x === null) return 1;  // 未提供 always last
    if (y === null) return -1;
    if (x !== undefined && y !== undefined) return x - y;
    return String(a).localeCompare(String(b), "zh-Hans-CN");
  }

  function cellValue(row, index) {
    var cell = row.children[index];
    if (!cell) return "";
    return cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
  }

  function setupSort(table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    heads.forEach(function (th, index) {
      var button = th.querySelector(".nb-sort");
      if (!button) return;
      // The page has the header's words only (without JavaScript nothing sorts): the button is made here.
      if (button.tagName !== "BUTTON") {
        var made = document.createElement("button");
        made.type = "button";
        made.className = "nb-sort";
        made.textContent = button.textContent;
        button.replaceWith(made);
        button = made;
      }
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.forEach(function (r, i) { r._nbIndex = i; });
        rows.sort(function (a, b) {
          var va = cellValue(a, index), vb = cellValue(b, index);
          var empty = (va === "") - (vb === "");
          if (empty) return empty;  // missing figures last in both directions
          var c = compare(va, vb);
          return (asc ? c : -c) || a._nbIndex - b._nbIndex;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        table.dispatchEvent(new CustomEvent("nb-sorted", { bubbles: true }));
      });
    });
  }

  function matches(row, controls) {
    return controls.every(function (c) {
      var key = c.getAttribute("data-filter");
      if (c.type === "checkbox") return !c.checked || row.getAttribute("data-" + key) === c.value;
      var want = c.value.trim();
      if (!want) return true;
      if (key === "text") return row.textContent.toLowerCase().indexOf(want.toLowerCase()) !== -1;
      var have = row.getAttribute("data-" + key) || "";
      return have.charAt(0) === " " ? have.indexOf(" " + want + " ") !== -1 : have === want;
    });
  }

  function filter(root) {
    var controls = Array.prototype.slice.call(root.querySelectorAll("[data-filter]"));
    var shown = 0;
    root.querySelectorAll("table.nb-sortable tbody tr").forEach(function (row) {
      var ok = matches(row, controls);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    var year = root.querySelector('select[data-filter="year"]');
    root.querySelectorAll("[data-year]:not(tr)").forEach(function (el) {
      el.hidden = !!(year && year.value && el.getAttribute("data-year") !== year.value);
    });
    var count = root.querySelector(".nb-count");
    if (count) count.textContent = "显示 " + shown + " 份报告";
    root.dispatchEvent(new CustomEvent("nb-filtered", { bubbles: true }));
  }

  function setup() {
    document.querySelectorAll("[data-nb-filter-root]").forEach(function (root) {
      if (root.getAttribute("data-nb-ready")) return;
      root.setAttribute("data-nb-ready", "1");
      root.querySelectorAll("table.nb-sortable").forEach(setupSort);
      root.querySelectorAll("[data-filter]").forEach(function (c) {
        c.addEventListener(c.type === "search" ? "input" : "change", function () { filter(root); });
      });
      filter(root);
      if (location.hash) {
        var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
        if (target) target.scrollIntoView();
      }
    });
  }

  setup();
  if (!window.nbTablesSubscribed && window.document$ && typeof window.document$.subscribe === "function") {
    window.nbTablesSubscribed = true;
    window.document$.subscribe(setup);
  }
})();
