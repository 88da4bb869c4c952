// Charts paint first as static SVG images. Each becomes an interactive Vega view
// when it comes near the viewport: the self-hosted Vega bundle is fetched then,
// once, so a page whose charts are never scrolled to never pays for it, and the
// charts are brought to life one at a time so the page stays responsive. The
// live view takes exactly the image's place, so nothing on the page moves.
// Without JavaScript, or if anything fails, the static image simply stays.
(function () {
  "use strict";
  var figures = document.querySelectorAll("figure.chart[data-spec]");
  if (!figures.length || !window.fetch) return;
  var root = document.body.getAttribute("data-root") || "";
  var bundle = null;
  var queue = [];
  var busy = false;

  function theme() {
    var style = getComputedStyle(document.documentElement);
    var ink = style.getPropertyValue("--ink").trim();
    var muted = style.getPropertyValue("--muted").trim();
    var grid = style.getPropertyValue("--rule").trim();
    return {
      background: style.getPropertyValue("--paper").trim(),
      font: style.getPropertyValue("--font").trim(),
      view: { stroke: null },
      range: { category: ["#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0e7490"] },
      axis: { labelColor: muted, titleColor: ink, gridColor: grid, domainColor: muted, tickColor: muted,
              labelFontSize: 12, titleFontSize: 12, titleFontWeight: "normal" },
      legend: { labelColor: ink, titleColor: ink, orient: "top", labelFontSize: 12 },
      text: { color: ink, fontSize: 12 },
      line: { strokeWidth: 2 }
    };
  }

  function loadVega() {
    if (!bundle) {
      bundle = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root + "assets/vega.js";
        script.onload = resolve;
        script.onerror = function () { reject(new Error(script.src + " did not load")); };
        document.head.appendChild(script);
      });
    }
    return bundle;
  }

  function embed(figure) {
    var specUrl = figure.getAttribute("data-spec");
    var base = specUrl.slice(0, specUrl.lastIndexOf("/") + 1);
    var view = figure.querySelector(".chart-view");
    var spec = fetch(specUrl).then(function (r) {
      if (!r.ok) throw new Error(specUrl + ": " + r.status);
      return r.json();
    });
    return Promise.all([spec, loadVega()]).then(function (got) {
      var spec = got[0];
      var overlay = spec.width === "container";
      spec.config = theme();
      if (overlay) spec.height = "container"; // fill the image's box: no layout shift
      var target = document.createElement("div");
      target.className = overlay ? "chart-live is-overlay" : "chart-live";
      if (overlay) view.appendChild(target);
      return window.vegaEmbed(target, spec, {
        actions: false, renderer: "canvas", loader: { baseURL: base }
      }).then(function () {
        if (overlay) view.classList.add("is-live");
        else view.replaceChildren(target);
        figure.classList.add("is-interactive");
      }, function (err) {
        target.remove();
        throw err;
      });
    }).catch(function (err) {
      figure.classList.add("is-static");
      if (window.console) console.warn("chart stays static:", err);
    });
  }

  function next() {
    var figure = queue.shift();
    busy = !!figure;
    if (figure) embed(figure).then(function () { setTimeout(next, 0); });
  }

  function wake(figure) {
    queue.push(figure);
    if (!busy) next();
  }

  function start() {
    if (!("IntersectionObserver" in window)) {
      Array.prototype.forEach.call(figures, wake);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        wake(entry.target);
      });
    }, { rootMargin: "200px 0px" });
    Array.prototype.forEach.call(figures, function (figure) { observer.observe(figure); });
  }
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
