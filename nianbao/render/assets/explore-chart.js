/* nianbao explorer, part 3 of 4: the chart (lines over years, or bars for one year or for totals) in the
   site's chart DOM (figure.nb-figure, handed to the grapher), and drawing the view. */
(function () {
  "use strict";
  var X = window.nianbao.explore, el = X.el, Explorer = X.Explorer, stateOf = X.stateOf;
  var PLOTLY = "assets/nianbao/plotly.min.js";
  var COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

  // Chart --------------------------------------------------------------------------------------------------------
  Explorer.prototype.figure = function (rows) {
    var self = this, st = this.state, measures = st.m.map(function (m) { return self.measures[m]; });
    var rates = measures.filter(function (m) { return m.rate; }).length, mixed = rates && rates < measures.length;
    var data = [], lines = st.y.length > 1 && st.g !== "total";
    function axis(m) { return mixed && m.rate ? "y2" : "y"; }
    if (lines) {
      st.a.forEach(function (a) {
        var name = self.agencies[self.agencyIndex[a]][1];
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
      sources: [].concat.apply([], rows.map(function (r) {
        var bad = r.values.some(function (v) { return v[1] === 2; });
        return r.years.map(function (y) {
          return { report: "agencies/" + r.agency + "/" + y + "/", name: r.name + " " + y + " 年报告", problems: bad ? 1 : 0 };
        });
      })),
      version: idx.version, licence: "CC BY 4.0", csv: "explore.csv", permalink: location.href,
    };
  };

  Explorer.prototype.chart = function (rows) {
    var names = this.state.m.map(function (m) { return this.measures[m].label; }, this).join("、");
    var st = this.state, span = st.y.length > 1 ? st.y[0] + "–" + st.y[st.y.length - 1] + " 年" : st.y[0] + " 年";
    var title = (st.g === "total" ? span + "合计" : st.y.length > 1 ? "各年度" : span) + "：" + names;
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
        rows.length + (st.g === "total" ? " 个机构有报告，每个机构一行合计" : " 份报告") + "）；已读取数据 " + (self.loadedBytes / 1024).toFixed(1) + " KB。";
      self.page.setAttribute("data-nb-view", X.query(st));
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

})();
