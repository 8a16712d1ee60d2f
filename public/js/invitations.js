// Progressive enhancement of the invitations page: a copy button beside each link (the buttons are
// hidden without JavaScript, where the read-only field can still be selected and copied).
(function () {
  'use strict';

  function copy(input) {
    if (navigator.clipboard && window.isSecureContext)
      return navigator.clipboard.writeText(input.value);
    input.select();
    document.execCommand('copy');
    return Promise.resolve();
  }

  document.addEventListener('DOMContentLoaded', function () {
    var live = document.createElement('p');
    live.className = 'visually-hidden';
    live.setAttribute('role', 'status');
    document.body.appendChild(live);
    Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), function (button) {
      var input = document.getElementById(button.getAttribute('data-copy'));
      if (!input) return;
      button.hidden = false;
      button.addEventListener('click', function () {
        copy(input).then(function () {
          var text = document.getElementById('copied-text');
          live.textContent = text ? text.textContent : '';
        });
      });
    });
  });
})();
