/* nianbao explorer, part 4 of 4: the controls. Agencies by region tree, by province, city and kind, or by
   typing a name (in one province's list, or in names.json across all); years; measures; table or chart; one
   row per report or per agency's total. Every change goes into the URL (pushState) and redraws. */
(function () {
  "use strict";
  var X = window.nianbao.explore, el = X.el, Explorer = X.Explorer;
  var MAX_LISTED = 60;  // candidates listed at once (the rest: narrow the filters)
  var FEW_PROVINCES = 3;  // names found in at most this many provinces: their lists are read to show ids and years

  Explorer.prototype.change = function (patch) {
    Object.keys(patch).forEach(function (k) { this.state[k] = patch[k]; }, this);
    this.clean(this.state);
    history.pushState({ nbExplore: 1 }, "", X.query(this.state) + location.hash);
    this.syncControls();
    this.render();
  };
  Explorer.prototype.addAgencies = function (ids) {
    var a = this.state.a;
    this.change({ a: a.concat(ids.filter(function (id, i) { return a.indexOf(id) === -1 && ids.indexOf(id) === i; })) });
  };

  Explorer.prototype.fromUrl = function () {
    var self = this, state = X.parseState(location.search, this.fallback);
    return this.resolve(state.a).then(function () {
      self.state = self.clean(state);
      if (X.query(self.state) !== location.search) history.replaceState(history.state, "", X.query(self.state) + location.hash);
      self.syncControls();
      self.render();
    });
  };

  Explorer.prototype.buildControls = function () {
    var self = this, form = this.page.querySelector(".nb-x-controls"), idx = this.index;
    this.form = form;
    var province = form.elements.province, city = form.elements.city, kind = form.elements.kind;
    X.byName(idx.provinces).forEach(function (i) { province.appendChild(el("option", { value: String(i) }, idx.provinces[i][0])); });
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
      self.idsOf(self.found || []).then(function (ids) { self.addAgencies(ids); });
    });
    form.addEventListener("change", function (e) {
      var t = e.target;
      if (t.name === "y") self.change({ y: checked("y").map(Number) });
      else if (t.name === "m") self.change({ m: self.orderMeasures(checked("m")) });
      else if (t.name === "v") self.change({ v: t.value });
      else if (t.name === "g") self.change({ g: t.value });
      else if (t.name === "agency") {
        var pick = t.value.charAt(0) === "#" ? self.idsOf([Number(t.value.slice(1))]) : Promise.resolve([t.value]);
        pick.then(function (ids) {
          var a = self.state.a.filter(function (x) { return x !== ids[0]; });
          if (t.checked) a.push(ids[0]);
          self.change({ a: a });
        });
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

  // The region tree: provinces, their cities, their agencies; a province's list read when it is first opened.
  Explorer.prototype.buildTree = function (root) {
    var self = this, idx = this.index;
    function agencyBox(row) {
      var li = el("li"), label = li.appendChild(el("label"));
      var box = label.appendChild(el("input", { type: "checkbox", name: "agency", value: row[0] }));
      box.checked = self.state.a.indexOf(row[0]) !== -1;
      label.appendChild(document.createTextNode(" " + row[1]));
      return li;
    }
    function branch(title, count, rows, fill) {
      var li = el("li"), details = li.appendChild(el("details"));
      details.appendChild(el("summary", {}, title + "（" + count + " 个机构）"));
      var add = details.appendChild(el("button", { type: "button", class: "nb-x-add-here", "aria-label": "全部加入：" + title }, "全部加入"));
      add.addEventListener("click", function () {
        rows().then(function (list) { self.addAgencies(list.map(function (r) { return r[0]; })); });
      });
      var list = details.appendChild(el("ul", { class: "nb-x-list" }));
      details.addEventListener("toggle", function () {
        if (details.open && !list.firstChild) rows().then(function (got) { if (!list.firstChild) fill(list, got); });
      });
      return li;
    }
    X.byName(idx.provinces).forEach(function (pi) {
      var p = idx.provinces[pi];
      root.appendChild(branch(p[0], p[4], function () { return self.province(pi); }, function (list, rows) {
        var cities = {};
        rows.forEach(function (r) { (cities[r[3]] = cities[r[3]] || []).push(r); });
        (cities[-1] || []).forEach(function (r) { list.appendChild(agencyBox(r)); });
        Object.keys(cities).filter(function (c) { return c !== "-1"; }).sort(function (a, b) {
          return idx.cities[a][0].localeCompare(idx.cities[b][0], "zh-Hans-CN");
        }).forEach(function (c) {
          list.appendChild(branch(idx.cities[c][0], cities[c].length, function () { return Promise.resolve(cities[c]); }, function (inner) {
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

  // The agencies the filters name (their numbers): one province's list when a province or city is chosen,
  // otherwise the names of all.
  Explorer.prototype.candidates = function () {
    var self = this, f = this.form.elements, idx = this.index, q = f.q.value.trim();
    var c = f.city.value, k = f.kind.value;
    var p = f.province.value !== "" ? Number(f.province.value) : c !== "" ? idx.cities[Number(c)][1] : null;
    function fits(city, kind, name, id) {
      return (c === "" || city === Number(c)) && (k === "" || kind === Number(k))
        && (!q || name.indexOf(q) !== -1 || (id && id.indexOf(q.toLowerCase()) !== -1));
    }
    if (p !== null) {
      return this.province(p).then(function (rows) {
        return rows.filter(function (r) { return fits(r[3], r[4], r[1], r[0]); }).map(function (r) { return self.agencyIndex[r[0]]; });
      });
    }
    if (k === "" && !q) return Promise.resolve([]);
    return this.names().then(function (names) {
      var out = [];
      names.forEach(function (r, n) { if (fits(r[1], r[2], r[0], null)) out.push(n); });
      return out;
    });
  };

  Explorer.prototype.listCandidates = function () {
    var self = this, token = (this.listToken = (this.listToken || 0) + 1);
    return this.candidates().then(function (found) {
      if (token !== self.listToken) return;
      var list = self.form.querySelector(".nb-x-candidates");
      self.found = found;
      // Names found across provinces: when they lie in a few provinces, read those lists (ids and years).
      var listed = found.slice(0, MAX_LISTED), provinces = {};
      listed.forEach(function (n) { if (!self.agencies[n]) provinces[self.provinceOf(n)] = 1; });
      var few = Object.keys(provinces).length <= FEW_PROVINCES;
      return Promise.all([few ? self.idsOf(listed) : null, Object.keys(provinces).length ? self.names() : null]).then(function (got) {
        if (token !== self.listToken) return;
        var all = got[1];
        list.textContent = "";
        found.slice(0, MAX_LISTED).forEach(function (n) {
          var row = self.agencies[n], label = list.appendChild(el("li")).appendChild(el("label"));
          var box = label.appendChild(el("input", { type: "checkbox", name: "agency", value: row ? row[0] : "#" + n }));
          box.checked = !!row && self.state.a.indexOf(row[0]) !== -1;
          var where = "（" + self.index.provinces[self.provinceOf(n)][0] + "）";
          label.appendChild(document.createTextNode(" " + (row ? row[1] + (row[5].length ? "（" + row[5].join("、") + "）" : "（暂无报告）")
                                                                : all[n][0] + where)));
        });
        var msg = self.form.querySelector(".nb-x-found");
        msg.textContent = !found.length ? "用上面的地区、类别或名称查找机构。"
          : found.length > MAX_LISTED ? "找到 " + found.length + " 个机构，列出前 " + MAX_LISTED + " 个；请缩小范围。" : "找到 " + found.length + " 个机构。";
        self.form.querySelector(".nb-x-add-all").hidden = !found.length;
      });
    });
  };

  Explorer.prototype.syncControls = function () {
    var self = this, form = this.form, st = this.state;
    if (!form) return;
    form.querySelectorAll('input[name="y"]').forEach(function (i) { i.checked = st.y.indexOf(Number(i.value)) !== -1; });
    form.querySelectorAll('input[name="m"]').forEach(function (i) { i.checked = st.m.indexOf(i.value) !== -1; });
    form.querySelectorAll('input[name="v"]').forEach(function (i) { i.checked = i.value === st.v; });
    form.querySelectorAll('input[name="g"]').forEach(function (i) { i.checked = i.value === st.g; });
    var chosen = form.querySelector(".nb-x-chosen");
    chosen.textContent = "";
    st.a.forEach(function (a) {
      var name = self.agencies[self.agencyIndex[a]][1];
      var li = chosen.appendChild(el("li"));
      li.appendChild(document.createTextNode(name + " "));
      var b = li.appendChild(el("button", { type: "button", class: "nb-x-remove", "aria-label": "移除 " + name }, "×"));
      b.addEventListener("click", function () { self.change({ a: self.state.a.filter(function (x) { return x !== a; }) }); });
    });
    if (!st.a.length) chosen.appendChild(el("li", {}, "（还没有选择机构）"));
    form.querySelectorAll('.nb-x-tree input[name="agency"]').forEach(function (i) { i.checked = st.a.indexOf(i.value) !== -1; });
    this.listCandidates();
  };
})();
