/* Unit profile charts and the province tile map (Apache ECharts), drawn from the pages' JSON
   twins. Every figure is also in a table on the page, for screen readers, printing and browsers
   without JavaScript; the chart boxes stay hidden until drawn. */
(function () {
  "use strict";

  var TEXT = "#1b1f24";
  var MUTED = "#4a5560";
  var GRID = "#d5dde5";
  var UNIT = "#9b1c1c";
  var MEAN = "#8a96a3";
  var BEST = "#1e6b3a";
  var LINES = ["#9b1c1c", "#0b5394", "#1e6b3a", "#8a5a00", "#6a3d9a", "#b3460f", "#4a5560"];

  function i18n() {
    var el = document.getElementById("profiles-i18n");
    return el ? JSON.parse(el.textContent) : {};
  }

  function lang() {
    return document.documentElement.lang || "vi";
  }

  function number(places) {
    var f = new Intl.NumberFormat(lang(), {
      minimumFractionDigits: places,
      maximumFractionDigits: places
    });
    return function (value) { return f.format(value); };
  }

  function places(text) {
    var dot = String(text).indexOf(".");
    return dot < 0 ? 0 : String(text).length - dot - 1;
  }

  function init(el) {
    el.hidden = false;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  function load(url, draw) {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(draw)
      .catch(function () { /* the tables hold the same figures */ });
  }

  function escape(text) {
    return window.echarts.format.encodeHTML(String(text));
  }

  /* An axis tooltip whose colour markers are classes (profiles.css, chart-tip__dot--N for
     series N): ECharts' default markers are <span style="…">, which the
     Content-Security-Policy (style-src 'self') refuses. */
  function axisTip(format) {
    return function (items) {
      return escape(items[0].axisValueLabel) + items.map(function (item) {
        return "<br><span class=\"chart-tip__dot chart-tip__dot--" + item.seriesIndex + "\"></span>" +
          escape(item.seriesName) + ": <strong>" + format(item.value) + "</strong>";
      }).join("");
    };
  }

  function shorten(text, size) {
    return text.length > size ? text.slice(0, size - 1) + "…" : text;
  }

  /* --- unit profile ---------------------------------------------------------------------- */

  function components(el, data, t) {
    var fmt = number(places(data.index));
    var narrow = el.clientWidth < 560;
    var labelWidth = narrow ? 120 : 300;
    var fields = data.fields.slice().reverse();
    el.style.height = (fields.length * (narrow ? 60 : 46) + 80) + "px";
    var chart = init(el);
    function series(name, key, colour) {
      return {
        type: "bar",
        name: name,
        itemStyle: { color: colour },
        barMaxWidth: 14,
        data: fields.map(function (f) { return parseFloat(f[key]); })
      };
    }
    chart.setOption({
      animation: false,
      color: [UNIT, MEAN, BEST],
      legend: { top: 0, textStyle: { color: TEXT } },
      grid: { left: labelWidth + 12, right: 24, top: 36, bottom: 28 },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: axisTip(function (v) { return fmt(v) + " %"; })
      },
      xAxis: {
        type: "value",
        max: 100,
        axisLabel: { color: MUTED },
        splitLine: { lineStyle: { color: GRID } }
      },
      yAxis: {
        type: "category",
        data: fields.map(function (f) {
          return f.code + ". " + shorten(f.name, narrow ? 40 : 80);
        }),
        axisLabel: { color: TEXT, width: labelWidth, overflow: "break", lineHeight: 14 }
      },
      series: [
        series(t.unit, "index", UNIT),
        series(t.mean, "mean", MEAN),
        series(t.best, "best", BEST)
      ]
    });
  }

  function historyChart(el, data, t) {
    var rows = data.history;
    var fmt = number(places(data.index));
    var years = [];
    rows.forEach(function (h) { if (years.indexOf(h.year) < 0) years.push(h.year); });
    years.sort();
    var perYear = {};
    rows.forEach(function (h) { perYear[h.year] = (perYear[h.year] || 0) + 1; });
    var oneLine = years.every(function (y) { return perYear[y] === 1; });
    var groups = [];
    var byKey = {};
    rows.forEach(function (h) {
      var key = oneLine ? "line" : h.unit;
      if (!byKey[key]) {
        byKey[key] = { name: oneLine ? data.unit.name : h.name, rows: [] };
        groups.push(byKey[key]);
      }
      if (!oneLine && h.relation !== "self" && h.name === data.unit.name) {
        byKey[key].name = h.name + " (" + t.former + ")";
      }
      byKey[key].rows.push(h);
    });
    var low = Math.min.apply(null, rows.map(function (h) { return parseFloat(h.index); }));
    var chart = init(el);
    chart.setOption({
      animation: false,
      color: LINES,
      legend: { top: 0, type: "scroll", textStyle: { color: TEXT } },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var h = p.data.row;
          return escape(h.name) + " — " + h.year + "<br>" + escape(t.index) + ": " +
            fmt(parseFloat(h.index)) + "<br>" + escape(t.rank) + ": " + h.rank + "/" + h.units_count;
        }
      },
      xAxis: {
        type: "category",
        data: years.map(String),
        boundaryGap: true,
        axisLabel: { color: TEXT }
      },
      yAxis: {
        type: "value",
        min: Math.max(0, Math.floor((low - 5) / 5) * 5),
        max: 100,
        axisLabel: { color: MUTED },
        splitLine: { lineStyle: { color: GRID } }
      },
      series: groups.map(function (g) {
        return {
          type: "line",
          name: g.name,
          symbolSize: 10,
          connectNulls: false,
          label: {
            show: true,
            position: "top",
            color: TEXT,
            formatter: function (p) { return fmt(p.value[1]); }
          },
          data: g.rows.map(function (h) {
            return { value: [String(h.year), parseFloat(h.index)], row: h };
          })
        };
      })
    });
    chart.on("click", function (p) {
      if (p.data && p.data.row && p.data.row.relation !== "self") {
        window.location.href = p.data.row.url;
      }
    });
  }

  function profile(holder) {
    var t = i18n();
    load(holder.getAttribute("data-src"), function (data) {
      var comp = document.getElementById("chart-components");
      if (comp) components(comp, data, t);
      var hist = document.getElementById("chart-history");
      if (hist) historyChart(hist, data, t);
    });
  }

  /* --- province tile map ------------------------------------------------------------------ */

  function luminance(hex) {
    var c = [1, 3, 5].map(function (i) {
      var s = parseInt(hex.slice(i, i + 2), 16) / 255;
      return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  function textOn(hex) {
    // the text colour with the higher contrast against the tile
    var l = luminance(hex);
    return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? TEXT : "#ffffff";
  }

  function indexClasses(data, fmt) {
    var values = data.tiles.map(function (tile) { return parseFloat(tile.index); });
    var low = Math.floor(Math.min.apply(null, values));
    var high = Math.ceil(Math.max.apply(null, values));
    if (high <= low) high = low + 1;
    var n = data.index_colours.length;
    var step = (high - low) / n;
    return data.index_colours.map(function (colour, i) {
      var from = low + i * step;
      var to = i === n - 1 ? high : low + (i + 1) * step;
      return { min: from, max: to, colour: colour, label: fmt(from) + "–" + fmt(to) };
    });
  }

  function tileColour(tile, mode, data, classes) {
    if (mode === "group") {
      for (var i = 0; i < data.bands.length; i++) {
        if (data.bands[i].label === tile.group) return data.bands[i].colour;
      }
      return data.no_group_colour;
    }
    var v = parseFloat(tile.index);
    for (var k = 0; k < classes.length; k++) {
      if (v <= classes[k].max) return classes[k].colour;
    }
    return classes[classes.length - 1].colour;
  }

  function tileMap(el) {
    var t = i18n();
    load(el.getAttribute("data-src"), function (data) {
      var fmt = number(data.tiles.length ? places(data.tiles[0].index) : 2);
      var whole = number(0);
      var classes = indexClasses(data, whole);
      // room for the archipelagos' labels in the sea
      var cols = data.columns;
      var rows = data.rows;
      data.islands.forEach(function (i) {
        cols = Math.max(cols, i.col + 2);
        rows = Math.max(rows, i.row + 1);
      });
      var chart = init(el);
      var toggle = document.getElementById("map-toggle");

      function mode() {
        var checked = toggle && toggle.querySelector("input:checked");
        return checked ? checked.value : (data.bands.length ? "group" : "index");
      }

      function draw() {
        var width = el.clientWidth;
        var cell = Math.max(24, Math.min(44, Math.floor(width / cols)));
        var legendHeight = 64;
        el.style.height = (cell * rows + legendHeight + 16) + "px";
        chart.resize();
        var m = mode();
        var legend = m === "group"
          ? data.bands.map(function (b) { return { label: b.label, colour: b.colour }; })
            .concat(data.tiles.some(function (x) { return !x.group; })
              ? [{ label: t.no_group, colour: data.no_group_colour }] : [])
          : classes.map(function (c) { return { label: c.label, colour: c.colour }; });
        var left = Math.max(0, Math.floor((width - cell * cols) / 2));
        chart.setOption({
          animation: false,
          tooltip: {
            trigger: "item",
            formatter: function (p) {
              if (p.data.island) return escape(p.data.island);
              var x = p.data.tile;
              return "<strong>" + escape(x.name) + "</strong><br>" + escape(t.index) + ": " +
                fmt(parseFloat(x.index)) + "<br>" + escape(t.rank) + ": " + x.rank + " " +
                escape(t.of) + " " + data.tiles.length + "<br>" + escape(t.group) + ": " +
                escape(x.group || t.no_group);
            }
          },
          grid: { left: left, top: 4, width: cell * cols, height: cell * rows },
          xAxis: { type: "value", min: 0, max: cols, show: false },
          yAxis: { type: "value", min: 0, max: rows, inverse: true, show: false },
          legend: {
            bottom: 0,
            left: "center",
            itemWidth: 14,
            itemHeight: 14,
            textStyle: { color: TEXT },
            icon: "roundRect",
            // an outline, so that the lightest swatches stand out from the page
            data: legend.map(function (l) {
              return { name: l.label, itemStyle: { color: l.colour, borderColor: MUTED, borderWidth: 1 } };
            })
          },
          series: [{
            type: "custom",
            name: "tiles",
            coordinateSystem: "cartesian2d",
            renderItem: function (params, api) {
              var x = data.tiles[params.dataIndex];
              var start = api.coord([x.col, x.row]);
              var size = api.size([1, 1]);
              var colour = tileColour(x, m, data, classes);
              return {
                type: "group",
                children: [{
                  type: "rect",
                  shape: { x: start[0] + 1, y: start[1] + 1, width: size[0] - 2, height: size[1] - 2, r: 3 },
                  style: { fill: colour, stroke: "#ffffff", lineWidth: 1 },
                  emphasis: { style: { stroke: TEXT, lineWidth: 2 } }
                }, {
                  type: "text",
                  silent: true,
                  style: {
                    x: start[0] + size[0] / 2,
                    y: start[1] + size[1] / 2,
                    text: x.label,
                    fill: textOn(colour),
                    align: "center",
                    verticalAlign: "middle",
                    fontSize: Math.max(9, Math.min(13, Math.floor(cell / 3.2))),
                    fontWeight: 600
                  }
                }]
              };
            },
            encode: { x: 0, y: 1 },
            data: data.tiles.map(function (x) {
              return { value: [x.col, x.row], tile: x, name: x.name };
            })
          }, {
            type: "scatter",
            name: "islands",
            symbol: "circle",
            symbolSize: 5,
            itemStyle: { color: MUTED },
            label: {
              show: true,
              position: "bottom",
              color: MUTED,
              fontSize: 10,
              fontStyle: "italic",
              formatter: function (p) { return p.data.short; }
            },
            data: data.islands.map(function (i) {
              var full = t[i.key] || i.key;
              return {
                value: [i.col + 0.5, i.row + 0.5],
                island: full,
                short: i.name
              };
            })
          }].concat(legend.map(function (l) {
            // empty series that carry the legend's entries
            return { type: "scatter", name: l.label, data: [], itemStyle: { color: l.colour } };
          }))
        }, { notMerge: true });
      }

      draw();
      chart.on("click", function (p) {
        if (p.data && p.data.tile) window.location.href = p.data.tile.url;
      });
      chart.on("legendselectchanged", function (p) {
        // the legend is a key, not a filter: keep every entry shown
        chart.dispatchAction({ type: "legendSelect", name: p.name });
      });
      if (toggle) toggle.addEventListener("change", draw);
      window.addEventListener("resize", draw);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var holder = document.getElementById("profile-data");
    if (holder) profile(holder);
    var map = document.getElementById("tile-map");
    if (map) tileMap(map);
  });
})();
