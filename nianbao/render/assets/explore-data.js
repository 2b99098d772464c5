/* nianbao explorer, part 1 of 4 (explore.js loads them): the state in the URL and the data parts.
   The whole view lives in the query string (?a=…&y=…&m=…&v=table|chart&g=total&s=…&o=asc|desc). Data come
   in parts (explore/data/, nianbao.render.explore_data): a small index; the agencies of one province at a
   time (a/<province>.json), found by their id's province; names.json only to search every province; then
   the values per province and measure or per measure, whichever is fewer bytes for the view. */
(function () {
  "use strict";
  var X = (window.nianbao = window.nianbao || {}).explore = window.nianbao.explore || {};

  X.el = function (tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  };
  X.fmt = function (v, rate) {
    if (rate) return (v * 100).toFixed(1) + "%";
    return v.toLocaleString("en-US", { maximumFractionDigits: 4 });
  };
  // Indexes of [name, …] entries in the reader's order of names (pinyin).
  X.byName = function (list) {
    return list.map(function (_, i) { return i; }).sort(function (a, b) { return list[a][0].localeCompare(list[b][0], "zh-Hans-CN"); });
  };

  // State ⇄ URL ---------------------------------------------------------------------------------------------
  X.parseState = function (search, fallback) {
    var q = new URLSearchParams(search);
    if (!q.has("a") && !q.has("m") && !q.has("y")) return JSON.parse(JSON.stringify(fallback));
    function list(k) { return (q.get(k) || "").split(",").filter(Boolean); }
    return {
      a: list("a"), y: list("y").map(Number).filter(function (y) { return y > 0; }), m: list("m"),
      v: q.get("v") === "chart" ? "chart" : "table", g: q.get("g") === "total" ? "total" : "",
      s: q.get("s") || "", o: q.get("o") === "desc" ? "desc" : "asc",
    };
  };
  X.query = function (state) {
    function list(xs) { return xs.map(encodeURIComponent).join(","); }
    var parts = ["a=" + list(state.a), "y=" + list(state.y), "m=" + list(state.m), "v=" + state.v];
    if (state.g) parts.push("g=" + state.g);
    if (state.s) parts.push("s=" + encodeURIComponent(state.s), "o=" + state.o);
    return "?" + parts.join("&");
  };

  // Data -----------------------------------------------------------------------------------------------------
  function Explorer(page) {
    this.page = page;
    this.path = location.pathname;  // the explorer's own history moves stay on this page
    this.root = new URL(page.getAttribute("data-root") || "../", location.href);
    var holder = page.querySelector("template.nb-x-default");
    this.fallback = JSON.parse(holder.content.querySelector("script.nb-x-state").textContent);
    this.fallback.s = ""; this.fallback.o = "asc"; this.fallback.g = this.fallback.g || "";
    this.parts = {};
    this.cells = {};  // measure id → {"agency number:year": [value, check]}
    this.agencies = [];  // agency number → [id, name, province, city, kind, years], as their provinces load
    this.agencyIndex = {};  // id → agency number
    this.provinceSizes = {};  // province slug → its parts' sizes in the measures' order (with its agency list)
    this.loadedBytes = 0;
  }
  X.Explorer = Explorer;

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

  // One province's agencies (its index in index.provinces), numbered from the province's first.
  Explorer.prototype.province = function (p) {
    var self = this, info = this.index.provinces[p];
    return this.fetchJson("explore/data/a/" + info[1] + ".json").then(function (part) {
      self.provinceSizes[info[1]] = part.sizes;
      part.agencies.forEach(function (row, k) {
        var n = info[3] + k;
        if (!self.agencies[n]) {
          self.agencies[n] = [row[0], row[1], p, row[2], row[3], row[4]];
          self.agencyIndex[row[0]] = n;
        }
      });
      return self.agencies.slice(info[3], info[3] + info[4]);
    });
  };
  Explorer.prototype.provinceOf = function (n) {
    var ps = this.index.provinces;
    for (var p = 0; p < ps.length; p++) if (n >= ps[p][3] && n < ps[p][3] + ps[p][4]) return p;
    return -1;
  };
  // Every agency's [name, city, kind], for a search over all provinces (read when first needed).
  Explorer.prototype.names = function () {
    return this.fetchJson("explore/data/names.json").then(function (part) { return part.names; });
  };

  // Find agencies by id: first in the provinces their id names (explore_data.guessed_provinces), then everywhere.
  Explorer.prototype.resolve = function (ids) {
    var self = this, ps = this.index.provinces;
    function guess(id) {
      var head = id.split("-")[0], out = [];
      ps.forEach(function (p, i) { if (head && p[1].indexOf(head) === 0) out.push(i); });
      return out;
    }
    var first = {};
    ids.forEach(function (id) { if (!(id in self.agencyIndex)) guess(id).forEach(function (p) { first[p] = 1; }); });
    return Promise.all(Object.keys(first).map(function (p) { return self.province(Number(p)); })).then(function () {
      var missing = ids.filter(function (id) { return !(id in self.agencyIndex); });
      if (!missing.length) return;
      return Promise.all(ps.map(function (_, p) { return self.province(p); }));
    });
  };
  // Agency numbers → ids, loading their provinces.
  Explorer.prototype.idsOf = function (numbers) {
    var self = this, ps = {};
    numbers.forEach(function (n) { if (!self.agencies[n]) ps[self.provinceOf(n)] = 1; });
    return Promise.all(Object.keys(ps).map(function (p) { return self.province(Number(p)); })).then(function () {
      return numbers.map(function (n) { return self.agencies[n][0]; });
    });
  };

  Explorer.prototype.start = function () {
    var self = this;
    return this.fetchJson("explore/data/index.json").then(function (index) {
      self.index = index;
      self.measures = {};
      self.order = {};
      index.measures.forEach(function (m, i) { self.measures[m.id] = m; self.order[m.id] = i; });
      var state = X.parseState(location.search, self.fallback);
      return self.resolve(state.a).then(function () {
        self.state = self.clean(state);
        // The default view gets its address too, so that what is shown can always be shared as it is.
        if (X.query(self.state) !== location.search) history.replaceState(history.state, "", X.query(self.state) + location.hash);
        self.buildControls();
        self.render();
      });
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
    this.state.a.forEach(function (a) { slugs[idx.provinces[self.agencies[self.agencyIndex[a]][2]][1]] = 1; });
    var perProvince = [], perMeasure = [];
    Object.keys(slugs).sort().forEach(function (s) {
      self.state.m.forEach(function (m) {
        var n = (self.provinceSizes[s] || [])[self.order[m]];
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
})();
