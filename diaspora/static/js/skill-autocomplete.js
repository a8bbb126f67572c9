// Skill suggestions while typing, from /api/skills, shown through the shared <datalist> of
// each input: the browser draws the list and handles the keyboard. The input stays a plain
// text box, so any skill may be typed, and without this script nothing is lost.
(function () {
  "use strict";
  var DELAY_MS = 150;
  var MIN_CHARS = 2;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null;
    var pending = null;

    function show(suggestions) {
      list.replaceChildren();
      suggestions.forEach(function (s) {
        var option = document.createElement("option");
        option.value = s.label;
        if (s.matched && s.matched !== s.label) { option.label = s.matched; }
        list.appendChild(option);
      });
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS) { show([]); return; }
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var url = input.dataset.skillAutocomplete + "?q=" + encodeURIComponent(query) +
        "&lang=" + encodeURIComponent(input.dataset.lang || document.documentElement.lang);
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(show)
        .catch(function () { /* aborted or offline: typing still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });
  }

  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (input.matches && input.matches("[data-skill-autocomplete]") && !input.dataset.ready) {
      input.dataset.ready = "1";  // rows added later by profile-rows.js get it too
      attach(input);
    }
  });
})();
