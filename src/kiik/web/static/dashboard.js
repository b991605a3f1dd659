// The ministry's dashboard: the map (Leaflet over world-atlas's country outlines, no tile server)
// and the charts (uPlot). The figures come from the page itself (#dashboard-data); the tables beside
// each chart carry the same numbers for those who do not see the charts.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const labels = data.labels;
  const palette = ["#8a5a14", "#1f7a3d", "#2f5d8a", "#b3261e", "#6b4c9a"];

  function drawMap() {
    const element = document.getElementById("map");
    if (!element || typeof L === "undefined") return;
    const map = L.map(element, { zoomSnap: 0.25, attributionControl: false });
    // Kazakhstan first: layers are drawn into a view, so the map needs one before they are added.
    map.fitBounds([[40.5, 46.5], [55.5, 87.3]]);
    fetch("/static/vendor/countries-110m.json")
      .then((answer) => answer.json())
      .then((world) => {
        const countries = topojson.feature(world, world.objects.countries);
        L.geoJSON(countries, {
          style: (feature) => ({
            color: "#7d8a83",
            weight: 1,
            fillColor: feature.id === "398" ? "#f1ecdf" : "#dfe3dd",
            fillOpacity: 1,
          }),
          interactive: false,
        }).addTo(map).bringToBack();
      });
    const ranges = L.geoJSON(data.map.ranges, {
      style: () => ({ color: "#8a5a14", weight: 2, fillColor: "#c99a4b", fillOpacity: 0.35 }),
      onEachFeature: (feature, layer) => {
        const p = feature.properties;
        const figures = [];
        if (p.planned !== null && p.planned !== undefined) figures.push(`${labels.plannedAnimals}: ${p.planned}`);
        if (p.registered !== null && p.registered !== undefined) figures.push(`${labels.registeredAnimals}: ${p.registered}`);
        layer.bindPopup(popup(p.population, [p.where].concat(figures)));
      },
    }).addTo(map);
    const areas = L.geoJSON(data.map.areas, {
      style: () => ({ color: "#1f7a3d", weight: 2, dashArray: "4 3", fillColor: "#8cc79f", fillOpacity: 0.3 }),
      onEachFeature: (feature, layer) => {
        const p = feature.properties;
        layer.bindPopup(popup(p.number, [p.holder, p.label || p.population, `${labels.animals}: ${p.animals} / ${p.max}`]));
      },
    }).addTo(map);
    // Stock at a site with coordinates is placed there; the rest at its region's centre.
    const holders = L.layerGroup(
      data.map.holders.concat(data.map.sites).map((h) =>
        L.circleMarker([h.lat, h.lon], { radius: 7 + Math.min(8, Math.log10(1 + h.count)), color: "#6b4c9a", fillColor: "#b9a3da", fillOpacity: 0.9 })
          .bindPopup(popup(`${h.name} (${h.code})`, [`${labels.holdersCount}: ${h.holders}`, `${labels.items}: ${h.count}`, `${labels.kg}: ${h.kg}`])),
      ),
    ).addTo(map);
    const seizures = L.layerGroup(
      data.map.seizures.map((z) =>
        L.circleMarker([z.lat, z.lon], { radius: 6, color: "#b3261e", fillColor: "#e59a94", fillOpacity: 0.9 }).bindPopup(popup(z.reference, [z.on])),
      ),
    ).addTo(map);
    const passages = L.layerGroup(
      data.map.passages.map((p) =>
        L.circleMarker([p.lat, p.lon], { radius: 6, color: "#2f5d8a", fillColor: "#8fb0d3", fillOpacity: 0.9 })
          .bindPopup(popup(p.name, [`${p.region}, ${p.border}`, `${labels.detections}: ${p.detections}`])),
      ),
    ).addTo(map);
    const layers = {};
    layers[labels.layers.ranges] = ranges;
    layers[labels.layers.areas] = areas;
    layers[labels.layers.holders] = holders;
    layers[labels.layers.seizures] = seizures;
    layers[labels.layers.passages] = passages;
    // Open on a desktop; on a phone a button that opens it (the legend below the map stays visible).
    L.control.layers(null, layers, { collapsed: window.innerWidth < 700 }).addTo(map);
  }

  // A popup's content built as elements (never as HTML text: names come from the registry's data).
  function popup(title, lines) {
    const text = document.createElement("div");
    const strong = document.createElement("strong");
    strong.textContent = title;
    text.append(strong);
    for (const line of lines) if (line) text.append(document.createElement("br"), String(line));
    return text;
  }

  function width(element) {
    return Math.max(280, element.clientWidth);
  }

  function chart(id, series, columns, bars, names) {
    const element = document.getElementById(id);
    if (!element || typeof uPlot === "undefined" || columns[0].length === 0) return;
    const paths = bars ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined;
    const options = {
      width: width(element),
      height: 220,
      // Bars are drawn over each other (cap behind, what was used in front), half a step from the edges.
      scales: { x: { time: false, range: (u, min, max) => (bars ? [min - 0.5, max + 0.5] : [min, max]) } },
      axes: [
        {
          values: (u, ticks) =>
            ticks.map((t) => (!Number.isInteger(t) ? "" : names ? names[t] || "" : String(t))),
        },
        { size: 80 },
      ],
      series: [{}].concat(
        series.map((label, index) => ({
          label: label,
          stroke: palette[index % palette.length],
          fill: bars ? palette[index % palette.length] + "99" : undefined,
          width: 2,
          paths: paths,
        })),
      ),
    };
    const plot = new uPlot(options, columns, element);
    window.addEventListener("resize", () => plot.setSize({ width: width(element), height: 220 }));
  }

  function censusColumns() {
    const populations = Object.keys(data.charts.census);
    const years = [...new Set(populations.flatMap((p) => data.charts.census[p].map((point) => point[0])))];
    years.sort((a, b) => a - b);
    const columns = [years];
    for (const population of populations) {
      const byYear = new Map(data.charts.census[population]);
      columns.push(years.map((year) => (byYear.has(year) ? byYear.get(year) : null)));
    }
    return [populations, columns];
  }

  document.addEventListener("DOMContentLoaded", () => {
    drawMap();
    const quota = data.charts.quota;
    chart(
      "quota-chart",
      [labels.cap, labels.reserved, labels.used],
      [quota.map((q) => q[0]), quota.map((q) => q[1]), quota.map((q) => q[3]), quota.map((q) => q[2])],
      true,
    );
    const [populations, columns] = censusColumns();
    chart("census-chart", populations, columns, false);
    const seasons = data.charts.offtake.filter((row) => row[2] !== null);
    chart(
      "offtake-chart",
      [labels.planned, labels.registered],
      [seasons.map((_, i) => i), seasons.map((row) => row[2]), seasons.map((row) => row[3])],
      true,
      seasons.map((row) => `${row[0]} ${row[1]}`),
    );
    const months = data.charts.seizures;
    chart(
      "seizure-chart",
      [labels.seizures],
      [months.map((m) => m[0]), months.map((m) => m[2])],
      true,
      Object.fromEntries(months.map((m) => [m[0], m[1]])),
    );
  });
})();
