// Progressive enhancement of the materiality matrix: the page already shows the same chart as a
// server-rendered SVG and as a table; with JavaScript it becomes interactive (tooltips, legend).
(function () {
  'use strict';

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent || 'null') : null;
  }

  function text(v) {
    return window.echarts.format.encodeHTML(String(v));
  }

  function score(v, n, s) {
    if (v === null || v === undefined) return n === null ? text(s.fewerThan) : text(s.noScore);
    return v.toFixed(2) + ' <span class="tip-n">(n = ' + n + ')</span>';
  }

  // The tooltip formatter is the one part of the option that cannot travel as JSON.
  function tooltipFormatter(s) {
    return function (p) {
      var d = p.data;
      if (!d || !d.code) return '';
      return (
        '<strong>' +
        text(d.name) +
        '</strong><br>' +
        text(s.code) +
        ': ' +
        text(d.code) +
        '<br>' +
        text(s.impact) +
        ': ' +
        score(d.impact, d.impactN, s) +
        '<br>' +
        text(s.financial) +
        ': ' +
        score(d.financial, d.financialN, s) +
        '<br>' +
        text(s.classification) +
        ': ' +
        text(d.classificationLabel)
      );
    };
  }

  // As on the server (matrix-render.ts): pin each label where ECharts first placed it, so the
  // moveOverlap shift is not undone when the label is re-attached to its point; the anchor keeps
  // the side that touches the point.
  function pinLabels(layout) {
    return function (p) {
      var out = {};
      for (var k in layout) if (Object.prototype.hasOwnProperty.call(layout, k)) out[k] = layout[k];
      var r = p.labelRect;
      var leftOfPoint = r.x + r.width <= p.rect.x + p.rect.width / 2;
      out.x = leftOfPoint ? r.x + r.width : r.x;
      out.y = r.y;
      out.align = leftOfPoint ? 'right' : 'left';
      out.verticalAlign = 'top';
      return out;
    };
  }

  function init() {
    var container = document.getElementById('matrix-chart');
    var option = readJson('matrix-spec');
    var strings = readJson('matrix-strings') || {};
    if (!container || !option || !window.echarts) return;
    option.tooltip = option.tooltip || {};
    option.tooltip.formatter = tooltipFormatter(strings);
    (option.series || []).forEach(function (s) {
      if (s.labelLayout) s.labelLayout = pinLabels(s.labelLayout);
    });
    // The server-rendered SVG gives way to the interactive chart of the same option.
    container.innerHTML = '';
    container.classList.add('is-interactive');
    var chart = window.echarts.init(container, null, { renderer: 'canvas' });
    chart.setOption(option);
    var pending = null;
    window.addEventListener('resize', function () {
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        chart.resize();
      }, 150);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
