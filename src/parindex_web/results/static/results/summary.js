/* Summary charts (Apache ECharts), drawn from the page's JSON twin.
   The tables under each chart hold the same figures for screen readers, for printing and
   for browsers without JavaScript; the charts stay hidden until they are drawn. */
(function () {
  "use strict";

  var BAR = "#2171b5";
  var TEXT = "#1b1f24";
  var MUTED = "#4a5560";
  var GRID = "#d5dde5";

  function num(text) {
    return text === null || text === undefined || text === "" ? null : parseFloat(text);
  }

  function formatter(lang, places) {
    var f = new Intl.NumberFormat(lang, { minimumFractionDigits: places, maximumFractionDigits: places });
    return function (value) { return f.format(value); };
  }

  function escape(text) {
    return window.echarts.format.encodeHTML(String(text));
  }

  /* An axis tooltip without ECharts' default colour markers: those are <span style="…">,
     which the Content-Security-Policy (style-src 'self') refuses. */
  function axisTip(items) {
    var first = items[0];
    return escape(first.axisValueLabel) + "<br>" + items.map(function (item) {
      return escape(item.seriesName) + ": <strong>" + escape(item.value) + "</strong>";
    }).join("<br>");
  }

  function show(root, name) {
    var el = root.querySelector('[data-chart="' + name + '"]');
    if (!el) return null;
    el.hidden = false;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function axis(name, extra) {
    var base = {
      name: name,
      nameLocation: "middle",
      nameGap: 32,
      nameTextStyle: { color: MUTED },
      axisLabel: { color: TEXT },
      axisLine: { lineStyle: { color: MUTED } },
      splitLine: { lineStyle: { color: GRID } }
    };
    return Object.assign(base, extra || {});
  }

  function histogram(root, data, t, fmt) {
    var chart = show(root, "histogram");
    if (!chart || !data.histogram.length) return;
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 16, top: 16, bottom: 56 },
      tooltip: { trigger: "axis", formatter: axisTip },
      xAxis: axis(t.index_range, {
        type: "category",
        data: data.histogram.map(function (b) { return b.from + "–" + b.to; })
      }),
      yAxis: axis(t.units, { type: "value", minInterval: 1, nameGap: 36 }),
      series: [{
        type: "bar",
        name: t.units,
        barCategoryGap: "8%",
        itemStyle: { color: BAR },
        data: data.histogram.map(function (b) { return b.count; })
      }]
    });
  }

  function groups(root, data, t) {
    if (!data.groups.length) return;
    var chart = show(root, "groups");
    if (!chart) return;
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 16, top: 16, bottom: 48 },
      tooltip: { trigger: "axis", formatter: axisTip },
      xAxis: axis(t.group, { type: "category", data: data.groups.map(function (g) { return g.label; }) }),
      yAxis: axis(t.units, { type: "value", minInterval: 1, nameGap: 36 }),
      series: [{
        type: "bar",
        name: t.units,
        data: data.groups.map(function (g) { return { value: g.count, itemStyle: { color: g.colour } }; })
      }]
    });
  }

  function scatter(root, data, t, fmt) {
    if (!data.previous || !data.pairs.length) return;
    var chart = show(root, "scatter");
    if (!chart) return;
    var points = data.pairs.map(function (p) {
      return { name: p.name, value: [num(p.previous_index), num(p.index)] };
    });
    var values = [];
    points.forEach(function (p) { values.push(p.value[0], p.value[1]); });
    var low = Math.floor(Math.min.apply(null, values) / 5) * 5;
    var high = Math.min(100, Math.ceil(Math.max.apply(null, values) / 5) * 5);
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 16, top: 16, bottom: 56 },
      tooltip: {
        trigger: "item",
        formatter: function (item) {
          if (!item.data || !item.data.name) return "";
          return escape(item.data.name) + "<br>" + escape(t.last_year) + ": " +
            fmt(item.data.value[0]) + "<br>" + escape(t.this_year) + ": " + fmt(item.data.value[1]);
        }
      },
      xAxis: axis(t.last_year, { type: "value", min: low, max: high }),
      yAxis: axis(t.this_year, { type: "value", min: low, max: high, nameGap: 40 }),
      series: [
        {
          type: "line",
          data: [[low, low], [high, high]],
          symbol: "none",
          silent: true,
          lineStyle: { color: MUTED, type: "dashed", width: 1 }
        },
        {
          type: "scatter",
          name: t.units,
          symbolSize: 9,
          itemStyle: { color: BAR, borderColor: "#ffffff", borderWidth: 1 },
          data: points
        }
      ]
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("summary-charts");
    if (!root || !window.echarts || !window.fetch) return;
    var t = JSON.parse(document.getElementById("summary-labels").textContent);
    var lang = document.documentElement.lang || "vi";
    fetch(root.getAttribute("data-json"), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var fmt = formatter(lang, data.cycle.places);
        histogram(root, data, t, fmt);
        groups(root, data, t);
        scatter(root, data, t, fmt);
      })
      .catch(function () { /* the tables remain */ });
  });
})();
