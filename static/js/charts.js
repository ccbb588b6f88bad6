// Draws each chart of a page: the figure is JSON in <script type="application/json"> next to an
// element with data-chart naming it. No inline script, so it runs under script-src 'self'.
//
// The chart library is large (about half a second of a phone's main thread to parse), so the page's
// text and numbers come first: the library is fetched only when a chart is about to scroll into
// view, and never before the page can be used. Printing draws every chart first (the report's
// Print button waits for them; the browser's own print draws them if the library is there).
(function () {
  "use strict";

  var script = document.currentScript;
  var libraryUrl = script && script.dataset.plotly;
  var loading = null;

  function library() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var element = document.createElement("script");
        element.src = libraryUrl;
        element.onload = function () { resolve(window.Plotly); };
        element.onerror = reject;
        document.head.appendChild(element);
      });
    }
    return loading;
  }

  // Plotly needs colours as values; take them from the page so dark mode reads well.
  function theme(figure, element) {
    var style = getComputedStyle(element);
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    var layout = figure.layout;
    layout.font = Object.assign({}, layout.font || {}, { color: style.color });
    (figure.dark && dark ? figure.dark : []).forEach(function (change) {
      // [trace index, property path, value]: a colour that keeps its contrast on a dark page.
      var target = figure.data[change[0]], path = change[1].split(".");
      for (var i = 0; i < path.length - 1; i++) target = target[path[i]];
      target[path[path.length - 1]] = change[2];
    });
    return layout;
  }

  function draw(element) {
    if (element.classList.contains("chart-drawn")) return;
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    element.style.height = "";
    window.Plotly.newPlot(element, figure.data, theme(figure, element), figure.config).then(function () {
      fitLegend(element);
      element.classList.add("chart-drawn");
    });
  }

  // A narrow screen wraps the legend onto more rows than the figure left room for: grow the
  // figure by what it needs, so the legend never covers a date.
  function fitLegend(element) {
    var legend = element.querySelector(".legend");
    if (!legend) return;
    var lowest = 0;
    element.querySelectorAll(".xtick text, .g-xtitle text").forEach(function (label) {
      lowest = Math.max(lowest, label.getBoundingClientRect().bottom);
    });
    var needed = Math.ceil(lowest + 6 - legend.getBoundingClientRect().top);
    if (lowest && needed > 0) {
      var layout = element.layout;
      window.Plotly.relayout(element, { "margin.b": layout.margin.b + needed, height: layout.height + needed });
    }
  }

  function drawAll() {
    return library().then(function () {
      document.querySelectorAll("[data-chart]").forEach(draw);
    });
  }

  function watch() {
    var charts = document.querySelectorAll("[data-chart]");
    if (!charts.length) return;
    if (!("IntersectionObserver" in window)) { drawAll(); return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        library().then(function () { draw(entry.target); });
      });
    }, { rootMargin: "100px 0px" });  // about to be seen: a short scroll away
    charts.forEach(function (chart) { observer.observe(chart); });
  }

  window.diaryCharts = { drawAll: drawAll };
  window.addEventListener("beforeprint", function () {
    if (window.Plotly) document.querySelectorAll("[data-chart]").forEach(draw);
  });
  document.addEventListener("DOMContentLoaded", watch);
})();
