// Draws each chart of a page: the figure is JSON in <script type="application/json"> next to an
// element with data-chart naming it. No inline script, so it runs under script-src 'self'.
(function () {
  "use strict";

  // Plotly needs colours as values; take them from the page so dark mode reads well.
  function theme(layout, element) {
    var style = getComputedStyle(element);
    layout.font = Object.assign({}, layout.font || {}, { color: style.color });
    return layout;
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, theme(figure.layout, element), figure.config);
    element.classList.add("chart-drawn");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
