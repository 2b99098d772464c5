/* nianbao site script: charts (Plotly, loaded on demand) and search (Pagefind), both self-hosted.
   Runs on Material's document$, so both come back after instant navigation. */
(function () {
  "use strict";
  // The site root, from this script's own address: works under any path (GitHub Pages project sites).
  var script = document.currentScript;
  var root = new URL("../../", script.src);
  var plotly = null;
  var charts = [];

  function load(src, isCss) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(isCss ? "link" : "script");
      if (isCss) { el.rel = "stylesheet"; el.href = src; } else { el.src = src; }
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function dark() {
    return document.body.getAttribute("data-md-color-scheme") === "slate";
  }

  function theme() {
    var ink = dark() ? "#e3e5ea" : "#1f2328";
    var grid = dark() ? "#3b4050" : "#e3e5ea";
    var axis = { gridcolor: grid, linecolor: grid, zerolinecolor: grid, automargin: true };
    return {
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      font: { color: ink, family: "'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif", size: 13 },
      margin: { t: 16, r: 16, b: 40, l: 56 }, hoverlabel: { font: { size: 13 } },
      legend: { orientation: "h", y: -0.18 }, xaxis: axis, yaxis: axis,
    };
  }

  function merge(base, extra) {
    var out = {};
    [base, extra].forEach(function (src) {
      Object.keys(src).forEach(function (k) {
        var v = src[k];
        out[k] = v && typeof v === "object" && !Array.isArray(v) && out[k] && typeof out[k] === "object" ? merge(out[k], v) : v;
      });
    });
    return out;
  }

  function drawCharts() {
    var els = Array.prototype.slice.call(document.querySelectorAll(".nb-chart"));
    // Charts of the page left by instant navigation: purge them, or their resize handlers outlive them.
    charts.forEach(function (el) { if (window.Plotly) window.Plotly.purge(el); });
    charts = [];
    if (!els.length) return;
    if (!plotly) plotly = load(new URL("assets/nianbao/plotly.min.js", root).href);
    plotly.then(function () {
      els.forEach(function (el) {
        var spec = el.nextElementSibling;  // <template class="nb-chart-spec"><script type="application/json">
        var data = spec && spec.content && spec.content.querySelector(".nb-chart-data");
        if (!data) return;
        var fig = JSON.parse(data.textContent);
        el._nbLayout = fig.layout;
        window.Plotly.newPlot(el, fig.data, merge(theme(), fig.layout), { responsive: true, displayModeBar: false });
        charts.push(el);
        // The chart is drawn: its data table (open for readers without JavaScript) folds under it.
        var table = (el.closest(".nb-figure") || el.parentNode).querySelector("details.nb-chart-table");
        if (table && !table.dataset.nbFolded) { table.dataset.nbFolded = "1"; table.open = false; }
      });
    });
  }

  function restyle() {
    charts.forEach(function (el) {
      if (el.isConnected) window.Plotly.relayout(el, merge(theme(), el._nbLayout));
    });
  }

  // Pagefind's scripts, and the site's other indexes: the build indexes the pages in buckets (render/
  // search.py), bucket 0 in pagefind/, the others in the folders pagefind/nb-indexes.json lists, which
  // Pagefind's UI merges into every query (mergeIndex). Resolves to the mergeIndex option.
  // Every UI on a page (the header's; the home and 404 pages' own) shares one Pagefind module, and each
  // merges its mergeIndex list into it when first used: the list yields its indexes to the first UI only
  // (merged twice, each bucket's results came twice), as fresh objects (the UI deletes their bundlePath).
  function pagefind() {
    if (!pagefind.ready) {
      var bundle = new URL("pagefind/", root).href;
      var ui = load(bundle + "pagefind-ui.css", true).then(function () { return load(bundle + "pagefind-ui.js"); });
      var more = fetch(bundle + "nb-indexes.json").then(function (r) { return r.ok ? r.json() : { merge: [] }; });
      pagefind.ready = Promise.all([ui, more]).then(function (done) {
        var dirs = done[1].merge || [], merged = false;
        var once = dirs.slice();
        once[Symbol.iterator] = function () {
          var first = !merged;
          merged = true;
          return (first ? dirs : []).map(function (dir) { return { bundlePath: bundle + dir, baseUrl: root.pathname }; }).values();
        };
        return once;
      });
    }
    return pagefind.ready;
  }

  // An excerpt cut from a page's search-terms line (terms.py: a name's pieces, "额 济 纳 旗 额济 …") is
  // replaced by the page's summary (its name, place and kind): always on an agency page, whose other
  // indexed text is its name; on a report page when the excerpt holds a run of such pieces.
  var TERMS = /(?:^|\s)\p{Script=Han}{1,2}\s+\p{Script=Han}{1,2}\s+\p{Script=Han}{1,2}(?:\s|$)/u;
  var KINDS = { agency: "机构", report: "年度报告" };
  function text(s) {
    var d = document.createElement("div");
    d.textContent = s;
    return d.innerHTML;
  }
  function fromTerms(excerpt) {
    return TERMS.test(String(excerpt || "").replace(/<[^>]*>/g, ""));
  }

  // The query as the index holds it. Pagefind cuts a Chinese query with the browser's ICU dictionary,
  // which keeps words the indexer cuts (行政诉讼 → the index's 行政|诉讼) and cuts rare names into single
  // characters (清城区民政局 → 清|城区|民政局) that other names hold too: the pages of 城区民政局 in 清远市
  // held every piece of 清城区民政局 and ranked first. Each run of Chinese characters is therefore cut into
  // its pairs, end to end (an odd run's last pair overlaps: 建湖县 → 建湖 湖县), every pair of a name or
  // template term being a word of its pages (terms.py): the pairs keep a name's order, so a name finds
  // the pages of names that hold it whole. A quoted query is Pagefind's exact search, left alone.
  var HAN_RUN = /\p{Script=Han}{2,}/gu;
  var query = "";
  function pairs(run) {
    var out = [];
    for (var i = 0; i + 1 < run.length; i += 2) out.push(run.slice(i, i + 2));
    if (run.length % 2) out.push(run.slice(-2));
    return " " + out.join(" ") + " ";
  }
  function processTerm(term) {
    query = term;
    if (/^\s*".+"\s*$/.test(term)) return term;
    return term.replace(HAN_RUN, pairs).replace(/\s+/g, " ").trim();
  }

  // Pagefind marks the index's words (不|予|公开: only 公开 when the query is 不予公开); the excerpt marks
  // each phrase of the query, whole, where the excerpt holds it. Done on text nodes, so no markup breaks.
  function markPhrases(excerpt) {
    var phrases = query.replace(/"/g, " ").split(/\s+/).filter(function (p) { return p.length > 0; });
    var box = document.createElement("div");
    box.innerHTML = excerpt;
    var plain = box.textContent;
    phrases = phrases.filter(function (p) { return plain.indexOf(p) >= 0; });
    if (!phrases.length) return excerpt;
    var re = new RegExp(phrases.map(function (p) { return p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), "g");
    var html = "", last = 0, m;
    while ((m = re.exec(plain)) !== null) {
      html += text(plain.slice(last, m.index)) + "<mark>" + text(m[0]) + "</mark>";
      last = m.index + m[0].length;
    }
    return html + text(plain.slice(last));
  }

  // The page of words each bucket of a large site's index holds (render/search.py) is not a page of the
  // site: its results (last, they score 0) are hidden, and the count Pagefind's message gives leaves them
  // out. Pagefind's UI counts every result; the same search, run on Pagefind's module (the one the UI
  // imported, its indexes loaded: nothing is fetched again), counts those that score.
  var WORDS_PAGE = /\/nb-search-words\/$/;
  function recount(el) {
    var message = el.querySelector(".pagefind-ui__message");
    var line = message && message.firstChild;
    if (!line || line.nodeType !== 3 || !query || line.data === el.nbCounted || line.data.indexOf(query) < 0) return;
    var asked = processTerm(query), said = line.data;
    import(new URL("pagefind/pagefind.js", root).href).then(function (pf) { return pf.search(asked); }).then(function (found) {
      if (asked !== processTerm(query) || line.data !== said || !found) return;  // a newer search, or a newer message
      var all = found.results.length, real = found.results.filter(function (r) { return r.score > 0; }).length;
      if (real === all) return;
      el.nbCounted = line.data = real ? said.replace(String(all), String(real)) : "未找到 " + query + " 的相关结果";
    });
  }

  function processResult(result) {
    if (WORDS_PAGE.test(result.url || "")) {
      result.excerpt = '<span class="nb-words"></span>';
      (result.sub_results || []).forEach(function (r) { r.excerpt = result.excerpt; });
      return result;
    }
    var meta = result.meta || {};
    var summary = meta.summary, page = meta.page, year = meta.year;
    // Shown as the result's tags: its kind and year, never "summary: …".
    delete meta.summary;
    delete meta.page;
    delete meta.year;
    if (KINDS[page]) meta["类型"] = KINDS[page];
    if (year) meta["年度"] = year;
    var agency = page === "agency";
    [result].concat(result.sub_results || []).forEach(function (r) {
      if (summary && (agency || fromTerms(r.excerpt))) r.excerpt = text(summary);
      else r.excerpt = markPhrases(r.excerpt || "");
    });
    return result;
  }

  function searchIn(el, options) {
    if (el.dataset.nbReady) return;
    el.dataset.nbReady = "1";
    pagefind().then(function (merge) {
      new window.PagefindUI(Object.assign({
        element: el, bundlePath: new URL("pagefind/", root).href, baseUrl: root.pathname, mergeIndex: merge,
        showImages: false, showSubResults: true, resetStyles: false, processTerm: processTerm, processResult: processResult,
      }, options || {}));
      // One index holds no page of words: its count is right.
      if (merge.length) new MutationObserver(function () { recount(el); }).observe(el, { childList: true, characterData: true, subtree: true });
      // Pagefind's input has only a placeholder: give it a label screen readers announce.
      el.querySelectorAll("input").forEach(function (input) { input.setAttribute("aria-label", "搜索本站"); });
    });
  }

  function setupSearch() {
    var header = document.querySelector(".md-header__inner");
    if (header && !document.querySelector(".nb-search")) {
      var box = document.createElement("div");
      box.className = "nb-search";
      box.setAttribute("role", "search");
      var palette = header.querySelector(".md-header__option") || null;
      header.insertBefore(box, palette);
      searchIn(box, { pageSize: 5 });
    }
    var home = document.querySelector(".nb-search-home");
    if (home) searchIn(home);
  }

  // A table wider than the screen scrolls inside its box; keyboard users must be able to reach it.
  function scrollables() {
    document.querySelectorAll(".nb-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.tabIndex = 0;
        if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); box.setAttribute("aria-label", "可横向滚动的表格"); }
      }
    });
  }

  // A citation built without the site's address names the page's path: give it the address the reader is on.
  function citeUrls() {
    document.querySelectorAll("[data-nb-page-url]").forEach(function (el) {
      el.textContent = location.origin + location.pathname;
    });
  }

  function onPage() {
    citeUrls();
    setupSearch();
    // Each chart's tabs (grapher.js): 图表 · 数据表 · 来源 · 下载 · 引用.
    if (window.nianbao && window.nianbao.grapher) document.querySelectorAll(".nb-figure").forEach(window.nianbao.grapher.mount);
    drawCharts();
    scrollables();
  }

  new MutationObserver(restyle).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else {
    document.addEventListener("DOMContentLoaded", onPage);
  }
})();
