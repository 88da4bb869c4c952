// Charts paint first as static SVG images; this swaps each for its interactive
// Vega view once the self-hosted Vega bundle has loaded. Without JavaScript, or
// if anything fails, the static image simply stays.
(function () {
  "use strict";
  var figures = document.querySelectorAll("figure.chart[data-spec]");
  if (!figures.length || !window.fetch) return;
  var root = document.body.getAttribute("data-root") || "";

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

  function embed(figure) {
    var specUrl = figure.getAttribute("data-spec");
    var base = specUrl.slice(0, specUrl.lastIndexOf("/") + 1);
    var view = figure.querySelector(".chart-view");
    return fetch(specUrl).then(function (r) {
      if (!r.ok) throw new Error(specUrl + ": " + r.status);
      return r.json();
    }).then(function (spec) {
      spec.config = theme();
      var target = document.createElement("div");
      target.className = "chart-live";
      return window.vegaEmbed(target, spec, {
        actions: false, renderer: "svg", loader: { baseURL: base }
      }).then(function () {
        view.replaceChildren(target);
        figure.classList.add("is-interactive");
      });
    }).catch(function (err) {
      figure.classList.add("is-static");
      if (window.console) console.warn("chart stays static:", err);
    });
  }

  function start() {
    var script = document.createElement("script");
    script.src = root + "assets/vega.js";
    script.onload = function () { figures.forEach(embed); };
    document.head.appendChild(script);
  }
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
