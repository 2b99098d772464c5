/* nianbao explorer (/explore/): agencies × years × measures as a sortable table or a chart, the whole view in
   the URL. This file loads the explorer's parts in order (plain files, no bundler) and starts it on the page:
   explore-data.js (state in the URL, the data parts), explore-table.js (rows, table, CSV),
   explore-chart.js (chart, drawing), explore-controls.js (the pickers). */
(function () {
  "use strict";
  var PARTS = ["explore-data.js", "explore-table.js", "explore-chart.js", "explore-controls.js"];
  var here = document.currentScript ? document.currentScript.src : "";

  function loadParts() {
    if (window.nianbao && window.nianbao.explore && window.nianbao.explore.ready) return window.nianbao.explore.ready;
    var base = here || new URL("assets/nianbao/explore.js", new URL(document.querySelector(".nb-explore").getAttribute("data-root"), location.href)).href;
    var ready = Promise.all(PARTS.map(function (name) {
      return new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = new URL(name, base).href;
        s.async = false;  // run in the order given, each as soon as those before it have run
        s.onload = resolve;
        s.onerror = function () { reject(new Error(name)); };
        document.head.appendChild(s);
      });
    }));
    (window.nianbao = window.nianbao || {}).explore = window.nianbao.explore || {};
    window.nianbao.explore.ready = ready;
    return ready;
  }

  function setup() {
    var page = document.querySelector(".nb-explore");
    if (!page || page.nbExplorer) return;
    page.nbExplorer = true;  // one explorer per page, even while the parts load
    loadParts().then(function () {
      var x = page.nbExplorer = new window.nianbao.explore.Explorer(page);
      return x.start();
    }).catch(function (err) { page.querySelector(".nb-x-status").textContent = "数据读取失败：" + err.message; });
  }

  setup();
  if (!window.nbExploreListening) {
    window.nbExploreListening = true;
    // A move through the explorer's own history (same page, another query) is the explorer's alone.
    // Material's instant navigation sees the first popstate of every loaded document as a new page (its
    // location stream starts empty), fetches the page again and swaps it in: the view drawn would be
    // replaced by the page's static table a moment later. Capture listeners on window run first, so the
    // explorer takes the event and stops it there; moves to another page, or to an anchor of this view, stay
    // Material's.
    window.addEventListener("popstate", function (e) {
      var page = document.querySelector(".nb-explore");
      if (!page || !page.nbExplorer || !page.nbExplorer.index) return;
      var x = page.nbExplorer;
      if (location.pathname !== x.path || location.search === page.getAttribute("data-nb-view")) return;
      e.stopImmediatePropagation();
      x.fromUrl();
    }, true);
    new MutationObserver(function () {
      var page = document.querySelector(".nb-explore");
      if (page && page.nbExplorer && page.nbExplorer.index && page.nbExplorer.state.v === "chart") page.nbExplorer.render();
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setup);
  }
})();
