// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';

  // A table wider than its box scrolls inside it; keyboard users reach that scroll by focusing the
  // box, which then needs a name (the table's caption) and a role.
  function scrollableTables() {
    Array.prototype.forEach.call(document.querySelectorAll('.table-wrap'), function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute('tabindex')) {
        var caption = wrap.querySelector('caption');
        wrap.setAttribute('tabindex', '0');
        wrap.setAttribute('role', 'region');
        wrap.setAttribute(
          'aria-label',
          (caption && caption.textContent.trim()) || document.title.split(' · ')[0],
        );
        wrap.setAttribute('data-scroll-focus', '');
      } else if (!scrolls && wrap.hasAttribute('data-scroll-focus')) {
        ['tabindex', 'role', 'aria-label', 'data-scroll-focus'].forEach(function (a) {
          wrap.removeAttribute(a);
        });
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    // Move focus to an error summary so screen-reader and keyboard users hear it first.
    var summary = document.querySelector('[data-focus]');
    if (summary) summary.focus();
    scrollableTables();
    window.addEventListener('resize', scrollableTables);
  });
})();
