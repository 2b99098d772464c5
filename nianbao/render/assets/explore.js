/* nianbao explorer (/explore/): agencies × years × measures as a sortable table or a chart.
   The whole view lives in the query string (?a=…&y=…&m=…&v=table|chart&s=…&o=asc|desc): reload,
   back/forward and a pasted link show the same view. Data come in parts (explore/data/): an index, then
   per province and measure or per measure, whichever is fewer bytes for the view. The chart is built in
   the site's chart DOM (figure.nb-figure) and handed to the grapher when it is there. */
(function () {
  "use strict";
  var PLOTLY = "assets/nianbao/plotly.min.js";
  var MAX_LISTED = 60;  // candidates listed at once (the rest: narrow the filters)
  var COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmt(v, rate) {
    if (rate) return (v * 100).toFixed(1) + "%";
    return v.toLocaleString("en-US", { maximumFractionDigits: 4 });
  }

  // Indexes of [name, …] entries in the reader's order of names (pinyin).
  function byName(list) {
    return list.map(function (_, i) { return i; }).sort(function (a, b) { return list[a][0].localeCompare(list[b][0], "zh-Hans-CN"); });
  }

  // State ⇄ URL ---------------------------------------------------------------------------------------------
  function parseState(search, fallback) {
    var q = new URLSearchParams(search);
    if (!q.has("a") && !q.has("m") && !q.has("y")) return JSON.parse(JSON.stringify(fallback));
    function list(k) { return (q.get(k) || "").split(",").filter(Boolean); }
    return {
      a: list("a"), y: list("y").map(Number).filter(function (y) { return y > 0; }), m: list("m"),
      v: q.get("v") === "chart" ? "chart" : "table", s: q.get("s") || "", o: q.get("o") === "desc" ? "desc" : "asc",
    };
  }
  function query(state) {
    function list(xs) { return xs.map(encodeURIComponent).join(","); }
    var parts = ["a=" + list(state.a), "y=" + list(state.y), "m=" + list(state.m), "v=" + state.v];
    if (state.s) parts.push("s=" + encodeURIComponent(state.s), "o=" + state.o);
    return "?" + parts.join("&");
  }

  // Data -----------------------------------------------------------------------------------------------------
  function Explorer(page) {
    this.page = page;
    this.root = new URL(page.getAttribute("data-root") || "../", location.href);
    var holder = page.querySelector("template.nb-x-default");
    this.fallback = JSON.parse(holder.content.querySelector("script.nb-x-state").textContent);
    this.fallback.s = ""; this.fallback.o = "asc";
    this.parts = {};
    this.cells = {};  // measure id → {"agency index:year": [value, check]}
    this.loadedBytes = 0;
  }

  Explorer.prototype.fetchJson = function (path) {
    var self = this;
    if (!this.parts[path]) {
      this.parts[path] = fetch(new URL(path, this.root).href).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.text();
      }).then(function (text) { self.loadedBytes += new Blob([text]).size; return JSON.parse(text); });
    }
    return this.parts[path];
  };

  Explorer.prototype.start = function () {
    var self = this;
    return this.fetchJson("explore/data/index.json").then(function (index) {
      self.index = index;
      self.measures = {};
      self.order = {};
      index.measures.forEach(function (m, i) { self.measures[m.id] = m; self.order[m.id] = i; });
      self.agencyIndex = {};
      index.agencies.forEach(function (row, i) { self.agencyIndex[row[0]] = i; });
      self.state = self.clean(parseState(location.search, self.fallback));
      // The default view gets its address too, so that what is shown can always be shared as it is.
      if (query(self.state) !== location.search) history.replaceState(history.state, "", query(self.state) + location.hash);
      self.buildControls();
      self.render();
    });
  };

  Explorer.prototype.clean = function (state) {
    var self = this;
    state.a = state.a.filter(function (a, i) { return a in self.agencyIndex && state.a.indexOf(a) === i; });
    state.m = state.m.filter(function (m, i) { return m in self.measures && state.m.indexOf(m) === i; });
    state.y = state.y.filter(function (y, i) { return self.index.years.indexOf(y) !== -1 && state.y.indexOf(y) === i; }).sort();
    return state;
  };

  // The parts a view needs: per province and table, or per measure, whichever is smaller (explore_data.view_files).
  Explorer.prototype.needed = function () {
    var idx = this.index, self = this;
    var slugs = {};
    this.state.a.forEach(function (a) { slugs[idx.provinces[idx.agencies[self.agencyIndex[a]][2]][1]] = 1; });
    var perProvince = [], perMeasure = [];
    Object.keys(slugs).sort().forEach(function (s) {
      self.state.m.forEach(function (m) {
        var n = (idx.sizes.province[s] || [])[self.order[m]];
        if (n) perProvince.push(["explore/data/p/" + s + "/" + m + ".json", n]);
      });
    });
    this.state.m.forEach(function (m) {
      var n = idx.sizes.measure[self.order[m]];
      if (n) perMeasure.push(["explore/data/m/" + m + ".json", n]);
    });
    function cost(parts) { return parts.reduce(function (s, p) { return s + p[1]; }, 0); }
    return cost(perProvince) <= cost(perMeasure) ? perProvince : perMeasure;
  };

  Explorer.prototype.load = function () {
    var self = this;
    return Promise.all(this.needed().map(function (p) {
      return self.fetchJson(p[0]).then(function (part) {
        Object.keys(part.cells).forEach(function (m) {
          var into = self.cells[m] = self.cells[m] || {};
          part.cells[m].forEach(function (c) { into[c[0] + ":" + c[1]] = [c[2], c[3]]; });
        });
      });
    }));
  };

  // Rows and cells ----------------------------------------------------------------------------------------------
  Explorer.prototype.rows = function () {
    var self = this, idx = this.index, out = [];
    this.state.a.forEach(function (a) {
      var i = self.agencyIndex[a], row = idx.agencies[i];
      self.state.y.forEach(function (y) {
        if (row[5].indexOf(y) === -1) return;  // no report on that year
        var place = [idx.provinces[row[2]][0]];
        if (row[3] >= 0) place.push(idx.cities[row[3]][0]);
        out.push({ agency: a, i: i, name: row[1], place: place.join(" "), year: y,
                   values: self.state.m.map(function (m) { return (self.cells[m] || {})[i + ":" + y] || [null, 0]; }) });
      });
    });
    var s = this.state.s, dir = this.state.o === "desc" ? -1 : 1, col = this.state.m.indexOf(s);
    if (s) {
      out.forEach(function (r, n) { r.n = n; });
      out.sort(function (p, q) {
        var x, y;
        if (s === "agency") { x = p.name; y = q.name; } else if (s === "place") { x = p.place; y = q.place; }
        else if (s === "year") { x = p.year; y = q.year; } else { x = p.values[col][0]; y = q.values[col][0]; }
        var xn = typeof x === "number", yn = typeof y === "number";
        if (col >= 0 && xn !== yn) return xn ? -1 : 1;  // a figure that is not a number: last either way
        var c = xn && yn ? x - y : String(x).localeCompare(String(y), "zh-Hans-CN");
        return dir * c || p.n - q.n;
      });
    }
    return out;
  };

  function stateOf(v) {
    if (typeof v === "number") return null;
    if (v === null || v === undefined) return ["nb-na", "未提供", ""];
    if (v.slice(0, 2) === "u:") return ["nb-unread", "无法识别", v.slice(2)];
    return ["nb-na", "不适用", v.slice(2)];
  }

  Explorer.prototype.cell = function (td, pair, measure, row) {
    var st = stateOf(pair[0]);
    td.setAttribute("data-value", st ? "" : String(pair[0]));
    if (st) {
      var span = el("span", { class: st[0] }, st[1]);
      if (st[2]) span.title = st[2];
      td.appendChild(span);
    } else {
      td.appendChild(document.createTextNode(fmt(pair[0], measure.rate)));
    }
    if (pair[1]) {
      var text = pair[1] === 2 ? "核对未通过" : "有警告";
      var a = el("a", { class: "nb-x-check nb-x-" + (pair[1] === 2 ? "fail" : "warn"), title: text,
                        href: new URL("agencies/" + row.agency + "/" + row.year + "/#problems", this.root).href },
                 pair[1] === 2 ? "⚠" : "!");
      a.appendChild(el("span", { class: "nb-sr" }, text));
      td.appendChild(document.createTextNode(" "));
      td.appendChild(a);
    }
  };

  Explorer.prototype.table = function (rows, sortable) {
    var self = this, measures = this.state.m.map(function (m) { return self.measures[m]; });
    var table = el("table", { class: "nb-list nb-x-table" });
    table.appendChild(el("caption", {}, "所选机构、年度和指标"));
    var tr = el("tr");
    [["agency", "机构"], ["place", "地区"], ["year", "年份"]].concat(measures.map(function (m) { return [m.id, m.label]; }))
      .forEach(function (h) {
        var th = el("th", { scope: "col" });
        if (!sortable) { th.textContent = h[1]; tr.appendChild(th); return; }
        var b = el("button", { type: "button", class: "nb-sort", "data-col": h[0] }, h[1]);
        if (self.measures[h[0]]) b.title = self.measures[h[0]].definition;
        if (self.state.s === h[0]) th.setAttribute("aria-sort", self.state.o === "desc" ? "descending" : "ascending");
        b.addEventListener("click", function () {
          var o = self.state.s === h[0] && self.state.o === "asc" ? "desc" : "asc";
          self.change({ s: h[0], o: o });
        });
        th.appendChild(b);
        tr.appendChild(th);
      });
    table.appendChild(el("thead")).appendChild(tr);
    var body = table.appendChild(el("tbody"));
    rows.forEach(function (r) {
      var row = body.appendChild(el("tr", { "data-agency": r.agency, "data-year": String(r.year) }));
      var th = row.appendChild(el("th", { scope: "row", "data-value": r.name }));
      th.appendChild(el("a", { href: new URL("agencies/" + r.agency + "/", self.root).href }, r.name));
      row.appendChild(el("td", {}, r.place));
      row.appendChild(el("td", { "data-value": String(r.year) })).appendChild(
        el("a", { href: new URL("agencies/" + r.agency + "/" + r.year + "/", self.root).href }, String(r.year)));
      measures.forEach(function (m, k) { self.cell(row.appendChild(el("td")), r.values[k], m, r); });
    });
    if (!rows.length) {
      body.appendChild(el("tr")).appendChild(el("td", { colspan: String(3 + measures.length) }, "所选机构在所选年度没有报告。"));
    }
    var box = el("div", { class: "nb-scroll" });
    box.appendChild(table);
    return box;
  };

  // Chart --------------------------------------------------------------------------------------------------------
  Explorer.prototype.figure = function (rows) {
    var self = this, st = this.state, measures = st.m.map(function (m) { return self.measures[m]; });
    var rates = measures.filter(function (m) { return m.rate; }).length, mixed = rates && rates < measures.length;
    var data = [], lines = st.y.length > 1;
    function axis(m) { return mixed && m.rate ? "y2" : "y"; }
    if (lines) {
      st.a.forEach(function (a) {
        var name = self.index.agencies[self.agencyIndex[a]][1];
        measures.forEach(function (m, k) {
          var ys = st.y.map(function (y) {
            var r = rows.filter(function (r) { return r.agency === a && r.year === y; })[0];
            return r && typeof r.values[k][0] === "number" ? r.values[k][0] : null;
          });
          data.push({ type: "scatter", mode: "lines+markers", name: name + " · " + m.label, x: st.y.map(String), y: ys,
                      yaxis: axis(m), line: { color: COLORS[data.length % COLORS.length] },
                      hovertemplate: "%{x} " + name + " · " + m.label + "：%{y" + (m.rate ? ":.1%" : ":,") + "}<extra></extra>" });
        });
      });
    } else {
      var marks = [];
      measures.forEach(function (m, k) {
        var color = COLORS[k % COLORS.length];
        data.push({ type: "bar", name: m.label, x: rows.map(function (r) { return r.name; }), yaxis: axis(m), offsetgroup: m.id,
                    y: rows.map(function (r) { return typeof r.values[k][0] === "number" ? r.values[k][0] : null; }),
                    marker: { color: color },
                    hovertemplate: "%{x} " + m.label + "：%{y" + (m.rate ? ":.1%" : ":,") + "}<extra></extra>" });
        // A zero draws no bar, nor does a figure that is not a number: a mark on the baseline says which it is.
        var at = rows.filter(function (r) { return r.values[k][0] === 0 || typeof r.values[k][0] !== "number"; });
        if (!at.length) return;
        var zero = at.map(function (r) { return r.values[k][0] === 0; });
        marks.push({ type: "scatter", mode: "markers", name: m.label + "（0 或未给出）", showlegend: false, meta: "marks",
                     offsetgroup: m.id, yaxis: axis(m), x: at.map(function (r) { return r.name; }), y: at.map(function () { return 0; }),
                     customdata: at.map(function (r, i) { return zero[i] ? "0" : stateOf(r.values[k][0])[1]; }),
                     marker: { symbol: zero.map(function (z) { return z ? "line-ew" : "x-thin"; }), size: zero.map(function (z) { return z ? 18 : 9; }),
                               color: color, line: { width: zero.map(function (z) { return z ? 3 : 1.5; }),
                                                     color: zero.map(function (z) { return z ? color : "#8a8a8a"; }) } },
                     hovertemplate: "%{x} " + m.label + "：%{customdata}<extra></extra>", cliponaxis: false });
      });
      data = data.concat(marks);
    }
    var units = measures.filter(function (m) { return !m.rate; }).map(function (m) { return m.unit; });
    var unit = units.filter(function (u, i) { return units.indexOf(u) === i; }).join("/");
    var layout = { xaxis: { type: "category", automargin: true }, yaxis: { rangemode: "tozero", title: { text: rates === measures.length ? "" : unit } },
                   showlegend: true, legend: { orientation: "h", y: -0.25 }, barmode: "group", scattermode: "group", height: 440 };
    if (rates === measures.length) layout.yaxis.tickformat = ".0%";
    if (mixed) layout.yaxis2 = { overlaying: "y", side: "right", tickformat: ".0%", rangemode: "tozero", showgrid: false };
    return { data: data, layout: layout };
  };

  Explorer.prototype.meta = function (rows, title) {
    var self = this, idx = this.index;
    return {
      title: title, unit: "",
      measures: this.state.m.map(function (m) { var x = self.measures[m]; return { id: m, label: x.label, unit: x.unit, definition: x.definition }; }),
      sources: rows.map(function (r) {
        var bad = r.values.some(function (v) { return v[1] === 2; });
        return { report: "agencies/" + r.agency + "/" + r.year + "/", name: r.name + " " + r.year + " 年报告", problems: bad ? 1 : 0 };
      }),
      version: idx.version, licence: "CC BY 4.0", csv: "explore.csv", permalink: location.href,
    };
  };

  Explorer.prototype.chart = function (rows) {
    var names = this.state.m.map(function (m) { return this.measures[m].label; }, this).join("、");
    var title = (this.state.y.length > 1 ? "各年度" : this.state.y[0] + " 年") + "：" + names;
    var fig = this.figure(rows);
    var figure = el("figure", { class: "nb-figure", "data-pagefind-ignore": "" });
    figure.appendChild(el("figcaption", {}, title));
    var chart = figure.appendChild(el("div", { class: "nb-chart", role: "img", "aria-label": title + "（数据见下表）" }));
    var spec = figure.appendChild(el("template", { class: "nb-chart-spec" }));
    spec.content.appendChild(el("script", { type: "application/json", class: "nb-chart-data" }, JSON.stringify(fig)));
    spec.content.appendChild(el("script", { type: "application/json", class: "nb-chart-meta" }, JSON.stringify(this.meta(rows, title))));
    var details = figure.appendChild(el("details", { class: "nb-chart-table" }));
    details.appendChild(el("summary", {}, "数据表：" + title));
    details.appendChild(this.table(rows, false));
    var missing = 0;
    rows.forEach(function (r) { r.values.forEach(function (v) { if (typeof v[0] !== "number") missing += 1; }); });
    if (missing) figure.insertBefore(el("p", { class: "nb-x-note" }, missing + " 个数字不是数（未提供、无法识别或不适用），图中留空，见数据表。"), chart);
    return { figure: figure, chart: chart, fig: fig };
  };

  // The table as CSV (UTF-8 with BOM, for Excel): each cell as shown (a number or its state), the agency's
  // id, the check, the data version and the view's address beside it; text a spreadsheet would run is kept text.
  function csvCell(v) {
    if (typeof v === "number") return String(v);
    var s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  Explorer.prototype.csv = function (rows) {
    var self = this, ms = this.state.m.map(function (m) { return self.measures[m]; });
    var lines = [["机构", "机构代码", "地区", "年份"].concat(ms.map(function (m) { return m.label + (m.unit ? "（" + m.unit + "）" : ""); }),
                 ["核对", "数据版本", "许可", "网址"])];
    rows.forEach(function (r) {
      var check = Math.max.apply(null, r.values.map(function (v) { return v[1]; }).concat([0]));
      lines.push([r.name, r.agency, r.place, r.year].concat(r.values.map(function (v) {
        var st = stateOf(v[0]);
        return st ? st[1] : v[0];
      }), [check === 2 ? "未通过" : check === 1 ? "有警告" : "通过", self.index.version, "CC BY 4.0", location.href]));
    });
    return "\ufeff" + lines.map(function (l) { return l.map(csvCell).join(","); }).join("\n") + "\n";
  };
  Explorer.prototype.download = function (rows) {
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    this.blobUrl = URL.createObjectURL(new Blob([this.csv(rows)], { type: "text/csv;charset=utf-8" }));
    var p = el("p", { class: "nb-x-download" });
    p.appendChild(el("a", { href: this.blobUrl, download: "explore.csv" }, "下载此表（CSV）"));
    p.appendChild(document.createTextNode("：所示机构、年度和指标，附数据版本和本视图的网址。指标的定义见表头（鼠标悬停）。"));
    return p;
  };

  function loadPlotly(root) {
    if (window.Plotly) return Promise.resolve();
    if (!loadPlotly.p) {
      loadPlotly.p = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = new URL(PLOTLY, root).href;
        s.onload = resolve;
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loadPlotly.p;
  }

  function theme(page) {
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    var grid = dark ? "#3b4050" : "#e3e5ea";
    return { paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)", font: { color: getComputedStyle(page).color || "#1f2328" },
             margin: { t: 16, r: 48, b: 40, l: 56 }, gridcolor: grid };
  }

  // Drawing --------------------------------------------------------------------------------------------------------
  Explorer.prototype.render = function () {
    var self = this, token = (this.token = (this.token || 0) + 1);
    var status = this.page.querySelector(".nb-x-status");
    status.textContent = "正在读取数据…";
    return this.load().then(function () {
      if (token !== self.token) return;  // a newer view was asked for meanwhile
      var rows = self.rows(), out = self.page.querySelector(".nb-x-result");
      out.textContent = "";
      var st = self.state;
      status.textContent = "显示 " + st.a.length + " 个机构 × " + st.y.length + " 个年度 × " + st.m.length + " 项指标（" +
        rows.length + " 份报告）；已读取数据 " + (self.loadedBytes / 1024).toFixed(1) + " KB。";
      self.page.setAttribute("data-nb-view", query(st));
      if (st.v === "table" || !st.m.length || !rows.length) {
        out.appendChild(self.table(rows, true));
        if (rows.length) out.appendChild(self.download(rows));
        self.page.setAttribute("data-nb-ready", "1");
        return;
      }
      var made = self.chart(rows);
      out.appendChild(made.figure);
      return loadPlotly(self.root).then(function () {
        if (token !== self.token || !made.chart.isConnected) return;
        var t = theme(self.page), layout = Object.assign({}, made.fig.layout, t);
        ["xaxis", "yaxis", "yaxis2"].forEach(function (k) {
          if (layout[k]) layout[k] = Object.assign({ gridcolor: t.gridcolor, linecolor: t.gridcolor, zerolinecolor: t.gridcolor }, layout[k]);
        });
        delete layout.gridcolor;
        window.Plotly.react(made.chart, made.fig.data, layout, { responsive: true, displayModeBar: false });
        if (window.nianbao && window.nianbao.grapher) window.nianbao.grapher.mount(made.figure);
        self.page.setAttribute("data-nb-ready", "1");
      });
    }).catch(function (err) {
      status.textContent = "数据读取失败：" + err.message;
    });
  };

  Explorer.prototype.change = function (patch) {
    Object.keys(patch).forEach(function (k) { this.state[k] = patch[k]; }, this);
    this.clean(this.state);
    history.pushState({ nbExplore: 1 }, "", query(this.state) + location.hash);
    this.syncControls();
    this.render();
  };

  Explorer.prototype.fromUrl = function () {
    this.state = this.clean(parseState(location.search, this.fallback));
    if (query(this.state) !== location.search) history.replaceState(history.state, "", query(this.state) + location.hash);
    this.syncControls();
    this.render();
  };

  // Controls -------------------------------------------------------------------------------------------------------
  Explorer.prototype.buildControls = function () {
    var self = this, form = this.page.querySelector(".nb-x-controls"), idx = this.index;
    this.form = form;
    var province = form.elements.province, city = form.elements.city, kind = form.elements.kind;
    byName(idx.provinces).forEach(function (i) { province.appendChild(el("option", { value: String(i) }, idx.provinces[i][0])); });
    idx.kinds.forEach(function (k, i) { kind.appendChild(el("option", { value: String(i) }, k)); });
    function cities() {
      city.length = 1;
      idx.cities.forEach(function (c, i) {
        if (province.value === "" || c[1] === Number(province.value)) city.appendChild(el("option", { value: String(i) }, c[0]));
      });
    }
    cities();
    province.addEventListener("change", function () { cities(); self.listCandidates(); });
    [city, kind].forEach(function (s) { s.addEventListener("change", function () { self.listCandidates(); }); });
    form.elements.q.addEventListener("input", function () { self.listCandidates(); });
    form.querySelector(".nb-x-add-all").addEventListener("click", function () {
      var add = self.candidates().filter(function (a) { return self.state.a.indexOf(a) === -1; });
      self.change({ a: self.state.a.concat(add) });
    });
    form.addEventListener("change", function (e) {
      var t = e.target;
      if (t.name === "y") self.change({ y: checked("y").map(Number) });
      else if (t.name === "m") self.change({ m: self.orderMeasures(checked("m")) });
      else if (t.name === "v") self.change({ v: t.value });
      else if (t.name === "agency") {
        var a = self.state.a.filter(function (x) { return x !== t.value; });
        if (t.checked) a.push(t.value);
        self.change({ a: a });
      }
    });
    function checked(name) {
      return Array.prototype.filter.call(form.querySelectorAll('input[name="' + name + '"]'), function (i) { return i.checked; })
        .map(function (i) { return i.value; });
    }
    this.buildTree(form.querySelector(".nb-x-tree"));
    form.hidden = false;
    this.syncControls();
  };

  // The region tree: provinces, their cities, their agencies; each level filled when first opened.
  Explorer.prototype.buildTree = function (root) {
    var self = this, idx = this.index;
    function agencyBox(row) {
      var li = el("li"), label = li.appendChild(el("label"));
      var box = label.appendChild(el("input", { type: "checkbox", name: "agency", value: row[0] }));
      box.checked = self.state.a.indexOf(row[0]) !== -1;
      label.appendChild(document.createTextNode(" " + row[1]));
      return li;
    }
    function branch(title, rows, fill) {
      var li = el("li"), details = li.appendChild(el("details"));
      details.appendChild(el("summary", {}, title + "（" + rows.length + " 个机构）"));
      var add = details.appendChild(el("button", { type: "button", class: "nb-x-add-here", "aria-label": "全部加入：" + title }, "全部加入"));
      add.addEventListener("click", function () {
        self.change({ a: self.state.a.concat(rows.map(function (r) { return r[0]; }).filter(function (a) { return self.state.a.indexOf(a) === -1; })) });
      });
      var list = details.appendChild(el("ul", { class: "nb-x-list" }));
      details.addEventListener("toggle", function () { if (details.open && !list.firstChild) fill(list); });
      return li;
    }
    byName(idx.provinces).forEach(function (pi) {
      var p = idx.provinces[pi], rows = idx.agencies.filter(function (r) { return r[2] === pi; });
      root.appendChild(branch(p[0], rows, function (list) {
        var cities = {};
        rows.forEach(function (r) { (cities[r[3]] = cities[r[3]] || []).push(r); });
        (cities[-1] || []).forEach(function (r) { list.appendChild(agencyBox(r)); });
        Object.keys(cities).filter(function (c) { return c !== "-1"; }).sort(function (a, b) {
          return idx.cities[a][0].localeCompare(idx.cities[b][0], "zh-Hans-CN");
        }).forEach(function (c) {
          list.appendChild(branch(idx.cities[c][0], cities[c], function (inner) {
            cities[c].forEach(function (r) { inner.appendChild(agencyBox(r)); });
          }));
        });
      }));
    });
  };

  // Keep the order in which measures were chosen; newly checked ones go last.
  Explorer.prototype.orderMeasures = function (now) {
    var kept = this.state.m.filter(function (m) { return now.indexOf(m) !== -1; });
    return kept.concat(now.filter(function (m) { return kept.indexOf(m) === -1; }));
  };

  Explorer.prototype.candidates = function () {
    var f = this.form.elements, idx = this.index, q = f.q.value.trim();
    var p = f.province.value, c = f.city.value, k = f.kind.value;
    if (p === "" && c === "" && k === "" && !q) return [];
    return idx.agencies.filter(function (row) {
      return (p === "" || row[2] === Number(p)) && (c === "" || row[3] === Number(c)) && (k === "" || row[4] === Number(k))
        && (!q || row[1].indexOf(q) !== -1 || row[0].indexOf(q.toLowerCase()) !== -1);
    }).map(function (row) { return row[0]; });
  };

  Explorer.prototype.listCandidates = function () {
    var self = this, list = this.form.querySelector(".nb-x-candidates"), found = this.candidates();
    list.textContent = "";
    found.slice(0, MAX_LISTED).forEach(function (a) {
      var row = self.index.agencies[self.agencyIndex[a]];
      var label = list.appendChild(el("li")).appendChild(el("label"));
      var box = label.appendChild(el("input", { type: "checkbox", name: "agency", value: a }));
      box.checked = self.state.a.indexOf(a) !== -1;
      label.appendChild(document.createTextNode(" " + row[1] + (row[5].length ? "（" + row[5].join("、") + "）" : "（暂无报告）")));
    });
    var msg = this.form.querySelector(".nb-x-found");
    msg.textContent = !found.length ? "用上面的地区、类别或名称查找机构。"
      : found.length > MAX_LISTED ? "找到 " + found.length + " 个机构，列出前 " + MAX_LISTED + " 个；请缩小范围。" : "找到 " + found.length + " 个机构。";
    this.form.querySelector(".nb-x-add-all").hidden = !found.length;
  };

  Explorer.prototype.syncControls = function () {
    var self = this, form = this.form, st = this.state;
    if (!form) return;
    form.querySelectorAll('input[name="y"]').forEach(function (i) { i.checked = st.y.indexOf(Number(i.value)) !== -1; });
    form.querySelectorAll('input[name="m"]').forEach(function (i) { i.checked = st.m.indexOf(i.value) !== -1; });
    form.querySelectorAll('input[name="v"]').forEach(function (i) { i.checked = i.value === st.v; });
    var chosen = form.querySelector(".nb-x-chosen");
    chosen.textContent = "";
    st.a.forEach(function (a) {
      var name = self.index.agencies[self.agencyIndex[a]][1];
      var li = chosen.appendChild(el("li"));
      li.appendChild(document.createTextNode(name + " "));
      var b = li.appendChild(el("button", { type: "button", class: "nb-x-remove", "aria-label": "移除 " + name }, "×"));
      b.addEventListener("click", function () { self.change({ a: self.state.a.filter(function (x) { return x !== a; }) }); });
    });
    if (!st.a.length) chosen.appendChild(el("li", {}, "（还没有选择机构）"));
    form.querySelectorAll('.nb-x-tree input[name="agency"]').forEach(function (i) { i.checked = st.a.indexOf(i.value) !== -1; });
    this.listCandidates();
  };

  // Setup ----------------------------------------------------------------------------------------------------------
  function setup() {
    var page = document.querySelector(".nb-explore");
    if (!page || page.nbExplorer) return;
    var x = page.nbExplorer = new Explorer(page);
    x.start().catch(function (err) { page.querySelector(".nb-x-status").textContent = "数据读取失败：" + err.message; });
  }

  setup();
  if (!window.nbExploreListening) {
    window.nbExploreListening = true;
    window.addEventListener("popstate", function () {
      var page = document.querySelector(".nb-explore");
      if (page && page.nbExplorer && page.nbExplorer.index) page.nbExplorer.fromUrl();
    });
    new MutationObserver(function () {
      var page = document.querySelector(".nb-explore");
      if (page && page.nbExplorer && page.nbExplorer.index && page.nbExplorer.state.v === "chart") page.nbExplorer.render();
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setup);
  }
})();
