// Charts paint first as static SVG images (light or dark by the reader's colour
// scheme). Once the page has loaded and painted, each chart that comes near the
// window turns into its interactive view: the self-hosted Vega bundle is fetched
// once, with the first such chart, and each view is themed from the page's own
// colours and re-themed when the colour scheme changes. Without JavaScript, or if
// anything fails, the static image simply stays.
(function () {
  "use strict";
  var figures = Array.prototype.slice.call(document.querySelectorAll("figure.chart[data-spec]"));
  if (!figures.length || !window.fetch || !document.body) return;
  var root = document.body.getAttribute("data-root") || "";
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var specs = {};
  var views = [];

  function colour(style, name) {
    return style.getPropertyValue(name).trim();
  }

  function theme() {
    var style = getComputedStyle(document.documentElement);
    var ink = colour(style, "--ink"), muted = colour(style, "--muted"), grid = colour(style, "--rule");
    return {
      background: colour(style, "--paper"),
      font: colour(style, "--font"),
      view: { stroke: null },
      range: { category: ["#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0e7490"] },
      axis: { labelColor: muted, titleColor: ink, gridColor: grid, domainColor: muted, tickColor: muted,
              labelFontSize: 12, titleFontSize: 12, titleFontWeight: "normal" },
      legend: { labelColor: ink, titleColor: ink, orient: "top", labelFontSize: 12 },
      title: { color: ink },
      text: { color: ink, fontSize: 12 },
      rule: { color: muted },
      line: { strokeWidth: 2 }
    };
  }

  function loadSpec(url) {
    if (!specs[url]) {
      specs[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.json();
      });
    }
    return specs[url];
  }

  function embed(figure) {
    var url = figure.getAttribute("data-spec");
    var base = url.slice(0, url.lastIndexOf("/") + 1);
    var holder = figure.querySelector(".chart-view");
    var previous = holder.querySelector(".chart-live");
    var target = document.createElement("div");
    target.className = "chart-live is-pending";
    holder.appendChild(target);
    return loadSpec(url).then(function (spec) {
      var themed = JSON.parse(JSON.stringify(spec));
      themed.config = theme();
      fitPanels(themed, holder.clientWidth);
      var title = figure.querySelector(".chart-title");
      if (!themed.description && title) themed.description = title.textContent.replace(/^#\s*/, "").trim();
      return window.vegaEmbed(target, themed, {
        actions: false, renderer: "svg", loader: { baseURL: base },
        tooltip: { theme: dark && dark.matches ? "dark" : "light" }
      });
    }).then(function (result) {
      var picture = holder.querySelector("picture");
      if (picture) picture.remove();
      if (previous) {
        retire(previous);
        previous.remove();
      }
      target.classList.remove("is-pending");
      views.push({ el: target, view: result.view });
      figure.classList.add("is-interactive");
    }).catch(function (err) {
      target.remove();
      figure.classList.add("is-static");
      if (window.console) console.warn("chart stays static:", err);
    });
  }

  // "container" width works for single and layered views only: give stacked panels the
  // column's width (less room for the y axis), so they are neither small nor shrunk to fit.
  function fitPanels(spec, width) {
    if (!spec.vconcat || !width) return;
    var inner = Math.max(160, width - 90);
    spec.vconcat.forEach(function (panel) { panel.width = inner; });
  }

  function retire(el) {
    views = views.filter(function (entry) {
      if (entry.el !== el) return true;
      entry.view.finalize();
      return false;
    });
  }

  // The bundle is fetched once, when the first chart comes near the window; each chart turns
  // live as it comes near. A reader who never scrolls to a chart never pays for Vega.
  var bundle = null;

  function loadBundle() {
    if (!bundle) {
      bundle = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root + "assets/vega.js";
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return bundle;
  }

  function activate(figure) {
    loadBundle().then(function () { return embed(figure); }, function () {
      figure.classList.add("is-static");
    });
  }

  function start() {
    if (!window.IntersectionObserver) {
      figures.forEach(activate);
      return;
    }
    var watcher = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        watcher.unobserve(entry.target);
        activate(entry.target);
      });
    }, { rootMargin: "0px 0px 200px 0px" });
    figures.forEach(function (f) { watcher.observe(f); });
  }

  if (dark && dark.addEventListener) {
    dark.addEventListener("change", function () {
      if (window.vegaEmbed) figures.filter(function (f) { return f.classList.contains("is-interactive"); }).forEach(embed);
    });
  }
  // Start once the page has loaded and shown its first content, so fetching and compiling
  // Vega never competes with the page's first picture.
  function afterFirstPaint(next) {
    var types = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
    if (!types || types.indexOf("paint") < 0 || performance.getEntriesByName("first-contentful-paint").length) {
      next();
      return;
    }
    var observer = new PerformanceObserver(function (list) {
      if (!list.getEntriesByName("first-contentful-paint").length) return;
      observer.disconnect();
      next();
    });
    observer.observe({ type: "paint" });
  }

  function ready() { afterFirstPaint(start); }
  if (document.readyState === "complete") ready();
  else window.addEventListener("load", ready);
})();
