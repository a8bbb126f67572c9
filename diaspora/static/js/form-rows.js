// "Add" buttons of repeatable form rows (templates/macros/rows.html): without this script they
// submit the form and the server answers with more empty rows; with it, a row appears at once,
// focused, as a blank copy of the last row. Removing stays the row's "Remove" box, which
// leaves the row out when the form is saved (and can be unticked until then).
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

  // Field names and ids carry the row's index (skills-3-name); labels its number for people.
  function renumber(row, index, number) {
    ["name", "id", "for"].forEach(function (attr) {
      row.querySelectorAll("[" + attr + "]").forEach(function (el) {
        el.setAttribute(attr, el.getAttribute(attr).replace(/-\d+-/, "-" + index + "-"));
      });
    });
    row.querySelectorAll("[data-row-number]").forEach(function (label) {
      var walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        walker.currentNode.nodeValue = walker.currentNode.nodeValue.replace(/\d+/, number);
      }
    });
  }

  function clear(row) {
    row.querySelectorAll("input, select").forEach(function (el) {
      if (el.type === "checkbox") { el.checked = false; }
      else if (el.tagName === "SELECT") { el.value = el.dataset.default || ""; }
      else { el.value = ""; }
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
      delete el.dataset.ready;  // the copy needs its own autocomplete listener
    });
    // A new row has no messages and has not been recognised as anything yet.
    row.querySelectorAll("[data-row-hint], .invalid-feedback").forEach(function (el) {
      el.remove();
    });
  }

  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var container = document.querySelector('[data-rows="' + button.dataset.addRow + '"]');
    if (!container) { return; }
    var most = parseInt(container.dataset.maxRows, 10) || Infinity;
    button.addEventListener("click", function (event) {
      var rows = container.querySelectorAll("[data-row]");
      // No row to copy, or the list is full: the server answers as without this script.
      if (!rows.length || rows.length >= most) { return; }
      event.preventDefault();
      var row = rows[rows.length - 1].cloneNode(true);
      renumber(row, nextIndex(container), rows.length + 1);
      clear(row);
      container.appendChild(row);
      var first = row.querySelector("input:not([type=checkbox]), select");
      if (first) { first.focus(); }
    });
  });
})();
