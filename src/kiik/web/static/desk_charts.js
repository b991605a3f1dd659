// The desk's charts (uPlot): each element with data-chart draws the JSON of the script it names,
// {x: [...], series: [{label, values}], bars}; the table beside each chart holds the same figures.
"use strict";

(function () {
  const compact = new Intl.NumberFormat(document.documentElement.lang || "en", { notation: "compact" });
  const COLOURS = ["#8a5a14", "#1f7a3d", "#2f5d8a", "#b3261e", "#6b4a8a", "#4a5a51"];

  function draw(element) {
    if (typeof uPlot === "undefined") return;
    const data = JSON.parse(document.getElementById(element.dataset.chart).textContent);
    if (!data.x.length || !data.series.length) return;
    const width = Math.max(280, element.clientWidth);
    const bars = data.bars ? uPlot.paths.bars({ size: [0.7 / data.series.length, 30] }) : undefined;
    const options = {
      width,
      height: 240,
      scales: { x: { time: false } },
      axes: [
        // Years and hours are whole numbers: no tick between them, no thousands separator.
        { incrs: [1, 2, 5, 10], values: (plot, ticks) => ticks.map((v) => (Number.isInteger(v) ? String(v) : "")) },
        { size: 60, values: (plot, ticks) => ticks.map((v) => compact.format(v)) },
      ],
      series: [{ label: data.xLabel }].concat(
        data.series.map((line, n) => ({
          label: line.label,
          stroke: COLOURS[n % COLOURS.length],
          fill: data.bars ? COLOURS[n % COLOURS.length] + "99" : undefined,
          width: 2,
          paths: bars,
          points: { show: !data.bars },
          spanGaps: true,
        }))
      ),
    };
    new uPlot(options, [data.x].concat(data.series.map((line) => line.values)), element);
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
