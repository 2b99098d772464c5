/* nianbao explorer, part 2 of 4: the view's rows, its table (sortable, each cell with its state and its
   check) and the table as CSV. With g=total, one row per agency: each figure summed over the chosen years
   that give it, and how many of them do (a total never hides a missing year). */
(function () {
  "use strict";
  var X = window.nianbao.explore, el = X.el, Explorer = X.Explorer;

  X.stateOf = function (v) {
    if (typeof v === "number") return null;
    if (v === null || v === undefined) return ["nb-na", "未提供", ""];
    if (v.slice(0, 2) === "u:") return ["nb-unread", "无法识别", v.slice(2)];
    return ["nb-na", "不适用", v.slice(2)];
  };

  // A total over years: [sum, worst check, years that give the figure, years chosen]; a rate is not summed.
  function total(pairs, measure, years) {
    if (measure.rate) return ["x:比率不跨年合计", 0, 0, years];
    var sum = 0, given = 0, check = 0;
    pairs.forEach(function (p) {
      check = Math.max(check, p[1]);
      if (typeof p[0] === "number") { sum += p[0]; given += 1; }
    });
    return [given ? Math.round(sum * 1e6) / 1e6 : null, check, given, years];
  }

  Explorer.prototype.rows = function () {
    var self = this, out = [], st = this.state, idx = this.index;
    st.a.forEach(function (a) {
      var i = self.agencyIndex[a], row = self.agencies[i];
      var place = [idx.provinces[row[2]][0]];
      if (row[3] >= 0) place.push(idx.cities[row[3]][0]);
      var years = st.y.filter(function (y) { return row[5].indexOf(y) !== -1; });  // those with a report
      function pair(m, y) { return (self.cells[m] || {})[i + ":" + y] || [null, 0]; }
      if (st.g === "total") {
        if (!years.length) return;
        out.push({ agency: a, i: i, name: row[1], place: place.join(" "), years: years, year: years.join("、"),
                   values: st.m.map(function (m) { return total(years.map(function (y) { return pair(m, y); }), self.measures[m], st.y.length); }) });
        return;
      }
      years.forEach(function (y) {
        out.push({ agency: a, i: i, name: row[1], place: place.join(" "), years: [y], year: y,
                   values: st.m.map(function (m) { return pair(m, y); }) });
      });
    });
    var s = st.s, dir = st.o === "desc" ? -1 : 1, col = st.m.indexOf(s);
    if (s) {
      out.forEach(function (r, n) { r.n = n; });
      out.sort(function (p, q) {
        var x, y;
        if (s === "agency") { x = p.name; y = q.name; } else if (s === "place") { x = p.place; y = q.place; }
        else if (s === "year") { x = p.years[0]; y = q.years[0]; } else { x = p.values[col][0]; y = q.values[col][0]; }
        var xn = typeof x === "number", yn = typeof y === "number";
        if (col >= 0 && xn !== yn) return xn ? -1 : 1;  // a figure that is not a number: last either way
        var c = xn && yn ? x - y : String(x).localeCompare(String(y), "zh-Hans-CN");
        return dir * c || p.n - q.n;
      });
    }
    return out;
  };

  function coverage(pair) {
    return pair.length > 2 && typeof pair[0] === "number" && pair[2] < pair[3] ? "（" + pair[3] + " 年中 " + pair[2] + " 年）" : "";
  }

  Explorer.prototype.cell = function (td, pair, measure, row) {
    var st = X.stateOf(pair[0]);
    td.setAttribute("data-value", st ? "" : String(pair[0]));
    if (st) {
      var span = el("span", { class: st[0] }, st[1]);
      if (st[2]) span.title = st[2];
      td.appendChild(span);
    } else {
      td.appendChild(document.createTextNode(X.fmt(pair[0], measure.rate)));
      var part = coverage(pair);
      if (part) td.appendChild(el("span", { class: "nb-x-years", title: "只有这些年度的报告给出了这个数字" }, part));
    }
    if (pair[1]) {
      var text = pair[1] === 2 ? "核对未通过" : "有警告";
      var a = el("a", { class: "nb-x-check nb-x-" + (pair[1] === 2 ? "fail" : "warn"), title: text,
                        href: new URL("agencies/" + row.agency + "/" + (row.years.length === 1 ? row.years[0] + "/" : "") + "#problems", this.root).href },
                 pair[1] === 2 ? "⚠" : "!");
      a.appendChild(el("span", { class: "nb-sr" }, text));
      td.appendChild(document.createTextNode(" "));
      td.appendChild(a);
    }
  };

  Explorer.prototype.table = function (rows, sortable) {
    var self = this, measures = this.state.m.map(function (m) { return self.measures[m]; });
    var table = el("table", { class: "nb-list nb-x-table" });
    table.appendChild(el("caption", {}, this.state.g === "total" ? "所选机构在所选年度的合计" : "所选机构、年度和指标"));
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
      var years = row.appendChild(el("td", { "data-value": String(r.years[0]) }));
      r.years.forEach(function (y, k) {
        if (k) years.appendChild(document.createTextNode("、"));
        years.appendChild(el("a", { href: new URL("agencies/" + r.agency + "/" + y + "/", self.root).href }, String(y)));
      });
      measures.forEach(function (m, k) { self.cell(row.appendChild(el("td")), r.values[k], m, r); });
    });
    if (!rows.length) {
      body.appendChild(el("tr")).appendChild(el("td", { colspan: String(3 + measures.length) }, "所选机构在所选年度没有报告。"));
    }
    var box = el("div", { class: "nb-scroll" });
    box.appendChild(table);
    return box;
  };

  // The table as CSV (UTF-8 with BOM, for Excel): each cell as shown (a number or its state), the agency's
  // id, the check, the data version and the view's address beside it; text a spreadsheet would run is kept
  // text. A total gives, beside each figure, how many of the chosen years it sums.
  function csvCell(v) {
    if (typeof v === "number") return String(v);
    var s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  Explorer.prototype.csv = function (rows) {
    var self = this, ms = this.state.m.map(function (m) { return self.measures[m]; }), totals = this.state.g === "total";
    var head = ["机构", "机构代码", "地区", "年份"];
    ms.forEach(function (m) {
      head.push(m.label + (m.unit ? "（" + m.unit + "）" : ""));
      if (totals) head.push(m.label + "：给出年数");
    });
    var lines = [head.concat(["核对", "数据版本", "许可", "网址"])];
    rows.forEach(function (r) {
      var check = Math.max.apply(null, r.values.map(function (v) { return v[1]; }).concat([0]));
      var line = [r.name, r.agency, r.place, r.year];
      r.values.forEach(function (v) {
        var st = X.stateOf(v[0]);
        line.push(st ? st[1] : v[0]);
        if (totals) line.push(v[2] + "/" + v[3]);
      });
      lines.push(line.concat([check === 2 ? "未通过" : check === 1 ? "有警告" : "通过", self.index.version, "CC BY 4.0", location.href]));
    });
    return "\ufeff" + lines.map(function (l) { return l.map(csvCell).join(","); }).join("\n") + "\n";
  };
  Explorer.prototype.download = function (rows) {
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    this.blobUrl = URL.createObjectURL(new Blob([this.csv(rows)], { type: "text/csv;charset=utf-8" }));
    var p = el("p", { class: "nb-x-download" });
    p.appendChild(el("a", { href: this.blobUrl, download: "explore.csv" }, "下载此表（CSV）"));
    p.appendChild(document.createTextNode("：所示机构、年度和指标，附数据版本和本视图的网址。指标的定义见表头（鼠标悬停）。"));
    p.appendChild(el("a", { href: location.href, class: "nb-x-permalink" }, "本视图的链接"));
    p.appendChild(document.createTextNode("：复制它，别人打开看到的是同一视图。"));
    return p;
  };
})();
