/* nianbao compare page: the chosen figure across the agencies shown in the table, as a Plotly bar chart.
   The figure list and layout come from the JSON in <script type="application/json" class="nb-compare-spec">;
   the values from the table's cells, so the chart always shows what the filters show. Missing figures are left out and counted under the chart, never drawn as 0. */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : location.href);
  var plotly = null;
  var FIRST_FIGURE_COLUMN = 4;  // 机构, 地区, 类别, 核对, then the figures in the spec's order

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve();
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        var el = document.createElement("script");
        el.src = new URL("assets/nianbao/plotly.min.js", root).href;
        el.onload = resolve;
        el.onerror = reject;
        document.head.appendChild(el);
      });
    }
    return plotly;
  }

  function spec(page) {
    var holder = page.querySelector("template.nb-compare-template");
    var json = holder && holder.content ? holder.content.querySelector("script.nb-compare-spec")
                                        : page.querySelector("script.nb-compare-spec");
    return json ? JSON.parse(json.textContent) : null;
  }

  function draw(page, config) {
    var chart = page.querySelector(".nb-compare-chart");
    var select = page.querySelector(".nb-compare-figure");
    var table = page.querySelector("table.nb-compare-table");
    if (!chart || !select || !table) return;
    var index = 0;
    config.figures.forEach(function (f, i) { if (f.key === select.value) index = i; });
    var figure = config.figures[index];
    var names = [], values = [], missing = {}, shown = [];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      if (row.hidden) return;
      var cell = row.children[FIRST_FIGURE_COLUMN + index];
      shown.push([row.children[0].getAttribute("data-value"), row.children[1].textContent.trim(), cell ? cell.textContent.trim() : "未提供"]);
      // data-value where the cell's text is not the number itself (2,645, 43.5%, 未提供), else the text.
      var value = !cell ? "" : cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
      // Not drawn: counted by its state as the cell says it (未提供, 无法识别, 不适用).
      if (value === "" || value === null) { var state = cell ? cell.textContent.trim() : "未提供"; missing[state] = (missing[state] || 0) + 1; return; }
      names.push(row.children[0].getAttribute("data-value"));
      values.push(Number(value));
    });
    // The text colour as the browser resolved it (Material's slate colour is an hsla() of a variable,
    // which Plotly cannot read), and a grid that suits the scheme.
    var left = Object.keys(missing).sort().map(function (k) { return missing[k] + " 个机构" + k; }).join("、");
    var ink = getComputedStyle(page).color || "#1f2328";
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    var axis = { gridcolor: dark ? "#3b4050" : "#e3e5ea", linecolor: dark ? "#3b4050" : "#e3e5ea",
                 zerolinecolor: dark ? "#3b4050" : "#e3e5ea" };
    var layout = Object.assign({}, config.layout, {
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", font: { color: ink }, showlegend: false,
      margin: { t: 40, r: 16, b: 100, l: 64 },
      title: { text: figure.label + (left ? "（" + left + "，未画出）" : ""), font: { size: 14 } },
      xaxis: Object.assign({}, config.layout.xaxis, axis),
      yaxis: Object.assign({}, config.layout.yaxis, axis, figure.rate ? { tickformat: ".0%" } : {}),
    });
    var trace = { type: "bar", x: names, y: values, marker: { color: "#e53935" },
                  hovertemplate: figure.rate ? "%{x}: %{y:.1%}<extra></extra>" : "%{x}: %{y:,}<extra></extra>" };
    // A zero draws no bar: a short thick line on the baseline shows it is there, and 0.
    var zeros = names.filter(function (_, i) { return values[i] === 0; });
    var marks = { type: "scatter", mode: "markers", x: zeros, y: zeros.map(function () { return 0; }), showlegend: false,
                  marker: { symbol: "line-ew", size: 18, color: "#c62828", line: { width: 3, color: "#c62828" } },
                  cliponaxis: false, hovertemplate: "%{x}: 0<extra></extra>" };
    loadPlotly().then(function () {
      if (!chart.isConnected) return;
      window.Plotly.react(chart, [trace, marks], layout, { responsive: true, displayModeBar: false });
      describe(page, config, figure, shown, left);
    });
  }

  // The grapher tabs (grapher.js) of what the chart shows: its table (every agency the filters show, with
  // its figure or why it has none), its meta, and a permalink holding the figure and the filters.
  function describe(page, config, figure, shown, left) {
    var box = page.querySelector("figure.nb-compare-figure-box");
    if (!box || !(window.nianbao && window.nianbao.grapher)) return;
    var params = new URLSearchParams();
    params.set("figure", figure.key);
    page.querySelectorAll("[data-filter]").forEach(function (c) {
      var v = c.type === "checkbox" ? (c.checked ? c.value : "") : c.value;
      if (v && c.getAttribute("data-filter") !== "year") params.set(c.getAttribute("data-filter"), v);
    });
    var title = config.year + " 年各机构" + figure.label;
    var meta = Object.assign({}, config.meta, {
      title: title, subject: "", unit: figure.unit, measures: [figure], sources: [], anchor: "fig-compare",
      csv: "compare-" + config.year + "-" + figure.key + ".csv",
      sources_note: "表中所列 " + shown.length + " 个机构的 " + config.year + " 年政府信息公开工作年度报告（各行链接到报告页）" +
        (left ? "；" + left + "，图中未画出" : ""),
      permalink: location.origin + location.pathname + "?" + params.toString() + "#fig-compare",
    });
    var spec = box.querySelector("template.nb-chart-spec");
    if (!spec) {
      spec = document.createElement("template");
      spec.className = "nb-chart-spec";
      spec.content.appendChild(Object.assign(document.createElement("script"), { type: "application/json", className: "nb-chart-meta" }));
      box.appendChild(spec);
    }
    spec.content.querySelector(".nb-chart-meta").textContent = JSON.stringify(meta);
    var details = document.createElement("details");
    details.className = "nb-chart-table";
    var summary = document.createElement("summary");
    summary.textContent = "数据表：" + title;
    var head = "<thead><tr><th>机构</th><th>地区</th><th></th></tr></thead>";
    var table = document.createElement("table");
    table.innerHTML = head;
    table.tHead.rows[0].cells[2].textContent = figure.label;
    var body = table.createTBody();
    shown.forEach(function (r) {
      var row = body.insertRow();
      r.forEach(function (text, i) { var c = document.createElement(i ? "td" : "th"); c.textContent = text; row.appendChild(c); });
    });
    var scroll = document.createElement("div");
    scroll.className = "nb-scroll";
    scroll.appendChild(table);
    details.append(summary, scroll);
    var old = box.querySelector("details.nb-chart-table");
    if (old) old.replaceWith(details); else box.appendChild(details);
    window.nianbao.grapher.mount(box);
  }

  // A permalink's figure and filters (?figure=refused&province=浙江省): set before the first draw.
  function fromAddress(page) {
    var params = new URLSearchParams(location.search);
    var select = page.querySelector(".nb-compare-figure");
    if (select && params.get("figure")) select.value = params.get("figure");
    page.querySelectorAll("[data-filter]").forEach(function (c) {
      var v = params.get(c.getAttribute("data-filter"));
      if (v === null) return;
      if (c.type === "checkbox") c.checked = v === c.value; else c.value = v;
      c.dispatchEvent(new Event(c.type === "search" ? "input" : "change", { bubbles: true }));
    });
  }

  function setup() {
    document.querySelectorAll(".nb-compare").forEach(function (page) {
      if (page.getAttribute("data-nb-chart-ready")) return;
      var config = spec(page);
      if (!config) return;
      page.setAttribute("data-nb-chart-ready", "1");
      var redraw = function () { draw(page, config); };
      page.nbRedraw = redraw;
      page.addEventListener("nb-filtered", redraw);
      page.addEventListener("change", function (e) { if (e.target.classList.contains("nb-compare-figure")) redraw(); });
      fromAddress(page);
      redraw();
    });
  }

  setup();
  if (!window.nbCompareSchemeWatched) {  // light/dark switch: redraw in the new colours
    window.nbCompareSchemeWatched = true;
    new MutationObserver(function () {
      document.querySelectorAll(".nb-compare").forEach(function (page) { if (page.nbRedraw) page.nbRedraw(); });
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }
  if (!window.nbCompareSubscribed && window.document$ && typeof window.document$.subscribe === "function") {
    window.nbCompareSubscribed = true;
    window.document$.subscribe(setup);
  }
})();
