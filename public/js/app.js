// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    // Move focus to an error summary so screen-reader and keyboard users hear it first.
    var summary = document.querySelector('[data-focus]');
    if (summary) summary.focus();
  });
})();
