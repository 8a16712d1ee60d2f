// Progressive enhancement of the rankings table: the column links sort on the server; with
// JavaScript the same sort happens in place, and the address keeps the choice for reloads.
(function () {
  'use strict';

  var NATURAL = { rank: 'asc', code: 'asc', name: 'asc', category: 'asc', classification: 'asc' };

  function valueOf(row, key) {
    var raw = row.getAttribute('data-sort-' + key.toLowerCase());
    if (raw === null || raw === '') return null;
    var n = Number(raw);
    return isNaN(n) ? raw : n;
  }

  function compare(key, dir, lang) {
    var sign = dir === 'asc' ? 1 : -1;
    return function (a, b) {
      var va = valueOf(a, key);
      var vb = valueOf(b, key);
      var ra = Number(a.getAttribute('data-sort-rank'));
      var rb = Number(b.getAttribute('data-sort-rank'));
      // Empty scores last in either direction; ties keep rank order (as the server does).
      if (va === null || vb === null) return va === vb ? ra - rb : va === null ? 1 : -1;
      var c =
        typeof va === 'number' && typeof vb === 'number'
          ? va - vb
          : String(va).localeCompare(String(vb), lang);
      return c !== 0 ? sign * c : ra - rb;
    };
  }

  function init() {
    var table = document.getElementById('rankings-table');
    if (!table) return;
    var tbody = table.tBodies[0];
    var links = table.querySelectorAll('thead a[data-sort]');
    var status = document.getElementById('rankings-sort-status');
    var lang = document.documentElement.lang || 'en';
    var state = {
      key: table.getAttribute('data-sort-key'),
      dir: table.getAttribute('data-sort-dir'),
    };

    // A topic's breakdown is the row after it, and moves with it.
    function apply(key, dir) {
      var rows = Array.prototype.filter.call(tbody.rows, function (r) {
        return r.hasAttribute('data-code');
      });
      var pairs = rows.map(function (r) {
        var next = r.nextElementSibling;
        return { row: r, breakdown: next && next.hasAttribute('data-breakdown-of') ? next : null };
      });
      var order = compare(key, dir, lang);
      pairs.sort(function (a, b) {
        return order(a.row, b.row);
      });
      pairs.forEach(function (p) {
        tbody.appendChild(p.row);
        if (p.breakdown) tbody.appendChild(p.breakdown);
      });
      state = { key: key, dir: dir };
      Array.prototype.forEach.call(links, function (a) {
        var k = a.getAttribute('data-sort');
        var th = a.parentNode;
        var indicator = a.querySelector('.sort-indicator');
        var active = k === key;
        // A heading holds one or two sort links (e.g. topic and code): it is sorted when either is.
        var headingActive = Array.prototype.some.call(
          th.querySelectorAll('a[data-sort]'),
          function (x) {
            return x.getAttribute('data-sort') === key;
          },
        );
        if (headingActive) th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : 'descending');
        else th.removeAttribute('aria-sort');
        if (indicator)
          indicator.textContent = active ? (dir === 'asc' ? '\u00a0▲' : '\u00a0▼') : '';
        var next = active ? (dir === 'asc' ? 'desc' : 'asc') : NATURAL[k] || 'desc';
        a.setAttribute('href', '?sort=' + k + '&dir=' + next);
      });
      if (status) {
        var label = table.querySelector('thead a[data-sort="' + key + '"]');
        status.textContent = (table.getAttribute('data-sorted-template') || '')
          .replace('%column%', (label && label.getAttribute('data-label')) || key)
          .replace(
            '%direction%',
            table.getAttribute(dir === 'asc' ? 'data-asc' : 'data-desc') || dir,
          );
      }
      if (window.history && window.history.replaceState) {
        window.history.replaceState(
          null,
          '',
          '?sort=' + key + '&dir=' + dir + window.location.hash,
        );
      }
    }

    // The "show groups" links become toggle buttons for the full-width row below their topic.
    Array.prototype.forEach.call(table.querySelectorAll('a.breakdown-toggle'), function (link) {
      var target = document.getElementById(link.getAttribute('aria-controls'));
      if (!target) return;
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'link-button breakdown-toggle';
      button.setAttribute('aria-controls', target.id);
      var label = link.querySelector('.visually-hidden');
      function render(open) {
        button.setAttribute('aria-expanded', open ? 'true' : 'false');
        button.textContent = table.getAttribute(open ? 'data-hide' : 'data-show') || '';
        if (label) button.appendChild(label);
      }
      render(!target.hidden);
      button.addEventListener('click', function () {
        target.hidden = !target.hidden;
        render(!target.hidden);
      });
      link.parentNode.replaceChild(button, link);
    });

    Array.prototype.forEach.call(links, function (a) {
      a.addEventListener('click', function (e) {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
        e.preventDefault();
        var key = a.getAttribute('data-sort');
        var dir =
          key === state.key ? (state.dir === 'asc' ? 'desc' : 'asc') : NATURAL[key] || 'desc';
        apply(key, dir);
      });
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
