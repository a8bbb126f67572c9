// "Add another" buttons of repeatable form rows: without this script they submit the form and
// the server answers with one more empty row; with it, the row appears at once.
(function () {
  "use strict";

  function nextIndex(container) {
    var max = -1;
    container.querySelectorAll("[name]").forEach(function (el) {
      var m = /-(\d+)-/.exec(el.name);
      if (m) { max = Math.max(max, parseInt(m[1], 10)); }
    });
    return max + 1;
  }

  function renumber(row, index) {
    ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
      row.querySelectorAll("[" + attr + "]").forEach(function (el) {
        el.setAttribute(attr, el.getAttribute(attr).replace(/-\d+-/, "-" + index + "-"));
      });
    });
  }

  function clear(row) {
    row.querySelectorAll("input, select").forEach(function (el) {
      if (el.type === "checkbox") { el.checked = false; }
      else if (el.tagName === "SELECT") { el.value = el.dataset.default || ""; }
      else { el.value = ""; }
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
      delete el.dataset.ready;  // the clone needs its own autocomplete listener
    });
    // A new row has not been recognised as anything yet.
    row.querySelectorAll(".form-text").forEach(function (el) { el.remove(); });
    row.querySelectorAll("[aria-describedby]").forEach(function (el) {
      el.removeAttribute("aria-describedby");
    });
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var container = document.querySelector('[data-rows="' + button.dataset.addRow + '"]');
    if (!container) { return; }
    button.addEventListener("click", function (event) {
      var rows = container.querySelectorAll("[data-row]");
      if (!rows.length) { return; }  // let the server add the first one
      event.preventDefault();
      var row = rows[rows.length - 1].cloneNode(true);
      renumber(row, nextIndex(container));
      clear(row);
      container.appendChild(row);
      var first = row.querySelector("input:not([type=checkbox]), select");
      if (first) { first.focus(); }
    });
  });
})();
