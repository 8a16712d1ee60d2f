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

  function low(d, axis, s) {
    return d.standing && d.standing[axis] === 'low' ? ' · ' + text(s.low) : '';
  }

  // The tooltip formatter is the one part of the option that cannot travel as JSON.
  function tooltipFormatter(s) {
    return function (p) {
      var d = p.data;
      if (!d || !d.code) return '';
      return (
        '<strong>' +
        (d.rank ? text(d.rank) + '. ' : '') +
        text(d.name) +
        '</strong><br>' +
        text(s.code) +
        ': ' +
        text(d.code) +
        '<br>' +
        text(s.impact) +
        ': ' +
        score(d.impact, d.impactN, s) +
        low(d, 'impact', s) +
        '<br>' +
        text(s.financial) +
        ': ' +
        score(d.financial, d.financialN, s) +
        low(d, 'financial', s) +
        '<br>' +
        text(s.classification) +
        ': ' +
        text(d.classificationLabel)
      );
    };
  }

  // The option is laid out in pixels for one size (labels, leader lines, notes: see
  // src/results/matrix-chart.ts); the chart is drawn at that size and scaled to the column, so the
  // page shows exactly the layout of the SVG and PNG.
  function init() {
    var container = document.getElementById('matrix-chart');
    var option = readJson('matrix-spec');
    var strings = readJson('matrix-strings') || {};
    if (!container || !option || !window.echarts) return;
    var size = option.chartSize || { width: 1000, height: 750 };
    delete option.chartSize;
    option.tooltip = option.tooltip || {};
    option.tooltip.formatter = tooltipFormatter(strings);
    // The server-rendered SVG gives way to the interactive chart of the same option.
    container.innerHTML = '';
    container.classList.add('is-interactive');
    container.style.aspectRatio = size.width + ' / ' + size.height;
    container.style.overflow = 'hidden';
    container.style.position = 'relative';
    var inner = document.createElement('div');
    inner.style.width = size.width + 'px';
    inner.style.height = size.height + 'px';
    inner.style.transformOrigin = '0 0';
    container.appendChild(inner);
    var chart = window.echarts.init(inner, null, {
      renderer: 'canvas',
      width: size.width,
      height: size.height,
      devicePixelRatio: Math.max(2, window.devicePixelRatio || 1),
    });
    chart.setOption(option);
    function fit() {
      inner.style.transform = 'scale(' + container.clientWidth / size.width + ')';
    }
    fit();
    var pending = null;
    window.addEventListener('resize', function () {
      if (pending) window.clearTimeout(pending);
      pending = window.setTimeout(fit, 100);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
