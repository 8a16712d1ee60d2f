// Questionnaire enhancement: saves each answer as it is chosen. The page works without this file
// (every button posts the page and the server saves it); this only makes leaving mid-page safe.
(function () {
  'use strict';
  var form = document.querySelector('form[data-autosave]');
  if (!form || !window.fetch || !window.JSON) return;

  var url = form.getAttribute('data-autosave');
  var csrf = form.querySelector('input[name="_csrf"]');
  var lang = form.querySelector('input[name="lang"]');
  var status = form.querySelector('[data-autosave-status]');
  var inFlight = false;
  var again = false;
  var timer = null;

  // The whole page is sent each time, so a save that fails or overtakes another loses nothing.
  function values() {
    var out = {};
    var checked = form.querySelectorAll('input[type="radio"]:checked');
    for (var i = 0; i < checked.length; i++) out[checked[i].name] = checked[i].value;
    return out;
  }

  function show(failed) {
    if (!status) return;
    // The same text again is not re-announced by screen readers, so saving stays quiet after the first time.
    status.textContent = form.getAttribute(failed ? 'data-failed-text' : 'data-saved-text');
    status.classList.toggle('failed', failed);
  }

  // One request at a time: the server merges into the draft, and overlapping writes could reorder.
  function save() {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'x-csrf-token': csrf ? csrf.value : '',
      },
      body: JSON.stringify({ values: values(), lang: lang ? lang.value : undefined }),
    })
      .then(function (res) {
        show(!res.ok);
      })
      .catch(function () {
        show(true);
      })
      .then(function () {
        inFlight = false;
        if (again) {
          again = false;
          save();
        }
      });
  }

  form.addEventListener('change', function (event) {
    var target = event.target;
    if (!target || target.type !== 'radio') return;
    clearTimeout(timer);
    timer = setTimeout(save, 150);
  });

  // The posted page carries every answer itself; a late autosave would only repeat it.
  form.addEventListener('submit', function () {
    clearTimeout(timer);
  });
})();
