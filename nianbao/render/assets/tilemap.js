/* nianbao summary page (/explore/summary/): the province tile map recoloured for the chosen year and
   measure, and its table rewritten to match (nianbao/render/tilemap.py draws the default view). */
(function () {
  "use strict";
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmt(v) { return v.toLocaleString("en-US", { maximumFractionDigits: 4 }); }

  // Summary page: the tile map recoloured for the chosen year and measure (tilemap.py draws the default).
  var BINS = 5;
  function setup() {
    var page = document.querySelector(".nb-summary");
    if (!page || page.nbMap) return;
    var holder = page.querySelector("template.nb-map-spec"), controls = page.querySelector(".nb-map-controls");
    if (!holder || !controls) return;
    page.nbMap = true;
    var spec = JSON.parse(holder.content.querySelector("script.nb-map-data").textContent);
    var year = controls.querySelector('select[name="year"]'), measure = controls.querySelector('select[name="measure"]');
    function redraw() {
      var values = (spec.data[year.value] || {})[measure.value] || {};
      var known = Object.keys(values).map(function (p) { return values[p][0]; }).filter(function (v) { return v !== null; });
      var top = Math.max.apply(null, known.concat([0]));
      var bounds = top > 0 ? [1, 2, 3, 4, 5].map(function (i) { return top * i / BINS; }) : [];
      var caption = year.value + " 年 " + spec.labels[measure.value] + "：各省合计";
      page.querySelectorAll(".nb-tiles .nb-tile").forEach(function (tile) {
        var v = values[tile.getAttribute("data-province")] || [null, 0, 0];
        var bin = v[0] === null ? 0 : bounds.length ? bounds.findIndex(function (b) { return v[0] <= b; }) + 1 : 1;
        tile.className = "nb-tile nb-tile-" + bin;
        var short = tile.firstChild.textContent;
        tile.querySelector(".nb-tile-value").textContent = v[0] === null ? "–" : fmt(v[0]);
        var label = short + "：" + (v[0] === null ? "无数据" : fmt(v[0])) + (v[2] ? "（" + v[2] + " 个机构中 " + v[1] + " 个给出）" : "");
        tile.title = label;
        if (tile.tagName === "A") tile.setAttribute("aria-label", label);
      });
      page.querySelectorAll(".nb-tilemap figcaption, .nb-tile-table caption").forEach(function (c) { c.textContent = caption; });
      var legend = page.querySelector(".nb-legend");
      legend.textContent = "";
      [["0", "无数据"]].concat(bounds.map(function (b, i) { return [String(i + 1), "≤ " + fmt(Math.round(b * 100) / 100)]; }))
        .forEach(function (l) {
          var li = legend.appendChild(el("li"));
          li.appendChild(el("span", { class: "nb-tile nb-tile-" + l[0] }));
          li.appendChild(document.createTextNode(l[1]));
        });
      var body = page.querySelector(".nb-tile-table tbody");
      body.textContent = "";
      Object.keys(values).sort(function (p, q) {
        var x = values[p][0] === null ? -1 : values[p][0], y = values[q][0] === null ? -1 : values[q][0];
        return y - x || (p < q ? -1 : p > q ? 1 : 0);
      }).forEach(function (p) {
        var tr = body.appendChild(el("tr")), th = tr.appendChild(el("th", { scope: "row" }));
        if (spec.links[p]) th.appendChild(el("a", { href: spec.links[p] }, p)); else th.textContent = p;
        var v = values[p];
        if (v[0] === null) tr.appendChild(el("td")).appendChild(el("span", { class: "nb-na" }, "未提供"));
        else tr.appendChild(el("td", {}, fmt(v[0])));
        tr.appendChild(el("td", {}, String(v[1])));
        tr.appendChild(el("td", {}, String(v[2])));
      });
    }
    year.addEventListener("change", redraw);
    measure.addEventListener("change", redraw);
    controls.hidden = false;
  }

  setup();
  if (!window.nbTilemapSubscribed && window.document$ && typeof window.document$.subscribe === "function") {
    window.nbTilemapSubscribed = true;
    window.document$.subscribe(setup);
  }
})();
