/* nianbao grapher: the tabs 图表 · 数据表 · 来源 · 下载 · 引用 on a chart (after Our World in Data's grapher).

   window.nianbao.grapher.mount(figure) turns one <figure class="nb-figure"> into tabs. The figure holds
   div.nb-chart (or any element with data-nb-chart, drawn by another script), template.nb-chart-spec holding
   script.nb-chart-meta (and script.nb-chart-data, the Plotly figure site.js draws), and details.nb-chart-table
   (the text equivalent: the table tab, and the CSV). The meta (render/chartmeta.py writes it; compare.js and
   the explorer build it in the browser):
     title, subject (whose figures, "" for many), unit, site, version, licence, licence_url, licence_note,
     csv (file name), anchor (the figure's id), permalink ("" = this page's address + #anchor),
     measures [{key, label, unit, definition, derived?}],
     sources [{report, year, page, url, file, problems, problems_page}], or sources_note and sources_link {href, text}.
   Call mount again after a redraw: the new chart, table and meta go into their tabs, the tab shown stays.
   site.js mounts every figure of a page. Without JavaScript nothing here runs: the table stays open, no tab.
   Tabs follow the WAI-ARIA tabs pattern (arrow keys, Home, End; automatic activation). The tab shown is in
   the address (#<id>-<tab>) unless the figure says data-nb-url="off" (a page that keeps its own). */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : location.href);
  var TABS = [["chart", "图表"], ["table", "数据表"], ["sources", "来源"], ["download", "下载"], ["cite", "引用"]];
  var LIGHT = { ink: "#1f2328", grid: "#e3e5ea" };
  var made = 0;
  var CHART = ".nb-chart, [data-nb-chart]";  // a chart another script draws (compare) says so by data-nb-chart

  function node(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { if (c != null) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return el;
  }

  // A link only to a relative or http(s) address (meta built in the browser may carry anything); else text.
  function link(href, text, external) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) && !/^https?:/i.test(href)) return document.createTextNode(text);
    return node("a", external ? { href: href, rel: "nofollow noopener" } : { href: href }, [text]);
  }

  function readJson(figure, cls) {
    var spec = figure.querySelector("template.nb-chart-spec");  // the first: a redrawn chart replaces its own
    var el = spec && spec.content ? spec.content.querySelector("." + cls) : figure.querySelector("script." + cls);
    return el ? JSON.parse(el.textContent) : null;
  }

  function permalink(figure, meta) {
    return meta.permalink || location.origin + location.pathname + location.search + "#" + figure.id;
  }

  function years(meta) {
    var ys = (meta.sources || []).map(function (s) { return s.year; }).filter(Boolean).sort();
    if (!ys.length) return "";
    return ys[0] === ys[ys.length - 1] ? ys[0] + " 年度" : ys[0] + "—" + ys[ys.length - 1] + " 年度";
  }

  function heading(meta) {
    return (meta.subject ? meta.subject + "：" : "") + meta.title;
  }

  // The table --------------------------------------------------------------------------------------------

  // A cell as the table shows it; a number without its thousands separators (so a spreadsheet reads it).
  function cellText(cell) {
    var text = cell.textContent.replace(/\s+/g, " ").trim();
    return /^-?\d{1,3}(,\d{3})+(\.\d+)?%?$/.test(text) ? text.replace(/,/g, "") : text;
  }

  function tableRows(figure) {
    var table = figure.querySelector("details.nb-chart-table table, .nb-chart-table table");
    if (!table) return [];
    return Array.prototype.map.call(table.rows, function (row) { return Array.prototype.map.call(row.cells, cellText); });
  }

  // The CSV: key/value rows saying what it is (title, source, version, licence, address, each measure's
  // definition), an empty row, then the table exactly as shown.
  function csv(figure, meta) {
    var sources = (meta.sources || []).map(function (s) { return s.report + (s.url ? " " + s.url : s.file ? "（" + s.file + "）" : ""); });
    var head = [
      ["标题", heading(meta) + (years(meta) ? "（" + years(meta) + "）" : "")],
      ["来源", meta.site + "整理" + (sources.length ? "；原始报告：" + sources.join("；") : "") + (meta.sources_note ? "；" + meta.sources_note : "")],
      ["数据版本", meta.version || ""],
      ["许可", meta.licence + " " + meta.licence_url + "（" + meta.licence_note + "）"],
      ["地址", permalink(figure, meta)],
    ].concat((meta.measures || []).map(function (m) {
      return ["定义：" + m.label, m.definition + (m.derived ? "。计算：" + m.derived : "")];
    }));
    var rows = head.concat([[]], tableRows(figure));
    return "\ufeff" + rows.map(function (row) { return row.map(csvCell).join(","); }).join("\r\n") + "\r\n";
  }

  function csvCell(value) {
    var s = String(value);
    if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = "'" + s;  // never a formula in a spreadsheet
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function save(href, name) {
    var a = node("a", { href: href, download: name });
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // The image: the chart as drawn, in light colours on white, with its title, source and licence.
  function exportFigure(chart, meta) {
    var layout = JSON.parse(JSON.stringify(chart.layout || {}));
    var axis = { gridcolor: LIGHT.grid, linecolor: LIGHT.grid, zerolinecolor: LIGHT.grid };
    var safe = function (s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); };
    layout.paper_bgcolor = "#fff";
    layout.plot_bgcolor = "#fff";
    layout.font = Object.assign({}, layout.font, { color: LIGHT.ink });
    layout.xaxis = Object.assign({}, layout.xaxis, axis);
    layout.yaxis = Object.assign({}, layout.yaxis, axis);
    layout.margin = Object.assign({}, layout.margin, { t: 80 });
    layout.title = { x: 0.01, xanchor: "left", font: { size: 16 },
      text: safe(heading(meta)) + "<br><sup>来源：" + safe(meta.site) + "，数据版本 " + safe(meta.version || "") + "，" + safe(meta.licence) + "</sup>" };
    return { data: chart.data, layout: layout };
  }

  function image(figure, meta, format) {
    var chart = figure.querySelector(CHART);
    if (!window.Plotly || !chart || !chart.data) return Promise.resolve();
    return window.Plotly.toImage(exportFigure(chart, meta), { format: format, width: 1000, height: 600 }).then(function (url) {
      save(url, meta.csv.replace(/\.csv$/, "") + "." + format);
    });
  }

  // The panels ----------------------------------------------------------------------------------------------

  function sourcesPanel(meta) {
    var defs = node("dl", { class: "nb-grapher-defs" });
    (meta.measures || []).forEach(function (m) {
      defs.appendChild(node("dt", {}, [m.label + (m.unit ? "（" + m.unit + "）" : "")]));
      defs.appendChild(node("dd", {}, [m.definition]));
      if (m.derived) defs.appendChild(node("dd", {}, ["计算方法：" + m.derived]));
    });
    var reports = node("ul", { class: "nb-grapher-reports" });
    (meta.sources || []).forEach(function (s) {
      var origin = s.url ? link(s.url, "原文", true) : s.file ? "原文文件 " + s.file : "原文地址未记录";
      var problems = s.problems ? link(s.problems_page, "数据检查：" + s.problems) : "数据检查：未发现问题";
      reports.appendChild(node("li", {}, [link(s.page, s.report), "（", origin, "；", problems, "）"]));
    });
    return [
      node("p", { class: "nb-grapher-label" }, ["各项数字的定义（按全国统一的年度报告格式）"]), defs,
      node("p", { class: "nb-grapher-label" }, ["图中数字来自" + (reports.firstChild ? "这些报告" : "哪些报告")]),
      reports.firstChild ? reports : node("p", {}, [meta.sources_note || "—",
        meta.sources_link ? "；各报告的问题见" : null, meta.sources_link ? link(meta.sources_link.href, meta.sources_link.text) : null]),
      node("p", {}, ["数据版本 ", node("code", {}, [meta.version || "—"]), " · 许可 ", link(meta.licence_url, meta.licence, true),
                     "（" + meta.licence_note + "） · ", link(new URL("methodology/", root).href, "方法说明")]),
    ];
  }

  function downloadPanel(figure) {
    var button = function (format, text) {
      return node("button", { type: "button", class: "md-button nb-grapher-button", "data-nb-download": format }, [text]);
    };
    var actions = node("p", { class: "nb-grapher-actions" }, [
      button("csv", "数据表（CSV）"), button("png", "图片（PNG）"), button("svg", "矢量图（SVG）")]);
    actions.addEventListener("click", function (event) {
      var format = event.target.getAttribute("data-nb-download");
      var meta = readJson(figure, "nb-chart-meta");  // as it is now (a chart redrawn has new meta)
      if (format === "csv") {
        save(URL.createObjectURL(new Blob([csv(figure, meta)], { type: "text/csv;charset=utf-8" })), meta.csv);
      } else if (format) {
        image(figure, meta, format);
      }
    });
    return [actions, node("p", {}, ["CSV 的开头几行写明标题、来源、数据版本、许可和各项数字的定义，空一行后是“数据表”一栏所示的表格。",
                                     "图片注明来源和数据版本。全部数据见", link(new URL("downloads/", root).href, "下载页"), "。"])];
  }

  function bibtex(figure, meta) {
    var tex = function (s) { return String(s).replace(/([{}%&$#_\\])/g, "\\$1"); };
    var key = (meta.csv || "nianbao").replace(/\.csv$/, "").replace(/[^A-Za-z0-9-]/g, "") + (meta.version ? "-" + meta.version : "");
    return "@misc{" + key + ",\n" +
      "  author = {{" + tex(meta.site) + "}},\n" +
      "  title = {" + tex(heading(meta) + (years(meta) ? "（" + years(meta) + "）" : "")) + "},\n" +
      "  howpublished = {\\url{" + permalink(figure, meta) + "}},\n" +
      "  note = {数据版本 " + tex(meta.version || "") + "；据各年度政府信息公开工作年度报告整理；" + tex(meta.licence) + "}\n}";
  }

  function citePanel(figure, meta) {
    var url = permalink(figure, meta);
    var plain = heading(meta) + (years(meta) ? "（" + years(meta) + "）" : "") + "，据各年度政府信息公开工作年度报告，" +
      meta.site + "整理，数据版本 " + (meta.version || "") + "，" + url + "。";
    return [
      node("p", {}, ["固定链接：", node("a", { href: url, class: "nb-grapher-permalink" }, [url])]),
      node("p", { class: "nb-grapher-label" }, ["引用"]), node("p", { class: "nb-grapher-citation" }, [plain]),
      node("p", { class: "nb-grapher-label" }, ["BibTeX"]), node("pre", { class: "nb-grapher-bibtex" }, [node("code", {}, [bibtex(figure, meta)])]),
    ];
  }

  // The tabs ------------------------------------------------------------------------------------------------

  function select(figure, name, focus, fromUser) {
    var tabs = figure.querySelectorAll(":scope > .nb-tabs [role=tab]");
    Array.prototype.forEach.call(tabs, function (tab) {
      var on = tab.getAttribute("data-nb-tab") === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      figure._nbPanels[tab.getAttribute("data-nb-tab")].hidden = !on;
      if (on && focus) tab.focus();
    });
    var chart = figure.querySelector(CHART);
    if (name === "chart" && chart && chart.data && window.Plotly) window.Plotly.Plots.resize(chart);  // drawn while hidden
    if (fromUser && figure.getAttribute("data-nb-url") !== "off") {
      history.replaceState(history.state, "", "#" + figure.id + (name === "chart" ? "" : "-" + name));
    }
  }

  function build(figure, meta) {
    if (!figure.id) figure.id = meta.anchor || "nb-figure-" + (++made);
    var id = figure.id;
    var list = node("div", { class: "nb-tabs", role: "tablist", "aria-label": meta.title + "：视图" });
    var panels = {};
    TABS.forEach(function (t) {
      var tab = node("button", { type: "button", role: "tab", id: id + "-tab-" + t[0], "aria-controls": id + "-" + t[0],
                                 "data-nb-tab": t[0], class: "nb-tab" }, [t[1]]);
      list.appendChild(tab);
      panels[t[0]] = node("div", { role: "tabpanel", id: id + "-" + t[0], "aria-labelledby": tab.id, class: "nb-panel nb-panel-" + t[0] });
      if (t[0] !== "chart") panels[t[0]].tabIndex = 0;
    });
    figure._nbPanels = panels;
    var chart = figure.querySelector(CHART);
    chart.parentNode.insertBefore(list, chart);
    list.after(panels.chart, panels.table, panels.sources, panels.download, panels.cite);
    downloadPanel(figure).forEach(function (el) { panels.download.appendChild(el); });
    list.addEventListener("click", function (event) {
      var tab = event.target.closest("[role=tab]");
      if (tab) select(figure, tab.getAttribute("data-nb-tab"), true, true);
    });
    list.addEventListener("keydown", function (event) {
      var names = TABS.map(function (t) { return t[0]; });
      var now = names.indexOf(event.target.getAttribute("data-nb-tab"));
      var next = { ArrowRight: now + 1, ArrowLeft: now - 1, Home: 0, End: names.length - 1 }[event.key];
      if (next === undefined || now < 0) return;
      event.preventDefault();
      select(figure, names[(next + names.length) % names.length], true, true);
    });
    var wanted = location.hash.slice(1);
    var fromHash = TABS.filter(function (t) { return wanted === id + "-" + t[0]; })[0];
    select(figure, fromHash ? fromHash[0] : "chart", false, false);
    if (fromHash || wanted === id) requestAnimationFrame(function () { figure.scrollIntoView(); });
  }

  function fill(panel, children) {
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    children.forEach(function (el) { panel.appendChild(el); });
  }

  // Adds the tabs to a figure; called again after the figure's chart, table or meta changed (compare, the
  // explorer), it takes them into their panels and remakes the sources and cite tabs, keeping the tab shown.
  function mount(figure) {
    var meta = figure && readJson(figure, "nb-chart-meta");
    var chart = meta && figure.querySelector(CHART);
    var table = meta && figure.querySelector("details.nb-chart-table");
    if (!meta || !chart || !table) return;
    if (!figure._nbPanels) build(figure, meta);
    figure.setAttribute("data-nb-grapher", "1");
    var panels = figure._nbPanels;
    // The chart and, right after it, its template (site.js reads it there); the table, alone in its tab.
    var spec = figure.querySelector("template.nb-chart-spec");
    if (chart.parentNode !== panels.chart) panels.chart.insertBefore(chart, panels.chart.firstChild);
    if (spec && spec.previousElementSibling !== chart) chart.after(spec);
    if (table.parentNode !== panels.table) fill(panels.table, [table]);
    table.open = true;
    table.setAttribute("data-nb-folded", "1");  // in its own tab: site.js leaves it open
    fill(panels.sources, sourcesPanel(meta));
    fill(panels.cite, citePanel(figure, meta));
  }

  window.nianbao = window.nianbao || {};
  window.nianbao.grapher = { mount: mount, csv: csv };
})();
